// sim/tests/sim_test_util.cpp: see sim_test_util.h.
#include "sim/tests/sim_test_util.h"

#include "sim/check.h"

#include <deque>

namespace mmsim::testing {

Sim::Sim(PolicyId policy, uint32_t frames, uint32_t swap)
    : w(WorldConfig{frames, swap, 4, 1, 4, 4, policy}) {}

Result Sim::run(Actor a, const Op& op) {
  Result r = apply_all(w, a, op);
  Violation v = check_all(w);
  EXPECT_FALSE(v.has_value()) << op_name(op) << " broke an invariant: " << *v << "\n"
                              << format_world(w);
  return r;
}

Result Sim::as(ProcId p, const Op& op) {
  return run(Actor::process(p), op);
}
Result Sim::dev(const Op& op) {
  return run(Actor::device(DeviceId{0}), op);
}
Result Sim::sys(const Op& op) {
  return run(Actor::system(), op);
}

Result Sim::paged(Actor a, const Op& op) {
  Outcome first = apply(w, a, op, Granularity::PerPage);
  Result r = first.result;
  std::deque<Op> todo(first.rest.begin(), first.rest.end());
  Violation v = check_all(w);
  EXPECT_FALSE(v.has_value()) << op_name(op) << " (first step) broke an invariant: " << *v;
  while (!todo.empty() && !actor_gone(w, a)) {  // as the checker, which retires a gone thread
    const Op step = todo.front();
    todo.pop_front();
    Outcome next = apply(w, a, step, Granularity::PerPage);
    r = combine(r, next.result);
    todo.insert(todo.begin(), next.rest.begin(), next.rest.end());
    v = check_all(w);
    EXPECT_FALSE(v.has_value()) << op_name(step) << " broke an invariant: " << *v << "\n"
                                << format_world(w);
  }
  return r;
}

Value Sim::read(ProcId p, AddrRef a) {
  Result r = as(p, Read{a});
  EXPECT_EQ(r.kind, Result::Kind::Number) << "read returned " << to_string(r);
  return r.value;
}

Vpn Sim::vpn(ProcId p, NameId n, uint32_t i) const {
  std::optional<PageRange> r = resolve(w, p, pg(n, i));
  EXPECT_TRUE(r.has_value());
  return r ? r->begin : Vpn{};
}

const Frame& Sim::frame_of(ProcId p, NameId n, uint32_t i) const {
  const Pte& pte = w.proc(p).mm.ptes.at(vpn(p, n, i));
  SIM_ASSERT(pte.frame.valid(), "frame_of a page that maps no frame (swapped or the zero page)");
  return w.frame(pte.frame);
}

FrameId Sim::frame_id(ProcId p, NameId n, uint32_t i) const {
  const Pte* e = pte(p, n, i);
  return e ? e->frame : FrameId::none();
}

const Pte* Sim::pte(ProcId p, NameId n, uint32_t i) const {
  const auto& ptes = w.proc(p).mm.ptes;
  auto it = ptes.find(vpn(p, n, i));
  return it == ptes.end() ? nullptr : &it->second;
}

const Vma* Sim::vma(ProcId p, NameId n, uint32_t i) const {
  return w.proc(p).mm.vmas.at(vpn(p, n, i));
}

bool Sim::ram_has(Value v) const {
  for (const Frame& f : w.mem.frames) {
    if (f.value == v) return true;
  }
  return false;
}

bool Sim::free_has(Value v) const {
  for (const Frame& f : w.mem.frames) {
    if (f.state == Frame::State::Free && f.value == v) return true;
  }
  return false;
}

bool Sim::swap_has(Value v) const {
  for (const SwapSlot& s : w.swap.slots) {
    if (s.value == v) return true;
  }
  return false;
}

bool Sim::image_has(Value v) const {
  for (Value x : w.image.values) {
    if (x == v) return true;
  }
  return false;
}

uint32_t Sim::used_frames() const {
  return w.mem.count() - static_cast<uint32_t>(w.mem.free_list.size());
}

uint32_t Sim::used_slots() const {
  uint32_t n = 0;
  for (const SwapSlot& s : w.swap.slots) n += s.state == SwapSlot::State::Used ? 1u : 0u;
  return n;
}

}  // namespace mmsim::testing
