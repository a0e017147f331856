// model/cli.cpp: parsing of the `mmsim` command line and the `run` and `policies` commands.
// `compare` lives in model/compare.cpp. See cli.h.
#include "model/cli.h"

#include <charconv>
#include <deque>
#include <ostream>
#include <string>
#include <vector>

#include "model/compare.h"
#include "model/conform/conform.h"
#include "model/litmus/parser.h"
#include "model/output.h"
#include "model/run.h"
#include "sim/policy.h"

namespace mmsim::model {
namespace {

constexpr const char* kUsage =
    "usage:\n"
    "  mmsim run     [--policy NAME[,NAME...]|all] [--json] [--trace] [--max-states N]\n"
    "                [--max-memory MB] [--quiet] [--trace-dot FILE] [--replay PATH] PATH...\n"
    "  mmsim compare [--policy ...] [--out DIR] [--max-states N] PATH...\n"
    "  mmsim conform [--schedules N|all] [--emit-c DIR] [--keep] [--json] [--quiet]\n"
    "                [--timeout MS] [--expect FILE] PATH...   (docs/conform.md)\n"
    "  mmsim policies\n"
    "  mmsim --help | --version\n"
    "PATH is a .litmus file or a folder searched recursively for them.\n"
    "Exit status: 0 expectations met, 1 an expectation not met or a model error,\n"
    "2 bad input or usage, 3 a resource limit stopped a search.\n";

struct Args {
  RunOptions run;
  std::string out_dir = "mmsim-report";
  std::vector<std::string> paths;
};

bool parse_u64(const std::string& s, uint64_t* v) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *v);
  return ec == std::errc() && p == s.data() + s.size();
}

bool parse_policies(const std::string& list, std::vector<PolicyId>* out, std::string* bad) {
  out->clear();
  if (list == "all") return true;
  size_t start = 0;
  while (start <= list.size()) {
    size_t comma = list.find(',', start);
    std::string name = list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    PolicyId id;
    if (!policy_from_name(name, &id)) {
      *bad = name;
      return false;
    }
    out->push_back(id);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return true;
}

// Parses options after the command word; returns an error message or "".
std::string parse_args(int argc, const char* const* argv, int first, Args* a) {
  for (int i = first; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&](std::string* v) {
      if (i + 1 >= argc) return false;
      *v = argv[++i];
      return true;
    };
    std::string v;
    uint64_t n = 0;
    if (arg == "--json") a->run.json = true;
    else if (arg == "--trace") a->run.trace = true;
    else if (arg == "--quiet") a->run.quiet = true;
    else if (arg == "--policy") {
      std::string bad;
      if (!value(&v)) return "--policy needs a policy name, a comma-separated list or 'all'";
      if (!parse_policies(v, &a->run.policies, &bad)) return "unknown policy '" + bad + "' (see 'mmsim policies')";
    } else if (arg == "--max-states") {
      if (!value(&v) || !parse_u64(v, &n)) return "--max-states needs a whole number";
      a->run.limits.max_states = n;
    } else if (arg == "--max-memory") {
      if (!value(&v) || !parse_u64(v, &n) || n > (1ull << 40)) return "--max-memory needs a size in MiB";
      a->run.limits.max_bytes = n << 20;
    } else if (arg == "--trace-dot") {
      if (!value(&a->run.trace_dot)) return "--trace-dot needs a file name";
    } else if (arg == "--out") {
      if (!value(&a->out_dir)) return "--out needs a folder";
    } else if (arg == "--replay") {
      Path p;
      if (!value(&v) || !path_from_string(v, &p)) return "--replay needs a path like 0.1.1/2.0 (thread[/choice] steps)";
      a->run.replay = p;
    } else if (!arg.empty() && arg[0] == '-') {
      return "unknown option '" + arg + "'";
    } else {
      a->paths.push_back(arg);
    }
  }
  if (a->paths.empty()) return "expected at least one PATH (a .litmus file or a folder)";
  if (a->run.replay && (a->run.policies.size() != 1 || a->paths.size() != 1)) {
    return "--replay needs exactly one --policy NAME and one file";
  }
  return "";
}

// Parses every file; bad files are reported on err and skipped (spec §7: the others still run).
bool load_tests(const std::vector<std::string>& paths, std::deque<litmus::Test>* tests, std::ostream& err) {
  std::vector<std::string> files;
  std::string error;
  bool ok = collect_files(paths, &files, &error);
  if (!ok) err << "mmsim: " << error << "\n";
  for (const std::string& f : files) {
    auto parsed = litmus::parse_file(f);
    if (auto* e = std::get_if<litmus::ParseError>(&parsed)) {
      err << e->to_string() << "\n";
      ok = false;
      continue;
    }
    tests->push_back(std::move(std::get<litmus::Test>(parsed)));
  }
  return ok;
}

int cmd_run(const Args& a, std::ostream& out, std::ostream& err) {
  std::deque<litmus::Test> tests;
  const bool inputs_ok = load_tests(a.paths, &tests, err);
  std::vector<PolicyRun> runs;
  bool dot_written = a.run.trace_dot.empty();
  for (const litmus::Test& t : tests) {
    for (PolicyId p : policies_for(t, a.run.policies)) {
      PolicyRun r = run_policy(t, p, a.run);
      out << (a.run.json ? run_json(r) : run_text(r, a.run));
      for (const CheckRecord& c : r.checks) {
        if (!dot_written && c.trace) dot_written = write_trace_dot(*c.trace, a.run.trace_dot);
      }
      runs.push_back(std::move(r));
    }
  }
  out.flush();
  if (!inputs_ok) return 2;
  return exit_status(runs);
}

int cmd_policies(std::ostream& out) {
  for (PolicyId id : all_policies()) {
    const Policy& p = policy_of(id);
    std::string name(p.name());
    name.resize(22, ' ');
    out << name << p.summary() << "\n";
  }
  return 0;
}

}  // namespace

int mmsim_main(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  if (argc < 2) {
    err << kUsage;
    return 2;
  }
  const std::string cmd = argv[1];
  if (cmd == "--help" || cmd == "-h") {
    out << kUsage;
    return 0;
  }
  if (cmd == "--version") {
    out << "mmsim 0.1.0\n";
    return 0;
  }
  if (cmd == "policies") return cmd_policies(out);
  if (cmd == "conform") return conform::main(argc - 2, argv + 2, out, err);
  if (cmd != "run" && cmd != "compare") {
    err << "mmsim: unknown command '" << cmd << "'\n" << kUsage;
    return 2;
  }
  Args a;
  if (std::string e = parse_args(argc, argv, 2, &a); !e.empty()) {
    err << "mmsim " << cmd << ": " << e << "\n";
    return 2;
  }
  if (cmd == "run") return cmd_run(a, out, err);
  std::deque<litmus::Test> tests;
  const bool inputs_ok = load_tests(a.paths, &tests, err);
  int status = write_comparison(tests, a.run, a.out_dir, out, err);
  return inputs_ok ? status : 2;
}

}  // namespace mmsim::model
