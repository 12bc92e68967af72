#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <functional>
#include <regex>
#include <set>
#include <sstream>
#include <string_view>

#include "backends/sigma/sigma_backend.h"
#include "backends/sigma/sigma_values.h"
#include "compiler/support/uuid.h"
#include "tests/sigma/sigma_test_support.h"

namespace ward::sigma_test {

using ir::SigmaExpr;
using ir::SigmaModifier;
using ir::SigmaValue;

// ---- values and expressions ---------------------------------------------------

SigmaValue Str(std::string text) {
  SigmaValue v;
  v.text = std::move(text);
  return v;
}
SigmaValue Like(std::string sigma_pattern) {
  SigmaValue v = Str(std::move(sigma_pattern));
  v.wildcards = true;
  return v;
}
SigmaValue Int(int64_t value) {
  SigmaValue v;
  v.kind = SigmaValue::Kind::kInteger;
  v.integer = value;
  return v;
}
SigmaValue Float(double value) {
  SigmaValue v;
  v.kind = SigmaValue::Kind::kFloat;
  v.real = value;
  return v;
}
SigmaValue Bool(bool value) {
  SigmaValue v;
  v.kind = SigmaValue::Kind::kBool;
  v.boolean = value;
  return v;
}
SigmaValue Null() {
  SigmaValue v;
  v.kind = SigmaValue::Kind::kNull;
  return v;
}

ir::SigmaExprPtr Match(std::string field, std::vector<SigmaModifier> mods,
                       std::vector<SigmaValue> values) {
  auto e = std::make_unique<SigmaExpr>();
  e->kind = SigmaExpr::Kind::kMatch;
  e->field = std::move(field);
  e->modifiers = std::move(mods);
  e->values = std::move(values);
  return e;
}
ir::SigmaExprPtr Eq(std::string field, std::string value) {
  return Match(std::move(field), {}, {Str(std::move(value))});
}
ir::SigmaExprPtr Keywords(std::vector<std::string> words, bool all) {
  std::vector<SigmaValue> values;
  for (std::string& w : words) values.push_back(Str(std::move(w)));
  std::vector<SigmaModifier> mods;
  if (all) mods.push_back(SigmaModifier::kAll);
  return Match("", mods, std::move(values));
}
ir::SigmaExprPtr Sel(size_t index) {
  auto e = std::make_unique<SigmaExpr>();
  e->kind = SigmaExpr::Kind::kSelection;
  e->selection = index;
  return e;
}
ir::SigmaExprPtr Not(ir::SigmaExprPtr child) {
  auto e = std::make_unique<SigmaExpr>();
  e->kind = SigmaExpr::Kind::kNot;
  e->children.push_back(std::move(child));
  return e;
}
static ir::SigmaExprPtr Nary(SigmaExpr::Kind kind, std::vector<ir::SigmaExprPtr> children) {
  auto e = std::make_unique<SigmaExpr>();
  e->kind = kind;
  e->children = std::move(children);
  return e;
}
ir::SigmaExprPtr And(std::vector<ir::SigmaExprPtr> children) {
  return Nary(SigmaExpr::Kind::kAnd, std::move(children));
}
ir::SigmaExprPtr Or(std::vector<ir::SigmaExprPtr> children) {
  return Nary(SigmaExpr::Kind::kOr, std::move(children));
}
ir::SigmaExprPtr Clone(const SigmaExpr& expr) {
  auto e = std::make_unique<SigmaExpr>();
  e->kind = expr.kind;
  e->span = expr.span;
  e->field = expr.field;
  e->modifiers = expr.modifiers;
  e->values = expr.values;
  e->selection = expr.selection;
  for (const auto& child : expr.children) e->children.push_back(Clone(*child));
  return e;
}

// ---- a program ----------------------------------------------------------------

ProgramBuilder::ProgramBuilder() : program_(std::make_unique<ir::Program>()) {
  program_->manifest.name = "test";
  program_->manifest.author = "Ward contributors";
  program_->manifest.namespace_uuid = "46542ce6-c2a8-437d-8198-63834802d069";
}

Span ProgramBuilder::NextSpan() {
  Span span{1, offset_, offset_ + 4};
  offset_ += 10;
  return span;
}

static void Register(ir::Program& program, ir::Entity& entity) {
  program.by_name[entity.qualified_name()] = &entity;
}

ir::Detection& ProgramBuilder::Rule(const std::string& name, const std::string& title,
                                    ir::SigmaExprPtr condition, const std::string& package) {
  auto detection = std::make_unique<ir::Detection>();
  detection->package = package;
  detection->name = name;
  detection->meta.title = title;
  detection->span = NextSpan();
  detection->name_span = NextSpan();
  detection->detection_kind = "sigma";
  auto logic = std::make_unique<ir::SigmaLogic>();
  logic->logsource.product = "llm";
  logic->logsource.category = "prompt";
  logic->condition = std::move(condition);
  detection->logic = std::move(logic);
  ir::Detection& ref = *detection;
  program_->detections.push_back(std::move(detection));
  Register(*program_, ref);
  return ref;
}

ir::SigmaLogic& ProgramBuilder::Logic(ir::Detection& detection) {
  return *dynamic_cast<ir::SigmaLogic*>(detection.logic.get());
}

size_t ProgramBuilder::Let(ir::Detection& detection, const std::string& name,
                           ir::SigmaExprPtr expr) {
  ir::SigmaLogic& logic = Logic(detection);
  ir::SigmaSelection selection;
  selection.name = name;
  selection.span = NextSpan();
  selection.expr = std::move(expr);
  logic.selections.push_back(std::move(selection));
  return logic.selections.size() - 1;
}

ir::Detection& ProgramBuilder::CorrelationRule(const std::string& name, const std::string& title,
                                               ir::Correlation correlation,
                                               const std::string& package) {
  ir::Detection& detection = Rule(name, title, nullptr, package);
  Logic(detection).logsource = {};
  Logic(detection).correlation = std::move(correlation);
  return detection;
}

ir::Filter& ProgramBuilder::Filter(const std::string& name, const std::string& title,
                                   std::vector<const ir::Detection*> rules,
                                   ir::SigmaExprPtr condition, const std::string& package) {
  auto filter = std::make_unique<ir::Filter>();
  filter->package = package;
  filter->name = name;
  filter->meta.title = title;
  filter->span = NextSpan();
  filter->name_span = NextSpan();
  filter->logsource.product = "llm";
  filter->rules = std::move(rules);
  filter->applies_to_any = filter->rules.empty();
  filter->condition = std::move(condition);
  ir::Filter& ref = *filter;
  program_->filters.push_back(std::move(filter));
  Register(*program_, ref);
  return ref;
}

ir::Catalog& ProgramBuilder::Catalog(const std::string& name, const std::string& framework) {
  auto catalog = std::make_unique<ir::Catalog>();
  catalog->package = "catalogs";
  catalog->name = name;
  catalog->framework = framework;
  catalog->version = "1.0";
  ir::Catalog& ref = *catalog;
  program_->catalogs.push_back(std::move(catalog));
  Register(*program_, ref);
  return ref;
}

ir::CatalogEntry& ProgramBuilder::Entry(ir::Catalog& catalog, const std::string& id,
                                        const std::string& title, const std::string& kind,
                                        std::vector<std::string> parents) {
  auto entry = std::make_unique<ir::CatalogEntry>();
  entry->catalog = &catalog;
  entry->id = id;
  entry->title = title;
  entry->kind = kind;
  entry->parents = std::move(parents);
  ir::CatalogEntry& ref = *entry;
  catalog.entries.push_back(std::move(entry));
  catalog.by_id[id] = &ref;
  return ref;
}

ir::Threat& ProgramBuilder::Threat(const std::string& name,
                                   std::vector<const ir::CatalogEntry*> maps) {
  auto threat = std::make_unique<ir::Threat>();
  threat->package = "cosai.llm";
  threat->name = name;
  threat->meta.title = name;
  threat->name_span = NextSpan();
  for (const ir::CatalogEntry* entry : maps) {
    ir::CatalogRef ref;
    ref.entry = entry;
    threat->maps.push_back(ref);
  }
  ir::Threat& ref = *threat;
  program_->threats.push_back(std::move(threat));
  Register(*program_, ref);
  return ref;
}

void ProgramBuilder::Link(ir::Detection& detection, ir::Threat& threat) {
  detection.threats.push_back(&threat);
  threat.detections.push_back(&detection);
}

void FillMetadata(ir::Detection& detection) {
  detection.meta.description = "Detects " + detection.meta.title;
  detection.meta.status = "experimental";
  detection.meta.author = "Ward contributors";
  detection.meta.date = ir::Date{2025, 6, 1};
  detection.meta.references = {"https://example.org/" + detection.name};
  detection.meta.tags = {"detection.threat-hunting"};
  detection.falsepositives = {"Unknown"};
}

// ---- running the backend ------------------------------------------------------

bool EmitResult::Has(DiagCode code) const {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [&](const Diagnostic& d) { return d.code == code; });
}

