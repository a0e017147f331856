// sim/tests/reclaim_test.cpp: reclaim to swap (shrink_folio_list: add_to_swap, try_to_unmap,
// pageout), swap-in (do_swap_page), MAP_DROPPABLE discard, the `reclaim` choice point, and
// migration (docs/model.md, "Reclaim and migration").
#include <algorithm>

#include "sim/tests/sim_test_util.h"

namespace mmsim::testing {
namespace {

TEST(Reclaim, SwapOutAndSwapInRestoresTheValue) {
  Sim s;
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), 0xAB});
  const FrameId f = s.frame_id(P0, X, 0);
  ASSERT_TRUE(s.sys(Reclaim{P0, all(X)}).is_ok());
  const Pte* e = s.pte(P0, X, 0);
  ASSERT_NE(e, nullptr);
  EXPECT_FALSE(e->frame.valid());
  ASSERT_TRUE(e->slot.valid());
  const SwapSlot& slot = s.w.swap.at(e->slot);
  EXPECT_EQ(slot.state, SwapSlot::State::Used);
  EXPECT_EQ(slot.refcount, 1u);
  EXPECT_EQ(slot.value, 0xABu);
  EXPECT_EQ(s.w.frame(f).state, Frame::State::Free) << "nothing else held the page";
  EXPECT_TRUE(s.free_has(0xAB)) << "the freed frame is not scrubbed";
  const SlotId id = e->slot;
  EXPECT_EQ(s.read(P0, all(X)), 0xABu);
  ASSERT_NE(s.pte(P0, X, 0), nullptr);
  EXPECT_TRUE(s.pte(P0, X, 0)->frame.valid());
  EXPECT_EQ(s.w.swap.at(id).state, SwapSlot::State::Free);
  EXPECT_TRUE(s.swap_has(0xAB)) << "a freed slot keeps its bytes";
  EXPECT_TRUE(s.frame_of(P0, X, 0).has(FrameFlag::AnonExclusive));
}

TEST(Reclaim, WriteToASwappedPageSwapsItIn) {
  Sim s;
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), 1});
  s.sys(Reclaim{P0, all(X)});
  const uint32_t used = s.used_frames();
  s.as(P0, Write{all(X), 2});
  EXPECT_EQ(s.used_frames(), used + 1) << "swapped in, then written in place";
  EXPECT_EQ(s.used_slots(), 0u);
  EXPECT_EQ(s.read(P0, all(X)), 2u);
}

TEST(Reclaim, SharedCowPageBecomesOneSlotNamedByBothPtes) {
  Sim s;
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), 0xC0});
  s.as(P0, Fork{P1});
  ASSERT_TRUE(s.sys(Reclaim{P1, all(X)}).is_ok());
  ASSERT_NE(s.pte(P0, X, 0), nullptr);
  ASSERT_NE(s.pte(P1, X, 0), nullptr);
  const SlotId slot = s.pte(P0, X, 0)->slot;
  ASSERT_TRUE(slot.valid());
  EXPECT_EQ(s.pte(P1, X, 0)->slot, slot);
  EXPECT_EQ(s.w.swap.at(slot).refcount, 2u);
  EXPECT_EQ(s.used_frames(), 0u);
  EXPECT_EQ(s.read(P0, all(X)), 0xC0u);
  EXPECT_EQ(s.w.swap.at(slot).refcount, 1u);
  EXPECT_FALSE(s.frame_of(P0, X, 0).has(FrameFlag::AnonExclusive)) << "the slot is still shared";
  EXPECT_EQ(s.read(P1, all(X)), 0xC0u);
  EXPECT_EQ(s.w.swap.at(slot).state, SwapSlot::State::Free);
}

TEST(Reclaim, LockedSecretAndMlockedPagesAreEperm) {
  Sim s;
  s.as(P0, Mmap{X, 1});
  s.as(P0, Mlock{all(X)});
  EXPECT_EQ(s.sys(Reclaim{P0, all(X)}), Result::error(Errno::Perm));
  s.as(P0, Mmap{Y, 1, Sharing::Shared, Backing::Secret});
  s.as(P0, Write{all(Y), 1});
  EXPECT_EQ(s.sys(Reclaim{P0, all(Y)}), Result::error(Errno::Perm));
  s.as(P0, Fork{P1});  // the child's VMA is not locked, but the page is mlocked
  EXPECT_FALSE(s.vma(P1, X, 0)->has(VmaFlag::Locked));
  EXPECT_EQ(s.sys(Reclaim{P1, all(X)}), Result::error(Errno::Perm));
}

