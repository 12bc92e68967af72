// The second (and last) file of the project that sees ANTLR: it runs the
// generated lexer and hands the tokens out as SourceTokens, so that the
// formatter never sees an ANTLR type.

#include "compiler/syntax/source_tokens.h"

#include <exception>

#include "WardLexer.h"
#include "antlr4-runtime.h"
#include "compiler/syntax/position_map.h"

namespace ward::syntax {
namespace {

using ward_generated::WardLexer;

TokenClass ClassOf(size_t type) {
  switch (type) {
    case WardLexer::STRING:
      return TokenClass::kString;
    case WardLexer::TSTRING:
      return TokenClass::kTripleString;
    case WardLexer::INT:
    case WardLexer::FLOAT:
    case WardLexer::HEX_NUMBER:
    case WardLexer::SIZE:
    case WardLexer::DATE:
    case WardLexer::DURATION:
      return TokenClass::kNumber;
    case WardLexer::REGEX:
      return TokenClass::kRegex;
    case WardLexer::HEX_BLOCK:
      return TokenClass::kHexBlock;
    case WardLexer::BQ_NAME:
      return TokenClass::kBackquoted;
    case WardLexer::STRING_ID:
    case WardLexer::COUNT_ID:
    case WardLexer::OFFSET_ID:
    case WardLexer::LENGTH_ID:
      return TokenClass::kSigil;
    case WardLexer::LINE_COMMENT:
      return TokenClass::kLineComment;
    case WardLexer::BLOCK_COMMENT:
      return TokenClass::kBlockComment;
    case WardLexer::ERROR_CHAR:
    case WardLexer::UNTERMINATED_STRING:
    case WardLexer::UNTERMINATED_COMMENT:
      return TokenClass::kError;
    case WardLexer::ID:
      return TokenClass::kWord;
    default:
      break;
  }
  return TokenClass::kPunct;  // or a keyword: see IsKeyword
}

// Keywords are the tokens whose literal spelling is a word.
bool IsKeyword(const antlr4::dfa::Vocabulary& vocabulary, size_t type) {
  std::string literal = vocabulary.getLiteralName(type);
  if (literal.size() > 2 && literal.front() == '\'' &&
      ((literal[1] >= 'a' && literal[1] <= 'z') || (literal[1] >= 'A' && literal[1] <= 'Z'))) {
    return true;
  }
  return false;
}

std::vector<SourceToken> Lex(std::string_view text) {
  uint32_t base = 0;
  while (text.substr(base, 3) == "\xEF\xBB\xBF") base += 3;
  std::string_view lexed = text.substr(base);
  PositionMap positions(lexed, base);
  antlr4::ANTLRInputStream input(lexed.data(), lexed.size());
  WardLexer lexer(&input);
  lexer.removeErrorListeners();
  std::vector<SourceToken> out;
  for (auto token = lexer.nextToken(); token->getType() != antlr4::Token::EOF;
       token = lexer.nextToken()) {
    if (token->getType() == WardLexer::WS) continue;
    Span span = positions.ToSpan(kNoFile, token->getStartIndex(), token->getStopIndex());
    SourceToken t;
    t.cls = ClassOf(token->getType());
    if (t.cls == TokenClass::kPunct && IsKeyword(lexer.getVocabulary(), token->getType())) {
      t.cls = TokenClass::kWord;
    }
    t.begin = span.begin;
    t.end = span.end;
    t.text = text.substr(span.begin, span.end - span.begin);
    out.push_back(t);
  }
  return out;
}

}  // namespace

std::vector<SourceToken> LexSourceTokens(std::string_view text) {
  try {
    return Lex(text);
  } catch (const std::exception&) {
    return {};
  }
}

}  // namespace ward::syntax
