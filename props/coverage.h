// props/coverage.h: what the generated programs exercised, counted per command, per result,
// per kernel event (the points where policy hooks act, seen as World changes) and per
// meeting of two interesting things (a pin met a fork, reclaim met a marked page, ...).
//
// The simulator's hooks cannot be instrumented from outside sim/, so each hook-level event is
// recognised from the World before and after a step: a frame freed (on_free), a frame whose
// last mapping went (on_last_unmap), a PTE removed (on_zap_pte), a frame faulted in
// (on_fault_in), a COW copy, a swap-out or swap-in, a kernel wipe (a value turned to 0 by no
// user store). Owns: Coverage. Invariant: counts only grow; report() is sorted by key.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "sim/op.h"
#include "sim/world.h"

namespace mmsim::props {

class Coverage {
 public:
  void count(const std::string& key, uint64_t n = 1) { counts_[key] += n; }
  // Counts what step `s` (which returned `got`) did to the World `before` -> `after`.
  void record(const World& before, const World& after, const Step& s, const Result& got);
  [[nodiscard]] uint64_t get(const std::string& key) const;
  [[nodiscard]] const std::map<std::string, uint64_t>& counts() const { return counts_; }
  void merge(const Coverage& other);
  // "key  count" lines, grouped by prefix (op/, result/, hook/, meet/).
  [[nodiscard]] std::string report() const;

 private:
  void record_hooks(const World& before, const World& after, const Step& s);
  void record_meets(const World& before, const World& after, const Step& s, const Result& got);
  std::map<std::string, uint64_t> counts_;
};

}  // namespace mmsim::props
