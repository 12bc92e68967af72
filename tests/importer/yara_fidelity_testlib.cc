#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>
#include <set>

#include "backends/yara/libyara_check.h"
#include "backends/yara/yara_backend.h"
#include "compiler/driver/import_run.h"
#include "compiler/yara_import/yara_reader.h"
#include "tests/importer/importer_testlib.h"
#include "tests/importer/yara_fidelity.h"

namespace ward::importer_test {
namespace {

namespace fs = std::filesystem;
using backends::yara::CompileRules;

void HexBytes(const std::vector<ir::HexItem>& items, std::string& out) {
  for (const ir::HexItem& item : items) {
    switch (item.kind) {
      case ir::HexItem::Kind::kByte:
        out += static_cast<char>(item.value & item.mask);
        break;
      case ir::HexItem::Kind::kJump:
        out.append(item.jump_low.value_or(0), '\0');
        break;
      case ir::HexItem::Kind::kAlternation:
        if (!item.alternatives.empty()) HexBytes(item.alternatives[0], out);
        break;
    }
  }
}

std::string Wide(const std::string& s) {
  std::string out;
  for (char c : s) {
    out += c;
    out += '\0';
  }
  return out;
}

std::string Base64(const std::string& s) {
  static const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < s.size(); i += 3) {
    uint32_t v = (uint8_t(s[i]) << 16) | (uint8_t(s[i + 1]) << 8) | uint8_t(s[i + 2]);
    for (int k = 3; k >= 0; --k) out += kAlphabet[(v >> (6 * k)) & 63];
  }
  return out;
}

// Example bytes for each string of a rule: what the string itself spells.
std::vector<std::string> Examples(const ir::YaraLogic& logic) {
  std::vector<std::string> out;
  for (const ir::YaraString& s : logic.strings) {
    std::string bytes;
    if (s.kind == ir::YaraString::Kind::kText) bytes = s.text;
    if (s.kind == ir::YaraString::Kind::kHex) HexBytes(s.hex, bytes);
    if (s.kind == ir::YaraString::Kind::kRegex) {
      // The literal characters of the pattern, a rough example.
      for (size_t i = 0; i < s.text.size(); ++i) {
        char c = s.text[i];
        if (c == '\\' && i + 1 < s.text.size()) {
          char n = s.text[++i];
          if (n == 'n')
            bytes += '\n';
          else if (n == 't')
            bytes += '\t';
          else if (!std::isalnum(static_cast<unsigned char>(n)))
            bytes += n;
          continue;
        }
        if (std::isalnum(static_cast<unsigned char>(c)) || c == ' ' || c == '_' || c == '-')
          bytes += c;
      }
    }
    if (bytes.empty()) continue;
    if (s.modifiers.wide && !s.modifiers.ascii) bytes = Wide(bytes);
    if (s.modifiers.base64 || s.modifiers.base64wide) bytes = Base64("xx" + bytes + "xx");
    out.push_back(bytes);
  }
  return out;
}

}  // namespace

