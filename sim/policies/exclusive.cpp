// sim/policies/exclusive.cpp: `exclusive`, Mike Rapoport's MAP_EXCLUSIVE RFC (October 2019,
// never merged), reached through the `secret` advice (the name of Reshetova's MADV_SECRET,
// which marked pages the same way). Quotes are from the RFC patch; docs/policies/exclusive.md
// gives the rest.
//
// Owns: the VmaFlag::Exclusive mark and FrameFlag::PolicyMark (PG_user_exclusive). Invariant
// (check_state below): a frame carries PolicyMark only while the RFC keeps it out of the
// direct map (DirectMap clear); zap_pte_range puts it back and clears the mark; nothing
// zeroes it.
#include <string>

#include "sim/hook_context.h"

namespace mmsim::policies {
namespace {

class Hooks final : public Policy {
 public:
  [[nodiscard]] std::optional<Errno> check_advice(const Vma& v, Advice a) const override;
  Result apply_advice(HookContext& ctx, ProcId p, PageRange r, Advice a) const override;
  [[nodiscard]] ForkVma on_fork_vma(const Vma& v) const override;
  void on_zap_pte(HookContext& ctx, const Vma& v, const ZapInfo& z) const override;
  void on_migrate(HookContext& ctx, FrameId from, FrameId to) const override;
};

// ksys_mmap_pgoff: "MAP_EXCLUSIVE is only supported for private anonymous memory not backed by
// hugetlbfs". MAP_DROPPABLE is its own mapping type, not MAP_PRIVATE, so it is refused too.
std::optional<Errno> Hooks::check_advice(const Vma& v, Advice) const {
  if (!v.private_anon() || v.has(VmaFlag::Droppable)) return Errno::Inval;
  return std::nullopt;
}

// MAP_EXCLUSIVE "impl[ies] MAP_LOCKED and MAP_POPULATE": the VMA is locked, then
// populate_vma_page_range() runs with FOLL_EXCLUSIVE, whose __get_user_pages() hook calls
// __set_page_user_exclusive() on every page it returns (flag set, direct map invalidated).
// populate uses FOLL_WRITE on writable private mappings (breaking COW), a read otherwise.
// mm_populate() errors are ignored, so a failure just ends the walk.
Result Hooks::apply_advice(HookContext& ctx, ProcId p, PageRange r, Advice) const {
  ctx.set_vma_mark(p, r.begin, Mark::Set);
  ctx.mlock_populate(p, r);  // MAP_LOCKED: VM_LOCKED, mlock counts, mlock's own populate
  const Vma* v = ctx.world().proc(p).mm.vmas.at(r.begin);
  const Access access = v->prot == Prot::ReadWrite ? Access::Write : Access::Read;
  for (Vpn q = r.begin; q < r.end; q = q + 1) {
    Fault f = ctx.fault_in(p, q, access);
    if (f.kind != Fault::Kind::Ok) break;
    if (f.frame == kZeroPage) continue;  // a read-only mapping's untouched page: nothing to mark
    ctx.set_page_mark(f.frame);
    ctx.remove_from_direct_map(f.frame);
  }
  return Result::ok();
}

// dup_mmap: `if (mpnt->vm_flags & VM_DONTCOPY || mpnt->vm_flags & VM_EXCLUSIVE) continue;`
ForkVma Hooks::on_fork_vma(const Vma& v) const {
  return v.has(VmaFlag::Exclusive) ? ForkVma::Skip : ForkVma::Default;
}

// zap_pte_range: `if (page_is_user_exclusive(page)) __clear_page_user_exclusive(page)`: the
// flag goes and the direct map comes back. There is no clear_page: the secret stays (H19).
void Hooks::on_zap_pte(HookContext& ctx, const Vma&, const ZapInfo& z) const {
  if (!ctx.frame(z.frame).has(FrameFlag::PolicyMark)) return;
  ctx.clear_page_mark(z.frame);
  ctx.restore_direct_map(z.frame);
}

// The RFC has no migration hook: the new page comes from the allocator, in the direct map and
// without PG_user_exclusive (the core copied the source's DirectMap bit, so it is restored).
// The source is freed still flagged; __alloc_pages_nodemask's "FIXME: should not happen"
// clears it on reuse, which the free pool's reset models.
void Hooks::on_migrate(HookContext& ctx, FrameId from, FrameId to) const {
  if (ctx.frame(from).has(FrameFlag::PolicyMark)) ctx.restore_direct_map(to);
}

// A page the RFC flagged is out of the direct map until the zap that unflags it.
std::optional<std::string> check_state(const World& w) {
  for (size_t i = 0; i < w.mem.frames.size(); ++i) {
    const Frame& fr = w.mem.frames[i];
    if (fr.has(FrameFlag::PolicyMark) && fr.has(FrameFlag::DirectMap)) {
      return "secret frame " + std::to_string(i) + " is still in the direct map";
    }
  }
  return std::nullopt;
}

const Hooks kHooks;

constexpr PolicyAdvice kAdvices[] = {
    {Advice::Secret, "secret",
     "MAP_EXCLUSIVE as an advice: lock and populate a private anonymous range (EINVAL "
     "otherwise), flag its pages and take them out of the direct map; fork skips the VMA"},
};

constexpr PolicySource kSources[] = {
    {"Mike Rapoport, MAP_EXCLUSIVE RFC, Oct 2019",
     "https://lore.kernel.org/r/1572171452-7958-2-git-send-email-rppt@kernel.org"},
    {"Elena Reshetova, MADV_SECRET (ereshetova/linux mm/madvise.c@26982a41)",
     "https://github.com/ereshetova/linux/blob/26982a41/mm/madvise.c"},
};

}  // namespace

extern const PolicyDescriptor Exclusive{
    .id = PolicyId::Exclusive,
    .name = "exclusive",
    .summary =
        "MAP_EXCLUSIVE RFC: locked, populated pages leave the direct map; fork skips the VMA; "
        "never zeroed",
    .trigger = "none (no wipe)",
    .merged = "no (RFC, Oct 2019); memfd_secret (5.14) replaced it",
    .sources = kSources,
    .advices = kAdvices,
    .marks = {VmaFlag::Exclusive, "VM_EXCLUSIVE", "PG_user_exclusive"},
    .check_state = check_state,
    .promises =
        PromiseRow{
            .invariants = holds(),
            .op_results = holds(),
            .cow_isolation = holds(),
            .wipeonfork_zero = holds(),
            .pin_coherence = holds(),
            .pipe_integrity =
                breaks("§2.7",
                       "a sharer marks its read-only COW mapping: populate's read GUP returns the "
                       "shared page and takes it out of the direct map; the pipe read faults"),
            .direct_map_secret = breaks(
                "H19", "the direct map is restored at zap with the secret still in the page"),
            .release_gone =
                breaks("H19", "the direct map is restored at zap and the page freed unwiped"),
            .free_clean = not_promised("only init_on_free scrubs every free page"),
            .suspend_zero = not_promised("no wipe at suspend"),
        },
    .hooks = &kHooks,
};

}  // namespace mmsim::policies
