// model/report/output.h: what `mmsim run` prints: one block of text per test and policy, or one JSON
// object per line (spec §7).
//
// Owns: the text and JSON formats. Invariant: output is a pure function of the records:
// byte-identical across runs.
#pragma once

#include <string>
#include <vector>

#include "model/check/json.h"

#include "model/check/run.h"

namespace mmsim::model {

std::string run_text(const PolicyRun& run, const RunOptions& opt);
std::string run_json(const PolicyRun& run);  // one line per check (or per model error)
std::vector<Json> run_json_values(const PolicyRun& run);  // the same lines as values
std::string verdict_word(bool holds);

}  // namespace mmsim::model
