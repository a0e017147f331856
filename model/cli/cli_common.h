// model/cli/cli_common.h: what the `mmsim` subcommands share: the CLI11 app's context, the option
// groups several subcommands take (--policy, the limits, the PATHs), and loading the tests.
// Each subcommand is one add_*_command() in its own file (cli_run.cpp, cli_compare.cpp,
// cli_conform.cpp, cli.cpp for `policies`); a new subcommand is one more such function, called in cli.cpp.
//
// Owns: option syntax and the rules that turn option text into values. Invariants: every
// number is parsed with std::from_chars; a limit is a number or the word `none`, never a magic
// 0; a problem with an input is reported on `err` and never stops the other inputs.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <deque>
#include <iosfwd>
#include <string>
#include <vector>

#include "model/check/checker.h"
#include "model/litmus/test.h"

namespace mmsim::model {

// What every subcommand's callback writes to, and the exit status it leaves (spec §7).
struct CliContext {
  std::ostream& out;
  std::ostream& err;
  int status = 0;
};

// The limit options as typed; to_limits() turns them into Limits once parsing succeeded.
struct LimitOptions {
  std::string max_states = "5000000";
  std::string max_memory = "auto";
  [[nodiscard]] Limits to_limits() const;
};

// Half of the machine's physical memory (sysconf), the default of --max-memory. It changes
// no output unless a search reaches it.
uint64_t default_max_bytes();

void add_policy_option(CLI::App& cmd, std::vector<PolicyId>* policies);
void add_limit_options(CLI::App& cmd, LimitOptions* limits);
void add_path_arguments(CLI::App& cmd, std::vector<std::string>* paths);

// The help text's description of PATH, the limits and the exit statuses.
extern const char* const kPathsHelp;
extern const char* const kExitHelp;

// Parses every file under `paths`; unusable paths and parse errors are printed on `err` as
// "mmsim: PATH: cause" or "file:line:column: error: ...", the rest are returned. `ok` is false
// when anything was reported (exit 2 at the end).
struct Loaded {
  std::deque<litmus::Test> tests;
  bool ok = true;
};
Loaded load_tests(const std::vector<std::string>& paths, std::ostream& err);

// A warning on `err` for each selected policy that a test's `policies` line excludes.
void warn_excluded_policies(const Loaded& loaded, const std::vector<PolicyId>& selected, std::ostream& err);

void add_run_command(CLI::App& app, CliContext& ctx);
void add_compare_command(CLI::App& app, CliContext& ctx);
void add_policies_command(CLI::App& app, CliContext& ctx);
void add_conform_command(CLI::App& app, CliContext& ctx);

}  // namespace mmsim::model
