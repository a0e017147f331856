// model/report/output.cpp: text and JSON lines of `mmsim run`. See output.h.
#include "model/report/output.h"

#include "sim/policy.h"

namespace mmsim::model {
namespace {

std::string expectation_text(const CheckRecord& c) {
  if (!c.expected) return "no expectation";
  std::string s = "expected " + verdict_word(*c.expected);
  if (!c.known()) return s + ", not judged (partial search)";
  return s + (c.unmet() ? ", NOT MET" : ", met");
}

// "holds", "fails", "unknown (partial)", or "holds (proven by a witness, partial search)".
std::string verdict_text(const CheckRecord& c) {
  switch (c.decided) {
    case Decided::Complete: return verdict_word(c.holds);
    case Decided::Witness: return verdict_word(c.holds) + " (proven by a witness, partial search)";
    case Decided::Counterexample: return verdict_word(c.holds) + " (proven by a counterexample, partial search)";
    case Decided::Unknown: return "unknown (partial)";
  }
  return "unknown (partial)";
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
    out += header(r) + " " + c.text + ": " + verdict_text(c) + " (" + expectation_text(c) +
           ") [" + counts_text(r, c) + "]\n";
    if (c.trace && !opt.quiet) {
      out += trace_text(*c.trace, "    ") + "    replay: " + c.replay + "\n";
    }
  }
  return out;
}

std::vector<Json> run_json_values(const PolicyRun& r) {
  const Json head{{"test", r.test->name}, {"policy", std::string(policy_name(r.policy))}};
  if (r.error) {
    Json line = head;
    line["error"] = *r.error;
    line["states"] = r.states;
    if (r.error_trace) {
      line["trace"] = trace_json(*r.error_trace);
      line["replay"] = r.error_replay;
    }
    return {line};
  }
  std::vector<Json> out;
  for (const CheckRecord& c : r.checks) {
    Json line = head;
    line["check"] = c.text;
    line["verdict"] = verdict_of(c);
    line["expected"] = c.expected ? Json(verdict_word(*c.expected)) : Json(nullptr);
    line["positive"] = c.positive;
    line["negative"] = c.negative;
    line["states"] = r.states;
    line["trace"] = c.trace ? trace_json(*c.trace) : Json::array();
    line["partial"] = r.partial;
    line["deadlocks"] = r.deadlocks;
    if (c.trace) line["replay"] = c.replay;
    if (r.partial) {
      line["decided"] = decided_word(c.decided);
      line["limit"] = r.limit;
    }
    out.push_back(std::move(line));
  }
  return out;
}

std::string run_json(const PolicyRun& r) {
  std::string out;
  for (const Json& line : run_json_values(r)) out += json_text(line) + "\n";
  return out;
}

}  // namespace mmsim::model
