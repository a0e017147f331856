// model/report/compare.h: `mmsim compare`: every test under every selected policy, written as a
// report folder: comparison.md, comparison.json and comparison.html (spec §7).
//
// Owns: the comparison run, the report files, the scorecard rule, the summary counts and the
// anchor ids that the reports share. Invariants: the report is a pure function of the tests
// and options (rerunning gives byte-identical files); anchor ids are unique within a report
// and valid as HTML ids and URL fragments. docs/report.md describes the reports.
#pragma once

#include <cstdint>
#include <deque>
#include <iosfwd>
#include <map>
#include <string>
#include <vector>

#include "model/check/run.h"
#include "model/litmus/test.h"

namespace mmsim::model {

struct Comparison {
  std::vector<const litmus::Test*> tests;
  std::vector<PolicyId> policies;  // columns
  std::vector<PolicyRun> runs;     // every (test, policy) that ran, in test then policy order
  // Built by index() once runs are complete, so that every lookup of the reports is
  // O(log tests) and report generation stays linear in the number of tests.
  std::map<const litmus::Test*, std::vector<size_t>> runs_of;  // test -> its runs, in order
  std::map<const litmus::Test*, std::string> keys;             // test -> anchor key

  [[nodiscard]] const PolicyRun* find(const litmus::Test* t, PolicyId p) const;
  void index();
};

// The scorecard: promise (tag) x policy. A check states a promise with the extension line
// `promise TAG` (kept when the check holds) or `promise !TAG` (kept when it fails); see
// docs/litmus.md. Under a policy a promise is broken when one such check contradicts it, kept
// when every such check that ran agrees, untested when none ran (or only partial or erroneous
// searches did).
struct ScoreCell {
  enum class State : uint8_t { Untested, Kept, Broken };
  State state = State::Untested;
  const PolicyRun* run = nullptr;  // the breaking run (Broken)
  size_t check = 0;                // its failing check
  uint32_t evidence = 0;           // promise checks that ran
  uint32_t failed = 0;             // of those, the ones that fail
};
std::vector<std::string> promise_tags(const Comparison& c);
ScoreCell score(const Comparison& c, const std::string& tag, PolicyId p);
const char* score_word(ScoreCell::State s);  // "kept", "broken", "untested"

// The counts that `mmsim compare` prints and every report shows. An expectation of a partial
// search is neither met nor unmet but "unjudged", as in `mmsim run`.
struct Summary {
  uint64_t tests = 0, policies = 0, runs = 0, checks = 0;
  uint64_t met = 0, unmet = 0, unjudged = 0, errors = 0, partial = 0;
};
Summary summarize(const Comparison& c);

// Anchor ids: "test-NAME", "run-NAME~POLICY", "tr-NAME~POLICY~CHECK" (CHECK from 1, 0 for a
// model error). NAME is the test name with any character outside [A-Za-z0-9_.-] replaced, and
// "~2", "~3"... appended when an earlier test has the same name.
std::string test_anchor(const Comparison& c, const litmus::Test* t);
std::string run_anchor(const Comparison& c, const PolicyRun& r);
std::string check_anchor(const Comparison& c, const PolicyRun& r, size_t check);  // check: index
std::string error_anchor(const Comparison& c, const PolicyRun& r);

Comparison run_comparison(const std::deque<litmus::Test>& tests, const RunOptions& opt);

// "expected holds, met", "expected fails, NOT MET", "no expectation", or "..., not judged
// (partial search)": a check's expectation as every report words it.
std::string expectation_phrase(const CheckRecord& k, bool partial);
// What a check's trace shows (a witness, a counterexample or an example run), without end
// punctuation: the checker keeps a shortest run to the verdict's evidence and, in a comparison,
// a shortest run of the other kind (model/check/checker.h).
std::string trace_caption(const CheckRecord& k);

// Where the same trace (step for step, with the same final frames) first appears: an earlier
// check of this run, or a check of an earlier run of the same test. The reports draw each
// distinct trace once and link the repeats to it. `run` is null when this is the first.
struct TraceRef {
  const PolicyRun* run = nullptr;
  size_t check = 0;
};
TraceRef first_same_trace(const Comparison& c, const PolicyRun& r, size_t check);

// A matrix cell as text: each check in order, H holds or F fails, then `=` when the file's
// expectation is met, `!` when not, `?` when a partial search cannot judge it; "ERROR" for a
// model error; "" when the run did not happen.
std::string cell_text(const PolicyRun* r);

std::string comparison_markdown(const Comparison& c);
std::string comparison_json(const Comparison& c);
std::string comparison_html(const Comparison& c);

// The files of a report folder; `compare --out` replaces only a folder that holds no others.
inline const std::vector<std::string> kReportFiles{"comparison.md", "comparison.json", "comparison.html"};

// Runs the comparison, writes DIR/comparison.{md,json,html} into a temporary folder and swaps
// it into place (model/report/files.h), prints a summary; returns the exit status of spec §7.
int write_comparison(const std::deque<litmus::Test>& tests, const RunOptions& opt,
                     const std::string& dir, std::ostream& out, std::ostream& err);

}  // namespace mmsim::model
