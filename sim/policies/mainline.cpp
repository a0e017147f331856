// sim/policies/mainline.cpp: the two kernel baselines. `mainline` is Linux 6.x with no scrub at
// free; `legacy-cow` is mainline with the pre-5.8 COW and fork rules; `init-on-free` is
// mainline booted with init_on_free=1 (commit 6471384af2a6, Linux 5.3), whose
// free_pages_prepare() zeroes every page it frees.
//
// Owns: nothing (no mark: mainline and legacy-cow override no hook; init-on-free is global).
// Invariants: mainline and legacy-cow declare no advice, so madvise of a policy advice returns
// EINVAL, as on a kernel without the patch; under init-on-free every frame that reaches the
// free pool through put_page holds 0 (RULE 0 for every page). Swap slots are not scrubbed.
#include "sim/hook_context.h"

namespace mmsim::policies {
namespace {

const Policy kNoHooks;

class InitOnFreeHooks final : public Policy {
 public:
  // free_pages_prepare: `init = want_init_on_free()` -> kernel_init_pages().
  void on_free(HookContext& ctx, FrameId f) const override { ctx.zero(f); }
};
const InitOnFreeHooks kInitOnFree;

constexpr PolicySource kMainlineSources[] = {
    {"Linux 6.x mm/ (observed on 6.18.44, docs/sources.md §0 and §4)",
     "https://github.com/torvalds/linux/tree/master/mm"},
    {"copy-at-fork of maybe-pinned pages, 70e806e4e645 (5.9)",
     "https://github.com/torvalds/linux/commit/70e806e4e645"},
};
constexpr PolicySource kLegacyCowSources[] = {
    {"Jann Horn, CVE-2020-29374 (COW reuse by mapcount)",
     "https://lore.kernel.org/r/"
     "CAG48ez1OS7DeeEtv5jhO6wtMA2M2A_Bp3-ndS+sP=UoFuMiREw@mail.gmail.com"},
    {"fixed by copy-at-fork, 70e806e4e645 (5.9)",
     "https://github.com/torvalds/linux/commit/70e806e4e645"},
};
constexpr PolicySource kInitOnFreeSources[] = {
    {"init_on_free=1, 6471384af2a6 (5.3)",
     "https://github.com/torvalds/linux/commit/6471384af2a6530696fc0203bafe4de41a23c9ef"},
};

// The kernel core every policy shares keeps these; the baselines add nothing on top.
constexpr PromiseRow baseline_row(Expectation cow, Expectation pin, Expectation pipe,
                                  Expectation free_clean) {
  return PromiseRow{
      .invariants = holds(),
      .op_results = holds(),
      .cow_isolation = cow,
      .wipeonfork_zero = holds(),
      .pin_coherence = pin,
      .pipe_integrity = pipe,
      .direct_map_secret = holds("memfd_secret pages are out of the direct map and zeroed at free"),
      .release_gone = not_promised("the policy has no per-page wipe mark"),
      .free_clean = free_clean,
      .suspend_zero = not_promised("no wipe at suspend"),
  };
}

}  // namespace

extern const PolicyDescriptor Mainline{
    .id = PolicyId::Mainline,
    .name = "mainline",
    .summary =
        "Linux 6.x as today: wipeonfork, memfd_secret, MAP_DROPPABLE, copy-at-fork of pinned "
        "pages; no scrub at free",
    .trigger = "none",
    .merged = "yes (6.x)",
    .sources = kMainlineSources,
    .promises = baseline_row(holds(), holds(), holds(),
                             breaks("§2.1", "by design: freed pages keep their bytes until reuse")),
    .hooks = &kNoHooks,
};

extern const PolicyDescriptor LegacyCow{
    .id = PolicyId::LegacyCow,
    .name = "legacy-cow",
    .summary =
        "mainline with pre-5.8 COW: reuse by mapcount alone, pinned pages shared at fork "
        "(CVE-2020-29374)",
    .trigger = "none",
    .merged = "was mainline before 5.8",
    .sources = kLegacyCowSources,
    .rules = CoreRules{CowReuse::MapcountOnly, PinnedFork::Share, false},
    .promises = baseline_row(
        breaks("H9", "fork shares the pinned page; DMA lands in the child's copy"),
        breaks("H8",
               "fork shares the pinned page; the parent's write COW-copies away from the device"),
        breaks("H7",
               "CVE-2020-29374: reuse by mapcount lets the parent's write reach the child's pipe"),
        not_promised("only init_on_free scrubs every free page")),
    .hooks = &kNoHooks,
};

extern const PolicyDescriptor InitOnFree{
    .id = PolicyId::InitOnFree,
    .name = "init-on-free",
    .summary =
        "mainline with init_on_free=1: every page is zeroed when its refcount reaches 0; "
        "swap slots keep their bytes",
    .trigger = "RULE 0, every page",
    .merged = "yes, 5.3",
    .sources = kInitOnFreeSources,
    .promises = baseline_row(holds(), holds(), holds(),
                             holds("every frame is zeroed in free_pages_prepare")),
    .hooks = &kInitOnFree,
};

}  // namespace mmsim::policies
