// model/litmus/parser.h: the public entry points that turn litmus text (spec §1-§5,
// docs/litmus.md) into a resolved Test.
//
// Owns: nothing; parsing is a pure function of the text. Invariant: parse() never throws,
// never crashes and never reads out of bounds, whatever the input; it returns either a Test
// whose every ID indexes its symbol tables, or the first error in the file.
#pragma once

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "model/litmus/test.h"

namespace mmsim::litmus {

// Parses one file's text; `file` is recorded in Test::file and ParseError::file.
std::variant<Test, ParseError> parse(std::string_view text, std::string file);

// The largest litmus file read (bytes): far above any real test (the bundled ones are under
// 4 KiB), small enough that reading and parsing it cannot exhaust memory.
inline constexpr size_t kMaxFileBytes = size_t{4} << 20;

// Reads and parses a file. Only a regular file (after following symlinks) is read, and only up
// to kMaxFileBytes; anything else is a ParseError at 1:1 that names the cause ("cannot open
// file: Permission denied", "not a regular file: a FIFO", "file too large: ...", "out of
// memory"). Never throws.
std::variant<Test, ParseError> parse_file(const std::string& path);

// The policy names the language accepts in `policies` and in check expectations (spec §6),
// in the spec's order.
const std::vector<std::string>& known_policies();

}  // namespace mmsim::litmus
