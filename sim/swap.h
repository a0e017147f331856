// sim/swap.h: swap slots. A slot holds one page value written by reclaim.
//
// Owns: every SwapSlot. Invariant (check_swap_slots): a slot is Used exactly when some swap
// PTE or shmem swap entry needs it, and its refcount equals the swap PTEs and shmem swap
// entries that name it (the swap count; the swap cache's reference is the frame's, not the
// slot's: the model frees the cache entry when the count reaches 0). A
// freed slot keeps its bytes (freeing a slot does not erase it), so `swap has V` sees them.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/types.h"

namespace mmsim {

struct SwapSlot {
  enum class State : uint8_t { Free, Used };
  State state = State::Free;
  Value value = 0;
  uint16_t refcount = 0;  // swap PTEs and shmem entries naming this slot (swap_map count)
  bool operator==(const SwapSlot&) const = default;
};

struct SwapSpace {
  std::vector<SwapSlot> slots;

  explicit SwapSpace(uint32_t count = 0) : slots(count) {}
  [[nodiscard]] SwapSlot& at(SlotId s) { return slots[s.index()]; }
  [[nodiscard]] const SwapSlot& at(SlotId s) const { return slots[s.index()]; }
  // The lowest free slot, marked Used with refcount 0, or none when swap is full.
  SlotId take();
  bool operator==(const SwapSpace&) const = default;
};

}  // namespace mmsim
