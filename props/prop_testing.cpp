// props/prop_testing.cpp: see prop_testing.h.
#include "props/prop_testing.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "model/litmus/printer.h"

#ifndef MMSIM_PROPS_OUT
#define MMSIM_PROPS_OUT "props-counterexamples"
#endif

namespace mmsim::props {
bool sanitized() {
#if defined(__SANITIZE_ADDRESS__)
  return true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
  return true;
#else
  return false;
#endif
#else
  return false;
#endif
}

PropConfig hold_config(uint64_t seed) {
  PropConfig c;
  c.seed = seed;
  if (soak_mode()) {
    c.max_success = 150000;
    c.max_size = 100;
  } else if (sanitized()) {
    c.max_success = 1000;
    c.max_size = 40;
  } else {
    c.max_success = 10000;
    c.max_size = 60;
  }
  return c;
}

std::string counterexample_dir() {
  const char* env = std::getenv("MMSIM_COUNTEREXAMPLES");
  return env != nullptr && *env != '\0' ? std::string(env) : std::string(MMSIM_PROPS_OUT);
}

std::string counterexample_text(const Failure& f, const std::string& name) {
  const std::string about =
      std::string(promise_name(f.violation.promise)) + ": " + f.violation.message;
  std::string clean;
  for (char c : about) clean += c == '"' ? '\'' : c == '\\' ? '/' : c == '\n' ? ' ' : c;
  return litmus::print(to_litmus(f.program, f.violation.check, name, clean));
}

std::string write_counterexample(const Failure& f, const std::string& name) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path dir(counterexample_dir());
  fs::create_directories(dir, ec);
  const fs::path path = dir / (name + ".litmus");
  std::ofstream out(path);
  if (!out) return "";
  out << counterexample_text(f, name);
  return out ? path.string() : "";
}

}  // namespace mmsim::props
