// sim/world.h: the whole simulated machine as one value: frames, swap, processes, files,
// pin/pipe handles, power state, the last image and the active policy.
//
// Owns: everything a run can change. Invariants: all of sim/invariants.h (check_all). A World
// is copyable and comparable (operator== compares every field), holds IDs instead of pointers,
// and has a stable fingerprint (sim/fingerprint.h), so the checker can store and compare it.
#pragma once

#include <cstdint>
#include <set>
#include <vector>

#include "sim/frame.h"
#include "sim/op.h"
#include "sim/policies/list.h"
#include "sim/process.h"
#include "sim/swap.h"

namespace mmsim {

// One enumerator per line of sim/policies/list.h, in its order (the values are stable).
#define MMSIM_POLICY_ENUMERATOR(name) name,
enum class PolicyId : uint8_t { MMSIM_POLICIES(MMSIM_POLICY_ENUMERATOR) };
#undef MMSIM_POLICY_ENUMERATOR
#define MMSIM_POLICY_ONE(name) +1
inline constexpr int kPolicyCount = 0 MMSIM_POLICIES(MMSIM_POLICY_ONE);
#undef MMSIM_POLICY_ONE

enum class FileKind : uint8_t { Regular, Shmem, Secret };

// A file object: a regular file, the shmem object behind MAP_SHARED|MAP_ANONYMOUS, or a
// memfd_secret file. It lives while some VMA maps it (docs/model.md).
struct FileObj {
  FileKind kind = FileKind::Regular;
  bool alive = false;
  std::vector<FrameId> cache;  // page cache: one frame (or none) per file page; +1 refcount each
  // shmem only: the swap entry that replaced a page reclaim wrote out (shmem_writeout), or
  // none; +1 swap count each. A page is never both cached and swapped. Empty until a page of
  // the file is swapped.
  std::vector<SlotId> swapped;
  [[nodiscard]] SlotId swapped_at(uint32_t i) const { return i < swapped.size() ? swapped[i] : SlotId::none(); }  bool operator==(const FileObj&) const = default;
};

// A pin or pipe handle of the litmus test.
struct Handle {
  enum class Kind : uint8_t { Unused, Pin, Pipe };
  Kind kind = Kind::Unused;
  PinKind pin_kind = PinKind::Dio;
  PinDir pin_dir = PinDir::Write;  // a Read pin refuses dma-write (EFAULT)
  bool active = false;          // a pin not yet unpinned; a pipe not yet closed
  ProcId owner;                 // the process that pinned or spliced
  std::vector<FrameId> frames;  // pin: pinned frames (+kPinBias each); pipe: FIFO (+1 each)
  bool operator==(const Handle&) const = default;
};

enum class Power : uint8_t { Running, Suspended, Hibernated, Transition };

struct Image {
  enum class Kind : uint8_t { None, Hibernation, Snapshot };
  Kind kind = Kind::None;
  std::vector<Value> values;  // the pages the image holds, in frame then slot order
  bool operator==(const Image&) const = default;
};

// Benchmarks give every frame real 4 KiB contents, so that a wipe costs a real clear.
enum class PagePayload : uint8_t { None, Real4K };
inline constexpr size_t kPageBytes = 4096;

struct WorldConfig {
  uint32_t frames = 8;
  uint32_t swap_slots = 4;
  uint32_t procs = 1;     // process slots (initial and forked)
  uint32_t initial = 1;   // processes that exist at the start
  uint32_t names = 0;     // mapping names
  uint32_t handles = 0;   // pin/pipe handles
  PolicyId policy = PolicyId::Mainline;
  PagePayload payload = PagePayload::None;
};

struct World {
  PolicyId policy = PolicyId::Mainline;
  PhysMem mem;
  SwapSpace swap;
  std::vector<Process> procs;
  std::vector<FileObj> files;
  std::vector<Handle> handles;
  Power power = Power::Running;
  Image image;
  // The running policy's side state, never a page flag: frames queued for a wipe at free. Only
  // a policy whose descriptor declares PolicyState::WipeQueue uses it (mlockedonfree-vma),
  // through HookContext (sim/hook_context.h); its descriptor's check_state says what holds.
  // Ordered, so that it iterates (and fingerprints) the same every run.
  std::set<FrameId> wipe_queue;
  // kPageBytes per frame with PagePayload::Real4K, else empty. Only the benchmarks use it; the
  // checker never does (Value is the model's content). Kept in step by sim/kernel.h.
  std::vector<uint8_t> payload;

  World() = default;
  explicit World(const WorldConfig& cfg);
  [[nodiscard]] Process& proc(ProcId p) { return procs[p.index()]; }
  [[nodiscard]] const Process& proc(ProcId p) const { return procs[p.index()]; }
  [[nodiscard]] Frame& frame(FrameId f) { return mem.at(f); }
  [[nodiscard]] const Frame& frame(FrameId f) const { return mem.at(f); }
  [[nodiscard]] FileObj& file(FileId f) { return files[f.index()]; }
  [[nodiscard]] const FileObj& file(FileId f) const { return files[f.index()]; }
  [[nodiscard]] Handle& handle(HandleId h) { return handles[h.index()]; }
  [[nodiscard]] const Handle& handle(HandleId h) const { return handles[h.index()]; }
  [[nodiscard]] bool frozen() const { return power != Power::Running; }
  bool operator==(const World&) const = default;
};

}  // namespace mmsim
