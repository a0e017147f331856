// sim/ops_reclaim.cpp: reclaim to swap (shrink_folio_list: add_to_swap, try_to_unmap, pageout;
// shmem_writeout for shmem pages), MAP_DROPPABLE discard, and migration (try_to_migrate, copy,
// remove_migration_ptes; a swap-cache page takes its swap entry along).
#include <algorithm>

#include "sim/check.h"
#include "sim/ops.h"

namespace mmsim::ops {
namespace {

bool is_shmem_page(const World& w, const Frame& fr) {
  return fr.file.valid() && w.file(fr.file).kind == FileKind::Shmem;
}

// Why page q of p cannot be reclaimed, or nothing when it can.
std::optional<Errno> not_reclaimable(const World& w, ProcId p, Vpn q) {
  const Mm& mm = w.proc(p).mm;
  const Vma* v = mm.vmas.at(q);
  if (v == nullptr) return Errno::NoMem;
  auto it = mm.ptes.find(q);
  if (it == mm.ptes.end() || !it->second.frame.valid()) return Errno::NoEnt;
  const Frame& fr = w.frame(it->second.frame);
  if (v->has(VmaFlag::Locked) || v->has(VmaFlag::Secret) || fr.mlocked()) return Errno::Perm;
  // shmem pages (MAP_SHARED|MAP_ANONYMOUS, memfd) are swap-backed: shmem_writeout. Regular file
  // pages have no swap (their writeback goes to the file: nothing a `swap has` could see) and
  // memfd_secret is unevictable (mapping_set_unevictable): both stay EINVAL.
  if (is_shmem_page(w, fr)) return fr.maybe_pinned() ? std::optional<Errno>(Errno::Busy) : std::nullopt;
  if (!v->private_anon() || !fr.has(FrameFlag::Anon)) return Errno::Inval;
  if (fr.maybe_pinned()) return Errno::Busy;
  if (v->has(VmaFlag::Droppable) && fr.refcount > fr.mapcount) return Errno::Again;
  return std::nullopt;
}

// Unmaps every PTE of f (try_to_unmap), replacing each by `slot` or by nothing (discard).
uint32_t unmap_all(World& w, FrameId f, SlotId slot, UnmapCause cause) {
  std::vector<Mapping> maps = rmap(w, f);
  for (const Mapping& m : maps) {
    Mm& mm = w.proc(m.proc).mm;
    const Vma vma = *mm.vmas.at(m.page);
    if (slot.valid()) {
      mm.ptes[m.page] = Pte{FrameId::none(), slot};
      w.swap.at(slot).refcount++;
    } else {
      mm.ptes.erase(m.page);
    }
    remove_rmap(w, f, vma, cause);
  }
  return static_cast<uint32_t>(maps.size());
}

}  // namespace

// shrink_folio_list for a shmem folio: try_to_unmap removes every PTE (a file page leaves no
// swap PTE: the next fault finds it through the file), then shmem_writeout moves the folio
// from the page cache to the swap cache, leaves a swap entry in the file's mapping
// (shmem_delete_from_page_cache(folio, swp_to_radix_entry(swap))) and pageout writes it. The
// page cache's reference becomes the swap cache's, which frees the page once nothing else
// holds it.
Result reclaim_shmem(World& w, FrameId f) {
  const SlotId slot = w.swap.take();
  if (!slot.valid()) return Result::error(Errno::NoSpc);
  const uint32_t n = unmap_all(w, f, SlotId::none(), UnmapCause::Reclaim);
  Frame& fr = w.frame(f);
  FileObj& file = w.file(fr.file);
  if (file.swapped.size() < file.cache.size()) file.swapped.resize(file.cache.size());
  file.cache[fr.file_page] = FrameId::none();
  file.swapped[fr.file_page] = slot;
  w.swap.at(slot).refcount = 1;  // the file's swap entry
  fr.file = FileId::none();
  fr.file_page = 0;
  fr.swap_slot = slot;
  w.swap.at(slot).value = fr.value;
  put_page(w, f, n);
  return Result::ok();
}

Result reclaim_page(World& w, ProcId p, Vpn q) {
  if (!p.valid()) return Result::error(Errno::Again);  // `reclaim` found nothing eligible
  if (auto err = not_reclaimable(w, p, q)) return Result::error(*err);
  const FrameId f = w.proc(p).mm.ptes.at(q).frame;
  if (is_shmem_page(w, w.frame(f))) return reclaim_shmem(w, f);
  if (w.proc(p).mm.vmas.at(q)->has(VmaFlag::Droppable)) {
    put_page(w, f, unmap_all(w, f, SlotId::none(), UnmapCause::Reclaim));  // dropped, not swapped
    return Result::ok();
  }
  // A page still in the swap cache (mapped again while a sharer's swap entry kept its slot)
  // keeps that slot: add_to_swap runs only for a folio not in the swap cache already, and
  // try_to_unmap installs the folio's existing swap entry.
  SlotId slot = w.frame(f).swap_slot;
  if (!slot.valid()) {
    slot = w.swap.take();
    if (!slot.valid()) return Result::error(Errno::NoSpc);
    get_page(w, f);  // the swap cache's reference
    w.frame(f).swap_slot = slot;
  }
  const uint32_t n = unmap_all(w, f, slot, UnmapCause::Reclaim);
  w.swap.at(slot).value = w.frame(f).value;  // pageout() writes after the unmap
  put_page(w, f, n);
  return Result::ok();
}

std::vector<Op> reclaim_choices(const World& w) {
  std::vector<Op> out;
  std::vector<FrameId> seen;
  for (size_t i = 0; i < w.procs.size(); ++i) {
    const ProcId p{static_cast<uint16_t>(i)};
    for (const auto& [q, pte] : w.procs[i].mm.ptes) {
      if (!pte.frame.valid() || not_reclaimable(w, p, q)) continue;
      if (std::find(seen.begin(), seen.end(), pte.frame) != seen.end()) continue;
      seen.push_back(pte.frame);
      out.push_back(ReclaimPage{p, q});
    }
  }
  if (out.empty()) out.push_back(ReclaimPage{ProcId::none(), Vpn{}});
  return out;
}

Result migrate(World& w, ProcId p, Vpn q) {
  const Mm& mm = w.proc(p).mm;
  const Vma* v = mm.vmas.at(q);
  if (v == nullptr) return Result::error(Errno::NoMem);
  auto it = mm.ptes.find(q);
  if (it == mm.ptes.end() || !it->second.frame.valid()) return Result::error(Errno::NoEnt);
  const FrameId old = it->second.frame;
  const Frame& of = w.frame(old);
  if (v->has(VmaFlag::Secret) || of.maybe_pinned()) return Result::error(Errno::Busy);
  // folio_expected_ref_count (include/linux/mm.h): the mappings, plus one for the page cache
  // or one for the swap cache. A swap-cache page migrates: __folio_migrate_mapping moves the
  // swap-cache entry to the new folio (it is not EAGAIN); any other reference (a pipe) is.
  const uint32_t cache_refs = of.file.valid() || of.swap_slot.valid() ? 1u : 0u;
  if (of.refcount != of.mapcount + cache_refs) return Result::error(Errno::Again);
  const FrameId nf = alloc_page(w);
  if (!nf.valid()) return Result::error(Errno::NoMem);
  std::vector<Mapping> maps = rmap(w, old);
  unmap_all(w, old, SlotId::none(), UnmapCause::Migrate);
  Frame& dst = w.frame(nf);
  const Frame& src = w.frame(old);
  copy_page(w, nf, old);  // copied after the unmap, as migrate_folio does
  dst.flags = static_cast<uint16_t>(src.flags & ~static_cast<uint16_t>(FrameFlag::PolicyMark));
  if (src.file.valid()) {
    dst.file = src.file;
    dst.file_page = src.file_page;
    dst.refcount = 1;
    w.file(src.file).cache[src.file_page] = nf;
  }
  if (src.swap_slot.valid()) {  // the swap cache's reference moves with its entry
    dst.swap_slot = src.swap_slot;
    dst.refcount = 1;
    w.frame(old).swap_slot = SlotId::none();
  }
  for (const Mapping& m : maps) map_pte(w, m.proc, m.page, nf);
  {
    HookContext ctx(w, Hook::Migrate);
    policy_of(w).on_migrate(ctx, old, nf);
  }
  put_page(w, old, static_cast<uint32_t>(maps.size()) + cache_refs);
  return Result::ok();
}

}  // namespace mmsim::ops
