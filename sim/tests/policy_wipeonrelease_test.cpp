// sim/tests/policy_wipeonrelease_test.cpp: Garrett's MADV_WIPEONRELEASE as posted: V1 (page
// flag, zeroed at free), V2 (zeroed at zap when the mapcount reaches 0), V4 (zeroed at every
// last unmap, early COW at madvise and fork). docs/policies/wipeonrelease-v*.md.
#include "sim/tests/sim_test_util.h"

namespace mmsim::testing {
namespace {

constexpr Value kX = 0x58, kY = 0x59;
constexpr PolicyId V1 = PolicyId::WipeOnReleaseV1, V2 = PolicyId::WipeOnReleaseV2,
                   V4 = PolicyId::WipeOnReleaseV4;

bool marked(const Sim& s, ProcId p, uint32_t i) {
  return s.frame_of(p, X, i).has(FrameFlag::PolicyMark);
}

// --- V1 ---

TEST(WipeOnReleaseV1, MadviseFaultsInAndFlagsEveryPageOfTheRange) {
  Sim s(V1);
  s.as(P0, Mmap{X, 2});
  s.as(P0, Write{pg(X, 0), kX});
  ASSERT_TRUE(s.as(P0, Madvise{all(X), Advice::WipeOnRelease}).is_ok());
  EXPECT_TRUE(s.vma(P0, X, 0)->has(VmaFlag::WipeOnRelease));
  ASSERT_NE(s.pte(P0, X, 1), nullptr) << "get_user_pages faults the missing page in";
  EXPECT_TRUE(marked(s, P0, 0));
  // The read fault maps the shared zero page (do_anonymous_page without FAULT_FLAG_WRITE),
  // which the model does not mark; the first write allocates, in the marked VMA, a marked page
  // (alloc_pages_vma: `if (vma->vm_flags & VM_WIPEONRELEASE) SetPageWipeOnRelease(page)`).
  EXPECT_TRUE(s.pte(P0, X, 1)->zero_page());
  s.as(P0, Write{pg(X, 1), kY});
  EXPECT_TRUE(marked(s, P0, 1));
}

TEST(WipeOnReleaseV1, PageAllocatedLaterInAMarkedVmaIsFlagged) {
  Sim s(V1);
  s.as(P0, Mmap{X, 1});
  s.as(P0, Madvise{all(X), Advice::WipeOnRelease});
  s.as(P0, Munmap{all(X)});
  s.as(P0, Mmap{Y, 1});
  s.as(P0, Madvise{all(Y), Advice::WipeOnRelease});
  s.as(P0, Write{all(Y), kX});
  EXPECT_TRUE(s.frame_of(P0, Y, 0).has(FrameFlag::PolicyMark));
}

TEST(WipeOnReleaseV1, FlaggedPageIsZeroedWhenItsLastReferenceGoesNotAtUnmap) {
  Sim s(V1);
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), kX});
  s.as(P0, Madvise{all(X), Advice::WipeOnRelease});
  s.as(P0, Vmsplice{all(X), H0});
  s.as(P0, Munmap{all(X)});
  EXPECT_EQ(s.dev(PipeRead{H0}), Result::of(kX)) << "RULE 0: the pipe still sees the data";
  EXPECT_FALSE(s.free_has(kX)) << "zeroed by free_pages_prepare";
}

TEST(WipeOnReleaseV1, KeeponreleaseClearsOnlyTheVmaBitFlaggedPagesStayFlagged) {
  Sim s(V1);
  s.as(P0, Mmap{X, 2});
  s.as(P0, Write{pg(X, 0), kX});
  s.as(P0, Madvise{pg(X, 0), Advice::WipeOnRelease});
  ASSERT_TRUE(s.as(P0, Madvise{all(X), Advice::KeepOnRelease}).is_ok());
  EXPECT_FALSE(s.vma(P0, X, 0)->has(VmaFlag::WipeOnRelease));
  EXPECT_EQ(s.vma_count(P0), 1u) << "the VMAs merge again";
  s.as(P0, Write{pg(X, 1), kY});
  EXPECT_TRUE(marked(s, P0, 0));
  EXPECT_FALSE(marked(s, P0, 1)) << "allocated after DONTWIPEONRELEASE";
  s.as(P0, Munmap{all(X)});
  EXPECT_FALSE(s.free_has(kX));
  EXPECT_TRUE(s.free_has(kY));
}

