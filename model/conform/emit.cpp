// model/conform/emit.cpp: runtime tables and the emitted C programs (see emit.h).
#include "model/conform/emit.h"

#include <fstream>
#include <sstream>

#include "model/check/checker.h"

namespace mmsim::conform {

extern const char* const kRuntimeSource;  // runtime.h and runtime*.c, made by CMake

namespace {

std::string c_str(const std::string& s) {
  std::string o = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') o += '\\';
    o += c;
  }
  return o + "\"";
}

// The last step that writes each register: the ones a run compares.
std::vector<bool> last_writers(const Schedule& sc) {
  std::vector<bool> last(sc.steps.size(), false);
  std::vector<int> seen;
  for (size_t i = sc.steps.size(); i-- > 0;) {
    if (sc.dest[i] < 0) continue;
    bool dup = false;
    for (int d : seen) dup = dup || d == sc.dest[i];
    if (!dup) { last[i] = true; seen.push_back(sc.dest[i]); }
  }
  return last;
}

}  // namespace

std::vector<cf_obs> obs_of(const Plan& p) {
  std::vector<cf_obs> v;
  for (const ObsAtom& a : p.obs) v.push_back(a.obs);
  return v;
}

cf_sched sched_of(const litmus::Test& t, const Plan& p, const Schedule& sc, const std::vector<cf_obs>& obs) {
  cf_sched s{};
  s.test = t.name.c_str();
  s.procs = static_cast<int32_t>(t.procs.size());
  s.initial_procs = static_cast<int32_t>(t.initial_procs);
  s.handles = static_cast<int32_t>(t.handles.size());
  s.names = static_cast<int32_t>(t.names.size());
  s.nsteps = static_cast<int32_t>(sc.steps.size());
  s.steps = sc.steps.data();
  s.nobs = static_cast<int32_t>(obs.size());
  s.obs = obs.data();
  s.need_swap = p.need_swap ? 1 : 0;
  return s;
}

std::string c_program(const litmus::Test& t, const Plan& p, const Schedule& sc, size_t k) {
  std::ostringstream o;
  const std::vector<bool> last = last_writers(sc);
  o << "/* " << t.name << ", schedule " << k << " (path " << model::path_to_string(sc.path) << "), written by\n"
    << " * `mmsim conform --emit-c`: the litmus test run on this kernel, with the results that the\n"
    << " * model's mainline policy gives as expectations. Build and run (as root, for pins and swap):\n"
    << " *   cc -O2 -o t this-file.c -luring && ./t\n"
    << " * Replay in the model: mmsim run --policy mainline --trace --replay "
    << model::path_to_string(sc.path) << " " << t.file << "\n */\n#define _GNU_SOURCE\n"
    << kRuntimeSource << "\n/* ---- the schedule ---- */\n";
  o << "static const struct cf_step steps[] = {\n";
  for (const cf_step& s : sc.steps)
    o << "  {" << s.kind << ", " << s.actor << ", " << s.op << ", " << s.name << ", " << s.first << ", " << s.last
      << ", " << s.value << "ull, " << s.a << ", " << s.b << ", " << s.handle << ", " << s.line << "},\n";
  o << "};\nstatic const char *const text[] = {\n";
  for (const std::string& x : sc.text) o << "  " << c_str(x) << ",\n";
  o << "};\n/* the model's result where the run compares one (the last write of each register) */\n"
    << "static const char *const expect[] = {\n";
  for (size_t i = 0; i < sc.steps.size(); ++i)
    o << "  " << (last[i] ? c_str(result_text(sc.steps[i], to_cf(sc.model[i]))) : "0") << ",\n";
  o << "};\nstatic const struct cf_obs obs[] = {\n";
  for (const ObsAtom& a : p.obs) o << "  {" << a.obs.kind << ", " << a.obs.index << ", " << a.obs.value << "ull},\n";
  o << "  {0, 0, 0}\n};\nstatic const char *const obs_text[] = {\n";
  for (const ObsAtom& a : p.obs) o << "  " << c_str(a.text) << ",\n";
  o << "  0\n};\nstatic const int obs_expect[] = {";
  for (size_t i = 0; i < p.obs.size(); ++i) o << (sc.model_obs[i] ? 1 : 0) << ", ";
  o << "0};\n\n"
    << "int main(void) {\n"
    << "  cf_actor_reenter();\n"
    << "  enum { N = " << sc.steps.size() << ", M = " << p.obs.size() << " };\n"
    << "  struct cf_sched s = {" << c_str(t.name) << ", " << t.procs.size() << ", " << t.initial_procs << ", "
    << t.handles.size() << ", " << t.names.size() << ", N, steps, M, obs, " << (p.need_swap ? 1 : 0) << "};\n"
    << "  static struct cf_res res[N + 1];\n  static int got[M + 1];\n  char why[256], buf[64];\n"
    << "  int rc = cf_run_guarded(&s, 20000, 0, res, got, why, sizeof why), plan = M, n = 0, fail = 0;\n"
    << "  printf(\"TAP version 13\\n\");\n"
    << "  if (rc == 77) { printf(\"1..0 # SKIP %s\\n\", why); return 4; }\n"
    << "  if (rc != 0) { printf(\"1..0\\nBail out! %s\\n\", why); return 1; }\n"
    << "  for (int i = 0; i < N; i++) plan += expect[i] != 0;\n"
    << "  printf(\"1..%d\\n\", plan);\n"
    << "  for (int i = 0; i < N; i++) {\n"
    << "    if (!expect[i]) continue;\n"
    << "    struct cf_res r = res[i];\n"
    << "    cf_canon(&steps[i], &r);\n"
    << "    cf_res_str(&r, buf, sizeof buf);\n"
    << "    int ok = strcmp(buf, expect[i]) == 0;\n"
    << "    fail += !ok;\n"
    << "    printf(\"%s %d - line %d: %s: kernel %s, model %s\\n\", ok ? \"ok\" : \"not ok\", ++n, steps[i].line, text[i], buf, expect[i]);\n"
    << "  }\n"
    << "  for (int i = 0; i < M; i++) {\n"
    << "    int ok = (got[i] != 0) == obs_expect[i];\n"
    << "    fail += !ok;\n"
    << "    printf(\"%s %d - %s: kernel %d, model %d\\n\", ok ? \"ok\" : \"not ok\", ++n, obs_text[i], got[i] != 0, obs_expect[i]);\n"
    << "  }\n"
    << "  printf(\"# totals: pass:%d fail:%d\\n\", n - fail, fail);\n"
    << "  return fail ? 1 : 0;\n}\n";
  return o.str();
}

bool emit_c(const std::string& dir, const litmus::Test& t, const Plan& p, const Schedule& sc, size_t k) {
  std::ofstream f(dir + "/" + t.name + "-s" + std::to_string(k) + ".c");
  f << c_program(t, p, sc, k);
  return static_cast<bool>(f);
}

}  // namespace mmsim::conform
