// The hand-written Ward lexer (ward_lexer.h). It follows WardLexer.g4 the way
// ANTLR does: the longest match wins, and between matches of equal length the
// rule listed first. Besides parser.cc this is the only file that includes
// ANTLR headers: it needs the generated token types, and the reference lexer
// for LexAllWithAntlr.

#include "compiler/syntax/ward_lexer.h"

#include <algorithm>
#include <string>
#include <unordered_map>
#include <utility>

#include "WardLexer.h"
#include "antlr4-runtime.h"

namespace ward::syntax {
namespace {

using L = ward_generated::WardLexer;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsHexDigit(char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
bool IsIdStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsIdPart(char c) { return IsIdStart(c) || IsDigit(c); }
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f'; }
bool IsNewline(char c) { return c == '\r' || c == '\n'; }

// Keywords, read from the generated vocabulary (every literal that is a word),
// so that a keyword added to the grammar needs no change here.
class KeywordTable {
 public:
  KeywordTable() {
    antlr4::ANTLRInputStream empty(std::string{});
    L lexer(&empty);
    const antlr4::dfa::Vocabulary& vocabulary = lexer.getVocabulary();
    for (size_t type = 1; type <= vocabulary.getMaxTokenType(); ++type) {
      std::string literal = vocabulary.getLiteralName(type);
      if (literal.size() < 3 || literal.front() != '\'' || literal.back() != '\'') continue;
      std::string word = literal.substr(1, literal.size() - 2);
      bool is_word = IsIdStart(word[0]);
      for (char c : word) is_word = is_word && IsIdPart(c);
      if (is_word) words_.push_back({word, type});
    }
    // The first rule wins, as in ANTLR (no literal is listed twice today).
    for (const auto& [word, type] : words_) by_text_.emplace(word, type);
  }
  size_t Find(std::string_view text) const {
    auto it = by_text_.find(text);
    return it != by_text_.end() ? it->second : static_cast<size_t>(L::ID);
  }

 private:
  std::vector<std::pair<std::string, size_t>> words_;
  std::unordered_map<std::string_view, size_t> by_text_;  // views into words_
};

const KeywordTable& Keywords() {
  static const KeywordTable table;
  return table;
}

}  // namespace

size_t WardLexerCore::CodePointLength(size_t at) const {
  auto lead = static_cast<unsigned char>(text_[at]);
  size_t n = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
  return std::min(n, text_.size() - at);
}

// Digits start DATE, SIZE, DURATION, HEX_NUMBER, FLOAT or INT (in rule order).
size_t WardLexerCore::MatchNumber(size_t& type) const {
  size_t p = pos_;
  size_t digits = 0;
  while (IsDigit(At(p + digits))) ++digits;
  size_t end = p + digits;
  type = L::INT;
  size_t best = digits;
  auto consider = [&](size_t length, size_t t) {
    if (length > best) {
      best = length;
      type = t;
    }
  };
  if (digits == 4 && At(p + 4) == '-' && IsDigit(At(p + 5)) && IsDigit(At(p + 6)) &&
      At(p + 7) == '-' && IsDigit(At(p + 8)) && IsDigit(At(p + 9))) {
    consider(10, L::DATE);
  }
  if ((At(end) == 'K' || At(end) == 'M') && At(end + 1) == 'B') consider(digits + 2, L::SIZE);
  switch (At(end)) {
    case 's': case 'm': case 'h': case 'd': case 'w': case 'M': case 'y':
      consider(digits + 1, L::DURATION);
      break;
    default:
      break;
  }
  if (At(p) == '0' && At(p + 1) == 'x' && IsHexDigit(At(p + 2))) {
    size_t hex = 2;
    while (IsHexDigit(At(p + hex))) ++hex;
    consider(hex, L::HEX_NUMBER);
  }
  if (At(end) == '.' && IsDigit(At(end + 1))) {
    size_t fraction = 1;
    while (IsDigit(At(end + 1 + fraction))) ++fraction;
    consider(digits + 1 + fraction, L::FLOAT);
  }
  return best;
}

// `//` comments, `/* */` comments (closed or running to the end), regexes,
// or a lone `/` (an error character).
size_t WardLexerCore::MatchSlash(size_t& type, bool& hidden) const {
  size_t p = pos_;
  if (At(p + 1) == '/') {
    size_t q = p + 2;
    while (Has(q) && !IsNewline(text_[q])) ++q;
    type = L::LINE_COMMENT;
    hidden = true;
    return q - p;
  }
  if (At(p + 1) == '*') {
    size_t close = text_.find("*/", p + 2);
    if (close != std::string_view::npos) {
      type = L::BLOCK_COMMENT;
      hidden = true;
      return close + 2 - p;
    }
    type = L::UNTERMINATED_COMMENT;
    return text_.size() - p;
  }
  // REGEX : '/' (~[/*\\\r\n] | '\\' ~[\r\n]) (~[/\\\r\n] | '\\' ~[\r\n])* '/' [a-z]*
  size_t q = p + 1;
  bool first = true;
  while (true) {
    if (!Has(q)) return 0;
    char c = text_[q];
    if (c == '\\') {
      if (!Has(q + 1) || IsNewline(text_[q + 1])) return 0;
      q += 2;
    } else if (c == '/') {
      if (first) return 0;
      break;
    } else if (IsNewline(c) || (first && c == '*')) {
      return 0;
    } else {
      ++q;
    }
    first = false;
  }
  ++q;  // the closing '/'
  while (At(q) >= 'a' && At(q) <= 'z') ++q;
  type = L::REGEX;
  return q - p;
}

// TSTRING (closed), STRING, or UNTERMINATED_STRING.
size_t WardLexerCore::MatchQuote(size_t& type) const {
  size_t p = pos_;
  if (text_.substr(p, 3) == "\"\"\"") {
    size_t close = text_.find("\"\"\"", p + 3);
    if (close != std::string_view::npos) {
      type = L::TSTRING;
      return close + 3 - p;
    }
  }
  size_t q = p + 1;
  while (Has(q)) {
    char c = text_[q];
    if (c == '"') {
      type = L::STRING;
      return q + 1 - p;
    }
    if (IsNewline(c)) break;
    if (c == '\\') {
      if (!Has(q + 1) || IsNewline(text_[q + 1])) break;
      q += 2;
    } else {
      ++q;
    }
  }
  type = L::UNTERMINATED_STRING;
  return q - p;
}

// HEX_BLOCK (`= { ... }`), `==` or `=`.
size_t WardLexerCore::MatchEquals(size_t& type) const {
  size_t p = pos_;
  size_t q = p + 1;
  while (Has(q) && (text_[q] == ' ' || text_[q] == '\t' || IsNewline(text_[q]))) ++q;
  if (At(q) == '{') {
    size_t close = text_.find('}', q + 1);
    if (close != std::string_view::npos) {
      type = L::HEX_BLOCK;
      return close + 1 - p;
    }
  }
  if (At(p + 1) == '=') {
    type = L::EQEQ;
    return 2;
  }
  type = L::ASSIGN;
  return 1;
}

size_t WardLexerCore::Match(size_t& type, bool& hidden) const {
  size_t p = pos_;
  char c = text_[p];
  char next = At(p + 1);
  auto single = [&](size_t t) {
    type = t;
    return size_t{1};
  };
  auto word = [&](size_t t) {  // a sigil followed by [A-Za-z0-9_]*
    size_t q = p + 1;
    while (IsIdPart(At(q))) ++q;
    type = t;
    return q - p;
  };
  if (IsIdStart(c)) {
    size_t q = p + 1;
    while (IsIdPart(At(q))) ++q;
    type = Keywords().Find(text_.substr(p, q - p));
    return q - p;
  }
  if (IsDigit(c)) return MatchNumber(type);
  if (IsSpace(c)) {
    size_t q = p + 1;
    while (IsSpace(At(q))) ++q;
    type = L::WS;
    hidden = true;
    return q - p;
  }
  switch (c) {
    case '"': return MatchQuote(type);
    case '=': return MatchEquals(type);
    case '/': {
      size_t n = MatchSlash(type, hidden);
      if (n != 0) return n;
      return single(L::ERROR_CHAR);
    }
    case '{': return single(L::LBRACE);
    case '}': return single(L::RBRACE);
    case '(': return single(L::LPAREN);
    case ')': return single(L::RPAREN);
    case '[': return single(L::LBRACKET);
    case ']': return single(L::RBRACKET);
    case ':': return single(L::COLON);
    case ',': return single(L::COMMA);
    case '.':
      if (next == '.') {
        type = L::DOTDOT;
        return 2;
      }
      return single(L::DOT);
    case '<':
      if (next == '=' || next == '<') {
        type = next == '=' ? L::LTE : L::SHL;
        return 2;
      }
      return single(L::LT);
    case '>':
      if (next == '=' || next == '>') {
        type = next == '=' ? L::GTE : L::SHR;
        return 2;
      }
      return single(L::GT);
    case '!':
      if (next == '=') {
        type = L::NEQ;
        return 2;
      }
      return word(L::LENGTH_ID);
    case '+': return single(L::PLUS);
    case '-': return single(L::MINUS);
    case '*': return single(L::STAR);
    case '\\': return single(L::BACKSLASH);
    case '%': return single(L::PERCENT);
    case '&': return single(L::AMP);
    case '|': return single(L::PIPE);
    case '^': return single(L::CARET);
    case '~': return single(L::TILDE);
    case '#': return word(L::COUNT_ID);
    case '@': return word(L::OFFSET_ID);
    case '$': {
      size_t n = word(L::STRING_ID);
      if (At(p + n) == '*') ++n;
      return n;
    }
    case '`': {
      size_t q = p + 1;
      while (Has(q) && text_[q] != '`' && !IsNewline(text_[q])) ++q;
      if (q > p + 1 && At(q) == '`') {
        type = L::BQ_NAME;
        return q + 1 - p;
      }
      break;
    }
    default:
      break;
  }
  type = L::ERROR_CHAR;
  return CodePointLength(p);
}

LexedToken WardLexerCore::Next() {
  LexedToken token;
  token.start = index_;
  token.line = line_;
  token.column = column_;
  if (pos_ >= text_.size()) {
    token.type = antlr4::Token::EOF;
    token.stop = index_ - 1;
    return token;
  }
  size_t type = L::ERROR_CHAR;
  bool hidden = false;
  size_t length = Match(type, hidden);
  // Advance positions the way ANTLR's lexer does: one index and one column
  // per code point, a new line after each '\n'.
  for (size_t end = pos_ + length; pos_ < end; ++pos_) {
    auto byte = static_cast<unsigned char>(text_[pos_]);
    if ((byte & 0xC0) == 0x80) continue;  // continuation byte
    ++index_;
    if (byte == '\n') {
      ++line_;
      column_ = 0;
    } else {
      ++column_;
    }
  }
  token.type = type;
  token.channel = hidden ? antlr4::Token::HIDDEN_CHANNEL : antlr4::Token::DEFAULT_CHANNEL;
  token.stop = index_ - 1;
  return token;
}

std::vector<LexedToken> LexAll(std::string_view text) {
  std::vector<LexedToken> out;
  WardLexerCore lexer(text);
  do {
    out.push_back(lexer.Next());
  } while (out.back().type != antlr4::Token::EOF);
  return out;
}

std::vector<LexedToken> LexAllWithAntlr(std::string_view text) {
  std::vector<LexedToken> out;
  antlr4::ANTLRInputStream input(text.data(), text.size());
  L lexer(&input);
  lexer.removeErrorListeners();
  while (true) {
    std::unique_ptr<antlr4::Token> token = lexer.nextToken();
    out.push_back({token->getType(), token->getChannel(), token->getStartIndex(),
                   token->getStopIndex(), token->getLine(), token->getCharPositionInLine()});
    if (token->getType() == antlr4::Token::EOF) break;
  }
  return out;
}

}  // namespace ward::syntax
