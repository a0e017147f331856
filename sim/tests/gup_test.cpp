// sim/tests/gup_test.cpp: get_user_pages users: FOLL_PIN pins (+GUP_PIN_COUNTING_BIAS per page,
// MMF_HAS_PINNED, unshare of COW-shared anonymous pages since 5.19), FOLL_GET pipe references
// (vmsplice), device DMA through a pin, pipe reads, and pages that outlive their mapping (D1).
// Every Sim op checks all invariants after it runs.
#include "sim/tests/sim_test_util.h"

namespace mmsim::testing {
namespace {

TEST(Gup, PinAddsTheBiasToEachPageAndSetsHasPinned) {
  Sim s;
  s.as(P0, Mmap{X, 2});
  s.as(P0, Write{all(X), 0xA});
  ASSERT_FALSE(s.w.proc(P0).mm.has_pinned);
  ASSERT_TRUE(s.as(P0, Pin{all(X), PinKind::Dio, H0}).is_ok());
  EXPECT_EQ(s.frame_of(P0, X, 0).refcount, 1u + kPinBias);
  EXPECT_EQ(s.frame_of(P0, X, 1).refcount, 1u + kPinBias);
  EXPECT_TRUE(s.frame_of(P0, X, 0).maybe_pinned());
  EXPECT_EQ(s.frame_of(P0, X, 0).mapcount, 1u) << "a pin is not a mapping";
  EXPECT_TRUE(s.w.proc(P0).mm.has_pinned);
  const Handle& h = s.w.handle(H0);
  EXPECT_EQ(h.kind, Handle::Kind::Pin);
  EXPECT_TRUE(h.active);
  EXPECT_EQ(h.owner, P0);
  EXPECT_EQ(h.frames, (std::vector<FrameId>{s.frame_id(P0, X, 0), s.frame_id(P0, X, 1)}));
}

TEST(Gup, PinFaultsInMissingPages) {
  Sim s;
  s.as(P0, Mmap{X, 1});
  ASSERT_TRUE(s.as(P0, Pin{all(X), PinKind::Longterm, H0}).is_ok());
  ASSERT_NE(s.pte(P0, X, 0), nullptr);
  EXPECT_EQ(s.dev(DmaRead{H0}), Result::of(0));
}

TEST(Gup, PinUnsharesACowSharedPageUnderMainline) {
  Sim s;
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), 0xA});
  s.as(P0, Fork{P1});
  const FrameId shared = s.frame_id(P0, X, 0);
  ASSERT_TRUE(s.as(P0, Pin{all(X), PinKind::Dio, H0}).is_ok());
  EXPECT_NE(s.frame_id(P0, X, 0), shared) << "FAULT_FLAG_UNSHARE copied it first";
  EXPECT_EQ(s.frame_id(P1, X, 0), shared);
  EXPECT_EQ(s.w.handle(H0).frames.front(), s.frame_id(P0, X, 0));
  EXPECT_TRUE(s.frame_of(P0, X, 0).has(FrameFlag::AnonExclusive));
  EXPECT_EQ(s.frame_of(P1, X, 0).refcount, 1u);
  s.dev(DmaWrite{H0, 0xD});
  EXPECT_EQ(s.read(P0, all(X)), 0xDu);
  EXPECT_EQ(s.read(P1, all(X)), 0xAu);
}

TEST(Gup, PinReusesAPageThatIsNoLongerShared) {
  Sim s;
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), 0xA});
  s.as(P0, Fork{P1});
  s.as(P1, Exit{});
  const FrameId page = s.frame_id(P0, X, 0);
  ASSERT_FALSE(s.frame_of(P0, X, 0).has(FrameFlag::AnonExclusive));
  s.as(P0, Pin{all(X), PinKind::Dio, H0});
  EXPECT_EQ(s.frame_id(P0, X, 0), page);
  EXPECT_TRUE(s.frame_of(P0, X, 0).has(FrameFlag::AnonExclusive));
}

