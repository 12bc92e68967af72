// Ward parser grammar. The parse tree is converted into Ward's own AST at
// once (compiler/syntax/parser.cc); no other file sees these rules.
parser grammar WardParser;

options { tokenVocab = WardLexer; }

// `package` is required, but optional here so that a file without it gets one
// clear message from the frontend instead of a cascade of recovery errors.
file
  : packageDecl? importDecl* decl* EOF
  ;

packageDecl : PACKAGE qualifiedName ;
importDecl  : IMPORT qualifiedName (DOT STAR)? (AS name)? ;

decl
  : CATALOG name STRING? catalogBody                          # catalogDecl
  | kind=(ASSET | PERSONA | THREAT | MITIGATION | FILTER) name STRING? body  # entityDecl
  | DETECTION detKind=name name STRING? body                   # detectionDecl
  ;

catalogBody : LBRACE (entry | member)* RBRACE ;
entry       : ENTRY STRING STRING? body? ;

body : LBRACE member* RBRACE ;

member
  : name COLON valueList                         # propertyMember
  | WHEN COLON sigmaExpr                         # whenMember
  | CONDITION COLON yaraExpr                     # conditionMember
  | WHERE COLON threshold (AND threshold)*       # whereMember
  | LET name ASSIGN sigmaExpr                    # letMember
  | STRINGS LBRACE yaraString* RBRACE            # stringsMember
  | name name? STRING* body                      # blockMember
  ;

// ---- generic values -------------------------------------------------------
valueList : value (COMMA value)* ;

value
  : STRING                                        # stringValue
  | TSTRING                                       # stringValue
  | MINUS? (INT | FLOAT | HEX_NUMBER)             # numberValue
  | DATE                                          # dateValue
  | DURATION                                      # durationValue
  | (TRUE | FALSE)                                # boolValue
  | NULL_                                         # nullValue
  | qualifiedName (DOT STRING)?                   # refValue
  | LBRACKET (value (COMMA value)* COMMA?)? RBRACKET  # listValue
  | LBRACE (objectEntry COMMA?)* RBRACE           # objectValue
  ;

objectEntry : (fieldPath | STRING) COLON value ;

qualifiedName : name (DOT name)* ;

// Soft keywords: a word may be used as a name (a property key, a field path
// segment, an enum value...) unless it starts a clause of its own (`when`,
// `condition`, `where`, `let`, `strings`): those would make a member ambiguous.
name
  : ID | AS | ENTRY | KEYWORDS | OF | THEM
  | ANY | ALL | NONE | FOR | IN | AT | CIDR | EXISTS | DEFINED | LIKE | MATCHES
  | CONTAINS | ICONTAINS | STARTSWITH | ISTARTSWITH | ENDSWITH | IENDSWITH
  | IEQUALS | FILESIZE | ENTRYPOINT | FIELD | CASED | WINDASH | EXPAND | BASE64
  | BASE64OFFSET | BASE64WIDE | UTF16LE | UTF16BE | UTF16 | WIDE | ASCII
  | NOCASE | FULLWORD | PRIVATE | XOR | FILTER | IMPORT | PACKAGE
  | CATALOG | ASSET | PERSONA | THREAT | MITIGATION | DETECTION
  ;

// ---- Sigma detection logic --------------------------------------------------
sigmaExpr : sigmaAnd (OR sigmaAnd)* ;
sigmaAnd  : sigmaUnary (AND sigmaUnary)* ;
sigmaUnary
  : NOT sigmaUnary                                # sigmaNot
  | sigmaPrimary                                  # sigmaAtom
  ;

sigmaPrimary
  : LPAREN sigmaExpr RPAREN                                          # sigmaParen
  | KEYWORDS quant=(ANY | ALL)? sigmaModifier* sigmaValues           # sigmaKeywords
  | fieldPath EXISTS                                                 # sigmaExists
  | timePart=name LPAREN fieldPath RPAREN sigmaOp sigmaModifier* sigmaValues  # sigmaTimePredicate
  | fieldPath sigmaOp quant=(ANY | ALL)? sigmaModifier* sigmaValues  # sigmaPredicate
  | quant=(ANY | ALL) OF selectionPattern                            # sigmaOfPattern
  | name                                                             # sigmaSelectionRef
  ;

selectionPattern
  : name STAR?
  | STAR
  | LPAREN name (COMMA name)* RPAREN
  ;

sigmaOp
  : EQEQ | NEQ | CONTAINS | STARTSWITH | ENDSWITH | LIKE | MATCHES
  | LT | LTE | GT | GTE | IN CIDR
  ;

sigmaModifier
  : CASED | WINDASH | EXPAND | BASE64 | BASE64OFFSET | UTF16LE | UTF16BE
  | UTF16 | WIDE
  ;

