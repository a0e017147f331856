// model/report/trace_dot.h: a trace (model/check/trace.h) as a Graphviz graph, for
// `mmsim run --trace-dot`.
//
// Owns: the DOT rendering. Invariant: a pure function of the trace (byte-identical reruns).
#pragma once

#include <string>

#include "model/check/trace.h"

namespace mmsim::model {

// The trace as a Graphviz graph (boost::write_graphviz): one vertex per state, one edge per
// step labelled with the op and its result.
std::string trace_dot(const Trace& t);

}  // namespace mmsim::model
