#include "tests/yara/yara_testlib.h"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "backends/yara/condition_lowering.h"
#include "backends/yara/yara_backend.h"
#include "backends/yara/yara_lowering.h"
#include "backends/yara/yara_printer.h"

namespace ward::yara_test {

using Kind = YaraExpr::Kind;

namespace {

YaraExprPtr Make(Kind kind) {
  auto e = std::make_unique<YaraExpr>();
  e->kind = kind;
  return e;
}

YaraExprPtr StringForm(Kind kind, std::string id) {
  auto e = Make(kind);
  e->string_id = std::move(id);
  return e;
}

YaraExprPtr Quantified(Kind kind, YaraExpr::Quant quant, int64_t value) {
  auto e = Make(kind);
  e->quant = quant;
  e->quant_value = value;
  return e;
}

void SetStrings(YaraExpr& e, std::vector<std::string> set) {
  e.them = set.empty();
  e.set = std::move(set);
}

}  // namespace

YaraExprPtr Int(int64_t value) {
  auto e = Make(Kind::kInteger);
  e->integer = value;
  return e;
}
YaraExprPtr Float(double value) {
  auto e = Make(Kind::kFloat);
  e->real = value;
  return e;
}
YaraExprPtr Bool(bool value) {
  auto e = Make(Kind::kBool);
  e->boolean = value;
  return e;
}
YaraExprPtr Text(std::string bytes) {
  auto e = Make(Kind::kText);
  e->text = std::move(bytes);
  return e;
}
YaraExprPtr Regex(std::string body, bool nocase, bool dotall) {
  auto e = Make(Kind::kRegex);
  e->text = std::move(body);
  e->regex_nocase = nocase;
  e->regex_dotall = dotall;
  return e;
}
YaraExprPtr Filesize() { return Make(Kind::kFilesize); }
YaraExprPtr Entrypoint() { return Make(Kind::kEntrypoint); }
YaraExprPtr Str(std::string id) { return StringForm(Kind::kStringMatch, std::move(id)); }
YaraExprPtr StrAt(std::string id, YaraExprPtr offset) {
  auto e = StringForm(Kind::kStringMatch, std::move(id));
  e->children.push_back(std::move(offset));
  return e;
}
YaraExprPtr StrIn(std::string id, YaraExprPtr low, YaraExprPtr high) {
  auto e = StringForm(Kind::kStringMatch, std::move(id));
  e->range_low = std::move(low);
  e->range_high = std::move(high);
  return e;
}
YaraExprPtr Count(std::string id) { return StringForm(Kind::kStringCount, std::move(id)); }
YaraExprPtr CountIn(std::string id, YaraExprPtr low, YaraExprPtr high) {
  auto e = StringForm(Kind::kStringCount, std::move(id));
  e->range_low = std::move(low);
  e->range_high = std::move(high);
  return e;
}
YaraExprPtr Offset(std::string id, YaraExprPtr index) {
  auto e = StringForm(Kind::kStringOffset, std::move(id));
  if (index) e->children.push_back(std::move(index));
  return e;
}
YaraExprPtr Length(std::string id, YaraExprPtr index) {
  auto e = StringForm(Kind::kStringLength, std::move(id));
  if (index) e->children.push_back(std::move(index));
  return e;
}
YaraExprPtr Module(std::string name) {
  auto e = Make(Kind::kModule);
  e->text = std::move(name);
  return e;
}
YaraExprPtr LoopVar(std::string name) {
  auto e = Make(Kind::kLoopVar);
  e->text = std::move(name);
  return e;
}
YaraExprPtr Member(YaraExprPtr object, std::string name) {
  auto e = Make(Kind::kMember);
  e->text = std::move(name);
  e->children.push_back(std::move(object));
  return e;
}
YaraExprPtr Index(YaraExprPtr array, YaraExprPtr index) {
  auto e = Make(Kind::kIndex);
  e->children.push_back(std::move(array));
  e->children.push_back(std::move(index));
  return e;
}
YaraExprPtr Not(YaraExprPtr operand) {
  auto e = Make(Kind::kNot);
  e->children.push_back(std::move(operand));
  return e;
}
YaraExprPtr Defined(YaraExprPtr operand) {
  auto e = Make(Kind::kDefined);
  e->children.push_back(std::move(operand));
  return e;
}
YaraExprPtr Bin(std::string op, YaraExprPtr left, YaraExprPtr right) {
  auto e = Make(Kind::kBinary);
  e->op = std::move(op);
  e->children.push_back(std::move(left));
  e->children.push_back(std::move(right));
  return e;
}
YaraExprPtr Un(std::string op, YaraExprPtr operand) {
  auto e = Make(Kind::kUnary);
  e->op = std::move(op);
  e->children.push_back(std::move(operand));
  return e;
}
YaraExprPtr RuleRef(const ir::Detection& rule) {
  auto e = Make(Kind::kRuleRef);
  e->rule = &rule;
  e->text = rule.name;
  return e;
}
YaraExprPtr WithSpan(YaraExprPtr expr, Span span) {
  expr->span = span;
  return expr;
}
YaraExprPtr Nary(Kind kind, std::vector<YaraExprPtr> children) {
  auto e = Make(kind);
  e->children = std::move(children);
  return e;
}
YaraExprPtr CallV(YaraExprPtr callee, std::vector<YaraExprPtr> args) {
  auto e = Make(Kind::kCall);
  e->children.push_back(std::move(callee));
  for (auto& arg : args) e->children.push_back(std::move(arg));
  return e;
}

YaraExprPtr Of(YaraExpr::Quant quant, int64_t value, std::vector<std::string> set) {
  auto e = Quantified(Kind::kOf, quant, value);
  SetStrings(*e, std::move(set));
  return e;
}
YaraExprPtr OfIn(YaraExpr::Quant quant, int64_t value, std::vector<std::string> set,
                 YaraExprPtr low, YaraExprPtr high) {
  auto e = Of(quant, value, std::move(set));
  e->range_low = std::move(low);
  e->range_high = std::move(high);
  return e;
}
YaraExprPtr OfRules(YaraExpr::Quant quant, std::vector<const ir::Detection*> rules) {
  auto e = Quantified(Kind::kOf, quant, 0);
  e->of_rules = true;
  for (const ir::Detection* rule : rules) e->set.push_back(rule->name);
  e->rule_set = std::move(rules);
  return e;
}
YaraExprPtr ForOf(YaraExpr::Quant quant, int64_t value, std::vector<std::string> set,
                  YaraExprPtr body) {
  auto e = Quantified(Kind::kForOf, quant, value);
  SetStrings(*e, std::move(set));
  e->body = std::move(body);
  return e;
}
YaraExprPtr ForInRange(YaraExpr::Quant quant, int64_t value, std::vector<std::string> vars,
                       YaraExprPtr low, YaraExprPtr high, YaraExprPtr body) {
  auto e = Quantified(Kind::kForIn, quant, value);
  e->vars = std::move(vars);
  e->iter_is_range = true;
  e->range_low = std::move(low);
  e->range_high = std::move(high);
  e->body = std::move(body);
  return e;
}
YaraExprPtr ForInList(YaraExpr::Quant quant, int64_t value, std::vector<std::string> vars,
                      std::vector<YaraExprPtr> items, YaraExprPtr body) {
  auto e = Quantified(Kind::kForIn, quant, value);
  e->vars = std::move(vars);
  e->iter_items = std::move(items);
  e->body = std::move(body);
  return e;
}
YaraExprPtr ForInExpr(YaraExpr::Quant quant, int64_t value, std::vector<std::string> vars,
                      YaraExprPtr iterable, YaraExprPtr body) {
  auto e = Quantified(Kind::kForIn, quant, value);
  e->vars = std::move(vars);
  e->iter_is_expr = true;
  e->iter_items.push_back(std::move(iterable));
  e->body = std::move(body);
  return e;
}

ir::YaraString TextString(std::string id, std::string bytes, ir::YaraStringModifiers modifiers) {
  ir::YaraString s;
  s.kind = ir::YaraString::Kind::kText;
  s.id = std::move(id);
  s.text = std::move(bytes);
  s.modifiers = std::move(modifiers);
  return s;
}
ir::YaraString RegexString(std::string id, std::string body, bool nocase, bool dotall,
                           ir::YaraStringModifiers modifiers) {
  ir::YaraString s;
  s.kind = ir::YaraString::Kind::kRegex;
  s.id = std::move(id);
  s.text = std::move(body);
  s.regex_nocase = nocase;
  s.regex_dotall = dotall;
  s.modifiers = std::move(modifiers);
  return s;
}
ir::YaraString HexString(std::string id, std::vector<ir::HexItem> items,
                         ir::YaraStringModifiers modifiers) {
  ir::YaraString s;
  s.kind = ir::YaraString::Kind::kHex;
  s.id = std::move(id);
  s.hex = std::move(items);
  s.modifiers = std::move(modifiers);
  return s;
}

ir::HexItem Byte(uint8_t value, uint8_t mask) {
  ir::HexItem item;
  item.value = value;
  item.mask = mask;
  return item;
}
ir::HexItem Wild() { return Byte(0, 0); }
ir::HexItem Jump(std::optional<uint32_t> low, std::optional<uint32_t> high) {
  ir::HexItem item;
  item.kind = ir::HexItem::Kind::kJump;
  item.jump_low = low;
  item.jump_high = high;
  return item;
}
ir::HexItem Alt(std::vector<std::vector<ir::HexItem>> alternatives) {
  ir::HexItem item;
  item.kind = ir::HexItem::Kind::kAlternation;
  item.alternatives = std::move(alternatives);
  return item;
}
std::vector<ir::HexItem> HexBytes(std::string_view text) {
  std::vector<ir::HexItem> out;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;  // '?'
  };
  size_t i = 0;
  while (i + 1 < text.size()) {
    if (text[i] == ' ') {
      ++i;
      continue;
    }
    const int hi = nibble(text[i]);
    const int lo = nibble(text[i + 1]);
    const auto mask = static_cast<uint8_t>((hi >= 0 ? 0xF0 : 0) | (lo >= 0 ? 0x0F : 0));
    out.push_back(Byte(static_cast<uint8_t>(((hi >= 0 ? hi : 0) << 4) | (lo >= 0 ? lo : 0)), mask));
    i += 2;
  }
  return out;
}