TEST(Gup, PinUnsharesACowSharedAnonymousPageOfAPrivateFileMapping) {
  // gup_must_unshare() looks at the folio (anonymous), not at the VMA's file.
  Sim s;
  s.as(P0, Mmap{X, 1, Sharing::Private, Backing::File});
  s.as(P0, Write{all(X), 0xA});  // an anonymous COW copy of the file page
  s.as(P0, Fork{P1});
  const FrameId shared = s.frame_id(P0, X, 0);
  ASSERT_EQ(s.frame_id(P1, X, 0), shared);
  ASSERT_TRUE(s.as(P0, Pin{all(X), PinKind::Dio, H0}).is_ok());
  EXPECT_NE(s.frame_id(P0, X, 0), shared);
  s.dev(DmaWrite{H0, 0xD});
  EXPECT_EQ(s.read(P1, all(X)), 0xAu);
}

TEST(Gup, ShortTermReadPinOfAPrivateFilePageThatWasNeverWrittenPinsThePageCache) {
  Sim s;
  s.as(P0, Mmap{X, 1, Sharing::Private, Backing::File});
  ASSERT_TRUE(s.as(P0, Pin{all(X), PinKind::Dio, H0, PinDir::Read}).is_ok());
  // gup_must_unshare (mm/internal.h): `if (!PageAnon(page)) { if (!(flags & FOLL_LONGTERM))
  // return false; ...}`: a short-term R/O pin keeps the page-cache page.
  EXPECT_FALSE(s.frame_of(P0, X, 0).has(FrameFlag::Anon));
  EXPECT_EQ(s.frame_of(P0, X, 0).refcount, 2u + kPinBias);
}

// Point 8 of issue 12: gup_must_unshare returns is_cow_mapping(vma->vm_flags) for a
// page-cache page under FOLL_LONGTERM, so even a R/O long-term pin unshares it into a private
// anonymous copy first: the pin and the process's later writes see one page, the file none.
TEST(Gup, LongtermReadPinUnsharesAPageCachePageOfAPrivateMapping) {
  Sim s;
  s.as(P0, Mmap{X, 1, Sharing::Private, Backing::File});
  const FileId file = s.w.proc(P0).mm.vmas.at(s.vpn(P0, X, 0))->file;
  ASSERT_TRUE(s.as(P0, Pin{all(X), PinKind::Longterm, H0, PinDir::Read}).is_ok());
  EXPECT_TRUE(s.frame_of(P0, X, 0).has(FrameFlag::Anon));
  EXPECT_EQ(s.frame_of(P0, X, 0).refcount, 1u + kPinBias);
  s.as(P0, Write{all(X), 0x77});  // AnonExclusive: goes in place (do_wp_page reuse)
  EXPECT_EQ(s.dev(DmaRead{H0}), Result::of(0x77)) << "the device sees the process's write";
  EXPECT_EQ(s.w.frame(s.w.file(file).cache[0]).value, 0u) << "the file is unchanged";
}

// Point 3: a FOLL_WRITE pin (the default direction) write-faults before it pins
// (faultin_page with FAULT_FLAG_WRITE): a private file page is COW-copied, so a device write
// never reaches the page cache.
TEST(Gup, WritePinOfAPrivateFilePageCopiesItFirst) {
  Sim s;
  s.as(P0, Mmap{X, 1, Sharing::Private, Backing::File});
  const FileId file = s.w.proc(P0).mm.vmas.at(s.vpn(P0, X, 0))->file;
  ASSERT_TRUE(s.as(P0, Pin{all(X), PinKind::Dio, H0}).is_ok());
  EXPECT_TRUE(s.frame_of(P0, X, 0).has(FrameFlag::Anon));
  EXPECT_TRUE(s.dev(DmaWrite{H0, 0xD}).is_ok());
  EXPECT_EQ(s.w.frame(s.w.file(file).cache[0]).value, 0u);
  EXPECT_EQ(s.read(P0, all(X)), 0xDu);
}

