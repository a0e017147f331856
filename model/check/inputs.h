// model/check/inputs.h: turning command-line PATHs into the list of litmus files to run (spec §7:
// a file, or a folder searched recursively for `.litmus` files).
//
// Owns: the walk over the paths and the problems found on the way. Invariants: every path
// that cannot be used is reported once with its real cause (missing, symlink loop, permission,
// not a regular file, empty folder) and the walk goes on with the rest; the file list is in
// argument order, each folder's files sorted; nothing is opened for reading here.
#pragma once

#include <string>
#include <vector>

namespace mmsim::model {

struct Inputs {
  std::vector<std::string> files;     // regular files to parse
  std::vector<std::string> problems;  // "PATH: cause", in the order found
};

Inputs collect_inputs(const std::vector<std::string>& paths);

}  // namespace mmsim::model
