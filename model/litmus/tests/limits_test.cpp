// model/litmus/tests/limits_test.cpp: every count the parser accepts fits the type that holds
// it: each limit is accepted at N and rejected at N+1 with file:line:column and the limit.
// The inputs are generated here, not stored. Also the semantic no-ops that are errors now
// (docs/litmus.md "Limits and refused input") and the files parse_file() refuses.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "model/litmus/parser.h"
#include "model/litmus/tests/helpers.h"

namespace mmsim::litmus {
namespace {

using test_util::parse_error;
using test_util::parse_ok;

std::string lines(const std::string& prefix, size_t n, const std::string& suffix = "") {
  std::string out;
  for (size_t i = 0; i < n; ++i) out += prefix + std::to_string(i) + suffix + "\n";
  return out;
}

std::string repeat(const std::string& line, size_t n) {
  std::string out;
  out.reserve(line.size() * n);
  for (size_t i = 0; i < n; ++i) out += line;
  return out;
}

const std::string kHead = "litmus t\nprocesses P0\n";

// A thread of exactly `ops` ops whose last op writes r0.
std::string thread_of(size_t ops) {
  return kHead + "process P0\n  mmap x 1\n" + repeat("  write x 7\n", ops - 2) + "  read x -> r0\n" +
         "check forall (P0:r0 == 7)\n";
}

void expect_limit(const std::string& text, uint32_t line, const std::string& message) {
  const ParseError e = parse_error(text);
  EXPECT_EQ(e.pos.line, line) << e.to_string();
  EXPECT_NE(e.message.find(message), std::string::npos) << e.to_string();
}

TEST(Limits, OpsPerThreadAndPerTest) {
  const litmus::Test t = parse_ok(thread_of(65535));
  ASSERT_EQ(t.threads.size(), 1u);
  EXPECT_EQ(t.threads[0].steps.size(), 65535u);
  // 65536 ops would wrap the 16-bit program counter; the error is at the 65536th op (line 65539).
  expect_limit(thread_of(65536), 65539, "too many ops in this test: at most 65535");
  // The total counts init too.
  const std::string init = kHead + "init\n  P0: mmap x 1\n" + repeat("  P0: write x 7\n", 65534);
  parse_ok(init + "check never (ram has 9)\n");
  expect_limit(init + "process P0\n  write x 1\ncheck never (ram has 9)\n", 65540, "at most 65535");
}

TEST(Limits, Threads) {
  parse_ok(kHead + repeat("process P0\n", 4096) + "check never (ram has 1)\n");
  expect_limit(kHead + repeat("process P0\n", 4097) + "check never (ram has 1)\n", 4099,
               "too many threads: at most 4096");
}

TEST(Limits, Processes) {
  std::string names;
  for (int i = 0; i < 4097; ++i) names += " P" + std::to_string(i);
  const size_t cut = names.rfind(' ');
  parse_ok("litmus t\nprocesses" + names.substr(0, cut) + "\ncheck never (ram has 1)\n");
  expect_limit("litmus t\nprocesses" + names + "\ncheck never (ram has 1)\n", 2, "too many processes: at most 4096");
}

TEST(Limits, MappingNamesHandlesAndRegisters) {
  parse_ok(kHead + "process P0\n" + lines("  mmap m", 4096, " 1") + "check never (ram has 1)\n");
  expect_limit(kHead + "process P0\n" + lines("  mmap m", 4097, " 1") + "check never (ram has 1)\n", 4100,
               "too many mapping names: at most 4096");
  const std::string mapped = kHead + "process P0\n  mmap x 1\n";
  parse_ok(mapped + lines("  pin x[0] dio h", 4096) + "check never (ram has 1)\n");
  expect_limit(mapped + lines("  pin x[0] dio h", 4097) + "check never (ram has 1)\n", 4101,
               "too many handles: at most 4096");
  parse_ok(mapped + lines("  read x -> r", 4096) + "check never (ram has 1)\n");
  expect_limit(mapped + lines("  read x -> r", 4097) + "check never (ram has 1)\n", 4101,
               "too many registers: at most 4096");
}

TEST(Limits, Devices) {
  // Init lines create devices without using up threads.
  parse_ok(kHead + "init\n" + lines("  D", 4096, ": pipe-close h") + "check never (ram has 1)\n");
  expect_limit(kHead + "init\n" + lines("  D", 4097, ": pipe-close h") + "check never (ram has 1)\n", 4100,
               "too many devices: at most 4096");
}

TEST(Limits, FramesSwapAndPages) {
  parse_ok(kHead + "frames 4096\nswap 4096\nprocess P0\n  mmap x 4096\ncheck never (ram has 1)\n");
  expect_limit(kHead + "frames 4097\n", 3, "from 1 to 4096");
  expect_limit(kHead + "swap 4097\n", 3, "from 0 to 4096");
  expect_limit(kHead + "process P0\n  mmap x 4097\n", 4, "from 1 to 4096");
}

TEST(Refused, InitLineForAProcessThatDoesNotExistYet) {
  const std::string thread = "process P0\n  fork P1\n";
  const ParseError e = parse_error(kHead + "init\n  P1: mmap x 1\n" + thread + "check never (ram has 1)\n");
  EXPECT_EQ(e.pos.line, 4u) << e.to_string();
  EXPECT_EQ(e.pos.column, 3u) << e.to_string();
  EXPECT_NE(e.message.find("process 'P1' does not exist yet at this line of init"), std::string::npos) << e.message;
  // After a fork in init it exists.
  parse_ok(kHead + "init\n  P0: fork P1\n  P1: mmap x 1\ncheck never (ram has 1)\n");
}

TEST(Refused, CheckOnARegisterNoOpWrites) {
  const std::string thread = kHead + "process P0\n  mmap x 1\n  read x -> r0\n";
  parse_ok(thread + "check exists (P0:r0 == 0)\n");
  const ParseError e = parse_error(thread + "check exists (P0:r1 == 0)\n");
  EXPECT_EQ(e.pos.line, 6u);
  EXPECT_EQ(e.pos.column, 18u);
  EXPECT_NE(e.message.find("'P0:r1' is never written"), std::string::npos) << e.message;
  // Written by another actor only: still never written by this one.
  const ParseError other = parse_error(thread + "device D0\n  pipe-read h -> r1\ncheck exists (P0:r1 == 0)\n");
  EXPECT_NE(other.message.find("'P0:r1' is never written"), std::string::npos) << other.message;
}

TEST(Refused, ExpectationForAPolicyThePoliciesLineExcludes) {
  const std::string text = "litmus t\npolicies mainline\nprocesses P0\nprocess P0\n  mmap x 1\n"
                           "check never (ram has 1)\n  mainline: holds\n";
  parse_ok(text);
  const ParseError e = parse_error(text + "  exclusive: holds\n");
  EXPECT_EQ(e.pos.line, 8u);
  EXPECT_NE(e.message.find("'exclusive' is excluded there"), std::string::npos) << e.message;
}

class Files : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("mmsim-limits-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  std::filesystem::path dir_;
};

TEST_F(Files, SizeCapAtNAndNPlusOne) {
  const std::string body = "litmus t\nprocesses P0\nprocess P0\ncheck never (ram has 1)\n";
  std::string text = body + std::string(kMaxFileBytes - body.size(), '\n');
  { std::ofstream(path("n.litmus"), std::ios::binary) << text; }
  { std::ofstream(path("n1.litmus"), std::ios::binary) << text << "\n"; }
  EXPECT_TRUE(std::holds_alternative<litmus::Test>(parse_file(path("n.litmus"))));
  const auto big = parse_file(path("n1.litmus"));
  ASSERT_TRUE(std::holds_alternative<ParseError>(big));
  EXPECT_NE(std::get<ParseError>(big).message.find("file too large: a litmus file has at most 4194304 bytes"),
            std::string::npos);
}

TEST_F(Files, DevicesAndFifosAreRefusedWithoutReading) {
  const auto zero = parse_file("/dev/zero");
  ASSERT_TRUE(std::holds_alternative<ParseError>(zero));
  EXPECT_EQ(std::get<ParseError>(zero).message, "not a regular file: it is a character device");
  ASSERT_EQ(::mkfifo(path("f.litmus").c_str(), 0600), 0);
  const auto fifo = parse_file(path("f.litmus"));  // would block forever if it were opened blocking
  ASSERT_TRUE(std::holds_alternative<ParseError>(fifo));
  EXPECT_EQ(std::get<ParseError>(fifo).message, "not a regular file: it is a FIFO");
}

TEST_F(Files, SymlinkLoopNamesItsCause) {
  std::filesystem::create_symlink(path("b.litmus"), path("a.litmus"));
  std::filesystem::create_symlink(path("a.litmus"), path("b.litmus"));
  const auto r = parse_file(path("a.litmus"));
  ASSERT_TRUE(std::holds_alternative<ParseError>(r));
  EXPECT_NE(std::get<ParseError>(r).message.find("symbolic links"), std::string::npos)
      << std::get<ParseError>(r).message;
}

}  // namespace
}  // namespace mmsim::litmus