TEST(Reclaim, PinnedPageIsEbusy) {
  Sim s;
  s.as(P0, Mmap{X, 1});
  s.as(P0, Pin{all(X), PinKind::Dio, H0});
  EXPECT_EQ(s.sys(Reclaim{P0, all(X)}), Result::error(Errno::Busy));
  s.dev(Unpin{H0});
  EXPECT_TRUE(s.sys(Reclaim{P0, all(X)}).is_ok());
}

TEST(Reclaim, NoPresentPageIsEnoent) {
  Sim s;
  s.as(P0, Mmap{X, 1});
  EXPECT_EQ(s.sys(Reclaim{P0, all(X)}), Result::error(Errno::NoEnt)) << "never touched";
  s.as(P0, Write{all(X), 1});
  s.sys(Reclaim{P0, all(X)});
  EXPECT_EQ(s.sys(Reclaim{P0, all(X)}), Result::error(Errno::NoEnt)) << "already swapped";
}

TEST(Reclaim, OutsideAVmaIsEnomemAndAnUnknownNameIsEinval) {
  Sim s;
  s.as(P0, Mmap{X, 1});
  s.as(P0, Munmap{all(X)});
  EXPECT_EQ(s.sys(Reclaim{P0, all(X)}), Result::error(Errno::NoMem));
  EXPECT_EQ(s.sys(Reclaim{P0, all(Y)}), Result::error(Errno::Inval));
}

TEST(Reclaim, FilePagesAreEinval) {
  Sim s;
  s.as(P0, Mmap{Y, 1, Sharing::Private, Backing::File});
  s.as(P0, Read{all(Y)});
  EXPECT_EQ(s.sys(Reclaim{P0, all(Y)}), Result::error(Errno::Inval));
}

TEST(Reclaim, NoFreeSlotIsEnospc) {
  Sim none(PolicyId::Mainline, 8, 0);
  none.as(P0, Mmap{X, 1});
  none.as(P0, Write{all(X), 1});
  EXPECT_EQ(none.sys(Reclaim{P0, all(X)}), Result::error(Errno::NoSpc));
  EXPECT_TRUE(none.pte(P0, X, 0)->frame.valid()) << "nothing changed";
  Sim one(PolicyId::Mainline, 8, 1);
  one.as(P0, Mmap{X, 2});
  one.as(P0, Write{all(X), 1});
  EXPECT_TRUE(one.sys(Reclaim{P0, pg(X, 0)}).is_ok());
  EXPECT_EQ(one.sys(Reclaim{P0, pg(X, 1)}), Result::error(Errno::NoSpc));
}

TEST(Reclaim, DroppablePageIsDroppedAndReadsZeroAfter) {
  Sim s;
  s.as(P0, Mmap{X, 1, Sharing::Default, Backing::Droppable});
  s.as(P0, Write{all(X), 0x5EC7});
  ASSERT_TRUE(s.sys(Reclaim{P0, all(X)}).is_ok());
  EXPECT_EQ(s.pte(P0, X, 0), nullptr) << "dropped, not swapped";
  EXPECT_EQ(s.used_slots(), 0u);
  EXPECT_FALSE(s.swap_has(0x5EC7));
  EXPECT_TRUE(s.free_has(0x5EC7)) << "H18: dropped is not wiped under mainline";
  EXPECT_EQ(s.read(P0, all(X)), 0u);
}

TEST(Reclaim, DroppablePageWithAnExtraReferenceIsKept) {
  // try_to_unmap_one discards a droppable folio only when ref_count == 1 + map_count.
  Sim s;
  s.as(P0, Mmap{X, 1, Sharing::Default, Backing::Droppable});
  s.as(P0, Write{all(X), 1});
  s.as(P0, Vmsplice{all(X), H0});
  EXPECT_EQ(s.sys(Reclaim{P0, all(X)}), Result::error(Errno::Again));
  EXPECT_EQ(s.read(P0, all(X)), 1u);
}

