// props/gen.h: the rapidcheck state-machine model: one rc::state command per op of the litmus
// language, generated from a belief about the machine and biased toward the cases where the
// hazards live: overlapping ranges, pinned and spliced pages, COW-shared pages after fork,
// ranges marked by the policy's advice, reclaim and migration of those pages, suspend/resume.
//
// The rc::state Model is `GenModel`, a belief (the reference model fed with the results it
// expects) used only to choose arguments; it never judges a result. The system under test is the
// Harness, which runs each command's Step on a World and checks it against the reference model.
// Every command is valid in every state (the simulator answers a bad op with its errno), so
// shrinking may drop any command.
//
// Owns: GenModel, the command types and the property body. Invariant: a command holds one
// Step; its values are unique per program (process writes 0xA01, 0xA02, ...; device writes
// 0xD01, ...), so a value found somewhere names the step that stored it.
#pragma once

#include <array>
#include <memory>
#include <optional>

#include <rapidcheck.h>
#include <rapidcheck/state.h>

#include "props/coverage.h"
#include "props/harness.h"
#include "props/program.h"
#include "props/reference_model.h"

namespace mmsim::props {

// The belief: the reference model run on what it expects each step to return (the first
// result it allows), plus the counters that make values unique.
struct GenModel {
  RefModel ref;
  uint32_t swarm = ~0u;  // the op kinds this program may draw (swarm testing)
  PromiseSet focus;      // the promises checked: the ops their hazards need are drawn more
  NameId recent;         // the mapping the last process step named
  uint16_t writes = 0;
  uint16_t dma_writes = 0;

  explicit GenModel(PolicyId p, uint32_t swarm_mask = ~0u, PromiseSet f = {})
      : ref(p), swarm(swarm_mask), focus(f) {}
  [[nodiscard]] PolicyId policy() const { return ref.policy(); }
  [[nodiscard]] bool alive(ProcId p) const { return ref.proc(p).life == RefProc::Life::Alive; }
  // Pages of the mapping `n` names in p, when its first page is mapped; 0 otherwise.
  [[nodiscard]] uint32_t mapped(ProcId p, NameId n) const;
  [[nodiscard]] bool pinned(HandleId h) const;   // an active pin
  [[nodiscard]] bool spliced(HandleId h) const;  // a pipe holding pages
  void apply(const Step& s);
};

using StepCommand = rc::state::Command<GenModel, Harness>;
using CommandPtr = std::shared_ptr<const StepCommand>;

// One command: runs its Step on the Harness, fails the property on a violation.
class OpCommand : public StepCommand {
 public:
  explicit OpCommand(Step s) : step_(std::move(s)) {}
  void apply(GenModel& m) const override { m.apply(step_); }
  void run(const GenModel& m, Harness& h) const override;
  void show(std::ostream& os) const override;
  [[nodiscard]] const Step& step() const { return step_; }

 private:
  Step step_;
};

// The generator of the next command in state `m` (weights depend on the state and policy).
// A swarm mask (ProgramStyle) leaves some op kinds out of a program (mmap, write, read, resume
// and snapshot always in), so that some programs are dense in forks and pins, others in marks
// and reclaim (Groce et al., "Swarm testing", ISSTA 2012).
rc::Gen<CommandPtr> gen_command(const GenModel& m);
rc::Gen<uint32_t> gen_swarm();

// How programs are drawn. A hold property uses swarm testing (each program draws ops from a
// random three-quarters of the op kinds, for variety); a hunt draws from all of them but four
// times as often the ops its promise's hazards need (`focus`): a swarm that leaves out one of
// the five or six ops a hazard needs only dilutes the hunt.
struct ProgramStyle {
  PromiseSet focus;
  bool swarm = false;
};
inline ProgramStyle hold_style() {
  return ProgramStyle{PromiseSet(), true};
}
inline ProgramStyle hunt_style(Promise p) {
  return ProgramStyle{PromiseSet::of(p), false};
}

// The body of every program property: generate a command sequence for `policy` and run it
// on a fresh Harness checking `promises`; counts coverage into `coverage` when given.
void check_program(PolicyId policy, PromiseSet promises, Coverage* coverage,
                   const ProgramStyle& style);

// The shrunk counterexample: the last failing run of the property on this thread (after
// shrinking, the last failure is the minimal one).
struct Failure {
  Program program;
  PromiseViolation violation;
};
std::optional<Failure>& last_failure();

}  // namespace mmsim::props
