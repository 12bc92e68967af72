#include "compiler/eval/predicate.h"

#include <fmt/format.h>

#include <cmath>

#include "compiler/eval/event_fields.h"
#include "compiler/eval/event_view.h"
#include "compiler/eval/value_encoding.h"

namespace ward::eval {
namespace {

using Mod = ir::SigmaModifier;

// Beyond this many alternatives per value (windash before an encoding,
// placeholders with many values) the rule is refused rather than slow.
constexpr size_t kMaxAlternatives = 4096;

bool IsTransformation(Mod m) {
  switch (m) {
    case Mod::kExpand:
    case Mod::kWindash:
    case Mod::kBase64:
    case Mod::kBase64Offset:
    case Mod::kUtf16le:
    case Mod::kUtf16be:
    case Mod::kUtf16:
    case Mod::kWide:
      return true;
    default:
      return false;
  }
}

bool IsEncoding(Mod m) { return IsTransformation(m) && m != Mod::kExpand && m != Mod::kWindash; }

std::string DisplayValue(const ir::SigmaValue& value) {
  switch (value.kind) {
    case ir::SigmaValue::Kind::kString: {
      std::string text;
      for (char c : value.text) {
        if (!value.wildcards && (c == '*' || c == '?')) text += '\\';
        if (c == '\'') text += '\'';
        text += c;
      }
      return "'" + text + "'";
    }
    case ir::SigmaValue::Kind::kInteger:
      return std::to_string(value.integer);
    case ir::SigmaValue::Kind::kFloat:
      return nlohmann::json(value.real).dump();
    case ir::SigmaValue::Kind::kBool:
      return value.boolean ? "true" : "false";
    case ir::SigmaValue::Kind::kNull:
      return "null";
  }
  return "?";
}

template <class View>
void Flatten(const View& view, typename View::Node node, std::vector<typename View::Node>& out,
             int depth) {
  if (view.IsArray(node) && depth < 32) {
    view.ForEachChild(node,
                      [&](typename View::Node element) { Flatten(view, element, out, depth + 1); });
    return;
  }
  out.push_back(node);
}

template <class View>
void CollectStrings(const View& view, typename View::Node node,
                    std::vector<typename View::Node>& out, int depth) {
  if (depth > 64) return;
  if (view.IsString(node)) {
    out.push_back(node);
  } else if (view.IsObject(node) || view.IsArray(node)) {
    view.ForEachChild(
        node, [&](typename View::Node child) { CollectStrings(view, child, out, depth + 1); });
  }
}

// Splits an `expand` value into literal runs and placeholder names.
struct Piece {
  bool placeholder = false;
  std::string text;  // literal text in the value's own syntax, or the name
};

std::vector<Piece> SplitPlaceholders(const std::string& text, bool wildcards) {
  std::vector<Piece> pieces(1);
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\\' && i + 1 < text.size() && text[i + 1] == '%') {
      pieces.back().text += '%';
      ++i;
      continue;
    }
    if (c == '\\' && i + 1 < text.size() && text[i + 1] == '\\' && !wildcards) {
      pieces.back().text += '\\';
      ++i;
      continue;
    }
    if (c == '%') {
      size_t close = text.find('%', i + 1);
      if (close != std::string::npos && close > i + 1) {
        pieces.push_back({true, text.substr(i + 1, close - i - 1)});
        pieces.push_back({});
        i = close;
        continue;
      }
    }
    pieces.back().text += c;
  }
  return pieces;
}

int TimePartOf(const CivilTime& t, int part) {
  switch (part) {
    case 0:
      return t.minute;
    case 1:
      return t.hour;
    case 2:
      return t.day;
    case 3:
      return IsoWeek(t.year, t.month, t.day);
    case 4:
      return t.month;
    default:
      return t.year;
  }
}

// Fills the case-folded text of each value an Eval looks at, on first use.
template <class View>
void FillFolded(const View& view, const std::vector<typename View::Node>& found,
                FoldedTexts& folded) {
  if (folded.texts.size() < found.size()) folded.texts.resize(found.size());
  std::string text;
  for (size_t i = 0; i < found.size(); ++i) {
    folded.texts[i].clear();
    if (view.IsString(found[i])) {
      AppendFolded(view.String(found[i]), folded.texts[i]);
    } else if (view.Text(found[i], text)) {
      AppendFolded(text, folded.texts[i]);
    }
  }
  folded.ready = true;
}

