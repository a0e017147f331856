// model/tests/checker_test.cpp: the search finds every interleaving-dependent outcome, gives
// shortest traces, agrees with brute-force enumeration, and reports deadlocks and limits.
#include <set>

#include "model/check/eval.h"
#include "model/tests/model_test_util.h"

namespace mmsim::model::testing {
namespace {

// A process writes while a device reads the pinned page: either order is possible.
constexpr const char* kWriteVsDma = R"(litmus write-vs-dma
processes P0
init
  P0: mmap buf 1
  P0: write buf 1
  P0: pin buf dio io
process P0
  write buf 2
device D0
  dma-read io -> r0
check exists (D0:r0 == 1)
check exists (D0:r0 == 2)
check forall (D0:r0 == 1)
check never (D0:r0 == 3)
)";

TEST(Checker, FindsBothOrdersOfAWriteAndADmaRead) {
  litmus::Test t = parse_ok(kWriteVsDma);
  SearchResult r = search_under(t, PolicyId::Mainline);
  ASSERT_FALSE(r.error) << *r.error;
  EXPECT_TRUE(r.checks[0].holds);
  EXPECT_TRUE(r.checks[1].holds);
  EXPECT_FALSE(r.checks[2].holds);
  EXPECT_TRUE(r.checks[3].holds);
  EXPECT_EQ(r.checks[2].positive, 1u);
  EXPECT_EQ(r.checks[2].negative, 1u);
  ASSERT_TRUE(r.checks[2].witness);
  EXPECT_EQ(r.checks[2].witness->size(), 2u) << "a shortest counterexample has both steps";
}

// Munmap races the DMA read of a page whose VMA is gone: the pin keeps the page (D1).
constexpr const char* kMunmapVsDma = R"(litmus munmap-vs-dma
processes P0
init
  P0: mmap buf 1
  P0: write buf 0x5EC7
  P0: pin buf dio io
process P0
  munmap buf
device D0
  dma-read io -> r0
  unpin io
check forall (D0:r0 == 0x5EC7)
check exists (free has 0x5EC7)
)";

TEST(Checker, PinnedPageOutlivesMunmapInEveryOrder) {
  litmus::Test t = parse_ok(kMunmapVsDma);
  SearchResult r = search_under(t, PolicyId::Mainline);
  ASSERT_FALSE(r.error) << *r.error;
  EXPECT_TRUE(r.checks[0].holds);
  EXPECT_TRUE(r.checks[1].holds) << "mainline frees the page unscrubbed after the unpin";
}

// Thread A writes two pages; thread B reads x[0] then x[1]. Only page granularity lets B see
// the first page written and the second not yet.
constexpr const char* kTornWrite = R"(litmus torn-write
processes P0
granularity GRAN
init
  P0: mmap x 2
process P0
  write x 7
process P0
  read x[0] -> r0
  read x[1] -> r1
check exists (P0:r0 == 7 && P0:r1 == 0)
)";

std::string with_granularity(std::string text, const std::string& g) {
  text.replace(text.find("GRAN"), 4, g);
  return text;
}

TEST(Checker, PageGranularityExposesATornRangeWrite) {
  litmus::Test op = parse_ok(with_granularity(kTornWrite, "op"));
  litmus::Test page = parse_ok(with_granularity(kTornWrite, "page"));
  EXPECT_FALSE(search_under(op, PolicyId::Mainline).checks[0].holds);
  SearchResult r = search_under(page, PolicyId::Mainline);
  ASSERT_FALSE(r.error) << *r.error;
  EXPECT_TRUE(r.checks[0].holds);
}

TEST(Checker, ExploresEveryReclaimChoice) {
  litmus::Test t = parse_ok(R"(litmus reclaim-choice
processes P0
init
  P0: mmap x 2
  P0: write x[0] 0xA
  P0: write x[1] 0xB
system
  reclaim -> r0
check exists (swap has 0xA)
check exists (swap has 0xB)
check forall (swap has 0xA)
)");
  SearchResult r = search_under(t, PolicyId::Mainline);
  ASSERT_FALSE(r.error) << *r.error;
  EXPECT_TRUE(r.checks[0].holds);
  EXPECT_TRUE(r.checks[1].holds);
  EXPECT_FALSE(r.checks[2].holds);
  EXPECT_EQ(r.finals, 2u);
}

TEST(Checker, ReportsADeadlockWhenResumeNeverComes) {
  litmus::Test t = parse_ok(R"(litmus frozen
processes P0
init
  P0: mmap x 1
system
  suspend
process P0
  read x -> r0
check exists (P0:r0 == 0)
)");
  SearchResult r = search_under(t, PolicyId::Mainline);
  EXPECT_EQ(r.deadlocks, 1u) << "P0 is frozen once suspend has run";
  EXPECT_TRUE(r.deadlock_path.has_value());
  EXPECT_TRUE(r.checks[0].holds) << "P0 can read before the suspend";
}

