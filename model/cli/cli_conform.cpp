// model/cli/cli_conform.cpp: `mmsim conform` (docs/conform.md): the options of the live-kernel
// runner, parsed with CLI11 like the other subcommands. See cli_common.h and
// model/conform/conform.h; the runner itself knows nothing of the command line.
#include <memory>
#include <ostream>

#include "model/cli/cli_common.h"
#include "model/conform/conform.h"

namespace mmsim::model {

void add_conform_command(CLI::App& app, CliContext& ctx) {
  auto opts = std::make_shared<conform::Options>();
  CLI::App* cmd = app.add_subcommand(
      "conform", "run litmus schedules on the running kernel and compare each with the model's "
                 "replay of the same schedule under mainline (docs/conform.md)");
  cmd->add_option("--schedules", opts->schedules,
                  "N: the first N depth-first paths to a final state, plus every witness trace "
                  "`run` prints (default 16); 'all': every path")
      ->type_name("N|all");
  cmd->add_option("--emit-c", opts->emit_c_dir,
                  "also write each schedule as a standalone C program (TAP output) in DIR")
      ->type_name("DIR");
  cmd->add_flag("--keep", opts->keep, "keep each schedule's scratch folder (never its swap file)");
  cmd->add_flag("--json", opts->json, "one JSON object per schedule, then a summary object");
  cmd->add_flag("--quiet", opts->quiet, "print disagreements and the summary only");
  cmd->add_option("--timeout", opts->timeout_ms,
                  "per schedule, in milliseconds (default 20000); the schedule's processes are "
                  "then killed and the schedule counts as a runner failure")
      ->type_name("MS")
      ->check(CLI::Range(1, 3'600'000));
  cmd->add_option("--expect", opts->expect_file,
                  "expected disagreements, one 'TEST  cause' per line; a listed test that agrees "
                  "everywhere is reported as stale (exit 1)")
      ->type_name("FILE");
  add_path_arguments(*cmd, &opts->paths);
  cmd->footer(std::string(kPathsHelp) +
              "\nExit status: 0 every schedule agrees (or disagrees only as expected), 1 an "
              "unexpected disagreement, a runner failure or a stale --expect entry, 2 bad input "
              "or usage.");
  cmd->callback([opts, &ctx] { ctx.status = conform::run(*opts, ctx.out, ctx.err); });
}

}  // namespace mmsim::model
