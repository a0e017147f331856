// model/report_json.cpp: comparison.json: one JSON object with the policies, the summary, the
// tests with their checks and expectations, the scorecard, the matrix (every test x policy,
// with each check's verdict, expectation and counts), and "runs": the lines of `mmsim run
// --json` (spec §7) for every run, traces included.
//
// Invariants: keys come in a fixed order; every string goes through json_escape; the anchors
// are those of comparison.html, so a tool can link into the page.
#include "model/compare.h"
#include "model/output.h"
#include "sim/policy.h"

namespace mmsim::model {
namespace {

std::string n(uint64_t v) {
  return std::to_string(v);
}
std::string str(const std::string& s) {
  return "\"" + json_escape(s) + "\"";
}
std::string pname(PolicyId p) {
  return std::string(policy_name(p));
}

const char* kind_word(litmus::Check::Kind k) {
  switch (k) {
    case litmus::Check::Kind::Exists:
      return "exists";
    case litmus::Check::Kind::Forall:
      return "forall";
    case litmus::Check::Kind::Never:
      return "never";
  }
  return "exists";
}

std::string strings(const std::vector<std::string>& v) {
  std::string out = "[";
  for (size_t i = 0; i < v.size(); ++i) out += (i ? "," : "") + str(v[i]);
  return out + "]";
}

std::string summary(const Comparison& c) {
  const Summary s = summarize(c);
  return "{\"tests\":" + n(s.tests) + ",\"policies\":" + n(s.policies) + ",\"runs\":" + n(s.runs) +
         ",\"checks\":" + n(s.checks) + ",\"expectations_met\":" + n(s.met) +
         ",\"expectations_not_met\":" + n(s.unmet) +
         ",\"expectations_not_judged\":" + n(s.unjudged) + ",\"model_errors\":" + n(s.errors) +
         ",\"partial_searches\":" + n(s.partial) + "}";
}

std::string test_json(const Comparison& c, const litmus::Test& t) {
  std::string out = "{\"name\":" + str(t.name) + ",\"anchor\":" + str(test_anchor(c, &t)) +
                    ",\"file\":" + str(t.file) + ",\"about\":" + str(t.about) +
                    ",\"source\":" + str(t.source) + ",\"tags\":" + strings(t.tags) +
                    ",\"policies\":" + strings(t.policies) + ",\"checks\":[";
  for (size_t i = 0; i < t.checks.size(); ++i) {
    const litmus::Check& k = t.checks[i];
    out += std::string(i ? "," : "") + "{\"number\":" + n(i + 1) + ",\"kind\":\"" +
           kind_word(k.kind) + "\",\"text\":" + str(k.text) + ",\"expected\":{";
    bool first = true;
    for (const auto& [policy, holds] : k.expected) {
      out += (first ? "" : ",") + str(policy) + ":\"" + verdict_word(holds) + "\"";
      first = false;
    }
    out += "}}";
  }
  return out + "]}";
}

std::string scorecard(const Comparison& c) {
  std::string out = "[";
  bool first = true;
  for (const std::string& tag : promise_tags(c)) {
    for (PolicyId p : c.policies) {
      const ScoreCell cell = score(c, tag, p);
      out += (first ? "" : ",\n") + std::string("{\"promise\":") + str(tag) +
             ",\"policy\":" + str(pname(p)) + ",\"state\":\"" + score_word(cell.state) +
             "\",\"checks\":" + n(cell.evidence) + ",\"failing\":" + n(cell.failed);
      if (cell.run) {
        out += ",\"test\":" + str(cell.run->test->name) + ",\"check\":" + n(cell.check + 1) +
               ",\"check_text\":" + str(cell.run->checks[cell.check].text) +
               ",\"anchor\":" + str(check_anchor(c, *cell.run, cell.check));
      }
      out += "}";
      first = false;
    }
  }
  return out + "]";
}

std::string verdicts(const Comparison& c, const PolicyRun& r) {
  std::string out = "[";
  for (size_t i = 0; i < r.checks.size(); ++i) {
    const CheckRecord& k = r.checks[i];
    const std::string met = !k.expected || r.partial ? "null" : (k.unmet() ? "false" : "true");
    out += std::string(i ? "," : "") + "{\"number\":" + n(i + 1) + ",\"verdict\":\"" +
           verdict_word(k.holds) +
           "\",\"expected\":" + (k.expected ? "\"" + verdict_word(*k.expected) + "\"" : "null") +
           ",\"met\":" + met + ",\"positive\":" + n(k.positive) + ",\"negative\":" + n(k.negative) +
           ",\"anchor\":" + str(check_anchor(c, r, i)) + "}";
  }
  return out + "]";
}

// Every test x policy, in table order; "ran" is false where the test did not run.
std::string matrix(const Comparison& c) {
  std::string out = "[";
  bool first = true;
  for (const litmus::Test* t : c.tests) {
    for (PolicyId p : c.policies) {
      const PolicyRun* r = c.find(t, p);
      out += (first ? "" : ",\n") + std::string("{\"test\":") + str(t->name) +
             ",\"policy\":" + str(pname(p)) + ",\"ran\":" + (r ? "true" : "false");
      first = false;
      if (r == nullptr) {
        out += "}";
        continue;
      }
      out += ",\"cell\":" + str(cell_text(r)) + ",\"states\":" + n(r->states) +
             ",\"partial\":" + (r->partial ? "true" : "false") +
             ",\"error\":" + (r->error ? str(*r->error) : "null") +
             ",\"anchor\":" + str(run_anchor(c, *r)) + ",\"verdicts\":" + verdicts(c, *r) + "}";
    }
  }
  return out + "]";
}

std::string runs(const Comparison& c) {
  std::string out = "[\n";
  bool any = false;
  for (const PolicyRun& r : c.runs) {
    std::string lines = run_json(r);
    while (!lines.empty() && lines.back() == '\n') lines.pop_back();
    if (lines.empty()) continue;
    for (char& ch : lines) {
      if (ch == '\n') ch = ',';
    }
    out += (any ? ",\n" : "") + lines;
    any = true;
  }
  return out + "\n]";
}

}  // namespace

std::string comparison_json(const Comparison& c) {
  std::string out = "{\"generator\":\"mmsim compare\",\"policies\":[";
  for (size_t i = 0; i < c.policies.size(); ++i) out += (i ? "," : "") + str(pname(c.policies[i]));
  out += "],\n\"summary\":" + summary(c) + ",\n\"tests\":[";
  for (size_t i = 0; i < c.tests.size(); ++i) out += (i ? ",\n" : "\n") + test_json(c, *c.tests[i]);
  out +=
      "],\n\"scorecard\":" + scorecard(c) + ",\n\"matrix\":" + matrix(c) + ",\n\"runs\":" + runs(c);
  return out + "}\n";
}

}  // namespace mmsim::model
