// sim/hook_context.h: what a policy hook may do to the World, and nothing more. The core
// builds one HookContext at each hook call site (docs/design.md lists them) and passes it to
// the hook; the hook never sees a mutable World.
//
// Owns: the narrow interface between a policy and the core (in the manner of SerenityOS's
// badges or Zircon's narrow handles). Invariant: through a context a hook changes only a
// frame's value (zeroing), its own marks (the VMA mark and page flag its descriptor declares,
// and the direct-map bit for a policy that owns a page flag), its wipe queue, and whatever the
// three kernel primitives at the end do; each primitive is the kernel function it names and
// keeps sim/kernel.h's invariants. Every mutation goes through a member here, so that an
// event sink can later be attached to the context (one place to record "a hook zeroed f").
#pragma once

#include "sim/kernel.h"

namespace mmsim {

// The call sites the core builds a context at (for the hook table and, later, events).
enum class Hook : uint8_t {
  Advice,
  Mlock,
  Munlock,
  FaultIn,
  ForkPte,
  ZapPte,
  LastUnmap,
  Free,
  Migrate,
  PowerPage,
};

enum class Mark : uint8_t { Set, Clear };
// mark_range: whether to skip VMAs without VM_LOCKED (mlock_fixup skips VM_DROPPABLE ones).
enum class OnlyLocked : uint8_t { No, Yes };

class HookContext {
 public:
  HookContext(World& w, Hook hook) : w_(w), policy_(descriptor_of(w)), hook_(hook) {}
  HookContext(const HookContext&) = delete;
  HookContext& operator=(const HookContext&) = delete;

  [[nodiscard]] const World& world() const { return w_; }
  [[nodiscard]] const Frame& frame(FrameId f) const { return w_.frame(f); }
  [[nodiscard]] Hook hook() const { return hook_; }

  // clear_highpage / kernel_init_pages: the frame now holds 0.
  void zero(FrameId f);

  // The policy's page flag (FrameFlag::PolicyMark, PolicyMarks::page_kernel).
  void set_page_mark(FrameId f);
  void clear_page_mark(FrameId f);
  // set_direct_map_invalid_noflush / set_direct_map_default_noflush: a policy that owns a page
  // flag may take its pages out of the kernel's direct map and put them back (exclusive).
  void remove_from_direct_map(FrameId f);
  void restore_direct_map(FrameId f);

  // The policy's VMA mark (PolicyMarks::vma). set_vma_mark changes the one VMA containing
  // `at` (madvise, whose range the core already isolated); mark_range splits the VMAs at r's
  // ends, changes those inside (with OnlyLocked::Yes only VM_LOCKED ones) and merges again.
  void set_vma_mark(ProcId p, Vpn at, Mark m);
  void mark_range(ProcId p, PageRange r, Mark m, OnlyLocked only = OnlyLocked::No);

  // The wipe queue (PolicyState::WipeQueue): frames to zero when they are freed.
  void queue(FrameId f);
  bool dequeue(FrameId f);  // true when f was queued
  [[nodiscard]] bool queue_empty() const { return w_.wipe_queue.empty(); }

  // --- kernel primitives a proposal's own code calls ---
  // get_user_pages / handle_mm_fault of one page (mm/gup.c, mm/memory.c): zero fill, swap-in,
  // COW break; what sim/kernel.h fault() does. Used at madvise (wipeonrelease v1, v4), fork
  // (v4's trigger_cow) and suspend (wipeonsuspend-gup).
  Fault fault_in(ProcId p, Vpn page, Access access);
  // zap_page_range of one page (mm/memory.c): the PTE goes, present or swap, with
  // ZapCause::PolicyZap (wipeonsuspend-zap, -restore).
  void zap(ProcId p, Vpn page);
  // MAP_LOCKED|MAP_POPULATE (mm/mlock.c mlock_fixup, mm/gup.c __mm_populate): VM_LOCKED on the
  // range, its present pages mlocked, the rest populated; the mlock hook does not run again
  // (the exclusive RFC's populate). Its errors are ignored, as mm_populate's are.
  void mlock_populate(ProcId p, PageRange r);

 private:
  World& w_;
  const PolicyDescriptor& policy_;
  Hook hook_;
};

}  // namespace mmsim
