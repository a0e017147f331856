// sim/tests/fault_cow_test.cpp: demand zero fill, COW breaking and reuse, protection faults.
#include "sim/tests/sim_test_util.h"

namespace mmsim::testing {
namespace {

TEST(Fault, FreshAnonymousPageReadsZero) {
  Sim s;
  ASSERT_TRUE(s.as(P0, Mmap{X, 2}).is_ok());
  EXPECT_EQ(s.read(P0, pg(X, 1)), 0u);
}

TEST(Fault, WriteThenReadGivesTheValue) {
  Sim s;
  s.as(P0, Mmap{X, 3});
  s.as(P0, Write{all(X), 0xAB});
  EXPECT_EQ(s.read(P0, pg(X, 2)), 0xABu);
  EXPECT_EQ(s.frame_of(P0, X, 0).refcount, 1u);
}

TEST(Fault, ReadOfUnmappedPageKillsTheProcessWithSegv) {
  Sim s;
  s.as(P0, Mmap{X, 1});
  s.as(P0, Munmap{all(X)});
  EXPECT_EQ(s.as(P0, Read{pg(X, 0)}), Result::segv());
  EXPECT_EQ(s.w.proc(P0).state, ProcState::Killed);
}

TEST(Fault, WriteToReadOnlyMappingIsSegv) {
  Sim s;
  s.as(P0, Mmap{X, 1});
  s.as(P0, Mprotect{all(X), Prot::Read});
  EXPECT_EQ(s.as(P0, Write{all(X), 1}), Result::segv());
}

TEST(Fault, OutOfFramesKillsWithEnomem) {
  Sim s(PolicyId::Mainline, 2);
  s.as(P0, Mmap{X, 3});
  EXPECT_EQ(s.as(P0, Write{all(X), 7}), Result::error(Errno::NoMem));
  EXPECT_EQ(s.w.proc(P0).state, ProcState::Killed);
}

TEST(Cow, ChildWriteCopiesAndParentKeepsItsValue) {
  Sim s;
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), 0xA});
  s.as(P0, Fork{P1});
  EXPECT_EQ(s.frame_of(P0, X, 0).mapcount, 2u);
  s.as(P1, Write{all(X), 0xB});
  EXPECT_EQ(s.read(P0, all(X)), 0xAu);
  EXPECT_EQ(s.read(P1, all(X)), 0xBu);
}

TEST(Cow, LastSharerReusesThePageInPlace) {
  Sim s;
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), 0xA});
  s.as(P0, Fork{P1});
  s.as(P1, Exit{});
  const uint32_t frames_used = s.w.mem.count() - static_cast<uint32_t>(s.w.mem.free_list.size());
  s.as(P0, Write{all(X), 0xB});
  EXPECT_EQ(s.w.mem.count() - s.w.mem.free_list.size(), frames_used) << "no copy was needed";
}

TEST(Cow, PrivateFileWriteCopiesThePageCachePage) {
  Sim s;
  s.as(P0, Mmap{X, 1, Sharing::Private, Backing::File});
  EXPECT_EQ(s.read(P0, all(X)), 0u);
  s.as(P0, Write{all(X), 5});
  const Frame& f = s.frame_of(P0, X, 0);
  EXPECT_TRUE(f.has(FrameFlag::Anon));
}

TEST(Cow, SharedAnonymousMappingIsSharedAfterFork) {
  Sim s;
  s.as(P0, Mmap{X, 1, Sharing::Shared, Backing::Anon});
  s.as(P0, Fork{P1});
  s.as(P1, Write{all(X), 9});
  EXPECT_EQ(s.read(P0, all(X)), 9u);
}

TEST(Free, MunmapFreesThePageWithoutScrubbing) {
  Sim s;
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), 0x5EC7});
  s.as(P0, Munmap{all(X)});
  EXPECT_TRUE(s.free_has(0x5EC7));
}

TEST(Free, ReusedFrameIsZeroFilled) {
  Sim s(PolicyId::Mainline, 1);
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), 0x5EC7});
  s.as(P0, Munmap{all(X)});
  s.as(P0, Mmap{Y, 1});
  // A read would map the shared zero page and allocate nothing (do_anonymous_page without
  // FAULT_FLAG_WRITE); mlock's populate write-faults, which takes the freed frame and clears it.
  s.as(P0, Mlock{all(Y)});
  EXPECT_EQ(s.read(P0, all(Y)), 0u);
  EXPECT_FALSE(s.ram_has(0x5EC7));
}

TEST(Names, MunmapOfAnUnmappedRangeIsOkAndMadviseIsEnomem) {
  Sim s;
  s.as(P0, Mmap{X, 1});
  s.as(P0, Munmap{all(X)});
  EXPECT_TRUE(s.as(P0, Munmap{all(X)}).is_ok());
  EXPECT_EQ(s.as(P0, Madvise{all(X), Advice::DontFork}), Result::error(Errno::NoMem));
  EXPECT_EQ(s.as(P0, Mlock{all(X)}), Result::error(Errno::NoMem));
}

TEST(Names, UnboundNameIsEinvalAndSliceOutsideTheMappingToo) {
  Sim s;
  EXPECT_EQ(s.as(P0, Munmap{all(Y)}), Result::error(Errno::Inval));
  s.as(P0, Mmap{X, 2});
  EXPECT_EQ(s.as(P0, Madvise{pg(X, 2), Advice::DontFork}), Result::error(Errno::Inval));
}

}  // namespace
}  // namespace mmsim::testing
