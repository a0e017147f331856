// model/report_svg.h: a trace drawn as a sequence diagram in inline SVG: one lane per actor
// (processes, devices, the system), one row per step, with the frame changes beside it.
//
// Owns: the diagram layout. Invariant: output depends only on the trace (deterministic).
#pragma once

#include <string>

#include "model/trace.h"

namespace mmsim::model {

std::string trace_svg(const Trace& t);

}  // namespace mmsim::model
