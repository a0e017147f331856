// props/reference_ops.cpp: the reference model's task ops (fork, exit, exec, kill), GUP ops
// (pins, pipes, DMA), reclaim, migration, power events and the dispatch of a Step. See
// reference_model.h.
#include <algorithm>

#include "props/reference_model.h"
#include "sim/advice.h"

namespace mmsim::props {
namespace {

Expect exact(Result r) {
  return Expect{ObsKind::Result, false, {r}, Origin::Written};
}
Expect err(Errno e) {
  return exact(Result::error(e));
}
Expect one_of(std::initializer_list<Result> rs) {
  return Expect{ObsKind::Result, false, rs, Origin::Written};
}
Result e(Errno x) {
  return Result::error(x);
}

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};

}  // namespace

// The advices of the running policy are the ones its descriptor declares (sim/policy.h).
bool policy_knows(PolicyId policy, Advice a) {
  return is_core_advice(a) || descriptor_of(policy).declares(a);
}

SuspendPlan suspend_plan(PolicyId policy) {
  switch (policy) {
    case PolicyId::WipeOnSuspendGup:
      return {SuspendWipe::InPlace, false};
    case PolicyId::WipeOnSuspendZap:
      return {SuspendWipe::Zap, false};
    case PolicyId::WipeOnSuspendRestore:
      return {SuspendWipe::Zap, true};
    default:
      return {};
  }
}

Expect RefModel::fork(ProcId p, ProcId child, const Result& got) {
  if (procs_[child.index()].life != RefProc::Life::Unborn) return err(Errno::Inval);
  const RefProc& parent = procs_[p.index()];
  RefProc c;
  c.life = RefProc::Life::Alive;
  c.names = parent.names;
  c.next_free = parent.next_free;
  for (const auto& [v, pg] : parent.pages) {
    if (pg.has(kDontCopy) || (policy_ == PolicyId::Exclusive && pg.has(kExclusive))) continue;
    Page cp = pg;
    cp.flags = static_cast<uint16_t>(cp.flags & ~kLocked);  // VM_LOCKED is not inherited
    const Cell src = cells_[pg.cell];
    if (pg.has(kWipeOnFork)) {
      cp.cell = new_cell(CellKind::Private, 0, Origin::WipeOnFork);
    } else if (src.kind == CellKind::Private) {
      cp.cell = new_cell(CellKind::Private, src.v, src.origin);
      cells_[cp.cell].alt = src.alt;
    }
    sync_marks(cp);
    if (cells_[cp.cell].kind == CellKind::Private) note_value(cells_[cp.cell], cells_[cp.cell].v);
    c.pages[v] = cp;
  }
  procs_[child.index()] = std::move(c);
  if (!got.is_ok()) kill(child, RefProc::Life::Dead);  // copy at fork ran out of memory
  return one_of({Result::ok(), e(Errno::NoMem)});
}

Expect RefModel::exit(ProcId p, FinishWhat what) {
  if (what == FinishWhat::Exec) {
    RefProc& pr = procs_[p.index()];
    pr.pages.clear();  // a new, empty mm; the names stay bound to the old addresses
    pr.next_free = 16;
    drop_dead_objects();
  } else {
    kill(p, RefProc::Life::Dead);
  }
  return exact(Result::ok());
}

Expect RefModel::kill_op(ProcId p) {
  if (procs_[p.index()].life != RefProc::Life::Alive) return err(Errno::Srch);
  kill(p, RefProc::Life::Dead);
  return exact(Result::ok());
}

// The results a GUP of m reachable pages out of n may give (docs/model.md, short GUP): all of
// them (ok), or, when the walk stops early (OOM, or the page the walk could not take at m),
// the count it took; EFAULT when it takes none; ENOMEM when memory ran out at the first page.
// `all_or_nothing` (longterm pins) turns every short result into EFAULT.
// The most likely result comes first (GenModel::apply follows allowed.front()).
Expect gup_results(uint32_t m, uint32_t n, bool all_or_nothing) {
  if (m == 0) return err(Errno::Fault);
  Expect out = one_of({m == n           ? Result::ok()
                       : all_or_nothing ? e(Errno::Fault)
                                        : Result::of(m),
                       e(Errno::NoMem)});
  for (uint32_t j = 1; j < m && !all_or_nothing; ++j) out.allowed.push_back(Result::of(j));
  if (all_or_nothing) out.allowed.push_back(e(Errno::Fault));
  return out;
}

// How many pages a GUP result took: all m for ok, the count for a short one, else none.
uint32_t taken(const Result& got, uint32_t m) {
  if (got.is_ok()) return m;
  return got.kind == Result::Kind::Number ? static_cast<uint32_t>(got.value) : 0;
}

