// sim/tests/policy_mlockedonfree_test.cpp: init_mlocked_on_free v1 (PG_ofinit, zeroed at
// free), v3 (zeroed at every zap of an mlocked anonymous page) and the per-VMA design with a
// wipe queue. docs/policies/mlockedonfree-*.md.
#include <set>

#include "sim/tests/sim_test_util.h"

namespace mmsim::testing {
namespace {

constexpr Value kX = 0x58, kY = 0x59;
constexpr PolicyId V1 = PolicyId::MlockedOnFreeV1, V3 = PolicyId::MlockedOnFreeV3,
                   Vma_ = PolicyId::MlockedOnFreeVma;

bool marked(const Sim& s, ProcId p, uint32_t i) {
  return s.frame_of(p, X, i).has(FrameFlag::PolicyMark);
}

// mmap X, write kX, mlock.
void locked_secret(Sim& s, uint32_t pages = 1) {
  s.as(P0, Mmap{X, pages});
  s.as(P0, Write{all(X), kX});
  ASSERT_TRUE(s.as(P0, Mlock{all(X)}).is_ok());
}

// --- v1 ---

TEST(MlockedOnFreeV1, MlockFlagsThePagesAndFreeZeroesThem) {
  Sim s(V1);
  locked_secret(s, 2);
  EXPECT_TRUE(marked(s, P0, 0));
  EXPECT_TRUE(marked(s, P0, 1));
  s.as(P0, Munmap{all(X)});
  EXPECT_FALSE(s.free_has(kX));
}

// mlock_new_folio() flags a page allocated into a VM_LOCKED VMA: here the parent's COW copy.
TEST(MlockedOnFreeV1, PageAllocatedIntoALockedVmaIsFlagged) {
  Sim s(V1);
  locked_secret(s);
  s.as(P0, Fork{P1});
  const FrameId shared = s.frame_id(P0, X, 0);
  s.as(P0, Write{all(X), kY});
  ASSERT_NE(s.frame_id(P0, X, 0), shared);
  EXPECT_TRUE(marked(s, P0, 0));
}

TEST(MlockedOnFreeV1, ExplicitMunlockClearsTheFlag) {
  Sim s(V1);
  locked_secret(s);
  ASSERT_TRUE(s.as(P0, Munlock{all(X)}).is_ok());
  EXPECT_FALSE(marked(s, P0, 0));
  s.as(P0, Munmap{all(X)});
  EXPECT_TRUE(s.free_has(kX));
}

TEST(MlockedOnFreeV1, ExitWithoutMunlockZeroesAtFreeEvenWhenAPipeHoldsThePage) {
  Sim s(V1);
  locked_secret(s);
  s.as(P0, Vmsplice{all(X), H0});
  s.as(P0, Exit{});
  EXPECT_EQ(s.dev(PipeRead{H0}), Result::of(kX));
  EXPECT_FALSE(s.free_has(kX));
}

// The child's VMA is not locked, so its munlock is a no-op (mlock_fixup returns early) and the
// flag set while the parent had it locked stays on the page.
TEST(MlockedOnFreeV1, MunlockOfAnUnlockedVmaDoesNotClearTheFlag) {
  Sim s(V1);
  locked_secret(s);
  s.as(P0, Fork{P1});
  s.as(P0, Exit{});
  ASSERT_TRUE(s.as(P1, Munlock{all(X)}).is_ok());
  EXPECT_TRUE(marked(s, P1, 0));
  s.as(P1, Exit{});
  EXPECT_FALSE(s.free_has(kX));
}

TEST(MlockedOnFreeV1, ChildCowCopyInItsUnlockedVmaIsNotFlagged) {
  Sim s(V1);
  locked_secret(s);
  s.as(P0, Fork{P1});
  s.as(P1, Write{all(X), kY});
  EXPECT_FALSE(marked(s, P1, 0));
  s.as(P1, Exit{});
  EXPECT_TRUE(s.free_has(kY));
}

// remove_migration_pte() mlocks the new page again, which flags it; the source keeps its flag.
TEST(MlockedOnFreeV1, MigrationZeroesTheSourceAndFlagsTheTarget) {
  Sim s(V1);
  locked_secret(s);
  ASSERT_TRUE(s.sys(Migrate{P0, all(X)}).is_ok());
  EXPECT_FALSE(s.free_has(kX));
  EXPECT_TRUE(marked(s, P0, 0));
  EXPECT_EQ(s.read(P0, all(X)), kX);
}

// mlock_fixup -> mlock_vma_pages_range mlocks (and v1's mlock_folio flags) the present pages
// before __mm_populate meets the PROT_NONE page and mlock returns ENOMEM. Found by the
// mlockedonfree-v1 hold property under `make soak` (docs/properties.md, Findings).
TEST(MlockedOnFreeV1, PresentPagesAreFlaggedWhenThePopulateFailsMidway) {
  Sim s(V1);
  s.as(P0, Mmap{X, 3});
  s.as(P0, Mprotect{pg(X, 1), Prot::None});
  s.as(P0, Write{pg(X, 0), kX});
  ASSERT_EQ(s.as(P0, Mlock{all(X)}), Result::error(Errno::NoMem));
  EXPECT_TRUE(marked(s, P0, 0));
  s.as(P0, Munmap{all(X)});
  EXPECT_FALSE(s.free_has(kX));
}

// A page that reclaim left in the swap cache (a pipe holds it) is mapped again by mlock's
// populate: __folio_add_anon_rmap -> mlock_vma_folio -> mlock_folio flags it, although no page
// was allocated. Found by the mlockedonfree-v1 hold property (docs/properties.md, Findings).
TEST(MlockedOnFreeV1, SwapCachePageMappedIntoALockedVmaIsFlagged) {
  Sim s(V1);
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), kY});  // a page of its own (a read would map the zero page)
  s.as(P0, Vmsplice{all(X), H0});
  const FrameId f = s.frame_id(P0, X, 0);
  ASSERT_TRUE(s.sys(Reclaim{P0, all(X)}).is_ok());
  ASSERT_TRUE(s.as(P0, Mlock{all(X)}).is_ok());
  ASSERT_EQ(s.frame_id(P0, X, 0), f) << "swap-in found the page in the swap cache";
  EXPECT_TRUE(marked(s, P0, 0));
  s.as(P0, PipeClose{H0});
  s.as(P0, Write{all(X), kX});
  s.as(P0, Munmap{all(X)});
  EXPECT_FALSE(s.free_has(kX));
}

