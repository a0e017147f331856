// model/report/compare.cpp: running the comparison and writing its files. The renderings live in
// report_md.cpp, report_json.cpp and report_html.cpp. See compare.h.
#include "model/report/compare.h"

#include <algorithm>
#include <filesystem>
#include <ostream>

#include "model/report/files.h"
#include "sim/policy.h"

namespace mmsim::model {
namespace {

std::string slug(const std::string& name) {
  std::string s;
  for (char ch : name) {
    const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                    (ch >= '0' && ch <= '9') || ch == '_' || ch == '.' || ch == '-';
    s += ok ? ch : '_';
  }
  return s.empty() ? "_" : s;
}

// The test's part of every anchor: its slug, made unique by its rank among equal slugs.
std::string test_key(const Comparison& c, const litmus::Test* t) {
  if (auto it = c.keys.find(t); it != c.keys.end()) return it->second;
  return slug(t->name);  // not in this comparison: no rank
}

bool same_trace(const Trace& a, const Trace& b) {
  if (a.steps.size() != b.steps.size() || a.final_frames != b.final_frames) return false;
  for (size_t i = 0; i < a.steps.size(); ++i) {
    const TraceStep& x = a.steps[i];
    const TraceStep& y = b.steps[i];
    if (x.actor != y.actor || x.op != y.op || x.result != y.result || x.changes != y.changes)
      return false;
  }
  return true;
}

void print_problems(const Comparison& c, std::ostream& out) {
  for (const PolicyRun& r : c.runs) {
    const std::string head = r.test->name + " [" + std::string(policy_name(r.policy)) + "]";
    for (const CheckRecord& k : r.checks) {
      if (k.unmet()) {
        out << "  NOT MET: " << head << " " << k.text << ": expected "
            << (*k.expected ? "holds" : "fails") << "\n";
      }
    }
    if (r.error) out << "  MODEL ERROR: " << head << " " << *r.error << "\n";
    if (r.partial) out << "  PARTIAL: " << head << " (" << r.limit << ")\n";
  }
}

}  // namespace

std::string test_anchor(const Comparison& c, const litmus::Test* t) {
  return "test-" + test_key(c, t);
}

std::string run_anchor(const Comparison& c, const PolicyRun& r) {
  return "run-" + test_key(c, r.test) + "~" + std::string(policy_name(r.policy));
}

std::string check_anchor(const Comparison& c, const PolicyRun& r, size_t check) {
  return "tr-" + test_key(c, r.test) + "~" + std::string(policy_name(r.policy)) + "~" +
         std::to_string(check + 1);
}

std::string error_anchor(const Comparison& c, const PolicyRun& r) {
  return "tr-" + test_key(c, r.test) + "~" + std::string(policy_name(r.policy)) + "~0";
}

std::string expectation_phrase(const CheckRecord& k, bool partial) {
  if (!k.expected) return "no expectation";
  const std::string s = std::string("expected ") + (*k.expected ? "holds" : "fails");
  if (partial && !k.known()) return s + ", not judged (partial search)";
  return s + (k.unmet() ? ", NOT MET" : ", met");
}

std::string trace_caption(const CheckRecord& k) {
  if (k.kind == litmus::Check::Kind::Exists) {
    return k.holds ? "Witness (a shortest run to a final state that satisfies the expression)"
                   : "No run satisfies the expression. A shortest run (it ends where the "
                     "expression is false)";
  }
  if (!k.holds) return "Counterexample (a shortest run that breaks the promise)";
  return k.kind == litmus::Check::Kind::Forall
             ? "Every run satisfies the expression. A shortest one"
             : "No run satisfies the expression. A shortest run (it ends where the expression is "
               "false)";
}

TraceRef first_same_trace(const Comparison& c, const PolicyRun& r, size_t check) {
  const std::optional<Trace>& mine = r.checks[check].trace;
  if (!mine) return {};
  const auto runs = c.runs_of.find(r.test);
  if (runs == c.runs_of.end()) return {};
  for (size_t index : runs->second) {
    const PolicyRun& o = c.runs[index];
    for (size_t j = 0; j < o.checks.size() && (&o != &r || j < check); ++j) {
      if (o.checks[j].trace && same_trace(*o.checks[j].trace, *mine)) return {&o, j};
    }
    if (&o == &r) break;
  }
  return {};
}

Summary summarize(const Comparison& c) {
  Summary s;
  s.tests = c.tests.size();
  s.policies = c.policies.size();
  s.runs = c.runs.size();
  for (const PolicyRun& r : c.runs) {
    s.errors += r.error ? 1 : 0;
    s.partial += r.partial ? 1 : 0;
    for (const CheckRecord& k : r.checks) {
      ++s.checks;
      if (!k.expected) continue;
      if (!k.known()) {
        ++s.unjudged;
      } else {
        (k.unmet() ? s.unmet : s.met)++;
      }
    }
  }
  return s;
}

const PolicyRun* Comparison::find(const litmus::Test* t, PolicyId p) const {
  const auto it = runs_of.find(t);
  if (it == runs_of.end()) return nullptr;
  for (size_t i : it->second) {
    if (runs[i].policy == p) return &runs[i];
  }
  return nullptr;
}

void Comparison::index() {
  runs_of.clear();
  keys.clear();
  for (size_t i = 0; i < runs.size(); ++i) runs_of[runs[i].test].push_back(i);
  std::map<std::string, size_t> seen;  // slug -> tests so far with it
  for (const litmus::Test* t : tests) {
    const std::string mine = slug(t->name);
    const size_t same = seen[mine]++;
    keys.emplace(t, same ? mine + "~" + std::to_string(same + 1) : mine);
  }
}

Comparison run_comparison(const std::deque<litmus::Test>& tests, const RunOptions& opt) {
  Comparison c;
  for (PolicyId id : all_policies()) {
    if (opt.policies.empty() ||
        std::find(opt.policies.begin(), opt.policies.end(), id) != opt.policies.end()) {
      c.policies.push_back(id);
    }
  }
  RunOptions ro = opt;
  ro.trace = true;  // the report shows a trace in every cell that has one
  for (const litmus::Test& t : tests) {
    c.tests.push_back(&t);
    for (PolicyId p : policies_for(t, c.policies)) c.runs.push_back(run_policy(t, p, ro));
  }
  c.index();
  return c;
}

int write_comparison(const std::deque<litmus::Test>& tests, const RunOptions& opt,
                     const std::string& dir, std::ostream& out, std::ostream& err) {
  Comparison c = run_comparison(tests, opt);
  const std::filesystem::path d(dir);
  const std::string e = replace_dir_atomic(dir, {{"comparison.md", comparison_markdown(c)},
                                                 {"comparison.json", comparison_json(c)},
                                                 {"comparison.html", comparison_html(c)}});
  if (!e.empty()) {
    err << "mmsim compare: " << e << " (the report folder is as it was)\n";
    return 2;
  }
  const Summary s = summarize(c);
  uint64_t kept = 0, broken = 0, untested = 0;
  const std::vector<std::string> tags = promise_tags(c);
  for (const std::string& tag : tags) {
    for (PolicyId p : c.policies) {
      const ScoreCell::State st = score(c, tag, p).state;
      (st == ScoreCell::State::Kept ? kept : st == ScoreCell::State::Broken ? broken : untested)++;
    }
  }
  out << "mmsim compare: " << s.tests << " tests x " << s.policies << " policies, " << s.runs
      << " runs, " << s.checks << " check verdicts\n"
      << "  expectations: " << s.met << " met, " << s.unmet << " not met"
      << (s.unjudged ? ", " : "")
      << (s.unjudged ? std::to_string(s.unjudged) + " not judged (partial)" : "")
      << "; model errors: " << s.errors << "; partial searches: " << s.partial << "\n"
      << "  scorecard: " << tags.size() << " promises x " << s.policies << " policies: " << kept
      << " kept, " << broken << " broken, " << untested << " untested\n"
      << "  report: " << (d / "comparison.html").string()
      << " (also comparison.md, comparison.json)\n";
  print_problems(c, out);
  return exit_status(c.runs);
}

}  // namespace mmsim::model
