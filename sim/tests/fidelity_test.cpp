// sim/tests/fidelity_test.cpp: the kernel-fidelity points of issue 12, one test (or a few) per
// point, each asserting what Linux does with the code it comes from cited beside it. Points 3
// and 8 (pin direction, FOLL_LONGTERM unshare of page-cache pages) are in gup_test.cpp.
#include "sim/kernel.h"
#include "sim/tests/sim_test_util.h"

namespace mmsim::testing {
namespace {

constexpr Value kS = 0x5EC7;

// A three-page mapping x with a hole at x[1].
void with_hole(Sim& s) {
  s.as(P0, Mmap{X, 3});
  s.as(P0, Write{all(X), kS});
  s.as(P0, Munmap{pg(X, 1)});
}

// --- 1: mlock, munlock, mprotect over a hole ---

TEST(Fidelity1, MlockOverAHoleLocksThePrefixThenEnomemWithoutPopulate) {
  Sim s;
  s.as(P0, Mmap{X, 4});
  s.as(P0, Write{pg(X, 0), kS});
  s.as(P0, Munmap{pg(X, 2)});
  // apply_vma_lock_flags: mlock_fixup on each VMA from start, then `if (vma->vm_start != tmp)
  // return -ENOMEM;` at the hole; do_mlock returns the error before __mm_populate.
  EXPECT_EQ(s.as(P0, Mlock{all(X)}), Result::error(Errno::NoMem));
  EXPECT_TRUE(s.vma(P0, X, 0)->has(VmaFlag::Locked));
  EXPECT_TRUE(s.frame_of(P0, X, 0).mlocked()) << "mlock_vma_pages_range mlocks present pages";
  EXPECT_TRUE(s.vma(P0, X, 1)->has(VmaFlag::Locked));
  EXPECT_EQ(s.pte(P0, X, 1), nullptr) << "no populate after the ENOMEM";
  EXPECT_FALSE(s.vma(P0, X, 3)->has(VmaFlag::Locked)) << "the VMA after the hole is untouched";
}

TEST(Fidelity1, MlockStartingInAHoleChangesNothing) {
  Sim s;
  with_hole(s);
  // vma_iter_load(start) finds no VMA: `if (!vma) return -ENOMEM;` before any change.
  EXPECT_EQ(s.as(P0, Mlock{pages(X, 1, 3)}), Result::error(Errno::NoMem));
  EXPECT_FALSE(s.vma(P0, X, 2)->has(VmaFlag::Locked));
}

TEST(Fidelity1, MunlockOverAHoleUnlocksThePrefix) {
  Sim s;
  with_hole(s);
  ASSERT_TRUE(s.as(P0, Mlock{pg(X, 0)}).is_ok());
  ASSERT_TRUE(s.as(P0, Mlock{pg(X, 2)}).is_ok());
  EXPECT_EQ(s.as(P0, Munlock{all(X)}), Result::error(Errno::NoMem));
  EXPECT_FALSE(s.vma(P0, X, 0)->has(VmaFlag::Locked));  // measured on 6.18 too (probe p1)
  EXPECT_FALSE(s.frame_of(P0, X, 0).mlocked());
  EXPECT_TRUE(s.vma(P0, X, 2)->has(VmaFlag::Locked));
}

TEST(Fidelity1, MprotectOverAHoleChangesThePrefix) {
  Sim s;
  with_hole(s);
  // do_mprotect_pkey: mprotect_fixup per VMA; the hole ends the walk with -ENOMEM.
  EXPECT_EQ(s.as(P0, Mprotect{all(X), Prot::Read}), Result::error(Errno::NoMem));
  EXPECT_EQ(s.vma(P0, X, 0)->prot, Prot::Read);
  EXPECT_EQ(s.vma(P0, X, 2)->prot, Prot::ReadWrite);
}

// --- 2: short GUP, short vmsplice ---

TEST(Fidelity2, VmspliceOfARangeWithAnUnmappedTailSplicesThePrefix) {
  Sim s;
  with_hole(s);
  // iter_to_pipe: `return total ? total : ret;`: the prefix is in the pipe, secret included.
  EXPECT_EQ(s.as(P0, Vmsplice{all(X), H0}), Result::of(1));
  s.as(P0, Munmap{all(X)});
  EXPECT_EQ(s.dev(PipeRead{H0}), Result::of(kS));
  EXPECT_EQ(s.dev(PipeRead{H0}), Result::error(Errno::Again)) << "nothing after the hole";
}

TEST(Fidelity2, VmspliceStartingAtAHoleIsEfault) {
  Sim s;
  with_hole(s);
  EXPECT_EQ(s.as(P0, Vmsplice{pages(X, 1, 3), H0}), Result::error(Errno::Fault));
  EXPECT_EQ(s.w.handle(H0).kind, Handle::Kind::Unused);
}

TEST(Fidelity2, ShortDioPinHoldsThePrefixAndALongtermPinNothing) {
  Sim s;
  with_hole(s);
  // __get_user_pages returns the number of pages it pinned; a short direct I/O keeps them.
  EXPECT_EQ(s.as(P0, Pin{all(X), PinKind::Dio, H0}), Result::of(1));
  EXPECT_EQ(s.w.handle(H0).frames.size(), 1u);
  EXPECT_EQ(s.frame_of(P0, X, 0).refcount, 1u + kPinBias);
  // io_pin_pages: "if we did partial map, release any pages we did get" -> -EFAULT.
  EXPECT_EQ(s.as(P0, Pin{all(X), PinKind::Longterm, H1}), Result::error(Errno::Fault));
  EXPECT_EQ(s.frame_of(P0, X, 0).refcount, 1u + kPinBias);
}

// --- 4: the shared zero page ---

TEST(Fidelity4, ReadFaultMapsTheZeroPageAndAllocatesNothing) {
  Sim s;
  s.as(P0, Mmap{X, 1});
  EXPECT_EQ(s.read(P0, all(X)), 0u);
  // do_anonymous_page: `if (!(vmf->flags & FAULT_FLAG_WRITE) && !mm_forbids_zeropage(...))`
  ASSERT_NE(s.pte(P0, X, 0), nullptr);
  EXPECT_TRUE(s.pte(P0, X, 0)->zero_page());
  EXPECT_EQ(s.used_frames(), 0u);
  s.as(P0, Write{all(X), kS});  // do_wp_page -> wp_page_copy allocates a zeroed page
  EXPECT_EQ(s.used_frames(), 1u);
  EXPECT_TRUE(s.frame_of(P0, X, 0).has(FrameFlag::AnonExclusive));
}

TEST(Fidelity4, VmspliceAndShortTermReadPinOfTheZeroPageSeeZerosAfterAWrite) {
  Sim s;
  s.as(P0, Mmap{X, 1});
  ASSERT_TRUE(s.as(P0, Vmsplice{all(X), H0}).is_ok());  // FOLL_GET of the zero page
  ASSERT_TRUE(s.as(P0, Pin{all(X), PinKind::Dio, H1, PinDir::Read}).is_ok());
  s.as(P0, Write{all(X), kS});
  // The write COWs away from the zero page; the pipe and the device keep it (probe p3: the
  // pipe reads 4096 zero bytes).
  EXPECT_EQ(s.dev(DmaRead{H1}), Result::of(0));
  EXPECT_EQ(s.dev(PipeRead{H0}), Result::of(0));
}

TEST(Fidelity4, LongtermReadPinAndWritePinAllocateInsteadOfTheZeroPage) {
  Sim s;
  s.as(P0, Mmap{X, 2});
  s.as(P0, Read{all(X)});
  // gup_must_unshare: the zero page is !PageAnon, so FOLL_LONGTERM in a COW mapping unshares.
  ASSERT_TRUE(s.as(P0, Pin{pg(X, 0), PinKind::Longterm, H0, PinDir::Read}).is_ok());
  EXPECT_FALSE(s.pte(P0, X, 0)->zero_page());
  s.as(P0, Write{pg(X, 0), kS});
  EXPECT_EQ(s.dev(DmaRead{H0}), Result::of(kS)) << "the pin and the process share the page";
  // FOLL_WRITE is a write fault: wp_page_copy on the zero page.
  ASSERT_TRUE(s.as(P0, Pin{pg(X, 1), PinKind::Dio, H1}).is_ok());
  EXPECT_FALSE(s.pte(P0, X, 1)->zero_page());
}

TEST(Fidelity4, ForkCopiesTheZeroPagePteAndTheChildsWriteAllocates) {
  Sim s;
  s.as(P0, Mmap{X, 1});
  s.as(P0, Read{all(X)});
  s.as(P0, Fork{P1});
  EXPECT_TRUE(s.pte(P1, X, 0)->zero_page());  // copy_present_pte: no vm_normal_page
  s.as(P1, Write{all(X), kS});
  EXPECT_EQ(s.read(P0, all(X)), 0u);
  EXPECT_EQ(s.sys(Reclaim{P0, all(X)}), Result::error(Errno::NoEnt)) << "not on any LRU";
}

// --- 5: shmem is swappable, files and memfd_secret are not ---

TEST(Fidelity5, SharedAnonymousPageGoesToSwapAndComesBack) {
  Sim s;
  s.as(P0, Mmap{X, 1, Sharing::Shared, Backing::Anon});
  s.as(P0, Write{all(X), kS});
  s.as(P0, Fork{P1});
  // shmem_writeout: the page goes to swap; both PTEs go (try_to_unmap of a file folio).
  ASSERT_TRUE(s.sys(Reclaim{P0, all(X)}).is_ok());
  EXPECT_TRUE(s.swap_has(kS));
  EXPECT_EQ(s.pte(P0, X, 0), nullptr);
  EXPECT_EQ(s.pte(P1, X, 0), nullptr);
  EXPECT_EQ(s.used_frames(), 0u);
  EXPECT_EQ(s.used_slots(), 1u);
  // shmem_swapin_folio: back in the page cache, the slot freed; both see one page.
  EXPECT_EQ(s.read(P1, all(X)), kS);
  EXPECT_EQ(s.used_slots(), 0u);
  s.as(P0, Write{all(X), 0x22});
  EXPECT_EQ(s.read(P1, all(X)), 0x22u);
}

TEST(Fidelity5, FileAndSecretPagesStayUnswappable) {
  Sim s;
  s.as(P0, Mmap{X, 1, Sharing::Shared, Backing::File});
  s.as(P0, Write{all(X), 1});
  EXPECT_EQ(s.sys(Reclaim{P0, all(X)}), Result::error(Errno::Inval));
  s.as(P0, Mmap{Y, 1, Sharing::Shared, Backing::Secret});
  s.as(P0, Write{all(Y), 1});
  // secretmem: mapping_set_unevictable (and the VMA is VM_LOCKED).
  EXPECT_EQ(s.sys(Reclaim{P0, all(Y)}), Result::error(Errno::Perm));
}

TEST(Fidelity5, MunmapOfASwappedShmemFileFreesItsSlot) {
  Sim s;
  s.as(P0, Mmap{X, 1, Sharing::Shared, Backing::Anon});
  s.as(P0, Write{all(X), kS});
  ASSERT_TRUE(s.sys(Reclaim{P0, all(X)}).is_ok());
  s.as(P0, Munmap{all(X)});  // the last mapping: shmem_evict_inode frees the swap entry
  EXPECT_EQ(s.used_slots(), 0u);
  EXPECT_TRUE(s.swap_has(kS)) << "a freed slot keeps its bytes";
}

// --- 6: mmap_lock ---

TEST(Fidelity6, ForkHoldsTheWriteLockAndOnlyNoFaultAccessesRunBesideIt) {
  Sim s;
  s.as(P0, Mmap{X, 3});
  s.as(P0, Write{pages(X, 0, 2), kS});
  // dup_mmap: mmap_write_lock_killable(oldmm) and vma_start_write on every parent VMA.
  EXPECT_EQ(mmap_lock_held(Fork{P1}), MmapLock::Write);
  EXPECT_EQ(mmap_lock_held(Mprotect{all(X), Prot::Read}), MmapLock::Write);
  EXPECT_EQ(mmap_lock_held(Munmap{all(X)}), MmapLock::Read);  // downgraded for the zap
  EXPECT_EQ(mmap_lock_held(Write{all(X), 1}), MmapLock::None);
  Outcome o = apply(s.w, Actor::process(P0), Fork{P1}, Granularity::PerPage);
  ASSERT_TRUE(op_is<ForkPage>(o.rest.front()));
  apply(s.w, Actor::process(P0), o.rest.front(), Granularity::PerPage);  // copies x[0]
  // x[0] is write-protected now (COW-shared): a store faults and waits; x[1] is still
  // writable: the store needs no fault and runs; x[2] is missing: a load faults and waits.
  EXPECT_TRUE(waits_for_mmap_write(s.w, P0, Write{pg(X, 0), 1}));
  EXPECT_FALSE(waits_for_mmap_write(s.w, P0, Write{pg(X, 1), 1}));
  EXPECT_FALSE(waits_for_mmap_write(s.w, P0, Read{pg(X, 0)}));
  EXPECT_TRUE(waits_for_mmap_write(s.w, P0, Read{pg(X, 2)}));
  EXPECT_TRUE(waits_for_mmap_write(s.w, P0, Pin{pg(X, 1), PinKind::Dio, H0}));
}

// --- 7: the smaller ones ---

TEST(Fidelity7, OomInADroppableMappingDoesNotKill) {
  Sim s(PolicyId::Mainline, 1);
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), 1});
  s.as(P0, Mmap{Y, 1, Sharing::Private, Backing::Droppable});
  // handle_mm_fault: `if (is_droppable) ret &= ~VM_FAULT_OOM;`
  EXPECT_EQ(s.as(P0, Write{all(Y), kS}), Result::error(Errno::NoMem));
  EXPECT_EQ(s.w.proc(P0).state, ProcState::Running);
  s.as(P0, Mmap{Z, 1});
  EXPECT_EQ(s.as(P0, Write{all(Z), kS}), Result::error(Errno::NoMem));
  EXPECT_EQ(s.w.proc(P0).state, ProcState::Killed) << "elsewhere OOM still kills";
}

