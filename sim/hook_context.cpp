// sim/hook_context.cpp: see hook_context.h. Each member checks that the running policy's
// descriptor declares what the member touches, so a hook cannot reach another policy's mark.
#include "sim/hook_context.h"

#include "sim/check.h"

namespace mmsim {

void HookContext::zero(FrameId f) {
  zero_page(w_, f);
}

void HookContext::set_page_mark(FrameId f) {
  SIM_ASSERT(policy_.marks.owns_page_flag(), "the policy declares no page flag");
  w_.frame(f).set(FrameFlag::PolicyMark);
}

void HookContext::clear_page_mark(FrameId f) {
  SIM_ASSERT(policy_.marks.owns_page_flag(), "the policy declares no page flag");
  w_.frame(f).clear(FrameFlag::PolicyMark);
}

void HookContext::remove_from_direct_map(FrameId f) {
  SIM_ASSERT(policy_.marks.owns_page_flag(),
             "only a policy with a page flag leaves the direct map");
  w_.frame(f).clear(FrameFlag::DirectMap);
}

void HookContext::restore_direct_map(FrameId f) {
  SIM_ASSERT(policy_.marks.owns_page_flag(),
             "only a policy with a page flag leaves the direct map");
  w_.frame(f).set(FrameFlag::DirectMap);
}

void HookContext::set_vma_mark(ProcId p, Vpn at, Mark m) {
  SIM_ASSERT(policy_.marks.vma.has_value(), "the policy declares no VMA mark");
  Vma* v = w_.proc(p).mm.vmas.at(at);
  SIM_ASSERT(v != nullptr, "set_vma_mark outside every VMA");
  m == Mark::Set ? v->set(*policy_.marks.vma) : v->clear(*policy_.marks.vma);
}

void HookContext::mark_range(ProcId p, PageRange r, Mark m, OnlyLocked only) {
  SIM_ASSERT(policy_.marks.vma.has_value(), "the policy declares no VMA mark");
  VmaSet& vs = w_.proc(p).mm.vmas;
  auto [first, last] = vs.isolate(r);
  for (size_t i = first; i < last; ++i) {
    Vma& v = vs.vmas[i];
    if (only == OnlyLocked::Yes && !v.has(VmaFlag::Locked)) continue;
    m == Mark::Set ? v.set(*policy_.marks.vma) : v.clear(*policy_.marks.vma);
  }
  vs.merge();
}

void HookContext::queue(FrameId f) {
  SIM_ASSERT(policy_.state == PolicyState::WipeQueue, "the policy declares no wipe queue");
  w_.wipe_queue.insert(f);
}

bool HookContext::dequeue(FrameId f) {
  SIM_ASSERT(policy_.state == PolicyState::WipeQueue, "the policy declares no wipe queue");
  return w_.wipe_queue.erase(f) != 0;
}

Fault HookContext::fault_in(ProcId p, Vpn page, Access access) {
  return fault(w_, p, page, access);
}

void HookContext::zap(ProcId p, Vpn page) {
  zap_range(w_, p, PageRange{page, page + 1}, ZapCause::PolicyZap);
}

void HookContext::mlock_populate(ProcId p, PageRange r) {
  (void)mlock_range(w_, p, r, MlockHook::Skip);
}

}  // namespace mmsim
