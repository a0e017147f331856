// model/check/json.h: the one JSON writer of mmsim (nlohmann-json with ordered keys).
//
// Owns: how a JSON value becomes text. Invariants: keys print in insertion order, compact,
// so output is byte-identical across runs; a string that is not valid UTF-8 (a stray byte in
// an `about` line) prints with U+FFFD in place of each bad byte, so the output is always valid
// JSON. File names that are not UTF-8 are refused earlier (model/check/inputs.h).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace mmsim::model {

using Json = nlohmann::ordered_json;

inline std::string json_text(const Json& j) {
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace mmsim::model