TEST(Fidelity7, SwapCachePageMigratesWithItsSwapEntry) {
  Sim s;
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), kS});
  s.as(P0, Fork{P1});
  ASSERT_TRUE(s.sys(Reclaim{P0, all(X)}).is_ok());
  ASSERT_EQ(s.read(P0, all(X)), kS);  // in the swap cache: P1 still names the slot
  const FrameId old = s.frame_id(P0, X, 0);
  ASSERT_TRUE(s.w.frame(old).swap_slot.valid());
  // __folio_migrate_mapping moves the swap-cache entry (folio_expected_ref_count counts it).
  ASSERT_TRUE(s.sys(Migrate{P0, all(X)}).is_ok());
  const FrameId now = s.frame_id(P0, X, 0);
  EXPECT_NE(now, old);
  EXPECT_TRUE(s.w.frame(now).swap_slot.valid());
  EXPECT_EQ(s.read(P1, all(X)), kS);
  EXPECT_EQ(s.frame_id(P1, X, 0), now) << "the child's fault finds the migrated page";
}

TEST(Fidelity7, ZapStepsOfKillAndExecCarryTheirCause) {
  Sim s;
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), 1});
  Sim t = s;
  Outcome k = apply(s.w, Actor::system(), Kill{P0}, Granularity::PerPage);
  ASSERT_TRUE(op_is<ZapPage>(k.rest.front()));
  EXPECT_EQ(op_get<ZapPage>(k.rest.front()).cause, ZapCause::Kill);
  Outcome e = apply(t.w, Actor::process(P0), Exec{}, Granularity::PerPage);
  EXPECT_EQ(op_get<ZapPage>(e.rest.front()).cause, ZapCause::Exec);
}

