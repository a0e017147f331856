// model/cli/cli_compare.cpp: `mmsim compare` (spec §7): every test under every selected policy,
// written as a report folder. See cli_common.h and compare.h.
#include <memory>
#include <ostream>

#include "model/cli/cli_common.h"
#include "model/report/compare.h"
#include "model/report/files.h"

namespace mmsim::model {
namespace {

struct CompareArgs {
  RunOptions run;
  LimitOptions limits;
  std::string out_dir = "mmsim-report";
  std::vector<std::string> paths;
};

int compare_command(CompareArgs& a, CliContext& ctx) {
  a.run.limits = a.limits.to_limits();
  if (std::string why = refuse_report_dir(a.out_dir, kReportFiles, a.paths); !why.empty()) {
    ctx.err << "mmsim compare: --out " << a.out_dir << ": refused: " << why << "\n";
    return 2;
  }
  const Loaded loaded = load_tests(a.paths, ctx.err);
  if (loaded.tests.empty()) {
    ctx.err << "mmsim compare: no test could be read; the report in " << a.out_dir << " is left as it was\n";
    return 2;
  }
  warn_excluded_policies(loaded, a.run.policies, ctx.err);
  const int status = write_comparison(loaded.tests, a.run, a.out_dir, ctx.out, ctx.err);
  return loaded.ok ? status : 2;
}

}  // namespace

void add_compare_command(CLI::App& app, CliContext& ctx) {
  auto args = std::make_shared<CompareArgs>();
  CLI::App* cmd = app.add_subcommand(
      "compare", "run every test under every selected policy and write comparison.md, .json and .html");
  add_policy_option(*cmd, &args->run.policies);
  cmd->add_option("--out", args->out_dir,
                  "the report folder (default mmsim-report); it is replaced as a whole, and only "
                  "when it holds nothing but report files")
      ->type_name("DIR");
  add_limit_options(*cmd, &args->limits);
  add_path_arguments(*cmd, &args->paths);
  cmd->footer(std::string(kPathsHelp) + "\n" + kExitHelp);
  cmd->callback([args, &ctx] { ctx.status = compare_command(*args, ctx); });
}

}  // namespace mmsim::model
