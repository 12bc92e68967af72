// YARA 4.2 rule files, for `ward import yara`. Written from the YARA
// documentation's description of the language; libyara stays the referee
// for what is valid, so this grammar only needs to read what libyara
// accepts. Hex strings are lexed whole (the importer parses their body), so
// that `{` keeps meaning "rule body" everywhere else.
lexer grammar YaraLexer;

// ---- keywords ---------------------------------------------------------------
ALL        : 'all';
AND        : 'and';
ANY        : 'any';
ASCII      : 'ascii';
AT         : 'at';
BASE64     : 'base64';
BASE64WIDE : 'base64wide';
CONDITION  : 'condition';
CONTAINS   : 'contains';
DEFINED    : 'defined';
ENDSWITH   : 'endswith';
ENTRYPOINT : 'entrypoint';
FALSE      : 'false';
FILESIZE   : 'filesize';
FOR        : 'for';
FULLWORD   : 'fullword';
GLOBAL     : 'global';
ICONTAINS  : 'icontains';
IENDSWITH  : 'iendswith';
IEQUALS    : 'iequals';
IMPORT     : 'import';
IN         : 'in';
INCLUDE    : 'include';
ISTARTSWITH: 'istartswith';
MATCHES    : 'matches';
META       : 'meta';
NOCASE     : 'nocase';
NONE       : 'none';
NOT        : 'not';
OF         : 'of';
OR         : 'or';
PRIVATE    : 'private';
RULE       : 'rule';
STARTSWITH : 'startswith';
STRINGS    : 'strings';
THEM       : 'them';
TRUE       : 'true';
WIDE       : 'wide';
XOR        : 'xor';

// ---- punctuation ------------------------------------------------------------
HEX_STRING : '=' [ \t\r\n]* '{' ~[}]* '}';
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
EQ       : '==';
NEQ      : '!=';
LE       : '<=';
GE       : '>=';
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

// ---- literals -----------------------------------------------------------------
SIZE        : [0-9]+ ('KB' | 'MB');
HEX_NUMBER  : '0x' [0-9a-fA-F]+;
OCT_NUMBER  : '0o' [0-7]+;
FLOAT       : [0-9]+ '.' [0-9]+;
INT         : [0-9]+;
TEXT        : '"' (~["\\\r\n] | '\\' ~[\r\n])* '"';
// A regular expression cannot start with `/` or `*` (those are comments).
REGEX       : '/' (~[/*\\\r\n] | '\\' ~[\r\n]) (~[/\\\r\n] | '\\' ~[\r\n])* '/' [is]*;

STRING_ID   : '$' [A-Za-z0-9_]* '*'?;
COUNT_ID    : '#' [A-Za-z0-9_]*;
OFFSET_ID   : '@' [A-Za-z0-9_]*;
LENGTH_ID   : '!' [A-Za-z0-9_]*;
IDENT       : [A-Za-z_] [A-Za-z0-9_]*;

// ---- trivia -------------------------------------------------------------------
LINE_COMMENT  : '//' ~[\r\n]* -> channel(HIDDEN);
BLOCK_COMMENT : '/*' .*? '*/' -> channel(HIDDEN);
WS            : [ \t\r\n\f]+ -> channel(HIDDEN);
// Anything else is an error token, reported by the parser.
UNKNOWN_CHAR  : .;
