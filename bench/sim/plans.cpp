// bench/sim/plans.cpp: the workload Plans of plans.h, and their explicit instantiations.
#include "bench/sim/plans.h"

namespace mmsim::bench {
namespace {

const Actor kParentActor = Actor::process(kParent);
const Actor kChildActor = Actor::process(kChild);

Step mark_step(const Design& d, uint32_t first, uint32_t last) {
  // Mainline and init-on-free do not know MADV_WIPEONRELEASE: EINVAL, and nothing changes.
  const bool may_fail = d.mark == MarkOp::Madvise && (d.id == PolicyId::Mainline ||
                                                       d.id == PolicyId::InitOnFree);
  return Step{kParentActor, mark_op(d, first, last), may_fail};
}

Step pin_step(uint32_t first, uint32_t last) {
  return Step{kParentActor, Pin{slice(first, last), PinKind::Dio, kPin}};
}

Step unpin_step() { return Step{Actor::system(), Unpin{kPin}}; }

// N written pages, the first m marked and the first p pinned.
Plan marked_and_pinned(const Design& d, uint32_t n, uint32_t m, uint32_t p,
                       PagePayload payload = PagePayload::Real4K) {
  Plan plan;
  plan.cfg = config_for(d, n, 0, payload);
  plan.setup = populate(n);
  if (m > 0) plan.setup.push_back(mark_step(d, 0, m));
  if (p > 0) plan.setup.push_back(pin_step(0, p));
  if (p > 0) plan.teardown.push_back(unpin_step());
  plan.pages = n;
  plan.marked = m;
  return plan;
}

}  // namespace

template <uint32_t M, uint32_t P, bool Exit, PagePayload Payload>
Plan unmap_plan(const Design& d, uint32_t n) {
  Plan plan = marked_and_pinned(d, n, percent_of(n, M), percent_of(n, P), Payload);
  if constexpr (Exit) {
    plan.timed.push_back(Step{kParentActor, mmsim::Exit{}});
  } else {
    plan.timed.push_back(Step{kParentActor, Munmap{whole()}});
  }
  return plan;
}

template <uint32_t M, PagePayload Payload>
Plan unpin_plan(const Design& d, uint32_t n) {
  Plan plan = marked_and_pinned(d, n, percent_of(n, M), n, Payload);
  plan.setup.push_back(Step{kParentActor, Munmap{whole()}});
  plan.timed = std::move(plan.teardown);
  plan.teardown.clear();
  return plan;
}

Plan mark_plan(const Design& d, uint32_t n) {
  Plan plan = marked_and_pinned(d, n, 0, 0);
  plan.timed.push_back(mark_step(d, 0, n));
  plan.marked = n;
  return plan;
}

Plan mark_split_plan(const Design& d, uint32_t n) {
  Plan plan = marked_and_pinned(d, n + 2, 0, 0);
  plan.timed.push_back(mark_step(d, 1, n + 1));
  plan.pages = n;
  plan.marked = n;
  return plan;
}

template <uint32_t M>
Plan fork_plan(const Design& d, uint32_t n) {
  Plan plan = marked_and_pinned(d, n, percent_of(n, M), 0);
  plan.cfg = config_for(d, n, n, PagePayload::Real4K);  // room for copies at fork
  plan.timed.push_back(Step{kParentActor, Fork{kChild}});
  return plan;
}

Plan fork_child_exit_plan(const Design& d, uint32_t n) {
  Plan plan = fork_plan<100>(d, n);
  plan.setup.push_back(plan.timed.front());
  plan.timed = {Step{kChildActor, mmsim::Exit{}}};
  return plan;
}

template <bool Pinned, PagePayload Payload>
Plan cycle_plan(const Design& d, uint32_t n) {
  Plan plan = marked_and_pinned(d, n, 0, 0, Payload);
  plan.timed.push_back(mark_step(d, 0, n));
  if (Pinned) plan.timed.push_back(pin_step(0, n));
  plan.timed.push_back(Step{kParentActor, Munmap{whole()}});
  if (Pinned) plan.timed.push_back(unpin_step());
  plan.marked = n;
  return plan;
}

template Plan unmap_plan<0, 0, false>(const Design&, uint32_t);
template Plan unmap_plan<0, 10, false>(const Design&, uint32_t);
template Plan unmap_plan<0, 100, false>(const Design&, uint32_t);
template Plan unmap_plan<1, 0, false>(const Design&, uint32_t);
template Plan unmap_plan<1, 10, false>(const Design&, uint32_t);
template Plan unmap_plan<1, 100, false>(const Design&, uint32_t);
template Plan unmap_plan<100, 0, false>(const Design&, uint32_t);
template Plan unmap_plan<100, 10, false>(const Design&, uint32_t);
template Plan unmap_plan<100, 100, false>(const Design&, uint32_t);
template Plan unmap_plan<0, 0, true>(const Design&, uint32_t);
template Plan unmap_plan<0, 10, true>(const Design&, uint32_t);
template Plan unmap_plan<0, 100, true>(const Design&, uint32_t);
template Plan unmap_plan<1, 0, true>(const Design&, uint32_t);
template Plan unmap_plan<1, 10, true>(const Design&, uint32_t);
template Plan unmap_plan<1, 100, true>(const Design&, uint32_t);
template Plan unmap_plan<100, 0, true>(const Design&, uint32_t);
template Plan unmap_plan<100, 10, true>(const Design&, uint32_t);
template Plan unmap_plan<100, 100, true>(const Design&, uint32_t);
template Plan unmap_plan<0, 0, false, PagePayload::None>(const Design&, uint32_t);
template Plan unmap_plan<0, 0, true, PagePayload::None>(const Design&, uint32_t);
template Plan unpin_plan<0, PagePayload::None>(const Design&, uint32_t);
template Plan unpin_plan<0>(const Design&, uint32_t);
template Plan unpin_plan<1>(const Design&, uint32_t);
template Plan unpin_plan<100>(const Design&, uint32_t);
template Plan fork_plan<0>(const Design&, uint32_t);
template Plan fork_plan<100>(const Design&, uint32_t);
template Plan cycle_plan<false, PagePayload::None>(const Design&, uint32_t);
template Plan cycle_plan<false, PagePayload::Real4K>(const Design&, uint32_t);
template Plan cycle_plan<true, PagePayload::None>(const Design&, uint32_t);
template Plan cycle_plan<true, PagePayload::Real4K>(const Design&, uint32_t);

}  // namespace mmsim::bench
