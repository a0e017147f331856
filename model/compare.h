// model/compare.h: `mmsim compare`: every test under every selected policy, written as a
// report folder: comparison.md, comparison.json and comparison.html (spec §7).
//
// Owns: the comparison run and the report files. Invariant: the report is a pure function of
// the tests and options; rerunning gives byte-identical files.
#pragma once

#include <deque>
#include <iosfwd>
#include <string>
#include <vector>

#include "model/litmus/test.h"
#include "model/run.h"

namespace mmsim::model {

struct Comparison {
  std::vector<const litmus::Test*> tests;
  std::vector<PolicyId> policies;  // columns
  std::vector<PolicyRun> runs;     // every (test, policy) that ran, in test then policy order

  [[nodiscard]] const PolicyRun* find(const litmus::Test* t, PolicyId p) const;
};

// The scorecard: promise (tag) x policy. A test's `forall` and `never` checks state its
// promises (docs/litmus.md); a promise is broken under a policy when one of them fails, kept
// when all that ran hold, untested when none ran.
struct ScoreCell {
  enum class State : uint8_t { Untested, Kept, Broken };
  State state = State::Untested;
  const PolicyRun* run = nullptr;  // the breaking run (Broken)
  size_t check = 0;                // its failing check
  uint32_t evidence = 0;           // promise checks that ran
};
std::vector<std::string> promise_tags(const Comparison& c);
ScoreCell score(const Comparison& c, const std::string& tag, PolicyId p);

Comparison run_comparison(const std::deque<litmus::Test>& tests, const RunOptions& opt);

std::string comparison_markdown(const Comparison& c);
std::string comparison_json(const Comparison& c);
std::string comparison_html(const Comparison& c);

// Runs the comparison, writes DIR/comparison.{md,json,html}, prints a summary; returns the exit
// status of spec §7.
int write_comparison(const std::deque<litmus::Test>& tests, const RunOptions& opt, const std::string& dir,
                     std::ostream& out, std::ostream& err);

}  // namespace mmsim::model
