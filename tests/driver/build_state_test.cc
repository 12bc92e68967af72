// The build state the incremental build keeps (build_state.h): what is
// written reads back the same, and anything damaged reads as no state.
#include "compiler/driver/build_state.h"

#include <gtest/gtest.h>

namespace ward::driver {
namespace {

BuildState Sample() {
  BuildState state;
  state.key = "abc";
  state.lock_sha256 = std::string(64, 'e');
  state.recorded_at_ns = 1796159192039683390;
  state.files.push_back(
      {"/r/a.ward", 10, 5, 8, std::string(64, '1'), "demo.a", {"demo.b", "catalogs.atlas"}});
  state.files.push_back({"/r/b.ward", 0, 6, 9, std::string(64, '2'), "demo.b", {}});
  state.outputs.push_back({"sigma/demo/a/x.yml", "demo.a", 12, std::string(64, '3'), 77});
  state.outputs.push_back({"yara/all.yar", "", 40, std::string(64, '4'), 0});
  BuildState::Package& a = state.packages["demo.a"];
  a.threats = 2;
  a.detections = {{"sigma", 3}, {"yara", 1}};
  a.ids = {"id-1", "id-2"};
  a.rule_ids = {"id-1"};
  state.packages["demo.b"].mitigations = 4;
  return state;
}

void ExpectSame(const BuildState& a, const BuildState& b) {
  EXPECT_EQ(a.key, b.key);
  EXPECT_EQ(a.lock_sha256, b.lock_sha256);
  EXPECT_EQ(a.recorded_at_ns, b.recorded_at_ns);
  EXPECT_EQ(a.files, b.files);
  ASSERT_EQ(a.outputs.size(), b.outputs.size());
  for (size_t i = 0; i < a.outputs.size(); ++i) {
    EXPECT_EQ(a.outputs[i].path, b.outputs[i].path);
    EXPECT_EQ(a.outputs[i].package, b.outputs[i].package);
    EXPECT_EQ(a.outputs[i].size, b.outputs[i].size);
    EXPECT_EQ(a.outputs[i].sha256, b.outputs[i].sha256);
    EXPECT_EQ(a.outputs[i].mtime_ns, b.outputs[i].mtime_ns);
  }
  ASSERT_EQ(a.packages.size(), b.packages.size());
  for (const auto& [name, p] : a.packages) {
    const BuildState::Package& q = b.packages.at(name);
    EXPECT_EQ(p.threats, q.threats);
    EXPECT_EQ(p.mitigations, q.mitigations);
    EXPECT_EQ(p.detections, q.detections);
    EXPECT_EQ(p.ids, q.ids);
    EXPECT_EQ(p.rule_ids, q.rule_ids);
  }
}

TEST(BuildStateTest, ReadsBackWhatWasWritten) {
  std::string text = SerializeBuildState(Sample());
  ASSERT_FALSE(text.empty());
  std::optional<BuildState> read = ParseBuildState(text);
  ASSERT_TRUE(read);
  ExpectSame(Sample(), *read);
  EXPECT_EQ(SerializeBuildState(*read), text);
}

TEST(BuildStateTest, DamagedOrCutShortReadsAsNoState) {
  std::string text = SerializeBuildState(Sample());
  EXPECT_FALSE(ParseBuildState(""));
  EXPECT_FALSE(ParseBuildState(text.substr(0, text.size() - 4)));
  EXPECT_FALSE(ParseBuildState(text.substr(0, text.size() / 2)));
  std::string other_version = text;
  other_version.replace(other_version.find("state 1"), 7, "state 9");
  EXPECT_FALSE(ParseBuildState(other_version));
  std::string bad_number = text;
  bad_number.replace(bad_number.find("\t10\t"), 4, "\tx0\t");
  EXPECT_FALSE(ParseBuildState(bad_number));
}

TEST(BuildStateTest, AFieldThatWouldBreakTheFormatIsNotRecorded) {
  BuildState state = Sample();
  state.files[0].path = "/r/tab\there.ward";
  EXPECT_EQ(SerializeBuildState(state), "");
  state = Sample();
  state.outputs[0].path = "sigma/new\nline.yml";
  EXPECT_EQ(SerializeBuildState(state), "");
  state = Sample();
  state.files[0].imports.push_back("a,b");
  EXPECT_EQ(SerializeBuildState(state), "");
}

}  // namespace
}  // namespace ward::driver
