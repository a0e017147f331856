// sim/check.h: SIM_ASSERT, the always-on check for programmer errors inside the simulator.
// A failed assertion is a bug in mmsim, never a verdict: it prints where and aborts.
#pragma once

#include <cstdio>
#include <cstdlib>

#define SIM_ASSERT(cond, msg)                                                   \
  do {                                                                          \
    if (!(cond)) {                                                              \
      std::fprintf(stderr, "%s:%d: mmsim internal error: %s (%s)\n", __FILE__, \
                   __LINE__, msg, #cond);                                       \
      std::abort();                                                             \
    }                                                                           \
  } while (0)
