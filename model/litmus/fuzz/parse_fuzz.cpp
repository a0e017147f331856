// model/litmus/fuzz/parse_fuzz.cpp: libFuzzer target for the litmus parser. Any input must
// parse or fail cleanly (the sanitizers catch the rest); an input that parses must print
// back to text that parses to the same test, and printing must be a fixed point.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <variant>

#include "model/litmus/equal.h"
#include "model/litmus/parser.h"
#include "model/litmus/printer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = mmsim::litmus::parse(text, "fuzz.litmus");
  if (auto* error = std::get_if<mmsim::litmus::ParseError>(&parsed)) {
    if (error->pos.line == 0 || error->pos.column == 0 || error->message.empty()) std::abort();
    return 0;
  }
  const auto& test = std::get<mmsim::litmus::Test>(parsed);
  const std::string printed = mmsim::litmus::print(test);
  auto again = mmsim::litmus::parse(printed, "printed.litmus");
  if (auto* error = std::get_if<mmsim::litmus::ParseError>(&again)) {
    std::fprintf(stderr, "printed text does not parse: %s\n%s", error->to_string().c_str(),
                 printed.c_str());
    std::abort();
  }
  const auto& test2 = std::get<mmsim::litmus::Test>(again);
  if (!mmsim::litmus::same_test(test, test2)) {
    std::fprintf(stderr, "round trip changed the test:\n%s", printed.c_str());
    std::abort();
  }
  if (mmsim::litmus::print(test2) != printed) {
    std::fprintf(stderr, "printing is not a fixed point:\n%s", printed.c_str());
    std::abort();
  }
  return 0;
}
