// sim/policies/registry.cpp: the table of all policies, by ID and by name (spec §6).
#include <array>

#include "sim/check.h"
#include "sim/policies/mainline.h"

namespace mmsim {
namespace {

// Every policy object, built once and never changed: policies are stateless.
struct Registry {
  policies::Mainline mainline;
  policies::LegacyCow legacy_cow;

  [[nodiscard]] std::array<const Policy*, kPolicyCount> table() const {
    return {&mainline, &legacy_cow, nullptr, nullptr, nullptr, nullptr, nullptr,
            nullptr,   nullptr,     nullptr, nullptr, nullptr, nullptr};
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
