// sim/invariants.h: the global invariants of the model, each written once as a function that
// recomputes its quantity from first principles and compares it with what the World caches.
// The simulator tests, the model checker (every state) and the property tests (every command)
// all call these same functions.
//
// Owns: the definition of a well-formed World. Each check returns the first violation it finds
// as a sentence naming the objects involved, or nothing.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/world.h"

namespace mmsim {

using Violation = std::optional<std::string>;

// refcount == mapcount + kPinBias * pins + pipe refs + page-cache ref + swap-cache ref.
Violation check_refcounts(const World& w);
// mapcount == the PTEs that name the frame; mlock_count == those inside VM_LOCKED VMAs.
Violation check_mapcounts(const World& w);
// A frame is Free exactly when its refcount is 0, and then it is on the free list once and
// carries no mapping, owner or flag but DirectMap.
Violation check_free_pool(const World& w);
// No PTE, pin, pipe or page cache names a free frame; no PTE names both a frame and a slot;
// a PTE naming neither (the shared zero page) lies in private anonymous memory.
Violation check_no_dangling_frames(const World& w);
// Every PTE lies inside a VMA of its mm; VMAs are sorted, non-empty and disjoint.
Violation check_ptes_in_vmas(const World& w);
// A used slot's refcount equals the swap PTEs and shmem swap entries naming it; no PTE names
// a free slot.
Violation check_swap_slots(const World& w);
// A page-cache frame belongs to a live file at the index it claims; memfd_secret pages are out
// of the direct map and never anonymous; only shmem pages are swapped, and never while cached.
Violation check_files(const World& w);
// An AnonExclusive page is mapped at most once; a process that is gone has an empty mm.
Violation check_exclusive_and_dead(const World& w);
// Active pins hold used frames with at least kPinBias references each.
Violation check_handles(const World& w);
// Policy-owned state: the wipe queue names only used frames; under exclusive a marked (secret)
// frame is out of the direct map.
Violation check_policy_state(const World& w);

struct NamedCheck {
  std::string_view name;
  Violation (*fn)(const World&);
};
const std::vector<NamedCheck>& all_checks();

// Runs every check; the first violation, prefixed with the check's name.
Violation check_all(const World& w);

}  // namespace mmsim
