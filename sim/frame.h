// sim/frame.h: a physical page frame and the table of all frames with its free pool.
//
// Owns: every Frame and the free list. Invariant (checked by check_free_pool in
// sim/invariants.h): a frame is Free exactly when its refcount is 0, and then it is on the
// free list exactly once and has no mappings, flags or owners. A free frame keeps its value:
// memory is not scrubbed when it is freed unless a policy does it.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/types.h"

namespace mmsim {

// GUP_PIN_COUNTING_BIAS: a FOLL_PIN adds this to a small folio's refcount (include/linux/mm.h).
inline constexpr uint32_t kPinBias = 1024;

// The shared zero page (mm/memory.c do_anonymous_page, ZERO_PAGE(0)). It is not one of the
// model's frames: it is never allocated, freed, counted or written. A PTE that names neither a
// frame nor a slot maps it (sim/process.h), and a pin or pipe entry names it as kZeroPage.
inline constexpr FrameId kZeroPage = FrameId::none();

enum class FrameFlag : uint16_t {
  Anon = 1u << 0,           // PageAnon: private anonymous memory (else page cache)
  AnonExclusive = 1u << 1,  // PageAnonExclusive: only this mm maps it; writes may go in place
  DirectMap = 1u << 2,      // the kernel's direct map covers it (secret pages are removed)
  SecretMem = 1u << 3,      // a memfd_secret page: zeroed when freed (secretmem_free_folio)
  PolicyMark = 1u << 4,     // the one page flag a policy may own (PG_wipeonrelease, PG_ofinit, ...)
};

struct Frame {
  enum class State : uint8_t { Free, Used };
  State state = State::Free;
  uint16_t flags = static_cast<uint16_t>(FrameFlag::DirectMap);
  Value value = 0;
  uint32_t refcount = 0;     // mappings + kPinBias*pins + pipe refs + page-cache + swap-cache
  uint16_t mapcount = 0;     // PTEs that map it
  uint16_t mlock_count = 0;  // PTEs in VM_LOCKED VMAs that map it; PG_mlocked == (count > 0)
  FileId file;               // page-cache owner, or none
  uint32_t file_page = 0;    // index in the owner's page cache
  SlotId swap_slot;          // the swap-cache slot holding it, or none

  [[nodiscard]] bool has(FrameFlag f) const { return (flags & static_cast<uint16_t>(f)) != 0; }
  void set(FrameFlag f) { flags = static_cast<uint16_t>(flags | static_cast<uint16_t>(f)); }
  void clear(FrameFlag f) { flags = static_cast<uint16_t>(flags & ~static_cast<uint16_t>(f)); }
  [[nodiscard]] bool mlocked() const { return mlock_count > 0; }
  // folio_maybe_dma_pinned() for a small folio: "probably pinned" once refcount >= the bias.
  [[nodiscard]] bool maybe_pinned() const { return refcount >= kPinBias; }
  bool operator==(const Frame&) const = default;
};

// All frames, and the free pool as a LIFO stack: the most recently freed frame is reused
// first, as the per-CPU page lists do. Frame 0 is handed out first on a fresh machine.
struct PhysMem {
  std::vector<Frame> frames;
  std::vector<FrameId> free_list;  // top of stack = back()

  explicit PhysMem(uint32_t count = 0);
  [[nodiscard]] Frame& at(FrameId f) { return frames[f.index()]; }
  [[nodiscard]] const Frame& at(FrameId f) const { return frames[f.index()]; }
  [[nodiscard]] uint32_t count() const { return static_cast<uint32_t>(frames.size()); }
  // Takes the top free frame (refcount 0, state Used) or returns none when memory is full.
  FrameId take();
  // Returns a frame whose refcount reached 0 to the pool. Its value is kept.
  void give_back(FrameId f);
  bool operator==(const PhysMem&) const = default;
};

}  // namespace mmsim
