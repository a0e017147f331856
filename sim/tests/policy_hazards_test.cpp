// sim/tests/policy_hazards_test.cpp: the hazards of docs/sources.md §3, one
// test per hazard the model can express, each asserting every relevant policy's outcome as the
// sources describe it: the buggy outcome where the policy has the bug, the safe one elsewhere.
//
// Hazards the model cannot express, and why:
// - H2 (munmap of one PTE of an mlocked large folio zeroes the whole folio): no large folios;
//   every frame is one page, so v3's folio_nr_pages() is 1.
// - H10 (torn copy at fork while another thread writes): a page holds one value and every copy
//   is atomic; fork's per-page steps cannot interleave inside one page.
// - H12 (GUP-fast on a secretmem folio still in a per-CPU LRU batch): no LRU batches, no
//   GUP-fast; gup always sees vma_is_secretmem().
// - H13 (perf/BPF build-ID read of a secretmem page): no kernel reader other than pipes, DMA and
//   the `kernel` view, all of which already respect the direct map.
// - H14 (inherited memfd_secret mapping grown uncharged by mremap): no mremap, no locked_vm.
// - H17, in part: userfaultfd waits, mmap_sem inside RCU and frozen-task deadlocks are not
//   modelled, nor loads torn by a suspend between them (one value per page).
#include <algorithm>
#include <array>
#include <initializer_list>

#include "sim/tests/sim_test_util.h"

