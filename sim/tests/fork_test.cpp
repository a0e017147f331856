// sim/tests/fork_test.cpp: fork (dup_mmap, copy_present_pte, copy_nonpresent_pte) as
// docs/model.md describes it, with the kernel ground truth of docs/sources.md §0: COW sharing,
// PageAnonExclusive, VM_DONTCOPY, VM_WIPEONFORK, VM_LOCKED, copy at fork of maybe-pinned pages
// (70e806e4e645), swap entries, and the equivalence of op and page granularity.
#include "sim/tests/sim_test_util.h"

namespace mmsim::testing {
namespace {

TEST(Fork, PrivatePageIsCowSharedWithMapcountAndRefcountTwo) {
  Sim s;
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), 0xA});
  ASSERT_TRUE(s.frame_of(P0, X, 0).has(FrameFlag::AnonExclusive));
  ASSERT_TRUE(s.as(P0, Fork{P1}).is_ok());
  EXPECT_EQ(s.frame_id(P0, X, 0), s.frame_id(P1, X, 0));
  const Frame& f = s.frame_of(P0, X, 0);
  EXPECT_EQ(f.mapcount, 2u);
  EXPECT_EQ(f.refcount, 2u);
  EXPECT_FALSE(f.has(FrameFlag::AnonExclusive)) << "fork clears PageAnonExclusive";
  EXPECT_EQ(s.w.proc(P1).state, ProcState::Running);
}

TEST(Fork, ParentWriteAfterForkCopiesAndTheChildKeepsTheOriginal) {
  Sim s;
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), 0xA});
  s.as(P0, Fork{P1});
  const FrameId original = s.frame_id(P0, X, 0);
  s.as(P0, Write{all(X), 0xB});
  EXPECT_NE(s.frame_id(P0, X, 0), original);
  EXPECT_EQ(s.frame_id(P1, X, 0), original);
  EXPECT_EQ(s.frame_of(P1, X, 0).refcount, 1u);
  EXPECT_EQ(s.read(P1, all(X)), 0xAu);
  EXPECT_EQ(s.read(P0, all(X)), 0xBu);
  const uint32_t used = s.used_frames();
  s.as(P1, Write{all(X), 0xC});
  EXPECT_EQ(s.used_frames(), used) << "the last user reuses the page (refcount 1)";
  EXPECT_EQ(s.frame_id(P1, X, 0), original);
}

TEST(Fork, DontforkRangeSegvsInChild) {
  Sim s;
  s.as(P0, Mmap{X, 2});
  s.as(P0, Write{all(X), 0xAB});
  ASSERT_TRUE(s.as(P0, Madvise{pg(X, 1), Advice::DontFork}).is_ok());
  s.as(P0, Fork{P1});
  EXPECT_EQ(s.vma_count(P1), 1u) << "the VM_DONTCOPY VMA is skipped";
  EXPECT_EQ(s.frame_of(P0, X, 1).mapcount, 1u);
  EXPECT_EQ(s.read(P1, pg(X, 0)), 0xABu);
  EXPECT_EQ(s.as(P1, Read{pg(X, 1)}), Result::segv());
  EXPECT_EQ(s.w.proc(P1).state, ProcState::Killed);
  EXPECT_EQ(s.read(P0, pg(X, 1)), 0xABu);
}

TEST(Fork, DoforkMakesTheRangeCopiedAgain) {
  Sim s;
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), 3});
  s.as(P0, Madvise{all(X), Advice::DontFork});
  s.as(P0, Madvise{all(X), Advice::DoFork});
  s.as(P0, Fork{P1});
  EXPECT_EQ(s.read(P1, all(X)), 3u);
}

TEST(Fork, WipeonforkChildReadsZeroAndParentKeepsData) {
  Sim s;
  s.as(P0, Mmap{X, 2});
  s.as(P0, Write{all(X), 0xAB});
  ASSERT_TRUE(s.as(P0, Madvise{all(X), Advice::WipeOnFork}).is_ok());
  s.as(P0, Fork{P1});
  EXPECT_EQ(s.vma_count(P1), 1u) << "the VMA is copied";
  EXPECT_TRUE(s.vma(P1, X, 0)->has(VmaFlag::WipeOnFork)) << "and keeps its flag";
  EXPECT_TRUE(s.w.proc(P1).mm.ptes.empty()) << "but no page";
  const Frame& parent = s.frame_of(P0, X, 0);
  EXPECT_EQ(parent.mapcount, 1u);
  EXPECT_TRUE(parent.has(FrameFlag::AnonExclusive));
  EXPECT_EQ(s.read(P1, pg(X, 0)), 0u);
  EXPECT_EQ(s.read(P1, pg(X, 1)), 0u);
  EXPECT_EQ(s.read(P0, pg(X, 0)), 0xABu);
  EXPECT_EQ(s.read(P0, pg(X, 1)), 0xABu);
}

