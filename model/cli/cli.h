// model/cli/cli.h: the `mmsim` command line (spec §7): run, compare, policies, --help, --version.
//
// Owns: argument parsing and exit statuses. Invariant: bad usage or input exits 2 with a
// message naming what was expected; nothing else writes to the streams it is given.
#pragma once

#include <iosfwd>

namespace mmsim::model {

int mmsim_main(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace mmsim::model
