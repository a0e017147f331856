// model/check/checker.h: the explicit-state model checker. Breadth-first search over state
// fingerprints with parent links: every final state is reached by a shortest path, and every
// trace is rebuilt by replaying that path from the initial state.
//
// Owns: the search and its statistics. Invariants: the visited store holds a fingerprint, a
// parent index and the transition taken per state, never a full State; only the BFS frontier
// holds States. Results depend only on the program (no clock, no unordered iteration).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/check/state.h"

namespace mmsim::model {

// A limit of kNoLimit means none (`--max-states none`, `--max-memory none`); 0 is a limit of 0.
inline constexpr uint64_t kNoLimit = UINT64_MAX;

struct Limits {
  uint64_t max_states = 5'000'000;  // distinct states stored
  uint64_t max_bytes = 8ull << 30;  // bytes the search holds: store, frontier, paths (footprint.h)
  bool progress = true;             // a progress line on stderr for long searches
};

using Path = std::vector<Transition>;

struct CheckOutcome {
  bool holds = false;
  uint64_t positive = 0;  // final states that satisfy the expression
  uint64_t negative = 0;  // final states that do not
  std::optional<Path> witness;  // the shortest trace that shows the verdict (spec §7)
  std::optional<Path> other;    // the shortest trace of the other kind, for --trace
};

struct SearchResult {
  uint64_t states = 0;       // distinct states explored
  uint64_t transitions = 0;  // transitions taken
  uint64_t finals = 0;
  uint64_t deadlocks = 0;    // final states where a thread never finished
  uint32_t depth = 0;        // longest shortest path
  uint64_t bytes = 0;        // peak bytes the search held (model/check/footprint.h)
  bool partial = false;      // a limit stopped the search
  std::string limit;         // which one
  std::optional<std::string> error;  // an invariant violation (model error)
  std::optional<Path> error_path;
  std::optional<Path> deadlock_path;
  std::vector<CheckOutcome> checks;  // one per test check, in file order
};

SearchResult search(const Program& prog, const Limits& limits);

// Replays a path from the initial state; false if a transition is not enabled on the way.
bool replay(const Program& prog, const Path& path, State* out);

// "0.1.1.0" style text of a path (thread:choice pairs as "t" or "t/c") and its parser.
std::string path_to_string(const Path& p);
bool path_from_string(const std::string& text, Path* out);

}  // namespace mmsim::model
