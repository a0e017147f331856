// sim/policies/mlockedonfree.cpp: see mlockedonfree.h. Quotes: v1
// lore:20231202134218.151074-1-yjnworkstation@gmail.com, v3 (ba42b524a040)
// lore:20240329145605.149917-1-yjnworkstation@gmail.com, revert
// lore:20240605091710.38961-1-david@redhat.com.
#include "sim/policies/mlockedonfree.h"

#include "sim/kernel.h"
#include "sim/policies/common.h"

namespace mmsim::policies {

// --- v1 ---

// mlock_folio()/mlock_new_folio(): when a folio becomes mlocked, `if
// (want_init_mlocked_on_free()) folio_set_ofinit(folio)`. The mlock walk reaches every present
// page of the range after the core populated it.
void MlockedOnFreeV1::on_mlock(World& w, ProcId p, PageRange r) const {
  for (const PresentPage& pp : present_pages(w, p, r)) {
    Frame& fr = w.frame(pp.frame);
    if (fr.mlocked()) fr.set(FrameFlag::PolicyMark);
  }
}

// munlock()/munlockall() pass cofinit=1 down to __munlock_folio(), which clears PG_ofinit when
// it clears PG_mlocked, i.e. when no other locked VMA still maps the page. munmap, exit and exec
// munlock with cofinit=0 and never reach this hook (ops_map.cpp calls it for munlock only).
void MlockedOnFreeV1::on_munlock(World& w, ProcId p, PageRange r) const {
  for (const PresentPage& pp : present_pages(w, p, r)) {
    Frame& fr = w.frame(pp.frame);
    if (!fr.mlocked()) fr.clear(FrameFlag::PolicyMark);
  }
}

// A page faulted into a VM_LOCKED VMA is mlocked by mlock_new_folio() (zero fill, COW copy,
// swap read) or, for a page that already existed (a swap-cache or page-cache page), by
// mlock_vma_folio() when the rmap is added; mlock_folio() sets PG_ofinit in both.
void MlockedOnFreeV1::on_fault_in(World& w, ProcId, const Vma&, FrameId f, FaultIn) const {
  if (w.frame(f).mlocked()) w.frame(f).set(FrameFlag::PolicyMark);
}

// free_pages_prepare(): `init = want_init_on_free() || PageOfinit(page)`.
void MlockedOnFreeV1::on_free(World& w, FrameId f) const {
  if (w.frame(f).has(FrameFlag::PolicyMark)) zero_page(w, f);
}

// folio_migrate_flags() does not copy PG_ofinit, but remove_migration_pte() maps the new page
// with page_add_anon_rmap(), which mlocks it again in a VM_LOCKED VMA (mlock_vma_folio ->
// mlock_folio -> folio_set_ofinit). The source keeps its flag and is zeroed when freed.
void MlockedOnFreeV1::on_migrate(World& w, FrameId, FrameId to) const {
  if (w.frame(to).mlocked()) w.frame(to).set(FrameFlag::PolicyMark);
}

// --- v3 ---

// zap_present_folio_ptes(): `if (want_init_mlocked_on_free() && folio_test_mlocked(folio) &&
// !delay_rmap && folio_test_anon(folio)) kernel_init_pages(page, folio_nr_pages(folio))`. The
// munlock of this PTE is batched (mlock_fbatch), so PG_mlocked still reads as it was before the
// zap: mlocked() counts this PTE too. Nothing looks at the mapcount or the refcount.
void MlockedOnFreeV3::on_zap_pte(World& w, const Vma&, const ZapInfo& z) const {
  const Frame& fr = w.frame(z.frame);
  if (fr.mlocked() && fr.has(FrameFlag::Anon)) zero_page(w, z.frame);
}

// --- vma ---

// mlock marks the VMAs it locked (mlock_fixup skips droppable VMAs: they stay unmarked).
void MlockedOnFreeVma::on_mlock(World& w, ProcId p, PageRange r) const {
  mark_vmas(w, p, r, VmaFlag::WipeMark, Mark::Set, VmaFlag::Locked);
}

// Only an explicit munlock clears the mark; munmap and exit drop the VMA with it.
void MlockedOnFreeVma::on_munlock(World& w, ProcId p, PageRange r) const {
  mark_vmas(w, p, r, VmaFlag::WipeMark, Mark::Clear);
}

namespace {
// The slow paths, out of line so that the common cases (an unmarked VMA at the last unmap, an
// empty queue at free) are one test with no stack frame.

// A zap or a COW copy drops this mapping's reference right after the unmap: when that is the
// only reference, the frame is freed next, so it is zeroed now and never queued (no allocation
// on the common path). Reclaim and migration still read the page after the unmap: queued.
[[gnu::noinline]] void zero_or_queue(World& w, FrameId f, UnmapCause cause) {
  const bool dropping = cause == UnmapCause::Zap || cause == UnmapCause::CowCopy;
  if (dropping && w.frame(f).refcount == 1) {
    zero_page(w, f);
    return;
  }
  w.wipe_queue.insert(f);
}

// An O(log n) lookup and erase.
[[gnu::noinline]] void wipe_if_queued(World& w, FrameId f) {
  if (w.wipe_queue.erase(f) != 0) zero_page(w, f);
}
}  // namespace

// The last mapping left a marked VMA, for any reason (zap, reclaim, migration, COW copy): the
// frame is zeroed now if nothing else holds it, else queued and zeroed only when its last
// reference goes (RULE 0, pin-safe). The design sets the mark in mlock_fixup together with
// VM_LOCKED (on_mlock runs before the populate).
void MlockedOnFreeVma::on_last_unmap(World& w, FrameId f, UnmapCause cause, const Vma& v) const {
  if (v.has(VmaFlag::WipeMark)) zero_or_queue(w, f, cause);
}

// free_pages_prepare(): one branch when nothing is queued, else the lookup.
void MlockedOnFreeVma::on_free(World& w, FrameId f) const {
  if (w.wipe_queue.empty()) return;
  wipe_if_queued(w, f);
}

}  // namespace mmsim::policies
