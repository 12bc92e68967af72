// One pass over the tokens. The user's line breaks are kept (a token that
// started a line still starts one), blank lines are normalized, indentation
// and the spaces between tokens are recomputed, and long comma-separated
// lists are wrapped. Lines are never joined, so comments stay where they were.

#include "compiler/format/layout.h"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

namespace ward::format {
namespace {

using syntax::SourceToken;
using syntax::TokenClass;

bool IsComment(const SourceToken& t) {
  return t.cls == TokenClass::kLineComment || t.cls == TokenClass::kBlockComment;
}
bool Is(const SourceToken& t, std::string_view text) {
  return t.cls == TokenClass::kPunct && t.text == text;
}
bool IsOpener(const SourceToken& t) { return Is(t, "{") || Is(t, "[") || Is(t, "("); }
bool IsCloser(const SourceToken& t) { return Is(t, "}") || Is(t, "]") || Is(t, ")"); }

// Words that are operators: a `(` after them opens a group, not a call.
bool IsOperatorWord(std::string_view w) {
  static constexpr std::string_view kWords[] = {
      "and",       "or",         "not",         "of",       "in",        "at",
      "defined",   "any",        "all",         "none",     "them",      "contains",
      "icontains", "startswith", "istartswith", "endswith", "iendswith", "iequals",
      "matches",   "for",        "keywords",    "cidr",     "exists",    "like"};
  return std::find(std::begin(kWords), std::end(kWords), w) != std::end(kWords);
}

// Display width in code points.
int Width(std::string_view s) {
  int n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// Width of a token's first line (multi-line tokens: strings, comments, hex).
int FirstLineWidth(std::string_view s) { return Width(s.substr(0, s.find('\n'))); }

struct Line {
  int indent = 0;
  int blank_before = 0;
  std::string code;
  std::string comment;  // a trailing comment, written after the code
  int original_comment_column = -1;
};

struct Frame {
  size_t opener = 0;            // token index
  bool body = false;            // a declaration/block body, not an object, list or group
  bool break_contents = false;  // body whose members go on their own lines
  bool expanded = false;        // a one-line body opened up: one member per line
  bool aligned = false;         // contents continue at align_column
  bool xor_range = false;       // xor(lo-hi): no spaces around `-`
  int contents_indent = 0;
  int close_indent = 0;
  int bracket_column = 0;
  int align_column = 0;
  // Body frames: the member being laid out.
  bool member_active = false;
  bool member_separated = false;  // its `:` or `=` has been written
  bool member_condition = false;  // a YARA `condition:`
  int member_column = 0;
  size_t member_line = 0;          // index in lines_ of the member's first line
  bool member_expression = false;  // when / condition / let / where: continues at value_column
  int value_column = -1;
};

enum class TopItem { kNone, kComment, kPackage, kImport, kDecl };

class Layouter {
 public:
  Layouter(std::string_view text, const std::vector<SourceToken>& tokens, const LayoutMarks& marks)
      : text_(text), tokens_(tokens), marks_(marks) {
    newlines_.resize(tokens.size());
    uint32_t last = 0;
    while (text.substr(last, 3) == "\xEF\xBB\xBF") last += 3;
    bom_ = text.substr(0, last);
    for (size_t i = 0; i < tokens.size(); ++i) {
      std::string_view gap = text.substr(last, tokens[i].begin - last);
      newlines_[i] = static_cast<int>(std::count(gap.begin(), gap.end(), '\n'));
      last = tokens[i].end;
    }
    match_.assign(tokens.size(), kNone);
    std::vector<size_t> open;
    for (size_t i = 0; i < tokens.size(); ++i) {
      if (IsOpener(tokens[i])) {
        open.push_back(i);
      } else if (IsCloser(tokens[i]) && !open.empty()) {
        match_[open.back()] = i;
        match_[i] = open.back();
        open.pop_back();
      }
    }
  }

  // YARA strings of consecutive lines whose `=` the user aligned stay
  // aligned: the `=` follows the longest identifier of the run by one space.
  // A run is of the lines as they will be printed, or a second pass would
  // undo the first: a string right after the block's `{` starts a line
  // there, and a string whose `=` is on the next line still belongs to the
  // run (and leaves it unaligned).
  void FindAlignedStrings() {
    auto starts_string = [&](size_t i) {
      bool starts_line = newlines_[i] > 0 || (i > 0 && IsOpener(tokens_[i - 1]));
      return i + 1 < tokens_.size() && tokens_[i].cls == TokenClass::kSigil && starts_line &&
             marks_.member_starts.count(tokens_[i].begin) &&
             (Is(tokens_[i + 1], "=") || tokens_[i + 1].cls == TokenClass::kHexBlock);
    };
    auto equals_column = [&](size_t i) {
      return tokens_[i + 1].begin - LineStart(tokens_[i + 1].begin);
    };
    std::vector<size_t> run;
    auto flush = [&] {
      bool aligned = run.size() >= 2;
      int widest = 0;
      for (size_t i : run) {
        aligned =
            aligned && newlines_[i + 1] == 0 && equals_column(i) == equals_column(run.front());
        widest = std::max(widest, Width(tokens_[i].text));
      }
      if (aligned) {
        for (size_t i : run) equals_pad_[i + 1] = widest - Width(tokens_[i].text) + 1;
      }
      run.clear();
    };
    for (size_t i = 0; i < tokens_.size(); ++i) {
      if (!starts_string(i)) continue;
      bool continues_run = false;
      if (!run.empty() && newlines_[i] == 1) {
        // Only the previous string's own line may lie in between.
        continues_run = true;
        for (size_t j = run.back() + 1; j < i; ++j) {
          if (newlines_[j] > 0) continues_run = false;
        }
      }
      if (!continues_run) flush();
      run.push_back(i);
    }
    flush();
  }

  std::string Run() {
    FindAlignedStrings();
    for (size_t i = 0; i < tokens_.size(); ++i) Place(i);
    return Render();
  }

 private:
  static constexpr size_t kNone = static_cast<size_t>(-1);

  // ---- placing one token ----------------------------------------------------

  void Place(size_t i) {
    const SourceToken& t = tokens_[i];
    bool have_line = !lines_.empty();
    if (IsComment(t) && have_line && newlines_[i] == 0 && !lines_.back().code.empty() &&
        lines_.back().comment.empty() &&
        (i + 1 == tokens_.size() || newlines_[i + 1] > 0 || t.cls == TokenClass::kLineComment)) {
      lines_.back().comment = std::string(t.text);
      lines_.back().original_comment_column = static_cast<int>(t.begin - LineStart(t.begin));
      break_next_ = true;
      return;
    }
    if (Is(t, "-")) NoteMinus(i);
    if (refill_ && (stack_.size() < refill_depth_ || marks_.member_starts.count(t.begin))) {
      refill_ = false;
    }
    bool after_comma = prev_ != kNone && Is(tokens_[prev_], ",");
    // Once a list has been wrapped, the rest of it is filled again: the
    // breaks the user wrote between its items no longer fit the new lines.
    bool refilled = refill_ && refill_depth_ == stack_.size() && after_comma && prev_ + 1 == i &&
                    newlines_[i] == 1 && !IsComment(t) && !break_next_;
    bool continues = newlines_[i] == 0 || refilled;
    bool wrap = after_comma && continues && !break_next_ && WrapBefore(i);
    bool starts_line =
        !have_line || (newlines_[i] > 0 && !refilled) || break_next_ || MustBreakBefore(i) || wrap;
    if (wrap) {
      refill_ = true;
      refill_depth_ = stack_.size();
    } else if (starts_line) {
      refill_ = false;
    }
    break_next_ = false;
    if (starts_line) {
      Line line;
      line.blank_before = have_line ? BlankLinesBefore(i) : 0;
      line.indent = IndentOf(i);
      column_ = line.indent;
      lines_.push_back(std::move(line));
      if (stack_.empty() && IsComment(t)) {
        top_ = TopItem::kComment;
        closed_top_ = false;
      }
    } else {
      int spaces = last_was_comment_ ? 1 : SpacesBetween(prev_, i);
      lines_.back().code.append(static_cast<size_t>(spaces), ' ');
      column_ += spaces;
    }
    int start_column = column_;
    std::string written = Spelling(t);
    lines_.back().code += written;
    size_t nl = written.rfind('\n');
    column_ = nl == std::string::npos ? column_ + Width(written)
                                      : Width(std::string_view(written).substr(nl + 1));
    if (capture_value_ != kNone && capture_value_ < stack_.size()) {
      if (!starts_line) stack_[capture_value_].value_column = start_column;
      capture_value_ = kNone;
    }
    if (capture_align_ != kNone && capture_align_ < stack_.size()) {
      stack_[capture_align_].align_column = start_column;
      capture_align_ = kNone;
    }
    last_was_comment_ = IsComment(t);
    if (IsComment(t)) {
      if (t.cls == TokenClass::kLineComment) break_next_ = true;
      return;
    }
    Track(i, start_column, starts_line);
    prev_ = i;
  }

  // A hex string's `=` and `{` are one token; only the blanks between them
  // are normalized, never the pattern.
  static std::string Spelling(const SourceToken& t) {
    std::string s(t.text);
    if (t.cls == TokenClass::kHexBlock) {
      size_t brace = s.find('{');
      std::string_view gap = std::string_view(s).substr(1, brace - 1);
      if (gap.find('\n') == std::string_view::npos) s = "= " + s.substr(brace);
    }
    return s;
  }

  // Updates the bracket stack and the member being laid out.
  void Track(size_t i, int start_column, bool starts_line) {
    const SourceToken& t = tokens_[i];
    if (!stack_.empty() && stack_.back().body) {
      Frame& f = stack_.back();
      if (marks_.member_starts.count(t.begin)) {
        f.member_active = true;
        f.member_separated = false;
        f.member_condition = t.cls == TokenClass::kWord && t.text == "condition";
        f.member_column = start_column;
        f.member_line = lines_.size() - 1;
        f.member_expression =
            t.cls == TokenClass::kWord &&
            (t.text == "when" || t.text == "condition" || t.text == "let" || t.text == "where");
        f.value_column = -1;
      } else if (f.member_active && !f.member_separated && (Is(t, ":") || Is(t, "="))) {
        f.member_separated = true;
        if (f.member_expression) capture_value_ = stack_.size() - 1;
      }
    }
    if (stack_.empty()) {
      if (t.cls == TokenClass::kWord && starts_line) {
        if (t.text == "package")
          top_ = TopItem::kPackage;
        else if (t.text == "import")
          top_ = TopItem::kImport;
      }
      if (marks_.decl_starts.count(t.begin)) top_ = TopItem::kDecl;
    }
    if (IsOpener(t)) {
      Frame f;
      f.opener = i;
      f.body = Is(t, "{") && IsBodyBrace(i);
      int line_indent = lines_.back().indent;
      if (f.body) {
        // A body is indented from the line its declaration or member starts
        // on, even when its header continues on further lines.
        if (stack_.empty()) {
          line_indent = 0;
        } else if (stack_.back().body && stack_.back().member_active) {
          line_indent = stack_.back().member_column;
        }
      } else if (const Frame* body = NearestBody(); body && body->member_expression &&
                                                    body->value_column >= 0 &&
                                                    body->member_line + 1 == lines_.size()) {
        // `condition: for ... : (` ending the member's first line: the
        // loop body is indented from the expression, not from the member.
        line_indent = body->value_column;
      }
      f.contents_indent = line_indent + kIndent;
      f.close_indent = line_indent;
      f.bracket_column = start_column;
      f.xor_range = Is(t, "(") && prev_ != kNone && tokens_[prev_].cls == TokenClass::kWord &&
                    tokens_[prev_].text == "xor";
      size_t close = match_[i];
      if (f.body) {
        bool one_line = close != kNone && !HasNewline(t.end, tokens_[close].begin);
        // A one-line body too long for its line is opened up, a member per line.
        f.expanded = one_line && start_column + OneLineWidth(i, close) > kMaxColumns;
        f.break_contents = close != kNone && (!one_line || f.expanded);
        if (f.break_contents) break_next_ = true;
      } else if (!LastOnLine(i)) {
        f.aligned = true;
        f.align_column = start_column + (Is(t, "{") ? 2 : 1);
        capture_align_ = stack_.size();
      }
      stack_.push_back(f);
    } else if (IsCloser(t) && !stack_.empty()) {
      stack_.pop_back();
    }
    closed_top_ = stack_.empty() && IsCloser(t);
  }

  // ---- line breaks, blank lines and indentation -------------------------------

  bool MustBreakBefore(size_t i) const {
    const SourceToken& t = tokens_[i];
    if (IsCloser(t) && !stack_.empty() && stack_.back().break_contents) return true;
    if (!stack_.empty() && stack_.back().expanded && marks_.member_starts.count(t.begin)) {
      return true;
    }
    if (stack_.empty() && marks_.decl_starts.count(t.begin)) return true;
    if (stack_.empty() && t.cls == TokenClass::kWord &&
        (t.text == "import" || t.text == "package") && prev_ != kNone && !AfterAs())
      return true;
    return false;
  }

  // `import a.b as import`: only a word after `as` can be a name.
  bool AfterAs() const { return prev_ != kNone && tokens_[prev_].text == "as"; }

  int BlankLinesBefore(size_t i) const {
    const SourceToken& t = tokens_[i];
    int wanted = std::min(std::max(newlines_[i] - 1, 0), 1);
    if (prev_ != kNone && IsOpener(tokens_[prev_]) && LastCodeLineEndsWithOpener()) return 0;
    if (IsCloser(t)) return 0;
    if (!stack_.empty()) return wanted;
    bool comment = IsComment(t);
    bool decl = marks_.decl_starts.count(t.begin) > 0;
    if (closed_top_ && top_ == TopItem::kDecl) return 1;
    if (decl && top_ != TopItem::kComment && top_ != TopItem::kNone) return 1;
    if (top_ == TopItem::kPackage && (comment || t.text == "import")) return 1;
    return wanted;
  }

  bool LastCodeLineEndsWithOpener() const {
    for (size_t k = lines_.size(); k-- > 0;) {
      const std::string& code = lines_[k].code;
      if (code.empty()) continue;
      char c = code.back();
      return c == '{' || c == '[' || c == '(';
    }
    return false;
  }

  int IndentOf(size_t i) const {
    const SourceToken& t = tokens_[i];
    if (IsComment(t)) {
      size_t j = i + 1;
      while (j < tokens_.size() && IsComment(tokens_[j])) ++j;
      if (j == tokens_.size()) return stack_.empty() ? 0 : InnerIndent(stack_.back());
      if (IsCloser(tokens_[j]) && !stack_.empty()) return InnerIndent(stack_.back());
      return CodeIndent(j);
    }
    return CodeIndent(i);
  }

  // Property values continue a fixed step past the member; Sigma and YARA
  // expressions line up with their first operand.
  static int MemberContinuation(const Frame& f) {
    if (f.member_expression && f.value_column >= 0) return f.value_column;
    return f.member_column + kContinuation;
  }

  static int InnerIndent(const Frame& f) { return f.aligned ? f.align_column : f.contents_indent; }

  int CodeIndent(size_t i) const {
    const SourceToken& t = tokens_[i];
    if (stack_.empty()) {
      bool top = marks_.decl_starts.count(t.begin) ||
                 (t.cls == TokenClass::kWord && (t.text == "package" || t.text == "import"));
      return top ? 0 : kContinuation;
    }
    const Frame& f = stack_.back();
    if (IsCloser(t)) return f.aligned ? f.bracket_column : f.close_indent;
    if (!f.body) return InnerIndent(f);
    if (marks_.member_starts.count(t.begin) || !f.member_active) return f.contents_indent;
    return MemberContinuation(f);
  }

  // ---- spaces between tokens on one line --------------------------------------

  int SpacesBetween(size_t a_index, size_t b_index) const {
    if (a_index == kNone) return 1;
    const SourceToken& a = tokens_[a_index];
    const SourceToken& b = tokens_[b_index];
    bool adjacent = a.end == b.begin;
    if (IsComment(b)) return 1;
    if (Is(a, "(") || Is(a, "[")) return 0;
    if (Is(a, "{")) return Is(b, "}") ? 0 : 1;
    // Members that share a line are told apart by two spaces.
    if (marks_.member_starts.count(b.begin)) return 2;
    if (Is(b, ")") || Is(b, "]") || Is(b, ",")) return 0;
    if (Is(b, "}")) return 1;
    if (Is(a, ".") || Is(b, ".") || Is(a, "..") || Is(b, "..")) return 0;
    if (auto pad = equals_pad_.find(b_index); pad != equals_pad_.end()) return pad->second;
    bool condition = InCondition();
    if (Is(b, ":")) return condition ? 1 : 0;
    if (Is(b, "(")) {
      return a.cls == TokenClass::kWord && !IsOperatorWord(a.text) ? 0 : 1;
    }
    if (Is(b, "[")) {
      bool indexable =
          a.cls == TokenClass::kWord || a.cls == TokenClass::kSigil || Is(a, ")") || Is(a, "]");
      return condition && indexable && !(a.cls == TokenClass::kWord && IsOperatorWord(a.text)) ? 0
                                                                                               : 1;
    }
    bool in_xor = !stack_.empty() && stack_.back().xor_range;
    if (Is(a, "-") || Is(b, "-")) {
      if (in_xor) return 0;
      if (Is(a, "-") && unary_minus_.count(a_index)) return 0;
      return 1;
    }
    if (Is(a, "~")) return 0;
    if (Is(a, "*") || Is(b, "*") || Is(a, "%") || Is(b, "%")) return adjacent ? 0 : 1;
    return 1;
  }

  const Frame* NearestBody() const {
    for (size_t k = stack_.size(); k-- > 0;) {
      if (stack_[k].body) return &stack_[k];
    }
    return nullptr;
  }

  // Inside the expression of a YARA `condition:`.
  bool InCondition() const {
    for (size_t k = stack_.size(); k-- > 0;) {
      if (stack_[k].body) return stack_[k].member_condition && stack_[k].member_separated;
    }
    return false;
  }

  // ---- wrapping ---------------------------------------------------------------

  // After a comma: does the next item still fit on this line?
  bool WrapBefore(size_t i) const {
    int width = 0;
    size_t depth = 0;
    for (size_t j = i; j < tokens_.size(); ++j) {
      const SourceToken& t = tokens_[j];
      if (IsComment(t) || (j > i && newlines_[j] > 0)) break;
      if (j > i) width += SpacesBetween(j - 1, j);
      width += FirstLineWidth(t.text);
      if (IsOpener(t)) ++depth;
      if (IsCloser(t)) {
        if (depth == 0) break;
        --depth;
      }
      if (depth == 0 && Is(t, ",")) break;
      if (t.text.find('\n') != std::string_view::npos) break;
    }
    if (column_ + 1 + width <= kMaxColumns) return false;
    // Only worth it if the item then starts further left.
    return ContinuationIndent() < column_;
  }

  int ContinuationIndent() const {
    if (stack_.empty()) return kContinuation;
    const Frame& f = stack_.back();
    if (!f.body) return InnerIndent(f);
    return MemberContinuation(f);
  }

  // The width of tokens [from, to] written on one line.
  int OneLineWidth(size_t from, size_t to) const {
    int width = FirstLineWidth(tokens_[from].text);
    for (size_t j = from + 1; j <= to; ++j) {
      width += SpacesBetween(j - 1, j) + FirstLineWidth(tokens_[j].text);
    }
    return width;
  }

  // ---- facts about the source -------------------------------------------------

  uint32_t LineStart(uint32_t offset) const {
    size_t nl = text_.rfind('\n', offset == 0 ? 0 : offset - 1);
    return nl == std::string_view::npos || offset == 0 ? 0 : static_cast<uint32_t>(nl + 1);
  }

  bool HasNewline(uint32_t from, uint32_t to) const {
    return text_.substr(from, to - from).find('\n') != std::string_view::npos;
  }

  // Nothing but comments follows the bracket on its line.
  bool LastOnLine(size_t i) const {
    for (size_t j = i + 1; j < tokens_.size(); ++j) {
      if (newlines_[j] > 0) return true;
      if (tokens_[j].cls == TokenClass::kLineComment) return true;
      if (!IsComment(tokens_[j])) return false;
    }
    return true;
  }

  // `{` opens an object value after `:`, `,`, `[`, `(` or `=`; a body otherwise.
  bool IsBodyBrace(size_t i) const {
    for (size_t j = i; j-- > 0;) {
      const SourceToken& t = tokens_[j];
      if (IsComment(t)) continue;
      return !(Is(t, ":") || Is(t, ",") || Is(t, "[") || Is(t, "(") || Is(t, "=") || Is(t, "{"));
    }
    return true;
  }

  // ---- output -----------------------------------------------------------------

  std::string Render() {
    AlignTrailingComments();
    std::string out(bom_);
    for (size_t k = 0; k < lines_.size(); ++k) {
      const Line& line = lines_[k];
      if (k > 0) out.append(static_cast<size_t>(line.blank_before), '\n');
      if (!line.code.empty()) out.append(static_cast<size_t>(line.indent), ' ');
      out += line.code;
      if (!line.comment.empty()) out += line.comment;
      out += '\n';
    }
    return out;
  }

  // A trailing comment follows its code after two spaces; comments of
  // consecutive lines that the user aligned stay aligned.
  void AlignTrailingComments() {
    for (Line& line : lines_) {
      if (!line.comment.empty()) line.comment = "  " + line.comment;
    }
    size_t k = 0;
    while (k < lines_.size()) {
      size_t end = k;
      while (
          end < lines_.size() && !lines_[end].comment.empty() &&
          (end == k || (lines_[end].blank_before == 0 &&
                        lines_[end].original_comment_column == lines_[k].original_comment_column &&
                        lines_[end - 1].code.find('\n') == std::string::npos))) {
        ++end;
      }
      if (end - k >= 2) {
        int column = 0;
        for (size_t m = k; m < end; ++m) column = std::max(column, CodeWidth(lines_[m]));
        for (size_t m = k; m < end; ++m) {
          int pad = column - CodeWidth(lines_[m]) + 2;
          lines_[m].comment =
              std::string(static_cast<size_t>(pad), ' ') + lines_[m].comment.substr(2);
        }
      }
      k = end > k ? end : k + 1;
    }
  }

  static int CodeWidth(const Line& line) {
    size_t nl = line.code.rfind('\n');
    if (nl != std::string::npos) return Width(std::string_view(line.code).substr(nl + 1));
    return line.indent + Width(line.code);
  }

  // Remembers whether a `-` is unary (no operand before it) or binary.
  void NoteMinus(size_t i) {
    size_t p = prev_;
    bool operand =
        p != kNone &&
        ((tokens_[p].cls == TokenClass::kWord && !IsOperatorWord(tokens_[p].text)) ||
         tokens_[p].cls == TokenClass::kNumber || tokens_[p].cls == TokenClass::kString ||
         tokens_[p].cls == TokenClass::kSigil || tokens_[p].cls == TokenClass::kBackquoted ||
         Is(tokens_[p], ")") || Is(tokens_[p], "]"));
    if (!operand) unary_minus_.insert(i);
  }

  std::string_view text_;
  const std::vector<SourceToken>& tokens_;
  const LayoutMarks& marks_;
  std::string_view bom_;
  std::vector<int> newlines_;
  std::vector<size_t> match_;
  std::vector<Line> lines_;
  std::vector<Frame> stack_;
  std::unordered_set<size_t> unary_minus_;
  std::unordered_map<size_t, int> equals_pad_;  // token index of a string's `=` -> spaces before
  size_t prev_ = kNone;                         // the last code token placed
  size_t capture_value_ = kNone;
  size_t capture_align_ = kNone;
  int column_ = 0;
  bool break_next_ = false;
  bool last_was_comment_ = false;  // the token placed last was an inline comment
  bool refill_ = false;            // filling the rest of a wrapped list
  size_t refill_depth_ = 0;
  bool closed_top_ = false;
  TopItem top_ = TopItem::kNone;
};

}  // namespace

std::string LayOut(std::string_view text, const std::vector<SourceToken>& tokens,
                   const LayoutMarks& marks) {
  Layouter layouter(text, tokens, marks);
  return layouter.Run();
}

}  // namespace ward::format
