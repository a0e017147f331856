// sim/policies/mlockedonfree.h: York Jasper Niebuhr's init_mlocked_on_free (boot option, Dec
// 2023 - Jun 2024) as posted in v1 (PG_ofinit page flag, zeroed at free) and v3 (merged in
// 6.10-rc1 as ba42b524a040, reverted in 6.10-rc5: zeroed at every zap of an mlocked anonymous
// page), and `mlockedonfree-vma`, the per-VMA design the review asked for and nobody wrote.
// docs/policies/mlockedonfree-*.md give the sources.
//
// Owns: FrameFlag::PolicyMark (v1: PG_ofinit); VmaFlag::WipeMark and World::wipe_queue (vma).
// Invariants: v1 marks every page that becomes mlocked and clears the mark only when an explicit
// munlock makes it evictable again; vma's wipe_queue names only used frames (a frame leaves the
// queue when it is freed, zeroed; sim/invariants.h check_policy_state).
#pragma once

#include "sim/policies/mainline.h"

namespace mmsim::policies {

class MlockedOnFreeV1 final : public Mainline {
 public:
  [[nodiscard]] PolicyId id() const override { return PolicyId::MlockedOnFreeV1; }
  [[nodiscard]] std::string_view name() const override { return "mlockedonfree-v1"; }
  [[nodiscard]] std::string_view summary() const override {
    return "init_mlocked_on_free v1: PG_ofinit set when mlocked, cleared by explicit munlock, "
           "zeroed at free";
  }
  void on_mlock(World& w, ProcId p, PageRange r) const override;
  void on_munlock(World& w, ProcId p, PageRange r) const override;
  void on_fault_in(World& w, ProcId p, const Vma& v, FrameId f, FaultIn how) const override;
  void on_free(World& w, FrameId f) const override;
  void on_migrate(World& w, FrameId from, FrameId to) const override;
};

class MlockedOnFreeV3 final : public Mainline {
 public:
  [[nodiscard]] PolicyId id() const override { return PolicyId::MlockedOnFreeV3; }
  [[nodiscard]] std::string_view name() const override { return "mlockedonfree-v3"; }
  [[nodiscard]] std::string_view summary() const override {
    return "init_mlocked_on_free v3 (6.10-rc1, reverted): every zap of an mlocked anon page zeroes "
           "it, shared or not";
  }
  void on_zap_pte(World& w, const Vma& v, const ZapInfo& z) const override;
};

class MlockedOnFreeVma final : public Mainline {
 public:
  [[nodiscard]] PolicyId id() const override { return PolicyId::MlockedOnFreeVma; }
  [[nodiscard]] std::string_view name() const override { return "mlockedonfree-vma"; }
  [[nodiscard]] std::string_view summary() const override {
    return "per-VMA mark set by mlock: a page whose last mapping leaves a marked VMA is queued, "
           "zeroed at free";
  }
  void on_mlock(World& w, ProcId p, PageRange r) const override;
  void on_munlock(World& w, ProcId p, PageRange r) const override;
  void on_last_unmap(World& w, FrameId f, UnmapCause cause, const Vma& v) const override;
  void on_free(World& w, FrameId f) const override;
};

}  // namespace mmsim::policies
