// tools/consumer/main.cpp: a program outside mmsim that uses the installed library. It parses
// a litmus test from a string, runs the checker under two policies and prints the verdicts;
// the exit status is 0 when every stated expectation is met.
#include <iostream>
#include <string>
#include <variant>

#include "model/check/run.h"
#include "model/litmus/parser.h"
#include "sim/policy.h"

int main() {
  const std::string text = R"(litmus consumer
about "A freed page keeps its data under mainline and is wiped under init-on-free"
processes P0
frames 4
process P0
  mmap buf 1
  write buf 0x5EC7
  munmap buf
check exists (free has 0x5EC7)
  mainline: holds
  init-on-free: fails
)";
  auto parsed = mmsim::litmus::parse(text, "consumer.litmus");
  if (auto* err = std::get_if<mmsim::litmus::ParseError>(&parsed)) {
    std::cerr << "consumer: parse error: " << err->message << "\n";
    return 2;
  }
  const auto& test = std::get<mmsim::litmus::Test>(parsed);
  mmsim::model::RunOptions opt;
  int status = 0;
  for (const char* name : {"mainline", "init-on-free"}) {
    mmsim::PolicyId id{};
    if (!mmsim::policy_from_name(name, &id)) {
      std::cerr << "consumer: no policy " << name << "\n";
      return 2;
    }
    mmsim::model::PolicyRun run = mmsim::model::run_policy(test, id, opt);
    for (const auto& c : run.checks) {
      std::cout << mmsim::policy_name(id) << ": " << c.text << ": " << mmsim::model::verdict_of(c)
                << (c.unmet() ? " (unexpected)" : "") << "\n";
      if (c.unmet() || !c.judged()) status = 1;
    }
    if (run.error) {
      std::cerr << "consumer: model error: " << *run.error << "\n";
      status = 1;
    }
  }
  return status;
}
