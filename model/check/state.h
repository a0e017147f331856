// model/check/state.h: the checker's state: the World plus every thread's progress and every
// actor's registers, and the transitions between states.
//
// Owns: Program (a litmus test compiled for one policy) and State. Invariant: a State's
// fingerprint covers everything that can influence a future step or a check (world, program
// counters, in-flight page steps, partial results, registers), and successors() lists the
// enabled transitions in one fixed order (thread order, then choice order), so a path of
// transition indices replays to the same states on every run.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/litmus/test.h"
#include "sim/apply.h"
#include "sim/world.h"

namespace mmsim::model {

struct ThreadState {
  uint16_t pc = 0;            // next step of the thread's program
  Result acc;                 // result so far of the op in flight
  std::vector<Op> pending;    // its remaining page steps (granularity page)
  bool operator==(const ThreadState&) const = default;
};

struct State {
  World world;
  std::vector<ThreadState> threads;
  std::vector<Result> regs;  // [actor slot * register count + register]
  bool operator==(const State&) const = default;
};

// One enabled transition: thread `thread` runs its next step, taking choice `choice`.
struct Transition {
  uint16_t thread = 0;
  uint16_t choice = 0;
  bool operator==(const Transition&) const = default;
};

// A litmus test compiled for one policy.
struct Program {
  const litmus::Test* test = nullptr;
  PolicyId policy = PolicyId::Mainline;
  uint32_t reg_count = 0;

  [[nodiscard]] size_t actor_slot(Actor a) const;
  [[nodiscard]] const Result& reg(const State& s, Actor a, RegId r) const;
  // The state after `init`, or the first invariant violation the init block causes.
  [[nodiscard]] State initial(std::string* violation) const;
  // Enabled transitions of s, in the canonical order. Empty: s is final.
  [[nodiscard]] std::vector<Transition> successors(const State& s) const;
  // Applies t to s. `step` receives what ran (for traces).
  struct Ran {
    Actor actor;
    Op op;
    Result result;
    bool completes = false;  // the op finished (or its actor died) with this step
    uint32_t line = 0;
  };
  Ran step(State& s, Transition t) const;
  // A final state where some thread never finished: it waits for a fork that never came or
  // for a resume that never came.
  [[nodiscard]] bool deadlocked(const State& s) const;
  [[nodiscard]] uint64_t fingerprint(const State& s) const;

 private:
  [[nodiscard]] Granularity granularity() const { return test->granularity; }
  [[nodiscard]] bool thread_done(const State& s, size_t t) const;
  [[nodiscard]] bool thread_enabled(const State& s, size_t t) const;
  [[nodiscard]] Op next_op(const State& s, size_t t) const;
  [[nodiscard]] bool mmap_lock_waits(const State& s, size_t t) const;
  void retire_gone_threads(State& s) const;
  void finish_op(State& s, size_t t, Actor actor, RegId dest) const;
};

}  // namespace mmsim::model