template <class View>
FoldedTexts& ThreadFoldedSubjects() {
  thread_local FoldedTexts subjects;
  return subjects;
}

// Everything the compiled predicate depends on, so that two predicates with
// the same key give the same verdict on every event. `expand` also depends on
// the placeholders' values: such predicates get no key (no shared verdict).
std::string CanonicalKey(const ir::SigmaExpr& leaf) {
  std::string key = leaf.field;
  key += '\0';
  for (Mod m : leaf.modifiers) {
    if (m == Mod::kExpand) return {};
    key += std::to_string(static_cast<int>(m));
    key += ',';
  }
  for (const ir::SigmaValue& v : leaf.values) {
    key += '\0';
    key += static_cast<char>('0' + static_cast<int>(v.kind));
    switch (v.kind) {
      case ir::SigmaValue::Kind::kString:
        key += v.wildcards ? 'w' : 'l';
        key += std::to_string(v.text.size());
        key += ':';
        key += v.text;
        break;
      case ir::SigmaValue::Kind::kInteger:
        key += std::to_string(v.integer);
        break;
      case ir::SigmaValue::Kind::kFloat:
        key += fmt::format("{}", v.real);
        break;
      case ir::SigmaValue::Kind::kBool:
        key += v.boolean ? 't' : 'f';
        break;
      case ir::SigmaValue::Kind::kNull:
        break;
    }
  }
  return key;
}

std::string Truncated(std::string text) {
  constexpr size_t kMax = 200;
  if (text.size() <= kMax) return text;
  size_t cut = kMax;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut) + "...";
}

}  // namespace

