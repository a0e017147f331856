// model/tests/model_test_util.cpp: see model_test_util.h.
#include "model/tests/model_test_util.h"

#include <filesystem>
#include <fstream>

namespace mmsim::model::testing {

std::string write_temp(const std::string& name, const std::string& text) {
  namespace fs = std::filesystem;
  const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
  fs::path dir = fs::temp_directory_path() / "mmsim-model-tests" / (std::string(info->test_suite_name()) + "." + info->name());
  fs::create_directories(dir);
  fs::path p = dir / name;
  std::ofstream(p) << text;
  return p.string();
}

}  // namespace mmsim::model::testing
