#include "compiler/import/sigma_reader.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <exception>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "compiler/import/sigma_detection_reader.h"
#include "compiler/import/sigma_metadata_reader.h"
#include "compiler/import/sigma_yaml.h"

namespace ward::import {

const char* SigmaDocumentKindName(SigmaDocumentKind kind) {
  switch (kind) {
    case SigmaDocumentKind::kRule: return "rule";
    case SigmaDocumentKind::kCorrelation: return "correlation";
    case SigmaDocumentKind::kFilter: return "filter";
    case SigmaDocumentKind::kUnknown: return "document";
  }
  return "document";
}

size_t SigmaImport::imported_count() const {
  return static_cast<size_t>(std::count_if(documents.begin(), documents.end(),
                                           [](const SigmaDocumentReport& d) { return !d.refused; }));
}

size_t SigmaImport::refused_count() const { return documents.size() - imported_count(); }

namespace {

using Keys = std::set<std::string, std::less<>>;

const Keys& CommonKeys() {
  static const Keys kKeys = {"title",  "id",          "name",       "taxonomy", "status",
                             "description", "references", "author", "date", "modified",
                             "tags",   "license",     "fields",     "scope",    "level",
                             "falsepositives", "related", "logsource"};
  return kKeys;
}
const Keys& NotKept() {
  static const Keys kKeys = {"license", "fields", "scope"};
  return kKeys;
}

struct Reference {
  std::string text;  // a rule's `name` or `id`
  Span span;
};

struct PendingAlias {
  std::string alias;
  std::vector<std::pair<Reference, std::string>> fields;
};

struct Document {
  SigmaDocumentReport report;
  std::unique_ptr<ir::Detection> detection;  // rule or correlation
  std::unique_ptr<ir::Filter> filter;
  std::string sigma_name;
  std::string id;                // the document's `id`, kept when it is refused
  std::vector<Reference> rules;  // correlation or filter `rules:`
  std::vector<PendingAlias> aliases;
};

// Ward's identifier alphabet: lowercase letters, digits and `_`, not starting
// with a digit.
std::string WardName(std::string_view text) {
  std::string out;
  for (char c : text) {
    unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u)) {
      out += static_cast<char>(std::tolower(u));
    } else if (!out.empty() && out.back() != '_') {
      out += '_';
    }
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  if (out.empty()) out = "rule";
  if (std::isdigit(static_cast<unsigned char>(out[0]))) out = "r_" + out;
  return out;
}

std::string FileStem(std::string_view path) {
  size_t slash = path.find_last_of("/\\");
  std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  size_t dot = name.rfind('.');
  return std::string(dot == std::string_view::npos || dot == 0 ? name : name.substr(0, dot));
}

bool ParseTimespan(std::string_view text, uint64_t& seconds) {
  if (text.size() < 2) return false;
  uint64_t unit = 0;
  switch (text.back()) {
    case 's': unit = 1; break;
    case 'm': unit = 60; break;
    case 'h': unit = 3600; break;
    case 'd': unit = 86400; break;
    default: return false;
  }
  uint64_t value = 0;
  for (char c : text.substr(0, text.size() - 1)) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    value = value * 10 + static_cast<uint64_t>(c - '0');
    if (value > 1'000'000'000ULL) return false;
  }
  seconds = value * unit;
  return value > 0;
}

}  // namespace

struct SigmaReader::State {
  SourceManager& sources;
  DiagnosticEngine& diags;
  SigmaReaderOptions options;
  std::vector<Document> docs;
  std::set<std::string> names;

  State(SourceManager& s, DiagnosticEngine& d, SigmaReaderOptions o)
      : sources(s), diags(d), options(std::move(o)) {}

  std::string UniqueName(std::string base) {
    std::string name = base;
    for (int i = 2; names.count(name); ++i) name = fmt::format("{}_{}", base, i);
    names.insert(name);
    return name;
  }

