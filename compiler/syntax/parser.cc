// The syntax layer's boundary with ANTLR, and the only file of the project
// that includes ANTLR headers besides source_tokens.cc. It
//   1. checks the raw bytes (size, NUL bytes, UTF-8),
//   2. lexes, reports the lexer's error tokens and bounds the nesting depth,
//   3. parses in two stages (fast SLL that bails out, then LL with recovery),
//      reporting syntax errors as Ward diagnostics,
//   4. converts the parse tree into the AST (ast.h) at once.
// Everything that does not need ANTLR types lives in its own file:
// position_map, string_literal, number_literal, hex_pattern, nesting_tracker
// and syntax_messages (source_tokens.cc runs the lexer alone, for `ward fmt`).
// No exception leaves ParseFile.

#include "compiler/syntax/parser.h"

#include <cstring>
#include <exception>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "WardParser.h"
#include "antlr4-runtime.h"
#include "compiler/support/text_util.h"
#include "compiler/syntax/hex_pattern.h"
#include "compiler/syntax/nesting_tracker.h"
#include "compiler/syntax/number_literal.h"
#include "compiler/syntax/position_map.h"
#include "compiler/syntax/string_literal.h"
#include "compiler/syntax/syntax_messages.h"
#include "compiler/syntax/ward_lexer.h"

namespace ward::syntax {
namespace {

using antlr4::ParserRuleContext;
using antlr4::Token;
using antlr4::tree::ParseTree;
using antlr4::tree::TerminalNode;
using P = ward_generated::WardParser;

constexpr size_t kNoIndex = static_cast<size_t>(-1);  // ANTLR's INVALID_INDEX
constexpr char kDeclHelp[] =
    "a declaration starts with `catalog`, `asset`, `persona`, `threat`, `mitigation`, "
    "`detection` or `filter`";
constexpr char kPackageHelp[] =
    "every Ward file starts with its package, e.g. `package cosai.supply_chain`";

// ---- 1. raw input ------------------------------------------------------------

bool CheckInput(const SourceFile& file, DiagnosticEngine& diags, const ParseOptions& options) {
  std::string_view text = file.text();
  FileId id = file.id();
  // Spans hold 32-bit offsets, whatever the configured limit says.
  size_t limit = std::min<size_t>(options.max_file_bytes, UINT32_MAX);
  if (text.size() > limit) {
    diags.Report(Diag(DiagCode::kInputTooLarge, Span{id, 0, 0},
                      "file is too large: " + std::to_string(text.size()) +
                          " bytes, the limit is " + std::to_string(limit) + " bytes")
                     .Help("split it into several files; a package may span many files"));
    return false;
  }
  if (const void* nul = std::memchr(text.data(), '\0', text.size())) {
    auto at = static_cast<uint32_t>(static_cast<const char*>(nul) - text.data());
    diags.Report(Diag(DiagCode::kInvalidUtf8, Span{id, at, at + 1},
                      "file looks binary: it contains a NUL byte")
                     .Label("NUL byte here")
                     .Help("Ward sources are UTF-8 text; check that this is the file you meant"));
    return false;
  }
  if (std::optional<size_t> bad = FindInvalidUtf8(text)) {
    auto at = static_cast<uint32_t>(*bad);
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(text[*bad]));
    diags.Report(Diag(DiagCode::kInvalidUtf8, Span{id, at, at + 1}, "file is not valid UTF-8")
                     .Label(std::string("invalid byte ") + hex)
                     .Help("save the file as UTF-8"));
    return false;
  }
  return true;
}

// ---- shared state of one parse --------------------------------------------------

class Reporter {
 public:
  Reporter(const SourceFile& file, const PositionMap& positions, DiagnosticEngine& diags,
           size_t max_syntax_errors)
      : file_(file), positions_(positions), diags_(diags), max_syntax_(max_syntax_errors) {}

  FileId file() const { return file_.id(); }
  DiagnosticEngine& diags() { return diags_; }

  Span SpanOf(const Token* token) const {
    if (token == nullptr) return Span{file_.id(), 0, 0};
    return positions_.ToSpan(file_.id(), token->getStartIndex(), token->getStopIndex());
  }
  std::string_view TextOf(Span span) const {
    return file_.text().substr(span.begin, span.end - span.begin);
  }
  std::string_view TextOf(const Token* token) const { return TextOf(SpanOf(token)); }

  // Lexical problems (E0101, E0103, E0104) and the nesting limit.
  void ReportLexical(DiagBuilder&& diag) {
    ++syntax_errors_;
    diags_.Report(std::move(diag));
  }

  // Parser errors (E0100), counted against max_syntax_errors: past it, one
  // E0006 is reported and the rest of the file is skipped.
  void ReportSyntax(DiagBuilder&& builder) {
    if (capped_) return;
    Diagnostic diag = std::move(builder).Build();
    if (max_syntax_ != 0 && parse_errors_ >= max_syntax_) {
      capped_ = true;
      diags_.Report(Diag(DiagCode::kTooManyErrors, diag.primary.span,
                         "too many syntax errors in this file; the rest of it was skipped")
                        .Help("fix the errors above and compile again"));
      return;
    }
    ++parse_errors_;
    ++syntax_errors_;
    diags_.Report(std::move(diag));
  }

  bool capped() const { return capped_; }
  size_t syntax_errors() const { return syntax_errors_; }

  // Set when an unterminated comment or triple-quoted string swallowed the
  // end of the file: errors at EOF would only repeat that one.
  bool end_swallowed = false;
  // A missing `package` was already reported (by the recovery at file level).
  bool package_reported = false;
  // Brackets left open at the end of the input, innermost last.
  std::vector<NestingTracker::Opener> unclosed;
  // Tokens right after an invalid character (already reported as E0103):
  // a syntax error there would only repeat it.
  std::set<size_t> after_bad_char;

