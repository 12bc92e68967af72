#include "compiler/syntax/number_literal.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <string>

namespace ward::syntax {
namespace {

constexpr uint64_t kMaxPositive = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());

// Unsigned magnitude of a decimal or hex integer; false on overflow.
bool ParseMagnitude(std::string_view digits, int base, uint64_t& out) {
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), out, base);
  return ec == std::errc() && ptr == digits.data() + digits.size();
}

void ReportRange(std::string_view shown, Span span, DiagnosticEngine& diags, bool integer) {
  std::string message = "number `" + std::string(shown) + "` is out of range";
  std::string help = integer ? "integers must fit in 64 bits: -9223372036854775808 to "
                               "9223372036854775807"
                             : "decimal numbers must be finite 64-bit floating-point values";
  diags.Report(Diag(DiagCode::kInvalidNumber, span, std::move(message)).Help(std::move(help)));
}

}  // namespace

ast::Number ParseNumberLiteral(std::string_view text, bool negative, Span span,
                               DiagnosticEngine& diags) {
  ast::Number number;
  number.text = (negative ? "-" : "") + std::string(text);

  if (text.find('.') != std::string_view::npos) {
    number.is_integer = false;
    double value = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || ptr != text.data() + text.size() || !std::isfinite(value)) {
      ReportRange(number.text, span, diags, /*integer=*/false);
      value = 0;
    }
    number.real = negative ? -value : value;
    return number;
  }

  uint64_t multiplier = 1;
  std::string_view digits = text;
  int base = 10;
  if (digits.size() > 2 && (digits.substr(digits.size() - 2) == "KB" ||
                            digits.substr(digits.size() - 2) == "MB")) {
    multiplier = digits[digits.size() - 2] == 'K' ? 1024u : 1024u * 1024u;
    digits.remove_suffix(2);
  } else if (digits.size() > 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) {
    digits.remove_prefix(2);
    base = 16;
  }

  uint64_t magnitude = 0;
  bool ok = ParseMagnitude(digits, base, magnitude);
  if (ok && magnitude > std::numeric_limits<uint64_t>::max() / multiplier) ok = false;
  if (ok) magnitude *= multiplier;
  // The most negative int64 has no positive counterpart.
  if (ok && magnitude > kMaxPositive + (negative ? 1 : 0)) ok = false;
  if (!ok) {
    ReportRange(number.text, span, diags, /*integer=*/true);
    number.integer = 0;
  } else if (negative) {
    number.integer = magnitude == kMaxPositive + 1 ? std::numeric_limits<int64_t>::min()
                                                   : -static_cast<int64_t>(magnitude);
  } else {
    number.integer = static_cast<int64_t>(magnitude);
  }
  number.real = static_cast<double>(number.integer);
  return number;
}

}  // namespace ward::syntax
