// sim/ops_map.cpp: mmap, munmap, mprotect, mlock, munlock and madvise: the ops that change
// VMAs. Errors follow Linux as docs/model.md lists them.
#include <utility>

#include "sim/advice.h"
#include "sim/hook_context.h"
#include "sim/ops.h"

namespace mmsim::ops {
namespace {

uint32_t flags_for(const Mmap& op) {
  auto bit = [](VmaFlag f) { return static_cast<uint32_t>(f); };
  const bool shared = op.sharing == Sharing::Shared;
  switch (op.backing) {
    case Backing::Anon: return shared ? bit(VmaFlag::Shared) | bit(VmaFlag::File) : 0;
    case Backing::File: return bit(VmaFlag::File) | (shared ? bit(VmaFlag::Shared) : 0);
    case Backing::Secret:
      return bit(VmaFlag::Shared) | bit(VmaFlag::File) | bit(VmaFlag::Secret) |
             bit(VmaFlag::Locked) | bit(VmaFlag::DontDump);
    case Backing::Droppable:
      return bit(VmaFlag::Droppable) | bit(VmaFlag::WipeOnFork) | bit(VmaFlag::DontDump);
  }
  return 0;
}

FileKind file_kind(Backing b) {
  return b == Backing::Secret ? FileKind::Secret : b == Backing::File ? FileKind::Regular
                                                                      : FileKind::Shmem;
}

// The VMAs of r after isolating it, as ranges (hooks may reshape the set while we iterate).
std::vector<PageRange> isolated(World& w, ProcId p, PageRange r) {
  VmaSet& vs = w.proc(p).mm.vmas;
  auto [first, last] = vs.isolate(r);
  std::vector<PageRange> out;
  for (size_t i = first; i < last; ++i) out.push_back(vs.vmas[i].range);
  return out;
}

// Sets or clears VM_LOCKED on one VMA and moves its present pages' mlock counts with it.
void set_locked(World& w, ProcId p, PageRange vr, bool locked) {
  Mm& mm = w.proc(p).mm;
  Vma* v = mm.vmas.at(vr.begin);
  if (v->has(VmaFlag::Locked) == locked) return;
  locked ? v->set(VmaFlag::Locked) : v->clear(VmaFlag::Locked);
  for (auto it = mm.ptes.lower_bound(vr.begin); it != mm.ptes.end() && it->first < vr.end; ++it) {
    if (!it->second.frame.valid()) continue;
    Frame& fr = w.frame(it->second.frame);
    locked ? fr.mlock_count++ : fr.mlock_count--;
  }
}

std::optional<Errno> core_advice(World& w, ProcId p, PageRange vr, Advice a) {
  Vma& v = *w.proc(p).mm.vmas.at(vr.begin);
  switch (a) {
    case Advice::WipeOnFork:
      if (v.has(VmaFlag::Shared) || v.has(VmaFlag::File)) return Errno::Inval;
      v.set(VmaFlag::WipeOnFork);
      return std::nullopt;
    case Advice::KeepOnFork:
      if (v.has(VmaFlag::Droppable)) return Errno::Inval;
      v.clear(VmaFlag::WipeOnFork);
      return std::nullopt;
    case Advice::DontFork: v.set(VmaFlag::DontCopy); return std::nullopt;
    case Advice::DoFork: v.clear(VmaFlag::DontCopy); return std::nullopt;
    case Advice::DontDump: v.set(VmaFlag::DontDump); return std::nullopt;
    case Advice::DoDump:
      if (v.has(VmaFlag::Droppable)) return Errno::Inval;
      v.clear(VmaFlag::DontDump);
      return std::nullopt;
    case Advice::DontNeed:
      if (v.has(VmaFlag::Locked)) return Errno::Inval;
      zap_range(w, p, vr, ZapCause::DontNeed);
      return std::nullopt;
    default: return Errno::Inval;
  }
}

}  // namespace

Result mmap(World& w, ProcId p, const Mmap& op) {
  if (op.pages == 0) return Result::error(Errno::Inval);
  if (op.backing == Backing::Secret && op.sharing == Sharing::Private) return Result::error(Errno::Inval);
  if (op.backing == Backing::Droppable && op.sharing == Sharing::Shared) return Result::error(Errno::Inval);
  Process& pr = w.proc(p);
  Vma v;
  v.range = PageRange{pr.mm.next_free, pr.mm.next_free + op.pages};
  v.flags = flags_for(op);
  if (v.has(VmaFlag::File)) v.file = new_file(w, file_kind(op.backing), op.pages);
  Process& pr2 = w.proc(p);  // new_file does not move processes, but keep the reference fresh
  pr2.mm.next_free = v.range.end + 1;  // one unmapped page after each mapping: no merging
  pr2.mm.vmas.insert(v);
  if (pr2.names.size() <= op.name.index()) pr2.names.resize(op.name.index() + 1);
  pr2.names[op.name.index()] = Binding{true, v.range.begin, op.pages};
  return Result::ok();
}

Result munmap(World& w, ProcId p, PageRange r) {
  remove_vmas(w, p, r, ZapCause::Munmap);
  w.proc(p).mm.vmas.merge();
  return Result::ok();
}

// do_mprotect_pkey (mm/mprotect.c): ENOMEM at once when `start` lies in a hole; otherwise
// mprotect_fixup runs on each VMA in turn until the walk meets a hole (`vma->vm_start != tmp`)
// or the end, and a hole ends the call with ENOMEM after the VMAs before it were changed.
Result mprotect(World& w, ProcId p, PageRange r, Prot prot) {
  const PageRange done = w.proc(p).mm.vmas.covered_prefix(r);
  if (!done.empty()) {
    for (PageRange vr : isolated(w, p, done)) w.proc(p).mm.vmas.at(vr.begin)->prot = prot;
    w.proc(p).mm.vmas.merge();
  }
  return done == r ? Result::ok() : Result::error(Errno::NoMem);
}

// do_mlock (mm/mlock.c): apply_vma_lock_flags sets VM_LOCKED (mlock_fixup) on the VMAs from
// `start` up to the first hole and then returns ENOMEM; do_mlock returns that error before
// __mm_populate, so the prefix is locked (its present pages mlocked) but nothing is faulted in.
Result mlock(World& w, ProcId p, PageRange r) {
  return mlock_range(w, p, r, MlockHook::Run);
}

}  // namespace mmsim::ops

