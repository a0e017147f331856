// model/report/report_md.cpp: comparison.md: the summary, the scorecard, the test x policy verdict
// table, then per test its checks and every trace as text with its replay command. It holds
// the data of comparison.html (without the drawings) and links to the same anchors.
//
// Invariants: free text is Markdown-escaped and table cells never contain a bare '|' or a
// newline; code is fenced by more backticks than it contains.
#include <algorithm>

#include "model/litmus/printer.h"
#include "model/report/compare.h"
#include "model/report/output.h"
#include "sim/policy.h"

namespace mmsim::model {
namespace {

std::string n(uint64_t v) {
  return std::to_string(v);
}
std::string pname(PolicyId p) {
  return std::string(policy_name(p));
}

// Free text: every character Markdown might read as syntax is backslash-escaped.
std::string md(const std::string& s) {
  std::string o;
  for (char ch : s) {
    if (std::string_view("\\`*_[]<>|#").find(ch) != std::string_view::npos) o += '\\';
    o += ch == '\n' ? ' ' : ch;
  }
  return o;
}

size_t longest_backticks(const std::string& s) {
  size_t run = 0, longest = 0;
  for (char ch : s) {
    run = ch == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  return longest;
}

// Inline code, safe inside a table cell: '|' escaped, delimited by more backticks than it holds.
std::string code(const std::string& s) {
  const std::string tick(longest_backticks(s) + 1, '`');
  const std::string pad = s.find('`') != std::string::npos ? " " : "";
  std::string o = tick + pad;
  for (char ch : s) o += ch == '|' ? std::string("\\|") : std::string(1, ch == '\n' ? ' ' : ch);
  return o + pad + tick;
}

std::string fenced(const std::string& body, const std::string& lang) {
  const std::string fence(std::max<size_t>(3, longest_backticks(body) + 1), '`');
  return fence + lang + "\n" + body + (body.empty() || body.back() == '\n' ? "" : "\n") + fence +
         "\n";
}

std::string anchor(const std::string& id) {
  return "<a id=\"" + id + "\"></a>";
}

std::string score_text(const Comparison& c, const ScoreCell& cell) {
  const std::string checks = n(cell.evidence) + (cell.evidence == 1 ? " check" : " checks");
  switch (cell.state) {
    case ScoreCell::State::Untested:
      return "untested";
    case ScoreCell::State::Kept:
      return "kept (" + checks + ")";
    case ScoreCell::State::Broken:
      break;
  }
  return "**broken**: [" + md(cell.run->test->name) + " check " + n(cell.check + 1) + "](#" +
         check_anchor(c, *cell.run, cell.check) + ") (" + n(cell.failed) + " of " + checks +
         " fail)";
}

std::string header_row(const Comparison& c, const std::string& first) {
  const size_t cols = static_cast<size_t>(std::count(first.begin(), first.end(), '|')) + 1;
  std::string h = "| " + first + " |";
  std::string sep = "|";
  for (size_t i = 0; i < cols + c.policies.size(); ++i) sep += "---|";
  for (PolicyId p : c.policies) h += " " + pname(p) + " |";
  return h + "\n" + sep + "\n";
}

// One matrix cell: each check's verdict linked to its trace.
std::string linked_cell(const Comparison& c, const PolicyRun* r) {
  if (r == nullptr || r->error) return r ? "[**ERROR**](#" + error_anchor(c, *r) + ")" : "-";
  std::string s;
  for (size_t i = 0; i < r->checks.size(); ++i) {
    const CheckRecord& k = r->checks[i];
    std::string word = std::string(!k.known() ? "U" : k.holds ? "H" : "F") + (k.expected ? (!k.known()  ? "?"
                                                                         : k.unmet() ? "!"
                                                                                     : "=")
                                                                      : "");
    s += (i ? " " : "") + ("[" + word + "](#" + check_anchor(c, *r, i) + ")");
  }
  return s + (r->partial ? " (partial)" : "");
}

std::string summary(const Comparison& c) {
  const Summary s = summarize(c);
  std::string out =
      "## Summary\n\n"
      "| tests | policies | runs | check verdicts | expectations met | not met "
      "| not judged (partial) | model errors | partial searches |\n"
      "|---|---|---|---|---|---|---|---|---|\n";
  out += "| " + n(s.tests) + " | " + n(s.policies) + " | " + n(s.runs) + " | " + n(s.checks) +
         " | " + n(s.met) + " | " + n(s.unmet) + " | " + n(s.unjudged) + " | " + n(s.errors) +
         " | " + n(s.partial) + " |\n\n";
  std::string problems;
  for (const PolicyRun& r : c.runs) {
    const std::string head = md(r.test->name) + " [" + pname(r.policy) + "]";
    for (size_t i = 0; i < r.checks.size(); ++i) {
      const CheckRecord& k = r.checks[i];
      if (k.unmet()) {
        problems += "- NOT MET: " + head + " [" + code(k.text) + "](#" + check_anchor(c, r, i) +
                    ") " + verdict_of(k) + ", expected " + verdict_word(*k.expected) + "\n";
      }
    }
    if (r.error)
      problems +=
          "- MODEL ERROR: " + head + " [" + md(*r.error) + "](#" + error_anchor(c, r) + ")\n";
    if (r.partial) problems += "- PARTIAL: " + head + " (" + md(r.limit) + ")\n";
  }
  if (!problems.empty()) return out + problems;
  return out + (s.met ? "Every stated expectation is met" : "No expectation is stated") +
         "; no model error; every search is complete.\n";
}

std::string scorecard(const Comparison& c) {
  std::string out =
      "\n## Scorecard: promises x policies\n\n"
      "A check states a promise with a `promise TAG` line (kept when the check holds) or "
      "`promise !TAG` (kept when it fails). A promise is *kept* under a policy when every check "
      "that states it agrees, *broken* when one contradicts it (linked: the first breaking "
      "check), *untested* when none ran to completion. Checks without a promise line are "
      "questions and do not count.\n\n";
  const std::vector<std::string> tags = promise_tags(c);
  if (tags.empty()) return out + "No test carries a tag.\n";
  out += header_row(c, "promise | tests");
  for (const std::string& tag : tags) {
    size_t tests = 0;
    for (const litmus::Test* t : c.tests)
      tests += std::count(t->tags.begin(), t->tags.end(), tag) ? 1 : 0;
    out += "| " + md(tag) + " | " + n(tests) + " |";
    for (PolicyId p : c.policies) out += " " + score_text(c, score(c, tag, p)) + " |";
    out += "\n";
  }
  return out;
}

std::string checks_table(const Comparison& c, const litmus::Test& t) {
  std::string out = header_row(c, "# | check | expected");
  for (size_t i = 0; i < t.checks.size(); ++i) {
    std::string exp;
    for (const auto& [policy, holds] : t.checks[i].expected)
      exp += (exp.empty() ? "" : ", ") + md(policy) + ": " + verdict_word(holds);
    out +=
        "| " + n(i + 1) + " | " + code(t.checks[i].text) + " | " + (exp.empty() ? "-" : exp) + " |";
    for (PolicyId p : c.policies) {
      const PolicyRun* r = c.find(&t, p);
      if (r == nullptr || r->error || i >= r->checks.size()) {
        out += r && r->error ? " error |" : " - |";
        continue;
      }
      const CheckRecord& k = r->checks[i];
      const std::string v = verdict_of(k);
      out += " " + (k.unmet() ? "**" + v + "** (not met)" : v) + " (" +
             n(k.positive) + " sat, " + n(k.negative) + " unsat) |";
    }
    out += "\n";
  }
  return out;
}

std::string trace_part(const Trace& tr, const std::string& replay) {
  return fenced(trace_text(tr, "") + "frames at the end:\n" + tr.final_frames, "text") +
         "\nreplay: " + code(replay) + "\n";
}

std::string run_part(const Comparison& c, const PolicyRun& r) {
  std::string out = "\n" + anchor(run_anchor(c, r)) + "\n#### under " + pname(r.policy) + " (" +
                    n(r.states) + " states" + (r.partial ? ", partial: " + md(r.limit) : "") +
                    ")\n";
  if (r.error) {
    out += "\n" + anchor(error_anchor(c, r)) + "**model error**: " + md(*r.error) + "\n\n";
    if (r.error_trace) out += trace_part(*r.error_trace, r.error_replay);
  }
  for (size_t i = 0; i < r.checks.size(); ++i) {
    const CheckRecord& k = r.checks[i];
    const std::string exp = expectation_phrase(k, r.partial);
    out += "\n" + anchor(check_anchor(c, r, i)) + "**check " + n(i + 1) + "** " + code(k.text) +
           ": " + verdict_of(k) + " (" +
           (k.unmet() ? "**" + exp + "**" : exp) +
           "; final states: " + n(k.positive) + " satisfy, " + n(k.negative) + " do not).\n\n";
    const TraceRef same = first_same_trace(c, r, i);
    if (!k.trace) {
      out += "No final state gives a trace for this verdict.\n";
    } else if (same.run == &r) {
      out += trace_caption(k) + ": the same run as for [check " + n(same.check + 1) + "](#" +
             check_anchor(c, r, same.check) + ").\n";
    } else if (same.run) {
      out += trace_caption(k) + ": step for step the run shown under [" + pname(same.run->policy) +
             ", check " + n(same.check + 1) + "](#" + check_anchor(c, *same.run, same.check) +
             ").\n\nreplay: " + code(k.replay) + "\n";
    } else {
      out += trace_caption(k) + ":\n\n" + trace_part(*k.trace, k.replay);
    }
  }
  return out;
}

std::string test_part(const Comparison& c, const litmus::Test& t) {
  std::string out = "\n" + anchor(test_anchor(c, &t)) + "\n### " + md(t.name) + "\n\n";
  if (!t.about.empty()) out += md(t.about) + "\n\n";
  if (!t.source.empty()) out += "- source: " + md(t.source) + "\n";
  out += "- file: " + code(t.file) + "\n- promises: ";
  for (size_t i = 0; i < t.tags.size(); ++i) out += (i ? ", " : "") + md(t.tags[i]);
  out += std::string(t.tags.empty() ? "none" : "") + "\n- meant for: ";
  for (size_t i = 0; i < t.policies.size(); ++i) out += (i ? ", " : "") + md(t.policies[i]);
  out += std::string(t.policies.empty() ? "all policies" : "") + "\n\n" +
         fenced(litmus::print(t), "") + "\n";
  out += checks_table(c, t);
  for (const PolicyRun& r : c.runs) {
    if (r.test == &t) out += run_part(c, r);
  }
  return out;
}

}  // namespace

std::string cell_text(const PolicyRun* r) {
  if (r == nullptr) return "";
  if (r->error) return "ERROR";
  std::string s;
  for (size_t i = 0; i < r->checks.size(); ++i) {
    const CheckRecord& k = r->checks[i];
    s += (i ? " " : "") + std::string(!k.known() ? "U" : k.holds ? "H" : "F");
    if (k.expected) s += !k.known() ? "?" : k.unmet() ? "!" : "=";
  }
  return s + (r->partial ? " (partial)" : "");
}

std::string comparison_markdown(const Comparison& c) {
  std::string out = "# mmsim comparison\n\n" + n(c.tests.size()) + " tests under " +
                    n(c.policies.size()) + " policies: ";
  for (size_t i = 0; i < c.policies.size(); ++i) out += (i ? ", " : "") + pname(c.policies[i]);
  out +=
      ". Generated by `mmsim compare`; do not edit by hand. The same data with every trace "
      "drawn as a sequence diagram: [comparison.html](comparison.html); as JSON: "
      "`comparison.json`. How to read it: docs/report.md.\n\n";
  out += summary(c) + scorecard(c);
  out +=
      "\n## Verdicts: tests x policies\n\n"
      "Each cell lists the test's checks in order, each linked to its trace: H holds, F fails; "
      "`=` the file's expectation is met, `!` it is not met, `?` a partial search cannot judge "
      "it; - not run.\n\n";
  out += header_row(c, "test");
  for (const litmus::Test* t : c.tests) {
    out += "| [" + md(t->name) + "](#" + test_anchor(c, t) + ") |";
    for (PolicyId p : c.policies) out += " " + linked_cell(c, c.find(t, p)) + " |";
    out += "\n";
  }
  out += "\n## Tests and traces\n";
  for (const litmus::Test* t : c.tests) out += test_part(c, *t);
  return out;
}

}  // namespace mmsim::model