TEST(WipeOnReleaseV1, ChildInheritsTheVmaBitAndItsCowCopiesAreFlagged) {
  Sim s(V1);
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), kX});
  s.as(P0, Madvise{all(X), Advice::WipeOnRelease});
  s.as(P0, Fork{P1});
  EXPECT_TRUE(s.vma(P1, X, 0)->has(VmaFlag::WipeOnRelease));
  s.as(P1, Write{all(X), kY});
  EXPECT_TRUE(marked(s, P1, 0));
  s.as(P1, Exit{});
  EXPECT_FALSE(s.free_has(kY));
  EXPECT_EQ(s.read(P0, all(X)), kX);
}

// migrate_page_states() does not copy PG_wipeonrelease and compaction allocates the target
// without alloc_pages_vma(): the source is zeroed when freed, the target is not flagged.
TEST(WipeOnReleaseV1, MigrationZeroesTheSourceAndLosesTheFlag) {
  Sim s(V1);
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), kX});
  s.as(P0, Madvise{all(X), Advice::WipeOnRelease});
  ASSERT_TRUE(s.sys(Migrate{P0, all(X)}).is_ok());
  EXPECT_FALSE(s.free_has(kX));
  EXPECT_FALSE(marked(s, P0, 0));
  EXPECT_EQ(s.read(P0, all(X)), kX);
  s.as(P0, Munmap{all(X)});
  EXPECT_TRUE(s.free_has(kX)) << "the migrated copy is freed unscrubbed";
}

TEST(WipeOnReleaseV1, GupFailureOnProtNoneStillSetsTheVmaBit) {
  Sim s(V1);
  s.as(P0, Mmap{X, 1});
  s.as(P0, Mprotect{all(X), Prot::None});
  ASSERT_TRUE(s.as(P0, Madvise{all(X), Advice::WipeOnRelease}).is_ok());
  EXPECT_TRUE(s.vma(P0, X, 0)->has(VmaFlag::WipeOnRelease));
  EXPECT_EQ(s.pte(P0, X, 0), nullptr);
}

// --- V2 ---

TEST(WipeOnReleaseV2, LastZapZeroesThePageWhileThePipeStillHoldsIt) {
  Sim s(V2);
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), kX});
  s.as(P0, Madvise{all(X), Advice::WipeOnRelease});
  s.as(P0, Vmsplice{all(X), H0});
  s.as(P0, Munmap{all(X)});
  EXPECT_EQ(s.dev(PipeRead{H0}), Result::of(0));
}

TEST(WipeOnReleaseV2, ZapOfOneOfTwoMappingsLeavesThePage) {
  Sim s(V2);
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), kX});
  s.as(P0, Madvise{all(X), Advice::WipeOnRelease});
  s.as(P0, Fork{P1});
  s.as(P1, Exit{});
  EXPECT_EQ(s.read(P0, all(X)), kX);
  s.as(P0, Exit{});
  EXPECT_FALSE(s.free_has(kX));
}

TEST(WipeOnReleaseV2, DontneedIsAZapToo) {
  Sim s(V2);
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), kX});
  s.as(P0, Madvise{all(X), Advice::WipeOnRelease});
  s.as(P0, Madvise{all(X), Advice::DontNeed});
  EXPECT_FALSE(s.free_has(kX));
  EXPECT_EQ(s.read(P0, all(X)), 0u);
}

TEST(WipeOnReleaseV2, ReclaimMigrationAndCowAreNotZaps) {
  Sim s(V2, 8, 4);
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), kX});
  s.as(P0, Madvise{all(X), Advice::WipeOnRelease});
  ASSERT_TRUE(s.sys(Migrate{P0, all(X)}).is_ok());
  EXPECT_TRUE(s.free_has(kX)) << "migration source freed unscrubbed";
  ASSERT_TRUE(s.sys(Reclaim{P0, all(X)}).is_ok());
  EXPECT_TRUE(s.swap_has(kX));
  EXPECT_EQ(s.read(P0, all(X)), kX);
}

TEST(WipeOnReleaseV2, KeeponreleaseStopsTheWipe) {
  Sim s(V2);
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), kX});
  s.as(P0, Madvise{all(X), Advice::WipeOnRelease});
  s.as(P0, Madvise{all(X), Advice::KeepOnRelease});
  s.as(P0, Munmap{all(X)});
  EXPECT_TRUE(s.free_has(kX));
}

// V3's "not yet populated" rule is not part of this policy: marking a populated VMA works.
TEST(WipeOnReleaseV2, PopulatedVmaCanBeMarked) {
  Sim s(V2);
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), kX});
  EXPECT_TRUE(s.as(P0, Madvise{all(X), Advice::WipeOnRelease}).is_ok());
}

// --- V4 ---

