// props/rc_gtest.h: a small rapidcheck <-> GoogleTest adapter with explicit, fixed test
// parameters.
//
// Debian's librapidcheck-dev ships rapidcheck/gtest.h, but its RC_GTEST_PROP takes every
// parameter from the global RC_PARAMS configuration (so a test's seed depends on the
// environment), returns nothing a test could assert on (runs needed, shrunk size) and prints
// the reproduce string only through the global at-exit listener. This adapter runs a property
// with the parameters the test states, returns what happened, and on failure prints the seed,
// the number of runs and a reproduce command line.
//
// Owns: the translation between rc::detail results and PropOutcome. Invariant: with no
// RC_PARAMS and no MMSIM_SEED in the environment, a property's result depends only on its
// PropConfig; RC_PARAMS="reproduce=..." replays exactly the failing case it names.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace mmsim::props {

struct PropConfig {
  uint64_t seed = 0;
  int max_success = 100;  // runs before the property is declared to hold
  int max_size = 30;      // the largest size: programs of up to max_size + 1 commands
  bool shrink = true;
};

struct PropOutcome {
  bool failed = false;
  bool gave_up = false;  // too many discarded cases, or a rapidcheck error
  int runs = 0;          // cases run until the first failure (or all successful cases)
  int shrinks_tried = 0;
  int shrinks_accepted = 0;
  std::string description;     // the failure message of the shrunk case
  std::string counterexample;  // rapidcheck's printout of the shrunk case
  std::string reproduce;       // RC_PARAMS value that replays the shrunk case
  uint64_t seed = 0;
};

// The seed a test uses: `fixed`, unless MMSIM_SEED is set in the environment.
uint64_t effective_seed(uint64_t fixed);

// The soak switch: MMSIM_SOAK=1 (make soak) asks for longer runs.
bool soak_mode();

// Runs `property` (a nullary callable using RC_ASSERT/RC_FAIL/`*gen`) under `cfg` with id
// `id` (the key of a reproduce string). Prints nothing. `rc_params` (else $RC_PARAMS) may
// hold a reproduce string; only its `reproduce` map is used: the case it names for `id` runs
// alone, as rapidcheck's own RC_PARAMS="reproduce=..." does.
PropOutcome run_property(const std::string& id, const PropConfig& cfg,
                         const std::function<void()>& property, const std::string& rc_params = "");

// A multi-line report: result, seed, runs, shrinks, counterexample and how to reproduce.
std::string describe(const std::string& id, const PropOutcome& out);

// The id of the running GoogleTest test: "Suite.Name" (parameterized names included).
std::string current_test_id();

}  // namespace mmsim::props

// Declares a GoogleTest test whose body checks one rapidcheck property with fixed parameters.
// The test fails, printing seed and reproduce string, when the property fails.
#define MMSIM_RC_PROP(Suite, Name, cfg_expr)                                           \
  static void mmsim_rc_body_##Suite##_##Name();                                        \
  TEST(Suite, Name) {                                                                  \
    const std::string id = ::mmsim::props::current_test_id();                          \
    const auto out =                                                                   \
        ::mmsim::props::run_property(id, (cfg_expr), &mmsim_rc_body_##Suite##_##Name); \
    EXPECT_FALSE(out.failed || out.gave_up) << ::mmsim::props::describe(id, out);      \
  }                                                                                    \
  static void mmsim_rc_body_##Suite##_##Name()
