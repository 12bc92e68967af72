// The long explanations printed by `ward explain CODE` and written into SARIF
// rule metadata. Every explanation has the same shape, which tests check:
//
//   first paragraph: what the diagnostic means (SARIF fullDescription)
//   further paragraphs: why it matters
//   "Example:" and an indented snippet that triggers it
//   "Fix:" and an indented corrected snippet
//
// The switch has no default, so -Wswitch (an error here) catches a new code
// in diagnostic_codes.def that has no explanation yet.

#include <string_view>

#include "compiler/support/diagnostic.h"

namespace ward {

std::string_view Explanation(DiagCode code) {
  switch (code) {
    // ---- input and project ---------------------------------------------------
    case DiagCode::kIoError:
      return R"ward(Ward could not read an input file or directory, or could not write an
output file. The message carries the operating system's reason, such as
"permission denied" or "no such file or directory".

Nothing is compiled from a file that cannot be read, and an output that
cannot be written would leave stale rules behind, so this is always an error.

Example:

    $ ward build rulesets -o /proc/out
    error[E0001]: cannot create directory `/proc/out`: permission denied

Fix: check the path for typos and make sure the user running Ward can read
the inputs and write the output directory.

    $ ward build rulesets -o out
)ward";

    case DiagCode::kInvalidManifest:
      return R"ward(The project manifest `ward.yaml` at the ruleset root is not valid YAML, has
a key Ward does not know, or holds a value of the wrong form. The manifest
sets the project `name`, `version`, default `author` and the `namespace`
UUID from which stable rule IDs are derived.

Example:

    name: cosai-rules
    version: 1.0
    namespace: not-a-uuid

Fix: give `version` as a string and `namespace` as a canonical UUID.

    name: cosai-rules
    version: "1.0.0"
    author: "Ward contributors"
    namespace: "3c6a7b0e-2f1d-4f8e-9a51-0d2b7c9e4a13"
)ward";

    case DiagCode::kNoSources:
      return R"ward(The directory given to Ward contains no `.ward` files, so there is nothing
to compile. Ward reports this instead of silently writing an empty output,
which usually means the wrong directory was passed or the files have a
different extension.

Example:

    rulesets/
      ward.yaml
      threats.txt

Fix: point Ward at the ruleset root and give source files the `.ward`
extension.

    rulesets/
      ward.yaml
      threats.ward
)ward";

    case DiagCode::kInputTooLarge:
      return R"ward(A source file is larger than the configured size limit. The limit protects
the compiler (and CI machines) from accidentally feeding it a model file, a
log dump or a generated blob instead of a hand-written threat model.

Example:

    rulesets/
      samples/model.ward        (a 2 GB checkpoint renamed by mistake)

Fix: keep large binaries out of `.ward` files; reference samples from tests
with `file:` instead, or split a genuinely large ruleset into packages.

    detection yara pickle_code_exec "Pickle code execution" {
      test "checkpoint" { file: "samples/model.pkl"  expect: match }
    }
)ward";

    case DiagCode::kInvalidUtf8:
      return R"ward(A source file contains bytes that are not valid UTF-8: a stray byte, a
truncated sequence, an overlong encoding or an encoded surrogate. Ward source
is always UTF-8; the primary span points at the first bad byte.

Columns, string values and generated rules are all defined in terms of UTF-8
text, so the file is rejected before it is parsed.

Example:

    asset model_file "Mod\xE8le" {     (Latin-1 byte 0xE8 saved by an old editor)
      kind: model_artifact
    }

Fix: re-save the file as UTF-8, or write the character as an escape.

    asset model_file "Mod\u{E8}le" {
      kind: model_artifact
    }
)ward";

    case DiagCode::kTooManyErrors:
      return R"ward(Ward stopped reporting errors after reaching the limit (1000 by default).
Later errors are very often consequences of earlier ones, and a flood of
messages hides the first, most useful one.

Example:

    $ ward build rulesets -o out --max-errors 2
    error[E0200]: unresolved reference `safe_formatz`
    error[E0200]: unresolved reference `model_signin`
    error[E0006]: too many errors; stopped after 2

Fix: fix the errors that were reported and build again, or raise the limit
(0 means unlimited).

    $ ward build rulesets -o out --max-errors 0
)ward";

    case DiagCode::kPathEscapesRoot:
      return R"ward(A path in the ruleset (for example a YARA test `file:`) resolves to a
location outside the ruleset root, through `..` segments, an absolute path or
a symbolic link.

Builds must not depend on, or be able to read, files outside the ruleset: a
shared ruleset could otherwise pull arbitrary files from the machine that
builds it.

Example:

    test "passwd" { file: "../../etc/passwd"  expect: no_match }

Fix: copy the sample into the ruleset and refer to it by a relative path
that stays inside.

    test "benign text" { file: "samples/benign.txt"  expect: no_match }
)ward";

    case DiagCode::kInternalError:
      return R"ward(The compiler reached a state that should be impossible: this is a bug in
Ward, not in your ruleset. The message names the internal check that failed
and the location being processed when it happened.

Example:

    error[E0009]: internal compiler error: lowering reached an unresolved reference
      --> rulesets/threats.ward:12:17

Fix: please report the bug with the smallest `.ward` file that reproduces
it. Until it is fixed, rewriting the construct at the reported location (for
example splitting a long list or a nested expression) may avoid the problem.

    $ ward build rulesets -o out 2> ice.txt    (attach ice.txt to the report)
)ward";

    case DiagCode::kTextNotUtf8:
      return R"ward(A title, description, ID, tag or other text value holds bytes that do not
form valid UTF-8, usually because of a `\xNN` escape above `\x7F`. The
escape `\xNN` inserts one raw byte: that is what YARA strings and YARA test
data need, but text that ends up in documents, Sigma rules and JSON must be
UTF-8, and a lone byte such as 0x80 is not.

Example:

    threat t "Caf\xe9 chatbot leaks orders" { severity: low }

Fix: write the character with a Unicode escape, `\u{...}`, or type it
directly; `\xNN` is for raw bytes only.

    threat t "Caf\u{e9} chatbot leaks orders" { severity: low }
)ward";

    // ---- syntax ------------------------------------------------------------------
    case DiagCode::kSyntaxError:
      return R"ward(The parser found a token it did not expect at this point. The message says
what it found and, where it can, what would have been valid. Common causes
are a missing `}` or `:`, a keyword used in the wrong place, or a `#`
comment (Ward comments are `//` and `/* */`).

Example:

    threat prompt_injection "Prompt injection" {
      severity high               # missing colon
    }

Fix: follow the grammar: properties are `key: value`.

    threat prompt_injection "Prompt injection" {
      severity: high              // a comment
    }

