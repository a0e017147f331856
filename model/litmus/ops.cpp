// model/litmus/ops.cpp: op lines (spec §2-§3): which actor may run each op, the arguments of
// each op, addresses, numbers and the optional `-> r`.
#include <array>
#include <limits>
#include <string>

#include "model/litmus/parser_impl.h"
#include "sim/advice.h"

namespace mmsim::litmus::detail {
namespace {

struct OpInfo {
  std::string_view word;
  OpClass cls;
};

constexpr std::array<OpInfo, 26> kOps{{
    {"mmap", OpClass::Process},     {"munmap", OpClass::Process},   {"madvise", OpClass::Process},
    {"mlock", OpClass::Process},    {"munlock", OpClass::Process},  {"mprotect", OpClass::Process},
    {"write", OpClass::Process},    {"read", OpClass::Process},     {"zero", OpClass::Process},
    {"fork", OpClass::Process},     {"exec", OpClass::Process},     {"exit", OpClass::Process},
    {"pin", OpClass::Process},      {"vmsplice", OpClass::Process}, {"dma-read", OpClass::Device},
    {"dma-write", OpClass::Device}, {"unpin", OpClass::Device},     {"pipe-read", OpClass::Pipe},
    {"pipe-close", OpClass::Pipe},  {"reclaim", OpClass::System},   {"migrate", OpClass::System},
    {"kill", OpClass::System},      {"suspend", OpClass::System},   {"hibernate", OpClass::System},
    {"resume", OpClass::System},    {"snapshot", OpClass::System},
}};

constexpr std::string_view kOpList =
    "an op (mmap, munmap, madvise, mlock, munlock, mprotect, write, read, zero, fork, exec, exit, "
    "pin, vmsplice, dma-read, dma-write, unpin, pipe-read, pipe-close, reclaim, migrate, kill, "
    "suspend, hibernate, resume, snapshot)";

// "an advice (wipeonfork, ..., secret)": the core advices and every policy's (sim/advice.h).
const std::string& advice_list() {
  static const std::string kList = "an advice (" + advice_keyword_list() + ")";
  return kList;
}

std::string_view class_name(OpClass cls) {
  switch (cls) {
    case OpClass::Process:
      return "a process op";
    case OpClass::Device:
      return "a device op";
    case OpClass::Pipe:
      return "a pipe op";
    case OpClass::System:
      return "a system op";
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

OpClass Parser::op_class(const Token& op) const {
  for (const OpInfo& info : kOps) {
    if (op.text == info.word) return info.cls;
  }
  fail(op, kOpList);
}

void Parser::check_op_actor(Actor actor, const Token& op, OpClass cls, bool in_thread) const {
  bool ok = cls == OpClass::Pipe;
  if (cls == OpClass::Process) ok = actor.kind == Actor::Kind::Process;
  if (cls == OpClass::Device) ok = actor.kind == Actor::Kind::Device;
  if (cls == OpClass::System) ok = actor.kind == Actor::Kind::System;
  if (ok) return;
  const std::string where =
      in_thread ? "in " + std::string(thread_name(actor.kind)) : "as " + actor_text(actor);
  fail_at(op.pos, "op '" + std::string(op.text) + "' is " + std::string(class_name(cls)) +
                      "; it cannot run " + where);
}

// The rest of an op line after the op word: arguments, `-> r`, end of line.
Step Parser::parse_op_line(Actor actor, const Token& op, OpClass cls) {
  Step step;
  step.actor = actor;
  step.line = op.pos.line;
  step.op = cls == OpClass::Process ? parse_process_op(op) : parse_other_op(op);
  if (at(Token::Kind::Arrow)) {
    take();
    step.dest = reg_ref(expect_word("a register name"));
    expect_eol();
  } else if (!at(Token::Kind::Newline) && !at(Token::Kind::End)) {
    fail(peek(), "'->' or end of line");
  }
  return step;
}

Op Parser::parse_process_op(const Token& op) {
  const std::string_view w = op.text;
  if (w == "mmap") return parse_mmap();
  if (w == "fork") return Fork{fork_child(expect_word("the name of the child process"))};
  if (w == "exec") return Exec{};
  if (w == "exit") return Exit{};
  const AddrRef addr = parse_addr();
  if (w == "munmap") return Munmap{addr};
  if (w == "mlock") return Mlock{addr};
  if (w == "munlock") return Munlock{addr};
  if (w == "read") return Read{addr};
  if (w == "zero") return Zero{addr};
  if (w == "madvise") return Madvise{addr, parse_advice()};
  if (w == "mprotect") return Mprotect{addr, parse_prot()};
  if (w == "write") return Write{addr, parse_value()};
  if (w == "vmsplice") return Vmsplice{addr, handle_ref(expect_word("a pipe handle name"))};
  // pin ADDR dio|longterm [read|write] H (the direction is an extension, docs/litmus.md; a
  // word `read` or `write` followed by another word is the direction, else the handle name).
  const PinKind kind = parse_pin_kind();
  PinDir dir = PinDir::Write;
  if ((at_word("read") || at_word("write")) && peek(1).kind == Token::Kind::Word) {
    dir = take().text == "read" ? PinDir::Read : PinDir::Write;
  }
  return Pin{addr, kind, handle_ref(expect_word("a pin handle name")), dir};
}

Op Parser::parse_other_op(const Token& op) {
  const std::string_view w = op.text;
  if (w == "suspend") return Suspend{};
  if (w == "hibernate") return Hibernate{};
  if (w == "resume") return Resume{};
  if (w == "snapshot") return Snapshot{};
  if (w == "reclaim" &&
      (at(Token::Kind::Newline) || at(Token::Kind::End) || at(Token::Kind::Arrow))) {
    return Reclaim{ProcId::none(), AddrRef{}};
  }
  if (w == "reclaim" || w == "migrate" || w == "kill") {
    const ProcId proc = proc_ref(expect_word("a process name"));
    if (w == "kill") return Kill{proc};
    const AddrRef addr = parse_addr();
    if (w == "reclaim") return Reclaim{proc, addr};
    return Migrate{proc, addr};
  }
  const HandleId h = handle_ref(expect_word("a handle name"));
  if (w == "dma-read") return DmaRead{h};
  if (w == "dma-write") return DmaWrite{h, parse_value()};
  if (w == "unpin") return Unpin{h};
  if (w == "pipe-read") return PipeRead{h};
  return PipeClose{h};
}

// mmap NAME N [private|shared] [anon|file|secret|droppable], the two options in either order.
Op Parser::parse_mmap() {
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
