// Human-readable (rustc-style) rendering of diagnostics and the summary line.

#include "compiler/support/diagnostic_render.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/support/text_util.h"

namespace ward {
namespace {

constexpr std::string_view kReplacementChar = "\xEF\xBF\xBD";  // U+FFFD
constexpr int kTabWidth = 4;

// ---- ANSI styles -------------------------------------------------------------
// Raw SGR sequences: fmt's colour API would work too, but plain strings keep
// the output byte-for-byte predictable in tests.
constexpr std::string_view kReset = "\x1b[0m";
constexpr std::string_view kBold = "\x1b[1m";
constexpr std::string_view kBoldRed = "\x1b[1;31m";
constexpr std::string_view kBoldYellow = "\x1b[1;33m";
constexpr std::string_view kBoldGreen = "\x1b[1;32m";
constexpr std::string_view kBoldBlue = "\x1b[1;34m";

class Painter {
 public:
  explicit Painter(bool color) : color_(color) {}
  std::string operator()(std::string_view style, std::string_view text) const {
    if (!color_ || text.empty()) return std::string(text);
    std::string out(style);
    out += text;
    out += kReset;
    return out;
  }

 private:
  bool color_;
};

std::string_view SeverityStyle(Severity severity) {
  switch (severity) {
    case Severity::kError:
      return kBoldRed;
    case Severity::kWarning:
      return kBoldYellow;
    case Severity::kNote:
      return kBoldGreen;
  }
  return kBoldRed;
}

// ---- safe display of untrusted text --------------------------------------------

// Decodes one UTF-8 sequence at `i`. Invalid input yields nullopt and the
// caller consumes a single byte, so that every byte is accounted for.
std::optional<uint32_t> DecodeAt(std::string_view text, size_t i, size_t* length) {
  unsigned char c = static_cast<unsigned char>(text[i]);
  size_t len = 0;
  if (c < 0x80) {
    len = 1;
  } else if ((c & 0xE0) == 0xC0) {
    len = 2;
  } else if ((c & 0xF0) == 0xE0) {
    len = 3;
  } else if ((c & 0xF8) == 0xF0) {
    len = 4;
  }
  *length = 1;
  if (len == 0 || i + len > text.size()) return std::nullopt;
  if (FindInvalidUtf8(text.substr(i, len))) return std::nullopt;
  uint32_t cp = len == 1 ? c : len == 2 ? (c & 0x1Fu) : len == 3 ? (c & 0x0Fu) : (c & 0x07u);
  for (size_t k = 1; k < len; ++k) {
    cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3Fu);
  }
  *length = len;
  return cp;
}

// Code points that must not reach a terminal as they are: C0 and C1 controls
// (ESC, CSI...), DEL, and the bidirectional overrides and isolates that can
// make a line display differently from what the compiler reads.
bool IsUnsafe(uint32_t cp) {
  return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2066 && cp <= 0x2069);
}

// A source line made safe to print, with the display column at which each of
// its bytes starts (one entry more than bytes, for the end of the line).
struct DisplayLine {
  std::string text;
  std::vector<uint32_t> column;

  uint32_t width() const { return column.back(); }
  uint32_t ColumnAt(size_t byte) const { return column[std::min(byte, column.size() - 1)]; }
};

DisplayLine MakeDisplayLine(std::string_view line) {
  DisplayLine out;
  out.column.reserve(line.size() + 1);
  uint32_t col = 0;
  size_t i = 0;
  while (i < line.size()) {
    size_t len = 1;
    std::optional<uint32_t> cp = DecodeAt(line, i, &len);
    for (size_t k = 0; k < len; ++k) out.column.push_back(col);
    if (cp && *cp == '\t') {
      out.text.append(kTabWidth, ' ');
      col += kTabWidth;
    } else {
      if (!cp || IsUnsafe(*cp)) {
        out.text += kReplacementChar;
      } else {
        out.text.append(line.substr(i, len));
      }
      col += 1;
    }
    i += len;
  }
  out.column.push_back(col);
  return out;
}

// Compiler-written text that may quote user input (messages, labels, paths):
// unsafe code points become U+FFFD; a newline becomes a space unless kept.
std::string Sanitize(std::string_view text, bool keep_newlines = false) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    size_t len = 1;
    std::optional<uint32_t> cp = DecodeAt(text, i, &len);
    if (cp && *cp == '\n') {
      out += keep_newlines ? '\n' : ' ';
    } else if (cp && *cp == '\t') {
      out += '\t';
    } else if (!cp || IsUnsafe(*cp)) {
      out += kReplacementChar;
    } else {
      out.append(text.substr(i, len));
    }
    i += len;
  }
  return out;
}

