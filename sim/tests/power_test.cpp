// sim/tests/power_test.cpp: suspend (S3), hibernate (S4), resume and a hypervisor snapshot
// (docs/model.md, "Suspend, hibernate, snapshot"; hibernation_available() and memfd_secret,
// docs/sources.md §2.8).
#include "sim/tests/sim_test_util.h"

namespace mmsim::testing {
namespace {

const Actor kP0 = Actor::process(P0);
const Actor kDev = Actor::device(DeviceId{0});
const Actor kSys = Actor::system();

TEST(Power, SuspendFreezesProcessesAndDevicesUntilResume) {
  Sim s;
  s.as(P0, Mmap{X, 1});
  ASSERT_TRUE(s.sys(Suspend{}).is_ok());
  EXPECT_EQ(s.w.power, Power::Suspended);
  EXPECT_FALSE(actor_runnable(s.w, kP0));
  EXPECT_FALSE(actor_runnable(s.w, kDev));
  EXPECT_TRUE(actor_runnable(s.w, kSys)) << "the system thread resumes the machine";
  ASSERT_TRUE(s.sys(Resume{}).is_ok());
  EXPECT_EQ(s.w.power, Power::Running);
  EXPECT_TRUE(actor_runnable(s.w, kP0));
  EXPECT_TRUE(actor_runnable(s.w, kDev));
}

TEST(Power, HibernateFreezesUntilResume) {
  Sim s;
  ASSERT_TRUE(s.sys(Hibernate{}).is_ok());
  EXPECT_EQ(s.w.power, Power::Hibernated);
  EXPECT_FALSE(actor_runnable(s.w, kP0));
  EXPECT_FALSE(actor_runnable(s.w, kDev));
  ASSERT_TRUE(s.sys(Resume{}).is_ok());
  EXPECT_TRUE(actor_runnable(s.w, kP0));
}

TEST(Power, MachineIsFrozenFromTheFirstStepOfASuspend) {
  Sim s;
  Outcome first = apply(s.w, kSys, Suspend{}, Granularity::PerPage);
  ASSERT_TRUE(first.result.is_ok());
  ASSERT_FALSE(first.rest.empty());
  EXPECT_TRUE(s.w.frozen());
  EXPECT_FALSE(actor_runnable(s.w, kP0));
  for (const Op& step : first.rest) apply(s.w, kSys, step, Granularity::PerPage);
  EXPECT_EQ(s.w.power, Power::Suspended);
  EXPECT_FALSE(actor_runnable(s.w, kP0));
}

TEST(Power, HibernateImageHoldsTheValuesOfUsedFramesOnly) {
  Sim s;
  s.as(P0, Mmap{X, 2});
  s.as(P0, Write{pg(X, 0), 0xA});
  s.as(P0, Write{pg(X, 1), 0xB});
  s.as(P0, Mmap{Y, 2});
  s.as(P0, Write{pg(Y, 0), 0xF});
  s.as(P0, Write{pg(Y, 1), 0x5});
  s.sys(Reclaim{P0, pg(Y, 1)});  // 0x5 lives in a slot only
  s.as(P0, Munmap{pg(Y, 0)});    // 0xF lives in a free frame only
  ASSERT_TRUE(s.free_has(0xF));
  ASSERT_TRUE(s.sys(Hibernate{}).is_ok());
  EXPECT_EQ(s.w.image.kind, Image::Kind::Hibernation);
  EXPECT_EQ(s.w.image.values.size(), s.used_frames());
  EXPECT_TRUE(s.image_has(0xA));
  EXPECT_TRUE(s.image_has(0xB));
  EXPECT_FALSE(s.image_has(0xF)) << "free frames are not saved";
  EXPECT_FALSE(s.image_has(0x5)) << "swap is not part of the image";
  s.sys(Resume{});
  EXPECT_EQ(s.w.image.kind, Image::Kind::Hibernation) << "the image stays after resume";
  EXPECT_EQ(s.read(P0, pg(X, 1)), 0xBu);
}

TEST(Power, HibernateIsEpermWhileASecretFileExists) {
  Sim s;
  s.as(P0, Mmap{X, 1, Sharing::Shared, Backing::Secret});
  s.as(P0, Fork{P1});
  EXPECT_EQ(s.sys(Hibernate{}), Result::error(Errno::Perm));
  EXPECT_EQ(s.w.power, Power::Running);
  EXPECT_EQ(s.w.image.kind, Image::Kind::None);
  s.as(P0, Munmap{all(X)});
  EXPECT_EQ(s.sys(Hibernate{}), Result::error(Errno::Perm)) << "the child still maps the file";
  s.as(P1, Exit{});
  EXPECT_TRUE(s.sys(Hibernate{}).is_ok()) << "the last mapping closed the secret file";
}

TEST(Power, SuspendIsNotBlockedByASecretFile) {
  Sim s;
  s.as(P0, Mmap{X, 1, Sharing::Shared, Backing::Secret});
  EXPECT_TRUE(s.sys(Suspend{}).is_ok());
}

TEST(Power, SnapshotHoldsEveryFrameAndEverySwapSlotWithoutFreezing) {
  Sim s(PolicyId::Mainline, 4, 2);
  s.as(P0, Mmap{X, 2});
  s.as(P0, Write{pg(X, 0), 0xA});
  s.as(P0, Write{pg(X, 1), 0xB});
  s.sys(Reclaim{P0, pg(X, 1)});
  s.as(P0, Mmap{Y, 1});
  s.as(P0, Write{all(Y), 0xF});
  s.as(P0, Munmap{all(Y)});
  ASSERT_TRUE(s.sys(Snapshot{}).is_ok());
  EXPECT_EQ(s.w.image.kind, Image::Kind::Snapshot);
  EXPECT_EQ(s.w.image.values.size(), 4u + 2u);
  // Frames first, then slots (world.h).
  const SlotId slot = s.pte(P0, X, 1)->slot;
  EXPECT_EQ(s.w.image.values[4 + slot.index()], 0xBu) << "the swap slot";
  EXPECT_TRUE(s.image_has(0xA));
  EXPECT_TRUE(s.image_has(0xF)) << "the free frame";
  EXPECT_EQ(s.w.power, Power::Running);
  EXPECT_TRUE(actor_runnable(s.w, kP0));
}

TEST(Power, SnapshotSeesFreedSwapSlots) {
  Sim s;
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), 0x77});
  s.sys(Reclaim{P0, all(X)});
  s.as(P0, Munmap{all(X)});
  ASSERT_EQ(s.used_slots(), 0u);
  s.as(P0, Mmap{Y, 1});
  s.as(P0, Write{all(Y), 1});  // reuses the freed frame that held 0x77
  s.sys(Snapshot{});
  EXPECT_TRUE(s.image_has(0x77));
}

