// sim/policies/wipeonrelease.h: Matthew Garrett's MADV_WIPEONRELEASE, three postings (April
// 2019, never merged), each as posted: V1 (page flag, zeroed at free), V2 (zeroed in
// zap_pte_range when the mapcount reaches 0), V4 (zeroed in page_remove_rmap for every caller,
// plus trigger_cow() at madvise and fork). docs/policies/wipeonrelease-v*.md give the sources.
//
// Owns: the VmaFlag::WipeOnRelease mark (all three) and, for V1, FrameFlag::PolicyMark
// (PG_wipeonrelease). Invariant: only private anonymous VMAs carry the mark (madvise refuses
// the rest with EINVAL); V1 marks every frame mapped into a marked VMA by a fault.
#pragma once

#include "sim/policies/mainline.h"

namespace mmsim::policies {

// The madvise pair every version shares: WIPEONRELEASE on private anonymous memory only,
// DONTWIPEONRELEASE anywhere (it only clears the VMA bit).
class WipeOnReleaseAdvice : public Mainline {
 public:
  [[nodiscard]] bool knows(Advice a) const override {
    return a == Advice::WipeOnRelease || a == Advice::KeepOnRelease;
  }
  [[nodiscard]] std::optional<Errno> check_advice(const Vma& v, Advice a) const override;
  Result apply_advice(World& w, ProcId p, PageRange r, Advice a) const override;

 protected:
  // What the version does to the range before the VMA bit is set (madvise_behavior).
  virtual void before_mark(World& w, ProcId p, PageRange r) const = 0;
};

// V1: PG_wipeonrelease set by alloc_pages_vma in a marked VMA and, at madvise, on the pages
// get_user_pages() returns; free_pages_prepare() clears flagged pages (RULE 0).
class WipeOnReleaseV1 final : public WipeOnReleaseAdvice {
 public:
  [[nodiscard]] PolicyId id() const override { return PolicyId::WipeOnReleaseV1; }
  [[nodiscard]] std::string_view name() const override { return "wipeonrelease-v1"; }
  [[nodiscard]] std::string_view summary() const override {
    return "Garrett V1: PG_wipeonrelease on pages of marked VMAs (GUP at madvise, alloc after); "
           "zeroed at free";
  }
  void on_fault_in(World& w, ProcId p, const Vma& v, FrameId f, FaultIn how) const override;
  void on_free(World& w, FrameId f) const override;

 protected:
  void before_mark(World& w, ProcId p, PageRange r) const override;
};

// V2: zap_pte_range() zeroes a page of a marked VMA once its mapcount is 0, whatever its
// refcount (RULE 2, zap only).
class WipeOnReleaseV2 final : public WipeOnReleaseAdvice {
 public:
  [[nodiscard]] PolicyId id() const override { return PolicyId::WipeOnReleaseV2; }
  [[nodiscard]] std::string_view name() const override { return "wipeonrelease-v2"; }
  [[nodiscard]] std::string_view summary() const override {
    return "Garrett V2: zap_pte_range zeroes a page of a marked VMA when its mapcount reaches 0, "
           "pins or not";
  }
  void on_last_unmap(World& w, FrameId f, UnmapCause cause, const Vma& v) const override;

 protected:
  void before_mark(World&, ProcId, PageRange) const override {}
};

// V4: page_remove_rmap() zeroes an anonymous page whose last mapping leaves a marked VMA, for
// every caller (zap, reclaim, migration, COW); trigger_cow() breaks COW at madvise and fork.
class WipeOnReleaseV4 final : public WipeOnReleaseAdvice {
 public:
  [[nodiscard]] PolicyId id() const override { return PolicyId::WipeOnReleaseV4; }
  [[nodiscard]] std::string_view name() const override { return "wipeonrelease-v4"; }
  [[nodiscard]] std::string_view summary() const override {
    return "Garrett V4: zeroed when the last mapping goes (zap, reclaim, migration, COW); early "
           "COW at madvise and fork";
  }
  void on_last_unmap(World& w, FrameId f, UnmapCause cause, const Vma& v) const override;
  void on_fork_pte(World& w, ProcId parent, Vpn page) const override;

 protected:
  void before_mark(World& w, ProcId p, PageRange r) const override;
};

}  // namespace mmsim::policies