// pin_user_pages (mm/gup.c): pages are taken in order until one fails check_vma_flags (no
// VMA, PROT_NONE, secretmem, FOLL_WRITE without VM_WRITE, or FOLL_LONGTERM|FOLL_WRITE of a
// shared regular file). A FOLL_WRITE pin write-faults
// first (a private file page becomes a private copy); a R/O FOLL_LONGTERM pin unshares a
// private file page too (gup_must_unshare), except on legacy kernels; a R/O short-term pin of
// a page never written may hold the shared zero page, which later writes do not reach.
Expect RefModel::pin(ProcId p, const AddrRef& a, HandleId h, PinKind kind, PinDir dir,
                     const Result& got) {
  std::optional<PageRange> r = resolve(p, a);
  if (!r) return err(Errno::Inval);
  RefHandle& hd = handles_[h.index()];
  if (hd.active || hd.kind == Handle::Kind::Pipe) return err(Errno::Busy);
  bool exclusive = false;
  uint32_t m = 0;
  for (Vpn v = r->begin; v < r->end; v = v + 1, ++m) {
    const Page* pg = page(p, v);
    if (pg == nullptr || pg->prot == Prot::None || pg->has(kSecret)) break;
    if (dir == PinDir::Write && pg->prot != Prot::ReadWrite) break;
    // writable_file_mapping_allowed: no FOLL_LONGTERM|FOLL_WRITE pin of a writable shared
    // mapping of a file that writes back (a regular file; not shmem, not secretmem).
    const bool regular_shared =
        pg->has(kShared) && pg->has(kFile) && !pg->has(kShmem) && !pg->has(kSecret);
    if (kind == PinKind::Longterm && dir == PinDir::Write && regular_shared) break;
    exclusive = exclusive || cells_[pg->cell].exclusive;
  }
  Expect out = gup_results(m, r->pages(), kind == PinKind::Longterm);
  if (exclusive) out.allowed.push_back(e(Errno::Fault));  // GUP of an exclusive page: policy's call
  const uint32_t n = taken(got, m);
  if (n == 0) return out;
  const bool unshare_file =
      dir == PinDir::Write || (kind == PinKind::Longterm && policy_ != PolicyId::LegacyCow);
  RefHandle pinned{Handle::Kind::Pin, true, {}, dir, {}, {}};
  for (Vpn v = r->begin; v < r->begin + n; v = v + 1) {
    Page& pg = *page(p, v);
    if (unshare_file && pg.cell == pg.file_cell && pg.file_cell != kNoCell) {
      const Value v0 = cells_[pg.cell].v;
      pg.cell = new_cell(CellKind::Private, v0, Origin::Written);  // the COW copy
      sync_marks(pg);
      note_value(cells_[pg.cell], v0);
    }
    // Never stored to by the process or a device since its last zero fill (fresh, wiped at
    // fork or by a suspend zap): the page may still be the zero page.
    const Cell& c = cells_[pg.cell];
    const bool maybe_zero = dir == PinDir::Read && kind == PinKind::Dio &&
                            c.kind == CellKind::Private && c.origin != Origin::Written && c.v == 0;
    pinned.pins.push_back(pg.cell);
    pinned.maybe_zero.push_back(maybe_zero);
  }
  hd = std::move(pinned);
  return out;
}

// vmsplice -> iter_to_pipe (fs/splice.c): the prefix up to the first page GUP cannot take goes
// into the pipe (`total ? total : ret`). A page never written may be the zero page, which the
// pipe reads as 0: the value at the splice, which pipe_read allows already.
Expect RefModel::vmsplice(ProcId p, const AddrRef& a, HandleId h, const Result& got) {
  std::optional<PageRange> r = resolve(p, a);
  if (!r) return err(Errno::Inval);
  RefHandle& hd = handles_[h.index()];
  if (hd.kind == Handle::Kind::Pin) return err(Errno::Busy);
  std::vector<PipeEntry> got_pages;
  bool exclusive = false;
  uint32_t m = 0;
  for (Vpn v = r->begin; v < r->end; v = v + 1, ++m) {
    const Page* pg = page(p, v);
    if (pg == nullptr || pg->prot == Prot::None || pg->has(kSecret)) break;
    exclusive = exclusive || cells_[pg->cell].exclusive;
    got_pages.push_back(PipeEntry{pg->cell, cells_[pg->cell].history.size() - 1});
  }
  Expect out = gup_results(m, r->pages(), false);
  if (exclusive) out.allowed.push_back(e(Errno::Fault));
  const uint32_t n = taken(got, m);
  if (n > 0) {
    hd.kind = Handle::Kind::Pipe;
    hd.active = true;
    hd.pipe.insert(hd.pipe.end(), got_pages.begin(), got_pages.begin() + n);
  }
  return out;
}

