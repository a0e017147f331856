// sim/advice.h: the madvise advices of the language: the core ones (mainline's), and those
// the policies add, which each policy declares in its descriptor (PolicyDescriptor::advices).
//
// Owns: the keyword <-> Advice mapping that the parser, the printer and the traces use.
// Invariant: every Advice value has one keyword and every keyword one value, whichever
// policies declare it (sim/tests/policy_registry_test.cpp); the list of keywords is the core
// ones in Advice order, then the policies' in Advice order.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sim/policy.h"

namespace mmsim {

// wipeonfork ... dodump: madvise advices every kernel has (ops_map.cpp core_advice).
std::span<const PolicyAdvice> core_advices();
bool is_core_advice(Advice a);
// The core advices, then every advice some policy declares (once each), in Advice order.
std::vector<PolicyAdvice> all_advices();
bool advice_from_name(std::string_view keyword, Advice* out);
// "wipeonfork, keeponfork, ..., secret": for the parser's messages.
std::string advice_keyword_list();

}  // namespace mmsim
