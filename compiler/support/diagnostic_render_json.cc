// Machine-readable rendering of diagnostics: Ward's own JSON and SARIF 2.1.0.

#include <algorithm>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "compiler/support/diagnostic_render.h"
#include "compiler/support/text_util.h"

namespace ward {
namespace {

using Json = nlohmann::ordered_json;

// nlohmann::json refuses to dump invalid UTF-8 (it throws), and messages or
// paths may quote raw bytes from a broken input file: replace each invalid
// byte with U+FFFD so that the output can always be written.
std::string Utf8(std::string_view text) {
  std::string out;
  while (std::optional<size_t> bad = FindInvalidUtf8(text)) {
    out.append(text.substr(0, *bad));
    out += "\xEF\xBF\xBD";
    text.remove_prefix(*bad + 1);
  }
  out.append(text);
  return out;
}

// The CamelCase catalogue names (SARIF reportingDescriptor.name), indexed by
// the enum value like Info().
constexpr std::string_view kDiagNames[] = {
#define WARD_DIAG(name, code, severity, group, summary) #name,
#include "compiler/support/diagnostic_codes.def"
#undef WARD_DIAG
};

std::string_view DiagName(DiagCode code) { return kDiagNames[static_cast<size_t>(code)]; }

// A span turned into lines and columns; `file` is null when the span points
// into no loaded file.
struct Resolved {
  const SourceFile* file = nullptr;
  Location begin;
  Location end;
};

Resolved Resolve(const SourceManager& sources, Span span) {
  Resolved out;
  out.file = sources.Get(span.file);
  if (out.file != nullptr) {
    out.begin = out.file->Locate(span.begin);
    out.end = out.file->Locate(std::max(span.begin, span.end));
  }
  return out;
}

// {file, line, column, end_line, end_column}, all null without a file.
void AddLocation(Json& obj, const Resolved& where) {
  if (where.file == nullptr) {
    for (const char* key : {"file", "line", "column", "end_line", "end_column"}) obj[key] = nullptr;
    return;
  }
  obj["file"] = Utf8(where.file->path());
  obj["line"] = where.begin.line;
  obj["column"] = where.begin.column;
  obj["end_line"] = where.end.line;
  obj["end_column"] = where.end.column;
}

Json OrNull(const std::string& text) { return text.empty() ? Json(nullptr) : Json(Utf8(text)); }

std::string_view SarifLevel(Severity severity) {
  switch (severity) {
    case Severity::kError:
      return "error";
    case Severity::kWarning:
      return "warning";
    case Severity::kNote:
      return "note";
  }
  return "error";
}

// ---- URIs ------------------------------------------------------------------------

// Percent-encodes everything but RFC 3986 unreserved characters and '/', so a
// relative path segment containing ':' cannot be read as a URI scheme.
std::string PercentEncode(std::string_view path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : path) {
    unsigned char c = static_cast<unsigned char>(ch);
    bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
    if (keep) {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0x0F];
    }
  }
  return out;
}

std::filesystem::path Absolute(const std::filesystem::path& path) {
  std::error_code ec;
  std::filesystem::path abs = std::filesystem::absolute(path, ec);
  return (ec ? path : abs).lexically_normal();
}

std::string FileUri(const std::filesystem::path& absolute) {
  std::string text = absolute.generic_string();
  if (text.empty() || text.front() != '/') text.insert(text.begin(), '/');
  return "file://" + PercentEncode(text);
}

class UriMaker {
 public:
  explicit UriMaker(std::string_view root_dir)
      : root_(root_dir.empty() ? std::filesystem::path(".") : std::filesystem::path(root_dir)) {}

  std::string RootUri() const {
    std::string uri = FileUri(Absolute(root_));
    if (uri.back() != '/') uri += '/';
    return uri;
  }

