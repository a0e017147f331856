// model/litmus/test.h: a parsed litmus test (spec §1-§5), with every name resolved to an ID.
//
// Owns: the symbol tables of one test and its steps, threads and checks. Invariant: every ID
// in a Step or an Expr indexes the matching symbol table below; names are unique per table.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/apply.h"
#include "sim/op.h"

namespace mmsim::litmus {

struct SourcePos {
  uint32_t line = 0;    // 1-based
  uint32_t column = 0;  // 1-based, in bytes
};

using mmsim::Granularity;  // sim/apply.h: PerOp or PerPage

// One concurrent thread: `process NAME`, `device NAME` or `system`.
struct Thread {
  Actor actor;
  std::vector<Step> steps;
  SourcePos pos;
};

// Where a value may be seen (spec §5, WHERE).
struct Where {
  enum class Kind : uint8_t { Free, Ram, Swap, Image, Kernel, Process, Handle };
  Kind kind = Kind::Ram;
  ProcId proc;      // Kind::Process
  HandleId handle;  // Kind::Handle
};

// A check expression (spec §5). Leaves are register comparisons and `has` atoms.
struct Expr {
  enum class Kind : uint8_t { Or, And, Not, RegEq, RegNe, Has };
  Kind kind = Kind::Has;
  std::vector<Expr> kids;  // Or/And: 2+, Not: 1
  Actor actor;             // RegEq/RegNe
  RegId reg;               // RegEq/RegNe
  Result expected;         // RegEq/RegNe: a value, ok, SEGV or an errno
  Where where;             // Has
  Value value = 0;         // Has
};

struct Check {
  enum class Kind : uint8_t { Exists, Forall, Never };
  Kind kind = Kind::Exists;
  Expr expr;
  std::string text;  // canonical text, e.g. "exists (D0:r0 == 0)", used in output
  // Expectations stated in the file: policy name -> holds (true) / fails (false).
  std::map<std::string, bool> expected;
  // Extension `promise TAG` / `promise !TAG` (docs/litmus.md): the check states the promise TAG;
  // TAG is kept when the check holds (or, with '!', when it fails). Tag -> kept-if-holds.
  std::map<std::string, bool> promises;
  SourcePos pos;
};

struct Test {
  std::string file;  // path as given on the command line
  std::string name;
  std::string about;
  std::string source;
  std::vector<std::string> tags;      // extension: `tags a b c` (docs/litmus.md)
  std::vector<std::string> policies;  // empty: all
  uint32_t frames = 8;
  uint32_t swap_slots = 4;
  Granularity granularity = Granularity::PerOp;

  // Symbol tables: the index is the ID's value.
  std::vector<std::string> procs;    // ProcId; the first `initial_procs` exist at the start
  uint32_t initial_procs = 0;
  std::vector<std::string> devices;  // DeviceId
  std::vector<std::string> names;    // NameId (mappings)
  std::vector<std::string> handles;  // HandleId (pins and pipes share one namespace)
  std::vector<std::string> regs;     // RegId (register names are shared by all actors)

  std::vector<Step> init;
  std::vector<Thread> threads;
  std::vector<Check> checks;
};

// A parse error: the file, the position and what was expected there (spec §7, exit 2).
struct ParseError {
  std::string file;
  SourcePos pos;
  std::string message;
  [[nodiscard]] std::string to_string() const;  // "file:line:column: error: message"
};

}  // namespace mmsim::litmus
