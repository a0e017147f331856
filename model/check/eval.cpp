// model/check/eval.cpp: check expressions and WHERE lookups. See eval.h.
#include "model/check/eval.h"

#include <algorithm>

namespace mmsim::model {
namespace {

bool frame_has(const World& w, FrameId f, Value v) { return f.valid() && w.frame(f).value == v; }

bool process_has(const World& w, ProcId p, Value v) {
  for (const auto& [q, pte] : w.proc(p).mm.ptes) {
    if (frame_has(w, pte.frame, v)) return true;
    if (pte.zero_page() && v == 0) return true;  // the shared zero page reads 0
    if (pte.slot.valid() && w.swap.at(pte.slot).value == v) return true;
  }
  return false;
}

}  // namespace

bool where_has(const World& w, const litmus::Where& where, Value v) {
  using K = litmus::Where::Kind;
  const auto& frames = w.mem.frames;
  switch (where.kind) {
    case K::Free:
      return std::any_of(frames.begin(), frames.end(),
                         [v](const Frame& f) { return f.state == Frame::State::Free && f.value == v; });
    case K::Ram:
      return std::any_of(frames.begin(), frames.end(), [v](const Frame& f) { return f.value == v; });
    case K::Kernel:
      return std::any_of(frames.begin(), frames.end(),
                         [v](const Frame& f) { return f.has(FrameFlag::DirectMap) && f.value == v; });
    case K::Swap:
      return std::any_of(w.swap.slots.begin(), w.swap.slots.end(),
                         [v](const SwapSlot& s) { return s.value == v; });
    case K::Image:
      return std::find(w.image.values.begin(), w.image.values.end(), v) != w.image.values.end();
    case K::Process: return process_has(w, where.proc, v);
    case K::Handle: {
      const Handle& h = w.handle(where.handle);
      return std::any_of(h.frames.begin(), h.frames.end(),
                         [&](FrameId f) { return f == kZeroPage ? v == 0 : frame_has(w, f, v); });
    }
  }
  return false;
}

bool holds_in(const Program& prog, const State& s, const litmus::Expr& e) {
  using K = litmus::Expr::Kind;
  switch (e.kind) {
    case K::Or:
      return std::any_of(e.kids.begin(), e.kids.end(), [&](const litmus::Expr& k) { return holds_in(prog, s, k); });
    case K::And:
      return std::all_of(e.kids.begin(), e.kids.end(), [&](const litmus::Expr& k) { return holds_in(prog, s, k); });
    case K::Not: return !holds_in(prog, s, e.kids.front());
    case K::RegEq: {
      const Result& r = prog.reg(s, e.actor, e.reg);
      return r.is_set() && r == e.expected;
    }
    case K::RegNe: {
      const Result& r = prog.reg(s, e.actor, e.reg);
      return !(r.is_set() && r == e.expected);
    }
    case K::Has: return where_has(s.world, e.where, e.value);
  }
  return false;
}

}  // namespace mmsim::model
