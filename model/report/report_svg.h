// model/report/report_svg.h: a trace drawn as a sequence diagram in inline SVG: one lane per actor
// (processes, devices, the system), one row per step top to bottom, each step a box with its
// op and result on its actor's lane (an arrow to the lane it acts on: fork, kill, reclaim,
// migrate), the frame changes of the step in a right-hand column, and the final frames last.
//
// Owns: the diagram layout and the HTML/SVG text escaping. Invariants: the output depends only
// on the arguments and uses integer layout (byte-identical across runs); every text is
// escaped; no two texts overlap, because each lane is as wide as its widest (wrapped) label
// and each row as tall as its tallest cell; the SVG carries no ids, so a page may hold many.
#pragma once

#include <string>
#include <vector>

#include "model/check/trace.h"

namespace mmsim::model {

// Escapes text for HTML and SVG element content and for quoted attribute values.
std::string html_escape(const std::string& s);

struct Lane {
  std::string actor;  // "P0", "D0", "system"
  std::string kind;   // "process", "device" or "system": the colour of its header
};

// The diagram of one trace. The lanes come in the given order; an actor of the trace that is
// not among them gets a lane at the right. `label` is the accessible name of the image.
std::string trace_svg(const Trace& t, const std::vector<Lane>& lanes, const std::string& label);

// The style sheet of the diagrams (class selectors under svg.seq); a page includes it once.
extern const char* const kTraceSvgStyle;

}  // namespace mmsim::model
