#include "compiler/eval/regex.h"

#include <array>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

namespace ward::eval {
namespace {

// One match-data block per thread: a match needs no captures, so one pair
// of offsets is enough, and reusing it keeps Search allocation-free.
struct ThreadMatchData {
  pcre2_match_data* data = pcre2_match_data_create(1, nullptr);
  ~ThreadMatchData() { pcre2_match_data_free(data); }
};

pcre2_match_data* MatchData() {
  thread_local ThreadMatchData holder;
  return holder.data;
}

}  // namespace

std::unique_ptr<Regex> Regex::Compile(std::string_view pattern, Flags flags, std::string& error) {
  // Subjects come from arbitrary events: invalid UTF-8 must not be an error.
  uint32_t options = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF;
  if (flags.caseless) options |= PCRE2_CASELESS;
  if (flags.multiline) options |= PCRE2_MULTILINE;
  if (flags.dotall) options |= PCRE2_DOTALL;
  int code = 0;
  PCRE2_SIZE offset = 0;
  pcre2_code* compiled = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                                       options, &code, &offset, nullptr);
  if (!compiled) {
    std::array<PCRE2_UCHAR, 256> buffer{};
    int length = pcre2_get_error_message(code, buffer.data(), buffer.size());
    error = length > 0 ? std::string(reinterpret_cast<const char*>(buffer.data()),
                                     static_cast<size_t>(length))
                       : "PCRE2 error " + std::to_string(code);
    error += " at offset " + std::to_string(offset);
    return nullptr;
  }
  // JIT is an optimisation: without it (unsupported CPU, no JIT build)
  // pcre2_match interprets the same pattern.
  pcre2_jit_compile(compiled, PCRE2_JIT_COMPLETE);
  return std::unique_ptr<Regex>(new Regex(compiled));
}

Regex::~Regex() { pcre2_code_free(static_cast<pcre2_code*>(code_)); }

bool Regex::Search(std::string_view subject) const {
  int rc = pcre2_match(static_cast<const pcre2_code*>(code_),
                       reinterpret_cast<PCRE2_SPTR>(subject.data()), subject.size(), 0, 0,
                       MatchData(), nullptr);
  // 0 means "matched, but the offsets did not fit": still a match.
  return rc >= 0;
}

}  // namespace ward::eval
