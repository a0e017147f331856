// model/litmus/tests/printer_test.cpp: the canonical printing rules (docs/litmus.md).
#include <gtest/gtest.h>

#include <string>

#include "model/litmus/parser.h"
#include "model/litmus/printer.h"
#include "model/litmus/tests/helpers.h"

namespace mmsim::litmus {
namespace {

TEST(Printer, ValuesBelowTenAreDecimalOthersUppercaseHex) {
  EXPECT_EQ(format_value(0), "0");
  EXPECT_EQ(format_value(9), "9");
  EXPECT_EQ(format_value(10), "0xA");
  EXPECT_EQ(format_value(0xAB), "0xAB");
  EXPECT_EQ(format_value(0x5EC7), "0x5EC7");
  EXPECT_EQ(format_value(~0ull), "0xFFFFFFFFFFFFFFFF");
}

TEST(Printer, ResultsPrintAsInChecks) {
  EXPECT_EQ(format_result(Result::ok()), "ok");
  EXPECT_EQ(format_result(Result::segv()), "SEGV");
  EXPECT_EQ(format_result(Result::error(Errno::Busy)), "EBUSY");
  EXPECT_EQ(format_result(Result::of(171)), "0xAB");
}

TEST(Printer, StepsPrintWithTheirActorAndOpsWithout) {
  const litmus::Test t = test_util::parse_ok(
      "litmus t\nprocesses P0\ninit\n  P0: mmap buf 4 shared\n  P0: pin buf[1] dio io\n"
      "process P0\n  munmap buf[0:2]\n  read buf[3] -> r0\ndevice D0\n  dma-read io -> r1\n"
      "system\n  reclaim P0 buf\ncheck exists (P0:r0 == 0)\n");
  EXPECT_EQ(print_step(t, t.init[0]), "P0: mmap buf 4 shared");
  EXPECT_EQ(print_step(t, t.init[1]), "P0: pin buf[1] dio io");
  EXPECT_EQ(print_step(t, t.threads[0].steps[0]), "P0: munmap buf[0:2]");
  EXPECT_EQ(print_op(t, t.threads[0].steps[1]), "read buf[3] -> r0");
  EXPECT_EQ(print_step(t, t.threads[1].steps[0]), "D0: dma-read io -> r1");
  EXPECT_EQ(print_step(t, t.threads[2].steps[0]), "system: reclaim P0 buf");
}

TEST(Printer, ContinuationStepsPrintReadably) {
  litmus::Test t;
  t.procs = {"P0", "P1"};
  const Actor p0 = Actor::process(ProcId{0});
  EXPECT_EQ(print_step(t, Step{p0, ForkPage{ProcId{0}, ProcId{1}, Vpn{3}}, RegId::none(), 0}),
            "P0: fork.page P0 P1 page 3");
  EXPECT_EQ(print_step(t, Step{Actor::system(), ReclaimPage{ProcId{1}, Vpn{2}}, RegId::none(), 0}),
            "system: reclaim P1 page 2");
  EXPECT_EQ(print_step(t, Step{p0, Finish{ProcId{0}, FinishWhat::Exit}, RegId::none(), 0}),
            "P0: finish P0 exit");
  EXPECT_EQ(print_step(t, Step{Actor::system(), PowerDone{PowerEvent::Resume}, RegId::none(), 0}),
            "system: power.done resume");
}

TEST(Printer, IdsOutsideTheirTablesPrintAsQuestionMarks) {
  litmus::Test t;
  const Step s{Actor::process(ProcId{7}), Read{AddrRef{NameId{2}}}, RegId{5}, 0};
  EXPECT_EQ(print_step(t, s), "?7: read ?2 -> ?5");
}

TEST(Printer, PrintsOnlyNonDefaultHeaderLines) {
  const litmus::Test t = test_util::parse_ok(
      "litmus t\nprocesses P0\nframes 8\nswap 4\ngranularity op\ncheck never (ram has 1)\n");
  EXPECT_EQ(print(t), "litmus t\nprocesses P0\ncheck never (ram has 1)\n");
}

TEST(Printer, OperatorPrecedenceKeepsTheTreeShape) {
  const litmus::Test t = test_util::parse_ok(
      "litmus t\nprocesses P0\ncheck exists (ram has 1 && (ram has 2 || ram has 3))\n"
      "check exists ((ram has 1 || ram has 2) || ram has 3)\n"
      "check exists (ram has 1 || ram has 2 || ram has 3)\n");
  EXPECT_EQ(t.checks[0].text, "exists (ram has 1 && (ram has 2 || ram has 3))");
  EXPECT_EQ(t.checks[1].text, "exists ((ram has 1 || ram has 2) || ram has 3)");
  EXPECT_EQ(t.checks[1].expr.kids.size(), 2u);
  EXPECT_EQ(t.checks[2].text, "exists (ram has 1 || ram has 2 || ram has 3)");
  EXPECT_EQ(t.checks[2].expr.kids.size(), 3u);
}

}  // namespace
}  // namespace mmsim::litmus
