// model/report/files.h: writing what mmsim produces (a trace graph, a report folder) without ever
// leaving a half-written file or replacing something the user wrote.
//
// Owns: output paths. Invariants: a file or folder is written under a temporary name in the
// same folder and renamed into place, so a reader (or a kill) sees the old version or the new
// one, never a mix; every failure is returned as a message with its cause (strerror), never
// ignored; an output that would replace an input or a folder that is not an mmsim report is
// refused before anything runs.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace mmsim::model {

// "" when `out` may be written as a file; else why not (it is an input file, a .litmus file,
// a folder). A new file inside an input folder is allowed: it replaces nothing.
std::string refuse_output_file(const std::string& out, const std::vector<std::string>& inputs);

// "" when `dir` may be replaced by a report folder: it does not exist, or holds only files a
// report has (`names`); else why not (it holds other files, it is or contains an input).
std::string refuse_report_dir(const std::string& dir, const std::vector<std::string>& names,
                              const std::vector<std::string>& inputs);

// Writes `text` to `path` through a temporary file and a rename. Returns "" or the error.
std::string write_file_atomic(const std::string& path, const std::string& text);

// Writes every (name, text) into a fresh temporary folder beside `dir`, then puts it in place
// of `dir` with one atomic exchange (renameat2 RENAME_EXCHANGE) and removes the old folder.
// Returns "" or the error; on error `dir` is as it was.
std::string replace_dir_atomic(const std::string& dir,
                               const std::vector<std::pair<std::string, std::string>>& files);

}  // namespace mmsim::model
