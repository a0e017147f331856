// model/conform/schedule.h: the schedules `mmsim conform` runs for one test, and their
// translation into the runtime's table (runtime.h), with the model's results for each.
//
// Owns: Plan and Schedule. Invariants: a Schedule's steps are the init steps that ran, then one
// step per transition of its path, in order; model[i] is what mainline gave step i on the
// replay of that path; schedules are listed in a fixed order (depth-first paths, then the
// checker's witnesses not already listed), so a run is reproducible.
#pragma once

#include <string>
#include <vector>

#include "model/check/checker.h"
#include "model/check/state.h"
#include "model/conform/runtime.h"
#include "model/litmus/test.h"

namespace mmsim::conform {

struct Schedule {
  model::Path path;
  bool witness = false;
  std::vector<cf_step> steps;
  std::vector<Result> model;       // per step
  std::vector<int> dest;           // per step: register slot (actor slot * regs + reg), or -1
  std::vector<std::string> text;   // per step: "P0: read x[0] -> r0"
  std::vector<bool> model_obs;     // per Plan::obs atom: the model's final state has it
  std::vector<bool> model_checks;  // per test check: the expression holds in the final state
  std::string skip;                // why this schedule cannot run here ("" = it can)
};

// One `has` atom that the runner can observe (a process, a pin or pipe, the swap file).
struct ObsAtom {
  cf_obs obs;
  litmus::Where where;
  std::string text;  // "P1 has 0xAB"
};

struct Plan {
  std::string skip;                 // why no schedule of the test can run here ("" = some can)
  std::vector<Schedule> schedules;
  std::vector<ObsAtom> obs;
  std::vector<std::string> check_skip;  // per check: why it is unobservable ("" = observable)
  bool need_swap = false;
  size_t regs = 0;                  // registers per actor slot
  size_t slots = 0;                 // actor slots
};

// limit: how many depth-first paths to final states (0 = all).
Plan plan(const litmus::Test& t, size_t limit, bool two_nodes);

// The value a check expression has, given its atoms: registers by slot and observed atoms.
// regs: the text of each register slot's final result ("" = unset).
bool eval_expr(const litmus::Test& t, const Plan& p, const litmus::Expr& e, const std::vector<std::string>& regs,
               const std::vector<bool>& obs);

// Result <-> runtime result, with reclaim's canonical form (docs/conform.md).
cf_res to_cf(const Result& r);
std::string result_text(const cf_step& st, cf_res r);

}  // namespace mmsim::conform
