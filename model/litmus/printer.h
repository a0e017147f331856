// model/litmus/printer.h: prints a Test, a Step or a check expression back as litmus text
// (docs/litmus.md, "Canonical printing").
//
// Owns: nothing. Invariants: output is a pure function of its input (byte-identical on every
// run); for a Test that parse() produced, parse(print(t)) gives a Test equal to t except for
// file, source lines and positions (same_test in equal.h). Printing never fails: an ID outside
// its table prints as "?N" (such text does not parse back).
#pragma once

#include <string>

#include "model/litmus/test.h"
#include "sim/op.h"

namespace mmsim::litmus {

// The whole test: header, init, threads, checks, with two-space indentation.
std::string print(const Test& t);

// One step with its actor, as in an init block or a trace: "P0: munmap buf[0:2]",
// "D0: dma-read io -> r0", "system: reclaim". Continuation ops (ForkPage, ZapPage, Finish,
// ReclaimPage, PowerPage, PowerDone), which the language has no syntax for, print readably
// as "fork.page P0 P1 page 3" etc.
std::string print_step(const Test& t, const Step& s);

// One step without its actor, as in a thread block: "read x[0] -> r0".
std::string print_op(const Test& t, const Step& s);

// A check expression without outer parentheses: "P1:r0 == 0 && P0:r0 == 0xAB".
// Check::text is "<kind> (" + print_expr(...) + ")".
std::string print_expr(const Test& t, const Expr& e);

// Values: below 10 in decimal, otherwise 0x with uppercase hex digits ("7", "0xAB").
std::string format_value(Value v);
// A result as written in a check: a value (format_value), ok, SEGV or an errno name.
std::string format_result(const Result& r);
// The name of an actor: the process or device name, or "system".
std::string actor_name(const Test& t, Actor a);

}  // namespace mmsim::litmus
