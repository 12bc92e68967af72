#ifndef WARD_COMPILER_EVAL_REGEX_H_
#define WARD_COMPILER_EVAL_REGEX_H_

// A PCRE2 regular expression compiled once (JIT-compiled when the library
// supports it) and matched from any thread. Sigma's `re` finds a match
// anywhere in the value; anchor with ^ and $ to match the whole value.

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace ward::eval {

class Regex {
 public:
  struct Flags {
    bool caseless = false, multiline = false, dotall = false;
  };
  // Null with `error` set when PCRE2 rejects the pattern.
  static std::unique_ptr<Regex> Compile(std::string_view pattern, Flags flags, std::string& error);
  ~Regex();
  Regex(const Regex&) = delete;
  Regex& operator=(const Regex&) = delete;
  bool Search(std::string_view subject) const;

 private:
  explicit Regex(void* code) : code_(code) {}
  void* code_;  // pcre2_code_8*
};

}  // namespace ward::eval

#endif  // WARD_COMPILER_EVAL_REGEX_H_
