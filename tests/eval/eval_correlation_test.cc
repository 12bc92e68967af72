// Correlations over time-ordered events: every type, group-by, sliding
// timespans, aliases, events without timestamps.

#include <gtest/gtest.h>

#include "tests/eval/eval_testlib.h"

namespace ward::eval_test {
namespace {

ir::CorrelationThreshold Threshold(std::string op, double value) {
  ir::CorrelationThreshold t;
  t.op = std::move(op);
  t.value = value;
  return t;
}

json At(std::string time, json fields) {
  fields["@timestamp"] = std::move(time);
  return fields;
}

struct Fixture {
  std::unique_ptr<ir::Detection> login = MakeRule("login", Leaf("event", {}, {Str("login")}));
  std::unique_ptr<ir::Detection> failed = MakeRule("failed", Leaf("event", {}, {Str("failed")}));
  std::unique_ptr<ir::Detection> upload = MakeRule("upload", Leaf("event", {}, {Str("upload")}));
};

std::unique_ptr<eval::Correlation> CompileOrFail(const ir::Detection& detection) {
  std::vector<eval::EvalError> errors;
  auto compiled = eval::Correlation::Compile(detection, {}, {}, errors);
  EXPECT_TRUE(compiled) << (errors.empty() ? "" : errors[0].message);
  return compiled;
}

// The indexes of the events that raised an alert.
std::vector<size_t> Alerts(eval::Correlation& correlation, const std::vector<json>& events) {
  correlation.Reset();
  std::vector<size_t> out;
  for (const json& e : events) {
    for (const eval::CorrelationAlert& alert : correlation.Feed(e))
      out.push_back(alert.event_index);
  }
  return out;
}

TEST(EvalCorrelationTest, EventCountPerGroupWithinTheTimespan) {
  Fixture f;
  auto corr = MakeCorrelation("burst", "event_count", {f.failed.get()}, {"user"}, 60,
                              {Threshold("gte", 3)});
  auto c = CompileOrFail(*corr);
  ASSERT_TRUE(c);
  // Three failures of one user within a minute.
  EXPECT_EQ(Alerts(*c, {At("2026-01-01T10:00:00Z", {{"event", "failed"}, {"user", "a"}}),
                        At("2026-01-01T10:00:20Z", {{"event", "failed"}, {"user", "a"}}),
                        At("2026-01-01T10:00:40Z", {{"event", "failed"}, {"user", "a"}})}),
            std::vector<size_t>({2}));
  // Spread over two users: no alert.
  EXPECT_TRUE(Alerts(*c, {At("2026-01-01T10:00:00Z", {{"event", "failed"}, {"user", "a"}}),
                          At("2026-01-01T10:00:20Z", {{"event", "failed"}, {"user", "b"}}),
                          At("2026-01-01T10:00:40Z", {{"event", "failed"}, {"user", "a"}})})
                  .empty());
  // The window slides: the first failure is more than 60 s before the third.
  EXPECT_TRUE(Alerts(*c, {At("2026-01-01T10:00:00Z", {{"event", "failed"}, {"user", "a"}}),
                          At("2026-01-01T10:00:30Z", {{"event", "failed"}, {"user", "a"}}),
                          At("2026-01-01T10:01:01Z", {{"event", "failed"}, {"user", "a"}})})
                  .empty());
  // ...but a fourth inside the window of the second and third fires.
  EXPECT_EQ(Alerts(*c, {At("2026-01-01T10:00:00Z", {{"event", "failed"}, {"user", "a"}}),
                        At("2026-01-01T10:00:30Z", {{"event", "failed"}, {"user", "a"}}),
                        At("2026-01-01T10:01:01Z", {{"event", "failed"}, {"user", "a"}}),
                        At("2026-01-01T10:01:10Z", {{"event", "failed"}, {"user", "a"}})}),
            std::vector<size_t>({3}));
  // Events that do not match the correlated rule are not counted.
  EXPECT_TRUE(Alerts(*c, {At("2026-01-01T10:00:00Z", {{"event", "failed"}, {"user", "a"}}),
                          At("2026-01-01T10:00:01Z", {{"event", "login"}, {"user", "a"}}),
                          At("2026-01-01T10:00:02Z", {{"event", "failed"}, {"user", "a"}})})
                  .empty());
}

TEST(EvalCorrelationTest, EventsWithoutTimestampsAreInOrderAndWithinTheTimespan) {
  Fixture f;
  auto corr =
      MakeCorrelation("burst", "event_count", {f.failed.get()}, {"user"}, 1, {Threshold("gte", 3)});
  auto c = CompileOrFail(*corr);
  ASSERT_TRUE(c);
  json e = {{"event", "failed"}, {"user", "a"}};
  EXPECT_EQ(Alerts(*c, {e, e, e, e}), std::vector<size_t>({2}));  // one alert per rising edge
}

TEST(EvalCorrelationTest, EpochTimestamps) {
  Fixture f;
  auto corr =
      MakeCorrelation("burst", "event_count", {f.failed.get()}, {}, 10, {Threshold("gte", 2)});
  auto c = CompileOrFail(*corr);
  ASSERT_TRUE(c);
  // Epoch seconds: 11 s apart, outside the 10 s window.
  EXPECT_TRUE(Alerts(*c, {{{"event", "failed"}, {"timestamp", 1700000000}},
                          {{"event", "failed"}, {"timestamp", 1700000011}}})
                  .empty());
  // Epoch milliseconds (above 1e11): 9.999 s apart, inside it.
  EXPECT_EQ(Alerts(*c, {{{"event", "failed"}, {"timestamp", 1700000000000}},
                        {{"event", "failed"}, {"timestamp", 1700000009999}}}),
            std::vector<size_t>({1}));
  // RFC 3339 with a zone offset: 10:00:05+01:00 is 09:00:05Z, 5 s after 09:00:00Z.
  EXPECT_EQ(Alerts(*c, {{{"event", "failed"}, {"time", "2026-01-01T09:00:00Z"}},
                        {{"event", "failed"}, {"time", "2026-01-01T10:00:05+01:00"}}}),
            std::vector<size_t>({1}));
}

TEST(EvalCorrelationTest, ValueCountCountsDistinctValues) {
  Fixture f;
  auto corr = MakeCorrelation("spray", "value_count", {f.failed.get()}, {"source"}, 300,
                              {Threshold("gte", 3)}, "user");
  auto c = CompileOrFail(*corr);
  ASSERT_TRUE(c);
  auto e = [](std::string user) {
    return json{{"event", "failed"}, {"source", "1.2.3.4"}, {"user", user}};
  };
  EXPECT_TRUE(Alerts(*c, {e("a"), e("a"), e("b"), e("b")}).empty());
  EXPECT_EQ(Alerts(*c, {e("a"), e("b"), e("a"), e("c")}), std::vector<size_t>({3}));
}

TEST(EvalCorrelationTest, ValueSumAndAverage) {
  Fixture f;
  auto sum = MakeCorrelation("burn", "value_sum", {f.upload.get()}, {"user"}, 3600,
                             {Threshold("gte", 2000000)}, "bytes");
  auto avg = MakeCorrelation("big", "value_avg", {f.upload.get()}, {"user"}, 3600,
                             {Threshold("gt", 1000)}, "bytes");
  auto s = CompileOrFail(*sum);
  auto a = CompileOrFail(*avg);
  ASSERT_TRUE(s && a);
  auto e = [](std::string user, int64_t bytes) {
    return json{{"event", "upload"}, {"user", user}, {"bytes", bytes}};
  };
  EXPECT_EQ(Alerts(*s, {e("u", 1200000), e("u", 950000)}), std::vector<size_t>({1}));
  EXPECT_TRUE(Alerts(*s, {e("u", 1200000), e("v", 950000)}).empty());
  EXPECT_TRUE(Alerts(*a, {e("u", 500), e("u", 1400)}).empty());                  // avg 950
  EXPECT_EQ(Alerts(*a, {e("u", 500), e("u", 1600)}), std::vector<size_t>({1}));  // avg 1050
  // A string holding a number counts; other values are ignored.
  EXPECT_EQ(Alerts(*s, {json{{"event", "upload"}, {"user", "u"}, {"bytes", "2000000"}}}),
            std::vector<size_t>({0}));
}

TEST(EvalCorrelationTest, ValuePercentileRanksTheNewestValue) {
  Fixture f;
  auto corr = MakeCorrelation("outlier", "value_percentile", {f.upload.get()}, {"user"}, 3600,
                              {Threshold("gte", 75)}, "bytes");
  auto c = CompileOrFail(*corr);
  ASSERT_TRUE(c);
  auto e = [](int64_t bytes) { return json{{"event", "upload"}, {"user", "u"}, {"bytes", bytes}}; };
  // 10, 20, 30, then 500: three of four values lie below 500 (rank 75).
  EXPECT_EQ(Alerts(*c, {e(10), e(20), e(30), e(500)}), std::vector<size_t>({3}));
  EXPECT_TRUE(Alerts(*c, {e(10), e(20), e(30), e(15)}).empty());
}

TEST(EvalCorrelationTest, TemporalNeedsEveryRuleInAnyOrder) {
  Fixture f;
  auto corr =
      MakeCorrelation("chain", "temporal", {f.login.get(), f.upload.get()}, {"user"}, 300, {});
  auto c = CompileOrFail(*corr);
  ASSERT_TRUE(c);
  json login = {{"event", "login"}, {"user", "a"}};
  json upload = {{"event", "upload"}, {"user", "a"}};
  json upload_b = {{"event", "upload"}, {"user", "b"}};
  EXPECT_EQ(Alerts(*c, {upload, login}), std::vector<size_t>({1}));
  EXPECT_TRUE(Alerts(*c, {login, upload_b}).empty());
  EXPECT_TRUE(
      Alerts(*c, {At("2026-01-01T10:00:00Z", login), At("2026-01-01T10:05:01Z", upload)}).empty());
  // With `where: count >= 1` one of the rules is enough.
  auto any = MakeCorrelation("either", "temporal", {f.login.get(), f.upload.get()}, {"user"}, 300,
                             {Threshold("gte", 1)});
  auto c_any = CompileOrFail(*any);
  ASSERT_TRUE(c_any);
  EXPECT_EQ(Alerts(*c_any, {upload_b}), std::vector<size_t>({0}));
}

TEST(EvalCorrelationTest, TemporalOrderedNeedsTheListedOrder) {
  Fixture f;
  auto corr = MakeCorrelation("chain", "temporal_ordered", {f.login.get(), f.upload.get()},
                              {"user"}, 300, {});
  auto c = CompileOrFail(*corr);
  ASSERT_TRUE(c);
  json login = {{"event", "login"}, {"user", "a"}};
  json upload = {{"event", "upload"}, {"user", "a"}};
  EXPECT_EQ(Alerts(*c, {login, upload}), std::vector<size_t>({1}));
  EXPECT_TRUE(Alerts(*c, {upload, login}).empty());
  EXPECT_EQ(Alerts(*c, {upload, login, upload}), std::vector<size_t>({2}));
}

TEST(EvalCorrelationTest, AliasesGroupFieldsNamedDifferently) {
  Fixture f;
  auto corr = MakeCorrelation("chain", "temporal_ordered", {f.login.get(), f.upload.get()}, {"uid"},
                              300, {});
  auto& c_ir = *corr->As<ir::SigmaLogic>()->correlation;
  const_cast<ir::Correlation&>(c_ir).aliases["uid"] = {{f.login.get(), "user.id"},
                                                       {f.upload.get(), "user.name"}};
  auto c = CompileOrFail(*corr);
  ASSERT_TRUE(c);
  json login = {{"event", "login"}, {"user", {{"id", "alice"}}}};
  json upload = {{"event", "upload"}, {"user.name", "alice"}};
  json upload_other = {{"event", "upload"}, {"user.name", "bob"}};
  EXPECT_EQ(Alerts(*c, {login, upload}), std::vector<size_t>({1}));
  EXPECT_TRUE(Alerts(*c, {login, upload_other}).empty());
}

TEST(EvalCorrelationTest, FailureDescriptionShowsTheAggregate) {
  Fixture f;
  auto corr = MakeCorrelation("burn", "value_sum", {f.upload.get()}, {"user"}, 3600,
                              {Threshold("gte", 2000000)}, "bytes");
  auto c = CompileOrFail(*corr);
  ASSERT_TRUE(c);
  Alerts(*c, {json{{"event", "upload"}, {"user", "u"}, {"bytes", 600000}},
              json{{"event", "upload"}, {"user", "u"}, {"bytes", 700000}}});
  std::vector<std::string> groups = c->DescribeGroups();
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0],
            "user=\"u\": 2 events in the 3600s window, sum(bytes) = 1300000 (needs >= 2000000)");
}

