// model/output.cpp: text and JSON lines of `mmsim run`. See output.h.
#include "model/output.h"

#include "sim/policy.h"

namespace mmsim::model {
namespace {

std::string expectation_text(const CheckRecord& c, bool partial) {
  if (!c.expected) return "no expectation";
  std::string s = "expected " + verdict_word(*c.expected);
  if (partial) return s + ", not judged (partial search)";
  return s + (c.unmet() ? ", NOT MET" : ", met");
}

std::string counts_text(const PolicyRun& r, const CheckRecord& c) {
  std::string s = "positive " + std::to_string(c.positive) + ", negative " + std::to_string(c.negative) +
                  ", states " + std::to_string(r.states);
  if (r.deadlocks) s += ", deadlocked " + std::to_string(r.deadlocks);
  if (r.partial) s += ", PARTIAL (" + r.limit + ")";
  return s;
}

std::string header(const PolicyRun& r) {
  return r.test->name + " [" + std::string(policy_name(r.policy)) + "]";
}

}  // namespace

std::string verdict_word(bool holds) { return holds ? "holds" : "fails"; }

std::string run_text(const PolicyRun& r, const RunOptions& opt) {
  std::string out;
  if (r.error) {
    out += header(r) + " MODEL ERROR: " + *r.error + "\n";
    if (r.error_trace) out += trace_text(*r.error_trace, "    ") + "    replay: " + r.error_replay + "\n";
    return out;
  }
  for (const CheckRecord& c : r.checks) {
    if (opt.quiet && !c.unmet()) continue;
    out += header(r) + " " + c.text + ": " + verdict_word(c.holds) + " (" + expectation_text(c, r.partial) +
           ") [" + counts_text(r, c) + "]\n";
    if (c.trace && !opt.quiet) {
      out += trace_text(*c.trace, "    ") + "    replay: " + c.replay + "\n";
    }
  }
  return out;
}

std::string run_json(const PolicyRun& r) {
  const std::string head = "{\"test\":\"" + json_escape(r.test->name) + "\",\"policy\":\"" +
                           std::string(policy_name(r.policy)) + "\"";
  if (r.error) {
    std::string line = head + ",\"error\":\"" + json_escape(*r.error) + "\",\"states\":" + std::to_string(r.states);
    if (r.error_trace) line += ",\"trace\":" + trace_json(*r.error_trace) + ",\"replay\":\"" + json_escape(r.error_replay) + "\"";
    return line + "}\n";
  }
  std::string out;
  for (const CheckRecord& c : r.checks) {
    std::string line = head + ",\"check\":\"" + json_escape(c.text) + "\",\"verdict\":\"" + verdict_word(c.holds) +
                       "\",\"expected\":" + (c.expected ? "\"" + verdict_word(*c.expected) + "\"" : "null") +
                       ",\"positive\":" + std::to_string(c.positive) + ",\"negative\":" + std::to_string(c.negative) +
                       ",\"states\":" + std::to_string(r.states) + ",\"trace\":" +
                       (c.trace ? trace_json(*c.trace) : "[]");
    line += ",\"partial\":" + std::string(r.partial ? "true" : "false") + ",\"deadlocks\":" + std::to_string(r.deadlocks);
    if (c.trace) line += ",\"replay\":\"" + json_escape(c.replay) + "\"";
    out += line + "}\n";
  }
  return out;
}

}  // namespace mmsim::model
