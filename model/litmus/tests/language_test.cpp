// model/litmus/tests/language_test.cpp: how names resolve to IDs, which actor runs which op,
// the optional forms of ops, and the lexical rules (comments, tabs, CRLF, strings).
#include <gtest/gtest.h>

#include <string>

#include "model/litmus/equal.h"
#include "model/litmus/parser.h"
#include "model/litmus/printer.h"
#include "model/litmus/tests/helpers.h"

namespace mmsim::litmus {
namespace {

using test_util::parse_ok;
using test_util::read_text;

const std::string kData = MMSIM_LITMUS_DATA_DIR;
const std::string kHead = "litmus t\nprocesses P0\n";
const std::string kCheck = "check never (ram has 0x5EC7)\n";

TEST(Names, ForkChildrenAreNumberedByTheirFirstForkAfterTheInitialProcesses) {
  const litmus::Test t = parse_ok(read_text(kData + "/fork-forward.litmus"));
  EXPECT_EQ(t.procs, (std::vector<std::string>{"A", "C", "B", "D"}));
  EXPECT_EQ(t.initial_procs, 1u);
  ASSERT_EQ(t.threads.size(), 4u);
  EXPECT_EQ(t.threads[0].actor, Actor::process(ProcId{2}));  // B, forked further down
  EXPECT_EQ(t.threads[1].steps[0].op, (Op{Fork{ProcId{1}}}));
  EXPECT_EQ(t.threads[1].steps[1].op, (Op{Fork{ProcId{2}}}));
  EXPECT_EQ(t.threads[2].steps[0].op, (Op{Fork{ProcId{3}}}));
}

TEST(Names, RegistersAreSharedByActors) {
  const litmus::Test t = parse_ok(read_text(kData + "/fork-forward.litmus"));
  EXPECT_EQ(t.regs, (std::vector<std::string>{"r0", "rX"}));
  const Expr& atom = t.checks[0].expr.kids[1];
  EXPECT_EQ(atom.actor, Actor::process(ProcId{3}));
  EXPECT_EQ(atom.reg, RegId{1});
}

TEST(Names, DevicesComeFromInitActorsAndDeviceBlocksInOrderOfAppearance) {
  const litmus::Test t = parse_ok(read_text(kData + "/all-ops.litmus"));
  EXPECT_EQ(t.devices, (std::vector<std::string>{"D1", "D2"}));
  EXPECT_EQ(t.init[14].actor, Actor::device(DeviceId{0}));
  EXPECT_EQ(t.threads[3].actor, Actor::device(DeviceId{0}));
  EXPECT_EQ(t.threads[5].actor, Actor::device(DeviceId{1}));
  EXPECT_TRUE(t.threads[5].steps.empty());  // an empty thread is allowed
}

TEST(Names, PinsAndPipesShareTheHandleTable) {
  const litmus::Test t = parse_ok(read_text(kData + "/all-ops.litmus"));
  EXPECT_EQ(t.handles, (std::vector<std::string>{"rdma", "pipe", "io"}));
  EXPECT_EQ(t.names, (std::vector<std::string>{"x", "y", "z", "w"}));
}

TEST(Names, HasResolvesHandlesAndProcesses) {
  const litmus::Test t = parse_ok(read_text(kData + "/expressions.litmus"));
  const Expr& e = t.checks[5].expr;
  ASSERT_EQ(e.kids.size(), 2u);
  EXPECT_EQ(e.kids[0].where.kind, Where::Kind::Process);
  EXPECT_EQ(e.kids[0].where.proc, ProcId{0});
  EXPECT_EQ(e.kids[1].where.kind, Where::Kind::Handle);
  EXPECT_EQ(e.kids[1].where.handle, HandleId{0});
  EXPECT_EQ(e.kids[1].value, 0xABu);
}

TEST(Actors, PipeOpsRunInAnyActorAndSystemOpsInInitUnderSystem) {
  const litmus::Test t = parse_ok(read_text(kData + "/all-ops.litmus"));
  EXPECT_EQ(t.init[15].actor, Actor::system());
  EXPECT_EQ(t.init[15].op,
            (Op{Reclaim{ProcId{0}, AddrRef{NameId{3}, AddrRef::Span::Slice, 2, 3}}}));
  EXPECT_EQ(t.init[16].actor, Actor::system());
  EXPECT_EQ(t.init[16].op, (Op{PipeRead{HandleId{1}}}));
  EXPECT_EQ(t.threads[3].steps[2].op, (Op{PipeClose{HandleId{1}}}));
}

TEST(Actors, InitLineOfAnUnknownNameWithADeviceOpCreatesADevice) {
  const litmus::Test t =
      parse_ok(kHead + "init\n  NIC: dma-read h -> r0\n  NIC: pipe-read h\n" + kCheck);
  EXPECT_EQ(t.devices, (std::vector<std::string>{"NIC"}));
  EXPECT_EQ(t.init[1].actor, Actor::device(DeviceId{0}));
}

TEST(Ops, MmapOptionsMayComeInEitherOrderAndDefaultToPrivateAnon) {
  const litmus::Test t = parse_ok(read_text(kData + "/all-ops.litmus"));
  EXPECT_EQ(t.init[0].op, (Op{Mmap{NameId{0}, 4, Sharing::Shared, Backing::File}}));
  EXPECT_EQ(t.init[1].op, (Op{Mmap{NameId{1}, 2, Sharing::Private, Backing::Secret}}));
  EXPECT_EQ(t.init[2].op, (Op{Mmap{NameId{2}, 1, Sharing::Default, Backing::Droppable}}));
  EXPECT_EQ(t.init[3].op, (Op{Mmap{NameId{3}, 3, Sharing::Private, Backing::Anon}}));
}

TEST(Ops, EveryOpMayStoreItsResult) {
  const litmus::Test t = parse_ok(read_text(kData + "/all-ops.litmus"));
  EXPECT_EQ(t.init[5].dest, RegId{0});  // madvise ... -> r9
  EXPECT_EQ(t.regs.front(), "r9");
  EXPECT_EQ(t.threads[2].steps[0].op, (Op{Exit{}}));
  EXPECT_TRUE(t.threads[2].steps[0].dest.valid());
}

TEST(Ops, ReclaimWithoutTargetIsAChoice) {
  const litmus::Test t = parse_ok(read_text(kData + "/all-ops.litmus"));
  const Thread& system = t.threads[4];
  EXPECT_EQ(system.actor, Actor::system());
  EXPECT_EQ(system.steps[0].op, (Op{Reclaim{ProcId::none(), AddrRef{}}}));
  EXPECT_EQ(system.steps[1].op, (Op{Reclaim{ProcId::none(), AddrRef{}}}));
  EXPECT_TRUE(system.steps[1].dest.valid());
  EXPECT_EQ(system.steps[3].op, (Op{Kill{ProcId{2}}}));
}

TEST(Ops, ValuesAcceptDecimalAndHexInEitherCase) {
  const litmus::Test t = parse_ok(read_text(kData + "/all-ops.litmus"));
  const AddrRef x01{NameId{0}, AddrRef::Span::Slice, 0, 2};
  EXPECT_EQ(t.init[4].op, (Op{Write{x01, 0xDEADBEEF}}));
  EXPECT_EQ(t.init[14].op, (Op{DmaWrite{HandleId{0}, 7}}));
}

TEST(Header, RecordsEveryHeaderLine) {
  const litmus::Test t = parse_ok(read_text(kData + "/all-ops.litmus"));
  EXPECT_EQ(t.name, "all-ops.v2");
  EXPECT_EQ(t.about, "every op, with \"quotes\" and a \\ backslash; UTF-8: é — ok");
  EXPECT_EQ(t.tags, (std::vector<std::string>{"syntax", "round-trip"}));
  EXPECT_EQ(t.policies, (std::vector<std::string>{"mainline", "legacy-cow", "exclusive"}));
  EXPECT_EQ(t.frames, 16u);
  EXPECT_EQ(t.swap_slots, 0u);
  EXPECT_EQ(t.granularity, Granularity::PerPage);
}

TEST(Lexical, CommentsTabsAndCrLfLineEndsAreAccepted) {
  const litmus::Test t = parse_ok(
      "# leading comment\r\nlitmus t # trailing\r\n\tprocesses\tP0\r\nprocess P0 #c\r\n  read "
      "x->r0\r\ncheck exists(P0:r0==0)#end");
  ASSERT_EQ(t.threads.size(), 1u);
  EXPECT_EQ(t.threads[0].steps[0].dest, RegId{0});
  EXPECT_EQ(t.threads[0].steps[0].line, 5u);
  EXPECT_EQ(t.checks[0].text, "exists (P0:r0 == 0)");
}

TEST(Lexical, KeywordsAreCaseSensitive) {
  const ParseError e = test_util::parse_error("Litmus t\n");
  EXPECT_EQ(e.pos.column, 1u);
  EXPECT_NE(e.message.find("found 'Litmus'"), std::string::npos);
}

TEST(Checks, CanonicalTextNormalizesSpacingValuesAndParentheses) {
  const litmus::Test t = parse_ok(read_text(kData + "/expressions.litmus"));
  EXPECT_EQ(t.checks[0].text, "exists (!(P0:r0 == 0) || P0:r0 == 1 && P0:r1 == ENOMEM)");
  EXPECT_EQ(t.checks[1].text, "exists ((P0:r0 == 1 || P0:r0 == 2) && P0:r1 != EFAULT)");
  EXPECT_EQ(t.checks[2].text, "exists ((P0:r0 == 1 && P0:r0 == 2) && P0:r1 == ESRCH)");
  EXPECT_EQ(t.checks[3].text, "exists ((P0:r0 == 1 || P0:r0 == 2) || !!(P0:r1 == 0))");
  EXPECT_EQ(t.checks[4].text,
            "never (free has 0xFFFFFFFFFFFFFFFF || ram has 9 || swap has 0xA || kernel has 0)");
  EXPECT_EQ(t.checks[6].text, "forall (P0:r0 == 0)");
  EXPECT_EQ(t.checks[7].text, "forall (P0:r0 == 0)");
}

TEST(Checks, ResultsAreValuesOkSegvOrErrnos) {
  const litmus::Test t = parse_ok(read_text(kData + "/all-ops.litmus"));
  EXPECT_EQ(t.checks[0].expr.expected, Result::ok());
  const Expr& e = t.checks[1].expr;
  ASSERT_EQ(e.kind, Expr::Kind::Or);
  EXPECT_EQ(e.kids[0].kind, Expr::Kind::RegNe);
  EXPECT_EQ(e.kids[0].expected, Result::segv());
  EXPECT_EQ(e.kids[1].actor, Actor::system());
  EXPECT_EQ(e.kids[1].expected, Result::error(Errno::Busy));
  EXPECT_EQ(t.checks[2].expr.where.kind, Where::Kind::Image);
}

TEST(Checks, ParenthesesAndNegationNestUpToTheLimit) {
  const std::string deep = std::string(256, '(') + "P0:r0 == 0" + std::string(256, ')');
  const litmus::Test t =
      parse_ok(kHead + "process P0\n  mmap x 1 -> r0\ncheck exists " + deep + "\n");
  EXPECT_EQ(t.checks[0].text, "exists (P0:r0 == 0)");
  const litmus::Test n = parse_ok(kHead + "process P0\n  mmap x 1 -> r0\ncheck exists " +
                                  std::string(256, '!') + "P0:r0 == 0\n");
  EXPECT_EQ(n.checks[0].text, "exists (" + std::string(256, '!') + "(P0:r0 == 0))");
  // Printing adds a '(' around the whole and one under the innermost '!': the printed text of
  // a test at the limit parses back to the same test (found by the parser fuzzer).
  const litmus::Test again = parse_ok(litmus::print(n));
  EXPECT_TRUE(litmus::same_test(n, again));
}

// The pin direction (docs/litmus.md extension): `write` by default, `read` or `write` after
// the kind when a handle name follows, else the word is the handle's name.
TEST(Ops, PinTakesAnOptionalDirectionAndDefaultsToWrite) {
  const litmus::Test t = parse_ok(kHead +
                                  "init\n  P0: mmap x 1\n  P0: pin x dio io\n"
                                  "  P0: pin x longterm read mr\n  P0: pin x dio write wr\n"
                                  "  P0: pin x dio read\n" +
                                  kCheck);
  const AddrRef x{NameId{0}};
  ASSERT_EQ(t.init.size(), 5u);
  EXPECT_EQ(t.init[1].op, (Op{Pin{x, PinKind::Dio, HandleId{0}, PinDir::Write}}));
  EXPECT_EQ(t.init[2].op, (Op{Pin{x, PinKind::Longterm, HandleId{1}, PinDir::Read}}));
  EXPECT_EQ(t.init[3].op, (Op{Pin{x, PinKind::Dio, HandleId{2}, PinDir::Write}}));
  EXPECT_EQ(t.init[4].op, (Op{Pin{x, PinKind::Dio, HandleId{3}, PinDir::Write}}))
      << "a lone `read` is the handle's name";
  EXPECT_EQ(t.handles, (std::vector<std::string>{"io", "mr", "wr", "read"}));
  EXPECT_EQ(print_step(t, t.init[2]), "P0: pin x longterm read mr");
  EXPECT_EQ(print_step(t, t.init[1]), "P0: pin x dio io") << "the default is not printed";
}

}  // namespace
}  // namespace mmsim::litmus