Expect RefModel::dma_read(HandleId h) {
  const RefHandle& hd = handles_[h.index()];
  if (hd.kind != Handle::Kind::Pin || !hd.active || hd.pins.empty()) return err(Errno::Inval);
  const Cell& c = cells_[hd.pins.front()];
  Expect out{ObsKind::DmaRead, false, {Result::of(c.v)}, c.origin};
  if (c.alt) out.allowed.push_back(Result::of(*c.alt));
  if (hd.maybe_zero.front()) out.allowed.push_back(Result::of(0));  // it pinned the zero page
  return out;
}

Expect RefModel::dma_write(HandleId h, Value v) {
  const RefHandle& hd = handles_[h.index()];
  if (hd.kind != Handle::Kind::Pin || !hd.active) return err(Errno::Inval);
  if (hd.dir == PinDir::Read) return err(Errno::Fault);  // the device may only read
  for (uint32_t c : hd.pins) store(c, v, Origin::Written);
  return exact(Result::ok());
}

Expect RefModel::unpin(HandleId h) {
  RefHandle& hd = handles_[h.index()];
  if (hd.kind != Handle::Kind::Pin || !hd.active) return err(Errno::Inval);
  hd.active = false;
  hd.pins.clear();
  return exact(Result::ok());
}

Expect RefModel::pipe_read(HandleId h, const Result& got) {
  RefHandle& hd = handles_[h.index()];
  if (hd.kind != Handle::Kind::Pipe) return err(Errno::Inval);
  if (hd.pipe.empty()) return err(Errno::Again);
  const PipeEntry pe = hd.pipe.front();
  const Cell& c = cells_[pe.cell];
  Expect out{ObsKind::PipeRead, false, {}, c.origin};
  for (size_t i = pe.from; i < c.history.size(); ++i)
    out.allowed.push_back(Result::of(c.history[i]));
  if (c.alt) out.allowed.push_back(Result::of(*c.alt));
  if (c.exclusive) out.allowed.push_back(e(Errno::Fault));    // not in the direct map
  if (got.kind == Result::Kind::Number) hd.pipe.pop_front();  // consumed; EFAULT leaves it
  return out;
}

Expect RefModel::pipe_close(HandleId h) {
  RefHandle& hd = handles_[h.index()];
  if (hd.kind != Handle::Kind::Pipe || !hd.active) return err(Errno::Inval);
  hd.active = false;
  hd.pipe.clear();
  return exact(Result::ok());
}

// Reclaim: the reference cannot tell whether the page is present, pinned or whether swap is
// full, so it allows every result those could give; a dropped MAP_DROPPABLE page reads 0.
Expect RefModel::reclaim(ProcId p, std::optional<Vpn> target, const AddrRef* a, const Result& got) {
  // An untargeted reclaim: some eligible page (ok or ENOSPC when swap is full) or none (EAGAIN).
  if (a == nullptr && !target) return one_of({Result::ok(), e(Errno::Again), e(Errno::NoSpc)});
  if (procs_[p.index()].life != RefProc::Life::Alive) return err(Errno::Srch);
  std::optional<Vpn> v = target;
  if (a != nullptr) {
    std::optional<PageRange> r = resolve(p, *a);
    if (!r) return err(Errno::Inval);
    v = r->begin;
  }
  Page* pg = page(p, *v);
  if (pg == nullptr) return err(Errno::NoMem);
  Expect out;
  if (a == nullptr) {
    out = one_of({Result::ok(), e(Errno::NoSpc)});
  } else if (pg->has(kLocked) || pg->has(kSecret)) {
    out = one_of({e(Errno::NoEnt), e(Errno::Perm)});
  } else if (pg->has(kShmem)) {  // shmem_writeout: swappable, unless locked or pinned
    out = one_of({Result::ok(), e(Errno::NoEnt), e(Errno::Perm), e(Errno::Busy), e(Errno::NoSpc)});
  } else if (pg->has(kShared) || pg->has(kFile)) {
    out = one_of({e(Errno::NoEnt), e(Errno::Inval), e(Errno::Perm)});
  } else {
    out = one_of({Result::ok(), e(Errno::NoEnt), e(Errno::Perm), e(Errno::Busy), e(Errno::Again),
                  e(Errno::NoSpc)});
  }
  if (got.is_ok() && pg->has(kDroppable)) reset_page(*pg);  // dropped, not swapped
  return out;
}

Expect RefModel::migrate(ProcId p, const AddrRef& a) {
  if (procs_[p.index()].life != RefProc::Life::Alive) return err(Errno::Srch);
  std::optional<PageRange> r = resolve(p, a);
  if (!r) return err(Errno::Inval);
  const Page* pg = page(p, r->begin);
  if (pg == nullptr) return err(Errno::NoMem);
  if (pg->has(kSecret)) return one_of({e(Errno::NoEnt), e(Errno::Busy)});
  return one_of({Result::ok(), e(Errno::NoEnt), e(Errno::Busy), e(Errno::Again), e(Errno::NoMem)});
}