namespace mmsim::litmus {
namespace {

// The hostile corpus (tests/hostile, also seeds of the fuzzers): each file gives exactly
// the error position listed in EXPECTED, and every file there is listed.
TEST(Hostile, EveryInputGivesItsErrorAtItsPosition) {
  const std::string dir = std::string(MMSIM_LITMUS_DATA_DIR) + "/../hostile";
  std::ifstream list(dir + "/EXPECTED");
  std::string line;
  size_t listed = 0;
  while (std::getline(list, line)) {
    if (line.empty() || line[0] == '#') continue;
    const std::string name = line.substr(0, line.find(' '));
    const std::string pos = line.substr(line.find(' ') + 1);
    const auto r = parse_file(dir + "/" + name);
    ASSERT_TRUE(std::holds_alternative<ParseError>(r)) << name;
    const ParseError& e = std::get<ParseError>(r);
    EXPECT_EQ(std::to_string(e.pos.line) + ":" + std::to_string(e.pos.column), pos) << e.to_string();
    EXPECT_FALSE(e.message.empty());
    ++listed;
  }
  size_t files = 0;
  for (const auto& f : std::filesystem::directory_iterator(dir)) files += f.path().extension() == ".litmus";
  EXPECT_EQ(listed, files);
  EXPECT_GE(listed, 13u);
}

}  // namespace
}  // namespace mmsim::litmus
