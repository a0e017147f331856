// sim/policies/wipeonsuspend.cpp: Adrian Catangiu's MADV_WIPEONSUSPEND RFC (July 2020, never
// merged) and the two alternatives its review proposed: `wipeonsuspend-gup` (the PoC: at
// suspend/hibernate every page of a marked VMA is faulted in for write and cleared in place),
// `wipeonsuspend-zap` (Jann Horn: zap the range instead) and `wipeonsuspend-restore` (Jann
// Horn: wipe on restore rather than on save). Quotes are from the RFC as Jann Horn's review
// reproduces it; docs/policies/wipeonsuspend-*.md give the rest.
//
// Owns: the VmaFlag::WipeOnSuspend mark. Invariant: only private anonymous VMAs carry it
// (madvise refuses the rest with EINVAL); the policies touch pages only between the start of a
// power transition and its PowerDone, while every process and device is frozen.
#include "sim/hook_context.h"
#include "sim/policies/common.h"

namespace mmsim::policies {
namespace {

// The madvise pair the three share: WIPEONSUSPEND on private anonymous memory only,
// KEEPONSUSPEND anywhere.
class AdviceHooks : public Policy {
 public:
  [[nodiscard]] std::optional<Errno> check_advice(const Vma& v, Advice a) const override;
  Result apply_advice(HookContext& ctx, ProcId p, PageRange r, Advice a) const override;
};

class GupHooks final : public AdviceHooks {
 public:
  [[nodiscard]] std::vector<PowerPage> power_pages(const World& w, PowerEvent e) const override;
  void power_page(HookContext& ctx, const PowerPage& pp) const override;
};

class ZapHooks final : public AdviceHooks {
 public:
  [[nodiscard]] std::vector<PowerPage> power_pages(const World& w, PowerEvent e) const override;
  void power_page(HookContext& ctx, const PowerPage& pp) const override;
};

class RestoreHooks final : public AdviceHooks {
 public:
  [[nodiscard]] std::vector<PowerPage> power_pages(const World& w, PowerEvent e) const override;
  void power_page(HookContext& ctx, const PowerPage& pp) const override;
};

// "MADV_WIPEONSUSPEND only works on private, anonymous mappings"; MADV_KEEPONSUSPEND, like
// MADV_KEEPONFORK, has no eligibility check.
std::optional<Errno> AdviceHooks::check_advice(const Vma& v, Advice a) const {
  if (a == Advice::WipeOnSuspend && !v.private_anon()) return Errno::Inval;
  return std::nullopt;
}

Result AdviceHooks::apply_advice(HookContext& ctx, ProcId p, PageRange r, Advice a) const {
  ctx.set_vma_mark(p, r.begin, a == Advice::WipeOnSuspend ? Mark::Set : Mark::Clear);
  return Result::ok();
}

// zap_page_range() of one page (HookContext::zap): a present page loses this mapping (freed
// unscrubbed when it was the last reference), a swap entry drops its slot reference (the slot
// keeps its bytes).

// memory_cleanup_on_suspend(): "Only care about states >= S3" (suspend-to-RAM and deeper:
// suspend and hibernate here); for_each_process, every VMA with VM_WIPEONSUSPEND, every page of
// it from vm_start to vm_end, present or not. Nothing at resume.
std::vector<PowerPage> GupHooks::power_pages(const World& w, PowerEvent e) const {
  if (e == PowerEvent::Resume) return {};
  return marked_pages(w, VmaFlag::WipeOnSuspend, e, PteOnly::No);
}

// get_user_pages_remote(FOLL_WRITE) then clear_page(): a write fault (zero fill, swap-in, COW
// break) and a clear of the page it returns. The PoC "break[s] if we get an error" for the rest
// of the VMA's batch; the model skips just the page (a read-only or PROT_NONE VMA fails on every
// page, so the outcome is the same; under OOM the model keeps trying the next pages).
void GupHooks::power_page(HookContext& ctx, const PowerPage& pp) const {
  Fault f = ctx.fault_in(pp.proc, pp.page, Access::Write);
  if (f.kind != Fault::Kind::Ok) return;  // GUP fails without killing anyone
  ctx.zero(f.frame);
}

// Jann Horn: "zap_page_range() ... might be a better fit, since it can yank entries out of the
// page table (forcing the next write fault to allocate a new zeroed page) without faulting them
// into RAM". Only pages that have an entry have anything to yank.
std::vector<PowerPage> ZapHooks::power_pages(const World& w, PowerEvent e) const {
  if (e == PowerEvent::Resume) return {};
  return marked_pages(w, VmaFlag::WipeOnSuspend, e, PteOnly::Yes);
}

void ZapHooks::power_page(HookContext& ctx, const PowerPage& pp) const {
  ctx.zap(pp.proc, pp.page);
}

// Jann Horn: "do the wiping when a VM is saved, or do it when the VM is restored? ... doing it on
// restore would be nicer because that way the hypervisor can always instantly save a VM". At
// resume, with the zap he proposed in the same mail: no swap-in, no allocation while resuming.
std::vector<PowerPage> RestoreHooks::power_pages(const World& w, PowerEvent e) const {
  if (e != PowerEvent::Resume) return {};
  return marked_pages(w, VmaFlag::WipeOnSuspend, e, PteOnly::Yes);
}

void RestoreHooks::power_page(HookContext& ctx, const PowerPage& pp) const {
  ctx.zap(pp.proc, pp.page);
}

const GupHooks kGup;
const ZapHooks kZap;
const RestoreHooks kRestore;

constexpr PolicyAdvice kAdvices[] = {
    {Advice::WipeOnSuspend, "wipeonsuspend",
     "MADV_WIPEONSUSPEND: mark a private anonymous range (EINVAL otherwise); the policy wipes it "
     "at suspend/hibernate or at resume"},
    {Advice::KeepOnSuspend, "keeponsuspend", "MADV_KEEPONSUSPEND: clear the mark, anywhere"},
};

constexpr PolicySource kRfc{
    "Adrian Catangiu, MADV_WIPEONSUSPEND RFC, Jul 2020",
    "https://lore.kernel.org/r/B7793B7A-3660-4769-9B9A-FFCF250728BB@amazon.com"};
constexpr PolicySource kReview{
    "Jann Horn's review (zap instead; wipe on restore)",
    "https://lore.kernel.org/r/CAG48ez2CpHX9i3YgkNyMHPz63ohjkaSZscMtwSHOFYN4VQow3Q@mail.gmail.com"};
constexpr PolicySource kSources[] = {kRfc, kReview};

constexpr PolicyMarks kMarks{VmaFlag::WipeOnSuspend, "VM_WIPEONSUSPEND", {}};

constexpr PromiseRow kRow{
    .invariants = holds(),
    .op_results = holds(),
    .cow_isolation = holds(),
    .wipeonfork_zero = holds(),
    .pin_coherence = holds(),
    .pipe_integrity = holds(),
    .direct_map_secret = holds("memfd_secret pages are out of the direct map and zeroed at free"),
    .release_gone = not_promised("the policy has no per-page wipe mark"),
    .free_clean = not_promised("only init_on_free scrubs every free page"),
    .suspend_zero = holds(),
};

}  // namespace

extern const PolicyDescriptor WipeOnSuspendGup{
    .id = PolicyId::WipeOnSuspendGup,
    .name = "wipeonsuspend-gup",
    .summary =
        "Catangiu RFC: at suspend/hibernate, pages of marked VMAs are faulted in for write and "
        "zeroed in place",
    .trigger = "RULE 1-like, at suspend/hibernate",
    .merged = "no (RFC, Jul 2020)",
    .sources = kSources,
    .advices = kAdvices,
    .marks = kMarks,
    .promises = kRow,
    .hooks = &kGup,
};

extern const PolicyDescriptor WipeOnSuspendZap{
    .id = PolicyId::WipeOnSuspendZap,
    .name = "wipeonsuspend-zap",
    .summary =
        "review's alternative: at suspend/hibernate marked ranges are zapped (freed unscrubbed, "
        "next touch reads 0)",
    .trigger = "none: pages dropped at suspend/hibernate",
    .merged = "no (review suggestion)",
    .sources = kSources,
    .advices = kAdvices,
    .marks = kMarks,
    .promises = kRow,
    .hooks = &kZap,
};

extern const PolicyDescriptor WipeOnSuspendRestore{
    .id = PolicyId::WipeOnSuspendRestore,
    .name = "wipeonsuspend-restore",
    .summary =
        "wipe at resume instead: marked ranges are zapped on resume; the image keeps the data",
    .trigger = "none: pages dropped at resume",
    .merged = "no (review suggestion)",
    .sources = kSources,
    .advices = kAdvices,
    .marks = kMarks,
    .promises = kRow,
    .hooks = &kRestore,
};

}  // namespace mmsim::policies
