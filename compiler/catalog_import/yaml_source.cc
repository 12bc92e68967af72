#include "compiler/catalog_import/yaml_source.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include <fmt/format.h>

#include "compiler/support/text_util.h"

namespace ward::import {
namespace {

namespace fs = std::filesystem;

// Official distributions are a few MB (ATLAS.yaml is about 1.5 MB).
constexpr std::uintmax_t kMaxSourceBytes = 64u << 20;

// Nested prose lists deeper than this, or longer than kMaxTextBytes, are not
// titles: refuse them rather than walk an alias bomb.
constexpr int kMaxTextDepth = 4;
constexpr size_t kMaxTextBytes = 64 * 1024;

std::string ReadError(const fs::path& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return "no such file or directory";
  if (fs::is_directory(path, ec)) return "it is a directory, not a file";
  std::uintmax_t size = fs::file_size(path, ec);
  if (!ec && size > kMaxSourceBytes) {
    return fmt::format("it is {} bytes, more than the {} MiB limit", size, kMaxSourceBytes >> 20);
  }
  return "permission denied or unreadable";
}

bool AppendText(const YAML::Node& node, int depth, std::string& out) {
  if (node.IsNull()) return true;
  if (node.IsScalar()) {
    if (!out.empty()) out += ' ';
    out += node.Scalar();
    return out.size() <= kMaxTextBytes;
  }
  if (!node.IsSequence() || depth >= kMaxTextDepth) return false;
  for (const YAML::Node& item : node) {
    if (!AppendText(item, depth + 1, out)) return false;
  }
  return true;
}

}  // namespace

std::string_view DescribeNode(const YAML::Node& node) {
  if (!node.IsDefined() || node.IsNull()) return "nothing";
  if (node.IsMap()) return "a mapping";
  if (node.IsSequence()) return "a list";
  return "a single value";
}

std::optional<YamlDocument> YamlSource::Load(const std::string& path) {
  YamlDocument doc;
  doc.path = path;
  std::string text;
  bool readable = false;
  {
    std::error_code ec;
    const fs::path p(path);
    if (fs::is_regular_file(p, ec) && fs::file_size(p, ec) <= kMaxSourceBytes && !ec) {
      std::ifstream in(p, std::ios::binary);
      std::ostringstream buffer;
      buffer << in.rdbuf();
      if (in.good() || in.eof()) {
        text = buffer.str();
        readable = true;
      }
    }
  }
  if (!readable) {
    doc.file = sources_.Add(path, "");
    diags_.Report(Diag(DiagCode::kImportUnreadable, Span{doc.file, 0, 0},
                       fmt::format("cannot read `{}`: {}", path, ReadError(path)))
                      .Help("pass the path of a file of the official distribution"));
    return std::nullopt;
  }
  doc.file = sources_.Add(path, text);
  const std::string_view stored = sources_.Get(doc.file)->text();
  if (std::optional<size_t> bad = FindInvalidUtf8(stored)) {
    const auto at = static_cast<uint32_t>(*bad);
    diags_.Report(Diag(DiagCode::kImportNotYaml, Span{doc.file, at, at + 1},
                       fmt::format("`{}` is not valid UTF-8", path))
                      .Label("invalid byte")
                      .Help("the official distributions are UTF-8 YAML; check that this is the "
                            "right file and that it was downloaded completely"));
    return std::nullopt;
  }
  try {
    doc.root = YAML::Load(std::string(stored));
  } catch (const YAML::Exception& e) {
    Span span{doc.file, 0, 0};
    if (e.mark.pos >= 0) {
      const auto at = static_cast<uint32_t>(std::min<size_t>(e.mark.pos, stored.size()));
      span = Span{doc.file, at, std::min<uint32_t>(at + 1, static_cast<uint32_t>(stored.size()))};
    }
    diags_.Report(Diag(DiagCode::kImportNotYaml, span,
                       fmt::format("`{}` is not valid YAML: {}", path, e.msg))
                      .Label("the YAML parser stopped here")
                      .Help("pass the YAML file of the distribution, unmodified"));
    return std::nullopt;
  }
  return doc;
}

Span YamlSource::At(const YamlDocument& doc, const YAML::Node& node) const {
  const SourceFile* file = sources_.Get(doc.file);
  if (file == nullptr) return Span{doc.file, 0, 0};
  const std::string_view text = file->text();
  if (!node.IsDefined() || node.Mark().pos < 0) return Span{doc.file, 0, 0};
  const auto begin = static_cast<uint32_t>(std::min<size_t>(node.Mark().pos, text.size()));
  size_t end = begin;
  size_t limit = node.IsScalar() ? node.Scalar().size() : 1;
  while (end < text.size() && end - begin < std::max<size_t>(limit, 1) && text[end] != '\n' &&
         text[end] != '\r') {
    ++end;
  }
  return Span{doc.file, begin, static_cast<uint32_t>(std::max<size_t>(end, begin))};
}

bool YamlSource::ExpectMap(const YamlDocument& doc, const YAML::Node& node,
                           std::string_view what) {
  if (node.IsMap()) return true;
  diags_.Report(Diag(DiagCode::kImportBadStructure, At(doc, node),
                     fmt::format("{} should be a mapping of keys to values, found {}", what,
                                 DescribeNode(node)))
                    .Label("expected `key: value` lines here")
                    .Help("check that the file is the right one for this importer"));
  return false;
}

bool YamlSource::ExpectSequence(const YamlDocument& doc, const YAML::Node& node,
                                std::string_view what) {
  if (node.IsSequence()) return true;
  diags_.Report(Diag(DiagCode::kImportBadStructure, At(doc, node),
                     fmt::format("{} should be a list, found {}", what, DescribeNode(node)))
                    .Label("expected a list (`- item` lines) here")
                    .Help("check that the file is the right one for this importer"));
  return false;
}

YAML::Node YamlSource::Get(const YAML::Node& map, std::string_view key) {
  if (!map.IsMap()) return YAML::Node(YAML::NodeType::Undefined);
  for (const auto& item : map) {
    if (item.first.IsScalar() && item.first.Scalar() == key) return item.second;
  }
  return YAML::Node(YAML::NodeType::Undefined);
}

std::optional<std::string> YamlSource::RequiredString(const YamlDocument& doc,
                                                      const YAML::Node& map, std::string_view key,
                                                      std::string_view what) {
  YAML::Node value = Get(map, key);
  if (!value.IsDefined() || value.IsNull()) {
    diags_.Report(Diag(DiagCode::kImportBadStructure, At(doc, map),
                       fmt::format("{} has no `{}`", what, key))
                      .Label(fmt::format("`{}` missing in this mapping", key))
                      .Help(fmt::format("every such entry of the format has `{}: ...`", key)));
    return std::nullopt;
  }
  bool bad = false;
  std::optional<std::string> text = OptionalString(doc, map, key, what, &bad);
  return bad ? std::nullopt : text;
}

std::optional<std::string> YamlSource::OptionalString(const YamlDocument& doc,
                                                      const YAML::Node& map, std::string_view key,
                                                      std::string_view what, bool* bad) {
  YAML::Node value = Get(map, key);
  if (!value.IsDefined() || value.IsNull()) return std::nullopt;
  if (!value.IsScalar()) {
    diags_.Report(Diag(DiagCode::kImportBadStructure, At(doc, value),
                       fmt::format("`{}` of {} should be a single value, found {}", key, what,
                                   DescribeNode(value)))
                      .Label("expected a single value")
                      .Help(fmt::format("write `{}: value`", key)));
    if (bad) *bad = true;
    return std::nullopt;
  }
  return value.Scalar();
}

std::optional<std::vector<YamlSource::Item>> YamlSource::StringList(
    const YamlDocument& doc, const YAML::Node& map, std::string_view key, std::string_view what,
    const std::vector<std::string>& words) {
  std::vector<Item> out;
  YAML::Node value = Get(map, key);
  if (!value.IsDefined() || value.IsNull()) return out;
  if (value.IsScalar()) {
    for (const std::string& word : words) {
      if (value.Scalar() == word) {
        out.push_back({word, value});
        return out;
      }
    }
  }
  if (!value.IsSequence()) {
    std::string allowed;
    for (const std::string& word : words) allowed += fmt::format(" or `{}`", word);
    diags_.Report(Diag(DiagCode::kImportBadStructure, At(doc, value),
                       fmt::format("`{}` of {} should be a list of IDs{}, found {}", key, what,
                                   allowed, DescribeNode(value)))
                      .Label("expected a list")
                      .Help(fmt::format("write `{}: [ID, ...]`", key)));
    return std::nullopt;
  }
  bool ok = true;
  for (const YAML::Node& item : value) {
    if (!item.IsScalar()) {
      diags_.Report(Diag(DiagCode::kImportBadStructure, At(doc, item),
                         fmt::format("`{}` of {} should hold IDs, found {}", key, what,
                                     DescribeNode(item)))
                        .Label("expected an ID")
                        .Help("each item of the list is one ID"));
      ok = false;
      continue;
    }
    out.push_back({item.Scalar(), item});
  }
  if (!ok) return std::nullopt;
  return out;
}

std::optional<std::string> YamlSource::Text(const YamlDocument& doc, const YAML::Node& map,
                                            std::string_view key, std::string_view what) {
  YAML::Node value = Get(map, key);
  if (!value.IsDefined() || value.IsNull()) return std::string();
  std::string out;
  if (value.IsMap() || !AppendText(value, 0, out)) {
    diags_.Report(Diag(DiagCode::kImportBadStructure, At(doc, value),
                       fmt::format("`{}` of {} should be text (a string or a list of strings)",
                                   key, what))
                      .Label("expected text")
                      .Help(fmt::format("write `{}: text`", key)));
    return std::nullopt;
  }
  return out;
}

}  // namespace ward::import
