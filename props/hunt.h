// props/hunt.h: hunting an expected break: run the promise's property under the policy from a
// fixed seed until rapidcheck finds a counterexample, shrink it, and replay its litmus form
// with the model checker.
//
// Owns: the hunt budget and the round trip. Invariant: a hunt's outcome depends only on
// (policy, promise, seed, budget) and the code, so the runs-to-find and the shrunk length that
// docs/properties.md reports are reproducible.
#pragma once

#include <optional>
#include <string>

#include "props/prop_testing.h"

namespace mmsim::props {

struct HuntResult {
  PropOutcome outcome;
  size_t shrunk_steps = 0;         // the program rapidcheck's shrinking left
  std::optional<Failure> failure;  // the counterexample after minimize()
  std::string litmus;              // its litmus text
  std::string path;                // where it was written
};

// Runs `promise`'s property under `policy` (only that promise enabled) for up to `budget`
// programs from `seed`.
HuntResult hunt(PolicyId policy, Promise promise, uint64_t seed, int budget);

// A last pass over a shrunk counterexample: drop single steps, then pairs of steps, while the
// same promise still breaks (a 1- and 2-minimal program). rapidcheck's command shrinking drops
// contiguous ranges only, so a pipe's splice and the read that consumed it, far apart, stay.
Failure minimize(PolicyId policy, const Failure& f);

// The fixed seed of a hunt: a function of the cell, so each hunt is independent of the others.
uint64_t hunt_seed(PolicyId policy, Promise promise);

// Parses the litmus text and runs it with the model checker under `policy`: true when the run
// shows the violation (a model error for an invariant, otherwise the check fails). `why`
// receives the run's verdict line.
bool replays(const std::string& litmus_text, PolicyId policy, std::string* why);

}  // namespace mmsim::props