// The wipe a wipeonsuspend policy means to do, on every marked page of a live process.
void RefModel::suspend_wipe(SuspendWipe how) {
  for (RefProc& pr : procs_) {
    if (pr.life != RefProc::Life::Alive) continue;
    for (auto& [v, pg] : pr.pages) {
      if (!pg.has(kWipeOnSuspend) || cells_[pg.cell].kind != CellKind::Private) continue;
      if (how == SuspendWipe::InPlace) {
        // get_user_pages(FOLL_WRITE) then clear_page: a read-only or PROT_NONE page is skipped.
        if (pg.prot == Prot::ReadWrite) store(pg.cell, 0, Origin::SuspendWipe);
        continue;
      }
      pg.cell = new_cell(CellKind::Private, 0, Origin::SuspendWipe);
      sync_marks(pg);
    }
  }
}

Expect RefModel::power(PowerEvent ev) {
  const SuspendPlan plan = suspend_plan(policy_);
  if (ev == PowerEvent::Resume) {
    if (power_ == Power::Running) return err(Errno::Inval);
    if (plan.at_resume) suspend_wipe(plan.how);
    power_ = Power::Running;
    return exact(Result::ok());
  }
  if (power_ != Power::Running) return err(Errno::Inval);
  if (ev == PowerEvent::Hibernate) {
    for (size_t i = 0; i < objects_.size(); ++i) {
      if (object_secret_[i] && !objects_[i].empty()) return err(Errno::Perm);
    }
  }
  if (plan.how != SuspendWipe::None && !plan.at_resume) suspend_wipe(plan.how);
  power_ = ev == PowerEvent::Hibernate ? Power::Hibernated : Power::Suspended;
  return exact(Result::ok());
}

Expect RefModel::dispatch(const Step& s, const Result& got, std::optional<ReclaimPage> target) {
  const ProcId self = s.actor.proc();
  const auto* lang = std::get_if<LangOp>(&s.op);
  // A page step is the checker's, never a generated command's: nothing to expect of it.
  if (lang == nullptr) return Expect{ObsKind::Result, true, {}, Origin::Written};
  return std::visit(
      Overloaded{
          [&](const Mmap& o) { return mmap(self, o); },
          [&](const Munmap& o) { return munmap(self, o.addr); },
          [&](const Madvise& o) { return madvise(self, o.addr, o.advice); },
          [&](const Mlock& o) { return mlock(self, o.addr, got); },
          [&](const Munlock& o) { return munlock(self, o.addr); },
          [&](const Mprotect& o) { return mprotect(self, o.addr, o.prot); },
          [&](const Write& o) { return write(self, o.addr, o.value, got); },
          [&](const Zero& o) { return write(self, o.addr, 0, got); },
          [&](const Read& o) { return read(self, o.addr, got); },
          [&](const Fork& o) { return fork(self, o.child, got); },
          [&](const Exec&) { return exit(self, FinishWhat::Exec); },
          [&](const Exit&) { return exit(self, FinishWhat::Exit); },
          [&](const Kill& o) { return kill_op(o.proc); },
          [&](const Pin& o) { return pin(self, o.addr, o.handle, o.kind, o.dir, got); },
          [&](const Vmsplice& o) { return vmsplice(self, o.addr, o.handle, got); },
          [&](const DmaRead& o) { return dma_read(o.handle); },
          [&](const DmaWrite& o) { return dma_write(o.handle, o.value); },
          [&](const Unpin& o) { return unpin(o.handle); },
          [&](const PipeRead& o) { return pipe_read(o.handle, got); },
          [&](const PipeClose& o) { return pipe_close(o.handle); },
          [&](const Reclaim& o) {
            if (o.proc.valid()) return reclaim(o.proc, std::nullopt, &o.addr, got);
            if (target && !target->proc.valid()) return err(Errno::Again);  // nothing eligible
            if (!target) return reclaim(self, std::nullopt, nullptr, got);
            return reclaim(target->proc, target->page, nullptr, got);
          },
          [&](const Migrate& o) { return migrate(o.proc, o.addr); },
          [&](const Suspend&) { return power(PowerEvent::Suspend); },
          [&](const Hibernate&) { return power(PowerEvent::Hibernate); },
          [&](const Resume&) { return power(PowerEvent::Resume); },
          [&](const Snapshot&) { return exact(Result::ok()); },
      },
      *lang);
}

Expect RefModel::step(const Step& s, const Result& got, std::optional<ReclaimPage> target) {
  return dispatch(s, got, target);
}

}  // namespace mmsim::props
