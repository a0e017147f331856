// model/report/report_html.cpp: comparison.html: one self-contained page (no script, no external
// resource) with the summary, the scorecard, the test x policy matrix in colour, and per test
// its checks and, per policy, every trace as a sequence diagram (model/report/report_svg.cpp) with
// its text and replay command. docs/report.md explains how to read it.
//
// Invariants: every text from a test or a run goes through html_escape; every link points to
// an anchor of compare.h that the page defines; the page is a pure function of the Comparison.
#include <algorithm>

#include "model/litmus/printer.h"
#include "model/report/compare.h"
#include "model/report/output.h"
#include "model/report/report_svg.h"
#include "sim/policy.h"

namespace mmsim::model {
namespace {

using litmus::Check;
using litmus::Test;

constexpr const char* kStyle = R"css(
body{font:14px/1.45 system-ui,'DejaVu Sans',sans-serif;margin:0;color:#1d2430;background:#fafbfc}
header{background:#1f2d3d;color:#fff;padding:14px 24px}
header h1{margin:0 0 4px;font-size:22px}
header p{margin:0;color:#c9d3df}
nav a{color:#9cc7ff;margin-right:14px}
main{padding:8px 24px 40px}
h2{border-bottom:2px solid #d8dee6;padding-bottom:3px;margin-top:28px}
h3{margin:0 0 4px;font-size:18px}
h4{margin:18px 0 6px}
h5{font-size:14px;font-weight:600;margin:6px 0 2px}
h5 small{font-weight:normal}
code,pre{font-family:'DejaVu Sans Mono',Menlo,Consolas,monospace;font-size:12.5px}
pre{background:#f1f3f6;padding:8px;overflow-x:auto;border-radius:4px}
a{color:#0b57b0}
.scroll{overflow-x:auto;max-width:100%}
table.grid{border-collapse:collapse;background:#fff}
.grid td,.grid th{border:1px solid #d3d9e0;padding:4px 8px;vertical-align:top}
.grid thead th{background:#e9edf2;position:sticky;top:0;vertical-align:bottom}
.grid tbody th{text-align:left;font-weight:600}
th.pol{padding:6px 4px}
th.pol span{writing-mode:vertical-rl;transform:rotate(180deg);white-space:nowrap}
#matrix td,.checks td{white-space:nowrap}
#matrix td,#scorecard td{padding:3px 5px}
td.ck{white-space:normal;min-width:18em}
td small,.grid small{display:block;color:#4a5360;font-size:11.5px}
td small a{display:block;max-width:7em;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.n{text-align:right;color:#4a5360}
.kept{background:#d3f0d3}
.broken{background:#f8cccc}
.untested{background:#eceef1;color:#7a8290}
.chip{display:inline-block;min-width:2.1em;text-align:center;padding:0 3px;margin:1px;
  border-radius:4px;font-size:13px;text-decoration:none;color:#1d2430;
  border:1px solid rgba(0,0,0,.18);white-space:nowrap}
.p-h{background:#bfe8bf}
.p-f{background:#f5b5b5}
.e-h{background:#c9defa}
.e-f{background:#f1e2bf}
.unmet{outline:3px solid #d00000;outline-offset:0;font-weight:bold}
.err{background:#9b1111;color:#fff}
.na{color:#9aa2ad;text-align:center}
.partial{background:repeating-linear-gradient(45deg,#fff,#fff 5px,#eceef1 5px,#eceef1 10px)}
.stats{display:flex;flex-wrap:wrap;gap:8px}
.stat{background:#fff;border:1px solid #d3d9e0;border-radius:6px;padding:6px 12px}
.stat b{font-size:20px;margin-right:4px}
.stat.bad{border-color:#d00000;background:#fde8e8}
.stat.good{border-color:#2e8b3a;background:#e8f6e8}
.ok{color:#1a7f37}
.bad{color:#b00000}
.legend{color:#4a5360;font-size:13px}
.test{background:#fff;border:1px solid #d8dee6;border-radius:6px;padding:12px 16px;margin:18px 0}
.about{margin:2px 0 8px;color:#333}
table.meta{font-size:13px}
table.meta th{text-align:left;color:#5b6573;font-weight:normal;padding-right:12px}
.tag{background:#eef1f5;border:1px solid #d3d9e0;border-radius:10px;padding:0 8px;margin-right:4px}
.cols{display:flex;flex-wrap:wrap;gap:8px 28px;align-items:flex-start}
.src pre{margin:4px 0}
.checks{margin-top:8px}
.trace{border-top:1px solid #e3e7ec;padding-top:6px;margin-top:10px}
.trace:target,.test:target{box-shadow:0 0 0 3px #ffd23f}
.cap{margin:2px 0 6px;color:#4a5360}
.replay code{background:#f1f3f6;padding:2px 4px}
.up{font-size:12px;font-weight:normal;margin-left:8px}
)css";

constexpr const char* kScoreLegend = R"(<p class="legend">A check states a promise with a
<code>promise TAG</code> line (kept when the check holds) or <code>promise !TAG</code> (kept when it
fails). A promise is <span class="kept">&nbsp;kept&nbsp;</span> under a policy when every check that
states it agrees, <span class="broken">&nbsp;broken&nbsp;</span> when one contradicts it (the cell
links to the first breaking trace), <span class="untested">&nbsp;untested&nbsp;</span> when none ran
to completion. Checks without a promise line are questions and do not count.</p>)";

constexpr const char* kMatrixLegend = R"(<p class="legend">One chip per check, in the file's
order: &forall; <code>forall</code>, &exist; <code>exists</code>, &#8708; <code>never</code>;
&#10003; holds, &#10007; fails. <span class="chip p-h">&#10003;</span><span class="chip p-f">&#10007;</span>
a promise (<code>forall</code>/<code>never</code>) holds / fails;
<span class="chip e-h">&#10003;</span><span class="chip e-f">&#10007;</span> an <code>exists</code>
holds / fails. <span class="chip p-h unmet">&#10003;!</span> the verdict differs from the file's
expectation. Striped: partial search. Each chip links to its trace; hover for the check.</p>)";

std::string esc(const std::string& s) {
  return html_escape(s);
}
std::string n(uint64_t v) {
  return std::to_string(v);
}
std::string pname(PolicyId p) {
  return std::string(policy_name(p));
}
std::string link(const std::string& anchor, const std::string& body,
                 const std::string& attrs = "") {
  return "<a href=\"#" + esc(anchor) + "\"" + attrs + ">" + body + "</a>";
}

const char* kind_glyph(Check::Kind k) {
  switch (k) {
    case Check::Kind::Exists:
      return "\xE2\x88\x83";  // ∃
    case Check::Kind::Forall:
      return "\xE2\x88\x80";  // ∀
    case Check::Kind::Never:
      return "\xE2\x88\x84";  // ∄
  }
  return "?";
}

// One check's verdict as a coloured chip linking to its trace.
std::string chip(const Comparison& c, const PolicyRun& r, size_t i) {
  const CheckRecord& k = r.checks[i];
  const bool promise = k.kind != Check::Kind::Exists;
  std::string cls = std::string(promise ? "p-" : "e-") + (k.holds ? "h" : "f");
  const bool unmet = k.unmet();
  if (unmet) cls += " unmet";
  const std::string title = "check " + n(i + 1) + ": " + k.text + " " + verdict_of(k) +
                            " under " + pname(r.policy) + " (" + expectation_phrase(k, r.partial) +
                            ")";
  const std::string body = std::string(kind_glyph(k.kind)) +
                           (k.holds ? " \xE2\x9C\x93" : " \xE2\x9C\x97") + (unmet ? "!" : "");
  return link(check_anchor(c, r, i), body,
              " class=\"chip " + cls + "\" title=\"" + esc(title) + "\"");
}

std::string head_row(const Comparison& c, const std::string& first, const std::string& second) {
  std::string h =
      "<thead><tr><th>" + first + "</th>" + (second.empty() ? "" : "<th>" + second + "</th>");
  for (PolicyId p : c.policies) h += "<th class=\"pol\"><span>" + esc(pname(p)) + "</span></th>";
  return h + "</tr></thead>";
}

std::string stat(uint64_t v, const std::string& what, const char* cls) {
  return "<div class=\"stat " + std::string(cls) + "\"><b>" + n(v) + "</b>" + what + "</div>";
}

std::string problems(const Comparison& c) {
  std::string h;
  for (const PolicyRun& r : c.runs) {
    const std::string head = "<b>" + esc(r.test->name) + "</b> [" + esc(pname(r.policy)) + "] ";
    for (size_t i = 0; i < r.checks.size(); ++i) {
      const CheckRecord& k = r.checks[i];
      if (!k.unmet()) continue;
      h += "<li class=\"bad\">not met: " + head +
           link(check_anchor(c, r, i), "<code>" + esc(k.text) + "</code>") + " " +
           verdict_of(k) + ", expected " + verdict_word(*k.expected) + "</li>";
    }
    if (r.error)
      h += "<li class=\"bad\">model error: " + head + link(error_anchor(c, r), esc(*r.error)) +
           "</li>";
    if (r.partial)
      h += "<li>partial search: " + head +
           link(run_anchor(c, r), "stopped by the " + esc(r.limit) + " limit") + "</li>";
  }
  return h.empty() ? "" : "<ul>" + h + "</ul>";
}

std::string summary(const Comparison& c) {
  const Summary s = summarize(c);
  std::string h = "<section id=\"summary\"><h2>Summary</h2><div class=\"stats\">";
  h += stat(s.tests, "tests", "") + stat(s.policies, "policies", "") + stat(s.runs, "runs", "") +
       stat(s.checks, "check verdicts", "") + stat(s.met, "expectations met", s.met ? "good" : "") +
       stat(s.unmet, "expectations not met", s.unmet ? "bad" : "") +
       stat(s.errors, "model errors", s.errors ? "bad" : "") +
       stat(s.partial, "partial searches", s.partial ? "bad" : "");
  if (s.unjudged) h += stat(s.unjudged, "expectations not judged (partial)", "");
  h += "</div>";
  if (s.unmet == 0 && s.errors == 0 && s.partial == 0) {
    h += std::string("<p class=\"ok\">") +
         (s.met ? "Every stated expectation is met" : "No expectation is stated") +
         "; no model error; every search is complete.</p>";
  }
  return h + problems(c) + "</section>";
}

std::string score_cell(const Comparison& c, const std::string& tag, PolicyId p) {
  const ScoreCell cell = score(c, tag, p);
  const std::string checks = n(cell.evidence) + (cell.evidence == 1 ? " check" : " checks");
  switch (cell.state) {
    case ScoreCell::State::Untested:
      return "<td class=\"untested\" title=\"no forall or never check of a test with this tag ran "
             "completely\">untested</td>";
    case ScoreCell::State::Kept:
      return "<td class=\"kept\" title=\"" + checks + ", all hold\">&#10003; kept<small>" + checks +
             "</small></td>";
    case ScoreCell::State::Broken:
      break;
  }
  const PolicyRun& r = *cell.run;
  const std::string title = n(cell.failed) + " of " + checks + " fail; first: " + r.test->name +
                            " check " + n(cell.check + 1) + " " + r.checks[cell.check].text;
  return "<td class=\"broken\" title=\"" + esc(title) + "\">" +
         link(check_anchor(c, r, cell.check), "<b>&#10007; broken</b>") + "<small>" +
         n(cell.failed) + "/" + n(cell.evidence) + " fail</small><small>" +
         link(test_anchor(c, r.test), esc(r.test->name)) + "</small></td>";
}

std::string scorecard(const Comparison& c) {
  const std::vector<std::string> tags = promise_tags(c);
  std::string h = "<section id=\"promises\"><h2>Scorecard: promises &times; policies</h2>";
  h += kScoreLegend;
  if (tags.empty())
    return h + "<p>No test carries a tag, so there is no promise to score.</p></section>";
  h += "<div class=\"scroll\"><table id=\"scorecard\" class=\"grid\">" +
       head_row(c, "promise", "tests") + "<tbody>";
  for (const std::string& tag : tags) {
    size_t tests = 0;
    for (const Test* t : c.tests) tests += std::count(t->tags.begin(), t->tags.end(), tag) ? 1 : 0;
    h += "<tr><th scope=\"row\">" + esc(tag) + "</th><td class=\"n\">" + n(tests) + "</td>";
    for (PolicyId p : c.policies) h += score_cell(c, tag, p);
    h += "</tr>";
  }
  return h + "</tbody></table></div></section>";
}

std::string matrix_cell(const Comparison& c, const PolicyRun* r) {
  if (r == nullptr)
    return "<td class=\"na\" title=\"not run: not selected, or outside the test's "
           "policies\">&mdash;</td>";
  if (r->error) {
    return "<td>" +
           link(error_anchor(c, *r), "model error",
                " class=\"chip err\" title=\"" + esc(*r->error) + "\"") +
           "</td>";
  }
  std::string h = r->partial
                      ? "<td class=\"partial\" title=\"partial search: " + esc(r->limit) + "\">"
                      : "<td>";
  for (size_t i = 0; i < r->checks.size(); ++i) h += chip(c, *r, i);
  return h + (r->partial ? "<small>partial</small>" : "") + "</td>";
}

std::string matrix(const Comparison& c) {
  std::string h = "<section id=\"verdicts\"><h2>Verdicts: tests &times; policies</h2>";
  h += kMatrixLegend;
  h += "<div class=\"scroll\"><table id=\"matrix\" class=\"grid\">" + head_row(c, "test", "") +
       "<tbody>";
  for (const Test* t : c.tests) {
    h += "<tr><th scope=\"row\">" +
         link(test_anchor(c, t), esc(t->name), " title=\"" + esc(t->about) + "\"") + "</th>";
    for (PolicyId p : c.policies) h += matrix_cell(c, c.find(t, p));
    h += "</tr>";
  }
  return h + "</tbody></table></div></section>";
}

// The lanes of a test's diagrams: its processes, devices and the system, in that order; an
// actor gets a lane when it has a thread or acts in the trace, so one test's diagrams align.
std::vector<Lane> lanes_for(const Test& t, const Trace& tr) {
  std::vector<std::string> used;
  for (const litmus::Thread& th : t.threads) used.push_back(litmus::actor_name(t, th.actor));
  for (const TraceStep& s : tr.steps) used.push_back(s.actor);
  auto in_use = [&](const std::string& a) {
    return std::find(used.begin(), used.end(), a) != used.end();
  };
  std::vector<Lane> lanes;
  for (const std::string& p : t.procs) {
    if (in_use(p)) lanes.push_back({p, "process"});
  }
  for (const std::string& d : t.devices) {
    if (in_use(d)) lanes.push_back({d, "device"});
  }
  if (in_use("system")) lanes.push_back({"system", "system"});
  return lanes;
}

std::string diagram(const Test& t, const Trace& tr, const std::string& label,
                    const std::string& replay) {
  std::string h = "<div class=\"scroll\">" + trace_svg(tr, lanes_for(t, tr), label) + "</div>";
  h += "<details><summary>trace as text</summary><pre>" + esc(trace_text(tr, "")) +
       "\nframes at the end:\n" + esc(tr.final_frames) + "</pre></details>";
  return h + "<p class=\"replay\">replay: <code>" + esc(replay) + "</code></p>";
}

std::string trace_block(const Comparison& c, const PolicyRun& r, size_t i) {
  const CheckRecord& k = r.checks[i];
  std::string h = "<div class=\"trace\" id=\"" + esc(check_anchor(c, r, i)) + "\"><h5>" +
                  chip(c, r, i) + " check " + n(i + 1) + " <code>" + esc(k.text) + "</code> " +
                  verdict_of(k) + " under " + esc(pname(r.policy)) + " <small>(" +
                  expectation_phrase(k, r.partial) + "; final states: " + n(k.positive) +
                  " satisfy, " + n(k.negative) + " do not)</small></h5>";
  const TraceRef same = first_same_trace(c, r, i);
  if (same.run == &r) {
    return h + "<p class=\"cap\">" + trace_caption(k) + ": the same run as for " +
           link(check_anchor(c, r, same.check), "check " + n(same.check + 1)) + ".</p></div>";
  }
  if (same.run) {
    return h + "<p class=\"cap\">" + trace_caption(k) + ": step for step the run drawn under " +
           link(check_anchor(c, *same.run, same.check),
                esc(pname(same.run->policy)) + ", check " + n(same.check + 1)) +
           ".</p><p class=\"replay\">replay: <code>" + esc(k.replay) + "</code></p></div>";
  }
  if (!k.trace)
    return h + "<p class=\"cap\">No final state gives a trace for this verdict.</p></div>";
  return h + "<p class=\"cap\">" + trace_caption(k) + ":</p>" +
         diagram(*r.test, *k.trace, r.test->name + " under " + pname(r.policy) + ": " + k.text,
                 k.replay) +
         "</div>";
}

std::string run_section(const Comparison& c, const PolicyRun& r) {
  std::string h =
      "<section class=\"run\" id=\"" + esc(run_anchor(c, r)) + "\"><h4>under " +
      esc(pname(r.policy)) + " <small class=\"up\">" + n(r.states) + " states explored" +
      (r.deadlocks ? ", " + n(r.deadlocks) + " deadlocked final states" : "") +
      (r.partial ? ", <b class=\"bad\">partial search (" + esc(r.limit) + ")</b>" : "") +
      "</small></h4>";
  if (r.error) {
    h += "<div class=\"trace\" id=\"" + esc(error_anchor(c, r)) +
         "\"><h5><span class=\"chip err\">model error</span> " + esc(*r.error) + "</h5>";
    if (r.error_trace) {
      h += "<p class=\"cap\">A shortest run to the invariant violation:</p>" +
           diagram(*r.test, *r.error_trace,
                   r.test->name + " under " + pname(r.policy) + ": model error", r.error_replay);
    }
    h += "</div>";
  }
  for (size_t i = 0; i < r.checks.size(); ++i) h += trace_block(c, r, i);
  return h + "</section>";
}

std::string test_meta(const Test& t) {
  std::string h = "<table class=\"meta\">";
  if (!t.source.empty()) {
    const bool url = t.source.rfind("https://", 0) == 0 || t.source.rfind("http://", 0) == 0;
    h += "<tr><th>source</th><td>" +
         (url ? "<a href=\"" + esc(t.source) + "\">" + esc(t.source) + "</a>" : esc(t.source)) +
         "</td></tr>";
  }
  h += "<tr><th>file</th><td><code>" + esc(t.file) + "</code></td></tr><tr><th>promises</th><td>";
  for (const std::string& tag : t.tags) h += "<span class=\"tag\">" + esc(tag) + "</span>";
  if (t.tags.empty()) h += "none (no tag: the test is not in the scorecard)";
  h += "</td></tr><tr><th>meant for</th><td>";
  for (size_t i = 0; i < t.policies.size(); ++i) h += (i ? ", " : "") + esc(t.policies[i]);
  return h + (t.policies.empty() ? "all policies" : "") + "</td></tr></table>";
}

std::string checks_table(const Comparison& c, const Test& t) {
  std::string h =
      "<div class=\"scroll\"><table class=\"grid checks\">" + head_row(c, "#", "check") + "<tbody>";
  for (size_t i = 0; i < t.checks.size(); ++i) {
    const Check& k = t.checks[i];
    std::string exp;
    for (const auto& [policy, holds] : k.expected)
      exp += (exp.empty() ? "" : ", ") + esc(policy) + ": " + verdict_word(holds);
    h += "<tr><td class=\"n\">" + n(i + 1) + "</td><td class=\"ck\"><code>" + esc(k.text) +
         "</code>" + (exp.empty() ? "" : "<small>expected: " + exp + "</small>") + "</td>";
    for (PolicyId p : c.policies) {
      const PolicyRun* r = c.find(&t, p);
      if (r == nullptr || r->error || i >= r->checks.size()) {
        h += r && r->error ? "<td>" + link(error_anchor(c, *r), "error") + "</td>"
                           : "<td class=\"na\">&mdash;</td>";
        continue;
      }
      const CheckRecord& rec = r->checks[i];
      h += "<td>" + chip(c, *r, i) +
           "<small title=\"final states that satisfy / do not satisfy the expression\">" +
           n(rec.positive) + " / " + n(rec.negative) + "</small></td>";
    }
    h += "</tr>";
  }
  return h +
         "</tbody></table></div><p class=\"legend\">Under each verdict: the final states that "
         "satisfy / do not "
         "satisfy the expression.</p>";
}

std::string test_section(const Comparison& c, const Test& t) {
  std::string h = "<section class=\"test\" id=\"" + esc(test_anchor(c, &t)) + "\"><h3>" +
                  esc(t.name) + "<a class=\"up\" href=\"#verdicts\">&uarr; verdicts</a></h3>";
  if (!t.about.empty()) h += "<p class=\"about\">" + esc(t.about) + "</p>";
  h += "<div class=\"cols\"><div>" + test_meta(t) + checks_table(c, t) +
       "</div><details class=\"src\" open><summary>the "
       "litmus test</summary><pre>" +
       esc(litmus::print(t)) + "</pre></details></div>";
  bool any = false;
  for (const PolicyRun& r : c.runs) {
    if (r.test != &t) continue;
    h += run_section(c, r);
    any = true;
  }
  if (!any) h += "<p class=\"legend\">Not run under the selected policies.</p>";
  return h + "</section>";
}

}  // namespace

std::string comparison_html(const Comparison& c) {
  std::string h =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
      "content=\"width=device-width,initial-scale=1\"><title>mmsim comparison</title><style>";
  h += std::string(kStyle) + kTraceSvgStyle +
       "</style></head><body><header><h1>mmsim comparison</h1><p>" + n(c.tests.size()) +
       " tests under " + n(c.policies.size()) + " policies: ";
  for (size_t i = 0; i < c.policies.size(); ++i) h += (i ? ", " : "") + esc(pname(c.policies[i]));
  h += ". Generated by <code>mmsim compare</code>; see docs/report.md.</p><nav><a "
       "href=\"#summary\">Summary</a>"
       "<a href=\"#promises\">Scorecard</a><a href=\"#verdicts\">Verdicts</a><a "
       "href=\"#tests\">Tests and traces</a>"
       "</nav></header><main>";
  h += summary(c) + scorecard(c) + matrix(c) + "<section id=\"tests\"><h2>Tests and traces</h2>";
  for (const Test* t : c.tests) h += test_section(c, *t);
  return h + "</section></main></body></html>\n";
}

}  // namespace mmsim::model
