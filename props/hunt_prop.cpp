// props/hunt_prop.cpp: the hunt must work. For every "breaks" cell of the expectation table
// (props/promises.cpp, docs/properties.md), rapidcheck must find a counterexample within a
// fixed budget of programs from a fixed seed, shrink it to a short program that breaks that
// very promise, and the counterexample's .litmus file must reproduce the violation when the
// model checker runs it under the same policy (the round trip of issue #6 item 5).
#include <gtest/gtest.h>

#include <iostream>
#include <sstream>

#include "model/cli/cli.h"

#include "props/hunt.h"
#include "sim/policy.h"

namespace mmsim::props {
namespace {

constexpr int kBudget = 5000;         // programs before the hunt counts as failed
constexpr size_t kShortProgram = 12;  // steps a shrunk counterexample may have at most

struct Cell {
  PolicyId policy;
  Promise promise;
};

std::vector<Cell> expected_breaks() {
  std::vector<Cell> out;
  for (PolicyId p : all_policies()) {
    for (Promise q : all_promises()) {
      const Expectation e = expected(p, q);
      if (e.verdict == Verdict::Breaks && e.hunted) out.push_back(Cell{p, q});
    }
  }
  return out;
}

class Hunt : public ::testing::TestWithParam<Cell> {};

TEST_P(Hunt, FindsShrinksAndReplays) {
  const Cell c = GetParam();
  const Expectation want = expected(c.policy, c.promise);
  const HuntResult r = hunt(c.policy, c.promise, hunt_seed(c.policy, c.promise), kBudget);
  const std::string id = current_test_id();
  ASSERT_TRUE(r.outcome.failed) << "no counterexample for " << want.hazard << " in " << kBudget
                                << " programs\n"
                                << describe(id, r.outcome);
  ASSERT_TRUE(r.failure.has_value());
  EXPECT_EQ(r.failure->violation.promise, c.promise) << r.failure->violation.message;
  const size_t steps = r.failure->program.steps.size();
  EXPECT_LE(r.shrunk_steps, kShortProgram) << r.litmus;
  EXPECT_LE(steps, r.shrunk_steps);
  std::string why;
  EXPECT_TRUE(replays(r.litmus, c.policy, &why)) << why << "\n" << r.litmus;
  EXPECT_EQ(why.rfind("model error", 0) == 0, c.promise == Promise::Invariants) << why;
  // The file on disk, through the command line: an unmet expectation (or a model error) is 1.
  const char* argv[] = {"mmsim", "run", "--quiet", r.path.c_str()};
  std::ostringstream out, err;
  EXPECT_EQ(model::mmsim_main(4, argv, out, err), 1) << out.str() << err.str();
  std::cout << "[ hunt ] " << policy_name(c.policy) << " x " << promise_name(c.promise) << " ("
            << want.hazard << "): found after " << r.outcome.runs << " program(s), shrunk to "
            << r.shrunk_steps << " step(s) by rapidcheck (" << r.outcome.shrinks_accepted
            << " shrinks), " << steps << " after minimize; replay: " << why << "\n"
            << r.litmus << "[ file ] " << r.path << "\n";
}

std::string cell_name(const ::testing::TestParamInfo<Cell>& info) {
  std::string out;
  for (char ch : std::string(policy_name(info.param.policy)) + "_" +
                     std::string(promise_name(info.param.promise))) {
    out += ch == '-' ? '_' : ch;
  }
  return out;
}

INSTANTIATE_TEST_SUITE_P(ExpectedBreaks, Hunt, ::testing::ValuesIn(expected_breaks()), cell_name);

}  // namespace
}  // namespace mmsim::props
