// sim/policies/mlockedonfree.cpp: York Jasper Niebuhr's init_mlocked_on_free (boot option, Dec
// 2023 - Jun 2024) as posted in v1 (PG_ofinit page flag, zeroed at free) and v3 (merged in
// 6.10-rc1 as ba42b524a040, reverted in 6.10-rc5: zeroed at every zap of an mlocked anonymous
// page), and `mlockedonfree-vma`, the per-VMA design the review asked for and nobody wrote.
// The descriptors give the links; docs/policies/mlockedonfree-*.md the rest.
//
// Owns: FrameFlag::PolicyMark (v1: PG_ofinit); VmaFlag::WipeMark and World::wipe_queue (vma).
// Invariants: v1 marks every page that becomes mlocked and clears the mark only when an explicit
// munlock makes it evictable again; vma's wipe_queue names only used frames (a frame leaves the
// queue when it is freed, zeroed; the generic check_policy_state of sim/invariants.h).
#include "sim/hook_context.h"
#include "sim/policies/common.h"

namespace mmsim::policies {
namespace {

class V1Hooks final : public Policy {
 public:
  void on_mlock(HookContext& ctx, ProcId p, PageRange r) const override;
  void on_munlock(HookContext& ctx, ProcId p, PageRange r) const override;
  void on_fault_in(HookContext& ctx, ProcId p, const Vma& v, FrameId f, FaultIn how) const override;
  void on_free(HookContext& ctx, FrameId f) const override;
  void on_migrate(HookContext& ctx, FrameId from, FrameId to) const override;
};

class V3Hooks final : public Policy {
 public:
  void on_zap_pte(HookContext& ctx, const Vma& v, const ZapInfo& z) const override;
};

class VmaHooks final : public Policy {
 public:
  void on_mlock(HookContext& ctx, ProcId p, PageRange r) const override;
  void on_munlock(HookContext& ctx, ProcId p, PageRange r) const override;
  void on_last_unmap(HookContext& ctx, FrameId f, UnmapCause cause, const Vma& v) const override;
  void on_free(HookContext& ctx, FrameId f) const override;
};

// --- v1 ---

// mlock_folio()/mlock_new_folio(): when a folio becomes mlocked, `if
// (want_init_mlocked_on_free()) folio_set_ofinit(folio)`. The mlock walk reaches every present
// page of the range after the core populated it.
void V1Hooks::on_mlock(HookContext& ctx, ProcId p, PageRange r) const {
  for (const PresentPage& pp : present_pages(ctx.world(), p, r)) {
    if (ctx.frame(pp.frame).mlocked()) ctx.set_page_mark(pp.frame);
  }
}

// munlock()/munlockall() pass cofinit=1 down to __munlock_folio(), which clears PG_ofinit when
// it clears PG_mlocked, i.e. when no other locked VMA still maps the page. munmap, exit and exec
// munlock with cofinit=0 and never reach this hook (ops_map.cpp calls it for munlock only).
void V1Hooks::on_munlock(HookContext& ctx, ProcId p, PageRange r) const {
  for (const PresentPage& pp : present_pages(ctx.world(), p, r)) {
    if (!ctx.frame(pp.frame).mlocked()) ctx.clear_page_mark(pp.frame);
  }
}

// A page faulted into a VM_LOCKED VMA is mlocked by mlock_new_folio() (zero fill, COW copy,
// swap read) or, for a page that already existed (a swap-cache or page-cache page), by
// mlock_vma_folio() when the rmap is added; mlock_folio() sets PG_ofinit in both.
void V1Hooks::on_fault_in(HookContext& ctx, ProcId, const Vma&, FrameId f, FaultIn) const {
  if (ctx.frame(f).mlocked()) ctx.set_page_mark(f);
}

// free_pages_prepare(): `init = want_init_on_free() || PageOfinit(page)`.
void V1Hooks::on_free(HookContext& ctx, FrameId f) const {
  if (ctx.frame(f).has(FrameFlag::PolicyMark)) ctx.zero(f);
}

// folio_migrate_flags() does not copy PG_ofinit, but remove_migration_pte() maps the new page
// with page_add_anon_rmap(), which mlocks it again in a VM_LOCKED VMA (mlock_vma_folio ->
// mlock_folio -> folio_set_ofinit). The source keeps its flag and is zeroed when freed.
void V1Hooks::on_migrate(HookContext& ctx, FrameId, FrameId to) const {
  if (ctx.frame(to).mlocked()) ctx.set_page_mark(to);
}

// --- v3 ---

// zap_present_folio_ptes(): `if (want_init_mlocked_on_free() && folio_test_mlocked(folio) &&
// !delay_rmap && folio_test_anon(folio)) kernel_init_pages(page, folio_nr_pages(folio))`. The
// munlock of this PTE is batched (mlock_fbatch), so PG_mlocked still reads as it was before the
// zap: mlocked() counts this PTE too. Nothing looks at the mapcount or the refcount.
void V3Hooks::on_zap_pte(HookContext& ctx, const Vma&, const ZapInfo& z) const {
  const Frame& fr = ctx.frame(z.frame);
  if (fr.mlocked() && fr.has(FrameFlag::Anon)) ctx.zero(z.frame);
}

// --- vma ---

// mlock marks the VMAs it locked (mlock_fixup skips droppable VMAs: they stay unmarked).
void VmaHooks::on_mlock(HookContext& ctx, ProcId p, PageRange r) const {
  ctx.mark_range(p, r, Mark::Set, OnlyLocked::Yes);
}

// Only an explicit munlock clears the mark; munmap and exit drop the VMA with it.
void VmaHooks::on_munlock(HookContext& ctx, ProcId p, PageRange r) const {
  ctx.mark_range(p, r, Mark::Clear);
}

// The slow paths, out of line so that the common cases (an unmarked VMA at the last unmap, an
// empty queue at free) are one test with no stack frame.

// A zap or a COW copy drops this mapping's reference right after the unmap: when that is the
// only reference, the frame is freed next, so it is zeroed now and never queued (no allocation
// on the common path). Reclaim and migration still read the page after the unmap: queued.
[[gnu::noinline]] void zero_or_queue(HookContext& ctx, FrameId f, UnmapCause cause) {
  const bool dropping = cause == UnmapCause::Zap || cause == UnmapCause::CowCopy;
  if (dropping && ctx.frame(f).refcount == 1) {
    ctx.zero(f);
    return;
  }
  ctx.queue(f);
}

// An O(log n) lookup and erase.
[[gnu::noinline]] void wipe_if_queued(HookContext& ctx, FrameId f) {
  if (ctx.dequeue(f)) ctx.zero(f);
}

// The last mapping left a marked VMA, for any reason (zap, reclaim, migration, COW copy): the
// frame is zeroed now if nothing else holds it, else queued and zeroed only when its last
// reference goes (RULE 0, pin-safe). The design sets the mark in mlock_fixup together with
// VM_LOCKED (on_mlock runs before the populate).
void VmaHooks::on_last_unmap(HookContext& ctx, FrameId f, UnmapCause cause, const Vma& v) const {
  if (v.has(VmaFlag::WipeMark)) zero_or_queue(ctx, f, cause);
}

// free_pages_prepare(): one branch when nothing is queued, else the lookup.
void VmaHooks::on_free(HookContext& ctx, FrameId f) const {
  if (ctx.queue_empty()) return;
  wipe_if_queued(ctx, f);
}

const V1Hooks kV1;
const V3Hooks kV3;
const VmaHooks kVma;

constexpr PolicySource kV1Sources[] = {
    {"York Jasper Niebuhr, init_mlocked_on_free v1, Dec 2023",
     "https://lore.kernel.org/r/20231202134218.151074-1-yjnworkstation@gmail.com"},
};
constexpr PolicySource kV3Sources[] = {
    {"York Jasper Niebuhr, init_mlocked_on_free v3 (ba42b524a040, 6.10-rc1)",
     "https://lore.kernel.org/r/20240329145605.149917-1-yjnworkstation@gmail.com"},
    {"David Hildenbrand, the revert (6.10-rc5)",
     "https://lore.kernel.org/r/20240605091710.38961-1-david@redhat.com"},
};
constexpr PolicySource kVmaSources[] = {
    {"Andrew Morton asks for a per-VMA design",
     "https://lore.kernel.org/r/20231204115434.65f04d1de5041038ab5e2b8d@linux-foundation.org"},
    {"David Hildenbrand's review",
     "https://lore.kernel.org/r/8118eabf-de9c-41a7-9892-3a1a5bd2071c@redhat.com"},
};

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

extern const PolicyDescriptor MlockedOnFreeV1{
    .id = PolicyId::MlockedOnFreeV1,
    .name = "mlockedonfree-v1",
    .summary =
        "init_mlocked_on_free v1: PG_ofinit set when mlocked, cleared by explicit munlock, "
        "zeroed at free",
    .trigger = "RULE 0",
    .merged = "no (Dec 2023)",
    .sources = kV1Sources,
    .marks = {std::nullopt, {}, "PG_ofinit"},
    .promises = row(holds(), holds(), holds(),
                    holds("PG_ofinit, zeroed at free; migration mlocks (and flags) the copy")),
    .hooks = &kV1,
};

extern const PolicyDescriptor MlockedOnFreeV3{
    .id = PolicyId::MlockedOnFreeV3,
    .name = "mlockedonfree-v3",
    .summary =
        "init_mlocked_on_free v3 (6.10-rc1, reverted): every zap of an mlocked anon page zeroes "
        "it, shared or not",
    .trigger = "RULE 1",
    .merged = "6.10-rc1, reverted in 6.10-rc5",
    .sources = kV3Sources,
    .promises = row(breaks("H1", "a child's zap zeroes the COW-shared mlocked page"),
                    breaks("H4", "zeroed at the zap while a DIO pin still reads the page"),
                    breaks("H1", "a zap of the mlocked page zeroes it under the pipe"),
                    breaks("H3", "migration frees the mlocked source page unwiped (also H4)")),
    .hooks = &kV3,
};

extern const PolicyDescriptor MlockedOnFreeVma{
    .id = PolicyId::MlockedOnFreeVma,
    .name = "mlockedonfree-vma",
    .summary =
        "per-VMA mark set by mlock: a page whose last mapping leaves a marked VMA is queued, "
        "zeroed at free",
    .trigger = "RULE 0, gated by the last unmap",
    .merged = "never written (asked for in review)",
    .sources = kVmaSources,
    .marks = {VmaFlag::WipeMark, "the per-VMA wipe mark", {}},
    .state = PolicyState::WipeQueue,
    .promises = row(holds(), holds(), holds(), holds("VMA mark, queued at zap, zeroed at free")),
    .hooks = &kVma,
};

}  // namespace mmsim::policies