TEST(Reclaim, PageWithAPipeReferenceStaysInTheSwapCacheAndIsMappedAgain) {
  Sim s;
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), 0x99});
  s.as(P0, Vmsplice{all(X), H0});
  const FrameId f = s.frame_id(P0, X, 0);
  ASSERT_TRUE(s.sys(Reclaim{P0, all(X)}).is_ok());
  const SlotId slot = s.pte(P0, X, 0)->slot;
  EXPECT_EQ(s.w.frame(f).state, Frame::State::Used);
  EXPECT_EQ(s.w.frame(f).swap_slot, slot);
  EXPECT_EQ(s.w.frame(f).refcount, 2u) << "the pipe and the swap cache";
  EXPECT_EQ(s.w.frame(f).mapcount, 0u);
  EXPECT_EQ(s.read(P0, all(X)), 0x99u);
  EXPECT_EQ(s.frame_id(P0, X, 0), f) << "swap-in found the page in the swap cache";
  EXPECT_EQ(s.w.frame(f).swap_slot, SlotId::none());
  EXPECT_EQ(s.w.swap.at(slot).state, SwapSlot::State::Free);
  EXPECT_EQ(s.w.frame(f).refcount, 2u) << "the mapping and the pipe";
}

TEST(Reclaim, SwapCachePageIsFreedWhenThePipeLetsGo) {
  Sim s;
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), 0x99});
  s.as(P0, Vmsplice{all(X), H0});
  s.sys(Reclaim{P0, all(X)});
  EXPECT_EQ(s.dev(PipeRead{H0}), Result::of(0x99));
  EXPECT_EQ(s.used_frames(), 0u) << "only the swap cache held it";
  EXPECT_EQ(s.used_slots(), 1u);
  EXPECT_EQ(s.read(P0, all(X)), 0x99u) << "read back from the slot";
}

TEST(Reclaim, ExclusivePageStaysExclusiveAcrossSwap) {
  // try_to_unmap_one marks the swap PTE exclusive (pte_swp_mkexclusive) for an exclusive page;
  // do_swap_page maps the swap-cache page exclusive again, so a write goes in place and the
  // pipe sees it, as without swap.
  Sim s;
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), 0xA});
  s.as(P0, Vmsplice{all(X), H0});
  s.sys(Reclaim{P0, all(X)});
  s.as(P0, Write{all(X), 0xB});
  EXPECT_EQ(s.dev(PipeRead{H0}), Result::of(0xB));
}

TEST(Reclaim, Cve2020_29374StaysFixedAcrossSwap) {
  // The C1 pattern with a swap-out before the parent's write: the page was shared when it was
  // unmapped, so its swap entry is not exclusive and the swap-cache page still has the pipe's
  // reference: do_swap_page must not map it exclusive, and the write copies.
  Sim s;
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), 0xA});
  s.as(P0, Fork{P1});
  s.as(P1, Vmsplice{all(X), H0});
  s.as(P1, Munmap{all(X)});
  ASSERT_TRUE(s.sys(Reclaim{P0, all(X)}).is_ok());
  EXPECT_EQ(s.read(P0, all(X)), 0xAu);
  EXPECT_FALSE(s.frame_of(P0, X, 0).has(FrameFlag::AnonExclusive));
  s.as(P0, Write{all(X), 0xB});
  EXPECT_EQ(s.dev(PipeRead{H0}), Result::of(0xA)) << "the parent's new data must not leak";
}

TEST(Reclaim, ForkOfASwapEntryWithASwapCachePageMakesItShared) {
  Sim s;
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), 0xA});
  s.as(P0, Vmsplice{all(X), H0});
  s.sys(Reclaim{P0, all(X)});
  s.as(P0, Fork{P1});  // copy_nonpresent_pte clears the exclusive marker
  s.as(P1, Exit{});
  s.as(P0, Write{all(X), 0xB});
  EXPECT_EQ(s.dev(PipeRead{H0}), Result::of(0xA));
}

TEST(Reclaim, LegacyCowDoesNotReuseAPageWhoseSlotIsStillShared) {
  // Pre-5.8 do_wp_page reused an anonymous page only if reuse_swap_page() counted mapcount plus
  // swap count <= 1: a swap-cache page that a sibling still swaps from is copied.
  Sim s(PolicyId::LegacyCow);
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), 0xA});
  s.as(P0, Vmsplice{all(X), H0});  // keeps the page in the swap cache
  s.as(P0, Fork{P1});
  ASSERT_TRUE(s.sys(Reclaim{P0, all(X)}).is_ok());
  s.as(P1, Write{all(X), 0xB});
  EXPECT_EQ(s.read(P0, all(X)), 0xAu) << "the child's write must not reach the parent";
  EXPECT_EQ(s.read(P1, all(X)), 0xBu);
}