// ---- TestProgram ----------------------------------------------------------------------
TestProgram::TestProgram() {
  file_ = sources_.Add("rules/test.ward", std::string(1 << 16, ' '));
  program_.manifest.author = "Ward tests";
  program_.manifest.namespace_uuid = "6f1d2b8e-4c1a-5b7e-9a43-3e2d1c0b9a87";
}

Span TestProgram::NewSpan() {
  Span span{file_, next_offset_, next_offset_ + 5};
  next_offset_ += 10;
  return span;
}

ir::Detection& TestProgram::AddYara(std::string package, std::string name,
                                    std::vector<ir::YaraString> strings, YaraExprPtr condition,
                                    std::vector<std::string> modules) {
  auto detection = std::make_unique<ir::Detection>();
  detection->package = std::move(package);
  detection->name = std::move(name);
  detection->detection_kind = "yara";
  detection->span = NewSpan();
  detection->name_span = detection->span;
  detection->meta.title = "Test rule " + detection->name;
  detection->level = ir::Level::kHigh;
  auto logic = std::make_unique<ir::YaraLogic>();
  for (auto& s : strings) {
    if (!s.span.valid()) s.span = NewSpan();
    s.used = true;
  }
  logic->strings = std::move(strings);
  if (condition && !condition->span.valid()) condition->span = NewSpan();
  logic->condition = std::move(condition);
  std::sort(modules.begin(), modules.end());
  logic->modules = std::move(modules);
  detection->logic = std::move(logic);
  ir::Detection& out = *detection;
  program_.by_name[out.qualified_name()] = &out;
  program_.detections.push_back(std::move(detection));
  return out;
}