TEST(Fork, WipeonforkDoesNotShareTheParentsSwapEntries) {
  Sim s;
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), 0x5});
  s.as(P0, Madvise{all(X), Advice::WipeOnFork});
  ASSERT_TRUE(s.sys(Reclaim{P0, all(X)}).is_ok());
  s.as(P0, Fork{P1});
  EXPECT_EQ(s.w.swap.slots[0].refcount, 1u);
  EXPECT_EQ(s.pte(P1, X, 0), nullptr);
  EXPECT_EQ(s.read(P1, all(X)), 0u);
  EXPECT_EQ(s.read(P0, all(X)), 0x5u);
}

TEST(Fork, LockedIsNotInheritedButThePageStaysMlockedWhileTheParentMapsItLocked) {
  Sim s;
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), 1});
  ASSERT_TRUE(s.as(P0, Mlock{all(X)}).is_ok());
  s.as(P0, Fork{P1});
  EXPECT_TRUE(s.vma(P0, X, 0)->has(VmaFlag::Locked));
  EXPECT_FALSE(s.vma(P1, X, 0)->has(VmaFlag::Locked)) << "dup_mmap clears VM_LOCKED";
  EXPECT_EQ(s.frame_id(P0, X, 0), s.frame_id(P1, X, 0));
  EXPECT_EQ(s.frame_of(P0, X, 0).mlock_count, 1u);
  EXPECT_TRUE(s.frame_of(P1, X, 0).mlocked());
  s.as(P1, Exit{});
  EXPECT_TRUE(s.frame_of(P0, X, 0).mlocked());
  s.as(P0, Munlock{all(X)});
  EXPECT_FALSE(s.frame_of(P0, X, 0).mlocked());
}

TEST(Fork, MunlockInTheParentLeavesTheSharedPageUnlocked) {
  Sim s;
  s.as(P0, Mmap{X, 1});
  s.as(P0, Mlock{all(X)});
  s.as(P0, Fork{P1});
  s.as(P0, Munlock{all(X)});
  EXPECT_FALSE(s.frame_of(P1, X, 0).mlocked());
  EXPECT_TRUE(s.sys(Reclaim{P1, all(X)}).is_ok()) << "no longer unevictable";
}

// mm/gup.c populate_vma_page_range: "We want to touch writable mappings with a write fault in
// order to break COW, except for shared mappings": mlock of a COW-shared private writable page
// gives the locking process its own copy.
TEST(Fork, MlockAfterForkBreaksCowInTheLockingProcess) {
  Sim s;
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), 0xA});
  s.as(P0, Fork{P1});
  const FrameId original = s.frame_id(P0, X, 0);
  ASSERT_TRUE(s.as(P0, Mlock{all(X)}).is_ok());
  EXPECT_NE(s.frame_id(P0, X, 0), original);
  EXPECT_EQ(s.frame_id(P1, X, 0), original);
  EXPECT_TRUE(s.frame_of(P0, X, 0).mlocked());
  EXPECT_FALSE(s.frame_of(P1, X, 0).mlocked()) << "the child's page is not locked by the parent";
  EXPECT_EQ(s.read(P0, all(X)), 0xAu);
  EXPECT_EQ(s.read(P1, all(X)), 0xAu);
}

TEST(Fork, MlockOfAReadOnlyOrSharedMappingDoesNotBreakCow) {
  Sim s;
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), 0xA});
  s.as(P0, Mmap{Y, 1, Sharing::Shared, Backing::Anon});
  s.as(P0, Write{all(Y), 0xB});
  s.as(P0, Fork{P1});
  s.as(P0, Mprotect{all(X), Prot::Read});
  s.as(P0, Mlock{all(X)});
  s.as(P0, Mlock{all(Y)});
  EXPECT_EQ(s.frame_id(P0, X, 0), s.frame_id(P1, X, 0)) << "read fault: still COW-shared";
  EXPECT_EQ(s.frame_id(P0, Y, 0), s.frame_id(P1, Y, 0)) << "shared mappings never COW";
  EXPECT_TRUE(s.frame_of(P1, X, 0).mlocked());
}

