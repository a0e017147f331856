// model/tests/memory_test.cpp: the hard memory bound (--max-memory) holds in resident memory
// on both shapes of search (few threads and deep, thousands of threads and wide), and a search
// stopped by a limit says "unknown" unless what it reached proves the verdict (issue 14,
// items 6 and 7). The bound is measured as the peak RSS of an mmsim child (wait4).
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <fcntl.h>

#include "model/tests/model_test_util.h"

extern char** environ;

namespace mmsim::model::testing {
namespace {

// The stated margin (docs/checker.md): peak RSS <= bound + 16 MiB, the program's fixed
// baseline (binary, libraries, allocator slack) that the bound does not count.
constexpr long kBoundMiB = 64;
constexpr long kMarginMiB = 16;

struct Child {
  int status = -1;
  long max_rss_kib = 0;
};

Child run_mmsim(const std::vector<std::string>& args) {
  std::vector<std::string> all{MMSIM_BINARY};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  Child c;
  if (posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ) != 0) return c;
  posix_spawn_file_actions_destroy(&fa);
  int st = 0;
  struct rusage ru {};
  if (wait4(pid, &st, 0, &ru) == pid && WIFEXITED(st)) c.status = WEXITSTATUS(st);
  c.max_rss_kib = ru.ru_maxrss;
  return c;
}

std::string repeat(const std::string& s, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out += s;
  return out;
}

// Two threads of 2000 ops: about 4 million states, depth 4000.
std::string deep_test() {
  return "litmus deep\nprocesses P0\ninit\n  P0: mmap x 2\nprocess P0\n" + repeat("  write x[0] 1\n  write x[0] 2\n", 1000) +
         "process P0\n" + repeat("  write x[1] 3\n  write x[1] 4\n", 1000) + "check never (ram has 9)\n";
}

// 3000 threads of one op: every state is large and the first one has 3000 successors.
std::string wide_test() {
  return "litmus wide\nprocesses P0\ninit\n  P0: mmap x 1\n" + repeat("process P0\n  read x -> r0\n", 3000) +
         "check exists (P0:r0 == 0)\n";
}

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitized = true;  // ASan's shadow memory and quarantine are not the program's
#else
constexpr bool kSanitized = false;
#endif

void expect_within_bound(const std::string& file) {
  if (kSanitized) GTEST_SKIP() << "peak RSS is measured in the normal build (make test)";
  const Child c = run_mmsim({"run", "--policy", "mainline", "--max-memory", std::to_string(kBoundMiB), file});
  EXPECT_EQ(c.status, 3) << "a limit stopped the search";
  EXPECT_GT(c.max_rss_kib, 0);
  EXPECT_LE(c.max_rss_kib, (kBoundMiB + kMarginMiB) * 1024) << "peak RSS " << c.max_rss_kib / 1024 << " MiB";
}

TEST(MemoryBound, DeepSearchStaysWithinTheBound) { expect_within_bound(write_temp("deep.litmus", deep_test())); }

TEST(MemoryBound, ThousandsOfThreadsStayWithinTheBound) { expect_within_bound(write_temp("wide.litmus", wide_test())); }

TEST(MemoryBound, TheAccountedBytesGrowWithTheSearch) {
  const litmus::Test t = parse_ok(wide_test());
  Limits l;
  l.max_bytes = uint64_t{8} << 20;
  const SearchResult small = search_under(t, PolicyId::Mainline, l);
  l.max_bytes = uint64_t{32} << 20;
  const SearchResult big = search_under(t, PolicyId::Mainline, l);
  EXPECT_TRUE(small.partial);
  EXPECT_EQ(small.limit, "memory");
  EXPECT_GT(big.states, 2 * small.states);
  EXPECT_LE(small.bytes, (uint64_t{8} << 20) + (uint64_t{1} << 20));
}

TEST(MemoryBound, RegistersThatCannotFitStopTheSearchBeforeTheyAreAllocated) {
  std::string procs;
  for (int i = 0; i < 4096; ++i) procs += " P" + std::to_string(i);
  std::string reads;
  for (int i = 0; i < 4096; ++i) reads += "  read x -> r" + std::to_string(i) + "\n";
  // 4097 actors x 4096 registers x 24 bytes: about 400 MB for the registers of one state.
  const litmus::Test t = parse_ok("litmus regs\nprocesses" + procs + "\nprocess P0\n  mmap x 1\n" + reads +
                                  "check exists (P0:r0 == 0)\n");
  Limits l;
  l.max_bytes = uint64_t{64} << 20;
  const SearchResult r = search_under(t, PolicyId::Mainline, l);
  EXPECT_TRUE(r.partial);
  EXPECT_EQ(r.limit, "memory");
  EXPECT_EQ(r.states, 0u);
  EXPECT_GT(r.bytes, l.max_bytes);
}

// The kill at step 1 ends every P0 thread: a final state is reached long before the limit.
constexpr const char* kKill = R"(litmus kill-early
processes P0
init
  P0: mmap x 1
process P0
  write x 1
  write x 2
  write x 3
  write x 4
  write x 5
process P0
  write x 6
  write x 7
  write x 8
  write x 9
  write x 10
system
  kill P0 -> r0
check exists (system:r0 == ok)
  mainline: holds
check never (system:r0 == ok)
check forall (system:r0 == ok)
  mainline: holds
)";

TEST(PartialSearch, SaysUnknownUnlessTheReachedStatesProveTheVerdict) {
  const CliRun r = cli({"run", "--policy", "mainline", "--max-states", "20", write_temp("k.litmus", kKill)});
  EXPECT_EQ(r.status, 3) << r.out;
  EXPECT_NE(r.out.find("exists (system:r0 == ok): holds (proven by a witness, partial search) (expected holds, met)"),
            std::string::npos) << r.out;
  EXPECT_NE(r.out.find("never (system:r0 == ok): fails (proven by a counterexample, partial search)"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("forall (system:r0 == ok): unknown (partial) (expected holds, not judged (partial search))"),
            std::string::npos) << r.out;
  const CliRun j = cli({"run", "--json", "--policy", "mainline", "--max-states", "20", write_temp("k.litmus", kKill)});
  EXPECT_NE(j.out.find("\"verdict\":\"holds\",\"expected\":\"holds\""), std::string::npos) << j.out;
  EXPECT_NE(j.out.find("\"verdict\":\"unknown\""), std::string::npos) << j.out;
  EXPECT_NE(j.out.find("\"decided\":\"witness\",\"limit\":\"max-states\""), std::string::npos) << j.out;
  EXPECT_NE(j.out.find("\"decided\":\"counterexample\""), std::string::npos) << j.out;
  EXPECT_NE(j.out.find("\"decided\":\"unknown\""), std::string::npos) << j.out;
  // Complete, the same test decides everything.
  const CliRun full = cli({"run", "--json", "--policy", "mainline", write_temp("k.litmus", kKill)});
  EXPECT_EQ(full.status, 0) << full.out;
  EXPECT_EQ(full.out.find("\"decided\""), std::string::npos);
}

TEST(PartialSearch, AnUnmetExpectationProvenByAPartialSearchExitsOne) {
  std::string text = kKill;
  text.replace(text.find("  mainline: holds"), 17, "  mainline: fails");
  const CliRun r = cli({"run", "--policy", "mainline", "--max-states", "20", write_temp("k.litmus", text)});
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_NE(r.out.find("NOT MET"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace mmsim::model::testing
