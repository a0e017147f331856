// sim/policies/exclusive.h: `exclusive`, Mike Rapoport's MAP_EXCLUSIVE RFC (October 2019, never
// merged), reached through the `secret` advice (the name of Reshetova's MADV_SECRET, which
// marked pages the same way). docs/policies/exclusive.md gives the sources.
//
// Owns: the VmaFlag::Exclusive mark and FrameFlag::PolicyMark (PG_user_exclusive). Invariant: a
// frame carries PolicyMark exactly when the RFC removed it from the direct map (DirectMap
// clear); zap_pte_range puts it back and clears the mark; nothing zeroes it.
#pragma once

#include "sim/policies/mainline.h"

namespace mmsim::policies {

class Exclusive final : public Mainline {
 public:
  [[nodiscard]] PolicyId id() const override { return PolicyId::Exclusive; }
  [[nodiscard]] std::string_view name() const override { return "exclusive"; }
  [[nodiscard]] std::string_view summary() const override {
    return "MAP_EXCLUSIVE RFC: locked, populated pages leave the direct map; fork skips the VMA; "
           "never zeroed";
  }
  [[nodiscard]] bool knows(Advice a) const override { return a == Advice::Secret; }
  [[nodiscard]] std::optional<Errno> check_advice(const Vma& v, Advice a) const override;
  Result apply_advice(World& w, ProcId p, PageRange r, Advice a) const override;
  [[nodiscard]] ForkVma on_fork_vma(const Vma& v) const override;
  void on_zap_pte(World& w, const Vma& v, const ZapInfo& z) const override;
  void on_migrate(World& w, FrameId from, FrameId to) const override;
};

}  // namespace mmsim::policies
