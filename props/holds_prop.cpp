// props/holds_prop.cpp: for every policy, the promises it is expected to keep (the "holds"
// cells of docs/properties.md) over random programs: a CI-sized run under `make test`, a
// longer one under `make soak` (MMSIM_SOAK=1). A failure prints the seed, the reproduce
// string and the shrunk program, and writes it as a .litmus file.
#include <gtest/gtest.h>

#include "props/prop_testing.h"
#include "sim/policy.h"

namespace mmsim::props {
namespace {

class Holds : public ::testing::TestWithParam<PolicyId> {};

TEST_P(Holds, ExpectedPromises) {
  const PolicyId policy = GetParam();
  const PromiseSet promises = PromiseSet::holding(policy);
  const std::string id = current_test_id();
  const PropConfig cfg = hold_config(0x5EED0000u + static_cast<uint64_t>(policy));
  Coverage coverage;
  last_failure().reset();
  const PropOutcome out =
      run_property(id, cfg, [&] { check_program(policy, promises, &coverage, hold_style()); });
  std::string where;
  if (out.failed && last_failure()) {
    const std::string name = std::string(policy_name(policy)) + "-" +
                             std::string(promise_name(last_failure()->violation.promise)) +
                             "-holds";
    where = "counterexample: " + write_counterexample(*last_failure(), name) + "\n" +
            counterexample_text(*last_failure(), name);
  }
  EXPECT_FALSE(out.failed || out.gave_up) << describe(id, out) << where;
  std::cout << "[ coverage ] " << policy_name(policy) << ": " << out.runs << " programs, "
            << coverage.get("op/write") << " writes, " << coverage.get("meet/fork x pinned page")
            << " forks of pinned pages\n";
}

std::string policy_param_name(const ::testing::TestParamInfo<PolicyId>& info) {
  std::string out;
  for (char c : policy_name(info.param)) out += c == '-' ? '_' : c;
  return out;
}

INSTANTIATE_TEST_SUITE_P(AllPolicies, Holds, ::testing::ValuesIn(all_policies()),
                         policy_param_name);

}  // namespace
}  // namespace mmsim::props
