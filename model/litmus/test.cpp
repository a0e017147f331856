// model/litmus/test.cpp: the out-of-line members of the parsed-test types (test.h).
#include "model/litmus/test.h"

#include <string>

namespace mmsim::litmus {

std::string ParseError::to_string() const {
  return file + ":" + std::to_string(pos.line) + ":" + std::to_string(pos.column) +
         ": error: " + message;
}

}  // namespace mmsim::litmus
