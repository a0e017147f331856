// sim/ops_gup.cpp: get_user_pages users: FOLL_PIN pins (direct I/O, RDMA), FOLL_GET pipe
// references (vmsplice), device DMA through pins, and pipe reads.
#include "sim/ops.h"

namespace mmsim::ops {
namespace {

// check_vma_flags + the fault GUP takes: EFAULT for no VMA, PROT_NONE or secretmem.
Fault gup_page(World& w, ProcId p, Vpn q, Access access) {
  const Vma* v = w.proc(p).mm.vmas.at(q);
  if (v == nullptr || v->prot == Prot::None || v->has(VmaFlag::Secret)) {
    return Fault{Fault::Kind::Segv, FrameId::none()};
  }
  return fault(w, p, q, access);
}

Result gup_error(Fault f) {
  return Result::error(f.kind == Fault::Kind::Oom ? Errno::NoMem : Errno::Fault);
}

}  // namespace

Result pin(World& w, ProcId p, PageRange r, PinKind kind, HandleId h) {
  Handle& hd = w.handle(h);
  if (hd.active || hd.kind == Handle::Kind::Pipe) return Result::error(Errno::Busy);
  const bool unshare = policy_of(w).rules().pin_unshares;
  // __get_user_pages_locked: mm_set_has_pinned_flag() before any page is looked up, so a pin
  // that then fails still marks the mm.
  w.proc(p).mm.has_pinned = true;
  std::vector<FrameId> pinned;
  for (Vpn q = r.begin; q < r.end; q = q + 1) {
    const Vma* v = w.proc(p).mm.vmas.at(q);
    // Any private mapping: its anonymous pages may be COW-shared (page-cache pages are left
    // alone by an unshare, see write_present).
    const bool anon = v != nullptr && !v->has(VmaFlag::Shared);
    Fault f = gup_page(w, p, q, unshare && anon ? Access::Unshare : Access::Read);
    if (f.kind != Fault::Kind::Ok) {
      for (FrameId done : pinned) put_page(w, done, kPinBias);  // unpin what was pinned
      return gup_error(f);
    }
    get_page(w, f.frame, kPinBias);
    pinned.push_back(f.frame);
  }
  Handle& out = w.handle(h);
  out = Handle{Handle::Kind::Pin, kind, true, p, std::move(pinned)};
  return Result::ok();
}

Result vmsplice(World& w, ProcId p, PageRange r, HandleId h) {
  if (w.handle(h).kind == Handle::Kind::Pin) return Result::error(Errno::Busy);
  std::vector<FrameId> got;
  for (Vpn q = r.begin; q < r.end; q = q + 1) {
    Fault f = gup_page(w, p, q, Access::Read);
    if (f.kind != Fault::Kind::Ok) {
      for (FrameId done : got) put_page(w, done);
      return gup_error(f);
    }
    get_page(w, f.frame);
    got.push_back(f.frame);
  }
  Handle& hd = w.handle(h);
  if (hd.kind != Handle::Kind::Pipe) hd = Handle{Handle::Kind::Pipe, PinKind::Dio, true, p, {}};
  hd.active = true;
  hd.frames.insert(hd.frames.end(), got.begin(), got.end());
  return Result::ok();
}

Result dma_read(World& w, HandleId h) {
  const Handle& hd = w.handle(h);
  if (hd.kind != Handle::Kind::Pin || !hd.active || hd.frames.empty()) return Result::error(Errno::Inval);
  return Result::of(w.frame(hd.frames.front()).value);
}

Result dma_write(World& w, HandleId h, Value v) {
  const Handle& hd = w.handle(h);
  if (hd.kind != Handle::Kind::Pin || !hd.active) return Result::error(Errno::Inval);
  for (FrameId f : hd.frames) set_value(w, f, v);
  return Result::ok();
}

Result unpin(World& w, HandleId h) {
  Handle& hd = w.handle(h);
  if (hd.kind != Handle::Kind::Pin || !hd.active) return Result::error(Errno::Inval);
  std::vector<FrameId> frames = std::move(hd.frames);
  hd.frames.clear();
  hd.active = false;
  for (FrameId f : frames) put_page(w, f, kPinBias);
  return Result::ok();
}

// The kernel copies a pipe page out through its direct map (copy_page_to_iter).
Result pipe_read(World& w, HandleId h) {
  Handle& hd = w.handle(h);
  if (hd.kind != Handle::Kind::Pipe) return Result::error(Errno::Inval);
  if (hd.frames.empty()) return Result::error(Errno::Again);
  FrameId f = hd.frames.front();
  if (!w.frame(f).has(FrameFlag::DirectMap)) return Result::error(Errno::Fault);
  const Value v = w.frame(f).value;
  hd.frames.erase(hd.frames.begin());
  put_page(w, f);
  return Result::of(v);
}

Result pipe_close(World& w, HandleId h) {
  Handle& hd = w.handle(h);
  if (hd.kind != Handle::Kind::Pipe || !hd.active) return Result::error(Errno::Inval);
  std::vector<FrameId> frames = std::move(hd.frames);
  hd.frames.clear();
  hd.active = false;
  for (FrameId f : frames) put_page(w, f);
  return Result::ok();
}

}  // namespace mmsim::ops