const std::string& EmitResult::File(const std::string& path) const {
  static const std::string kEmpty;
  auto it = files.files().find(path);
  if (it == files.files().end()) {
    ADD_FAILURE() << "no output file " << path;
    return kEmpty;
  }
  return it->second;
}

std::vector<std::string> EmitResult::Paths() const {
  std::vector<std::string> paths;
  for (const auto& [path, text] : files.files()) paths.push_back(path);
  return paths;
}

EmitResult EmitSigma(const ir::Program& program, const std::string& profile,
                     const std::string& build_date) {
  SourceManager sources;
  DiagnosticEngine diags;
  backends::BackendContext ctx{program, sources, diags, {}, build_date};
  if (!profile.empty()) ctx.options["sigma-profile"] = profile;
  EmitResult result;
  std::unique_ptr<backends::Backend> backend = backends::sigma::MakeSigmaBackend();
  result.ok = backend->Emit(ctx, result.files);
  result.diagnostics = diags.diagnostics();
  return result;
}

std::vector<YAML::Node> LoadDocuments(const std::string& text) { return YAML::LoadAll(text); }

// ---- the condition language (for checks and evaluation) -----------------------

namespace {

struct Cond {
  enum class Kind { kId, kAnd, kOr, kNot, kOneOf, kAllOf };
  Kind kind = Kind::kId;
  std::string name;
  std::vector<Cond> children;
};

class CondParser {
 public:
  explicit CondParser(const std::string& text) {
    std::string token;
    for (char c : text) {
      if (c == '(' || c == ')' || c == ' ') {
        if (!token.empty()) tokens_.push_back(token);
        token.clear();
        if (c != ' ') tokens_.push_back(std::string(1, c));
      } else {
        token += c;
      }
    }
    if (!token.empty()) tokens_.push_back(token);
  }

