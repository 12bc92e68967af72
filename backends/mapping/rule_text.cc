#include "backends/mapping/rule_text.h"

#include <string_view>
#include <vector>

namespace ward::backends::mapping {
namespace {

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

std::string_view Unquote(std::string_view text) {
  if (text.size() >= 2 && (text.front() == '\'' || text.front() == '"') &&
      text.back() == text.front()) {
    return text.substr(1, text.size() - 2);
  }
  return text;
}

std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

bool IsRuleHeader(std::string_view line) {
  while (StartsWith(line, "private ") || StartsWith(line, "global ")) {
    line.remove_prefix(line.find(' ') + 1);
  }
  return StartsWith(line, "rule ");
}

void IndexSigma(const std::string& path, std::string_view text,
                std::map<std::string, EmittedRule>& index) {
  // Only top-level keys (no indentation): a correlation's `rules:` list or
  // `related:` entries also hold IDs, but never at column 0.
  for (std::string_view line : Lines(text)) {
    if (!StartsWith(line, "id:")) continue;
    std::string id(Unquote(Trim(line.substr(3))));
    index.try_emplace(EmittedRuleKey("sigma", id), EmittedRule{path, std::string(text)});
  }
}

void IndexYara(const std::string& path, std::string_view text,
               std::map<std::string, EmittedRule>& index) {
  std::vector<std::string_view> lines = Lines(text);
  std::string imports;
  for (std::string_view line : lines) {
    if (StartsWith(line, "import \"")) imports += std::string(line) + "\n";
  }
  size_t begin = lines.size();
  std::string id;
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string_view line = lines[i];
    if (IsRuleHeader(line)) {
      begin = i;
      id.clear();
    } else if (begin != lines.size() && StartsWith(Trim(line), "id = \"")) {
      std::string_view value = Trim(line);
      value.remove_prefix(5);
      id = std::string(Unquote(value));
    } else if (begin != lines.size() && line == "}") {
      if (!id.empty()) {
        std::string block = imports.empty() ? "" : imports + "\n";
        for (size_t j = begin; j <= i; ++j) block += std::string(lines[j]) + "\n";
        index.try_emplace(EmittedRuleKey("yara", id), EmittedRule{path, std::move(block)});
      }
      begin = lines.size();
    }
  }
}

}  // namespace

std::string EmittedRuleKey(const std::string& kind, const std::string& stable_id) {
  return kind + "/" + stable_id;
}

std::map<std::string, EmittedRule> IndexEmittedRules(const OutputSet& out) {
  std::map<std::string, EmittedRule> index;
  for (const auto& [path, text] : out.files()) {
    if (StartsWith(path, "sigma/") && (EndsWith(path, ".yml") || EndsWith(path, ".yaml"))) {
      IndexSigma(path, text, index);
    } else if (StartsWith(path, "yara/") && EndsWith(path, ".yar")) {
      IndexYara(path, text, index);
    }
  }
  return index;
}

}  // namespace ward::backends::mapping
