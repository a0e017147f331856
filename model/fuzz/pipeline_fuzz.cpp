// model/fuzz/pipeline_fuzz.cpp: libFuzzer target for the whole pipeline: parse, then check
// under every policy the test runs under with a small state and memory bound, then render the
// text and JSON lines. Any input must go through without a crash or a sanitizer report, and
// the results must be consistent: a complete search counts every final state in each check,
// a partial one stops at its bound, and the JSON is valid.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <variant>

#include "model/check/run.h"
#include "model/litmus/parser.h"
#include "model/report/output.h"

namespace {

void fail(const char* what) {
  std::fprintf(stderr, "pipeline_fuzz: %s\n", what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mmsim;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = litmus::parse(text, "fuzz.litmus");
  if (std::holds_alternative<litmus::ParseError>(parsed)) return 0;
  const litmus::Test& test = std::get<litmus::Test>(parsed);
  model::RunOptions opt;
  opt.limits.max_states = 2000;
  opt.limits.max_bytes = uint64_t{32} << 20;
  opt.limits.progress = false;
  opt.trace = true;
  for (PolicyId p : model::policies_for(test, {})) {
    const model::PolicyRun r = model::run_policy(test, p, opt);
    if (r.partial && r.limit.empty()) fail("a partial search names no limit");
    if (r.states > opt.limits.max_states + 1) fail("the search went past --max-states");
    if (!r.error && r.checks.size() != test.checks.size()) fail("a check has no record");
    for (const model::CheckRecord& c : r.checks) {
      if (!r.partial && !c.known()) fail("a complete search left a verdict unknown");
    }
    const std::string lines = model::run_json(r);
    for (size_t at = 0; at < lines.size();) {
      const size_t end = lines.find('\n', at);
      if (!model::Json::accept(lines.substr(at, end - at))) fail("a JSON line does not parse");
      at = end + 1;
    }
    (void)model::run_text(r, opt);
  }
  return 0;
}