// --- v3 ---

TEST(MlockedOnFreeV3, ZapOfAnMlockedPageZeroesItWhateverItsRefcount) {
  Sim s(V3);
  locked_secret(s);
  s.as(P0, Vmsplice{all(X), H0});
  s.as(P0, Munmap{all(X)});
  EXPECT_EQ(s.dev(PipeRead{H0}), Result::of(0));
}

TEST(MlockedOnFreeV3, MunlockBeforeExitKeepsTheData) {
  Sim s(V3);
  locked_secret(s);
  s.as(P0, Munlock{all(X)});
  s.as(P0, Exit{});
  EXPECT_TRUE(s.free_has(kX));
}

TEST(MlockedOnFreeV3, PagesThatWereNeverMlockedAreNotZeroed) {
  Sim s(V3);
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), kX});
  s.as(P0, Exit{});
  EXPECT_TRUE(s.free_has(kX));
}

// The child's VMA is not locked but the shared page is (the parent's VMA): the child's
// MADV_DONTNEED zeroes the parent's memory too.
TEST(MlockedOnFreeV3, ChildDontneedZeroesTheParentsLockedPage) {
  Sim s(V3);
  locked_secret(s);
  s.as(P0, Fork{P1});
  ASSERT_TRUE(s.as(P1, Madvise{all(X), Advice::DontNeed}).is_ok());
  EXPECT_EQ(s.read(P0, all(X)), 0u);
}

