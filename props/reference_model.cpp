// props/reference_model.cpp: the reference model's cells, pages and the memory ops (mmap,
// munmap, mprotect, mlock, munlock, madvise, read, write). Tasks, GUP and system ops are in
// reference_ops.cpp. See reference_model.h.
#include "props/reference_model.h"

#include <algorithm>

#include "props/program.h"

namespace mmsim::props {

namespace {

Expect exact(Result r) {
  return Expect{ObsKind::Result, false, {r}, Origin::Written};
}
Expect err(Errno e) {
  return exact(Result::error(e));
}

}  // namespace

bool Expect::allows(const Result& r) const {
  return any || std::find(allowed.begin(), allowed.end(), r) != allowed.end();
}

RefModel::RefModel(PolicyId policy) : policy_(policy), procs_(kProcs), handles_(kHandles) {
  for (RefProc& p : procs_) p.names.resize(kNames);
  procs_[0].life = RefProc::Life::Alive;
}

// --- cells and values ---

uint32_t RefModel::new_cell(CellKind kind, Value v, Origin origin) {
  Cell c;
  c.kind = kind;
  c.v = v;
  c.origin = origin;
  c.history.push_back(v);
  cells_.push_back(std::move(c));
  return static_cast<uint32_t>(cells_.size() - 1);
}

void RefModel::store(uint32_t c, Value v, Origin origin) {
  Cell& cell = cells_[c];
  cell.v = v;
  cell.alt.reset();
  cell.origin = origin;
  cell.history.push_back(v);
  note_value(cell, v);
}

// A value stays protected while every cell it enters is marked (or secret) when it enters.
void RefModel::note_value(const Cell& c, Value v) {
  if (v == 0) return;
  auto r = release_ok_.try_emplace(v, true).first;
  r->second = r->second && c.marked;
  auto s = secret_ok_.try_emplace(v, true).first;
  s->second = s->second && c.secret;
}

void RefModel::taint(Value v) {
  if (v == 0) return;
  release_ok_[v] = false;
}

bool RefModel::release_mark(const Page& pg) const {
  switch (policy_) {
    case PolicyId::WipeOnReleaseV1:
    case PolicyId::WipeOnReleaseV2:
    case PolicyId::WipeOnReleaseV4:
      return pg.has(kWipeOnRelease);
    case PolicyId::MlockedOnFreeV1:
    case PolicyId::MlockedOnFreeV3:
    case PolicyId::MlockedOnFreeVma:
      return pg.has(kLocked) && !pg.has(kShared);
    case PolicyId::Exclusive:
      return pg.has(kExclusive);
    default:
      return false;
  }
}

// Brings the private cell a page maps in line with the page's marks. A cell that loses its
// release mark while it holds a value makes that value unprotected for good.
void RefModel::sync_marks(Page& pg) {
  Cell& c = cells_[pg.cell];
  if (c.kind != CellKind::Private) return;
  const bool marked = release_mark(pg);
  if (c.marked && !marked) {
    taint(c.v);
    if (c.alt) taint(*c.alt);
  }
  c.marked = marked;
  const bool excl = policy_ == PolicyId::Exclusive && pg.has(kExclusive);
  if (c.secret && !excl && c.v != 0) secret_ok_[c.v] = false;
  c.secret = excl;
  c.exclusive = excl;
}

bool RefModel::release_protected(Value v) const {
  auto it = release_ok_.find(v);
  return it != release_ok_.end() && it->second;
}

bool RefModel::secret_only(Value v) const {
  auto it = secret_ok_.find(v);
  return it != secret_ok_.end() && it->second;
}

// --- pages ---

std::optional<PageRange> RefModel::resolve(ProcId p, const AddrRef& a) const {
  const RefProc& pr = procs_[p.index()];
  if (a.name.index() >= pr.names.size() || !pr.names[a.name.index()].bound) return std::nullopt;
  const Binding& b = pr.names[a.name.index()];
  if (a.span == AddrRef::Span::Whole) return PageRange{b.base, b.base + b.pages};
  if (a.first >= a.last || a.last > b.pages) return std::nullopt;
  return PageRange{b.base + a.first, b.base + a.last};
}

Page* RefModel::page(ProcId p, Vpn v) {
  auto& pages = procs_[p.index()].pages;
  auto it = pages.find(v);
  return it == pages.end() ? nullptr : &it->second;
}

bool RefModel::covered(ProcId p, PageRange r) const {
  const auto& pages = procs_[p.index()].pages;
  for (Vpn v = r.begin; v < r.end; v = v + 1) {
    if (pages.count(v) == 0) return false;
  }
  return true;
}

void RefModel::unmap(ProcId p, PageRange r) {
  auto& pages = procs_[p.index()].pages;
  pages.erase(pages.lower_bound(r.begin), pages.lower_bound(r.end));
}

void RefModel::drop_dead_objects() {
  std::vector<bool> mapped(objects_.size(), false);
  for (const RefProc& pr : procs_) {
    for (const auto& [v, pg] : pr.pages) {
      if (pg.object != kNoCell) mapped[pg.object] = true;
    }
  }
  for (size_t i = 0; i < objects_.size(); ++i) {
    if (!mapped[i]) objects_[i].clear();
  }
}

void RefModel::kill(ProcId p, RefProc::Life life) {
  RefProc& pr = procs_[p.index()];
  pr.pages.clear();
  pr.life = life;
  drop_dead_objects();
}

void RefModel::reset_page(Page& pg) {
  if (pg.has(kShared)) return;  // the shared page is still in the object
  if (pg.file_cell != kNoCell) {
    pg.cell = pg.file_cell;  // the private file page reads the page cache again
    return;
  }
  pg.cell = new_cell(CellKind::Private, 0, Origin::Fresh);
  sync_marks(pg);
}

// --- memory ops ---

Expect RefModel::mmap(ProcId p, const Mmap& o) {
  const bool secret = o.backing == Backing::Secret;
  if (o.pages == 0 || (secret && o.sharing == Sharing::Private) ||
      (o.backing == Backing::Droppable && o.sharing == Sharing::Shared)) {
    return err(Errno::Inval);
  }
  RefProc& pr = procs_[p.index()];
  const PageRange r{Vpn{pr.next_free}, Vpn{pr.next_free + o.pages}};
  pr.next_free = r.end.v + 1;
  pr.names[o.name.index()] = Binding{true, r.begin, o.pages};
  const bool shared = o.sharing == Sharing::Shared || secret;
  uint16_t flags = 0;
  if (o.backing == Backing::Anon && shared) flags = kShared | kFile | kShmem;
  if (o.backing == Backing::File) flags = static_cast<uint16_t>(kFile | (shared ? kShared : 0));
  if (secret) flags = kShared | kFile | kSecret | kLocked | kDontDump;
  if (o.backing == Backing::Droppable) flags = kDroppable | kWipeOnFork | kDontDump;
  uint32_t object = kNoCell;
  if ((flags & kFile) != 0) {
    object = static_cast<uint32_t>(objects_.size());
    objects_.emplace_back();
    object_secret_.push_back(secret);
    for (uint32_t i = 0; i < o.pages; ++i) {
      objects_.back().push_back(new_cell(CellKind::Object, 0, Origin::Fresh));
      cells_.back().secret = secret;
    }
  }
  for (uint32_t i = 0; i < o.pages; ++i) {
    Page pg;
    pg.flags = flags;
    pg.object = object;
    if (object == kNoCell) {
      pg.cell = new_cell(CellKind::Private, 0, Origin::Fresh);
    } else {
      pg.cell = objects_[object][i];
      if (!shared) pg.file_cell = pg.cell;
    }
    sync_marks(pg);
    procs_[p.index()].pages[r.begin + i] = pg;
  }
  return exact(Result::ok());
}

Expect RefModel::munmap(ProcId p, const AddrRef& a) {
  std::optional<PageRange> r = resolve(p, a);
  if (!r) return err(Errno::Inval);
  unmap(p, *r);
  drop_dead_objects();
  return exact(Result::ok());
}

PageRange RefModel::mapped_prefix(ProcId p, PageRange r) const {
  const auto& pages = procs_[p.index()].pages;
  Vpn end = r.begin;
  while (end < r.end && pages.count(end) != 0) end = end + 1;
  return PageRange{r.begin, end};
}

// mm/mprotect.c do_mprotect_pkey: the VMAs before a hole change, then ENOMEM.
Expect RefModel::mprotect(ProcId p, const AddrRef& a, Prot prot) {
  std::optional<PageRange> r = resolve(p, a);
  if (!r) return err(Errno::Inval);
  const PageRange done = mapped_prefix(p, *r);
  for (Vpn v = done.begin; v < done.end; v = v + 1) page(p, v)->prot = prot;
  return done == *r ? exact(Result::ok()) : err(Errno::NoMem);
}

// mlock sets VM_LOCKED (not on droppable), then populates: a write fault in a private
// writable mapping (which breaks a private file page away from the page cache), a read fault
// otherwise; PROT_NONE fails with ENOMEM, memory exhaustion with EAGAIN.
Expect RefModel::mlock(ProcId p, const AddrRef& a, const Result& got) {
  std::optional<PageRange> whole = resolve(p, a);
  if (!whole) return err(Errno::Inval);
  // mm/mlock.c apply_vma_lock_flags: the VMAs before a hole are locked, then ENOMEM and no
  // populate (do_mlock returns before __mm_populate).
  const std::optional<PageRange> r = mapped_prefix(p, *whole);
  if (r->empty()) return err(Errno::NoMem);
  for (Vpn v = r->begin; v < r->end; v = v + 1) {
    if (page(p, v)->has(kSecret)) return err(Errno::NoMem);
  }
  for (Vpn v = r->begin; v < r->end; v = v + 1) {
    Page& pg = *page(p, v);
    if (!pg.has(kDroppable)) pg.flags |= kLocked;
    sync_marks(pg);
  }
  if (*r != *whole) return err(Errno::NoMem);
  Expect e = exact(Result::ok());
  e.allowed.push_back(Result::error(Errno::Again));
  for (Vpn v = r->begin; v < r->end; v = v + 1) {
    Page& pg = *page(p, v);
    if (pg.prot == Prot::None) {
      e.allowed.front() = Result::error(Errno::NoMem);
      break;
    }
    if (got == Result::error(Errno::Again)) break;
    if (!pg.has(kShared) && pg.prot == Prot::ReadWrite && pg.cell == pg.file_cell &&
        pg.file_cell != kNoCell) {
      const Value v0 = cells_[pg.cell].v;
      pg.cell = new_cell(CellKind::Private, v0, Origin::Written);
      sync_marks(pg);
      note_value(cells_[pg.cell], v0);
    }
  }
  return e;
}

Expect RefModel::munlock(ProcId p, const AddrRef& a) {
  std::optional<PageRange> whole = resolve(p, a);
  if (!whole) return err(Errno::Inval);
  const PageRange r = mapped_prefix(p, *whole);  // apply_vma_lock_flags, as for mlock
  for (Vpn v = r.begin; v < r.end; v = v + 1) {
    Page& pg = *page(p, v);
    if (pg.has(kSecret)) continue;
    pg.flags = static_cast<uint16_t>(pg.flags & ~kLocked);
    sync_marks(pg);
  }
  return r == *whole ? exact(Result::ok()) : err(Errno::NoMem);
}

namespace {

// The core advices on one page: the error that stops madvise there, or nothing.
std::optional<Errno> core_advice(Page& pg, Advice a) {
  auto set = [&pg](uint16_t f, bool on) {
    pg.flags = static_cast<uint16_t>(on ? (pg.flags | f) : (pg.flags & ~f));
  };
  switch (a) {
    case Advice::WipeOnFork:
      if (pg.has(kShared) || pg.has(kFile)) return Errno::Inval;
      set(kWipeOnFork, true);
      return std::nullopt;
    case Advice::KeepOnFork:
      if (pg.has(kDroppable)) return Errno::Inval;
      set(kWipeOnFork, false);
      return std::nullopt;
    case Advice::DontFork:
      set(kDontCopy, true);
      return std::nullopt;
    case Advice::DoFork:
      set(kDontCopy, false);
      return std::nullopt;
    case Advice::DontDump:
      set(kDontDump, true);
      return std::nullopt;
    case Advice::DoDump:
      if (pg.has(kDroppable)) return Errno::Inval;
      set(kDontDump, false);
      return std::nullopt;
    case Advice::DontNeed:
      return pg.has(kLocked) ? std::optional<Errno>(Errno::Inval) : std::nullopt;
    default:
      return Errno::Inval;
  }
}

bool policy_advice(Advice a) {
  return a == Advice::WipeOnRelease || a == Advice::KeepOnRelease || a == Advice::WipeOnSuspend ||
         a == Advice::KeepOnSuspend || a == Advice::Secret;
}

}  // namespace

Expect RefModel::madvise(ProcId p, const AddrRef& a, Advice advice) {
  std::optional<PageRange> r = resolve(p, a);
  if (!r) return err(Errno::Inval);
  if (policy_advice(advice)) {
    if (!policy_knows(policy_, advice)) return err(Errno::Inval);
    return madvise_policy(p, *r, advice);
  }
  auto& pages = procs_[p.index()].pages;
  for (auto it = pages.lower_bound(r->begin); it != pages.end() && it->first < r->end; ++it) {
    if (std::optional<Errno> e = core_advice(it->second, advice)) return err(*e);
    if (advice == Advice::DontNeed) reset_page(it->second);
  }
  return exact(covered(p, *r) ? Result::ok() : Result::error(Errno::NoMem));
}

// Whether a policy advice is refused on a page (docs/policies/): the mark-setting advices need
// private anonymous memory (exclusive also refuses MAP_DROPPABLE); the clearing ones have no
// check.
std::optional<Errno> policy_advice_error(const Page& pg, Advice advice) {
  const bool private_anon = !pg.has(kShared) && !pg.has(kFile);
  switch (advice) {
    case Advice::WipeOnRelease:
    case Advice::WipeOnSuspend:
      return private_anon ? std::nullopt : std::optional<Errno>(Errno::Inval);
    case Advice::Secret:
      return private_anon && !pg.has(kDroppable) ? std::nullopt
                                                 : std::optional<Errno>(Errno::Inval);
    default:
      return std::nullopt;
  }
}

// The policy advices, applied VMA by VMA up to the first refusal. The exclusive policy's
// `secret` also locks the range (MAP_EXCLUSIVE implies MAP_LOCKED and MAP_POPULATE).
Expect RefModel::madvise_policy(ProcId p, PageRange r, Advice advice) {
  auto& pages = procs_[p.index()].pages;
  for (auto it = pages.lower_bound(r.begin); it != pages.end() && it->first < r.end; ++it) {
    Page& pg = it->second;
    if (std::optional<Errno> e = policy_advice_error(pg, advice)) return err(*e);
    const auto set = [&pg](uint16_t f, bool on) {
      pg.flags = static_cast<uint16_t>(on ? (pg.flags | f) : (pg.flags & ~f));
    };
    if (advice == Advice::WipeOnRelease || advice == Advice::KeepOnRelease) {
      set(kWipeOnRelease, advice == Advice::WipeOnRelease);
    } else if (advice == Advice::WipeOnSuspend || advice == Advice::KeepOnSuspend) {
      set(kWipeOnSuspend, advice == Advice::WipeOnSuspend);
    } else {
      set(kExclusive | kLocked, true);
    }
    sync_marks(pg);
  }
  return exact(covered(p, r) ? Result::ok() : Result::error(Errno::NoMem));
}

Expect RefModel::read(ProcId p, const AddrRef& a, const Result& got) {
  std::optional<PageRange> r = resolve(p, a);
  const Page* pg = r ? page(p, r->begin) : nullptr;
  if (pg == nullptr || pg->prot == Prot::None) {
    kill(p, RefProc::Life::Dead);
    return exact(Result::segv());
  }
  const Cell& c = cells_[pg->cell];
  Expect e{ObsKind::ProcRead, false, {Result::of(c.v)}, c.origin};
  if (c.alt) e.allowed.push_back(Result::of(*c.alt));
  e.allowed.push_back(Result::error(Errno::NoMem));  // memory exhausted: OOM kill
  if (got == Result::error(Errno::NoMem)) kill(p, RefProc::Life::Dead);
  return e;
}

Expect RefModel::write(ProcId p, const AddrRef& a, Value v, const Result& got) {
  std::optional<PageRange> r = resolve(p, a);
  if (!r) {
    kill(p, RefProc::Life::Dead);
    return exact(Result::segv());
  }
  Expect e = exact(Result::ok());
  e.allowed.push_back(Result::error(Errno::NoMem));
  // handle_mm_fault masks VM_FAULT_OOM in a MAP_DROPPABLE mapping: the process lives, and which
  // pages the store reached before memory ran out is the simulator's to say.
  bool droppable = false;
  for (Vpn q = r->begin; q < r->end; q = q + 1) {
    Page* pg = page(p, q);
    if (pg == nullptr || pg->prot != Prot::ReadWrite) {
      e.allowed.front() = Result::segv();
      break;
    }
    droppable = droppable || pg->has(kDroppable);
    const Value before = cells_[pg->cell].v;
    if (pg->cell == pg->file_cell && pg->file_cell != kNoCell) {
      pg->cell = new_cell(CellKind::Private, v, Origin::Written);  // COW from the page cache
      sync_marks(*pg);
      note_value(cells_[pg->cell], v);
    } else {
      store(pg->cell, v, Origin::Written);
    }
    if (got == Result::error(Errno::NoMem) && pg->has(kDroppable)) {
      cells_[pg->cell].alt = before;  // the store may not have reached this page
    }
  }
  if (!got.is_ok() && !(droppable && got == Result::error(Errno::NoMem))) kill(p, RefProc::Life::Dead);
  return e;
}

}  // namespace mmsim::props
