#ifndef WARD_COMPILER_SYNTAX_STRING_LITERAL_H_
#define WARD_COMPILER_SYNTAX_STRING_LITERAL_H_

#include <string>
#include <string_view>

#include "compiler/support/diagnostic.h"
#include "compiler/support/source_manager.h"

namespace ward::syntax {

// Decodes a `"..."` literal as written, quotes included, into raw bytes.
// Escapes: \" \\ \n \r \t \0, \xNN (one raw byte) and \u{X..} (a code point,
// appended as UTF-8). Every other escape is reported as E0102 at its exact
// span (`span` is the literal's span) and dropped; decoding goes on, so one
// literal can report several. A literal without its closing quote (the lexer
// already reported E0101) decodes up to its end.
std::string DecodeStringLiteral(std::string_view literal, Span span, DiagnosticEngine& diags);

// Decodes a `"""..."""` literal: raw text, no escapes. A first line that is
// empty or blank is dropped, as is a last line that is blank; then the common
// leading indentation (spaces and tabs) of the non-blank lines is removed.
// CRLF line ends become LF.
std::string DecodeTripleQuoted(std::string_view literal);

}  // namespace ward::syntax

#endif  // WARD_COMPILER_SYNTAX_STRING_LITERAL_H_
