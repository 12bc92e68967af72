// YARA 4.2 rule files (see YaraLexer.g4). Operator precedence follows
// libyara's grammar: in `expression`, earlier alternatives bind tighter.
parser grammar YaraParser;

options { tokenVocab = YaraLexer; }

rulesFile : (importDecl | includeDecl | ruleDecl)* EOF;

importDecl  : IMPORT TEXT;
includeDecl : INCLUDE TEXT;

ruleDecl
  : ruleModifier* RULE IDENT (COLON IDENT+)? LBRACE
      metaSection? stringsSection? conditionSection
    RBRACE
  ;
ruleModifier : PRIVATE | GLOBAL;

metaSection  : META COLON metaEntry+;
metaEntry    : IDENT ASSIGN metaValue;
metaValue    : TEXT | MINUS? (INT | HEX_NUMBER | OCT_NUMBER) | TRUE | FALSE;

stringsSection : STRINGS COLON stringDef+;
stringDef
  : STRING_ID ASSIGN TEXT stringModifier*       # textString
  | STRING_ID HEX_STRING stringModifier*        # hexString
  | STRING_ID ASSIGN REGEX stringModifier*      # regexString
  ;
stringModifier
  : NOCASE | WIDE | ASCII | FULLWORD | PRIVATE
  | XOR (LPAREN number (MINUS number)? RPAREN)?
  | BASE64 (LPAREN TEXT RPAREN)?
  | BASE64WIDE (LPAREN TEXT RPAREN)?
  ;
number : INT | HEX_NUMBER | OCT_NUMBER;

conditionSection : CONDITION COLON expression;

// Boolean level.
expression
  : TRUE                                                              # boolLiteral
  | FALSE                                                             # boolLiteral
  | STRING_ID (AT primary | IN range)?                                # stringMatch
  | FOR quantifier OF stringSet COLON LPAREN expression RPAREN       # forOf
  | FOR quantifier IDENT (COMMA IDENT)* IN iterable COLON LPAREN expression RPAREN  # forIn
  | quantifier OF (stringSet | ruleSet) (IN range)?                   # ofExpr
  | primary op=(EQ | NEQ | CONTAINS | ICONTAINS | STARTSWITH | ISTARTSWITH | ENDSWITH
                | IENDSWITH | IEQUALS | MATCHES | LT | LE | GT | GE) primary  # comparison
  | LPAREN expression RPAREN                                          # parenExpr
  | primary                                                           # primaryBool
  | NOT expression                                                    # notExpr
  | DEFINED expression                                                # definedExpr
  | expression AND expression                                         # andExpr
  | expression OR expression                                          # orExpr
  ;

quantifier : ALL | ANY | NONE | primary PERCENT?;

stringSet : THEM | LPAREN stringSetItem (COMMA stringSetItem)* RPAREN;
stringSetItem : STRING_ID;
ruleSet : LPAREN ruleSetItem (COMMA ruleSetItem)* RPAREN;
ruleSetItem : IDENT STAR?;

range : LPAREN primary DOTDOT primary RPAREN;

iterable
  : range                                        # rangeIterable
  | LPAREN primary (COMMA primary)* RPAREN       # listIterable
  | primary                                      # exprIterable
  ;

// Arithmetic level.
primary
  : LPAREN primary RPAREN                                     # parenPrimary
  | primary DOT IDENT                                         # memberPrimary
  | primary LBRACKET primary RBRACKET                         # indexPrimary
  | primary LPAREN (argument (COMMA argument)*)? RPAREN       # callPrimary
  | op=(MINUS | TILDE) primary                                # unaryPrimary
  | primary op=(STAR | BACKSLASH | PERCENT) primary           # binaryPrimary
  | primary op=(PLUS | MINUS) primary                         # binaryPrimary
  | primary op=(SHL | SHR) primary                            # binaryPrimary
  | primary op=AMP primary                                    # binaryPrimary
  | primary op=CARET primary                                  # binaryPrimary
  | primary op=PIPE primary                                   # binaryPrimary
  | INT                                                       # intPrimary
  | HEX_NUMBER                                                # intPrimary
  | OCT_NUMBER                                                # intPrimary
  | SIZE                                                      # intPrimary
  | FLOAT                                                     # floatPrimary
  | TEXT                                                      # textPrimary
  | REGEX                                                     # regexPrimary
  | FILESIZE                                                  # filesizePrimary
  | ENTRYPOINT                                                # entrypointPrimary
  | COUNT_ID (IN range)?                                      # countPrimary
  | OFFSET_ID (LBRACKET primary RBRACKET)?                    # offsetPrimary
  | LENGTH_ID (LBRACKET primary RBRACKET)?                    # lengthPrimary
  | IDENT                                                     # identPrimary
  ;

// Function arguments may be boolean (e.g. pe.exports(...) takes text; a few
// module functions take regexes); `expression` covers every primary.
argument : expression;
