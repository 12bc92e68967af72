#include "compiler/sema/yara_test_cases.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <string>
#include <system_error>

#include "compiler/sema/values.h"
#include "compiler/support/text_util.h"

namespace ward::sema {
namespace {

namespace fs = std::filesystem;

const std::vector<std::string>& TestMembers() {
  static const std::vector<std::string> members = {"file", "data", "expect"};
  return members;
}

// `expect: match` (a bare name) or `expect: "match"`.
std::optional<bool> Expectation(const ast::Property& prop, DiagnosticEngine& diags) {
  const ast::Value* value = Single(prop, diags);
  if (!value) return std::nullopt;
  std::string word;
  if (value->kind == ast::Value::Kind::kString) {
    word = value->text;
  } else if (value->kind == ast::Value::Kind::kRef && !value->catalog_key() &&
             value->ref.parts.size() == 1) {
    word = value->ref.parts[0].text;
  }
  if (word == "match") return true;
  if (word == "no_match") return false;
  DiagBuilder diag(DiagCode::kInvalidExpectation, value->span,
                   word.empty() ? fmt::format("`expect` takes `match` or `no_match`, found {}",
                                              DescribeValue(*value))
                                : fmt::format("invalid expectation `{}`", word));
  diag.Label("not `match` or `no_match`");
  if (auto close = ClosestMatch(word, {"match", "no_match"}); close && !word.empty()) {
    diag.Help(fmt::format("did you mean `{}`?", *close)).Fix(value->span, *close);
  } else {
    diag.Help("write `expect: match` or `expect: no_match`");
  }
  diags.Report(std::move(diag));
  return std::nullopt;
}

bool IsInside(const fs::path& path, const fs::path& root) {
  std::error_code ec;
  fs::path canonical_path = fs::weakly_canonical(path, ec);
  if (ec) canonical_path = path.lexically_normal();
  fs::path canonical_root = fs::weakly_canonical(root, ec);
  if (ec) canonical_root = root.lexically_normal();
  fs::path relative = canonical_path.lexically_relative(canonical_root);
  if (relative.empty()) return false;
  auto first = relative.begin();
  return first == relative.end() || *first != "..";
}

// Resolves and checks a sample path; nullopt after reporting.
std::optional<std::string> SamplePath(const std::string& written, const ast::Value& value,
                                      LoweringContext& ctx) {
  if (written.empty()) {
    ctx.diags.Report(Diag(DiagCode::kEmptyValue, value.span, "`file` is empty")
                         .Label("no path")
                         .Help("give the sample's path relative to this .ward file"));
    return std::nullopt;
  }
  std::error_code ec;
  fs::path path(written);
  if (path.is_relative()) path = fs::path(ctx.base_dir) / path;
  fs::path absolute = fs::absolute(path, ec);
  if (!ec) path = absolute;
  path = path.lexically_normal();
  if (!ctx.root_dir.empty()) {
    fs::path root = fs::absolute(fs::path(ctx.root_dir), ec);
    if (ec) root = fs::path(ctx.root_dir);
    if (!IsInside(path, root)) {
      ctx.diags.Report(Diag(DiagCode::kPathEscapesRoot, value.span,
                            fmt::format("test sample `{}` is outside the ruleset root", written))
                           .Label("leaves the ruleset")
                           .Note(fmt::format("the ruleset root is `{}`",
                                             root.lexically_normal().string()))
                           .Help("keep samples inside the ruleset, e.g. in a `samples/` "
                                 "directory next to the .ward file"));
      return std::nullopt;
    }
  }
  fs::file_status status = fs::status(path, ec);
  if (ec || !fs::exists(status)) {
    ctx.diags.Report(Diag(DiagCode::kTestFileMissing, value.span,
                          fmt::format("test sample `{}` does not exist", written))
                         .Label("no file at this path")
                         .Note(fmt::format("looked for `{}`", path.string()))
                         .Help("paths are relative to the directory of this .ward file"));
    return std::nullopt;
  }
  if (!fs::is_regular_file(status)) {
    ctx.diags.Report(Diag(DiagCode::kTestFileMissing, value.span,
                          fmt::format("test sample `{}` is not a regular file", written))
                         .Label(fs::is_directory(status) ? "a directory" : "not a regular file")
                         .Help("name the sample file itself"));
    return std::nullopt;
  }
  return path.string();
}

}  // namespace

std::optional<ir::TestCase> LowerYaraTest(const ast::Block& block, LoweringContext& ctx) {
  ir::TestCase test;
  test.span = block.span;
  if (block.args.empty()) {
    ctx.diags.Report(Diag(DiagCode::kMissingProperty, block.kind.span, "test has no name")
                         .Label("name expected after `test`")
                         .Help("name the test: `test \"matches the payload\" { ... }`"));
  } else {
    test.name = block.args[0].first;
  }

  std::map<std::string, const ast::Property*> seen;
  const ast::Property* input = nullptr;
  const ast::Property* expect = nullptr;
  bool input_ok = false;
  bool expect_ok = false;
  for (const ast::Member& member : block.body.members) {
    if (member.kind != ast::Member::Kind::kProperty) {
      Span span = member.kind == ast::Member::Kind::kBlock && member.block()
                      ? member.block()->kind.span
                      : member.keyword_span;
      ctx.diags.Report(Diag(DiagCode::kUnknownProperty, span.valid() ? span : member.span,
                            "unexpected clause in a yara test")
                           .Label("not allowed here")
                           .Help("a yara test takes `file` or `data`, and `expect`"));
      continue;
    }
    const ast::Property& prop = member.property;
    const std::string& key = prop.key.text;
    if (key == "event" || key == "events") {
      ctx.diags.Report(Diag(DiagCode::kTestMissingInput, prop.key.span,
                            fmt::format("`{}` is a test input of sigma detections", key))
                           .Label("not a yara test input")
                           .Help("a yara test scans bytes: use `file: \"path\"` or "
                                 "`data: \"bytes\"`"));
      if (!input) input = &prop;  // an input was given, if of the wrong kind
      continue;
    }
    if (std::find(TestMembers().begin(), TestMembers().end(), key) == TestMembers().end()) {
      DiagBuilder diag(DiagCode::kUnknownProperty, prop.key.span,
                       fmt::format("unknown property `{}` in a yara test", key));
      diag.Label("not a test property");
      if (auto close = ClosestMatch(key, TestMembers())) {
        diag.Help(fmt::format("did you mean `{}`?", *close)).Fix(prop.key.span, *close);
      } else {
        diag.Help("a yara test takes `file` or `data`, and `expect`");
      }
      ctx.diags.Report(std::move(diag));
      continue;
    }
    if (auto [it, inserted] = seen.emplace(key, &prop); !inserted) {
      ctx.diags.Report(Diag(DiagCode::kDuplicateProperty, prop.key.span,
                            fmt::format("`{}` is given twice", key))
                           .Label("given again here")
                           .Secondary(it->second->key.span, "first given here")
                           .Help("keep one of them"));
      continue;
    }
    if (key == "expect") {
      expect = &prop;
      if (auto match = Expectation(prop, ctx.diags)) {
        test.expect_match = *match;
        expect_ok = true;
      }
      continue;
    }
    if (input && (input->key.text == "file" || input->key.text == "data")) {
      ctx.diags.Report(Diag(DiagCode::kTestMissingInput, prop.key.span,
                            "a test takes either `file` or `data`, not both")
                           .Label("second input")
                           .Secondary(input->key.span, "first input")
                           .Help("split it into two tests"));
      continue;
    }
    input = &prop;
    const ast::Value* value = Single(prop, ctx.diags);
    if (!value) continue;
    std::optional<std::string> text = AsString(*value, key, ctx.diags);
    if (!text) continue;
    if (key == "data") {
      test.data = *text;
      input_ok = true;
    } else if (auto path = SamplePath(*text, *value, ctx)) {
      test.file = *path;
      input_ok = true;
    }
  }

  Span where = block.kind.span.valid() ? block.kind.span : block.span;
  if (!input) {
    ctx.diags.Report(Diag(DiagCode::kTestMissingInput, where,
                          fmt::format("test `{}` has no input", test.name))
                         .Label("nothing to scan")
                         .Help("add `file: \"samples/x.bin\"` (relative to this .ward file) or "
                               "`data: \"bytes\"`"));
  }
  if (!expect) {
    ctx.diags.Report(Diag(DiagCode::kInvalidExpectation, where,
                          fmt::format("test `{}` has no `expect`", test.name))
                         .Label("expectation missing")
                         .Help("add `expect: match` or `expect: no_match`"));
  }
  if (!input_ok || !expect_ok) return std::nullopt;
  return test;
}

}  // namespace ward::sema
