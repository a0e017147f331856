// sim/format.cpp: text dumps of frames, processes and whole worlds. See format.h.
#include "sim/format.h"

#include <cstdio>

namespace mmsim {
namespace {

std::string flags_text(const Frame& f) {
  std::string s;
  auto add = [&](bool on, const char* name) {
    if (on) s += std::string(" ") + name;
  };
  add(f.has(FrameFlag::Anon), "anon");
  add(f.has(FrameFlag::AnonExclusive), "excl");
  add(f.mlocked(), "mlocked");
  add(!f.has(FrameFlag::DirectMap), "nodirectmap");
  add(f.has(FrameFlag::SecretMem), "secret");
  add(f.has(FrameFlag::PolicyMark), "mark");
  return s;
}

std::string hex(uint32_t x) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%X", static_cast<unsigned>(x));
  return buf;
}

}  // namespace

std::string format_value(Value v) {
  if (v < 10) return std::to_string(v);
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llX", static_cast<unsigned long long>(v));
  return buf;
}

std::string format_frames(const World& w) {
  std::string out;
  for (size_t i = 0; i < w.mem.frames.size(); ++i) {
    const Frame& f = w.mem.frames[i];
    if (f.state == Frame::State::Free) {
      if (f.value != 0) out += "f" + std::to_string(i) + " free val=" + format_value(f.value) + "\n";
      continue;
    }
    out += "f" + std::to_string(i) + " val=" + format_value(f.value) + " ref=" +
           std::to_string(f.refcount) + " map=" + std::to_string(f.mapcount) + flags_text(f) + "\n";
  }
  return out;
}

std::string format_process(const World& w, ProcId p) {
  const Process& pr = w.proc(p);
  std::string out;
  for (const Vma& v : pr.mm.vmas.vmas) {
    out += "  vma [" + std::to_string(v.range.begin.v) + "," + std::to_string(v.range.end.v) +
           ") prot=" + std::to_string(static_cast<int>(v.prot)) + " flags=" + hex(v.flags) + "\n";
  }
  for (const auto& [q, pte] : pr.mm.ptes) {
    out += "  pte " + std::to_string(q.v) +
           (pte.frame.valid() ? " -> f" + std::to_string(pte.frame.v)
            : pte.zero_page() ? std::string(" -> zero page") : " -> slot " + std::to_string(pte.slot.v)) +
           "\n";
  }
  return out;
}

std::string format_world(const World& w) {
  std::string out = "frames:\n" + format_frames(w);
  for (size_t i = 0; i < w.procs.size(); ++i) {
    out += "P" + std::to_string(i) + " state=" + std::to_string(static_cast<int>(w.procs[i].state)) + "\n";
    out += format_process(w, ProcId{static_cast<uint16_t>(i)});
  }
  for (size_t i = 0; i < w.swap.slots.size(); ++i) {
    const SwapSlot& s = w.swap.slots[i];
    if (s.state == SwapSlot::State::Used || s.value != 0) {
      out += "slot " + std::to_string(i) + (s.state == SwapSlot::State::Used ? " used" : " free") +
             " val=" + format_value(s.value) + " ref=" + std::to_string(s.refcount) + "\n";
    }
  }
  return out;
}

}  // namespace mmsim
