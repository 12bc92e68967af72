#include "compiler/catalog_import/catalog_writer.h"

#include <vector>

#include "compiler/catalog_import/ward_text.h"

namespace ward::import {
namespace {

constexpr size_t kColumns = 100;

// One `key: values` property, already rendered.
struct Property {
  std::string key;
  std::vector<std::string> values;  // rendered values (quoted strings or names)

  std::string OneLine() const {
    std::string out = key + ":";
    for (size_t i = 0; i < values.size(); ++i) out += (i ? ", " : " ") + values[i];
    return out;
  }
};

std::vector<Property> EntryProperties(const ImportedEntry& entry) {
  std::vector<Property> out;
  if (!entry.kind.empty()) out.push_back({"kind", {entry.kind}});
  if (!entry.parents.empty()) {
    Property parents{"parents", {}};
    for (const std::string& id : entry.parents) parents.values.push_back(QuoteWardString(id));
    out.push_back(std::move(parents));
  }
  if (entry.deprecated) out.push_back({"deprecated", {"true"}});
  if (!entry.renamed_to.empty()) {
    out.push_back({"renamed_to", {QuoteWardString(entry.renamed_to)}});
  }
  for (const auto& [key, values] : entry.extra) {
    Property extra{key, {}};
    for (const std::string& value : values) extra.values.push_back(QuoteWardString(value));
    out.push_back(std::move(extra));
  }
  return out;
}

// Writes `property` at `indent`, wrapping its values onto continuation lines
// (indented two more) when the line would pass the column limit.
void WriteWrapped(std::string& out, const std::string& indent, const Property& property) {
  std::string line = indent + property.key + ":";
  for (size_t i = 0; i < property.values.size(); ++i) {
    const std::string& value = property.values[i];
    const bool last = i + 1 == property.values.size();
    const std::string piece = value + (last ? "" : ",");
    if (i > 0 && line.size() + 1 + piece.size() > kColumns) {
      out += line + "\n";
      line = indent + "    " + piece;
    } else {
      line += " " + piece;
    }
  }
  out += line + "\n";
}

void WriteEntry(std::string& out, const ImportedEntry& entry) {
  std::string head = "  entry " + QuoteWardString(entry.id);
  if (!entry.title.empty()) head += " " + QuoteWardString(entry.title);
  const std::vector<Property> properties = EntryProperties(entry);
  if (properties.empty()) {
    out += head + "\n";
    return;
  }
  // "{ kind: x  parents: "y" }": two spaces between properties, one inside braces.
  std::string single = head + " { ";
  for (size_t i = 0; i < properties.size(); ++i) {
    single += (i ? "  " : "") + properties[i].OneLine();
  }
  single += " }";
  if (single.size() <= kColumns) {
    out += single + "\n";
    return;
  }
  if (head.size() + 2 > kColumns && !entry.title.empty()) {
    // A long ID and title: the title goes on a line of its own.
    head = "  entry " + QuoteWardString(entry.id) + "\n      " + QuoteWardString(entry.title);
  }
  out += head + " {\n";
  size_t first = 0;
  // kind and parents share the first line when they fit, like hand-written catalogs.
  if (properties.size() >= 2 && properties[0].key == "kind" && properties[1].key == "parents") {
    std::string pair = "    " + properties[0].OneLine() + "  " + properties[1].OneLine();
    if (pair.size() <= kColumns) {
      out += pair + "\n";
      first = 2;
    }
  }
  for (size_t i = first; i < properties.size(); ++i) WriteWrapped(out, "    ", properties[i]);
  out += "  }\n";
}

// One header line as `//` comment lines, word-wrapped at the column limit.
void WriteComment(std::string& out, const std::string& text) {
  if (text.empty()) {
    out += "//\n";
    return;
  }
  std::string line = "//";
  size_t at = 0;
  const std::string clean = CommentText(text);
  while (at < clean.size()) {
    size_t space = clean.find(' ', at);
    if (space == std::string::npos) space = clean.size();
    const std::string word = clean.substr(at, space - at);
    if (line.size() > 2 && line.size() + 1 + word.size() > kColumns) {
      out += line + "\n";
      line = "//";
    }
    line += " " + word;
    at = space + 1;
  }
  out += line + "\n";
}

std::string Heading(const std::string& text) {
  std::string line = "  // ---- " + CommentText(text) + " ";
  while (line.size() < 80) line += '-';
  return line;
}

}  // namespace

std::string WriteWardCatalog(const ImportedCatalog& catalog) {
  std::string out;
  for (const std::string& line : catalog.header) WriteComment(out, line);
  out += "package " + catalog.package + "\n\n";
  out += "catalog " + catalog.name + " " + QuoteWardString(catalog.title) + " {\n";
  out += "  framework: " + catalog.framework + "\n";
  out += "  version: " + QuoteWardString(catalog.version) + "\n";
  if (!catalog.url.empty()) out += "  url: " + QuoteWardString(catalog.url) + "\n";
  for (const ImportedSection& section : catalog.sections) {
    if (section.entries.empty()) continue;
    out += "\n" + Heading(section.heading) + "\n";
    for (const ImportedEntry& entry : section.entries) WriteEntry(out, entry);
  }
  out += "}\n";
  return out;
}

}  // namespace ward::import
