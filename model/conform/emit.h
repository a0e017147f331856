// model/conform/emit.h: a schedule as a runtime table, and `--emit-c`: the same table with the
// runtime's source text as one standalone C program (TAP output, kselftest style).
//
// Owns: the text of emitted programs. Invariant: an emitted program contains the runtime
// verbatim (embedded at build time from model/conform/runtime*.c), so it runs exactly what the
// in-process runner runs; its expectations are the model's results in the canonical form.
#pragma once

#include <string>
#include <vector>

#include "model/conform/schedule.h"

namespace mmsim::conform {

std::vector<cf_obs> obs_of(const Plan& p);
cf_sched sched_of(const litmus::Test& t, const Plan& p, const Schedule& sc, const std::vector<cf_obs>& obs);
// The program's text, and writing it to DIR/TEST-sK.c.
std::string c_program(const litmus::Test& t, const Plan& p, const Schedule& sc, size_t k);
bool emit_c(const std::string& dir, const litmus::Test& t, const Plan& p, const Schedule& sc, size_t k);

}  // namespace mmsim::conform