YaraFidelity MeasureYaraFidelity(const std::vector<std::string>& paths) {
  YaraFidelity result;
  SourceManager sources;
  DiagnosticEngine diags;
  driver::ImportResult imported = driver::ImportYara(paths, sources, diags);
  result.files = imported.stats.files;
  result.rules = imported.stats.rules;
  result.imported = imported.stats.imported;
  result.refused = imported.stats.refused;
  result.warned = imported.stats.warned;
  for (const driver::ImportedRule& r : imported.rules) {
    if (r.refused)
      result.refusals.push_back(r.source_path + ": " + r.original_name + ": " + r.reason);
  }

  // The rebuilt side: the imported Ward through the frontend and the backend.
  std::vector<std::pair<std::string, std::string>> ward_files(imported.out.files().begin(),
                                                              imported.out.files().end());
  Frontend rebuilt(ward_files);
  result.errors = rebuilt.Errors();
  if (!rebuilt.program) return result;
  DiagnosticEngine gen_diags;
  backends::yara::GenerateOptions options;
  options.build_date = "2000-01-01";
  auto generated = backends::yara::GenerateRules(*rebuilt.program, options, gen_diags);
  if (!generated) {
    result.errors += "the YARA backend failed\n";
    return result;
  }
  std::map<std::string, std::string> rebuilt_name;  // Ward qualified name -> rebuilt rule
  std::map<std::string, std::string> package_text;  // package -> rebuilt text
  for (const auto& [d, name] : generated->rule_names) rebuilt_name[d->qualified_name()] = name;
  for (size_t i = 0; i < generated->paths.size(); ++i) {
    std::string package = generated->paths[i];
    if (package.ends_with(".yar")) package.resize(package.size() - 4);
    package_text[package] = generated->texts[i];
  }
  // Ward packages each rebuilt package needs (its `import` lines).
  std::map<std::string, std::vector<std::string>> package_deps;
  for (const auto& [path, text] : ward_files) {
    std::string package;
    size_t pos = 0;
    while (pos < text.size()) {
      size_t end = text.find('\n', pos);
      std::string line = text.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
      if (line.starts_with("package ")) package = line.substr(8);
      if (line.starts_with("import ")) package_deps[package].push_back(line.substr(7));
      if (end == std::string::npos) break;
      pos = end + 1;
    }
  }

  // Samples: every rule's strings alone and together, plus a few generic files.
  std::vector<std::string> samples = {"", std::string("MZ") + std::string(510, '\0'),
                                      "hello world\n", std::string(4096, 'A')};
  struct Original {
    std::string path, yara_name, ward_name;
    bool is_private;
  };
  std::map<std::string, std::vector<Original>> by_file;
  for (const driver::ImportedRule& r : imported.rules) {
    if (r.refused) continue;
    by_file[r.source_path].push_back({r.source_path, r.original_name, r.qualified_name, false});
  }
  for (const auto& d : rebuilt.program->detections) {
    const auto* logic = d->As<ir::YaraLogic>();
    if (!logic) continue;
    std::vector<std::string> ex = Examples(*logic);
    std::string all;
    for (const std::string& e : ex) {
      all += e + "\n";
      if (samples.size() < 20000) samples.push_back(e);
    }
    if (!all.empty()) {
      samples.push_back(all);
      samples.push_back(std::string("MZ") + std::string(62, '\0') + all);
    }
  }
  std::sort(samples.begin(), samples.end());
  samples.erase(std::unique(samples.begin(), samples.end()), samples.end());
  result.samples = samples.size();

  std::map<std::string, bool> private_rule;
  for (const auto& d : rebuilt.program->detections) {
    if (const auto* logic = d->As<ir::YaraLogic>())
      private_rule[d->qualified_name()] = logic->is_private;
  }

  for (const auto& [path, originals] : by_file) {
    // The original, compiled the way the importer checked it (includes as
    // earlier chunks), and the rebuilt package with the packages it needs.
    SourceManager sm;
    std::vector<std::string> texts;
    std::vector<std::string> include_order;
    std::function<void(const std::string&)> add = [&](const std::string& file) {
      FileId id = sm.Add(file, ReadFile(file));
      const SourceFile& sf = *sm.Get(id);
      std::string text(sf.text());
      for (const auto& [target, span] : yara_import::ListIncludes(sf)) {
        add((fs::path(file).parent_path() / target).lexically_normal().string());
        for (uint32_t i = span.begin; i < span.end; ++i) text[i] = ' ';
      }
      texts.push_back(text);
    };
    add(path);
    std::vector<std::string_view> chunks(texts.begin(), texts.end());
    auto original = CompileRules(chunks);
    std::string package =
        originals.front().ward_name.substr(0, originals.front().ward_name.rfind('.'));
    std::vector<std::string> rebuilt_texts;
    std::set<std::string> seen;
    std::function<void(const std::string&)> add_package = [&](const std::string& p) {
      if (!seen.insert(p).second) return;
      for (const std::string& dep : package_deps[p]) add_package(dep);
      rebuilt_texts.push_back(package_text[p]);
    };
    add_package(package);
    std::vector<std::string_view> rebuilt_chunks(rebuilt_texts.begin(), rebuilt_texts.end());
    auto again = CompileRules(rebuilt_chunks);
    if (!original.ok() || !again.ok()) {
      result.errors += fmt::format(
          "{}: original compiles: {}, rebuilt compiles: {}{}\n", path, original.ok(), again.ok(),
          again.messages.empty() ? "" : " (" + again.messages[0].text + ")");
      continue;
    }
    std::map<std::string, std::string> to_original;  // rebuilt name -> yara name
    for (const Original& o : originals) to_original[rebuilt_name[o.ward_name]] = o.yara_name;
    std::map<std::string, std::set<size_t>> original_hits, rebuilt_hits;
    for (size_t i = 0; i < samples.size(); ++i) {
      for (const std::string& name : backends::yara::ScanBytes(*original.rules, samples[i])) {
        original_hits[name].insert(i);
        ++result.matches;
      }
      for (const std::string& name : backends::yara::ScanBytes(*again.rules, samples[i])) {
        auto it = to_original.find(name);
        if (it != to_original.end()) rebuilt_hits[it->second].insert(i);
      }
    }
    for (const Original& o : originals) {
      if (private_rule[o.ward_name]) continue;
      ++result.compared;
      if (original_hits[o.yara_name] == rebuilt_hits[o.yara_name]) {
        ++result.same_verdict;
      } else {
        result.differences.push_back(
            fmt::format("{}: {}: original matches {} samples, rebuilt {}", path, o.yara_name,
                        original_hits[o.yara_name].size(), rebuilt_hits[o.yara_name].size()));
      }
    }
  }
  return result;
}

}  // namespace ward::importer_test
