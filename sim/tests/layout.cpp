// sim/tests/layout.cpp: drawn layouts for VMA tests. See layout.h.
#include "sim/tests/layout.h"

#include <array>
#include <optional>
#include <utility>

namespace mmsim::testing {
namespace {

char letter(size_t i) {
  return i < 26 ? static_cast<char>('A' + i) : '?';
}

char pte_char(const Mm& mm, Vpn v) {
  auto it = mm.ptes.find(v);
  if (it == mm.ptes.end()) return '.';
  if (it->second.frame.valid()) return 'p';
  return it->second.slot.valid() ? 's' : 'z';
}

std::string attributes(const Vma& v) {
  static constexpr std::array<std::pair<VmaFlag, const char*>, 6> kCore{{
      {VmaFlag::Locked, "locked"},
      {VmaFlag::DontCopy, "dontfork"},
      {VmaFlag::WipeOnFork, "wipeonfork"},
      {VmaFlag::DontDump, "dontdump"},
      {VmaFlag::Droppable, "droppable"},
      {VmaFlag::Secret, "secret"},
  }};
  std::string out = v.prot == Prot::None ? "none" : v.prot == Prot::Read ? "r" : "rw";
  out += v.has(VmaFlag::File) ? " file" : " anon";
  out += v.has(VmaFlag::Shared) ? " shared" : " private";
  uint32_t known = static_cast<uint32_t>(VmaFlag::File) | static_cast<uint32_t>(VmaFlag::Shared);
  for (const auto& [flag, name] : kCore) {
    known |= static_cast<uint32_t>(flag);
    if (v.has(flag)) out += std::string(" ") + name;
  }
  if (const uint32_t marks = v.flags & ~known; marks != 0) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string hex;
    for (uint32_t m = marks; m != 0; m >>= 4) hex.insert(hex.begin(), kHex[m & 0xF]);
    out += " marks=0x" + hex;
  }
  return out;
}

}  // namespace

std::string draw_vmas(const VmaSet& s, PageRange window) {
  std::string out;
  size_t next = 0;
  std::optional<size_t> last;  // index in s.vmas of the VMA drawn at the previous page
  char current = '?';
  for (uint32_t v = window.begin.v; v < window.end.v; ++v) {
    const std::optional<size_t> i = s.find(Vpn{v});
    if (!i) {
      out += '.';
    } else {
      if (i != last) current = letter(next++);
      out += current;
    }
    last = i;
  }
  return out;
}

std::string draw(const Sim& s, ProcId p, NameId n) {
  const Process& proc = s.w.proc(p);
  const Binding& b = proc.names.at(n.v);
  const PageRange window{b.base, Vpn{b.base.v + b.pages}};
  std::string out = draw_vmas(proc.mm.vmas, window) + "\n";
  for (uint32_t v = window.begin.v; v < window.end.v; ++v) out += pte_char(proc.mm, Vpn{v});
  out += "\n";
  size_t next = 0;
  for (const Vma& vma : proc.mm.vmas.vmas) {
    if (vma.range.end.v <= window.begin.v || vma.range.begin.v >= window.end.v) continue;
    out += std::string(1, letter(next++)) + ": " + attributes(vma) + "\n";
  }
  return out;
}

std::string lines(std::initializer_list<std::string_view> rows) {
  std::string out;
  for (std::string_view row : rows) (out += row) += '\n';
  return out;
}

}  // namespace mmsim::testing