std::unique_ptr<Predicate> Predicate::Compile(const ir::SigmaExpr& leaf, const EvalOptions& options,
                                              EvalError& error) {
  std::unique_ptr<Predicate> p(new Predicate());
  p->field_ = leaf.field;
  p->field_id_ = InternField(leaf.field);
  if (std::string key = CanonicalKey(leaf); !key.empty()) p->verdict_id_ = InternPredicate(key);
  p->span_ = leaf.span;
  p->keyword_ = leaf.field.empty();
  bool has_time = false, fieldref = false;
  std::vector<std::string> mod_names;
  for (Mod m : leaf.modifiers) {
    mod_names.emplace_back(ir::SigmaModifierName(m));
    switch (m) {
      case Mod::kContains:
        p->text_op_ = TextOp::kContains;
        break;
      case Mod::kStartsWith:
        p->text_op_ = TextOp::kStartsWith;
        break;
      case Mod::kEndsWith:
        p->text_op_ = TextOp::kEndsWith;
        break;
      case Mod::kAll:
        p->all_ = true;
        break;
      case Mod::kExists:
        p->mode_ = Mode::kExists;
        break;
      case Mod::kCased:
        p->cased_ = true;
        break;
      case Mod::kNeq:
        p->neq_ = true;
        break;
      case Mod::kRe:
        p->mode_ = Mode::kRegex;
        break;
      case Mod::kReI:
        p->regex_flags_.caseless = true;
        break;
      case Mod::kReM:
        p->regex_flags_.multiline = true;
        break;
      case Mod::kReS:
        p->regex_flags_.dotall = true;
        break;
      case Mod::kLt:
        p->op_ = Op::kLt;
        break;
      case Mod::kLte:
        p->op_ = Op::kLte;
        break;
      case Mod::kGt:
        p->op_ = Op::kGt;
        break;
      case Mod::kGte:
        p->op_ = Op::kGte;
        break;
      case Mod::kMinute:
        p->part_ = Part::kMinute;
        has_time = true;
        break;
      case Mod::kHour:
        p->part_ = Part::kHour;
        has_time = true;
        break;
      case Mod::kDay:
        p->part_ = Part::kDay;
        has_time = true;
        break;
      case Mod::kWeek:
        p->part_ = Part::kWeek;
        has_time = true;
        break;
      case Mod::kMonth:
        p->part_ = Part::kMonth;
        has_time = true;
        break;
      case Mod::kYear:
        p->part_ = Part::kYear;
        has_time = true;
        break;
      case Mod::kCidr:
        p->mode_ = Mode::kCidr;
        break;
      case Mod::kFieldref:
        fieldref = true;
        break;
      default:
        p->transformations_.push_back(m);
        if (IsEncoding(m)) p->encoded_ = true;
        break;
    }
  }
  if (has_time) p->mode_ = Mode::kTimePart;
  if (fieldref) p->mode_ = Mode::kFieldref;

  std::vector<std::string> shown;
  for (const ir::SigmaValue& value : leaf.values) shown.push_back(DisplayValue(value));
  std::string key =
      p->keyword_
          ? (mod_names.empty() ? "keywords"
                               : "'|" + fmt::format("{}", fmt::join(mod_names, "|")) + "'")
          : leaf.field +
                (mod_names.empty() ? "" : "|" + fmt::format("{}", fmt::join(mod_names, "|")));
  p->sigma_text_ =
      key + ": " +
      (shown.size() == 1 ? shown[0] : "[" + fmt::format("{}", fmt::join(shown, ", ")) + "]");

  auto fail = [&](std::string message, Span span) {
    error.message = std::move(message);
    error.span = span.valid() ? span : leaf.span;
    return nullptr;
  };
  if (leaf.values.empty()) return fail("the predicate has no values", leaf.span);
  if (p->mode_ == Mode::kExists) {
    const ir::SigmaValue& value = leaf.values.front();
    if (value.kind == ir::SigmaValue::Kind::kBool) {
      p->exists_wanted_ = value.boolean;
    } else if (value.kind == ir::SigmaValue::Kind::kString &&
               (value.text == "true" || value.text == "false")) {
      p->exists_wanted_ = value.text == "true";
    } else {
      return fail("`exists` takes `true` or `false`", value.span);
    }
    return p;
  }
  if (p->keyword_ &&
      (p->mode_ == Mode::kCidr || p->mode_ == Mode::kTimePart || p->mode_ == Mode::kFieldref)) {
    return fail("a keyword search cannot use this modifier", leaf.span);
  }
  for (const ir::SigmaValue& value : leaf.values) {
    if (!p->CompileValue(value, options, error)) {
      if (!error.span.valid()) error.span = value.span.valid() ? value.span : leaf.span;
      return nullptr;
    }
  }
  p->CompileLiterals();
  return p;
}

void Predicate::CompileLiterals() {
  if (mode_ != Mode::kCompare || keyword_) return;
  std::vector<Literal> literals;
  std::string bytes;
  for (const Value& value : values_) {
    std::string_view text;
    Literal literal;
    if (value.kind != Value::Kind::kText || value.globs.size() != 1 ||
        !value.globs[0].OneLiteral(&text, &literal.anchored_start, &literal.anchored_end)) {
      return;
    }
    literal.fold = value.globs[0].folded();
    literal.offset = static_cast<uint32_t>(bytes.size());
    literal.size = static_cast<uint32_t>(text.size());
    bytes.append(text);
    literals.push_back(literal);
  }
  literals_ = std::move(literals);
  literal_bytes_ = std::move(bytes);
}

// The verdict MatchValueIn gives for the same values, literal by literal:
// Glob::Match on one literal segment is equality, a prefix, a suffix or a
// substring test, by its anchors.
bool Predicate::MatchLiterals(const FlatEvent& event, FieldMemo& memo) const {
  const FlatView view{&event};
  const std::vector<const FlatNode*>& found = memo.values;
  std::string text;
  for (const Literal& literal : literals_) {
    const std::string_view wanted(literal_bytes_.data() + literal.offset, literal.size);
    bool matched = false;
    for (size_t i = 0; i < found.size() && !matched; ++i) {
      const FlatNode* node = found[i];
      std::string_view subject;
      if (literal.fold) {
        if (node->type == FlatNode::Type::kNull || node->type == FlatNode::Type::kArray ||
            node->type == FlatNode::Type::kObject) {
          continue;  // no text
        }
        if (!memo.folded.ready) FillFolded(view, found, memo.folded);
        subject = memo.folded.texts[i];
      } else if (view.IsString(node)) {
        subject = view.String(node);
      } else if (view.Text(node, text)) {
        subject = text;
      } else {
        continue;
      }
      if (subject.size() < wanted.size()) continue;
      if (literal.anchored_start && literal.anchored_end) {
        matched = subject == wanted;
      } else if (literal.anchored_start) {
        matched = subject.compare(0, wanted.size(), wanted) == 0;
      } else if (literal.anchored_end) {
        matched = subject.compare(subject.size() - wanted.size(), wanted.size(), wanted) == 0;
      } else {
        matched = subject.find(wanted) != std::string_view::npos;
      }
    }
    matched = matched != neq_;
    if (all_ && !matched) return false;
    if (!all_ && matched) return true;
  }
  return all_;
}

