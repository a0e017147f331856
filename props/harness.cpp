// props/harness.cpp: see harness.h.
#include "props/harness.h"

#include "model/litmus/printer.h"
#include "sim/apply.h"
#include "sim/invariants.h"

namespace mmsim::props {
namespace {

// The promise a mismatched observation breaks.
Promise classify(const Expect& e) {
  switch (e.kind) {
    case ObsKind::Result:
      return Promise::OpResults;
    case ObsKind::DmaRead:
      return Promise::PinCoherence;
    case ObsKind::PipeRead:
      return Promise::PipeIntegrity;
    case ObsKind::ProcRead:
      if (e.origin == Origin::WipeOnFork) return Promise::WipeOnForkZero;
      if (e.origin == Origin::SuspendWipe) return Promise::SuspendZero;
      return Promise::CowIsolation;
  }
  return Promise::OpResults;
}

std::string allowed_text(const Expect& e) {
  std::string out;
  for (const Result& r : e.allowed) out += (out.empty() ? "" : " or ") + litmus::format_result(r);
  return out;
}

}  // namespace

Harness::Harness(PolicyId policy, PromiseSet enabled, Coverage* coverage)
    : world_(world_config(policy)),
      ref_(policy),
      enabled_(enabled.with(Promise::Invariants)),
      coverage_(coverage) {
  program_.policy = policy;
}

std::optional<PromiseViolation> Harness::run(const Step& s) {
  if (!actor_runnable(world_, s.actor)) {
    if (coverage_ != nullptr) coverage_->count("skipped/actor cannot run");
    return std::nullopt;
  }
  std::optional<ReclaimPage> target;
  if (const auto* r = op_if<Reclaim>(&s.op); r != nullptr && !r->proc.valid()) {
    target = op_get<ReclaimPage>(choices(world_, s.op).front());
  }
  std::optional<World> before;
  if (coverage_ != nullptr) before = world_;
  const Result got = apply_all(world_, s.actor, s.op);
  program_.steps.push_back(s);
  const Expect e = ref_.step(s, got, target);
  if (coverage_ != nullptr) coverage_->record(*before, world_, s, got);
  if (mmsim::Violation v = check_all(world_)) {
    return PromiseViolation{Promise::Invariants,
                            "invariant broken after `" + step_text(s) + "`: " + *v,
                            CheckSpec{CheckSpec::Kind::ModelError, {}, 0}};
  }
  if (auto v = check_observation(s, got, e)) return v;
  return check_world();
}

std::optional<PromiseViolation> Harness::check_observation(const Step& s, const Result& got,
                                                           const Expect& e) const {
  if (e.allows(got)) return std::nullopt;
  const Promise p = classify(e);
  if (!enabled_.has(p)) return std::nullopt;
  std::vector<Result> allowed = e.allowed;
  // An out-of-memory kill is allowed by the reference but is no part of the promise.
  std::erase(allowed, Result::error(Errno::NoMem));
  if (allowed.empty()) allowed = e.allowed;
  return PromiseViolation{p,
                          "`" + step_text(s) + "` gave " + litmus::format_result(got) +
                              "; the reference allows " + allowed_text(e),
                          CheckSpec{CheckSpec::Kind::RegisterIn, allowed, 0}};
}

std::optional<PromiseViolation> Harness::check_world() const {
  if (enabled_.has(Promise::FreeClean)) {
    if (auto v = free_nonzero(world_)) {
      return PromiseViolation{Promise::FreeClean, "a free frame holds " + litmus::format_value(*v),
                              CheckSpec{CheckSpec::Kind::FreeHas, {}, *v}};
    }
  }
  if (enabled_.has(Promise::ReleaseGone)) {
    if (auto v = free_holds(world_, [this](Value x) { return ref_.release_protected(x); })) {
      return PromiseViolation{
          Promise::ReleaseGone,
          "a free frame holds " + litmus::format_value(*v) + ", stored only in marked pages",
          CheckSpec{CheckSpec::Kind::FreeHas, {}, *v}};
    }
  }
  if (enabled_.has(Promise::DirectMapSecret)) {
    if (auto v = direct_map_holds(world_, [this](Value x) { return ref_.secret_only(x); })) {
      return PromiseViolation{
          Promise::DirectMapSecret,
          "the direct map holds " + litmus::format_value(*v) + ", stored only in secret memory",
          CheckSpec{CheckSpec::Kind::KernelHas, {}, *v}};
    }
  }
  return std::nullopt;
}

RunResult run_steps(PolicyId policy, PromiseSet enabled, const std::vector<Step>& steps) {
  Harness h(policy, enabled);
  for (const Step& s : steps) {
    if (auto v = h.run(s)) return RunResult{h.program(), v};
  }
  return RunResult{h.program(), std::nullopt};
}

}  // namespace mmsim::props
