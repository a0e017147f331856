// model/run.h: running litmus tests under policies: the engine behind `mmsim run` and
// `mmsim compare`. It turns search results into records that the printers and reports share.
//
// Owns: RunOptions, PolicyRun and the exit-status rule of spec §7. Invariant: a PolicyRun is
// a pure function of (test, policy, limits); files are visited in sorted order.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/checker.h"
#include "model/litmus/test.h"
#include "model/trace.h"

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

struct CheckRecord {
  std::string text;  // "exists (D0:r0 == 0)"
  litmus::Check::Kind kind = litmus::Check::Kind::Exists;
  bool holds = false;
  std::optional<bool> expected;
  uint64_t positive = 0;
  uint64_t negative = 0;
  std::optional<Trace> trace;  // the telling trace (spec §7), or any with --trace
  std::string replay;          // the command line that replays it
  [[nodiscard]] bool unmet() const { return expected && *expected != holds; }
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
  std::vector<CheckRecord> checks;
};

// The policies a test runs under, given the --policy selection.
std::vector<PolicyId> policies_for(const litmus::Test& t, const std::vector<PolicyId>& selected);

PolicyRun run_policy(const litmus::Test& t, PolicyId policy, const RunOptions& opt);

// Exit status of spec §7 over many runs: 1 for an unmet expectation (on a complete search) or
// a model error, else 3 when a limit stopped a search, else 0. Bad input (2) is the caller's.
int exit_status(const std::vector<PolicyRun>& runs);

// `.litmus` files under each path (a file or a folder searched recursively), sorted.
bool collect_files(const std::vector<std::string>& paths, std::vector<std::string>* files, std::string* error);

}  // namespace mmsim::model
