// model/conform/conform.cpp: the conform loop: plan, run on the kernel, compare, report.
#include "model/conform/conform.h"

#include <charconv>
#include <deque>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <sys/stat.h>

#include "model/check/inputs.h"
#include "model/check/json.h"
#include "model/check/run.h"
#include "model/check/trace.h"
#include "model/conform/emit.h"
#include "model/conform/schedule.h"
#include "model/litmus/parser.h"

namespace mmsim::conform {
namespace {

struct Tally {
  size_t tests = 0, schedules = 0, agree = 0, disagree = 0, expected = 0, failed = 0;
  std::map<std::string, size_t> skipped;     // schedules (or whole tests) by reason
  std::map<std::string, size_t> unobserved;  // checks by reason
  std::set<std::string> disagreeing;         // test names
  std::set<std::string> ran;                 // tests with at least one schedule run
};

struct Outcome {
  std::vector<std::string> model, kernel;  // per step: canonical result text ("" = no register)
  std::vector<std::string> mregs, kregs;   // per register slot: final text ("" = unset)
  std::vector<bool> kobs;
  std::vector<int> kchecks;  // per check: 1/0, -1 unobservable
  bool agree = true;
};

Outcome compare(const litmus::Test& t, const Plan& p, const Schedule& sc, const std::vector<cf_res>& res,
                const std::vector<int>& obs) {
  Outcome o;
  o.mregs.assign(p.slots * p.regs, "");
  o.kregs.assign(p.slots * p.regs, "");
  for (size_t i = 0; i < sc.steps.size(); ++i) {
    o.model.push_back(result_text(sc.steps[i], to_cf(sc.model[i])));
    o.kernel.push_back(result_text(sc.steps[i], res[i]));
    if (sc.dest[i] < 0) continue;
    o.mregs[static_cast<size_t>(sc.dest[i])] = o.model.back();
    o.kregs[static_cast<size_t>(sc.dest[i])] = res[i].kind == CF_R_UNSET ? "" : o.kernel.back();
  }
  for (size_t r = 0; r < o.mregs.size(); ++r) o.agree = o.agree && o.mregs[r] == o.kregs[r];
  for (size_t i = 0; i < p.obs.size(); ++i) {
    o.kobs.push_back(obs[i] != 0);
    o.agree = o.agree && o.kobs.back() == sc.model_obs[i];
  }
  for (size_t c = 0; c < t.checks.size(); ++c)
    o.kchecks.push_back(p.check_skip[c].empty() ? eval_expr(t, p, t.checks[c].expr, o.kregs, o.kobs) : -1);
  return o;
}

std::string replay_cmd(const litmus::Test& t, const Schedule& sc) {
  return "mmsim run --policy mainline --trace --replay " + model::path_to_string(sc.path) + " " + t.file;
}

void print_disagreement(const litmus::Test& t, const Plan& p, const Schedule& sc, size_t k, const Outcome& o,
                        std::ostream& out) {
  out << "DISAGREE " << t.name << " schedule " << k << (sc.witness ? " (witness)" : "") << "\n  replay: "
      << replay_cmd(t, sc) << "\n";
  for (size_t i = 0; i < sc.steps.size(); ++i) {
    std::string line = "  line " + std::to_string(sc.steps[i].line) + "  " + sc.text[i];
    if (line.size() < 44) line.resize(44, ' ');
    const bool differs = sc.dest[i] >= 0 && o.model[i] != o.kernel[i];
    out << line << "  model " << o.model[i] << "  kernel " << o.kernel[i] << (differs ? "   <-- differs" : "") << "\n";
  }
  for (size_t i = 0; i < p.obs.size(); ++i)
    out << "  atom " << p.obs[i].text << ": model " << (sc.model_obs[i] ? "true" : "false") << ", kernel "
        << (o.kobs[i] ? "true" : "false") << (sc.model_obs[i] != o.kobs[i] ? "   <-- differs" : "") << "\n";
  for (size_t c = 0; c < t.checks.size(); ++c)
    out << "  " << t.checks[c].text << ": model " << (sc.model_checks[c] ? "true" : "false") << ", kernel "
        << (o.kchecks[c] < 0 ? "unobservable (" + p.check_skip[c] + ")" : o.kchecks[c] ? "true" : "false") << "\n";
}

std::string json_schedule(const litmus::Test& t, const Plan& p, const Schedule& sc, size_t k, const std::string& result,
                          const std::string& reason, const Outcome* o) {
  model::Json j;
  j["test"] = t.name;
  j["file"] = t.file;
  j["schedule"] = k;
  j["path"] = model::path_to_string(sc.path);
  j["witness"] = sc.witness;
  j["result"] = result;
  j["reason"] = reason.empty() ? model::Json(nullptr) : model::Json(reason);
  model::Json steps = model::Json::array();
  for (size_t i = 0; o && i < sc.steps.size(); ++i)
    steps.push_back({{"line", sc.steps[i].line}, {"op", sc.text[i]}, {"register", sc.dest[i] >= 0},
                     {"model", o->model[i]}, {"kernel", o->kernel[i]}});
  j["steps"] = std::move(steps);
  model::Json checks = model::Json::array();
  for (size_t c = 0; o && c < t.checks.size(); ++c) {
    model::Json one{{"check", t.checks[c].text}, {"model", static_cast<bool>(sc.model_checks[c])}};
    one["kernel"] = o->kchecks[c] < 0 ? model::Json(nullptr) : model::Json(o->kchecks[c] != 0);
    if (!p.check_skip[c].empty()) one["unobservable"] = p.check_skip[c];
    checks.push_back(std::move(one));
  }
  j["checks"] = std::move(checks);
  return model::json_text(j) + "\n";
}

std::map<std::string, std::string> load_expect(const std::string& file, std::ostream& err, bool* ok) {
  std::map<std::string, std::string> m;
  if (file.empty()) return m;
  std::ifstream in(file);
  if (!in) { err << "mmsim conform: cannot read " << file << "\n"; *ok = false; }
  std::string line;
  for (uint32_t n = 1; std::getline(in, line); ++n) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream ls(line);
    std::string name, cause;
    ls >> name;
    std::getline(ls, cause);
    m[name] = cause.substr(cause.find_first_not_of(' ') == std::string::npos ? cause.size() : cause.find_first_not_of(' '));
  }
  return m;
}

void run_test(const litmus::Test& t, const Options& opt, size_t limit, bool two_nodes,
              const std::map<std::string, std::string>& expect, Tally& tally, std::ostream& out) {
  const Plan p = plan(t, limit, two_nodes);
  ++tally.tests;
  for (size_t c = 0; c < p.check_skip.size(); ++c) if (!p.check_skip[c].empty()) ++tally.unobserved[p.check_skip[c]];
  if (!p.skip.empty()) {
    ++tally.skipped["test: " + p.skip];
    if (opt.json) out << model::json_text(model::Json{{"test", t.name}, {"result", "skip"}, {"reason", p.skip}}) << "\n";
    else if (!opt.quiet) out << t.name << ": skipped (" << p.skip << ")\n";
    return;
  }
  size_t agree = 0, dis = 0, skip = 0;
  for (size_t k = 0; k < p.schedules.size(); ++k) {
    const Schedule& sc = p.schedules[k];
    std::string reason = sc.skip;
    std::vector<cf_res> res(sc.steps.size() + 1);
    std::vector<int> obs(p.obs.size() + 1);
    int rc = 77;
    if (reason.empty()) {
      const std::vector<cf_obs> cobs = obs_of(p);
      const cf_sched s = sched_of(t, p, sc, cobs);
      char why[256];
      rc = cf_run_guarded(&s, opt.timeout_ms, opt.keep, res.data(), obs.data(), why, sizeof why);
      reason = why;
      if (!opt.emit_c_dir.empty() && rc == 0) emit_c(opt.emit_c_dir, t, p, sc, k);
    }
    if (rc == 77) {
      ++skip;
      ++tally.skipped[reason];
      if (opt.json) out << json_schedule(t, p, sc, k, "skip", reason, nullptr);
      continue;
    }
    ++tally.schedules;
    tally.ran.insert(t.name);
    if (rc != 0) {
      ++tally.failed;
      out << "FAILED " << t.name << " schedule " << k << ": " << reason << "\n  replay: " << replay_cmd(t, sc) << "\n";
      continue;
    }
    const Outcome o = compare(t, p, sc, res, obs);
    if (o.agree) ++agree, ++tally.agree;
    else {
      ++dis;
      ++tally.disagree;
      tally.disagreeing.insert(t.name);
      if (expect.count(t.name)) ++tally.expected;
      if (!opt.json) print_disagreement(t, p, sc, k, o, out);
    }
    if (opt.json) out << json_schedule(t, p, sc, k, o.agree ? "agree" : "disagree", "", &o);
  }
  if (!opt.json && !opt.quiet)
    out << t.name << ": " << p.schedules.size() << " schedules, " << agree << " agree, " << dis << " disagree"
        << (dis && expect.count(t.name) ? " (expected: " + expect.at(t.name) + ")" : "") << ", " << skip << " skipped\n";
}

void summary(const Tally& s, bool json, std::ostream& out) {
  std::ostringstream sk, un;
  size_t nskip = 0;
  for (const auto& [r, n] : s.skipped) { sk << (nskip ? ", " : "") << r << ": " << n; nskip += n; }
  size_t i = 0;
  for (const auto& [r, n] : s.unobserved) un << (i++ ? ", " : "") << r << ": " << n;
  if (json) {
    model::Json sum{{"tests", s.tests}, {"schedules", s.schedules}, {"agree", s.agree}, {"disagree", s.disagree},
                    {"expected", s.expected}, {"failed", s.failed}};
    sum["skipped"] = model::Json::object();
    for (const auto& [r, n] : s.skipped) sum["skipped"][r] = n;
    sum["unobservable_checks"] = model::Json::object();
    for (const auto& [r, n] : s.unobserved) sum["unobservable_checks"][r] = n;
    out << model::json_text(model::Json{{"summary", std::move(sum)}}) << "\n";
  } else {
    out << "conform: " << s.tests << " tests, " << s.schedules << " schedules run, " << s.agree << " agree, "
        << s.disagree << " disagree (" << s.expected << " expected), " << s.failed << " failed, " << nskip
        << " skipped" << (nskip ? " (" + sk.str() + ")" : "") << "; checks unobservable: "
        << (i ? un.str() : "none") << "\n";
  }
}

// Listed tests that agreed on every schedule they ran: the entry is stale (the fix landed).
size_t stale(const Tally& s, const std::map<std::string, std::string>& expect, std::ostream& out) {
  size_t n = 0;
  for (const auto& [name, cause] : expect) {
    if (s.disagreeing.count(name) || !s.ran.count(name)) continue;
    out << "STALE expected disagreement: " << name << " agrees now; remove it from the list\n";
    ++n;
  }
  return n;
}

}  // namespace