  std::optional<Cond> Parse() {
    std::optional<Cond> c = Or();
    if (!c || pos_ != tokens_.size()) return std::nullopt;
    return c;
  }

 private:
  bool Accept(const char* t) {
    if (pos_ < tokens_.size() && tokens_[pos_] == t) {
      ++pos_;
      return true;
    }
    return false;
  }
  std::optional<Cond> Binary(Cond::Kind kind, const char* op,
                             std::optional<Cond> (CondParser::*next)()) {
    std::optional<Cond> first = (this->*next)();
    if (!first) return std::nullopt;
    Cond node;
    node.kind = kind;
    node.children.push_back(*first);
    while (Accept(op)) {
      std::optional<Cond> rhs = (this->*next)();
      if (!rhs) return std::nullopt;
      node.children.push_back(*rhs);
    }
    if (node.children.size() == 1) return node.children[0];
    return node;
  }
  std::optional<Cond> Or() { return Binary(Cond::Kind::kOr, "or", &CondParser::And); }
  std::optional<Cond> And() { return Binary(Cond::Kind::kAnd, "and", &CondParser::Unary); }
  std::optional<Cond> Unary() {
    if (Accept("not")) {
      std::optional<Cond> inner = Unary();
      if (!inner) return std::nullopt;
      Cond node;
      node.kind = Cond::Kind::kNot;
      node.children.push_back(*inner);
      return node;
    }
    if (Accept("(")) {
      std::optional<Cond> inner = Or();
      if (!inner || !Accept(")")) return std::nullopt;
      return inner;
    }
    if (pos_ + 2 < tokens_.size() + 0 && tokens_[pos_ + 1] == "of") {
      Cond node;
      const std::string& q = tokens_[pos_];
      if (q != "1" && q != "any" && q != "all") return std::nullopt;
      node.kind = q == "all" ? Cond::Kind::kAllOf : Cond::Kind::kOneOf;
      node.name = tokens_[pos_ + 2];
      pos_ += 3;
      return node;
    }
    if (pos_ >= tokens_.size()) return std::nullopt;
    static const std::regex kIdent("[A-Za-z0-9_-]+");
    const std::string& t = tokens_[pos_];
    if (t == "and" || t == "or" || t == "not" || t == "of" || !std::regex_match(t, kIdent)) {
      return std::nullopt;
    }
    ++pos_;
    Cond node;
    node.name = t;
    return node;
  }

