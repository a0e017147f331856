// model/tests/cli_test.cpp: the `mmsim` command line of spec §7: the spec's examples, exit
// statuses, JSON lines, byte-identical output, traces that replay, Graphviz output.
#include <filesystem>
#include <fstream>

#include "model/tests/model_test_util.h"

namespace mmsim::model::testing {
namespace {

// Spec §8, verbatim.
constexpr const char* kWofChildZero = R"(litmus wof-child-zero
about "MADV_WIPEONFORK: the child reads zeros, the parent keeps its data"
source "004_ca5e915a05e0990f.txt"
processes P0
init
  P0: mmap x 2
  P0: write x 0xAB
  P0: madvise x[0] wipeonfork
  P0: fork P1
process P1
  read x[0] -> r0
  read x[1] -> r1
process P0
  read x[0] -> r0
check forall (P1:r0 == 0 && P1:r1 == 0xAB && P0:r0 == 0xAB)
  mainline: holds
)";

constexpr const char* kReleaseWhileDio = R"(litmus release-while-dio
about "Wipe at unmap while a direct-I/O write still reads the page"
source "000_aa56b923fc47a715.txt"
processes P0
init
  P0: mmap buf 1
  P0: write buf 0x5EC7
  P0: madvise buf wipeonrelease
  P0: pin buf[0] dio io
process P0
  munmap buf
device D0
  dma-read io -> r0
  unpin io
check exists (D0:r0 == 0)
  wipeonrelease-v1: fails
  wipeonrelease-v2: holds
check never (free has 0x5EC7)
  wipeonrelease-v1: holds
)";

TEST(Cli, SpecExampleWipeonforkMeetsItsExpectationUnderEveryPolicy) {
  std::string f = write_temp("wof.litmus", kWofChildZero);
  CliRun r = cli({"run", "--policy", "all", f});
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("wof-child-zero [mainline] forall (P1:r0 == 0 && P1:r1 == 0xAB && P0:r0 == "
                       "0xAB): holds (expected holds, met)"),
            std::string::npos)
      << r.out;
}

TEST(Cli, SpecExampleReleaseWhileDioMeetsItsExpectations) {
  std::string f = write_temp("rwd.litmus", kReleaseWhileDio);
  CliRun r = cli({"run", "--policy", "all", "--json", f});
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_NE(
      r.out.find(
          R"J({"test":"release-while-dio","policy":"wipeonrelease-v2","check":"exists (D0:r0 == 0)","verdict":"holds","expected":"holds",)J"),
      std::string::npos)
      << r.out;
  EXPECT_NE(
      r.out.find(
          R"J("policy":"wipeonrelease-v1","check":"never (free has 0x5EC7)","verdict":"holds","expected":"holds")J"),
      std::string::npos)
      << r.out;
}

TEST(Cli, OutputIsByteIdenticalAcrossRuns) {
  std::string f = write_temp("rwd.litmus", kReleaseWhileDio);
  for (const char* mode : {"--trace", "--json"}) {
    CliRun a = cli({"run", "--policy", "all", mode, f});
    CliRun b = cli({"run", "--policy", "all", mode, f});
    EXPECT_EQ(a.out, b.out);
    EXPECT_EQ(a.status, b.status);
  }
}

TEST(Cli, UnmetExpectationExitsOne) {
  std::string text = kWofChildZero;
  text.replace(text.find("mainline: holds"), 15, "mainline: fails");
  CliRun r = cli({"run", "--policy", "mainline", write_temp("bad.litmus", text)});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.out.find("NOT MET"), std::string::npos) << r.out;
}

TEST(Cli, BadInputExitsTwoAndTheOtherFilesStillRun) {
  std::string good = write_temp("good.litmus", kWofChildZero);
  std::string bad =
      write_temp("bad.litmus", "litmus broken\nprocesses P0\nprocess P0\n  frobnicate x\n");
  CliRun r = cli({"run", "--policy", "mainline", bad, good});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find(bad + ":4:3: error:"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("wof-child-zero [mainline]"), std::string::npos) << r.out;
}

