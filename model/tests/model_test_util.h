// model/tests/model_test_util.h: helpers for checker tests: parse litmus text, search it under
// a policy, and run the mmsim CLI in-process.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "model/check/checker.h"
#include "model/cli/cli.h"
#include "model/litmus/parser.h"
#include "sim/policy.h"

namespace mmsim::model::testing {

inline litmus::Test parse_ok(const std::string& text, const std::string& name = "test.litmus") {
  auto r = litmus::parse(text, name);
  if (auto* e = std::get_if<litmus::ParseError>(&r)) {
    ADD_FAILURE() << e->to_string();
    return {};
  }
  return std::get<litmus::Test>(r);
}

inline SearchResult search_under(const litmus::Test& t, PolicyId p, Limits limits = {}) {
  limits.progress = false;
  Program prog{&t, p, static_cast<uint32_t>(t.regs.size())};
  return search(prog, limits);
}

struct CliRun {
  int status = 0;
  std::string out;
  std::string err;
};

inline CliRun cli(std::vector<std::string> args) {
  args.insert(args.begin(), "mmsim");
  std::vector<const char*> argv;
  for (const std::string& a : args) argv.push_back(a.c_str());
  std::ostringstream out, err;
  CliRun r;
  r.status = mmsim_main(static_cast<int>(argv.size()), argv.data(), out, err);
  r.out = out.str();
  r.err = err.str();
  return r;
}

// A small test that parses, holds under mainline and exits 0: the good input of CLI tests.
inline constexpr const char* kGood = R"(litmus good
processes P0
process P0
  mmap x 1
  read x -> r0
check forall (P0:r0 == 0)
  mainline: holds
)";

// The whole content of a file, as bytes ("" when it cannot be read).
inline std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Writes text to a fresh file under the test's temporary folder and returns its path.
std::string write_temp(const std::string& name, const std::string& text);

}  // namespace mmsim::model::testing