TEST(Fork, PinnedPageIsCopiedForTheChildUnderMainline) {
  Sim s;
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), 0xA});
  ASSERT_TRUE(s.as(P0, Pin{all(X), PinKind::Longterm, H0}).is_ok());
  const FrameId pinned = s.frame_id(P0, X, 0);
  s.as(P0, Fork{P1});
  EXPECT_EQ(s.frame_id(P0, X, 0), pinned) << "the parent keeps the pinned page";
  EXPECT_NE(s.frame_id(P1, X, 0), pinned) << "the child gets its own copy now";
  const Frame& p = s.frame_of(P0, X, 0);
  EXPECT_EQ(p.mapcount, 1u);
  EXPECT_EQ(p.refcount, 1u + kPinBias);
  EXPECT_TRUE(p.has(FrameFlag::AnonExclusive));
  const Frame& c = s.frame_of(P1, X, 0);
  EXPECT_EQ(c.refcount, 1u);
  EXPECT_TRUE(c.has(FrameFlag::AnonExclusive));
  EXPECT_EQ(c.value, 0xAu);
  // The device and the parent keep agreeing; the child is not affected (H8 fixed).
  s.as(P0, Write{all(X), 0xB});
  EXPECT_EQ(s.frame_id(P0, X, 0), pinned) << "written in place";
  EXPECT_EQ(s.dev(DmaRead{H0}), Result::of(0xB));
  s.dev(DmaWrite{H0, 0xD});
  EXPECT_EQ(s.read(P0, all(X)), 0xDu);
  EXPECT_EQ(s.read(P1, all(X)), 0xAu);
}

TEST(Fork, UnpinnedPagesOfAPinningMmAreStillShared) {
  Sim s;
  s.as(P0, Mmap{X, 2});
  s.as(P0, Write{all(X), 1});
  s.as(P0, Pin{pg(X, 0), PinKind::Dio, H0});
  s.as(P0, Fork{P1});
  EXPECT_NE(s.frame_id(P0, X, 0), s.frame_id(P1, X, 0));
  EXPECT_EQ(s.frame_id(P0, X, 1), s.frame_id(P1, X, 1));
}

TEST(Fork, PageWithAThousandPlainReferencesCountsAsMaybePinned) {
  // H11: folio_maybe_dma_pinned() is "probably pinned" once a small folio has >= 1024 refs.
  Sim s;
  s.as(P0, Mmap{X, 1});
  s.as(P0, Mmap{Y, 1});
  s.as(P0, Write{all(X), 7});
  s.as(P0, Pin{all(Y), PinKind::Dio, H0});  // MMF_HAS_PINNED
  s.as(P0, Unpin{H0});
  for (uint32_t i = 0; i + 1 < kPinBias; ++i) {
    ASSERT_TRUE(apply_all(s.w, Actor::process(P0), Vmsplice{all(X), H1}).is_ok());
  }
  ASSERT_EQ(s.frame_of(P0, X, 0).refcount, kPinBias);
  ASSERT_FALSE(check_all(s.w).has_value());
  s.as(P0, Fork{P1});
  EXPECT_NE(s.frame_id(P0, X, 0), s.frame_id(P1, X, 0)) << "a false positive: copied at fork";
  EXPECT_EQ(s.frame_id(P0, Y, 0), s.frame_id(P1, Y, 0)) << "the unpinned page is shared";
}

TEST(Fork, MaybePinnedPageIsSharedWhenTheMmNeverPinned) {
  Sim s;
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), 7});
  for (uint32_t i = 0; i + 1 < kPinBias; ++i)
    apply_all(s.w, Actor::process(P0), Vmsplice{all(X), H1});
  ASSERT_FALSE(s.w.proc(P0).mm.has_pinned);
  s.as(P0, Fork{P1});
  EXPECT_EQ(s.frame_id(P0, X, 0), s.frame_id(P1, X, 0));
}

