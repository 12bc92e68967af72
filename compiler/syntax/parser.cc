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

// Every token in the stream is a CommonToken made by TokenSource below, so
// it is writable without a dynamic_cast per token.
antlr4::WritableToken* Writable(Token* token) { return static_cast<antlr4::CommonToken*>(token); }

// Reports the lexer's error tokens and hides them from the parser (each
// problem is reported once, not again as a syntax error), then measures the
// nesting depth. False when the input nests too deeply to parse safely.
bool ScanTokens(antlr4::CommonTokenStream& tokens, Reporter& reporter, size_t max_nesting) {
  NestingTracker nesting(max_nesting);
  size_t previous_type = Token::INVALID_TYPE;  // last default-channel token
  const size_t count = tokens.size();
  for (size_t i = 0; i < count; ++i) {
    Token* token = tokens.get(i);
    auto* writable = Writable(token);
    size_t type = token->getType();
    if (type == P::ERROR_CHAR) {
      // Consecutive bad characters are one problem.
      Span span = reporter.SpanOf(token);
      size_t j = i;
      while (j + 1 < count && tokens.get(j + 1)->getType() == P::ERROR_CHAR &&
             reporter.SpanOf(tokens.get(j + 1)).begin == span.end) {
        ++j;
        span.end = reporter.SpanOf(tokens.get(j)).end;
        Writable(tokens.get(j))->setChannel(Token::HIDDEN_CHANNEL);
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
        Writable(before)->setType(P::TSTRING);
        for (size_t j = i; j < count; ++j) {
          Token* t = tokens.get(j);
          if (t->getType() == Token::EOF) break;
          Writable(t)->setChannel(Token::HIDDEN_CHANNEL);
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
class TokenSource final : public antlr4::TokenSource {
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

// CommonTokenStream with a cheaper fetch: BufferedTokenStream::fetch finds
// each token's WritableToken with a dynamic_cast, and every token here is a
// CommonToken made by TokenSource.
class TokenStream final : public antlr4::CommonTokenStream {
 public:
  explicit TokenStream(TokenSource* source) : CommonTokenStream(source), source_(source) {}

 protected:
  size_t fetch(size_t n) override {
    if (_fetchedEOF) return 0;
    size_t i = 0;
    while (i < n) {
      std::unique_ptr<Token> token = source_->nextToken();
      static_cast<antlr4::CommonToken*>(token.get())->setTokenIndex(_tokens.size());
      bool eof = token->getType() == Token::EOF;
      _tokens.push_back(std::move(token));
      ++i;
      if (eof) {
        _fetchedEOF = true;
        break;
      }
    }
    return i;
  }

 private:
  TokenSource* source_;
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

// ---- parse-tree navigation without dynamic_cast --------------------------------
//
// The generated typed accessors (`ctx->name()`, `ctx->STRING()`) and a chain
// of `dynamic_cast`s per labelled alternative cost about a tenth of a build
// (GCC's failed casts compare mangled type names with strcmp). The walk below
// reads `ctx->children` directly: a child is a terminal when its dynamic type
// is one of the runtime's two terminal classes, any other child is a
// ParserRuleContext and is told apart by its rule index; a labelled
// alternative is matched by its exact dynamic type. The type_info objects of
// classes with a key function are unique in the process (the generated
// contexts' are in the generated parser, the terminals' in the runtime
// library), so comparing their addresses is exact.

template <typename T>
struct RuleOf;
#define WARD_RULE_OF(X)                         \
  template <>                                   \
  struct RuleOf<P::X##Context> {                \
    static constexpr size_t value = P::Rule##X; \
  };
WARD_RULE_OF(Body)
WARD_RULE_OF(CatalogBody)
WARD_RULE_OF(Decl)
WARD_RULE_OF(FieldPath)
WARD_RULE_OF(ImportDecl)
WARD_RULE_OF(Member)
WARD_RULE_OF(Name)
WARD_RULE_OF(ObjectEntry)
WARD_RULE_OF(PackageDecl)
WARD_RULE_OF(QualifiedName)
WARD_RULE_OF(RelOp)
WARD_RULE_OF(SelectionPattern)
WARD_RULE_OF(SigmaAnd)
WARD_RULE_OF(SigmaExpr)
WARD_RULE_OF(SigmaModifier)
WARD_RULE_OF(SigmaOp)
WARD_RULE_OF(SigmaPrimary)
WARD_RULE_OF(SigmaUnary)
WARD_RULE_OF(SigmaValue)
WARD_RULE_OF(SigmaValues)
WARD_RULE_OF(Threshold)
WARD_RULE_OF(Value)
WARD_RULE_OF(ValueList)
WARD_RULE_OF(YaraAdd)
WARD_RULE_OF(YaraAnd)
WARD_RULE_OF(YaraBitOr)
WARD_RULE_OF(YaraExpr)
WARD_RULE_OF(YaraInt)
WARD_RULE_OF(YaraIterable)
WARD_RULE_OF(YaraNot)
WARD_RULE_OF(YaraPostfix)
WARD_RULE_OF(YaraPrimary)
WARD_RULE_OF(YaraQuantifier)
WARD_RULE_OF(YaraRange)
WARD_RULE_OF(YaraRelation)
WARD_RULE_OF(YaraRuleSet)
WARD_RULE_OF(YaraString)
WARD_RULE_OF(YaraStringModifier)
WARD_RULE_OF(YaraStringSet)
WARD_RULE_OF(YaraSuffix)
WARD_RULE_OF(YaraUnary)
#undef WARD_RULE_OF

bool IsTerminal(const ParseTree* tree) {
  const std::type_info* type = &typeid(*tree);
  return type == &typeid(antlr4::tree::TerminalNodeImpl) ||
         type == &typeid(antlr4::tree::ErrorNodeImpl);
}

// The rule context `tree` is, or nullptr for a terminal.
ParserRuleContext* AsRule(ParseTree* tree) {
  return tree == nullptr || IsTerminal(tree) ? nullptr : static_cast<ParserRuleContext*>(tree);
}

bool IsRule(ParseTree* tree, size_t rule) {
  ParserRuleContext* ctx = AsRule(tree);
  return ctx != nullptr && ctx->getRuleIndex() == rule;
}

// `tree` as the labelled alternative T, or nullptr when it is another one.
template <typename T>
T* Alt(ParseTree* tree) {
  return tree != nullptr && &typeid(*tree) == &typeid(T) ? static_cast<T*>(tree) : nullptr;
}

// The index-th child of rule T (what `ctx->rule(index)` returns), or nullptr.
template <typename T>
T* One(ParserRuleContext* ctx, size_t index = 0) {
  for (ParseTree* child : ctx->children) {
    if (IsRule(child, RuleOf<T>::value) && index-- == 0) return static_cast<T*>(child);
  }
  return nullptr;
}

// Every child of rule T, in order (what `ctx->rule()` returns).
template <typename T>
std::vector<T*> All(ParserRuleContext* ctx) {
  std::vector<T*> out;
  for (ParseTree* child : ctx->children) {
    if (IsRule(child, RuleOf<T>::value)) out.push_back(static_cast<T*>(child));
  }
  return out;
}

// The index-th terminal child of token `type` (what `ctx->TOKEN(index)`
// returns: error nodes, i.e. conjured or extra tokens, included), or nullptr.
TerminalNode* Tok(ParserRuleContext* ctx, size_t type, size_t index = 0) {
  for (ParseTree* child : ctx->children) {
    if (!IsTerminal(child)) continue;
    auto* node = static_cast<TerminalNode*>(child);
    if (node->getSymbol()->getType() == type && index-- == 0) return node;
  }
  return nullptr;
}

std::vector<TerminalNode*> Toks(ParserRuleContext* ctx, size_t type) {
  std::vector<TerminalNode*> out;
  for (ParseTree* child : ctx->children) {
    if (!IsTerminal(child)) continue;
    auto* node = static_cast<TerminalNode*>(child);
    if (node->getSymbol()->getType() == type) out.push_back(node);
  }
  return out;
}

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
    if (P::PackageDeclContext* package = One<P::PackageDeclContext>(ctx)) {
      if (!check_intact || Intact(package))
        out.package = QName(Need(One<P::QualifiedNameContext>(package)));
    } else if (!r_.package_reported) {
      Token* first = ctx->getStart();
      std::string found = first == nullptr || first->getType() == Token::EOF
                              ? ""
                              : ", found " + DescribeFound("", r_.TextOf(first));
      r_.ReportSyntax(Diag(DiagCode::kSyntaxError, r_.SpanOf(first),
                           "expected `package` declaration" + found)
                          .Help(kPackageHelp));
    }
    for (P::ImportDeclContext* import : All<P::ImportDeclContext>(ctx)) {
      if (check_intact && !Intact(import)) continue;
      try {
        out.imports.push_back(Import(import));
      } catch (const BrokenTree&) {
      }
    }
    for (P::DeclContext* decl : All<P::DeclContext>(ctx)) {
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
    std::vector<P::NameContext*> parts = All<P::NameContext>(ctx);
    out.parts.reserve(parts.size());
    for (P::NameContext* part : parts) out.parts.push_back(Name(part));
    if (out.parts.empty()) throw BrokenTree{};
    out.span = At(ctx);
    return out;
  }
  ast::FieldPath Field(P::FieldPathContext* ctx) {
    ast::FieldPath out;
    out.span = At(ctx);
    if (TerminalNode* quoted = Tok(ctx, P::BQ_NAME)) {
      std::string text = Text(At(quoted));
      out.text = text.substr(1, text.size() - 2);
      out.quoted = true;
      return out;
    }
    for (P::NameContext* part : All<P::NameContext>(ctx)) {
      if (!out.text.empty()) out.text += '.';
      out.text += Name(part).text;
    }
    if (out.text.empty()) throw BrokenTree{};
    return out;
  }
  std::optional<ast::Name> DeclName(P::DeclContext* ctx) {
    P::NameContext* name = nullptr;
    if (auto* c = Alt<P::CatalogDeclContext>(ctx)) name = One<P::NameContext>(c);
    if (auto* c = Alt<P::EntityDeclContext>(ctx)) name = One<P::NameContext>(c);
    if (auto* c = Alt<P::DetectionDeclContext>(ctx)) name = One<P::NameContext>(c, 1);
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
    out.path = QName(Need(One<P::QualifiedNameContext>(ctx)));
    out.wildcard = Tok(ctx, P::STAR) != nullptr;
    if (P::NameContext* alias = One<P::NameContext>(ctx)) out.alias = Name(alias);
    out.span = At(ctx);
    return out;
  }

  ast::Decl Decl(P::DeclContext* ctx) {
    ast::Decl out;
    out.span = At(ctx);
    TerminalNode* title = nullptr;
    if (auto* cd = Alt<P::CatalogDeclContext>(ctx)) {
      out.kind = ast::Decl::Kind::kCatalog;
      out.keyword_span = At(Tok(cd, P::CATALOG));
      out.name = Name(Need(One<P::NameContext>(cd)));
      title = Tok(cd, P::STRING);
      CatalogBody(Need(One<P::CatalogBodyContext>(cd)), out);
    } else if (auto* e = Alt<P::EntityDeclContext>(ctx)) {
      switch (Need(e->kind)->getType()) {
        case P::ASSET: out.kind = ast::Decl::Kind::kAsset; break;
        case P::PERSONA: out.kind = ast::Decl::Kind::kPersona; break;
        case P::THREAT: out.kind = ast::Decl::Kind::kThreat; break;
        case P::MITIGATION: out.kind = ast::Decl::Kind::kMitigation; break;
        case P::FILTER: out.kind = ast::Decl::Kind::kFilter; break;
        default: throw BrokenTree{};
      }
      out.keyword_span = At(e->kind);
      out.name = Name(Need(One<P::NameContext>(e)));
      title = Tok(e, P::STRING);
      out.body = Body(Need(One<P::BodyContext>(e)));
    } else if (auto* d = Alt<P::DetectionDeclContext>(ctx)) {
      out.kind = ast::Decl::Kind::kDetection;
      out.keyword_span = At(Tok(d, P::DETECTION));
      out.detection_kind = Name(Need(d->detKind));
      out.name = Name(Need(One<P::NameContext>(d, 1)));
      title = Tok(d, P::STRING);
      out.body = Body(Need(One<P::BodyContext>(d)));
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
      if (auto* entry = Alt<P::EntryContext>(child)) {
        decl.entries.push_back(Entry(entry));
      } else if (IsRule(child, P::RuleMember)) {
        decl.body.members.push_back(Member(static_cast<P::MemberContext*>(child)));
      }
    }
  }

  ast::CatalogEntry Entry(P::EntryContext* ctx) {
    ast::CatalogEntry out;
    out.span = At(ctx);
    std::vector<TerminalNode*> strings = Toks(ctx, P::STRING);
    if (strings.empty()) throw BrokenTree{};
    out.id = String(strings[0]);
    out.id_span = At(strings[0]);
    if (strings.size() > 1) {
      out.title = String(strings[1]);
      out.title_span = At(strings[1]);
    }
    if (P::BodyContext* body = One<P::BodyContext>(ctx)) out.body = Body(body);
    return out;
  }

  ast::Body Body(P::BodyContext* ctx) {
    ast::Body out;
    out.span = At(ctx);
    // Reserved exactly: members are the largest AST nodes, and vector growth
    // left a third of their memory unused (docs/performance.md).
    std::vector<P::MemberContext*> members = All<P::MemberContext>(ctx);
    out.members.reserve(members.size());
    for (P::MemberContext* member : members) out.members.push_back(Member(member));
    return out;
  }

  ast::Member Member(P::MemberContext* ctx) {
    ast::Member out;
    out.span = At(ctx);
    if (auto* pm = Alt<P::PropertyMemberContext>(ctx)) {
      out.kind = ast::Member::Kind::kProperty;
      out.property.key = Name(Need(One<P::NameContext>(pm)));
      out.keyword_span = out.property.key.span;
      std::vector<P::ValueContext*> values =
          All<P::ValueContext>(Need(One<P::ValueListContext>(pm)));
      out.property.values.reserve(values.size());
      for (P::ValueContext* value : values) out.property.values.push_back(Value(value));
      if (out.property.values.empty()) throw BrokenTree{};
      out.property.span = out.span;
    } else if (auto* wm = Alt<P::WhenMemberContext>(ctx)) {
      out.kind = ast::Member::Kind::kWhen;
      out.keyword_span = At(Tok(wm, P::WHEN));
      out.detail().sigma = SigmaOr(Need(One<P::SigmaExprContext>(wm)));
    } else if (auto* cm = Alt<P::ConditionMemberContext>(ctx)) {
      out.kind = ast::Member::Kind::kCondition;
      out.keyword_span = At(Tok(cm, P::CONDITION));
      out.detail().yara = YaraOr(Need(One<P::YaraExprContext>(cm)));
    } else if (auto* wh = Alt<P::WhereMemberContext>(ctx)) {
      out.kind = ast::Member::Kind::kWhere;
      out.keyword_span = At(Tok(wh, P::WHERE));
      for (P::ThresholdContext* t : All<P::ThresholdContext>(wh))
        out.detail().thresholds.push_back(Threshold(t));
      if (out.detail().thresholds.empty()) throw BrokenTree{};
    } else if (auto* lm = Alt<P::LetMemberContext>(ctx)) {
      out.kind = ast::Member::Kind::kLet;
      out.keyword_span = At(Tok(lm, P::LET));
      out.detail().let_name = Name(Need(One<P::NameContext>(lm)));
      out.detail().sigma = SigmaOr(Need(One<P::SigmaExprContext>(lm)));
    } else if (auto* sm = Alt<P::StringsMemberContext>(ctx)) {
      out.kind = ast::Member::Kind::kStrings;
      out.keyword_span = At(Tok(sm, P::STRINGS));
      for (P::YaraStringContext* s : All<P::YaraStringContext>(sm))
        out.detail().strings.push_back(YaraString(s));
    } else if (auto* bm = Alt<P::BlockMemberContext>(ctx)) {
      out.kind = ast::Member::Kind::kBlock;
      auto block = std::make_unique<ast::Block>();
      std::vector<P::NameContext*> names = All<P::NameContext>(bm);
      if (names.empty()) throw BrokenTree{};
      block->kind = Name(names[0]);
      if (names.size() > 1) block->label = Name(names[1]);
      for (TerminalNode* arg : Toks(bm, P::STRING)) block->args.emplace_back(String(arg), At(arg));
      block->body = Body(Need(One<P::BodyContext>(bm)));
      block->span = out.span;
      out.keyword_span = block->kind.span;
      out.detail().block = std::move(block);
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
    if (auto* sv = Alt<P::StringValueContext>(ctx)) {
      out.kind = K::kString;
      out.text =
          String(Tok(sv, P::STRING) != nullptr ? Tok(sv, P::STRING) : Need(Tok(sv, P::TSTRING)));
    } else if (auto* nv = Alt<P::NumberValueContext>(ctx)) {
      out.kind = K::kNumber;
      TerminalNode* digits = Tok(nv, P::INT) != nullptr     ? Tok(nv, P::INT)
                             : Tok(nv, P::FLOAT) != nullptr ? Tok(nv, P::FLOAT)
                                                            : Need(Tok(nv, P::HEX_NUMBER));
      out.mutable_number() = Number(Tok(nv, P::MINUS), digits);
    } else if (auto* dv = Alt<P::DateValueContext>(ctx)) {
      out.kind = K::kDate;
      out.text = Text(At(Tok(dv, P::DATE)));
    } else if (auto* du = Alt<P::DurationValueContext>(ctx)) {
      out.kind = K::kDuration;
      out.text = Text(At(Tok(du, P::DURATION)));
    } else if (auto* bv = Alt<P::BoolValueContext>(ctx)) {
      out.kind = K::kBool;
      out.boolean = Tok(bv, P::TRUE) != nullptr;
    } else if (Alt<P::NullValueContext>(ctx) != nullptr) {
      out.kind = K::kNull;
    } else if (auto* rv = Alt<P::RefValueContext>(ctx)) {
      out.kind = K::kRef;
      out.ref = QName(Need(One<P::QualifiedNameContext>(rv)));
      if (TerminalNode* key = Tok(rv, P::STRING)) {
        out.set_catalog_key(String(key), At(key));
      }
    } else if (auto* lv = Alt<P::ListValueContext>(ctx)) {
      out.kind = K::kList;
      std::vector<P::ValueContext*> items = All<P::ValueContext>(lv);
      std::vector<ast::Value>& list = out.mutable_items();
      list.reserve(items.size());
      for (P::ValueContext* item : items) list.push_back(Value(item));
    } else if (auto* ov = Alt<P::ObjectValueContext>(ctx)) {
      out.kind = K::kObject;
      for (P::ObjectEntryContext* entry : All<P::ObjectEntryContext>(ov)) {
        ast::ObjectEntry e;
        if (P::FieldPathContext* field = One<P::FieldPathContext>(entry)) {
          ast::FieldPath path = Field(field);
          e.key = path.text;
          e.key_span = path.span;
        } else {
          TerminalNode* key = Need(Tok(entry, P::STRING));
          e.key = String(key);
          e.key_span = At(key);
        }
        e.value = Value(Need(One<P::ValueContext>(entry)));
        out.mutable_entries().push_back(std::move(e));
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
    std::vector<P::SigmaAndContext*> parts = All<P::SigmaAndContext>(ctx);
    if (parts.empty()) throw BrokenTree{};
    if (parts.size() == 1) return SigmaAnd(parts[0]);
    auto out = std::make_unique<ast::SigmaExpr>();
    out->kind = ast::SigmaExpr::Kind::kOr;
    out->span = At(ctx);
    for (P::SigmaAndContext* part : parts) out->children.push_back(SigmaAnd(part));
    return out;
  }

  SigmaPtr SigmaAnd(P::SigmaAndContext* ctx) {
    std::vector<P::SigmaUnaryContext*> parts = All<P::SigmaUnaryContext>(ctx);
    if (parts.empty()) throw BrokenTree{};
    if (parts.size() == 1) return SigmaUnary(parts[0]);
    auto out = std::make_unique<ast::SigmaExpr>();
    out->kind = ast::SigmaExpr::Kind::kAnd;
    out->span = At(ctx);
    for (P::SigmaUnaryContext* part : parts) out->children.push_back(SigmaUnary(part));
    return out;
  }

  SigmaPtr SigmaUnary(P::SigmaUnaryContext* ctx) {
    if (auto* sn = Alt<P::SigmaNotContext>(ctx)) {
      DepthGuard guard(*this, 1, ctx);
      auto out = std::make_unique<ast::SigmaExpr>();
      out->kind = ast::SigmaExpr::Kind::kNot;
      out->span = At(ctx);
      out->children.push_back(SigmaUnary(Need(One<P::SigmaUnaryContext>(sn))));
      return out;
    }
    auto* atom = Alt<P::SigmaAtomContext>(ctx);
    return SigmaPrimary(Need(One<P::SigmaPrimaryContext>(Need(atom))));
  }

  SigmaPtr SigmaPrimary(P::SigmaPrimaryContext* ctx) {
    if (auto* c = Alt<P::SigmaParenContext>(ctx)) return SigmaOr(Need(One<P::SigmaExprContext>(c)));
    auto out = std::make_unique<ast::SigmaExpr>();
    out->span = At(ctx);
    using K = ast::SigmaExpr::Kind;
    if (auto* sk = Alt<P::SigmaKeywordsContext>(ctx)) {
      out->kind = K::kKeywords;
      Quantifier(sk->quant, *out);
      Modifiers(All<P::SigmaModifierContext>(sk), *out);
      SigmaValues(Need(One<P::SigmaValuesContext>(sk)), *out);
    } else if (auto* se = Alt<P::SigmaExistsContext>(ctx)) {
      out->kind = K::kExists;
      out->field = Field(Need(One<P::FieldPathContext>(se)));
      out->op_span = At(Tok(se, P::EXISTS));
    } else if (auto* stp = Alt<P::SigmaTimePredicateContext>(ctx)) {
      out->kind = K::kPredicate;
      out->time_part = Name(Need(stp->timePart));
      out->field = Field(Need(One<P::FieldPathContext>(stp)));
      Op(Need(One<P::SigmaOpContext>(stp)), out->op, out->op_span);
      Modifiers(All<P::SigmaModifierContext>(stp), *out);
      SigmaValues(Need(One<P::SigmaValuesContext>(stp)), *out);
    } else if (auto* sp = Alt<P::SigmaPredicateContext>(ctx)) {
      out->kind = K::kPredicate;
      out->field = Field(Need(One<P::FieldPathContext>(sp)));
      Op(Need(One<P::SigmaOpContext>(sp)), out->op, out->op_span);
      Quantifier(sp->quant, *out);
      Modifiers(All<P::SigmaModifierContext>(sp), *out);
      SigmaValues(Need(One<P::SigmaValuesContext>(sp)), *out);
    } else if (auto* sop = Alt<P::SigmaOfPatternContext>(ctx)) {
      out->kind = K::kOfPattern;
      Quantifier(sop->quant, *out);
      P::SelectionPatternContext* pattern = Need(One<P::SelectionPatternContext>(sop));
      for (P::NameContext* name : All<P::NameContext>(pattern)) out->names.push_back(Name(name));
      out->wildcard = Tok(pattern, P::STAR) != nullptr;
    } else if (auto* ssr = Alt<P::SigmaSelectionRefContext>(ctx)) {
      out->kind = K::kSelection;
      out->names.push_back(Name(Need(One<P::NameContext>(ssr))));
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
    out.bracketed = Tok(ctx, P::LBRACKET) != nullptr;
    std::vector<P::SigmaValueContext*> values = All<P::SigmaValueContext>(ctx);
    out.values.reserve(values.size());
    for (P::SigmaValueContext* value : values) out.values.push_back(SigmaValue(value));
    if (out.values.empty()) throw BrokenTree{};
  }

  ast::SigmaValue SigmaValue(P::SigmaValueContext* ctx) {
    using K = ast::SigmaValue::Kind;
    ast::SigmaValue out;
    out.span = At(ctx);
    if (TerminalNode* s =
            Tok(ctx, P::STRING) != nullptr ? Tok(ctx, P::STRING) : Tok(ctx, P::TSTRING)) {
      out.kind = K::kString;
      out.text = String(s);
    } else if (TerminalNode* n =
                   Tok(ctx, P::INT) != nullptr ? Tok(ctx, P::INT) : Tok(ctx, P::FLOAT)) {
      out.kind = K::kNumber;
      out.number = Number(Tok(ctx, P::MINUS), n);
    } else if (Tok(ctx, P::NULL_) != nullptr) {
      out.kind = K::kNull;
    } else if (Tok(ctx, P::TRUE) != nullptr || Tok(ctx, P::FALSE) != nullptr) {
      out.kind = K::kBool;
      out.boolean = Tok(ctx, P::TRUE) != nullptr;
    } else if (TerminalNode* re = Tok(ctx, P::REGEX)) {
      out.kind = K::kRegex;
      SplitRegex(r_.TextOf(At(re)), out.text, out.regex_flags);
    } else if (Tok(ctx, P::FIELD) != nullptr) {
      out.kind = K::kFieldRef;
      out.field = Field(Need(One<P::FieldPathContext>(ctx)));
    } else {
      throw BrokenTree{};
    }
    return out;
  }

  ast::Threshold Threshold(P::ThresholdContext* ctx) {
    ast::Threshold out;
    out.span = At(ctx);
    out.aggregate = Name(Need(One<P::NameContext>(ctx)));
    if (P::FieldPathContext* field = One<P::FieldPathContext>(ctx)) out.field = Field(field);
    Op(Need(One<P::SigmaOpContext>(ctx)), out.op, out.op_span);
    TerminalNode* digits =
        Tok(ctx, P::INT) != nullptr ? Tok(ctx, P::INT) : Need(Tok(ctx, P::FLOAT));
    out.value = Number(Tok(ctx, P::MINUS), digits);
    return out;
  }

  // ---- YARA strings
  ast::YaraString YaraString(P::YaraStringContext* ctx) {
    ast::YaraString out;
    out.span = At(ctx);
    std::vector<P::YaraStringModifierContext*> mods;
    if (auto* yhs = Alt<P::YaraHexStringContext>(ctx)) {
      out.kind = ast::YaraString::Kind::kHex;
      out.id = Name(Need(Tok(yhs, P::STRING_ID)));
      Span token = At(Tok(yhs, P::HEX_BLOCK));
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
      mods = All<P::YaraStringModifierContext>(yhs);
    } else if (auto* yts = Alt<P::YaraTextStringContext>(ctx)) {
      out.id = Name(Need(Tok(yts, P::STRING_ID)));
      if (TerminalNode* re = Tok(yts, P::REGEX)) {
        out.kind = ast::YaraString::Kind::kRegex;
        out.value_span = At(re);
        SplitRegex(r_.TextOf(out.value_span), out.text, out.regex_flags);
      } else {
        TerminalNode* s = Need(Tok(yts, P::STRING));
        out.kind = ast::YaraString::Kind::kText;
        out.value_span = At(s);
        out.text = String(s);
      }
      mods = All<P::YaraStringModifierContext>(yts);
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
    std::vector<P::YaraIntContext*> ints = All<P::YaraIntContext>(ctx);
    if (!ints.empty()) out.xor_low = Integer(ints[0]);
    if (ints.size() > 1) out.xor_high = Integer(ints[1]);
    if (TerminalNode* alphabet = Tok(ctx, P::STRING)) {
      out.alphabet = String(alphabet);
      out.alphabet_span = At(alphabet);
    }
    return out;
  }

  int64_t Integer(P::YaraIntContext* ctx) {
    TerminalNode* digits =
        Tok(ctx, P::INT) != nullptr ? Tok(ctx, P::INT) : Need(Tok(ctx, P::HEX_NUMBER));
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
    std::vector<P::YaraAndContext*> parts = All<P::YaraAndContext>(ctx);
    if (parts.empty()) throw BrokenTree{};
    if (parts.size() == 1) return YaraAnd(parts[0]);
    YaraPtr out = NewYara(ast::YaraExpr::Kind::kOr, At(ctx));
    for (P::YaraAndContext* part : parts) out->children.push_back(YaraAnd(part));
    return out;
  }

  YaraPtr YaraAnd(P::YaraAndContext* ctx) {
    std::vector<P::YaraNotContext*> parts = All<P::YaraNotContext>(ctx);
    if (parts.empty()) throw BrokenTree{};
    if (parts.size() == 1) return YaraNot(parts[0]);
    YaraPtr out = NewYara(ast::YaraExpr::Kind::kAnd, At(ctx));
    for (P::YaraNotContext* part : parts) out->children.push_back(YaraNot(part));
    return out;
  }

  YaraPtr YaraNot(P::YaraNotContext* ctx) {
    if (auto* c = Alt<P::YaraRelContext>(ctx))
      return YaraRelation(Need(One<P::YaraRelationContext>(c)));
    DepthGuard guard(*this, 1, ctx);
    if (auto* yn = Alt<P::YaraNegationContext>(ctx)) {
      YaraPtr out = NewYara(ast::YaraExpr::Kind::kNot, At(ctx));
      out->children.push_back(YaraNot(Need(One<P::YaraNotContext>(yn))));
      return out;
    }
    if (auto* yd = Alt<P::YaraDefinedContext>(ctx)) {
      YaraPtr out = NewYara(ast::YaraExpr::Kind::kDefined, At(ctx));
      out->children.push_back(YaraNot(Need(One<P::YaraNotContext>(yd))));
      return out;
    }
    throw BrokenTree{};
  }

  YaraPtr YaraRelation(P::YaraRelationContext* ctx) {
    std::vector<P::YaraBitOrContext*> sides = All<P::YaraBitOrContext>(ctx);
    if (sides.empty()) throw BrokenTree{};
    YaraPtr left = Chain(sides[0]);
    if (sides.size() == 1) return left;
    P::RelOpContext* op = Need(One<P::RelOpContext>(ctx));
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
    if (ctx->getRuleIndex() == P::RuleYaraUnary) {
      return YaraUnary(static_cast<P::YaraUnaryContext*>(ctx));
    }
    std::vector<ParseTree*> operands;
    std::vector<TerminalNode*> ops;
    for (ParseTree* child : ctx->children) {
      if (IsTerminal(child)) {
        ops.push_back(static_cast<TerminalNode*>(child));
      } else {
        operands.push_back(child);
      }
    }
    if (operands.empty() || ops.size() + 1 != operands.size()) throw BrokenTree{};
    if (operands.size() == 1) return Chain(static_cast<ParserRuleContext*>(operands[0]));
    DepthGuard guard(*this, operands.size() - 1, ctx);
    YaraPtr out = Chain(static_cast<ParserRuleContext*>(operands[0]));
    for (size_t i = 0; i < ops.size(); ++i) {
      out = Binary(std::move(out), At(ops[i]),
                   Chain(static_cast<ParserRuleContext*>(operands[i + 1])));
    }
    return out;
  }

  YaraPtr YaraUnary(P::YaraUnaryContext* ctx) {
    if (auto* c = Alt<P::YaraPostfixExprContext>(ctx))
      return Postfix(Need(One<P::YaraPostfixContext>(c)));
    auto* c = Alt<P::YaraPrefixContext>(ctx);
    if (c == nullptr) throw BrokenTree{};
    DepthGuard guard(*this, 1, ctx);
    YaraPtr out = NewYara(ast::YaraExpr::Kind::kUnary, At(ctx));
    TerminalNode* op = Tok(c, P::MINUS) != nullptr ? Tok(c, P::MINUS) : Need(Tok(c, P::TILDE));
    out->op = Text(At(op));
    out->op_span = At(op);
    out->children.push_back(YaraUnary(Need(One<P::YaraUnaryContext>(c))));
    return out;
  }

  YaraPtr Postfix(P::YaraPostfixContext* ctx) {
    std::vector<P::YaraSuffixContext*> suffixes = All<P::YaraSuffixContext>(ctx);
    DepthGuard guard(*this, suffixes.size(), ctx);
    YaraPtr out = Primary(Need(One<P::YaraPrimaryContext>(ctx)));
    for (P::YaraSuffixContext* suffix : suffixes) {
      Span span = Join(out->span, At(suffix));
      if (auto* m = Alt<P::YaraMemberContext>(suffix)) {
        YaraPtr node = NewYara(ast::YaraExpr::Kind::kMember, span);
        node->text = Name(Need(One<P::NameContext>(m))).text;
        node->children.push_back(std::move(out));
        out = std::move(node);
      } else if (auto* i = Alt<P::YaraIndexContext>(suffix)) {
        YaraPtr node = NewYara(ast::YaraExpr::Kind::kIndex, span);
        node->children.push_back(std::move(out));
        node->children.push_back(YaraOr(Need(One<P::YaraExprContext>(i))));
        out = std::move(node);
      } else if (auto* call = Alt<P::YaraCallContext>(suffix)) {
        YaraPtr node = NewYara(ast::YaraExpr::Kind::kCall, span);
        node->children.push_back(std::move(out));
        for (P::YaraExprContext* arg : All<P::YaraExprContext>(call))
          node->children.push_back(YaraOr(arg));
        out = std::move(node);
      } else {
        throw BrokenTree{};
      }
    }
    return out;
  }

  void Range(P::YaraRangeContext* ctx, ast::YaraExpr& out) {
    std::vector<P::YaraExprContext*> bounds = All<P::YaraExprContext>(ctx);
    if (bounds.size() != 2) throw BrokenTree{};
    out.range_low = YaraOr(bounds[0]);
    out.range_high = YaraOr(bounds[1]);
  }

  void Quantifier(P::YaraQuantifierContext* ctx, ast::YaraExpr& out) {
    using Q = ast::YaraExpr::Quant;
    out.quant_span = At(ctx);
    if (Tok(ctx, P::ALL) != nullptr) {
      out.quant = Q::kAll;
    } else if (Tok(ctx, P::ANY) != nullptr) {
      out.quant = Q::kAny;
    } else if (Tok(ctx, P::NONE) != nullptr) {
      out.quant = Q::kNone;
    } else {
      out.quant = Tok(ctx, P::PERCENT) != nullptr ? Q::kPercent : Q::kCount;
      out.quant_value = Number(nullptr, Need(Tok(ctx, P::INT))).integer;
    }
  }

  void StringSet(P::YaraStringSetContext* ctx, ast::YaraExpr& out) {
    if (Tok(ctx, P::THEM) != nullptr) {
      out.them = true;
      return;
    }
    for (TerminalNode* id : Toks(ctx, P::STRING_ID)) out.set.push_back(Name(id));
    if (out.set.empty()) throw BrokenTree{};
  }

  void RuleSet(P::YaraRuleSetContext* ctx, ast::YaraExpr& out) {
    out.of_rules = true;
    for (ParseTree* child : ctx->children) {
      if (auto* name = Alt<P::NameContext>(child)) {
        out.set.push_back(Name(name));
      } else if (auto* t = IsTerminal(child) ? static_cast<TerminalNode*>(child) : nullptr;
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
    if (auto* c = Alt<P::YaraParenContext>(ctx)) return YaraOr(Need(One<P::YaraExprContext>(c)));
    if (auto* yn = Alt<P::YaraNumberContext>(ctx)) {
      TerminalNode* digits = Tok(yn, P::INT) != nullptr          ? Tok(yn, P::INT)
                             : Tok(yn, P::HEX_NUMBER) != nullptr ? Tok(yn, P::HEX_NUMBER)
                             : Tok(yn, P::SIZE) != nullptr       ? Tok(yn, P::SIZE)
                                                                 : Need(Tok(yn, P::FLOAT));
      YaraPtr out = NewYara(Tok(yn, P::FLOAT) != nullptr ? K::kFloat : K::kInteger, span);
      out->number = Number(nullptr, digits);
      return out;
    }
    if (auto* ysl = Alt<P::YaraStringLitContext>(ctx)) {
      YaraPtr out = NewYara(K::kText, span);
      out->text =
          String(Tok(ysl, P::STRING) != nullptr ? Tok(ysl, P::STRING) : Need(Tok(ysl, P::TSTRING)));
      return out;
    }
    if (auto* yr = Alt<P::YaraRegexContext>(ctx)) {
      YaraPtr out = NewYara(K::kRegex, span);
      SplitRegex(r_.TextOf(At(Tok(yr, P::REGEX))), out->text, out->regex_flags);
      return out;
    }
    if (auto* yb = Alt<P::YaraBoolContext>(ctx)) {
      YaraPtr out = NewYara(K::kBool, span);
      out->boolean = Tok(yb, P::TRUE) != nullptr;
      return out;
    }
    if (Alt<P::YaraFilesizeContext>(ctx) != nullptr) return NewYara(K::kFilesize, span);
    if (Alt<P::YaraEntrypointContext>(ctx) != nullptr) {
      return NewYara(K::kEntrypoint, span);
    }
    if (auto* ysm = Alt<P::YaraStringMatchContext>(ctx)) {
      YaraPtr out = NewYara(K::kStringMatch, span);
      out->id = Name(Need(Tok(ysm, P::STRING_ID)));
      if (Tok(ysm, P::AT) != nullptr)
        out->children.push_back(Chain(Need(One<P::YaraAddContext>(ysm))));
      if (Tok(ysm, P::IN) != nullptr) Range(Need(One<P::YaraRangeContext>(ysm)), *out);
      return out;
    }
    if (auto* yc = Alt<P::YaraCountContext>(ctx)) {
      YaraPtr out = NewYara(K::kStringCount, span);
      out->id = Name(Need(Tok(yc, P::COUNT_ID)));
      if (Tok(yc, P::IN) != nullptr) Range(Need(One<P::YaraRangeContext>(yc)), *out);
      return out;
    }
    if (auto* yo = Alt<P::YaraOffsetContext>(ctx)) {
      YaraPtr out = NewYara(K::kStringOffset, span);
      out->id = Name(Need(Tok(yo, P::OFFSET_ID)));
      if (P::YaraExprContext* index = One<P::YaraExprContext>(yo))
        out->children.push_back(YaraOr(index));
      return out;
    }
    if (auto* yl = Alt<P::YaraLengthContext>(ctx)) {
      YaraPtr out = NewYara(K::kStringLength, span);
      out->id = Name(Need(Tok(yl, P::LENGTH_ID)));
      if (P::YaraExprContext* index = One<P::YaraExprContext>(yl))
        out->children.push_back(YaraOr(index));
      return out;
    }
    if (auto* yi = Alt<P::YaraIdentifierContext>(ctx)) {
      YaraPtr out = NewYara(K::kIdentifier, span);
      out->text = Name(Need(One<P::NameContext>(yi))).text;
      return out;
    }
    if (auto* yo = Alt<P::YaraOfContext>(ctx)) {
      YaraPtr out = NewYara(K::kOf, span);
      Quantifier(Need(One<P::YaraQuantifierContext>(yo)), *out);
      if (P::YaraStringSetContext* set = One<P::YaraStringSetContext>(yo)) {
        StringSet(set, *out);
      } else {
        RuleSet(Need(One<P::YaraRuleSetContext>(yo)), *out);
      }
      if (Tok(yo, P::IN) != nullptr) Range(Need(One<P::YaraRangeContext>(yo)), *out);
      if (Tok(yo, P::AT) != nullptr) {
        // YARA 4.3's `of ... at N`, parsed only so that semantic analysis
        // can refuse it with the version (E0606): the offset is the node's
        // only child and op_span runs from `at` to the end.
        out->op_span = Span{span.file, r_.SpanOf(Tok(yo, P::AT)->getSymbol()).begin, span.end};
        out->children.push_back(Chain(Need(One<P::YaraAddContext>(yo))));
      }
      return out;
    }
    if (auto* yfo = Alt<P::YaraForOfContext>(ctx)) {
      DepthGuard guard(*this, 1, ctx);
      YaraPtr out = NewYara(K::kForOf, span);
      Quantifier(Need(One<P::YaraQuantifierContext>(yfo)), *out);
      StringSet(Need(One<P::YaraStringSetContext>(yfo)), *out);
      out->body = YaraOr(Need(One<P::YaraExprContext>(yfo)));
      return out;
    }
    if (auto* yfi = Alt<P::YaraForInContext>(ctx)) {
      DepthGuard guard(*this, 1, ctx);
      YaraPtr out = NewYara(K::kForIn, span);
      Quantifier(Need(One<P::YaraQuantifierContext>(yfi)), *out);
      for (P::NameContext* var : All<P::NameContext>(yfi)) out->vars.push_back(Name(var));
      P::YaraIterableContext* iterable = Need(One<P::YaraIterableContext>(yfi));
      if (P::YaraRangeContext* range = One<P::YaraRangeContext>(iterable)) {
        out->iter_is_range = true;
        Range(range, *out);
      } else if (P::YaraPostfixContext* expr = One<P::YaraPostfixContext>(iterable)) {
        out->iter_is_expr = true;
        out->iter_items.push_back(Postfix(expr));
      } else {
        for (P::YaraExprContext* item : All<P::YaraExprContext>(iterable))
          out->iter_items.push_back(YaraOr(item));
        if (out->iter_items.empty()) throw BrokenTree{};
      }
      out->body = YaraOr(Need(One<P::YaraExprContext>(yfi)));
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

// The generated parser with the runtime's tree-building hooks made cheaper:
// Parser::addContextToParseTree and Parser::enterOuterAlt find the parent
// context with a dynamic_cast on every rule entry, though a parse-tree
// node's parent is always a ParserRuleContext. Same tree, same behaviour.
// (exitRule does the same cast but is not virtual.)
class WardTreeParser final : public P {
 public:
  using P::P;

  void enterOuterAlt(ParserRuleContext* localctx, size_t alt) override {
    localctx->setAltNumber(alt);
    if (_buildParseTrees && _ctx != localctx && _ctx->parent != nullptr) {
      auto* parent = static_cast<ParserRuleContext*>(_ctx->parent);
      parent->removeLastChild();
      parent->addChild(localctx);
    }
    _ctx = localctx;
  }

 protected:
  void addContextToParseTree() override {
    if (_ctx->parent != nullptr) static_cast<ParserRuleContext*>(_ctx->parent)->addChild(_ctx);
  }
};

// Prediction caches private to one parsing thread. The 4.9 runtime shares
// one DFA per decision between every parser of a grammar and guards each DFA
// edge lookup with a process-wide reader/writer lock built from a mutex and
// a condition variable (ATNSimulator::_edgeLock): parsing threads queue on
// that mutex for every prediction, so `--jobs 2` used to parse no faster
// than one thread, with more system time. Here each thread predicts with its
// own DFA and context cache, which no other thread ever touches, so reading
// an edge needs no lock. Writes (new DFA states and edges, rare once a
// thread's DFA is warm) still go through the runtime's own locked paths.
class ThreadDfaSimulator final : public antlr4::atn::ParserATNSimulator {
 public:
  using ParserATNSimulator::ParserATNSimulator;

 protected:
  antlr4::dfa::DFAState* getExistingTargetState(antlr4::dfa::DFAState* previous,
                                                size_t symbol) override {
    auto it = previous->edges.find(symbol);
    return it == previous->edges.end() ? nullptr : it->second;
  }
};

struct ThreadPrediction {
  explicit ThreadPrediction(const antlr4::atn::ATN& atn) {
    const size_t decisions = atn.getNumberOfDecisions();
    dfa.reserve(decisions);
    for (size_t d = 0; d < decisions; ++d) dfa.emplace_back(atn.getDecisionState(d), d);
  }
  std::vector<antlr4::dfa::DFA> dfa;
  antlr4::atn::PredictionContextCache contexts;
};

// Gives `parser` this thread's DFA in place of the grammar-wide one.
// Recognizer::setInterpreter deletes the interpreter it replaces, and the
// generated destructor deletes the new one.
void UseThreadDfa(P& parser) {
  thread_local ThreadPrediction prediction(parser.getATN());
  parser.setInterpreter(
      new ThreadDfaSimulator(&parser, parser.getATN(), prediction.dfa, prediction.contexts));
}

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

  // The tokens' text comes from `input`, which only ANTLR's own messages
  // read (Ward's come from the source through the position map): it is
  // filled (a UTF-32 copy of the file) only when stage 2 runs.
  antlr4::ANTLRInputStream input;
  // The hand-written lexer (ward_lexer.h, which also includes ANTLR headers
  // for the generated token types) gives exactly the generated lexer's
  // tokens in a fraction of its time; `input` still serves the tokens' text.
  TokenSource lexer(lexed, &input);
  TokenStream tokens(&lexer);
  tokens.fill();
  if (!ScanTokens(tokens, reporter, options.max_nesting)) return std::nullopt;

  // Stage 1: SLL prediction, bail out at the first error. Almost every file
  // parses here, and this mode is far faster than full LL in the C++ runtime.
  WardTreeParser parser(&tokens);
  UseThreadDfa(parser);
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
    input.load(std::string(lexed));
    if (input.size() != positions.code_points()) {
      throw std::logic_error("the ANTLR input stream and the position map disagree");
    }
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
