// sim/kernel.cpp: frame references, PTEs, the rmap walk, VMA removal and files. Faults and
// swap-in live in sim/fault.cpp. See kernel.h for the contract.
#include "sim/kernel.h"

#include <algorithm>
#include <cstring>

#include "sim/check.h"
#include "sim/hook_context.h"

namespace mmsim {

FrameId alloc_page(World& w) { return w.mem.take(); }

void get_page(World& w, FrameId f, uint32_t n) { w.frame(f).refcount += n; }

void put_page(World& w, FrameId f, uint32_t n) {
  Frame& fr = w.frame(f);
  SIM_ASSERT(fr.state == Frame::State::Used && fr.refcount >= n, "put_page underflow");
  fr.refcount -= n;
  if (fr.refcount == 1 && fr.swap_slot.valid() && fr.mapcount == 0) {
    // Only the swap cache holds it: reclaim would free it next; the model does so now.
    fr.swap_slot = SlotId::none();
    fr.refcount = 0;
  }
  if (fr.refcount != 0) return;
  {
    HookContext ctx(w, Hook::Free);
    policy_of(w).on_free(ctx, f);
  }
  if (w.frame(f).has(FrameFlag::SecretMem)) zero_page(w, f);  // secretmem_free_folio
  w.mem.give_back(f);
}

void zero_page(World& w, FrameId f) {
  w.frame(f).value = 0;
  if (!w.payload.empty()) std::memset(&w.payload[f.index() * kPageBytes], 0, kPageBytes);
}

void set_value(World& w, FrameId f, Value v) {
  w.frame(f).value = v;
  if (!w.payload.empty()) std::memset(&w.payload[f.index() * kPageBytes], static_cast<int>(v & 0xFF), kPageBytes);
}

void copy_page(World& w, FrameId dst, FrameId src) {
  w.frame(dst).value = w.frame(src).value;
  if (!w.payload.empty()) {
    std::memcpy(&w.payload[dst.index() * kPageBytes], &w.payload[src.index() * kPageBytes], kPageBytes);
  }
}

Value page_value(const World& w, FrameId f) { return f.valid() ? w.frame(f).value : 0; }

std::vector<Mapping> rmap(const World& w, FrameId f) {
  std::vector<Mapping> out;
  if (!f.valid()) return out;  // the zero page has no rmap (it is no vm_normal_page)
  for (size_t i = 0; i < w.procs.size(); ++i) {
    for (const auto& [p, pte] : w.procs[i].mm.ptes) {
      if (pte.frame == f) out.push_back({ProcId{static_cast<uint16_t>(i)}, p});
    }
  }
  return out;
}

void map_pte(World& w, ProcId proc, Vpn p, FrameId f) {
  Mm& mm = w.proc(proc).mm;
  const Vma* vma = mm.vmas.at(p);
  SIM_ASSERT(vma != nullptr, "map_pte outside a VMA");
  mm.ptes[p] = Pte{f, SlotId::none()};
  Frame& fr = w.frame(f);
  fr.mapcount++;
  fr.refcount++;
  if (vma->has(VmaFlag::Locked)) fr.mlock_count++;
}

void remove_rmap(World& w, FrameId f, const Vma& vma, UnmapCause cause) {
  Frame& fr = w.frame(f);
  SIM_ASSERT(fr.mapcount > 0, "remove_rmap of an unmapped frame");
  fr.mapcount--;
  if (vma.has(VmaFlag::Locked)) fr.mlock_count--;
  if (fr.mapcount == 0) {
    HookContext ctx(w, Hook::LastUnmap);
    policy_of(w).on_last_unmap(ctx, f, cause, vma);
  }
}

void zap_pte(World& w, ProcId proc, Vpn p, ZapCause cause) {
  Mm& mm = w.proc(proc).mm;
  auto it = mm.ptes.find(p);
  if (it == mm.ptes.end()) return;
  const Pte pte = it->second;
  mm.ptes.erase(it);
  if (pte.slot.valid()) {
    swap_put(w, pte.slot);
    return;
  }
  if (pte.zero_page()) return;  // zap_present_ptes: the zero page is no vm_normal_page
  const Vma vma = *mm.vmas.at(p);  // a copy: hooks may change the VMA set
  {
    HookContext ctx(w, Hook::ZapPte);
    policy_of(w).on_zap_pte(ctx, vma, ZapInfo{proc, p, pte.frame, cause});
  }
  remove_rmap(w, pte.frame, vma, UnmapCause::Zap);
  put_page(w, pte.frame);
}

void zap_range(World& w, ProcId proc, PageRange r, ZapCause cause) {
  std::vector<Vpn> pages;
  const Mm& mm = w.proc(proc).mm;
  for (auto it = mm.ptes.lower_bound(r.begin); it != mm.ptes.end() && it->first < r.end; ++it) {
    pages.push_back(it->first);
  }
  for (Vpn p : pages) zap_pte(w, proc, p, cause);
}

void remove_vmas(World& w, ProcId proc, PageRange r, ZapCause cause) {
  zap_range(w, proc, r, cause);
  VmaSet& vs = w.proc(proc).mm.vmas;
  auto [first, last] = vs.isolate(r);
  vs.erase(first, last);
  drop_unmapped_files(w);
}

void swap_put(World& w, SlotId s) {
  SwapSlot& slot = w.swap.at(s);
  SIM_ASSERT(slot.refcount > 0, "swap_put underflow");
  if (--slot.refcount != 0) return;
  slot.state = SwapSlot::State::Free;  // the bytes stay on the device
  FrameId cached = swap_cache_lookup(w, s);
  if (cached.valid()) {
    w.frame(cached).swap_slot = SlotId::none();
    put_page(w, cached);
  }
}

FrameId swap_cache_lookup(const World& w, SlotId s) {
  for (size_t i = 0; i < w.mem.frames.size(); ++i) {
    const Frame& fr = w.mem.frames[i];
    if (fr.state == Frame::State::Used && fr.swap_slot == s) return FrameId{static_cast<uint16_t>(i)};
  }
  return FrameId::none();
}

FileId new_file(World& w, FileKind kind, uint32_t pages) {
  FileObj f;
  f.kind = kind;
  f.alive = true;
  f.cache.assign(pages, FrameId::none());
  // Reuse a dead file's slot so that long runs do not grow the table.
  for (size_t i = 0; i < w.files.size(); ++i) {
    if (!w.files[i].alive) {
      w.files[i] = f;
      return FileId{static_cast<uint16_t>(i)};
    }
  }
  w.files.push_back(f);
  return FileId{static_cast<uint16_t>(w.files.size() - 1)};
}

namespace {

// shmem_swapin_folio (mm/shmem.c): the swap-cache page, or the slot read into a new frame,
// goes back into the page cache; the swap-cache entry is deleted and the slot freed
// (delete_from_swap_cache, swap_free), so a shmem page is in RAM or in swap, not both.
FrameId shmem_swapin(World& w, FileId file, uint32_t index, SlotId s) {
  FrameId f = swap_cache_lookup(w, s);
  if (f.valid()) {
    w.frame(f).swap_slot = SlotId::none();  // its swap-cache reference becomes the page cache's
  } else {
    f = alloc_page(w);
    if (!f.valid()) return f;
    set_value(w, f, w.swap.at(s).value);  // swap_read_folio
    w.frame(f).refcount = 1;              // the page cache's reference
  }
  Frame& fr = w.frame(f);
  fr.file = file;
  fr.file_page = index;
  w.file(file).cache[index] = f;
  w.file(file).swapped[index] = SlotId::none();
  swap_put(w, s);
  return f;
}

}  // namespace

FrameId file_page(World& w, FileId file, uint32_t index) {
  FrameId cached = w.file(file).cache[index];
  if (cached.valid()) return cached;
  if (SlotId s = w.file(file).swapped_at(index); s.valid()) return shmem_swapin(w, file, index, s);
  FrameId f = alloc_page(w);
  if (!f.valid()) return f;
  Frame& fr = w.frame(f);
  zero_page(w, f);  // files start empty; memfd_secret pages are allocated __GFP_ZERO
  fr.file = file;
  fr.file_page = index;
  fr.refcount = 1;  // the page cache's reference
  if (w.file(file).kind == FileKind::Secret) {
    fr.set(FrameFlag::SecretMem);
    fr.clear(FrameFlag::DirectMap);  // set_direct_map_invalid_noflush
  }
  w.file(file).cache[index] = f;
  return f;
}

void drop_unmapped_files(World& w) {
  for (size_t i = 0; i < w.files.size(); ++i) {
    FileObj& file = w.files[i];
    if (!file.alive) continue;
    const FileId id{static_cast<uint16_t>(i)};
    bool mapped = std::any_of(w.procs.begin(), w.procs.end(), [&](const Process& p) {
      return std::any_of(p.mm.vmas.vmas.begin(), p.mm.vmas.vmas.end(),
                         [&](const Vma& v) { return v.file == id; });
    });
    if (mapped) continue;
    file.alive = false;
    std::vector<FrameId> cache = std::move(file.cache);
    file.cache.clear();
    std::vector<SlotId> swapped = std::move(file.swapped);
    file.swapped.clear();
    for (SlotId s : swapped) {  // shmem_evict_inode -> shmem_undo_range frees swap entries
      if (s.valid()) swap_put(w, s);
    }
    for (FrameId f : cache) {
      if (!f.valid()) continue;
      w.frame(f).file = FileId::none();
      put_page(w, f);
    }
  }
}

void teardown_mm(World& w, ProcId proc, ZapCause cause) {
  Mm& mm = w.proc(proc).mm;
  if (mm.vmas.vmas.empty()) return;
  PageRange all{mm.vmas.vmas.front().range.begin, mm.vmas.vmas.back().range.end};
  remove_vmas(w, proc, all, cause);
}

void kill_process(World& w, ProcId proc, ProcState how) {
  teardown_mm(w, proc, how == ProcState::Killed ? ZapCause::Kill : ZapCause::Exit);
  Process& p = w.proc(proc);
  p.mm = Mm{};
  p.state = how;
}

}  // namespace mmsim