TEST(Fork, LegacyCowSharesThePinnedPageAndTheParentLosesTheDevice) {
  // H8: pre-70e806e4e645 fork shares the pinned page; the parent's next write copies it and the
  // device keeps writing into the page that only the child maps now.
  Sim s(PolicyId::LegacyCow);
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), 0xA});
  s.as(P0, Pin{all(X), PinKind::Longterm, H0});
  const FrameId pinned = s.frame_id(P0, X, 0);
  s.as(P0, Fork{P1});
  EXPECT_EQ(s.frame_id(P1, X, 0), pinned);
  EXPECT_EQ(s.frame_of(P0, X, 0).mapcount, 2u);
  EXPECT_FALSE(s.frame_of(P0, X, 0).has(FrameFlag::AnonExclusive));
  s.as(P0, Write{all(X), 0xB});
  EXPECT_NE(s.frame_id(P0, X, 0), pinned);
  s.dev(DmaWrite{H0, 0xD});
  EXPECT_EQ(s.read(P0, all(X)), 0xBu) << "the parent no longer sees the device";
  EXPECT_EQ(s.read(P1, all(X)), 0xDu);
}

TEST(Fork, SwapEntriesAreSharedAtFork) {
  Sim s;
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), 0x77});
  ASSERT_TRUE(s.sys(Reclaim{P0, all(X)}).is_ok());
  const SlotId slot = s.pte(P0, X, 0)->slot;
  ASSERT_TRUE(slot.valid());
  s.as(P0, Fork{P1});
  ASSERT_NE(s.pte(P1, X, 0), nullptr);
  EXPECT_EQ(s.pte(P1, X, 0)->slot, slot);
  EXPECT_EQ(s.w.swap.at(slot).refcount, 2u);
  EXPECT_EQ(s.read(P1, all(X)), 0x77u);
  EXPECT_EQ(s.w.swap.at(slot).refcount, 1u);
  EXPECT_EQ(s.read(P0, all(X)), 0x77u);
  EXPECT_EQ(s.w.swap.at(slot).state, SwapSlot::State::Free);
  EXPECT_TRUE(s.swap_has(0x77)) << "a freed slot keeps its bytes";
}

TEST(Fork, GrandchildInheritsWipeonfork) {
  Sim s;
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), 0x41});
  s.as(P0, Madvise{all(X), Advice::WipeOnFork});
  s.as(P0, Fork{P1});
  EXPECT_TRUE(s.vma(P1, X, 0)->has(VmaFlag::WipeOnFork));
  s.as(P1, Write{all(X), 0x55});
  s.as(P1, Fork{P2});
  EXPECT_TRUE(s.vma(P2, X, 0)->has(VmaFlag::WipeOnFork));
  EXPECT_EQ(s.read(P2, all(X)), 0u);
  EXPECT_EQ(s.read(P1, all(X)), 0x55u);
}

TEST(Fork, SharedAndPageCachePagesAreSharedNotCopied) {
  Sim s;
  s.as(P0, Mmap{X, 1, Sharing::Shared, Backing::File});
  s.as(P0, Write{all(X), 4});
  s.as(P0, Mmap{Y, 1, Sharing::Private, Backing::File});
  EXPECT_EQ(s.read(P0, all(Y)), 0u);  // maps the page-cache page
  s.as(P0, Fork{P1});
  EXPECT_EQ(s.frame_id(P0, X, 0), s.frame_id(P1, X, 0));
  EXPECT_EQ(s.frame_of(P0, X, 0).refcount, 3u) << "two mappings and the page cache";
  EXPECT_EQ(s.frame_id(P0, Y, 0), s.frame_id(P1, Y, 0));
  s.as(P1, Write{all(X), 5});
  EXPECT_EQ(s.read(P0, all(X)), 5u);
  s.as(P1, Write{all(Y), 6});
  EXPECT_EQ(s.read(P0, all(Y)), 0u) << "a private file mapping copies on write";
}

// copy_present_ptes() decides by folio_test_anon(), not by the VMA: the anonymous COW copy in a
// private file mapping is shared like any anonymous page and loses PageAnonExclusive.
TEST(Fork, AnonymousPageOfAPrivateFileMappingIsCowShared) {
  Sim s;
  s.as(P0, Mmap{X, 1, Sharing::Private, Backing::File});
  s.as(P0, Write{all(X), 5});
  ASSERT_TRUE(s.frame_of(P0, X, 0).has(FrameFlag::Anon));
  s.as(P0, Fork{P1});
  EXPECT_EQ(s.frame_id(P0, X, 0), s.frame_id(P1, X, 0));
  EXPECT_FALSE(s.frame_of(P0, X, 0).has(FrameFlag::AnonExclusive));
  s.as(P1, Write{all(X), 6});
  EXPECT_EQ(s.read(P0, all(X)), 5u);
  EXPECT_EQ(s.read(P1, all(X)), 6u);
}

