// sim/fingerprint.h: a stable 64-bit fingerprint of a World, and the hasher the checker uses
// for its own state on top of it.
//
// Owns: the hash function. Invariant: the fingerprint depends only on the World's value, is the
// same on every build, platform and run (fixed constants, no std::hash, fields fed in a fixed
// order), and equal Worlds have equal fingerprints. An op hashes its kOpTable tag, never its
// variant index, so reordering the Op variants keeps every fingerprint.
#pragma once

#include <cstdint>

#include "sim/world.h"

namespace mmsim {

class Hasher {
 public:
  void add(uint64_t x);
  [[nodiscard]] uint64_t digest() const;

 private:
  uint64_t h_ = 0x6D6D73696D2D7631ull;  // "mmsim-v1"
  uint64_t n_ = 0;
};

void hash_world(Hasher& h, const World& w);
// An op in flight (the checker's pending page steps): its tag (kOpTable) and the fields two
// pending ops of one thread can differ in; the rest is fixed by the step that made them.
void hash_op(Hasher& h, const Op& op);
uint64_t fingerprint(const World& w);

}  // namespace mmsim