TEST(Checker, AKillWaitsForTheForkItsVictimHasUnderWay) {
  litmus::Test t = parse_ok(R"(litmus fork-killed
processes P0
granularity page
init
  P0: mmap x 2
  P0: write x 5
process P0
  fork P1
process P1
  read x -> r0
system
  kill P0
check never (P1:r0 == 0)
)");
  SearchResult r = search_under(t, PolicyId::Mainline);
  ASSERT_FALSE(r.error) << *r.error;
  EXPECT_TRUE(r.checks[0].holds) << "a child never runs with a half-copied mm";
  EXPECT_EQ(r.deadlocks, 1u) << "killed before the fork, P1 is never created and its thread waits";
}

TEST(Checker, MaxStatesStopsWithAPartialResult) {
  litmus::Test t = parse_ok(kWriteVsDma);
  Limits l;
  l.max_states = 2;
  SearchResult r = search_under(t, PolicyId::Mainline, l);
  EXPECT_TRUE(r.partial);
  EXPECT_EQ(r.limit, "max-states");
}

// Brute force: every interleaving, without a visited set. It must reach exactly the states
// and final states the BFS reports.
void enumerate(const Program& prog, const State& s, std::set<uint64_t>& all, std::set<uint64_t>& finals) {
  const uint64_t fp = prog.fingerprint(s);
  all.insert(fp);
  std::vector<Transition> succ = prog.successors(s);
  if (succ.empty()) finals.insert(fp);
  for (Transition t : succ) {
    State next = s;
    prog.step(next, t);
    enumerate(prog, next, all, finals);
  }
}

class BruteForce : public ::testing::TestWithParam<const char*> {};

TEST_P(BruteForce, StateCountsMatchTheSearch) {
  litmus::Test t = parse_ok(GetParam());
  for (PolicyId p : {PolicyId::Mainline, PolicyId::LegacyCow}) {
    Program prog{&t, p, static_cast<uint32_t>(t.regs.size())};
    std::string violation;
    std::set<uint64_t> all, finals;
    enumerate(prog, prog.initial(&violation), all, finals);
    SearchResult r = search_under(t, p);
    EXPECT_EQ(r.states, all.size()) << policy_name(p);
    EXPECT_EQ(r.finals, finals.size()) << policy_name(p);
  }
}

INSTANTIATE_TEST_SUITE_P(SmallTests, BruteForce,
                         ::testing::Values(kWriteVsDma, kMunmapVsDma, R"(litmus fork-race
processes P0
init
  P0: mmap x 1
  P0: write x 1
process P0
  fork P1
  write x 2
  read x -> r0
process P1
  read x -> r0
  write x 3
  exit
system
  reclaim
check forall (P0:r0 == 2)
)"));

TEST(Checker, PathTextRoundTrips) {
  Path p{{0, 0}, {1, 2}, {12, 0}};
  Path back;
  ASSERT_TRUE(path_from_string(path_to_string(p), &back));
  EXPECT_EQ(back, p);
  EXPECT_FALSE(path_from_string("1..2", &back));
  EXPECT_FALSE(path_from_string("x", &back));
  EXPECT_FALSE(path_from_string("99999999", &back));
}

// Every state of a page-granularity test whose threads hold page steps of every kind (split
// stores and unmaps, fork copies and its finish, exit zaps, power pages, chosen reclaims):
// the sum of the state fingerprints, recorded once. It changes when the hash of a state or of
// an op in flight changes, which the bundled suite's replay lines do not show.
TEST(Checker, StateFingerprintsOfOpsInFlightAreStable) {
  litmus::Test t = parse_ok(R"(litmus in-flight
processes P0
granularity page
init
  P0: mmap x 2
  P0: write x 1
  P0: madvise x wipeonsuspend
process P0
  fork P1
  write x 2
  munmap x -> r0
process P1
  exit
system
  reclaim
  suspend
  resume
check exists (P0:r0 == 0)
)");
  uint64_t sum = 0;
  for (std::string_view name : {"mainline", "wipeonsuspend-gup", "wipeonsuspend-restore"}) {
    PolicyId p{};
    ASSERT_TRUE(policy_from_name(name, &p)) << name;
    Program prog{&t, p, static_cast<uint32_t>(t.regs.size())};
    std::string violation;
    std::set<uint64_t> all, finals;
    enumerate(prog, prog.initial(&violation), all, finals);
    for (uint64_t fp : all) sum += fp;
  }
  EXPECT_EQ(sum, 0xa15ac98d9312682u) << std::hex << "got 0x" << sum;
}

}  // namespace
}  // namespace mmsim::model::testing