 private:
  const SourceFile& file_;
  const PositionMap& positions_;
  DiagnosticEngine& diags_;
  size_t max_syntax_;
  size_t parse_errors_ = 0;
  size_t syntax_errors_ = 0;
  bool capped_ = false;
};

// ---- token classes ------------------------------------------------------------------

bool IsOpen(size_t type) {
  return type == P::LPAREN || type == P::LBRACKET || type == P::LBRACE;
}
bool IsClose(size_t type) {
  return type == P::RPAREN || type == P::RBRACKET || type == P::RBRACE;
}
bool IsDeclStart(size_t type) {
  switch (type) {
    case P::CATALOG: case P::ASSET: case P::PERSONA: case P::THREAT: case P::MITIGATION:
    case P::DETECTION: case P::FILTER:
      return true;
    default:
      return false;
  }
}
// Tokens after which a `-` is binary rather than a prefix operator.
bool EndsOperand(size_t type) {
  switch (type) {
    case P::RPAREN: case P::RBRACKET: case P::INT: case P::FLOAT: case P::HEX_NUMBER:
    case P::SIZE: case P::STRING: case P::TSTRING: case P::REGEX: case P::STRING_ID:
    case P::COUNT_ID: case P::OFFSET_ID: case P::LENGTH_ID: case P::FILESIZE:
    case P::ENTRYPOINT: case P::TRUE: case P::FALSE: case P::ID: case P::THEM:
    case P::BQ_NAME:
      return true;
    default:
      return false;
  }
}
bool IsSigmaRule(size_t rule) {
  switch (rule) {
    case P::RuleSigmaExpr: case P::RuleSigmaAnd: case P::RuleSigmaUnary:
    case P::RuleSigmaPrimary: case P::RuleSelectionPattern: case P::RuleSigmaOp:
    case P::RuleSigmaModifier: case P::RuleSigmaValues: case P::RuleSigmaValue:
    case P::RuleFieldPath:
      return true;
    default:
      return false;
  }
}
bool IsSigmaOperatorWord(size_t type) {
  switch (type) {
    case P::EQEQ: case P::NEQ: case P::CONTAINS: case P::STARTSWITH: case P::ENDSWITH:
    case P::LIKE: case P::MATCHES: case P::LT: case P::LTE: case P::GT: case P::GTE:
    case P::CIDR: case P::CASED: case P::WINDASH: case P::EXPAND: case P::BASE64:
    case P::BASE64OFFSET: case P::UTF16LE: case P::UTF16BE: case P::UTF16: case P::WIDE:
      return true;
    default:
      return false;
  }
}

// The tokens that the `name` rule accepts (ID and the soft keywords).
const antlr4::misc::IntervalSet& NameTokens(const antlr4::atn::ATN& atn) {
  static const antlr4::misc::IntervalSet set = atn.nextTokens(atn.ruleToStartState[P::RuleName]);
  return set;
}

std::string CharName(std::string_view text) {
  if (text.size() == 1) {
    auto c = static_cast<unsigned char>(text[0]);
    if (c < 0x20 || c == 0x7F) {
      char buf[16];
      std::snprintf(buf, sizeof buf, "U+%04X", c);
      return buf;
    }
  }
  return "`" + std::string(text) + "`";
}

// ---- 2. lexer tokens ------------------------------------------------------------

// Reports the lexer's error tokens and hides them from the parser (each
// problem is reported once, not again as a syntax error), then measures the
// nesting depth. False when the input nests too deeply to parse safely.
bool ScanTokens(antlr4::CommonTokenStream& tokens, Reporter& reporter, size_t max_nesting) {
  NestingTracker nesting(max_nesting);
  size_t previous_type = Token::INVALID_TYPE;  // last default-channel token
  const size_t count = tokens.size();
  for (size_t i = 0; i < count; ++i) {
    Token* token = tokens.get(i);
    auto* writable = dynamic_cast<antlr4::WritableToken*>(token);
    size_t type = token->getType();
    if (type == P::ERROR_CHAR) {
      // Consecutive bad characters are one problem.
      Span span = reporter.SpanOf(token);
      size_t j = i;
      while (j + 1 < count && tokens.get(j + 1)->getType() == P::ERROR_CHAR &&
             reporter.SpanOf(tokens.get(j + 1)).begin == span.end) {
        ++j;
        span.end = reporter.SpanOf(tokens.get(j)).end;
        if (auto* w = dynamic_cast<antlr4::WritableToken*>(tokens.get(j))) {
          w->setChannel(Token::HIDDEN_CHANNEL);
        }
      }
      std::string_view text = reporter.TextOf(span);
      bool several = j > i;
      auto diag = Diag(DiagCode::kInvalidCharacter, span,
                       std::string(several ? "unexpected characters " : "unexpected character ") +
                           CharName(text));
      if (text == ";") {
        diag.Help("Ward does not use `;`; remove it");
      } else if (static_cast<unsigned char>(text[0]) >= 0x80) {
        diag.Help("names may contain only ASCII letters, digits and `_`; other text goes in a "
                  "string");
      } else if (text[0] == '\'') {
        diag.Help("strings are written with double quotes: \"...\"");
      }
      reporter.ReportLexical(std::move(diag));
      if (writable) writable->setChannel(Token::HIDDEN_CHANNEL);
      for (size_t k = j + 1; k < count; ++k) {
        if (tokens.get(k)->getChannel() == Token::DEFAULT_CHANNEL) {
          reporter.after_bad_char.insert(k);
          break;
        }
      }
      i = j;
      continue;
    }
    if (type == P::UNTERMINATED_STRING) {
      Span span = reporter.SpanOf(token);
      // `"""text` without its closing quotes lexes as `""` then `"text`.
      Token* before = i > 0 ? tokens.get(i - 1) : nullptr;
      if (before && before->getType() == P::STRING && reporter.TextOf(before) == "\"\"" &&
          reporter.SpanOf(before).end == span.begin) {
        Span open{span.file, span.begin - 2, span.begin + 1};
        reporter.ReportLexical(Diag(DiagCode::kUnterminatedString, open,
                                    "unterminated triple-quoted string")
                                   .Label("this string is never closed")
                                   .Help("close it with `\"\"\"`"));
        // The rest of the file is inside the string: hide it, keep EOF.
        if (auto* w = dynamic_cast<antlr4::WritableToken*>(before)) w->setType(P::TSTRING);
        for (size_t j = i; j < count; ++j) {
          Token* t = tokens.get(j);
          if (t->getType() == Token::EOF) break;
          if (auto* w = dynamic_cast<antlr4::WritableToken*>(t)) w->setChannel(Token::HIDDEN_CHANNEL);
        }
        reporter.end_swallowed = true;
        break;
      }
      reporter.ReportLexical(Diag(DiagCode::kUnterminatedString, span, "unterminated string")
                                 .Label("missing closing `\"`")
                                 .Help("close the string on the same line; for text over "
                                       "several lines use `\"\"\"...\"\"\"`"));
      // Parse on as if it were closed; the decoder stops at its end. The
      // string swallowed the rest of its line (often a `{` or `}`), so an
      // error at the next token would only repeat this one.
      if (writable) writable->setType(P::STRING);
      type = P::STRING;
      for (size_t k = i + 1; k < count; ++k) {
        if (tokens.get(k)->getChannel() == Token::DEFAULT_CHANNEL) {
          reporter.after_bad_char.insert(k);
          break;
        }
      }
    } else if (type == P::UNTERMINATED_COMMENT) {
      Span span = reporter.SpanOf(token);
      reporter.ReportLexical(Diag(DiagCode::kUnterminatedComment,
                                  Span{span.file, span.begin, span.begin + 2},
                                  "unterminated block comment")
                                 .Label("this comment is never closed")
                                 .Help("close it with `*/`"));
      if (writable) writable->setChannel(Token::HIDDEN_CHANNEL);
      reporter.end_swallowed = true;
      continue;
    }
    if (token->getChannel() != Token::DEFAULT_CHANNEL || type == Token::EOF) continue;

    bool ok = true;
    if (IsOpen(type)) {
      char bracket = type == P::LPAREN ? '(' : type == P::LBRACKET ? '[' : '{';
      ok = nesting.Open(bracket, reporter.SpanOf(token));
    } else if (IsClose(type)) {
      nesting.Close(type == P::RPAREN ? ')' : type == P::RBRACKET ? ']' : '}');
    } else if (type == P::NOT || type == P::DEFINED || type == P::TILDE ||
               (type == P::MINUS && !EndsOperand(previous_type))) {
      ok = nesting.Prefix();
    } else {
      nesting.Other();
    }
    if (!ok) {
      reporter.ReportLexical(
          Diag(DiagCode::kNestingTooDeep, reporter.SpanOf(token),
               "nesting is too deep: more than " + std::to_string(max_nesting) +
                   " levels of brackets and prefix operators")
              .Label("the limit is exceeded here")
              .Help("simplify this part, e.g. split a condition into `let` selections"));
      return false;
    }
    previous_type = type;
  }
  reporter.unclosed = nesting.Unclosed();
  return true;
}

// Feeds the hand-written lexer's tokens to the generated parser. The lexer
// has a catch-all error token (ERROR_CHAR), so it never fails on its own.
class TokenSource : public antlr4::TokenSource {
 public:
  TokenSource(std::string_view text, antlr4::CharStream* input) : core_(text), input_(input) {}

  std::unique_ptr<Token> nextToken() override {
    LexedToken t = core_.Next();
    auto token = std::make_unique<antlr4::CommonToken>(std::make_pair(this, input_), t.type,
                                                       t.channel, t.start, t.stop);
    token->setLine(t.line);
    token->setCharPositionInLine(t.column);
    return token;
  }
  size_t getLine() const override { return core_.line(); }
  size_t getCharPositionInLine() override { return core_.column(); }
  antlr4::CharStream* getInputStream() override { return input_; }
  std::string getSourceName() override { return input_->getSourceName(); }
  antlr4::TokenFactory<antlr4::CommonToken>* getTokenFactory() override {
    return antlr4::CommonTokenFactory::DEFAULT.get();
  }

 private:
  WardLexerCore core_;
  antlr4::CharStream* input_;
};

class ParserListener : public antlr4::BaseErrorListener {
 public:
  explicit ParserListener(Reporter& reporter) : reporter_(reporter) {}

  // ErrorStrategy reports everything itself; this catches what ANTLR reports
  // through listeners in paths the strategy does not override.
  void syntaxError(antlr4::Recognizer*, Token* offending, size_t, size_t,
                   const std::string& message, std::exception_ptr) override {
    reporter_.ReportSyntax(Diag(DiagCode::kSyntaxError, reporter_.SpanOf(offending),
                                "invalid syntax: " + message));
  }

 private:
  Reporter& reporter_;
};

// ---- 3. syntax errors and recovery -----------------------------------------------

// Reports syntax errors in Ward's words and recovers at the level a user
// thinks in: a broken member is skipped up to the next member, a broken
// declaration up to the next declaration, junk between declarations up to the
// next declaration keyword.
class ErrorStrategy : public antlr4::DefaultErrorStrategy {
 public:
  explicit ErrorStrategy(Reporter& reporter) : reporter_(reporter) {}

  void sync(antlr4::Parser* p) override {
    if (reporter_.capped()) return;
    if (!inErrorRecoveryMode(p) && p->getContext()->getRuleIndex() == P::RuleFile) {
      size_t la = p->getTokenStream()->LA(1);
      const antlr4::atn::ATN& atn = p->getATN();
      const antlr4::misc::IntervalSet& next = atn.nextTokens(atn.states[p->getState()]);
      if (!next.contains(la) && !next.contains(Token::EPSILON)) {
        ReportTopLevel(p);
        beginErrorCondition(p);
        SkipToDeclaration(p, /*at_least_one=*/true);
        return;
      }
    }
    antlr4::DefaultErrorStrategy::sync(p);
  }

  void recover(antlr4::Parser* p, std::exception_ptr e) override {
    if (reporter_.capped()) {
      while (p->getTokenStream()->LA(1) != Token::EOF) p->consume();
      return;
    }
    ParserRuleContext* ctx = p->getContext();
    ParserRuleContext* target = RecoveryTarget(ctx);
    if (target == nullptr) {
      antlr4::DefaultErrorStrategy::recover(p, e);
      return;
    }
    if (target != target_) {
      // A new error: skip input once, then unwind rule by rule to the target.
      target_ = target;
      ForceProgress(p);
      if (target->getRuleIndex() == P::RuleMember || target->getRuleIndex() == P::RuleEntry) {
        SkipToMember(p, target);
      } else {
        SkipToDeclaration(p, /*at_least_one=*/false);
      }
    }
    if (ctx != target) throw antlr4::InputMismatchException(p);
    target_ = nullptr;
  }

 protected:
  void reportNoViableAlternative(antlr4::Parser* p, const antlr4::NoViableAltException& e) override {
    Report(p, e.getOffendingToken(), e.getExpectedTokens(),
           dynamic_cast<ParserRuleContext*>(e.getCtx()), e.getStartToken());
  }
  void reportInputMismatch(antlr4::Parser* p, const antlr4::InputMismatchException& e) override {
    Report(p, e.getOffendingToken(), e.getExpectedTokens(),
           dynamic_cast<ParserRuleContext*>(e.getCtx()), nullptr);
  }
  void reportUnwantedToken(antlr4::Parser* p) override {
    if (inErrorRecoveryMode(p)) return;
    beginErrorCondition(p);
    Report(p, p->getCurrentToken(), getExpectedTokens(p), p->getContext(), nullptr);
  }
  // ANTLR drops one stray token when the token after it fits. Never drop a
  // `}`: it is the end of a block, and dropping it would merge the block with
  // what follows (a whole declaration would be read as a member).
  Token* singleTokenDeletion(antlr4::Parser* p) override {
    if (p->getTokenStream()->LA(1) == P::RBRACE) return nullptr;
    return antlr4::DefaultErrorStrategy::singleTokenDeletion(p);
  }

  void reportMissingToken(antlr4::Parser* p) override {
    if (inErrorRecoveryMode(p)) return;
    beginErrorCondition(p);
    Report(p, p->getCurrentToken(), getExpectedTokens(p), p->getContext(), nullptr);
  }

 private:
  // The innermost context that recovery skips to the end of.
  static ParserRuleContext* RecoveryTarget(ParserRuleContext* ctx) {
    for (ParserRuleContext* c = ctx; c != nullptr;
         c = dynamic_cast<ParserRuleContext*>(c->parent)) {
      switch (c->getRuleIndex()) {
        case P::RuleMember: case P::RuleEntry: case P::RuleDecl: case P::RuleImportDecl:
        case P::RulePackageDecl:
          return c;
        default:
          break;
      }
    }
    return nullptr;
  }

