// props/program.cpp: symbol tables, printing and the litmus form of programs. See program.h.
#include "props/program.h"

#include <set>

#include "model/litmus/printer.h"
#include "sim/policy.h"

namespace mmsim::props {
namespace {

litmus::Test make_symbols() {
  litmus::Test t;
  t.procs = {"P0", "P1", "P2", "P3"};
  t.initial_procs = 1;
  t.devices = {"D0"};
  t.names = {"x", "y", "z"};
  t.handles = {"io0", "io1", "pp0", "pp1"};
  t.regs = {"r0"};
  return t;
}

// The processes a step names as an argument (not as its actor).
std::optional<ProcId> named_proc(const Op& op) {
  if (const auto* o = op_if<Reclaim>(&op); o != nullptr && o->proc.valid()) return o->proc;
  if (const auto* o = op_if<Migrate>(&op)) return o->proc;
  if (const auto* o = op_if<Kill>(&op)) return o->proc;
  if (const auto* o = op_if<Fork>(&op)) return o->child;
  return std::nullopt;
}

litmus::Expr reg_is(Actor actor, const Result& r) {
  litmus::Expr e;
  e.kind = litmus::Expr::Kind::RegEq;
  e.actor = actor;
  e.reg = RegId{0};
  e.expected = r;
  return e;
}

litmus::Expr has(litmus::Where::Kind where, Value v) {
  litmus::Expr e;
  e.kind = litmus::Expr::Kind::Has;
  e.where.kind = where;
  e.value = v;
  return e;
}

litmus::Check make_check(const litmus::Test& t, const CheckSpec& spec, Actor last_actor,
                         PolicyId policy) {
  litmus::Check c;
  switch (spec.kind) {
    case CheckSpec::Kind::ModelError:
      c.kind = litmus::Check::Kind::Exists;
      c.expr = has(litmus::Where::Kind::Ram, 0);
      break;
    case CheckSpec::Kind::RegisterIn:
      c.kind = litmus::Check::Kind::Forall;
      if (spec.allowed.size() == 1) {
        c.expr = reg_is(last_actor, spec.allowed.front());
      } else {
        c.expr.kind = litmus::Expr::Kind::Or;
        for (const Result& r : spec.allowed) c.expr.kids.push_back(reg_is(last_actor, r));
      }
      break;
    case CheckSpec::Kind::FreeHas:
      c.kind = litmus::Check::Kind::Never;
      c.expr = has(litmus::Where::Kind::Free, spec.value);
      break;
    case CheckSpec::Kind::KernelHas:
      c.kind = litmus::Check::Kind::Never;
      c.expr = has(litmus::Where::Kind::Kernel, spec.value);
      break;
  }
  const std::string_view word = c.kind == litmus::Check::Kind::Exists   ? "exists"
                                : c.kind == litmus::Check::Kind::Forall ? "forall"
                                                                        : "never";
  c.text = std::string(word) + " (" + litmus::print_expr(t, c.expr) + ")";
  c.expected[std::string(policy_name(policy))] = spec.kind != CheckSpec::Kind::ModelError;
  return c;
}

}  // namespace

WorldConfig world_config(PolicyId policy) {
  WorldConfig cfg;
  cfg.frames = kFrames;
  cfg.swap_slots = kSwap;
  cfg.procs = kProcs;
  cfg.initial = 1;
  cfg.names = kNames;
  cfg.handles = kHandles;
  cfg.policy = policy;
  return cfg;
}

const litmus::Test& symbols() {
  static const litmus::Test t = make_symbols();
  return t;
}

std::string step_text(const Step& s) {
  return litmus::print_step(symbols(), s);
}

std::string program_text(const Program& p) {
  std::string out;
  for (const Step& s : p.steps) out += step_text(s) + "\n";
  return out;
}

litmus::Test to_litmus(const Program& p, const CheckSpec& spec, const std::string& name,
                       const std::string& about) {
  litmus::Test t = make_symbols();
  t.name = name;
  t.about = about;
  t.source = "props (rapidcheck counterexample)";
  t.policies = {std::string(policy_name(p.policy))};
  t.frames = p.frames;
  t.swap_slots = p.swap;
  std::set<uint16_t> forked{0};
  for (const Step& s : p.steps) {
    if (const auto* f = op_if<Fork>(&s.op)) forked.insert(f->child.v);
  }
  std::set<uint16_t> fork_seen;
  for (size_t i = 0; i < p.steps.size(); ++i) {
    Step s = p.steps[i];
    const bool last = i + 1 == p.steps.size();
    const std::optional<ProcId> named = named_proc(s.op);
    if (!last && named && forked.count(named->v) == 0) continue;  // ESRCH: no effect
    if (const auto* f = op_if<Fork>(&s.op); f != nullptr && !fork_seen.insert(f->child.v).second) {
      if (!last) continue;  // a second fork of one child: EINVAL, no effect
    }
    s.line = 0;
    s.dest = last && spec.kind == CheckSpec::Kind::RegisterIn ? RegId{0} : RegId::none();
    t.init.push_back(s);
  }
  const Actor last_actor = p.steps.empty() ? Actor::system() : p.steps.back().actor;
  t.checks.push_back(make_check(t, spec, last_actor, p.policy));
  return t;
}

}  // namespace mmsim::props