  void Error(DiagCode code, Span span, std::string message, std::string help) {
    diags.Report(Diag(code, span, std::move(message)).Help(std::move(help)));
  }

  void ReadFile(FileId id) {
    const SourceFile* source = sources.Get(id);
    if (source == nullptr) return;
    YamlFile file(id, source->text());
    std::optional<std::vector<YAML::Node>> yaml = LoadYamlDocuments(file, diags);
    if (!yaml) {
      // The whole file is refused: report it as one document.
      Document doc;
      doc.report.file = id;
      doc.report.refused = true;
      doc.report.reason = "invalid YAML";
      for (auto it = diags.diagnostics().rbegin(); it != diags.diagnostics().rend(); ++it) {
        if (it->primary.span.file == id && it->code == DiagCode::kSigmaInvalidYaml) {
          doc.report.reason = it->message;
          doc.report.span = it->primary.span;
          break;
        }
      }
      docs.push_back(std::move(doc));
      return;
    }
    std::vector<const YAML::Node*> present;
    for (const YAML::Node& node : *yaml) {
      if (node.IsNull()) continue;  // an empty document, e.g. after a final `---`
      present.push_back(&node);
    }
    std::string stem = WardName(FileStem(source->path()));
    for (size_t i = 0; i < present.size(); ++i) {
      std::string fallback = present.size() == 1 ? stem : fmt::format("{}_{}", stem, i + 1);
      ReadDocument(file, *present[i], i, fallback);
    }
  }

  void ReadDocument(const YamlFile& file, const YAML::Node& node, size_t index,
                    const std::string& fallback_name) {
    Document doc;
    doc.report.file = file.id();
    doc.report.index = index;
    size_t errors_before = diags.error_count();
    size_t warnings_before = diags.warning_count();
    size_t diag_index = diags.diagnostics().size();
    try {
      ReadDocumentBody(file, node, fallback_name, doc);
    } catch (const std::exception& e) {
      Error(DiagCode::kSigmaInvalidStructure, doc.report.span.valid() ? doc.report.span
                                                                       : Span{file.id(), 0, 0},
            fmt::format("the document could not be read: {}", e.what()),
            "check that the document follows the Sigma specification's structure");
    }
    doc.report.warnings = diags.warning_count() - warnings_before;
    if (diags.error_count() > errors_before) {
      doc.report.refused = true;
      const auto& all = diags.diagnostics();
      for (size_t i = diag_index; i < all.size(); ++i) {
        if (all[i].severity == Severity::kError) {
          doc.report.reason = all[i].message;
          break;
        }
      }
      if (doc.report.reason.empty()) doc.report.reason = "errors were reported";
      doc.detection.reset();
      doc.filter.reset();
    }
    docs.push_back(std::move(doc));
  }

  void ReadDocumentBody(const YamlFile& file, const YAML::Node& node,
                        const std::string& fallback_name, Document& doc) {
    doc.report.span = file.Of(node, Span{file.id(), 0, 0});
    if (!node.IsMap()) {
      Error(DiagCode::kSigmaInvalidStructure, doc.report.span,
            fmt::format("a Sigma document is a mapping of keys such as `title` and "
                        "`detection`, not {}",
                        NodeKindName(node)),
            "start the document with `title:` at the beginning of a line");
      return;
    }
    MetadataReader meta(file, node, diags);
    doc.report.span = meta.DocumentSpan();
    bool is_correlation = node["correlation"].IsDefined();
    bool is_filter = node["filter"].IsDefined();
    bool is_rule = node["detection"].IsDefined();
    if (is_correlation + is_filter + is_rule != 1) {
      Error(DiagCode::kSigmaInvalidStructure, doc.report.span,
            is_correlation + is_filter + is_rule == 0
                ? std::string("the document is not a Sigma rule, correlation or filter: it has "
                              "no `detection`, `correlation` or `filter`")
                : std::string("the document has more than one of `detection`, `correlation` "
                              "and `filter`"),
            "a rule has `detection:`, a correlation `correlation:` and a meta filter "
            "`filter:`; put each in its own document, separated by `---`");
      return;
    }
    doc.report.kind = is_rule          ? SigmaDocumentKind::kRule
                      : is_correlation ? SigmaDocumentKind::kCorrelation
                                       : SigmaDocumentKind::kFilter;
    doc.sigma_name = meta.Text("name");
    std::string ward_name =
        UniqueName(doc.sigma_name.empty() ? fallback_name : WardName(doc.sigma_name));
    if (is_filter) {
      ReadFilter(file, node, meta, ward_name, doc);
    } else {
      ReadRuleOrCorrelation(file, node, meta, ward_name, is_correlation, doc);
    }
  }

