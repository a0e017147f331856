// model/litmus/equal.h: structural equality of parsed tests, for round-trip tests and the
// fuzz target.
//
// Owns: nothing. Invariant: same_test compares every field that gives a test its meaning
// (names, symbol tables and their order, steps with their actors, ops and registers, checks
// and expectations) and ignores where the text came from: Test::file, Step::line and the
// SourcePos of threads and checks.
#pragma once

#include "model/litmus/test.h"

namespace mmsim::litmus {

bool same_expr(const Expr& a, const Expr& b);
bool same_test(const Test& a, const Test& b);

}  // namespace mmsim::litmus
