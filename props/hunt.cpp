// props/hunt.cpp: see hunt.h.
#include "props/hunt.h"

#include <algorithm>
#include <variant>

#include "model/check/run.h"
#include "model/litmus/parser.h"
#include "sim/policy.h"

namespace mmsim::props {

uint64_t hunt_seed(PolicyId policy, Promise promise) {
  return 0x4E47000ull + 0x100ull * static_cast<uint64_t>(policy) + static_cast<uint64_t>(promise);
}

namespace {

// The same promise still breaks without the steps at `drop`: the new, cut program.
std::optional<Failure> without(PolicyId policy, const Failure& f,
                               std::initializer_list<size_t> drop) {
  std::vector<Step> steps;
  for (size_t i = 0; i < f.program.steps.size(); ++i) {
    if (std::find(drop.begin(), drop.end(), i) == drop.end()) steps.push_back(f.program.steps[i]);
  }
  RunResult r = run_steps(policy, PromiseSet::of(f.violation.promise), steps);
  if (!r.violation || r.violation->promise != f.violation.promise) return std::nullopt;
  return Failure{r.program, *r.violation};
}

std::optional<Failure> drop_one(PolicyId policy, const Failure& f) {
  for (size_t i = f.program.steps.size(); i-- > 0;) {
    if (auto g = without(policy, f, {i})) return g;
  }
  return std::nullopt;
}

std::optional<Failure> drop_two(PolicyId policy, const Failure& f) {
  const size_t n = f.program.steps.size();
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = i + 1; j < n; ++j) {
      if (auto g = without(policy, f, {i, j})) return g;
    }
  }
  return std::nullopt;
}

}  // namespace

Failure minimize(PolicyId policy, const Failure& f) {
  Failure best = f;
  while (true) {
    std::optional<Failure> next = drop_one(policy, best);
    if (!next) next = drop_two(policy, best);
    if (!next) return best;
    best = *next;
  }
}

HuntResult hunt(PolicyId policy, Promise promise, uint64_t seed, int budget) {
  PropConfig cfg;
  cfg.seed = seed;
  cfg.max_success = budget;
  cfg.max_size = 60;
  const PromiseSet only = PromiseSet::of(promise);
  const std::string id = std::string("hunt/") + std::string(policy_name(policy)) + "/" +
                         std::string(promise_name(promise));
  last_failure().reset();
  HuntResult r;
  r.outcome =
      run_property(id, cfg, [&] { check_program(policy, only, nullptr, hunt_style(promise)); });
  if (r.outcome.failed && last_failure()) {
    r.shrunk_steps = last_failure()->program.steps.size();
    r.failure = minimize(policy, *last_failure());
    const std::string name =
        std::string(policy_name(policy)) + "-" + std::string(promise_name(promise));
    r.litmus = counterexample_text(*r.failure, name);
    r.path = write_counterexample(*r.failure, name);
  }
  return r;
}

bool replays(const std::string& litmus_text, PolicyId policy, std::string* why) {
  auto parsed = litmus::parse(litmus_text, "counterexample.litmus");
  if (const auto* e = std::get_if<litmus::ParseError>(&parsed)) {
    *why = "does not parse: " + e->to_string();
    return false;
  }
  const litmus::Test& t = std::get<litmus::Test>(parsed);
  model::RunOptions opt;
  opt.limits.progress = false;
  const model::PolicyRun run = model::run_policy(t, policy, opt);
  if (run.error) {
    *why = "model error: " + *run.error;
    return true;
  }
  if (run.checks.empty()) {
    *why = "no check";
    return false;
  }
  const model::CheckRecord& c = run.checks.front();
  *why = c.text + ": " + (c.holds ? "holds" : "fails");
  return !c.holds;
}

}  // namespace mmsim::props