  void ReadRuleOrCorrelation(const YamlFile& file, const YAML::Node& node, MetadataReader& meta,
                             const std::string& name, bool is_correlation, Document& doc) {
    auto detection = std::make_unique<ir::Detection>();
    detection->package = options.package;
    detection->name = name;
    detection->span = doc.report.span;
    detection->name_span = doc.report.span;
    detection->detection_kind = "sigma";
    meta.Meta(detection->meta, detection->id);
    meta.RuleFields(*detection);
    doc.id = detection->id.value_or("");
    doc.report.title = detection->meta.title;
    auto logic = std::make_unique<ir::SigmaLogic>();
    logic->taxonomy = meta.Text("taxonomy");
    Keys known = CommonKeys();
    if (is_correlation) {
      known.insert({"correlation", "generate"});
      meta.Logsource(logic->logsource, /*required=*/false);
      logic->correlation = ReadCorrelation(file, node, doc);
    } else {
      known.insert("detection");
      meta.Logsource(logic->logsource, /*required=*/true);
      YAML::Node key;
      for (auto it = node.begin(); it != node.end(); ++it) {
        if (it->first.Scalar() == "detection") key = it->first;
      }
      ReadDetectionSection(file, key, node["detection"], {}, diags, logic->selections,
                           logic->condition);
    }
    meta.WarnUnkeptFields(known, NotKept());
    detection->logic = std::move(logic);
    doc.detection = std::move(detection);
  }

