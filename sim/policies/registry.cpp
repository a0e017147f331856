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

std::string_view policy_name(PolicyId id) { return policy_of(id).name(); }

bool policy_from_name(std::string_view name, PolicyId* out) {
  for (PolicyId id : all_policies()) {
    if (policy_of(id).name() == name) {
      *out = id;
      return true;
    }
  }
  return false;
}

}  // namespace mmsim
