// sim/tests/observed_test.cpp: one test per live-kernel observation of
// docs/sources.md §4 (Linux 6.18.44, x86-64) that the model can express,
// each asserting the result the live kernel gave, under the mainline policy.
//
// Observations the model cannot express, and why:
// - T5 (mremap MREMAP_FIXED move and MAYMOVE grow keep `wf`): the model has no mremap.
// - T8 (vfork/CLONE_VM child sees the secret): the model has no CLONE_VM; every fork is
//   dup_mmap.
// - T11 (guard regions vs WIPEONFORK): MADV_GUARD_INSTALL is not an advice of the language.
// - S1 (memfd_secret flags EINVAL): the `secret` mmap has no flags argument.
// - S8 (RLIMIT_MEMLOCK, uid 65534: EAGAIN above the limit): the model has no rlimits or
//   credentials.
// - SF (VmLck charging of inherited secret mappings, uncharged mremap-grow in the child): no
//   locked_vm accounting and no mremap.
// - D2 (fork + O_DIRECT + same-page write, 300 iterations, 0 losses): a timing race whose
//   window was not shown to be hit; it is not a deterministic result to assert.
// Parts of expressible observations that are left out for the same reasons: the VmLck value of
// S3, the second ftruncate and PROT_EXEC of S2, read(fd) of S4, write(pipe) of S6 (no
// copy-based pipe write), process_vm_readv and /proc/pid/mem of S7, MAP_LOCKED and `nr` of
// T12.
#include "sim/tests/sim_test_util.h"

namespace mmsim::testing {
namespace {

constexpr Value kA = 'A', kB = 'B', kC = 'C', kS = 'S';

// T1: `wf` in smaps; the child sees zeros, the parent keeps its data (0x41).
TEST(Observed, T1_ChildSeesZerosParentKeepsData) {
  Sim s;
  s.as(P0, Mmap{X, 4});
  s.as(P0, Write{all(X), 0x41});
  ASSERT_TRUE(s.as(P0, Madvise{all(X), Advice::WipeOnFork}).is_ok());
  EXPECT_TRUE(s.vma(P0, X, 0)->has(VmaFlag::WipeOnFork));
  ASSERT_TRUE(s.as(P0, Fork{P1}).is_ok());
  for (uint32_t i = 0; i < 4; ++i) EXPECT_EQ(s.read(P1, pg(X, i)), 0u) << "page " << i;
  for (uint32_t i = 0; i < 4; ++i) EXPECT_EQ(s.read(P0, pg(X, i)), 0x41u) << "page " << i;
}

// T2: a partial madvise splits the VMA (1 -> 3), KEEPONFORK merges it back (3 -> 1); the child
// sees 0x42 outside the range and 0 inside.
TEST(Observed, T2_PartialMadviseSplitsAndKeeponforkRemerges) {
  Sim s;
  s.as(P0, Mmap{X, 4});
  s.as(P0, Write{all(X), 0x42});
  EXPECT_EQ(s.vma_count(P0), 1u);  // AAAA
  ASSERT_TRUE(s.as(P0, Madvise{pages(X, 1, 3), Advice::WipeOnFork}).is_ok());
  EXPECT_EQ(s.vma_count(P0), 3u);  // ABBA
  s.as(P0, Fork{P1});
  EXPECT_EQ(s.read(P1, pg(X, 0)), 0x42u);
  EXPECT_EQ(s.read(P1, pg(X, 1)), 0u);
  EXPECT_EQ(s.read(P1, pg(X, 2)), 0u);
  EXPECT_EQ(s.read(P1, pg(X, 3)), 0x42u);
  ASSERT_TRUE(s.as(P0, Madvise{pages(X, 1, 3), Advice::KeepOnFork}).is_ok());
  EXPECT_EQ(s.vma_count(P0), 1u);  // AAAA
}

// T3: MAP_SHARED anon EINVAL, MAP_PRIVATE file EINVAL, PROT_READ anon 0, a range with a hole
// ENOMEM with the mapped part flagged.
TEST(Observed, T3_Eligibility) {
  Sim s;
  s.as(P0, Mmap{X, 1, Sharing::Shared, Backing::Anon});
  EXPECT_EQ(s.as(P0, Madvise{all(X), Advice::WipeOnFork}), Result::error(Errno::Inval));
  s.as(P0, Mmap{Y, 1, Sharing::Private, Backing::File});
  EXPECT_EQ(s.as(P0, Madvise{all(Y), Advice::WipeOnFork}), Result::error(Errno::Inval));
  s.as(P0, Mmap{Z, 3});
  s.as(P0, Mprotect{all(Z), Prot::Read});
  EXPECT_TRUE(s.as(P0, Madvise{all(Z), Advice::WipeOnFork}).is_ok());
  s.as(P0, Madvise{all(Z), Advice::KeepOnFork});
  s.as(P0, Munmap{pg(Z, 2)});  // RR.
  EXPECT_EQ(s.as(P0, Madvise{all(Z), Advice::WipeOnFork}), Result::error(Errno::NoMem));
  EXPECT_TRUE(s.vma(P0, Z, 0)->has(VmaFlag::WipeOnFork));
  EXPECT_TRUE(s.vma(P0, Z, 1)->has(VmaFlag::WipeOnFork));
}

// T4: the child's VMA keeps `wf`; the child saw 0, wrote 0x55 and forked; the grandchild saw 0.
TEST(Observed, T4_GrandchildInheritsWipeonfork) {
  Sim s;
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), 0x41});
  s.as(P0, Madvise{all(X), Advice::WipeOnFork});
  s.as(P0, Fork{P1});
  EXPECT_TRUE(s.vma(P1, X, 0)->has(VmaFlag::WipeOnFork));
  EXPECT_EQ(s.read(P1, all(X)), 0u);
  s.as(P1, Write{all(X), 0x55});
  s.as(P1, Fork{P2});
  EXPECT_EQ(s.read(P2, all(X)), 0u);
}

