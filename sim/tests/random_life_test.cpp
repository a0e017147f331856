// sim/tests/random_life_test.cpp: pseudo-random lives (fixed seeds) of a small machine, with
// every op kind and actor: check_all stays clean after every step, at op granularity and at
// page granularity with the page steps of different actors interleaved as the checker does;
// page granularity without interleaving ends where op granularity ends; and, under mainline,
// oracles that need no reference model: reclaim, migration and power events change no value
// any process, pin or pipe can see, and a user store changes no page another process sees.
#include <algorithm>
#include <deque>
#include <map>
#include <string>

#include "sim/kernel.h"
#include "sim/tests/random_ops.h"
#include "sim/tests/sim_test_util.h"

namespace mmsim::testing {
namespace {

// --- oracles ---

// What every process would read at each of its PTEs, without faulting, and what every active
// pin and pipe holds: the values the outside world can observe.
struct Views {
  std::map<std::pair<uint16_t, uint32_t>, Value> pages;  // (process, page) -> value
  std::map<uint16_t, std::vector<Value>> handles;        // handle -> values of its frames
};

Views views(const World& w) {
  Views v;
  for (size_t i = 0; i < w.procs.size(); ++i) {
    for (const auto& [q, pte] : w.procs[i].mm.ptes) {
      Value x = 0;
      if (pte.frame.valid()) {
        x = w.frame(pte.frame).value;
      } else if (pte.zero_page()) {
        x = 0;  // the shared zero page
      } else {
        const FrameId cached = swap_cache_lookup(w, pte.slot);
        x = cached.valid() ? w.frame(cached).value : w.swap.at(pte.slot).value;
      }
      v.pages[{static_cast<uint16_t>(i), q.v}] = x;
    }
  }
  for (size_t h = 0; h < w.handles.size(); ++h) {
    if (!w.handles[h].active) continue;
    for (FrameId f : w.handles[h].frames)
      v.handles[static_cast<uint16_t>(h)].push_back(page_value(w, f));
  }
  return v;
}

// Whether p maps f, directly or through a swap entry whose slot f caches.
bool maps(const World& w, ProcId p, FrameId f) {
  for (const auto& [q, pte] : w.proc(p).mm.ptes) {
    if (pte.frame == f || (pte.slot.valid() && swap_cache_lookup(w, pte.slot) == f)) return true;
  }
  return false;
}

// Reclaim, migration, snapshots and (under the baselines) power events are invisible: no view
// changes, except that a dropped MAP_DROPPABLE page disappears and a reclaimed shmem page
// leaves its process's page table (the next fault finds it through the file: shmem_writeout).
void check_transparent(const World& before, const World& after, const Op& op) {
  const Views b = views(before), a = views(after);
  for (const auto& [key, value] : b.pages) {
    auto it = a.pages.find(key);
    if (it == a.pages.end()) {
      const Vma* v = after.proc(ProcId{key.first}).mm.vmas.at(Vpn{key.second});
      const bool gone_ok = v != nullptr && (v->has(VmaFlag::Droppable) || v->has(VmaFlag::Shared));
      EXPECT_TRUE(gone_ok && (op_is<ReclaimPage>(op) || op_is<Reclaim>(op)))
          << op_name(op) << " removed page " << key.second << " of P" << key.first;
      continue;
    }
    EXPECT_EQ(it->second, value) << op_name(op) << " changed page " << key.second << " of P"
                                 << key.first;
  }
  EXPECT_LE(a.pages.size(), b.pages.size()) << op_name(op) << " mapped new pages";
  EXPECT_EQ(a.handles, b.handles) << op_name(op) << " changed what a pin or pipe holds";
}

// A user store by p changes only pages p maps: another process sees the change only through a
// shared mapping, a pin or pipe only when p maps the very frame (an exclusive page written in
// place).
void check_store(const World& before, const World& after, ProcId p, const Op& op) {
  const Views b = views(before), a = views(after);
  for (const auto& [key, value] : b.pages) {
    if (key.first == p.v) continue;
    auto it = a.pages.find(key);
    ASSERT_NE(it, a.pages.end()) << op_name(op) << " by P" << p.v << " unmapped a page of P"
                                 << key.first;
    if (it->second == value) continue;
    const Vma* v = after.proc(ProcId{key.first}).mm.vmas.at(Vpn{key.second});
    EXPECT_TRUE(v != nullptr && v->has(VmaFlag::Shared))
        << op_name(op) << " by P" << p.v << " changed private page " << key.second << " of P"
        << key.first;
  }
  for (const auto& [h, values] : b.handles) {
    auto it = a.handles.find(h);
    if (it == a.handles.end() || it->second == values) continue;
    const std::vector<FrameId>& frames = after.handles[h].frames;
    for (size_t k = 0; k < values.size() && k < it->second.size(); ++k) {
      if (values[k] == it->second[k]) continue;
      const FrameId f = frames[k];
      EXPECT_TRUE(maps(before, p, f) || maps(after, p, f) || !after.frame(f).has(FrameFlag::Anon))
          << op_name(op) << " by P" << p.v << " changed handle " << h
          << " through a page it does not map";
    }
  }
}

// A fork changes no view, and the child sees what the parent sees in every page it got.
void check_fork(const World& before, const World& after, ProcId parent, ProcId child) {
  const Views b = views(before), a = views(after);
  for (const auto& [key, value] : b.pages) {
    auto it = a.pages.find(key);
    ASSERT_NE(it, a.pages.end());
    EXPECT_EQ(it->second, value) << "fork changed page " << key.second << " of P" << key.first;
  }
  for (const auto& [key, value] : a.pages) {
    if (key.first != child.v) continue;
    auto it = a.pages.find({parent.v, key.second});
    ASSERT_NE(it, a.pages.end()) << "the child got a page the parent does not have";
    EXPECT_EQ(it->second, value) << "the child sees page " << key.second << " differently";
  }
  EXPECT_EQ(a.handles, b.handles);
}

// Runs `steps` random ops. At page granularity the later steps of an op stay pending for its
// actor and are interleaved with other actors' ops, as the checker does.
void random_life(PolicyId policy, Granularity g, uint64_t seed, int steps) {
  World w(WorldConfig{7, 3, 4, 1, 3, 3, policy});
  Rng r{seed};
  std::map<Actor, std::deque<Op>> pending;
  for (int i = 0; i < steps; ++i) {
    if (std::none_of(w.procs.begin(), w.procs.end(), [](const Process& p) { return p.alive(); }) &&
        std::all_of(pending.begin(), pending.end(),
                    [](const auto& e) { return e.second.empty(); })) {
      w = World(WorldConfig{7, 3, 4, 1, 3, 3, policy});  // everyone is gone: a new life
    }
    Actor actor;
    Op op = random_op(w, r, AdviceMix::Even, &actor);
    auto& queue = pending[actor];
    const bool continuing = !queue.empty();
    if (continuing) {
      op = queue.front();
      queue.pop_front();
    } else {
      if (!actor_runnable(w, actor)) continue;
      std::vector<Op> cs = choices(w, op);
      op = cs[r.next(static_cast<uint32_t>(cs.size()))];
    }
    const World before = w;
    Outcome out = apply(w, actor, op, g);
    queue.insert(queue.begin(), out.rest.begin(), out.rest.end());
    // The oracles hold for the kernel baselines; wipe policies change values on purpose.
    const bool baseline = policy == PolicyId::Mainline || policy == PolicyId::LegacyCow;
    if (baseline && (op_is<ReclaimPage>(op) || op_is<Reclaim>(op) || op_is<Migrate>(op) ||
                     op_is<Snapshot>(op) || op_is<Suspend>(op) || op_is<Hibernate>(op) ||
                     op_is<Resume>(op) || op_is<PowerDone>(op))) {
      check_transparent(before, w, op);
    }
    if (baseline && (op_is<Write>(op) || op_is<Zero>(op))) {
      check_store(before, w, actor.proc(), op);
    }
    if (const Fork* f = op_if<Fork>(&op);
        baseline && f != nullptr && g == Granularity::PerOp && out.result.is_ok()) {
      check_fork(before, w, actor.proc(), f->child);
    }
    if (::testing::Test::HasFailure()) {
      FAIL() << "seed " << seed << " step " << i << " " << op_name(op) << "\nbefore:\n"
             << format_world(before) << "after:\n"
             << format_world(w);
    }
    if (actor_gone(w, actor)) queue.clear();
    for (auto& [a, q] : pending) {
      if (actor_gone(w, a)) q.clear();
    }
    Violation v = check_all(w);
    ASSERT_FALSE(v.has_value()) << "seed " << seed << " step " << i << " " << op_name(op) << ": "
                                << *v << "\n"
                                << format_world(w);
  }
}

// Every policy: check_all after every step; the baselines: the oracles too.
TEST(RandomLife, InvariantsAndOraclesHoldAtOpGranularity) {
  for (PolicyId policy : all_policies()) {
    SCOPED_TRACE(std::string(policy_name(policy)));
    const uint64_t seeds = policy == PolicyId::Mainline || policy == PolicyId::LegacyCow ? 200 : 60;
    for (uint64_t seed = 1; seed <= seeds && !HasFailure(); ++seed) {
      random_life(policy, Granularity::PerOp, seed, 400);
    }
  }
}

TEST(RandomLife, InvariantsAndOraclesHoldAtInterleavedPageGranularity) {
  for (PolicyId policy : all_policies()) {
    SCOPED_TRACE(std::string(policy_name(policy)));
    const uint64_t seeds = policy == PolicyId::Mainline || policy == PolicyId::LegacyCow ? 200 : 60;
    for (uint64_t seed = 1; seed <= seeds && !HasFailure(); ++seed) {
      random_life(policy, Granularity::PerPage, seed, 400);
    }
  }
}

// With nothing interleaved, page granularity must end where op granularity ends: the same
// random op sequence is run both ways, each op's page steps back to back.
TEST(RandomLife, PageGranularityWithoutInterleavingEqualsOpGranularity) {
  for (PolicyId policy : {PolicyId::Mainline, PolicyId::LegacyCow}) {
    for (uint64_t seed = 1; seed <= 200 && !HasFailure(); ++seed) {
      World a(WorldConfig{7, 3, 4, 1, 3, 3, policy});
      World b = a;
      Rng r{seed};
      for (int i = 0; i < 300; ++i) {
        Actor actor;
        const Op op = random_op(a, r, AdviceMix::Even, &actor);
        if (!actor_runnable(a, actor)) continue;
        const std::vector<Op> cs = choices(a, op);
        const Op chosen = cs[r.next(static_cast<uint32_t>(cs.size()))];
        const World before = a;
        const Result ra = apply_all(a, actor, chosen);
        Outcome ob = apply(b, actor, chosen, Granularity::PerPage);
        Result rb = ob.result;
        std::deque<Op> todo(ob.rest.begin(), ob.rest.end());
        while (!todo.empty() && !actor_gone(b, actor)) {
          Outcome o = apply(b, actor, todo.front(), Granularity::PerPage);
          todo.pop_front();
          rb = combine(rb, o.result);
          todo.insert(todo.begin(), o.rest.begin(), o.rest.end());
        }
        const bool vma_op = op_is<Madvise>(chosen) || op_is<Mlock>(chosen) ||
                            op_is<Munlock>(chosen) || op_is<Mprotect>(chosen);
        // A store that hits OOM in a MAP_DROPPABLE mapping does not kill (handle_mm_fault
        // masks VM_FAULT_OOM), so like the VMA ops its later page steps still run.
        const bool droppable_oom =
            (op_is<Write>(chosen) || op_is<Zero>(chosen)) &&
            (ra == Result::error(Errno::NoMem) || rb == Result::error(Errno::NoMem));
        if ((vma_op || droppable_oom) && !(ra.is_ok() && rb.is_ok())) {
          // Known difference: at page granularity the steps after a failing one still run and
          // the first failing page names the error, while the syscall stops at the first
          // failing VMA (madvise_walk_vmas, apply_vma_lock_flags, __mm_populate,
          // mprotect_fixup). Not compared; carry on from `a`.
          b = a;
          continue;
        }
        ASSERT_EQ(ra, rb) << "seed " << seed << " step " << i << " " << op_name(chosen);
        ASSERT_TRUE(a == b) << "seed " << seed << " step " << i << " " << op_name(chosen)
                            << "\nbefore:\n"
                            << format_world(before) << "op:\n"
                            << format_world(a) << "page:\n"
                            << format_world(b);
      }
    }
  }
}

}  // namespace
}  // namespace mmsim::testing