  ir::Correlation ReadCorrelation(const YamlFile& file, const YAML::Node& node, Document& doc) {
    ir::Correlation corr;
    YAML::Node section = node["correlation"];
    Span where = file.Of(section, doc.report.span);
    if (!section.IsMap()) {
      Error(DiagCode::kSigmaInvalidStructure, where, "`correlation` must be a mapping",
            "indent `type`, `rules`, `group-by`, `timespan` and `condition` under it");
      return corr;
    }
    auto text = [&](const char* key) -> std::string {
      YAML::Node v = section[key];
      if (!v.IsDefined() || v.IsNull()) return {};
      if (!v.IsScalar()) {
        Error(DiagCode::kSigmaInvalidStructure, file.Of(v, where),
              fmt::format("`correlation.{}` must be text, not {}", key, NodeKindName(v)),
              "give a single value");
        return {};
      }
      return v.Scalar();
    };
    auto list = [&](const char* key) -> std::vector<std::pair<std::string, Span>> {
      std::vector<std::pair<std::string, Span>> out;
      YAML::Node v = section[key];
      if (!v.IsDefined() || v.IsNull()) return out;
      if (v.IsScalar()) {
        out.emplace_back(v.Scalar(), file.Of(v));
        return out;
      }
      if (!v.IsSequence()) {
        Error(DiagCode::kSigmaInvalidStructure, file.Of(v, where),
              fmt::format("`correlation.{}` must be a list", key), "write one `- entry` per line");
        return out;
      }
      for (const YAML::Node& item : v) {
        if (!item.IsScalar()) {
          Error(DiagCode::kSigmaInvalidStructure, file.Of(item, where),
                fmt::format("an entry of `correlation.{}` must be text", key),
                "give a rule name or ID, or a field name");
          continue;
        }
        out.emplace_back(item.Scalar(), file.Of(item));
      }
      return out;
    };
    static const Keys kKnown = {"type",      "rules",    "aliases",  "group-by",
                                "timespan",  "condition", "generate"};
    for (auto it = section.begin(); it != section.end(); ++it) {
      if (!kKnown.count(it->first.Scalar())) {
        Error(DiagCode::kSigmaInvalidStructure, file.Of(it->first),
              fmt::format("`correlation.{}` is not part of a Sigma correlation",
                          it->first.Scalar()),
              "a correlation has type, rules, aliases, group-by, timespan, condition and "
              "generate");
      }
    }
    corr.type = text("type");
    static const Keys kTypes = {"event_count", "value_count", "temporal", "temporal_ordered",
                                "value_sum",   "value_avg",   "value_percentile"};
    if (corr.type.empty()) {
      Error(DiagCode::kSigmaInvalidStructure, where, "the correlation has no `type`",
            "add `type:` (event_count, value_count, temporal, temporal_ordered, value_sum, "
            "value_avg or value_percentile)");
    } else if (!kTypes.count(corr.type)) {
      Error(DiagCode::kSigmaInvalidMetadata, file.Of(section["type"]),
            fmt::format("`{}` is not a Sigma correlation type", corr.type),
            "use event_count, value_count, temporal, temporal_ordered, value_sum, value_avg or "
            "value_percentile");
    }
    for (auto& [rule, span] : list("rules")) doc.rules.push_back({rule, span});
    if (doc.rules.empty()) {
      Error(DiagCode::kSigmaInvalidStructure, where, "the correlation has no `rules`",
            "list the `name` or `id` of each rule it correlates under `rules:`");
    }
    for (auto& [field, span] : list("group-by")) corr.group_by.push_back(field);
    corr.timespan = text("timespan");
    if (corr.timespan.empty()) {
      Error(DiagCode::kSigmaInvalidStructure, where, "the correlation has no `timespan`",
            "add `timespan:` such as `5m`");
    } else if (!ParseTimespan(corr.timespan, corr.timespan_seconds)) {
      Error(DiagCode::kSigmaInvalidMetadata, file.Of(section["timespan"]),
            fmt::format("`timespan: {}` is not a number followed by s, m, h or d",
                        corr.timespan),
            "write the timespan like `30s`, `10m`, `1h` or `7d`");
    }
    YAML::Node aliases = section["aliases"];
    if (aliases.IsDefined() && !aliases.IsNull()) {
      if (!aliases.IsMap()) {
        Error(DiagCode::kSigmaInvalidStructure, file.Of(aliases, where),
              "`aliases` must map each alias to a mapping of rule names to fields",
              "write `aliases: {alias: {rule_a: field_a, rule_b: field_b}}`");
      } else {
        for (auto it = aliases.begin(); it != aliases.end(); ++it) {
          PendingAlias alias;
          alias.alias = it->first.Scalar();
          if (!it->second.IsMap()) {
            Error(DiagCode::kSigmaInvalidStructure, file.Of(it->second, file.Of(it->first)),
                  fmt::format("alias `{}` must map rule names to fields", alias.alias),
                  "write `rule_name: field` lines under the alias");
            continue;
          }
          for (auto f = it->second.begin(); f != it->second.end(); ++f) {
            if (!f->second.IsScalar()) {
              Error(DiagCode::kSigmaInvalidStructure, file.Of(f->second, file.Of(f->first)),
                    "an alias maps a rule to one field name", "write `rule_name: field`");
              continue;
            }
            alias.fields.emplace_back(Reference{f->first.Scalar(), file.Of(f->first)},
                                      f->second.Scalar());
          }
          doc.aliases.push_back(std::move(alias));
        }
      }
    }
    ReadThresholds(file, section, where, corr);
    YAML::Node generate = section["generate"];
    if (!generate.IsDefined()) generate = node["generate"];
    if (generate.IsDefined() && !generate.IsNull()) {
      Scalar s = ResolveScalar(generate);
      if (s.type != Scalar::Type::kBool) {
        Error(DiagCode::kSigmaInvalidMetadata, file.Of(generate, where),
              "`generate` must be `true` or `false`", "write `generate: true`");
      } else {
        corr.generate = s.boolean;
      }
    }
    bool temporal = corr.type == "temporal" || corr.type == "temporal_ordered";
    if (corr.condition.empty() && !temporal && kTypes.count(corr.type)) {
      Error(DiagCode::kSigmaInvalidStructure, where,
            fmt::format("a `{}` correlation needs a `condition` such as `gte: 10`", corr.type),
            "add `condition:` with a threshold");
    }
    if (corr.type.rfind("value_", 0) == 0 && corr.condition_field.empty()) {
      Error(DiagCode::kSigmaInvalidStructure, where,
            fmt::format("a `{}` correlation needs `condition.field`", corr.type),
            "name the field it aggregates under `condition: {field: ...}`");
    }
    return corr;
  }