size_t Digits(uint32_t n) {
  size_t d = 1;
  while (n >= 10) {
    n /= 10;
    ++d;
  }
  return d;
}

// ---- layout ----------------------------------------------------------------------

// One label resolved to a line of a loaded file.
struct PlacedLabel {
  const SourceFile* file;
  uint32_t line;
  uint32_t line_start;  // byte offset of the line in the file
  Span span;
  const std::string* message;
  bool primary;
};

std::optional<PlacedLabel> Place(const SourceManager& sources, const Label& label, bool primary) {
  const SourceFile* file = sources.Get(label.span.file);
  if (file == nullptr) return std::nullopt;
  uint32_t size = static_cast<uint32_t>(file->text().size());
  Span span = label.span;
  span.begin = std::min(span.begin, size);
  span.end = std::clamp(span.end, span.begin, size);
  uint32_t line = file->Locate(span.begin).line;
  std::string_view text = file->LineText(line);
  uint32_t line_start = static_cast<uint32_t>(text.data() - file->text().data());
  return PlacedLabel{file, line, line_start, span, &label.message, primary};
}

std::string LocationText(const PlacedLabel& label) {
  Location loc = label.file->Locate(label.span.begin);
  return Sanitize(label.file->path()) + ":" + std::to_string(loc.line) + ":" +
         std::to_string(loc.column);
}

class TextRenderer {
 public:
  TextRenderer(const SourceManager& sources, const TextOptions& options)
      : sources_(sources), options_(options), paint_(options.color) {}

  std::string Render(const Diagnostic& diag) {
    out_.clear();
    RenderHeader(diag);

    std::vector<PlacedLabel> labels;
    std::vector<std::string> extra_notes;  // secondary labels that have no place to go
    current_severity_ = diag.severity;
    if (std::optional<PlacedLabel> primary = Place(sources_, diag.primary, true)) {
      labels.push_back(*primary);
    }
    for (const Label& secondary : diag.secondary) {
      if (std::optional<PlacedLabel> placed = Place(sources_, secondary, false)) {
        labels.push_back(*placed);
      } else if (!secondary.message.empty()) {
        extra_notes.push_back(secondary.message);
      }
    }

    uint32_t max_line = 1;
    for (const PlacedLabel& label : labels) max_line = std::max(max_line, label.line);
    width_ = Digits(max_line);

    // Without a primary place, secondary labels still get snippets, introduced
    // by `:::` rather than `-->`.
    if (!labels.empty()) RenderSnippets(labels);

    std::vector<std::pair<std::string, std::string>> footer;  // (kind, text)
    for (const std::string& note : diag.notes) footer.emplace_back("note", note);
    for (const std::string& note : extra_notes) footer.emplace_back("note", note);
    if (diag.help) {
      footer.emplace_back("help", *diag.help);
    } else {
      for (const FixIt& fix : diag.fixits) footer.emplace_back("help", DescribeFix(fix));
    }
    if (!footer.empty()) {
      if (!labels.empty() && options_.show_source) out_ += Gutter("") + "\n";
      for (const auto& [kind, text] : footer) RenderFooter(kind, text);
    }
    out_ += "\n";
    return out_;
  }

 private:
  void RenderHeader(const Diagnostic& diag) {
    std::string head =
        std::string(SeverityName(diag.severity)) + "[" + std::string(Info(diag.code).id) + "]";
    out_ += paint_(SeverityStyle(diag.severity), head);
    out_ += paint_(kBold, ": " + Sanitize(diag.message));
    out_ += "\n";
  }

  // "   |" with the line number (or nothing) right-aligned in the gutter.
  std::string Gutter(std::string_view number) const {
    std::string text(width_ - std::min(width_, number.size()), ' ');
    text += number;
    text += " |";
    return paint_(kBoldBlue, text);
  }

  void RenderSnippets(const std::vector<PlacedLabel>& labels) {
    // Group by file, primary file first, others in order of first mention.
    std::vector<const SourceFile*> files;
    for (const PlacedLabel& label : labels) {
      if (std::find(files.begin(), files.end(), label.file) == files.end()) {
        files.push_back(label.file);
      }
    }
    bool first = true;
    for (const SourceFile* file : files) {
      std::vector<PlacedLabel> in_file;
      for (const PlacedLabel& label : labels) {
        if (label.file == file) in_file.push_back(label);
      }
      std::string pad(width_, ' ');
      bool arrow = first && in_file.front().primary;
      if (!first && options_.show_source) out_ += Gutter("") + "\n";
      out_ +=
          pad + paint_(kBoldBlue, arrow ? "--> " : "::: ") + LocationText(in_file.front()) + "\n";
      first = false;
      if (!options_.show_source) continue;
      out_ += Gutter("") + "\n";
      RenderFileLines(in_file);
    }
  }

