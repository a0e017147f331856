// sim/process.h: a process, its mm (VMAs and page table) and the litmus names it has bound.
//
// Owns: one mm. Invariants (sim/invariants.h): every PTE lies inside a VMA (check_ptes_in_vmas);
// a PTE names at most one of a used frame or a used swap slot (neither: the zero page); a process that is not Running
// (or Exiting) has an empty mm.
#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "sim/types.h"
#include "sim/vma_set.h"

namespace mmsim {

// A page-table entry: a present frame, a swap entry, or (neither) the shared zero page that a
// read fault maps into private anonymous memory. There is no write bit: whether a write may go
// in place is decided at the write from the page's state (docs/model.md, COW).
struct Pte {
  FrameId frame;
  SlotId slot;
  [[nodiscard]] bool zero_page() const { return !frame.valid() && !slot.valid(); }
  bool operator==(const Pte&) const = default;
};

struct Mm {
  VmaSet vmas;
  std::map<Vpn, Pte> ptes;  // ordered: iteration order is part of the semantics (zap order)
  Vpn next_free{16};        // where the next mmap goes
  bool has_pinned = false;  // MMF_HAS_PINNED: set by the first FOLL_PIN, never cleared
  bool operator==(const Mm&) const = default;
};

// Where a litmus name (`x`) points in this process: pages [base, base + pages).
struct Binding {
  bool bound = false;
  Vpn base;
  uint32_t pages = 0;
  bool operator==(const Binding&) const = default;
};

enum class ProcState : uint8_t {
  Unborn,   // named by a `fork` that has not happened yet
  Running,
  Forking,  // a child whose fork is still copying pages (granularity page): cannot run yet
  Exiting,  // tearing down its mm (granularity page): its threads cannot run
  Exited,
  Killed,
};

struct Process {
  ProcState state = ProcState::Unborn;
  Mm mm;
  std::vector<Binding> names;  // indexed by NameId

  [[nodiscard]] bool alive() const { return state == ProcState::Running; }
  [[nodiscard]] bool gone() const { return state == ProcState::Exited || state == ProcState::Killed; }
  bool operator==(const Process&) const = default;
};

}  // namespace mmsim