  std::vector<std::string> tokens_;
  size_t pos_ = 0;
};

bool Glob(std::string_view pattern, std::string_view name) {
  // Sigma patterns: `*` is any run; whole-name match. Recursive is fine for
  // the short names in tests.
  if (pattern.empty()) return name.empty();
  if (pattern[0] == '*') {
    for (size_t i = 0; i <= name.size(); ++i) {
      if (Glob(pattern.substr(1), name.substr(i))) return true;
    }
    return false;
  }
  return !name.empty() && pattern[0] == name[0] && Glob(pattern.substr(1), name.substr(1));
}

std::vector<std::string> Matching(const std::string& pattern, const std::vector<std::string>& ids) {
  std::vector<std::string> out;
  for (const std::string& id : ids) {
    if (Glob(pattern, id)) out.push_back(id);
  }
  return out;
}

void CollectRefs(const Cond& c, const std::vector<std::string>& ids, std::set<std::string>& used,
                 std::vector<std::string>& problems) {
  switch (c.kind) {
    case Cond::Kind::kId:
      used.insert(c.name);
      if (std::find(ids.begin(), ids.end(), c.name) == ids.end()) {
        problems.push_back("condition names undefined identifier " + c.name);
      }
      break;
    case Cond::Kind::kOneOf:
    case Cond::Kind::kAllOf: {
      std::vector<std::string> matched = Matching(c.name, ids);
      if (c.name.find('*') == std::string::npos) {
        problems.push_back("`x of` without `*`: " + c.name);
      }
      if (matched.size() < 2) problems.push_back("`x of` matching fewer than two: " + c.name);
      used.insert(matched.begin(), matched.end());
      break;
    }
    default:
      for (const Cond& child : c.children) CollectRefs(child, ids, used, problems);
  }
}

const std::set<std::string>& KnownModifiers() {
  static const std::set<std::string> kMods = {
      "contains", "startswith", "endswith", "all",  "exists", "cased",        "neq",     "windash",
      "re",       "i",          "m",        "s",    "base64", "base64offset", "utf16le", "utf16be",
      "utf16",    "wide",       "lt",       "lte",  "gt",     "gte",          "minute",  "hour",
      "day",      "week",       "month",    "year", "cidr",   "expand",       "fieldref"};
  return kMods;
}

std::vector<std::string> Split(const std::string& key, char sep) {
  std::vector<std::string> parts;
  std::string cur;
  for (char c : key) {
    if (c == sep) {
      parts.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  parts.push_back(cur);
  return parts;
}

bool IsDate(const YAML::Node& n) {
  static const std::regex kDate(R"(^\d{4}-(0[1-9]|1[012])-(0[1-9]|[12][0-9]|3[01])$)");
  return n.IsScalar() && std::regex_match(n.Scalar(), kDate);
}

void CheckStringList(const YAML::Node& n, const std::string& key, size_t min_len,
                     std::vector<std::string>& problems) {
  if (!n[key]) return;
  const YAML::Node list = n[key];
  if (!list.IsSequence()) {
    problems.push_back(key + " is not a list");
    return;
  }
  std::set<std::string> seen;
  for (const YAML::Node& item : list) {
    if (!item.IsScalar()) {
      problems.push_back(key + " has a non-string item");
      continue;
    }
    if (item.Scalar().size() < min_len) problems.push_back(key + " item too short");
    if (!seen.insert(item.Scalar()).second) problems.push_back(key + " has duplicates");
  }
}

void CheckMetadata(const YAML::Node& doc, std::vector<std::string>& problems) {
  if (!doc["title"] || !doc["title"].IsScalar()) {
    problems.push_back("missing title");
  } else if (doc["title"].Scalar().size() > 256) {
    problems.push_back("title longer than 256");
  }
  if (doc.begin()->first.Scalar() != "title") problems.push_back("title is not the first key");
  if (doc["id"] && !IsUuid(doc["id"].Scalar())) problems.push_back("id is not a UUID");
  static const std::set<std::string> kStatus = {"stable", "test", "experimental", "deprecated",
                                                "unsupported"};
  static const std::set<std::string> kLevel = {"informational", "low", "medium", "high",
                                               "critical"};
  if (doc["status"] && !kStatus.count(doc["status"].Scalar())) problems.push_back("bad status");
  if (doc["level"] && !kLevel.count(doc["level"].Scalar())) problems.push_back("bad level");
  for (const char* key : {"date", "modified"}) {
    if (doc[key] && !IsDate(doc[key])) problems.push_back(std::string(key) + " is not a date");
  }
  if (doc["modified"] && !doc["date"]) problems.push_back("modified without date");
  if (doc["modified"] && doc["date"] && doc["modified"].Scalar() <= doc["date"].Scalar()) {
    problems.push_back("modified is not later than date");
  }
  for (const char* key : {"title", "description", "author", "status", "level", "id"}) {
    if (doc[key] && !doc[key].IsScalar()) problems.push_back(std::string(key) + " is not a string");
  }
  CheckStringList(doc, "references", 0, problems);
  CheckStringList(doc, "falsepositives", 2, problems);
  CheckStringList(doc, "tags", 0, problems);
  if (doc["tags"]) {
    static const std::regex kTag(R"(^[a-z0-9_-]+\.[a-z0-9._-]+$)");
    for (const YAML::Node& tag : doc["tags"]) {
      if (!std::regex_match(tag.Scalar(), kTag)) problems.push_back("bad tag " + tag.Scalar());
    }
  }
  if (doc["related"]) {
    static const std::set<std::string> kTypes = {"derived", "obsolete", "merged", "renamed",
                                                 "similar"};
    for (const YAML::Node& r : doc["related"]) {
      if (!r["id"] || !IsUuid(r["id"].Scalar())) problems.push_back("related id not a UUID");
      if (!r["type"] || !kTypes.count(r["type"].Scalar())) problems.push_back("bad related type");
    }
  }
  // SigmaHQ's field order (a subsequence of it).
  static const std::vector<std::string> kOrder = {
      "title",     "id",          "related",        "name",       "taxonomy",
      "status",    "description", "license",        "references", "author",
      "date",      "modified",    "tags",           "logsource",  "correlation",
      "detection", "filter",      "falsepositives", "level",      "generate"};
  size_t last = 0;
  for (const auto& kv : doc) {
    const std::string& key = kv.first.Scalar();
    auto it = std::find(kOrder.begin(), kOrder.end(), key);
    if (it == kOrder.end()) {
      problems.push_back("unexpected top-level key " + key);
      continue;
    }
    size_t pos = static_cast<size_t>(it - kOrder.begin());
    if (pos < last) problems.push_back("key out of SigmaHQ order: " + key);
    last = pos;
  }
}

// Offsets of the unescaped wildcards of a Sigma string (pySigma's reading).
std::vector<size_t> WildcardOffsets(const std::string& text) {
  std::vector<size_t> out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size() &&
        (text[i + 1] == '*' || text[i + 1] == '?' || text[i + 1] == '\\')) {
      ++i;
    } else if (text[i] == '*' || text[i] == '?') {
      out.push_back(i);
    }
  }
  return out;
}

// The checks on one value of `key`: pySigma's value validators and
// SigmaHQ's regex checks.
void CheckValue(const YAML::Node& v, const std::string& key, const std::set<std::string>& mods,
                const std::string& where, std::vector<std::string>& problems) {
  if (!v.IsScalar()) return;
  bool quoted = v.Tag() == "!";
  const std::string& text = v.Scalar();
  if (mods.count("exists") && (quoted || (text != "true" && text != "false"))) {
    problems.push_back(where + ": `exists` takes true or false under " + key);
  }
  if (!quoted) return;  // numbers, booleans, null
  for (unsigned char c : text) {
    if (c < 0x20 || c == 0x7F) {
      problems.push_back(where + ": control character in a value under " + key +
                         " (pySigma control_character)");
      break;
    }
  }
  if (mods.count("re")) {
    // SigmaHQ test_re_invalid_escapes: only these may follow a backslash.
    static const std::string kEscapable = "AbBdDfnrsStvwWZ0123456789'\"";
    for (size_t i = 0; i + 1 < text.size(); ++i) {
      if (text[i] != '\\') continue;
      char next = text[i + 1];
      bool ok = std::ispunct(static_cast<unsigned char>(next)) ||
                kEscapable.find(next) != std::string::npos;
      if (!ok) problems.push_back(where + ": invalid regex escape \\" + next + " under " + key);
      ++i;
    }
    // sigmahq_unsupported_regex_group_construct
    for (const char* group : {"(?=", "(?!", "(?<=", "(?<!", "(?>"}) {
      if (text.find(group) != std::string::npos) {
        problems.push_back(where + ": unsupported regex group " + group + " under " + key);
      }
    }
    return;
  }
  if (mods.count("cidr") || mods.count("fieldref")) return;
  std::vector<size_t> wildcards = WildcardOffsets(text);
  for (size_t i = 0; i + 1 < wildcards.size(); ++i) {
    if (wildcards[i] + 1 == wildcards[i + 1] && text[wildcards[i]] == '*' &&
        text[wildcards[i + 1]] == '*') {
      problems.push_back(where + ": double wildcard under " + key + " (pySigma double_wildcard)");
    }
  }
  // pySigma wildcards_instead_of_modifiers: `*x*`, `x*` or `*x` where
  // contains, startswith or endswith says the same.
  bool comparison = mods.count("contains") || mods.count("startswith") || mods.count("endswith");
  bool leading = !wildcards.empty() && wildcards.front() == 0 && text[0] == '*';
  bool trailing = !wildcards.empty() && wildcards.back() + 1 == text.size() && text.back() == '*' &&
                  text.size() > 1;
  size_t affixes = static_cast<size_t>(leading) + static_cast<size_t>(trailing);
  if (!comparison && affixes > 0 && wildcards.size() == affixes && text.size() > affixes) {
    problems.push_back(where + ": wildcard where a modifier fits: " + key + ": " + text);
  }
}

void CheckSearchMap(const YAML::Node& map, const std::string& where,
                    std::vector<std::string>& problems) {
  for (const auto& kv : map) {
    const std::string key = kv.first.Scalar();
    std::vector<std::string> parts = Split(key, '|');
    std::set<std::string> mods;
    for (size_t i = 1; i < parts.size(); ++i) {
      if (!KnownModifiers().count(parts[i]))
        problems.push_back(where + ": unknown modifier " + parts[i]);
      if (!mods.insert(parts[i]).second && parts[i] != "base64") {
        problems.push_back(where + ": repeated modifier " + parts[i]);
      }
      // pySigma: `re` comes first, its flags right after it.
      if (parts[i] == "re" && i != 1) problems.push_back(where + ": `re` after a modifier: " + key);
      bool flag = parts[i] == "i" || parts[i] == "m" || parts[i] == "s";
      if (flag && !mods.count("re")) problems.push_back(where + ": regex flag without re: " + key);
    }
    if (parts[0].find(' ') != std::string::npos) {
      problems.push_back(where + ": space in field name " + key);
    }
    bool all = mods.count("all") > 0;
    if (all && !parts[0].empty() && !mods.count("contains")) {
      problems.push_back(where + ": `all` without `contains` on " + key);
    }
    if (mods.count("base64offset") && !mods.count("contains")) {
      problems.push_back(where + ": `base64offset` without `contains` on " + key);
    }
    if (mods.count("windash") && all) problems.push_back(where + ": `windash` with `all`: " + key);
    bool text_encoding =
        mods.count("utf16le") || mods.count("utf16be") || mods.count("utf16") || mods.count("wide");
    if (text_encoding && !mods.count("base64") && !mods.count("base64offset")) {
      problems.push_back(where + ": UTF-16 encoding without base64: " + key);
    }
    const YAML::Node value = kv.second;
    if (value.IsSequence()) {
      for (const YAML::Node& v : value) CheckValue(v, key, mods, where, problems);
    } else {
      CheckValue(value, key, mods, where, problems);
    }
    if (value.IsSequence()) {
      if (value.size() < 2) problems.push_back(where + ": one-element list under " + key);
      std::set<std::string> seen;
      for (const YAML::Node& v : value) {
        if (!v.IsScalar()) problems.push_back(where + ": nested list under " + key);
        if (v.IsNull() || (v.Tag() == "?" && v.Scalar() == "null")) {
          problems.push_back(where + ": null inside a list under " + key);
        }
        if (!seen.insert(v.Tag() + v.Scalar()).second) {
          problems.push_back(where + ": duplicate value under " + key);
        }
      }
    } else if (all) {
      problems.push_back(where + ": `all` with a single value under " + key);
    } else if (!value.IsScalar() && !value.IsNull()) {
      problems.push_back(where + ": value of " + key + " is not a scalar or list");
    }
  }
}

void CheckDetectionMap(const YAML::Node& det, const std::set<std::string>& skip,
                       std::vector<std::string>& problems) {
  if (!det.IsMap()) {
    problems.push_back("detection is not a map");
    return;
  }
  if (!det["condition"] || !det["condition"].IsScalar()) {
    problems.push_back("condition missing or not a string");
    return;
  }
  std::vector<std::string> ids;
  for (const auto& kv : det) {
    const std::string name = kv.first.Scalar();
    if (name == "condition" || skip.count(name)) continue;
    ids.push_back(name);
    const YAML::Node body = kv.second;
    if (body.IsMap()) {
      CheckSearchMap(body, name, problems);
    } else if (body.IsSequence()) {
      bool maps = false, scalars = false;
      for (const YAML::Node& item : body) {
        if (item.IsMap()) {
          maps = true;
          CheckSearchMap(item, name, problems);
        } else if (item.IsScalar() && !item.IsNull()) {
          scalars = true;
        } else {
          problems.push_back(name + ": list item is neither a map nor a keyword");
        }
      }
      if (maps && scalars) problems.push_back(name + ": mixes maps and keywords");
      if (maps && body.size() < 2) problems.push_back(name + ": list of one map");
    } else {
      problems.push_back(name + ": identifier is neither a map nor a list");
    }
  }
  std::optional<Cond> cond = CondParser(det["condition"].Scalar()).Parse();
  if (!cond) {
    problems.push_back("condition does not parse: " + det["condition"].Scalar());
    return;
  }
  std::set<std::string> used;
  CollectRefs(*cond, ids, used, problems);
  const std::string& text = det["condition"].Scalar();
  if (text.find("all of them") != std::string::npos) {
    problems.push_back("`all of them` (pySigma all_of_them_condition)");
  }
  if (text.find(" of them") != std::string::npos && ids.size() < 2) {
    problems.push_back("`of them` with a single identifier");
  }
  for (const std::string& id : ids) {
    if (!used.count(id)) problems.push_back("identifier not used by the condition: " + id);
  }
}

void CheckCorrelation(const YAML::Node& doc, std::vector<std::string>& problems) {
  const YAML::Node c = doc["correlation"];
  static const std::set<std::string> kTypes = {"event_count",      "value_count", "temporal",
                                               "temporal_ordered", "value_sum",   "value_avg",
                                               "value_percentile"};
  if (!c["type"] || !kTypes.count(c["type"].Scalar())) problems.push_back("bad correlation type");
  if (!c["rules"] || !c["rules"].IsSequence() || c["rules"].size() == 0) {
    problems.push_back("correlation without rules");
  }
  CheckStringList(c, "rules", 2, problems);
  CheckStringList(c, "group-by", 0, problems);
  if (!c["group-by"]) problems.push_back("correlation without group-by");
  if (!c["timespan"] || c["timespan"].Scalar().size() > 10 ||
      !std::regex_match(c["timespan"].Scalar(), std::regex(R"(^\d+[smhd]$)"))) {
    problems.push_back("bad timespan");
  }
  std::string type = c["type"] ? c["type"].Scalar() : "";
  bool temporal = type == "temporal" || type == "temporal_ordered";
  if (!temporal && !c["condition"]) problems.push_back("correlation without condition");
  if (c["condition"]) {
    static const std::set<std::string> kKeys = {"gt", "gte", "lt",    "lte",
                                                "eq", "neq", "field", "percentile"};
    for (const auto& kv : c["condition"]) {
      if (!kKeys.count(kv.first.Scalar())) problems.push_back("bad condition key");
    }
    if (type.rfind("value_", 0) == 0 && !c["condition"]["field"]) {
      problems.push_back("value_* correlation without field");
    }
  }
  if (c["generate"] && c["generate"].Scalar() != "true" && c["generate"].Scalar() != "false") {
    problems.push_back("generate is not a boolean");
  }
}

}  // namespace