// Pre-5.8 kernels had no unshare for R/O pins (gup_must_unshare is 5.18+): the pin takes the
// COW-shared page, and the parent's later write copies away from it, leaving the pin stale.
TEST(Gup, ReadPinDoesNotUnshareUnderLegacyCow) {
  Sim s(PolicyId::LegacyCow);
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), 0xA});
  s.as(P0, Fork{P1});
  const FrameId shared = s.frame_id(P0, X, 0);
  ASSERT_TRUE(s.as(P0, Pin{all(X), PinKind::Dio, H0, PinDir::Read}).is_ok());
  EXPECT_EQ(s.frame_id(P0, X, 0), shared);
  EXPECT_EQ(s.frame_of(P0, X, 0).refcount, 2u + kPinBias);
  s.as(P0, Write{all(X), 0xB});  // mapcount 2: copies
  EXPECT_EQ(s.dev(DmaRead{H0}), Result::of(0xA)) << "the R/O pin is left stale";
}

// FOLL_WRITE breaks COW on every kernel, legacy ones included (it is a write fault).
TEST(Gup, WritePinBreaksCowEvenUnderLegacyCow) {
  Sim s(PolicyId::LegacyCow);
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), 0xA});
  s.as(P0, Fork{P1});
  const FrameId shared = s.frame_id(P0, X, 0);
  ASSERT_TRUE(s.as(P0, Pin{all(X), PinKind::Dio, H0, PinDir::Write}).is_ok());
  EXPECT_NE(s.frame_id(P0, X, 0), shared);
  s.dev(DmaWrite{H0, 0xD});
  EXPECT_EQ(s.read(P1, all(X)), 0xAu) << "the device does not write into the child's page";
  EXPECT_EQ(s.read(P0, all(X)), 0xDu);
}

TEST(Gup, DmaWriteThroughAReadPinIsEfaultAndChangesNothing) {
  Sim s;
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), 0xA});
  ASSERT_TRUE(s.as(P0, Pin{all(X), PinKind::Dio, H0, PinDir::Read}).is_ok());
  EXPECT_EQ(s.dev(DmaWrite{H0, 0xD}), Result::error(Errno::Fault));
  EXPECT_EQ(s.read(P0, all(X)), 0xAu);
}

TEST(Gup, ReadPinOfAReadOnlyPageSucceedsAndAWritePinIsEfault) {
  Sim s;
  s.as(P0, Mmap{X, 1});
  s.as(P0, Mprotect{all(X), Prot::Read});
  EXPECT_TRUE(s.as(P0, Pin{all(X), PinKind::Dio, H0, PinDir::Read}).is_ok());
  // check_vma_flags (mm/gup.c): FOLL_WRITE on a VMA without VM_WRITE is -EFAULT.
  EXPECT_EQ(s.as(P0, Pin{all(X), PinKind::Dio, H1}), Result::error(Errno::Fault));
}

TEST(Gup, PinOfUnmappedNoneOrSecretPagesIsEfault) {
  Sim s;
  s.as(P0, Mmap{X, 1});
  s.as(P0, Munmap{all(X)});
  EXPECT_EQ(s.as(P0, Pin{all(X), PinKind::Dio, H0}), Result::error(Errno::Fault));
  s.as(P0, Mmap{Y, 1});
  s.as(P0, Mprotect{all(Y), Prot::None});
  EXPECT_EQ(s.as(P0, Pin{all(Y), PinKind::Dio, H0}), Result::error(Errno::Fault));
  s.as(P0, Mmap{Z, 1, Sharing::Shared, Backing::Secret});
  s.as(P0, Write{all(Z), 0x5EC});
  EXPECT_EQ(s.as(P0, Pin{all(Z), PinKind::Longterm, H0}), Result::error(Errno::Fault));
  EXPECT_EQ(s.w.handle(H0).kind, Handle::Kind::Unused);
  EXPECT_EQ(s.w.proc(P0).state, ProcState::Running) << "GUP fails; it does not SIGSEGV";
}

