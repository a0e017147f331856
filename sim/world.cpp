// sim/world.cpp: construction of the initial machine, the frame pool and the swap pool.
#include "sim/world.h"

namespace mmsim {

PhysMem::PhysMem(uint32_t count) : frames(count) {
  // Stack order: frame 0 on top, so a fresh machine hands out frames 0, 1, 2, ...
  for (uint32_t i = count; i > 0; --i) free_list.push_back(FrameId{static_cast<uint16_t>(i - 1)});
}

FrameId PhysMem::take() {
  if (free_list.empty()) return FrameId::none();
  FrameId f = free_list.back();
  free_list.pop_back();
  at(f).state = Frame::State::Used;
  return f;
}

void PhysMem::give_back(FrameId f) {
  Frame& fr = at(f);
  fr.state = Frame::State::Free;
  fr.flags = static_cast<uint16_t>(FrameFlag::DirectMap);
  fr.mapcount = 0;
  fr.mlock_count = 0;
  fr.file = FileId::none();
  fr.file_page = 0;
  fr.swap_slot = SlotId::none();
  free_list.push_back(f);
}

SlotId SwapSpace::take() {
  for (size_t i = 0; i < slots.size(); ++i) {
    if (slots[i].state == SwapSlot::State::Free) {
      slots[i].state = SwapSlot::State::Used;
      slots[i].refcount = 0;
      return SlotId{static_cast<uint16_t>(i)};
    }
  }
  return SlotId::none();
}

World::World(const WorldConfig& cfg)
    : policy(cfg.policy), mem(cfg.frames), swap(cfg.swap_slots), procs(cfg.procs),
      handles(cfg.handles) {
  if (cfg.payload == PagePayload::Real4K) payload.assign(size_t{cfg.frames} * kPageBytes, 0);
  for (uint32_t i = 0; i < cfg.procs; ++i) {
    procs[i].names.resize(cfg.names);
    if (i < cfg.initial) procs[i].state = ProcState::Running;
  }
}

}  // namespace mmsim