ir::Threat& TestProgram::AddThreat(std::string package, std::string name) {
  auto threat = std::make_unique<ir::Threat>();
  threat->package = std::move(package);
  threat->name = std::move(name);
  threat->span = NewSpan();
  ir::Threat& out = *threat;
  program_.by_name[out.qualified_name()] = &out;
  program_.threats.push_back(std::move(threat));
  return out;
}

ir::Catalog& TestProgram::AddCatalog(std::string package, std::string name, std::string framework) {
  auto catalog = std::make_unique<ir::Catalog>();
  catalog->package = std::move(package);
  catalog->name = std::move(name);
  catalog->framework = std::move(framework);
  catalog->version = "1.0";
  catalog->span = NewSpan();
  ir::Catalog& out = *catalog;
  program_.by_name[out.qualified_name()] = &out;
  program_.catalogs.push_back(std::move(catalog));
  return out;
}

const ir::CatalogEntry& TestProgram::AddEntry(ir::Catalog& catalog, std::string id) {
  auto entry = std::make_unique<ir::CatalogEntry>();
  entry->catalog = &catalog;
  entry->id = std::move(id);
  entry->span = NewSpan();
  const ir::CatalogEntry& out = *entry;
  catalog.by_id[out.id] = &out;
  catalog.entries.push_back(std::move(entry));
  return out;
}

