// bench/sim/table.h: tables: one workload measured for several designs ("arms") at every page
// count, with the samples of all arms interleaved round by round (the first arm and the stride
// through the arms change every round), so that slow drift of the machine, and the heap the
// previous arm leaves behind, hit every arm alike. One Google Benchmark entry
// BM_table_<workload> (counter `pages` = 0: it is a table, not a curve, so
// bench/anchors/to_table.py skips it with a warning and it stays out of the plot) reports:
//   <arm>@<N>           median ns per page over the rounds
//   <a>-<b>@<N>         median over rounds of the paired difference (a - b), ns per page
//   meta:<arm>@<N>      the most policy metadata seen, bytes per marked page
//   pflag:<arm>, vflag:<arm>  page-flag bits and VMA-flag bits the arm was seen to use
//   residue:<arm>@<N>   free frames still holding data after teardown, per operation
// bench/sim/tables.py turns these into the tables of docs/benchmarks.md.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "bench/sim/harness.h"

namespace mmsim::bench {

struct Arm {
  std::string label;
  Design design;
};

struct TableSpec {
  std::string workload;
  PlanFn plan = nullptr;
  std::vector<Arm> arms;
  std::vector<std::pair<std::string, std::string>> pairs;  // (a, b): report a - b
  uint32_t rounds_factor = 1;  // the verdict tables take more rounds than rounds_for()
};

// The seven designs as arms, labelled by policy name.
std::vector<Arm> design_arms();
// (design, mainline) for every design but mainline, and the per-VMA design against both page
// flag designs.
std::vector<std::pair<std::string, std::string>> standard_pairs();

void register_table(const TableSpec& spec);
// BM_table_clear: the simulator's own 4 KiB clear (zero_page on a Real4K World) per page.
void register_clear_table();

}  // namespace mmsim::bench