  // Like ANTLR's own guard: a second error at the same token in the same
  // state consumes that token, so recovery always makes progress.
  void ForceProgress(antlr4::Parser* p) {
    size_t index = p->getTokenStream()->index();
    size_t state = p->getState();
    if (index != last_index_) {
      last_index_ = index;
      states_.clear();
    } else if (states_.count(state) != 0 && p->getTokenStream()->LA(1) != Token::EOF) {
      p->consume();
    }
    states_.insert(state);
  }

  Token* Peek(antlr4::Parser* p, ssize_t k) { return p->getTokenStream()->LT(k); }

  // The default-channel token before `token`, or nullptr.
  Token* Previous(antlr4::Parser* p, const Token* token) {
    auto* stream = dynamic_cast<antlr4::BufferedTokenStream*>(p->getTokenStream());
    if (stream == nullptr || token == nullptr) return nullptr;
    size_t i = token->getTokenIndex();
    if (i == kNoIndex) return nullptr;
    while (i-- > 0) {
      Token* t = stream->get(i);
      if (t->getChannel() == Token::DEFAULT_CHANNEL) return t;
    }
    return nullptr;
  }
  Token* Following(antlr4::Parser* p, const Token* token) {
    auto* stream = dynamic_cast<antlr4::BufferedTokenStream*>(p->getTokenStream());
    if (stream == nullptr || token == nullptr) return nullptr;
    for (size_t i = token->getTokenIndex() + 1; i < stream->size(); ++i) {
      Token* t = stream->get(i);
      if (t->getChannel() == Token::DEFAULT_CHANNEL) return t;
    }
    return nullptr;
  }

  // True when the member right before `member` in its body is a condition
  // (`when:`, `condition:`, `let`).
  static bool FollowsCondition(ParserRuleContext* member) {
    auto* parent = dynamic_cast<ParserRuleContext*>(member->parent);
    if (parent == nullptr) return false;
    ParseTree* previous = nullptr;
    for (ParseTree* child : parent->children) {
      if (child == member) break;
      if (dynamic_cast<P::MemberContext*>(child) != nullptr) previous = child;
    }
    return dynamic_cast<P::WhenMemberContext*>(previous) != nullptr ||
           dynamic_cast<P::ConditionMemberContext*>(previous) != nullptr ||
           dynamic_cast<P::LetMemberContext*>(previous) != nullptr;
  }

  bool StartsLine(antlr4::Parser* p, const Token* token) {
    Token* before = Previous(p, token);
    return before == nullptr || before->getLine() < token->getLine();
  }

  bool IsName(antlr4::Parser* p, size_t type) { return NameTokens(p->getATN()).contains(type); }
  bool StartsMember(antlr4::Parser* p, size_t type) {
    return IsName(p, type) || type == P::WHEN || type == P::CONDITION || type == P::WHERE ||
           type == P::LET || type == P::STRINGS;
  }

  // Skips to the next member of the body that holds `member`: a member name
  // at the start of a line, a name followed by `:`, or the body's `}`. Braces
  // are counted apart from parentheses so that an unclosed `(` cannot make
  // the body's own `}` look nested.
  void SkipToMember(antlr4::Parser* p, ParserRuleContext* member) {
    auto* stream = dynamic_cast<antlr4::BufferedTokenStream*>(p->getTokenStream());
    if (stream == nullptr) return;
    long braces = 0;
    long parens = 0;
    auto count = [&](size_t type) {
      if (type == P::LBRACE) ++braces;
      if (type == P::RBRACE) --braces;
      if (type == P::LPAREN || type == P::LBRACKET) ++parens;
      if (type == P::RPAREN || type == P::RBRACKET) --parens;
    };
    for (size_t i = member->getStart()->getTokenIndex(); i < stream->index(); ++i) {
      Token* t = stream->get(i);
      if (t->getChannel() == Token::DEFAULT_CHANNEL) count(t->getType());
    }
    size_t consumed = 0;
    while (true) {
      Token* t = Peek(p, 1);
      size_t type = t->getType();
      if (type == Token::EOF || (type == P::RBRACE && braces <= 0)) break;
      if (braces <= 0 && parens <= 0 && StartsMember(p, type) && t != member->getStart() &&
          (StartsLine(p, t) || (consumed > 0 && Peek(p, 2)->getType() == P::COLON))) {
        break;
      }
      count(type);
      p->consume();
      ++consumed;
    }
  }

  // Skips to the next declaration keyword (or import) outside any braces.
  void SkipToDeclaration(antlr4::Parser* p, bool at_least_one) {
    long braces = 0;
    bool first = true;
    while (true) {
      size_t type = Peek(p, 1)->getType();
      if (type == Token::EOF) break;
      if (braces <= 0 && (IsDeclStart(type) || type == P::IMPORT) && !(first && at_least_one)) {
        break;
      }
      if (type == P::LBRACE) ++braces;
      if (type == P::RBRACE && braces > 0) --braces;
      p->consume();
      first = false;
    }
  }

  std::string Found(antlr4::Parser* p, const Token* token) {
    if (token->getType() == Token::EOF) return "end of file";
    return DescribeFound(p->getVocabulary().getSymbolicName(token->getType()),
                         reporter_.TextOf(token));
  }

  std::vector<ExpectedToken> ExpectedList(antlr4::Parser* p,
                                          const antlr4::misc::IntervalSet& expected) {
    const antlr4::misc::IntervalSet& names = NameTokens(p->getATN());
    bool has_name = expected.contains(static_cast<size_t>(P::ID));
    std::vector<ExpectedToken> out;
    for (ssize_t t : expected.toList()) {
      if (t == static_cast<ssize_t>(Token::EPSILON)) continue;
      if (t == -1) {
        out.push_back({"EOF", ""});
        continue;
      }
      auto type = static_cast<size_t>(t);
      // "a name" stands for ID and every soft keyword.
      if (has_name && type != P::ID && names.contains(type)) continue;
      std::string literal = p->getVocabulary().getLiteralName(type);
      if (literal.size() >= 2 && literal.front() == '\'') literal = literal.substr(1, literal.size() - 2);
      out.push_back({p->getVocabulary().getSymbolicName(type), literal});
    }
    return out;
  }

  void ReportTopLevel(antlr4::Parser* p) {
    Token* t = Peek(p, 1);
    if (reporter_.after_bad_char.count(t->getTokenIndex()) != 0) return;
    Span at = reporter_.SpanOf(t);
    std::string found = Found(p, t);
    auto* file = dynamic_cast<P::FileContext*>(p->getContext());
    bool at_start = file != nullptr && file->packageDecl() == nullptr && file->decl().empty() &&
                    file->importDecl().empty();
    if (at_start) {
      reporter_.package_reported = true;
      reporter_.ReportSyntax(
          Diag(DiagCode::kSyntaxError, at, "expected `package` declaration, found " + found)
              .Help(kPackageHelp));
      return;
    }
    if (t->getType() == P::IMPORT) {
      reporter_.ReportSyntax(Diag(DiagCode::kSyntaxError, at,
                                  "`import` must come before the first declaration")
                                 .Help("move it up, right after the `package` line"));
      return;
    }
    if (t->getType() == P::PACKAGE) {
      reporter_.ReportSyntax(
          Diag(DiagCode::kSyntaxError, at, "a file has only one `package` declaration")
              .Help("remove this one; to use another package, `import` it"));
      return;
    }
    auto diag = Diag(DiagCode::kSyntaxError, at, "expected a declaration, found " + found);
    std::optional<std::string> typo;
    if (IsName(p, t->getType())) {
      typo = ClosestMatch(reporter_.TextOf(t), {"catalog", "asset", "persona", "threat",
                                                "mitigation", "detection", "filter"});
    }
    if (typo) {
      diag.Help("did you mean `" + *typo + "`?").Fix(at, *typo);
    } else if (t->getType() == P::COUNT_ID) {
      diag.Help("comments start with `//`; `#` does not start a comment");
    } else if (t->getType() == P::RBRACE) {
      diag.Label("this `}` closes nothing");
      diag.Help("remove it, or check the braces above");
    } else {
      diag.Help(kDeclHelp);
    }
    reporter_.ReportSyntax(std::move(diag));
  }

