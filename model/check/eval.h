// model/check/eval.h: the value of a check expression (spec §5) in one final state.
//
// Owns: the meaning of each WHERE (docs/model.md, "Where a value can be seen"). Invariant:
// evaluation is a pure function of the state; an unset register equals nothing.
#pragma once

#include "model/check/state.h"

namespace mmsim::model {

bool holds_in(const Program& prog, const State& s, const litmus::Expr& e);
// Whether `where` holds value v in world w.
bool where_has(const World& w, const litmus::Where& where, Value v);

}  // namespace mmsim::model
