// props/rc_gtest.cpp: see rc_gtest.h.
#include "props/rc_gtest.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <sstream>

#include <rapidcheck.h>

namespace mmsim::props {
namespace {

using rc::detail::CaseDescription;
using rc::detail::CaseResult;
using rc::detail::TestListener;
using rc::detail::TestMetadata;
using rc::detail::TestResult;

// Counts cases and shrink attempts; prints nothing.
class CountingListener final : public TestListener {
 public:
  void onTestCaseFinished(const CaseDescription& d) override {
    if (d.result.type != CaseResult::Type::Discard) cases++;
  }
  void onShrinkTried(const CaseDescription&, bool accepted) override {
    tried++;
    if (accepted) accepted_++;
  }
  void onTestFinished(const TestMetadata&, const TestResult&) override {}

  int cases = 0;
  int tried = 0;
  int accepted_ = 0;
};

std::string example_text(const rc::detail::Example& ex) {
  std::string out;
  for (const auto& [type, value] : ex) out += type + ":\n" + value + "\n";
  return out;
}

std::string reproduce_string(const std::string& id, const rc::detail::TestParams& params,
                             const rc::detail::Reproduce& r) {
  rc::detail::Configuration c;
  c.testParams = params;
  c.reproduce[id] = r;
  return rc::detail::configToMinimalString(c);
}

}  // namespace

uint64_t effective_seed(uint64_t fixed) {
  const char* env = std::getenv("MMSIM_SEED");
  if (env == nullptr || *env == '\0') return fixed;
  return std::strtoull(env, nullptr, 0);
}

bool soak_mode() {
  const char* env = std::getenv("MMSIM_SOAK");
  return env != nullptr && *env != '\0' && std::string(env) != "0";
}

PropOutcome run_property(const std::string& id, const PropConfig& cfg,
                         const std::function<void()>& property, const std::string& rc_params) {
  rc::detail::TestParams params;
  params.seed = effective_seed(cfg.seed);
  params.maxSuccess = cfg.max_success;
  params.maxSize = cfg.max_size;
  params.disableShrinking = !cfg.shrink;
  TestMetadata meta;
  meta.id = id;
  meta.description = id;
  CountingListener listener;
  // Only the reproduce map is taken from RC_PARAMS: the other parameters are the test's.
  const char* env = std::getenv("RC_PARAMS");
  const std::string text = !rc_params.empty() ? rc_params : env != nullptr ? std::string(env) : "";
  const auto reproduce = text.empty() ? std::unordered_map<std::string, rc::detail::Reproduce>()
                                      : rc::detail::configFromString(text).reproduce;
  const TestResult result = rc::detail::checkProperty(rc::detail::toProperty(property), meta,
                                                      params, listener, reproduce);

  PropOutcome out;
  out.seed = params.seed;
  out.shrinks_tried = listener.tried;
  out.shrinks_accepted = listener.accepted_;
  if (result.is<rc::detail::SuccessResult>()) {
    out.runs = result.get<rc::detail::SuccessResult>().numSuccess;
  } else if (result.is<rc::detail::FailureResult>()) {
    const auto& f = result.get<rc::detail::FailureResult>();
    out.failed = true;
    out.runs = f.numSuccess + 1;
    out.description = f.description;
    out.counterexample = example_text(f.counterExample);
    out.reproduce = reproduce_string(id, params, f.reproduce);
  } else {
    out.gave_up = true;
    std::ostringstream os;
    rc::detail::printResultMessage(result, os);
    out.description = os.str();
    out.runs = listener.cases;
  }
  return out;
}

std::string describe(const std::string& id, const PropOutcome& out) {
  std::ostringstream os;
  os << "property " << id << ": "
     << (out.failed    ? "FAILED"
         : out.gave_up ? "GAVE UP"
                       : "held")
     << " after " << out.runs << " run(s), seed=" << out.seed << " (0x" << std::hex << out.seed
     << std::dec << ")\n";
  if (out.failed) {
    os << "shrinks: " << out.shrinks_accepted << " accepted of " << out.shrinks_tried << " tried\n"
       << out.description << "\n"
       << out.counterexample << "reproduce with:\n  RC_PARAMS=\"" << out.reproduce
       << "\" ./props_tests --gtest_filter='" << id << "'\n";
  } else if (out.gave_up) {
    os << out.description << "\n";
  }
  return os.str();
}

std::string current_test_id() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  if (info == nullptr) return "no-test";
  return std::string(info->test_suite_name()) + "." + info->name();
}

}  // namespace mmsim::props
