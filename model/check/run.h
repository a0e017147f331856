// model/check/run.h: running litmus tests under policies: the engine behind `mmsim run` and
// `mmsim compare`. It turns search results into records that the printers and reports share.
//
// Owns: RunOptions, PolicyRun and the exit-status rule of spec §7. Invariant: a PolicyRun is
// a pure function of (test, policy, limits); files are visited in sorted order.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/check/checker.h"
#include "model/check/trace.h"
#include "model/litmus/test.h"

namespace mmsim::model {

struct RunOptions {
  std::vector<PolicyId> policies;  // empty: the test's `policies`, or all
  bool json = false;
  bool trace = false;  // print a trace for every check, not only the telling ones
  bool quiet = false;  // print only checks whose expectation is not met, and errors
  Limits limits;
  std::string trace_dot;       // write the first printed trace here as Graphviz
  std::optional<Path> replay;  // run one path instead of a search (extension)
};

// What decides a check's verdict. A complete search decides every check; a search stopped by
// a limit decides only what the states it reached already prove: an `exists` witness (holds)
// or a `forall`/`never` counterexample (fails). Otherwise the verdict is unknown.
enum class Decided : uint8_t { Complete, Witness, Counterexample, Unknown };
const char* decided_word(Decided d);  // "complete", "witness", "counterexample", "unknown"

struct CheckRecord {
  std::string text;  // "exists (D0:r0 == 0)"
  litmus::Check::Kind kind = litmus::Check::Kind::Exists;
  bool holds = false;
  std::optional<bool> expected;
  uint64_t positive = 0;
  uint64_t negative = 0;
  std::optional<Trace> trace;  // the telling trace (spec §7), or any with --trace
  std::string replay;          // the command line that replays it
  Decided decided = Decided::Complete;
  [[nodiscard]] bool known() const { return decided != Decided::Unknown; }
  // Only a decided verdict can meet or miss its expectation.
  [[nodiscard]] bool unmet() const { return expected && known() && *expected != holds; }
  [[nodiscard]] bool judged() const { return expected && known(); }
};

struct PolicyRun {
  const litmus::Test* test = nullptr;
  PolicyId policy = PolicyId::Mainline;
  uint64_t states = 0;
  uint64_t deadlocks = 0;
  uint64_t bytes = 0;
  bool partial = false;
  std::string limit;
  std::optional<std::string> error;  // model error (invariant violation)
  std::optional<Trace> error_trace;
  std::string error_replay;
  std::optional<std::string> bad_replay;  // --replay: the path is not a run of this test
  std::vector<CheckRecord> checks;
};

// The policies a test runs under, given the --policy selection.
std::vector<PolicyId> policies_for(const litmus::Test& t, const std::vector<PolicyId>& selected);

PolicyRun run_policy(const litmus::Test& t, PolicyId policy, const RunOptions& opt);

// Exit status of spec §7 over many runs: 1 for an unmet expectation (of a decided verdict) or
// a model error, else 3 when a limit stopped a search, else 0. Bad input (2) is the caller's.
int exit_status(const std::vector<PolicyRun>& runs);

// "holds", "fails", or "unknown" for a verdict a partial search did not decide.
std::string verdict_of(const CheckRecord& c);

}  // namespace mmsim::model
