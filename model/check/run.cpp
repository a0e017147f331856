// model/check/run.cpp: one test under one policy, and the exit-status rule. See run.h.
#include "model/check/run.h"

#include <algorithm>

#include "model/check/eval.h"
#include "sim/policy.h"

namespace mmsim::model {
namespace {

// A replayed path: its final state's check values stand in for a search (--replay).
void run_replay(const Program& prog, const Path& path, PolicyRun& run) {
  State s;
  if (!replay(prog, path, &s)) {
    run.bad_replay = "not a run of test '" + prog.test->name + "' under " + std::string(policy_name(prog.policy)) +
                     " (a step names a thread or choice that is not enabled there)";
    return;
  }
  const bool final = prog.successors(s).empty();
  for (const litmus::Check& c : prog.test->checks) {
    CheckRecord r;
    r.text = c.text + (final ? "" : " (state not final)");
    r.kind = c.kind;
    const bool sat = holds_in(prog, s, c.expr);
    r.holds = c.kind == litmus::Check::Kind::Forall ? sat : (c.kind == litmus::Check::Kind::Exists ? sat : !sat);
    (sat ? r.positive : r.negative) = 1;
    r.trace = build_trace(prog, path);
    r.replay = replay_command(prog, path);
    run.checks.push_back(std::move(r));
  }
  run.states = path.size() + 1;
}

Decided decided(litmus::Check::Kind kind, const CheckOutcome& o, bool partial) {
  if (!partial) return Decided::Complete;
  switch (kind) {
    case litmus::Check::Kind::Exists: return o.positive > 0 ? Decided::Witness : Decided::Unknown;
    case litmus::Check::Kind::Forall: return o.negative > 0 ? Decided::Counterexample : Decided::Unknown;
    case litmus::Check::Kind::Never: return o.positive > 0 ? Decided::Counterexample : Decided::Unknown;
  }
  return Decided::Unknown;
}

}  // namespace

const char* decided_word(Decided d) {
  switch (d) {
    case Decided::Complete: return "complete";
    case Decided::Witness: return "witness";
    case Decided::Counterexample: return "counterexample";
    case Decided::Unknown: return "unknown";
  }
  return "unknown";
}

std::string verdict_of(const CheckRecord& c) {
  if (!c.known()) return "unknown";
  return c.holds ? "holds" : "fails";
}

std::vector<PolicyId> policies_for(const litmus::Test& t, const std::vector<PolicyId>& selected) {
  std::vector<PolicyId> out;
  for (PolicyId id : all_policies()) {
    const std::string name(policy_name(id));
    const bool in_test = t.policies.empty() || std::find(t.policies.begin(), t.policies.end(), name) != t.policies.end();
    const bool chosen = selected.empty() || std::find(selected.begin(), selected.end(), id) != selected.end();
    if (in_test && chosen) out.push_back(id);
  }
  return out;
}

PolicyRun run_policy(const litmus::Test& t, PolicyId policy, const RunOptions& opt) {
  Program prog{&t, policy, static_cast<uint32_t>(t.regs.size())};
  PolicyRun run;
  run.test = &t;
  run.policy = policy;
  if (opt.replay) {
    run_replay(prog, *opt.replay, run);
    return run;
  }
  SearchResult sr = search(prog, opt.limits);
  run.states = sr.states;
  run.deadlocks = sr.deadlocks;
  run.bytes = sr.bytes;
  run.partial = sr.partial;
  run.limit = sr.limit;
  if (sr.error) {
    run.error = sr.error;
    run.error_trace = build_trace(prog, *sr.error_path);
    run.error_replay = replay_command(prog, *sr.error_path);
  }
  for (size_t i = 0; i < t.checks.size(); ++i) {
    const litmus::Check& c = t.checks[i];
    const CheckOutcome& o = sr.checks[i];
    CheckRecord r{c.text, c.kind, o.holds, std::nullopt, o.positive, o.negative, std::nullopt, ""};
    r.decided = decided(c.kind, o, sr.partial);
    auto e = c.expected.find(std::string(policy_name(policy)));
    if (e != c.expected.end()) r.expected = e->second;
    const std::optional<Path>& p = o.witness ? o.witness : (opt.trace ? o.other : o.witness);
    if (p) {
      r.trace = build_trace(prog, *p);
      r.replay = replay_command(prog, *p);
    }
    run.checks.push_back(std::move(r));
  }
  return run;
}

int exit_status(const std::vector<PolicyRun>& runs) {
  bool failed = false;
  bool partial = false;
  for (const PolicyRun& r : runs) {
    if (r.error) failed = true;
    partial = partial || r.partial;
    for (const CheckRecord& c : r.checks) {
      if (c.unmet()) failed = true;
    }
  }
  return failed ? 1 : partial ? 3 : 0;
}

}  // namespace mmsim::model
