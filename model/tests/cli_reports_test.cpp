// model/tests/cli_reports_test.cpp: the report folder is replaced whole or not at all, a run
// whose every input is bad leaves a good report alone, and JSON text is always valid UTF-8
// (issue 14, items 8 and 9).
#include <filesystem>
#include <fstream>

#include "model/check/json.h"
#include "model/tests/model_test_util.h"

namespace mmsim::model::testing {
namespace {

namespace fs = std::filesystem;

TEST(Reports, AnAllBadRunLeavesAGoodReportAsItWas) {
  const std::string good = write_temp("good.litmus", kGood);
  const fs::path out = fs::path(good).parent_path() / "report";
  fs::remove_all(out);
  ASSERT_EQ(cli({"compare", "--policy", "mainline", "--out", out.string(), good}).status, 0);
  const std::string before = slurp(out / "comparison.json");
  ASSERT_NE(before.find("\"good\""), std::string::npos);
  const std::string bad = write_temp("bad.litmus", "litmus bad\nnonsense\n");
  const CliRun r = cli({"compare", "--policy", "mainline", "--out", out.string(), bad, "/nonexistent.litmus"});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("is left as it was"), std::string::npos) << r.err;
  EXPECT_EQ(slurp(out / "comparison.json"), before);
}

TEST(Reports, TheFolderIsReplacedWholeAndNoTemporaryIsLeft) {
  const std::string good = write_temp("good.litmus", kGood);
  const fs::path out = fs::path(good).parent_path() / "report";
  fs::remove_all(out);
  fs::create_directories(out);
  { std::ofstream(out / "comparison.html") << "old"; }  // a stale file of an older report
  ASSERT_EQ(cli({"compare", "--policy", "mainline", "--out", out.string(), good}).status, 0);
  EXPECT_NE(slurp(out / "comparison.html").find("<html"), std::string::npos);
  EXPECT_TRUE(fs::exists(out / "comparison.md"));
  for (const auto& e : fs::directory_iterator(out.parent_path())) {
    EXPECT_EQ(e.path().filename().string().find(".tmp-"), std::string::npos) << e.path();
  }
}

TEST(Json, InvalidUtf8IsReplacedSoTheTextStaysValidJson) {
  const std::string text = json_text(Json{{"file", std::string("caf\xE9.litmus")}});
  EXPECT_EQ(text, "{\"file\":\"caf\xEF\xBF\xBD.litmus\"}");
  EXPECT_EQ(Json::parse(text)["file"], "caf\xEF\xBF\xBD.litmus");
}

TEST(Json, RunLinesAreOneValidObjectEach) {
  const std::string good = write_temp("good.litmus", kGood);
  const CliRun r = cli({"run", "--json", "--trace", "--policy", "all", good});
  ASSERT_EQ(r.status, 0) << r.err;
  size_t lines = 0;
  for (size_t at = 0; at < r.out.size();) {
    const size_t end = r.out.find('\n', at);
    const Json j = Json::parse(r.out.substr(at, end - at));
    EXPECT_EQ(j.begin().key(), "test");
    EXPECT_EQ(j["verdict"], "holds");
    ++lines;
    at = end + 1;
  }
  EXPECT_EQ(lines, 13u);
}

}  // namespace
}  // namespace mmsim::model::testing