std::vector<std::string> CheckDocument(const YAML::Node& doc) {
  std::vector<std::string> problems;
  if (!doc.IsMap()) return {"document is not a map"};
  CheckMetadata(doc, problems);
  if (doc["correlation"]) {
    CheckCorrelation(doc, problems);
  } else if (doc["filter"]) {
    if (!doc["logsource"] || !doc["logsource"].IsMap())
      problems.push_back("filter without logsource");
    const YAML::Node f = doc["filter"];
    if (!f["selection"]) problems.push_back("filter without an identifier named selection");
    if (!f["rules"]) problems.push_back("filter without rules");
    if (f["rules"] && f["rules"].IsSequence()) CheckStringList(f, "rules", 0, problems);
    CheckDetectionMap(f, {"rules"}, problems);
  } else {
    if (!doc["logsource"] || !doc["logsource"].IsMap()) problems.push_back("missing logsource");
    if (!doc["detection"]) {
      problems.push_back("missing detection");
    } else {
      CheckDetectionMap(doc["detection"], {}, problems);
    }
  }
  return problems;
}

std::vector<std::string> CheckOutput(const backends::OutputSet& files) {
  std::vector<std::string> problems;
  std::set<std::string> ids, rule_ids;
  std::vector<std::pair<std::string, std::string>> filter_refs;  // (file, rule id)
  static const std::regex kName(R"(^[a-z0-9_]{10,90}\.yml$)");
  for (const auto& [path, text] : files.files()) {
    std::string file = path.substr(path.rfind('/') + 1);
    if (!std::regex_match(file, kName) || file.find('_') == std::string::npos) {
      problems.push_back(path + ": file name breaks SigmaHQ's rule");
    }
    if (text.find('\r') != std::string::npos) problems.push_back(path + ": CR in output");
    if (text.empty() || text.back() != '\n') problems.push_back(path + ": no final newline");
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
      if (!line.empty() && line.back() == ' ') problems.push_back(path + ": trailing space");
      if (line.find('\t') != std::string::npos) problems.push_back(path + ": raw tab");
      size_t colon = line.find(":  ");
      if (colon != std::string::npos && line.find_first_of("'\"") > colon) {
        problems.push_back(path + ": two spaces after a colon: " + line);
      }
      if (line.find("-  ") != std::string::npos && line.find_first_of("'\"") > line.find("-  ")) {
        problems.push_back(path + ": two spaces after a dash: " + line);
      }
    }
    std::vector<YAML::Node> docs;
    try {
      docs = LoadDocuments(text);
    } catch (const YAML::Exception& e) {
      problems.push_back(path + ": does not parse: " + e.what());
      continue;
    }
    std::set<std::string> names_in_file;
    for (const YAML::Node& doc : docs) {
      for (const std::string& p : CheckDocument(doc)) problems.push_back(path + ": " + p);
      if (!doc.IsMap()) continue;
      if (doc["name"]) names_in_file.insert(doc["name"].Scalar());
      if (doc["id"]) {
        const std::string id = doc["id"].Scalar();
        if (!ids.insert(id).second) problems.push_back(path + ": id " + id + " is used twice");
        if (doc["detection"]) rule_ids.insert(id);
      }
      if (doc["filter"] && doc["filter"]["rules"] && doc["filter"]["rules"].IsSequence()) {
        for (const YAML::Node& rule : doc["filter"]["rules"]) {
          filter_refs.emplace_back(path, rule.Scalar());
        }
      }
    }
    // A correlation names the rules of its own file (by `name`).
    for (const YAML::Node& doc : docs) {
      if (!doc.IsMap() || !doc["correlation"] || !doc["correlation"]["rules"]) continue;
      const YAML::Node c = doc["correlation"];
      std::set<std::string> listed;
      for (const YAML::Node& rule : c["rules"]) {
        listed.insert(rule.Scalar());
        if (!names_in_file.count(rule.Scalar())) {
          problems.push_back(path + ": correlation rule " + rule.Scalar() + " is not in the file");
        }
      }
      std::string type = c["type"] ? c["type"].Scalar() : "";
      if ((type == "temporal" || type == "temporal_ordered") && listed.size() < 2) {
        problems.push_back(path + ": temporal correlation with fewer than two rules");
      }
      if (c["aliases"]) {
        for (const auto& alias : c["aliases"]) {
          for (const auto& mapping : alias.second) {
            if (!listed.count(mapping.first.Scalar())) {
              problems.push_back(path +
                                 ": alias names a rule outside `rules`: " + mapping.first.Scalar());
            }
          }
        }
      }
      if (!doc["id"] || !doc["level"])
        problems.push_back(path + ": correlation without id or level");
    }
  }
  for (const auto& [path, id] : filter_refs) {
    if (!rule_ids.count(id)) problems.push_back(path + ": filter names unknown rule " + id);
  }
  return problems;
}