TEST(EvalCorrelationTest, CorrelationOfACorrelation) {
  Fixture f;
  auto inner = MakeCorrelation("burst", "event_count", {f.failed.get()}, {"user"}, 60,
                               {Threshold("gte", 2)});
  auto outer = MakeCorrelation("burst_then_upload", "temporal_ordered",
                               {inner.get(), f.upload.get()}, {"user"}, 300, {});
  auto c = CompileOrFail(*outer);
  ASSERT_TRUE(c);
  json failed = {{"event", "failed"}, {"user", "a"}};
  json upload = {{"event", "upload"}, {"user", "a"}};
  EXPECT_EQ(Alerts(*c, {failed, failed, upload}), std::vector<size_t>({2}));
  EXPECT_TRUE(Alerts(*c, {failed, upload}).empty());
}

TEST(EvalCorrelationTest, InvalidCorrelationsDoNotCompile) {
  Fixture f;
  auto no_field =
      MakeCorrelation("x", "value_sum", {f.upload.get()}, {"user"}, 60, {Threshold("gte", 1)});
  std::vector<eval::EvalError> errors;
  EXPECT_FALSE(eval::Correlation::Compile(*no_field, {}, {}, errors));
  ASSERT_FALSE(errors.empty());
  EXPECT_EQ(errors[0].message, "a value_sum correlation needs a condition field");
}

}  // namespace
}  // namespace ward::eval_test
