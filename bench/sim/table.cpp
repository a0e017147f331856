// bench/sim/table.cpp: the interleaved table runner of table.h and the clear table.
#include "bench/sim/table.h"

#include <algorithm>
#include <numeric>

#include "sim/kernel.h"

namespace mmsim::bench {
namespace {

size_t arm_index(const TableSpec& spec, const std::string& label) {
  for (size_t i = 0; i < spec.arms.size(); ++i) {
    if (spec.arms[i].label == label) return i;
  }
  return spec.arms.size();
}

// The samples (ns per page) of every arm at one page count, and their totals.
struct Cell {
  std::vector<std::vector<double>> ns;  // [arm][round]
  std::vector<Totals> totals;           // [arm]
  uint32_t marked = 0;
};

// The order of the arms in round r: start r, stride coprime with the arm count and changing
// every round, so that no arm always runs first or right after the same other arm (the Worlds
// an arm frees shape the heap the next arm's Worlds are built in). Deterministic.
size_t stride_for(uint32_t r, size_t arms) {
  size_t s = 1 + 2 * (r % arms);
  while (std::gcd(s, arms) != 1) ++s;
  return s % arms == 0 ? 1 : s;
}

bool measure_cell(const TableSpec& spec, int64_t n, Cell& c, double& timed, std::string* err) {
  const size_t arms = spec.arms.size();
  std::vector<Plan> plans;
  for (const Arm& a : spec.arms) plans.push_back(spec.plan(a.design, static_cast<uint32_t>(n)));
  c.ns.assign(arms, {});
  c.totals.assign(arms, Totals{});
  c.marked = plans.front().marked;
  const uint32_t rounds = rounds_for(n) * (smoke() ? 1 : spec.rounds_factor);
  for (uint32_t r = 0; r < rounds; ++r) {
    const size_t stride = stride_for(r, arms);
    for (size_t j = 0; j < arms; ++j) {
      const size_t a = (r + j * stride) % arms;
      const uint32_t k = worlds_per_sample(plans[a], pages_per_sample());
      const double ns = sample(plans[a], k, c.totals[a], err);
      if (ns < 0) return false;
      timed += ns;
      c.ns[a].push_back(ns / (static_cast<double>(k) * plans[a].pages));
    }
  }
  return true;
}

void report_cell(benchmark::State& st, const TableSpec& spec, int64_t n, const Cell& c) {
  const std::string at = "@" + std::to_string(n);
  for (size_t a = 0; a < spec.arms.size(); ++a) {
    const std::string& label = spec.arms[a].label;
    const Totals& t = c.totals[a];
    st.counters[label + at] = median(c.ns[a]);
    if (c.marked > 0) st.counters["meta:" + label + at] = t.meta_bytes / c.marked;
    st.counters["pflag:" + label] = std::max<double>(st.counters["pflag:" + label], t.page_flag);
    st.counters["vflag:" + label] = std::max<double>(st.counters["vflag:" + label], t.vma_flag_bits());
    st.counters["residue:" + label + at] = static_cast<double>(t.residue) / static_cast<double>(t.ops);
  }
  for (const auto& [x, y] : spec.pairs) {
    const size_t i = arm_index(spec, x);
    const size_t j = arm_index(spec, y);
    if (i >= spec.arms.size() || j >= spec.arms.size()) continue;
    std::vector<double> diff;
    for (size_t r = 0; r < c.ns[i].size(); ++r) diff.push_back(c.ns[i][r] - c.ns[j][r]);
    st.counters[x + "-" + y + at] = median(diff);
  }
}

// A table is not a curve: `pages` = 0 makes bench/anchors/to_table.py skip it (with a warning)
// instead of reading the "iterations:1" of its name as a page count.
void mark_as_table(benchmark::State& st) { st.counters["pages"] = 0; }

void run_table(benchmark::State& st, const TableSpec& spec) {
  mark_as_table(st);
  for (auto _ : st) {
    double timed = 0;
    for (int64_t n : page_counts()) {
      Cell c;
      std::string err;
      if (!measure_cell(spec, n, c, timed, &err)) return st.SkipWithError(err.c_str());
      report_cell(st, spec, n, c);
    }
    st.SetIterationTime(timed * 1e-9);
  }
}

// One sample of the clear: zero_page on every page of a freshly written mapping.
double clear_sample(uint32_t n, uint32_t worlds) {
  const Design mainline{PolicyId::Mainline, MarkOp::Mlock};
  std::vector<World> ws(worlds);
  std::vector<std::vector<FrameId>> frames(worlds);
  for (uint32_t i = 0; i < worlds; ++i) {
    ws[i] = World(config_for(mainline, n, 0, PagePayload::Real4K));
    for (const Step& s : populate(n)) apply_all(ws[i], s.actor, s.op);
    for (const auto& [vpn, pte] : ws[i].proc(kParent).mm.ptes) frames[i].push_back(pte.frame);
  }
  const double t0 = cpu_ns();
  for (uint32_t i = 0; i < worlds; ++i) {
    for (FrameId f : frames[i]) zero_page(ws[i], f);
  }
  const double t1 = cpu_ns();
  benchmark::DoNotOptimize(ws.front().payload.data());
  return t1 - t0;
}

void run_clear(benchmark::State& st) {
  mark_as_table(st);
  for (auto _ : st) {
    double timed = 0;
    for (int64_t n : page_counts()) {
      const uint32_t pages = static_cast<uint32_t>(n);
      const uint32_t worlds = std::max<uint32_t>(1, pages_per_sample() / pages);
      std::vector<double> v;
      for (uint32_t r = 0; r < rounds_for(n) * (smoke() ? 1 : 3); ++r) {
        const double ns = clear_sample(pages, worlds);
        timed += ns;
        v.push_back(ns / (static_cast<double>(worlds) * pages));
      }
      st.counters["sim@" + std::to_string(n)] = median(v);
    }
    st.SetIterationTime(timed * 1e-9);
  }
}

}  // namespace

std::vector<Arm> design_arms() {
  std::vector<Arm> arms;
  for (const Design& d : designs()) arms.push_back(Arm{d.name(), d});
  return arms;
}

std::vector<std::pair<std::string, std::string>> standard_pairs() {
  std::vector<std::pair<std::string, std::string>> pairs;
  for (const Design& d : designs()) {
    if (d.id != PolicyId::Mainline) pairs.emplace_back(d.name(), "mainline");
  }
  pairs.emplace_back("mlockedonfree-vma", "mlockedonfree-v1");
  pairs.emplace_back("mlockedonfree-vma", "wipeonrelease-v1");
  return pairs;
}

void register_table(const TableSpec& spec) {
  const std::string name = "BM_table_" + spec.workload;
  benchmark::RegisterBenchmark(name.c_str(), [spec](benchmark::State& st) { run_table(st, spec); })
      ->UseManualTime()
      ->Iterations(1)
      ->Unit(benchmark::kMillisecond);
}

void register_clear_table() {
  benchmark::RegisterBenchmark("BM_table_clear", run_clear)
      ->UseManualTime()
      ->Iterations(1)
      ->Unit(benchmark::kMillisecond);
}

}  // namespace mmsim::bench
