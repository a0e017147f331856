// sim/policies/common.h: small read-only helpers the wipe policies share: walking the PTEs of
// a range and the page-range walk the suspend family uses.
//
// Owns: nothing. Invariant: the helpers only read the World (changes go through HookContext).
#pragma once

#include <vector>

#include "sim/kernel.h"

namespace mmsim::policies {

// A page of a process and the frame its present PTE maps.
struct PresentPage {
  Vpn page;
  FrameId frame;
};

// The present PTEs of proc inside r, in address order.
std::vector<PresentPage> present_pages(const World& w, ProcId proc, PageRange r);
// The pages of proc inside r that have a PTE, present or swap, in address order.
std::vector<Vpn> pages_with_pte(const World& w, ProcId proc, PageRange r);

// Every page of every VMA carrying `flag` in every live process, in process then address order
// (for_each_process, then the VMA list). With PteOnly::Yes only pages that have a PTE.
enum class PteOnly : uint8_t { No, Yes };
std::vector<PowerPage> marked_pages(const World& w, VmaFlag flag, PowerEvent event,
                                    PteOnly pte_only);

}  // namespace mmsim::policies