sigmaValues
  : sigmaValue
  | LBRACKET sigmaValue (COMMA sigmaValue)* COMMA? RBRACKET
  ;

sigmaValue
  : STRING | TSTRING | MINUS? (INT | FLOAT) | NULL_ | TRUE | FALSE | REGEX
  | FIELD LPAREN fieldPath RPAREN
  ;

fieldPath : name (DOT name)* | BQ_NAME ;

threshold : name (LPAREN fieldPath RPAREN)? sigmaOp MINUS? (INT | FLOAT) ;

// ---- YARA strings and conditions -------------------------------------------
yaraString
  : STRING_ID HEX_BLOCK yaraStringModifier*                  # yaraHexString
  | STRING_ID ASSIGN (STRING | REGEX) yaraStringModifier*    # yaraTextString
  ;

yaraStringModifier
  : NOCASE | WIDE | ASCII | FULLWORD | PRIVATE
  | XOR (LPAREN yaraInt (MINUS yaraInt)? RPAREN)?
  | BASE64 (LPAREN STRING RPAREN)?
  | BASE64WIDE (LPAREN STRING RPAREN)?
  ;

yaraInt : INT | HEX_NUMBER ;

yaraExpr : yaraAnd (OR yaraAnd)* ;
yaraAnd  : yaraNot (AND yaraNot)* ;
yaraNot
  : NOT yaraNot                                    # yaraNegation
  | DEFINED yaraNot                                # yaraDefined
  | yaraRelation                                   # yaraRel
  ;

yaraRelation : yaraBitOr (relOp yaraBitOr)? ;
relOp
  : EQEQ | NEQ | LT | LTE | GT | GTE | CONTAINS | ICONTAINS | STARTSWITH
  | ISTARTSWITH | ENDSWITH | IENDSWITH | IEQUALS | MATCHES
  ;

yaraBitOr  : yaraBitXor (PIPE yaraBitXor)* ;
yaraBitXor : yaraBitAnd (CARET yaraBitAnd)* ;
yaraBitAnd : yaraShift (AMP yaraShift)* ;
yaraShift  : yaraAdd ((SHL | SHR) yaraAdd)* ;
yaraAdd    : yaraMul ((PLUS | MINUS) yaraMul)* ;
yaraMul    : yaraUnary ((STAR | BACKSLASH | PERCENT) yaraUnary)* ;
yaraUnary
  : (MINUS | TILDE) yaraUnary                      # yaraPrefix
  | yaraPostfix                                    # yaraPostfixExpr
  ;

yaraPostfix : yaraPrimary yaraSuffix* ;
yaraSuffix
  : DOT name                                       # yaraMember
  | LBRACKET yaraExpr RBRACKET                     # yaraIndex
  | LPAREN (yaraExpr (COMMA yaraExpr)*)? RPAREN    # yaraCall
  ;

yaraPrimary
  : LPAREN yaraExpr RPAREN                                         # yaraParen
  | FOR yaraQuantifier OF yaraStringSet COLON LPAREN yaraExpr RPAREN   # yaraForOf
  | FOR yaraQuantifier name (COMMA name)* IN yaraIterable COLON LPAREN yaraExpr RPAREN  # yaraForIn
  | yaraQuantifier OF (yaraStringSet | yaraRuleSet) (IN yaraRange | AT yaraAdd)?  # yaraOf
  | (INT | HEX_NUMBER | SIZE | FLOAT)                                # yaraNumber
  | (STRING | TSTRING)                                             # yaraStringLit
  | REGEX                                                          # yaraRegex
  | (TRUE | FALSE)                                                 # yaraBool
  | FILESIZE                                                       # yaraFilesize
  | ENTRYPOINT                                                     # yaraEntrypoint
  | STRING_ID (AT yaraAdd | IN yaraRange)?                         # yaraStringMatch
  | COUNT_ID (IN yaraRange)?                                       # yaraCount
  | OFFSET_ID (LBRACKET yaraExpr RBRACKET)?                        # yaraOffset
  | LENGTH_ID (LBRACKET yaraExpr RBRACKET)?                        # yaraLength
  | name                                                           # yaraIdentifier
  ;

yaraQuantifier
  : ALL | ANY | NONE
  | INT PERCENT?
  ;

yaraStringSet
  : THEM
  | LPAREN STRING_ID (COMMA STRING_ID)* RPAREN
  ;

yaraRuleSet : LPAREN name STAR? (COMMA name STAR?)* RPAREN ;

yaraRange : LPAREN yaraExpr DOTDOT yaraExpr RPAREN ;

yaraIterable
  : yaraRange
  | LPAREN yaraExpr (COMMA yaraExpr)* RPAREN
  | yaraPostfix
  ;
