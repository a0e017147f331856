// sim/policies/exclusive.cpp: see exclusive.h. Quotes are from the RFC patch
// (lore:1572171452-7958-2-git-send-email-rppt@kernel.org).
#include "sim/policies/exclusive.h"

#include "sim/kernel.h"
#include "sim/ops.h"

namespace mmsim::policies {

// ksys_mmap_pgoff: "MAP_EXCLUSIVE is only supported for private anonymous memory not backed by
// hugetlbfs". MAP_DROPPABLE is its own mapping type, not MAP_PRIVATE, so it is refused too.
std::optional<Errno> Exclusive::check_advice(const Vma& v, Advice) const {
  if (!v.private_anon() || v.has(VmaFlag::Droppable)) return Errno::Inval;
  return std::nullopt;
}

// MAP_EXCLUSIVE "impl[ies] MAP_LOCKED and MAP_POPULATE": the VMA is locked, then
// populate_vma_page_range() runs with FOLL_EXCLUSIVE, whose __get_user_pages() hook calls
// __set_page_user_exclusive() on every page it returns (flag set, direct map invalidated).
// populate uses FOLL_WRITE on writable private mappings (breaking COW), a read otherwise.
// mm_populate() errors are ignored, so a failure just ends the walk.
Result Exclusive::apply_advice(World& w, ProcId p, PageRange r, Advice) const {
  w.proc(p).mm.vmas.at(r.begin)->set(VmaFlag::Exclusive);
  (void)ops::mlock(w, p, r);  // MAP_LOCKED: VM_LOCKED, mlock counts, mlock's own populate
  const Vma* v = w.proc(p).mm.vmas.at(r.begin);
  const Access access = v->prot == Prot::ReadWrite ? Access::Write : Access::Read;
  for (Vpn q = r.begin; q < r.end; q = q + 1) {
    Fault f = fault(w, p, q, access);
    if (f.kind != Fault::Kind::Ok) break;
    if (f.frame == kZeroPage) continue;  // a read-only mapping's untouched page: nothing to mark
    Frame& fr = w.frame(f.frame);
    fr.set(FrameFlag::PolicyMark);
    fr.clear(FrameFlag::DirectMap);
  }
  return Result::ok();
}

// dup_mmap: `if (mpnt->vm_flags & VM_DONTCOPY || mpnt->vm_flags & VM_EXCLUSIVE) continue;`
ForkVma Exclusive::on_fork_vma(const Vma& v) const {
  return v.has(VmaFlag::Exclusive) ? ForkVma::Skip : ForkVma::Default;
}

// zap_pte_range: `if (page_is_user_exclusive(page)) __clear_page_user_exclusive(page)`: the
// flag goes and the direct map comes back. There is no clear_page: the secret stays (H19).
void Exclusive::on_zap_pte(World& w, const Vma&, const ZapInfo& z) const {
  Frame& fr = w.frame(z.frame);
  if (!fr.has(FrameFlag::PolicyMark)) return;
  fr.clear(FrameFlag::PolicyMark);
  fr.set(FrameFlag::DirectMap);
}

// The RFC has no migration hook: the new page comes from the allocator, in the direct map and
// without PG_user_exclusive (the core copied the source's DirectMap bit, so it is restored).
// The source is freed still flagged; __alloc_pages_nodemask's "FIXME: should not happen"
// clears it on reuse, which the free pool's reset models.
void Exclusive::on_migrate(World& w, FrameId from, FrameId to) const {
  if (w.frame(from).has(FrameFlag::PolicyMark)) w.frame(to).set(FrameFlag::DirectMap);
}

}  // namespace mmsim::policies
