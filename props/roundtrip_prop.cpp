// props/roundtrip_prop.cpp: counterexample to litmus (issue #6 item 5). A generated program,
// printed as litmus (every step in `init`), parses back, prints to the same text, and the
// model checker's run of it ends in the very machine the property harness ended in. A
// counterexample file written by a failing property reproduces the violation under `mmsim run`
// with the same policy (exit status 1, the check fails).
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>
#include <variant>

#include "model/check/state.h"
#include "model/cli/cli.h"
#include "model/litmus/parser.h"
#include "model/litmus/printer.h"
#include "props/hunt.h"
#include "sim/policy.h"

namespace mmsim::props {
namespace {

litmus::Test parse_or_fail(const std::string& text) {
  auto parsed = litmus::parse(text, "generated.litmus");
  if (const auto* e = std::get_if<litmus::ParseError>(&parsed)) {
    RC_FAIL("the printed program does not parse: " + e->to_string() + "\n" + text);
  }
  return std::get<litmus::Test>(std::move(parsed));
}

// Every generated program, under a random policy: print, parse, print again, replay.
MMSIM_RC_PROP(RoundTrip, GeneratedProgramsReplayUnderTheChecker, hold_config(0x12A7u)) {
  const auto policies = all_policies();
  const PolicyId policy =
      *rc::gen::elementOf(std::vector<PolicyId>(policies.begin(), policies.end()));
  Harness h(policy, PromiseSet());
  const auto cmds = *rc::state::gen::commands(GenModel(policy), &gen_command);
  GenModel m(policy);
  for (const auto& c : cmds) {
    c->run(m, h);
    c->apply(m);
  }
  const CheckSpec spec{CheckSpec::Kind::FreeHas, {}, 0xFFFFF};
  const std::string text = litmus::print(to_litmus(h.program(), spec, "generated", ""));
  const litmus::Test t = parse_or_fail(text);
  RC_ASSERT(litmus::print(t) == text);
  const model::Program prog{&t, policy, static_cast<uint32_t>(t.regs.size())};
  std::string violation;
  const model::State s = prog.initial(&violation);
  RC_ASSERT(violation.empty());
  // The same transitions: the same frames (values, counts, flags, owners), swap and image.
  RC_ASSERT(s.world.mem == h.world().mem);
  RC_ASSERT(s.world.swap == h.world().swap);
  RC_ASSERT(s.world.image == h.world().image);
  RC_ASSERT(s.world.power == h.world().power);
}

// A counterexample file, run by the mmsim command line under its policy, shows the violation.
TEST(RoundTrip, CounterexampleFileReproducesUnderMmsimRun) {
  const std::vector<Step> cve = {
      {Actor::process(ProcId{0}), Mmap{NameId{0}, 1}, RegId::none(), 0},
      {Actor::process(ProcId{0}), Write{AddrRef{NameId{0}}, 0xA01}, RegId::none(), 0},
      {Actor::process(ProcId{0}), Fork{ProcId{1}}, RegId::none(), 0},
      {Actor::process(ProcId{1}), Vmsplice{AddrRef{NameId{0}}, kPipe0}, RegId::none(), 0},
      {Actor::process(ProcId{1}), Munmap{AddrRef{NameId{0}}}, RegId::none(), 0},
      {Actor::process(ProcId{0}), Write{AddrRef{NameId{0}}, 0xA02}, RegId::none(), 0},
      {Actor::device(DeviceId{0}), PipeRead{kPipe0}, RegId::none(), 0},
  };
  const RunResult r = run_steps(PolicyId::LegacyCow, PromiseSet::of(Promise::PipeIntegrity), cve);
  ASSERT_TRUE(r.violation.has_value());
  const Failure f{r.program, *r.violation};
  const std::string path = write_counterexample(f, "roundtrip-cve-2020-29374");
  ASSERT_FALSE(path.empty());
  const char* argv[] = {"mmsim", "run", "--policy", "legacy-cow", path.c_str()};
  std::ostringstream out, err;
  EXPECT_EQ(model::mmsim_main(5, argv, out, err), 1) << out.str() << err.str();
  EXPECT_NE(out.str().find("fails"), std::string::npos) << out.str();
  // The same file under mainline (its `policies` line removed): the CVE is fixed there.
  std::string text = counterexample_text(f, "roundtrip-cve-2020-29374");
  text.replace(text.find("policies legacy-cow"), std::string("policies legacy-cow").size(),
               "policies mainline");
  std::string why;
  EXPECT_FALSE(replays(text, PolicyId::Mainline, &why)) << why;
}

}  // namespace
}  // namespace mmsim::props