TEST(WipeOnReleaseV4, MadviseCopiesPagesSharedWithAnotherProcess) {
  Sim s(V4);
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), kX});
  s.as(P0, Fork{P1});
  const FrameId shared = s.frame_id(P0, X, 0);
  ASSERT_EQ(s.frame_id(P1, X, 0), shared);
  ASSERT_TRUE(s.as(P1, Madvise{all(X), Advice::WipeOnRelease}).is_ok());
  EXPECT_NE(s.frame_id(P1, X, 0), shared) << "trigger_cow: FOLL_WRITE breaks COW";
  EXPECT_EQ(s.frame_id(P0, X, 0), shared);
  s.as(P1, Exit{});
  EXPECT_EQ(s.read(P0, all(X)), kX);
}

// trigger_cow() in dup_mmap walks current->mm: the parent copies, the child keeps the original.
TEST(WipeOnReleaseV4, ForkMakesTheParentCopyItsMarkedPages) {
  Sim s(V4);
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), kX});
  s.as(P0, Madvise{all(X), Advice::WipeOnRelease});
  const FrameId original = s.frame_id(P0, X, 0);
  s.as(P0, Fork{P1});
  EXPECT_EQ(s.frame_id(P1, X, 0), original);
  EXPECT_NE(s.frame_id(P0, X, 0), original);
  EXPECT_EQ(s.read(P0, all(X)), kX);
  EXPECT_EQ(s.read(P1, all(X)), kX);
  EXPECT_TRUE(s.vma(P1, X, 0)->has(VmaFlag::WipeOnRelease));
}

TEST(WipeOnReleaseV4, ForkOfAMarkedWipeonforkVmaCopiesNothing) {
  Sim s(V4);
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), kX});
  s.as(P0, Madvise{all(X), Advice::WipeOnRelease});
  s.as(P0, Madvise{all(X), Advice::WipeOnFork});
  const FrameId original = s.frame_id(P0, X, 0);
  s.as(P0, Fork{P1});
  EXPECT_EQ(s.frame_id(P0, X, 0), original);
  EXPECT_EQ(s.read(P1, all(X)), 0u);
}

TEST(WipeOnReleaseV4, MadviseOnAReadOnlyVmaCannotBreakCow) {
  Sim s(V4);
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), kX});
  s.as(P0, Mprotect{all(X), Prot::Read});
  s.as(P0, Fork{P1});
  const FrameId shared = s.frame_id(P0, X, 0);
  ASSERT_TRUE(s.as(P1, Madvise{all(X), Advice::WipeOnRelease}).is_ok());
  EXPECT_EQ(s.frame_id(P1, X, 0), shared) << "FOLL_WRITE fails on a PROT_READ VMA";
  s.as(P0, Exit{});
  s.as(P1, Exit{});
  EXPECT_FALSE(s.free_has(kX)) << "the child's exit zeroed the last mapping";
}

TEST(WipeOnReleaseV4, MigrationZeroesThePageBeforeItIsCopied) {
  Sim s(V4);
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), kX});
  s.as(P0, Madvise{all(X), Advice::WipeOnRelease});
  ASSERT_TRUE(s.sys(Migrate{P0, all(X)}).is_ok());
  EXPECT_EQ(s.read(P0, all(X)), 0u) << "try_to_migrate unmaps, page_remove_rmap clears";
}

// The COW copy's page_remove_rmap() drops the last mapping of the old page in a marked VMA:
// the pipe that still holds it reads zeros although nothing was unmapped.
TEST(WipeOnReleaseV4, CowCopyOfAPipedPageZeroesThePipesCopy) {
  Sim s(V4);
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), kX});
  s.as(P0, Madvise{all(X), Advice::WipeOnRelease});
  s.as(P0, Vmsplice{all(X), H0});
  s.as(P0, Fork{P1});  // the parent copies; the child and the pipe keep the original
  s.as(P1, Write{all(X), kY});
  EXPECT_EQ(s.dev(PipeRead{H0}), Result::of(0));
  EXPECT_EQ(s.read(P0, all(X)), kX);
}

TEST(WipeOnReleaseV2, CowCopyOfAPipedPageLeavesThePipesCopy) {
  Sim s(V2);
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), kX});
  s.as(P0, Madvise{all(X), Advice::WipeOnRelease});
  s.as(P0, Vmsplice{all(X), H0});
  s.as(P0, Fork{P1});
  s.as(P1, Write{all(X), kY});
  EXPECT_EQ(s.dev(PipeRead{H0}), Result::of(kX));
}

}  // namespace
}  // namespace mmsim::testing