TEST(MlockedOnFreeV3, NoPageFlagAndNoQueue) {
  Sim s(V3);
  locked_secret(s);
  EXPECT_FALSE(marked(s, P0, 0));
  s.as(P0, Exit{});
  EXPECT_TRUE(s.w.wipe_queue.empty());
}

// --- vma ---

TEST(MlockedOnFreeVma, MlockMarksTheVmaNotThePage) {
  Sim s(Vma_);
  locked_secret(s);
  EXPECT_TRUE(s.vma(P0, X, 0)->has(VmaFlag::WipeMark));
  EXPECT_FALSE(marked(s, P0, 0));
}

TEST(MlockedOnFreeVma, PartialMlockMarksOnlyTheLockedPart) {
  Sim s(Vma_);
  s.as(P0, Mmap{X, 3});
  s.as(P0, Mlock{pg(X, 1)});
  EXPECT_FALSE(s.vma(P0, X, 0)->has(VmaFlag::WipeMark));
  EXPECT_TRUE(s.vma(P0, X, 1)->has(VmaFlag::WipeMark));
  EXPECT_FALSE(s.vma(P0, X, 2)->has(VmaFlag::WipeMark));
  s.as(P0, Munlock{pg(X, 1)});
  EXPECT_EQ(s.vma_count(P0), 1u) << "unmarked again, the VMAs merge";
}

// Nothing but the PTE holds the page: it is zeroed at the unmap, just before its free, and
// never enters the queue.
TEST(MlockedOnFreeVma, MunmapOfAnUnreferencedPageZeroesItWithoutQueueing) {
  Sim s(Vma_);
  locked_secret(s);
  const FrameId f = s.frame_id(P0, X, 0);
  s.as(P0, Munmap{all(X)});
  EXPECT_FALSE(s.free_has(kX));
  EXPECT_EQ(s.w.frame(f).state, Frame::State::Free);
  EXPECT_TRUE(s.w.wipe_queue.empty());
}

// Reclaim reads the page after its last unmap (pageout): it is queued, not zeroed at the unmap,
// so the slot gets the data; the frame is zeroed when the swap cache frees it. The child's VMA
// inherited the mark but not the lock, so its COW copy is evictable.
TEST(MlockedOnFreeVma, ReclaimQueuesThePageInsteadOfZeroingIt) {
  Sim s(Vma_);
  locked_secret(s);
  s.as(P0, Fork{P1});
  s.as(P1, Write{all(X), kY});
  ASSERT_TRUE(s.sys(Reclaim{P1, all(X)}).is_ok());
  EXPECT_FALSE(s.free_has(kY));
  EXPECT_TRUE(s.w.wipe_queue.empty());
  EXPECT_EQ(s.read(P1, all(X)), kY) << "pageout wrote the data before the wipe";
}

TEST(MlockedOnFreeVma, APipedPageWaitsInTheQueueUntilThePipeDropsIt) {
  Sim s(Vma_);
  locked_secret(s);
  s.as(P0, Vmsplice{all(X), H0});
  const FrameId f = s.frame_id(P0, X, 0);
  s.as(P0, Exit{});
  EXPECT_EQ(s.w.wipe_queue, std::set<FrameId>{f});
  EXPECT_EQ(s.dev(PipeRead{H0}), Result::of(kX));
  EXPECT_FALSE(s.free_has(kX));
  EXPECT_TRUE(s.w.wipe_queue.empty());
}

TEST(MlockedOnFreeVma, ExplicitMunlockClearsTheMark) {
  Sim s(Vma_);
  locked_secret(s);
  s.as(P0, Munlock{all(X)});
  EXPECT_FALSE(s.vma(P0, X, 0)->has(VmaFlag::WipeMark));
  s.as(P0, Munmap{all(X)});
  EXPECT_TRUE(s.free_has(kX));
}

