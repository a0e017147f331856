// sim/format.h: human-readable views of a World for traces, test failures and `--dump`.
//
// Owns: nothing. Invariant: output depends only on the World's value (byte-identical runs).
#pragma once

#include <string>

#include "sim/world.h"

namespace mmsim {

// One line per used frame: "f3 val=0xAB ref=2 map=2 anon" (free frames with a non-zero value
// are listed as residue).
std::string format_frames(const World& w);
// The VMAs and PTEs of one process, one line each.
std::string format_process(const World& w, ProcId p);
// Everything, for a failing test.
std::string format_world(const World& w);
std::string format_value(Value v);

}  // namespace mmsim
