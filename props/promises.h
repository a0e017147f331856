// props/promises.h: the promises the property tests check, each a named predicate, and the
// expected verdict of every policy on every promise (docs/properties.md is the same table).
//
// Owns: promise names and summaries and the World predicates; the table itself is the rows
// the policy descriptors declare (sim/policy.h). Invariant: an expected break always names the
// hazard of docs/sources.md §3 (or the design choice of §2) that breaks it; the rows are
// written from the sources, never from what the simulator prints.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>

#include "sim/policy.h"
#include "sim/promise.h"
#include "sim/world.h"

namespace mmsim::props {

// The vocabulary lives in sim/promise.h, beside the descriptors that hold each policy's row.
using mmsim::all_promises;
using mmsim::Expectation;
using mmsim::kPromiseCount;
using mmsim::Promise;
using mmsim::Verdict;

std::string_view promise_name(Promise p);     // "pin-coherence"
std::string_view promise_summary(Promise p);  // one sentence

// The policy's row of the table, from its descriptor (PolicyDescriptor::promises).
Expectation expected(PolicyId policy, Promise promise);

// A set of promises as a bit mask.
class PromiseSet {
 public:
  PromiseSet() = default;
  static PromiseSet of(Promise p) { return PromiseSet().with(p); }
  // Every promise the policy is expected to keep.
  static PromiseSet holding(PolicyId policy);
  [[nodiscard]] PromiseSet with(Promise p) const {
    PromiseSet s = *this;
    s.bits_ |= bit(p);
    return s;
  }
  [[nodiscard]] bool has(Promise p) const { return (bits_ & bit(p)) != 0; }
  [[nodiscard]] bool empty() const { return bits_ == 0; }

 private:
  static uint32_t bit(Promise p) { return 1u << static_cast<uint32_t>(p); }
  uint32_t bits_ = 0;
};

// World predicates: the first offending value, or nothing.
std::optional<Value> free_nonzero(const World& w);
std::optional<Value> free_holds(const World& w, const std::function<bool(Value)>& pick);
std::optional<Value> direct_map_holds(const World& w, const std::function<bool(Value)>& pick);

}  // namespace mmsim::props