  void RenderFileLines(std::vector<PlacedLabel> labels) {
    // Primary first within a line, then by column; lines in ascending order.
    std::stable_sort(labels.begin(), labels.end(), [](const PlacedLabel& a, const PlacedLabel& b) {
      if (a.line != b.line) return a.line < b.line;
      if (a.primary != b.primary) return a.primary;
      return a.span.begin < b.span.begin;
    });
    uint32_t previous_line = 0;
    size_t i = 0;
    while (i < labels.size()) {
      uint32_t line = labels[i].line;
      if (previous_line != 0 && line > previous_line + 1) {
        out_ += paint_(kBoldBlue, "...") + "\n";
      }
      previous_line = line;
      const SourceFile* file = labels[i].file;
      DisplayLine display = MakeDisplayLine(file->LineText(line));
      std::string row = Gutter(std::to_string(line));
      if (!display.text.empty()) row += " " + display.text;
      out_ += row + "\n";
      for (; i < labels.size() && labels[i].line == line; ++i) {
        RenderUnderline(labels[i], display);
      }
    }
  }

  void RenderUnderline(const PlacedLabel& label, const DisplayLine& display) {
    uint32_t line_bytes = static_cast<uint32_t>(display.column.size() - 1);
    uint32_t begin = label.span.begin - label.line_start;
    uint32_t start_col = display.ColumnAt(begin);
    // A span running past the end of its first line is underlined to the end
    // of that line; an empty span still gets one mark.
    uint32_t end_byte = label.span.end - label.line_start;
    uint32_t end_col = end_byte > line_bytes ? display.width() : display.ColumnAt(end_byte);
    uint32_t marks = std::max<uint32_t>(1, end_col > start_col ? end_col - start_col : 0);

    std::string_view style = label.primary ? SeverityStyle(current_severity_) : kBoldBlue;
    std::string underline = std::string(start_col, ' ');
    std::string mark_text(marks, label.primary ? '^' : '-');
    if (!label.message->empty()) mark_text += " " + Sanitize(*label.message);
    out_ += Gutter("") + " " + underline + paint_(style, mark_text) + "\n";
  }

  std::string DescribeFix(const FixIt& fix) const {
    std::string old_text = Sanitize(sources_.Text(fix.span));
    std::string replacement = Sanitize(fix.replacement);
    if (replacement.empty() && !old_text.empty()) return "remove `" + old_text + "`";
    if (fix.span.begin == fix.span.end) return "insert `" + replacement + "`";
    return "replace with `" + replacement + "`";
  }

  void RenderFooter(std::string_view kind, std::string_view text) {
    std::string prefix = std::string(width_ + 1, ' ') + paint_(kBoldBlue, "=") + " " +
                         paint_(kBold, std::string(kind) + ":");
    // Continuation lines of a multi-line note line up under its first line.
    std::string indent(width_ + 1 + 2 + kind.size() + 2, ' ');
    std::string safe = Sanitize(text, /*keep_newlines=*/true);
    size_t start = 0;
    bool first = true;
    while (true) {
      size_t nl = safe.find('\n', start);
      std::string_view part = std::string_view(safe).substr(
          start, nl == std::string::npos ? std::string::npos : nl - start);
      if (first) {
        out_ += prefix + " " + std::string(part) + "\n";
      } else {
        out_ += part.empty() ? "\n" : indent + std::string(part) + "\n";
      }
      first = false;
      if (nl == std::string::npos) break;
      start = nl + 1;
    }
  }

  const SourceManager& sources_;
  const TextOptions& options_;
  Painter paint_;
  std::string out_;
  size_t width_ = 1;
  Severity current_severity_ = Severity::kError;
};

std::string Plural(size_t n, std::string_view word) {
  return std::to_string(n) + " " + std::string(word) + (n == 1 ? "" : "s");
}

}  // namespace

std::string RenderText(const std::vector<Diagnostic>& diags, const SourceManager& sources,
                       const TextOptions& options) {
  TextRenderer renderer(sources, options);
  std::string out;
  for (const Diagnostic& diag : diags) {
    out += renderer.Render(diag);
  }
  return out;
}

std::string RenderSummary(size_t errors, size_t warnings, bool color) {
  Painter paint(color);
  if (errors > 0) {
    std::string text = "could not compile due to " + Plural(errors, "error");
    if (warnings > 0) text += "; " + Plural(warnings, "warning") + " emitted";
    return paint(kBoldRed, "error") + paint(kBold, ": " + text);
  }
  if (warnings > 0) return paint(kBoldYellow, Plural(warnings, "warning") + " emitted");
  return "";
}

}  // namespace ward
