// sim/policies/init_on_free.h: `init-on-free`, mainline booted with init_on_free=1 (commit
// 6471384af2a6, Linux 5.3): free_pages_prepare() zeroes every page it frees.
//
// Owns: nothing (no mark: the policy is global). Invariant: every frame that reaches the free
// pool through put_page holds 0 (RULE 0 for every page). Swap slots are not scrubbed.
#pragma once

#include "sim/policies/mainline.h"

namespace mmsim::policies {

class InitOnFree final : public Mainline {
 public:
  [[nodiscard]] PolicyId id() const override { return PolicyId::InitOnFree; }
  [[nodiscard]] std::string_view name() const override { return "init-on-free"; }
  [[nodiscard]] std::string_view summary() const override {
    return "mainline with init_on_free=1: every page is zeroed when its refcount reaches 0; "
           "swap slots keep their bytes";
  }
  void on_free(World& w, FrameId f) const override;
};

}  // namespace mmsim::policies
