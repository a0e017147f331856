// sim/promise.h: the vocabulary of the promise table: the promises the property tests check
// and the verdict a policy expects on each. Each policy declares its row in its descriptor
// (sim/policy.h, PolicyDescriptor::promises); props/promises.h checks them.
//
// Owns: Promise, Verdict, Expectation and PromiseRow. Invariant: a row states every promise
// (no field left Unstated; sim/tests/policy_registry_test.cpp), and an expected break names
// the hazard of docs/sources.md §3 (or the design choice of §2) that breaks it.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace mmsim {

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

// Unstated is what a row field holds when the policy's descriptor left it out: a test fails.
enum class Verdict : uint8_t { NotApplicable, Holds, Breaks, Unstated };

struct Expectation {
  Verdict verdict = Verdict::Unstated;
  std::string_view hazard;  // Breaks: "H7" or "§2.1"; empty otherwise
  std::string_view why;     // one line: the mechanism, or why the promise is not the policy's
  // Breaks: whether the hunt (props/hunt_prop.cpp) must find it within its budget. A break that
  // needs too rare a program is shown by a fixed scenario in props/hazards_test.cpp instead.
  bool hunted = true;
};

constexpr Expectation holds(std::string_view why = {}) {
  return {Verdict::Holds, {}, why};
}
constexpr Expectation breaks(std::string_view hazard, std::string_view why) {
  return {Verdict::Breaks, hazard, why};
}
// A break the hunt need not find: a fixed scenario in props/hazards_test.cpp shows it.
constexpr Expectation breaks_by_scenario(std::string_view hazard, std::string_view why) {
  return {Verdict::Breaks, hazard, why, false};
}
constexpr Expectation not_promised(std::string_view why) {
  return {Verdict::NotApplicable, {}, why};
}

// One policy's row of the promise table, one field per Promise, written with designated
// initializers in the policy's source file so that the row reads as the table does.
struct PromiseRow {
  Expectation invariants;
  Expectation op_results;
  Expectation cow_isolation;
  Expectation wipeonfork_zero;
  Expectation pin_coherence;
  Expectation pipe_integrity;
  Expectation direct_map_secret;
  Expectation release_gone;
  Expectation free_clean;
  Expectation suspend_zero;

  [[nodiscard]] constexpr const Expectation& at(Promise p) const {
    switch (p) {
      case Promise::Invariants:
        return invariants;
      case Promise::OpResults:
        return op_results;
      case Promise::CowIsolation:
        return cow_isolation;
      case Promise::WipeOnForkZero:
        return wipeonfork_zero;
      case Promise::PinCoherence:
        return pin_coherence;
      case Promise::PipeIntegrity:
        return pipe_integrity;
      case Promise::DirectMapSecret:
        return direct_map_secret;
      case Promise::ReleaseGone:
        return release_gone;
      case Promise::FreeClean:
        return free_clean;
      case Promise::SuspendZero:
        return suspend_zero;
    }
    return invariants;
  }
};

}  // namespace mmsim
