// model/conform/conform.h: `mmsim conform`: litmus tests on the live kernel against the model's
// `mainline` policy (docs/conform.md).
//
// Owns: Options and the exit-status rule of conform. Invariant: the output is a pure function
// of the tests, the options and the kernel's answers (no clock, files in sorted order,
// schedules in plan order); every disagreement makes the status 1 unless its test is on the
// expected-disagreement list, and a listed test that agrees on every schedule it ran is a
// stale entry, which makes the status 1 too.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace mmsim::conform {

struct Options {
  std::string schedules = "16";  // "N" (depth-first paths to final states, plus witnesses) or "all"
  std::string emit_c_dir;        // write each schedule as a standalone C program here
  bool keep = false;             // keep each schedule's scratch directory (never its swap file)
  bool json = false;             // one JSON object per schedule and a summary object
  bool quiet = false;            // print disagreements and the summary only
  int timeout_ms = 20000;        // per schedule; the process group is SIGKILLed after it
  std::string expect_file;       // expected disagreements: "TEST  cause" per line
  std::vector<std::string> paths;
};

// Exit status: 0 all agree (or only expected disagreements), 1 an unexpected disagreement or a
// runner failure (a timeout included) or a stale entry, 2 bad input or usage.
int run(const Options& opt, std::ostream& out, std::ostream& err);

}  // namespace mmsim::conform
