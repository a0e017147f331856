// model/report_json.cpp: comparison.json: every run record, the scorecard and the tests.
#include "model/compare.h"
#include "model/output.h"
#include "sim/policy.h"

namespace mmsim::model {

std::string comparison_json(const Comparison& c) {
  std::string out = "{\"policies\":[";
  for (size_t i = 0; i < c.policies.size(); ++i) out += (i ? ",\"" : "\"") + std::string(policy_name(c.policies[i])) + "\"";
  out += "],\"tests\":[";
  for (size_t i = 0; i < c.tests.size(); ++i) {
    const litmus::Test& t = *c.tests[i];
    out += (i ? "," : "") + std::string("{\"name\":\"") + json_escape(t.name) + "\",\"file\":\"" + json_escape(t.file) +
           "\",\"about\":\"" + json_escape(t.about) + "\",\"source\":\"" + json_escape(t.source) + "\",\"tags\":[";
    for (size_t k = 0; k < t.tags.size(); ++k) out += (k ? ",\"" : "\"") + json_escape(t.tags[k]) + "\"";
    out += "]}";
  }
  out += "],\"scorecard\":[";
  bool first = true;
  for (const std::string& tag : promise_tags(c)) {
    for (PolicyId p : c.policies) {
      ScoreCell cell = score(c, tag, p);
      const char* st = cell.state == ScoreCell::State::Kept ? "kept" : cell.state == ScoreCell::State::Broken ? "broken" : "untested";
      out += (first ? "" : ",") + std::string("{\"promise\":\"") + json_escape(tag) + "\",\"policy\":\"" +
             std::string(policy_name(p)) + "\",\"state\":\"" + st + "\"";
      if (cell.run) out += ",\"test\":\"" + json_escape(cell.run->test->name) + "\",\"check\":" + std::to_string(cell.check);
      out += "}";
      first = false;
    }
  }
  out += "],\"runs\":[\n";
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
  return out + "\n]}\n";
}

}  // namespace mmsim::model