  void Report(antlr4::Parser* p, Token* found, const antlr4::misc::IntervalSet& expected,
              ParserRuleContext* ctx, Token* start) {
    if (found == nullptr) found = p->getCurrentToken();
    size_t type = found->getType();
    if (type == Token::EOF && reporter_.end_swallowed) return;
    if (reporter_.after_bad_char.count(found->getTokenIndex()) != 0) return;
    Span at = reporter_.SpanOf(found);
    std::string found_text = Found(p, found);
    size_t rule = ctx != nullptr ? ctx->getRuleIndex() : static_cast<size_t>(P::RuleFile);

    // The member this error is at the head of, if any: rules that have not
    // consumed a token yet started at `found`, so climb past them.
    ParserRuleContext* member = ctx;
    while (member != nullptr && member->getRuleIndex() != P::RuleMember &&
           member->getStart() == found) {
      member = dynamic_cast<ParserRuleContext*>(member->parent);
    }
    Token* key = nullptr;
    Token* second = nullptr;
    if (member != nullptr && member->getRuleIndex() == P::RuleMember &&
        member->getStart() != found) {
      key = member->getStart();
      second = Following(p, key);
    }

    // `key = value` where a property wants `key: value`.
    Token* eq = nullptr;
    if ((type == P::ASSIGN || type == P::HEX_BLOCK) &&
        expected.contains(static_cast<size_t>(P::COLON))) {
      eq = found;
    } else if (second && (second->getType() == P::ASSIGN || second->getType() == P::HEX_BLOCK)) {
      eq = second;
    }
    if (eq != nullptr) {
      Span sign = reporter_.SpanOf(eq);
      sign.end = sign.begin + 1;
      reporter_.ReportSyntax(Diag(DiagCode::kSyntaxError, sign, "expected `:`, found `=`")
                                 .Label("use `:` here")
                                 .Help("properties are written `key: value`")
                                 .Fix(sign, ":"));
      return;
    }

    // The file ends inside brackets: point at the one that is not closed.
    if (type == Token::EOF && !reporter_.unclosed.empty()) {
      const NestingTracker::Opener& open = reporter_.unclosed.back();
      char close = open.bracket == '(' ? ')' : open.bracket == '[' ? ']' : '}';
      std::string closer = std::string("`") + close + "`";
      reporter_.ReportSyntax(Diag(DiagCode::kSyntaxError, at,
                                  "expected " + closer + ", found end of file")
                                 .Label("the file ends here")
                                 .Secondary(open.span, std::string("this `") + open.bracket +
                                                           "` is never closed")
                                 .Help("add the missing " + closer));
      return;
    }

    // A member that is neither `key: value` nor `name { ... }`: either the
    // `:` is missing (`severity high`), or a block lacks its `{`.
    if (key != nullptr && second != nullptr && type != Token::EOF) {
      bool has_args = false;
      for (Token* t = second; t != nullptr && t != found; t = Following(p, t)) {
        if (t->getType() == P::STRING) has_args = true;
      }
      // Two terms side by side in a condition: `when: a b`.
      Token* before_key = Previous(p, key);
      if (before_key != nullptr && before_key->getLine() == key->getLine() &&
          FollowsCondition(member)) {
        reporter_.ReportSyntax(
            Diag(DiagCode::kSyntaxError, reporter_.SpanOf(key),
                 "expected `and` or `or` to continue the condition, found " + Found(p, key))
                .Help("a condition ends at the end of its line unless an operator continues it"));
        return;
      }
      // `key:` followed by something that cannot start a value.
      if (second->getType() == P::COLON && Following(p, second) == found) {
        reporter_.ReportSyntax(
            Diag(DiagCode::kSyntaxError, at,
                 "expected a value after `" + std::string(reporter_.TextOf(key)) + ":`, found " +
                     found_text)
                .Label("not a value")
                .Help("write a name, a string, a number, a date or a list `[...]` after the "
                      "colon"));
        return;
      }
      bool missing_colon =
          second == found || (!has_args && IsName(p, second->getType()) &&
                              Following(p, second) == found && type != P::STRING &&
                              type != P::LBRACE);
      if (!missing_colon) {
        reporter_.ReportSyntax(
            Diag(DiagCode::kSyntaxError, at, "expected `{` to open the block, found " + found_text)
                .Help("blocks are written `name \"label\" { ... }`"));
        return;
      }
      std::string key_text(reporter_.TextOf(key));
      auto diag = Diag(DiagCode::kSyntaxError, reporter_.SpanOf(second),
                       "expected `:` after `" + key_text + "`, found " + Found(p, second));
      if (auto typo = ClosestMatch(key_text, {"when", "condition", "where", "strings", "let"})) {
        diag.Help("did you mean `" + *typo + "`?");
      } else {
        diag.Help("properties are written `key: value` and blocks `name { ... }`");
      }
      reporter_.ReportSyntax(std::move(diag));
      return;
    }

    Token* before = Previous(p, found);
    bool in_sigma = IsSigmaRule(rule);
    std::string before_text = before != nullptr ? std::string(reporter_.TextOf(before)) : "";

    // A Sigma predicate cut short: `field ==` without a value, `field` without
    // an operator.
    if (in_sigma && before != nullptr && type != P::LBRACKET &&
        (IsSigmaOperatorWord(before->getType()) || before->getType() == P::ANY ||
         before->getType() == P::ALL)) {
      reporter_.ReportSyntax(Diag(DiagCode::kSyntaxError, at,
                                  "expected a value after `" + before_text + "`, found " +
                                      found_text)
                                 .Help("write a string, a number, `null`, a list `[...]` or a "
                                       "regular expression `/.../`"));
      return;
    }
    if (rule == P::RuleSigmaPrimary && before != nullptr && IsName(p, before->getType()) &&
        start != nullptr && start != found) {
      reporter_.ReportSyntax(Diag(DiagCode::kSyntaxError, at,
                                  "expected an operator such as `==`, `contains` or `exists` "
                                  "after `" + before_text + "`, found " + found_text));
      return;
    }

    // Prediction read past the start of the construct: the expected set is
    // the one at its start, so only say what is wrong where it failed.
    if (start != nullptr && start != found) {
      std::string message = "unexpected " + found_text;
      if (before != nullptr) message += " after `" + before_text + "`";
      reporter_.ReportSyntax(Diag(DiagCode::kSyntaxError, at, std::move(message)));
      return;
    }

    std::optional<std::string> wanted = DescribeExpected(ExpectedList(p, expected));
    std::string what = wanted ? *wanted
                              : DescribeRule(ctx != nullptr ? p->getRuleNames()[rule] : "file");
    auto diag = Diag(DiagCode::kSyntaxError, at, "expected " + what + ", found " + found_text);
    if (type == P::COUNT_ID && StartsLine(p, found)) {
      diag.Help("comments start with `//`; `#` does not start a comment");
    } else if (type == P::WHEN || type == P::CONDITION || type == P::WHERE || type == P::LET ||
               type == P::STRINGS) {
      diag.Help("`" + std::string(reporter_.TextOf(found)) +
                "` is a keyword; it cannot be used as a name");
    }
    reporter_.ReportSyntax(std::move(diag));
  }

  Reporter& reporter_;
  ParserRuleContext* target_ = nullptr;
  size_t last_index_ = kNoIndex;
  std::set<size_t> states_;
};

// True when no syntax error touched the subtree: no error nodes (extra or
// conjured tokens) and no rule that failed. Iterative: trees can be deep.
bool Intact(ParseTree* root) {
  std::vector<ParseTree*> stack{root};
  while (!stack.empty()) {
    ParseTree* t = stack.back();
    stack.pop_back();
    if (t == nullptr || dynamic_cast<antlr4::tree::ErrorNode*>(t) != nullptr) return false;
    if (auto* rule = dynamic_cast<ParserRuleContext*>(t); rule && rule->exception) return false;
    for (ParseTree* child : t->children) stack.push_back(child);
  }
  return true;
}

// ---- 4. parse tree -> AST ---------------------------------------------------------

// Thrown when a required child is missing (a subtree that did not parse);
// caught per declaration, which is then skipped.
struct BrokenTree {};

class AstBuilder {
 public:
  AstBuilder(Reporter& reporter, const ParseOptions& options)
      : r_(reporter), diags_(reporter.diags()), max_nesting_(options.max_nesting),
        // Operator chains (`a + b + c`) nest left-deep in the AST, beyond the
        // bracket depth checked on tokens; bound the tree itself as well.
        max_depth_(std::max<size_t>(4 * options.max_nesting, 64)) {}

  ast::File Build(P::FileContext* ctx, bool check_intact) {
    ast::File out;
    out.file = r_.file();
    if (P::PackageDeclContext* package = ctx->packageDecl()) {
      if (!check_intact || Intact(package)) out.package = QName(Need(package->qualifiedName()));
    } else if (!r_.package_reported) {
      Token* first = ctx->getStart();
      std::string found = first == nullptr || first->getType() == Token::EOF
                              ? ""
                              : ", found " + DescribeFound("", r_.TextOf(first));
      r_.ReportSyntax(Diag(DiagCode::kSyntaxError, r_.SpanOf(first),
                           "expected `package` declaration" + found)
                          .Help(kPackageHelp));
    }
    for (P::ImportDeclContext* import : ctx->importDecl()) {
      if (check_intact && !Intact(import)) continue;
      try {
        out.imports.push_back(Import(import));
      } catch (const BrokenTree&) {
      }
    }
    for (P::DeclContext* decl : ctx->decl()) {
      bool ok = !check_intact || Intact(decl);
      if (ok) {
        try {
          out.decls.push_back(Decl(decl));
          continue;
        } catch (const BrokenTree&) {
        }
      }
      if (std::optional<ast::Name> name = DeclName(decl)) out.skipped_decls.push_back(*name);
    }
    out.had_syntax_errors = r_.syntax_errors() > 0 || !out.skipped_decls.empty();
    return out;
  }

 private:
  template <typename T>
  static T* Need(T* node) {
    if (node == nullptr) throw BrokenTree{};
    return node;
  }

  // ---- spans and text
  Span At(Token* token) { return r_.SpanOf(Need(token)); }
  Span At(TerminalNode* node) { return r_.SpanOf(Need(node)->getSymbol()); }
  Span At(ParserRuleContext* ctx) {
    Need(ctx);
    Span begin = r_.SpanOf(Need(ctx->getStart()));
    Token* stop = ctx->getStop();
    if (stop == nullptr || stop->getTokenIndex() < ctx->getStart()->getTokenIndex()) return begin;
    return Join(begin, r_.SpanOf(stop));
  }
  static Span Join(Span a, Span b) { return Span{a.file, a.begin, std::max(a.end, b.end)}; }
  std::string Text(Span span) { return std::string(r_.TextOf(span)); }

  // Keeps expression trees shallow enough for every recursive walker.
  class DepthGuard {
   public:
    DepthGuard(AstBuilder& b, size_t levels, ParserRuleContext* at) : b_(b), levels_(levels) {
      b_.depth_ += levels_;
      if (b_.depth_ > b_.max_depth_) {
        b_.diags_.Report(Diag(DiagCode::kNestingTooDeep, b_.At(at),
                              "expression is nested too deeply: more than " +
                                  std::to_string(b_.max_depth_) + " levels")
                             .Help("split it into smaller expressions"));
        b_.depth_ -= levels_;
        throw BrokenTree{};
      }
    }
    ~DepthGuard() { b_.depth_ -= levels_; }
    DepthGuard(const DepthGuard&) = delete;
    DepthGuard& operator=(const DepthGuard&) = delete;

   private:
    AstBuilder& b_;
    size_t levels_;
  };

