// sim/tests/policy_baseline_test.cpp: the policies without a mark: mainline's no-scrub
// baseline, legacy-cow's rules, init-on-free's zero at free. docs/policies/{mainline,
// legacy-cow,init-on-free}.md.
#include "sim/tests/sim_test_util.h"

namespace mmsim::testing {
namespace {

constexpr Value kX = 0x58, kY = 0x59;

TEST(Mainline, FreedPageKeepsItsBytes) {
  Sim s;
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), kX});
  s.as(P0, Exit{});
  EXPECT_TRUE(s.free_has(kX));
}

TEST(LegacyCow, DiffersFromMainlineOnlyInItsCoreRules) {
  const CoreRules legacy = descriptor_of(PolicyId::LegacyCow).rules;
  EXPECT_EQ(legacy.cow, CowReuse::MapcountOnly);
  EXPECT_EQ(legacy.pinned_fork, PinnedFork::Share);
  EXPECT_FALSE(legacy.pin_unshares);
  const CoreRules main = descriptor_of(PolicyId::Mainline).rules;
  EXPECT_EQ(main.cow, CowReuse::AnonExclusive);
  EXPECT_EQ(main.pinned_fork, PinnedFork::CopyMaybePinned);
  EXPECT_TRUE(main.pin_unshares);
  for (PolicyId id : all_policies()) {
    if (id == PolicyId::LegacyCow) continue;
    const CoreRules r = descriptor_of(id).rules;
    EXPECT_TRUE(r.cow == main.cow && r.pinned_fork == main.pinned_fork &&
                r.pin_unshares == main.pin_unshares)
        << policy_name(id) << " runs on mainline's core rules";
  }
}

TEST(InitOnFree, EveryFreedPageIsZeroed) {
  Sim s(PolicyId::InitOnFree);
  s.as(P0, Mmap{X, 2});
  s.as(P0, Write{all(X), kX});
  s.as(P0, Munmap{all(X)});
  EXPECT_FALSE(s.free_has(kX));
}

TEST(InitOnFree, APinnedPageIsZeroedOnlyAtTheLastUnpin) {
  Sim s(PolicyId::InitOnFree);
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), kX});
  s.as(P0, Pin{all(X), PinKind::Dio, H0});
  s.as(P0, Exit{});
  EXPECT_EQ(s.dev(DmaRead{H0}), Result::of(kX));
  s.dev(DmaWrite{H0, kY});
  s.dev(Unpin{H0});
  EXPECT_FALSE(s.free_has(kX));
  EXPECT_FALSE(s.free_has(kY));
}

TEST(InitOnFree, CowOriginalIsZeroedWhenItsLastSharerGoes) {
  Sim s(PolicyId::InitOnFree);
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), kX});
  s.as(P0, Fork{P1});
  s.as(P0, Write{all(X), kY});
  s.as(P1, Exit{});
  EXPECT_FALSE(s.free_has(kX));
}

TEST(InitOnFree, SwapSlotsAreNotScrubbed) {
  Sim s(PolicyId::InitOnFree);
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), kX});
  ASSERT_TRUE(s.sys(Reclaim{P0, all(X)}).is_ok());
  EXPECT_FALSE(s.free_has(kX)) << "the page itself is zeroed when reclaim frees it";
  s.as(P0, Exit{});
  EXPECT_TRUE(s.swap_has(kX));
}

}  // namespace
}  // namespace mmsim::testing