TEST(MlockedOnFreeVma, ForkInheritsTheMarkButNotTheLock) {
  Sim s(Vma_);
  locked_secret(s);
  s.as(P0, Fork{P1});
  EXPECT_TRUE(s.vma(P1, X, 0)->has(VmaFlag::WipeMark));
  EXPECT_FALSE(s.vma(P1, X, 0)->has(VmaFlag::Locked));
}

// The parent goes first: its unmap is not the last, so nothing is queued; the child's is.
TEST(MlockedOnFreeVma, CowSharedPageIsQueuedByWhicheverMarkedVmaUnmapsItLast) {
  Sim s(Vma_);
  locked_secret(s);
  s.as(P0, Fork{P1});
  s.as(P0, Exit{});
  EXPECT_TRUE(s.w.wipe_queue.empty());
  EXPECT_EQ(s.read(P1, all(X)), kX);
  s.as(P1, Exit{});
  EXPECT_FALSE(s.free_has(kX));
}

// munlock in the child finds its VMA unlocked: mlock_fixup changes nothing, the mark stays.
TEST(MlockedOnFreeVma, MunlockOfTheChildsUnlockedVmaKeepsTheMark) {
  Sim s(Vma_);
  locked_secret(s);
  s.as(P0, Fork{P1});
  s.as(P1, Munlock{all(X)});
  EXPECT_TRUE(s.vma(P1, X, 0)->has(VmaFlag::WipeMark));
}

TEST(MlockedOnFreeVma, MigrationQueuesAndZeroesTheSource) {
  Sim s(Vma_);
  locked_secret(s);
  ASSERT_TRUE(s.sys(Migrate{P0, all(X)}).is_ok());
  EXPECT_FALSE(s.free_has(kX));
  EXPECT_EQ(s.read(P0, all(X)), kX);
  EXPECT_TRUE(s.w.wipe_queue.empty());
}

// mlock runs out of memory while populating. mlock_fixup set VM_LOCKED (and, in this design,
// the mark) before __mm_populate failed, so the pages populated so far are still wiped.
TEST(MlockedOnFreeVma, PagesOfAFailedMlockAreStillWiped) {
  Sim s(Vma_, 2);
  s.as(P0, Mmap{X, 3});
  s.as(P0, Write{pg(X, 0), kX});
  ASSERT_EQ(s.as(P0, Mlock{all(X)}), Result::error(Errno::Again));
  ASSERT_TRUE(s.vma(P0, X, 0)->has(VmaFlag::Locked));
  ASSERT_TRUE(s.vma(P0, X, 0)->has(VmaFlag::WipeMark));
  s.as(P0, Munmap{all(X)});
  EXPECT_FALSE(s.free_has(kX));
}

TEST(MlockedOnFreeVma, DroppableMlockSetsNoMark) {
  Sim s(Vma_);
  s.as(P0, Mmap{X, 1, Sharing::Default, Backing::Droppable});
  ASSERT_TRUE(s.as(P0, Mlock{all(X)}).is_ok());
  EXPECT_FALSE(s.vma(P0, X, 0)->has(VmaFlag::WipeMark));
}

TEST(MlockedOnFreeVma, QueueHoldsEachFrameOnce) {
  Sim s(Vma_);
  locked_secret(s, 3);
  s.as(P0, Vmsplice{pg(X, 2), H0});
  s.as(P0, Vmsplice{pg(X, 0), H0});
  s.as(P0, Vmsplice{pg(X, 2), H0});
  const FrameId a = s.frame_id(P0, X, 0), c = s.frame_id(P0, X, 2);
  s.as(P0, Exit{});
  EXPECT_EQ(s.w.wipe_queue, (std::set<FrameId>{a, c}));
  s.as(P0, PipeClose{H0});
  EXPECT_TRUE(s.w.wipe_queue.empty());
  EXPECT_FALSE(s.free_has(kX));
}

}  // namespace
}  // namespace mmsim::testing
