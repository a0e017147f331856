// sim/tests/policy_exclusive_test.cpp: the MAP_EXCLUSIVE RFC through the `secret` advice:
// locked and populated pages leave the direct map, fork skips the VMA, zap restores the direct
// map without zeroing. docs/policies/exclusive.md.
#include "sim/tests/sim_test_util.h"

namespace mmsim::testing {
namespace {

constexpr Value kX = 0x58, kY = 0x59;
constexpr PolicyId kExcl = PolicyId::Exclusive;

bool in_direct_map(const Sim& s, ProcId p, uint32_t i) {
  return s.frame_of(p, X, i).has(FrameFlag::DirectMap);
}

TEST(Exclusive, SecretLocksPopulatesAndTakesPagesOutOfTheDirectMap) {
  Sim s(kExcl);
  s.as(P0, Mmap{X, 2});
  s.as(P0, Write{pg(X, 0), kX});
  ASSERT_TRUE(s.as(P0, Madvise{all(X), Advice::Secret}).is_ok());
  const Vma& v = *s.vma(P0, X, 0);
  EXPECT_TRUE(v.has(VmaFlag::Exclusive));
  EXPECT_TRUE(v.has(VmaFlag::Locked)) << "MAP_EXCLUSIVE implies MAP_LOCKED";
  for (uint32_t i = 0; i < 2; ++i) {
    ASSERT_NE(s.pte(P0, X, i), nullptr) << "and MAP_POPULATE";
    EXPECT_TRUE(s.frame_of(P0, X, i).has(FrameFlag::PolicyMark));
    EXPECT_FALSE(in_direct_map(s, P0, i));
    EXPECT_TRUE(s.frame_of(P0, X, i).mlocked());
  }
  EXPECT_EQ(s.read(P0, pg(X, 0)), kX) << "the owner still reads through its own mapping";
}

TEST(Exclusive, ForkSkipsTheVmaAndTheChildFaults) {
  Sim s(kExcl);
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), kX});
  s.as(P0, Madvise{all(X), Advice::Secret});
  ASSERT_TRUE(s.as(P0, Fork{P1}).is_ok());
  EXPECT_EQ(s.as(P1, Read{all(X)}), Result::segv());
  EXPECT_EQ(s.read(P0, all(X)), kX);
}

TEST(Exclusive, MunmapPutsThePageBackInTheDirectMapWithTheSecretInIt) {
  Sim s(kExcl);
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), kX});
  s.as(P0, Madvise{all(X), Advice::Secret});
  const FrameId f = s.frame_id(P0, X, 0);
  s.as(P0, Munmap{all(X)});
  EXPECT_EQ(s.w.frame(f).state, Frame::State::Free);
  EXPECT_TRUE(s.w.frame(f).has(FrameFlag::DirectMap));
  EXPECT_EQ(s.w.frame(f).value, kX);
}

// Zap restores the direct map even while other references remain.
TEST(Exclusive, ZapRestoresTheDirectMapOfAPinnedPage) {
  Sim s(kExcl);
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), kX});
  s.as(P0, Madvise{all(X), Advice::Secret});
  ASSERT_TRUE(s.as(P0, Pin{all(X), PinKind::Dio, H0}).is_ok()) << "GUP is not refused";
  const FrameId f = s.frame_id(P0, X, 0);
  s.as(P0, Munmap{all(X)});
  EXPECT_TRUE(s.w.frame(f).has(FrameFlag::DirectMap));
  EXPECT_FALSE(s.w.frame(f).has(FrameFlag::PolicyMark));
  EXPECT_EQ(s.dev(DmaRead{H0}), Result::of(kX));
}

TEST(Exclusive, DeviceDmaThroughAPinStillWorks) {
  Sim s(kExcl);
  s.as(P0, Mmap{X, 1});
  s.as(P0, Madvise{all(X), Advice::Secret});
  s.as(P0, Write{all(X), kX});
  ASSERT_TRUE(s.as(P0, Pin{all(X), PinKind::Longterm, H0}).is_ok());
  EXPECT_EQ(s.dev(DmaRead{H0}), Result::of(kX));
  EXPECT_TRUE(s.dev(DmaWrite{H0, kY}).is_ok());
  EXPECT_EQ(s.read(P0, all(X)), kY);
}

// vmsplice takes the page (FOLL_GET is not refused) but the kernel's copy out of it goes
// through the direct map: the RFC's "SIGSEGV FIXME", which the model reports as EFAULT.
TEST(Exclusive, PipeReadOfAnExclusivePageFaults) {
  Sim s(kExcl);
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), kX});
  s.as(P0, Madvise{all(X), Advice::Secret});
  ASSERT_TRUE(s.as(P0, Vmsplice{all(X), H0}).is_ok());
  EXPECT_EQ(s.dev(PipeRead{H0}), Result::error(Errno::Fault));
  s.as(P0, Munmap{all(X)});
  EXPECT_EQ(s.dev(PipeRead{H0}), Result::of(kX)) << "after the zap the kernel can read it";
}

// Only populate marks pages (FOLL_EXCLUSIVE); a page faulted in later stays in the direct map.
TEST(Exclusive, PageFaultedAfterPopulateStaysInTheDirectMap) {
  Sim s(kExcl);
  s.as(P0, Mmap{X, 1});
  s.as(P0, Madvise{all(X), Advice::Secret});
  s.as(P0, Munlock{all(X)});
  ASSERT_TRUE(s.as(P0, Madvise{all(X), Advice::DontNeed}).is_ok());
  s.as(P0, Write{all(X), kX});
  EXPECT_TRUE(in_direct_map(s, P0, 0));
  EXPECT_FALSE(s.frame_of(P0, X, 0).has(FrameFlag::PolicyMark));
  EXPECT_TRUE(s.vma(P0, X, 0)->has(VmaFlag::Exclusive));
}

TEST(Exclusive, LockedSecretPageIsNotReclaimedAndDontneedIsRefused) {
  Sim s(kExcl);
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), kX});
  s.as(P0, Madvise{all(X), Advice::Secret});
  EXPECT_EQ(s.sys(Reclaim{P0, all(X)}), Result::error(Errno::Perm));
  EXPECT_EQ(s.as(P0, Madvise{all(X), Advice::DontNeed}), Result::error(Errno::Inval));
}

TEST(Exclusive, MigrationTargetIsAnOrdinaryDirectMapPage) {
  Sim s(kExcl);
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), kX});
  s.as(P0, Madvise{all(X), Advice::Secret});
  ASSERT_TRUE(s.sys(Migrate{P0, all(X)}).is_ok());
  EXPECT_TRUE(in_direct_map(s, P0, 0));
  EXPECT_FALSE(s.frame_of(P0, X, 0).has(FrameFlag::PolicyMark));
  EXPECT_EQ(s.read(P0, all(X)), kX);
  EXPECT_TRUE(s.free_has(kX)) << "the source is freed unscrubbed";
}

// Populate writes a writable private mapping: a page COW-shared with a child is copied first,
// so only the parent's copy leaves the direct map.
TEST(Exclusive, SecretOnACowSharedPageMarksOnlyTheCallersCopy) {
  Sim s(kExcl);
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), kX});
  s.as(P0, Fork{P1});
  const FrameId shared = s.frame_id(P1, X, 0);
  s.as(P0, Madvise{all(X), Advice::Secret});
  EXPECT_NE(s.frame_id(P0, X, 0), shared);
  EXPECT_FALSE(in_direct_map(s, P0, 0));
  EXPECT_TRUE(in_direct_map(s, P1, 0));
}

}  // namespace
}  // namespace mmsim::testing