  // {"uri": ..., "uriBaseId": "SRCROOT"} for files under the root, an absolute
  // file URI otherwise.
  Json ArtifactLocation(const std::string& file_path) const {
    std::filesystem::path path(file_path);
    std::filesystem::path root = root_;
    if (path.is_absolute() != root.is_absolute()) {
      path = Absolute(path);
      root = Absolute(root);
    }
    std::filesystem::path rel = path.lexically_normal().lexically_relative(root.lexically_normal());
    Json loc;
    // Percent-encoding turns every byte, valid UTF-8 or not, into ASCII.
    if (rel.empty() || *rel.begin() == "..") {
      loc["uri"] = FileUri(Absolute(path));
    } else {
      loc["uri"] = PercentEncode(rel.generic_string());
      loc["uriBaseId"] = "SRCROOT";
    }
    return loc;
  }

 private:
  std::filesystem::path root_;
};

Json Region(const Resolved& where) {
  Json region;
  region["startLine"] = where.begin.line;
  region["startColumn"] = where.begin.column;
  region["endLine"] = where.end.line;
  region["endColumn"] = where.end.column;
  return region;
}

// First paragraph of an explanation, its lines joined with spaces.
std::string FirstParagraph(std::string_view text) {
  size_t end = text.find("\n\n");
  std::string_view para = text.substr(0, end);
  std::string out;
  for (char c : para) out += c == '\n' ? ' ' : c;
  return out;
}

Json ReportingDescriptor(const DiagInfo& info) {
  std::string_view explanation = Explanation(info.code);
  std::string full = FirstParagraph(explanation);
  Json rule;
  rule["id"] = info.id;
  rule["name"] = DiagName(info.code);
  rule["shortDescription"] = {{"text", info.summary}};
  rule["fullDescription"] = {{"text", full.empty() ? std::string(info.summary) : full}};
  rule["help"] = {{"text", explanation.empty() ? info.summary : explanation}};
  rule["defaultConfiguration"] = {{"level", SarifLevel(info.default_severity)}};
  rule["properties"] = {{"tags", Json::array({info.group})}};
  return rule;
}

}  // namespace

nlohmann::ordered_json RenderJson(const std::vector<Diagnostic>& diags,
                                  const SourceManager& sources) {
  Json out = Json::array();
  for (const Diagnostic& diag : diags) {
    Json obj;
    obj["code"] = Info(diag.code).id;
    obj["severity"] = SeverityName(diag.severity);
    obj["message"] = Utf8(diag.message);
    Resolved primary = Resolve(sources, diag.primary.span);
    AddLocation(obj, primary);
    if (primary.file != nullptr) {
      uint32_t size = static_cast<uint32_t>(primary.file->text().size());
      uint32_t begin = std::min(diag.primary.span.begin, size);
      uint32_t end = std::clamp(diag.primary.span.end, begin, size);
      obj["byte_offset"] = begin;
      obj["byte_length"] = end - begin;
    } else {
      obj["byte_offset"] = nullptr;
      obj["byte_length"] = nullptr;
    }
    obj["label"] = OrNull(diag.primary.message);
    Json secondary = Json::array();
    for (const Label& label : diag.secondary) {
      Json item;
      AddLocation(item, Resolve(sources, label.span));
      item["message"] = OrNull(label.message);
      secondary.push_back(std::move(item));
    }
    obj["secondary"] = std::move(secondary);
    Json notes = Json::array();
    for (const std::string& note : diag.notes) notes.push_back(Utf8(note));
    obj["notes"] = std::move(notes);
    obj["help"] = diag.help ? Json(Utf8(*diag.help)) : Json(nullptr);
    Json fixits = Json::array();
    for (const FixIt& fix : diag.fixits) {
      Json item;
      AddLocation(item, Resolve(sources, fix.span));
      item["replacement"] = Utf8(fix.replacement);
      fixits.push_back(std::move(item));
    }
    obj["fixits"] = std::move(fixits);
    out.push_back(std::move(obj));
  }
  return out;
}

