// sim/policies/wipeonrelease.cpp: Matthew Garrett's MADV_WIPEONRELEASE, three postings
// (April 2019, never merged), each as posted: V1 (page flag, zeroed at free), V2 (zeroed in
// zap_pte_range when the mapcount reaches 0), V4 (zeroed in page_remove_rmap for every caller,
// plus trigger_cow() at madvise and fork). Quotes are from the posted diffs; the descriptors
// give the links, docs/policies/wipeonrelease-v*.md the rest.
//
// Owns: the VmaFlag::WipeOnRelease mark (all three) and, for V1, FrameFlag::PolicyMark
// (PG_wipeonrelease). Invariant: only private anonymous VMAs carry the mark (madvise refuses
// the rest with EINVAL); V1 marks every frame mapped into a marked VMA by a fault.
#include "sim/hook_context.h"
#include "sim/policies/common.h"

namespace mmsim::policies {
namespace {

// The madvise pair every version shares: WIPEONRELEASE on private anonymous memory only,
// DONTWIPEONRELEASE anywhere (it only clears the VMA bit).
class WipeOnReleaseAdvice : public Policy {
 public:
  [[nodiscard]] std::optional<Errno> check_advice(const Vma& v, Advice a) const override;
  Result apply_advice(HookContext& ctx, ProcId p, PageRange r, Advice a) const override;

 protected:
  // What the version does to the range before the VMA bit is set (madvise_behavior).
  virtual void before_mark(HookContext& ctx, ProcId p, PageRange r) const = 0;
};

// V1: PG_wipeonrelease set by alloc_pages_vma in a marked VMA and, at madvise, on the pages
// get_user_pages() returns; free_pages_prepare() clears flagged pages (RULE 0).
class HooksV1 final : public WipeOnReleaseAdvice {
 public:
  void on_fault_in(HookContext& ctx, ProcId p, const Vma& v, FrameId f, FaultIn how) const override;
  void on_free(HookContext& ctx, FrameId f) const override;

 protected:
  void before_mark(HookContext& ctx, ProcId p, PageRange r) const override;
};

// V2: zap_pte_range() zeroes a page of a marked VMA once its mapcount is 0, whatever its
// refcount (RULE 2, zap only).
class HooksV2 final : public WipeOnReleaseAdvice {
 public:
  void on_last_unmap(HookContext& ctx, FrameId f, UnmapCause cause, const Vma& v) const override;

 protected:
  void before_mark(HookContext&, ProcId, PageRange) const override {}
};

// V4: page_remove_rmap() zeroes an anonymous page whose last mapping leaves a marked VMA, for
// every caller (zap, reclaim, migration, COW); trigger_cow() breaks COW at madvise and fork.
class HooksV4 final : public WipeOnReleaseAdvice {
 public:
  void on_last_unmap(HookContext& ctx, FrameId f, UnmapCause cause, const Vma& v) const override;
  void on_fork_pte(HookContext& ctx, ProcId parent, Vpn page) const override;

