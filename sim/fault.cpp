// sim/fault.cpp: page faults: zero fill, page-cache pages, swap-in and copy-on-write, with the
// reuse rule of the active kernel (CoreRules::cow). See kernel.h.
#include "sim/check.h"
#include "sim/hook_context.h"
#include "sim/kernel.h"

namespace mmsim {
namespace {

Fault ok(FrameId f) { return Fault{Fault::Kind::Ok, f}; }
Fault segv() { return Fault{Fault::Kind::Segv, FrameId::none()}; }
Fault oom() { return Fault{Fault::Kind::Oom, FrameId::none()}; }

// A new private anonymous frame, exclusive to its one mapping: a copy of `src`, or zero-filled
// when src is none.
FrameId new_anon(World& w, FrameId src) {
  FrameId f = alloc_page(w);
  if (!f.valid()) return f;
  if (src.valid()) {
    copy_page(w, f, src);
  } else {
    zero_page(w, f);
  }
  Frame& fr = w.frame(f);
  fr.set(FrameFlag::Anon);
  fr.set(FrameFlag::AnonExclusive);
  return f;
}

// wp_page_copy: copy `old` into a new anonymous frame, then drop this mapping of `old`.
Fault cow_copy(World& w, ProcId proc, Vpn p, FrameId old) {
  FrameId nf = new_anon(w, old);
  if (!nf.valid()) return oom();
  Mm& mm = w.proc(proc).mm;
  const Vma vma = *mm.vmas.at(p);
  mm.ptes.erase(p);
  remove_rmap(w, old, vma, UnmapCause::CowCopy);
  map_pte(w, proc, p, nf);
  put_page(w, old);
  fault_mapped(w, proc, vma, nf, FaultIn::Allocated);
  return ok(nf);
}

// do_wp_page on the shared zero page (is_zero_pfn): wp_page_copy allocates a zeroed page
// (a write, or a FOLL_LONGTERM unshare) and maps it in place of the zero-page PTE.
Fault zero_cow(World& w, ProcId proc, Vpn p) {
  FrameId nf = new_anon(w, FrameId::none());
  if (!nf.valid()) return oom();
  Mm& mm = w.proc(proc).mm;
  mm.ptes.erase(p);
  map_pte(w, proc, p, nf);
  fault_mapped(w, proc, *mm.vmas.at(p), nf, FaultIn::Allocated);
  return ok(nf);
}

bool can_reuse(const World& w, const Frame& fr) {
  if (descriptor_of(w).rules.cow == CowReuse::MapcountOnly) {
    // Pre-5.8 reuse_swap_page(): mapcount plus the swap count of a swap-cache page must be 1;
    // a page whose slot another process still swaps from is not reused.
    const uint32_t swapcount = fr.swap_slot.valid() ? w.swap.at(fr.swap_slot).refcount : 0u;
    return fr.mapcount + swapcount == 1;
  }
  return fr.has(FrameFlag::AnonExclusive) || fr.refcount == 1;
}

// A write (or unshare) to a present page.
Fault write_present(World& w, ProcId proc, Vpn p, FrameId f, Access access) {
  if (f == kZeroPage) {
    // gup_must_unshare: a short-term R/O pin keeps the zero page; a write or a long-term
    // pin breaks it into a new zeroed page.
    return access == Access::Unshare ? ok(kZeroPage) : zero_cow(w, proc, p);
  }
  const Vma& vma = *w.proc(proc).mm.vmas.at(p);
  Frame& fr = w.frame(f);
  if (vma.has(VmaFlag::Shared)) return ok(f);
  if (!fr.has(FrameFlag::Anon)) {  // a page-cache page in a private file mapping
    // gup_must_unshare: `if (!PageAnon(page))` only FOLL_LONGTERM in a COW mapping unshares.
    return access == Access::Unshare ? ok(f) : cow_copy(w, proc, p, f);
  }
  if (can_reuse(w, fr)) {
    fr.set(FrameFlag::AnonExclusive);
    return ok(f);
  }
  return cow_copy(w, proc, p, f);
}

Fault fault_missing(World& w, ProcId proc, Vpn p, Access access) {
  const Vma vma = *w.proc(proc).mm.vmas.at(p);
  if (vma.has(VmaFlag::File)) {
    FrameId cf = file_page(w, vma.file, vma.file_page_of(p));
    if (!cf.valid()) return oom();
    if (!vma.has(VmaFlag::Shared) && access == Access::Write) {
      FrameId nf = new_anon(w, cf);
      if (!nf.valid()) return oom();
      map_pte(w, proc, p, nf);
      fault_mapped(w, proc, vma, nf, FaultIn::Allocated);
      return ok(nf);
    }
    map_pte(w, proc, p, cf);
    fault_mapped(w, proc, vma, cf, FaultIn::Existing);
    return ok(cf);
  }
  if (access != Access::Write) {
    // do_anonymous_page without FAULT_FLAG_WRITE: map the shared zero page read-only
    // (`if (!(vmf->flags & FAULT_FLAG_WRITE) && !mm_forbids_zeropage(vma->vm_mm))`). GUP's
    // unshare comes after this read fault (faultin_page, then gup_must_unshare on a retry).
    w.proc(proc).mm.ptes[p] = Pte{};
    return ok(kZeroPage);
  }
  FrameId nf = new_anon(w, FrameId::none());  // zero-fill on demand
  if (!nf.valid()) return oom();
  map_pte(w, proc, p, nf);
  fault_mapped(w, proc, vma, nf, FaultIn::Allocated);
  return ok(nf);
}

// do_swap_page: map the swap-cache page or read the slot into a new frame.
Fault swap_in(World& w, ProcId proc, Vpn p, SlotId s) {
  FrameId f = swap_cache_lookup(w, s);
  const bool fresh = !f.valid();
  // A fresh page read for the slot's only user is certainly exclusive. A swap-cache page is
  // exclusive only if it was when it was unmapped (the pte_swp_exclusive marker, which the
  // model keeps as AnonExclusive on the unmapped swap-cache page and fork clears) or nothing
  // but the swap cache holds it: a pipe may still hold the page a COW sibling shared.
  const bool exclusive =
      w.swap.at(s).refcount == 1 &&
      (fresh || w.frame(f).has(FrameFlag::AnonExclusive) || w.frame(f).refcount == 1);
  if (fresh) {
    f = new_anon(w, FrameId::none());
    if (!f.valid()) return oom();
    set_value(w, f, w.swap.at(s).value);  // swap_read_folio
    // swapin_readahead / swap_cache_alloc_folio read the slot into the swap cache. While
    // another swap PTE still names the slot (a fork shared it), the page stays there, so that
    // the sibling's fault finds it (swap_cache_get_folio) and maps this same frame: one copy
    // in RAM until a write COWs it. The slot's last user frees it and the cache entry with it
    // (swap_put; the model frees at once what Linux frees at folio_free_swap or reclaim).
    if (w.swap.at(s).refcount > 1) {
      w.frame(f).swap_slot = s;
      get_page(w, f);  // the swap cache's reference
    }
  }
  if (!exclusive) w.frame(f).clear(FrameFlag::AnonExclusive);
  if (exclusive) w.frame(f).set(FrameFlag::AnonExclusive);
  w.proc(proc).mm.ptes.erase(p);
  map_pte(w, proc, p, f);
  swap_put(w, s);
  fault_mapped(w, proc, *w.proc(proc).mm.vmas.at(p), f,
               fresh ? FaultIn::Allocated : FaultIn::Existing);
  return ok(f);
}

}  // namespace

void fault_mapped(World& w, ProcId proc, const Vma& vma, FrameId f, FaultIn how) {
  HookContext ctx(w, Hook::FaultIn);
  policy_of(w).on_fault_in(ctx, proc, vma, f, how);
}

Fault fault(World& w, ProcId proc, Vpn p, Access access) {
  Mm& mm = w.proc(proc).mm;
  const Vma* vma = mm.vmas.at(p);
  if (vma == nullptr || vma->prot == Prot::None) return segv();
  if (access == Access::Write && vma->prot != Prot::ReadWrite) return segv();
  auto it = mm.ptes.find(p);
  if (it == mm.ptes.end()) {
    Fault f = fault_missing(w, proc, p, access);
    if (f.kind != Fault::Kind::Ok || access == Access::Read) return f;
    return write_present(w, proc, p, f.frame, access);
  }
  FrameId f = it->second.frame;  // kZeroPage for a zero-page PTE
  if (it->second.slot.valid()) {
    Fault in = swap_in(w, proc, p, it->second.slot);
    if (in.kind != Fault::Kind::Ok) return in;
    f = in.frame;
  }
  if (access == Access::Read) return ok(f);
  return write_present(w, proc, p, f, access);
}

Result fault_failure(World& w, ProcId proc, Vpn p, Fault f) {
  SIM_ASSERT(f.kind != Fault::Kind::Ok, "fault_failure of a good fault");
  // handle_mm_fault (mm/memory.c): "If the mapping is droppable, then errors due to OOM
  // aren't fatal": `if (is_droppable) ret &= ~VM_FAULT_OOM;`. The CPU would retry the access
  // until memory is found; the model ends the op with ENOMEM and leaves the process alive.
  const Vma* vma = w.proc(proc).mm.vmas.at(p);
  if (f.kind == Fault::Kind::Oom && vma != nullptr && vma->has(VmaFlag::Droppable)) {
    return Result::error(Errno::NoMem);
  }
  kill_process(w, proc, ProcState::Killed);
  return f.kind == Fault::Kind::Segv ? Result::segv() : Result::error(Errno::NoMem);
}

}  // namespace mmsim
