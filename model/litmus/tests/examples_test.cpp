// model/litmus/tests/examples_test.cpp: the two examples of spec §8 parse to the expected
// structure: symbol tables, IDs, ops, registers, checks and expectations.
#include <gtest/gtest.h>

#include <string>

#include "model/litmus/parser.h"
#include "model/litmus/printer.h"
#include "model/litmus/tests/helpers.h"

namespace mmsim::litmus {
namespace {

using test_util::parse_ok;
using test_util::read_text;

const std::string kData = MMSIM_LITMUS_DATA_DIR;

TEST(SpecExamples, WipeOnForkChildZeroHasExpectedSymbols) {
  const litmus::Test t = parse_ok(read_text(kData + "/wof-child-zero.litmus"));
  EXPECT_EQ(t.name, "wof-child-zero");
  EXPECT_EQ(t.about, "MADV_WIPEONFORK: the child reads zeros, the parent keeps its data");
  EXPECT_EQ(t.source, "004_ca5e915a05e0990f.txt");
  EXPECT_TRUE(t.policies.empty());
  EXPECT_EQ(t.procs, (std::vector<std::string>{"P0", "P1"}));
  EXPECT_EQ(t.initial_procs, 1u);
  EXPECT_TRUE(t.devices.empty());
  EXPECT_EQ(t.names, (std::vector<std::string>{"x"}));
  EXPECT_TRUE(t.handles.empty());
  EXPECT_EQ(t.regs, (std::vector<std::string>{"r0", "r1"}));
  EXPECT_EQ(t.frames, 8u);
  EXPECT_EQ(t.swap_slots, 4u);
  EXPECT_EQ(t.granularity, Granularity::PerOp);
}

TEST(SpecExamples, WipeOnForkChildZeroHasExpectedSteps) {
  const litmus::Test t = parse_ok(read_text(kData + "/wof-child-zero.litmus"));
  const Actor p0 = Actor::process(ProcId{0});
  const Actor p1 = Actor::process(ProcId{1});
  const NameId x{0};
  ASSERT_EQ(t.init.size(), 4u);
  EXPECT_EQ(t.init[0], (Step{p0, Mmap{x, 2, Sharing::Default, Backing::Anon}, RegId::none(), 6}));
  EXPECT_EQ(t.init[1], (Step{p0, Write{AddrRef{x}, 0xAB}, RegId::none(), 7}));
  EXPECT_EQ(t.init[2],
            (Step{p0, Madvise{AddrRef{x, AddrRef::Span::Slice, 0, 1}, Advice::WipeOnFork},
                  RegId::none(), 8}));
  EXPECT_EQ(t.init[3], (Step{p0, Fork{ProcId{1}}, RegId::none(), 9}));
  ASSERT_EQ(t.threads.size(), 2u);
  EXPECT_EQ(t.threads[0].actor, p1);
  EXPECT_EQ(t.threads[0].pos.line, 10u);
  ASSERT_EQ(t.threads[0].steps.size(), 2u);
  EXPECT_EQ(t.threads[0].steps[0],
            (Step{p1, Read{AddrRef{x, AddrRef::Span::Slice, 0, 1}}, RegId{0}, 11}));
  EXPECT_EQ(t.threads[0].steps[1],
            (Step{p1, Read{AddrRef{x, AddrRef::Span::Slice, 1, 2}}, RegId{1}, 12}));
  EXPECT_EQ(t.threads[1].actor, p0);
  ASSERT_EQ(t.threads[1].steps.size(), 1u);
  EXPECT_EQ(t.threads[1].steps[0],
            (Step{p0, Read{AddrRef{x, AddrRef::Span::Slice, 0, 1}}, RegId{0}, 14}));
}

TEST(SpecExamples, WipeOnForkChildZeroHasExpectedCheck) {
  const litmus::Test t = parse_ok(read_text(kData + "/wof-child-zero.litmus"));
  ASSERT_EQ(t.checks.size(), 1u);
  const Check& c = t.checks[0];
  EXPECT_EQ(c.kind, Check::Kind::Forall);
  EXPECT_EQ(c.text, "forall (P1:r0 == 0 && P1:r1 == 0xAB && P0:r0 == 0xAB)");
  EXPECT_EQ(c.expected, (std::map<std::string, bool>{{"mainline", true}}));
  EXPECT_EQ(c.pos.line, 15u);
  EXPECT_EQ(c.pos.column, 1u);
  ASSERT_EQ(c.expr.kind, Expr::Kind::And);
  ASSERT_EQ(c.expr.kids.size(), 3u);
  const Expr& second = c.expr.kids[1];
  EXPECT_EQ(second.kind, Expr::Kind::RegEq);
  EXPECT_EQ(second.actor, Actor::process(ProcId{1}));
  EXPECT_EQ(second.reg, RegId{1});
  EXPECT_EQ(second.expected, Result::of(0xAB));
  EXPECT_EQ(c.expr.kids[2].actor, Actor::process(ProcId{0}));
}

TEST(SpecExamples, ReleaseWhileDioHasExpectedSymbolsAndSteps) {
  const litmus::Test t = parse_ok(read_text(kData + "/release-while-dio.litmus"));
  EXPECT_EQ(t.name, "release-while-dio");
  EXPECT_EQ(t.procs, (std::vector<std::string>{"P0"}));
  EXPECT_EQ(t.devices, (std::vector<std::string>{"D0"}));
  EXPECT_EQ(t.names, (std::vector<std::string>{"buf"}));
  EXPECT_EQ(t.handles, (std::vector<std::string>{"io"}));
  EXPECT_EQ(t.regs, (std::vector<std::string>{"r0"}));
  const Actor p0 = Actor::process(ProcId{0});
  const Actor d0 = Actor::device(DeviceId{0});
  const AddrRef buf{NameId{0}};
  ASSERT_EQ(t.init.size(), 4u);
  EXPECT_EQ(t.init[1].op, (Op{Write{buf, 0x5EC7}}));
  EXPECT_EQ(t.init[2].op, (Op{Madvise{buf, Advice::WipeOnRelease}}));
  EXPECT_EQ(t.init[3].op,
            (Op{Pin{AddrRef{NameId{0}, AddrRef::Span::Slice, 0, 1}, PinKind::Dio, HandleId{0}}}));
  ASSERT_EQ(t.threads.size(), 2u);
  EXPECT_EQ(t.threads[0].actor, p0);
  EXPECT_EQ(t.threads[0].steps.at(0).op, (Op{Munmap{buf}}));
  EXPECT_EQ(t.threads[1].actor, d0);
  ASSERT_EQ(t.threads[1].steps.size(), 2u);
  EXPECT_EQ(t.threads[1].steps[0], (Step{d0, DmaRead{HandleId{0}}, RegId{0}, 13}));
  EXPECT_EQ(t.threads[1].steps[1], (Step{d0, Unpin{HandleId{0}}, RegId::none(), 14}));
}

TEST(SpecExamples, ReleaseWhileDioHasExpectedChecks) {
  const litmus::Test t = parse_ok(read_text(kData + "/release-while-dio.litmus"));
  ASSERT_EQ(t.checks.size(), 2u);
  EXPECT_EQ(t.checks[0].kind, Check::Kind::Exists);
  EXPECT_EQ(t.checks[0].text, "exists (D0:r0 == 0)");
  EXPECT_EQ(t.checks[0].expr.kind, Expr::Kind::RegEq);
  EXPECT_EQ(t.checks[0].expr.actor, Actor::device(DeviceId{0}));
  EXPECT_EQ(t.checks[0].expr.expected, Result::of(0));
  EXPECT_EQ(t.checks[0].expected,
            (std::map<std::string, bool>{{"wipeonrelease-v1", false}, {"wipeonrelease-v2", true}}));
  EXPECT_EQ(t.checks[1].kind, Check::Kind::Never);
  EXPECT_EQ(t.checks[1].text, "never (free has 0x5EC7)");
  EXPECT_EQ(t.checks[1].expr.kind, Expr::Kind::Has);
  EXPECT_EQ(t.checks[1].expr.where.kind, Where::Kind::Free);
  EXPECT_EQ(t.checks[1].expr.value, 0x5EC7u);
  EXPECT_EQ(t.checks[1].expected, (std::map<std::string, bool>{{"wipeonrelease-v1", true}}));
}

TEST(SpecExamples, PrintedExamplesMatchTheSpecText) {
  // The examples are already in canonical form, so printing gives them back byte for byte.
  for (const char* file : {"/wof-child-zero.litmus", "/release-while-dio.litmus"}) {
    const std::string text = read_text(kData + file);
    EXPECT_EQ(print(parse_ok(text)), text) << file;
  }
}

}  // namespace
}  // namespace mmsim::litmus
