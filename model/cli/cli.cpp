// model/cli/cli.cpp: the `mmsim` command line as one CLI11 app: `run` (cli_run.cpp), `compare`
// (cli_compare.cpp), `policies` (here), --help (per subcommand too) and --version. See cli.h.
#include "model/cli/cli.h"

#include <algorithm>
#include <new>
#include <ostream>
#include <string>
#include <vector>

#include "model/cli/cli_common.h"
#include "sim/policy.h"

#ifndef MMSIM_VERSION
#error "MMSIM_VERSION comes from CMake's project(VERSION) (model/CMakeLists.txt)"
#endif

namespace mmsim::model {

void add_policies_command(CLI::App& app, CliContext& ctx) {
  CLI::App* cmd = app.add_subcommand("policies", "list the policies with one-line descriptions");
  cmd->callback([&ctx] {
    for (PolicyId id : all_policies()) {
      const Policy& p = policy_of(id);
      std::string name(p.name());
      name.resize(22, ' ');
      ctx.out << name << p.summary() << "\n";
    }
    ctx.status = 0;
  });
}

int mmsim_main(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  CliContext ctx{out, err};
  CLI::App app{"mmsim: a model of the Linux memory manager and a model checker for litmus tests "
               "about memory-wipe semantics",
               "mmsim"};
  app.set_version_flag("--version", std::string("mmsim ") + MMSIM_VERSION);
  app.require_subcommand(1);
  app.footer(std::string("Run 'mmsim COMMAND --help' for the options of a command.\n") + kExitHelp);
  add_run_command(app, ctx);
  add_compare_command(app, ctx);
  add_policies_command(app, ctx);
  add_conform_command(app, ctx);
  if (argc > 1 && argv[1][0] != '-') {
    try {
      app.get_subcommand(argv[1]);
    } catch (const CLI::OptionNotFound&) {
      err << "mmsim: unknown command '" << argv[1] << "' (see 'mmsim --help')\n";
      return 2;
    }
  }
  try {
    std::vector<std::string> args(argv + 1, argv + argc);
    std::reverse(args.begin(), args.end());  // CLI11 takes them last first
    app.parse(args);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e, out, err);  // --help, --version
    err << "mmsim: " << e.what() << "\n(run 'mmsim --help' or 'mmsim COMMAND --help')\n";
    return 2;
  } catch (const std::bad_alloc&) {
    err << "mmsim: out of memory\n";
    return 2;
  }
  return ctx.status;
}

}  // namespace mmsim::model
