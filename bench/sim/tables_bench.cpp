// bench_sim_tables: the tables of docs/benchmarks.md, each measured with all designs
// interleaved round by round (table.h), on the real simulator with real 4 KiB frame contents
// unless the workload name ends in _np (PagePayload::None: the same code without the clear).
//   munmap_m<M>_p<P>, exit_m<M>_p<P>  munmap or exit of N written pages, M% marked
//                     (0, 1, 100) and P% pinned (0, 10, 100) at unmap; timed, the munmap/exit
//   *_np              freepath, munmap_m0_p0, exit_m0_p0 without payload (the verdict of target 1)
//   freepath, unpin_m1, unpin_m100  the deferred free path: all N pages pinned and unmapped
//                     beforehand, M% marked; timed, the unpin that frees them
//   mark, mark_split  marking N written pages; split: the middle N of N+2, one VMA becomes three
//   fork_m0, fork_m100, forkexit_m100  fork of N pages (0 or 100% marked); the child's exit
//   cycle[_pinned][_np]  the life of N marked pages after they are written: mark + munmap, or
//                     mark + pin + munmap + unpin; arm mainline+madvise is the baseline of the
//                     madvise designs (mainline answers EINVAL and changes nothing)
//   clear             the simulator's 4 KiB clear (zero_page) per page, the cost a wipe guards
#include "bench/sim/plans.h"
#include "bench/sim/table.h"

namespace {

using namespace mmsim::bench;

void matrix(const std::string& workload, PlanFn plan, uint32_t rounds_factor = 1) {
  register_table(TableSpec{workload, plan, design_arms(), standard_pairs(), rounds_factor});
}

// The verdict tables take more rounds: their differences are near a nanosecond (target 1) or
// a few percent of a 4 KiB clear (target 2, the cycles, whose setup is cheap: no payload).
constexpr uint32_t kVerdictRounds = 3;
constexpr uint32_t kCycleRounds = 5;

template <uint32_t M>
void unmap_rows(const std::string& m) {
  matrix("munmap_m" + m + "_p0", unmap_plan<M, 0, false>, M == 0 ? kVerdictRounds : 1);
  matrix("munmap_m" + m + "_p10", unmap_plan<M, 10, false>);
  matrix("munmap_m" + m + "_p100", unmap_plan<M, 100, false>);
  matrix("exit_m" + m + "_p0", unmap_plan<M, 0, true>, M == 0 ? kVerdictRounds : 1);
  matrix("exit_m" + m + "_p10", unmap_plan<M, 10, true>);
  matrix("exit_m" + m + "_p100", unmap_plan<M, 100, true>);
}

// The cycle tables: every design against the mainline run of the same user program.
void cycle(const std::string& workload, PlanFn plan) {
  std::vector<Arm> arms = design_arms();
  arms.push_back(Arm{"mainline+madvise", Design{mmsim::PolicyId::Mainline, MarkOp::Madvise}});
  std::vector<std::pair<std::string, std::string>> pairs;
  for (const Design& d : designs()) {
    if (d.id == mmsim::PolicyId::Mainline) continue;
    pairs.emplace_back(d.name(), d.mark == MarkOp::Mlock ? "mainline" : "mainline+madvise");
  }
  register_table(TableSpec{workload, plan, arms, pairs, kCycleRounds});
}

void register_benchmarks() {
  register_clear_table();
  matrix("freepath_np", unpin_plan<0, mmsim::PagePayload::None>, kVerdictRounds);
  matrix("munmap_m0_p0_np", unmap_plan<0, 0, false, mmsim::PagePayload::None>, kVerdictRounds);
  matrix("exit_m0_p0_np", unmap_plan<0, 0, true, mmsim::PagePayload::None>, kVerdictRounds);
  matrix("freepath", unpin_plan<0>, kVerdictRounds);
  matrix("unpin_m1", unpin_plan<1>);
  matrix("unpin_m100", unpin_plan<100>);
  unmap_rows<0>("0");
  unmap_rows<1>("1");
  unmap_rows<100>("100");
  matrix("mark", mark_plan);
  matrix("mark_split", mark_split_plan);
  matrix("fork_m0", fork_plan<0>);
  matrix("fork_m100", fork_plan<100>);
  matrix("forkexit_m100", fork_child_exit_plan);
  cycle("cycle_np", cycle_plan<false, mmsim::PagePayload::None>);
  cycle("cycle_pinned_np", cycle_plan<true, mmsim::PagePayload::None>);
  cycle("cycle", cycle_plan<false, mmsim::PagePayload::Real4K>);
  cycle("cycle_pinned", cycle_plan<true, mmsim::PagePayload::Real4K>);
}

}  // namespace

int main(int argc, char** argv) { return bench_main(argc, argv, register_benchmarks); }
