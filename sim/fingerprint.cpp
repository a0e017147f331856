// sim/fingerprint.cpp: feeds every field of a World, in declaration order, into a
// multiply-rotate hasher (the xxHash64 round) with a splitmix64 finish.
#include "sim/fingerprint.h"

#include "sim/op_table.h"
#include "sim/overloaded.h"

namespace mmsim {
namespace {

constexpr uint64_t kPrime1 = 0x9E3779B185EBCA87ull;
constexpr uint64_t kPrime2 = 0xC2B2AE3D27D4EB4Full;

constexpr uint64_t rotl(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

void hash_vma(Hasher& h, const Vma& v) {
  h.add(v.range.begin.v);
  h.add(v.range.end.v);
  h.add(static_cast<uint64_t>(v.prot));
  h.add(v.flags);
  h.add(v.file.v);
  h.add(v.file_page);
}

void hash_process(Hasher& h, const Process& p) {
  h.add(static_cast<uint64_t>(p.state));
  h.add(p.mm.next_free.v);
  h.add(p.mm.has_pinned);
  h.add(p.mm.vmas.vmas.size());
  for (const Vma& v : p.mm.vmas.vmas) hash_vma(h, v);
  h.add(p.mm.ptes.size());
  for (const auto& [q, pte] : p.mm.ptes) {
    h.add(q.v);
    h.add((uint64_t{pte.frame.v} << 16) | pte.slot.v);
  }
  h.add(p.names.size());
  for (const Binding& b : p.names) h.add((uint64_t{b.bound} << 63) | (uint64_t{b.base.v} << 32) | b.pages);
}

void hash_addr(Hasher& h, const AddrRef& a) {
  h.add((uint64_t{a.name.v} << 40) | (uint64_t{static_cast<uint8_t>(a.span)} << 32));
  h.add((uint64_t{a.first} << 32) | a.last);
}

}  // namespace

void hash_op(Hasher& h, const Op& op) {
  h.add(op_info(op).tag);
  auto addr = [&h](const AddrRef& a) { hash_addr(h, a); };
  auto add = [&h](uint64_t x) { h.add(x); };
  auto none = [](const auto&) {};  // named for each op below: nothing of it differs in flight
  visit_op(Overloaded{
               [&](const Mmap& o) { none(o); },
               [&](const Munmap& o) { addr(o.addr); },
               [&](const Madvise& o) {
                 addr(o.addr);
                 add(static_cast<uint64_t>(o.advice));
               },
               [&](const Mlock& o) { addr(o.addr); },
               [&](const Munlock& o) { addr(o.addr); },
               [&](const Mprotect& o) {
                 addr(o.addr);
                 add(static_cast<uint64_t>(o.prot));
               },
               [&](const Write& o) {
                 addr(o.addr);
                 add(o.value);
               },
               [&](const Read& o) { addr(o.addr); },
               [&](const Zero& o) { addr(o.addr); },
               [&](const Fork& o) { add(o.child.v); },
               [&](const Exec& o) { none(o); },
               [&](const Exit& o) { none(o); },
               [&](const Pin& o) { addr(o.addr); },
               [&](const Vmsplice& o) { addr(o.addr); },
               [&](const DmaRead& o) { none(o); },
               [&](const DmaWrite& o) { add(o.value); },
               [&](const Unpin& o) { none(o); },
               [&](const PipeRead& o) { none(o); },
               [&](const PipeClose& o) { none(o); },
               [&](const Reclaim& o) {
                 addr(o.addr);
                 add(o.proc.v);
               },
               [&](const Migrate& o) {
                 addr(o.addr);
                 add(o.proc.v);
               },
               [&](const Kill& o) { add(o.proc.v); },
               [&](const Suspend& o) { none(o); },
               [&](const Hibernate& o) { none(o); },
               [&](const Resume& o) { none(o); },
               [&](const Snapshot& o) { none(o); },
               [&](const ReclaimPage& o) {
                 add(o.proc.v);
                 add(o.page.v);
               },
               [&](const ForkPage& o) {
                 add(o.page.v);
                 add(o.parent.v);
                 add(o.child.v);
               },
               [&](const ZapPage& o) {
                 add(o.proc.v);
                 add(o.page.v);
               },
               [&](const Finish& o) {
                 add(o.proc.v);
                 add(static_cast<uint64_t>(o.what));
               },
               [&](const PowerPage& o) {
                 add(o.proc.v);
                 add(o.page.v);
                 add(static_cast<uint64_t>(o.event));
               },
               [&](const PowerDone& o) { add(static_cast<uint64_t>(o.event)); },
           },
           op);
}

void Hasher::add(uint64_t x) {
  h_ = rotl(h_ ^ (x * kPrime2), 31) * kPrime1;
  ++n_;
}

uint64_t Hasher::digest() const {
  uint64_t z = h_ ^ n_;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

void hash_world(Hasher& h, const World& w) {
  h.add(static_cast<uint64_t>(w.policy));
  h.add(w.mem.frames.size());
  for (const Frame& f : w.mem.frames) {
    h.add((uint64_t{static_cast<uint8_t>(f.state)} << 48) | (uint64_t{f.flags} << 32) | f.refcount);
    h.add(f.value);
    h.add((uint64_t{f.mapcount} << 48) | (uint64_t{f.mlock_count} << 32) | (uint64_t{f.file.v} << 16) |
          f.swap_slot.v);
    h.add(f.file_page);
  }
  h.add(w.mem.free_list.size());
  for (FrameId f : w.mem.free_list) h.add(f.v);
  h.add(w.swap.slots.size());
  for (const SwapSlot& s : w.swap.slots) {
    h.add((uint64_t{static_cast<uint8_t>(s.state)} << 32) | s.refcount);
    h.add(s.value);
  }
  h.add(w.procs.size());
  for (const Process& p : w.procs) hash_process(h, p);
  h.add(w.files.size());
  for (const FileObj& f : w.files) {
    h.add((uint64_t{static_cast<uint8_t>(f.kind)} << 8) | f.alive);
    h.add(f.cache.size());
    for (FrameId c : f.cache) h.add(c.v);
    for (size_t k = 0; k < f.swapped.size(); ++k) {  // only swapped pages: old values stay
      if (f.swapped[k].valid()) h.add((uint64_t{k} << 16) | f.swapped[k].v);
    }
  }
  h.add(w.handles.size());
  for (const Handle& hd : w.handles) {
    // owner.v is 16 bits wide (none = 0xFFFF): the other fields sit above it.
    h.add((uint64_t{static_cast<uint8_t>(hd.kind)} << 24) | (uint64_t{static_cast<uint8_t>(hd.pin_kind)} << 20) |
          (uint64_t{static_cast<uint8_t>(hd.pin_dir)} << 28) | (uint64_t{hd.active} << 16) | hd.owner.v);
    h.add(hd.frames.size());
    for (FrameId f : hd.frames) h.add(f.v);
  }
  h.add(static_cast<uint64_t>(w.power));
  h.add(static_cast<uint64_t>(w.image.kind));
  h.add(w.image.values.size());
  for (Value v : w.image.values) h.add(v);
  h.add(w.wipe_queue.size());
  for (FrameId f : w.wipe_queue) h.add(f.v);
}

uint64_t fingerprint(const World& w) {
  Hasher h;
  hash_world(h, w);
  return h.digest();
}

}  // namespace mmsim