  // ---- names
  ast::Name Name(P::NameContext* ctx) {
    Span span = At(ctx);
    return ast::Name{Text(span), span};
  }
  ast::Name Name(TerminalNode* node) {
    Span span = At(node);
    return ast::Name{Text(span), span};
  }
  ast::QualifiedName QName(P::QualifiedNameContext* ctx) {
    ast::QualifiedName out;
    std::vector<P::NameContext*> parts = ctx->name();
    out.parts.reserve(parts.size());
    for (P::NameContext* part : parts) out.parts.push_back(Name(part));
    if (out.parts.empty()) throw BrokenTree{};
    out.span = At(ctx);
    return out;
  }
  ast::FieldPath Field(P::FieldPathContext* ctx) {
    ast::FieldPath out;
    out.span = At(ctx);
    if (TerminalNode* quoted = ctx->BQ_NAME()) {
      std::string text = Text(At(quoted));
      out.text = text.substr(1, text.size() - 2);
      out.quoted = true;
      return out;
    }
    for (P::NameContext* part : ctx->name()) {
      if (!out.text.empty()) out.text += '.';
      out.text += Name(part).text;
    }
    if (out.text.empty()) throw BrokenTree{};
    return out;
  }
  std::optional<ast::Name> DeclName(P::DeclContext* ctx) {
    P::NameContext* name = nullptr;
    if (auto* c = dynamic_cast<P::CatalogDeclContext*>(ctx)) name = c->name();
    if (auto* c = dynamic_cast<P::EntityDeclContext*>(ctx)) name = c->name();
    if (auto* c = dynamic_cast<P::DetectionDeclContext*>(ctx)) name = c->name(1);
    if (name == nullptr || !Intact(name)) return std::nullopt;
    return Name(name);
  }

  // ---- literals
  std::string String(TerminalNode* node) {
    Span span = At(node);
    if (node->getSymbol()->getType() == P::TSTRING) return DecodeTripleQuoted(r_.TextOf(span));
    return DecodeStringLiteral(r_.TextOf(span), span, diags_);
  }
  ast::Number Number(TerminalNode* minus, TerminalNode* digits, Span* span_out = nullptr) {
    Span span = At(digits);
    if (minus != nullptr) span = Join(At(minus), span);
    if (span_out != nullptr) *span_out = span;
    return ParseNumberLiteral(r_.TextOf(At(digits)), minus != nullptr, span, diags_);
  }
  // `/body/flags` -> body and flags.
  static void SplitRegex(std::string_view text, std::string& body, std::string& flags) {
    size_t close = text.rfind('/');
    if (close == std::string_view::npos || close == 0) close = text.size();
    body = std::string(text.substr(1, close - 1));
    flags = close < text.size() ? std::string(text.substr(close + 1)) : "";
  }

  // ---- file level
  ast::Import Import(P::ImportDeclContext* ctx) {
    ast::Import out;
    out.path = QName(Need(ctx->qualifiedName()));
    out.wildcard = ctx->STAR() != nullptr;
    if (P::NameContext* alias = ctx->name()) out.alias = Name(alias);
    out.span = At(ctx);
    return out;
  }

  ast::Decl Decl(P::DeclContext* ctx) {
    ast::Decl out;
    out.span = At(ctx);
    TerminalNode* title = nullptr;
    if (auto* cd = dynamic_cast<P::CatalogDeclContext*>(ctx)) {
      out.kind = ast::Decl::Kind::kCatalog;
      out.keyword_span = At(cd->CATALOG());
      out.name = Name(Need(cd->name()));
      title = cd->STRING();
      CatalogBody(Need(cd->catalogBody()), out);
    } else if (auto* e = dynamic_cast<P::EntityDeclContext*>(ctx)) {
      switch (Need(e->kind)->getType()) {
        case P::ASSET: out.kind = ast::Decl::Kind::kAsset; break;
        case P::PERSONA: out.kind = ast::Decl::Kind::kPersona; break;
        case P::THREAT: out.kind = ast::Decl::Kind::kThreat; break;
        case P::MITIGATION: out.kind = ast::Decl::Kind::kMitigation; break;
        case P::FILTER: out.kind = ast::Decl::Kind::kFilter; break;
        default: throw BrokenTree{};
      }
      out.keyword_span = At(e->kind);
      out.name = Name(Need(e->name()));
      title = e->STRING();
      out.body = Body(Need(e->body()));
    } else if (auto* d = dynamic_cast<P::DetectionDeclContext*>(ctx)) {
      out.kind = ast::Decl::Kind::kDetection;
      out.keyword_span = At(d->DETECTION());
      out.detection_kind = Name(Need(d->detKind));
      out.name = Name(Need(d->name(1)));
      title = d->STRING();
      out.body = Body(Need(d->body()));
    } else {
      throw BrokenTree{};
    }
    if (title != nullptr) {
      out.title = String(title);
      out.title_span = At(title);
    }
    return out;
  }

  void CatalogBody(P::CatalogBodyContext* ctx, ast::Decl& decl) {
    decl.body.span = At(ctx);
    for (ParseTree* child : ctx->children) {
      if (auto* entry = dynamic_cast<P::EntryContext*>(child)) {
        decl.entries.push_back(Entry(entry));
      } else if (auto* member = dynamic_cast<P::MemberContext*>(child)) {
        decl.body.members.push_back(Member(member));
      }
    }
  }

  ast::CatalogEntry Entry(P::EntryContext* ctx) {
    ast::CatalogEntry out;
    out.span = At(ctx);
    std::vector<TerminalNode*> strings = ctx->STRING();
    if (strings.empty()) throw BrokenTree{};
    out.id = String(strings[0]);
    out.id_span = At(strings[0]);
    if (strings.size() > 1) {
      out.title = String(strings[1]);
      out.title_span = At(strings[1]);
    }
    if (P::BodyContext* body = ctx->body()) out.body = Body(body);
    return out;
  }

  ast::Body Body(P::BodyContext* ctx) {
    ast::Body out;
    out.span = At(ctx);
    // Reserved exactly: members are the largest AST nodes, and vector growth
    // left a third of their memory unused (docs/performance.md).
    std::vector<P::MemberContext*> members = ctx->member();
    out.members.reserve(members.size());
    for (P::MemberContext* member : members) out.members.push_back(Member(member));
    return out;
  }

  ast::Member Member(P::MemberContext* ctx) {
    ast::Member out;
    out.span = At(ctx);
    if (auto* pm = dynamic_cast<P::PropertyMemberContext*>(ctx)) {
      out.kind = ast::Member::Kind::kProperty;
      out.property.key = Name(Need(pm->name()));
      out.keyword_span = out.property.key.span;
      std::vector<P::ValueContext*> values = Need(pm->valueList())->value();
      out.property.values.reserve(values.size());
      for (P::ValueContext* value : values) out.property.values.push_back(Value(value));
      if (out.property.values.empty()) throw BrokenTree{};
      out.property.span = out.span;
    } else if (auto* wm = dynamic_cast<P::WhenMemberContext*>(ctx)) {
      out.kind = ast::Member::Kind::kWhen;
      out.keyword_span = At(wm->WHEN());
      out.sigma = SigmaOr(Need(wm->sigmaExpr()));
    } else if (auto* cm = dynamic_cast<P::ConditionMemberContext*>(ctx)) {
      out.kind = ast::Member::Kind::kCondition;
      out.keyword_span = At(cm->CONDITION());
      out.yara = YaraOr(Need(cm->yaraExpr()));
    } else if (auto* wh = dynamic_cast<P::WhereMemberContext*>(ctx)) {
      out.kind = ast::Member::Kind::kWhere;
      out.keyword_span = At(wh->WHERE());
      for (P::ThresholdContext* t : wh->threshold()) out.thresholds.push_back(Threshold(t));
      if (out.thresholds.empty()) throw BrokenTree{};
    } else if (auto* lm = dynamic_cast<P::LetMemberContext*>(ctx)) {
      out.kind = ast::Member::Kind::kLet;
      out.keyword_span = At(lm->LET());
      out.let_name = Name(Need(lm->name()));
      out.sigma = SigmaOr(Need(lm->sigmaExpr()));
    } else if (auto* sm = dynamic_cast<P::StringsMemberContext*>(ctx)) {
      out.kind = ast::Member::Kind::kStrings;
      out.keyword_span = At(sm->STRINGS());
      for (P::YaraStringContext* s : sm->yaraString()) out.strings.push_back(YaraString(s));
    } else if (auto* bm = dynamic_cast<P::BlockMemberContext*>(ctx)) {
      out.kind = ast::Member::Kind::kBlock;
      auto block = std::make_unique<ast::Block>();
      std::vector<P::NameContext*> names = bm->name();
      if (names.empty()) throw BrokenTree{};
      block->kind = Name(names[0]);
      if (names.size() > 1) block->label = Name(names[1]);
      for (TerminalNode* arg : bm->STRING()) block->args.emplace_back(String(arg), At(arg));
      block->body = Body(Need(bm->body()));
      block->span = out.span;
      out.keyword_span = block->kind.span;
      out.block = std::move(block);
    } else {
      throw BrokenTree{};
    }
    return out;
  }

  // ---- property values
  ast::Value Value(P::ValueContext* ctx) {
    ast::Value out;
    out.span = At(ctx);
    using K = ast::Value::Kind;
    if (auto* sv = dynamic_cast<P::StringValueContext*>(ctx)) {
      out.kind = K::kString;
      out.text = String(sv->STRING() != nullptr ? sv->STRING() : Need(sv->TSTRING()));
    } else if (auto* nv = dynamic_cast<P::NumberValueContext*>(ctx)) {
      out.kind = K::kNumber;
      TerminalNode* digits = nv->INT() != nullptr     ? nv->INT()
                             : nv->FLOAT() != nullptr ? nv->FLOAT()
                                                     : Need(nv->HEX_NUMBER());
      out.number = Number(nv->MINUS(), digits);
    } else if (auto* dv = dynamic_cast<P::DateValueContext*>(ctx)) {
      out.kind = K::kDate;
      out.text = Text(At(dv->DATE()));
    } else if (auto* du = dynamic_cast<P::DurationValueContext*>(ctx)) {
      out.kind = K::kDuration;
      out.text = Text(At(du->DURATION()));
    } else if (auto* bv = dynamic_cast<P::BoolValueContext*>(ctx)) {
      out.kind = K::kBool;
      out.boolean = bv->TRUE() != nullptr;
    } else if (dynamic_cast<P::NullValueContext*>(ctx) != nullptr) {
      out.kind = K::kNull;
    } else if (auto* rv = dynamic_cast<P::RefValueContext*>(ctx)) {
      out.kind = K::kRef;
      out.ref = QName(Need(rv->qualifiedName()));
      if (TerminalNode* key = rv->STRING()) {
        out.catalog_key = String(key);
        out.catalog_key_span = At(key);
      }
    } else if (auto* lv = dynamic_cast<P::ListValueContext*>(ctx)) {
      out.kind = K::kList;
      std::vector<P::ValueContext*> items = lv->value();
      out.items.reserve(items.size());
      for (P::ValueContext* item : items) out.items.push_back(Value(item));
    } else if (auto* ov = dynamic_cast<P::ObjectValueContext*>(ctx)) {
      out.kind = K::kObject;
      for (P::ObjectEntryContext* entry : ov->objectEntry()) {
        ast::ObjectEntry e;
        if (P::FieldPathContext* field = entry->fieldPath()) {
          ast::FieldPath path = Field(field);
          e.key = path.text;
          e.key_span = path.span;
        } else {
          TerminalNode* key = Need(entry->STRING());
          e.key = String(key);
          e.key_span = At(key);
        }
        e.value = Value(Need(entry->value()));
        out.entries.push_back(std::move(e));
      }
    } else {
      throw BrokenTree{};
    }
    return out;
  }

