// sim/ops_gup.cpp: get_user_pages users: FOLL_PIN pins (direct I/O, RDMA) with their direction
// (FOLL_WRITE or not) and short results, FOLL_GET pipe references (vmsplice), device DMA
// through pins, and pipe reads. A pin or pipe entry may name the shared zero page (kZeroPage).
#include "sim/ops.h"

namespace mmsim::ops {
namespace {

// Whether GUP may take the page with these flags (check_vma_flags in mm/gup.c): no VMA,
// PROT_NONE and secretmem are EFAULT; so is a FOLL_LONGTERM|FOLL_WRITE pin of a writable
// shared mapping of a regular file: writable_file_mapping_allowed() refuses a long-term
// writable pin where the file system tracks dirty pages (vma_needs_dirty_tracking: VM_SHARED
// and VM_WRITE, not shmem). A private file mapping is allowed: the write fault COWs it to an
// anonymous page first.
enum class Longterm : uint8_t { No, Yes };
bool gup_allowed(const World& w, const Vma* v, Access access, Longterm longterm) {
  if (v == nullptr || v->prot == Prot::None || v->has(VmaFlag::Secret)) return false;
  const bool dirty_tracked = v->has(VmaFlag::Shared) && v->has(VmaFlag::File) &&
                             v->prot == Prot::ReadWrite &&
                             w.file(v->file).kind == FileKind::Regular;
  return !(longterm == Longterm::Yes && access == Access::Write && dirty_tracked);
}

// check_vma_flags + the fault GUP takes.
Fault gup_page(World& w, ProcId p, Vpn q, Access access, Longterm longterm) {
  if (!gup_allowed(w, w.proc(p).mm.vmas.at(q), access, longterm)) {
    return Fault{Fault::Kind::Segv, FrameId::none()};
  }
  return fault(w, p, q, access);
}

Result gup_error(Fault f) {
  return Result::error(f.kind == Fault::Kind::Oom ? Errno::NoMem : Errno::Fault);
}

// The fault a FOLL_PIN takes for page q (mm/gup.c faultin_page and follow_page_pte):
// FOLL_WRITE is a write fault (breaks COW, unshares nothing else); a pin without it reads,
// and gup_must_unshare (mm/internal.h) makes it unshare a page that is not exclusive to this
// mm: an anonymous page that is not PageAnonExclusive, and for FOLL_LONGTERM also a
// page-cache page in a COW (private) mapping. Kernels before that rule (legacy-cow) read.
Access pin_access(const World& w, ProcId p, Vpn q, PinKind kind, PinDir dir) {
  if (dir == PinDir::Write) return Access::Write;
  const Vma* v = w.proc(p).mm.vmas.at(q);
  if (!descriptor_of(w).rules.pin_unshares || v == nullptr || v->has(VmaFlag::Shared))
    return Access::Read;
  return kind == PinKind::Longterm ? Access::UnshareLongterm : Access::Unshare;
}

}  // namespace

// pin_user_pages -> __get_user_pages: pins page after page and returns how many it pinned;
// an error is returned only when the first page fails. `dio` keeps the prefix (a short
// direct I/O; the register gets the number of pages pinned when it is short), `longterm`
// is all or nothing as its callers are (io_uring/memmap.c io_pin_pages: "if we did partial
// map, release any pages we did get" -> EFAULT; RDMA ib_umem_get fails the same way).
Result pin(World& w, ProcId p, PageRange r, PinKind kind, PinDir dir, HandleId h) {
  Handle& hd = w.handle(h);
  if (hd.active || hd.kind == Handle::Kind::Pipe) return Result::error(Errno::Busy);
  // __get_user_pages_locked: mm_set_has_pinned_flag() before any page is looked up, so a pin
  // that then fails still marks the mm.
  w.proc(p).mm.has_pinned = true;
  std::vector<FrameId> pinned;
  Fault failed{};
  for (Vpn q = r.begin; q < r.end; q = q + 1) {
    Fault f = gup_page(w, p, q, pin_access(w, p, q, kind, dir),
                       kind == PinKind::Longterm ? Longterm::Yes : Longterm::No);
    if (f.kind != Fault::Kind::Ok) {
      failed = f;
      break;
    }
    // try_grab_folio: the shared zero page takes no reference (it is never freed); the
    // handle names it as FrameId::none() (kZeroPage).
    if (f.frame.valid()) get_page(w, f.frame, kPinBias);
    pinned.push_back(f.frame);
  }
  const bool short_pin = pinned.size() < r.pages();
  if (short_pin && (pinned.empty() || kind == PinKind::Longterm)) {
    for (FrameId done : pinned) {
      if (done.valid()) put_page(w, done, kPinBias);  // unpin what was pinned
    }
    return gup_error(failed);
  }
  const auto n = static_cast<Value>(pinned.size());
  Handle& out = w.handle(h);
  out = Handle{Handle::Kind::Pin, kind, dir, true, p, std::move(pinned)};
  return short_pin ? Result::of(n) : Result::ok();
}

// vmsplice_to_pipe -> iter_to_pipe (fs/splice.c): takes page references (FOLL_GET, no
// unshare, no FOLL_WRITE) until one fails and returns `total ? total : ret`: the mapped prefix
// goes into the pipe; EFAULT only when the first page fails. A short splice leaves the number
// of pages spliced in the register.
Result vmsplice(World& w, ProcId p, PageRange r, HandleId h) {
  if (w.handle(h).kind == Handle::Kind::Pin) return Result::error(Errno::Busy);
  std::vector<FrameId> got;
  Fault failed{};
  for (Vpn q = r.begin; q < r.end; q = q + 1) {
    Fault f = gup_page(w, p, q, Access::Read, Longterm::No);
    if (f.kind != Fault::Kind::Ok) {
      failed = f;
      break;
    }
    if (f.frame.valid()) get_page(w, f.frame);  // the zero page: no reference (kZeroPage)
    got.push_back(f.frame);
  }
  if (got.empty()) return gup_error(failed);
  Handle& hd = w.handle(h);
  if (hd.kind != Handle::Kind::Pipe)
    hd = Handle{Handle::Kind::Pipe, PinKind::Dio, PinDir::Write, true, p, {}};  // kind, dir: unused
  hd.active = true;
  hd.frames.insert(hd.frames.end(), got.begin(), got.end());
  return got.size() < r.pages() ? Result::of(static_cast<Value>(got.size())) : Result::ok();
}

Result dma_read(World& w, HandleId h) {
  const Handle& hd = w.handle(h);
  if (hd.kind != Handle::Kind::Pin || !hd.active || hd.frames.empty())
    return Result::error(Errno::Inval);
  return Result::of(page_value(w, hd.frames.front()));
}

Result dma_write(World& w, HandleId h, Value v) {
  const Handle& hd = w.handle(h);
  if (hd.kind != Handle::Kind::Pin || !hd.active) return Result::error(Errno::Inval);
  // A pin without FOLL_WRITE maps the pages for the device to read only (DMA_TO_DEVICE); a
  // device write through it is refused: EFAULT, and memory is unchanged (docs/litmus.md).
  if (hd.pin_dir == PinDir::Read) return Result::error(Errno::Fault);
  for (FrameId f : hd.frames) set_value(w, f, v);  // a FOLL_WRITE pin never holds the zero page
  return Result::ok();
}

Result unpin(World& w, HandleId h) {
  Handle& hd = w.handle(h);
  if (hd.kind != Handle::Kind::Pin || !hd.active) return Result::error(Errno::Inval);
  std::vector<FrameId> frames = std::move(hd.frames);
  hd.frames.clear();
  hd.active = false;
  for (FrameId f : frames) {
    if (f.valid()) put_page(w, f, kPinBias);  // the zero page holds no pin reference
  }
  return Result::ok();
}

// The kernel copies a pipe page out through its direct map (copy_page_to_iter).
Result pipe_read(World& w, HandleId h) {
  Handle& hd = w.handle(h);
  if (hd.kind != Handle::Kind::Pipe) return Result::error(Errno::Inval);
  if (hd.frames.empty()) return Result::error(Errno::Again);
  FrameId f = hd.frames.front();
  if (f.valid() && !w.frame(f).has(FrameFlag::DirectMap)) return Result::error(Errno::Fault);
  const Value v = page_value(w, f);
  hd.frames.erase(hd.frames.begin());
  if (f.valid()) put_page(w, f);
  return Result::of(v);
}

Result pipe_close(World& w, HandleId h) {
  Handle& hd = w.handle(h);
  if (hd.kind != Handle::Kind::Pipe || !hd.active) return Result::error(Errno::Inval);
  std::vector<FrameId> frames = std::move(hd.frames);
  hd.frames.clear();
  hd.active = false;
  for (FrameId f : frames) {
    if (f.valid()) put_page(w, f);
  }
  return Result::ok();
}

}  // namespace mmsim::ops