// T6: DONTFORK and WIPEONFORK on the same range: the child gets SIGSEGV.
TEST(Observed, T6_DontforkBeatsWipeonfork) {
  Sim s;
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), 0x41});
  s.as(P0, Madvise{all(X), Advice::WipeOnFork});
  s.as(P0, Madvise{all(X), Advice::DontFork});
  s.as(P0, Fork{P1});
  EXPECT_EQ(s.as(P1, Read{all(X)}), Result::segv());
  EXPECT_EQ(s.w.proc(P1).state, ProcState::Killed);
}

// T7: mlock + WIPEONFORK: the parent's VMA is `lo ... wf`; the child reads 0.
TEST(Observed, T7_MlockAndWipeonfork) {
  Sim s;
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), 0x41});
  ASSERT_TRUE(s.as(P0, Mlock{all(X)}).is_ok());
  ASSERT_TRUE(s.as(P0, Madvise{all(X), Advice::WipeOnFork}).is_ok());
  EXPECT_TRUE(s.vma(P0, X, 0)->has(VmaFlag::Locked));
  EXPECT_TRUE(s.vma(P0, X, 0)->has(VmaFlag::WipeOnFork));
  s.as(P0, Fork{P1});
  EXPECT_FALSE(s.vma(P1, X, 0)->has(VmaFlag::Locked));
  EXPECT_EQ(s.read(P1, all(X)), 0u);
  EXPECT_EQ(s.read(P0, all(X)), 0x41u);
}

// T9: a page vmsplice()d before a WIPEONFORK fork: the child's mapping reads 0, the pipe gives
// the secret.
TEST(Observed, T9_PreForkPageReferencesSurvive) {
  Sim s;
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), 0x41});
  s.as(P0, Vmsplice{all(X), H0});
  s.as(P0, Madvise{all(X), Advice::WipeOnFork});
  s.as(P0, Fork{P1});
  EXPECT_EQ(s.read(P1, all(X)), 0u);
  EXPECT_EQ(s.as(P1, PipeRead{H0}), Result::of(0x41));
}

