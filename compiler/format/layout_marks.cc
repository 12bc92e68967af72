#include "compiler/format/layout_marks.h"

namespace ward::format {
namespace {

void MarkBody(const ast::Body& body, LayoutMarks& marks) {
  for (const ast::Member& member : body.members) {
    marks.member_starts.insert(member.span.begin);
    for (const ast::YaraString& s : member.strings()) marks.member_starts.insert(s.span.begin);
    if (member.block()) MarkBody(member.block()->body, marks);
  }
}

}  // namespace

LayoutMarks MarksOf(const ast::File& file) {
  LayoutMarks marks;
  for (const ast::Decl& decl : file.decls) {
    marks.decl_starts.insert(decl.span.begin);
    MarkBody(decl.body, marks);
    for (const ast::CatalogEntry& entry : decl.entries) {
      marks.member_starts.insert(entry.span.begin);
      if (entry.body) MarkBody(*entry.body, marks);
    }
  }
  return marks;
}

}  // namespace ward::format
