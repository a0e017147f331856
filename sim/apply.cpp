// sim/apply.cpp: op dispatch, name resolution and the page-granularity split. See apply.h.
#include "sim/apply.h"
#include "sim/overloaded.h"

#include "sim/check.h"
#include "sim/ops.h"

namespace mmsim {
namespace {

// The ops that run one page per step at granularity page (docs/model.md).
const AddrRef* splittable_addr(const Op& op) {
  if (auto* o = std::get_if<Munmap>(&op)) return &o->addr;
  if (auto* o = std::get_if<Madvise>(&op)) return &o->addr;
  if (auto* o = std::get_if<Mlock>(&op)) return &o->addr;
  if (auto* o = std::get_if<Munlock>(&op)) return &o->addr;
  if (auto* o = std::get_if<Mprotect>(&op)) return &o->addr;
  if (auto* o = std::get_if<Write>(&op)) return &o->addr;
  if (auto* o = std::get_if<Zero>(&op)) return &o->addr;
  return nullptr;
}

// The same op on page i of its binding (index relative to the mapping's base).
Op with_page(Op op, uint32_t i) {
  std::visit(
      [i](auto& o) {
        if constexpr (requires { o.addr; }) o.addr = AddrRef{o.addr.name, AddrRef::Span::Slice, i, i + 1};
      },
      op);
  return op;
}

bool is_access(const Op& op) {
  return std::holds_alternative<Read>(op) || std::holds_alternative<Write>(op) ||
         std::holds_alternative<Zero>(op);
}

// Ops of a process on an address: resolve it, or fail as Linux would for a bad pointer.
Result process_op(World& w, ProcId p, const Op& op) {
  const AddrRef* addr = nullptr;
  std::visit([&](const auto& o) { if constexpr (requires { o.addr; }) addr = &o.addr; }, op);
  std::optional<PageRange> r;
  if (addr != nullptr) {
    r = resolve(w, p, *addr);
    if (!r) {
      if (is_access(op)) return fault_failure(w, p, Vpn{}, Fault{Fault::Kind::Segv, FrameId::none()});
      return Result::error(Errno::Inval);
    }
  }
  return std::visit(
      Overloaded{
          [&](const Mmap& o) { return ops::mmap(w, p, o); },
          [&](const Munmap&) { return ops::munmap(w, p, *r); },
          [&](const Madvise& o) { return ops::madvise(w, p, *r, o.advice); },
          [&](const Mlock&) { return ops::mlock(w, p, *r); },
          [&](const Munlock&) { return ops::munlock(w, p, *r); },
          [&](const Mprotect& o) { return ops::mprotect(w, p, *r, o.prot); },
          [&](const Write& o) { return ops::write(w, p, *r, o.value); },
          [&](const Read&) { return ops::read(w, p, *r); },
          [&](const Zero&) { return ops::write(w, p, *r, 0); },
          [&](const Pin& o) { return ops::pin(w, p, *r, o.kind, o.dir, o.handle); },
          [&](const Vmsplice& o) { return ops::vmsplice(w, p, *r, o.handle); },
          [&](const auto&) { return Result::error(Errno::Inval); },
      },
      op);
}

// The page a system op names in another process.
Result system_page_op(World& w, const Op& op) {
  const bool is_reclaim = std::holds_alternative<Reclaim>(op);
  const ProcId p = is_reclaim ? std::get<Reclaim>(op).proc : std::get<Migrate>(op).proc;
  const AddrRef& a = is_reclaim ? std::get<Reclaim>(op).addr : std::get<Migrate>(op).addr;
  if (!w.proc(p).alive()) return Result::error(Errno::Srch);
  std::optional<PageRange> r = resolve(w, p, a);
  if (!r) return Result::error(Errno::Inval);
  return is_reclaim ? ops::reclaim_page(w, p, r->begin) : ops::migrate(w, p, r->begin);
}

Outcome dispatch(World& w, Actor actor, const Op& op, Granularity g) {
  const ProcId self = actor.proc();
  auto one = [](Result r) { return Outcome{r, {}}; };
  return std::visit(
      Overloaded{
          [&](const Fork& o) { return ops::fork(w, self, o.child, g); },
          [&](const Exit&) { return ops::exit(w, self, FinishWhat::Exit, g); },
          [&](const Exec&) { return ops::exit(w, self, FinishWhat::Exec, g); },
          [&](const Kill& o) { return ops::exit(w, o.proc, FinishWhat::Kill, g); },
          [&](const DmaRead& o) { return one(ops::dma_read(w, o.handle)); },
          [&](const DmaWrite& o) { return one(ops::dma_write(w, o.handle, o.value)); },
          [&](const Unpin& o) { return one(ops::unpin(w, o.handle)); },
          [&](const PipeRead& o) { return one(ops::pipe_read(w, o.handle)); },
          [&](const PipeClose& o) { return one(ops::pipe_close(w, o.handle)); },
          [&](const Reclaim& o) {
            if (o.proc.valid()) return one(system_page_op(w, op));
            const ReclaimPage first = std::get<ReclaimPage>(choices(w, op).front());
            return one(ops::reclaim_page(w, first.proc, first.page));
          },
          [&](const ReclaimPage& o) { return one(ops::reclaim_page(w, o.proc, o.page)); },
          [&](const Migrate&) { return one(system_page_op(w, op)); },
          [&](const Suspend&) { return ops::power(w, PowerEvent::Suspend, g); },
          [&](const Hibernate&) { return ops::power(w, PowerEvent::Hibernate, g); },
          [&](const Resume&) { return ops::power(w, PowerEvent::Resume, g); },
          [&](const Snapshot&) { return one(ops::snapshot(w)); },
          [&](const ForkPage& o) { return one(ops::fork_page(w, o)); },
          [&](const ZapPage& o) {
            zap_pte(w, o.proc, o.page, o.cause);  // kill and exec zap as Kill and Exec
            return one(Result::ok());
          },
          [&](const Finish& o) { return one(ops::finish(w, o)); },
          [&](const PowerPage& o) { return one(ops::power_page(w, o)); },
          [&](const PowerDone& o) { return one(ops::power_done(w, o.event)); },
          [&](const auto&) { return one(process_op(w, self, op)); },
      },
      op);
}

}  // namespace

std::optional<PageRange> resolve(const World& w, ProcId proc, const AddrRef& a) {
  const Process& p = w.proc(proc);
  if (a.name.index() >= p.names.size()) return std::nullopt;
  const Binding& b = p.names[a.name.index()];
  if (!b.bound) return std::nullopt;
  if (a.span == AddrRef::Span::Whole) return PageRange{b.base, b.base + b.pages};
  if (a.first >= a.last || a.last > b.pages) return std::nullopt;
  return PageRange{b.base + a.first, b.base + a.last};
}

Result combine(Result so_far, Result step) { return so_far.is_ok() ? step : so_far; }

Outcome apply(World& w, Actor actor, const Op& op, Granularity g) {
  const AddrRef* addr = splittable_addr(op);
  if (g == Granularity::PerPage && addr != nullptr && actor.kind == Actor::Kind::Process) {
    std::optional<PageRange> r = resolve(w, actor.proc(), *addr);
    if (r && r->pages() > 1) {
      const Binding& b = w.proc(actor.proc()).names[addr->name.index()];
      const uint32_t first = r->begin.v - b.base.v;
      Outcome out{dispatch(w, actor, with_page(op, first), g).result, {}};
      for (uint32_t i = first + 1; i < first + r->pages(); ++i) out.rest.push_back(with_page(op, i));
      return out;
    }
  }
  return dispatch(w, actor, op, g);
}

Result apply_all(World& w, Actor actor, const Op& op) {
  return apply(w, actor, op, Granularity::PerOp).result;
}

MmapLock mmap_lock_held(const Op& op) {
  if (std::holds_alternative<Fork>(op) || std::holds_alternative<Mprotect>(op) ||
      std::holds_alternative<Munlock>(op)) {
    return MmapLock::Write;
  }
  if (const auto* m = std::get_if<Madvise>(&op)) {
    // madvise_need_mmap_write (mm/madvise.c): DONTNEED (and the policy advices, which the
    // RFCs run under the read lock or per VMA) take it for read; the VMA-flag advices for write.
    switch (m->advice) {
      case Advice::WipeOnFork: case Advice::KeepOnFork: case Advice::DontFork:
      case Advice::DoFork: case Advice::DontDump: case Advice::DoDump:
        return MmapLock::Write;
      default: return MmapLock::Read;
    }
  }
  if (std::holds_alternative<Munmap>(op) || std::holds_alternative<Mlock>(op)) return MmapLock::Read;
  return MmapLock::None;  // loads and stores fault page by page; the rest is one step
}

namespace {

// Whether a store to page q needs a fault: the page is missing, swapped, the zero page, or
// mapped but write-protected (a COW-shared anonymous page, which fork write-protects with
// ptep_set_wrprotect in copy_present_pte, or a page-cache page of a private mapping). The
// model has no write bit; a private anonymous page is writable exactly when it is
// AnonExclusive, a shared mapping's page always (no write-notify for shmem and files here).
bool store_faults(const World& w, ProcId proc, Vpn q) {
  const Mm& mm = w.proc(proc).mm;
  const Vma* v = mm.vmas.at(q);
  auto it = mm.ptes.find(q);
  if (v == nullptr || v->prot != Prot::ReadWrite || it == mm.ptes.end() || !it->second.frame.valid()) return true;
  if (v->has(VmaFlag::Shared)) return false;
  const Frame& fr = w.frame(it->second.frame);
  return !(fr.has(FrameFlag::Anon) && fr.has(FrameFlag::AnonExclusive));
}

}  // namespace

bool waits_for_mmap_write(const World& w, ProcId proc, const Op& op) {
  const bool load = std::holds_alternative<Read>(op);
  const bool store = std::holds_alternative<Write>(op) || std::holds_alternative<Zero>(op);
  if (!load && !store) return true;  // mmap, munmap, madvise, mlock, pin, vmsplice, fork, ...
  const AddrRef& a = load ? std::get<Read>(op).addr
                          : std::holds_alternative<Write>(op) ? std::get<Write>(op).addr : std::get<Zero>(op).addr;
  std::optional<PageRange> r = resolve(w, proc, a);
  if (!r) return true;  // a bad address faults (SIGSEGV comes from the fault handler)
  // The next step touches the first page only: a load reads one page (ops::read), and at
  // granularity page a store runs one page per step (apply splits it).
  const Mm& mm = w.proc(proc).mm;
  if (!load) return store_faults(w, proc, r->begin);
  auto it = mm.ptes.find(r->begin);
  const Vma* v = mm.vmas.at(r->begin);
  return v == nullptr || v->prot == Prot::None || it == mm.ptes.end() || it->second.slot.valid();
}

bool actor_runnable(const World& w, Actor actor) {
  switch (actor.kind) {
    case Actor::Kind::System: return true;
    case Actor::Kind::Device: return !w.frozen();
    case Actor::Kind::Process: return !w.frozen() && w.proc(actor.proc()).alive();
  }
  return false;
}

bool actor_gone(const World& w, Actor actor) {
  return actor.kind == Actor::Kind::Process && w.proc(actor.proc()).gone();
}

std::vector<Op> choices(const World& w, const Op& op) {
  if (const auto* r = std::get_if<Reclaim>(&op); r != nullptr && !r->proc.valid()) {
    return ops::reclaim_choices(w);
  }
  return {op};
}

}  // namespace mmsim