TEST(Reclaim, PageInTheSwapCacheIsReclaimedIntoItsOwnSlot) {
  // shrink_folio_list adds a folio to swap only if it is not in the swap cache already;
  // try_to_unmap then installs the folio's existing swap entry.
  Sim s;
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), 0xA});
  s.as(P0, Vmsplice{all(X), H0});
  s.as(P0, Fork{P1});
  ASSERT_TRUE(s.sys(Reclaim{P0, all(X)}).is_ok());
  const SlotId slot = s.pte(P0, X, 0)->slot;
  EXPECT_EQ(s.read(P0, all(X)), 0xAu);  // maps the swap-cache page; the child still swaps
  ASSERT_EQ(s.w.swap.at(slot).refcount, 1u);
  ASSERT_TRUE(s.sys(Reclaim{P0, all(X)}).is_ok());
  EXPECT_EQ(s.pte(P0, X, 0)->slot, slot);
  EXPECT_EQ(s.w.swap.at(slot).refcount, 2u);
  EXPECT_EQ(s.used_slots(), 1u);
  EXPECT_EQ(s.read(P1, all(X)), 0xAu);
  EXPECT_EQ(s.read(P0, all(X)), 0xAu);
}

TEST(Reclaim, DontneedAndMunmapOfASwappedPageFreeItsSlotButNotItsBytes) {
  Sim s;
  s.as(P0, Mmap{X, 2});
  s.as(P0, Write{pg(X, 0), 0x1});
  s.as(P0, Write{pg(X, 1), 0x2});
  s.sys(Reclaim{P0, pg(X, 0)});
  s.sys(Reclaim{P0, pg(X, 1)});
  ASSERT_EQ(s.used_slots(), 2u);
  ASSERT_TRUE(s.as(P0, Madvise{pg(X, 0), Advice::DontNeed}).is_ok());
  EXPECT_EQ(s.used_slots(), 1u);
  EXPECT_EQ(s.read(P0, pg(X, 0)), 0u) << "zero-fill on demand after MADV_DONTNEED";
  s.as(P0, Munmap{pg(X, 1)});
  EXPECT_EQ(s.used_slots(), 0u);
  EXPECT_TRUE(s.swap_has(0x1));
  EXPECT_TRUE(s.swap_has(0x2));
}

TEST(Reclaim, ChoicesListEachEligibleFrameOnceInOrder) {
  Sim s;
  s.as(P0, Mmap{X, 2});
  s.as(P0, Write{all(X), 1});
  s.as(P0, Mmap{Y, 1});
  s.as(P0, Mlock{all(Y)});  // not eligible: locked
  s.as(P0, Mmap{Z, 1, Sharing::Shared, Backing::Anon});
  s.as(P0, Write{all(Z), 1});    // shmem: eligible (shmem_writeout), listed once for P0
  s.as(P0, Fork{P1});            // X's pages are now mapped twice
  s.as(P1, Write{pg(X, 1), 2});  // P1 copies X[1]
  std::vector<Op> got = choices(s.w, Reclaim{});
  std::vector<Op> want{ReclaimPage{P0, s.vpn(P0, X, 0)}, ReclaimPage{P0, s.vpn(P0, X, 1)},
                       ReclaimPage{P0, s.vpn(P0, Z, 0)}, ReclaimPage{P1, s.vpn(P1, X, 1)}};
  EXPECT_EQ(got, want);
  for (const Op& c : got) {
    Sim copy = s;
    EXPECT_TRUE(copy.sys(c).is_ok());
  }
}

TEST(Reclaim, WithNothingEligibleTheOnlyChoiceChangesNothing) {
  Sim s;
  s.as(P0, Mmap{X, 1});
  s.as(P0, Mmap{Y, 1});
  s.as(P0, Mlock{all(Y)});
  std::vector<Op> got = choices(s.w, Reclaim{});
  ASSERT_EQ(got.size(), 1u);
  const World before = s.w;
  EXPECT_FALSE(s.sys(got.front()).is_ok());
  EXPECT_EQ(s.w, before);
}

TEST(Reclaim, UntargetedReclaimSwapsOutExactlyOneEligiblePage) {
  // Spec §3: `reclaim` swaps out any one eligible page.
  Sim s;
  s.as(P0, Mmap{X, 2});
  s.as(P0, Write{all(X), 1});
  s.as(P0, Mmap{Y, 1});
  s.as(P0, Mlock{all(Y)});
  ASSERT_TRUE(s.sys(Reclaim{}).is_ok());
  EXPECT_EQ(s.used_slots(), 1u);
  EXPECT_TRUE(s.pte(P0, X, 0)->slot.valid() != s.pte(P0, X, 1)->slot.valid());
  EXPECT_TRUE(s.pte(P0, Y, 0)->frame.valid());
}

// --- migration ---

