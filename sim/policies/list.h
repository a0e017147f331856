// sim/policies/list.h: THE list of policies, one registration line each. Everything else that
// enumerates policies (PolicyId, kPolicyCount, all_policies(), the registry, the parser's
// names, `mmsim policies`, the docs index, the promise table) is derived from this list and
// from the descriptor each policy's source file defines (sim/policy.h, PolicyDescriptor).
//
// Owns: the order of the policies, which is the value of their PolicyId. Invariant: the order
// never changes for an existing policy (PolicyId values reach fingerprints and JSON); a new
// policy goes at the end. Line X(Name) declares PolicyId::Name and the descriptor
// mmsim::policies::Name, which sim/policies/<file>.cpp defines. CONTRIBUTING.md shows how.
#pragma once

// clang-format off
#define MMSIM_POLICIES(X) \
  X(Mainline)             \
  X(LegacyCow)            \
  X(InitOnFree)           \
  X(WipeOnReleaseV1)      \
  X(WipeOnReleaseV2)      \
  X(WipeOnReleaseV4)      \
  X(Exclusive)            \
  X(MlockedOnFreeV1)      \
  X(MlockedOnFreeV3)      \
  X(MlockedOnFreeVma)     \
  X(WipeOnSuspendGup)     \
  X(WipeOnSuspendZap)     \
  X(WipeOnSuspendRestore)
// clang-format on
