// props/adapter_test.cpp: the rapidcheck adapter (rc_gtest.h): fixed seeds give the same
// result on every run, a failure reports its seed, runs and reproduce string, and the
// reproduce string replays exactly the shrunk case.
#include <gtest/gtest.h>

#include <rapidcheck.h>

#include "props/rc_gtest.h"

namespace mmsim::props {
namespace {

// Fails for every value from 700 up: rapidcheck shrinks the counterexample to exactly 700.
void threshold_property(int* seen) {
  const int v = *rc::gen::inRange(0, 1000);
  if (seen != nullptr) *seen = v;
  RC_ASSERT(v < 700);
}

TEST(Adapter, FixedSeedGivesTheSameFailureEveryTime) {
  const PropConfig cfg{42, 500, 100, true};
  const PropOutcome a = run_property("adapter/threshold", cfg, [] { threshold_property(nullptr); });
  const PropOutcome b = run_property("adapter/threshold", cfg, [] { threshold_property(nullptr); });
  ASSERT_TRUE(a.failed);
  EXPECT_EQ(a.runs, b.runs);
  EXPECT_EQ(a.counterexample, b.counterexample);
  EXPECT_EQ(a.reproduce, b.reproduce);
  EXPECT_NE(a.counterexample.find("700"), std::string::npos) << a.counterexample;
  const std::string text = describe("adapter/threshold", a);
  EXPECT_NE(text.find("seed=42"), std::string::npos) << text;
  EXPECT_NE(text.find("RC_PARAMS=\"" + a.reproduce + "\""), std::string::npos) << text;
  EXPECT_NE(a.reproduce.find("reproduce="), std::string::npos) << a.reproduce;
}

TEST(Adapter, ReproduceStringReplaysTheShrunkCaseAlone) {
  const PropConfig cfg{7, 500, 100, true};
  const PropOutcome first =
      run_property("adapter/replay", cfg, [] { threshold_property(nullptr); });
  ASSERT_TRUE(first.failed);
  int calls = 0;
  int seen = -1;
  const PropOutcome again = run_property(
      "adapter/replay", cfg,
      [&] {
        calls++;
        threshold_property(&seen);
      },
      first.reproduce);
  EXPECT_TRUE(again.failed);
  // No search and no shrinking: rapidcheck walks the recorded shrink path to the named case
  // (one run per accepted shrink at most) and that case is the last one run.
  EXPECT_LE(calls, first.shrinks_accepted + 2);
  EXPECT_EQ(seen, 700);
}

TEST(Adapter, HoldingPropertyRunsItsBudget) {
  const PropConfig cfg{3, 123, 20, true};
  const PropOutcome out =
      run_property("adapter/holds", cfg, [] { RC_ASSERT(*rc::gen::inRange(0, 10) < 10); });
  EXPECT_FALSE(out.failed);
  EXPECT_FALSE(out.gave_up);
  EXPECT_EQ(out.runs, 123);
}

// The macro form: a GoogleTest test whose body is the property, run with the parameters the
// macro is given. The size bound shows that they reach rapidcheck: under rapidcheck's default
// (max size 100) 50 runs reach sizes far above 10, and the property fails.
MMSIM_RC_PROP(Adapter, MacroDefinesAGoogleTest, (PropConfig{11, 50, 10, true})) {
  const int size = *rc::gen::withSize([](int s) { return rc::gen::just(s); });
  RC_ASSERT(size <= 10);
}

}  // namespace
}  // namespace mmsim::props
