// model/tests/policy_docs_test.cpp: every registered policy has its docs page, and the docs
// index (docs/policies/README.md) is the table `mmsim policies --markdown` prints from the
// descriptors, so the index can never list a policy the registry lacks or miss one it has.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "model/tests/model_test_util.h"
#include "sim/policy.h"

namespace mmsim::model::testing {
namespace {

const std::filesystem::path kPolicyDocs =
    std::filesystem::path(MMSIM_SOURCE_DIR) / "docs" / "policies";

std::string read(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(PolicyDocs, EveryPolicyHasItsPage) {
  for (PolicyId id : all_policies()) {
    const std::filesystem::path page = kPolicyDocs / (std::string(policy_name(id)) + ".md");
    EXPECT_TRUE(std::filesystem::is_regular_file(page)) << page << " is missing";
    // The page names the policy in its first heading.
    EXPECT_NE(read(page).find(std::string(policy_name(id))), std::string::npos) << page;
  }
}

TEST(PolicyDocs, IndexIsTheDescriptorsTable) {
  CliRun r = cli({"policies", "--markdown"});
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string index = read(kPolicyDocs / "README.md");
  EXPECT_NE(index.find(r.out), std::string::npos)
      << "docs/policies/README.md is stale: paste in the output of `mmsim policies --markdown`:\n"
      << r.out;
}

TEST(PolicyDocs, EveryPageIsAPolicy) {
  for (const auto& entry : std::filesystem::directory_iterator(kPolicyDocs)) {
    const std::string stem = entry.path().stem().string();
    if (entry.path().extension() != ".md" || stem == "README") continue;
    PolicyId id{};
    EXPECT_TRUE(policy_from_name(stem, &id)) << entry.path() << " documents no registered policy";
  }
}

}  // namespace
}  // namespace mmsim::model::testing
