// sim/tests/policy_random_test.cpp: pseudo-random lives (fixed seeds) under every wipe policy,
// with the policy advices in the mix, at op and at page granularity: check_all stays clean
// after every step, and so do the invariants the policies' own headers promise (the wipe queue
// is sorted, unique and names used frames; an exclusive-marked frame is out of the direct map).
#include <algorithm>
#include <deque>

#include "sim/tests/sim_test_util.h"

namespace mmsim::testing {
namespace {

struct Rng {
  uint64_t x;
  uint32_t next(uint32_t n) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return static_cast<uint32_t>(x % n);
  }
};

constexpr Advice kAdvices[] = {Advice::WipeOnFork,    Advice::DontFork,      Advice::DontNeed,
                               Advice::WipeOnRelease, Advice::KeepOnRelease, Advice::WipeOnSuspend,
                               Advice::KeepOnSuspend, Advice::Secret};

// A random op on a name of a random running process (or a device or system op).
Op random_op(const World& w, Rng& r, Actor* actor) {
  std::vector<ProcId> alive;
  for (size_t i = 0; i < w.procs.size(); ++i) {
    if (w.procs[i].alive()) alive.push_back(ProcId{static_cast<uint16_t>(i)});
  }
  const ProcId p = alive.empty() ? P0 : alive[r.next(static_cast<uint32_t>(alive.size()))];
  const NameId n{static_cast<uint16_t>(r.next(3))};
  const Binding& b = w.proc(p).names[n.index()];
  const uint32_t first = b.bound ? r.next(b.pages) : 0;
  const AddrRef a = !b.bound || r.next(2) == 0 ? all(n) : pages(n, first, first + 1);
  const HandleId h{static_cast<uint16_t>(r.next(2))};
  *actor = Actor::process(p);
  if (!b.bound) return Mmap{n, 1 + r.next(2)};
  switch (r.next(24)) {
    case 0:
      return Mmap{n, 1 + r.next(2)};
    case 1:
      return Munmap{a};
    case 2:
    case 3:
    case 4:
      return Madvise{a, kAdvices[r.next(8)]};
    case 5:
      return Mlock{a};
    case 6:
      return Munlock{a};
    case 7:
    case 8:
    case 9:
      return Write{a, 1 + r.next(50)};
    case 10:
      return Read{a};
    case 11: {
      for (size_t i = 0; i < w.procs.size(); ++i) {
        if (w.procs[i].state == ProcState::Unborn) return Fork{ProcId{static_cast<uint16_t>(i)}};
      }
      return Read{a};
    }
    case 12:
      return r.next(3) == 0 ? Op{Exit{}} : Op{Read{a}};
    case 13:
      return Pin{a, static_cast<PinKind>(r.next(2)), h};
    case 14:
      return Vmsplice{a, h};
    case 15:
      *actor = Actor::device(DeviceId{0});
      return DmaWrite{h, 1 + r.next(50)};
    case 16:
      *actor = Actor::device(DeviceId{0});
      return Unpin{h};
    case 17:
      *actor = Actor::device(DeviceId{0});
      return PipeRead{h};
    case 18:
    case 19:
      *actor = Actor::system();
      return Reclaim{p, a};
    case 20:
      *actor = Actor::system();
      return Migrate{p, a};
    case 21:
      *actor = Actor::system();
      return r.next(2) == 0 ? Op{Suspend{}} : Op{Hibernate{}};
    default:
      *actor = Actor::system();
      return Resume{};
  }
}

// The invariants the policy headers promise beyond check_all.
void check_policy_state(const World& w, const std::string& where) {
  const auto& q = w.wipe_queue;
  EXPECT_TRUE(std::is_sorted(q.begin(), q.end())) << where;
  EXPECT_EQ(std::adjacent_find(q.begin(), q.end()), q.end()) << where << ": duplicate";
  for (FrameId f : q) {
    EXPECT_EQ(w.frame(f).state, Frame::State::Used) << where << ": queued free frame";
  }
  if (w.policy == PolicyId::Exclusive) {
    for (const Frame& f : w.mem.frames) {
      EXPECT_TRUE(!f.has(FrameFlag::PolicyMark) || !f.has(FrameFlag::DirectMap)) << where;
    }
  }
}

// What a life showed of the policy's own state, so that the test knows it exercised it.
struct Seen {
  bool frame_mark = false;
  bool vma_mark = false;
  bool queue = false;
};

void note(const World& w, Seen* seen) {
  seen->queue |= !w.wipe_queue.empty();
  for (const Frame& f : w.mem.frames) seen->frame_mark |= f.has(FrameFlag::PolicyMark);
  constexpr uint32_t kMarks = static_cast<uint32_t>(VmaFlag::WipeOnRelease) |
                              static_cast<uint32_t>(VmaFlag::WipeOnSuspend) |
                              static_cast<uint32_t>(VmaFlag::Exclusive) |
                              static_cast<uint32_t>(VmaFlag::WipeMark);
  for (const Process& p : w.procs) {
    for (const Vma& v : p.mm.vmas.vmas) seen->vma_mark |= (v.flags & kMarks) != 0;
  }
}

void random_life(PolicyId policy, Granularity g, uint64_t seed, int steps, Seen* seen) {
  Sim s(policy, 10, 4);
  Rng r{seed * 0x9E3779B97F4A7C15ull + 1};
  for (int i = 0; i < steps; ++i) {
    Actor actor;
    const Op op = random_op(s.w, r, &actor);
    if (!actor_runnable(s.w, actor)) continue;
    const std::string where = std::string(policy_name(policy)) + " seed " + std::to_string(seed) +
                              " step " + std::to_string(i) + " " + std::string(op_name(op));
    if (g == Granularity::PerOp) {
      apply_all(s.w, actor, op);
    } else {
      s.paged(actor, op);
    }
    Violation v = check_all(s.w);
    ASSERT_FALSE(v.has_value()) << where << ": " << *v << "\n" << format_world(s.w);
    check_policy_state(s.w, where);
    note(s.w, seen);
    if (::testing::Test::HasFailure()) return;
  }
}

TEST(PolicyRandomLife, InvariantsHoldUnderEveryPolicyAtBothGranularities) {
  for (PolicyId id : all_policies()) {
    Seen seen;
    for (uint64_t seed = 1; seed <= 30; ++seed) {
      random_life(id, Granularity::PerOp, seed, 150, &seen);
      random_life(id, Granularity::PerPage, seed, 150, &seen);
      if (::testing::Test::HasFailure()) return;
    }
    const bool marks_frames = id == PolicyId::WipeOnReleaseV1 || id == PolicyId::Exclusive ||
                              id == PolicyId::MlockedOnFreeV1;
    const bool has_mark = !(id == PolicyId::Mainline || id == PolicyId::LegacyCow ||
                            id == PolicyId::InitOnFree || id == PolicyId::MlockedOnFreeV3);
    EXPECT_EQ(seen.frame_mark, marks_frames) << policy_name(id);
    EXPECT_EQ(seen.vma_mark, has_mark && id != PolicyId::MlockedOnFreeV1) << policy_name(id);
    EXPECT_EQ(seen.queue, id == PolicyId::MlockedOnFreeVma) << policy_name(id);
  }
}

}  // namespace
}  // namespace mmsim::testing
