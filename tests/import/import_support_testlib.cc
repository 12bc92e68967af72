#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/import/import_test_support.h"

namespace ward::import_test {

bool ReadResult::Has(DiagCode code) const { return Count(code) > 0; }

size_t ReadResult::Count(DiagCode code) const {
  return static_cast<size_t>(std::count_if(diags.diagnostics().begin(), diags.diagnostics().end(),
                                           [&](const Diagnostic& d) { return d.code == code; }));
}

std::string ReadResult::Where(DiagCode code) const {
  for (const Diagnostic& d : diags.diagnostics()) {
    if (d.code != code) continue;
    const SourceFile* file = sources->Get(d.primary.span.file);
    if (file == nullptr) return "?";
    Location loc = file->Locate(d.primary.span.begin);
    return fmt::format("{}:{}", loc.line, loc.column);
  }
  return "";
}

std::string ReadResult::Render() const {
  std::string out;
  for (const Diagnostic& d : diags.diagnostics()) {
    const SourceFile* file = sources->Get(d.primary.span.file);
    Location loc = file ? file->Locate(d.primary.span.begin) : Location{};
    out += fmt::format("{}:{} {} {}\n", loc.line, loc.column, Info(d.code).id, d.message);
  }
  return out;
}

const ir::Detection& ReadResult::Rule(size_t i) const {
  static const ir::Detection kEmpty;
  if (i >= import.detections.size()) {
    ADD_FAILURE() << "no detection " << i << "\n" << Render();
    return kEmpty;
  }
  return *import.detections[i];
}

const ir::SigmaLogic& ReadResult::Logic(size_t i) const {
  static const ir::SigmaLogic kEmpty;
  const auto* logic = Rule(i).As<ir::SigmaLogic>();
  if (logic == nullptr) {
    ADD_FAILURE() << "detection " << i << " has no Sigma logic";
    return kEmpty;
  }
  return *logic;
}

std::unique_ptr<ReadResult> ReadSigmaFiles(
    const std::vector<std::pair<std::string, std::string>>& files) {
  auto result = std::make_unique<ReadResult>();
  import::SigmaReader reader(*result->sources, result->diags);
  for (const auto& [path, text] : files) reader.ReadText(path, text);
  result->import = reader.Finish();
  return result;
}

std::unique_ptr<ReadResult> ReadSigma(const std::string& text, const std::string& path) {
  return ReadSigmaFiles({{path, text}});
}

std::string DescribeValue(const ir::SigmaValue& v) {
  switch (v.kind) {
    case ir::SigmaValue::Kind::kString:
      return (v.wildcards ? "~'" : "'") + v.text + "'";
    case ir::SigmaValue::Kind::kInteger:
      return std::to_string(v.integer);
    case ir::SigmaValue::Kind::kFloat:
      return fmt::format("{}", v.real);
    case ir::SigmaValue::Kind::kBool:
      return v.boolean ? "true" : "false";
    case ir::SigmaValue::Kind::kNull:
      return "null";
  }
  return "?";
}

std::string Describe(const ir::SigmaExpr& expr, const std::vector<ir::SigmaSelection>& sels) {
  auto list = [&](const char* op) {
    std::string out = std::string(op) + "(";
    for (size_t i = 0; i < expr.children.size(); ++i) {
      if (i > 0) out += ", ";
      out += Describe(*expr.children[i], sels);
    }
    return out + ")";
  };
  switch (expr.kind) {
    case ir::SigmaExpr::Kind::kAnd:
      return list("and");
    case ir::SigmaExpr::Kind::kOr:
      return list("or");
    case ir::SigmaExpr::Kind::kNot:
      return list("not");
    case ir::SigmaExpr::Kind::kSelection:
      return "@" + (expr.selection < sels.size() ? sels[expr.selection].name : "?");
    case ir::SigmaExpr::Kind::kMatch: {
      std::string out = expr.field;
      for (ir::SigmaModifier m : expr.modifiers) out += std::string("|") + ir::SigmaModifierName(m);
      out += "=[";
      for (size_t i = 0; i < expr.values.size(); ++i) {
        if (i > 0) out += ", ";
        out += DescribeValue(expr.values[i]);
      }
      return out + "]";
    }
  }
  return "?";
}

std::string DescribeLogic(const ir::SigmaLogic& logic) {
  std::string out;
  for (const ir::SigmaSelection& s : logic.selections) {
    out += s.name + ": " + (s.expr ? Describe(*s.expr, logic.selections) : "<null>") + "\n";
  }
  out += "condition: " +
         (logic.condition ? Describe(*logic.condition, logic.selections) : std::string("<null>"));
  return out;
}

std::optional<SampleRules> FindSampleRules() {
  namespace fs = std::filesystem;
  std::vector<fs::path> candidates = {fs::path(WARD_SOURCE_DIR) / ".." / "shared"};
  if (const char* env = std::getenv("WARD_SHARED")) candidates.insert(candidates.begin(), env);
  for (const fs::path& shared : candidates) {
    fs::path root = shared / "reference" / "sigma" / "rules-sample";
    std::error_code ec;
    if (!fs::is_directory(root, ec)) continue;
    SampleRules rules;
    rules.root = fs::weakly_canonical(root).string();
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
      if (!entry.is_regular_file() || entry.path().extension() != ".yml") continue;
      std::string rel = fs::relative(entry.path(), root).generic_string();
      if (rel.rfind("rules", 0) != 0) continue;  // regression_data/ holds test metadata
      rules.paths.push_back(rel);
    }
    std::sort(rules.paths.begin(), rules.paths.end());
    return rules;
  }
  return std::nullopt;
}

std::string ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace ward::import_test
