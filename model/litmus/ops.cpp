// model/litmus/ops.cpp: op lines (spec §2-§3): the op keyword and which actor may run it
// (sim/op_table.h), the arguments of each op, addresses, numbers and the optional `-> r`.
#include <array>
#include <limits>
#include <string>
#include <utility>

#include "model/litmus/parser_impl.h"
#include "sim/advice.h"
#include "sim/overloaded.h"

namespace mmsim::litmus::detail {
namespace {

// "an op (mmap, munmap, ...)": the language's keywords, in kOpTable order.
std::string op_list() {
  std::string out = "an op (";
  for (size_t i = 0; i < kLangOpCount; ++i)
    out += std::string(i > 0 ? ", " : "") + std::string(kOpTable[i].keyword);
  return out + ")";
}

// A blank op of row `row` of the language, for Parser::parse_args to fill.
LangOp blank_op(size_t row) {
  return [row]<size_t... I>(std::index_sequence<I...>) {
    const std::array<LangOp, kLangOpCount> blank{LangOp{std::in_place_index<I>}...};
    return blank[row];
  }
  (std::make_index_sequence<kLangOpCount>{});
}

// "an advice (wipeonfork, ..., secret)": the core advices and every policy's (sim/advice.h).
const std::string& advice_list() {
  static const std::string kList = "an advice (" + advice_keyword_list() + ")";
  return kList;
}

std::string_view class_name(OpActor cls) {
  switch (cls) {
    case OpActor::Process:
      return "a process op";
    case OpActor::Device:
      return "a device op";
    case OpActor::Pipe:
      return "a pipe op";
    case OpActor::System:
      return "a system op";
    case OpActor::Internal:
      return "a page step";
  }
  return "an op";
}

std::string_view thread_name(Actor::Kind kind) {
  switch (kind) {
    case Actor::Kind::Process:
      return "a process thread";
    case Actor::Kind::Device:
      return "a device thread";
    case Actor::Kind::System:
      return "the system thread";
  }
  return "a thread";
}

// Decimal or 0x hex. False when `w` is not a number; *overflow when it does not fit in 64 bits.
bool parse_u64(std::string_view w, uint64_t* out, bool* overflow) {
  unsigned base = 10;
  if (w.size() > 2 && w[0] == '0' && w[1] == 'x') {
    base = 16;
    w.remove_prefix(2);
  }
  if (w.empty()) return false;
  uint64_t v = 0;
  *overflow = false;
  for (char c : w) {
    unsigned d = 0;
    if (c >= '0' && c <= '9') {
      d = static_cast<unsigned>(c - '0');
    } else if (base == 16 && c >= 'a' && c <= 'f') {
      d = static_cast<unsigned>(c - 'a' + 10);
    } else if (base == 16 && c >= 'A' && c <= 'F') {
      d = static_cast<unsigned>(c - 'A' + 10);
    } else {
      return false;
    }
    if (v > (std::numeric_limits<uint64_t>::max() - d) / base) *overflow = true;
    v = v * base + d;
  }
  *out = v;
  return true;
}

}  // namespace

size_t Parser::op_row(const Token& op) const {
  for (size_t row = 0; row < kLangOpCount; ++row) {
    if (op.text == kOpTable[row].keyword) return row;
  }
  fail(op, op_list());
}

void Parser::check_op_actor(Actor actor, const Token& op, OpActor cls, bool in_thread) const {
  bool ok = cls == OpActor::Pipe;
  if (cls == OpActor::Process) ok = actor.kind == Actor::Kind::Process;
  if (cls == OpActor::Device) ok = actor.kind == Actor::Kind::Device;
  if (cls == OpActor::System) ok = actor.kind == Actor::Kind::System;
  if (ok) return;
  const std::string where =
      in_thread ? "in " + std::string(thread_name(actor.kind)) : "as " + actor_text(actor);
  fail_at(op.pos, "op '" + std::string(op.text) + "' is " + std::string(class_name(cls)) +
                      "; it cannot run " + where);
}

// The rest of an op line after the op word (row `row` of kOpTable): arguments, `-> r`, end of line.
Step Parser::parse_op_line(Actor actor, const Token& op, size_t row) {
  Step step;
  step.actor = actor;
  step.line = op.pos.line;
  step.op = parse_args(row);
  if (at(Token::Kind::Arrow)) {
    take();
    step.dest = reg_ref(expect_word("a register name"));
    expect_eol();
  } else if (!at(Token::Kind::Newline) && !at(Token::Kind::End)) {
    fail(peek(), "'->' or end of line");
  }
  return step;
}

// The arguments of each op of the language, in the order spec §3 writes them.
LangOp Parser::parse_args(size_t row) {
  LangOp out = blank_op(row);
  auto handle = [&] { return handle_ref(expect_word("a handle name")); };
  auto proc = [&] { return proc_ref(expect_word("a process name")); };
  auto none = [](const auto&) {};  // named for each op below that takes no arguments
  std::visit(
      Overloaded{
          [&](Mmap& o) { o = parse_mmap(); },
          [&](Munmap& o) { o.addr = parse_addr(); },
          [&](Madvise& o) {
            o.addr = parse_addr();
            o.advice = parse_advice();
          },
          [&](Mlock& o) { o.addr = parse_addr(); },
          [&](Munlock& o) { o.addr = parse_addr(); },
          [&](Mprotect& o) {
            o.addr = parse_addr();
            o.prot = parse_prot();
          },
          [&](Write& o) {
            o.addr = parse_addr();
            o.value = parse_value();
          },
          [&](Read& o) { o.addr = parse_addr(); },
          [&](Zero& o) { o.addr = parse_addr(); },
          [&](Fork& o) { o.child = fork_child(expect_word("the name of the child process")); },
          [&](Exec& o) { none(o); },
          [&](Exit& o) { none(o); },
          [&](Pin& o) { o = parse_pin(); },
          [&](Vmsplice& o) {
            o.addr = parse_addr();
            o.handle = handle_ref(expect_word("a pipe handle name"));
          },
          [&](DmaRead& o) { o.handle = handle(); },
          [&](DmaWrite& o) {
            o.handle = handle();
            o.value = parse_value();
          },
          [&](Unpin& o) { o.handle = handle(); },
          [&](PipeRead& o) { o.handle = handle(); },
          [&](PipeClose& o) { o.handle = handle(); },
          [&](Reclaim& o) {
            // A plain `reclaim` is the choice point (sim/op.h); else `reclaim P ADDR`.
            if (at(Token::Kind::Newline) || at(Token::Kind::End) || at(Token::Kind::Arrow)) {
              o = Reclaim{ProcId::none(), AddrRef{}};
              return;
            }
            o.proc = proc();
            o.addr = parse_addr();
          },
          [&](Migrate& o) {
            o.proc = proc();
            o.addr = parse_addr();
          },
          [&](Kill& o) { o.proc = proc(); },
          [&](Suspend& o) { none(o); },
          [&](Hibernate& o) { none(o); },
          [&](Resume& o) { none(o); },
          [&](Snapshot& o) { none(o); },
      },
      out);
  return out;
}

// pin ADDR dio|longterm [read|write] H (the direction is an extension, docs/litmus.md; a
// word `read` or `write` followed by another word is the direction, else the handle name).
Pin Parser::parse_pin() {
  Pin p;
  p.addr = parse_addr();
  p.kind = parse_pin_kind();
  if ((at_word("read") || at_word("write")) && peek(1).kind == Token::Kind::Word) {
    p.dir = take().text == "read" ? PinDir::Read : PinDir::Write;
  }
  p.handle = handle_ref(expect_word("a pin handle name"));
  return p;
}

// mmap NAME N [private|shared] [anon|file|secret|droppable], the two options in either order.
Mmap Parser::parse_mmap() {
  Mmap m;
  m.name = name_ref(expect_word("a mapping name"));
  m.pages = parse_count("a page count", 1, kMaxMmapPages);
  bool seen_sharing = false;
  bool seen_backing = false;
  while (at(Token::Kind::Word)) {
    const Token& t = peek();
    const bool sharing = t.text == "private" || t.text == "shared";
    const bool backing =
        t.text == "anon" || t.text == "file" || t.text == "secret" || t.text == "droppable";
    if ((sharing && seen_sharing) || (backing && seen_backing) || (!sharing && !backing)) {
      std::string expected;
      if (!seen_sharing) expected += "'private', 'shared', ";
      if (!seen_backing) expected += "'anon', 'file', 'secret', 'droppable', ";
      fail(t, expected + "'->' or end of line");
    }
    take();
    if (sharing) {
      seen_sharing = true;
      m.sharing = t.text == "private" ? Sharing::Private : Sharing::Shared;
    } else {
      seen_backing = true;
      m.backing = t.text == "anon"     ? Backing::Anon
                  : t.text == "file"   ? Backing::File
                  : t.text == "secret" ? Backing::Secret
                                       : Backing::Droppable;
    }
  }
  return m;
}

// x, x[i] or x[i:j] with i < j.
AddrRef Parser::parse_addr() {
  AddrRef a;
  a.name = name_ref(expect_word("an address (x, x[i] or x[i:j])"));
  if (!at(Token::Kind::LBracket)) return a;
  take();
  a.span = AddrRef::Span::Slice;
  constexpr uint32_t kMax = std::numeric_limits<uint32_t>::max();
  a.first = parse_index(kMax - 1);
  if (at(Token::Kind::Colon)) {
    take();
    const Token& end = peek();
    a.last = parse_index(kMax);
    if (a.last <= a.first) {
      fail(end, "an end index greater than " + std::to_string(a.first));
    }
  } else {
    a.last = a.first + 1;
  }
  expect(Token::Kind::RBracket, "']'");
  return a;
}

Advice Parser::parse_advice() {
  const Token& t = expect_word(advice_list());
  Advice advice{};
  if (advice_from_name(t.text, &advice)) return advice;
  fail(t, advice_list());
}

Prot Parser::parse_prot() {
  const Token& t = expect_word("a protection (r, rw or none)");
  if (t.text == "r") return Prot::Read;
  if (t.text == "rw") return Prot::ReadWrite;
  if (t.text == "none") return Prot::None;
  fail(t, "a protection (r, rw or none)");
}

PinKind Parser::parse_pin_kind() {
  const Token& t = expect_word("a pin kind (dio or longterm)");
  if (t.text == "dio") return PinKind::Dio;
  if (t.text == "longterm") return PinKind::Longterm;
  fail(t, "a pin kind (dio or longterm)");
}

Value Parser::parse_value() {
  return value_of(expect_word("a value (decimal or 0x hex)"));
}

Value Parser::value_of(const Token& t) const {
  uint64_t v = 0;
  bool overflow = false;
  if (!parse_u64(t.text, &v, &overflow)) fail(t, "a value (decimal or 0x hex)");
  if (overflow) fail_at(t.pos, "value '" + std::string(t.text) + "' does not fit in 64 bits");
  return v;
}

uint32_t Parser::parse_index(uint32_t max) {
  const Token& t = expect_word("a page index");
  uint64_t v = 0;
  bool overflow = false;
  if (!parse_u64(t.text, &v, &overflow)) fail(t, "a page index");
  if (overflow || v > max) {
    fail_at(t.pos, "page index '" + std::string(t.text) + "' is too large: at most " +
                       std::to_string(max));
  }
  return static_cast<uint32_t>(v);
}

uint32_t Parser::parse_count(std::string_view what, uint32_t min, uint32_t max) {
  const std::string expected =
      std::string(what) + " from " + std::to_string(min) + " to " + std::to_string(max);
  const Token& t = expect_word(expected);
  uint64_t v = 0;
  bool overflow = false;
  if (!parse_u64(t.text, &v, &overflow) || overflow || v < min || v > max) fail(t, expected);
  return static_cast<uint32_t>(v);
}

}  // namespace mmsim::litmus::detail
