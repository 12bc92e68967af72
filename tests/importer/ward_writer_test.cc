// The Ward writer, by round trip: Ward source -> frontend -> IR -> writer ->
// frontend -> IR, and the Sigma and YARA rules Ward builds from both IRs are
// byte for byte the same. The sources cover the constructs public rules
// rarely use (exists, numeric and time comparisons, cased, utf16*, re|m|s,
// correlations, filters, every YARA modifier and condition form).

#include "compiler/writer/ward_writer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "compiler/writer/ward_text.h"
#include "tests/importer/importer_testlib.h"

namespace ward::importer_test {
namespace {

using ::testing::HasSubstr;

// Writes every detection and filter of `source` back as Ward and checks
// that the rebuilt program emits the same rules; returns the written text.
std::string RoundTrip(const std::string& source) {
  Frontend first({{"a.ward", source}});
  EXPECT_EQ(first.Errors(), "") << source;
  if (!first.program) return "";
  writer::WardFileInput input;
  input.package = "acme.example";
  for (const auto& d : first.program->detections) input.detections.push_back(d.get());
  for (const auto& f : first.program->filters) input.filters.push_back(f.get());
  writer::WardFileOutput written = writer::WriteWardFile(input);
  for (const auto& failure : written.failures) {
    ADD_FAILURE() << failure.entity->name << ": " << failure.reason;
  }
  Frontend second({{"b.ward", written.text}});
  EXPECT_EQ(second.Errors(), "") << written.text;
  if (!second.program) return written.text;
  EXPECT_EQ(EmitAll(*first.program), EmitAll(*second.program)) << written.text;
  return written.text;
}

TEST(WardWriterTest, SigmaOperatorsQuantifiersAndModifiers) {
  std::string text = RoundTrip(R"(package acme.example
detection sigma every_operator "Every operator" {
  id: "de6fc6c5-018d-4ce0-b7aa-e80258af74c3"
  status: experimental
  description: """
    First line.
      Indented second line.
    """
  author: "Someone \"quoted\""
  date: 2024-01-02
  modified: 2024-03-04
  references: ["https://example.com/a", "https://example.com/b"]
  tags: ["attack.t1059.001", "custom"]
  level: high
  falsepositives: "Admins"
  related { derived: "6ee67d86-b098-4f22-a832-77f45f607f22"  similar: "0b6f6a5e-3f0e-4c55-9a51-2a9c4b1d7e10" }
  logsource { category: process_creation  product: windows  definition: "Sysmon EID 1" }
  let eq = user.role == "analyst"
  let neq = user.role != "admin"
  let sub = process.command_line contains all ["ignore", "previous"]
  let prefix = url.path startswith cased "/v1/chat"
  let suffix = file.name endswith [".pkl", ".pt"]
  let pattern = file.path like "*\\models\\*.bin"
  let literal_star = file.path like "*rm -rf /[*]*"
  let regex = http.user_agent matches /python-requests\/2\.\d+/i
  let multiline = body matches /^a.b$/ms
  let big = gen_ai.usage.input_tokens >= 100000
  let small = size < -3
  let ratio = score > 0.5
  let internal = source.ip in cidr ["10.0.0.0/8", "192.168.0.0/16"]
  let encoded = CommandLine contains wide base64offset "Invoke-Expression"
  let be = CommandLine contains utf16be base64 "ping"
  let bom = CommandLine contains utf16 base64offset "ping"
  let le = CommandLine contains utf16le base64offset "ping"
  let flags = CommandLine contains windash " -ExecutionPolicy Bypass"
  let admins = User == expand "%Administrators%"
  let quoted_field = `cs-uri-query` contains "x"
  let reserved_field = `when` == "now"
  let unicode = title == "caf\u{e9} \x41"
  when: eq or neq or sub or prefix or suffix or pattern or literal_star or regex or multiline
        or big or small or ratio or internal or encoded or be or bom or le or flags or admins
        or quoted_field or reserved_field or unicode
}
)");
  EXPECT_THAT(text, HasSubstr("id: \"de6fc6c5-018d-4ce0-b7aa-e80258af74c3\""));
  EXPECT_THAT(text, HasSubstr("contains all [\"ignore\", \"previous\"]"));
  EXPECT_THAT(text, HasSubstr("`cs-uri-query`"));
  EXPECT_THAT(text, HasSubstr("\"\"\"\n    First line.\n      Indented second line.\n    \"\"\""));
}

TEST(WardWriterTest, SigmaValuesExistsTimeKeywordsAndPatterns) {
  std::string text = RoundTrip(R"(package acme.example
detection sigma values "Values" {
  logsource { product: gen_ai  service: "gcp.audit"  custom_key: some_value }
  let no_user = user.id == null
  let empty_agent = user_agent.original == ""
  let self_approved = approval.approver == field(approval.requester)
  let streaming = gen_ai.request.stream == true
  let has_args = gen_ai.tool.call.arguments exists
  let no_conversation = not gen_ai.conversation.id exists
  let night = hour(eventTime) >= 22 or hour(eventTime) < 6
  let december = month(eventTime) == 12 and day(eventTime) != 25
  let early = minute(eventTime) <= 5 or week(eventTime) > 50 or year(eventTime) == 2024
  let any_word = keywords ["safetensors", "pickle.loads"]
  let both_words = keywords all ["torch.load", "weights_only=False"]
  let injection_phrase = gen_ai.input.messages contains "ignore previous instructions"
  let injection_marker = gen_ai.input.messages contains "<|im_start|>system"
  let _internal = x == 1
  when: (no_user or empty_agent or self_approved or streaming) and (has_args or no_conversation)
        or night or december or early or any_word or both_words
        or (any of injection_* and not all of injection_*) or _internal
}
detection sigma patterns "Patterns" {
  logsource { product: gen_ai }
  let sel_a = a == 1
  let sel_b = b == 2
  when: all of *
}
)");
  EXPECT_THAT(text, HasSubstr("any of injection_*"));
  EXPECT_THAT(text, HasSubstr("when: all of *"));
  EXPECT_THAT(text, HasSubstr("not gen_ai.conversation.id exists"));
  EXPECT_THAT(text, HasSubstr("hour(eventTime) >= 22"));
}

TEST(WardWriterTest, CorrelationsAliasesAndFilters) {
  std::string text = RoundTrip(R"(package acme.example
detection sigma gateway_prompt "Prompt" {
  logsource { product: gen_ai  category: inference }
  when: gen_ai.operation.name == "chat"
}
detection sigma proxy_upload "Upload" {
  logsource { category: proxy }
  when: http.request.body.bytes > 10000000
}
detection sigma upload_after_prompt "Upload after prompt" {
  level: medium
  correlation temporal_ordered {
    rules: gateway_prompt, proxy_upload
    group_by: uid
    timespan: 5m
    alias uid {
      gateway_prompt: user.id
      proxy_upload: user.name
    }
  }
}
detection sigma many_models "Many models" {
  correlation value_count {
    rules: gateway_prompt
    group_by: user.id, "cs-host"
    timespan: 1h
    where: count(gen_ai.request.model) >= 5 and count(gen_ai.request.model) < 100
    generate: true
  }
}
detection sigma burst "Burst" {
  correlation event_count {
    rules: gateway_prompt
    group_by: user.id
    timespan: 30s
    where: count > 20
  }
}
detection sigma tokens "Tokens" {
  correlation value_avg {
    rules: gateway_prompt
    group_by: user.id
    timespan: 1d
    where: avg(gen_ai.usage.output_tokens) > 4000.5
  }
}
filter exclude_eval_harness "Ignore the evaluation harness" {
  id: "1d2c3b4a-5e6f-4a7b-8c9d-0e1f2a3b4c5d"
  description: "Sanctioned traffic"
  logsource { product: gen_ai }
  rules: gateway_prompt, proxy_upload
  let eval_harness = service.name == "llm-eval-harness"
  when: not eval_harness
}
filter everywhere "Everywhere" {
  logsource { product: gen_ai }
  rules: any
  let bot = user.id startswith "bot-"
  when: not bot
}
)");
  EXPECT_THAT(text, HasSubstr("correlation temporal_ordered {"));
  EXPECT_THAT(text, HasSubstr("alias uid {"));
  EXPECT_THAT(text, HasSubstr("where: count(gen_ai.request.model) >= 5 and"));
  EXPECT_THAT(text, HasSubstr("rules: any"));
}

TEST(WardWriterTest, YaraStringsModifiersAndConditions) {
  std::string text = RoundTrip(R"(package acme.example
detection yara helper "Helper" {
  private: true
  strings { $mz = { 4D 5A } }
  condition: $mz at 0
}
detection yara everything "Everything" {
  level: critical
  tags: ["pickle", "supply-chain"]
  strings {
    $a = "evil" xor(0x01-0xff) wide ascii
    $b = "powershell" base64 base64wide
    $c = "cmd.exe" nocase fullword
    $d = "hidden" private
    $e = "payload" base64("ZYXWVUTSRQPONMLKJIHGFEDCBAzyxwvutsrqponmlkjihgfedcba9876543210+/")
    $f = "\x80\x02q\x00\n\t\"\\" xor(7)
    $h = { 80 ( 02 | 03 [2-4] 04 ) 4? ?A ?? [3] [5-] 90 }
    $r = /c(os|posix|nt)\nsystem\n/is
    $s1 = "one"
    $s2 = "two"
  }
  condition: helper and uint16(0) == 0x5A4D and filesize < 2MB and #a in (0..4096) > 3
             and for all i in (1..#a) : ( @a[i] < 1MB and !a[i] >= 4 )
             and for any of ($s*) : ( $ at 0 or # > 2 or @ > 5 or ! == 3 )
             and 2 of ($a, $b, $c) and 50% of them and any of ($s1, $s2) in (0..100)
             and none of ($d, $e) and $f in (10..filesize - 1) and ($h or $r)
             and for any s in pe.sections : ( s.name == ".text" and math.entropy(s.raw_data_offset, s.raw_data_size) > 7.2 )
             and for any k, v in pe.version_info : ( k contains "Company" and v icontains "evil" )
             and for any j in (1, 2, 3) : ( uint8(j) & 0xF0 == 0x10 )
             and pe.exports("Run") and not defined pe.dll_name and pe.number_of_sections >= 1
             and (filesize \ 2) % 3 == 1 and -(1 + 2) * 3 < ~4 << 1 >> 1 | 2 ^ 5
             and pe.sections[0].name iequals ".TEXT" and pe.sections[0].name startswith "."
             and pe.sections[0].name matches /^\.t/i and entrypoint >= 0
             and any of (helper) and int32be(4) != 7 and true and not false
}
detection yara global_rule "Global" {
  global: true
  condition: filesize > 0
}
)");
  EXPECT_THAT(text, HasSubstr("$a  = \"evil\" ascii wide xor(1-255)"));
  EXPECT_THAT(text, HasSubstr("{ 80 ( 02 | 03 [2-4] 04 ) 4? ?A ?? [3] [5-] 90 }"));
  EXPECT_THAT(text, HasSubstr("uint16(0) == 0x5A4D"));
  EXPECT_THAT(text, HasSubstr("private: true"));
}

TEST(WardWriterTest, RefusesWhatWardCannotWriteAndKeepsTheRest) {
  Frontend program({{"a.ward", R"(package acme.example
detection sigma fine "Fine" {
  logsource { product: x }
  when: a == 1
}
)"}});
  ASSERT_EQ(program.Errors(), "");
  ir::Detection& fine = *program.program->detections[0];
  // A second detection whose field cannot be written in Ward.
  ir::Detection broken;
  broken.detection_kind = "sigma";
  broken.package = "acme.example";
  broken.name = "broken";
  broken.meta.title = "Broken";
  auto logic = std::make_unique<ir::SigmaLogic>();
  logic->logsource.product = "x";
  logic->condition = std::make_unique<ir::SigmaExpr>();
  logic->condition->kind = ir::SigmaExpr::Kind::kMatch;
  logic->condition->field = "has`backquote";
  logic->condition->values.push_back(ir::SigmaValue{});
  broken.logic = std::move(logic);
  writer::WardFileInput input;
  input.package = "acme.example";
  input.detections = {&fine, &broken};
  writer::WardFileOutput out = writer::WriteWardFile(input);
  ASSERT_EQ(out.failures.size(), 1u);
  EXPECT_EQ(out.failures[0].entity, &broken);
  EXPECT_THAT(out.failures[0].reason, HasSubstr("back quote"));
  EXPECT_THAT(out.text, HasSubstr("detection sigma fine \"Fine\""));
  EXPECT_THAT(out.text, ::testing::Not(HasSubstr("broken")));
  ASSERT_EQ(out.ranges.size(), 1u);
}

TEST(WardTextTest, QuotesBytesAndPatterns) {
  EXPECT_EQ(writer::Quote("a\"b\\c\n\x01\xe9", false), "\"a\\\"b\\\\c\\n\\x01\\xe9\"");
  EXPECT_EQ(writer::Quote("caf\xc3\xa9"), "\"caf\xc3\xa9\"");
  EXPECT_EQ(writer::FieldPath("a.b"), "a.b");
  EXPECT_EQ(writer::FieldPath("parts.0.content"), "`parts.0.content`");
  EXPECT_EQ(writer::FieldPath("not"), "`not`");
  EXPECT_EQ(*writer::SigmaPatternToLike("a\\*b*c?\\\\d"), "a[*]b*c?\\d");
  EXPECT_EQ(writer::SigmaPatternToLike("[?]"), std::nullopt);
  EXPECT_EQ(writer::FormatDecimal(1e20), "100000000000000000000.0");
  EXPECT_EQ(writer::ToWardName("when"), "when_");
  EXPECT_EQ(writer::ToWardName("1-x"), "_1_x");
}

}  // namespace
}  // namespace ward::importer_test