namespace mmsim::testing {
namespace {

constexpr Value kA = 'A', kB = 'B', kC = 'C', kX = 0x58, kY = 0x59;

bool one_of(PolicyId id, std::initializer_list<PolicyId> ids) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

// H1: mlock, fork, the child exits: v3's zap of the child's PTE sees PG_mlocked (the parent's
// lock) and zeroes the folio the parent still maps.
TEST(Hazards, H1_ChildExitZeroesTheParentsMlockedPageOnlyUnderMlockedOnFreeV3) {
  for (PolicyId id : all_policies()) {
    Sim s(id);
    s.as(P0, Mmap{X, 1});
    s.as(P0, Write{all(X), kX});
    ASSERT_TRUE(s.as(P0, Mlock{all(X)}).is_ok());
    ASSERT_TRUE(s.as(P0, Fork{P1}).is_ok());
    ASSERT_TRUE(s.as(P1, Exit{}).is_ok());
    const Value want = id == PolicyId::MlockedOnFreeV3 ? 0 : kX;
    EXPECT_EQ(s.read(P0, all(X)), want) << policy_name(id);
  }
}

// H3: migration of an mlocked page frees the source: v3 has no hook there, v1's sticky flag and
// the vma queue zero it, init-on-free zeroes everything.
TEST(Hazards, H3_MigrationFreesAnMlockedSourceUnwipedUnlessTheMarkIsOnThePathToFree) {
  for (PolicyId id : all_policies()) {
    Sim s(id);
    s.as(P0, Mmap{X, 1});
    s.as(P0, Write{all(X), kX});
    ASSERT_TRUE(s.as(P0, Mlock{all(X)}).is_ok());
    ASSERT_TRUE(s.sys(Migrate{P0, all(X)}).is_ok()) << policy_name(id);
    const bool scrubbed =
        one_of(id, {PolicyId::InitOnFree, PolicyId::MlockedOnFreeV1, PolicyId::MlockedOnFreeVma});
    EXPECT_EQ(s.free_has(kX), !scrubbed) << policy_name(id);
    EXPECT_EQ(s.read(P0, all(X)), kX) << policy_name(id);
  }
}

// H3 for the wipeonrelease family: V1 zeroes the source but the flag does not follow the page;
// V2 has no hook; V4 zeroes before the copy (the process loses its data, H6).
TEST(Hazards, H3_MigrationOfAWipeonreleasePage) {
  struct Want {
    PolicyId id;
    bool source_scrubbed;
    Value after;
    bool copy_scrubbed_at_exit;
  };
  for (Want c : {Want{PolicyId::WipeOnReleaseV1, true, kX, false},
                 Want{PolicyId::WipeOnReleaseV2, false, kX, true},
                 Want{PolicyId::WipeOnReleaseV4, true, 0, true}}) {
    Sim s(c.id);
    s.as(P0, Mmap{X, 1});
    s.as(P0, Write{all(X), kX});
    s.as(P0, Madvise{all(X), Advice::WipeOnRelease});
    ASSERT_TRUE(s.sys(Migrate{P0, all(X)}).is_ok());
    EXPECT_EQ(s.free_has(kX), !c.source_scrubbed) << policy_name(c.id);
    EXPECT_EQ(s.read(P0, all(X)), c.after) << policy_name(c.id);
    s.as(P0, Exit{});
    EXPECT_EQ(s.free_has(kX), !(c.source_scrubbed && c.copy_scrubbed_at_exit)) << policy_name(c.id);
  }
}

// The mark step of each policy that has one: madvise for Garrett's, mlock for Niebuhr's.
void mark(Sim& s, PolicyId id) {
  if (one_of(id,
             {PolicyId::WipeOnReleaseV1, PolicyId::WipeOnReleaseV2, PolicyId::WipeOnReleaseV4})) {
    ASSERT_TRUE(s.as(P0, Madvise{all(X), Advice::WipeOnRelease}).is_ok());
  } else {
    ASSERT_TRUE(s.as(P0, Mlock{all(X)}).is_ok());
  }
}

constexpr std::array kMarking{PolicyId::WipeOnReleaseV1, PolicyId::WipeOnReleaseV2,
                              PolicyId::WipeOnReleaseV4, PolicyId::MlockedOnFreeV1,
                              PolicyId::MlockedOnFreeV3, PolicyId::MlockedOnFreeVma};
bool wipes_at_unmap(PolicyId id) {
  return one_of(id,
                {PolicyId::WipeOnReleaseV2, PolicyId::WipeOnReleaseV4, PolicyId::MlockedOnFreeV3});
}

// H4, O_DIRECT write: the device reads the page after the process unmapped it.
TEST(Hazards, H4_DmaReadsZerosAfterMunmapUnderRule1And2) {
  for (PolicyId id : kMarking) {
    Sim s(id);
    s.as(P0, Mmap{X, 1});
    s.as(P0, Write{all(X), kX});
    mark(s, id);
    ASSERT_TRUE(s.as(P0, Pin{all(X), PinKind::Dio, H0}).is_ok());
    s.as(P0, Munmap{all(X)});
    EXPECT_EQ(s.dev(DmaRead{H0}), Result::of(wipes_at_unmap(id) ? 0 : kX)) << policy_name(id);
    s.dev(Unpin{H0});
    EXPECT_FALSE(s.free_has(kX)) << policy_name(id) << ": zeroed at unmap or at free";
  }
}

// H4, O_DIRECT read: the device writes after the wipe and the page is freed with its data.
TEST(Hazards, H4_DmaWriteAfterTheUnmapWipeIsFreedUnscrubbed) {
  for (PolicyId id : kMarking) {
    Sim s(id);
    s.as(P0, Mmap{X, 1});
    s.as(P0, Write{all(X), kX});
    mark(s, id);
    s.as(P0, Pin{all(X), PinKind::Dio, H0});
    s.as(P0, Munmap{all(X)});
    s.dev(DmaWrite{H0, kY});
    s.dev(Unpin{H0});
    EXPECT_EQ(s.free_has(kY), wipes_at_unmap(id)) << policy_name(id);
  }
}

// H5 (Jann Horn): the child marks its COW copy of a page the parent put in a pipe, then exits.
TEST(Hazards, H5_ChildMarkingItsCowVmaZeroesThePipesPageUnderV2Only) {
  for (PolicyId id :
       {PolicyId::WipeOnReleaseV1, PolicyId::WipeOnReleaseV2, PolicyId::WipeOnReleaseV4}) {
    Sim s(id);
    s.as(P0, Mmap{X, 1});
    s.as(P0, Write{all(X), kX});
    s.as(P0, Vmsplice{all(X), H0});
    s.as(P0, Fork{P1});
    s.as(P0, Exit{});
    ASSERT_TRUE(s.as(P1, Madvise{all(X), Advice::WipeOnRelease}).is_ok());
    s.as(P1, Exit{});
    const Value want = id == PolicyId::WipeOnReleaseV2 ? 0 : kX;
    EXPECT_EQ(s.dev(PipeRead{H0}), Result::of(want)) << policy_name(id);
    // The pipe held the last reference. V1 flagged the page at the child's madvise (GUP) and
    // zeroes it now; under V4 the page left the child before the mark and is freed as it was.
    EXPECT_EQ(s.free_has(kX), id == PolicyId::WipeOnReleaseV4) << policy_name(id);
  }
}

// H6: V4 clears in try_to_unmap_one, before pageout writes the slot: swap-in reads zeros.
TEST(Hazards, H6_ReclaimOfAWipeonreleasePageLosesItsDataUnderV4) {
  for (PolicyId id :
       {PolicyId::WipeOnReleaseV1, PolicyId::WipeOnReleaseV2, PolicyId::WipeOnReleaseV4}) {
    Sim s(id);
    s.as(P0, Mmap{X, 1});
    s.as(P0, Write{all(X), kX});
    s.as(P0, Madvise{all(X), Advice::WipeOnRelease});
    ASSERT_TRUE(s.sys(Reclaim{P0, all(X)}).is_ok()) << policy_name(id);
    const bool v4 = id == PolicyId::WipeOnReleaseV4;
    EXPECT_EQ(s.swap_has(kX), !v4) << policy_name(id);
    EXPECT_EQ(s.read(P0, all(X)), v4 ? 0 : kX) << policy_name(id);
  }
}

// H7 (CVE-2020-29374): the parent's post-fork write reaches the child's pipe under legacy-cow.
TEST(Hazards, H7_ParentsWriteLeaksThroughVmspliceOnlyUnderLegacyCow) {
  for (PolicyId id : all_policies()) {
    Sim s(id);
    s.as(P0, Mmap{X, 1});
    s.as(P0, Write{all(X), kA});
    s.as(P0, Fork{P1});
    s.as(P1, Vmsplice{all(X), H0});
    s.as(P1, Munmap{all(X)});
    s.as(P0, Write{all(X), kB});
    const Value want = id == PolicyId::LegacyCow ? kB : kA;
    EXPECT_EQ(s.as(P1, PipeRead{H0}), Result::of(want)) << policy_name(id);
  }
}

// H8: a long-term pin, fork, a parent write: legacy-cow moves the parent off the pinned page.
TEST(Hazards, H8_DeviceMissesTheParentsWriteAfterForkOnlyUnderLegacyCow) {
  for (PolicyId id : all_policies()) {
    Sim s(id);
    s.as(P0, Mmap{X, 1});
    s.as(P0, Write{all(X), kA});
    s.as(P0, Pin{all(X), PinKind::Longterm, H0});
    s.as(P0, Fork{P1});
    s.as(P0, Write{all(X), kB});
    const Value want = id == PolicyId::LegacyCow ? kA : kB;
    EXPECT_EQ(s.dev(DmaRead{H0}), Result::of(want)) << policy_name(id);
  }
}

// H9: the DMA of an O_DIRECT read lands in the page the child kept under legacy-cow.
TEST(Hazards, H9_ParentLosesItsDirectIoReadAfterForkOnlyUnderLegacyCow) {
  for (PolicyId id : all_policies()) {
    Sim s(id);
    s.as(P0, Mmap{X, 1});
    s.as(P0, Write{all(X), kA});
    s.as(P0, Pin{all(X), PinKind::Dio, H0});
    s.as(P0, Fork{P1});
    s.as(P0, Write{all(X), kB});
    s.dev(DmaWrite{H0, kC});
    const Value want = id == PolicyId::LegacyCow ? kB : kC;
    EXPECT_EQ(s.read(P0, all(X)), want) << policy_name(id);
  }
}

// H11: 1024 plain references look like a pin once the mm has pinned: fork copies the page.
TEST(Hazards, H11_ManyPipeReferencesMakeForkCopyAnUnpinnedPage) {
  for (PolicyId id : {PolicyId::Mainline, PolicyId::LegacyCow}) {
    Sim s(id);
    s.as(P0, Mmap{X, 1});
    s.as(P0, Write{all(X), kA});
    s.as(P0, Pin{all(X), PinKind::Dio, H1});
    s.dev(Unpin{H1});
    for (uint32_t i = 0; i < kPinBias; ++i) ASSERT_TRUE(s.as(P0, Vmsplice{all(X), H0}).is_ok());
    ASSERT_TRUE(s.frame_of(P0, X, 0).maybe_pinned());
    s.as(P0, Fork{P1});
    const bool copied = s.frame_id(P0, X, 0) != s.frame_id(P1, X, 0);
    EXPECT_EQ(copied, id == PolicyId::Mainline) << policy_name(id);
  }
}

// H15: WIPEONFORK hides the mapping, not the page: a pre-fork pipe still has the secret.
TEST(Hazards, H15_WipeonforkChildReadsZeroButThePipeHasTheSecretUnderEveryPolicy) {
  for (PolicyId id : all_policies()) {
    Sim s(id);
    s.as(P0, Mmap{X, 1});
    s.as(P0, Write{all(X), kX});
    s.as(P0, Madvise{all(X), Advice::WipeOnFork});
    s.as(P0, Vmsplice{all(X), H0});
    s.as(P0, Fork{P1});
    EXPECT_EQ(s.read(P1, all(X)), 0u) << policy_name(id);
    EXPECT_EQ(s.as(P1, PipeRead{H0}), Result::of(kX)) << policy_name(id);
  }
}

// H16: after fork the parent's overwrite is a COW copy; the original keeps X for the pipe and
// the child. With WIPEONFORK nothing is shared and the overwrite is in place.
TEST(Hazards, H16_OverwriteAfterForkLeavesACopyOfTheSecret) {
  for (bool wipeonfork : {false, true}) {
    Sim s;
    s.as(P0, Mmap{X, 1});
    s.as(P0, Write{all(X), kX});
    if (wipeonfork) s.as(P0, Madvise{all(X), Advice::WipeOnFork});
    s.as(P0, Vmsplice{all(X), H0});
    s.as(P0, Fork{P1});
    s.as(P0, Write{all(X), kY});
    EXPECT_EQ(s.ram_has(kX), !wipeonfork);
    EXPECT_EQ(s.dev(PipeRead{H0}), Result::of(wipeonfork ? kY : kX));
  }
}

// H17: a swapped-out marked page at suspend. gup swaps it in (I/O while frozen) and clears it;
// zap drops the entry. Either way the freed slot keeps the secret.
TEST(Hazards, H17_SwappedMarkedPageAtSuspendLeavesTheSecretInSwap) {
  for (PolicyId id : {PolicyId::WipeOnSuspendGup, PolicyId::WipeOnSuspendZap}) {
    Sim s(id);
    s.as(P0, Mmap{X, 1});
    s.as(P0, Write{all(X), kX});
    s.as(P0, Madvise{all(X), Advice::WipeOnSuspend});
    ASSERT_TRUE(s.sys(Reclaim{P0, all(X)}).is_ok());
    s.sys(Suspend{});
    const Pte* e = s.pte(P0, X, 0);
    if (id == PolicyId::WipeOnSuspendGup) {
      ASSERT_NE(e, nullptr);
      EXPECT_TRUE(e->frame.valid()) << "swapped in by GUP";
      EXPECT_FALSE(s.ram_has(kX)) << "and cleared";
    } else {
      EXPECT_EQ(e, nullptr) << "zapped";
    }
    EXPECT_TRUE(s.swap_has(kX)) << policy_name(id);
    EXPECT_EQ(s.used_slots(), 0u) << policy_name(id) << ": the slot is freed, not erased";
  }
}

// H17: a hypervisor snapshot without an ACPI transition never runs the wipe.
TEST(Hazards, H17_SnapshotWithoutSuspendSkipsTheWipe) {
  for (PolicyId id :
       {PolicyId::WipeOnSuspendGup, PolicyId::WipeOnSuspendZap, PolicyId::WipeOnSuspendRestore}) {
    Sim s(id);
    s.as(P0, Mmap{X, 1});
    s.as(P0, Write{all(X), kX});
    s.as(P0, Madvise{all(X), Advice::WipeOnSuspend});
    s.sys(Snapshot{});
    EXPECT_TRUE(s.image_has(kX)) << policy_name(id);
    EXPECT_EQ(s.read(P0, all(X)), kX) << policy_name(id);
  }
}

// H18: a MAP_DROPPABLE page dropped by reclaim is freed, not wiped (except with init_on_free).
TEST(Hazards, H18_DroppedPageIsFreedUnscrubbedUnlessInitOnFree) {
  for (PolicyId id : all_policies()) {
    Sim s(id);
    s.as(P0, Mmap{X, 1, Sharing::Default, Backing::Droppable});
    s.as(P0, Write{all(X), kX});
    ASSERT_TRUE(s.sys(Reclaim{P0, all(X)}).is_ok()) << policy_name(id);
    EXPECT_EQ(s.free_has(kX), id != PolicyId::InitOnFree) << policy_name(id);
    EXPECT_EQ(s.read(P0, all(X)), 0u) << policy_name(id) << ": zero-filled on the next touch";
  }
}

// H19: MAP_EXCLUSIVE hides the page from the kernel while mapped, then frees it with the secret.
TEST(Hazards, H19_ExclusivePageIsHiddenWhileMappedAndFreedWithTheSecret) {
  Sim s(PolicyId::Exclusive);
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), kX});
  ASSERT_TRUE(s.as(P0, Madvise{all(X), Advice::Secret}).is_ok());
  EXPECT_FALSE(s.frame_of(P0, X, 0).has(FrameFlag::DirectMap)) << "`kernel has X` is false";
  s.as(P0, Munmap{all(X)});
  EXPECT_TRUE(s.free_has(kX));
}

}  // namespace
}  // namespace mmsim::testing
