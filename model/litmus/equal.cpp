// model/litmus/equal.cpp: structural equality of tests, ignoring file names and positions.
#include "model/litmus/equal.h"

#include <algorithm>

namespace mmsim::litmus {
namespace {

bool same_step(const Step& a, const Step& b) {
  return a.actor == b.actor && a.op == b.op && a.dest == b.dest;
}

bool same_steps(const std::vector<Step>& a, const std::vector<Step>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), same_step);
}

bool same_where(const Where& a, const Where& b) {
  return a.kind == b.kind && a.proc == b.proc && a.handle == b.handle;
}

bool same_check(const Check& a, const Check& b) {
  return a.kind == b.kind && a.text == b.text && a.expected == b.expected && a.promises == b.promises &&
         same_expr(a.expr, b.expr);
}

bool same_thread(const Thread& a, const Thread& b) {
  return a.actor == b.actor && same_steps(a.steps, b.steps);
}

}  // namespace

bool same_expr(const Expr& a, const Expr& b) {
  return a.kind == b.kind && a.actor == b.actor && a.reg == b.reg && a.expected == b.expected &&
         same_where(a.where, b.where) && a.value == b.value &&
         std::equal(a.kids.begin(), a.kids.end(), b.kids.begin(), b.kids.end(), same_expr);
}

bool same_test(const Test& a, const Test& b) {
  return a.name == b.name && a.about == b.about && a.source == b.source && a.tags == b.tags &&
         a.policies == b.policies && a.frames == b.frames && a.swap_slots == b.swap_slots &&
         a.granularity == b.granularity && a.procs == b.procs &&
         a.initial_procs == b.initial_procs && a.devices == b.devices && a.names == b.names &&
         a.handles == b.handles && a.regs == b.regs && same_steps(a.init, b.init) &&
         std::equal(a.threads.begin(), a.threads.end(), b.threads.begin(), b.threads.end(),
                    same_thread) &&
         std::equal(a.checks.begin(), a.checks.end(), b.checks.begin(), b.checks.end(), same_check);
}

}  // namespace mmsim::litmus
