// sim/ops_power.cpp: suspend (S3), hibernate (S4), resume and a hypervisor snapshot. Processes
// and devices are frozen from the start of a suspend or hibernate until its resume ends.
#include "sim/ops.h"

namespace mmsim::ops {
namespace {

bool secret_file_exists(const World& w) {
  for (const FileObj& f : w.files) {
    if (f.alive && f.kind == FileKind::Secret) return true;
  }
  return false;
}

}  // namespace

Outcome power(World& w, PowerEvent event, Granularity g) {
  if (event == PowerEvent::Resume) {
    if (w.power != Power::Suspended && w.power != Power::Hibernated) {
      return {Result::error(Errno::Inval), {}};
    }
  } else {
    if (w.power != Power::Running) return {Result::error(Errno::Inval), {}};
    // hibernation_available() is false while a memfd_secret file exists.
    if (event == PowerEvent::Hibernate && secret_file_exists(w)) return {Result::error(Errno::Perm), {}};
  }
  std::vector<PowerPage> pages = policy_of(w).power_pages(w, event);
  w.power = Power::Transition;
  std::vector<Op> rest(pages.begin(), pages.end());
  rest.push_back(PowerDone{event});
  if (g == Granularity::PerPage) return {Result::ok(), std::move(rest)};
  for (const PowerPage& pp : pages) power_page(w, pp);
  return {power_done(w, event), {}};
}

Result power_page(World& w, const PowerPage& op) {
  if (!w.proc(op.proc).alive()) return Result::ok();
  HookContext ctx(w, Hook::PowerPage);
  policy_of(w).power_page(ctx, op);
  return Result::ok();
}

Result power_done(World& w, PowerEvent event) {
  switch (event) {
    case PowerEvent::Suspend: w.power = Power::Suspended; break;
    case PowerEvent::Hibernate: {
      w.power = Power::Hibernated;
      w.image = Image{Image::Kind::Hibernation, {}};
      for (const Frame& f : w.mem.frames) {
        if (f.state == Frame::State::Used) w.image.values.push_back(f.value);
      }
      break;
    }
    case PowerEvent::Resume: w.power = Power::Running; break;
  }
  return Result::ok();
}

Result snapshot(World& w) {
  w.image = Image{Image::Kind::Snapshot, {}};
  for (const Frame& f : w.mem.frames) w.image.values.push_back(f.value);
  for (const SwapSlot& s : w.swap.slots) w.image.values.push_back(s.value);
  return Result::ok();
}

}  // namespace mmsim::ops