nlohmann::ordered_json RenderSarif(const std::vector<Diagnostic>& diags,
                                   const SourceManager& sources, std::string_view tool_version,
                                   std::string_view root_dir) {
  UriMaker uris(root_dir);

  // Rules: one per code used, in catalogue order, so ruleIndex is stable for
  // a given set of codes whatever order the results come in.
  std::vector<bool> used(AllDiags().size(), false);
  for (const Diagnostic& diag : diags) used[static_cast<size_t>(diag.code)] = true;
  std::vector<int> rule_index(AllDiags().size(), -1);
  Json rules = Json::array();
  for (const DiagInfo& info : AllDiags()) {
    size_t i = static_cast<size_t>(info.code);
    if (!used[i]) continue;
    rule_index[i] = static_cast<int>(rules.size());
    rules.push_back(ReportingDescriptor(info));
  }

  Json results = Json::array();
  for (const Diagnostic& diag : diags) {
    Json result;
    result["ruleId"] = Info(diag.code).id;
    result["ruleIndex"] = rule_index[static_cast<size_t>(diag.code)];
    result["level"] = SarifLevel(diag.severity);
    std::string text = diag.message;
    if (diag.help) text += "\nhelp: " + *diag.help;
    result["message"] = {{"text", Utf8(text)}};

    Resolved primary = Resolve(sources, diag.primary.span);
    if (primary.file != nullptr) {
      Json location;
      location["physicalLocation"] = {
          {"artifactLocation", uris.ArtifactLocation(primary.file->path())},
          {"region", Region(primary)}};
      if (!diag.primary.message.empty()) {
        location["message"] = {{"text", Utf8(diag.primary.message)}};
      }
      result["locations"] = Json::array({std::move(location)});
    }

    Json related = Json::array();
    for (const Label& label : diag.secondary) {
      Resolved where = Resolve(sources, label.span);
      if (where.file == nullptr) continue;
      Json location;
      location["id"] = related.size();
      location["physicalLocation"] = {
          {"artifactLocation", uris.ArtifactLocation(where.file->path())},
          {"region", Region(where)}};
      if (!label.message.empty()) location["message"] = {{"text", Utf8(label.message)}};
      related.push_back(std::move(location));
    }
    if (!related.empty()) result["relatedLocations"] = std::move(related);

    // All fix-its of a diagnostic form one fix: one artifactChange per file,
    // in order of first mention.
    std::vector<const SourceFile*> files;
    std::vector<Json> replacements;
    for (const FixIt& fix : diag.fixits) {
      Resolved where = Resolve(sources, fix.span);
      if (where.file == nullptr) continue;
      auto it = std::find(files.begin(), files.end(), where.file);
      size_t slot = static_cast<size_t>(it - files.begin());
      if (it == files.end()) {
        files.push_back(where.file);
        replacements.push_back(Json::array());
      }
      replacements[slot].push_back({{"deletedRegion", Region(where)},
                                    {"insertedContent", {{"text", Utf8(fix.replacement)}}}});
    }
    if (!files.empty()) {
      Json changes = Json::array();
      for (size_t i = 0; i < files.size(); ++i) {
        changes.push_back({{"artifactLocation", uris.ArtifactLocation(files[i]->path())},
                           {"replacements", std::move(replacements[i])}});
      }
      Json fix;
      fix["description"] = {{"text", Utf8(diag.help ? *diag.help : diag.message)}};
      fix["artifactChanges"] = std::move(changes);
      result["fixes"] = Json::array({std::move(fix)});
    }
    results.push_back(std::move(result));
  }

  Json driver;
  driver["name"] = "ward";
  if (!tool_version.empty()) driver["version"] = tool_version;
  driver["rules"] = std::move(rules);

  Json run;
  run["tool"] = {{"driver", std::move(driver)}};
  run["originalUriBaseIds"] = {{"SRCROOT", {{"uri", uris.RootUri()}}}};
  // Ward counts columns in code points; SARIF's default is UTF-16 code units.
  run["columnKind"] = "unicodeCodePoints";
  run["results"] = std::move(results);

  Json log;
  log["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json";
  log["version"] = "2.1.0";
  log["runs"] = Json::array({std::move(run)});
  return log;
}

}  // namespace ward