// ---- meaning --------------------------------------------------------------------

namespace {

uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

bool Truth(uint64_t event, const std::string& field, const std::string& mods,
           const std::string& value) {
  uint64_t h = std::hash<std::string>{}(field + "\x1f" + mods + "\x1f" + value);
  return (Mix(h ^ Mix(event)) & 1) != 0;
}

std::string FloatKey(double d) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), d);
  return "float:" + std::string(buf, end);
}

bool RawMods(const std::vector<std::string>& mods) {
  for (const std::string& m : mods) {
    if (m == "re" || m == "cidr" || m == "fieldref") return true;
  }
  return false;
}

std::string StringKey(const std::string& sigma_text, bool raw) {
  if (raw) return "raw:" + sigma_text;
  std::optional<std::string> literal = backends::sigma::UnescapeSigmaString(sigma_text);
  return literal ? "lit:" + *literal : "pat:" + sigma_text;
}

std::string IrValueKey(const SigmaValue& v, bool raw) {
  switch (v.kind) {
    case SigmaValue::Kind::kString:
      if (raw) return "raw:" + v.text;
      if (v.wildcards) return StringKey(v.text, false);
      return "lit:" + v.text;
    case SigmaValue::Kind::kInteger:
      return "int:" + std::to_string(v.integer);
    case SigmaValue::Kind::kFloat:
      return FloatKey(v.real);
    case SigmaValue::Kind::kBool:
      return v.boolean ? "bool:1" : "bool:0";
    case SigmaValue::Kind::kNull:
      return "null";
  }
  return "?";
}

