// sim/policies/common.h: small helpers the wipe policies share: walking the PTEs of a range,
// setting a policy mark on the VMAs of a range, and the page-range walk the suspend family uses.
//
// Owns: nothing. Invariant: the helpers change only what sim/policy.h lets a policy change (VMA
// policy marks through split and merge, which keep check_ptes_in_vmas true) and read the rest.
#pragma once

#include <optional>
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

enum class Mark : uint8_t { Set, Clear };
// Sets or clears `flag` on the VMAs covering r (split at r's ends), then merges the mm's VMAs
// again. With `only_if`, VMAs without that flag are left alone (mlock skips droppable VMAs).
void mark_vmas(World& w, ProcId proc, PageRange r, VmaFlag flag, Mark mark,
               std::optional<VmaFlag> only_if = std::nullopt);

// Every page of every VMA carrying `flag` in every live process, in process then address order
// (for_each_process, then the VMA list). With PteOnly::Yes only pages that have a PTE.
enum class PteOnly : uint8_t { No, Yes };
std::vector<PowerPage> marked_pages(const World& w, VmaFlag flag, PowerEvent event,
                                    PteOnly pte_only);

}  // namespace mmsim::policies