bool Predicate::CompileValue(const ir::SigmaValue& value, const EvalOptions& options,
                             EvalError& error) {
  using Kind = ir::SigmaValue::Kind;
  Value out;
  switch (mode_) {
    case Mode::kRegex: {
      if (value.kind != Kind::kString) {
        error.message = "a regular expression must be a string";
        return false;
      }
      std::string message;
      out.regex = Regex::Compile(value.text, regex_flags_, message);
      if (!out.regex) {
        error.message = fmt::format("invalid regular expression `{}`: {}", value.text, message);
        return false;
      }
      break;
    }
    case Mode::kCidr:
      if (value.kind != Kind::kString || !(out.network = ParseNetwork(value.text))) {
        error.message = fmt::format("`{}` is not an IPv4 or IPv6 network", DisplayValue(value));
        return false;
      }
      break;
    case Mode::kFieldref:
      if (value.kind != Kind::kString || value.text.empty()) {
        error.message = "`fieldref` needs a field name";
        return false;
      }
      out.field = value.text;
      break;
    case Mode::kTimePart:
      if (value.kind == Kind::kInteger || value.kind == Kind::kFloat) {
        out.kind = Value::Kind::kNumber;
        out.number = value.kind == Kind::kInteger ? static_cast<double>(value.integer) : value.real;
      } else if (value.kind == Kind::kString && ValueNumber(nlohmann::json(value.text))) {
        out.kind = Value::Kind::kNumber;
        out.number = *ValueNumber(nlohmann::json(value.text));
      } else {
        error.message = "a time modifier compares with a number";
        return false;
      }
      break;
    case Mode::kCompare: {
      const bool numeric_op = op_ != Op::kEq;
      if (numeric_op) {
        std::optional<double> number;
        if (value.kind == Kind::kInteger) number = static_cast<double>(value.integer);
        if (value.kind == Kind::kFloat) number = value.real;
        if (value.kind == Kind::kString) number = ValueNumber(nlohmann::json(value.text));
        if (!number) {
          error.message = fmt::format("`{}` is not a number to compare with", DisplayValue(value));
          return false;
        }
        out.kind = Value::Kind::kNumber;
        out.number = *number;
        break;
      }
      const bool text_context =
          keyword_ || text_op_ != TextOp::kEquals || !transformations_.empty();
      switch (value.kind) {
        case Kind::kString:
          values_.emplace_back();
          return CompileText(value.text, value.wildcards, options, error);
        case Kind::kInteger:
        case Kind::kFloat:
          if (text_context) {
            values_.emplace_back();
            return CompileText(DisplayValue(value), false, options, error);
          }
          out.kind = Value::Kind::kNumber;
          out.number =
              value.kind == Kind::kInteger ? static_cast<double>(value.integer) : value.real;
          break;
        case Kind::kBool:
          if (text_context) {
            values_.emplace_back();
            return CompileText(DisplayValue(value), false, options, error);
          }
          out.kind = Value::Kind::kBool;
          out.boolean = value.boolean;
          break;
        case Kind::kNull:
          if (text_context) {
            error.message = "`null` cannot be matched as text";
            return false;
          }
          out.kind = Value::Kind::kNull;
          break;
      }
      break;
    }
    case Mode::kExists:
      break;
  }
  values_.push_back(std::move(out));
  return true;
}

