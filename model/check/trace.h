// model/check/trace.h: a path turned into a readable trace: numbered steps with the actor, the op,
// its result and what changed in frames and swap slots; as text, JSON and a Graphviz graph.
//
// Owns: trace rendering. Invariant: a trace is rebuilt by replaying its path from the initial
// state, so it shows exactly what the checker explored; every rendering is deterministic.
#pragma once

#include <string>
#include <vector>

#include "model/check/checker.h"
#include "model/check/json.h"
#include "model/check/state.h"

namespace mmsim::model {

struct TraceStep {
  std::string actor;   // "P0", "D0", "system"
  std::string op;      // litmus text of the op, or of the page step of an op in flight
  std::string result;  // "ok", a value, "SEGV" or an errno, or "..." for an op still in flight
  std::vector<std::string> changes;  // "f0 val 0x5EC7->0 ref 1->0 freed"
  std::vector<std::string> lanes;    // actors whose lane the step touches (for diagrams)
};

struct Trace {
  std::vector<TraceStep> steps;
  std::string final_frames;  // the frames at the end, one per line
  bool ok = false;           // false: the path did not replay
};

Trace build_trace(const Program& prog, const Path& path);

// The one command line that replays this trace (spec: every printed trace ends with one).
std::string replay_command(const Program& prog, const Path& path);

std::string trace_text(const Trace& t, const std::string& indent);
Json trace_json(const Trace& t);  // [{"step":1,"actor":..,"op":..,"result":..,"changes":[..]},..]

// `text` as one shell word: unchanged when it holds only [A-Za-z0-9_./+,:=@%-], else in single
// quotes (a printed replay line runs as printed, whatever the file is called).
std::string shell_word(const std::string& text);

}  // namespace mmsim::model
