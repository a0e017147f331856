// sim/policies/registry.cpp: the table of all policy descriptors, by PolicyId and by name,
// built from sim/policies/list.h. Nothing here names a policy.
#include <array>

#include "sim/check.h"
#include "sim/policy.h"

namespace mmsim {
namespace policies {
#define MMSIM_POLICY_DECLARE(name) extern const PolicyDescriptor name;
MMSIM_POLICIES(MMSIM_POLICY_DECLARE)
#undef MMSIM_POLICY_DECLARE
}  // namespace policies

namespace {

// In PolicyId order (descriptor_of checks each entry's id).
#define MMSIM_POLICY_ENTRY(name) &policies::name,
constexpr std::array<const PolicyDescriptor*, kPolicyCount> kTable{
    MMSIM_POLICIES(MMSIM_POLICY_ENTRY)};
#undef MMSIM_POLICY_ENTRY

}  // namespace

const PolicyDescriptor& descriptor_of(PolicyId id) {
  const auto i = static_cast<size_t>(id);
  SIM_ASSERT(i < kTable.size(), "no such policy");
  const PolicyDescriptor* d = kTable[i];
  SIM_ASSERT(d->id == id && d->hooks != nullptr, "policy table out of order");
  return *d;
}

uint32_t policy_vma_mark_bits() {
  uint32_t bits = 0;
  for (const PolicyDescriptor* d : kTable) {
    if (d->marks.vma) bits |= static_cast<uint32_t>(*d->marks.vma);
  }
  return bits;
}

bool policy_from_name(std::string_view name, PolicyId* out) {
  for (const PolicyDescriptor* d : kTable) {
    if (d->name == name) {
      *out = d->id;
      return true;
    }
  }
  return false;
}

}  // namespace mmsim
