// bench_sim_curves: the simulator series of the ns-per-page plot (bench/run.sh), one Google
// Benchmark entry BM_<design>_<workload>/<pages> per design, workload and page count, on the
// real simulator with real 4 KiB frame contents. Workloads (plans.h):
//   freepath    the free path of unmarked pages on a system where no page is marked: N pages
//               pinned and unmapped beforehand; timed, the unpin that frees them all. The cost
//               every user pays for a design.
//   munmap_m100 munmap of N written pages, all marked: unmap, free and (where the design
//               wipes) the 4 KiB clear of every page
//   unpin_m100  the deferred path: N marked pages pinned and unmapped beforehand; timed, the
//               unpin that frees them (and, for the free-time designs, wipes them)
// Three workloads x seven designs is already 21 lines in the plot; marking, the full matrix (0/1/100% marked x 0/10/100% pinned, exit, fork, VMA splits) and the verdicts
// are in bench_sim_tables.
#include "bench/sim/plans.h"

namespace {

using namespace mmsim::bench;

void register_benchmarks() {
  register_curve("freepath", unpin_plan<0>);
  register_curve("munmap_m100", unmap_plan<100, 0, false>);
  register_curve("unpin_m100", unpin_plan<100>);
}

}  // namespace

int main(int argc, char** argv) { return bench_main(argc, argv, register_benchmarks); }
