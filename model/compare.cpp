// model/compare.cpp: running the comparison and writing its files. The renderings live in
// report_md.cpp, report_json.cpp and report_html.cpp. See compare.h.
#include "model/compare.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <ostream>

#include "sim/policy.h"

namespace mmsim::model {
namespace {

bool write_file(const std::filesystem::path& p, const std::string& text) {
  std::ofstream f(p, std::ios::binary);
  f << text;
  return static_cast<bool>(f);
}

}  // namespace

const PolicyRun* Comparison::find(const litmus::Test* t, PolicyId p) const {
  for (const PolicyRun& r : runs) {
    if (r.test == t && r.policy == p) return &r;
  }
  return nullptr;
}

Comparison run_comparison(const std::deque<litmus::Test>& tests, const RunOptions& opt) {
  Comparison c;
  for (PolicyId id : all_policies()) {
    if (opt.policies.empty() || std::find(opt.policies.begin(), opt.policies.end(), id) != opt.policies.end()) {
      c.policies.push_back(id);
    }
  }
  RunOptions ro = opt;
  ro.trace = true;  // the report shows a trace in every cell that has one
  for (const litmus::Test& t : tests) {
    c.tests.push_back(&t);
    for (PolicyId p : policies_for(t, c.policies)) c.runs.push_back(run_policy(t, p, ro));
  }
  return c;
}

int write_comparison(const std::deque<litmus::Test>& tests, const RunOptions& opt, const std::string& dir,
                     std::ostream& out, std::ostream& err) {
  Comparison c = run_comparison(tests, opt);
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  const std::filesystem::path d(dir);
  if (ec || !write_file(d / "comparison.md", comparison_markdown(c)) ||
      !write_file(d / "comparison.json", comparison_json(c)) ||
      !write_file(d / "comparison.html", comparison_html(c))) {
    err << "mmsim compare: cannot write the report in " << dir << "\n";
    return 2;
  }
  uint64_t checks = 0, met = 0, unmet = 0, errors = 0, partial = 0;
  for (const PolicyRun& r : c.runs) {
    errors += r.error ? 1 : 0;
    partial += r.partial ? 1 : 0;
    for (const CheckRecord& k : r.checks) {
      ++checks;
      if (k.expected) (k.unmet() ? unmet : met)++;
    }
  }
  out << "mmsim compare: " << c.tests.size() << " tests x " << c.policies.size() << " policies, " << c.runs.size()
      << " runs, " << checks << " check verdicts\n"
      << "  expectations: " << met << " met, " << unmet << " not met; model errors: " << errors
      << "; partial searches: " << partial << "\n"
      << "  report: " << (d / "comparison.html").string() << " (also comparison.md, comparison.json)\n";
  for (const PolicyRun& r : c.runs) {
    for (const CheckRecord& k : r.checks) {
      if (k.unmet()) {
        out << "  NOT MET: " << r.test->name << " [" << policy_name(r.policy) << "] " << k.text << ": expected "
            << (*k.expected ? "holds" : "fails") << "\n";
      }
    }
    if (r.error) out << "  MODEL ERROR: " << r.test->name << " [" << policy_name(r.policy) << "] " << *r.error << "\n";
  }
  return exit_status(c.runs);
}

}  // namespace mmsim::model
