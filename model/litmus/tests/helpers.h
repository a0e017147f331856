// model/litmus/tests/helpers.h: small helpers shared by the litmus parser tests.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <variant>

#include "model/litmus/parser.h"

namespace mmsim::litmus::test_util {

// Parses text that must be valid; a parse error fails the calling test with its message.
inline litmus::Test parse_ok(std::string_view text) {
  auto result = parse(text, "t.litmus");
  if (auto* e = std::get_if<ParseError>(&result)) {
    ADD_FAILURE() << "unexpected parse error: " << e->to_string();
    return litmus::Test{};
  }
  return std::get<litmus::Test>(std::move(result));
}

// Parses text that must be invalid and returns the error.
inline ParseError parse_error(std::string_view text) {
  auto result = parse(text, "t.litmus");
  if (std::holds_alternative<litmus::Test>(result)) {
    ADD_FAILURE() << "expected a parse error, but the text parsed";
    return ParseError{};
  }
  return std::get<ParseError>(std::move(result));
}

inline std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace mmsim::litmus::test_util