TEST(Fork, PinsAndHasPinnedAreNotInherited) {
  Sim s;
  s.as(P0, Mmap{X, 1});
  s.as(P0, Pin{all(X), PinKind::Dio, H0});
  s.as(P0, Fork{P1});
  EXPECT_TRUE(s.w.proc(P0).mm.has_pinned);
  EXPECT_FALSE(s.w.proc(P1).mm.has_pinned);
  EXPECT_EQ(s.w.handle(H0).owner, P0);
  EXPECT_EQ(s.w.handle(H0).frames.size(), 1u);
}

TEST(Fork, ChildInheritsNamesAndTheNextFreeAddress) {
  Sim s;
  s.as(P0, Mmap{X, 2});
  s.as(P0, Fork{P1});
  EXPECT_EQ(s.w.proc(P1).mm.next_free, s.w.proc(P0).mm.next_free);
  s.as(P1, Mmap{Y, 1});
  EXPECT_GT(s.vpn(P1, Y, 0), s.vpn(P1, X, 1));
  EXPECT_EQ(s.vma_count(P1), 2u);
}

TEST(Fork, IntoAProcessThatExistsIsEinval) {
  Sim s;
  EXPECT_EQ(s.as(P0, Fork{P0}), Result::error(Errno::Inval));
  ASSERT_TRUE(s.as(P0, Fork{P1}).is_ok());
  EXPECT_EQ(s.as(P0, Fork{P1}), Result::error(Errno::Inval));
}

TEST(Fork, CopyAtForkWithoutAFreeFrameFailsWithEnomem) {
  Sim s(PolicyId::Mainline, 1);
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), 9});
  s.as(P0, Pin{all(X), PinKind::Dio, H0});
  EXPECT_EQ(s.as(P0, Fork{P1}), Result::error(Errno::NoMem));
  EXPECT_NE(s.w.proc(P1).state, ProcState::Running);
  EXPECT_EQ(s.read(P0, all(X)), 9u);
}

TEST(Fork, LegacyCowReproducesCve2020_29374) {
  // Pre-5.8 do_wp_page reused the page by mapcount alone: the child's pipe sees the parent's
  // write (H7).
  Sim s(PolicyId::LegacyCow);
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), 'A'});
  s.as(P0, Fork{P1});
  s.as(P1, Vmsplice{all(X), H0});
  s.as(P1, Munmap{all(X)});
  s.as(P0, Write{all(X), 'B'});
  EXPECT_EQ(s.as(P1, PipeRead{H0}), Result::of('B'));
}

TEST(Fork, ShmemPagesLiveUntilTheLastMappingGoes) {
  Sim s;
  s.as(P0, Mmap{X, 1, Sharing::Shared, Backing::Anon});
  s.as(P0, Write{all(X), 0x33});
  s.as(P0, Fork{P1});
  s.as(P0, Munmap{all(X)});
  EXPECT_EQ(s.read(P1, all(X)), 0x33u);
  EXPECT_EQ(s.used_frames(), 1u);
  s.as(P1, Exit{});
  EXPECT_EQ(s.used_frames(), 0u) << "the shmem object went with its last mapping";
  EXPECT_TRUE(s.free_has(0x33));
}

// --- exec, exit, kill ---

TEST(Task, ExecGivesAnEmptyMmAndForgetsEveryFlag) {
  Sim s;
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), 1});
  s.as(P0, Madvise{all(X), Advice::WipeOnFork});
  s.as(P0, Pin{all(X), PinKind::Dio, H0});
  const Vpn old = s.vpn(P0, X, 0);
  ASSERT_TRUE(s.as(P0, Exec{}).is_ok());
  EXPECT_EQ(s.w.proc(P0).state, ProcState::Running);
  EXPECT_EQ(s.vma_count(P0), 0u);
  EXPECT_FALSE(s.w.proc(P0).mm.has_pinned) << "a new mm";
  EXPECT_EQ(s.dev(DmaRead{H0}), Result::of(1)) << "the pin keeps the page";
  s.as(P0, Mmap{Y, 1});
  EXPECT_EQ(s.vpn(P0, Y, 0), old) << "exec resets the next free address";
  EXPECT_FALSE(s.vma(P0, Y, 0)->has(VmaFlag::WipeOnFork));
  EXPECT_EQ(s.read(P0, all(X)), 0u) << "the stale name now points into the new mapping";
}