  // ---- Sigma
  using SigmaPtr = std::unique_ptr<ast::SigmaExpr>;

  SigmaPtr SigmaOr(P::SigmaExprContext* ctx) {
    DepthGuard guard(*this, 1, ctx);
    std::vector<P::SigmaAndContext*> parts = ctx->sigmaAnd();
    if (parts.empty()) throw BrokenTree{};
    if (parts.size() == 1) return SigmaAnd(parts[0]);
    auto out = std::make_unique<ast::SigmaExpr>();
    out->kind = ast::SigmaExpr::Kind::kOr;
    out->span = At(ctx);
    for (P::SigmaAndContext* part : parts) out->children.push_back(SigmaAnd(part));
    return out;
  }

  SigmaPtr SigmaAnd(P::SigmaAndContext* ctx) {
    std::vector<P::SigmaUnaryContext*> parts = ctx->sigmaUnary();
    if (parts.empty()) throw BrokenTree{};
    if (parts.size() == 1) return SigmaUnary(parts[0]);
    auto out = std::make_unique<ast::SigmaExpr>();
    out->kind = ast::SigmaExpr::Kind::kAnd;
    out->span = At(ctx);
    for (P::SigmaUnaryContext* part : parts) out->children.push_back(SigmaUnary(part));
    return out;
  }

  SigmaPtr SigmaUnary(P::SigmaUnaryContext* ctx) {
    if (auto* sn = dynamic_cast<P::SigmaNotContext*>(ctx)) {
      DepthGuard guard(*this, 1, ctx);
      auto out = std::make_unique<ast::SigmaExpr>();
      out->kind = ast::SigmaExpr::Kind::kNot;
      out->span = At(ctx);
      out->children.push_back(SigmaUnary(Need(sn->sigmaUnary())));
      return out;
    }
    auto* atom = dynamic_cast<P::SigmaAtomContext*>(ctx);
    return SigmaPrimary(Need(Need(atom)->sigmaPrimary()));
  }

  SigmaPtr SigmaPrimary(P::SigmaPrimaryContext* ctx) {
    if (auto* c = dynamic_cast<P::SigmaParenContext*>(ctx)) return SigmaOr(Need(c->sigmaExpr()));
    auto out = std::make_unique<ast::SigmaExpr>();
    out->span = At(ctx);
    using K = ast::SigmaExpr::Kind;
    if (auto* sk = dynamic_cast<P::SigmaKeywordsContext*>(ctx)) {
      out->kind = K::kKeywords;
      Quantifier(sk->quant, *out);
      Modifiers(sk->sigmaModifier(), *out);
      SigmaValues(Need(sk->sigmaValues()), *out);
    } else if (auto* se = dynamic_cast<P::SigmaExistsContext*>(ctx)) {
      out->kind = K::kExists;
      out->field = Field(Need(se->fieldPath()));
      out->op_span = At(se->EXISTS());
    } else if (auto* stp = dynamic_cast<P::SigmaTimePredicateContext*>(ctx)) {
      out->kind = K::kPredicate;
      out->time_part = Name(Need(stp->timePart));
      out->field = Field(Need(stp->fieldPath()));
      Op(Need(stp->sigmaOp()), out->op, out->op_span);
      Modifiers(stp->sigmaModifier(), *out);
      SigmaValues(Need(stp->sigmaValues()), *out);
    } else if (auto* sp = dynamic_cast<P::SigmaPredicateContext*>(ctx)) {
      out->kind = K::kPredicate;
      out->field = Field(Need(sp->fieldPath()));
      Op(Need(sp->sigmaOp()), out->op, out->op_span);
      Quantifier(sp->quant, *out);
      Modifiers(sp->sigmaModifier(), *out);
      SigmaValues(Need(sp->sigmaValues()), *out);
    } else if (auto* sop = dynamic_cast<P::SigmaOfPatternContext*>(ctx)) {
      out->kind = K::kOfPattern;
      Quantifier(sop->quant, *out);
      P::SelectionPatternContext* pattern = Need(sop->selectionPattern());
      for (P::NameContext* name : pattern->name()) out->names.push_back(Name(name));
      out->wildcard = pattern->STAR() != nullptr;
    } else if (auto* ssr = dynamic_cast<P::SigmaSelectionRefContext*>(ctx)) {
      out->kind = K::kSelection;
      out->names.push_back(Name(Need(ssr->name())));
    } else {
      throw BrokenTree{};
    }
    return out;
  }

  void Quantifier(Token* token, ast::SigmaExpr& out) {
    if (token == nullptr) return;
    out.quantifier = token->getType() == P::ALL ? ast::Quantifier::kAll : ast::Quantifier::kAny;
    out.quantifier_span = At(token);
  }

  void Modifiers(const std::vector<P::SigmaModifierContext*>& mods, ast::SigmaExpr& out) {
    using M = ast::SigmaModifier;
    for (P::SigmaModifierContext* mod : mods) {
      M m = M::kCased;
      switch (Need(mod->getStart())->getType()) {
        case P::CASED: m = M::kCased; break;
        case P::WINDASH: m = M::kWindash; break;
        case P::EXPAND: m = M::kExpand; break;
        case P::BASE64: m = M::kBase64; break;
        case P::BASE64OFFSET: m = M::kBase64Offset; break;
        case P::UTF16LE: m = M::kUtf16le; break;
        case P::UTF16BE: m = M::kUtf16be; break;
        case P::UTF16: m = M::kUtf16; break;
        case P::WIDE: m = M::kWide; break;
        default: throw BrokenTree{};
      }
      out.modifiers.emplace_back(m, At(mod));
    }
  }

  void Op(P::SigmaOpContext* ctx, ast::SigmaOp& op, Span& span) {
    using O = ast::SigmaOp;
    span = At(ctx);
    switch (Need(ctx->getStart())->getType()) {
      case P::EQEQ: op = O::kEq; break;
      case P::NEQ: op = O::kNeq; break;
      case P::CONTAINS: op = O::kContains; break;
      case P::STARTSWITH: op = O::kStartsWith; break;
      case P::ENDSWITH: op = O::kEndsWith; break;
      case P::LIKE: op = O::kLike; break;
      case P::MATCHES: op = O::kMatches; break;
      case P::LT: op = O::kLt; break;
      case P::LTE: op = O::kLte; break;
      case P::GT: op = O::kGt; break;
      case P::GTE: op = O::kGte; break;
      case P::IN: op = O::kCidr; break;
      default: throw BrokenTree{};
    }
  }

  void SigmaValues(P::SigmaValuesContext* ctx, ast::SigmaExpr& out) {
    out.bracketed = ctx->LBRACKET() != nullptr;
    std::vector<P::SigmaValueContext*> values = ctx->sigmaValue();
    out.values.reserve(values.size());
    for (P::SigmaValueContext* value : values) out.values.push_back(SigmaValue(value));
    if (out.values.empty()) throw BrokenTree{};
  }

  ast::SigmaValue SigmaValue(P::SigmaValueContext* ctx) {
    using K = ast::SigmaValue::Kind;
    ast::SigmaValue out;
    out.span = At(ctx);
    if (TerminalNode* s = ctx->STRING() != nullptr ? ctx->STRING() : ctx->TSTRING()) {
      out.kind = K::kString;
      out.text = String(s);
    } else if (TerminalNode* n = ctx->INT() != nullptr ? ctx->INT() : ctx->FLOAT()) {
      out.kind = K::kNumber;
      out.number = Number(ctx->MINUS(), n);
    } else if (ctx->NULL_() != nullptr) {
      out.kind = K::kNull;
    } else if (ctx->TRUE() != nullptr || ctx->FALSE() != nullptr) {
      out.kind = K::kBool;
      out.boolean = ctx->TRUE() != nullptr;
    } else if (TerminalNode* re = ctx->REGEX()) {
      out.kind = K::kRegex;
      SplitRegex(r_.TextOf(At(re)), out.text, out.regex_flags);
    } else if (ctx->FIELD() != nullptr) {
      out.kind = K::kFieldRef;
      out.field = Field(Need(ctx->fieldPath()));
    } else {
      throw BrokenTree{};
    }
    return out;
  }

  ast::Threshold Threshold(P::ThresholdContext* ctx) {
    ast::Threshold out;
    out.span = At(ctx);
    out.aggregate = Name(Need(ctx->name()));
    if (P::FieldPathContext* field = ctx->fieldPath()) out.field = Field(field);
    Op(Need(ctx->sigmaOp()), out.op, out.op_span);
    TerminalNode* digits = ctx->INT() != nullptr ? ctx->INT() : Need(ctx->FLOAT());
    out.value = Number(ctx->MINUS(), digits);
    return out;
  }

