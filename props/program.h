// props/program.h: a generated program (a policy, a machine size and a sequence of Steps run
// one after the other) and its litmus form, in which every step is an `init` line and one
// check states the violated promise.
//
// Owns: the fixed symbol tables of generated programs (processes P0..P3, device D0, mappings
// x y z, handles io0 io1 pp0 pp1) and the translation to litmus. Invariant: to_litmus(p)
// printed and parsed back runs, under p.policy, exactly the World transitions the property
// harness ran: steps that did not run are never in p, and steps that only named a process
// that was never forked (no effect: ESRCH) are dropped, so the parser's process numbering
// (initial process, then children in fork order) keeps the harness's process order.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/litmus/test.h"
#include "sim/op.h"
#include "sim/world.h"

namespace mmsim::props {

inline constexpr uint32_t kProcs = 4;    // P0 exists at the start; P1..P3 are fork children
inline constexpr uint32_t kNames = 3;    // mappings x, y, z
inline constexpr uint32_t kHandles = 4;  // io0, io1 (pins) and pp0, pp1 (pipes)
inline constexpr uint32_t kFrames = 24;
inline constexpr uint32_t kSwap = 4;

inline constexpr HandleId kPin0{0}, kPin1{1}, kPipe0{2}, kPipe1{3};

struct Program {
  PolicyId policy = PolicyId::Mainline;
  uint32_t frames = kFrames;
  uint32_t swap = kSwap;
  std::vector<Step> steps;
};

WorldConfig world_config(PolicyId policy);

// A Test that holds only the symbol tables above, to print steps with litmus::print_step.
const litmus::Test& symbols();
std::string step_text(const Step& s);        // "P0: write x[0] 0xA01"
std::string program_text(const Program& p);  // one step per line

// The check a counterexample's litmus file states: the violated promise, evaluated on the
// state after the last step.
struct CheckSpec {
  enum class Kind : uint8_t {
    ModelError,  // an invariant broke: mmsim reports a model error whatever the check says
    RegisterIn,  // the last step's result, stored in r0, is one of `allowed`
    FreeHas,     // never (free has value)
    KernelHas,   // never (kernel has value)
  };
  Kind kind = Kind::ModelError;
  std::vector<Result> allowed;
  Value value = 0;
};

// The litmus test of a counterexample: the program up to and including its last step, all in
// `init`, restricted to p.policy, with `check` from `spec` expected to hold.
litmus::Test to_litmus(const Program& p, const CheckSpec& spec, const std::string& name,
                       const std::string& about);

}  // namespace mmsim::props