// T12: MAP_DROPPABLE: `wf dd dp`; KEEPONFORK and DODUMP EINVAL; mlock returns 0 but sets no
// `lo`; the child reads 0.
TEST(Observed, T12_Droppable) {
  Sim s;
  ASSERT_TRUE(s.as(P0, Mmap{X, 1, Sharing::Default, Backing::Droppable}).is_ok());
  const Vma& v = *s.vma(P0, X, 0);
  EXPECT_TRUE(v.has(VmaFlag::WipeOnFork));
  EXPECT_TRUE(v.has(VmaFlag::DontDump));
  EXPECT_TRUE(v.has(VmaFlag::Droppable));
  EXPECT_EQ(s.as(P0, Madvise{all(X), Advice::KeepOnFork}), Result::error(Errno::Inval));
  EXPECT_EQ(s.as(P0, Madvise{all(X), Advice::DoDump}), Result::error(Errno::Inval));
  EXPECT_TRUE(s.as(P0, Mlock{all(X)}).is_ok());
  EXPECT_FALSE(s.vma(P0, X, 0)->has(VmaFlag::Locked));
  s.as(P0, Write{all(X), 0x41});
  EXPECT_FALSE(s.frame_of(P0, X, 0).mlocked());
  s.as(P0, Fork{P1});
  EXPECT_EQ(s.read(P1, all(X)), 0u);
  EXPECT_EQ(s.read(P0, all(X)), 0x41u);
}

// S2: memfd_secret + mmap(MAP_PRIVATE) is EINVAL.
TEST(Observed, S2_PrivateSecretMappingIsEinval) {
  Sim s;
  EXPECT_EQ(s.as(P0, Mmap{X, 1, Sharing::Private, Backing::Secret}), Result::error(Errno::Inval));
  EXPECT_EQ(s.vma_count(P0), 0u);
  EXPECT_TRUE(s.as(P0, Mmap{Y, 1, Sharing::Shared, Backing::Secret}).is_ok());
  EXPECT_TRUE(s.as(P0, Mmap{Z, 1, Sharing::Default, Backing::Secret}).is_ok());
}

// S3: the secret VMA is `sh ... lo dd` right after mmap, before any touch.
TEST(Observed, S3_SecretVmaIsSharedLockedAndDontdump) {
  Sim s;
  s.as(P0, Mmap{X, 4, Sharing::Shared, Backing::Secret});
  const Vma& v = *s.vma(P0, X, 0);
  EXPECT_TRUE(v.has(VmaFlag::Shared));
  EXPECT_TRUE(v.has(VmaFlag::Locked));
  EXPECT_TRUE(v.has(VmaFlag::DontDump));
  EXPECT_TRUE(s.w.proc(P0).mm.ptes.empty());
}

// S4-S5: WIPEONFORK EINVAL, DONTNEED EINVAL, mlock ENOMEM, munlock a no-op.
TEST(Observed, S4_S5_SecretAdviceAndLocking) {
  Sim s;
  s.as(P0, Mmap{X, 1, Sharing::Shared, Backing::Secret});
  s.as(P0, Write{all(X), kS});
  EXPECT_EQ(s.as(P0, Madvise{all(X), Advice::WipeOnFork}), Result::error(Errno::Inval));
  EXPECT_EQ(s.as(P0, Madvise{all(X), Advice::DontNeed}), Result::error(Errno::Inval));
  EXPECT_EQ(s.as(P0, Mlock{all(X)}), Result::error(Errno::NoMem));
  EXPECT_TRUE(s.as(P0, Munlock{all(X)}).is_ok());
  EXPECT_TRUE(s.vma(P0, X, 0)->has(VmaFlag::Locked)) << "munlock did nothing";
  EXPECT_EQ(s.read(P0, all(X)), kS);
}

