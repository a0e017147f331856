// props/promises.h: the promises the property tests check, each a named predicate, and the
// expected verdict of every policy on every promise (docs/properties.md is the same table).
//
// Owns: the Promise vocabulary, the policy x promise expectation table and the World
// predicates. Invariant: an expected break always names the hazard of
// docs/sources.md §3 (or the design choice of §2) that breaks it; the table
// is written from the sources, never from what the simulator prints.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>

#include "sim/world.h"

namespace mmsim::props {

enum class Promise : uint8_t {
  Invariants,       // sim/invariants.h check_all after every command
  OpResults,        // every op's result (ok, errno, SEGV) is one the reference model allows
  CowIsolation,     // a process reads its own private data: its writes, what it inherited
  WipeOnForkZero,   // a fork child reads zeros in wipeonfork ranges
  PinCoherence,     // a device reads what the pinning process (or the device) last stored
  PipeIntegrity,    // a pipe yields a value the splicing process's page held after the splice
  DirectMapSecret,  // the direct map never holds a value stored only in secret memory
  ReleaseGone,      // once a marked page's last reference is gone, its value is not in free RAM
  FreeClean,        // no free frame holds a non-zero value (init_on_free)
  SuspendZero,      // after suspend/resume, wipeonsuspend ranges read zero
};
inline constexpr int kPromiseCount = 10;

inline constexpr std::array<Promise, kPromiseCount> all_promises() {
  return {Promise::Invariants,      Promise::OpResults,    Promise::CowIsolation,
          Promise::WipeOnForkZero,  Promise::PinCoherence, Promise::PipeIntegrity,
          Promise::DirectMapSecret, Promise::ReleaseGone,  Promise::FreeClean,
          Promise::SuspendZero};
}

std::string_view promise_name(Promise p);     // "pin-coherence"
std::string_view promise_summary(Promise p);  // one sentence

enum class Verdict : uint8_t { NotApplicable, Holds, Breaks };

struct Expectation {
  Verdict verdict = Verdict::NotApplicable;
  std::string_view hazard;  // Breaks: "H7" or "§2.1"; empty otherwise
  std::string_view why;     // one line: the mechanism, or why the promise is not the policy's
  // Breaks: whether the hunt (props/hunt_prop.cpp) must find it within its budget. A break that
  // needs too rare a program is shown by a fixed scenario in props/hazards_test.cpp instead.
  bool hunted = true;
};

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
