// props/promises.cpp: promise names, the lookup of a policy's row in its descriptor and the
// World predicates. See promises.h; docs/properties.md explains every cell.
#include "props/promises.h"

#include <algorithm>

namespace mmsim::props {

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
  return descriptor_of(policy).promises.at(promise);
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
