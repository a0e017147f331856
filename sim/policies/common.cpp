// sim/policies/common.cpp: see common.h.
#include "sim/policies/common.h"

namespace mmsim::policies {

std::vector<PresentPage> present_pages(const World& w, ProcId proc, PageRange r) {
  std::vector<PresentPage> out;
  const auto& ptes = w.proc(proc).mm.ptes;
  for (auto it = ptes.lower_bound(r.begin); it != ptes.end() && it->first < r.end; ++it) {
    if (it->second.frame.valid()) out.push_back({it->first, it->second.frame});
  }
  return out;
}

std::vector<Vpn> pages_with_pte(const World& w, ProcId proc, PageRange r) {
  std::vector<Vpn> out;
  const auto& ptes = w.proc(proc).mm.ptes;
  for (auto it = ptes.lower_bound(r.begin); it != ptes.end() && it->first < r.end; ++it) {
    out.push_back(it->first);
  }
  return out;
}

std::vector<PowerPage> marked_pages(const World& w, VmaFlag flag, PowerEvent event,
                                    PteOnly pte_only) {
  std::vector<PowerPage> out;
  for (size_t i = 0; i < w.procs.size(); ++i) {
    const Process& pr = w.procs[i];
    if (!pr.alive()) continue;
    const ProcId proc{static_cast<uint16_t>(i)};
    for (const Vma& v : pr.mm.vmas.vmas) {
      if (!v.has(flag)) continue;
      for (Vpn q = v.range.begin; q < v.range.end; q = q + 1) {
        if (pte_only == PteOnly::Yes && !pr.mm.ptes.contains(q)) continue;
        out.push_back(PowerPage{proc, q, event});
      }
    }
  }
  return out;
}

}  // namespace mmsim::policies
