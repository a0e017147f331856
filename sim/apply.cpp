// sim/apply.cpp: op dispatch, name resolution and the page-granularity split. See apply.h.
#include "sim/apply.h"
#include "sim/op_table.h"
#include "sim/overloaded.h"

#include "sim/check.h"
#include "sim/ops.h"

namespace mmsim {
namespace {

// The ops that run one page per step at granularity page (kOpTable's split column).
const AddrRef* splittable_addr(const Op& op) {
  return op_info(op).split == OpSplit::PerPage ? op_addr(op) : nullptr;
}

// The same op on page i of its binding (index relative to the mapping's base).
Op with_page(Op op, uint32_t i) {
  visit_op(
      [i](auto& o) {
        if (AddrRef* a = op_addr(o)) *a = AddrRef{a->name, AddrRef::Span::Slice, i, i + 1};
      },
      op);
  return op;
}

// The page a system op names in another process: `reclaim P ADDR`, `migrate P ADDR`.
Result system_page_op(World& w, ProcId p, const AddrRef& a,
                      Result (*page_op)(World&, ProcId, Vpn)) {
  if (!w.proc(p).alive()) return Result::error(Errno::Srch);
  std::optional<PageRange> r = resolve(w, p, a);
  if (!r) return Result::error(Errno::Inval);
  return page_op(w, p, r->begin);
}

// An op of the language. A process op on an ADDR resolves it first, and fails as Linux would
// for a bad pointer: SIGSEGV for a load or store (the fault handler), EINVAL for the rest.
Outcome dispatch_lang(World& w, Actor actor, const LangOp& op, Granularity g) {
  const ProcId self = actor.proc();
  const OpInfo& info = op_info(op);
  std::optional<PageRange> r;
  if (info.addr == OpAddr::Own) {
    r = resolve(w, self, *op_addr(op));
    if (!r && info.access != OpAccess::None) {
      return {fault_failure(w, self, Vpn{}, Fault{Fault::Kind::Segv, FrameId::none()}), {}};
    }
    if (!r) return {Result::error(Errno::Inval), {}};
  }
  auto one = [](Result res) { return Outcome{res, {}}; };
  return std::visit(
      Overloaded{
          [&](const Mmap& o) { return one(ops::mmap(w, self, o)); },
          [&](const Munmap&) { return one(ops::munmap(w, self, *r)); },
          [&](const Madvise& o) { return one(ops::madvise(w, self, *r, o.advice)); },
          [&](const Mlock&) { return one(ops::mlock(w, self, *r)); },
          [&](const Munlock&) { return one(ops::munlock(w, self, *r)); },
          [&](const Mprotect& o) { return one(ops::mprotect(w, self, *r, o.prot)); },
          [&](const Write& o) { return one(ops::write(w, self, *r, o.value)); },
          [&](const Read&) { return one(ops::read(w, self, *r)); },
          [&](const Zero&) { return one(ops::write(w, self, *r, 0)); },
          [&](const Fork& o) { return ops::fork(w, self, o.child, g); },
          [&](const Exec&) { return ops::exit(w, self, FinishWhat::Exec, g); },
          [&](const Exit&) { return ops::exit(w, self, FinishWhat::Exit, g); },
          [&](const Pin& o) { return one(ops::pin(w, self, *r, o.kind, o.dir, o.handle)); },
          [&](const Vmsplice& o) { return one(ops::vmsplice(w, self, *r, o.handle)); },
          [&](const DmaRead& o) { return one(ops::dma_read(w, o.handle)); },
          [&](const DmaWrite& o) { return one(ops::dma_write(w, o.handle, o.value)); },
          [&](const Unpin& o) { return one(ops::unpin(w, o.handle)); },
          [&](const PipeRead& o) { return one(ops::pipe_read(w, o.handle)); },
          [&](const PipeClose& o) { return one(ops::pipe_close(w, o.handle)); },
          [&](const Reclaim& o) {
            if (o.proc.valid()) return one(system_page_op(w, o.proc, o.addr, ops::reclaim_page));
            const ReclaimPage first = op_get<ReclaimPage>(choices(w, Op{op}).front());
            return one(ops::reclaim_page(w, first.proc, first.page));
          },
          [&](const Migrate& o) { return one(system_page_op(w, o.proc, o.addr, ops::migrate)); },
          [&](const Kill& o) { return ops::exit(w, o.proc, FinishWhat::Kill, g); },
          [&](const Suspend&) { return ops::power(w, PowerEvent::Suspend, g); },
          [&](const Hibernate&) { return ops::power(w, PowerEvent::Hibernate, g); },
          [&](const Resume&) { return ops::power(w, PowerEvent::Resume, g); },
          [&](const Snapshot&) { return one(ops::snapshot(w)); },
      },
      op);
}

// A page step of an op in flight: one step each.
Result dispatch_step(World& w, const PageStep& step) {
  return std::visit(Overloaded{
                        [&](const ReclaimPage& o) { return ops::reclaim_page(w, o.proc, o.page); },
                        [&](const ForkPage& o) { return ops::fork_page(w, o); },
                        [&](const ZapPage& o) {
                          zap_pte(w, o.proc, o.page,
                                  o.cause);  // kill and exec zap as Kill and Exec
                          return Result::ok();
                        },
                        [&](const Finish& o) { return ops::finish(w, o); },
                        [&](const PowerPage& o) { return ops::power_page(w, o); },
                        [&](const PowerDone& o) { return ops::power_done(w, o.event); },
                    },
                    step);
}

Outcome dispatch(World& w, Actor actor, const Op& op, Granularity g) {
  return std::visit(Overloaded{
                        [&](const LangOp& o) { return dispatch_lang(w, actor, o, g); },
                        [&](const PageStep& o) {
                          return Outcome{dispatch_step(w, o), {}};
                        },
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
  if (op_is<Fork>(op) || op_is<Mprotect>(op) || op_is<Munlock>(op)) {
    return MmapLock::Write;
  }
  if (const auto* m = op_if<Madvise>(&op)) {
    // madvise_need_mmap_write (mm/madvise.c): DONTNEED (and the policy advices, which the
    // RFCs run under the read lock or per VMA) take it for read; the VMA-flag advices for write.
    switch (m->advice) {
      case Advice::WipeOnFork: case Advice::KeepOnFork: case Advice::DontFork:
      case Advice::DoFork: case Advice::DontDump: case Advice::DoDump:
        return MmapLock::Write;
      default: return MmapLock::Read;
    }
  }
  if (op_is<Munmap>(op) || op_is<Mlock>(op)) return MmapLock::Read;
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
  const OpAccess access = op_info(op).access;
  if (access == OpAccess::None)
    return true;  // mmap, munmap, madvise, mlock, pin, vmsplice, fork, ...
  const AddrRef& a = *op_addr(op);
  std::optional<PageRange> r = resolve(w, proc, a);
  if (!r) return true;  // a bad address faults (SIGSEGV comes from the fault handler)
  // The next step touches the first page only: a load reads one page (ops::read), and at
  // granularity page a store runs one page per step (apply splits it).
  const Mm& mm = w.proc(proc).mm;
  if (access == OpAccess::Store) return store_faults(w, proc, r->begin);
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
  if (const auto* r = op_if<Reclaim>(&op); r != nullptr && !r->proc.valid()) {
    return ops::reclaim_choices(w);
  }
  return {op};
}

}  // namespace mmsim
