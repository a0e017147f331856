// sim/vma_set.cpp: split, merge and lookup of VMAs. See vma_set.h.
#include "sim/vma_set.h"

#include <algorithm>

namespace mmsim {
namespace {

bool mergeable(const Vma& a, const Vma& b) {
  if (a.range.end != b.range.begin) return false;
  if (a.prot != b.prot || a.flags != b.flags || a.file != b.file) return false;
  return !a.file.valid() || a.file_page + a.range.pages() == b.file_page;
}

// Splits the VMA at index i at page p (range.begin < p < range.end).
void split(std::vector<Vma>& vmas, size_t i, Vpn p) {
  Vma hi = vmas[i];
  hi.range.begin = p;
  hi.file_page = vmas[i].file_page_of(p);
  vmas[i].range.end = p;
  vmas.insert(vmas.begin() + static_cast<std::ptrdiff_t>(i) + 1, hi);
}

}  // namespace

std::optional<size_t> VmaSet::find(Vpn p) const {
  for (size_t i = 0; i < vmas.size(); ++i) {
    if (vmas[i].range.contains(p)) return i;
  }
  return std::nullopt;
}

const Vma* VmaSet::at(Vpn p) const {
  auto i = find(p);
  return i ? &vmas[*i] : nullptr;
}

Vma* VmaSet::at(Vpn p) {
  auto i = find(p);
  return i ? &vmas[*i] : nullptr;
}

std::pair<size_t, size_t> VmaSet::isolate(PageRange r) {
  for (Vpn cut : {r.begin, r.end}) {
    auto i = find(cut);
    if (i && vmas[*i].range.begin != cut) split(vmas, *i, cut);
  }
  size_t first = 0;
  while (first < vmas.size() && vmas[first].range.end <= r.begin) ++first;
  size_t last = first;
  while (last < vmas.size() && vmas[last].range.begin < r.end) ++last;
  return {first, last};
}

void VmaSet::merge() {
  for (size_t i = 0; i + 1 < vmas.size();) {
    if (mergeable(vmas[i], vmas[i + 1])) {
      vmas[i].range.end = vmas[i + 1].range.end;
      vmas.erase(vmas.begin() + static_cast<std::ptrdiff_t>(i) + 1);
    } else {
      ++i;
    }
  }
}

void VmaSet::insert(const Vma& v) {
  auto pos = std::lower_bound(vmas.begin(), vmas.end(), v,
                              [](const Vma& a, const Vma& b) { return a.range.begin < b.range.begin; });
  vmas.insert(pos, v);
}

void VmaSet::erase(size_t first, size_t last) {
  vmas.erase(vmas.begin() + static_cast<std::ptrdiff_t>(first),
             vmas.begin() + static_cast<std::ptrdiff_t>(last));
}

uint32_t VmaSet::uncovered(PageRange r) const {
  uint32_t covered = 0;
  for (const Vma& v : vmas) covered += v.range.intersect(r).pages();
  return r.pages() - covered;
}

PageRange VmaSet::covered_prefix(PageRange r) const {
  Vpn end = r.begin;
  while (end < r.end) {
    const Vma* v = at(end);
    if (v == nullptr) break;
    end = v->range.end;
  }
  if (r.end < end) end = r.end;
  return PageRange{r.begin, end};
}

}  // namespace mmsim