// S6: vmsplice and O_DIRECT (a FOLL_PIN) of a secret buffer fail with EFAULT.
TEST(Observed, S6_VmspliceAndPinOfSecretFailWithEfault) {
  Sim s;
  s.as(P0, Mmap{X, 1, Sharing::Shared, Backing::Secret});
  s.as(P0, Write{all(X), kS});
  EXPECT_EQ(s.as(P0, Vmsplice{all(X), H0}), Result::error(Errno::Fault));
  EXPECT_EQ(s.as(P0, Pin{all(X), PinKind::Dio, H1}), Result::error(Errno::Fault));
  EXPECT_EQ(s.frame_of(P0, X, 0).refcount, 2u) << "the mapping and the page cache only";
}

// S7: the child shares the secret pages (reads 'S'; the parent sees the child's 'C'); the
// child's VMA lacks `lo`.
TEST(Observed, S7_ChildSharesSecretPages) {
  Sim s;
  s.as(P0, Mmap{X, 1, Sharing::Shared, Backing::Secret});
  s.as(P0, Write{all(X), kS});
  s.as(P0, Fork{P1});
  EXPECT_FALSE(s.vma(P1, X, 0)->has(VmaFlag::Locked));
  EXPECT_EQ(s.read(P1, all(X)), kS);
  s.as(P1, Write{all(X), kC});
  EXPECT_EQ(s.read(P0, all(X)), kC);
}

// C1 (cow.c "vmsplice() + unmap in child", CVE-2020-29374): the child's pipe reads 'A'.
TEST(Observed, C1_Cve2020_29374IsFixed) {
  Sim s;
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), kA});
  s.as(P0, Fork{P1});
  ASSERT_TRUE(s.as(P1, Vmsplice{all(X), H0}).is_ok());
  ASSERT_TRUE(s.as(P1, Munmap{all(X)}).is_ok());
  s.as(P0, Write{all(X), kB});
  EXPECT_EQ(s.as(P1, PipeRead{H0}), Result::of(kA));
}

// C2: parent vmsplice, fork, parent writes 'B': without WIPEONFORK the pipe reads 'A' (the
// parent COW-copied), with WIPEONFORK it reads 'B' (written in place).
TEST(Observed, C2_WipeonforkChangesCowDirection) {
  for (bool wipe : {false, true}) {
    SCOPED_TRACE(wipe ? "with wipeonfork" : "without wipeonfork");
    Sim s;
    s.as(P0, Mmap{X, 1});
    s.as(P0, Write{all(X), kA});
    if (wipe) s.as(P0, Madvise{all(X), Advice::WipeOnFork});
    s.as(P0, Vmsplice{all(X), H0});
    s.as(P0, Fork{P1});
    s.as(P0, Write{all(X), kB});
    EXPECT_EQ(s.as(P1, PipeRead{H0}), Result::of(wipe ? kB : kA));
    EXPECT_EQ(s.read(P1, all(X)), wipe ? 0u : kA);
  }
}

// D1: AIO O_DIRECT read into a buffer that is munmap()ed at once completes without error.
TEST(Observed, D1_DmaTargetOutlivesItsMapping) {
  Sim s;
  s.as(P0, Mmap{X, 2});
  ASSERT_TRUE(s.as(P0, Pin{all(X), PinKind::Dio, H0}).is_ok());
  ASSERT_TRUE(s.as(P0, Munmap{all(X)}).is_ok());
  EXPECT_TRUE(s.dev(DmaWrite{H0, 0xD1}).is_ok());
  EXPECT_EQ(s.dev(DmaRead{H0}), Result::of(0xD1));
  EXPECT_TRUE(s.dev(Unpin{H0}).is_ok());
  EXPECT_EQ(s.used_frames(), 0u);
}

}  // namespace
}  // namespace mmsim::testing
