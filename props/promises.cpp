// props/promises.cpp: promise names, the policy x promise expectation table and the World
// predicates. See promises.h; docs/properties.md explains every cell.
#include "props/promises.h"

#include <algorithm>

namespace mmsim::props {
namespace {

constexpr Expectation holds(std::string_view why = {}) {
  return {Verdict::Holds, {}, why};
}
constexpr Expectation breaks(std::string_view hazard, std::string_view why) {
  return {Verdict::Breaks, hazard, why};
}
constexpr Expectation breaks_by_scenario(std::string_view hazard, std::string_view why) {
  return {Verdict::Breaks, hazard, why, false};
}
constexpr Expectation not_promised(std::string_view why) {
  return {Verdict::NotApplicable, {}, why};
}

// Promises every policy makes: the kernel core they all share.
Expectation core(PolicyId policy, Promise p) {
  using P = PolicyId;
  switch (p) {
    case Promise::CowIsolation:
      if (policy == P::LegacyCow)
        return breaks("H9", "fork shares the pinned page; DMA lands in the child's copy");
      if (policy == P::MlockedOnFreeV3)
        return breaks("H1", "a child's zap zeroes the COW-shared mlocked page");
      if (policy == P::WipeOnReleaseV4)
        return breaks("H6", "reclaim removes the last mapping and wipes before writeback");
      if (policy == P::WipeOnReleaseV2)
        return breaks_by_scenario("H20", "the last zap wipes a swap-cache page a sibling's swap entry still "
                             "names; the sibling's fault maps the zeroed page");
      return holds();
    case Promise::PinCoherence:
      if (policy == P::LegacyCow)
        return breaks(
            "H8",
            "fork shares the pinned page; the parent's write COW-copies away from the device");
      if (policy == P::WipeOnReleaseV2)
        return breaks("H4", "zeroed at the last unmap while a DIO pin still reads the page");
      if (policy == P::WipeOnReleaseV4)
        return breaks("H4", "zeroed at the last unmap while a DIO pin still reads the page");
      if (policy == P::MlockedOnFreeV3)
        return breaks("H4", "zeroed at the zap while a DIO pin still reads the page");
      return holds();
    case Promise::PipeIntegrity:
      if (policy == P::LegacyCow)
        return breaks(
            "H7",
            "CVE-2020-29374: reuse by mapcount lets the parent's write reach the child's pipe");
      if (policy == P::WipeOnReleaseV2)
        return breaks("H5",
                      "a child marks its COW copy and exits: the parent's spliced page is zeroed");
      if (policy == P::WipeOnReleaseV4)
        return breaks(
            "H4",
            "RULE 2 ignores the pipe's page reference: the last unmap zeroes what the pipe holds");
      if (policy == P::MlockedOnFreeV3)
        return breaks("H1", "a zap of the mlocked page zeroes it under the pipe");
      if (policy == P::Exclusive)
        return breaks("§2.7",
                      "a sharer marks its read-only COW mapping: populate's read GUP returns the "
                      "shared page and takes it out of the direct map; the pipe read faults");
      return holds();
    default:
      return holds();
  }
}

Expectation release_gone(PolicyId policy) {
  using P = PolicyId;
  switch (policy) {
    case P::WipeOnReleaseV1:
      return breaks("H3", "the page flag does not follow migration: the copy is freed unwiped");
    case P::MlockedOnFreeVma:
      return holds("VMA mark, queued at zap, zeroed at free");
    case P::WipeOnReleaseV2:
      return breaks("H4",
                    "zeroed at the last unmap; a device then writes the pinned page, freed unwiped "
                    "(also H3)");
    case P::WipeOnReleaseV4:
      return breaks(
          "H4", "zeroed at the last unmap; a device then writes the pinned page, freed unwiped");
    case P::MlockedOnFreeV1:
      return holds("PG_ofinit, zeroed at free; migration mlocks (and flags) the copy");
    case P::MlockedOnFreeV3:
      return breaks("H3", "migration frees the mlocked source page unwiped (also H4)");
    case P::Exclusive:
      return breaks("H19", "the direct map is restored at zap and the page freed unwiped");
    default:
      return not_promised("the policy has no per-page wipe mark");
  }
}

}  // namespace

std::string_view promise_name(Promise p) {
  switch (p) {
    case Promise::Invariants:
      return "invariants";
    case Promise::OpResults:
      return "op-results";
    case Promise::CowIsolation:
      return "cow-isolation";
    case Promise::WipeOnForkZero:
      return "wipeonfork-zero";
    case Promise::PinCoherence:
      return "pin-coherence";
    case Promise::PipeIntegrity:
      return "pipe-integrity";
    case Promise::DirectMapSecret:
      return "direct-map-secret";
    case Promise::ReleaseGone:
      return "release-gone";
    case Promise::FreeClean:
      return "free-clean";
    case Promise::SuspendZero:
      return "suspend-zero";
  }
  return "?";
}

std::string_view promise_summary(Promise p) {
  switch (p) {
    case Promise::Invariants:
      return "sim/invariants.h check_all holds after every command";
    case Promise::OpResults:
      return "every result (ok, errno, SEGV) is one the reference model allows";
    case Promise::CowIsolation:
      return "a process reads its own private data; no other process's write or wipe changes it";
    case Promise::WipeOnForkZero:
      return "a fork child reads zeros in wipeonfork ranges until it writes";
    case Promise::PinCoherence:
      return "a device reads what the pinning process or the device last stored in the pinned page";
    case Promise::PipeIntegrity:
      return "a pipe yields a value the splicing process's page held at or after the splice";
    case Promise::DirectMapSecret:
      return "no frame in the kernel's direct map holds a value stored only in secret memory";
    case Promise::ReleaseGone:
      return "once the last reference to a marked page is gone, its value is in no free frame";
    case Promise::FreeClean:
      return "no free frame holds a non-zero value";
    case Promise::SuspendZero:
      return "after suspend or hibernate and resume, wipeonsuspend ranges read zero";
  }
  return "?";
}

Expectation expected(PolicyId policy, Promise promise) {
  using P = PolicyId;
  const bool suspend_policy = policy == P::WipeOnSuspendGup || policy == P::WipeOnSuspendZap ||
                              policy == P::WipeOnSuspendRestore;
  switch (promise) {
    case Promise::ReleaseGone:
      return release_gone(policy);
    case Promise::FreeClean:
      if (policy == P::InitOnFree) return holds("every frame is zeroed in free_pages_prepare");
      if (policy == P::Mainline)
        return breaks("§2.1", "by design: freed pages keep their bytes until reuse");
      return not_promised("only init_on_free scrubs every free page");
    case Promise::SuspendZero:
      return suspend_policy ? holds() : not_promised("no wipe at suspend");
    case Promise::DirectMapSecret:
      if (policy == P::Exclusive)
        return breaks("H19", "the direct map is restored at zap with the secret still in the page");
      return holds("memfd_secret pages are out of the direct map and zeroed at free");
    default:
      return core(policy, promise);
  }
}

PromiseSet PromiseSet::holding(PolicyId policy) {
  PromiseSet s;
  for (Promise p : all_promises()) {
    if (expected(policy, p).verdict == Verdict::Holds) s = s.with(p);
  }
  return s;
}

std::optional<Value> free_nonzero(const World& w) {
  return free_holds(w, [](Value v) { return v != 0; });
}

std::optional<Value> free_holds(const World& w, const std::function<bool(Value)>& pick) {
  for (const Frame& f : w.mem.frames) {
    if (f.state == Frame::State::Free && pick(f.value)) return f.value;
  }
  return std::nullopt;
}

std::optional<Value> direct_map_holds(const World& w, const std::function<bool(Value)>& pick) {
  for (const Frame& f : w.mem.frames) {
    if (f.has(FrameFlag::DirectMap) && pick(f.value)) return f.value;
  }
  return std::nullopt;
}

}  // namespace mmsim::props