std::string YamlValueKey(const YAML::Node& v, bool raw) {
  if (v.Tag() == "!") return StringKey(v.Scalar(), raw);  // quoted: a string
  if (v.IsNull()) return "null";
  const std::string& s = v.Scalar();
  if (s == "null" || s == "~") return "null";
  if (s == "true") return "bool:1";
  if (s == "false") return "bool:0";
  if (s.find_first_of(".eE") != std::string::npos) return FloatKey(std::stod(s));
  if (!s.empty() && (std::isdigit(static_cast<unsigned char>(s[0])) || s[0] == '-')) {
    return "int:" + s;
  }
  return StringKey(s, raw);
}

std::string ModKey(const std::vector<std::string>& mods) {
  std::string key;
  for (const std::string& m : mods) {
    if (m == "all") continue;
    key += m;
    key += '|';
  }
  return key;
}

bool EvalIrMatch(const SigmaExpr& e, uint64_t event) {
  std::vector<SigmaModifier> canonical = backends::sigma::CanonicalModifierOrder(e.modifiers);
  std::vector<std::string> names;
  bool all = false, neq = false;
  for (SigmaModifier m : canonical) {
    names.push_back(ir::SigmaModifierName(m));
    all |= m == SigmaModifier::kAll;
    neq |= m == SigmaModifier::kNeq;
  }
  bool raw = RawMods(names);
  std::vector<SigmaValue> values = e.values;
  if (values.empty() && backends::sigma::HasModifier(canonical, SigmaModifier::kExists)) {
    values.push_back(Bool(true));
  }
  auto test = [&](const SigmaValue& v) {
    // The backend's stated meaning of null: `f == null` is its own test;
    // `f != null` is its negation.
    if (v.kind == SigmaValue::Kind::kNull) {
      bool is_null = Truth(event, e.field, "", "null");
      return neq ? !is_null : is_null;
    }
    return Truth(event, e.field, ModKey(names), IrValueKey(v, raw));
  };
  if (all) return std::all_of(values.begin(), values.end(), test);
  return std::any_of(values.begin(), values.end(), test);
}

