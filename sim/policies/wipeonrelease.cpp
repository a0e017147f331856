// sim/policies/wipeonrelease.cpp: see wipeonrelease.h. Quotes are from the posted diffs
// (lore:20190424191440.170422-1, 20190424211038.204001-1, 20190429193631.119828-1).
#include "sim/policies/wipeonrelease.h"

#include "sim/kernel.h"
#include "sim/policies/common.h"

namespace mmsim::policies {

// madvise_behavior: "MADV_WIPEONRELEASE is only supported on anonymous memory":
// `vma->vm_file || vma->vm_flags & VM_SHARED` -> -EINVAL. DONTWIPEONRELEASE has no check.
std::optional<Errno> WipeOnReleaseAdvice::check_advice(const Vma& v, Advice a) const {
  if (a == Advice::WipeOnRelease && (v.has(VmaFlag::File) || v.has(VmaFlag::Shared))) {
    return Errno::Inval;
  }
  return std::nullopt;
}

Result WipeOnReleaseAdvice::apply_advice(World& w, ProcId p, PageRange r, Advice a) const {
  if (a == Advice::WipeOnRelease) before_mark(w, p, r);  // runs before new_flags is applied
  Vma* v = w.proc(p).mm.vmas.at(r.begin);
  a == Advice::WipeOnRelease ? v->set(VmaFlag::WipeOnRelease) : v->clear(VmaFlag::WipeOnRelease);
  return Result::ok();
}

// --- V1 ---

// madvise_wipe_on_release(): get_user_pages(start, 1, 0, ...) page by page (a read fault that
// maps what is missing), SetPageWipeOnRelease on what it returns; the first failure ends the
// walk and its error is ignored by the caller.
void WipeOnReleaseV1::before_mark(World& w, ProcId p, PageRange r) const {
  for (Vpn q = r.begin; q < r.end; q = q + 1) {
    Fault f = fault(w, p, q, Access::Read);
    if (f.kind != Fault::Kind::Ok) return;
    // An untouched page reads the shared zero page, which the model does not mark (the RFC
    // would set the flag on ZERO_PAGE itself; docs/policies.md).
    if (f.frame != kZeroPage) w.frame(f.frame).set(FrameFlag::PolicyMark);
  }
}

// alloc_pages_vma(): `if (vma->vm_flags & VM_WIPEONRELEASE) SetPageWipeOnRelease(page)` covers
// every page allocated for the VMA: zero fill, COW copy, swap-in, copy at fork. A swap-cache
// page mapped again was not allocated here and keeps whatever flag it has.
void WipeOnReleaseV1::on_fault_in(World& w, ProcId, const Vma& v, FrameId f, FaultIn how) const {
  if (how == FaultIn::Allocated && v.has(VmaFlag::WipeOnRelease)) {
    w.frame(f).set(FrameFlag::PolicyMark);
  }
}

// free_pages_prepare(): `if (PageWipeOnRelease(page)) clear_highpage(page)`.
void WipeOnReleaseV1::on_free(World& w, FrameId f) const {
  if (w.frame(f).has(FrameFlag::PolicyMark)) zero_page(w, f);
}

// --- V2 ---

// zap_pte_range(), after page_remove_rmap(): `if (vma->vm_flags & VM_WIPEONRELEASE &&
// page_mapcount(page) == 0) clear_highpage(page)`. Reclaim, migration and COW do not zap.
void WipeOnReleaseV2::on_last_unmap(World& w, FrameId f, UnmapCause cause, const Vma& v) const {
  if (cause == UnmapCause::Zap && v.has(VmaFlag::WipeOnRelease)) zero_page(w, f);
}

// --- V4 ---

// page_remove_rmap(page, vma, compound): anonymous pages only (file pages return first), once
// the mapcount went negative, `if (vma->vm_flags & VM_WIPEONRELEASE) clear_highpage(page)`.
void WipeOnReleaseV4::on_last_unmap(World& w, FrameId f, UnmapCause, const Vma& v) const {
  if (v.has(VmaFlag::WipeOnRelease) && w.frame(f).has(FrameFlag::Anon)) zero_page(w, f);
}

// madvise: `if (vma->anon_vma) trigger_cow(start, end)`: a FOLL_WRITE|FOLL_TOUCH GUP of every
// page-table entry of the range, stopping at the first failure (ignored). The model walks the
// entries that exist (present or swapped): with no entry there is no anon_vma and nothing to
// un-share.
void WipeOnReleaseV4::before_mark(World& w, ProcId p, PageRange r) const {
  for (Vpn q : pages_with_pte(w, p, r)) {
    if (fault(w, p, q, Access::Write).kind != Fault::Kind::Ok) return;
  }
}

// dup_mmap: `if ((tmp->vm_flags & (VM_WIPEONRELEASE|VM_WIPEONFORK)) == VM_WIPEONRELEASE)
// trigger_cow(tmp->vm_start, tmp->vm_end)`. trigger_cow walks current->mm, which during fork is
// the parent's: the parent takes the copy and the child keeps the original page.
void WipeOnReleaseV4::on_fork_pte(World& w, ProcId parent, Vpn page) const {
  if (!w.proc(parent).alive()) return;
  const Vma* v = w.proc(parent).mm.vmas.at(page);
  if (v == nullptr || !v->has(VmaFlag::WipeOnRelease) || v->has(VmaFlag::WipeOnFork)) return;
  if (!v->private_anon()) return;
  (void)fault(w, parent, page, Access::Write);  // a failure is ignored, as trigger_cow's is
}

}  // namespace mmsim::policies