int run(const Options& opt, std::ostream& out, std::ostream& err) {
  size_t limit = 0;
  if (opt.schedules != "all") {
    const char* end = opt.schedules.data() + opt.schedules.size();
    auto [p, ec] = std::from_chars(opt.schedules.data(), end, limit);
    if (ec != std::errc() || p != end || limit == 0) {
      err << "mmsim conform: --schedules needs a whole number N >= 1 or 'all'\n";
      return 2;
    }
  }
  const model::Inputs in = model::collect_inputs(opt.paths);
  for (const std::string& problem : in.problems) err << "mmsim: " << problem << "\n";
  bool inputs_ok = in.problems.empty();
  const std::vector<std::string>& files = in.files;
  const std::map<std::string, std::string> expect = load_expect(opt.expect_file, err, &inputs_ok);
  struct stat st{};
  const bool two_nodes = stat("/sys/devices/system/node/node1", &st) == 0;
  if (!opt.emit_c_dir.empty()) mkdir(opt.emit_c_dir.c_str(), 0755);
  Tally tally;
  for (const std::string& f : files) {
    auto parsed = litmus::parse_file(f);
    if (auto* e = std::get_if<litmus::ParseError>(&parsed)) {
      err << e->to_string() << "\n";
      inputs_ok = false;
      continue;
    }
    run_test(std::get<litmus::Test>(parsed), opt, limit, two_nodes, expect, tally, out);
    out.flush();
  }
  summary(tally, opt.json, out);
  const size_t stale_entries = stale(tally, expect, out);
  if (!inputs_ok) return 2;
  return tally.failed != 0 || tally.disagree != tally.expected || stale_entries != 0 ? 1 : 0;
}

}  // namespace mmsim::conform