TEST(Gup, FailedPinDropsThePinsItTookAndStillMarksTheMm) {
  Sim s;
  s.as(P0, Mmap{X, 2});
  s.as(P0, Write{pg(X, 0), 1});
  s.as(P0, Mprotect{pg(X, 1), Prot::None});
  // A long-term pin is all or nothing (io_uring/memmap.c io_pin_pages: "if we did partial
  // map, release any pages we did get", then -EFAULT).
  EXPECT_EQ(s.as(P0, Pin{all(X), PinKind::Longterm, H0}), Result::error(Errno::Fault));
  EXPECT_EQ(s.frame_of(P0, X, 0).refcount, 1u);
  // __get_user_pages_locked: "if (flags & FOLL_PIN) mm_set_has_pinned_flag(mm)" before any
  // page is looked up.
  EXPECT_TRUE(s.w.proc(P0).mm.has_pinned);
}

TEST(Gup, HasPinnedIsNeverCleared) {
  Sim s;
  s.as(P0, Mmap{X, 1});
  s.as(P0, Pin{all(X), PinKind::Dio, H0});
  s.dev(Unpin{H0});
  s.as(P0, Munmap{all(X)});
  EXPECT_TRUE(s.w.proc(P0).mm.has_pinned);
}

TEST(Gup, VmspliceAddsOneReferenceAndDoesNotUnshare) {
  Sim s;
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), 0xA});
  s.as(P0, Fork{P1});
  const FrameId shared = s.frame_id(P0, X, 0);
  ASSERT_TRUE(s.as(P0, Vmsplice{all(X), H0}).is_ok());
  EXPECT_EQ(s.frame_id(P0, X, 0), shared);
  EXPECT_EQ(s.frame_of(P0, X, 0).refcount, 3u);
  EXPECT_EQ(s.frame_of(P0, X, 0).mapcount, 2u);
  EXPECT_FALSE(s.w.proc(P0).mm.has_pinned) << "FOLL_GET is invisible to pin tracking";
  EXPECT_EQ(s.w.handle(H0).kind, Handle::Kind::Pipe);
}

TEST(Gup, VmspliceOfUnmappedNoneOrSecretPagesIsEfault) {
  Sim s;
  s.as(P0, Mmap{X, 1});
  s.as(P0, Munmap{all(X)});
  EXPECT_EQ(s.as(P0, Vmsplice{all(X), H0}), Result::error(Errno::Fault));
  s.as(P0, Mmap{Y, 1});
  s.as(P0, Mprotect{all(Y), Prot::None});
  EXPECT_EQ(s.as(P0, Vmsplice{all(Y), H0}), Result::error(Errno::Fault));
  s.as(P0, Mmap{Z, 1, Sharing::Shared, Backing::Secret});
  EXPECT_EQ(s.as(P0, Vmsplice{all(Z), H0}), Result::error(Errno::Fault));
}

TEST(Gup, AHandleInUseIsEbusy) {
  Sim s;
  s.as(P0, Mmap{X, 1});
  ASSERT_TRUE(s.as(P0, Pin{all(X), PinKind::Dio, H0}).is_ok());
  EXPECT_EQ(s.as(P0, Pin{all(X), PinKind::Dio, H0}), Result::error(Errno::Busy));
  EXPECT_EQ(s.as(P0, Vmsplice{all(X), H0}), Result::error(Errno::Busy));
  ASSERT_TRUE(s.as(P0, Vmsplice{all(X), H1}).is_ok());
  EXPECT_EQ(s.as(P0, Pin{all(X), PinKind::Dio, H1}), Result::error(Errno::Busy));
  EXPECT_EQ(s.frame_of(P0, X, 0).refcount, 2u + kPinBias);
}

TEST(Gup, APinHandleCanBeReusedAfterUnpin) {
  Sim s;
  s.as(P0, Mmap{X, 1});
  s.as(P0, Pin{all(X), PinKind::Dio, H0});
  s.dev(Unpin{H0});
  EXPECT_TRUE(s.as(P0, Pin{all(X), PinKind::Longterm, H0}).is_ok());
  EXPECT_EQ(s.w.handle(H0).pin_kind, PinKind::Longterm);
}

