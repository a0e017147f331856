// sim/apply.h: applying an Op to a World. This is the only way a World changes.
//
// Owns: op dispatch, name resolution, page-granularity splitting and the mmap_lock rule that
// says which page steps of one process's threads exclude each other. Invariant: apply never
// leaves a World that fails check_all (sim/invariants.h) when it was given one that passed;
// a failing op returns its errno and changes nothing it would not change on Linux.
#pragma once

#include <optional>
#include <vector>

#include "sim/op.h"
#include "sim/world.h"

namespace mmsim {

enum class Granularity : uint8_t { PerOp, PerPage };

// The result of one step. `rest` holds the remaining steps of the same op at page granularity
// (empty at op granularity, where the whole op runs in one step).
struct Outcome {
  Result result;
  std::vector<Op> rest;
};

Outcome apply(World& w, Actor actor, const Op& op, Granularity g = Granularity::PerOp);

// Runs an op and all of its continuation steps at once; what granularity op means.
Result apply_all(World& w, Actor actor, const Op& op);

// Folds the result of a later step into the op's result: the first non-ok result wins.
Result combine(Result so_far, Result step);

// The pages an address names in proc, or nothing when the name is unbound there or the slice
// lies outside the mapping as it was created.
std::optional<PageRange> resolve(const World& w, ProcId proc, const AddrRef& a);

// Whether an actor may take a step now: its process exists and runs, and the machine is not
// frozen by a suspend (only the system runs while frozen).
bool actor_runnable(const World& w, Actor actor);
// Whether an actor's thread has ended for good (its process exited or was killed).
bool actor_gone(const World& w, Actor actor);

// mmap_lock at granularity page (docs/model.md has the table). The lock an op that runs in
// several steps holds on its actor's mm from its first step to its last: Write for fork
// (dup_mmap: mmap_write_lock_killable(oldmm) and vma_start_write on every parent VMA),
// mprotect, munlock and the madvise advices madvise_need_mmap_write() says need it; Read for
// munmap (it downgrades after detaching the VMAs), mlock (it populates under the read lock)
// and the other advices; None for loads and stores (each fault takes it for itself) and for
// the ops of one step. Exit, kill and exec have no other thread of their mm left to run.
enum class MmapLock : uint8_t { None, Read, Write };
MmapLock mmap_lock_held(const Op& op);
// Whether `op`, as the next step of another thread of `proc`, must wait while a step sequence
// holding proc's mmap_lock for write is under way: every op that takes mmap_lock (or falls back
// to it: GUP-fast sees fork's write_protect_seq and retries under the lock), and a load or
// store that needs a page fault. A load of a present page, or a store to a present page that
// is still writable (not yet write-protected by fork), needs none and runs.
bool waits_for_mmap_write(const World& w, ProcId proc, const Op& op);

// The concrete choices of a choice op (`reclaim` with no target), in a fixed order; an op
// that is not a choice point is its own only choice.
std::vector<Op> choices(const World& w, const Op& op);

}  // namespace mmsim
