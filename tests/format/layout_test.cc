// The layout rules of `ward fmt`, one behaviour per test: each input is
// formatted, compared with the expected text, and formatted again to check
// that the result is a fixed point.
#include <gtest/gtest.h>

#include <string>

#include "compiler/format/formatter.h"

namespace ward::format {
namespace {

// Formats `input`, expects `expected`, and expects formatting that again to
// change nothing.
void ExpectFormat(const std::string& input, const std::string& expected) {
  std::optional<std::string> once = FormatText(input);
  ASSERT_TRUE(once.has_value()) << "did not format:\n" << input;
  EXPECT_EQ(*once, expected);
  std::optional<std::string> twice = FormatText(*once);
  ASSERT_TRUE(twice.has_value());
  EXPECT_EQ(*twice, *once) << "not idempotent";
}

TEST(Layout, CanonicalTextIsLeftAlone) {
  const std::string text = R"(// A header comment.
package acme.gateway

import catalogs.atlas
import cosai.assets.*

asset gateway "LLM gateway" {
  kind: inference_endpoint
  description: "Proxies every prompt"
}

threat prompt_injection "Injected instructions" {
  severity: high
  affects: gateway
  maps: atlas."AML.T0051"
}
)";
  ExpectFormat(text, text);
}

TEST(Layout, IndentationAndSpacesAreNormalized) {
  ExpectFormat(
      "package   acme\n"
      "asset gateway   \"LLM gateway\"{\n"
      "      kind :inference_endpoint\n"
      "description:\"x\"\n"
      "         }\n",
      "package acme\n\n"
      "asset gateway \"LLM gateway\" {\n"
      "  kind: inference_endpoint\n"
      "  description: \"x\"\n"
      "}\n");
}

TEST(Layout, OneBlankLineBetweenDeclarations) {
  ExpectFormat(
      "\n\npackage acme\nimport a.b\nimport a.c\n\n\n\nasset a \"A\" { kind: x }\n"
      "asset b \"B\" { kind: x }\n\n\n\n\nasset c \"C\" { kind: x }\n\n\n",
      "package acme\n\nimport a.b\nimport a.c\n\n"
      "asset a \"A\" { kind: x }\n\n"
      "asset b \"B\" { kind: x }\n\n"
      "asset c \"C\" { kind: x }\n");
}

TEST(Layout, AtMostOneBlankLineInsideABlockAndNoneAtItsEdges) {
  ExpectFormat("package acme\n\nasset a \"A\" {\n\n\n  kind: x\n\n\n\n  description: \"d\"\n\n}\n",
               "package acme\n\nasset a \"A\" {\n  kind: x\n\n  description: \"d\"\n}\n");
}

TEST(Layout, DeclarationsSharingALineAreSplit) {
  ExpectFormat("package acme\nasset a \"A\" { kind: x } asset b \"B\" { kind: y }\n",
               "package acme\n\nasset a \"A\" { kind: x }\n\nasset b \"B\" { kind: y }\n");
}

TEST(Layout, ABodyThatSpansLinesGetsOneMemberPerBreak) {
  ExpectFormat("package acme\n\nasset a \"A\" { kind: x\n  description: \"d\" }\n",
               "package acme\n\nasset a \"A\" {\n  kind: x\n  description: \"d\"\n}\n");
}

TEST(Layout, AOneLineBodyTooLongForItsLineIsOpenedUp) {
  ExpectFormat(
      "package acme\n\ndetection sigma d \"D\" {\n"
      "  logsource { product: gen_ai }\n"
      "  when: a == 1\n"
      "  test \"long\" { event: { gen_ai.input.messages: \"ignore previous instructions\", "
      "user.id: \"u-1\" } expect: match }\n"
      "  test \"short\" { event: { a: 1 } expect: match }\n"
      "}\n",
      "package acme\n\ndetection sigma d \"D\" {\n"
      "  logsource { product: gen_ai }\n"
      "  when: a == 1\n"
      "  test \"long\" {\n"
      "    event: { gen_ai.input.messages: \"ignore previous instructions\", user.id: \"u-1\" }\n"
      "    expect: match\n"
      "  }\n"
      "  test \"short\" { event: { a: 1 }  expect: match }\n"
      "}\n");
}

TEST(Layout, MembersSharingALineKeepTwoSpaces) {
  ExpectFormat(
      "package acme\n\ncatalog c \"C\" {\n  framework: f\n"
      "  entry \"A.1\" \"One\" {kind: tactic attack_id: \"TA1\"}\n"
      "  entry \"A.2\" \"Two\" {\n    kind: technique parents: \"A.1\"\n  }\n}\n",
      "package acme\n\ncatalog c \"C\" {\n  framework: f\n"
      "  entry \"A.1\" \"One\" { kind: tactic  attack_id: \"TA1\" }\n"
      "  entry \"A.2\" \"Two\" {\n    kind: technique  parents: \"A.1\"\n  }\n}\n");
}

TEST(Layout, CommentsStayWhereTheyWere) {
  ExpectFormat(
      "// file header\n"
      "package acme   // trailing on package\n"
      "\n"
      "// before the asset\n"
      "asset a \"A\" {\n"
      "      // before a property\n"
      "  kind: x /* inline */ // trailing\n"
      "        /* between\n"
      "           properties */\n"
      "  description: \"d\"\n"
      "        // before the closing brace\n"
      "}\n"
      "// at the end\n",
      "// file header\n"
      "package acme  // trailing on package\n"
      "\n"
      "// before the asset\n"
      "asset a \"A\" {\n"
      "  // before a property\n"
      "  kind: x /* inline */  // trailing\n"
      "  /* between\n"
      "           properties */\n"
      "  description: \"d\"\n"
      "  // before the closing brace\n"
      "}\n"
      "\n"
      "// at the end\n");
}

TEST(Layout, AlignedTrailingCommentsStayAligned) {
  ExpectFormat(
      "package acme\n\nthreat t \"T\" {\n"
      "    affects: gateway          // one\n"
      "    mitigated_by: screening   // two\n"
      "  severity: high // three\n"
      "}\n",
      "package acme\n\nthreat t \"T\" {\n"
      "  affects: gateway         // one\n"
      "  mitigated_by: screening  // two\n"
      "  severity: high  // three\n"
      "}\n");
}

TEST(Layout, LongMapsWrapWithAContinuationIndent) {
  std::string maps =
      "  maps: atlas.\"AML.T0051\", atlas.\"AML.T0054\", atlas.\"AML.T0056\", "
      "owasp.\"LLM01:2025\", cosai.\"riskPromptInjection\", attack.\"T1059\"\n";
  ExpectFormat("package acme\n\nthreat t \"T\" {\n" + maps + "}\n",
               "package acme\n\nthreat t \"T\" {\n"
               "  maps: atlas.\"AML.T0051\", atlas.\"AML.T0054\", atlas.\"AML.T0056\", "
               "owasp.\"LLM01:2025\",\n"
               "      cosai.\"riskPromptInjection\", attack.\"T1059\"\n"
               "}\n");
}

TEST(Layout, PropertyContinuationLinesAreIndentedFourPastTheMember) {
  ExpectFormat(
      "package acme\n\nthreat t \"T\" {\n"
      "  implements: a.\"x\",\n"
      "              b.\"y\",\n"
      "  c.\"z\"\n"
      "}\n",
      "package acme\n\nthreat t \"T\" {\n"
      "  implements: a.\"x\",\n"
      "      b.\"y\",\n"
      "      c.\"z\"\n"
      "}\n");
}

TEST(Layout, AWrappedListIsFilledAgainButUserGroupsThatFitStay) {
  std::string first =
      "  maps: atlas.\"AML.T0051\", atlas.\"AML.T0054\", atlas.\"AML.T0056\", "
      "atlas.\"AML.T0057\", atlas.\"AML.T0058\",\n";
  ExpectFormat("package acme\n\nthreat t \"T\" {\n" + first +
                   "      owasp.\"LLM01:2025\",\n"
                   "      cosai.\"riskPromptInjection\"\n"
                   "  personas: p1,\n"
                   "      p2\n"
                   "}\n",
               "package acme\n\nthreat t \"T\" {\n"
               "  maps: atlas.\"AML.T0051\", atlas.\"AML.T0054\", atlas.\"AML.T0056\", "
               "atlas.\"AML.T0057\",\n"
               "      atlas.\"AML.T0058\", owasp.\"LLM01:2025\", cosai.\"riskPromptInjection\"\n"
               "  personas: p1,\n"
               "      p2\n"
               "}\n");
}

TEST(Layout, SigmaListsAlignAfterTheirBracket) {
  ExpectFormat(
      "package acme\n\ndetection sigma d \"D\" {\n"
      "  logsource { product: gen_ai  category: inference }\n"
      "  let phrase = gen_ai.prompt contains any [\"ignore previous\",\n"
      "    \"disregard the system prompt\"]\n"
      "  when: phrase and not  (user.id startswith \"svc-\" or hour(t) == 3)\n"
      "}\n",
      "package acme\n\ndetection sigma d \"D\" {\n"
      "  logsource { product: gen_ai  category: inference }\n"
      "  let phrase = gen_ai.prompt contains any [\"ignore previous\",\n"
      "                                           \"disregard the system prompt\"]\n"
      "  when: phrase and not (user.id startswith \"svc-\" or hour(t) == 3)\n"
      "}\n");
}

TEST(Layout, TestEventsOverSeveralLines) {
  ExpectFormat(
      "package acme\n\ndetection sigma d \"D\" {\n"
      "  logsource { product: gen_ai }\n"
      "  when: a.b == -3\n"
      "  test \"two\" {\n"
      "  events: [\n"
      "  { a.b: -3, user.id: \"u\" },\n"
      "        {a.b: 4}\n"
      "      ]\n"
      "  expect: match\n"
      "  }\n"
      "}\n",
      "package acme\n\ndetection sigma d \"D\" {\n"
      "  logsource { product: gen_ai }\n"
      "  when: a.b == -3\n"
      "  test \"two\" {\n"
      "    events: [\n"
      "      { a.b: -3, user.id: \"u\" },\n"
      "      { a.b: 4 }\n"
      "    ]\n"
      "    expect: match\n"
      "  }\n"
      "}\n");
}

TEST(Layout, YaraConditionsKeepTheirLinesAndSpacing) {
  ExpectFormat(
      "package acme\n\ndetection yara y \"Y\" {\n"
      "  strings {\n"
      "  $a   =   \"evil\"   xor( 0x01 - 0xff )  wide\n"
      "    $h ={ 4D 5A  [2-4] ( 00 | 01 ) // in hex\n"
      "  }\n"
      "    $r = /a  b\\/c/i\n"
      "  }\n"
      "  condition: uint16(0)==0x5A4D and #a in (0..1024) > 2 and @a [1] < 100\n"
      "  and for any s in pe.sections: (\n"
      "  math.entropy(s.raw_data_offset,s.raw_data_size) > 7.2\n"
      "  )\n"
      "  and any of ($a*, $h) and filesize < 2MB\n"
      "}\n",
      "package acme\n\ndetection yara y \"Y\" {\n"
      "  strings {\n"
      "    $a = \"evil\" xor(0x01-0xff) wide\n"
      "    $h = { 4D 5A  [2-4] ( 00 | 01 ) // in hex\n"
      "  }\n"
      "    $r = /a  b\\/c/i\n"
      "  }\n"
      "  condition: uint16(0) == 0x5A4D and #a in (0..1024) > 2 and @a[1] < 100\n"
      "             and for any s in pe.sections : (\n"
      "               math.entropy(s.raw_data_offset, s.raw_data_size) > 7.2\n"
      "             )\n"
      "             and any of ($a*, $h) and filesize < 2MB\n"
      "}\n");
}

TEST(Layout, AlignedYaraStringsStayAlignedOthersGetOneSpace) {
  ExpectFormat(
      "package acme\n\ndetection yara y \"Y\" {\n"
      "  strings {\n"
      "    $text   = \"torch.load\" ascii wide\n"
      "    $bytes  = { 80 02 }  // protocol 2\n"
      "    $re     = /c(os|posix)\\nsystem/\n"
      "\n"
      "    $lonely   = \"x\"\n"
      "    $b  = \"y\"\n"
      "  }\n"
      "  condition: all of them\n"
      "}\n",
      "package acme\n\ndetection yara y \"Y\" {\n"
      "  strings {\n"
      "    $text  = \"torch.load\" ascii wide\n"
      "    $bytes = { 80 02 }  // protocol 2\n"
      "    $re    = /c(os|posix)\\nsystem/\n"
      "\n"
      "    $lonely = \"x\"\n"
      "    $b = \"y\"\n"
      "  }\n"
      "  condition: all of them\n"
      "}\n");
}

TEST(Layout, ALoopOpenedOnTheConditionLineIsIndentedFromTheExpression) {
  ExpectFormat(
      "package acme\n\ndetection yara y \"Y\" {\n"
      "  condition: for any a in (1..2) : ( for any b in (1..2) : (\n"
      "  a == b ) )\n"
      "}\n",
      "package acme\n\ndetection yara y \"Y\" {\n"
      "  condition: for any a in (1..2) : (for any b in (1..2) : (\n"
      "               a == b))\n"
      "}\n");
}

TEST(Layout, BlockMembersAndHeadersThatContinue) {
  ExpectFormat(
      "package acme\n\ncatalog c \"C\" {\n"
      "  framework: f\n"
      "  entry \"A.1\"\n"
      "  \"A title that the writer put on a line of its own\" {\n"
      "  kind: tactic\n"
      "  }\n"
      "}\n",
      "package acme\n\ncatalog c \"C\" {\n"
      "  framework: f\n"
      "  entry \"A.1\"\n"
      "      \"A title that the writer put on a line of its own\" {\n"
      "    kind: tactic\n"
      "  }\n"
      "}\n");
}

TEST(Layout, TripleQuotedTextKeepsItsBytes) {
  ExpectFormat(
      "package acme\n\npersona p \"P\" {\n"
      "     description: \"\"\"\n"
      "    Triages alerts.\n"
      "      Escalates.   \n"
      "    \"\"\"\n"
      "}\n",
      "package acme\n\npersona p \"P\" {\n"
      "  description: \"\"\"\n"
      "    Triages alerts.\n"
      "      Escalates.   \n"
      "    \"\"\"\n"
      "}\n");
}

TEST(Layout, ImportsAndQualifiedNames) {
  ExpectFormat(
      "package  acme . cloud\nimport cosai . assets . *\nimport catalogs.owasp_llm as  owasp\n",
      "package acme.cloud\n\nimport cosai.assets.*\nimport catalogs.owasp_llm as owasp\n");
}

TEST(Layout, CrlfLineEndsBecomeLf) {
  ExpectFormat("package acme\r\n\r\nasset a \"A\" {\r\n  kind: x\r\n}\r\n",
               "package acme\n\nasset a \"A\" {\n  kind: x\n}\n");
}

TEST(Layout, FilesWithSyntaxErrorsAreNotFormatted) {
  EXPECT_FALSE(FormatText("package acme\nasset a \"A\" { kind: }\n").has_value());
  EXPECT_FALSE(FormatText("package acme\nasset a \"A\" { kind: \"open }\n").has_value());
  EXPECT_FALSE(FormatText("package acme\n/* never closed\n").has_value());
  EXPECT_FALSE(FormatText("").has_value());
}

}  // namespace
}  // namespace ward::format
