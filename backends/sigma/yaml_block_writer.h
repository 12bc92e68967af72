#ifndef WARD_BACKENDS_SIGMA_YAML_BLOCK_WRITER_H_
#define WARD_BACKENDS_SIGMA_YAML_BLOCK_WRITER_H_

// A direct writer for the block YAML the Sigma printer produces, taking the
// same stream of manipulators as yaml-cpp's YAML::Emitter (so the printer's
// document code is shared by both) and producing the same bytes the emitter
// plus sigma_printer.cc's post-processing produce, without the emitter's cost
// (its per-scalar regular-expression matching was most of the Sigma backend's
// time).
//
// The layout is SigmaHQ's, fixed: maps indent by 4, a list under a key has
// its `- ` 4 further than the key, a map in a list item starts after `- `
// and its other keys line up with the first. Scalars are decided directly in
// the common cases (plain ASCII or UTF-8 text, single quotes); anything rarer
// (double quotes, an unusual first character, a non-character code point) is
// written by yaml-cpp's own emitter for that one scalar, which gives the same
// text it gives inside a document. Shapes the writer does not know (an empty
// map or list, a list directly in a list, a comment with a line break) set
// failed(): the caller then prints the document through yaml-cpp.

#include <yaml-cpp/emittermanip.h>
#include <yaml-cpp/null.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ward::backends::sigma {

class YamlBlockWriter {
 public:
  YamlBlockWriter& operator<<(YAML::EMITTER_MANIP manip);
  YamlBlockWriter& operator<<(const YAML::_Indent&) { return *this; }  // the layout is fixed
  YamlBlockWriter& operator<<(const YAML::_Comment& comment);
  YamlBlockWriter& operator<<(const YAML::_Null&);
  YamlBlockWriter& operator<<(const std::string& text);
  YamlBlockWriter& operator<<(int64_t value);
  YamlBlockWriter& operator<<(bool value);

  // `scalar` written as it is (already quoted and escaped by the caller).
  void WriteRawScalar(std::string_view scalar);
  // `text` as a `|` or `|-` literal block (the caller checked it can be one),
  // indented 4 further than the line of its key.
  void WriteLiteralBlock(std::string_view text);

  bool failed() const { return failed_; }
  // The document, with a final newline.
  std::string Finish();

 private:
  enum class Style { kAuto, kSingle, kDouble };
  struct Group {
    bool map = false;
    size_t column = 0;  // of a map's keys, of a list's `-`
    size_t entries = 0;
  };

  // Positions the output for the next node and writes the text of a scalar.
  void WriteScalarText(std::string_view written);
  // Starts the next entry of the innermost group (a key or a `- `).
  void StartEntry();
  void StartLine(size_t column);

  std::vector<Group> groups_;
  std::string out_;
  Style style_ = Style::kAuto;
  bool expect_key_ = false;   // after YAML::Key: the next scalar is a key
  bool after_key_ = false;    // a key and its `:` are written, its value is next
  bool inline_item_ = false;  // `- ` was just written: a map's first key goes on that line
  size_t line_indent_ = 0;    // the column of the current line's first character
  bool failed_ = false;
};

// What yaml-cpp writes for `text` as a lone scalar in the given style
// (YAML::Auto, YAML::SingleQuoted or YAML::DoubleQuoted): the slow path of
// YamlBlockWriter, and the reference its tests compare against.
std::string YamlCppScalar(std::string_view text, YAML::EMITTER_MANIP style);

// The same text YamlCppScalar gives for YAML::Auto and YAML::SingleQuoted,
// decided directly when the case is common; empty if it is not (the caller
// then asks yaml-cpp).
std::string FastPlainScalar(std::string_view text);
std::string FastSingleQuotedScalar(std::string_view text);

}  // namespace ward::backends::sigma

#endif  // WARD_BACKENDS_SIGMA_YAML_BLOCK_WRITER_H_
