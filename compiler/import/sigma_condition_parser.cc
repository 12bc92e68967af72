#include "compiler/import/sigma_condition_parser.h"

#include <cctype>

#include <fmt/format.h>

#include "compiler/support/text_util.h"

namespace ward::import {

bool MatchesIdentifierPattern(std::string_view pattern, std::string_view name) {
  // Iterative glob with backtracking to the last `*`.
  size_t p = 0, n = 0, star = std::string_view::npos, mark = 0;
  while (n < name.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = n;
    } else if (p < pattern.size() && pattern[p] == name[n]) {
      ++p;
      ++n;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      n = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

namespace {

constexpr int kMaxDepth = 200;

struct Token {
  enum class Kind { kWord, kOpen, kClose, kPipe, kEnd, kBad };
  Kind kind = Kind::kEnd;
  std::string text;
  size_t pos = 0;
};

bool IsWordChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-' || c == '.' ||
         c == '*';
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

class Parser {
 public:
  Parser(const ConditionSource& source, const std::vector<std::string>& identifiers,
         std::vector<bool>& used, DiagnosticEngine& diags)
      : src_(source), ids_(identifiers), used_(used), diags_(diags) {
    Tokenize();
  }

  ir::SigmaExprPtr Run() {
    if (failed_) return nullptr;
    if (tokens_[0].kind == Token::Kind::kEnd) {
      Error(DiagCode::kSigmaConditionSyntax, 0, 1, "the condition is empty",
            "write which search identifiers must match, e.g. `selection and not filter`");
      return nullptr;
    }
    ir::SigmaExprPtr expr = Or(0);
    if (failed_) return nullptr;
    const Token& rest = Peek();
    if (rest.kind == Token::Kind::kPipe) {
      Error(DiagCode::kSigmaLegacyAggregation, rest.pos, src_.text.size() - rest.pos,
            fmt::format("`{}` is a Sigma 1 aggregation, which Sigma 2 replaced by correlation "
                        "rules",
                        std::string(src_.text.substr(rest.pos))),
            "keep the part before `|` as the rule's condition and express the aggregation as a "
            "correlation rule (event_count, value_count, temporal) that names this rule");
      return nullptr;
    }
    if (rest.kind != Token::Kind::kEnd) {
      Error(DiagCode::kSigmaConditionSyntax, rest.pos, rest.text.size(),
            fmt::format("unexpected `{}` after a complete condition", rest.text),
            "join the parts with `and` or `or`");
      return nullptr;
    }
    return expr;
  }

 private:
  void Tokenize() {
    std::string_view t = src_.text;
    size_t i = 0;
    while (i < t.size()) {
      char c = t[i];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        ++i;
      } else if (c == '(' || c == ')') {
        tokens_.push_back({c == '(' ? Token::Kind::kOpen : Token::Kind::kClose, std::string(1, c),
                           i});
        ++i;
      } else if (c == '|') {
        tokens_.push_back({Token::Kind::kPipe, "|", i});
        break;  // everything after a pipe is the legacy aggregation
      } else if (IsWordChar(c)) {
        size_t start = i;
        while (i < t.size() && IsWordChar(t[i])) ++i;
        tokens_.push_back({Token::Kind::kWord, std::string(t.substr(start, i - start)), start});
      } else {
        Error(DiagCode::kSigmaConditionSyntax, i, 1,
              fmt::format("`{}` is not part of Sigma's condition syntax", std::string(1, c)),
              "conditions use search identifiers, `and`, `or`, `not`, parentheses and `1 of` / "
              "`all of` patterns");
        return;
      }
    }
    tokens_.push_back({Token::Kind::kEnd, "", t.size()});
  }

  Span SpanAt(size_t pos, size_t length) const {
    if (!src_.exact) return src_.whole;
    uint32_t begin = src_.base + static_cast<uint32_t>(pos);
    return Span{src_.file, begin, begin + static_cast<uint32_t>(std::max<size_t>(1, length))};
  }

  void Error(DiagCode code, size_t pos, size_t length, std::string message, std::string help) {
    if (failed_) return;
    diags_.Report(Diag(code, SpanAt(pos, length), std::move(message)).Help(std::move(help)));
    failed_ = true;
  }

  const Token& Peek() const { return tokens_[next_]; }
  const Token& Take() { return tokens_[next_ < tokens_.size() - 1 ? next_++ : next_]; }
  bool PeekKeyword(std::string_view word) const {
    return Peek().kind == Token::Kind::kWord && Lower(Peek().text) == word;
  }

  static bool IsKeyword(std::string_view text) {
    std::string lower = Lower(text);
    return lower == "and" || lower == "or" || lower == "not" || lower == "of" ||
           lower == "them";
  }

  ir::SigmaExprPtr Combine(ir::SigmaExpr::Kind kind, std::vector<ir::SigmaExprPtr> parts,
                           size_t pos) {
    if (parts.size() == 1) return std::move(parts[0]);
    auto node = std::make_unique<ir::SigmaExpr>();
    node->kind = kind;
    node->span = SpanAt(pos, 1);
    node->children = std::move(parts);
    return node;
  }

  ir::SigmaExprPtr Or(int depth) {
    size_t pos = Peek().pos;
    std::vector<ir::SigmaExprPtr> parts;
    parts.push_back(And(depth));
    while (!failed_ && PeekKeyword("or")) {
      Take();
      parts.push_back(And(depth));
    }
    if (failed_) return nullptr;
    return Combine(ir::SigmaExpr::Kind::kOr, std::move(parts), pos);
  }

  ir::SigmaExprPtr And(int depth) {
    size_t pos = Peek().pos;
    std::vector<ir::SigmaExprPtr> parts;
    parts.push_back(Not(depth));
    while (!failed_ && PeekKeyword("and")) {
      Take();
      parts.push_back(Not(depth));
    }
    if (failed_) return nullptr;
    return Combine(ir::SigmaExpr::Kind::kAnd, std::move(parts), pos);
  }

  ir::SigmaExprPtr Not(int depth) {
    if (depth > kMaxDepth) {
      Error(DiagCode::kSigmaConditionSyntax, Peek().pos, 1,
            "the condition is nested too deeply",
            fmt::format("use at most {} levels of `not` and parentheses", kMaxDepth));
      return nullptr;
    }
    if (PeekKeyword("not")) {
      size_t pos = Take().pos;
      ir::SigmaExprPtr inner = Not(depth + 1);
      if (failed_) return nullptr;
      auto node = std::make_unique<ir::SigmaExpr>();
      node->kind = ir::SigmaExpr::Kind::kNot;
      node->span = SpanAt(pos, 3);
      node->children.push_back(std::move(inner));
      return node;
    }
    return Atom(depth);
  }

  ir::SigmaExprPtr Atom(int depth) {
    const Token& token = Peek();
    switch (token.kind) {
      case Token::Kind::kOpen: {
        size_t open = Take().pos;
        ir::SigmaExprPtr inner = Or(depth + 1);
        if (failed_) return nullptr;
        if (Peek().kind != Token::Kind::kClose) {
          if (Peek().kind == Token::Kind::kPipe) return inner;  // reported by Run()
          Error(DiagCode::kSigmaConditionSyntax, open, 1, "this parenthesis is never closed",
                "add the missing `)`");
          return nullptr;
        }
        Take();
        return inner;
      }
      case Token::Kind::kWord: break;
      case Token::Kind::kClose:
        Error(DiagCode::kSigmaConditionSyntax, token.pos, 1, "`)` without a matching `(`",
              "remove it or add the opening parenthesis");
        return nullptr;
      case Token::Kind::kPipe:
      case Token::Kind::kEnd:
      case Token::Kind::kBad:
        Error(DiagCode::kSigmaConditionSyntax, token.pos, 1,
              "the condition ends where a search identifier was expected",
              "complete the expression after the last operator");
        return nullptr;
    }
    // A quantifier: `1 of`, `any of`, `all of`, or a number other than 1.
    if (next_ + 1 < tokens_.size() && tokens_[next_ + 1].kind == Token::Kind::kWord &&
        Lower(tokens_[next_ + 1].text) == "of") {
      return Quantified();
    }
    if (IsKeyword(token.text)) {
      Error(DiagCode::kSigmaConditionSyntax, token.pos, token.text.size(),
            fmt::format("`{}` where a search identifier was expected", token.text),
            "put a search identifier (or a parenthesised expression) here");
      return nullptr;
    }
    Take();
    if (token.text.find('*') != std::string::npos) {
      Error(DiagCode::kSigmaConditionSyntax, token.pos, token.text.size(),
            fmt::format("the pattern `{}` needs a quantifier", token.text),
            fmt::format("write `1 of {0}` or `all of {0}`", token.text));
      return nullptr;
    }
    for (size_t i = 0; i < ids_.size(); ++i) {
      if (ids_[i] == token.text) return Ref(i, token.pos, token.text.size());
    }
    auto diag = Diag(DiagCode::kSigmaUndefinedIdentifier, SpanAt(token.pos, token.text.size()),
                     fmt::format("the condition names `{}`, which the detection does not define",
                                 token.text));
    if (auto close = ClosestMatch(token.text, ids_)) {
      diag.Help(fmt::format("did you mean `{}`?", *close));
    } else {
      diag.Help("define it under `detection:` or remove it from the condition");
    }
    if (!failed_) diags_.Report(std::move(diag));
    failed_ = true;
    return nullptr;
  }

  ir::SigmaExprPtr Ref(size_t index, size_t pos, size_t length) {
    used_[index] = true;
    auto node = std::make_unique<ir::SigmaExpr>();
    node->kind = ir::SigmaExpr::Kind::kSelection;
    node->selection = index;
    node->span = SpanAt(pos, length);
    return node;
  }

  ir::SigmaExprPtr Quantified() {
    Token quant = Take();
    Take();  // of
    std::string q = Lower(quant.text);
    bool all = q == "all";
    if (!all && q != "1" && q != "any") {
      Error(DiagCode::kSigmaConditionSyntax, quant.pos, quant.text.size(),
            fmt::format("`{} of` is not a Sigma quantifier", quant.text),
            "Sigma has `1 of` (also written `any of`) and `all of`; for a count of several "
            "identifiers, combine them with `and`/`or`");
      return nullptr;
    }
    const Token& target = Peek();
    if (target.kind != Token::Kind::kWord || (IsKeyword(target.text) &&
                                              Lower(target.text) != "them")) {
      Error(DiagCode::kSigmaConditionSyntax, target.pos, std::max<size_t>(1, target.text.size()),
            fmt::format("`{} of` must be followed by a pattern or `them`", quant.text),
            "write e.g. `1 of selection_*` or `all of them`");
      return nullptr;
    }
    Take();
    bool them = Lower(target.text) == "them";
    std::vector<ir::SigmaExprPtr> refs;
    for (size_t i = 0; i < ids_.size(); ++i) {
      bool match = them ? (ids_[i].empty() || ids_[i][0] != '_')
                        : MatchesIdentifierPattern(target.text, ids_[i]);
      if (match) refs.push_back(Ref(i, target.pos, target.text.size()));
    }
    if (refs.empty()) {
      Error(DiagCode::kSigmaUndefinedIdentifier, target.pos, target.text.size(),
            fmt::format("`{} of {}` matches no search identifier", quant.text, target.text),
            "define an identifier that the pattern matches, or remove this part of the "
            "condition");
      return nullptr;
    }
    return Combine(all ? ir::SigmaExpr::Kind::kAnd : ir::SigmaExpr::Kind::kOr, std::move(refs),
                   quant.pos);
  }

  const ConditionSource& src_;
  const std::vector<std::string>& ids_;
  std::vector<bool>& used_;
  DiagnosticEngine& diags_;
  std::vector<Token> tokens_;
  size_t next_ = 0;
  bool failed_ = false;
};

}  // namespace

ir::SigmaExprPtr ParseSigmaCondition(const ConditionSource& source,
                                     const std::vector<std::string>& identifiers,
                                     std::vector<bool>& used, DiagnosticEngine& diags) {
  used.resize(identifiers.size(), false);
  return Parser(source, identifiers, used, diags).Run();
}

}  // namespace ward::import
