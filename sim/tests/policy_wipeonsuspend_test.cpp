// sim/tests/policy_wipeonsuspend_test.cpp: MADV_WIPEONSUSPEND as Catangiu's PoC (GUP and clear
// in place at suspend/hibernate), as the review's zap, and as a wipe at resume.
// docs/policies/wipeonsuspend-*.md.
#include "sim/tests/sim_test_util.h"

namespace mmsim::testing {
namespace {

constexpr Value kX = 0x58, kY = 0x59;
constexpr PolicyId kGup = PolicyId::WipeOnSuspendGup, kZap = PolicyId::WipeOnSuspendZap,
                   kRestore = PolicyId::WipeOnSuspendRestore;

// P0: x (2 pages, marked) holds kX in page 0; y (1 page, unmarked) holds kY.
void setup(Sim& s) {
  s.as(P0, Mmap{X, 2});
  s.as(P0, Write{pg(X, 0), kX});
  ASSERT_TRUE(s.as(P0, Madvise{all(X), Advice::WipeOnSuspend}).is_ok());
  s.as(P0, Mmap{Y, 1});
  s.as(P0, Write{all(Y), kY});
}

TEST(WipeOnSuspend, MarkedRangesReadZeroAfterSuspendAndResume) {
  for (PolicyId id : {kGup, kZap, kRestore}) {
    Sim s(id);
    setup(s);
    ASSERT_TRUE(s.sys(Suspend{}).is_ok());
    ASSERT_TRUE(s.sys(Resume{}).is_ok());
    EXPECT_EQ(s.read(P0, pg(X, 0)), 0u) << policy_name(id);
    EXPECT_EQ(s.read(P0, pg(X, 1)), 0u) << policy_name(id);
    EXPECT_EQ(s.read(P0, all(Y)), kY) << policy_name(id);
  }
}

TEST(WipeOnSuspend, MarkedRangesReadZeroAfterHibernateAndResume) {
  for (PolicyId id : {kGup, kZap, kRestore}) {
    Sim s(id);
    setup(s);
    ASSERT_TRUE(s.sys(Hibernate{}).is_ok());
    ASSERT_TRUE(s.sys(Resume{}).is_ok());
    EXPECT_EQ(s.read(P0, pg(X, 0)), 0u) << policy_name(id);
    EXPECT_EQ(s.read(P0, all(Y)), kY) << policy_name(id);
  }
}

TEST(WipeOnSuspend, HibernationImageKeepsTheSecretOnlyUnderRestore) {
  for (PolicyId id : {kGup, kZap, kRestore}) {
    Sim s(id);
    setup(s);
    ASSERT_TRUE(s.sys(Hibernate{}).is_ok());
    EXPECT_EQ(s.image_has(kX), id == kRestore) << policy_name(id);
    EXPECT_TRUE(s.image_has(kY)) << policy_name(id);
  }
}

TEST(WipeOnSuspend, KeeponsuspendUndoesTheMark) {
  for (PolicyId id : {kGup, kZap, kRestore}) {
    Sim s(id);
    setup(s);
    ASSERT_TRUE(s.as(P0, Madvise{all(X), Advice::KeepOnSuspend}).is_ok());
    s.sys(Suspend{});
    s.sys(Resume{});
    EXPECT_EQ(s.read(P0, pg(X, 0)), kX) << policy_name(id);
  }
}

// --- gup ---

TEST(WipeOnSuspendGup, PresentPagesAreClearedInPlace) {
  Sim s(kGup);
  setup(s);
  const FrameId f = s.frame_id(P0, X, 0);
  s.sys(Suspend{});
  EXPECT_EQ(s.frame_id(P0, X, 0), f);
  EXPECT_EQ(s.w.frame(f).value, 0u);
  EXPECT_FALSE(s.ram_has(kX));
}

TEST(WipeOnSuspendGup, MissingPagesAreFaultedInJustToBeCleared) {
  Sim s(kGup);
  setup(s);
  ASSERT_EQ(s.pte(P0, X, 1), nullptr);
  const uint32_t before = s.used_frames();
  s.sys(Suspend{});
  EXPECT_NE(s.pte(P0, X, 1), nullptr);
  EXPECT_EQ(s.used_frames(), before + 1);
}

// FOLL_WRITE swaps the page in (I/O while tasks are frozen, H17) and the slot keeps the bytes.
TEST(WipeOnSuspendGup, SwappedPageIsSwappedInAndClearedButTheSlotKeepsTheSecret) {
  Sim s(kGup);
  setup(s);
  ASSERT_TRUE(s.sys(Reclaim{P0, pg(X, 0)}).is_ok());
  s.sys(Suspend{});
  ASSERT_NE(s.pte(P0, X, 0), nullptr);
  EXPECT_TRUE(s.pte(P0, X, 0)->frame.valid());
  EXPECT_EQ(s.frame_of(P0, X, 0).value, 0u);
  EXPECT_EQ(s.used_slots(), 0u);
  EXPECT_TRUE(s.swap_has(kX));
}

// The write fault breaks COW: the unmarked sharer keeps the secret.
TEST(WipeOnSuspendGup, CowSharedPageIsCopiedAndOnlyTheMarkedCopyCleared) {
  Sim s(kGup);
  setup(s);
  s.as(P0, Fork{P1});
  s.as(P1, Madvise{all(X), Advice::KeepOnSuspend});
  s.sys(Suspend{});
  s.sys(Resume{});
  EXPECT_EQ(s.read(P0, pg(X, 0)), 0u);
  EXPECT_EQ(s.read(P1, pg(X, 0)), kX);
}

// FOLL_WRITE fails on a read-only VMA: the PoC leaves it uncleared.
TEST(WipeOnSuspendGup, ReadOnlyMarkedVmaIsNotCleared) {
  Sim s(kGup);
  setup(s);
  s.as(P0, Mprotect{all(X), Prot::Read});
  s.sys(Suspend{});
  s.sys(Resume{});
  EXPECT_EQ(s.read(P0, pg(X, 0)), kX);
}

// A device pinning the page sees the clear: GUP writes through the same frame.
TEST(WipeOnSuspendGup, PinnedPageIsClearedUnderTheDevice) {
  Sim s(kGup);
  setup(s);
  s.as(P0, Pin{pg(X, 0), PinKind::Longterm, H0});
  s.sys(Suspend{});
  s.sys(Resume{});
  EXPECT_EQ(s.dev(DmaRead{H0}), Result::of(0));
}

TEST(WipeOnSuspend, EachPolicyActsAtOneTransitionOnly) {
  Sim s(kGup);
  setup(s);
  const auto pages = [&](PolicyId id, PowerEvent e) {
    return policy_of(id).power_pages(s.w, e).size();
  };
  EXPECT_EQ(pages(kGup, PowerEvent::Suspend), 2u);
  EXPECT_EQ(pages(kGup, PowerEvent::Hibernate), 2u);
  EXPECT_EQ(pages(kGup, PowerEvent::Resume), 0u);
  EXPECT_EQ(pages(kZap, PowerEvent::Suspend), 1u) << "only pages with an entry";
  EXPECT_EQ(pages(kZap, PowerEvent::Resume), 0u);
  EXPECT_EQ(pages(kRestore, PowerEvent::Suspend), 0u);
  EXPECT_EQ(pages(kRestore, PowerEvent::Hibernate), 0u);
  EXPECT_EQ(pages(kRestore, PowerEvent::Resume), 1u);
}

TEST(WipeOnSuspendGup, PageGranularityClearsOnePageAStepWhileFrozen) {
  Sim s(kGup);
  setup(s);
  Outcome first = apply(s.w, Actor::system(), Suspend{}, Granularity::PerPage);
  ASSERT_TRUE(first.result.is_ok());
  EXPECT_EQ(first.rest.size(), 3u) << "two power pages and PowerDone";
  EXPECT_TRUE(s.w.frozen());
  EXPECT_EQ(s.w.frame(s.frame_id(P0, X, 0)).value, kX) << "nothing cleared before its step";
}

// --- zap ---

TEST(WipeOnSuspendZap, PagesAreDroppedAndFreedUnscrubbed) {
  Sim s(kZap);
  setup(s);
  const uint32_t before = s.used_frames();
  s.sys(Suspend{});
  EXPECT_EQ(s.pte(P0, X, 0), nullptr);
  EXPECT_EQ(s.used_frames(), before - 1);
  EXPECT_TRUE(s.free_has(kX));
}

TEST(WipeOnSuspendZap, SwapEntryIsDroppedAndTheSlotKeepsItsBytes) {
  Sim s(kZap);
  setup(s);
  ASSERT_TRUE(s.sys(Reclaim{P0, pg(X, 0)}).is_ok());
  s.sys(Suspend{});
  EXPECT_EQ(s.pte(P0, X, 0), nullptr);
  EXPECT_EQ(s.used_slots(), 0u);
  EXPECT_TRUE(s.swap_has(kX));
}

TEST(WipeOnSuspendZap, APipedPageKeepsItsDataForThePipe) {
  Sim s(kZap);
  setup(s);
  s.as(P0, Vmsplice{pg(X, 0), H0});
  s.sys(Suspend{});
  s.sys(Resume{});
  EXPECT_EQ(s.read(P0, pg(X, 0)), 0u);
  EXPECT_EQ(s.dev(PipeRead{H0}), Result::of(kX));
}

TEST(WipeOnSuspendZap, MissingPagesCostNothing) {
  Sim s(kZap);
  setup(s);
  Outcome first = apply(s.w, Actor::system(), Suspend{}, Granularity::PerPage);
  EXPECT_EQ(first.rest.size(), 2u) << "one present page and PowerDone";
}

// --- restore ---

TEST(WipeOnSuspendRestore, SuspendLeavesTheDataAndResumeZapsIt) {
  Sim s(kRestore);
  setup(s);
  s.sys(Suspend{});
  EXPECT_TRUE(s.ram_has(kX));
  EXPECT_EQ(s.w.frame(s.frame_id(P0, X, 0)).value, kX);
  s.sys(Resume{});
  EXPECT_EQ(s.pte(P0, X, 0), nullptr);
  EXPECT_EQ(s.read(P0, pg(X, 0)), 0u);
}

}  // namespace
}  // namespace mmsim::testing
