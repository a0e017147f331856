// props/harness.h: the system under test of the stateful properties: a World run step by step
// under one policy, with the reference model beside it. After every step it checks the
// invariants of sim/invariants.h, the step's result against the reference model, and the
// World predicates of the enabled promises.
//
// Owns: one run (World, RefModel, the program of the steps that ran). Invariant: program()
// holds exactly the steps that changed or observed the World, in order: a step whose actor
// cannot run (its process is gone, or processes and devices are frozen by a suspend) is not
// run and not recorded, as the litmus checker would never run it either.
#pragma once

#include <optional>
#include <string>

#include "props/coverage.h"
#include "props/program.h"
#include "props/promises.h"
#include "props/reference_model.h"

namespace mmsim::props {

struct PromiseViolation {
  Promise promise = Promise::Invariants;
  std::string message;
  CheckSpec check;  // how the litmus form of the counterexample states it
};

class Harness {
 public:
  // Invariants are always checked; the other promises only when `enabled` has them.
  Harness(PolicyId policy, PromiseSet enabled, Coverage* coverage = nullptr);

  // Runs `s` if its actor can run; the first violated promise, if any.
  std::optional<PromiseViolation> run(const Step& s);

  [[nodiscard]] const Program& program() const { return program_; }
  [[nodiscard]] const World& world() const { return world_; }
  [[nodiscard]] const RefModel& reference() const { return ref_; }

 private:
  std::optional<PromiseViolation> check_observation(const Step& s, const Result& got,
                                                    const Expect& e) const;
  std::optional<PromiseViolation> check_world() const;

  World world_;
  RefModel ref_;
  PromiseSet enabled_;
  Coverage* coverage_;
  Program program_;
};

// Runs a fixed program (for example a parsed litmus init block) through a fresh Harness; the
// first violation, with the program cut after the step that showed it.
struct RunResult {
  Program program;
  std::optional<PromiseViolation> violation;
};
RunResult run_steps(PolicyId policy, PromiseSet enabled, const std::vector<Step>& steps);

}  // namespace mmsim::props
