// bench/sim/harness.h: what every simulator benchmark shares. It measures nothing itself: it
// builds Worlds with real 4 KiB frame contents (PagePayload::Real4K), runs a Plan of Ops on
// them through sim::apply_all, times only the Plan's timed steps, and reports ns per page plus
// the metadata the design used (page-flag bits, VMA-flag bits, side-set bytes) as counters.
//
// Timing: one sample prepares k fresh Worlds (untimed), runs the timed steps on all k back to
// back between two reads of the thread's CPU-time clock (cpu_ns), then tears them down (untimed). k > 1 only for small
// plans, so that the clock reads are not the cost being measured. Setup and teardown steps,
// World construction and destruction are never inside the clock. Curves (register_curve) are
// Google Benchmark entries with manual time, one sample per iteration; tables (table.h) take
// interleaved samples of all designs and report medians. No randomness: every World of a
// benchmark is identical.
//
// Counters (bench/anchors/to_table.py contract): `pages` (the page count in the name) and
// `ns_per_page` (the median over samples of timed ns / (Worlds * pages)); plus
// `mean_ns_per_page`, `page_flag_bits`, `vma_flag_bits`, `meta_bytes_per_marked_page`,
// `queue_bytes_per_entry`, `residue_pages`.
#pragma once

#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>
#include <vector>

#include "sim/apply.h"
#include "sim/policy.h"

namespace mmsim::bench {

inline constexpr NameId kX{0};
inline constexpr HandleId kPin{0};
inline constexpr ProcId kParent{0};
inline constexpr ProcId kChild{1};
// Frame IDs are 16-bit (sim/types.h) and 0xFFFF is FrameId::none(): at most 65535 frames.
inline constexpr uint32_t kMaxFrames = 65535;

// How a design's user marks a range: mlock (init_mlocked_on_free family, and the mlock the
// baselines pay) or madvise(MADV_WIPEONRELEASE) (Garrett's family).
enum class MarkOp : uint8_t { Mlock, Madvise };

struct Design {
  PolicyId id;
  MarkOp mark;
  [[nodiscard]] std::string name() const { return std::string(policy_name(id)); }
};

// The seven designs of issue #7, in table order.
const std::vector<Design>& designs();

// One Op of a plan and who runs it. `may_fail`: a baseline that does not know the advice.
struct Step {
  Actor actor;
  Op op;
  bool may_fail = false;
};

// A workload on one fresh World: setup (untimed), timed, teardown (untimed).
struct Plan {
  WorldConfig cfg;
  std::vector<Step> setup;
  std::vector<Step> timed;
  std::vector<Step> teardown;
  uint32_t pages = 0;   // the N of the benchmark name; ns_per_page divides by it
  uint32_t marked = 0;  // pages the plan marks (for metadata per marked page)
};

// Page-range helpers on the one mapping (name kX) every plan uses.
AddrRef whole();
AddrRef slice(uint32_t first, uint32_t last);
// The op that marks [first, last) of the mapping for design d.
Op mark_op(const Design& d, uint32_t first, uint32_t last);
// ceil(n * percent / 100): 1% of 16 pages is 1 page, not 0.
uint32_t percent_of(uint32_t n, uint32_t percent);
// The WorldConfig for a plan on `mapped` pages that needs `extra` spare frames.
WorldConfig config_for(const Design& d, uint32_t mapped, uint32_t extra, PagePayload payload);
// The setup every plan starts with: mmap `mapped` pages, write every page (a real 4 KiB fill).
std::vector<Step> populate(uint32_t mapped);

// SMOKE=1 or MMSIM_BENCH_SMOKE=1: small ranges, so that the CI pass takes seconds. In smoke
// mode every World is also checked with check_all (sim/invariants.h) after setup and teardown.
bool smoke();
// Page counts: 1, 16, 256, 4096, 32768 (smoke: 1, 16). 2^15 is the largest: see harness.cpp.
std::vector<int64_t> page_counts();
// Samples per page count: 9, or 5 at 32768 pages, where building one World takes ~0.1 s; 1 in
// smoke mode.
uint32_t rounds_for(int64_t pages);
// Pages one sample covers at least (several Worlds per sample for small N): 1024, or 16 in
// smoke mode.
uint32_t pages_per_sample();

// What a benchmark accumulates outside the clock: time, operations and the metadata seen.
struct Totals {
  double ns = 0;
  uint64_t ops = 0;
  double meta_bytes = 0;  // the most policy metadata seen at any measuring point, in bytes
  bool page_flag = false;  // some frame carried FrameFlag::PolicyMark
  uint32_t vma_mask = 0;   // the policy-owned VmaFlags seen on some VMA
  uint64_t residue = 0;    // free frames still holding a non-zero value after teardown
  std::vector<double> samples;  // ns per page of each sample
  [[nodiscard]] int vma_flag_bits() const;
};

double median(std::vector<double> v);

// The clock of every timed step: this thread's CPU time, in ns. The box is shared (other builds
// run beside the benchmarks) and a wall clock would charge a preemption to whatever step it
// hit; CPU time charges only the work the step did. (The cache damage of a preemption remains:
// that is why ns_per_page is a median.)
double cpu_ns();

// Prepares `worlds` Worlds of `plan` (untimed), runs the timed steps on each back to back under
// one clock, then the teardown (untimed). Returns the elapsed ns of the timed part and adds it
// to t; on a failed step or invariant returns a negative number and sets *err.
double sample(const Plan& plan, uint32_t worlds, Totals& t, std::string* err);
// How many Worlds one sample should hold so that it covers at least `min_pages` pages.
uint32_t worlds_per_sample(const Plan& plan, uint32_t min_pages);

// Registers BM_<design>_<workload>/<pages> for every design and page count: one sample per
// Google Benchmark iteration, with the counters of this header's first comment. The number of
// iterations is fixed (rounds_for) because building the Worlds costs 3 to 30 times what the
// timed steps do; when --benchmark_min_time is given (outside smoke mode), Google Benchmark
// chooses it instead.
using PlanFn = Plan (*)(const Design&, uint32_t pages);
void register_curve(const std::string& workload, PlanFn plan_of);

// Runs google-benchmark with the registered benchmarks; the main() of every bench_sim_*.
int bench_main(int argc, char** argv, void (*register_fn)());

}  // namespace mmsim::bench