// Transformations in the order written, then the comparison's wildcards.
// The Value was already appended to values_ (its globs are filled here).
bool Predicate::CompileText(const std::string& text, bool wildcards, const EvalOptions& options,
                            EvalError& error) {
  std::vector<Pattern> patterns;
  bool expand = false;
  for (Mod m : transformations_) expand = expand || m == Mod::kExpand;
  if (expand) {
    patterns.emplace_back();
    for (const Piece& piece : SplitPlaceholders(text, wildcards)) {
      if (!piece.placeholder) {
        Pattern literal = wildcards ? ParseWildcards(piece.text) : LiteralPattern(piece.text);
        for (Pattern& p : patterns) AppendPattern(p, literal);
        continue;
      }
      auto it = options.placeholders.find(piece.text);
      if (it == options.placeholders.end() || it->second.empty()) {
        error.message = fmt::format("placeholder `%{}%` has no value", piece.text);
        return false;
      }
      if (patterns.size() * it->second.size() > kMaxAlternatives) {
        error.message = fmt::format("placeholder `%{}%` expands to too many values", piece.text);
        return false;
      }
      std::vector<Pattern> next;
      for (const Pattern& p : patterns) {
        for (const std::string& replacement : it->second) {
          Pattern q = p;
          AppendPattern(q, ParseWildcards(replacement));
          next.push_back(std::move(q));
        }
      }
      patterns = std::move(next);
    }
  } else {
    patterns.push_back(wildcards ? ParseWildcards(text) : LiteralPattern(text));
  }

  for (size_t t = 0; t < transformations_.size(); ++t) {
    Mod m = transformations_[t];
    if (m == Mod::kExpand) continue;
    if (m == Mod::kWindash) {
      bool encoded_later = false;
      for (size_t k = t + 1; k < transformations_.size(); ++k) {
        encoded_later = encoded_later || IsEncoding(transformations_[k]);
      }
      std::vector<Pattern> next;
      for (const Pattern& p : patterns) {
        if (!encoded_later) {
          next.push_back(WithDashClasses(p));
          continue;
        }
        std::string literal;
        if (!PatternText(p, &literal)) {
          error.message = "cannot encode a value that contains wildcards";
          return false;
        }
        std::vector<std::string> variants;
        if (!WindashPermutations(literal, kMaxAlternatives, variants)) {
          error.message = "`windash` before an encoding gives too many variants";
          return false;
        }
        for (const std::string& v : variants) next.push_back(LiteralPattern(v));
      }
      patterns = std::move(next);
      continue;
    }
    std::vector<Pattern> next;
    for (const Pattern& p : patterns) {
      std::string bytes;
      if (!PatternText(p, &bytes)) {
        error.message = fmt::format("cannot apply `{}` to a value that contains wildcards",
                                    ir::SigmaModifierName(m));
        return false;
      }
      switch (m) {
        case Mod::kUtf16le:
        case Mod::kWide:
          next.push_back(LiteralPattern(EncodeUtf16(bytes, false, false)));
          break;
        case Mod::kUtf16be:
          next.push_back(LiteralPattern(EncodeUtf16(bytes, true, false)));
          break;
        case Mod::kUtf16:
          next.push_back(LiteralPattern(EncodeUtf16(bytes, false, true)));
          break;
        case Mod::kBase64:
          next.push_back(LiteralPattern(EncodeBase64(bytes)));
          break;
        case Mod::kBase64Offset:
          for (const std::string& e : EncodeBase64Offsets(bytes)) next.push_back(LiteralPattern(e));
          break;
        default:
          break;
      }
    }
    patterns = std::move(next);
  }

  TextOp op = text_op_;
  if (keyword_ && op == TextOp::kEquals) op = TextOp::kContains;  // full-text search
  const Pattern star = {{Token::Kind::kAnyRun, {}}};
  // Encoded text (base64) is case-significant; everything else follows
  // Sigma's default of case-insensitive matching unless `cased`.
  const bool fold = !cased_ && !encoded_;
  Value& out = values_.back();
  out.kind = Value::Kind::kText;
  for (const Pattern& p : patterns) {
    Pattern full;
    if (op == TextOp::kContains || op == TextOp::kEndsWith) full = star;
    AppendPattern(full, p);
    if (op == TextOp::kContains || op == TextOp::kStartsWith) AppendPattern(full, star);
    out.globs.emplace_back(full, fold);
  }
  return true;
}