The declarations of the file that parsed cleanly are still checked, so their
errors are reported in the same run. The declaration with the syntax error is
left out until it parses; references to its name, in this file or others,
are not reported as unresolved meanwhile.
)ward";

    case DiagCode::kUnterminatedString:
      return R"ward(A `"` string literal is not closed before the end of its line. Ordinary
strings cannot span lines; a missing closing quote would otherwise swallow
the rest of the file.

Example:

    threat t "Code execution when a model file is loaded {
      severity: high
    }

Fix: close the string, or use a `"""` raw string for text that spans lines.

    threat t "Code execution when a model file is loaded" {
      severity: high
      description: """
        Pickle streams can import and call any Python callable.
        """
    }
)ward";

    case DiagCode::kInvalidEscape:
      return R"ward(A backslash in a `"` string is followed by something that is not a Ward
escape. The valid escapes are `\"`, `\\`, `\n`, `\r`, `\t`, `\0`, `\xNN` (one
raw byte) and `\u{...}` (a code point written as UTF-8). Escapes are not
guessed, because a silently wrong byte makes a detection miss.

Example:

    strings {
      $path = "C:\Windows\System32"    // \W and \S are not escapes
    }

Fix: double the backslash, or write the byte or code point explicitly.

    strings {
      $path = "C:\\Windows\\System32"
    }
)ward";

    case DiagCode::kInvalidCharacter:
      return R"ward(The lexer found a character that cannot start any Ward token, such as `#`,
a backtick outside a field name, a smart quote pasted from a document, or an
invisible control character.

Example:

    threat t "Title" {
      severity: high   # typo'd comment
      tags: “supply-chain”
    }

Fix: use `//` comments and plain ASCII double quotes.

    threat t "Title" {
      severity: high   // a comment
      tags: "supply-chain"
    }
)ward";

    case DiagCode::kUnterminatedComment:
      return R"ward(A `/*` block comment is never closed with `*/`, so the rest of the file
would be ignored. The primary span points at the opening `/*`.

Example:

    /* Threats for the model supply chain.
    threat unsafe_deserialization "Code execution on load" {
      severity: critical
    }

Fix: close the comment where it should end.

    /* Threats for the model supply chain. */
    threat unsafe_deserialization "Code execution on load" {
      severity: critical
    }
)ward";

    case DiagCode::kNestingTooDeep:
      return R"ward(Parentheses, blocks, lists or objects are nested deeper than the compiler
allows. The limit keeps hostile or generated input from exhausting the stack;
no hand-written rule needs to come close to it.

Example:

    when: ((((((((((((((((((((((((((((((((a))))))))))))))))))))))))))))))))
          ...                          (hundreds of levels)

Fix: flatten the expression; name parts of it with `let` and combine the
names.

    let phrases = gen_ai.prompt contains any ["ignore previous instructions"]
    let red_team = user.role == "red_team"
    when: phrases and not red_team
)ward";

    case DiagCode::kInvalidNumber:
      return R"ward(A number literal cannot be represented: an integer wider than 64 bits, a
hexadecimal literal with no digits, or a float that overflows. Ward does not
round or truncate numbers silently, because a changed threshold or offset
changes what a rule matches.

Example:

    condition: uint32(0) == 0x1FFFFFFFFFFFFFFFFF

Fix: use a value that fits the type the construct needs.

    condition: uint32(0) == 0x464C457F
)ward";

    // ---- names and references ------------------------------------------------------
    case DiagCode::kUnresolvedName:
      return R"ward(A reference names nothing that is in scope: no declaration in this package,
no imported entity and no package alias has that name. A misspelt link would
otherwise silently drop a mitigation or detection from the threat model. When
a similar name exists, the help line suggests it.

Example:

    threat unsafe_deserialization "Code execution on load" {
      severity: critical
      mitigated_by: safe_formatz
    }
    mitigation safe_formats "Non-executable formats" { type: preventive }

Fix: correct the spelling, or import the package that declares the name.

    threat unsafe_deserialization "Code execution on load" {
      severity: critical
      mitigated_by: safe_formats
    }
)ward";

    case DiagCode::kDuplicateName:
      return R"ward(Two declarations share one qualified name (package plus name), for example
two threats called `prompt_injection` in package `cosai.runtime`. Names are
how entities refer to each other and how output files and stable rule IDs
are derived, so they must be unique. The secondary label shows the first
declaration.

Example:

    package cosai.runtime
    threat prompt_injection "Direct prompt injection" { severity: high }
    threat prompt_injection "Indirect prompt injection" { severity: high }

Fix: rename one of them, or merge them if they describe the same threat.

    threat direct_prompt_injection "Direct prompt injection" { severity: high }
    threat indirect_prompt_injection "Indirect prompt injection" { severity: high }
)ward";

    case DiagCode::kWrongKind:
      return R"ward(A reference resolves, but to an entity of the wrong kind for its property:
`mitigated_by` needs mitigations, `affects` and `applies_to` need assets,
`detected_by` needs detections, `detects` and `addresses` need threats, and
`personas` needs personas. The link would be meaningless in the generated
mappings.

Example:

    asset model_file "Model artifact" { kind: model_artifact }
    threat unsafe_deserialization "Code execution on load" {
      severity: critical
      mitigated_by: model_file
    }

Fix: reference an entity of the expected kind (or move the reference to the
property that takes that kind).

    threat unsafe_deserialization "Code execution on load" {
      severity: critical
      affects: model_file
      mitigated_by: safe_formats
    }
)ward";

    case DiagCode::kUnknownCatalogEntry:
      return R"ward(A catalog reference `catalog."ID"` names an ID that the loaded catalog
does not contain. Mappings to frameworks such as MITRE ATLAS or the OWASP
LLM Top 10 are only useful if the IDs exist; a typo would publish a broken
mapping.

Example:

    catalog atlas "MITRE ATLAS" {
      version: "5.6.1"
      entry "AML.T0051" "LLM Prompt Injection" { kind: technique }
    }
    threat t "Prompt injection" { severity: high  maps: atlas."AML.T0015" }

Fix: use an ID the catalog declares (check the catalog file or the
framework's site), or add the missing entry to the catalog.

    threat t "Prompt injection" { severity: high  maps: atlas."AML.T0051" }
)ward";

    case DiagCode::kImportCycle:
      return R"ward(Packages import each other in a cycle, directly or through other packages.
Ward resolves packages in dependency order, and a cycle has no such order.
The notes list the packages that form the cycle.

Example:

    // file a.ward
    package cosai.a
    import cosai.b.*
    // file b.ward
    package cosai.b
    import cosai.a.*

Fix: move the shared declarations into a third package that both import,
or drop the import that is not needed.

    package cosai.common        // shared assets and personas
    package cosai.a
    import cosai.common.*
    package cosai.b
    import cosai.common.*
)ward";

    case DiagCode::kUnknownImport:
      return R"ward(An `import` names a package or entity that does not exist in the ruleset.
`import a.b` imports the entity or package `a.b`; `import a.b.*` imports
every entity of package `a.b`.

Example:

    package cosai.supply_chain
    import catalogs.atlass

Fix: correct the package or entity name (the help suggests a close match),
or add the missing package to the ruleset.

    package cosai.supply_chain
    import catalogs.atlas
)ward";

    case DiagCode::kNotImported:
      return R"ward(A name declared in another package is used without importing it. Every
cross-package dependency is written down with `import`, so a reader can see
where a name comes from and packages can be compiled in order.

Example:

    package cosai.runtime
    threat prompt_injection "Prompt injection" {
      severity: high
      affects: chat_app          // declared in package cosai.common
    }

Fix: import the entity (or its whole package) before using it.

    package cosai.runtime
    import cosai.common.chat_app
    threat prompt_injection "Prompt injection" {
      severity: high
      affects: chat_app
    }
)ward";

    case DiagCode::kDuplicateId:
      return R"ward(Two catalog entries, or two detections, have the same ID. Catalog IDs are
what mappings point at, and detection IDs (explicit `id:` UUIDs or the ones
Ward derives) identify rules in SIEMs and scanners; a duplicate makes one
rule overwrite or shadow the other.

Example:

    detection sigma a "First rule" { id: "0c9f8a57-3c3e-4f6b-9a2f-6d1f6a7b2c11" }
    detection sigma b "Second rule" { id: "0c9f8a57-3c3e-4f6b-9a2f-6d1f6a7b2c11" }

Fix: give each rule its own UUID, or remove `id:` and let Ward derive a
stable one from the rule's qualified name.

    detection sigma a "First rule" { id: "0c9f8a57-3c3e-4f6b-9a2f-6d1f6a7b2c11" }
    detection sigma b "Second rule" { level: medium }
)ward";

    case DiagCode::kAmbiguousName:
      return R"ward(A name is brought into scope by more than one import, for example two
wildcard imports that both declare `model_file`. Ward does not pick one,
because the choice would depend on import order.

Example:

    import cosai.common.*
    import vendor.assets.*       // also declares model_file
    threat t "Title" { severity: high  affects: model_file }

Fix: qualify the reference with its package, or import the entity under a
distinct name.

    import cosai.common.*
    import vendor.assets as vendor
    threat t "Title" { severity: high  affects: vendor.model_file }
)ward";

    case DiagCode::kUnusedImport:
      return R"ward(An import is never used by the file that declares it. Unused imports make
dependencies look larger than they are and can hide a typo in the name that
was meant to be used.

Example:

    package cosai.runtime
    import catalogs.owasp_llm as owasp
    threat t "Title" { severity: high }

Fix: remove the import, or use it.

    package cosai.runtime
    import catalogs.owasp_llm as owasp
    threat t "Title" { severity: high  maps: owasp."LLM01:2025" }
)ward";

    case DiagCode::kCatalogVersionDrift:
      return R"ward(A mapping is pinned to a catalog version (`catalog."ID@version"`) that
differs from the version of the catalog that is loaded. The entry may have
changed meaning, or been moved, since the mapping was written.

Example:

    catalog cosai "CoSAI risk map" { version: "5.6.1" }
    threat t "Title" {
      severity: high
      maps: cosai."riskMaliciousLoaderDeserialization@5.0.1"
    }

Fix: review the entry in the loaded version, then update the pin (or drop it
to follow the loaded catalog).

    maps: cosai."riskMaliciousLoaderDeserialization@5.6.1"
)ward";

    case DiagCode::kDeprecatedCatalogEntry:
      return R"ward(A mapping names a catalog entry that is marked `deprecated: true` or has a
`renamed_to` successor. Frameworks such as MITRE ATLAS retire and renumber
techniques; mappings to retired IDs stop lining up with current tooling.

Example:

    catalog atlas "MITRE ATLAS" {
      version: "5.6.1"
      entry "AML.T0051" "LLM Prompt Injection" { kind: technique }
      entry "AML.T0099" "Old name" { deprecated: true  renamed_to: "AML.T0051" }
    }
    threat t "Prompt injection" { severity: high  maps: atlas."AML.T0099" }

Fix: map to the successor the catalog names.

    threat t "Prompt injection" { severity: high  maps: atlas."AML.T0051" }
)ward";

    // ---- properties and values -------------------------------------------------------
    case DiagCode::kUnknownProperty:
      return R"ward(A declaration has a property or block that its kind does not define, for
example `likelihood` on a mitigation or `strings` in a Sigma detection.
Unknown keys are errors rather than being ignored, so that a misspelling
such as `mitigatedby` cannot silently drop information.

Example:

    mitigation safe_formats "Non-executable formats" {
      type: preventive
      efectiveness: high
    }

Fix: correct the spelling (the help suggests the closest property) or remove
the property.

    mitigation safe_formats "Non-executable formats" {
      type: preventive
      effectiveness: high
    }
)ward";

    case DiagCode::kInvalidEnumValue:
      return R"ward(A property that takes one of a fixed set of words has a value outside that
set. The message lists the allowed values: for example `severity` is info,
low, medium, high or critical, and a detection's `level` is informational,
low, medium, high or critical.

Example:

    threat t "Title" {
      severity: severe
    }

Fix: use one of the listed values.

    threat t "Title" {
      severity: critical
      impact: severe          // `severe` is an impact, not a severity
    }
)ward";

    case DiagCode::kInvalidDate:
      return R"ward(A date property (`date`, `modified`) is not a real calendar date in
YYYY-MM-DD form: the month is outside 1-12, or the day does not exist in
that month (including 29 February outside leap years).

Example:

    threat t "Title" {
      severity: high
      date: 2025-02-30
    }

Fix: write an existing date.

    threat t "Title" {
      severity: high
      date: 2025-02-28
    }
)ward";

    case DiagCode::kWrongValueType:
      return R"ward(A property has a value of the wrong type: a string where a reference is
expected, a number where a string is expected, a list where one value is
allowed, and so on. The message names the expected type.

Example:

    threat t "Title" {
      severity: high
      affects: "model_file"      // a string, not a reference
      references: https_url      // a reference, not a string
    }

Fix: write the value in the expected form: references are bare names,
text is quoted.

    threat t "Title" {
      severity: high
      affects: model_file
      references: "https://example.org/advisory"
    }
)ward";

    case DiagCode::kMissingProperty:
      return R"ward(A property or clause that the declaration requires is missing: a threat
needs `severity`, a catalog needs `version`, a Sigma detection needs a
`logsource` and a `when:` (or a `correlation` block), a YARA detection needs
a `condition:`. Backends cannot produce a valid rule without it.

Example:

    detection sigma prompt_injection_phrase "Injection phrase" {
      level: high
      when: gen_ai.prompt contains "ignore previous instructions"
    }

Fix: add the missing property.

    detection sigma prompt_injection_phrase "Injection phrase" {
      level: high
      logsource { product: llm  category: prompt }
      when: gen_ai.prompt contains "ignore previous instructions"
    }
)ward";

    case DiagCode::kDuplicateProperty:
      return R"ward(The same property is written twice in one declaration. Ward does not merge
or pick one of them, because either choice could be surprising; the secondary
label shows the first occurrence.

Example:

    threat t "Title" {
      severity: high
      stage: training
      stage: deployment
    }

Fix: give the property once; list several values with commas.

    threat t "Title" {
      severity: high
      stage: training, deployment
    }
)ward";

    case DiagCode::kInvalidUuid:
      return R"ward(A value that must be a UUID (a detection's `id`, a `related` entry, the
manifest `namespace`) is not in canonical 8-4-4-4-12 hexadecimal form.
Sigma and SIEM tooling key rules on these IDs.

Example:

    detection sigma r "Title" {
      id: "0c9f8a57-3c3e-4f6b-9a2f"
      related { derived: "rule-42" }
    }

Fix: use a complete UUID, or omit `id:` and let Ward derive a stable one.

    detection sigma r "Title" {
      id: "0c9f8a57-3c3e-4f6b-9a2f-6d1f6a7b2c11"
      related { derived: "5b2d4c1e-8f3a-4e6b-9d7c-1a2b3c4d5e6f" }
    }
)ward";

    case DiagCode::kModifiedBeforeDate:
      return R"ward(The `modified` date is earlier than the creation `date`. One of the two is
almost certainly a typo, and tools that sort or filter rules by date would
show a confusing history.

Example:

    threat t "Title" {
      severity: high
      date: 2025-06-01
      modified: 2025-01-06
    }

Fix: correct whichever date is wrong, so that `modified` is on or after
`date`.

    threat t "Title" {
      severity: high
      date: 2025-06-01
      modified: 2025-07-01
    }
)ward";

    case DiagCode::kEmptyValue:
      return R"ward(A value that must carry content is empty: an empty title, description,
list of references or `falsepositives` entry. Empty values produce rules
that fail upstream validators and documents with blank cells.

Example:

    threat t "" {
      severity: high
      description: ""
    }

Fix: write the text, or remove the optional property.

    threat t "Code execution when a model file is loaded" {
      severity: high
      description: "Pickle streams can run arbitrary code when loaded."
    }
)ward";

    case DiagCode::kInvalidDuration:
      return R"ward(A duration is not a positive whole number followed by `s`, `m`, `h` or `d`.
Durations are used for a Sigma correlation's `timespan`, and Sigma only
accepts these units; zero would make the window empty.

Example:

    correlation event_count {
      rules: failed_login
      group_by: user.id
      timespan: 0m
      where: count >= 10
    }

Fix: write a positive duration, e.g. `90m` or `1h`.

    correlation event_count {
      rules: failed_login
      group_by: user.id
      timespan: 10m
      where: count >= 10
    }
)ward";

    case DiagCode::kRefinementCycle:
      return R"ward(Threats refine each other in a cycle: following `refines` from a threat
leads back to it, or a threat names itself in its own `refines`.

`refines` points from a narrower threat to a broader one, and coverage flows
along it: a detection of the narrow threat also detects the broad one. In a
cycle neither threat is narrower than the other, so the links say nothing and
the coverage they would grant is circular.

Example:

    threat data_poisoning "Poisoned training data" {
      severity: high
      refines: hub_dataset_poisoning
    }
    threat hub_dataset_poisoning "Poisoned dataset from a public hub" {
      severity: high
      refines: data_poisoning
    }

Fix: keep the link that points from the narrower threat to the broader one.

    threat data_poisoning "Poisoned training data" {
      severity: high
    }
    threat hub_dataset_poisoning "Poisoned dataset from a public hub" {
      severity: high
      refines: data_poisoning
    }
)ward";

    // ---- threat-model coverage ---------------------------------------------------------
    case DiagCode::kThreatNotMitigated:
      return R"ward(A threat has no mitigation: no `mitigated_by` on the threat and no
mitigation that `addresses` it. The threat model then shows the risk as
fully residual. This is a warning, so that work in progress still builds.

Example:

    threat model_theft "Model weights exfiltrated" {
      severity: high
    }

Fix: link a mitigation from either side.

    threat model_theft "Model weights exfiltrated" {
      severity: high
      mitigated_by: weight_encryption
    }
    mitigation weight_encryption "Encrypt weights at rest" { type: preventive }
)ward";

    case DiagCode::kThreatNotDetected:
      return R"ward(A threat has no detection: no `detected_by` on the threat and no detection
that `detects` it. Without one, an exploited threat goes unnoticed; the
coverage reports show it as a gap.

Example:

    threat prompt_injection "Prompt injection" {
      severity: high
    }

Fix: write a detection and link it (from either side).

    threat prompt_injection "Prompt injection" {
      severity: high
      detected_by: prompt_injection_phrase
    }
)ward";

    case DiagCode::kDetectionWithoutThreat:
      return R"ward(A detection is linked to no threat: it has no `detects` and no threat lists
it in `detected_by`. The rule is still generated, but it cannot appear in
coverage reports or mappings, and nobody can tell what it is for.

Example:

    detection yara pickle_code_exec "Pickle code execution" {
      strings { $g = "cos\nsystem" }
      condition: $g
    }

Fix: say which threat the detection covers.

    detection yara pickle_code_exec "Pickle code execution" {
      detects: unsafe_deserialization
      strings { $g = "cos\nsystem" }
      condition: $g
    }
)ward";

    case DiagCode::kMitigationUnused:
      return R"ward(A mitigation addresses no threat: it has no `addresses` and no threat lists
it in `mitigated_by`. It will appear in control mappings without any risk it
reduces, which usually means a link was forgotten.

Example:

    mitigation model_signing "Sign model artifacts" {
      type: preventive
    }

Fix: link it to the threats it reduces, or remove it.

    mitigation model_signing "Sign model artifacts" {
      type: preventive
      addresses: unsafe_deserialization
    }
)ward";

    case DiagCode::kDetectionGapCovered:
      return R"ward(A threat declares `detection_gap`, saying that no log event or file content
can reveal it, and yet it is detected: a detection is linked to it, or a
narrower threat that refines it has one.

The coverage reports list a declared gap as a hole that was looked at and
accepted. A gap that is in fact covered misleads the reader in the other
direction, and usually means the gap was declared before a detection was
written.

Example:

    threat side_channel "Secrets read through accelerator timing" {
      severity: medium
      detection_gap: "timing differences leave no trace in the logs we collect"
      detected_by: gpu_profiler_attached
    }

Fix: remove the declared gap (or the link, if the detection does not in fact
catch the threat).

    threat side_channel "Secrets read through accelerator timing" {
      severity: medium
      detected_by: gpu_profiler_attached
    }
)ward";

    // ---- Sigma -------------------------------------------------------------------------
    case DiagCode::kInvalidModifierCombo:
      return R"ward(A Sigma predicate combines modifiers in a way the Sigma specification or
its reference tooling rejects: for example `base64offset` without
`contains`, `all` with `windash`, a modifier given twice, or `cased` with a
numeric comparison. Such a rule would fail `sigma check` or convert wrongly.

Example:

    when: CommandLine == base64offset "ping"

Fix: use the combination the specification defines: `base64offset` belongs
with `contains`.

    when: CommandLine contains base64offset "ping"
)ward";

    case DiagCode::kInvalidRegex:
      return R"ward(A Sigma `matches /regex/` pattern does not compile with PCRE2, the flavour
Sigma backends build on. The message includes PCRE2's reason and the span
points at the offending part where possible.

Example:

    when: gen_ai.prompt matches /ignore (previous|prior instructions/i

Fix: balance the group (or escape a literal parenthesis as `\(`).

    when: gen_ai.prompt matches /ignore (previous|prior) instructions/i
)ward";

    case DiagCode::kUndefinedSelection:
      return R"ward(A Sigma `when:` names a selection that no `let` defines, or an `any of` /
`all of` pattern matches no `let` at all. Sigma tools reject conditions that
refer to missing search identifiers.

Example:

    let phrases = gen_ai.prompt contains "ignore previous instructions"
    when: phrase and not red_team

Fix: define the selection or correct its name.

    let phrases = gen_ai.prompt contains "ignore previous instructions"
    let red_team = user.role == "red_team"
    when: phrases and not red_team
)ward";

    case DiagCode::kUnusedSelection:
      return R"ward(A `let` selection in a Sigma detection is never used by `when:` (directly
or through an `any of` / `all of` pattern). It is probably a leftover or a
forgotten condition, and the generated rule would carry dead detection
logic.

Example:

    let phrases = gen_ai.prompt contains "ignore previous instructions"
    let red_team = user.role == "red_team"
    when: phrases

Fix: use the selection in the condition, or delete it.

    when: phrases and not red_team
)ward";

    case DiagCode::kInvalidCidr:
      return R"ward(A value used with `in cidr` is not a valid IPv4 or IPv6 network: the
address is malformed, the prefix length is out of range (0-32 for IPv4,
0-128 for IPv6), or it is not a string.

Example:

    when: source.ip in cidr "10.0.0.0/33"

Fix: write a valid network in address/prefix form.

    when: source.ip in cidr ["10.0.0.0/8", "fd00::/8"]
)ward";

    case DiagCode::kInvalidSigmaValue:
      return R"ward(A Sigma value has the wrong type for its operator or modifiers: an ordered
comparison (`<`, `>=` ...) with a string, `contains` or `like` with a number
or boolean, `matches` without a regex literal, or an encoding modifier such
as `base64` on a non-string.

Example:

    when: http.response.status_code >= "500"

Fix: give a value of the type the operator works on.

    when: http.response.status_code >= 500
)ward";

    case DiagCode::kNullInList:
      return R"ward(`null` appears inside a list of values. Sigma does not allow `null` in a
value list; a field that must be absent or null is a separate selection.

Example:

    when: user.role == ["analyst", null]

Fix: test for `null` in its own predicate and combine the two.

    let analyst = user.role == "analyst"
    let no_role = user.role == null
    when: analyst or no_role
)ward";

    case DiagCode::kAllWithOneValue:
      return R"ward(`all` was applied to a single value. `all` ANDs the values of a list; with
one value it does nothing and usually means a value was lost in an edit
(SigmaHQ's validators flag the same pattern).

Example:

    when: gen_ai.prompt contains all "ignore previous instructions"

Fix: drop `all`, or list every value that must be present.

    when: gen_ai.prompt contains all ["ignore", "previous instructions"]
)ward";

    case DiagCode::kUnknownTimePart:
      return R"ward(A time predicate uses a function that is not one of Sigma's time
modifiers. The available parts are `minute`, `hour`, `day`, `week`, `month`
and `year`.

Example:

    when: hours(timestamp) >= 22

Fix: use one of the listed time parts.

    when: hour(timestamp) >= 22
)ward";

    case DiagCode::kInvalidCorrelation:
      return R"ward(A `correlation` block does not form a valid Sigma correlation rule: an
unknown type, a missing `rules`, `group_by`, `timespan` or `where`, a
`where` that does not match the type (value_count and value_sum need
`count(field)` / `sum(field)`), fewer than two rules for a temporal type, or
an alias that names a rule not in `rules`.

Example:

    correlation temporal {
      rules: prompt_event
      group_by: user.id
      timespan: 10m
    }

Fix: supply what the type requires.

    correlation temporal {
      rules: prompt_event, tool_call_event
      group_by: user.id
      timespan: 10m
    }
)ward";

    case DiagCode::kSelectionCycle:
      return R"ward(Named selections refer to each other in a cycle, directly or through other
selections, so none of them has a definite meaning. The notes list the
selections in the cycle.

Example:

    let a = gen_ai.prompt contains "ignore" and b
    let b = user.role == "analyst" and a
    when: a

Fix: break the cycle by writing each selection from predicates and earlier
selections only.

    let a = gen_ai.prompt contains "ignore"
    let b = user.role == "analyst"
    when: a and b
)ward";

    case DiagCode::kInvalidPlaceholder:
      return R"ward(A value used with the `expand` modifier contains a malformed `%name%`
placeholder: an unclosed `%`, an empty name, or characters that cannot be
part of a placeholder name. Sigma tools must reject rules whose placeholders
they cannot resolve.

Example:

    when: source.hostname == expand "%JumpServers"

Fix: close the placeholder (write `\%` for a literal percent sign).

    when: source.hostname == expand "%JumpServers%"
)ward";

    case DiagCode::kInvalidLogsource:
      return R"ward(A `logsource` block has none of `category`, `product` or `service`. Sigma
backends use these fields to pick the log data a rule runs against; a rule
or filter without them cannot be routed anywhere.

Example:

    logsource { definition: "LLM gateway prompt log" }

Fix: name at least one of category, product or service.

    logsource { product: llm  category: prompt  definition: "LLM gateway prompt log" }
)ward";

    case DiagCode::kFilterLogsourceMismatch:
      return R"ward(A filter lists a rule in `rules:` whose log source the filter does not
cover: the filter sets a `category`, `product` or `service` that the rule
has with another value, or not at all.

Sigma tools (pySigma, `sigma convert --filter`) apply a filter to a rule only
when the rule's log source falls within the filter's, so this filter is
silently skipped for that rule and the exclusion it was written for never
happens.

Example:

    detection sigma phrase "..." { logsource { product: llm  category: prompt } ... }
    filter red_team "..." {
      logsource { product: windows }
      rules: phrase
      when: not user.role == "red_team"
    }

Fix: give the filter the log source of the rules it filters, or drop the
attributes that differ.

    filter red_team "..." {
      logsource { product: llm }
      rules: phrase
      when: not user.role == "red_team"
    }
)ward";

    // ---- YARA --------------------------------------------------------------------------
    case DiagCode::kUndefinedString:
      return R"ward(The YARA `condition:` uses a string identifier (`$x`, `#x`, `@x`, `!x`,
or a pattern such as `$x*`) that the `strings` block does not define.
libyara rejects the rule.

Example:

    strings { $global = "cos\nsystem" }
    condition: $globl

Fix: define the string or correct the identifier.

    strings { $global = "cos\nsystem" }
    condition: $global
)ward";

    case DiagCode::kUnusedString:
      return R"ward(A string in the `strings` block is not used by the condition, neither by
name nor through `them` or a `($x*)` pattern. YARA 4.2 refuses to compile a
rule with an unreferenced string, so Ward reports it at its definition.

Example:

    strings {
      $a = "cos\nsystem"
      $b = "posix\nsystem"
    }
    condition: $a

Fix: use the string in the condition, or delete it.

    condition: any of ($a, $b)
)ward";

    case DiagCode::kDuplicateString:
      return R"ward(Two strings in one `strings` block have the same identifier. YARA rejects
the rule because the condition could not tell them apart. Anonymous strings
(`$ = ...`) are the exception: they may repeat.

Example:

    strings {
      $cmd = "os.system"
      $cmd = "subprocess.Popen"
    }

Fix: give each string its own name (a shared prefix keeps `$cmd*` working).

    strings {
      $cmd_os = "os.system"
      $cmd_subprocess = "subprocess.Popen"
    }
    condition: any of ($cmd*)
)ward";

    case DiagCode::kMalformedHex:
      return R"ward(A hex string `{ ... }` is malformed: an odd number of hex digits, a jump
`[n-m]` whose lower bound exceeds its upper bound, a jump at the start or end
of the pattern, an empty alternative, or a character that is not a hex digit
or `?`.

Example:

    strings { $stack = { 8C ?? 73 79 7 [4-2] 6D 93 } }

Fix: write whole bytes and ordered jump ranges.

    strings { $stack = { 8C ?? 73 79 73 [2-4] 6D 93 } }
)ward";

    case DiagCode::kInvalidYaraRegex:
      return R"ward(A YARA regular expression uses syntax that YARA 4.2's regex engine does
not support or that does not parse: an unbalanced group, lookaround,
backreferences, or an invalid repetition such as `{5,2}`.

Example:

    strings { $re = /c(os|posix\n(system|popen)/ }

Fix: use the subset YARA supports and balance the groups.

    strings { $re = /c(os|posix)\n(system|popen)/ }
)ward";

    case DiagCode::kInvalidStringModifier:
      return R"ward(A YARA string has a modifier that does not apply to its kind, or a
combination libyara rejects: `nocase` with `xor` or `base64`, `base64` with
`fullword`, `xor` or `base64` on a hex string or regex, a duplicated
modifier, an `xor(lo-hi)` range with lo > hi, or a base64 alphabet that is
not exactly 64 bytes.

Example:

    strings { $b = "powershell" base64 nocase }

Fix: drop the conflicting modifier (or match the variants with separate
strings).

    strings {
      $b = "powershell" base64
      $p = "PowerShell" base64
    }
)ward";

    case DiagCode::kNewerYaraFeature:
      return R"ward(The rule uses a feature added after YARA 4.2, which is the version Ward
targets: the hex NOT byte `~00`, `of ... at N`, `for ... in` over a list of
strings, or modules and functions such as `string` and `math.to_string`.
Scanners on 4.2 would reject the generated rule.

Example:

    strings { $h = { 4D 5A ~00 } }
    condition: any of ($h) at 0

Fix: express it with 4.2 constructs, e.g. a wildcard or an explicit
offset check.

    strings { $h = { 4D 5A ?? } }
    condition: $h at 0
)ward";

    case DiagCode::kUnknownIdentifier:
      return R"ward(A name in a YARA condition is not a Ward YARA detection (rule reference),
an imported module (`pe`, `math`, ...), a module field, or a variable bound
by an enclosing `for` loop.

Example:

    condition: pickle_code_exce and filesize < 10MB

Fix: correct the spelling, or bind the variable in a loop.

    condition: pickle_code_exec and filesize < 10MB
)ward";

    case DiagCode::kSlowString:
      return R"ward(A YARA string gives the scanner no good atom: it is shorter than about 4
bytes, or consists of very common bytes such as `00` or `FF`, or a regex
starts with a wildcard. YARA then has to check almost every offset of every
file, which slows down scanning for all rules loaded together.

Example:

    strings { $z = { 00 00 00 00 } }
    condition: $z

Fix: anchor the string on longer, distinctive bytes (or test a fixed offset
with `uint32(0)` instead).

    strings { $magic = { 80 04 95 ?? ?? ?? ?? 00 00 00 00 00 00 8C } }
    condition: $magic at 0
)ward";

    case DiagCode::kEmptyString:
      return R"ward(A YARA string is empty (`""`, `//` or `{ }`). YARA cannot search for
nothing and rejects the rule with "empty string".

Example:

    strings { $marker = "" }

Fix: give the string content, or remove it and its uses.

    strings { $marker = "__reduce__" }
)ward";

    case DiagCode::kAnonymousOutsideLoop:
      return R"ward(A bare `$`, `#`, `@` or `!` (without a string name) is used outside a
`for ... of` loop. These stand for "the current string" and only have a
meaning inside such a loop; YARA reports "wrong use of anonymous string".

Example:

    strings { $a = "cos\nsystem" }
    condition: $ at 0

Fix: name the string, or wrap the expression in a `for ... of` loop.

    condition: for any of ($a) : ( $ at 0 )
)ward";

    case DiagCode::kLoopNestingTooDeep:
      return R"ward(YARA `for` loops are nested more than 4 levels deep. libyara 4.2 has a fixed
limit of 4 ("loop nesting limit exceeded"), so the generated rule would not
compile.

Example:

    condition: for any i in (1..#a) : ( for any j in (1..#b) : (
                 for any k in (1..#c) : ( for any l in (1..#d) : (
                   for any m in (1..#e) : ( @a[i] < @e[m] ) ) ) ) )

Fix: flatten the loops, e.g. split the check into several rules that refer
to each other, or use `in (lo..hi)` ranges instead of inner loops.

    condition: for any i in (1..#a) : ( $b in (@a[i]..@a[i] + 256) )
)ward";

    case DiagCode::kYaraCompileError:
      return R"ward(libyara rejected a rule that Ward generated. Ward checks rules itself first,
so this means a check is missing in Ward or a construct behaves differently
in libyara; the message carries libyara's own text and the span points at
the detection.

Example:

    detection yara r "Title" {
      strings { $a = "x" }
      condition: $a and pe.number_of_sectionz > 2
    }
    error[E0612]: libyara: invalid field name "number_of_sectionz"

Fix: correct the construct libyara names (and please report the case, so
that Ward can catch it earlier with a better message).

    condition: $a and pe.number_of_sections > 2
)ward";

    case DiagCode::kYaraCompileWarning:
      return R"ward(libyara compiled a generated rule but printed a warning, for example that
a string "may slow down scanning" or that a literal string is used as a
boolean. The rule works, but probably not as intended or not efficiently.

Example:

    strings { $a = "ab" }
    condition: $a or "x"

Fix: address the condition libyara describes.

    strings { $a = "abcdef" }
    condition: $a
)ward";

    case DiagCode::kRuleForwardReference:
      return R"ward(YARA detections refer to each other in a cycle (`a` uses `b`, `b` uses `a`,
possibly through other rules). YARA needs each referenced rule to be
defined before the rule that uses it, so a cycle cannot be ordered.

Example:

    detection yara a "A" { strings { $x = "cos\nsystem" }  condition: $x and b }
    detection yara b "B" { strings { $y = "posix\nsystem" } condition: $y or a }

Fix: break the cycle; move the shared part into a third rule that both use.

    detection yara common "Shared" { strings { $x = "cos\nsystem" }  condition: $x }
    detection yara a "A" { condition: common and filesize < 10MB }
)ward";

    case DiagCode::kInvalidYaraValue:
      return R"ward(A number in a YARA construct is outside the range YARA allows: a
percentage in `N% of` outside 1-100, an `xor` key above 255, a negative
range bound, or an integer that does not fit YARA's 64-bit integers.

Example:

    strings { $x = "evil" xor(0x01-0x1ff) }
    condition: 150% of them

Fix: use values in range.

    strings { $x = "evil" xor(0x01-0xff) }
    condition: 50% of them
)ward";

    // ---- tests -------------------------------------------------------------------------
    case DiagCode::kTestFileMissing:
      return R"ward(A YARA test names a sample with `file:` that does not exist. Paths are
relative to the `.ward` file that declares the test. A missing sample would
make the test meaningless, so it is an error rather than a skip.

Example:

    // rulesets/supply_chain/pickle.ward
    test "os.system" { file: "samples/p2_os_sytem.pkl"  expect: match }

Fix: correct the path, or add the sample next to the ruleset.

    test "os.system" { file: "samples/p2_os_system.pkl"  expect: match }
)ward";

    case DiagCode::kTestUnknownField:
      return R"ward(A Sigma test event sets a field that the detection never looks at. This is
usually a typo in the event (or in the rule), which means the test is not
exercising what its author thinks.

Example:

    when: gen_ai.prompt contains "ignore previous instructions"
    test "phrase" { event: { gen_ai.promt: "ignore previous instructions" }  expect: match }

Fix: use the field names the detection uses.

    test "phrase" { event: { gen_ai.prompt: "ignore previous instructions" }  expect: match }
)ward";

    case DiagCode::kInvalidExpectation:
      return R"ward(A test's `expect:` is not `match` or `no_match`, or is missing. Each test
must say which outcome it asserts.

Example:

    test "benign" { data: "hello"  expect: false }

Fix: write `expect: match` or `expect: no_match`.

    test "benign" { data: "hello"  expect: no_match }
)ward";

    case DiagCode::kTestMissingInput:
      return R"ward(A test has no input, or inputs of the wrong kind for its detection: Sigma
tests take `event: { ... }` or `events: [ ... ]`, YARA tests take `file:`
or `data:`, and a test takes only one of them.

Example:

    detection yara pickle_code_exec "Pickle code execution" {
      test "inline" { event: { data: "cos\nsystem" }  expect: match }
    }

Fix: give the input kind that matches the detection.

    detection yara pickle_code_exec "Pickle code execution" {
      test "inline" { data: "\x80\x04\x95cos\nsystem\n"  expect: match }
    }
)ward";

    case DiagCode::kDetectionUntested:
      return R"ward(A detection has no `test` case. Ward runs tests on every build; without
one, a change that stops the rule matching (or makes it match everything)
goes unnoticed.

Example:

    detection sigma prompt_injection_phrase "Injection phrase" {
      logsource { product: llm  category: prompt }
      when: gen_ai.prompt contains "ignore previous instructions"
    }

Fix: add at least one `match` and one `no_match` test.

    test "phrase" { event: { gen_ai.prompt: "Ignore previous instructions" }  expect: match }
    test "benign" { event: { gen_ai.prompt: "summarise this text" }  expect: no_match }
)ward";

    // ---- backends ----------------------------------------------------------------
    case DiagCode::kSigmaCannotExpress:
      return R"ward(A Sigma detection uses a value or construct that no Sigma rule can hold,
so the Sigma backend cannot write it without changing its meaning. Examples
are `null` combined with a modifier such as `contains`, a string that is not
valid UTF-8 (a `\xNN` escape above 0x7F), a title longer than 256
characters, or a correlation without the `group_by` the specification
requires.

Ward never writes an approximation: a rule that silently matched something
else would be worse than no rule.

Example:

    when: user.name contains null

Fix: say what is meant with the operators Sigma has, e.g. test for absence.

    when: user.name == null
)ward";

    case DiagCode::kOutputPathCollision:
      return R"ward(Two declarations would be written to the same output file. Output file
names are derived from declaration names (Sigma file names are lowercase,
so names that differ only in case collide, and very long names are
shortened), and file systems that ignore case would mix the two files up.

Example:

    detection sigma PromptFlood "..." { ... }
    detection sigma promptflood "..." { ... }

Fix: rename one of the declarations.

    detection sigma prompt_flood_burst "..." { ... }
)ward";

    case DiagCode::kOutputNameReserved:
      return R"ward(An output file or directory would be named after a device that Windows
reserves: CON, PRN, AUX, NUL, COM0 to COM9 or LPT0 to LPT9, in any letter
case and with any extension (`aux.yar`, `nul.yml` and `con.models.yar` are
all reserved). Output names come from package and rule names. The build
itself works, but Windows cannot create such a file, and Git for Windows
refuses to check out a repository that holds one, so committed output
would break every Windows clone.

Example:

    package aux
    detection yara marker "..." { ... }     // writes yara/aux.yar

Fix: rename the package or the rule.

    package aux_tools
)ward";

    case DiagCode::kInvalidBackendOption:
      return R"ward(A backend option given on the command line has a value the backend does
not know, e.g. a Sigma profile other than `default` or `sigmahq`.

Example:

    $ ward build rulesets -o out --sigma-profile strict

Fix: use one of the values listed in the message.

    $ ward build rulesets -o out --sigma-profile sigmahq
)ward";

    case DiagCode::kSigmaTagDropped:
      return R"ward(A `tags` value of a Sigma detection cannot become a Sigma tag and was left
out of the rule. Sigma tags are `namespace.value` in lowercase letters,
digits, `_` and `-` (the value may also contain `.`); Ward lowercases tags
and turns spaces into `_`, but cannot invent a namespace or drop other
characters without changing what the tag says.

Example:

    tags: "supply chain/pickle"

Fix: write the tag with a namespace, in Sigma's alphabet.

    tags: "detection.threat-hunting", "ward.supply_chain"
)ward";

    case DiagCode::kSigmaHqConvention:
      return R"ward(With `--sigma-profile sigmahq`, Sigma rules follow the conventions of the
SigmaHQ rule repository, which requires author, date, description,
falsepositives, level, status, tags and references on every rule. A
detection lacks one of them, so Ward filled in the conventional default
(status `experimental`, falsepositives `Unknown`, the build date, a
description derived from the title) or left the field out. It also reports
what SigmaHQ's validators flag but Ward keeps as written: a title that
starts with "Detect" or is longer than 120 characters, a description that
does not start with "Detects" or is shorter than 16 characters, and a
correlation condition with two operators, which pySigma does not accept.

Example:

    detection sigma prompt_flood "Prompt flood" { level: medium  when: ... }

Fix: give the metadata in the detection.

    detection sigma prompt_flood "Prompt flood" {
      description: "Detects a burst of prompts from one user"
      author: "Ward contributors"  date: 2025-06-01  status: experimental
      references: "https://example.org/prompt-flood"
      falsepositives: "Load tests"
      ...
    }
)ward";

    // ---- catalog import ------------------------------------------------------
    case DiagCode::kImportUnreadable:
      return R"ward(`ward import catalog` could not read one of the source files named on the
command line: it does not exist, is a directory, is not readable by the
user running Ward, or is larger than the import limit (64 MiB).

Nothing is written when an input is missing: a catalog built from part of
a distribution would silently drop IDs that mappings rely on.

Example:

    $ ward import catalog atlas ATLA.yaml -o atlas.ward
    error[E1020]: cannot read `ATLA.yaml`: no such file or directory

Fix: pass the path of the file from the official distribution, e.g.
`dist/ATLAS.yaml` of mitre-atlas/atlas-data.

    $ ward import catalog atlas atlas-data/dist/ATLAS.yaml -o atlas.ward
)ward";

    case DiagCode::kImportNotYaml:
      return R"ward(A catalog source file is not YAML that Ward can read: the YAML parser
stopped at the position shown (an unclosed quote, a tab used for
indentation, a mapping key without a value...), or the file is not valid
UTF-8.

The importers read only the official machine-readable distributions, which
are valid YAML; this usually means the wrong file was passed (an HTML page
saved from a browser, a Git LFS pointer, a truncated download).

Example:

    $ ward import catalog atlas ATLAS.html -o atlas.ward
    error[E1021]: `ATLAS.html` is not valid YAML: illegal map value

Fix: download the file again from the distribution, or pass the YAML file
rather than a page or archive that contains it.

    $ ward import catalog atlas dist/ATLAS.yaml -o atlas.ward
)ward";

    case DiagCode::kImportBadStructure:
      return R"ward(A catalog source file is YAML, but not in the shape of the format being
imported: a required key is missing (an ATLAS technique without `id` or
`name`, a CoSAI control without `title`), or a value has the wrong type (a
string where a list is expected).

Ward does not guess: a field it cannot read would become a missing or wrong
entry in the catalog, and mappings checked against it would be wrong.

Example:

    techniques:
      - id: AML.T0051
        tactics: AML.TA0005      # a string, ATLAS writes a list

Fix: check that the file is the right one for the importer (`atlas` reads
ATLAS.yaml, `cosai` reads the risk-map YAML files), and that it was not
edited by hand.

    techniques:
      - id: AML.T0051
        name: LLM Prompt Injection
        tactics: [AML.TA0005]
)ward";

    case DiagCode::kImportBadId:
      return R"ward(An ID in the catalog source cannot become a Ward catalog entry: it is
empty, contains `@` (which Ward reads as the start of a version pin, so the
entry could never be mapped to), contains a line break or control
character, or appears twice with different meanings.

Catalog IDs are what mappings name, so every one must be unique and usable
in a catalog reference such as `atlas."AML.T0051@5.6.0"`.

Example:

    techniques:
      - { id: AML.T0051, name: LLM Prompt Injection, tactics: [AML.TA0005] }
      - { id: AML.T0051, name: LLM Jailbreak, tactics: [AML.TA0012] }

Fix: correct the source file, or report the defect to the framework's
maintainers and import a corrected copy.

    techniques:
      - { id: AML.T0051, name: LLM Prompt Injection, tactics: [AML.TA0005] }
      - { id: AML.T0054, name: LLM Jailbreak, tactics: [AML.TA0012] }
)ward";

    case DiagCode::kImportDanglingRef:
      return R"ward(An entry of the catalog source refers to an ID that the source does not
define: a technique lists a tactic that is not in the matrix, a
sub-technique names a parent technique that does not exist, a CoSAI control
names a risk, component, persona or category missing from the files given.

A catalog with dangling parents breaks the coverage matrix and the
Navigator layers built from it, so the import stops instead.

Example:

    - id: AML.T0051.000
      name: Direct
      subtechnique-of: AML.T0015     # no technique AML.T0015 in the file

Fix: correct the reference, or pass every file of the distribution (for
CoSAI, components.yaml and personas.yaml as well as risks and controls).

    - id: AML.T0051.000
      name: Direct
      subtechnique-of: AML.T0051
)ward";

    case DiagCode::kImportNoVersion:
      return R"ward(The catalog source does not state which release of the framework it is,
and no `--version` was given. Every Ward catalog has a version, so that
mappings can be pinned to it and drift reported when it changes.

ATLAS.yaml carries a top-level `version`; the CoSAI risk-map files carry
none, so their version must be given on the command line (for example the
date or commit of the snapshot).

Example:

    $ ward import catalog cosai risks.yaml controls.yaml -o cosai.ward
    error[E1025]: the CoSAI risk map files state no version

Fix: pass the version of the snapshot you imported.

    $ ward import catalog cosai risks.yaml controls.yaml --version 2026-08-19 \
        -o cosai.ward
)ward";

    case DiagCode::kImportWrongFiles:
      return R"ward(The files passed to `ward import catalog` do not make up the distribution
the importer expects: a required file is missing, the same kind of file
was given twice, or a file holds none of the lists the importer reads.

The CoSAI importer recognises each file by its top-level list (`risks`,
`controls`, `components`, `personas`); it needs risks and controls, and
takes components and personas when they are given. The ATLAS importer takes
exactly one file, ATLAS.yaml.

Example:

    $ ward import catalog cosai risks.yaml risks.yaml -o cosai.ward
    error[E1026]: `risks.yaml` is the second file holding `risks`

Fix: pass each file of the distribution once.

    $ ward import catalog cosai risks.yaml controls.yaml components.yaml \
        personas.yaml --version 2026-08-19 -o cosai.ward
)ward";

    // ---- versioning and CI builds ---------------------------------------------
    case DiagCode::kInvalidLock:
      return R"ward(`ward build` keeps ward.lock, next to ward.yaml, with the version of
every emitted rule: its stable ID, qualified name, output files, a SHA-256
of its emitted text, an integer version and the `modified` date. The file
could not be read as such a lock: it is not JSON, its `lock_version` is
one this ward does not read, or an entry lacks a field or has a value of
the wrong form. Ward neither builds nor overwrites the lock then, because
the versions it holds would be lost.

Example:

    "246e3b4b-e57e-544e-b214-11d3c87cec95": {
      "kind": "sigma", "name": "cosai.runtime.prompt_injection_phrase",
      "paths": ["sigma/cosai/runtime/prompt_injection_phrase.yml"],
      "sha256": "<64 hexadecimal digits>", "version": 3, "modified": "2026-11-30"
    }

Fix: restore ward.lock from version control (it is written by ward and
never needs editing), or delete it and start a new lock in which every
rule is at version 1. `--no-lock` builds without it.

    git checkout -- ward.lock
)ward";

    case DiagCode::kBuildStale:
      return R"ward(`ward build --check` builds in memory and compares the result with the
output directory (-o) and ward.lock on disk, changing nothing. This error
means they differ: an output file would be added, changed or deleted, or a
lock entry would be added, bumped, renamed or removed. The notes list each
difference. It is the CI gate that the committed rules are the ones the
committed sources produce.

Example:

    ward build rulesets -o generated --check
    error[E0901]: `generated` and ward.lock are stale: 1 file changed, ...
      = note: changed  generated/sigma/demo/r.yml
      = note: lock     demo.r (sigma): version 1 -> 2, content changed

Fix: run the same command without --check and commit the output
directory and ward.lock together. An output file edited by hand is
reported as changed: edit the .ward source instead.

    ward build rulesets -o generated
    git add generated ward.lock
)ward";

    case DiagCode::kLockRuleRemoved:
      return R"ward(A rule that ward.lock records was not emitted by this build: its
detection or filter was deleted, or it was renamed or moved without
keeping its ID. Ward drops its lock entry and its output file is not
written any more (the output directory is replaced as a whole, so no stale
file stays behind). This note only reports it.

Example:

    detection sigma new_rule "..." { ... }   // renamed from old_rule

The new name derives a new ID, so the SIEM sees a new rule and loses the
old one.

Fix: nothing, if the rule was meant to go. To rename or move a rule and
keep its identity (and its version in ward.lock), pin its old ID:

    detection sigma new_rule "..." {
      id: "6ee67d86-b098-4f22-a832-77f45f607f22"   // the ID old_rule had
      ...
    }
)ward";

    // ---- importing Sigma -------------------------------------------------------
    case DiagCode::kSigmaInvalidYaml:
      return R"ward(A Sigma rule file could not be read as YAML: the position given is where
the YAML parser stopped (a tab used for indentation, an unclosed quote, a
key without a value, a duplicate key in one mapping).

No document of the file is imported, because the parser cannot tell where
the broken document ends and the next one starts.

Example:

    detection:
        selection:
          Image: 'C:\Windows\cmd.exe
        condition: selection

Fix: correct the YAML (here, close the quote and align the keys).

    detection:
        selection:
            Image: 'C:\Windows\cmd.exe'
        condition: selection
)ward";

    case DiagCode::kSigmaInvalidStructure:
      return R"ward(A Sigma document is valid YAML but not a valid Sigma rule, correlation
or filter: a required key (`title`, `logsource`, `detection`, `condition`,
`correlation`, `filter`) is missing, or a value has the wrong shape, such as
a search identifier that is neither a map, a list of maps nor a list of
keywords, or a field whose value is a nested map.

The document is refused; the other documents of the file are still read.

Example:

    detection:
        selection:
            Image:
                endswith: '\cmd.exe'
        condition: selection

Fix: write modifiers in the key, the way Sigma does.

    detection:
        selection:
            Image|endswith: '\cmd.exe'
        condition: selection
)ward";

    case DiagCode::kSigmaLegacyAggregation:
      return R"ward(The condition ends in a Sigma 1 aggregation such as `| count() by
SourceIp > 5` or `| near ...`. Sigma 2 removed this syntax: counting and
ordering events are correlation rules now, and pySigma refuses the old form.

Ward refuses the rule rather than importing half of it, because dropping
the aggregation would make the rule fire on every single event.

Example:

    condition: selection | count() by SourceIp > 5
    timeframe: 10m

Fix: keep the base rule and write an `event_count` correlation for it.

    condition: selection
    ---
    correlation: {type: event_count, rules: [base_rule], group-by: [SourceIp],
                  timespan: 10m, condition: {gt: 5}}
)ward";

    case DiagCode::kSigmaUnknownModifier:
      return R"ward(A key such as `Image|endwith` names a value modifier that Sigma v2.1
does not have, or uses one where it cannot apply: the regular-expression
flags `i`, `m` and `s` only follow `re`.

An unknown modifier would change what the rule matches in a way Ward cannot
know, so the rule is refused.

Example:

    selection:
        Image|endwith: '\cmd.exe'

Fix: spell the modifier as the specification does (the message suggests the
closest name).

    selection:
        Image|endswith: '\cmd.exe'
)ward";

    case DiagCode::kSigmaUndefinedIdentifier:
      return R"ward(The condition names a search identifier that the `detection` section does
not define, or an `x of pattern` whose pattern matches no identifier.

Backends differ on such rules: some fail, some silently match nothing, and
pySigma reports a dangling condition. Ward refuses the rule.

Example:

    detection:
        selection: {Image|endswith: '\cmd.exe'}
        condition: selection and not 1 of filter_*

Fix: define the identifier, or remove it from the condition.

    detection:
        selection: {Image|endswith: '\cmd.exe'}
        filter_main: {ParentImage|endswith: '\explorer.exe'}
        condition: selection and not 1 of filter_*
)ward";

    case DiagCode::kSigmaConditionSyntax:
      return R"ward(A Sigma condition could not be parsed: an operator without an operand,
an unbalanced parenthesis, a character that is not part of the condition
syntax, or a quantifier other than `1`, `any` or `all` before `of`.

The condition language has identifiers, `and`, `or`, `not`, parentheses and
`1 of`/`all of` followed by a pattern or `them`.

Example:

    condition: selection and (filter or

Fix: complete the expression.

    condition: selection and not (filter_a or filter_b)
)ward";

    case DiagCode::kSigmaInvalidValue:
      return R"ward(A detection value does not fit its field's modifiers or Sigma's value
rules: `exists` takes `true` or `false`, `lt`/`gt` and friends take numbers,
`re`, `cidr` and `fieldref` take strings, `null` cannot be a keyword, and a
number must fit in 64 bits.

Such a value would be rejected by Sigma tools or match something other than
what its author meant, so the rule is refused.

Example:

    selection:
        CommandLine|exists: 'yes please'

Fix: give a value of the right type.

    selection:
        CommandLine|exists: true
)ward";

    case DiagCode::kSigmaUnresolvedRule:
      return R"ward(A correlation's `rules:` or `aliases:`, or a meta filter's `rules:`, names
a rule (by `name` or `id`) that is not among the documents read in the same
import, or that was itself refused.

A correlation without its rules cannot be evaluated or converted, so it is
refused too; read the files that define the rules in the same run.

Example:

    correlation:
        type: event_count
        rules: [failed_logon]

Fix: import the rule together with the correlation, and give it that name.

    name: failed_logon
    detection: ...
)ward";

    case DiagCode::kSigmaInvalidMetadata:
      return R"ward(A metadata field holds a value the Sigma specification does not allow:
a `level` or `status` outside its set, a `date` that is not YYYY-MM-DD, a
`related` entry without `id` or `type`, a correlation type or timespan that
does not exist.

pySigma refuses these rules, so Ward does too rather than guess a value.

Example:

    level: severe
    date: 2024-13-01

Fix: use the specification's values.

    level: high
    date: 2024-12-01
)ward";

    case DiagCode::kSigmaFieldNotKept:
      return R"ward(The document has a top-level field that Ward's detections have no place
for (`fields`, `license`, `scope`, or a custom field such as
`regression_tests_path`). The rule is imported without it.

The warning lists the field so that nothing is lost silently; keep the
information in the rule's description or references if it matters.

Example:

    regression_tests_path: regression_data/rules/windows/example/info.yml

Fix: move what matters into a kept field, or accept the warning.

    references:
        - regression_data/rules/windows/example/info.yml
)ward";

    case DiagCode::kYaraImportRejected:
      return R"ward(`ward import yara` compiles every input file with libyara 4.2.3, the
engine Ward's YARA output targets, before reading it. A file libyara refuses
is not imported: its rules are not valid YARA, so there is no meaning to
carry over. The message is libyara's own, at the line libyara names.

Common causes: external variables that LOKI or THOR define (`filename`,
`filepath`), a module Debian's libyara does not build (`androguard`), or a
rule written for a newer YARA.

Example:

    rule odd_name { condition: filename == "x.exe" }

Fix: express the test with what libyara knows, or leave the file out.

    rule odd_name { strings: $mz = "MZ" condition: $mz at 0 }
)ward";

    case DiagCode::kYaraImportSyntax:
      return R"ward(libyara accepts the file, but the importer's own YARA grammar
(grammar/YaraParser.g4) cannot read it. This is a gap in Ward, not in the
rule; the file is refused as a whole so that nothing is imported from a
partial reading. Please report the file.

Example:

    rule deep { condition: ((((((((((...)))))))))) }

Fix: simplify the construct, or write the detection in Ward by hand.

    detection yara deep "Deep" { condition: filesize > 0 }
)ward";

    case DiagCode::kYaraImportUnsupported:
      return R"ward(The YARA rule is valid, but it uses something a Ward detection cannot
express, so it is refused and the rest of the file goes on: a computed
quantifier, an identifier that is neither a module, a loop variable nor an
earlier rule, or a rule pattern that reaches into an included file.

Example:

    condition: for (#a) of ($a, $b) : ( $ at 0 )

Fix: use a literal quantifier (or rewrite that part by hand in Ward).

    condition: for all of ($a, $b) : ( $ at 0 )
)ward";

    case DiagCode::kYaraMetaNotKept:
      return R"ward(YARA `meta:` is a free list of key-value pairs. Ward detections have
properties for `author`, `description`, `date`, `modified`, `reference`
(as `references`), a UUID `id` (pinned) and a `severity` level word. Other
fields (`hash`, `score`, `license`...) are written as comments above the
detection, so a maintainer still sees them; the rebuilt YARA rule carries
Ward's own meta instead (docs/yara.md). A repeated `id` is kept the same way.

Example:

    meta: hash = "0123abcd"

Fix: nothing is needed; move what matters into a Ward property.

    description: "Sample 0123abcd"
)ward";

    case DiagCode::kImportFailsWardCheck:
      return R"ward(Every imported rule is written as Ward source and checked by Ward's own
frontend, as `ward check` would. When that check reports an error for a
rule, the rule is refused and left out, so the imported ruleset always
compiles. The note gives Ward's own diagnostic.

Example:

    $re = /a(?:b)c/

Fix: rewrite the part Ward refuses, here without the `(?:` group.

    $re = /a(b)c/
)ward";

    case DiagCode::kImportCannotWrite:
      return R"ward(The rule was read, but part of it has no Ward spelling, so it is refused
rather than written with another meaning: a field name with a back quote or
a line break, a regular expression with a line break, wildcards inside a
keyword or under an encoding modifier, a rule set naming another package.

Example:

    keywords: ['foo*bar']

Fix: rewrite that part by hand, for example as a field pattern.

    let words = message like "*foo*bar*"
)ward";

    case DiagCode::kImportRebuildFailed:
      return R"ward(After an import, Ward builds each imported YARA rule again from the Ward
source it wrote and compiles it with libyara. A rule whose rebuilt form
libyara refuses is left out, so that `ward build` of the output succeeds.
This points at a difference between the rule and Ward's output; please
report it with the rule.

Example:

    rule r { strings: $a = "x" condition: $a }

Fix: write the detection in Ward by hand until the difference is fixed.

    detection yara r "r" { strings { $a = "x" } condition: $a }
)ward";

    case DiagCode::kImportNoInput:
      return R"ward(A path given to `ward import` does not exist, or holds no files of the
kind being imported: `.yml`/`.yaml` for `ward import sigma`, `.yar`/`.yara`
for `ward import yara`.

Example:

    ward import yara rules/typo -o out

Fix: give an existing folder or file of rules.

    ward import yara rules/yara -o out
)ward";

    case DiagCode::kImportDependsOnRefused:
      return R"ward(The rule uses another rule (a YARA rule reference, a Sigma correlation's
`rules:` or a filter's `rules:`) that was refused. Importing it alone would
leave a dangling reference, so it is refused too.

Example:

    rule b { condition: a and filesize < 1MB }

Fix: fix the first rule; both are then imported.

    rule a { strings: $x = "abc" condition: $x }
)ward";

    case DiagCode::kSigmaUnusedIdentifier:
      return R"ward(A search identifier is defined under `detection` but the condition never
uses it, not even through an `x of` pattern. It has no effect on what the
rule matches, which is often a mistake (pySigma's dangling_detection check).

The rule is imported as it is, with the unused identifier kept.

Example:

    selection: {Image|endswith: '\cmd.exe'}
    filter: {User: SYSTEM}
    condition: selection

Fix: use it in the condition, or delete it.

    condition: selection and not filter
)ward";
  }
  return {};
}

}  // namespace ward
