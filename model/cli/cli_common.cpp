// model/cli/cli_common.cpp: the option groups and test loading the subcommands share. See
// cli_common.h.
#include "model/cli/cli_common.h"

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <ostream>

#include "model/check/inputs.h"
#include "model/check/run.h"
#include "model/litmus/parser.h"
#include "sim/policy.h"

namespace mmsim::model {
namespace {

constexpr uint64_t kMaxMemoryMiB = uint64_t{1} << 40;  // 1 EiB: a typo, not a machine

// A whole number in decimal, all of `s`.
bool parse_u64(const std::string& s, uint64_t* v) {
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *v);
  return !s.empty() && ec == std::errc() && p == s.data() + s.size();
}

// "" or why `s` is not a limit: a positive whole number (at most `max`) or `none`.
std::string limit_error(const std::string& s, uint64_t max, const char* extra = nullptr) {
  uint64_t v = 0;
  if (s == "none" || (extra != nullptr && s == extra)) return "";
  if (!parse_u64(s, &v)) return "expected a whole number or 'none', found '" + s + "'";
  if (v == 0) return "0 would stop every search at once; write 'none' for no limit";
  if (v > max) return "at most " + std::to_string(max) + " (or 'none')";
  return "";
}

uint64_t limit_value(const std::string& s, uint64_t scale) {
  uint64_t v = 0;
  if (s == "none" || !parse_u64(s, &v)) return kNoLimit;
  return v * scale;
}

std::string policy_list_error(const std::string& list, std::vector<PolicyId>* out) {
  out->clear();
  if (list == "all") return "";
  size_t start = 0;
  while (true) {
    const size_t comma = list.find(',', start);
    const std::string name = list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    PolicyId id;
    if (!policy_from_name(name, &id)) return "unknown policy '" + name + "' (see 'mmsim policies')";
    if (std::find(out->begin(), out->end(), id) == out->end()) out->push_back(id);
    if (comma == std::string::npos) return "";
    start = comma + 1;
  }
}

}  // namespace

const char* const kPathsHelp =
    "PATH is a .litmus file or a folder searched recursively for them (symlinks followed, each "
    "folder once). A litmus file is a regular file of at most 4 MiB; a test has at most 4096 "
    "threads, 65535 ops in all and in any one thread, and 4096 names of each kind (processes, "
    "devices, mappings, handles, registers); frames, swap slots and pages per mmap are at most "
    "4096. Every unusable PATH is reported with its cause, the others still run, and the exit "
    "status is then 2.";

const char* const kExitHelp =
    "Exit status: 0 every stated expectation met; 1 an expectation not met or a model error; "
    "2 bad input or usage; 3 a resource limit stopped a search (its verdicts are 'unknown "
    "(partial)' unless what it reached already proves them).";

Limits LimitOptions::to_limits() const {
  Limits l;
  l.max_states = limit_value(max_states, 1);
  l.max_bytes = max_memory == "auto" ? default_max_bytes() : limit_value(max_memory, uint64_t{1} << 20);
  return l;
}

uint64_t default_max_bytes() {
  const long pages = ::sysconf(_SC_PHYS_PAGES);
  const long page = ::sysconf(_SC_PAGESIZE);
  if (pages <= 0 || page <= 0) return uint64_t{4} << 30;  // unknown machine: 4 GiB
  return static_cast<uint64_t>(pages) * static_cast<uint64_t>(page) / 2;
}

void add_policy_option(CLI::App& cmd, std::vector<PolicyId>* policies) {
  cmd.add_option_function<std::string>(
         "--policy",
         [policies](const std::string& v) { policy_list_error(v, policies); },
         "NAME[,NAME...] or 'all' (default: each test's 'policies' line, or all); "
         "see 'mmsim policies'")
      ->type_name("NAME[,NAME...]|all")
      ->check(CLI::Validator(
          [](std::string& v) {
            std::vector<PolicyId> ids;
            return policy_list_error(v, &ids);
          },
          "", "policy"));
}

void add_limit_options(CLI::App& cmd, LimitOptions* limits) {
  cmd.add_option("--max-states", limits->max_states,
                 "stop a search after N distinct states (default 5000000); 'none' for no limit")
      ->type_name("N|none")
      ->check(CLI::Validator([](std::string& v) { return limit_error(v, kNoLimit - 1); }, "", "count"));
  cmd.add_option("--max-memory", limits->max_memory,
                 "stop a search when the bytes it holds (state store, frontier, traces) would "
                 "exceed MiB mebibytes (default 'auto': half the physical memory); 'none' for no "
                 "limit")
      ->type_name("MiB|auto|none")
      ->check(CLI::Validator([](std::string& v) { return limit_error(v, kMaxMemoryMiB, "auto"); }, "", "size"));
}

void add_path_arguments(CLI::App& cmd, std::vector<std::string>* paths) {
  cmd.add_option("PATH", *paths, "a .litmus file or a folder of them (see below)")->required();
}

Loaded load_tests(const std::vector<std::string>& paths, std::ostream& err) {
  Loaded l;
  const Inputs in = collect_inputs(paths);
  for (const std::string& p : in.problems) err << "mmsim: " << p << "\n";
  l.ok = in.problems.empty();
  for (const std::string& f : in.files) {
    auto parsed = litmus::parse_file(f);
    if (auto* e = std::get_if<litmus::ParseError>(&parsed)) {
      err << e->to_string() << "\n";
      l.ok = false;
      continue;
    }
    l.tests.push_back(std::move(std::get<litmus::Test>(parsed)));
  }
  return l;
}

void warn_excluded_policies(const Loaded& loaded, const std::vector<PolicyId>& selected, std::ostream& err) {
  for (const litmus::Test& t : loaded.tests) {
    const std::vector<PolicyId> runs = policies_for(t, selected);
    for (PolicyId p : selected) {
      if (std::find(runs.begin(), runs.end(), p) != runs.end()) continue;
      err << "mmsim: warning: " << t.file << ": test '" << t.name << "' does not run under "
          << policy_name(p) << ": its 'policies' line excludes it\n";
    }
  }
}

}  // namespace mmsim::model