template <class View>
void Predicate::CollectIn(const View& view, typename View::Node root,
                          std::vector<typename View::Node>& out) const {
  if (keyword_) {
    CollectStrings(view, root, out, 0);
    return;
  }
  const size_t start = out.size();
  ResolveIn(view, root, field_, out, 0);
  // Arrays are searched element by element.
  bool arrays = false;
  for (size_t i = start; i < out.size(); ++i) arrays = arrays || view.IsArray(out[i]);
  if (!arrays) return;
  std::vector<typename View::Node> flat;
  for (size_t i = start; i < out.size(); ++i) Flatten(view, out[i], flat, 0);
  out.resize(start);
  out.insert(out.end(), flat.begin(), flat.end());
}

bool Predicate::Eval(const nlohmann::json& event) const { return EvalIn(JsonView{}, &event); }

bool Predicate::Eval(const FlatEvent& event) const {
  if (verdict_id_ == kNoVerdictId) return EvalFlat(event);
  if (const bool* cached = event.CachedVerdict(verdict_id_)) return *cached;
  bool verdict = EvalFlat(event);
  event.CacheVerdict(verdict_id_, verdict);
  return verdict;
}

bool Predicate::EvalFlat(const FlatEvent& event) const {
  const FlatView view{&event};
  if (keyword_) return EvalIn(view, event.root());
  // The field's values and their folded text, shared by every rule that
  // reads the field: the same as CollectIn and FillFolded give, once.
  FieldMemo& memo = event.Memo(field_id_);
  if (memo.generation != event.generation()) {
    memo.values.clear();
    ResolveIn(view, event.root(), field_, memo.values, 0);
    memo.resolved = memo.values.size();
    bool arrays = false;
    for (const FlatNode* node : memo.values) arrays = arrays || view.IsArray(node);
    if (arrays) {
      std::vector<const FlatNode*> flat;
      for (const FlatNode* node : memo.values) Flatten(view, node, flat, 0);
      memo.values = std::move(flat);
    }
    memo.folded.ready = false;
    memo.generation = event.generation();
  }
  if (mode_ == Mode::kExists) return (memo.resolved != 0) == exists_wanted_;
  if (!literals_.empty()) return MatchLiterals(event, memo);
  for (const Value& value : values_) {
    bool matched = MatchValueIn(view, value, memo.values, event.root(), memo.folded) != neq_;
    if (all_ && !matched) return false;
    if (!all_ && matched) return true;
  }
  return all_;
}

template <class View>
bool Predicate::EvalIn(const View& view, typename View::Node root) const {
  // Reused per thread: Eval runs once per predicate per event, and is never
  // re-entered (fieldref keeps its own vectors).
  thread_local std::vector<typename View::Node> found;
  found.clear();
  if (mode_ == Mode::kExists) {
    ResolveIn(view, root, field_, found, 0);
    return !found.empty() == exists_wanted_;
  }
  CollectIn(view, root, found);
  FoldedTexts& folded = ThreadFoldedSubjects<View>();
  folded.ready = false;
  for (const Value& value : values_) {
    bool matched = MatchValueIn(view, value, found, root, folded) != neq_;
    if (all_ && !matched) return false;
    if (!all_ && matched) return true;
  }
  return all_;
}

