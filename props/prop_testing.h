// props/prop_testing.h: what the property test files share: the run budgets (CI and soak),
// and writing a counterexample as a .litmus file.
//
// Owns: the budgets and the counterexample folder. Invariant: a budget depends only on the
// build (sanitizers) and MMSIM_SOAK, never on the clock.
#pragma once

#include <string>

#include "props/gen.h"
#include "props/rc_gtest.h"

namespace mmsim::props {

// Whether this binary was built with AddressSanitizer (keep runs small there).
bool sanitized();

// The parameters of a property that is expected to hold: a CI-sized run, or a longer one
// under MMSIM_SOAK=1 (make soak).
PropConfig hold_config(uint64_t seed);

// Where counterexamples go: $MMSIM_COUNTEREXAMPLES, else the build's props/counterexamples.
std::string counterexample_dir();

// Writes the failure as <dir>/<name>.litmus and returns the path ("" if it could not).
std::string write_counterexample(const Failure& f, const std::string& name);

// The litmus text of a failure (the program up to the violating step and its check).
std::string counterexample_text(const Failure& f, const std::string& name);

}  // namespace mmsim::props