  void ReadThresholds(const YamlFile& file, const YAML::Node& section, Span where,
                      ir::Correlation& corr) {
    YAML::Node condition = section["condition"];
    if (!condition.IsDefined() || condition.IsNull()) return;
    if (!condition.IsMap()) {
      Error(DiagCode::kSigmaInvalidStructure, file.Of(condition, where),
            "`correlation.condition` must be a mapping such as `{gte: 10}`",
            "write operators (gt, gte, lt, lte, eq, neq) with numbers, and `field` for value_* "
            "types");
      return;
    }
    static const Keys kOps = {"gt", "gte", "lt", "lte", "eq", "neq"};
    for (auto it = condition.begin(); it != condition.end(); ++it) {
      const std::string& key = it->first.Scalar();
      Span span = file.Of(it->second, file.Of(it->first));
      if (key == "field") {
        if (!it->second.IsScalar()) {
          Error(DiagCode::kSigmaInvalidStructure, span,
                "`condition.field` must name one field",
                "Ward correlations aggregate one field; give a single field name");
          continue;
        }
        corr.condition_field = it->second.Scalar();
        continue;
      }
      if (key == "percentile") {
        Scalar s = ResolveScalar(it->second);
        if (s.type != Scalar::Type::kInteger || s.integer < 0 || s.integer > 100) {
          Error(DiagCode::kSigmaInvalidMetadata, span, "`percentile` is a whole number from 0 to 100",
                "write e.g. `percentile: 95`");
          continue;
        }
        corr.percentile = s.integer;
        continue;
      }
      if (!kOps.count(key)) {
        Error(DiagCode::kSigmaInvalidStructure, file.Of(it->first),
              fmt::format("`{}` is not a correlation condition operator", key),
              "use gt, gte, lt, lte, eq or neq");
        continue;
      }
      Scalar s = ResolveScalar(it->second);
      ir::CorrelationThreshold threshold;
      threshold.op = key;
      if (s.type == Scalar::Type::kInteger && !s.out_of_range) {
        threshold.value = static_cast<double>(s.integer);
        threshold.is_integer = true;
      } else if (s.type == Scalar::Type::kFloat && std::isfinite(s.real)) {
        threshold.value = s.real;
        threshold.is_integer = false;
      } else {
        Error(DiagCode::kSigmaInvalidMetadata, span,
              fmt::format("the threshold of `{}` must be a number", key),
              "write e.g. `gte: 10`");
        continue;
      }
      corr.condition.push_back(threshold);
    }
  }

