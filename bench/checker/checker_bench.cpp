// bench/checker/checker_bench.cpp: the model checker's throughput on the bundled litmus suite:
// distinct states per second and estimated bytes per stored state, per test, under mainline
// and under the policy each test was written for. A later issue sets targets against SPIN on
// the same model (the SPIN peer model, docs/sources.md §7); this records where we start.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdlib>
#include <deque>
#include <string>
#include <vector>

#include "model/check/checker.h"
#include "model/check/inputs.h"
#include "model/check/run.h"
#include "model/litmus/parser.h"
#include "sim/policy.h"

namespace {

using mmsim::PolicyId;
namespace model = mmsim::model;

// One search of one test under one policy per iteration.
void BM_checker_search(benchmark::State& state, const mmsim::litmus::Test* test, PolicyId policy) {
  model::Program prog{test, policy, static_cast<uint32_t>(test->regs.size())};
  model::Limits limits;
  limits.progress = false;
  uint64_t states = 0;
  uint64_t bytes = 0;
  for (auto _ : state) {
    model::SearchResult r = model::search(prog, limits);
    benchmark::DoNotOptimize(r.states);
    states += r.states;
    bytes = r.states ? r.bytes / r.states : 0;
  }
  state.counters["states_per_s"] = benchmark::Counter(static_cast<double>(states), benchmark::Counter::kIsRate);
  state.counters["bytes_per_state"] = static_cast<double>(bytes);
  state.counters["states"] = static_cast<double>(states / std::max<uint64_t>(1, state.iterations()));
}

// Registers every suite test under mainline and under the last policy its `policies` line
// names (the family it was written for), so the benchmark follows the suite as it grows.
void register_suite(std::deque<mmsim::litmus::Test>& tests) {
  const model::Inputs in = model::collect_inputs({MMSIM_SUITE_DIR});
  if (!in.problems.empty()) return;
  const std::vector<std::string>& files = in.files;
  const bool smoke = std::getenv("SMOKE") != nullptr;
  for (const std::string& f : files) {
    auto parsed = mmsim::litmus::parse_file(f);
    if (!std::holds_alternative<mmsim::litmus::Test>(parsed)) continue;
    tests.push_back(std::move(std::get<mmsim::litmus::Test>(parsed)));
    const mmsim::litmus::Test* t = &tests.back();
    std::vector<PolicyId> ps = model::policies_for(*t, {});
    std::vector<PolicyId> chosen{PolicyId::Mainline};
    if (!t->policies.empty() && !ps.empty() && ps.back() != PolicyId::Mainline) chosen.push_back(ps.back());
    for (PolicyId p : chosen) {
      if (std::find(ps.begin(), ps.end(), p) == ps.end()) continue;
      benchmark::RegisterBenchmark(("BM_checker_search/" + t->name + "/" + std::string(mmsim::policy_name(p))).c_str(),
                                   BM_checker_search, t, p)
          ->Unit(benchmark::kMicrosecond);
    }
    if (smoke && tests.size() >= 3) break;
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::deque<mmsim::litmus::Test> tests;  // outlives the benchmarks that point into it
  register_suite(tests);
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