TEST(Migrate, MovesTheValueAndFreesTheOldFrameUnscrubbed) {
  Sim s;
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), 0x5EC7});
  const FrameId old = s.frame_id(P0, X, 0);
  ASSERT_TRUE(s.sys(Migrate{P0, all(X)}).is_ok());
  EXPECT_NE(s.frame_id(P0, X, 0), old);
  EXPECT_EQ(s.w.frame(old).state, Frame::State::Free);
  EXPECT_EQ(s.w.frame(old).value, 0x5EC7u) << "H3: the source is freed unwiped";
  EXPECT_EQ(s.read(P0, all(X)), 0x5EC7u);
  EXPECT_TRUE(s.frame_of(P0, X, 0).has(FrameFlag::AnonExclusive));
}

TEST(Migrate, MovesEveryPteThatMapsThePage) {
  Sim s;
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), 3});
  s.as(P0, Mlock{all(X)});
  s.as(P0, Fork{P1});
  ASSERT_TRUE(s.sys(Migrate{P1, all(X)}).is_ok());
  EXPECT_EQ(s.frame_id(P0, X, 0), s.frame_id(P1, X, 0));
  const Frame& f = s.frame_of(P0, X, 0);
  EXPECT_EQ(f.mapcount, 2u);
  EXPECT_EQ(f.mlock_count, 1u) << "still mlocked through the parent's locked VMA";
  EXPECT_FALSE(f.has(FrameFlag::AnonExclusive));
}

TEST(Migrate, MovesAPageCachePageWithItsFile) {
  Sim s;
  s.as(P0, Mmap{X, 1, Sharing::Shared, Backing::File});
  s.as(P0, Write{all(X), 8});
  ASSERT_TRUE(s.sys(Migrate{P0, all(X)}).is_ok());
  const FrameId nf = s.frame_id(P0, X, 0);
  EXPECT_EQ(s.w.frame(nf).refcount, 2u);
  s.as(P0, Madvise{all(X), Advice::DontNeed});
  EXPECT_EQ(s.read(P0, all(X)), 8u);
  EXPECT_EQ(s.frame_id(P0, X, 0), nf);
}

TEST(Migrate, PinnedOrSecretPagesAreEbusy) {
  Sim s;
  s.as(P0, Mmap{X, 1});
  s.as(P0, Pin{all(X), PinKind::Dio, H0});
  EXPECT_EQ(s.sys(Migrate{P0, all(X)}), Result::error(Errno::Busy));
  s.as(P0, Mmap{Y, 1, Sharing::Shared, Backing::Secret});
  s.as(P0, Write{all(Y), 1});
  EXPECT_EQ(s.sys(Migrate{P0, all(Y)}), Result::error(Errno::Busy));
}

TEST(Migrate, PageWithAPipeReferenceIsEagain) {
  Sim s;
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), 1});  // a read fault would map the zero page, which never migrates
  s.as(P0, Vmsplice{all(X), H0});
  EXPECT_EQ(s.sys(Migrate{P0, all(X)}), Result::error(Errno::Again));
}

TEST(Migrate, NoPresentPageIsEnoentAndOutsideAVmaIsEnomem) {
  Sim s;
  s.as(P0, Mmap{X, 1});
  EXPECT_EQ(s.sys(Migrate{P0, all(X)}), Result::error(Errno::NoEnt));
  s.as(P0, Write{all(X), 1});
  s.sys(Reclaim{P0, all(X)});
  EXPECT_EQ(s.sys(Migrate{P0, all(X)}), Result::error(Errno::NoEnt));
  s.as(P0, Munmap{all(X)});
  EXPECT_EQ(s.sys(Migrate{P0, all(X)}), Result::error(Errno::NoMem));
}

TEST(Migrate, WithoutAFreeFrameIsEnomem) {
  Sim s(PolicyId::Mainline, 1);
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), 1});
  EXPECT_EQ(s.sys(Migrate{P0, all(X)}), Result::error(Errno::NoMem));
  EXPECT_EQ(s.read(P0, all(X)), 1u);
}

TEST(SystemOps, OnAProcessThatIsGoneAreEsrch) {
  Sim s;
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), 1});
  s.as(P0, Exit{});
  EXPECT_EQ(s.sys(Reclaim{P0, all(X)}), Result::error(Errno::Srch));
  EXPECT_EQ(s.sys(Migrate{P0, all(X)}), Result::error(Errno::Srch));
  EXPECT_EQ(s.sys(Kill{P0}), Result::error(Errno::Srch));
}

}  // namespace
}  // namespace mmsim::testing