  void ReadFilter(const YamlFile& file, const YAML::Node& node, MetadataReader& meta,
                  const std::string& name, Document& doc) {
    auto filter = std::make_unique<ir::Filter>();
    filter->package = options.package;
    filter->name = name;
    filter->span = doc.report.span;
    filter->name_span = doc.report.span;
    meta.Meta(filter->meta, filter->id);
    doc.report.title = filter->meta.title;
    meta.Logsource(filter->logsource, /*required=*/true);
    YAML::Node key;
    for (auto it = node.begin(); it != node.end(); ++it) {
      if (it->first.Scalar() == "filter") key = it->first;
    }
    YAML::Node section = node["filter"];
    if (section.IsMap()) {
      YAML::Node rules = section["rules"];
      Span where = file.Of(key);
      if (!rules.IsDefined() || rules.IsNull()) {
        Error(DiagCode::kSigmaInvalidStructure, where, "the filter has no `rules`",
              "list the IDs or names of the rules it applies to, or write `rules: any`");
      } else if (rules.IsScalar() && rules.Scalar() == "any") {
        filter->applies_to_any = true;
      } else if (rules.IsScalar()) {
        doc.rules.push_back({rules.Scalar(), file.Of(rules)});
      } else if (rules.IsSequence()) {
        for (const YAML::Node& item : rules) {
          if (!item.IsScalar()) {
            Error(DiagCode::kSigmaInvalidStructure, file.Of(item, where),
                  "an entry of `filter.rules` must be a rule ID or name",
                  "give one rule ID per line");
            continue;
          }
          doc.rules.push_back({item.Scalar(), file.Of(item)});
        }
      } else {
        Error(DiagCode::kSigmaInvalidStructure, file.Of(rules, where),
              "`filter.rules` must be a list of rule IDs or `any`",
              "give one rule ID per line, or write `rules: any`");
      }
    }
    ReadDetectionSection(file, key, section, {"rules"}, diags, filter->selections,
                         filter->condition);
    Keys known = CommonKeys();
    known.insert("filter");
    meta.WarnUnkeptFields(known, NotKept());
    doc.filter = std::move(filter);
  }

  // ---- references between documents ----
  void Link() {
    std::map<std::string, size_t> by_name, by_id;
    for (size_t i = 0; i < docs.size(); ++i) {
      const Document& doc = docs[i];
      if (doc.report.kind != SigmaDocumentKind::kRule &&
          doc.report.kind != SigmaDocumentKind::kCorrelation) {
        continue;
      }
      if (!doc.sigma_name.empty()) by_name.emplace(doc.sigma_name, i);
      if (!doc.id.empty()) by_id.emplace(doc.id, i);
    }
    auto find = [&](const std::string& ref) -> std::optional<size_t> {
      auto it = by_name.find(ref);
      if (it != by_name.end()) return it->second;
      it = by_id.find(ref);
      if (it != by_id.end()) return it->second;
      return std::nullopt;
    };
    // A correlation is refused when one of its rules is missing or refused;
    // repeat until no more refusals spread along chains of correlations.
    auto check = [&](Document& doc, const Reference& ref) -> bool {
      std::optional<size_t> target = find(ref.text);
      bool ok = target && !docs[*target].report.refused;
      if (!ok) {
        auto diag = Diag(DiagCode::kSigmaUnresolvedRule, ref.span,
                         target ? fmt::format("`{}` names a rule that was refused", ref.text)
                                : fmt::format("`{}` names no rule that was read (by `name` or "
                                              "`id`)",
                                              ref.text));
        diag.Help(target ? "fix the rule's own errors first; this document is refused with it"
                         : "import the file that defines the rule in the same run, or correct "
                           "the name");
        diags.Report(std::move(diag));
        Refuse(doc, target ? "it refers to a refused rule" : "it refers to a rule that was "
                                                            "not read");
      }
      return ok;
    };
    bool changed = true;
    while (changed) {
      changed = false;
      for (Document& doc : docs) {
        if (doc.report.refused) continue;
        if (doc.report.kind != SigmaDocumentKind::kCorrelation &&
            doc.report.kind != SigmaDocumentKind::kFilter) {
          continue;
        }
        bool ok = true;
        for (const Reference& ref : doc.rules) ok = check(doc, ref) && ok;
        for (const PendingAlias& alias : doc.aliases) {
          for (const auto& [ref, field] : alias.fields) ok = ok && check(doc, ref);
        }
        if (!ok) changed = true;
      }
    }
    for (Document& doc : docs) {
      if (doc.report.refused) continue;
      if (doc.report.kind == SigmaDocumentKind::kCorrelation) {
        auto* logic = dynamic_cast<ir::SigmaLogic*>(doc.detection->logic.get());
        ir::Correlation& corr = *logic->correlation;
        for (const Reference& ref : doc.rules) {
          corr.rules.push_back(docs[*find(ref.text)].detection.get());
        }
        for (const PendingAlias& alias : doc.aliases) {
          auto& fields = corr.aliases[alias.alias];
          for (const auto& [ref, field] : alias.fields) {
            fields.emplace_back(docs[*find(ref.text)].detection.get(), field);
          }
        }
      } else if (doc.report.kind == SigmaDocumentKind::kFilter) {
        for (const Reference& ref : doc.rules) {
          doc.filter->rules.push_back(docs[*find(ref.text)].detection.get());
          doc.filter->rule_spans.push_back(ref.span);
        }
      }
    }
  }