TEST(Task, ExitFreesEveryPageAndSlot) {
  Sim s;
  s.as(P0, Mmap{X, 2});
  s.as(P0, Write{all(X), 0xE});
  s.sys(Reclaim{P0, pg(X, 1)});
  ASSERT_TRUE(s.as(P0, Exit{}).is_ok());
  EXPECT_EQ(s.w.proc(P0).state, ProcState::Exited);
  EXPECT_EQ(s.used_frames(), 0u);
  EXPECT_EQ(s.used_slots(), 0u);
  EXPECT_TRUE(s.free_has(0xE));
  EXPECT_TRUE(s.swap_has(0xE));
  EXPECT_FALSE(actor_runnable(s.w, Actor::process(P0)));
  EXPECT_TRUE(actor_gone(s.w, Actor::process(P0)));
}

TEST(Task, KillTearsDownAnotherProcess) {
  Sim s;
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), 0xE});
  s.as(P0, Fork{P1});
  ASSERT_TRUE(s.sys(Kill{P1}).is_ok());
  EXPECT_EQ(s.w.proc(P1).state, ProcState::Killed);
  EXPECT_EQ(s.frame_of(P0, X, 0).mapcount, 1u);
  EXPECT_TRUE(actor_gone(s.w, Actor::process(P1)));
  EXPECT_EQ(s.sys(Kill{P2}), Result::error(Errno::Srch)) << "never born";
}

// --- granularity ---

// A world with every kind of page fork treats differently: COW-shared, dontfork, wipeonfork,
// swapped, pinned (copied at fork) and shared file pages.
void fork_scenario(Sim& s) {
  s.as(P0, Mmap{X, 3});
  s.as(P0, Write{all(X), 0x10});
  s.as(P0, Madvise{pg(X, 1), Advice::DontFork});
  s.as(P0, Mmap{Y, 2});
  s.as(P0, Write{all(Y), 0x20});
  s.as(P0, Madvise{pg(Y, 0), Advice::WipeOnFork});
  s.as(P0, Mmap{Z, 2, Sharing::Shared, Backing::File});
  s.as(P0, Write{pg(Z, 1), 0x30});
  s.as(P0, Pin{pg(X, 2), PinKind::Dio, H0});
  s.sys(Reclaim{P0, pg(Y, 1)});
}

TEST(Fork, PageGranularityEndsInTheSameWorldAsOpGranularity) {
  Sim op(PolicyId::Mainline, 12);
  Sim page(PolicyId::Mainline, 12);
  fork_scenario(op);
  fork_scenario(page);
  ASSERT_EQ(op.w, page.w);
  ASSERT_TRUE(op.as(P0, Fork{P1}).is_ok());
  Outcome first = apply(page.w, Actor::process(P0), Fork{P1}, Granularity::PerPage);
  ASSERT_TRUE(first.result.is_ok());
  ASSERT_GE(first.rest.size(), 5u) << "at least one step per PTE the child gets, and a last one";
  EXPECT_TRUE(op_is<Finish>(first.rest.back()));
  EXPECT_EQ(page.w.proc(P1).state, ProcState::Forking);
  EXPECT_FALSE(actor_runnable(page.w, Actor::process(P1))) << "the child waits for its fork";
  EXPECT_FALSE(check_all(page.w).has_value());
  for (const Op& step : first.rest) {
    Outcome o = apply(page.w, Actor::process(P0), step, Granularity::PerPage);
    EXPECT_TRUE(o.result.is_ok()) << op_name(step);
    EXPECT_TRUE(o.rest.empty());
    EXPECT_FALSE(check_all(page.w).has_value()) << op_name(step);
  }
  EXPECT_TRUE(actor_runnable(page.w, Actor::process(P1)));
  EXPECT_EQ(op.w, page.w) << "op:\n" << format_world(op.w) << "page:\n" << format_world(page.w);
}

TEST(Fork, ExitAtPageGranularityEndsInTheSameWorldAsOpGranularity) {
  Sim op(PolicyId::Mainline, 12);
  Sim page(PolicyId::Mainline, 12);
  for (Sim* s : {&op, &page}) {
    fork_scenario(*s);
    s->as(P0, Fork{P1});
  }
  ASSERT_TRUE(op.as(P1, Exit{}).is_ok());
  ASSERT_TRUE(page.paged(Actor::process(P1), Exit{}).is_ok());
  EXPECT_EQ(op.w, page.w);
  EXPECT_EQ(page.w.proc(P1).state, ProcState::Exited);
}

}  // namespace
}  // namespace mmsim::testing