template <class View>
bool Predicate::MatchValueIn(const View& view, const Value& value,
                             const std::vector<typename View::Node>& found,
                             typename View::Node root, FoldedTexts& cache) const {
  auto compare = [this](double actual, double wanted) {
    switch (op_) {
      case Op::kEq:
        return actual == wanted;
      case Op::kLt:
        return actual < wanted;
      case Op::kLte:
        return actual <= wanted;
      case Op::kGt:
        return actual > wanted;
      case Op::kGte:
        return actual >= wanted;
    }
    return false;
  };
  std::string text;
  switch (mode_) {
    case Mode::kExists:
      return false;
    case Mode::kFieldref:
      return MatchFieldrefIn(view, value, found, root);
    case Mode::kRegex:
      for (auto node : found) {
        if (view.IsString(node)) {
          if (value.regex->Search(view.String(node))) return true;
        } else if (view.Text(node, text) && value.regex->Search(text)) {
          return true;
        }
      }
      return false;
    case Mode::kCidr:
      for (auto node : found) {
        if (!view.IsString(node)) continue;
        auto address = ParseIp(view.String(node));
        if (address && value.network->Contains(*address)) return true;
      }
      return false;
    case Mode::kTimePart:
      for (auto node : found) {
        auto time = ValueCivilTimeIn(view, node);
        if (time && compare(TimePartOf(*time, static_cast<int>(part_)), value.number)) return true;
      }
      return false;
    case Mode::kCompare:
      break;
  }
  switch (value.kind) {
    case Value::Kind::kNull:
      for (auto node : found) {
        if (!view.IsNull(node)) return false;
      }
      return true;
    case Value::Kind::kNumber:
      for (auto node : found) {
        auto number = ValueNumberIn(view, node);
        if (number && compare(*number, value.number)) return true;
      }
      return false;
    case Value::Kind::kBool:
      for (auto node : found) {
        if (view.IsBool(node) && view.Bool(node) == value.boolean) return true;
        if (view.IsString(node) &&
            Folded(view.String(node)) == (value.boolean ? "true" : "false")) {
          return true;
        }
      }
      return false;
    case Value::Kind::kText: {
      // The folded subjects are computed once per Eval (or event), for all values.
      for (size_t i = 0; i < found.size(); ++i) {
        auto node = found[i];
        std::string_view subject;
        if (view.IsString(node)) {
          subject = view.String(node);  // no copy for the common case
        } else if (view.Text(node, text)) {
          subject = text;
        } else {
          continue;
        }
        for (const Glob& glob : value.globs) {
          if (glob.folded()) {
            if (!cache.ready) FillFolded(view, found, cache);
            if (glob.Match(cache.texts[i])) return true;
          } else if (glob.Match(subject)) {
            return true;
          }
        }
      }
      return false;
    }
  }
  return false;
}

template <class View>
bool Predicate::MatchFieldrefIn(const View& view, const Value& value,
                                const std::vector<typename View::Node>& found,
                                typename View::Node root) const {
  std::vector<typename View::Node> others_raw, others;
  ResolveIn(view, root, value.field, others_raw, 0);
  for (auto node : others_raw) Flatten(view, node, others, 0);
  std::string a, b;
  for (auto left : found) {
    if (!view.Text(left, a)) continue;
    if (!cased_) a = Folded(a);
    for (auto right : others) {
      if (view.IsNumber(left) && view.IsNumber(right) && text_op_ == TextOp::kEquals) {
        if (view.Double(left) == view.Double(right)) return true;
        continue;
      }
      if (!view.Text(right, b)) continue;
      if (!cased_) b = Folded(b);
      switch (text_op_) {
        case TextOp::kEquals:
          if (a == b) return true;
          break;
        case TextOp::kContains:
          if (a.find(b) != std::string::npos) return true;
          break;
        case TextOp::kStartsWith:
          if (a.compare(0, b.size(), b) == 0 && a.size() >= b.size()) return true;
          break;
        case TextOp::kEndsWith:
          if (a.size() >= b.size() && a.compare(a.size() - b.size(), b.size(), b) == 0) return true;
          break;
      }
    }
  }
  return false;
}

std::string Predicate::Actual(const nlohmann::json& event) const {
  if (keyword_) return "(every string of the event)";
  std::vector<const nlohmann::json*> found;
  ResolveField(event, field_, found);
  if (found.empty()) return "(missing)";
  std::vector<std::string> parts;
  for (const nlohmann::json* node : found) {
    parts.push_back(
        Truncated(node->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)));
  }
  std::string out = fmt::format("{}", fmt::join(parts, ", "));
  if (mode_ == Mode::kFieldref) {
    const nlohmann::json* other = FindField(event, values_.front().field);
    out += fmt::format(
        " vs {} = {}", values_.front().field,
        other ? Truncated(other->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace))
              : "(missing)");
  }
  return out;
}

}  // namespace ward::eval
