// sim/policy.h: the hook interface through which a wipe proposal changes the kernel's
// behaviour. A policy is stateless: everything it remembers lives in the World (a VMA flag,
// the frame PolicyMark bit, or World::wipe_queue), so a World stays a value.
//
// Owns: the points where the proposals act. The core (sim/kernel.h) calls each hook at exactly
// one place; docs/design.md lists them. Invariant: a hook may change frame values, frame
// PolicyMark/DirectMap bits, VMA policy marks and World::wipe_queue, and may call the
// primitives of sim/kernel.h; it never changes refcounts or page tables behind the core's back.
#pragma once

#include <array>
#include <optional>
#include <string_view>

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

class Policy {
 public:
  virtual ~Policy() = default;
  [[nodiscard]] virtual PolicyId id() const = 0;
  [[nodiscard]] virtual std::string_view name() const = 0;
  [[nodiscard]] virtual std::string_view summary() const = 0;
  [[nodiscard]] virtual CoreRules rules() const { return {}; }

  // madvise of a policy advice (wipeonrelease, ..., secret). `knows` false: EINVAL for the
  // whole call, as for an advice the kernel does not have. check_advice runs per VMA before
  // it changes; apply_advice runs on the VMAs isolated to exactly the advised range.
  [[nodiscard]] virtual bool knows(Advice) const { return false; }
  [[nodiscard]] virtual std::optional<Errno> check_advice(const Vma&, Advice) const {
    return Errno::Inval;
  }
  virtual Result apply_advice(World&, ProcId, PageRange, Advice) const { return Result::ok(); }

  // mlock/munlock of a range. on_mlock: after the core set VM_LOCKED and mlocked the present
  // pages, before it populates the rest (mlock_fixup; pages faulted in later reach
  // on_fault_in), so it runs even when the populate fails midway. on_munlock: after.
  // Explicit: the munlock came from the user, not from munmap/exit. on_munlock runs once per
  // VMA range whose VM_LOCKED it cleared (mlock_fixup leaves unlocked VMAs alone).
  virtual void on_mlock(World&, ProcId, PageRange) const {}
  virtual void on_munlock(World&, ProcId, PageRange) const {}

  // A fault mapped a frame into a VMA (zero fill, COW copy, swap-in, a page-cache page, the
  // copy fork makes of a pinned page); `how` says whether it was allocated for this fault.
  virtual void on_fault_in(World&, ProcId, const Vma&, FrameId, FaultIn /*how*/) const {}

  // fork: per parent VMA, before the core copies it; fix_child may adjust the child's copy.
  [[nodiscard]] virtual ForkVma on_fork_vma(const Vma&) const { return ForkVma::Default; }
  virtual void fix_child_vma(Vma&) const {}
  // fork: the child now maps the parent's present page at `page` too (copy_present_pte shared
  // it rather than copying it). Runs in the parent's context, as code in dup_mmap does.
  virtual void on_fork_pte(World&, ProcId /*parent*/, Vpn /*page*/) const {}

  // A PTE mapping a present frame is about to be removed (mapcount still counts it).
  virtual void on_zap_pte(World&, const Vma&, const ZapInfo&) const {}
  // The frame's mapcount just reached 0; its refcount may still be above 0.
  virtual void on_last_unmap(World&, FrameId, UnmapCause, const Vma&) const {}
  // The frame's refcount reached 0; it goes to the free pool right after this hook.
  virtual void on_free(World&, FrameId) const {}
  // Migration copied `from` into `to` and is about to free `from`.
  virtual void on_migrate(World&, FrameId /*from*/, FrameId /*to*/) const {}

  // Suspend, hibernate, resume: the pages this policy acts on, and the action on one page.
  [[nodiscard]] virtual std::vector<PowerPage> power_pages(const World&, PowerEvent) const {
    return {};
  }
  virtual void power_page(World&, const PowerPage&) const {}
};

// The policy a World runs under. Policies are immutable, stateless objects.
const Policy& policy_of(PolicyId id);
inline const Policy& policy_of(const World& w) { return policy_of(w.policy); }
std::string_view policy_name(PolicyId id);
bool policy_from_name(std::string_view name, PolicyId* out);
inline constexpr std::array<PolicyId, kPolicyCount> all_policies() {
  return {PolicyId::Mainline,         PolicyId::LegacyCow,        PolicyId::InitOnFree,
          PolicyId::WipeOnReleaseV1,  PolicyId::WipeOnReleaseV2,  PolicyId::WipeOnReleaseV4,
          PolicyId::Exclusive,        PolicyId::MlockedOnFreeV1,  PolicyId::MlockedOnFreeV3,
          PolicyId::MlockedOnFreeVma, PolicyId::WipeOnSuspendGup, PolicyId::WipeOnSuspendZap,
          PolicyId::WipeOnSuspendRestore};
}

}  // namespace mmsim
