// model/check/footprint.cpp: byte counts for the memory bound. See footprint.h.
#include "model/check/footprint.h"

namespace mmsim::model {
namespace {

uint64_t process_heap_bytes(const Process& p) {
  uint64_t b = vector_bytes(p.mm.vmas.vmas) + vector_bytes(p.names);
  b += p.mm.ptes.size() * (sizeof(std::pair<const Vpn, Pte>) + kTreeNodeOverhead);
  return b;
}

uint64_t world_heap_bytes(const World& w) {
  uint64_t b = vector_bytes(w.mem.frames) + vector_bytes(w.mem.free_list) + vector_bytes(w.swap.slots) +
               vector_bytes(w.procs) + vector_bytes(w.files) + vector_bytes(w.handles) +
               vector_bytes(w.image.values) + vector_bytes(w.payload);
  b += w.wipe_queue.size() * (sizeof(FrameId) + kTreeNodeOverhead);
  for (const Process& p : w.procs) b += process_heap_bytes(p);
  for (const FileObj& f : w.files) b += vector_bytes(f.cache);
  for (const Handle& h : w.handles) b += vector_bytes(h.frames);
  return b;
}

}  // namespace

uint64_t state_heap_bytes(const State& s) {
  uint64_t b = world_heap_bytes(s.world) + vector_bytes(s.threads) + vector_bytes(s.regs);
  for (const ThreadState& t : s.threads) b += vector_bytes(t.pending);
  return b;
}

uint64_t initial_regs_bytes(const Program& prog) {
  const litmus::Test& t = *prog.test;
  const uint64_t actors = t.procs.size() + t.devices.size() + 1;
  return actors * prog.reg_count * sizeof(Result) + kAllocOverhead;
}

}  // namespace mmsim::model