// --- 9: the swap cache after fork ---

TEST(Fidelity9, AfterForkBothFaultsMapTheOneSwapCachePage) {
  Sim s;
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), kS});
  s.as(P0, Fork{P1});
  ASSERT_TRUE(s.sys(Reclaim{P0, all(X)}).is_ok());
  ASSERT_EQ(s.used_frames(), 0u);
  // do_swap_page: the first fault reads the slot into the swap cache; the sibling's fault
  // finds it there (swap_cache_get_folio) and maps the same frame.
  EXPECT_EQ(s.read(P0, all(X)), kS);
  EXPECT_EQ(s.w.swap.slots[0].refcount, 1u) << "P1's swap PTE still counts";
  EXPECT_EQ(s.read(P1, all(X)), kS);
  EXPECT_EQ(s.frame_id(P0, X, 0), s.frame_id(P1, X, 0));
  EXPECT_EQ(s.used_frames(), 1u);
  EXPECT_EQ(s.used_slots(), 0u) << "the last swap reference freed the slot";
  s.as(P1, Write{all(X), 0x22});  // not exclusive (fork cleared the marker): COW
  EXPECT_EQ(s.read(P0, all(X)), kS);
}

// CVE-2020-29374 through swap: pre-5.8 reuse_swap_page counts mapcount + swap count, not the
// pipe's reference; after a swap-in the parent's write reuses the page the child spliced.
TEST(Fidelity9, LegacyReuseOverSwapLeaksToTheChildsPipe) {
  for (PolicyId policy : {PolicyId::LegacyCow, PolicyId::Mainline}) {
    SCOPED_TRACE(std::string(policy_name(policy)));
    Sim s(policy);
    s.as(P0, Mmap{X, 1});
    s.as(P0, Write{all(X), 0x11});
    s.as(P0, Fork{P1});
    ASSERT_TRUE(s.sys(Reclaim{P0, all(X)}).is_ok());
    ASSERT_EQ(s.read(P0, all(X)), 0x11u);                 // into the swap cache
    ASSERT_TRUE(s.as(P1, Vmsplice{all(X), H0}).is_ok());  // same frame, +1 pipe ref
    s.as(P1, Exit{});
    s.as(P0, Write{all(X), 0x5EC7});
    const Result got = s.dev(PipeRead{H0});
    // legacy: mapcount 1 + swapcount 0 == 1: reuse in place, the child's pipe sees the secret.
    // mainline: not PageAnonExclusive and refcount 2 (the pipe): do_wp_page copies.
    EXPECT_EQ(got, Result::of(policy == PolicyId::LegacyCow ? 0x5EC7 : 0x11));
  }
}