namespace mmsim {

Result mlock_range(World& w, ProcId p, PageRange r, MlockHook hook) {
  using ops::isolated;
  using ops::set_locked;
  const PageRange locked = w.proc(p).mm.vmas.covered_prefix(r);
  if (locked.empty()) return Result::error(Errno::NoMem);
  std::vector<PageRange> ranges = isolated(w, p, locked);
  for (PageRange vr : ranges) {
    const Vma& v = *w.proc(p).mm.vmas.at(vr.begin);
    if (v.has(VmaFlag::Secret)) {  // populating through GUP fails on secretmem (observed S5)
      w.proc(p).mm.vmas.merge();
      return Result::error(Errno::NoMem);
    }
  }
  for (PageRange vr : ranges) {  // apply_vma_lock_flags; mlock_fixup skips VM_DROPPABLE
    if (!w.proc(p).mm.vmas.at(vr.begin)->has(VmaFlag::Droppable)) set_locked(w, p, vr, true);
  }
  // mlock_fixup -> mlock_vma_pages_range mlocks the present pages before __mm_populate runs,
  // so the policy sees the lock even when the populate below fails midway.
  if (hook == MlockHook::Run) {
    HookContext ctx(w, Hook::Mlock);
    policy_of(w).on_mlock(ctx, p, locked);
  }
  if (locked != r) {  // the hole: apply_vma_lock_flags' -ENOMEM, no populate
    w.proc(p).mm.vmas.merge();
    return Result::error(Errno::NoMem);
  }
  // __mm_populate -> populate_vma_page_range, droppable VMAs included: a write fault in a
  // private writable mapping ("to break COW"), a read fault otherwise. A failure is returned
  // through __mlock_posix_error_return: EFAULT (PROT_NONE) -> ENOMEM, ENOMEM (OOM) -> EAGAIN.
  for (PageRange vr : ranges) {
    const Vma& v = *w.proc(p).mm.vmas.at(vr.begin);
    const Access access =
        !v.has(VmaFlag::Shared) && v.prot == Prot::ReadWrite ? Access::Write : Access::Read;
    for (Vpn q = vr.begin; q < vr.end; q = q + 1) {
      const Fault f = fault(w, p, q, access);
      if (f.kind != Fault::Kind::Ok) {
        w.proc(p).mm.vmas.merge();
        return Result::error(f.kind == Fault::Kind::Oom ? Errno::Again : Errno::NoMem);
      }
    }
  }
  w.proc(p).mm.vmas.merge();
  return Result::ok();
}

}  // namespace mmsim

namespace mmsim::ops {

// munlock: the same apply_vma_lock_flags walk, so VMAs before a hole are unlocked (and their
// policy hooks run) before the ENOMEM.
Result munlock(World& w, ProcId p, PageRange r) {
  const PageRange done = w.proc(p).mm.vmas.covered_prefix(r);
  if (done.empty()) return Result::error(Errno::NoMem);
  std::vector<PageRange> unlocked;  // the VMAs mlock_fixup changes (it skips unlocked ones)
  for (PageRange vr : isolated(w, p, done)) {
    const Vma& v = *w.proc(p).mm.vmas.at(vr.begin);
    if (v.has(VmaFlag::Secret)) continue;  // no-op (observed S5)
    if (v.has(VmaFlag::Locked)) unlocked.push_back(vr);
    set_locked(w, p, vr, false);
  }
  w.proc(p).mm.vmas.merge();
  for (PageRange vr : unlocked) {
    HookContext ctx(w, Hook::Munlock);
    policy_of(w).on_munlock(ctx, p, vr);
  }
  return done == r ? Result::ok() : Result::error(Errno::NoMem);
}

Result madvise(World& w, ProcId p, PageRange r, Advice a) {
  const Policy& pol = policy_of(w);
  const bool by_policy = !is_core_advice(a);
  if (by_policy && !descriptor_of(w).declares(a)) return Result::error(Errno::Inval);
  Result result = Result::ok();
  for (PageRange vr : isolated(w, p, r)) {
    std::optional<Errno> err;
    if (by_policy) {
      err = pol.check_advice(*w.proc(p).mm.vmas.at(vr.begin), a);
      if (!err) {
        HookContext ctx(w, Hook::Advice);
        Result applied = pol.apply_advice(ctx, p, vr, a);
        if (!applied.is_ok()) result = applied;
      }
    } else {
      err = core_advice(w, p, vr, a);
    }
    if (err) {
      result = Result::error(*err);
      break;
    }
  }
  w.proc(p).mm.vmas.merge();
  if (result.is_ok() && w.proc(p).mm.vmas.uncovered(r) > 0) return Result::error(Errno::NoMem);
  return result;
}

}  // namespace mmsim::ops
