// sim/invariants.cpp: the invariant checks of invariants.h. Each recounts from the page tables,
// handles and files instead of trusting a cached counter.
#include "sim/invariants.h"

#include "sim/policy.h"

#include <algorithm>
#include <map>

namespace mmsim {
namespace {

std::string frame_name(size_t i) { return "frame " + std::to_string(i); }

struct Counts {
  std::vector<uint32_t> maps, locked, pins, pipes, cache;
  std::vector<uint32_t> slot_refs;
};

Counts recount(const World& w) {
  const size_t n = w.mem.frames.size();
  Counts c{std::vector<uint32_t>(n), std::vector<uint32_t>(n), std::vector<uint32_t>(n),
           std::vector<uint32_t>(n), std::vector<uint32_t>(n),
           std::vector<uint32_t>(w.swap.slots.size())};
  for (const Process& p : w.procs) {
    for (const auto& [q, pte] : p.mm.ptes) {
      if (pte.slot.valid() && pte.slot.index() < c.slot_refs.size()) c.slot_refs[pte.slot.index()]++;
      if (!pte.frame.valid() || pte.frame.index() >= n) continue;
      c.maps[pte.frame.index()]++;
      const Vma* v = p.mm.vmas.at(q);
      if (v != nullptr && v->has(VmaFlag::Locked)) c.locked[pte.frame.index()]++;
    }
  }
  for (const Handle& h : w.handles) {
    for (FrameId f : h.frames) {
      if (f.index() >= n) continue;
      (h.kind == Handle::Kind::Pin ? c.pins : c.pipes)[f.index()]++;
    }
  }
  for (const FileObj& file : w.files) {
    for (FrameId f : file.cache) {
      if (f.valid() && f.index() < n) c.cache[f.index()]++;
    }
    for (SlotId s : file.swapped) {  // a shmem page's swap entry in its mapping
      if (s.valid() && s.index() < c.slot_refs.size()) c.slot_refs[s.index()]++;
    }
  }
  return c;
}

}  // namespace

Violation check_refcounts(const World& w) {
  Counts c = recount(w);
  for (size_t i = 0; i < w.mem.frames.size(); ++i) {
    const Frame& f = w.mem.frames[i];
    const uint32_t want = c.maps[i] + kPinBias * c.pins[i] + c.pipes[i] + c.cache[i] +
                          (f.swap_slot.valid() ? 1u : 0u);
    if (f.refcount != want) {
      return frame_name(i) + " has refcount " + std::to_string(f.refcount) + " but " +
             std::to_string(c.maps[i]) + " mappings, " + std::to_string(c.pins[i]) + " pins, " +
             std::to_string(c.pipes[i]) + " pipe refs, " + std::to_string(c.cache[i]) +
             " page-cache refs and " + (f.swap_slot.valid() ? "1" : "0") + " swap-cache refs";
    }
  }
  return std::nullopt;
}

Violation check_mapcounts(const World& w) {
  Counts c = recount(w);
  for (size_t i = 0; i < w.mem.frames.size(); ++i) {
    const Frame& f = w.mem.frames[i];
    if (f.mapcount != c.maps[i]) {
      return frame_name(i) + " has mapcount " + std::to_string(f.mapcount) + " but " +
             std::to_string(c.maps[i]) + " PTEs map it";
    }
    if (f.mlock_count != c.locked[i]) {
      return frame_name(i) + " has mlock_count " + std::to_string(f.mlock_count) + " but " +
             std::to_string(c.locked[i]) + " locked PTEs map it";
    }
  }
  return std::nullopt;
}

Violation check_free_pool(const World& w) {
  std::vector<uint32_t> on_list(w.mem.frames.size());
  for (FrameId f : w.mem.free_list) {
    if (f.index() >= on_list.size()) return "free list names frame " + std::to_string(f.v) + " out of range";
    on_list[f.index()]++;
  }
  for (size_t i = 0; i < w.mem.frames.size(); ++i) {
    const Frame& f = w.mem.frames[i];
    const bool is_free = f.state == Frame::State::Free;
    if (is_free != (f.refcount == 0)) {
      return frame_name(i) + (is_free ? " is free with refcount " : " is used with refcount ") +
             std::to_string(f.refcount);
    }
    if (on_list[i] != (is_free ? 1u : 0u)) {
      return frame_name(i) + " is on the free list " + std::to_string(on_list[i]) + " times";
    }
    if (is_free && (f.mapcount || f.mlock_count || f.file.valid() || f.swap_slot.valid() ||
                    f.flags != static_cast<uint16_t>(FrameFlag::DirectMap))) {
      return frame_name(i) + " is free but keeps mappings, an owner or flags";
    }
  }
  return std::nullopt;
}

Violation check_no_dangling_frames(const World& w) {
  auto bad = [&](FrameId f) {
    return f.valid() && (f.index() >= w.mem.frames.size() || w.frame(f).state == Frame::State::Free);
  };
  for (size_t p = 0; p < w.procs.size(); ++p) {
    for (const auto& [q, pte] : w.procs[p].mm.ptes) {
      if (bad(pte.frame)) return "P" + std::to_string(p) + " maps free frame " + std::to_string(pte.frame.v);
      if (pte.frame.valid() && pte.slot.valid()) {
        return "P" + std::to_string(p) + " has a PTE at page " + std::to_string(q.v) +
               " that names both a frame and a slot";
      }
      const Vma* v = w.procs[p].mm.vmas.at(q);
      if (pte.zero_page() && v != nullptr && !v->private_anon()) {
        return "P" + std::to_string(p) + " maps the zero page at page " + std::to_string(q.v) +
               " outside private anonymous memory";
      }
    }
  }
  for (size_t h = 0; h < w.handles.size(); ++h) {
    for (FrameId f : w.handles[h].frames) {
      if (bad(f)) return "handle " + std::to_string(h) + " holds free frame " + std::to_string(f.v);
    }
  }
  for (size_t i = 0; i < w.files.size(); ++i) {
    for (FrameId f : w.files[i].cache) {
      if (bad(f)) return "file " + std::to_string(i) + " caches free frame " + std::to_string(f.v);
    }
  }
  return std::nullopt;
}

Violation check_ptes_in_vmas(const World& w) {
  for (size_t p = 0; p < w.procs.size(); ++p) {
    const auto& vmas = w.procs[p].mm.vmas.vmas;
    for (size_t i = 0; i < vmas.size(); ++i) {
      if (vmas[i].range.empty()) return "P" + std::to_string(p) + " has an empty VMA";
      if (i > 0 && vmas[i - 1].range.end > vmas[i].range.begin) {
        return "P" + std::to_string(p) + " has overlapping or unsorted VMAs";
      }
    }
    for (const auto& [q, pte] : w.procs[p].mm.ptes) {
      if (w.procs[p].mm.vmas.at(q) == nullptr) {
        return "P" + std::to_string(p) + " has a PTE at page " + std::to_string(q.v) + " outside every VMA";
      }
    }
  }
  return std::nullopt;
}

Violation check_swap_slots(const World& w) {
  Counts c = recount(w);
  for (size_t i = 0; i < w.swap.slots.size(); ++i) {
    const SwapSlot& s = w.swap.slots[i];
    if (s.refcount != c.slot_refs[i]) {
      return "slot " + std::to_string(i) + " has refcount " + std::to_string(s.refcount) + " but " +
             std::to_string(c.slot_refs[i]) + " swap PTEs and shmem swap entries";
    }
    if ((s.state == SwapSlot::State::Used) != (s.refcount > 0)) {
      return "slot " + std::to_string(i) + " is " + (s.refcount ? "free" : "used") +
             " with refcount " + std::to_string(s.refcount);
    }
  }
  for (size_t i = 0; i < w.mem.frames.size(); ++i) {
    SlotId s = w.mem.frames[i].swap_slot;
    if (s.valid() && (s.index() >= w.swap.slots.size() || w.swap.at(s).state != SwapSlot::State::Used)) {
      return frame_name(i) + " is in the swap cache of a free slot";
    }
  }
  return std::nullopt;
}

Violation check_files(const World& w) {
  for (size_t i = 0; i < w.files.size(); ++i) {
    const FileObj& file = w.files[i];
    if (!file.alive && !file.cache.empty()) return "dead file " + std::to_string(i) + " keeps a page cache";
    for (size_t k = 0; k < file.swapped.size(); ++k) {
      if (!file.swapped[k].valid()) continue;
      if (file.kind != FileKind::Shmem) return "non-shmem file " + std::to_string(i) + " has a swapped page";
      if (k < file.cache.size() && file.cache[k].valid()) {
        return "file " + std::to_string(i) + " page " + std::to_string(k) + " is both cached and swapped";
      }
    }
    for (size_t k = 0; k < file.cache.size(); ++k) {
      FrameId f = file.cache[k];
      if (!f.valid()) continue;
      const Frame& fr = w.frame(f);
      if (fr.file.index() != i || fr.file_page != k) {
        return frame_name(f.index()) + " is cached by file " + std::to_string(i) + " but claims another owner";
      }
      if (file.kind == FileKind::Secret && (fr.has(FrameFlag::DirectMap) || !fr.has(FrameFlag::SecretMem))) {
        return frame_name(f.index()) + " is a memfd_secret page left in the direct map";
      }
    }
  }
  return std::nullopt;
}

Violation check_exclusive_and_dead(const World& w) {
  for (size_t i = 0; i < w.mem.frames.size(); ++i) {
    const Frame& f = w.mem.frames[i];
    if (f.has(FrameFlag::AnonExclusive) && f.mapcount > 1) {
      return frame_name(i) + " is AnonExclusive but mapped " + std::to_string(f.mapcount) + " times";
    }
  }
  for (size_t p = 0; p < w.procs.size(); ++p) {
    const Process& pr = w.procs[p];
    if ((pr.gone() || pr.state == ProcState::Unborn) && (!pr.mm.ptes.empty() || !pr.mm.vmas.vmas.empty())) {
      return "P" + std::to_string(p) + " is not alive but has a mm";
    }
  }
  return std::nullopt;
}

Violation check_handles(const World& w) {
  for (size_t h = 0; h < w.handles.size(); ++h) {
    const Handle& hd = w.handles[h];
    if (hd.kind == Handle::Kind::Pin && !hd.active && !hd.frames.empty()) {
      return "unpinned handle " + std::to_string(h) + " still holds frames";
    }
    for (FrameId f : hd.frames) {
      if (hd.kind == Handle::Kind::Pin && f.index() < w.mem.frames.size() && w.frame(f).refcount < kPinBias) {
        return "pinned " + frame_name(f.index()) + " has refcount below the pin bias";
      }
    }
  }
  return std::nullopt;
}

// What every descriptor promises about the side state, then the policy's own check_state.
Violation check_policy_state(const World& w) {
  const PolicyDescriptor& d = descriptor_of(w);
  if (d.state != PolicyState::WipeQueue && !w.wipe_queue.empty()) {
    return "the wipe queue is not empty under " + std::string(d.name) + ", which declares none";
  }
  for (FrameId f : w.wipe_queue) {
    if (f.index() >= w.mem.frames.size() || w.frame(f).state != Frame::State::Used) {
      return "the wipe queue names " + frame_name(f.index()) + ", which is not in use";
    }
  }
  if (d.check_state != nullptr) return d.check_state(w);
  return std::nullopt;
}

const std::vector<NamedCheck>& all_checks() {
  static const std::vector<NamedCheck> checks{
      {"free_pool", check_free_pool},
      {"no_dangling_frames", check_no_dangling_frames},
      {"ptes_in_vmas", check_ptes_in_vmas},
      {"refcounts", check_refcounts},
      {"mapcounts", check_mapcounts},
      {"swap_slots", check_swap_slots},
      {"files", check_files},
      {"exclusive_and_dead", check_exclusive_and_dead},
      {"handles", check_handles},
      {"policy_state", check_policy_state},
  };
  return checks;
}

Violation check_all(const World& w) {
  for (const NamedCheck& c : all_checks()) {
    if (Violation v = c.fn(w)) return std::string(c.name) + ": " + *v;
  }
  return std::nullopt;
}

}  // namespace mmsim
