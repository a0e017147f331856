// sim/tests/policy_random_test.cpp: pseudo-random lives (fixed seeds) under every wipe policy,
// with the policy advices in the mix (random_ops.h), at op and at page granularity: check_all,
// which includes the policies' own state (check_policy_state), stays clean after every step.

#include "sim/tests/random_ops.h"
#include "sim/tests/sim_test_util.h"

namespace mmsim::testing {
namespace {

// What a life showed of the policy's own state, so that the test knows it exercised it.
struct Seen {
  bool frame_mark = false;
  bool vma_mark = false;
  bool queue = false;
};

void note(const World& w, Seen* seen) {
  seen->queue |= !w.wipe_queue.empty();
  for (const Frame& f : w.mem.frames) seen->frame_mark |= f.has(FrameFlag::PolicyMark);
  constexpr uint32_t kMarks = static_cast<uint32_t>(VmaFlag::WipeOnRelease) |
                              static_cast<uint32_t>(VmaFlag::WipeOnSuspend) |
                              static_cast<uint32_t>(VmaFlag::Exclusive) |
                              static_cast<uint32_t>(VmaFlag::WipeMark);
  for (const Process& p : w.procs) {
    for (const Vma& v : p.mm.vmas.vmas) seen->vma_mark |= (v.flags & kMarks) != 0;
  }
}

void random_life(PolicyId policy, Granularity g, uint64_t seed, int steps, Seen* seen) {
  Sim s(policy, 10, 4);
  Rng r{seed * 0x9E3779B97F4A7C15ull + 1};
  for (int i = 0; i < steps; ++i) {
    Actor actor;
    const Op op = random_op(s.w, r, AdviceMix::PolicyMarks, &actor);
    if (!actor_runnable(s.w, actor)) continue;
    const std::string where = std::string(policy_name(policy)) + " seed " + std::to_string(seed) +
                              " step " + std::to_string(i) + " " + std::string(op_name(op));
    if (g == Granularity::PerOp) {
      apply_all(s.w, actor, op);
    } else {
      s.paged(actor, op);
    }
    Violation v = check_all(s.w);
    ASSERT_FALSE(v.has_value()) << where << ": " << *v << "\n" << format_world(s.w);
    note(s.w, seen);
    if (::testing::Test::HasFailure()) return;
  }
}

TEST(PolicyRandomLife, InvariantsHoldUnderEveryPolicyAtBothGranularities) {
  for (PolicyId id : all_policies()) {
    Seen seen;
    for (uint64_t seed = 1; seed <= 30; ++seed) {
      random_life(id, Granularity::PerOp, seed, 150, &seen);
      random_life(id, Granularity::PerPage, seed, 150, &seen);
      if (::testing::Test::HasFailure()) return;
    }
    const bool marks_frames = id == PolicyId::WipeOnReleaseV1 || id == PolicyId::Exclusive ||
                              id == PolicyId::MlockedOnFreeV1;
    const bool has_mark = !(id == PolicyId::Mainline || id == PolicyId::LegacyCow ||
                            id == PolicyId::InitOnFree || id == PolicyId::MlockedOnFreeV3);
    EXPECT_EQ(seen.frame_mark, marks_frames) << policy_name(id);
    EXPECT_EQ(seen.vma_mark, has_mark && id != PolicyId::MlockedOnFreeV1) << policy_name(id);
    EXPECT_EQ(seen.queue, id == PolicyId::MlockedOnFreeVma) << policy_name(id);
  }
}

}  // namespace
}  // namespace mmsim::testing
