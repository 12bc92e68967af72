// Myers' O(ND) difference algorithm over lines, then hunks with context.
// Formatting changes few lines, so D stays small even for large files.

#include "compiler/format/unified_diff.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

namespace ward::format {
namespace {

constexpr int kContext = 3;
// Bounds on the trace Myers keeps (one row of 2(n+m) ints per edit).
constexpr int kMaxEdits = 2000;
constexpr size_t kMaxTraceInts = size_t{1} << 24;

std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    size_t end = nl == std::string_view::npos ? text.size() : nl + 1;
    lines.push_back(text.substr(start, end - start));
    start = end;
  }
  return lines;
}

enum class Op { kKeep, kDelete, kInsert };

// The edit script turning `a` into `b`.
std::vector<Op> Diff(const std::vector<std::string_view>& a,
                     const std::vector<std::string_view>& b) {
  const int n = static_cast<int>(a.size()), m = static_cast<int>(b.size());
  const int max = n + m;
  const int offset = max + 1;
  std::vector<int> v(static_cast<size_t>(2 * max + 3), 0);
  std::vector<std::vector<int>> trace;
  int found_d = -1;
  for (int d = 0; d <= max && found_d < 0; ++d) {
    if (d > kMaxEdits || static_cast<size_t>(d) * v.size() > kMaxTraceInts) {
      // Too different to diff cheaply: replace everything.
      std::vector<Op> ops(static_cast<size_t>(n), Op::kDelete);
      ops.insert(ops.end(), static_cast<size_t>(m), Op::kInsert);
      return ops;
    }
    trace.push_back(v);
    for (int k = -d; k <= d; k += 2) {
      int x = (k == -d || (k != d && v[k - 1 + offset] < v[k + 1 + offset]))
                  ? v[k + 1 + offset]
                  : v[k - 1 + offset] + 1;
      int y = x - k;
      while (x < n && y < m && a[x] == b[y]) ++x, ++y;
      v[k + offset] = x;
      if (x >= n && y >= m) {
        found_d = d;
        break;
      }
    }
  }
  std::vector<Op> ops;
  int x = n, y = m;
  for (int d = found_d; d > 0; --d) {
    const std::vector<int>& pv = trace[static_cast<size_t>(d)];
    int k = x - y;
    int prev_k = (k == -d || (k != d && pv[k - 1 + offset] < pv[k + 1 + offset])) ? k + 1 : k - 1;
    int prev_x = pv[prev_k + offset];
    int prev_y = prev_x - prev_k;
    while (x > prev_x && y > prev_y) {
      ops.push_back(Op::kKeep);
      --x, --y;
    }
    ops.push_back(x == prev_x ? Op::kInsert : Op::kDelete);
    x = prev_x, y = prev_y;
  }
  while (x > 0 && y > 0) {
    ops.push_back(Op::kKeep);
    --x, --y;
  }
  std::reverse(ops.begin(), ops.end());
  return ops;
}

void AppendLine(std::string& out, char mark, std::string_view line) {
  out += mark;
  out += line;
  if (line.empty() || line.back() != '\n') out += "\n\\ No newline at end of file\n";
}

}  // namespace

std::string UnifiedDiff(std::string_view before, std::string_view after,
                        const std::string& before_name, const std::string& after_name) {
  if (before == after) return {};
  std::vector<std::string_view> a = SplitLines(before), b = SplitLines(after);
  std::vector<Op> ops = Diff(a, b);
  std::string out = fmt::format("--- {}\n+++ {}\n", before_name, after_name);
  // Positions (in a and b) at the start of every op.
  std::vector<int> ai(ops.size() + 1), bi(ops.size() + 1);
  for (size_t k = 0; k < ops.size(); ++k) {
    ai[k + 1] = ai[k] + (ops[k] != Op::kInsert);
    bi[k + 1] = bi[k] + (ops[k] != Op::kDelete);
  }
  size_t k = 0;
  while (k < ops.size()) {
    if (ops[k] == Op::kKeep) {
      ++k;
      continue;
    }
    // A hunk: from kContext keeps before this change to kContext keeps after
    // the last change that is within 2 * kContext of the previous one.
    size_t start = k >= static_cast<size_t>(kContext) ? k - kContext : 0;
    while (start < k && ops[start] != Op::kKeep) ++start;
    size_t end = k;
    size_t last_change = k;
    for (size_t j = k; j < ops.size(); ++j) {
      if (ops[j] != Op::kKeep) {
        last_change = j;
      } else if (j - last_change > static_cast<size_t>(2 * kContext)) {
        break;
      }
    }
    end = std::min(ops.size(), last_change + 1 + kContext);
    int a_count = ai[end] - ai[start], b_count = bi[end] - bi[start];
    out += fmt::format("@@ -{},{} +{},{} @@\n", a_count ? ai[start] + 1 : ai[start], a_count,
                       b_count ? bi[start] + 1 : bi[start], b_count);
    for (size_t j = start; j < end; ++j) {
      if (ops[j] == Op::kKeep)
        AppendLine(out, ' ', a[static_cast<size_t>(ai[j])]);
      else if (ops[j] == Op::kDelete)
        AppendLine(out, '-', a[static_cast<size_t>(ai[j])]);
      else
        AppendLine(out, '+', b[static_cast<size_t>(bi[j])]);
    }
    k = end;
  }
  return out;
}

}  // namespace ward::format
