// sim/policies/wipeonsuspend.h: Adrian Catangiu's MADV_WIPEONSUSPEND RFC (July 2020, never
// merged) and the two alternatives its review proposed: `wipeonsuspend-gup` (the PoC: at
// suspend/hibernate every page of a marked VMA is faulted in for write and cleared in place),
// `wipeonsuspend-zap` (Jann Horn: zap the range instead) and `wipeonsuspend-restore` (Jann
// Horn: wipe on restore rather than on save). docs/policies/wipeonsuspend-*.md give the sources.
//
// Owns: the VmaFlag::WipeOnSuspend mark. Invariant: only private anonymous VMAs carry it
// (madvise refuses the rest with EINVAL); the policies touch pages only between the start of a
// power transition and its PowerDone, while every process and device is frozen.
#pragma once

#include "sim/policies/mainline.h"

namespace mmsim::policies {

// The madvise pair the three share: WIPEONSUSPEND on private anonymous memory only,
// KEEPONSUSPEND anywhere.
class WipeOnSuspendAdvice : public Mainline {
 public:
  [[nodiscard]] bool knows(Advice a) const override {
    return a == Advice::WipeOnSuspend || a == Advice::KeepOnSuspend;
  }
  [[nodiscard]] std::optional<Errno> check_advice(const Vma& v, Advice a) const override;
  Result apply_advice(World& w, ProcId p, PageRange r, Advice a) const override;
};

class WipeOnSuspendGup final : public WipeOnSuspendAdvice {
 public:
  [[nodiscard]] PolicyId id() const override { return PolicyId::WipeOnSuspendGup; }
  [[nodiscard]] std::string_view name() const override { return "wipeonsuspend-gup"; }
  [[nodiscard]] std::string_view summary() const override {
    return "Catangiu RFC: at suspend/hibernate, pages of marked VMAs are faulted in for write and "
           "zeroed in place";
  }
  [[nodiscard]] std::vector<PowerPage> power_pages(const World& w, PowerEvent e) const override;
  void power_page(World& w, const PowerPage& pp) const override;
};

class WipeOnSuspendZap final : public WipeOnSuspendAdvice {
 public:
  [[nodiscard]] PolicyId id() const override { return PolicyId::WipeOnSuspendZap; }
  [[nodiscard]] std::string_view name() const override { return "wipeonsuspend-zap"; }
  [[nodiscard]] std::string_view summary() const override {
    return "review's alternative: at suspend/hibernate marked ranges are zapped (freed unscrubbed, "
           "next touch reads 0)";
  }
  [[nodiscard]] std::vector<PowerPage> power_pages(const World& w, PowerEvent e) const override;
  void power_page(World& w, const PowerPage& pp) const override;
};

class WipeOnSuspendRestore final : public WipeOnSuspendAdvice {
 public:
  [[nodiscard]] PolicyId id() const override { return PolicyId::WipeOnSuspendRestore; }
  [[nodiscard]] std::string_view name() const override { return "wipeonsuspend-restore"; }
  [[nodiscard]] std::string_view summary() const override {
    return "wipe at resume instead: marked ranges are zapped on resume; the image keeps the data";
  }
  [[nodiscard]] std::vector<PowerPage> power_pages(const World& w, PowerEvent e) const override;
  void power_page(World& w, const PowerPage& pp) const override;
};

}  // namespace mmsim::policies