TEST(Power, SnapshotReplacesTheLastImage) {
  Sim s;
  s.as(P0, Mmap{X, 1});
  s.as(P0, Write{all(X), 1});
  s.sys(Hibernate{});
  s.sys(Resume{});
  s.sys(Snapshot{});
  EXPECT_EQ(s.w.image.kind, Image::Kind::Snapshot);
}

TEST(Power, ResumeWithoutSuspendIsEinvalAndSoIsASecondSuspend) {
  Sim s;
  EXPECT_EQ(s.sys(Resume{}), Result::error(Errno::Inval));
  s.sys(Suspend{});
  EXPECT_EQ(s.sys(Suspend{}), Result::error(Errno::Inval));
  EXPECT_EQ(s.sys(Hibernate{}), Result::error(Errno::Inval));
  EXPECT_TRUE(s.sys(Resume{}).is_ok());
  EXPECT_EQ(s.sys(Resume{}), Result::error(Errno::Inval));
}

TEST(Power, MainlineSuspendAndResumeChangeNoPage) {
  Sim s;
  s.as(P0, Mmap{X, 2});
  s.as(P0, Write{all(X), 0xA});
  s.as(P0, Madvise{pg(X, 0), Advice::WipeOnFork});
  const World before = s.w;
  s.sys(Suspend{});
  s.sys(Resume{});
  EXPECT_EQ(s.w, before);
}

}  // namespace
}  // namespace mmsim::testing
