// model/cli/cli.cpp: the `mmsim` command line as one CLI11 app: `run` (cli_run.cpp), `compare`
// (cli_compare.cpp), `policies` (here), --help (per subcommand too) and --version. See cli.h.
#include "model/cli/cli.h"

#include <algorithm>
#include <memory>
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

// Where the policy keeps its mark, for the docs index: from its descriptor.
std::string mark_location(const PolicyDescriptor& d) {
  std::string out;
  auto add = [&out](const std::string& part) { out += (out.empty() ? "" : " + ") + part; };
  if (d.marks.vma) add("VMA bit `" + std::string(d.marks.vma_kernel) + "`");
  if (d.marks.owns_page_flag()) add("page flag `" + std::string(d.marks.page_kernel) + "`");
  if (d.state == PolicyState::WipeQueue) add("side set `World::wipe_queue`");
  return out.empty() ? "none" : out;
}

// The table of docs/policies/README.md (model/tests/policy_docs_test.cpp keeps them equal).
void print_markdown_index(std::ostream& out) {
  out << "| policy | trigger | mark location | merged? | advices | summary |\n"
      << "|---|---|---|---|---|---|\n";
  for (PolicyId id : all_policies()) {
    const PolicyDescriptor& d = descriptor_of(id);
    std::string advices;
    for (const PolicyAdvice& a : d.advices) {
      advices += (advices.empty() ? "`" : ", `") + std::string(a.keyword) + "`";
    }
    out << "| [`" << d.name << "`](" << d.name << ".md) | " << d.trigger << " | "
        << mark_location(d) << " | " << d.merged << " | " << (advices.empty() ? "none" : advices)
        << " | " << d.summary << " |\n";
  }
}

void add_policies_command(CLI::App& app, CliContext& ctx) {
  CLI::App* cmd = app.add_subcommand("policies", "list the policies with one-line descriptions");
  auto markdown = std::make_shared<bool>(false);
  cmd->add_flag("--markdown", *markdown, "print the docs index table (docs/policies/README.md)");
  cmd->callback([&ctx, markdown] {
    if (*markdown) {
      print_markdown_index(ctx.out);
      ctx.status = 0;
      return;
    }
    for (PolicyId id : all_policies()) {
      const PolicyDescriptor& d = descriptor_of(id);
      std::string name(d.name);
      name.resize(22, ' ');
      ctx.out << name << d.summary << "\n";
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
