// sim/policy.h: how a wipe proposal plugs into the kernel: the hooks it overrides (class
// Policy) and the descriptor that says everything else about it (struct PolicyDescriptor):
// name, summary, sources, advices, the marks it owns, its state and that state's invariant,
// its core rules and its row of the promise table. A policy is one source file under
// sim/policies/ that defines its descriptor, plus one line in sim/policies/list.h.
//
// Owns: the points where the proposals act. The core constructs a HookContext
// (sim/hook_context.h) at each call site listed in docs/design.md and passes it to the hook;
// the context is the only way a hook changes the World. Invariant: a policy is stateless
// (what it remembers lives in the World: its VMA mark, the frame PolicyMark bit, or the wipe
// queue), so a World stays a value; a hook never changes refcounts or page tables except
// through the documented kernel primitives of its context.
#pragma once

#include <array>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "sim/promise.h"
#include "sim/vma.h"
#include "sim/world.h"

namespace mmsim {

// Core semantics that differ between kernels, not between wipe proposals.
enum class CowReuse : uint8_t {
  AnonExclusive,  // 5.19+: reuse if PageAnonExclusive, or refcount == 1
  MapcountOnly,   // before 5.8: reuse if mapcount == 1 (CVE-2020-29374)
};
enum class PinnedFork : uint8_t {
  CopyMaybePinned,  // 5.9+: fork copies pages that may be DMA-pinned (70e806e4e645)
  Share,            // before: pinned pages are COW-shared like any other (RDMA breakage)
};
struct CoreRules {
  CowReuse cow = CowReuse::AnonExclusive;
  PinnedFork pinned_fork = PinnedFork::CopyMaybePinned;
  bool pin_unshares = true;  // a FOLL_PIN unshares a COW-shared anonymous page first
};

// What fork does with one VMA, beyond the core's DONTCOPY and WIPEONFORK handling.
enum class ForkVma : uint8_t { Default, Skip, CopyPages };

// Why the last mapping of a page went away (page_remove_rmap callers).
enum class UnmapCause : uint8_t { Zap, Reclaim, Migrate, CowCopy };
// Where the frame a fault mapped came from: allocated for it (zero fill, COW copy, swap read,
// fork copy), or one that already existed (a page-cache page, a swap-cache page).
enum class FaultIn : uint8_t { Allocated, Existing };

struct ZapInfo {
  ProcId proc;
  Vpn page;
  FrameId frame;
  ZapCause cause;
};

class HookContext;  // sim/hook_context.h: what a hook may do to the World

// The hooks. Every hook has a no-op default, so a policy overrides only what its patch
// touched. The core calls each from the places docs/design.md lists, with a fresh context.
class Policy {
 public:
  virtual ~Policy() = default;

  // madvise of one of the advices the descriptor declares (the core answers EINVAL for the
  // whole call to an advice the running policy does not declare). check_advice runs per VMA
  // before it changes; apply_advice runs on the VMAs isolated to exactly the advised range.
  [[nodiscard]] virtual std::optional<Errno> check_advice(const Vma&, Advice) const {
    return Errno::Inval;
  }
  virtual Result apply_advice(HookContext&, ProcId, PageRange, Advice) const {
    return Result::ok();
  }

  // mlock/munlock of a range. on_mlock: after the core set VM_LOCKED and mlocked the present
  // pages, before it populates the rest (mlock_fixup; pages faulted in later reach
  // on_fault_in), so it runs even when the populate fails midway. on_munlock: after.
  // Explicit: the munlock came from the user, not from munmap/exit. on_munlock runs once per
  // VMA range whose VM_LOCKED it cleared (mlock_fixup leaves unlocked VMAs alone).
  virtual void on_mlock(HookContext&, ProcId, PageRange) const {}
  virtual void on_munlock(HookContext&, ProcId, PageRange) const {}

  // A fault mapped a frame into a VMA (zero fill, COW copy, swap-in, a page-cache page, the
  // copy fork makes of a pinned page); `how` says whether it was allocated for this fault.
  virtual void on_fault_in(HookContext&, ProcId, const Vma&, FrameId, FaultIn /*how*/) const {}

  // fork: per parent VMA, before the core copies it (and per present page, whether to copy).
  [[nodiscard]] virtual ForkVma on_fork_vma(const Vma&) const { return ForkVma::Default; }
  // fork: the child now maps the parent's present page at `page` too (copy_present_pte shared
  // it rather than copying it). Runs in the parent's context, as code in dup_mmap does.
  virtual void on_fork_pte(HookContext&, ProcId /*parent*/, Vpn /*page*/) const {}

