// sim/policies/wipeonsuspend.cpp: see wipeonsuspend.h. Quotes are from the RFC as Jann Horn's
// review reproduces it (lore:CAG48ez2CpHX9i3YgkNyMHPz63ohjkaSZscMtwSHOFYN4VQow3Q@mail.gmail.com).
#include "sim/policies/wipeonsuspend.h"

#include "sim/kernel.h"
#include "sim/policies/common.h"

namespace mmsim::policies {

// "MADV_WIPEONSUSPEND only works on private, anonymous mappings"; MADV_KEEPONSUSPEND, like
// MADV_KEEPONFORK, has no eligibility check.
std::optional<Errno> WipeOnSuspendAdvice::check_advice(const Vma& v, Advice a) const {
  if (a == Advice::WipeOnSuspend && !v.private_anon()) return Errno::Inval;
  return std::nullopt;
}

Result WipeOnSuspendAdvice::apply_advice(World& w, ProcId p, PageRange r, Advice a) const {
  Vma* v = w.proc(p).mm.vmas.at(r.begin);
  a == Advice::WipeOnSuspend ? v->set(VmaFlag::WipeOnSuspend) : v->clear(VmaFlag::WipeOnSuspend);
  return Result::ok();
}

namespace {

// zap_page_range() of one page: a present page loses this mapping (freed unscrubbed when it
// was the last reference), a swap entry drops its slot reference (the slot keeps its bytes).
void zap_one(World& w, const PowerPage& pp) {
  zap_range(w, pp.proc, PageRange{pp.page, pp.page + 1}, ZapCause::PolicyZap);
}

}  // namespace

// memory_cleanup_on_suspend(): "Only care about states >= S3" (suspend-to-RAM and deeper:
// suspend and hibernate here); for_each_process, every VMA with VM_WIPEONSUSPEND, every page of
// it from vm_start to vm_end, present or not. Nothing at resume.
std::vector<PowerPage> WipeOnSuspendGup::power_pages(const World& w, PowerEvent e) const {
  if (e == PowerEvent::Resume) return {};
  return marked_pages(w, VmaFlag::WipeOnSuspend, e, PteOnly::No);
}

// get_user_pages_remote(FOLL_WRITE) then clear_page(): a write fault (zero fill, swap-in, COW
// break) and a clear of the page it returns. The PoC "break[s] if we get an error" for the rest
// of the VMA's batch; the model skips just the page (a read-only or PROT_NONE VMA fails on every
// page, so the outcome is the same; under OOM the model keeps trying the next pages).
void WipeOnSuspendGup::power_page(World& w, const PowerPage& pp) const {
  Fault f = fault(w, pp.proc, pp.page, Access::Write);
  if (f.kind != Fault::Kind::Ok) return;  // GUP fails without killing anyone
  zero_page(w, f.frame);
}

// Jann Horn: "zap_page_range() ... might be a better fit, since it can yank entries out of the
// page table (forcing the next write fault to allocate a new zeroed page) without faulting them
// into RAM". Only pages that have an entry have anything to yank.
std::vector<PowerPage> WipeOnSuspendZap::power_pages(const World& w, PowerEvent e) const {
  if (e == PowerEvent::Resume) return {};
  return marked_pages(w, VmaFlag::WipeOnSuspend, e, PteOnly::Yes);
}

void WipeOnSuspendZap::power_page(World& w, const PowerPage& pp) const {
  zap_one(w, pp);
}

// Jann Horn: "do the wiping when a VM is saved, or do it when the VM is restored? ... doing it on
// restore would be nicer because that way the hypervisor can always instantly save a VM". At
// resume, with the zap he proposed in the same mail: no swap-in, no allocation while resuming.
std::vector<PowerPage> WipeOnSuspendRestore::power_pages(const World& w, PowerEvent e) const {
  if (e != PowerEvent::Resume) return {};
  return marked_pages(w, VmaFlag::WipeOnSuspend, e, PteOnly::Yes);
}

void WipeOnSuspendRestore::power_page(World& w, const PowerPage& pp) const {
  zap_one(w, pp);
}

}  // namespace mmsim::policies
