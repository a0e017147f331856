// sim/tests/sim_test_util.cpp: see sim_test_util.h.
#include "sim/tests/sim_test_util.h"

namespace mmsim::testing {

Sim::Sim(PolicyId policy, uint32_t frames, uint32_t swap)
    : w(WorldConfig{frames, swap, 4, 1, 4, 4, policy}) {}

Result Sim::run(Actor a, const Op& op) {
  Result r = apply_all(w, a, op);
  Violation v = check_all(w);
  EXPECT_FALSE(v.has_value()) << op_name(op) << " broke an invariant: " << *v << "\n" << format_world(w);
  return r;
}

Result Sim::as(ProcId p, const Op& op) { return run(Actor::process(p), op); }
Result Sim::dev(const Op& op) { return run(Actor::device(DeviceId{0}), op); }
Result Sim::sys(const Op& op) { return run(Actor::system(), op); }

Value Sim::read(ProcId p, AddrRef a) {
  Result r = as(p, Read{a});
  EXPECT_EQ(r.kind, Result::Kind::Number) << "read returned " << to_string(r);
  return r.value;
}

const Frame& Sim::frame_of(ProcId p, NameId n, uint32_t i) const {
  std::optional<PageRange> r = resolve(w, p, pg(n, i));
  EXPECT_TRUE(r.has_value());
  const Pte& pte = w.proc(p).mm.ptes.at(r->begin);
  return w.frame(pte.frame);
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

}  // namespace mmsim::testing
