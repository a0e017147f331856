// model/report/report_json.cpp: comparison.json: one JSON object with the policies, the summary, the
// tests with their checks and expectations, the scorecard, the matrix (every test x policy,
// with each check's verdict, expectation and counts), and "runs": the lines of `mmsim run
// --json` (spec §7) for every run, traces included.
//
// Invariants: keys come in a fixed order; every value is written by nlohmann-json (model/check/json.h); the anchors
// are those of comparison.html, so a tool can link into the page.
#include "model/report/compare.h"
#include "model/report/output.h"
#include "sim/policy.h"

namespace mmsim::model {
namespace {

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

// Elements joined by `sep` inside [ ]: the file's layout puts one record per line.
std::string join(const std::vector<Json>& items, const char* sep, const char* open = "[") {
  std::string out = open;
  for (size_t i = 0; i < items.size(); ++i) out += (i ? sep : "") + json_text(items[i]);
  return out + "]";
}

Json summary(const Comparison& c) {
  const Summary s = summarize(c);
  return Json{{"tests", s.tests},
              {"policies", s.policies},
              {"runs", s.runs},
              {"checks", s.checks},
              {"expectations_met", s.met},
              {"expectations_not_met", s.unmet},
              {"expectations_not_judged", s.unjudged},
              {"model_errors", s.errors},
              {"partial_searches", s.partial}};
}

Json test_json(const Comparison& c, const litmus::Test& t) {
  Json checks = Json::array();
  for (size_t i = 0; i < t.checks.size(); ++i) {
    const litmus::Check& k = t.checks[i];
    Json expected = Json::object();
    for (const auto& [policy, holds] : k.expected) expected[policy] = verdict_word(holds);
    checks.push_back(Json{{"number", i + 1}, {"kind", kind_word(k.kind)}, {"text", k.text}, {"expected", expected}});
  }
  return Json{{"name", t.name},     {"anchor", test_anchor(c, &t)}, {"file", t.file},
              {"about", t.about},   {"source", t.source},           {"tags", t.tags},
              {"policies", t.policies}, {"checks", checks}};
}

std::vector<Json> scorecard(const Comparison& c) {
  std::vector<Json> out;
  for (const std::string& tag : promise_tags(c)) {
    for (PolicyId p : c.policies) {
      const ScoreCell cell = score(c, tag, p);
      Json j{{"promise", tag}, {"policy", pname(p)}, {"state", score_word(cell.state)},
             {"checks", cell.evidence}, {"failing", cell.failed}};
      if (cell.run) {
        j["test"] = cell.run->test->name;
        j["check"] = cell.check + 1;
        j["check_text"] = cell.run->checks[cell.check].text;
        j["anchor"] = check_anchor(c, *cell.run, cell.check);
      }
      out.push_back(std::move(j));
    }
  }
  return out;
}

Json verdicts(const Comparison& c, const PolicyRun& r) {
  Json out = Json::array();
  for (size_t i = 0; i < r.checks.size(); ++i) {
    const CheckRecord& k = r.checks[i];
    out.push_back(Json{{"number", i + 1},
                       {"verdict", verdict_of(k)},
                       {"expected", k.expected ? Json(verdict_word(*k.expected)) : Json(nullptr)},
                       {"met", k.judged() ? Json(!k.unmet()) : Json(nullptr)},
                       {"positive", k.positive},
                       {"negative", k.negative},
                       {"anchor", check_anchor(c, r, i)}});
  }
  return out;
}

// Every test x policy, in table order; "ran" is false where the test did not run.
std::vector<Json> matrix(const Comparison& c) {
  std::vector<Json> out;
  for (const litmus::Test* t : c.tests) {
    for (PolicyId p : c.policies) {
      const PolicyRun* r = c.find(t, p);
      Json j{{"test", t->name}, {"policy", pname(p)}, {"ran", r != nullptr}};
      if (r != nullptr) {
        j["cell"] = cell_text(r);
        j["states"] = r->states;
        j["partial"] = r->partial;
        j["error"] = r->error ? Json(*r->error) : Json(nullptr);
        j["anchor"] = run_anchor(c, *r);
        j["verdicts"] = verdicts(c, *r);
      }
      out.push_back(std::move(j));
    }
  }
  return out;
}

// The lines of `mmsim run --json`: one run's lines share a line of the file.
std::string runs(const Comparison& c) {
  std::string out = "[\n";
  bool any = false;
  for (const PolicyRun& r : c.runs) {
    const std::vector<Json> lines = run_json_values(r);
    if (lines.empty()) continue;
    out += (any ? ",\n" : "") + join(lines, ",", "");
    out.pop_back();  // join's closing ']'
    any = true;
  }
  return out + "\n]";
}

}  // namespace

std::string comparison_json(const Comparison& c) {
  std::vector<Json> tests;
  for (const litmus::Test* t : c.tests) tests.push_back(test_json(c, *t));
  Json policies = Json::array();
  for (PolicyId p : c.policies) policies.push_back(pname(p));
  return "{\"generator\":\"mmsim compare\",\"policies\":" + json_text(policies) + ",\n\"summary\":" +
         json_text(summary(c)) + ",\n\"tests\":" + (tests.empty() ? "[]" : join(tests, ",\n", "[\n")) +
         ",\n\"scorecard\":" + join(scorecard(c), ",\n") + ",\n\"matrix\":" + join(matrix(c), ",\n") +
         ",\n\"runs\":" + runs(c) + "}\n";
}

}  // namespace mmsim::model
