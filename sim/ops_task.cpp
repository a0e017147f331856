// sim/ops_task.cpp: fork, exit, kill and exec. At page granularity each runs as a first step
// and then one step per page it copies or zaps (docs/model.md).
#include "sim/check.h"
#include "sim/hook_context.h"
#include "sim/ops.h"

namespace mmsim::ops {
namespace {

// The child's copy of one parent VMA, or nothing when fork skips it.
std::optional<Vma> child_vma(const Policy& pol, const Vma& v) {
  if (v.has(VmaFlag::DontCopy) || pol.on_fork_vma(v) == ForkVma::Skip) return std::nullopt;
  Vma c = v;
  c.clear(VmaFlag::Locked);  // dup_mmap: VM_LOCKED and VM_LOCKONFAULT are not inherited
  return c;
}

// Gives the child its own copy of a parent page (copy at fork).
Result copy_for_child(World& w, ProcId child, Vpn page, FrameId src) {
  FrameId nf = alloc_page(w);
  if (!nf.valid()) return Result::error(Errno::NoMem);
  Frame& fr = w.frame(nf);
  copy_page(w, nf, src);
  fr.set(FrameFlag::Anon);
  fr.set(FrameFlag::AnonExclusive);
  map_pte(w, child, page, nf);
  const Vma& cv = *w.proc(child).mm.vmas.at(page);
  fault_mapped(w, child, cv, nf, FaultIn::Allocated);
  return Result::ok();
}

}  // namespace

Outcome fork(World& w, ProcId parent, ProcId child, Granularity g) {
  Process& c = w.proc(child);
  if (c.state != ProcState::Unborn) return {Result::error(Errno::Inval), {}};
  const Process& pp = w.proc(parent);
  const Policy& pol = policy_of(w);
  c.state = ProcState::Forking;
  c.names = pp.names;
  c.mm.next_free = pp.mm.next_free;
  std::vector<Op> rest;
  for (const Vma& v : pp.mm.vmas.vmas) {
    std::optional<Vma> cv = child_vma(pol, v);
    if (!cv) continue;
    c.mm.vmas.insert(*cv);
    if (v.has(VmaFlag::WipeOnFork)) continue;  // a clean slate: no pages are copied
    // Every page of the VMA, present or not: at page granularity a page the parent faults in
    // while the fork is under way is still copied when its turn comes.
    for (Vpn q = v.range.begin; q < v.range.end; q = q + 1) rest.push_back(ForkPage{parent, child, q});
  }
  rest.push_back(Finish{child, FinishWhat::Fork});
  if (g == Granularity::PerPage) return {Result::ok(), std::move(rest)};
  Result r = Result::ok();
  for (const Op& op : rest) {
    r = combine(r, op_is<ForkPage>(op) ? fork_page(w, op_get<ForkPage>(op))
                                       : finish(w, op_get<Finish>(op)));
  }
  return {r, {}};
}

// copy_present_pte / copy_nonpresent_pte for one page.
Result fork_page(World& w, const ForkPage& op) {
  if (w.proc(op.child).state != ProcState::Forking) return Result::ok();
  const Mm& pm = w.proc(op.parent).mm;
  auto it = pm.ptes.find(op.page);
  if (it == pm.ptes.end()) return Result::ok();  // zapped since fork began
  const Pte pte = it->second;
  if (pte.zero_page()) {  // copy_present_pte: no vm_normal_page, the PTE is copied as it is
    w.proc(op.child).mm.ptes[op.page] = pte;
    return Result::ok();
  }
  if (pte.slot.valid()) {
    w.swap.at(pte.slot).refcount++;
    w.proc(op.child).mm.ptes[op.page] = pte;
    // copy_nonpresent_pte clears the swap PTE's exclusive marker: the entry is shared now. The
    // model keeps that marker on the swap-cache page (sim/fault.cpp swap_in).
    FrameId cached = swap_cache_lookup(w, pte.slot);
    if (cached.valid()) w.frame(cached).clear(FrameFlag::AnonExclusive);
    return Result::ok();
  }
  const Vma& pv = *pm.vmas.at(op.page);
  Frame& fr = w.frame(pte.frame);
  // copy_present_ptes decides by folio_test_anon(): the anonymous COW copies in a private file
  // mapping are shared (or copied when maybe pinned) like any other anonymous page.
  const bool anon = fr.has(FrameFlag::Anon) && !pv.has(VmaFlag::Shared);
  if (anon) {
    const Policy& pol = policy_of(w);
    const bool pinned = descriptor_of(w).rules.pinned_fork == PinnedFork::CopyMaybePinned &&
                        pm.has_pinned && fr.maybe_pinned();
    if (pinned || pol.on_fork_vma(pv) == ForkVma::CopyPages) {
      Result r = copy_for_child(w, op.child, op.page, pte.frame);
      if (!r.is_ok()) kill_process(w, op.child, ProcState::Killed);
      return r;
    }
    fr.clear(FrameFlag::AnonExclusive);  // now COW-shared with the child
  }
  map_pte(w, op.child, op.page, pte.frame);
  HookContext ctx(w, Hook::ForkPte);
  policy_of(w).on_fork_pte(ctx, op.parent, op.page);
  return Result::ok();
}

Outcome exit(World& w, ProcId p, FinishWhat what, Granularity g) {
  Process& pr = w.proc(p);
  if (!pr.alive()) return {Result::error(Errno::Srch), {}};
  if (g == Granularity::PerOp) {
    return {finish(w, Finish{p, what}), {}};
  }
  pr.state = ProcState::Exiting;
  // The same ZapCause teardown_mm gives each page at granularity op (kill_process, finish).
  const ZapCause cause = what == FinishWhat::Kill   ? ZapCause::Kill
                         : what == FinishWhat::Exec ? ZapCause::Exec
                                                    : ZapCause::Exit;
  std::vector<Op> rest;
  for (const auto& [page, pte] : pr.mm.ptes) rest.push_back(ZapPage{p, page, cause});
  rest.push_back(Finish{p, what});
  return {Result::ok(), std::move(rest)};
}

Result finish(World& w, const Finish& op) {
  Process& pr = w.proc(op.proc);
  switch (op.what) {
    case FinishWhat::Fork:
      if (pr.state == ProcState::Forking) pr.state = ProcState::Running;
      return pr.state == ProcState::Running ? Result::ok() : Result::error(Errno::NoMem);
    case FinishWhat::Exit: kill_process(w, op.proc, ProcState::Exited); return Result::ok();
    case FinishWhat::Kill: kill_process(w, op.proc, ProcState::Killed); return Result::ok();
    case FinishWhat::Exec: {
      teardown_mm(w, op.proc, ZapCause::Exec);
      Process& np = w.proc(op.proc);
      np.mm = Mm{};  // a new, empty mm: every VMA flag and MMF_HAS_PINNED are gone
      np.state = ProcState::Running;
      return Result::ok();
    }
  }
  return Result::ok();
}

}  // namespace mmsim::ops