// --- conform finding: check_vma_flags -> writable_file_mapping_allowed (mm/gup.c) ---

TEST(FidelityConform, LongtermWritePinOfASharedRegularFileIsEfault) {
  // vma_needs_dirty_tracking (mm/mmap.c): VM_SHARED|VM_WRITE and a mapping that can write
  // back. A private file mapping COWs to anonymous memory, shmem does no writeback, a pin
  // without FOLL_WRITE or without FOLL_LONGTERM is not refused. Checked on the live kernel by
  // model/conform/tests/kernel/longterm-pin-file.litmus (io_uring fixed buffers).
  Sim s;
  s.as(P0, Mmap{X, 1, Sharing::Shared, Backing::File});
  s.as(P0, Mmap{Y, 1, Sharing::Private, Backing::File});
  s.as(P0, Mmap{Z, 1, Sharing::Shared, Backing::Anon});
  EXPECT_EQ(s.as(P0, Pin{all(X), PinKind::Longterm, H0}), Result::error(Errno::Fault));
  EXPECT_EQ(s.pte(P0, X, 0), nullptr) << "refused before the fault";
  EXPECT_FALSE(s.w.handle(H0).active);
  EXPECT_TRUE(s.as(P0, Pin{all(X), PinKind::Longterm, H0, PinDir::Read}).is_ok());
  EXPECT_TRUE(s.as(P0, Pin{all(X), PinKind::Dio, H1}).is_ok());
  EXPECT_TRUE(s.sys(Unpin{H0}).is_ok());
  EXPECT_TRUE(s.sys(Unpin{H1}).is_ok());
  EXPECT_TRUE(s.as(P0, Pin{all(Y), PinKind::Longterm, H0}).is_ok());
  EXPECT_TRUE(s.frame_of(P0, Y, 0).has(FrameFlag::Anon)) << "the write fault copied the page";
  EXPECT_TRUE(s.as(P0, Pin{all(Z), PinKind::Longterm, H1}).is_ok()) << "shmem is not written back";
}

}  // namespace
}  // namespace mmsim::testing
