// sim/apply.h: applying an Op to a World. This is the only way a World changes.
//
// Owns: op dispatch, name resolution and page-granularity splitting. Invariant: apply never
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

// The concrete choices of a choice op (`reclaim` with no target), in a fixed order; an op
// that is not a choice point is its own only choice.
std::vector<Op> choices(const World& w, const Op& op);

}  // namespace mmsim
