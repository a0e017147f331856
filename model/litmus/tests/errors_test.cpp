// model/litmus/tests/errors_test.cpp: every kind of bad input gives one error at the exact
// line and column, with a message that says what was expected there.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "model/litmus/parser.h"
#include "model/litmus/tests/helpers.h"

namespace mmsim::litmus {
namespace {

struct ErrorCase {
  std::string name;
  std::string text;
  uint32_t line;
  uint32_t column;
  std::string message;  // a substring of the message
};

// Lines 1-2 of most cases; the interesting line is line 3 or later.
const std::string kHead = "litmus t\nprocesses P0\n";
const std::string kCheck = "check exists (P0:r0 == 0)\n";

std::string repeat(const std::string& s, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out += s;
  return out;
}

std::vector<ErrorCase> header_cases() {
  return {
      {"EmptyFile", "", 1, 1, "expected 'litmus NAME' as the first line, found end of file"},
      {"MissingLitmusLine", "# a comment\n\nprocesses P0\n", 3, 1,
       "expected 'litmus NAME' as the first line, found 'processes'"},
      {"MissingTestName", "litmus\n", 1, 7,
       "expected a test name ([A-Za-z0-9_.-]+), found end of line"},
      {"SecondLitmusLine", "litmus t\nlitmus u\n", 2, 1,
       "expected one 'litmus' line, found a second (the first is at line 1)"},
      {"DuplicateHeader", kHead + "frames 4\nframes 5\n", 4, 1,
       "expected one 'frames' line, found a second (the first is at line 3)"},
      {"MissingProcesses", "litmus t\ninit\n", 2, 1,
       "expected a 'processes' line before the first block, found 'init'"},
      {"UnknownPolicyInPolicies", "litmus t\npolicies mainline foo\n", 2, 19,
       "expected a policy name (mainline, legacy-cow,"},
      {"DuplicateProcess", "litmus t\nprocesses P0 P1 P0\n", 2, 17,
       "expected a process name, found 'P0' a second time"},
      {"ReservedProcessName", "litmus t\nprocesses free\n", 2, 11,
       "expected a process name (not a reserved word), found 'free'"},
      {"BadTag", "litmus t\ntags fork Cow\n", 2, 11, "expected a tag ([a-z0-9-]+), found 'Cow'"},
      {"FramesZero", kHead + "frames 0\n", 3, 8,
       "expected a frame count from 1 to 4096, found '0'"},
      {"SwapTooLarge", kHead + "swap 4097\n", 3, 6,
       "expected a swap slot count from 0 to 4096, found '4097'"},
      {"BadGranularity", kHead + "granularity pages\n", 3, 13,
       "expected 'op' or 'page', found 'pages'"},
      {"UnterminatedString", "litmus t\nabout \"abc\n", 2, 11,
       "expected '\"' to end the string, found end of line"},
      {"StringAtEndOfFile", "litmus t\nsource \"abc", 2, 12,
       "expected '\"' to end the string, found end of file"},
      {"UnknownEscape", "litmus t\nabout \"a\\n\"\n", 2, 9, "unknown escape in string"},
      {"HeaderAfterBlock", kHead + "init\nframes 4\n", 4, 1,
       "expected an op or a block (header lines come before init and the threads), found 'frames'"},
  };
}

std::vector<ErrorCase> op_cases() {
  return {
      {"TruncatedMidOp", kHead + "init\n  P0: mmap x", 4, 13,
       "expected a page count from 1 to 4096, found end of file"},
      {"UnknownOp", kHead + "process P0\n  mmapp x 1\n", 4, 3, "expected an op (mmap, munmap,"},
      {"UnknownAdvice", kHead + "process P0\n  madvise x wipe\n", 4, 13,
       "expected an advice (wipeonfork, keeponfork,"},
      {"BadNumber", kHead + "process P0\n  mmap x 1z\n", 4, 10,
       "expected a page count from 1 to 4096, found '1z'"},
      {"MmapZeroPages", kHead + "process P0\n  mmap x 0\n", 4, 10, "found '0'"},
      {"U64Overflow", kHead + "process P0\n  write x 18446744073709551616\n", 4, 11,
       "value '18446744073709551616' does not fit in 64 bits"},
      {"HexOverflow", kHead + "process P0\n  write x 0x10000000000000000\n", 4, 11,
       "value '0x10000000000000000' does not fit in 64 bits"},
      {"EmptySlice", kHead + "process P0\n  read x[3:3]\n", 4, 12,
       "expected an end index greater than 3, found '3'"},
      {"ReversedSlice", kHead + "process P0\n  read x[3:1] -> r0\n", 4, 12,
       "expected an end index greater than 3, found '1'"},
      {"PageIndexOverflow", kHead + "process P0\n  read x[4294967296]\n", 4, 10,
       "page index '4294967296' is too large"},
      {"MissingBracket", kHead + "process P0\n  read x[3 -> r0\n", 4, 12,
       "expected ']', found '->'"},
      {"TrailingWord", kHead + "process P0\n  exec now\n", 4, 8,
       "expected '->' or end of line, found 'now'"},
      {"DuplicateMmapOption", kHead + "process P0\n  mmap x 1 shared private\n", 4, 19,
       "expected 'anon', 'file', 'secret', 'droppable', '->' or end of line, found 'private'"},
      {"BadProtection", kHead + "process P0\n  mprotect x rwx\n", 4, 14,
       "expected a protection (r, rw or none), found 'rwx'"},
      {"UnexpectedCharacter", kHead + "process P0\n  write x $5\n", 4, 11,
       "unexpected character '$'"},
      {"MissingRegister", kHead + "process P0\n  read x ->\n", 4, 12,
       "expected a register name, found end of line"},
  };
}

std::vector<ErrorCase> name_cases() {
  return {
      {"ThreadOfNeverCreatedProcess", kHead + "process P9\n", 3, 9,
       "process 'P9' is never created: expected a name from 'processes' or a fork"},
      {"InitActorNeverCreated", kHead + "init\n  P9: mmap x 1\n", 4, 3,
       "process 'P9' is never created"},
      {"KillOfNeverCreatedProcess", kHead + "system\n  kill P7\n", 4, 8,
       "process 'P7' is never created"},
      {"DeviceOpInProcessThread", kHead + "process P0\n  dma-read io -> r0\n", 4, 3,
       "op 'dma-read' is a device op; it cannot run in a process thread"},
      {"ProcessOpInDeviceThread", kHead + "device D0\n  mmap x 1\n", 4, 3,
       "op 'mmap' is a process op; it cannot run in a device thread"},
      {"SystemOpInProcessThread", kHead + "process P0\n  reclaim\n", 4, 3,
       "op 'reclaim' is a system op; it cannot run in a process thread"},
      {"ProcessOpForInitDevice", kHead + "init\n  D0: dma-read io\n  D0: munmap x\n", 5, 7,
       "op 'munmap' is a process op; it cannot run as device 'D0'"},
      {"DeviceNamedLikeProcess", kHead + "device P0\n", 3, 8,
       "expected a device name (this name is a process), found 'P0'"},
      {"HandleNamedLikeProcess", kHead + "process P0\n  pin x dio P0\n", 4, 13,
       "expected a handle name (this name is a process), found 'P0'"},
      {"ForkOfInitialProcess", kHead + "process P0\n  fork P0\n", 4, 8,
       "expected a new process name for the child ('P0' is listed in 'processes')"},
      {"ForkedTwice", kHead + "init\n  P0: fork P1\nprocess P0\n  fork P1\n", 6, 8,
       "('P1' is forked at line 4)"},
  };
}

std::vector<ErrorCase> check_cases() {
  const std::string thread = kHead + "process P0\n  read x -> r0\n";
  return {
      {"CheckBeforeThread", kHead + "check never (ram has 1)\n" + "process P0\n", 4, 1,
       "expected a check, an expectation 'POLICY: holds|fails' or 'promise [!]TAG'"},
      {"NoCheck", thread, 5, 1, "expected a check, found end of file"},
      {"PromiseTagNotOnTagsLine", thread + kCheck + "  promise pin-safety\n", 6, 11,
       "expected a tag from the 'tags' line, found 'pin-safety'"},
      {"PromiseWithoutTag", thread + kCheck + "  promise !\n", 6, 12,
       "expected a tag from the 'tags' line"},
      {"CheckWithoutExpression", thread + "check exists", 5, 13,
       "expected a condition ('!', '(', ACTOR:REG == RESULT or WHERE has V), found end of file"},
      {"BadCheckKind", thread + "check sometimes (P0:r0 == 0)\n", 5, 7,
       "expected 'exists', 'forall' or 'never', found 'sometimes'"},
      {"MissingParenthesis", thread + "check exists (P0:r0 == 0\n", 5, 25,
       "expected '&&', '||' or ')', found end of line"},
      {"UnknownErrno", thread + "check exists (P0:r0 == EWHAT)\n", 5, 24,
       "expected an errno name (EINVAL, ENOMEM, EFAULT, EPERM, EAGAIN, EBUSY, ENOENT, ENOSPC"},
      {"UnknownActorInCheck", thread + "check exists (P5:r0 == 0)\n", 5, 15,
       "expected an actor (a process from 'processes' or a fork, a device, or 'system'), "
       "found 'P5'"},
      {"UnknownPlace", thread + "check never (nowhere has 5)\n", 5, 14,
       "expected a place (free, ram, swap, image, kernel, a process or a handle), found 'nowhere'"},
      {"MissingComparison", thread + "check exists (P0:r0 = 0)\n", 5, 21,
       "unexpected character '='"},
      {"SingleAmpersand", thread + "check exists (P0:r0 == 0 & P0:r0 == 1)\n", 5, 26,
       "unexpected character '&'"},
      {"UnknownPolicyInExpectation", thread + kCheck + "  mainlin: holds\n", 6, 3,
       "expected a policy name (mainline,"},
      {"BadVerdict", thread + kCheck + "  mainline: passes\n", 6, 13,
       "expected 'holds' or 'fails', found 'passes'"},
      {"DuplicateExpectation", thread + kCheck + "  mainline: holds\n  mainline: fails\n", 7, 3,
       "expected one expectation for 'mainline' in this check, found a second"},
      {"DuplicateInit", kHead + "init\ninit\n", 4, 1, "there is already an 'init' block"},
      {"InitAfterThread", thread + "init\n", 5, 1, "'init' comes before the threads"},
      {"DeepParentheses", thread + "check exists " + std::string(10000, '(') + "P0:r0 == 0", 5,
       1038, "check expression nests too deeply: at most 1024 levels of '(' and '!'"},
      {"LineTooLong", kHead + "check exists (" + repeat("ram has 1 && ", 20000) + "ram has 1)\n", 3,
       212998, "line too long: at most 65536 tokens"},
      {"DeepNegation", thread + "check exists " + std::string(10000, '!') + "P0:r0 == 0", 5, 1038,
       "check expression nests too deeply"},
      // The limit on the tree: 257 '!' parse, but nest one operator too many (reported where
      // the expression starts).
      {"DeepOperators", thread + "check exists " + std::string(257, '!') + "P0:r0 == 0", 5, 14,
       "check expression nests too deeply: at most 256 nested '!', '&&' and '||', found 257"},
  };
}

std::vector<ErrorCase> byte_cases() {
  return {
      {"BinaryGarbage", std::string("\x00\x01\xFF", 3), 1, 1, "unexpected character '\\x00'"},
      {"NulAfterName", std::string("litmus t\x00", 9), 1, 9, "unexpected character '\\x00'"},
      {"InvalidUtf8InComment", "litmus t # caf\xC3\x28\n", 1, 15, "unexpected character '\\xC3'"},
      {"InvalidUtf8InString", "litmus t\nabout \"\xE2\x82\"\n", 2, 8,
       "unexpected character '\\xE2'"},
      {"NonAsciiOutsideStrings", "litmus t\nprocesses P\xC3\xA9\n", 2, 12,
       "unexpected character '\\xC3'"},
      {"ControlCharacter", "litmus t\x07\n", 1, 9, "unexpected character '\\x07'"},
  };
}

std::vector<ErrorCase> all_cases() {
  std::vector<ErrorCase> out;
  for (auto* make : {header_cases, op_cases, name_cases, check_cases, byte_cases}) {
    for (ErrorCase& c : make()) out.push_back(std::move(c));
  }
  return out;
}

class ParseErrors : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(ParseErrors, ReportsPositionAndExpectation) {
  const ErrorCase& c = GetParam();
  const ParseError e = test_util::parse_error(c.text);
  EXPECT_EQ(e.file, "t.litmus");
  EXPECT_EQ(e.pos.line, c.line) << e.to_string();
  EXPECT_EQ(e.pos.column, c.column) << e.to_string();
  EXPECT_NE(e.message.find(c.message), std::string::npos) << e.to_string();
}

INSTANTIATE_TEST_SUITE_P(Cases, ParseErrors, ::testing::ValuesIn(all_cases()),
                         [](const ::testing::TestParamInfo<ErrorCase>& param_info) {
                           return param_info.param.name;
                         });

TEST(ParseErrorText, FormatsAsFileLineColumn) {
  const ParseError e = test_util::parse_error(kHead + "process P9\n");
  EXPECT_EQ(e.to_string(),
            "t.litmus:3:9: error: process 'P9' is never created: expected a name from "
            "'processes' or a fork");
}

TEST(ParseErrorText, MissingFileIsAnErrorAtFirstLine) {
  const auto result = parse_file("/nonexistent/dir/x.litmus");
  ASSERT_TRUE(std::holds_alternative<ParseError>(result));
  const auto& e = std::get<ParseError>(result);
  EXPECT_EQ(e.to_string(),
            "/nonexistent/dir/x.litmus:1:1: error: cannot open file: No such file or directory");
}

TEST(ParseErrorText, DirectoryIsAnErrorAtFirstLine) {
  const auto result = parse_file(MMSIM_LITMUS_DATA_DIR);
  ASSERT_TRUE(std::holds_alternative<ParseError>(result));
  EXPECT_EQ(std::get<ParseError>(result).message, "not a regular file: it is a directory");
}

}  // namespace
}  // namespace mmsim::litmus