 protected:
  void before_mark(HookContext& ctx, ProcId p, PageRange r) const override;
};

// madvise_behavior: "MADV_WIPEONRELEASE is only supported on anonymous memory":
// `vma->vm_file || vma->vm_flags & VM_SHARED` -> -EINVAL. DONTWIPEONRELEASE has no check.
std::optional<Errno> WipeOnReleaseAdvice::check_advice(const Vma& v, Advice a) const {
  if (a == Advice::WipeOnRelease && (v.has(VmaFlag::File) || v.has(VmaFlag::Shared))) {
    return Errno::Inval;
  }
  return std::nullopt;
}

Result WipeOnReleaseAdvice::apply_advice(HookContext& ctx, ProcId p, PageRange r, Advice a) const {
  if (a == Advice::WipeOnRelease) before_mark(ctx, p, r);  // runs before new_flags is applied
  ctx.set_vma_mark(p, r.begin, a == Advice::WipeOnRelease ? Mark::Set : Mark::Clear);
  return Result::ok();
}

// --- V1 ---

// madvise_wipe_on_release(): get_user_pages(start, 1, 0, ...) page by page (a read fault that
// maps what is missing), SetPageWipeOnRelease on what it returns; the first failure ends the
// walk and its error is ignored by the caller.
void HooksV1::before_mark(HookContext& ctx, ProcId p, PageRange r) const {
  for (Vpn q = r.begin; q < r.end; q = q + 1) {
    Fault f = ctx.fault_in(p, q, Access::Read);
    if (f.kind != Fault::Kind::Ok) return;
    // An untouched page reads the shared zero page, which the model does not mark (the RFC
    // would set the flag on ZERO_PAGE itself; docs/policies.md).
    if (f.frame != kZeroPage) ctx.set_page_mark(f.frame);
  }
}

// alloc_pages_vma(): `if (vma->vm_flags & VM_WIPEONRELEASE) SetPageWipeOnRelease(page)` covers
// every page allocated for the VMA: zero fill, COW copy, swap-in, copy at fork. A swap-cache
// page mapped again was not allocated here and keeps whatever flag it has.
void HooksV1::on_fault_in(HookContext& ctx, ProcId, const Vma& v, FrameId f, FaultIn how) const {
  if (how == FaultIn::Allocated && v.has(VmaFlag::WipeOnRelease)) ctx.set_page_mark(f);
}

// free_pages_prepare(): `if (PageWipeOnRelease(page)) clear_highpage(page)`.
void HooksV1::on_free(HookContext& ctx, FrameId f) const {
  if (ctx.frame(f).has(FrameFlag::PolicyMark)) ctx.zero(f);
}

// --- V2 ---

// zap_pte_range(), after page_remove_rmap(): `if (vma->vm_flags & VM_WIPEONRELEASE &&
// page_mapcount(page) == 0) clear_highpage(page)`. Reclaim, migration and COW do not zap.
void HooksV2::on_last_unmap(HookContext& ctx, FrameId f, UnmapCause cause, const Vma& v) const {
  if (cause == UnmapCause::Zap && v.has(VmaFlag::WipeOnRelease)) ctx.zero(f);
}

// --- V4 ---

// page_remove_rmap(page, vma, compound): anonymous pages only (file pages return first), once
// the mapcount went negative, `if (vma->vm_flags & VM_WIPEONRELEASE) clear_highpage(page)`.
void HooksV4::on_last_unmap(HookContext& ctx, FrameId f, UnmapCause, const Vma& v) const {
  if (v.has(VmaFlag::WipeOnRelease) && ctx.frame(f).has(FrameFlag::Anon)) ctx.zero(f);
}

// madvise: `if (vma->anon_vma) trigger_cow(start, end)`: a FOLL_WRITE|FOLL_TOUCH GUP of every
// page-table entry of the range, stopping at the first failure (ignored). The model walks the
// entries that exist (present or swapped): with no entry there is no anon_vma and nothing to
// un-share.
void HooksV4::before_mark(HookContext& ctx, ProcId p, PageRange r) const {
  for (Vpn q : pages_with_pte(ctx.world(), p, r)) {
    if (ctx.fault_in(p, q, Access::Write).kind != Fault::Kind::Ok) return;
  }
}

// dup_mmap: `if ((tmp->vm_flags & (VM_WIPEONRELEASE|VM_WIPEONFORK)) == VM_WIPEONRELEASE)
// trigger_cow(tmp->vm_start, tmp->vm_end)`. trigger_cow walks current->mm, which during fork is
// the parent's: the parent takes the copy and the child keeps the original page.
void HooksV4::on_fork_pte(HookContext& ctx, ProcId parent, Vpn page) const {
  if (!ctx.world().proc(parent).alive()) return;
  const Vma* v = ctx.world().proc(parent).mm.vmas.at(page);
  if (v == nullptr || !v->has(VmaFlag::WipeOnRelease) || v->has(VmaFlag::WipeOnFork)) return;
  if (!v->private_anon()) return;
  (void)ctx.fault_in(parent, page, Access::Write);  // a failure is ignored, as trigger_cow's is
}

const HooksV1 kV1;
const HooksV2 kV2;
const HooksV4 kV4;

constexpr PolicyAdvice kAdvices[] = {
    {Advice::WipeOnRelease, "wipeonrelease",
     "MADV_WIPEONRELEASE: mark a private anonymous range (EINVAL on file or shared memory); "
     "the version decides when its pages are zeroed"},
    {Advice::KeepOnRelease, "keeponrelease", "MADV_DONTWIPEONRELEASE: clear the mark, anywhere"},
};

constexpr PolicySource kV1Sources[] = {
    {"Matthew Garrett, MADV_WIPEONRELEASE v1, 24 Apr 2019",
     "https://lore.kernel.org/r/20190424191440.170422-1-matthewgarrett@google.com"},
};
constexpr PolicySource kV2Sources[] = {
    {"Matthew Garrett, MADV_WIPEONRELEASE v2, 24 Apr 2019",
     "https://lore.kernel.org/r/20190424211038.204001-1-matthewgarrett@google.com"},
};
constexpr PolicySource kV4Sources[] = {
    {"Matthew Garrett, MADV_WIPEONRELEASE v4, 29 Apr 2019",
     "https://lore.kernel.org/r/20190429193631.119828-1-matthewgarrett@google.com"},
};

constexpr PolicyMarks kVmaMark{VmaFlag::WipeOnRelease, "VM_WIPEONRELEASE", {}};

// The rows differ where the version's trigger does; the rest is the shared core.
constexpr PromiseRow row(Expectation cow, Expectation pin, Expectation pipe, Expectation gone) {
  return PromiseRow{
      .invariants = holds(),
      .op_results = holds(),
      .cow_isolation = cow,
      .wipeonfork_zero = holds(),
      .pin_coherence = pin,
      .pipe_integrity = pipe,
      .direct_map_secret = holds("memfd_secret pages are out of the direct map and zeroed at free"),
      .release_gone = gone,
      .free_clean = not_promised("only init_on_free scrubs every free page"),
      .suspend_zero = not_promised("no wipe at suspend"),
  };
}

}  // namespace

extern const PolicyDescriptor WipeOnReleaseV1{
    .id = PolicyId::WipeOnReleaseV1,
    .name = "wipeonrelease-v1",
    .summary =
        "Garrett V1: PG_wipeonrelease on pages of marked VMAs (GUP at madvise, alloc after); "
        "zeroed at free",
    .trigger = "RULE 0",
    .merged = "no (RFC, Apr 2019)",
    .sources = kV1Sources,
    .advices = kAdvices,
    .marks = {VmaFlag::WipeOnRelease, "VM_WIPEONRELEASE", "PG_wipeonrelease"},
    .promises =
        row(holds(), holds(), holds(),
            breaks("H3", "the page flag does not follow migration: the copy is freed unwiped")),
    .hooks = &kV1,
};

extern const PolicyDescriptor WipeOnReleaseV2{
    .id = PolicyId::WipeOnReleaseV2,
    .name = "wipeonrelease-v2",
    .summary =
        "Garrett V2: zap_pte_range zeroes a page of a marked VMA when its mapcount reaches 0, "
        "pins or not",
    .trigger = "RULE 2, zap only",
    .merged = "no",
    .sources = kV2Sources,
    .advices = kAdvices,
    .marks = kVmaMark,
    .promises = row(
        breaks_by_scenario("H20",
                           "the last zap wipes a swap-cache page a sibling's swap entry still "
                           "names; the sibling's fault maps the zeroed page"),
        breaks("H4", "zeroed at the last unmap while a DIO pin still reads the page"),
        breaks("H5", "a child marks its COW copy and exits: the parent's spliced page is zeroed"),
        breaks("H4",
               "zeroed at the last unmap; a device then writes the pinned page, freed unwiped "
               "(also H3)")),
    .hooks = &kV2,
};

extern const PolicyDescriptor WipeOnReleaseV4{
    .id = PolicyId::WipeOnReleaseV4,
    .name = "wipeonrelease-v4",
    .summary =
        "Garrett V4: zeroed when the last mapping goes (zap, reclaim, migration, COW); early "
        "COW at madvise and fork",
    .trigger = "RULE 2, every `page_remove_rmap`",
    .merged = "no",
    .sources = kV4Sources,
    .advices = kAdvices,
    .marks = kVmaMark,
    .promises = row(
        breaks("H6", "reclaim removes the last mapping and wipes before writeback"),
        breaks("H4", "zeroed at the last unmap while a DIO pin still reads the page"),
        breaks(
            "H4",
            "RULE 2 ignores the pipe's page reference: the last unmap zeroes what the pipe holds"),
        breaks("H4",
               "zeroed at the last unmap; a device then writes the pinned page, freed unwiped")),
    .hooks = &kV4,
};

}  // namespace mmsim::policies
