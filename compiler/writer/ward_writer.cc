#include "compiler/writer/ward_writer.h"

#include <fmt/format.h>

#include <algorithm>

#include "compiler/writer/ward_text.h"
#include "compiler/writer/writer_context.h"

namespace ward::writer {
namespace {

std::vector<std::string> Quoted(const std::vector<std::string>& items) {
  std::vector<std::string> out;
  for (const std::string& item : items) out.push_back(Quote(item));
  return out;
}

// The metadata of language.md 5.5, in the order a person writes it.
void WriteMeta(const ir::Meta& meta, const std::optional<std::string>& id, Lines& out) {
  if (id) out.push_back("  id: " + Quote(*id));
  if (!meta.status.empty()) out.push_back("  status: " + NameOrString(meta.status));
  if (!meta.description.empty()) {
    out.push_back("  description: " + QuoteProse(meta.description, "    "));
  }
  if (!meta.author.empty()) out.push_back("  author: " + Quote(meta.author));
  if (meta.date) out.push_back("  date: " + meta.date->str());
  if (meta.modified) out.push_back("  modified: " + meta.modified->str());
  if (!meta.references.empty()) {
    out.push_back("  references: " + ListValue(Quoted(meta.references), 2));
  }
  if (!meta.tags.empty()) out.push_back("  tags: " + ListValue(Quoted(meta.tags), 2));
}

void WriteDetectionMeta(const ir::Detection& d, Lines& out) {
  WriteMeta(d.meta, d.id, out);
  if (d.detection_kind == "sigma" || d.level != ir::Level::kMedium) {
    out.push_back(std::string("  level: ") + ir::LevelName(d.level));
  }
  if (!d.falsepositives.empty()) {
    out.push_back("  falsepositives: " + ListValue(Quoted(d.falsepositives), 2));
  }
  if (!d.related.empty()) {
    // Grouped by type, in the order the types first appear.
    std::vector<std::pair<std::string, std::vector<std::string>>> groups;
    for (const ir::Related& r : d.related) {
      if (!IsWardName(r.type)) {
        throw CannotWrite(fmt::format("the related type `{}` is not a Ward name", r.type));
      }
      auto it = std::find_if(groups.begin(), groups.end(),
                             [&](const auto& g) { return g.first == r.type; });
      if (it == groups.end()) {
        groups.push_back({r.type, {}});
        it = groups.end() - 1;
      }
      it->second.push_back(Quote(r.id));
    }
    out.push_back("  related {");
    for (const auto& [type, ids] : groups) out.push_back("    " + type + ": " + ListValue(ids, 4));
    out.push_back("  }");
  }
}

void CheckName(const ir::Entity& e) {
  if (!IsWardName(e.name)) {
    throw CannotWrite(fmt::format("`{}` is not a Ward name", e.name));
  }
}

Lines DetectionLines(const ir::Detection& d, WriterContext& ctx) {
  CheckName(d);
  Lines out;
  if (d.detection_kind != "sigma" && d.detection_kind != "yara") {
    throw CannotWrite(fmt::format("detections of kind `{}` cannot be written", d.detection_kind));
  }
  out.push_back(fmt::format("detection {} {} {} {{", d.detection_kind, d.name,
                            Quote(d.meta.title.empty() ? d.name : d.meta.title)));
  WriteDetectionMeta(d, out);
  if (const auto* sigma = d.As<ir::SigmaLogic>()) {
    WriteSigmaBody(*sigma, ctx, out);
  } else if (const auto* yara = d.As<ir::YaraLogic>()) {
    WriteYaraBody(*yara, ctx, out);
  } else {
    throw CannotWrite("the detection has no logic");
  }
  out.push_back("}");
  return out;
}

Lines FilterLines(const ir::Filter& f, WriterContext& ctx) {
  CheckName(f);
  Lines out;
  out.push_back(
      fmt::format("filter {} {} {{", f.name, Quote(f.meta.title.empty() ? f.name : f.meta.title)));
  WriteMeta(f.meta, f.id, out);
  WriteFilterBody(f, ctx, out);
  out.push_back("}");
  return out;
}

}  // namespace

std::string WriterContext::Ref(const ir::Entity& entity) {
  if (entity.package == package) return entity.name;
  if (!entity.package.empty()) imports.insert(entity.package);
  return entity.qualified_name();
}

std::string ListValue(const std::vector<std::string>& items, size_t indent, size_t room) {
  if (items.size() == 1) return items[0];
  size_t total = 0;
  for (const std::string& item : items) total += item.size() + 2;
  std::string out = "[";
  if (total + indent < room) {
    for (size_t i = 0; i < items.size(); ++i) out += (i == 0 ? "" : ", ") + items[i];
    return out + "]";
  }
  const std::string pad(indent + 2, ' ');
  for (size_t i = 0; i < items.size(); ++i) {
    out += "\n" + pad + items[i] + (i + 1 < items.size() ? "," : "");
  }
  return out + "\n" + std::string(indent, ' ') + "]";
}

WardFileOutput WriteWardFile(const WardFileInput& input) {
  WardFileOutput result;
  WriterContext ctx;
  ctx.package = input.package;
  struct Block {
    const ir::Entity* entity;
    Lines lines;
  };
  std::vector<Block> blocks;
  auto add = [&](const ir::Entity* entity, auto&& make) {
    WriterContext attempt = ctx;  // imports of a failed declaration are not kept
    try {
      Lines lines = make(attempt);
      auto notes = input.notes.find(entity);
      if (notes != input.notes.end()) {
        Lines with;
        for (const std::string& note : notes->second)
          with.push_back(note.empty() ? "//" : "// " + note);
        with.insert(with.end(), lines.begin(), lines.end());
        lines = std::move(with);
      }
      blocks.push_back({entity, std::move(lines)});
      ctx = std::move(attempt);
    } catch (const CannotWrite& e) {
      result.failures.push_back({entity, e.what()});
    }
  };
  for (const ir::Detection* d : input.detections) {
    add(d, [&](WriterContext& c) { return DetectionLines(*d, c); });
  }
  for (const ir::Filter* f : input.filters) {
    add(f, [&](WriterContext& c) { return FilterLines(*f, c); });
  }

  std::string& text = result.text;
  size_t line = 1;
  auto emit = [&](const std::string& s) {
    text += s;
    text += '\n';
    for (char c : s) line += c == '\n';
    ++line;
  };
  for (const std::string& h : input.header) emit(h.empty() ? "//" : "// " + h);
  emit("package " + input.package);
  if (!ctx.imports.empty()) {
    emit("");
    for (const std::string& imported : ctx.imports) emit("import " + imported);
  }
  for (const Block& block : blocks) {
    emit("");
    size_t first = line;
    for (const std::string& l : block.lines) emit(l);
    result.ranges.push_back({block.entity, first, line - 1});
  }
  return result;
}

bool WriteDetection(const ir::Detection& detection, const std::string& package, std::string& out,
                    std::string& reason) {
  WriterContext ctx;
  ctx.package = package;
  try {
    Lines lines = DetectionLines(detection, ctx);
    out.clear();
    for (const std::string& l : lines) out += l + "\n";
    return true;
  } catch (const CannotWrite& e) {
    reason = e.what();
    return false;
  }
}

}  // namespace ward::writer
