// model/litmus/tests/round_trip_test.cpp: printing a parsed test and parsing the text again
// gives the same test, for every file in tests/data/ and in the bundled suite
// (props/litmus/, read at run time; the test passes when that folder is empty or missing).
// Parsing and printing are deterministic.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "model/litmus/equal.h"
#include "model/litmus/parser.h"
#include "model/litmus/printer.h"
#include "model/litmus/tests/helpers.h"

namespace mmsim::litmus {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> litmus_files(const std::string& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return out;
  for (const auto& entry : fs::recursive_directory_iterator(dir, ec)) {
    if (entry.is_regular_file() && entry.path().extension() == ".litmus") {
      out.push_back(entry.path().string());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

void expect_round_trip(const std::string& path) {
  SCOPED_TRACE(path);
  const auto first = parse_file(path);
  if (const auto* e = std::get_if<ParseError>(&first)) {
    ADD_FAILURE() << e->to_string();
    return;
  }
  const litmus::Test& t = std::get<litmus::Test>(first);
  const std::string printed = print(t);
  const litmus::Test again = test_util::parse_ok(printed);
  EXPECT_TRUE(same_test(t, again)) << printed;
  EXPECT_EQ(print(again), printed);
  for (size_t i = 0; i < t.checks.size() && i < again.checks.size(); ++i) {
    EXPECT_EQ(t.checks[i].text, again.checks[i].text);
  }
}

TEST(RoundTrip, EveryDataFileParsesBackToTheSameTest) {
  const auto files = litmus_files(MMSIM_LITMUS_DATA_DIR);
  EXPECT_GE(files.size(), 2u);
  for (const std::string& f : files) expect_round_trip(f);
}

TEST(RoundTrip, EveryBundledSuiteFileParsesBackToTheSameTest) {
  for (const std::string& f : litmus_files(MMSIM_PROPS_LITMUS_DIR)) expect_round_trip(f);
}

TEST(RoundTrip, SameTestIgnoresPositionsButNotContent) {
  const std::string path = std::string(MMSIM_LITMUS_DATA_DIR) + "/release-while-dio.litmus";
  const std::string text = test_util::read_text(path);
  const litmus::Test a = test_util::parse_ok(text);
  const litmus::Test b = test_util::parse_ok("# shifted by a comment line\n" + text);
  EXPECT_TRUE(same_test(a, b));
  litmus::Test c = a;
  c.checks[0].expected["mainline"] = true;
  EXPECT_FALSE(same_test(a, c));
  litmus::Test d = a;
  d.threads[1].steps[0].dest = RegId::none();
  EXPECT_FALSE(same_test(a, d));
}

TEST(RoundTrip, EveryPrefixOfADataFileFailsCleanlyOrRoundTrips) {
  for (const std::string& f : litmus_files(MMSIM_LITMUS_DATA_DIR)) {
    const std::string text = test_util::read_text(f);
    for (size_t n = 0; n <= text.size(); ++n) {
      const auto result = parse(std::string_view(text).substr(0, n), "prefix");
      if (const auto* e = std::get_if<ParseError>(&result)) {
        EXPECT_GE(e->pos.line, 1u);
        EXPECT_GE(e->pos.column, 1u);
        EXPECT_FALSE(e->message.empty());
        continue;
      }
      const litmus::Test& t = std::get<litmus::Test>(result);
      const auto again = parse(print(t), "printed");
      ASSERT_TRUE(std::holds_alternative<litmus::Test>(again)) << f << " prefix " << n;
      EXPECT_TRUE(same_test(t, std::get<litmus::Test>(again))) << f << " prefix " << n;
    }
  }
}

TEST(Determinism, ParsingAndPrintingTwiceGiveIdenticalResults) {
  for (const std::string& f : litmus_files(MMSIM_LITMUS_DATA_DIR)) {
    SCOPED_TRACE(f);
    const std::string text = test_util::read_text(f);
    const auto a = parse(text, f);
    const auto b = parse(text, f);
    ASSERT_EQ(a.index(), b.index());
    if (const auto* ta = std::get_if<litmus::Test>(&a)) {
      const auto& tb = std::get<litmus::Test>(b);
      EXPECT_TRUE(same_test(*ta, tb));
      EXPECT_EQ(print(*ta), print(tb));
      EXPECT_EQ(print(*ta), print(*ta));
    } else {
      EXPECT_EQ(std::get<ParseError>(a).to_string(), std::get<ParseError>(b).to_string());
    }
  }
}

}  // namespace
}  // namespace mmsim::litmus
