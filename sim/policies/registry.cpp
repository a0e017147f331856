// sim/policies/registry.cpp: the table of all policies, by ID and by name (spec §6).
#include <array>

#include "sim/check.h"
#include "sim/policies/exclusive.h"
#include "sim/policies/init_on_free.h"
#include "sim/policies/mainline.h"
#include "sim/policies/mlockedonfree.h"
#include "sim/policies/wipeonrelease.h"
#include "sim/policies/wipeonsuspend.h"

namespace mmsim {
namespace {

// Every policy object, built once and never changed: policies are stateless.
struct Registry {
  policies::Mainline mainline;
  policies::LegacyCow legacy_cow;
  policies::InitOnFree init_on_free;
  policies::WipeOnReleaseV1 wipeonrelease_v1;
  policies::WipeOnReleaseV2 wipeonrelease_v2;
  policies::WipeOnReleaseV4 wipeonrelease_v4;
  policies::Exclusive exclusive;
  policies::MlockedOnFreeV1 mlockedonfree_v1;
  policies::MlockedOnFreeV3 mlockedonfree_v3;
  policies::MlockedOnFreeVma mlockedonfree_vma;
  policies::WipeOnSuspendGup wipeonsuspend_gup;
  policies::WipeOnSuspendZap wipeonsuspend_zap;
  policies::WipeOnSuspendRestore wipeonsuspend_restore;

  // In PolicyId order (policy_of checks each entry's id()).
  [[nodiscard]] std::array<const Policy*, kPolicyCount> table() const {
    // clang-format off
    return {&mainline,          &legacy_cow,        &init_on_free,      &wipeonrelease_v1,
            &wipeonrelease_v2,  &wipeonrelease_v4,  &exclusive,         &mlockedonfree_v1,
            &mlockedonfree_v3,  &mlockedonfree_vma, &wipeonsuspend_gup, &wipeonsuspend_zap,
            &wipeonsuspend_restore};
    // clang-format on
  }
};

const Registry& registry() {
  static const Registry r;
  return r;
}

}  // namespace

const Policy& policy_of(PolicyId id) {
  const Policy* p = registry().table()[static_cast<size_t>(id)];
  SIM_ASSERT(p != nullptr && p->id() == id, "policy table out of order");
  return *p;
}

// The names of spec §6, in PolicyId order. They are the contract; each policy's name() must
// agree (checked by the policy tests).
constexpr std::array<std::string_view, kPolicyCount> kNames{
    "mainline",          "legacy-cow",       "init-on-free",      "wipeonrelease-v1",  "wipeonrelease-v2",
    "wipeonrelease-v4",  "exclusive",        "mlockedonfree-v1",  "mlockedonfree-v3",  "mlockedonfree-vma",
    "wipeonsuspend-gup", "wipeonsuspend-zap", "wipeonsuspend-restore"};

std::string_view policy_name(PolicyId id) { return kNames[static_cast<size_t>(id)]; }

bool policy_from_name(std::string_view name, PolicyId* out) {
  for (PolicyId id : all_policies()) {
    if (policy_name(id) == name) {
      *out = id;
      return true;
    }
  }
  return false;
}

}  // namespace mmsim
