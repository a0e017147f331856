// model/conform/schedule.cpp: choosing schedules and translating them (see schedule.h).
#include "model/conform/schedule.h"

#include <algorithm>
#include <cerrno>
#include <set>

#include "model/check/eval.h"
#include "model/litmus/printer.h"
#include "sim/apply.h"
#include "sim/invariants.h"
#include "sim/overloaded.h"

namespace mmsim::conform {
namespace {

using model::Path;
using model::Program;
using model::State;

int16_t idx(size_t v) { return static_cast<int16_t>(v); }

void set_addr(cf_step& c, const AddrRef& a) {
  c.name = idx(a.name.index());
  c.first = a.span == AddrRef::Span::Whole ? 0 : static_cast<int32_t>(a.first);
  c.last = a.span == AddrRef::Span::Whole ? -1 : static_cast<int32_t>(a.last);
}

int32_t madv(Advice a) {
  switch (a) {
    case Advice::WipeOnFork: return 18;  // MADV_WIPEONFORK
    case Advice::KeepOnFork: return 19;
    case Advice::DontFork: return 10;
    case Advice::DoFork: return 11;
    case Advice::DontNeed: return 4;
    case Advice::DontDump: return 16;
    case Advice::DoDump: return 17;
    default: return CF_ADV_NONE;  // not in mainline: EINVAL, as an unknown advice
  }
}

int32_t mmap_flags(const Mmap& m) {
  int32_t f = 0;
  if (m.backing == Backing::Secret) f |= CF_SECRET | CF_FILE | (m.sharing == Sharing::Private ? 0 : CF_SHARED);
  else if (m.sharing == Sharing::Shared) f |= CF_SHARED;
  if (m.backing == Backing::File) f |= CF_FILE;
  if (m.backing == Backing::Droppable) f |= CF_DROPPABLE;
  return f;
}

// The runtime step for `op` run by `actor` in state `before`; false when it cannot run here.
bool to_step(const World& before, Actor actor, const Op& op, cf_step* out, std::string* why) {
  cf_step c{};
  c.kind = static_cast<int16_t>(actor.kind == Actor::Kind::Process ? CF_PROCESS
                                : actor.kind == Actor::Kind::Device ? CF_DEVICE : CF_SYSTEM);
  c.actor = idx(actor.index);
  c.name = -1;
  c.last = -1;
  c.handle = -1;
  bool ok = true;
  visit_op(Overloaded{
      [&](const Mmap& o) { c.op = CF_MMAP; c.name = idx(o.name.index()); c.a = static_cast<int32_t>(o.pages); c.b = mmap_flags(o); },
      [&](const Munmap& o) { c.op = CF_MUNMAP; set_addr(c, o.addr); },
      [&](const Madvise& o) { c.op = CF_MADVISE; set_addr(c, o.addr); c.a = madv(o.advice); },
      [&](const Mlock& o) { c.op = CF_MLOCK; set_addr(c, o.addr); },
      [&](const Munlock& o) { c.op = CF_MUNLOCK; set_addr(c, o.addr); },
      [&](const Mprotect& o) { c.op = CF_MPROTECT; set_addr(c, o.addr); c.a = static_cast<int32_t>(o.prot == Prot::None ? 0 : o.prot == Prot::Read ? 1 : 2); },
      [&](const Write& o) { c.op = CF_WRITE; set_addr(c, o.addr); c.value = o.value; },
      [&](const Read& o) { c.op = CF_READ; set_addr(c, o.addr); },
      [&](const Zero& o) { c.op = CF_ZERO; set_addr(c, o.addr); },
      [&](const Fork& o) { c.op = CF_FORK; c.a = static_cast<int32_t>(o.child.index()); },
      [&](const Exec&) { c.op = CF_EXEC; },
      [&](const Exit&) { c.op = CF_EXIT; },
      [&](const Pin& o) { c.op = CF_PIN; set_addr(c, o.addr); c.a = o.kind == PinKind::Longterm ? 1 : 0; c.handle = static_cast<int32_t>(o.handle.index()); c.b = o.dir == PinDir::Read ? 1 : 0; },
      [&](const Vmsplice& o) { c.op = CF_VMSPLICE; set_addr(c, o.addr); c.handle = static_cast<int32_t>(o.handle.index()); },
      [&](const DmaRead& o) { c.op = CF_DMA_READ; c.handle = static_cast<int32_t>(o.handle.index()); },
      [&](const DmaWrite& o) { c.op = CF_DMA_WRITE; c.handle = static_cast<int32_t>(o.handle.index()); c.value = o.value; },
      [&](const Unpin& o) { c.op = CF_UNPIN; c.handle = static_cast<int32_t>(o.handle.index()); },
      [&](const PipeRead& o) { c.op = CF_PIPE_READ; c.handle = static_cast<int32_t>(o.handle.index()); },
      [&](const PipeClose& o) { c.op = CF_PIPE_CLOSE; c.handle = static_cast<int32_t>(o.handle.index()); },
      [&](const Reclaim& o) {
        c.op = o.proc.valid() ? CF_RECLAIM : CF_RECLAIM_NONE;  // a plain `reclaim` in init: see add_init
        c.a = o.proc.valid() ? static_cast<int32_t>(o.proc.index()) : -1;
        if (o.proc.valid()) set_addr(c, o.addr);
      },
      [&](const ReclaimPage& o) {
        c.op = CF_RECLAIM_NONE;
        if (!o.proc.valid()) return;
        const Process& pr = before.proc(o.proc);
        for (size_t n = 0; n < pr.names.size(); ++n) {
          const Binding& b = pr.names[n];
          if (b.bound && b.base.v <= o.page.v && o.page.v < b.base.v + b.pages) {
            c.op = CF_RECLAIM;
            c.a = static_cast<int32_t>(o.proc.index());
            c.name = idx(static_cast<uint32_t>(n));
            c.first = static_cast<int32_t>(o.page.v - b.base.v);
            c.last = c.first + 1;
            return;
          }
        }
        ok = false;
        *why = "reclaim of a page no name covers";
      },
      [&](const Kill& o) { c.op = CF_KILL; c.a = static_cast<int32_t>(o.proc.index()); },
      [&](const Migrate&) { ok = false; *why = "migrate"; },
      [&](const Suspend&) { ok = false; *why = "suspend, hibernate, resume or snapshot"; },
      [&](const Hibernate&) { ok = false; *why = "suspend, hibernate, resume or snapshot"; },
      [&](const Resume&) { ok = false; *why = "suspend, hibernate, resume or snapshot"; },
      [&](const Snapshot&) { ok = false; *why = "suspend, hibernate, resume or snapshot"; },
      [&](const ForkPage&) { ok = false; *why = "a page step"; },
      [&](const ZapPage&) { ok = false; *why = "a page step"; },
      [&](const Finish&) { ok = false; *why = "a page step"; },
      [&](const PowerPage&) { ok = false; *why = "a page step"; },
      [&](const PowerDone&) { ok = false; *why = "a page step"; },
  }, op);
  *out = c;
  return ok;
}

// Depth-first paths to final states; at page granularity an op's page steps run back to back.
void dfs(const Program& prog, const State& s, Path& path, std::vector<Path>& out, size_t limit, size_t& budget) {
  if ((limit != 0 && out.size() >= limit) || budget == 0) return;
  --budget;
  std::vector<model::Transition> succ = prog.successors(s);
  if (succ.empty()) {
    out.push_back(path);
    return;
  }
  int busy = -1;
  for (size_t t = 0; t < s.threads.size(); ++t) if (!s.threads[t].pending.empty()) busy = static_cast<int>(t);
  for (const model::Transition& tr : succ) {
    if (busy >= 0 && tr.thread != busy) continue;
    State n = s;
    prog.step(n, tr);
    path.push_back(tr);
    dfs(prog, n, path, out, limit, budget);
    path.pop_back();
  }
}

bool interleaves_pages(const Program& prog, const Path& p) {
  State s;
  std::string v;
  s = prog.initial(&v);
  for (const model::Transition& tr : p) {
    for (size_t t = 0; t < s.threads.size(); ++t)
      if (!s.threads[t].pending.empty() && t != tr.thread) return true;
    prog.step(s, tr);
  }
  return false;
}

}  // namespace

cf_res to_cf(const Result& r) {
  cf_res c{};
  static const int errnos[] = {EINVAL, ENOMEM, EFAULT, EPERM, EAGAIN, EBUSY, ENOENT, ENOSPC, ESRCH};
  switch (r.kind) {
    case Result::Kind::Unset: c.kind = CF_R_UNSET; break;
    case Result::Kind::Ok: c.kind = CF_R_OK; break;
    case Result::Kind::Number: c.kind = CF_R_NUM; c.value = r.value; break;
    case Result::Kind::Segv: c.kind = CF_R_SEGV; break;
    case Result::Kind::Err: c.kind = CF_R_ERR; c.err = errnos[static_cast<int>(r.err)]; break;
  }
  return c;
}

std::string result_text(const cf_step& st, cf_res r) {
  cf_canon(&st, &r);
  char buf[64];
  cf_res_str(&r, buf, sizeof buf);
  return buf;
}


namespace {

// Test-level reasons and the atoms to observe; fills p.skip, p.obs, p.check_skip, p.need_swap.
void survey(const litmus::Test& t, bool two_nodes, Plan& p) {
  auto scan = [&](const Step& st) {
    if (op_is<Migrate>(st.op) && p.skip.empty())
      p.skip = two_nodes ? "migrate (not in the runner)" : "migrate (one NUMA node)";
    if (op_is<Suspend>(st.op) || op_is<Hibernate>(st.op) ||
        op_is<Resume>(st.op) || op_is<Snapshot>(st.op))
      p.skip = "suspend, hibernate, resume or snapshot";
    if (op_is<Reclaim>(st.op)) p.need_swap = true;
  };
  for (const Step& st : t.init) scan(st);
  for (const litmus::Thread& th : t.threads) for (const Step& st : th.steps) scan(st);
  using K = litmus::Where::Kind;
  for (const litmus::Check& c : t.checks) {
    std::string why;
    std::vector<const litmus::Expr*> todo{&c.expr};
    while (!todo.empty()) {
      const litmus::Expr* e = todo.back();
      todo.pop_back();
      for (const litmus::Expr& k : e->kids) todo.push_back(&k);
      if (e->kind != litmus::Expr::Kind::Has) continue;
      const K k = e->where.kind;
      if (k == K::Free || k == K::Ram || k == K::Kernel || k == K::Image) {
        if (why.empty()) why = k == K::Free ? "free unobservable" : k == K::Ram ? "ram unobservable"
                             : k == K::Kernel ? "kernel unobservable" : "image unobservable";
        continue;
      }
      cf_obs o{};
      o.kind = k == K::Swap ? CF_OBS_SWAP : k == K::Process ? CF_OBS_PROC : CF_OBS_HANDLE;
      o.index = k == K::Process ? static_cast<int32_t>(e->where.proc.index())
                : k == K::Handle ? static_cast<int32_t>(e->where.handle.index()) : 0;
      o.value = e->value;
      if (k == K::Swap) p.need_swap = true;
      const bool dup = std::any_of(p.obs.begin(), p.obs.end(), [&](const ObsAtom& a) {
        return a.obs.kind == o.kind && a.obs.index == o.index && a.obs.value == o.value; });
      std::string where = k == K::Swap ? "swap" : k == K::Process ? t.procs[o.index] : t.handles[o.index];
      if (!dup) p.obs.push_back(ObsAtom{o, e->where, where + " has " + litmus::format_value(o.value)});
    }
    p.check_skip.push_back(why);
  }
}

// Why the kernel cannot reproduce what the model did in one step, or "" (docs/conform.md):
// - the step failed with ENOMEM while the model had no free frame: it ran out of the model's
//   `frames N`, and the kernel has far more memory;
// - a `dio` pin that the model took short (the pages before the first one GUP cannot take, as
//   an O_DIRECT request does): the runner's fixed buffer is all or nothing.
const char* unreproducible(bool no_free_frame, const Op& op, const Result& r) {
  if (no_free_frame && r == Result::error(Errno::NoMem)) return "model out of frames (the kernel has more memory)";
  const auto* pin = op_if<Pin>(&op);
  if (pin != nullptr && pin->kind == PinKind::Dio && r.kind == Result::Kind::Number)
    return "short dio pin (a fixed buffer is all or nothing)";
  return "";
}

void skip_if_unreproducible(bool no_free_frame, const Op& op, const Result& r, Schedule& sc) {
  if (sc.skip.empty()) sc.skip = unreproducible(no_free_frame, op, r);
}

// The register slot and the op line of a step just added to sc.steps.
void add_step_text(const Program& prog, const litmus::Test& t, const Plan& p, const Step& st, Schedule& sc) {
  sc.dest.push_back(st.dest.valid() ? static_cast<int>(prog.actor_slot(st.actor) * p.regs + st.dest.index()) : -1);
  sc.text.push_back(litmus::print_step(t, st));
}

void add_init(const Program& prog, const litmus::Test& t, const Plan& p, Schedule& sc) {
  WorldConfig cfg;
  cfg.frames = t.frames;
  cfg.swap_slots = t.swap_slots;
  cfg.procs = static_cast<uint32_t>(t.procs.size());
  cfg.initial = t.initial_procs;
  cfg.names = static_cast<uint32_t>(t.names.size());
  cfg.handles = static_cast<uint32_t>(t.handles.size());
  cfg.policy = prog.policy;
  World w(cfg);
  for (const Step& st : t.init) {
    if (st.actor.kind == Actor::Kind::Process && !w.proc(st.actor.proc()).alive()) continue;
    cf_step c{};
    if (!to_step(w, st.actor, st.op, &c, &sc.skip)) return;
    c.line = static_cast<int32_t>(st.line);
    sc.steps.push_back(c);
    const bool no_free_frame = w.mem.free_list.empty();
    sc.model.push_back(apply_all(w, st.actor, st.op));
    skip_if_unreproducible(no_free_frame, st.op, sc.model.back(), sc);
    if (c.op == CF_RECLAIM_NONE && !(sc.model.back() == Result::error(Errno::Again))) {
      sc.skip = "reclaim without a target in init";  // the page apply_all chose is not recorded
      return;
    }
    add_step_text(prog, t, p, st, sc);
  }
}

Schedule build(const Program& prog, const litmus::Test& t, const Plan& p, const Path& path) {
  Schedule sc;
  sc.path = path;
  add_init(prog, t, p, sc);
  std::string v;
  State s = prog.initial(&v);
  for (const model::Transition& tr : path) {
    const bool first = s.threads[tr.thread].pending.empty();
    const Step& st = t.threads[tr.thread].steps[s.threads[tr.thread].pc];
    const World before = s.world;
    Program::Ran ran = prog.step(s, tr);
    skip_if_unreproducible(before.mem.free_list.empty(), st.op, ran.result, sc);
    if (first) {
      const Op& op = op_is<ReclaimPage>(ran.op) ? ran.op : st.op;
      cf_step c{};
      if (!to_step(before, st.actor, op, &c, &sc.skip) && sc.skip.empty()) sc.skip = "unsupported op";
      c.line = static_cast<int32_t>(st.line);
      sc.steps.push_back(c);
      sc.model.push_back(ran.result);
      add_step_text(prog, t, p, st, sc);
    }
    if (ran.completes && !sc.model.empty())
      sc.model.back() = st.dest.valid() ? prog.reg(s, st.actor, st.dest) : ran.result;
  }
  for (const ObsAtom& a : p.obs) sc.model_obs.push_back(model::where_has(s.world, a.where, a.obs.value));
  for (const litmus::Check& c : t.checks) sc.model_checks.push_back(model::holds_in(prog, s, c.expr));
  return sc;
}

}  // namespace

Plan plan(const litmus::Test& t, size_t limit, bool two_nodes) {
  Plan p;
  const Program prog{&t, PolicyId::Mainline, static_cast<uint32_t>(t.regs.size())};
  p.regs = t.regs.size();
  p.slots = t.procs.size() + t.devices.size() + 1;
  survey(t, two_nodes, p);
  if (!p.skip.empty()) return p;
  std::string viol;
  const State s0 = prog.initial(&viol);
  if (!viol.empty()) { p.skip = "model error"; return p; }
  std::vector<Path> paths;
  Path cur;
  size_t budget = 200000;
  dfs(prog, s0, cur, paths, limit, budget);
  const size_t explored = paths.size();
  model::Limits lim;
  lim.progress = false;
  lim.max_states = 500000;
  const model::SearchResult sr = model::search(prog, lim);
  if (sr.error) { p.skip = "model error"; return p; }
  for (const model::CheckOutcome& c : sr.checks) {
    for (const std::optional<Path>* w : {&c.witness, &c.other}) {
      if (!*w || std::find(paths.begin(), paths.end(), **w) != paths.end()) continue;
      if (!interleaves_pages(prog, **w)) paths.push_back(**w);
    }
  }
  for (size_t i = 0; i < paths.size(); ++i) {
    p.schedules.push_back(build(prog, t, p, paths[i]));
    p.schedules.back().witness = i >= explored;
  }
  return p;
}

bool eval_expr(const litmus::Test& t, const Plan& p, const litmus::Expr& e, const std::vector<std::string>& regs,
               const std::vector<bool>& obs) {
  using K = litmus::Expr::Kind;
  switch (e.kind) {
    case K::Or: return std::any_of(e.kids.begin(), e.kids.end(), [&](const litmus::Expr& k) { return eval_expr(t, p, k, regs, obs); });
    case K::And: return std::all_of(e.kids.begin(), e.kids.end(), [&](const litmus::Expr& k) { return eval_expr(t, p, k, regs, obs); });
    case K::Not: return !eval_expr(t, p, e.kids[0], regs, obs);
    case K::RegEq:
    case K::RegNe: {
      const size_t slot = e.actor.kind == Actor::Kind::Process ? e.actor.index
                          : e.actor.kind == Actor::Kind::Device ? t.procs.size() + e.actor.index
                                                                : t.procs.size() + t.devices.size();
      const std::string& got = regs[slot * p.regs + e.reg.index()];
      cf_res want = to_cf(e.expected);
      char buf[64];
      cf_res_str(&want, buf, sizeof buf);
      const bool eq = !got.empty() && got == buf;
      return e.kind == K::RegEq ? eq : !eq;
    }
    case K::Has: break;
  }
  for (size_t i = 0; i < p.obs.size(); ++i)
    if (p.obs[i].obs.value == e.value && p.obs[i].where.kind == e.where.kind &&
        p.obs[i].where.proc == e.where.proc && p.obs[i].where.handle == e.where.handle)
      return obs[i];
  return false;
}

}  // namespace mmsim::conform
