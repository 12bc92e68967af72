// Ward lexer. Keywords that may also appear as names (property keys, field
// path segments) are listed in WardParser's `name` rule; the parser, not the
// lexer, decides which reading applies.
lexer grammar WardLexer;

// ---- declarations -------------------------------------------------------
PACKAGE    : 'package';
IMPORT     : 'import';
AS         : 'as';
CATALOG    : 'catalog';
ENTRY      : 'entry';
ASSET      : 'asset';
PERSONA    : 'persona';
THREAT     : 'threat';
MITIGATION : 'mitigation';
DETECTION  : 'detection';
FILTER     : 'filter';

// ---- clauses ------------------------------------------------------------
WHEN      : 'when';
CONDITION : 'condition';
WHERE     : 'where';
STRINGS   : 'strings';
LET       : 'let';

// ---- expression words -----------------------------------------------------
AND        : 'and';
OR         : 'or';
NOT        : 'not';
TRUE       : 'true';
FALSE      : 'false';
NULL_      : 'null';  // not `NULL`: that is a C macro in the generated C++
KEYWORDS   : 'keywords';
OF         : 'of';
THEM       : 'them';
ANY        : 'any';
ALL        : 'all';
NONE       : 'none';
FOR        : 'for';
IN         : 'in';
AT         : 'at';
CIDR       : 'cidr';
EXISTS     : 'exists';
DEFINED    : 'defined';
LIKE       : 'like';
MATCHES    : 'matches';
CONTAINS   : 'contains';
ICONTAINS  : 'icontains';
STARTSWITH : 'startswith';
ISTARTSWITH: 'istartswith';
ENDSWITH   : 'endswith';
IENDSWITH  : 'iendswith';
IEQUALS    : 'iequals';
FILESIZE   : 'filesize';
ENTRYPOINT : 'entrypoint';
FIELD      : 'field';

// Sigma value modifiers and YARA string modifiers (order-sensitive lists).
CASED        : 'cased';
WINDASH      : 'windash';
EXPAND       : 'expand';
BASE64       : 'base64';
BASE64OFFSET : 'base64offset';
BASE64WIDE   : 'base64wide';
UTF16LE      : 'utf16le';
UTF16BE      : 'utf16be';
UTF16        : 'utf16';
WIDE         : 'wide';
ASCII        : 'ascii';
NOCASE       : 'nocase';
FULLWORD     : 'fullword';
PRIVATE      : 'private';
XOR          : 'xor';

// ---- punctuation ----------------------------------------------------------
// A YARA hex string is lexed whole, together with the `=` that introduces it,
// so that `{` keeps meaning "block" everywhere else. The frontend parses the
// body itself and reports malformed patterns at exact offsets.
HEX_BLOCK : '=' [ \t\r\n]* '{' ~[}]* '}';

LBRACE   : '{';
RBRACE   : '}';
LPAREN   : '(';
RPAREN   : ')';
LBRACKET : '[';
RBRACKET : ']';
COLON    : ':';
COMMA    : ',';
DOTDOT   : '..';
DOT      : '.';
EQEQ     : '==';
NEQ      : '!=';
LTE      : '<=';
GTE      : '>=';
SHL      : '<<';
SHR      : '>>';
LT       : '<';
GT       : '>';
ASSIGN   : '=';
PLUS     : '+';
MINUS    : '-';
STAR     : '*';
BACKSLASH: '\\';
PERCENT  : '%';
AMP      : '&';
PIPE     : '|';
CARET    : '^';
TILDE    : '~';

// ---- literals -------------------------------------------------------------
DATE      : [0-9] [0-9] [0-9] [0-9] '-' [0-9] [0-9] '-' [0-9] [0-9];
SIZE      : [0-9]+ ('KB' | 'MB');
DURATION  : [0-9]+ [smhdwMy];
HEX_NUMBER: '0x' [0-9a-fA-F]+;
FLOAT     : [0-9]+ '.' [0-9]+;
INT       : [0-9]+;

// Triple-quoted text keeps newlines verbatim; escapes are processed by the
// frontend for both string forms.
TSTRING : '"""' .*? '"""';
STRING  : '"' (~["\\\r\n] | '\\' ~[\r\n])* '"';
UNTERMINATED_STRING : '"' (~["\\\r\n] | '\\' ~[\r\n])*;

// A regex literal cannot start with `/` (that is a comment) or `*`.
REGEX : '/' (~[/*\\\r\n] | '\\' ~[\r\n]) (~[/\\\r\n] | '\\' ~[\r\n])* '/' [a-z]*;

STRING_ID : '$' [A-Za-z0-9_]* '*'?;
COUNT_ID  : '#' [A-Za-z0-9_]*;
OFFSET_ID : '@' [A-Za-z0-9_]*;
LENGTH_ID : '!' [A-Za-z0-9_]*;

BQ_NAME : '`' ~[`\r\n]+ '`';
ID      : [A-Za-z_] [A-Za-z0-9_]*;

// ---- trivia ---------------------------------------------------------------
LINE_COMMENT  : '//' ~[\r\n]* -> channel(HIDDEN);
BLOCK_COMMENT : '/*' .*? '*/' -> channel(HIDDEN);
// Only a comment that never closes: `'/*' .*? EOF` would out-match every
// closed comment (the lexer prefers the longest match).
UNTERMINATED_COMMENT : '/*' ( ~'*' | '*'+ ~[*/] )* '*'* EOF;
WS            : [ \t\r\n\f]+ -> channel(HIDDEN);

// Anything else becomes one error token so the parser reports it in place.
ERROR_CHAR : .;
