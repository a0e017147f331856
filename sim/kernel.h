// sim/kernel.h: the primitives every op and every policy builds on: frame references, PTE
// map/zap, page faults with copy-on-write and the shared zero page, swap-in through the swap
// cache, the page cache (and shmem swap-in) and VMA removal.
//
// Owns: the rules that keep refcounts honest. Invariant: each primitive leaves
// check_refcounts, check_mapcounts, check_free_pool and check_swap_slots (sim/invariants.h)
// true when they held before, and calls the policy hooks of sim/policy.h at the places
// docs/design.md lists, each with a HookContext (sim/hook_context.h).
#pragma once

#include <utility>
#include <vector>

#include "sim/policy.h"
#include "sim/world.h"

namespace mmsim {

// --- frames ---
// A free frame, refcount 0 and state Used, or none when memory is full. Contents untouched.
FrameId alloc_page(World& w);
void get_page(World& w, FrameId f, uint32_t n = 1);
// Drops n references; at 0 the frame is freed: on_free hook, secretmem zeroing, free pool. A
// frame held only by the swap cache is removed from it and freed at once (docs/model.md).
void put_page(World& w, FrameId f, uint32_t n = 1);
// The only ways a page's contents change, so that a Real4K payload stays in step with the value.
void zero_page(World& w, FrameId f);
void set_value(World& w, FrameId f, Value v);       // a user store or a DMA write of the whole page
void copy_page(World& w, FrameId dst, FrameId src);  // COW, copy at fork, migration
// What a page holds: the frame's value, or 0 for the shared zero page (kZeroPage).
Value page_value(const World& w, FrameId f);

// --- rmap ---
struct Mapping {
  ProcId proc;
  Vpn page;
};
// Every PTE that maps f, in process then address order (the rmap walk).
std::vector<Mapping> rmap(const World& w, FrameId f);

// --- PTEs ---
// Maps f at page p of proc: mapcount +1, refcount +1, mlock_count +1 in a locked VMA.
void map_pte(World& w, ProcId proc, Vpn p, FrameId f);
// Removes the mapping of a present PTE from f's counts (not the refcount): mapcount -1 and
// mlock_count -1; calls on_last_unmap when the mapcount reaches 0.
void remove_rmap(World& w, FrameId f, const Vma& vma, UnmapCause cause);
// Zaps the PTE at page p (present or swap). Calls on_zap_pte for a present page.
void zap_pte(World& w, ProcId proc, Vpn p, ZapCause cause);
void zap_range(World& w, ProcId proc, PageRange r, ZapCause cause);
// Zaps r and removes its VMAs; drops files that no VMA maps any more.
void remove_vmas(World& w, ProcId proc, PageRange r, ZapCause cause);

// --- faults ---
enum class Access : uint8_t {
  Read,
  Write,
  Unshare,  // FAULT_FLAG_UNSHARE: what a R/O FOLL_PIN does to a COW-shared anonymous page
  // FAULT_FLAG_UNSHARE from a R/O FOLL_LONGTERM pin: gup_must_unshare (mm/internal.h) also
  // unshares a page-cache page in a COW mapping and the shared zero page.
  UnshareLongterm,
};
// An Ok fault names the frame it mapped, or kZeroPage when it mapped the shared zero page.
struct Fault {
  enum class Kind : uint8_t { Ok, Segv, Oom };
  Kind kind = Kind::Ok;
  FrameId frame;
};
// Resolves an access to page p of proc: zero fill, page-cache lookup, swap-in, COW.
Fault fault(World& w, ProcId proc, Vpn p, Access access);
// The one call site of on_fault_in: a fault (or fork's copy of a pinned page) mapped f into
// vma. fault.cpp calls it from each way a fault maps a frame, ops_task.cpp from fork's copy.
void fault_mapped(World& w, ProcId proc, const Vma& vma, FrameId f, FaultIn how);
// Turns a failed fault into the op result and kills the process (SIGSEGV, OOM kill), except
// an OOM in a MAP_DROPPABLE mapping, which kills nobody: the op ends with ENOMEM.
Result fault_failure(World& w, ProcId proc, Vpn p, Fault f);

// --- swap ---
void swap_put(World& w, SlotId s);
FrameId swap_cache_lookup(const World& w, SlotId s);

// --- files ---
FileId new_file(World& w, FileKind kind, uint32_t pages);
// The page-cache frame of a file page, allocated zeroed on first use; none when memory is full.
FrameId file_page(World& w, FileId file, uint32_t index);
void drop_unmapped_files(World& w);

// --- mlock ---
// do_mlock (mm/mlock.c): VM_LOCKED on the VMAs up to the first hole (mlock_fixup), their
// present pages mlocked, then __mm_populate of the rest. MlockHook::Run calls on_mlock after
// the lock and before the populate (the mlock syscall); Skip does not (a policy's own
// MAP_LOCKED, HookContext::mlock_populate). Defined in ops_map.cpp with the other VMA walks.
enum class MlockHook : uint8_t { Run, Skip };
Result mlock_range(World& w, ProcId p, PageRange r, MlockHook hook);

// --- processes ---
// Zaps every VMA of proc (exit, kill, exec); the caller sets the new state.
void teardown_mm(World& w, ProcId proc, ZapCause cause);
void kill_process(World& w, ProcId proc, ProcState how);

}  // namespace mmsim
