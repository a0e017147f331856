// sim/tests/random_ops.cpp: see random_ops.h.
#include "sim/tests/random_ops.h"

#include <optional>
#include <vector>

#include "sim/tests/sim_test_util.h"

namespace mmsim::testing {
namespace {

constexpr Advice kPolicyAdvices[] = {
    Advice::WipeOnFork,    Advice::DontFork,      Advice::DontNeed,      Advice::WipeOnRelease,
    Advice::KeepOnRelease, Advice::WipeOnSuspend, Advice::KeepOnSuspend, Advice::Secret};

// A running process, now and then any process (its op is then skipped or fails with ESRCH).
ProcId pick_proc(const World& w, Rng& r) {
  const uint32_t procs = static_cast<uint32_t>(w.procs.size());
  std::vector<ProcId> alive;
  for (uint32_t i = 0; i < procs; ++i) {
    if (w.procs[i].state == ProcState::Running) alive.push_back(ProcId{static_cast<uint16_t>(i)});
  }
  if (alive.empty() || r.next(10) == 0) return ProcId{static_cast<uint16_t>(r.next(procs))};
  return alive[r.next(static_cast<uint32_t>(alive.size()))];
}

// A name p has bound, now and then any name (a stray access only kills p).
NameId pick_name(const World& w, Rng& r, ProcId p) {
  const auto& names = w.proc(p).names;
  std::vector<NameId> bound;
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i].bound) bound.push_back(NameId{static_cast<uint16_t>(i)});
  }
  if (bound.empty() || r.next(8) == 0) {
    return NameId{static_cast<uint16_t>(r.next(static_cast<uint32_t>(names.size())))};
  }
  return bound[r.next(static_cast<uint32_t>(bound.size()))];
}

// The whole name or a page range of it.
AddrRef pick_addr(const World& w, Rng& r, ProcId p, NameId n) {
  const Binding& b = w.proc(p).names[n.index()];
  const uint32_t bound_pages = b.bound ? b.pages : 1;
  const uint32_t first = r.next(bound_pages);
  const uint32_t last = first + 1 + r.next(bound_pages - first);
  return r.next(3) == 0 ? all(n) : pages(n, first, last);
}

// Every page of a is mapped with protection at least `need`.
bool accessible(const World& w, ProcId p, const AddrRef& a, Prot need) {
  std::optional<PageRange> pr = resolve(w, p, a);
  if (!pr) return false;
  for (Vpn q = pr->begin; q < pr->end; q = q + 1) {
    const Vma* v = w.proc(p).mm.vmas.at(q);
    if (v == nullptr || v->prot < need) return false;
  }
  return true;
}

Op new_mapping(Rng& r, NameId n) {
  const Backing kinds[] = {Backing::Anon, Backing::Anon,   Backing::Anon,
                           Backing::File, Backing::Secret, Backing::Droppable};
  const Backing backing = kinds[r.next(6)];
  Sharing sharing = r.next(3) == 0 ? Sharing::Shared : Sharing::Private;
  if (backing == Backing::Secret) sharing = Sharing::Shared;
  if (backing == Backing::Droppable) sharing = Sharing::Private;
  return Mmap{n, 1 + r.next(3), sharing, backing};
}

Advice pick_advice(Rng& r, AdviceMix mix) {
  if (mix == AdviceMix::PolicyMarks) return kPolicyAdvices[r.next(8)];
  return static_cast<Advice>(r.next(12));
}

// Ops 0..21 of the draw: the acting process's own.
Op process_op(const World& w, Rng& r, uint32_t k, ProcId p, NameId n, AdviceMix mix) {
  const AddrRef a = pick_addr(w, r, p, n);
  const HandleId h{static_cast<uint16_t>(r.next(static_cast<uint32_t>(w.handles.size())))};
  const Op remap = Mmap{n, 1 + r.next(3)};
  if (k < 3) return new_mapping(r, n);
  if (k == 3) return Munmap{a};
  if (k < 6) return Madvise{a, pick_advice(r, mix)};
  if (k == 6) return Mlock{a};
  if (k == 7) return Munlock{a};
  if (k == 8) return Mprotect{a, r.next(6) == 0 ? Prot::Read : Prot::ReadWrite};
  if (k < 13) {
    return accessible(w, p, a, Prot::ReadWrite) || r.next(10) == 0 ? Op{Write{a, 1 + r.next(100)}}
                                                                   : remap;
  }
  if (k < 15) return accessible(w, p, a, Prot::Read) || r.next(10) == 0 ? Op{Read{a}} : remap;
  if (k < 17) {
    for (size_t i = 0; i < w.procs.size(); ++i) {
      if (w.procs[i].state == ProcState::Unborn) return Fork{ProcId{static_cast<uint16_t>(i)}};
    }
    return Read{a};
  }
  if (k == 17) return r.next(4) == 0 ? Op{Exit{}} : r.next(2) == 0 ? Op{Exec{}} : Op{Read{a}};
  if (k < 20) return Pin{a, static_cast<PinKind>(r.next(2)), h, r.next(3) == 0 ? PinDir::Read : PinDir::Write};
  return Vmsplice{a, h};
}

// Ops 22..26: the device's, on a random handle.
Op device_op(const World& w, Rng& r, uint32_t k) {
  const HandleId h{static_cast<uint16_t>(r.next(static_cast<uint32_t>(w.handles.size())))};
  switch (k) {
    case 22: return DmaRead{h};
    case 23: return DmaWrite{h, 1 + r.next(100)};
    case 24: return Unpin{h};
    case 25: return PipeRead{h};
    default: return PipeClose{h};
  }
}

// Ops 27..39: the system's (reclaim, migration, kill, snapshot, power).
Op system_op(const World& w, Rng& r, uint32_t k, ProcId p, NameId n) {
  const AddrRef a = pick_addr(w, r, p, n);
  if (k < 31) return Reclaim{p, a};
  if (k < 33) return Reclaim{};
  if (k < 35) return Migrate{p, a};
  if (k == 35) return r.next(10) == 0 ? Op{Kill{p}} : Op{Snapshot{}};
  if (k == 36) return r.next(2) == 0 ? Op{Suspend{}} : Op{Hibernate{}};
  return Resume{};
}

}  // namespace

Op random_op(const World& w, Rng& r, AdviceMix mix, Actor* actor) {
  const ProcId p = pick_proc(w, r);
  const NameId n = pick_name(w, r, p);
  const uint32_t k = r.next(mix == AdviceMix::PolicyMarks ? 44 : 40);
  if (k >= 40) {  // PolicyMarks: one draw in eleven more is a mark or its undo
    *actor = Actor::process(p);
    return Madvise{pick_addr(w, r, p, n), pick_advice(r, mix)};
  }
  if (k < 22) {
    *actor = Actor::process(p);
    return process_op(w, r, k, p, n, mix);
  }
  if (k < 27) {
    *actor = Actor::device(DeviceId{0});
    return device_op(w, r, k);
  }
  *actor = Actor::system();
  return system_op(w, r, k, p, n);
}

}  // namespace mmsim::testing