TEST(Gup, DmaReadReadsTheFirstPinnedPageAndDmaWriteWritesEveryPage) {
  Sim s;
  s.as(P0, Mmap{X, 2});
  s.as(P0, Write{pg(X, 0), 1});
  s.as(P0, Write{pg(X, 1), 2});
  s.as(P0, Pin{all(X), PinKind::Dio, H0});
  EXPECT_EQ(s.dev(DmaRead{H0}), Result::of(1));
  EXPECT_TRUE(s.dev(DmaWrite{H0, 9}).is_ok());
  EXPECT_EQ(s.read(P0, pg(X, 0)), 9u);
  EXPECT_EQ(s.read(P0, pg(X, 1)), 9u);
}

TEST(Gup, UnpinDropsTheBias) {
  Sim s;
  s.as(P0, Mmap{X, 1});
  s.as(P0, Pin{all(X), PinKind::Dio, H0});
  ASSERT_TRUE(s.dev(Unpin{H0}).is_ok());
  EXPECT_EQ(s.frame_of(P0, X, 0).refcount, 1u);
  EXPECT_FALSE(s.w.handle(H0).active);
  EXPECT_TRUE(s.w.handle(H0).frames.empty());
}

TEST(Gup, DeviceOpsOnUnknownOrReleasedHandlesAreEinval) {
  Sim s;
  EXPECT_EQ(s.dev(DmaRead{H0}), Result::error(Errno::Inval));
  EXPECT_EQ(s.dev(DmaWrite{H0, 1}), Result::error(Errno::Inval));
  EXPECT_EQ(s.dev(Unpin{H0}), Result::error(Errno::Inval));
  s.as(P0, Mmap{X, 1});
  s.as(P0, Pin{all(X), PinKind::Dio, H0});
  s.dev(Unpin{H0});
  EXPECT_EQ(s.dev(Unpin{H0}), Result::error(Errno::Inval));
  EXPECT_EQ(s.dev(DmaRead{H0}), Result::error(Errno::Inval));
  EXPECT_EQ(s.dev(DmaWrite{H0, 1}), Result::error(Errno::Inval));
  s.as(P0, Vmsplice{all(X), H1});
  EXPECT_EQ(s.dev(DmaRead{H1}), Result::error(Errno::Inval)) << "a pipe is not a pin";
  EXPECT_EQ(s.dev(Unpin{H1}), Result::error(Errno::Inval));
  EXPECT_EQ(s.dev(PipeRead{H0}), Result::error(Errno::Inval)) << "a pin is not a pipe";
  EXPECT_EQ(s.dev(PipeClose{H0}), Result::error(Errno::Inval));
}

TEST(Gup, PipeReadConsumesPagesInOrderThenIsEagain) {
  Sim s;
  s.as(P0, Mmap{X, 2});
  s.as(P0, Write{pg(X, 0), 1});
  s.as(P0, Write{pg(X, 1), 2});
  s.as(P0, Vmsplice{all(X), H0});
  s.as(P0, Vmsplice{pg(X, 0), H0});  // appended
  EXPECT_EQ(s.w.handle(H0).frames.size(), 3u);
  EXPECT_EQ(s.frame_of(P0, X, 0).refcount, 3u);
  EXPECT_EQ(s.dev(PipeRead{H0}), Result::of(1));
  EXPECT_EQ(s.frame_of(P0, X, 0).refcount, 2u) << "pipe_buf_release dropped the reference";
  EXPECT_EQ(s.as(P0, PipeRead{H0}), Result::of(2)) << "any actor may read a pipe";
  EXPECT_EQ(s.dev(PipeRead{H0}), Result::of(1));
  EXPECT_EQ(s.frame_of(P0, X, 0).refcount, 1u);
  EXPECT_EQ(s.dev(PipeRead{H0}), Result::error(Errno::Again));
}

TEST(Gup, PipeReadSeesTheCurrentValueOfTheSplicedPage) {
  Sim s;
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), 1});
  s.as(P0, Vmsplice{all(X), H0});
  s.as(P0, Write{all(X), 2});  // exclusive page: written in place
  EXPECT_EQ(s.dev(PipeRead{H0}), Result::of(2));
}

