// Finding the emitted Sigma and YARA rule of a detection by its stable ID.

#include "backends/mapping/rule_text.h"

#include <gtest/gtest.h>

namespace ward::backends::mapping {
namespace {

TEST(RuleText, SigmaRulesAreFoundByTopLevelId) {
  OutputSet out;
  out.Add("sigma/a/b/rule_one.yml", "title: One\nid: 'aaaaaaaa-0000-5000-8000-000000000001'\n");
  out.Add("sigma/a/corr.yml",
          "title: Corr\nid: aaaaaaaa-0000-5000-8000-000000000002\ncorrelation:\n  rules:\n"
          "    - aaaaaaaa-0000-5000-8000-000000000003\nrelated:\n  - id: "
          "aaaaaaaa-0000-5000-8000-000000000004\n");
  out.Add("notsigma/x.yml", "id: aaaaaaaa-0000-5000-8000-000000000005\n");
  auto index = IndexEmittedRules(out);
  ASSERT_TRUE(index.count(EmittedRuleKey("sigma", "aaaaaaaa-0000-5000-8000-000000000001")));
  EXPECT_EQ(index.at(EmittedRuleKey("sigma", "aaaaaaaa-0000-5000-8000-000000000001")).path,
            "sigma/a/b/rule_one.yml");
  EXPECT_TRUE(index.count(EmittedRuleKey("sigma", "aaaaaaaa-0000-5000-8000-000000000002")));
  // IDs that are only mentioned (correlated rules, related entries) or live
  // outside sigma/ are not rules of their own here.
  EXPECT_FALSE(index.count(EmittedRuleKey("sigma", "aaaaaaaa-0000-5000-8000-000000000003")));
  EXPECT_FALSE(index.count(EmittedRuleKey("sigma", "aaaaaaaa-0000-5000-8000-000000000004")));
  EXPECT_FALSE(index.count(EmittedRuleKey("sigma", "aaaaaaaa-0000-5000-8000-000000000005")));
  EXPECT_FALSE(index.count(EmittedRuleKey("yara", "aaaaaaaa-0000-5000-8000-000000000001")));
}

TEST(RuleText, YaraRuleBlockIsCutOutWithItsImports) {
  OutputSet out;
  out.Add("yara/pkg.yar",
          "// header\n\nimport \"pe\"\n\nrule first {\n  meta:\n    id = \"id-1\"\n  condition:\n"
          "    pe.number_of_sections > 1\n}\n\nglobal private rule second : tag {\n  meta:\n"
          "    id = \"id-2\"\n  condition:\n    first\n}\n");
  out.Add("yara/all.yar", "include \"pkg.yar\"\n");
  auto index = IndexEmittedRules(out);
  ASSERT_TRUE(index.count(EmittedRuleKey("yara", "id-2")));
  EXPECT_EQ(index.at(EmittedRuleKey("yara", "id-2")).text,
            "import \"pe\"\n\nglobal private rule second : tag {\n  meta:\n    id = \"id-2\"\n"
            "  condition:\n    first\n}\n");
  EXPECT_EQ(index.at(EmittedRuleKey("yara", "id-1")).text.find("second"), std::string::npos);
}

}  // namespace
}  // namespace ward::backends::mapping
