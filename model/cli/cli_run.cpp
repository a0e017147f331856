// model/cli/cli_run.cpp: `mmsim run` (spec §7): verdicts per test, policy and check, as text or
// JSON lines, with --trace, --trace-dot and --replay. See cli_common.h.
#include <memory>
#include <ostream>

#include "model/check/run.h"
#include "model/cli/cli_common.h"
#include "model/report/files.h"
#include "model/report/output.h"
#include "model/report/trace_dot.h"

namespace mmsim::model {
namespace {

struct RunArgs {
  RunOptions run;
  LimitOptions limits;
  std::string replay;
  std::vector<std::string> paths;
};

constexpr const char* kReplayHelp =
    "run one path instead of a search: the steps of a printed trace as THREAD[/CHOICE] numbers "
    "joined by '.', e.g. 0.1/2.1 (thread 0, then thread 1 taking choice 2, then thread 1), or "
    "'-' for the initial state; needs exactly one --policy NAME and one file. A path that is "
    "not a run of the test is a usage error (exit 2)";

// Usage errors found after parsing: "" or the message.
std::string check_usage(const RunArgs& a, const Loaded& loaded) {
  if (!a.replay.empty()) {
    if (a.run.policies.size() != 1) return "--replay needs exactly one --policy NAME";
    if (loaded.tests.size() != 1 || a.paths.size() != 1) return "--replay needs exactly one test file";
  }
  return "";
}

// Writes the first printed trace as Graphviz; "" or the error.
std::string write_dot(const std::vector<PolicyRun>& runs, const std::string& file) {
  for (const PolicyRun& r : runs) {
    for (const CheckRecord& c : r.checks) {
      if (c.trace) return write_file_atomic(file, trace_dot(*c.trace));
    }
  }
  return "no trace was printed, so " + file + " was not written";
}

int run_command(RunArgs& a, CliContext& ctx) {
  a.run.limits = a.limits.to_limits();
  if (!a.replay.empty()) {
    Path p;
    path_from_string(a.replay, &p);  // checked by the option's validator
    a.run.replay = p;
  }
  if (!a.run.trace_dot.empty()) {
    if (std::string why = refuse_output_file(a.run.trace_dot, a.paths); !why.empty()) {
      ctx.err << "mmsim run: --trace-dot " << a.run.trace_dot << ": refused: " << why << "\n";
      return 2;
    }
  }
  const Loaded loaded = load_tests(a.paths, ctx.err);
  if (std::string e = check_usage(a, loaded); !e.empty()) {
    ctx.err << "mmsim run: " << e << "\n";
    return 2;
  }
  warn_excluded_policies(loaded, a.run.policies, ctx.err);
  std::vector<PolicyRun> runs;
  for (const litmus::Test& t : loaded.tests) {
    for (PolicyId p : policies_for(t, a.run.policies)) {
      PolicyRun r = run_policy(t, p, a.run);
      if (r.bad_replay) {
        ctx.err << "mmsim run: --replay " << a.replay << ": " << *r.bad_replay << "\n";
        return 2;
      }
      ctx.out << (a.run.json ? run_json(r) : run_text(r, a.run));
      runs.push_back(std::move(r));
    }
  }
  ctx.out.flush();
  bool outputs_ok = true;
  if (!a.run.trace_dot.empty()) {
    if (std::string e = write_dot(runs, a.run.trace_dot); !e.empty()) {
      ctx.err << "mmsim run: --trace-dot: " << e << "\n";
      outputs_ok = false;
    }
  }
  if (!loaded.ok || !outputs_ok) return 2;
  return exit_status(runs);
}

}  // namespace

void add_run_command(CLI::App& app, CliContext& ctx) {
  auto args = std::make_shared<RunArgs>();
  CLI::App* cmd = app.add_subcommand("run", "check litmus tests and print a verdict for each test, policy and check");
  add_policy_option(*cmd, &args->run.policies);
  cmd->add_flag("--json", args->run.json, "one JSON object per line instead of text (spec format, extended)");
  cmd->add_flag("--trace", args->run.trace, "print a trace for every check, not only the telling ones");
  cmd->add_flag("--quiet", args->run.quiet, "print only checks whose expectation is not met, and errors");
  add_limit_options(*cmd, &args->limits);
  cmd->add_option("--trace-dot", args->run.trace_dot,
                  "write the first printed trace as a Graphviz graph to FILE (never a .litmus file "
                  "or an input; written whole or not at all)")
      ->type_name("FILE");
  cmd->add_option("--replay", args->replay, kReplayHelp)
      ->type_name("PATH")
      ->check(CLI::Validator(
          [](std::string& v) {
            Path p;
            return path_from_string(v, &p) ? std::string() : "expected THREAD[/CHOICE] steps joined by '.', or '-'";
          },
          "", "path"));
  add_path_arguments(*cmd, &args->paths);
  cmd->footer(std::string(kPathsHelp) + "\n" + kExitHelp);
  cmd->callback([args, &ctx] { ctx.status = run_command(*args, ctx); });
}

}  // namespace mmsim::model