  // ---- YARA strings
  ast::YaraString YaraString(P::YaraStringContext* ctx) {
    ast::YaraString out;
    out.span = At(ctx);
    std::vector<P::YaraStringModifierContext*> mods;
    if (auto* yhs = dynamic_cast<P::YaraHexStringContext*>(ctx)) {
      out.kind = ast::YaraString::Kind::kHex;
      out.id = Name(Need(yhs->STRING_ID()));
      Span token = At(yhs->HEX_BLOCK());
      std::string_view text = r_.TextOf(token);
      size_t brace = text.find('{');
      if (brace == std::string_view::npos) throw BrokenTree{};
      out.value_span = Span{token.file, token.begin + static_cast<uint32_t>(brace), token.end};
      std::optional<std::vector<ast::HexItem>> items =
          ParseHexPattern(text.substr(brace), token.file, out.value_span.begin, diags_,
                          max_nesting_);
      if (items) {
        out.hex = std::move(*items);
      } else {
        out.invalid = true;
      }
      mods = yhs->yaraStringModifier();
    } else if (auto* yts = dynamic_cast<P::YaraTextStringContext*>(ctx)) {
      out.id = Name(Need(yts->STRING_ID()));
      if (TerminalNode* re = yts->REGEX()) {
        out.kind = ast::YaraString::Kind::kRegex;
        out.value_span = At(re);
        SplitRegex(r_.TextOf(out.value_span), out.text, out.regex_flags);
      } else {
        TerminalNode* s = Need(yts->STRING());
        out.kind = ast::YaraString::Kind::kText;
        out.value_span = At(s);
        out.text = String(s);
      }
      mods = yts->yaraStringModifier();
    } else {
      throw BrokenTree{};
    }
    for (P::YaraStringModifierContext* mod : mods) out.modifiers.push_back(StringModifier(mod));
    return out;
  }

  ast::YaraStringModifier StringModifier(P::YaraStringModifierContext* ctx) {
    using K = ast::YaraStringModifier::Kind;
    ast::YaraStringModifier out;
    out.span = At(ctx);
    switch (Need(ctx->getStart())->getType()) {
      case P::NOCASE: out.kind = K::kNocase; break;
      case P::WIDE: out.kind = K::kWide; break;
      case P::ASCII: out.kind = K::kAscii; break;
      case P::FULLWORD: out.kind = K::kFullword; break;
      case P::PRIVATE: out.kind = K::kPrivate; break;
      case P::XOR: out.kind = K::kXor; break;
      case P::BASE64: out.kind = K::kBase64; break;
      case P::BASE64WIDE: out.kind = K::kBase64Wide; break;
      default: throw BrokenTree{};
    }
    std::vector<P::YaraIntContext*> ints = ctx->yaraInt();
    if (!ints.empty()) out.xor_low = Integer(ints[0]);
    if (ints.size() > 1) out.xor_high = Integer(ints[1]);
    if (TerminalNode* alphabet = ctx->STRING()) {
      out.alphabet = String(alphabet);
      out.alphabet_span = At(alphabet);
    }
    return out;
  }

  int64_t Integer(P::YaraIntContext* ctx) {
    TerminalNode* digits = ctx->INT() != nullptr ? ctx->INT() : Need(ctx->HEX_NUMBER());
    return Number(nullptr, digits).integer;
  }

  // ---- YARA conditions
  using YaraPtr = ast::YaraExprPtr;

  static YaraPtr NewYara(ast::YaraExpr::Kind kind, Span span) {
    auto out = std::make_unique<ast::YaraExpr>();
    out->kind = kind;
    out->span = span;
    return out;
  }

  YaraPtr YaraOr(P::YaraExprContext* ctx) {
    DepthGuard guard(*this, 1, ctx);
    std::vector<P::YaraAndContext*> parts = ctx->yaraAnd();
    if (parts.empty()) throw BrokenTree{};
    if (parts.size() == 1) return YaraAnd(parts[0]);
    YaraPtr out = NewYara(ast::YaraExpr::Kind::kOr, At(ctx));
    for (P::YaraAndContext* part : parts) out->children.push_back(YaraAnd(part));
    return out;
  }

  YaraPtr YaraAnd(P::YaraAndContext* ctx) {
    std::vector<P::YaraNotContext*> parts = ctx->yaraNot();
    if (parts.empty()) throw BrokenTree{};
    if (parts.size() == 1) return YaraNot(parts[0]);
    YaraPtr out = NewYara(ast::YaraExpr::Kind::kAnd, At(ctx));
    for (P::YaraNotContext* part : parts) out->children.push_back(YaraNot(part));
    return out;
  }

  YaraPtr YaraNot(P::YaraNotContext* ctx) {
    if (auto* c = dynamic_cast<P::YaraRelContext*>(ctx)) return YaraRelation(Need(c->yaraRelation()));
    DepthGuard guard(*this, 1, ctx);
    if (auto* yn = dynamic_cast<P::YaraNegationContext*>(ctx)) {
      YaraPtr out = NewYara(ast::YaraExpr::Kind::kNot, At(ctx));
      out->children.push_back(YaraNot(Need(yn->yaraNot())));
      return out;
    }
    if (auto* yd = dynamic_cast<P::YaraDefinedContext*>(ctx)) {
      YaraPtr out = NewYara(ast::YaraExpr::Kind::kDefined, At(ctx));
      out->children.push_back(YaraNot(Need(yd->yaraNot())));
      return out;
    }
    throw BrokenTree{};
  }

  YaraPtr YaraRelation(P::YaraRelationContext* ctx) {
    std::vector<P::YaraBitOrContext*> sides = ctx->yaraBitOr();
    if (sides.empty()) throw BrokenTree{};
    YaraPtr left = Chain(sides[0]);
    if (sides.size() == 1) return left;
    P::RelOpContext* op = Need(ctx->relOp());
    return Binary(std::move(left), At(op), Chain(sides[1]));
  }

  YaraPtr Binary(YaraPtr left, Span op_span, YaraPtr right) {
    YaraPtr out = NewYara(ast::YaraExpr::Kind::kBinary, Join(left->span, right->span));
    out->op = Text(op_span);
    out->op_span = op_span;
    out->children.push_back(std::move(left));
    out->children.push_back(std::move(right));
    return out;
  }

  // The binary levels `a | b`, `a ^ b`, `a & b`, `a << b`, `a + b`, `a * b`:
  // each is `operand (OP operand)*` in the grammar, built left-associative.
  YaraPtr Chain(ParserRuleContext* ctx) {
    Need(ctx);
    if (auto* c = dynamic_cast<P::YaraUnaryContext*>(ctx)) return YaraUnary(c);
    std::vector<ParseTree*> operands;
    std::vector<TerminalNode*> ops;
    for (ParseTree* child : ctx->children) {
      if (auto* op = dynamic_cast<TerminalNode*>(child)) {
        ops.push_back(op);
      } else {
        operands.push_back(child);
      }
    }
    if (operands.empty() || ops.size() + 1 != operands.size()) throw BrokenTree{};
    if (operands.size() == 1) return Chain(dynamic_cast<ParserRuleContext*>(operands[0]));
    DepthGuard guard(*this, operands.size() - 1, ctx);
    YaraPtr out = Chain(dynamic_cast<ParserRuleContext*>(operands[0]));
    for (size_t i = 0; i < ops.size(); ++i) {
      out = Binary(std::move(out), At(ops[i]),
                   Chain(dynamic_cast<ParserRuleContext*>(operands[i + 1])));
    }
    return out;
  }

  YaraPtr YaraUnary(P::YaraUnaryContext* ctx) {
    if (auto* c = dynamic_cast<P::YaraPostfixExprContext*>(ctx)) return Postfix(Need(c->yaraPostfix()));
    auto* c = dynamic_cast<P::YaraPrefixContext*>(ctx);
    if (c == nullptr) throw BrokenTree{};
    DepthGuard guard(*this, 1, ctx);
    YaraPtr out = NewYara(ast::YaraExpr::Kind::kUnary, At(ctx));
    TerminalNode* op = c->MINUS() != nullptr ? c->MINUS() : Need(c->TILDE());
    out->op = Text(At(op));
    out->op_span = At(op);
    out->children.push_back(YaraUnary(Need(c->yaraUnary())));
    return out;
  }

  YaraPtr Postfix(P::YaraPostfixContext* ctx) {
    std::vector<P::YaraSuffixContext*> suffixes = ctx->yaraSuffix();
    DepthGuard guard(*this, suffixes.size(), ctx);
    YaraPtr out = Primary(Need(ctx->yaraPrimary()));
    for (P::YaraSuffixContext* suffix : suffixes) {
      Span span = Join(out->span, At(suffix));
      if (auto* m = dynamic_cast<P::YaraMemberContext*>(suffix)) {
        YaraPtr node = NewYara(ast::YaraExpr::Kind::kMember, span);
        node->text = Name(Need(m->name())).text;
        node->children.push_back(std::move(out));
        out = std::move(node);
      } else if (auto* i = dynamic_cast<P::YaraIndexContext*>(suffix)) {
        YaraPtr node = NewYara(ast::YaraExpr::Kind::kIndex, span);
        node->children.push_back(std::move(out));
        node->children.push_back(YaraOr(Need(i->yaraExpr())));
        out = std::move(node);
      } else if (auto* call = dynamic_cast<P::YaraCallContext*>(suffix)) {
        YaraPtr node = NewYara(ast::YaraExpr::Kind::kCall, span);
        node->children.push_back(std::move(out));
        for (P::YaraExprContext* arg : call->yaraExpr()) node->children.push_back(YaraOr(arg));
        out = std::move(node);
      } else {
        throw BrokenTree{};
      }
    }
    return out;
  }

  void Range(P::YaraRangeContext* ctx, ast::YaraExpr& out) {
    std::vector<P::YaraExprContext*> bounds = ctx->yaraExpr();
    if (bounds.size() != 2) throw BrokenTree{};
    out.range_low = YaraOr(bounds[0]);
    out.range_high = YaraOr(bounds[1]);
  }

  void Quantifier(P::YaraQuantifierContext* ctx, ast::YaraExpr& out) {
    using Q = ast::YaraExpr::Quant;
    out.quant_span = At(ctx);
    if (ctx->ALL() != nullptr) {
      out.quant = Q::kAll;
    } else if (ctx->ANY() != nullptr) {
      out.quant = Q::kAny;
    } else if (ctx->NONE() != nullptr) {
      out.quant = Q::kNone;
    } else {
      out.quant = ctx->PERCENT() != nullptr ? Q::kPercent : Q::kCount;
      out.quant_value = Number(nullptr, Need(ctx->INT())).integer;
    }
  }

  void StringSet(P::YaraStringSetContext* ctx, ast::YaraExpr& out) {
    if (ctx->THEM() != nullptr) {
      out.them = true;
      return;
    }
    for (TerminalNode* id : ctx->STRING_ID()) out.set.push_back(Name(id));
    if (out.set.empty()) throw BrokenTree{};
  }

