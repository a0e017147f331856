// sim/tests/random_ops.h: the pseudo-random op generator of the random-life tests
// (random_life_test.cpp, policy_random_test.cpp): xorshift with a fixed seed, so that a failing
// life replays from its seed and step number.
//
// Owns: nothing but the generator's own state (Rng). Keeps: every op is drawn for an actor that
// exists in the World (it may not be runnable: the caller skips those), mostly on names the
// acting process has bound, so that lives stay long and busy.
#pragma once

#include <cstdint>

#include "sim/op.h"
#include "sim/world.h"

namespace mmsim::testing {

struct Rng {
  uint64_t x;
  uint32_t next(uint32_t n) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return static_cast<uint32_t>(x % n);
  }
};

// Which advices madvise draws: every advice evenly (the kernel's and the policies'), or, for
// lives under a wipe policy, the marks and their undos more often.
enum class AdviceMix : uint8_t { Even, PolicyMarks };

// A random op for a random actor: every op kind of sim/op.h but the continuation steps.
Op random_op(const World& w, Rng& r, AdviceMix mix, Actor* actor);

}  // namespace mmsim::testing