  // A PTE mapping a present frame is about to be removed (mapcount still counts it).
  virtual void on_zap_pte(HookContext&, const Vma&, const ZapInfo&) const {}
  // The frame's mapcount just reached 0; its refcount may still be above 0.
  virtual void on_last_unmap(HookContext&, FrameId, UnmapCause, const Vma&) const {}
  // The frame's refcount reached 0; it goes to the free pool right after this hook.
  virtual void on_free(HookContext&, FrameId) const {}
  // Migration copied `from` into `to` and is about to free `from`.
  virtual void on_migrate(HookContext&, FrameId /*from*/, FrameId /*to*/) const {}

  // Suspend, hibernate, resume: the pages this policy acts on, and the action on one page.
  [[nodiscard]] virtual std::vector<PowerPage> power_pages(const World&, PowerEvent) const {
    return {};
  }
  virtual void power_page(HookContext&, const PowerPage&) const {}
};

// Where a source of the policy can be read.
struct PolicySource {
  std::string_view what;  // "RFC v1, Apr 2019"
  std::string_view link;  // "https://lore.kernel.org/..."
};

// An madvise advice a policy adds to the language (spec §3): the keyword `madvise x KEYWORD`
// parses to, and what it does under this policy. Several policies may declare the same
// advice (the three wipeonrelease postings); they must agree on keyword and value.
struct PolicyAdvice {
  Advice advice;
  std::string_view keyword;
  std::string_view semantics;
};

// The marks a policy owns. Only one policy runs in a World, so they share the bits: the VMA
// mark is one of the policy bits of VmaFlag, the page flag is always FrameFlag::PolicyMark.
struct PolicyMarks {
  std::optional<VmaFlag> vma{};    // the VMA bit it sets and clears, or none
  std::string_view vma_kernel{};   // its name in the patch: "VM_WIPEONRELEASE"
  std::string_view page_kernel{};  // the page flag FrameFlag::PolicyMark stands for, or empty
  [[nodiscard]] bool owns_page_flag() const { return !page_kernel.empty(); }
};

// Side state beyond the marks, kept in the World.
enum class PolicyState : uint8_t {
  None,       // nothing: World::wipe_queue stays empty
  WipeQueue,  // World::wipe_queue: frames to zero when they are freed
};
// The invariant of the policy's marks and state (sim/invariants.h check_policy_state calls
// it after the generic checks); a message when broken, nothing when it holds.
using PolicyCheck = std::optional<std::string> (*)(const World&);

// Every field but `promises` may be left out (designated initializers, in this order); a row
// left out, or a promise missing from it, fails to compile (-Wmissing-field-initializers).
struct PolicyDescriptor {
  PolicyId id{};
  std::string_view name{};     // spec §6: the name of `policies` lines and `--policy`
  std::string_view summary{};  // one line for `mmsim policies`
  std::string_view trigger{};  // docs index: when it wipes ("RULE 0", "none")
  std::string_view merged{};   // docs index: whether and where it was merged
  std::span<const PolicySource> sources{};
  std::span<const PolicyAdvice> advices{};
  PolicyMarks marks{};
  PolicyState state = PolicyState::None;
  PolicyCheck check_state = nullptr;
  CoreRules rules{};
  PromiseRow promises;
  const Policy* hooks = nullptr;

  [[nodiscard]] bool declares(Advice a) const {
    for (const PolicyAdvice& pa : advices) {
      if (pa.advice == a) return true;
    }
    return false;
  }
};

// The registry (sim/policies/registry.cpp), built from sim/policies/list.h.
const PolicyDescriptor& descriptor_of(PolicyId id);
inline const PolicyDescriptor& descriptor_of(const World& w) {
  return descriptor_of(w.policy);
}
// The hooks of the policy a World runs under. Policies are immutable, stateless objects.
inline const Policy& policy_of(PolicyId id) {
  return *descriptor_of(id).hooks;
}
inline const Policy& policy_of(const World& w) {
  return policy_of(w.policy);
}
inline std::string_view policy_name(PolicyId id) {
  return descriptor_of(id).name;
}
bool policy_from_name(std::string_view name, PolicyId* out);
// Every VmaFlag bit some descriptor declares as its mark.
uint32_t policy_vma_mark_bits();

#define MMSIM_POLICY_ID(name) PolicyId::name,
inline constexpr std::array<PolicyId, kPolicyCount> all_policies() {
  return {MMSIM_POLICIES(MMSIM_POLICY_ID)};
}
#undef MMSIM_POLICY_ID

}  // namespace mmsim