  void RuleSet(P::YaraRuleSetContext* ctx, ast::YaraExpr& out) {
    out.of_rules = true;
    for (ParseTree* child : ctx->children) {
      if (auto* name = dynamic_cast<P::NameContext*>(child)) {
        out.set.push_back(Name(name));
      } else if (auto* t = dynamic_cast<TerminalNode*>(child);
                 t && t->getSymbol()->getType() == P::STAR && !out.set.empty()) {
        // `prefix*`: the wildcard is part of the name.
        out.set.back().text += '*';
        out.set.back().span = Join(out.set.back().span, At(t));
      }
    }
    if (out.set.empty()) throw BrokenTree{};
  }

  YaraPtr Primary(P::YaraPrimaryContext* ctx) {
    using K = ast::YaraExpr::Kind;
    Span span = At(ctx);
    if (auto* c = dynamic_cast<P::YaraParenContext*>(ctx)) return YaraOr(Need(c->yaraExpr()));
    if (auto* yn = dynamic_cast<P::YaraNumberContext*>(ctx)) {
      TerminalNode* digits = yn->INT() != nullptr          ? yn->INT()
                             : yn->HEX_NUMBER() != nullptr ? yn->HEX_NUMBER()
                             : yn->SIZE() != nullptr       ? yn->SIZE()
                                                          : Need(yn->FLOAT());
      YaraPtr out = NewYara(yn->FLOAT() != nullptr ? K::kFloat : K::kInteger, span);
      out->number = Number(nullptr, digits);
      return out;
    }
    if (auto* ysl = dynamic_cast<P::YaraStringLitContext*>(ctx)) {
      YaraPtr out = NewYara(K::kText, span);
      out->text = String(ysl->STRING() != nullptr ? ysl->STRING() : Need(ysl->TSTRING()));
      return out;
    }
    if (auto* yr = dynamic_cast<P::YaraRegexContext*>(ctx)) {
      YaraPtr out = NewYara(K::kRegex, span);
      SplitRegex(r_.TextOf(At(yr->REGEX())), out->text, out->regex_flags);
      return out;
    }
    if (auto* yb = dynamic_cast<P::YaraBoolContext*>(ctx)) {
      YaraPtr out = NewYara(K::kBool, span);
      out->boolean = yb->TRUE() != nullptr;
      return out;
    }
    if (dynamic_cast<P::YaraFilesizeContext*>(ctx) != nullptr) return NewYara(K::kFilesize, span);
    if (dynamic_cast<P::YaraEntrypointContext*>(ctx) != nullptr) {
      return NewYara(K::kEntrypoint, span);
    }
    if (auto* ysm = dynamic_cast<P::YaraStringMatchContext*>(ctx)) {
      YaraPtr out = NewYara(K::kStringMatch, span);
      out->id = Name(Need(ysm->STRING_ID()));
      if (ysm->AT() != nullptr) out->children.push_back(Chain(Need(ysm->yaraAdd())));
      if (ysm->IN() != nullptr) Range(Need(ysm->yaraRange()), *out);
      return out;
    }
    if (auto* yc = dynamic_cast<P::YaraCountContext*>(ctx)) {
      YaraPtr out = NewYara(K::kStringCount, span);
      out->id = Name(Need(yc->COUNT_ID()));
      if (yc->IN() != nullptr) Range(Need(yc->yaraRange()), *out);
      return out;
    }
    if (auto* yo = dynamic_cast<P::YaraOffsetContext*>(ctx)) {
      YaraPtr out = NewYara(K::kStringOffset, span);
      out->id = Name(Need(yo->OFFSET_ID()));
      if (P::YaraExprContext* index = yo->yaraExpr()) out->children.push_back(YaraOr(index));
      return out;
    }
    if (auto* yl = dynamic_cast<P::YaraLengthContext*>(ctx)) {
      YaraPtr out = NewYara(K::kStringLength, span);
      out->id = Name(Need(yl->LENGTH_ID()));
      if (P::YaraExprContext* index = yl->yaraExpr()) out->children.push_back(YaraOr(index));
      return out;
    }
    if (auto* yi = dynamic_cast<P::YaraIdentifierContext*>(ctx)) {
      YaraPtr out = NewYara(K::kIdentifier, span);
      out->text = Name(Need(yi->name())).text;
      return out;
    }
    if (auto* yo = dynamic_cast<P::YaraOfContext*>(ctx)) {
      YaraPtr out = NewYara(K::kOf, span);
      Quantifier(Need(yo->yaraQuantifier()), *out);
      if (P::YaraStringSetContext* set = yo->yaraStringSet()) {
        StringSet(set, *out);
      } else {
        RuleSet(Need(yo->yaraRuleSet()), *out);
      }
      if (yo->IN() != nullptr) Range(Need(yo->yaraRange()), *out);
      if (yo->AT() != nullptr) {
        // YARA 4.3's `of ... at N`, parsed only so that semantic analysis
        // can refuse it with the version (E0606): the offset is the node's
        // only child and op_span runs from `at` to the end.
        out->op_span = Span{span.file, r_.SpanOf(yo->AT()->getSymbol()).begin, span.end};
        out->children.push_back(Chain(Need(yo->yaraAdd())));
      }
      return out;
    }
    if (auto* yfo = dynamic_cast<P::YaraForOfContext*>(ctx)) {
      DepthGuard guard(*this, 1, ctx);
      YaraPtr out = NewYara(K::kForOf, span);
      Quantifier(Need(yfo->yaraQuantifier()), *out);
      StringSet(Need(yfo->yaraStringSet()), *out);
      out->body = YaraOr(Need(yfo->yaraExpr()));
      return out;
    }
    if (auto* yfi = dynamic_cast<P::YaraForInContext*>(ctx)) {
      DepthGuard guard(*this, 1, ctx);
      YaraPtr out = NewYara(K::kForIn, span);
      Quantifier(Need(yfi->yaraQuantifier()), *out);
      for (P::NameContext* var : yfi->name()) out->vars.push_back(Name(var));
      P::YaraIterableContext* iterable = Need(yfi->yaraIterable());
      if (P::YaraRangeContext* range = iterable->yaraRange()) {
        out->iter_is_range = true;
        Range(range, *out);
      } else if (P::YaraPostfixContext* expr = iterable->yaraPostfix()) {
        out->iter_is_expr = true;
        out->iter_items.push_back(Postfix(expr));
      } else {
        for (P::YaraExprContext* item : iterable->yaraExpr()) out->iter_items.push_back(YaraOr(item));
        if (out->iter_items.empty()) throw BrokenTree{};
      }
      out->body = YaraOr(Need(yfi->yaraExpr()));
      return out;
    }
    throw BrokenTree{};
  }

  Reporter& r_;
  DiagnosticEngine& diags_;
  size_t max_nesting_;
  size_t max_depth_;
  size_t depth_ = 0;
};

// ---- the pipeline ---------------------------------------------------------------------

std::optional<ast::File> Parse(const SourceFile& file, DiagnosticEngine& diags,
                               const ParseOptions& options) {
  if (!CheckInput(file, diags, options)) return std::nullopt;

  // The runtime would drop a leading byte-order mark on its own and shift
  // every position; drop it here so the position map agrees.
  std::string_view text = file.text();
  uint32_t base = 0;
  while (text.substr(base, 3) == "\xEF\xBB\xBF") base += 3;
  std::string_view lexed = text.substr(base);
  PositionMap positions(lexed, base);
  Reporter reporter(file, positions, diags, options.max_syntax_errors);

  antlr4::ANTLRInputStream input(lexed.data(), lexed.size());
  if (input.size() != positions.code_points()) {
    throw std::logic_error("the ANTLR input stream and the position map disagree");
  }
  // The hand-written lexer (ward_lexer.h, which also includes ANTLR headers
  // for the generated token types) gives exactly the generated lexer's
  // tokens in a fraction of its time; `input` still serves the tokens' text.
  TokenSource lexer(lexed, &input);
  antlr4::CommonTokenStream tokens(&lexer);
  tokens.fill();
  if (!ScanTokens(tokens, reporter, options.max_nesting)) return std::nullopt;

  // Stage 1: SLL prediction, bail out at the first error. Almost every file
  // parses here, and this mode is far faster than full LL in the C++ runtime.
  P parser(&tokens);
  parser.removeErrorListeners();
  auto* interpreter = parser.getInterpreter<antlr4::atn::ParserATNSimulator>();
  interpreter->setPredictionMode(antlr4::atn::PredictionMode::SLL);
  parser.setErrorHandler(std::make_shared<antlr4::BailErrorStrategy>());
  P::FileContext* tree = nullptr;
  bool recovered = false;
  try {
    tree = parser.file();
  } catch (const antlr4::ParseCancellationException&) {
    recovered = true;
  }
  ParserListener parser_listener(reporter);
  if (recovered) {
    // Stage 2: full LL with recovery, reporting every error (up to the cap).
    tokens.seek(0);
    parser.reset();
    interpreter->setPredictionMode(antlr4::atn::PredictionMode::LL);
    parser.setErrorHandler(std::make_shared<ErrorStrategy>(reporter));
    parser.addErrorListener(&parser_listener);
    tree = parser.file();
  }
  if (tree == nullptr) throw std::logic_error("the parser returned no tree");
  AstBuilder builder(reporter, options);
  return builder.Build(tree, /*check_intact=*/recovered);
}

}  // namespace

std::optional<ast::File> ParseFile(const SourceFile& file, DiagnosticEngine& diags,
                                   const ParseOptions& options) {
  // Nothing may escape: ANTLR's exceptions derive from std::exception, and
  // anything else (a bug) is still an internal error rather than a crash.
  try {
    return Parse(file, diags, options);
  } catch (const std::exception& e) {
    diags.Report(Diag(DiagCode::kInternalError, Span{file.id(), 0, 0},
                      std::string("internal error while parsing: ") + e.what())
                     .Help("please report this bug together with the file"));
  } catch (...) {
    diags.Report(Diag(DiagCode::kInternalError, Span{file.id(), 0, 0},
                      "internal error while parsing: unknown exception")
                     .Help("please report this bug together with the file"));
  }
  return std::nullopt;
}

}  // namespace ward::syntax
