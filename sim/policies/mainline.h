// sim/policies/mainline.h: the two kernel baselines. `mainline` is Linux 6.x with no scrub at
// free; `legacy-cow` is mainline with the pre-5.8 COW and fork rules. Every wipe proposal in
// sim/policies/ derives from Mainline and overrides only the hooks its patch touched.
//
// Owns: nothing (policies are stateless). Invariant: Mainline implements no policy advice, so
// madvise of one returns EINVAL, as on a kernel without the patch.
#pragma once

#include "sim/policy.h"

namespace mmsim::policies {

class Mainline : public Policy {
 public:
  [[nodiscard]] PolicyId id() const override { return PolicyId::Mainline; }
  [[nodiscard]] std::string_view name() const override { return "mainline"; }
  [[nodiscard]] std::string_view summary() const override {
    return "Linux 6.x as today: wipeonfork, memfd_secret, MAP_DROPPABLE, copy-at-fork of pinned "
           "pages; no scrub at free";
  }
};

class LegacyCow final : public Mainline {
 public:
  [[nodiscard]] PolicyId id() const override { return PolicyId::LegacyCow; }
  [[nodiscard]] std::string_view name() const override { return "legacy-cow"; }
  [[nodiscard]] std::string_view summary() const override {
    return "mainline with pre-5.8 COW: reuse by mapcount alone, pinned pages shared at fork "
           "(CVE-2020-29374)";
  }
  [[nodiscard]] CoreRules rules() const override {
    return CoreRules{CowReuse::MapcountOnly, PinnedFork::Share, false};
  }
};

}  // namespace mmsim::policies