TEST(Cli, UsageErrorsExitTwo) {
  EXPECT_EQ(cli({"run"}).status, 2);
  EXPECT_EQ(cli({"run", "--policy", "nosuch", "x.litmus"}).status, 2);
  EXPECT_EQ(cli({"run", "--max-states", "lots", "x.litmus"}).status, 2);
  EXPECT_EQ(cli({"frobnicate"}).status, 2);
  EXPECT_EQ(cli({"run", "/nonexistent/path.litmus"}).status, 2);
}

TEST(Cli, ResourceLimitExitsThreeAndMarksThePartialResult) {
  CliRun r = cli(
      {"run", "--policy", "mainline", "--max-states", "2", write_temp("w.litmus", kWofChildZero)});
  EXPECT_EQ(r.status, 3) << r.out;
  EXPECT_NE(r.out.find("PARTIAL (max-states)"), std::string::npos) << r.out;
}

TEST(Cli, EveryPrintedTraceEndsWithACommandThatReplaysIt) {
  std::string f = write_temp("rwd.litmus", kReleaseWhileDio);
  CliRun r = cli({"run", "--policy", "wipeonrelease-v2", f});
  const std::string key = "replay: mmsim run --policy wipeonrelease-v2 --trace --replay ";
  size_t at = r.out.find(key);
  ASSERT_NE(at, std::string::npos) << r.out;
  std::string path = r.out.substr(at + key.size());
  path = path.substr(0, path.find(' '));
  CliRun again = cli({"run", "--policy", "wipeonrelease-v2", "--replay", path, f});
  EXPECT_NE(again.out.find("exists (D0:r0 == 0): holds"), std::string::npos) << again.out;
  // A path that is not a run of the test is a usage error (exit 2), not a model error.
  const CliRun bad = cli({"run", "--policy", "wipeonrelease-v2", "--replay", "7.7.7", f});
  EXPECT_EQ(bad.status, 2);
  EXPECT_NE(bad.err.find("--replay 7.7.7: not a run of test"), std::string::npos) << bad.err;
  EXPECT_EQ(bad.out, "");
}

TEST(Cli, TraceDotWritesAGraphvizGraph) {
  std::string f = write_temp("rwd.litmus", kReleaseWhileDio);
  std::string dot = write_temp("trace.dot", "");
  CliRun r = cli({"run", "--policy", "wipeonrelease-v2", "--trace-dot", dot, f});
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  std::ifstream in(dot);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("digraph"), std::string::npos);
  EXPECT_NE(text.find("dma-read io"), std::string::npos) << text;
}

// One line per registered policy (the thirteen of spec §6 today), in registry order: its
// name, padded to 22 columns, then its one-line summary.
TEST(Cli, PoliciesListsEveryRegisteredPolicy) {
  CliRun r = cli({"policies"});
  EXPECT_EQ(r.status, 0) << r.err;
  std::vector<std::string> lines;
  std::istringstream in(r.out);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  const auto policies = all_policies();
  ASSERT_EQ(lines.size(), policies.size()) << r.out;
  for (size_t i = 0; i < policies.size(); i++) {
    const PolicyDescriptor& d = descriptor_of(policies[i]);
    std::string want(d.name);
    want.resize(22, ' ');
    want += d.summary;
    EXPECT_EQ(lines[i], want);
  }
}

TEST(Cli, CompareWritesTheThreeReportFiles) {
  std::string f = write_temp("rwd.litmus", kReleaseWhileDio);
  std::string dir = std::filesystem::path(f).parent_path() / "report";
  CliRun r = cli({"compare", "--out", dir, f});
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  for (const char* name : {"comparison.md", "comparison.html", "comparison.json"}) {
    EXPECT_TRUE(std::filesystem::exists(std::filesystem::path(dir) / name)) << name;
  }
}

}  // namespace
}  // namespace mmsim::model::testing