TEST(Gup, PipeCloseDropsEveryReference) {
  Sim s;
  s.as(P0, Mmap{X, 2});
  s.as(P0, Write{all(X), 1});
  s.as(P0, Vmsplice{all(X), H0});
  s.as(P0, Munmap{all(X)});
  EXPECT_EQ(s.used_frames(), 2u) << "the pipe keeps both pages";
  ASSERT_TRUE(s.dev(PipeClose{H0}).is_ok());
  EXPECT_EQ(s.used_frames(), 0u);
  EXPECT_FALSE(s.w.handle(H0).active);
  EXPECT_EQ(s.dev(PipeClose{H0}), Result::error(Errno::Inval));
}

TEST(Gup, PinnedPageOutlivesMunmapAndIsFreedAtUnpin) {
  Sim s;
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), 0x5EC7});
  s.as(P0, Pin{all(X), PinKind::Dio, H0});
  const FrameId f = s.frame_id(P0, X, 0);
  ASSERT_TRUE(s.as(P0, Munmap{all(X)}).is_ok());
  EXPECT_EQ(s.w.frame(f).state, Frame::State::Used);
  EXPECT_EQ(s.w.frame(f).mapcount, 0u);
  EXPECT_EQ(s.w.frame(f).refcount, kPinBias);
  EXPECT_EQ(s.dev(DmaRead{H0}), Result::of(0x5EC7));
  EXPECT_TRUE(s.dev(DmaWrite{H0, 0xD0}).is_ok());
  ASSERT_TRUE(s.dev(Unpin{H0}).is_ok());
  EXPECT_EQ(s.w.frame(f).state, Frame::State::Free);
  EXPECT_TRUE(s.free_has(0xD0)) << "freed without scrubbing (mainline)";
}

TEST(Gup, PinnedAndSplicedPagesOutliveTheProcess) {
  Sim s;
  s.as(P0, Mmap{X, 2});
  s.as(P0, Write{all(X), 0x42});
  s.as(P0, Pin{pg(X, 0), PinKind::Longterm, H0});
  s.as(P0, Vmsplice{pg(X, 1), H1});
  s.as(P0, Exit{});
  EXPECT_EQ(s.used_frames(), 2u);
  EXPECT_EQ(s.dev(DmaRead{H0}), Result::of(0x42));
  EXPECT_EQ(s.dev(PipeRead{H1}), Result::of(0x42));
  s.dev(Unpin{H0});
  EXPECT_EQ(s.used_frames(), 0u);
}

TEST(Gup, PinOfASharedFilePageKeepsItAfterTheFileIsGone) {
  Sim s;
  s.as(P0, Mmap{X, 1, Sharing::Shared, Backing::File});
  s.as(P0, Write{all(X), 3});
  s.as(P0, Pin{all(X), PinKind::Dio, H0});
  EXPECT_EQ(s.frame_of(P0, X, 0).refcount, 2u + kPinBias) << "mapping, page cache and pin";
  s.as(P0, Munmap{all(X)});
  EXPECT_EQ(s.dev(DmaRead{H0}), Result::of(3));
  s.dev(Unpin{H0});
  EXPECT_EQ(s.used_frames(), 0u);
}

// --- memfd_secret pages (docs/sources.md §2.8) ---

TEST(Secret, PagesLeaveTheDirectMapAndAreZeroedWhenFreed) {
  Sim s;
  s.as(P0, Mmap{X, 1, Sharing::Shared, Backing::Secret});
  s.as(P0, Write{all(X), 0x5EC});
  const Frame& f = s.frame_of(P0, X, 0);
  EXPECT_FALSE(f.has(FrameFlag::DirectMap)) << "set_direct_map_invalid_noflush";
  EXPECT_TRUE(f.has(FrameFlag::SecretMem));
  EXPECT_TRUE(f.mlocked()) << "the VMA is VM_LOCKED";
  s.as(P0, Munmap{all(X)});
  EXPECT_EQ(s.used_frames(), 0u);
  EXPECT_FALSE(s.ram_has(0x5EC)) << "secretmem_free_folio zeroes the page";
}

}  // namespace
}  // namespace mmsim::testing