  static void Refuse(Document& doc, std::string reason) {
    doc.report.refused = true;
    doc.report.reason = std::move(reason);
  }
};

SigmaReader::SigmaReader(SourceManager& sources, DiagnosticEngine& diags,
                         SigmaReaderOptions options)
    : state_(std::make_unique<State>(sources, diags, std::move(options))) {}

SigmaReader::~SigmaReader() = default;

void SigmaReader::Read(FileId file) { state_->ReadFile(file); }

FileId SigmaReader::ReadText(std::string path, std::string text) {
  FileId id = state_->sources.Add(std::move(path), std::move(text));
  Read(id);
  return id;
}

FileId SigmaReader::ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  if (in) buffer << in.rdbuf();
  if (!in || in.bad()) {
    state_->Error(DiagCode::kIoError, Span{}, fmt::format("cannot read `{}`", path),
                  "check that the file exists and is readable");
    return kNoFile;
  }
  return ReadText(path, buffer.str());
}

SigmaImport SigmaReader::Finish() {
  state_->Link();
  SigmaImport out;
  for (Document& doc : state_->docs) {
    if (doc.report.refused) {
      doc.report.entity = nullptr;
      out.documents.push_back(std::move(doc.report));
      continue;
    }
    if (doc.detection) {
      doc.report.entity = doc.detection.get();
      out.detections.push_back(std::move(doc.detection));
    } else if (doc.filter) {
      doc.report.entity = doc.filter.get();
      out.filters.push_back(std::move(doc.filter));
    }
    out.documents.push_back(std::move(doc.report));
  }
  // Refused documents' entities are dropped; a refused document never owns one
  // that another refers to (Link() refuses the referrers too).
  state_->docs.clear();
  return out;
}

std::unique_ptr<ir::Program> ToProgram(SigmaImport import, const std::string& namespace_uuid) {
  auto program = std::make_unique<ir::Program>();
  program->manifest.name = "sigma-import";
  program->manifest.namespace_uuid = namespace_uuid;
  program->detections = std::move(import.detections);
  program->filters = std::move(import.filters);
  auto by_name = [](const auto& a, const auto& b) {
    return a->qualified_name() < b->qualified_name();
  };
  std::sort(program->detections.begin(), program->detections.end(), by_name);
  std::sort(program->filters.begin(), program->filters.end(), by_name);
  for (const auto& d : program->detections) program->by_name[d->qualified_name()] = d.get();
  for (const auto& f : program->filters) program->by_name[f->qualified_name()] = f.get();
  return program;
}

}  // namespace ward::import
