// sim/tests/sim_test_util.h: a small driver for simulator tests: a World plus helpers to run
// ops as a process, device or the system, checking every invariant after each op.
#pragma once

#include <gtest/gtest.h>

#include "sim/apply.h"
#include "sim/format.h"
#include "sim/invariants.h"
#include "sim/policy.h"

namespace mmsim::testing {

// Mapping names and handles used by the tests.
inline constexpr NameId X{0}, Y{1}, Z{2};
inline constexpr HandleId H0{0}, H1{1};
inline constexpr ProcId P0{0}, P1{1}, P2{2};

inline AddrRef all(NameId n) {
  return AddrRef{n, AddrRef::Span::Whole, 0, 0};
}
inline AddrRef pg(NameId n, uint32_t i) {
  return AddrRef{n, AddrRef::Span::Slice, i, i + 1};
}
inline AddrRef pages(NameId n, uint32_t i, uint32_t j) {
  return AddrRef{n, AddrRef::Span::Slice, i, j};
}

struct Sim {
  World w;
  explicit Sim(PolicyId policy = PolicyId::Mainline, uint32_t frames = 8, uint32_t swap = 4);

  // Runs op as process p (at op granularity) and asserts that every invariant still holds.
  Result as(ProcId p, const Op& op);
  Result dev(const Op& op);  // as a device
  Result sys(const Op& op);  // as the system
  // Runs op at page granularity as actor a, then each continuation step in order with nothing
  // in between, checking the invariants after every step. Returns the op's combined result.
  Result paged(Actor a, const Op& op);
  Value read(ProcId p, AddrRef a);  // a read that must succeed
  [[nodiscard]] const Frame& frame_of(ProcId p, NameId n, uint32_t i) const;
  // The frame that page i of n maps in p, or none (no PTE, or a swap entry).
  [[nodiscard]] FrameId frame_id(ProcId p, NameId n, uint32_t i) const;
  // The PTE of page i of n in p, or nullptr when there is none.
  [[nodiscard]] const Pte* pte(ProcId p, NameId n, uint32_t i) const;
  // The VMA that covers page i of n in p, or nullptr.
  [[nodiscard]] const Vma* vma(ProcId p, NameId n, uint32_t i) const;
  [[nodiscard]] Vpn vpn(ProcId p, NameId n, uint32_t i) const;
  [[nodiscard]] bool ram_has(Value v) const;
  [[nodiscard]] bool free_has(Value v) const;
  [[nodiscard]] bool swap_has(Value v) const;
  [[nodiscard]] bool image_has(Value v) const;
  [[nodiscard]] uint32_t used_frames() const;
  [[nodiscard]] uint32_t used_slots() const;
  [[nodiscard]] uint32_t vma_count(ProcId p) const {
    return static_cast<uint32_t>(w.proc(p).mm.vmas.vmas.size());
  }

 private:
  Result run(Actor a, const Op& op);
};

}  // namespace mmsim::testing
