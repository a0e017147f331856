// sim/vma_set.h: the ordered set of VMAs of one mm (the maple tree of struct mm_struct).
//
// Owns: the VMAs of one mm. Invariant (check_vmas): VMAs are sorted by start, non-empty and
// pairwise disjoint. Splits keep every attribute; merge() joins neighbours whose attributes
// are equal and whose file offsets are contiguous, as vma_merge does.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "sim/vma.h"

namespace mmsim {

struct VmaSet {
  std::vector<Vma> vmas;

  // The index of the VMA containing p, if any.
  [[nodiscard]] std::optional<size_t> find(Vpn p) const;
  [[nodiscard]] const Vma* at(Vpn p) const;
  [[nodiscard]] Vma* at(Vpn p);
  // Splits so that no VMA crosses r.begin or r.end; returns the indices [first, last) of the
  // VMAs inside r afterwards.
  std::pair<size_t, size_t> isolate(PageRange r);
  // Joins mergeable neighbours everywhere.
  void merge();
  // Inserts a VMA that overlaps none.
  void insert(const Vma& v);
  // Removes the VMAs in [first, last).
  void erase(size_t first, size_t last);
  // Pages of r not covered by any VMA (holes), as a count.
  [[nodiscard]] uint32_t uncovered(PageRange r) const;
  // The part of r from r.begin up to the first hole: what apply_vma_lock_flags (mm/mlock.c)
  // and do_mprotect_pkey (mm/mprotect.c) change before they meet the hole and return ENOMEM.
  // Empty when r.begin itself lies in a hole.
  [[nodiscard]] PageRange covered_prefix(PageRange r) const;
  bool operator==(const VmaSet&) const = default;
};

}  // namespace mmsim
