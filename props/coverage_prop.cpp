// props/coverage_prop.cpp: what the generated programs reach. Runs every policy's CI-sized hold
// property with coverage counting, prints per-command, per-result, per-hook and per-meeting
// counts, and asserts that the interesting meetings happen at all: pins met forks, pipes met
// forks, reclaim and migration met marked pages, DMA and pipe reads came after the last
// unmap, suspend met wipeonsuspend ranges.
#include <gtest/gtest.h>

#include <algorithm>
#include <iostream>

#include "props/prop_testing.h"
#include "sim/op_table.h"
#include "sim/policy.h"

namespace mmsim::props {
namespace {

TEST(Coverage, EveryCommandAndTheInterestingMeetings) {
  Coverage total;
  int runs = 0;
  for (PolicyId policy : all_policies()) {
    Coverage cov;
    PropConfig cfg = hold_config(0xC0FE0000u + static_cast<uint64_t>(policy));
    // The hold tests run the full budget; this one copies the World at every step.
    cfg.max_success = std::max(50, cfg.max_success / 10);
    const PropOutcome out = run_property(
        current_test_id() + "/" + std::string(policy_name(policy)), cfg,
        [&] { check_program(policy, PromiseSet::holding(policy), &cov, hold_style()); });
    EXPECT_FALSE(out.failed) << describe(current_test_id(), out);
    runs += out.runs;
    total.merge(cov);
  }
  std::cout << "[ coverage ] " << runs << " programs over all policies\n" << total.report();
  for (size_t row = 0; row < kLangOpCount; ++row) {  // every op of the language (sim/op_table.h)
    const std::string_view op = kOpTable[row].keyword;
    EXPECT_GT(total.get("op/" + std::string(op)), 0u) << op;
  }
  for (const char* meet : {"meet/fork x pinned page",
                           "meet/fork x spliced page",
                           "meet/fork x COW-shared page",
                           "meet/fork x marked range",
                           "meet/reclaim x marked page",
                           "meet/migrate x marked page",
                           "meet/reclaim x COW-shared page",
                           "meet/last unmap x pinned page",
                           "meet/last unmap x spliced page",
                           "meet/last unmap x mlocked page",
                           "meet/dma-read after unmap",
                           "meet/dma-write after unmap",
                           "meet/pipe-read after unmap",
                           "meet/exit or exec x COW-shared page",
                           "meet/suspend x wipeonsuspend range",
                           "meet/resume x wipeonsuspend range",
                           "hook/on_last_unmap while still referenced",
                           "hook/kernel wipe (value zeroed)",
                           "hook/swap-in",
                           "hook/swap-out (slot taken)"}) {
    EXPECT_GT(total.get(meet), 0u) << meet;
  }
}

}  // namespace
}  // namespace mmsim::props
