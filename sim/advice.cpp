// sim/advice.cpp: see advice.h.
#include "sim/advice.h"

#include <algorithm>

namespace mmsim {
namespace {

// mm/madvise.c, as docs/model.md describes each.
constexpr PolicyAdvice kCore[] = {
    {Advice::WipeOnFork, "wipeonfork", "MADV_WIPEONFORK: a fork child gets zero-filled pages"},
    {Advice::KeepOnFork, "keeponfork", "MADV_KEEPONFORK: undoes wipeonfork"},
    {Advice::DontFork, "dontfork", "MADV_DONTFORK: fork does not copy the VMA (VM_DONTCOPY)"},
    {Advice::DoFork, "dofork", "MADV_DOFORK: undoes dontfork"},
    {Advice::DontNeed, "dontneed", "MADV_DONTNEED: zaps the range"},
    {Advice::DontDump, "dontdump", "MADV_DONTDUMP: VM_DONTDUMP"},
    {Advice::DoDump, "dodump", "MADV_DODUMP: undoes dontdump"},
};

}  // namespace

std::span<const PolicyAdvice> core_advices() {
  return kCore;
}

bool is_core_advice(Advice a) {
  return std::any_of(std::begin(kCore), std::end(kCore),
                     [a](const PolicyAdvice& c) { return c.advice == a; });
}

std::vector<PolicyAdvice> all_advices() {
  std::vector<PolicyAdvice> policy;
  for (PolicyId id : all_policies()) {
    for (const PolicyAdvice& pa : descriptor_of(id).advices) {
      const bool seen = std::any_of(policy.begin(), policy.end(),
                                    [&](const PolicyAdvice& q) { return q.advice == pa.advice; });
      if (!seen) policy.push_back(pa);
    }
  }
  std::stable_sort(policy.begin(), policy.end(), [](const PolicyAdvice& a, const PolicyAdvice& b) {
    return a.advice < b.advice;
  });
  std::vector<PolicyAdvice> out(std::begin(kCore), std::end(kCore));
  out.insert(out.end(), policy.begin(), policy.end());
  return out;
}

bool advice_from_name(std::string_view keyword, Advice* out) {
  for (const PolicyAdvice& pa : all_advices()) {
    if (pa.keyword == keyword) {
      *out = pa.advice;
      return true;
    }
  }
  return false;
}

std::string_view advice_name(Advice a) {
  for (const PolicyAdvice& c : kCore) {
    if (c.advice == a) return c.keyword;
  }
  for (PolicyId id : all_policies()) {
    for (const PolicyAdvice& pa : descriptor_of(id).advices) {
      if (pa.advice == a) return pa.keyword;
    }
  }
  return "?";
}

std::string advice_keyword_list() {
  std::string out;
  for (const PolicyAdvice& pa : all_advices()) {
    if (!out.empty()) out += ", ";
    out += pa.keyword;
  }
  return out;
}

}  // namespace mmsim