bool EvalSearchMap(const YAML::Node& map, uint64_t event) {
  for (const auto& kv : map) {
    std::vector<std::string> parts = Split(kv.first.Scalar(), '|');
    std::string field = parts[0];
    std::vector<std::string> mods(parts.begin() + 1, parts.end());
    bool all = std::find(mods.begin(), mods.end(), "all") != mods.end();
    bool raw = RawMods(mods);
    auto test = [&](const YAML::Node& v) {
      std::string key = YamlValueKey(v, raw);
      return Truth(event, field, key == "null" ? "" : ModKey(mods), key);
    };
    bool result;
    if (kv.second.IsSequence()) {
      result = all ? std::all_of(kv.second.begin(), kv.second.end(), test)
                   : std::any_of(kv.second.begin(), kv.second.end(), test);
    } else {
      result = test(kv.second);
    }
    if (!result) return false;
  }
  return true;
}

bool EvalIdentifier(const YAML::Node& body, uint64_t event) {
  if (body.IsMap()) return EvalSearchMap(body, event);
  for (const YAML::Node& item : body) {
    bool hit =
        item.IsMap() ? EvalSearchMap(item, event) : Truth(event, "", "", YamlValueKey(item, false));
    if (hit) return true;
  }
  return false;
}

bool EvalCond(const Cond& c, const std::map<std::string, bool>& values) {
  switch (c.kind) {
    case Cond::Kind::kId:
      return values.at(c.name);
    case Cond::Kind::kNot:
      return !EvalCond(c.children[0], values);
    case Cond::Kind::kAnd:
      return std::all_of(c.children.begin(), c.children.end(),
                         [&](const Cond& x) { return EvalCond(x, values); });
    case Cond::Kind::kOr:
      return std::any_of(c.children.begin(), c.children.end(),
                         [&](const Cond& x) { return EvalCond(x, values); });
    case Cond::Kind::kOneOf:
    case Cond::Kind::kAllOf: {
      bool all = c.kind == Cond::Kind::kAllOf;
      for (const auto& [name, value] : values) {
        if (!Glob(c.name, name)) continue;
        if (all && !value) return false;
        if (!all && value) return true;
      }
      return all;
    }
  }
  return false;
}

}  // namespace

bool EvalIr(const SigmaExpr& expr, const std::vector<ir::SigmaSelection>& selections,
            uint64_t event) {
  switch (expr.kind) {
    case SigmaExpr::Kind::kAnd:
      return std::all_of(expr.children.begin(), expr.children.end(),
                         [&](const ir::SigmaExprPtr& c) { return EvalIr(*c, selections, event); });
    case SigmaExpr::Kind::kOr:
      return std::any_of(expr.children.begin(), expr.children.end(),
                         [&](const ir::SigmaExprPtr& c) { return EvalIr(*c, selections, event); });
    case SigmaExpr::Kind::kNot:
      return !EvalIr(*expr.children[0], selections, event);
    case SigmaExpr::Kind::kSelection:
      return EvalIr(*selections[expr.selection].expr, selections, event);
    case SigmaExpr::Kind::kMatch:
      return EvalIrMatch(expr, event);
  }
  return false;
}

bool EvalSigma(const YAML::Node& detection, uint64_t event) {
  std::map<std::string, bool> values;
  for (const auto& kv : detection) {
    const std::string name = kv.first.Scalar();
    if (name == "condition" || name == "rules") continue;
    values[name] = EvalIdentifier(kv.second, event);
  }
  std::optional<Cond> cond = CondParser(detection["condition"].Scalar()).Parse();
  if (!cond) {
    ADD_FAILURE() << "condition does not parse: " << detection["condition"].Scalar();
    return false;
  }
  return EvalCond(*cond, values);
}

}  // namespace ward::sigma_test
