// The Sigma evaluator on fuzzed rules and events. The input is a Ward file,
// optionally followed by a line `%%` and JSON events (one value per line; an
// array is a list of events in time order). Every Sigma detection and
// correlation that checks is compiled for evaluation and run over the events
// of its own tests and over the events after `%%`, with explanations, the way
// `ward test` and `ward hunt` run it.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/eval/sigma_eval.h"
#include "fuzz/fuzz_compile.h"

namespace {

constexpr size_t kMaxEvents = 64;

std::vector<nlohmann::json> ReadEvents(std::string_view text) {
  std::vector<nlohmann::json> events;
  size_t start = 0;
  while (start < text.size() && events.size() < kMaxEvents) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    nlohmann::json value = nlohmann::json::parse(text.substr(start, end - start), nullptr,
                                                 /*allow_exceptions=*/false);
    if (value.is_array()) {
      for (auto& item : value) {
        if (events.size() < kMaxEvents) events.push_back(std::move(item));
      }
    } else if (!value.is_discarded()) {
      events.push_back(std::move(value));
    }
    start = end + 1;
  }
  return events;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string_view source = input;
  std::vector<nlohmann::json> extra;
  if (size_t split = input.find("\n%%\n"); split != std::string_view::npos) {
    source = input.substr(0, split);
    extra = ReadEvents(input.substr(split + 4));
  }
  ward::DiagnosticEngine diags;
  auto compilation = ward::fuzz::CompileText(std::string(source), diags);
  if (!compilation || !compilation->program || diags.has_errors()) return 0;
  const ward::ir::Program& program = *compilation->program;
  std::vector<const ward::ir::Filter*> filters;
  for (const auto& filter : program.filters) filters.push_back(filter.get());
  ward::eval::EvalOptions options;
  options.placeholders["Administrators"] = {"admin*", "root"};
  for (const auto& detection : program.detections) {
    if (detection->As<ward::ir::SigmaLogic>() == nullptr) continue;
    std::vector<ward::eval::EvalError> errors;
    auto evaluator = ward::eval::Evaluator::Compile(*detection, filters, options, errors);
    if (!evaluator) continue;
    for (const auto& test : detection->tests) {
      ward::eval::Verdict verdict = evaluator->Evaluate(test.events);
      (void)verdict.ToText("  ");
      (void)verdict.ToJson().dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    }
    if (!extra.empty()) {
      ward::eval::Verdict verdict = evaluator->Evaluate(extra);
      (void)verdict.ToText();
    }
  }
  return 0;
}
