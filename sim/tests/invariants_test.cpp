// sim/tests/invariants_test.cpp: every check of sim/invariants.h detects a deliberately
// corrupted world (so no check can silently pass everything), and check_all stays clean through
// a long scripted scenario (pseudo-random lives are in random_life_test.cpp).
#include <functional>
#include <map>
#include <string>

#include "sim/tests/sim_test_util.h"

namespace mmsim::testing {
namespace {

// A valid world with something of every kind: shared, pinned, spliced, swapped, mlocked,
// file-backed and secret pages, and a dead process.
Sim rich() {
  Sim s(PolicyId::Mainline, 12, 4);
  s.as(P0, Mmap{X, 3});
  s.as(P0, Write{all(X), 0xA});
  s.as(P0, Mlock{pg(X, 2)});
  s.as(P0, Mmap{Y, 2, Sharing::Shared, Backing::File});
  s.as(P0, Write{all(Y), 0xF});
  s.as(P0, Mmap{Z, 1, Sharing::Shared, Backing::Secret});
  s.as(P0, Write{all(Z), 0x5});
  s.as(P0, Pin{pg(X, 0), PinKind::Dio, H0});
  s.as(P0, Vmsplice{pg(X, 1), H1});
  s.as(P0, Fork{P1});
  s.sys(Reclaim{P0, pg(X, 1)});
  s.as(P1, Fork{P2});
  s.as(P2, Exit{});
  EXPECT_FALSE(check_all(s.w).has_value());
  return s;
}

FrameId mapped(const World& w, ProcId p) {
  for (const auto& [q, pte] : w.proc(p).mm.ptes) {
    if (pte.frame.valid()) return pte.frame;
  }
  return FrameId::none();
}

Vpn swapped(const World& w, ProcId p) {
  for (const auto& [q, pte] : w.proc(p).mm.ptes) {
    if (pte.slot.valid()) return q;
  }
  return Vpn{};
}

FrameId cached(const World& w, FileKind kind) {
  for (const FileObj& f : w.files) {
    if (f.alive && f.kind == kind) {
      for (FrameId c : f.cache) {
        if (c.valid()) return c;
      }
    }
  }
  return FrameId::none();
}

using Corruption = std::function<void(World&)>;

// Corruptions, each named after the check that must catch it.
const std::multimap<std::string, std::pair<std::string, Corruption>>& corruptions() {
  static const std::multimap<std::string, std::pair<std::string, Corruption>> table{
      {"free_pool",
       {"a used frame on the free list",
        [](World& w) { w.mem.free_list.push_back(mapped(w, P0)); }}},
      {"free_pool",
       {"a free frame missing from the free list", [](World& w) { w.mem.free_list.pop_back(); }}},
      {"free_pool",
       {"a free frame listed twice",
        [](World& w) { w.mem.free_list.push_back(w.mem.free_list.front()); }}},
      {"free_pool",
       {"a free frame with a refcount",
        [](World& w) { w.frame(w.mem.free_list.back()).refcount = 1; }}},
      {"free_pool",
       {"a free frame that keeps a flag",
        [](World& w) { w.frame(w.mem.free_list.back()).set(FrameFlag::Anon); }}},
      {"free_pool",
       {"a used frame with refcount 0", [](World& w) { w.frame(mapped(w, P0)).refcount = 0; }}},
      {"no_dangling_frames",
       {"a PTE naming a free frame",
        [](World& w) { w.proc(P0).mm.ptes.begin()->second.frame = w.mem.free_list.back(); }}},
      {"no_dangling_frames",
       {"a PTE naming a frame and a slot",
        [](World& w) { w.proc(P0).mm.ptes.begin()->second.slot = SlotId{0}; }}},
      {"no_dangling_frames",
       {"a pin holding a free frame",
        [](World& w) { w.handle(H0).frames[0] = w.mem.free_list.back(); }}},
      {"no_dangling_frames",
       {"a page cache naming a free frame",
        [](World& w) {
          for (FileObj& f : w.files) {
            if (f.alive) f.cache[0] = w.mem.free_list.back();
          }
        }}},
      {"ptes_in_vmas",
       {"a PTE outside every VMA",
        [](World& w) { w.proc(P0).mm.ptes[Vpn{1}] = w.proc(P0).mm.ptes.begin()->second; }}},
      {"ptes_in_vmas",
       {"overlapping VMAs",
        [](World& w) {
          auto& v = w.proc(P0).mm.vmas.vmas;
          v[0].range.end = v[1].range.begin + 1;
        }}},
      {"ptes_in_vmas",
       {"an empty VMA",
        [](World& w) {
          Vma& v = w.proc(P1).mm.vmas.vmas.back();
          v.range.end = v.range.begin;
        }}},
      {"refcounts", {"a bumped refcount", [](World& w) { w.frame(mapped(w, P0)).refcount++; }}},
      {"refcounts",
       {"a pin without its bias", [](World& w) { w.frame(w.handle(H0).frames[0]).refcount -= 1; }}},
      {"mapcounts", {"a bumped mapcount", [](World& w) { w.frame(mapped(w, P0)).mapcount++; }}},
      {"mapcounts",
       {"an mlock count without a locked PTE",
        [](World& w) { w.frame(mapped(w, P1)).mlock_count++; }}},
      {"swap_slots", {"a slot refcount off by one", [](World& w) { w.swap.slots[0].refcount++; }}},
      {"swap_slots",
       {"a slot used by a PTE but marked free",
        [](World& w) {
          w.swap.at(w.proc(P0).mm.ptes.at(swapped(w, P0)).slot).state = SwapSlot::State::Free;
        }}},
      {"swap_slots",
       {"a used slot that no PTE names",
        [](World& w) { w.swap.slots[3].state = SwapSlot::State::Used; }}},
      {"swap_slots",
       {"a frame in the swap cache of a free slot",
        [](World& w) {
          FrameId f = mapped(w, P1);
          w.frame(f).swap_slot = SlotId{3};
          w.frame(f).refcount++;
        }}},
      {"files",
       {"a dead file that keeps its page cache",
        [](World& w) {
          for (FileObj& f : w.files) {
            if (f.alive && f.kind == FileKind::Regular) f.alive = false;
          }
        }}},
      {"files",
       {"a page-cache frame claiming another page",
        [](World& w) { w.frame(cached(w, FileKind::Regular)).file_page = 7; }}},
      {"files",
       {"a secret page back in the direct map",
        [](World& w) { w.frame(cached(w, FileKind::Secret)).set(FrameFlag::DirectMap); }}},
      {"exclusive_and_dead",
       {"an AnonExclusive page mapped twice",
        [](World& w) {
          for (Frame& f : w.mem.frames) {
            if (f.mapcount == 2 && f.has(FrameFlag::Anon)) f.set(FrameFlag::AnonExclusive);
          }
        }}},
      {"exclusive_and_dead",
       {"an exited process that keeps its mm",
        [](World& w) { w.proc(P2).mm.vmas = w.proc(P1).mm.vmas; }}},
      {"handles",
       {"an unpinned handle that keeps frames", [](World& w) { w.handle(H0).active = false; }}},
      {"handles",
       {"a pinned frame below the bias",
        [](World& w) { w.frame(w.handle(H0).frames[0]).refcount = kPinBias - 1; }}},
      {"policy_state",
       {"a free frame in the wipe queue",
        [](World& w) { w.wipe_queue.insert(w.mem.free_list.back()); }}},
      {"policy_state",
       {"a secret (exclusive) frame left in the direct map",
        [](World& w) {
          w.policy = PolicyId::Exclusive;
          w.frame(mapped(w, P0)).set(FrameFlag::PolicyMark);
        }}},
  };
  return table;
}

TEST(Invariants, RichWorldIsClean) {
  Sim s = rich();
  for (const NamedCheck& c : all_checks()) {
    EXPECT_FALSE(c.fn(s.w).has_value()) << c.name << ": " << *c.fn(s.w);
  }
}

TEST(Invariants, EveryCheckDetectsItsCorruptions) {
  const Sim base = rich();
  for (const auto& [name, entry] : corruptions()) {
    const auto& [what, corrupt] = entry;
    const NamedCheck* check = nullptr;
    for (const NamedCheck& c : all_checks()) {
      if (c.name == name) check = &c;
    }
    ASSERT_NE(check, nullptr) << "no check named " << name;
    World w = base.w;
    corrupt(w);
    ASSERT_NE(w, base.w) << what << " changed nothing";
    Violation v = check->fn(w);
    EXPECT_TRUE(v.has_value()) << name << " missed: " << what;
    EXPECT_TRUE(check_all(w).has_value()) << "check_all missed: " << what;
  }
}

TEST(Invariants, EveryCheckHasACorruptionThatOnlyItIsTestedFor) {
  for (const NamedCheck& c : all_checks()) {
    EXPECT_GT(corruptions().count(std::string(c.name)), 0u) << c.name << " has no corruption test";
  }
}

TEST(Invariants, CheckAllNamesTheFailingCheck) {
  World w = rich().w;
  w.frame(mapped(w, P0)).refcount += 5;
  Violation v = check_all(w);
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->rfind("refcounts: ", 0), 0u) << *v;
}

// A long scripted life: every op kind, in an order that exercises COW, swap, pins, pipes,
// files, secret memory, migration, power events and process ends. Sim checks all invariants
// after every op.
TEST(Invariants, CleanThroughALongScriptedScenario) {
  for (PolicyId policy : {PolicyId::Mainline, PolicyId::LegacyCow}) {
    SCOPED_TRACE(std::string(policy_name(policy)));
    Sim s(policy, 10, 4);
    s.as(P0, Mmap{X, 4});
    s.as(P0, Write{all(X), 1});
    s.as(P0, Madvise{pg(X, 1), Advice::WipeOnFork});
    s.as(P0, Madvise{pg(X, 2), Advice::DontFork});
    s.as(P0, Mlock{pg(X, 3)});
    s.as(P0, Mmap{Y, 2, Sharing::Shared, Backing::File});
    s.as(P0, Write{all(Y), 2});
    s.as(P0, Mmap{Z, 1, Sharing::Private, Backing::File});
    s.as(P0, Read{all(Z)});
    s.as(P0, Pin{pg(X, 0), PinKind::Longterm, H0});
    s.as(P0, Vmsplice{pg(X, 1), H1});
    s.as(P0, Fork{P1});
    s.sys(Reclaim{P0, pg(X, 1)});
    s.sys(Reclaim{});
    s.as(P1, Write{all(X), 3});
    s.as(P1, Write{all(Z), 4});
    s.sys(Migrate{P1, pg(X, 0)});
    s.sys(Migrate{P0, pg(Y, 0)});
    s.dev(DmaWrite{H0, 5});
    s.as(P1, Fork{P2});
    s.as(P2, Mprotect{pg(X, 0), Prot::Read});
    s.as(P2, Munmap{pg(X, 1)});
    s.as(P0, Madvise{pg(X, 0), Advice::DontNeed});
    s.sys(Snapshot{});
    s.sys(Suspend{});
    s.sys(Resume{});
    s.as(P0, Munlock{all(X)});
    s.sys(Reclaim{P0, pg(X, 3)});
    s.as(P0, Read{pg(X, 1)});
    s.dev(PipeRead{H1});
    s.as(P2, Exec{});
    s.as(P2, Mmap{X, 1, Sharing::Shared, Backing::Secret});
    s.as(P2, Write{all(X), 6});
    s.sys(Hibernate{});
    s.sys(Resume{});
    s.sys(Kill{P1});
    s.as(P0, Munmap{all(X)});
    s.dev(Unpin{H0});
    s.dev(PipeClose{H1});
    s.as(P2, Exit{});
    s.as(P0, Exit{});
    ASSERT_FALSE(check_all(s.w).has_value());
    EXPECT_EQ(s.used_frames(), 0u) << "everything was released\n" << format_world(s.w);
    EXPECT_EQ(s.used_slots(), 0u);
  }
}

}  // namespace
}  // namespace mmsim::testing