void TestProgram::Link(ir::Detection& detection, ir::Threat& threat) {
  detection.threats.push_back(&threat);
  threat.detections.push_back(&detection);
}

void TestProgram::Finish() {
  auto by_name = [](const auto& a, const auto& b) {
    return a->qualified_name() < b->qualified_name();
  };
  std::sort(program_.detections.begin(), program_.detections.end(), by_name);
  std::sort(program_.threats.begin(), program_.threats.end(), by_name);
  std::sort(program_.catalogs.begin(), program_.catalogs.end(), by_name);
}

std::string EmitResult::File(const std::string& path) const {
  auto it = out.files().find(path);
  return it == out.files().end() ? std::string() : it->second;
}

EmitResult EmitYara(TestProgram& test, std::map<std::string, std::string> options) {
  test.Finish();
  DiagnosticEngine diags;
  backends::BackendContext ctx{test.program(), test.sources(), diags, std::move(options),
                               "2025-01-02"};
  auto backend = backends::yara::MakeYaraBackend();
  EmitResult result;
  result.ok = backend->Emit(ctx, result.out);
  result.diags = diags.Sorted();
  result.errors = diags.error_count();
  return result;
}

std::string RuleText(TestProgram& test, const ir::Detection& detection) {
  test.Finish();
  DiagnosticEngine diags;
  auto names = backends::yara::AssignRuleNames(test.program());
  backends::yara::Rule rule =
      backends::yara::LowerRule(test.program(), detection, names, {"2025-01-02"}, diags);
  return backends::yara::PrintRule(rule).text;
}

std::string ConditionText(TestProgram& test, const ir::Detection& detection) {
  test.Finish();
  DiagnosticEngine diags;
  auto names = backends::yara::AssignRuleNames(test.program());
  backends::yara::Rule rule =
      backends::yara::LowerRule(test.program(), detection, names, {"2025-01-02"}, diags);
  return backends::yara::PrintExpr(*rule.condition);
}

std::string PrintCondition(YaraExprPtr condition) {
  DiagnosticEngine diags;
  std::map<const ir::Detection*, std::string> names;
  backends::yara::ConditionLowering lowering(names, diags);
  return backends::yara::PrintExpr(*lowering.Lower(*condition));
}

}  // namespace ward::yara_test
