#include "backends/yara/libyara_check.h"

#include <yara.h>

#include <algorithm>
#include <string>

namespace ward::backends::yara {
namespace {

// yr_initialize once per process, yr_finalize at exit. A function-local
// static makes the first call thread-safe.
class Libyara {
 public:
  static const Libyara& Get() {
    static const Libyara instance;
    return instance;
  }
  bool ok() const { return status_ == ERROR_SUCCESS; }
  int status() const { return status_; }

 private:
  Libyara() : status_(yr_initialize()) {}
  ~Libyara() {
    if (ok()) yr_finalize();
  }
  int status_;
};

// Owns a YR_COMPILER.
class Compiler {
 public:
  Compiler() {
    if (yr_compiler_create(&compiler_) != ERROR_SUCCESS) compiler_ = nullptr;
  }
  ~Compiler() {
    if (compiler_ != nullptr) yr_compiler_destroy(compiler_);
  }
  Compiler(const Compiler&) = delete;
  Compiler& operator=(const Compiler&) = delete;
  YR_COMPILER* get() const { return compiler_; }

 private:
  YR_COMPILER* compiler_ = nullptr;
};

struct CompileState {
  size_t chunk = 0;
  std::vector<CompileMessage>* messages = nullptr;
};

void OnCompileMessage(int error_level, const char* /*file_name*/, int line_number,
                      const YR_RULE* rule, const char* message, void* user_data) {
  auto* state = static_cast<CompileState*>(user_data);
  CompileMessage out;
  out.is_error = error_level == YARA_ERROR_LEVEL_ERROR;
  out.chunk = state->chunk;
  out.line = line_number;
  if (rule != nullptr && rule->identifier != nullptr) out.rule = rule->identifier;
  out.text = message != nullptr ? message : "";
  state->messages->push_back(std::move(out));
}

// Rule texts must be self-contained: never let libyara read files.
const char* RefuseInclude(const char* /*include_name*/, const char* /*calling_file*/,
                          const char* /*calling_namespace*/, void* /*user_data*/) {
  return nullptr;
}

CompileResult Failure(std::string text) {
  CompileResult result;
  CompileMessage message;
  message.text = std::move(text);
  result.messages.push_back(std::move(message));
  return result;
}

struct ScanState {
  std::vector<std::string>* matched = nullptr;
};

int OnScanMessage(YR_SCAN_CONTEXT* /*context*/, int message, void* message_data,
                  void* user_data) {
  if (message == CALLBACK_MSG_RULE_MATCHING) {
    const auto* rule = static_cast<const YR_RULE*>(message_data);
    if (!RULE_IS_PRIVATE(rule)) static_cast<ScanState*>(user_data)->matched->push_back(rule->identifier);
  }
  return CALLBACK_CONTINUE;
}

}  // namespace

std::string LibyaraVersion() { return YR_VERSION; }

CompiledRules::~CompiledRules() {
  if (rules_ != nullptr) yr_rules_destroy(rules_);
}

size_t CompileResult::error_count() const {
  return static_cast<size_t>(std::count_if(messages.begin(), messages.end(),
                                           [](const CompileMessage& m) { return m.is_error; }));
}

size_t CompileResult::warning_count() const { return messages.size() - error_count(); }

CompileResult CompileRules(const std::vector<std::string_view>& chunks) {
  const Libyara& libyara = Libyara::Get();
  if (!libyara.ok()) {
    return Failure("libyara could not be initialised (error " + std::to_string(libyara.status()) +
                   ")");
  }
  // No lock: each call has its own YR_COMPILER, and libyara 4.2's parsers
  // are reentrant (the lexers are reentrant flex scanners, the grammars pure
  // bison parsers, the regexp and hex parsers keep their error recovery in
  // thread-local storage that yr_initialize creates), so files are compiled
  // on several threads at once (yara_verify.cc).
  Compiler compiler;
  if (compiler.get() == nullptr) return Failure("libyara could not create a compiler");

  CompileResult result;
  CompileState state;
  state.messages = &result.messages;
  yr_compiler_set_callback(compiler.get(), OnCompileMessage, &state);
  yr_compiler_set_include_callback(compiler.get(), RefuseInclude, nullptr, nullptr);

  int errors = 0;
  for (size_t i = 0; i < chunks.size() && errors == 0; ++i) {
    state.chunk = i;
    const std::string text(chunks[i]);  // libyara wants a NUL-terminated string
    errors = yr_compiler_add_string(compiler.get(), text.c_str(), nullptr);
  }
  if (errors != 0) return result;

  YR_RULES* rules = nullptr;
  if (yr_compiler_get_rules(compiler.get(), &rules) != ERROR_SUCCESS || rules == nullptr) {
    CompileResult failure = Failure("libyara could not build the compiled rules");
    failure.messages.insert(failure.messages.begin(), result.messages.begin(),
                            result.messages.end());
    return failure;
  }
  result.rules = std::make_unique<CompiledRules>(rules);
  return result;
}

ScanResult Scan(const CompiledRules& rules, std::string_view bytes, int timeout_seconds) {
  ScanResult result;
  ScanState state{&result.matched};
  const int rc = yr_rules_scan_mem(rules.get(), reinterpret_cast<const uint8_t*>(bytes.data()),
                                   bytes.size(), SCAN_FLAGS_REPORT_RULES_MATCHING, OnScanMessage,
                                   &state, timeout_seconds);
  if (rc != ERROR_SUCCESS) {
    result.ok = false;
    result.error = rc == ERROR_SCAN_TIMEOUT ? "the scan timed out"
                                            : "libyara scan failed (error " + std::to_string(rc) + ")";
  }
  return result;
}

std::vector<std::string> ScanBytes(const CompiledRules& rules, std::string_view bytes) {
  ScanResult result = Scan(rules, bytes);
  if (!result.ok) return {};
  return std::move(result.matched);
}

}  // namespace ward::backends::yara
