// model/check/footprint.h: the bytes a search really holds, for the hard memory bound (--max-memory).
//
// Owns: the byte counts of States and of the search's containers. Invariant: every count is
// an upper estimate of what the allocator hands out for the object (capacities, not sizes,
// plus a per-allocation overhead), so a search that stays under its bound in these counts
// stays under it in resident memory, up to the program's fixed baseline (docs/checker.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "model/check/state.h"

namespace mmsim::model {

inline constexpr uint64_t kAllocOverhead = 16;  // glibc malloc: header and rounding per block
inline constexpr uint64_t kTreeNodeOverhead = 32 + kAllocOverhead;  // std::map/set node links

template <class T>
uint64_t vector_bytes(const std::vector<T>& v) {
  return v.capacity() == 0 ? 0 : v.capacity() * sizeof(T) + kAllocOverhead;
}

// Heap bytes a State owns beyond sizeof(State).
uint64_t state_heap_bytes(const State& s);

// The whole footprint of one State held in a container (the State itself plus its heap).
inline uint64_t state_bytes(const State& s) { return sizeof(State) + state_heap_bytes(s); }

// The regs vector a Program's initial state allocates, before it is allocated.
uint64_t initial_regs_bytes(const Program& prog);

}  // namespace mmsim::model
