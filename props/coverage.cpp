// props/coverage.cpp: see coverage.h.
#include "props/coverage.h"

#include <algorithm>

#include "sim/apply.h"
#include "sim/kernel.h"

namespace mmsim::props {
namespace {

// A VMA some policy protects: a policy mark, mlock, wipeonfork or memfd_secret.
bool marked(const Vma& v) {
  return (v.flags & policy_vma_mark_bits()) != 0 || v.has(VmaFlag::Locked) ||
         v.has(VmaFlag::WipeOnFork) || v.has(VmaFlag::Secret);
}

std::string result_kind(const Result& r) {
  switch (r.kind) {
    case Result::Kind::Ok:
      return "ok";
    case Result::Kind::Number:
      return "value";
    case Result::Kind::Segv:
      return "SEGV";
    case Result::Kind::Err:
      return std::string(errno_name(r.err));
    case Result::Kind::Unset:
      return "unset";
  }
  return "?";
}

bool in_handle(const World& w, FrameId f, Handle::Kind kind) {
  return std::any_of(w.handles.begin(), w.handles.end(), [&](const Handle& h) {
    return h.kind == kind && h.active &&
           std::find(h.frames.begin(), h.frames.end(), f) != h.frames.end();
  });
}

// The process and page a reclaim or migrate step names, if it names one.
std::optional<std::pair<ProcId, Vpn>> system_target(const World& w, const Op& op) {
  ProcId p;
  const AddrRef* a = nullptr;
  if (const auto* r = op_if<Reclaim>(&op)) {
    if (!r->proc.valid()) {
      const auto c = op_get<ReclaimPage>(choices(w, op).front());
      if (!c.proc.valid()) return std::nullopt;
      return std::make_pair(c.proc, c.page);
    }
    p = r->proc;
    a = &r->addr;
  } else if (const auto* m = op_if<Migrate>(&op)) {
    p = m->proc;
    a = &m->addr;
  } else {
    return std::nullopt;
  }
  std::optional<PageRange> range = resolve(w, p, *a);
  if (!range) return std::nullopt;
  return std::make_pair(p, range->begin);
}

bool shares_frames(const World& w, ProcId p) {
  for (const auto& [v, pte] : w.proc(p).mm.ptes) {
    if (pte.frame.valid() && w.frame(pte.frame).mapcount > 1) return true;
  }
  return false;
}

}  // namespace

uint64_t Coverage::get(const std::string& key) const {
  auto it = counts_.find(key);
  return it == counts_.end() ? 0 : it->second;
}

void Coverage::merge(const Coverage& other) {
  for (const auto& [k, n] : other.counts_) counts_[k] += n;
}

void Coverage::record(const World& before, const World& after, const Step& s, const Result& got) {
  const std::string op(op_name(s.op));
  count("op/" + op);
  count("result/" + op + " -> " + result_kind(got));
  record_hooks(before, after, s);
  record_meets(before, after, s, got);
}

void Coverage::record_hooks(const World& before, const World& after, const Step& s) {
  const bool user_store = op_is<Write>(s.op) || op_is<Zero>(s.op) || op_is<DmaWrite>(s.op);
  for (size_t i = 0; i < after.mem.frames.size(); ++i) {
    const Frame& a = before.mem.frames[i];
    const Frame& b = after.mem.frames[i];
    const bool was_used = a.state == Frame::State::Used;
    const bool is_used = b.state == Frame::State::Used;
    if (!was_used && is_used) count("hook/on_fault_in (frame allocated)");
    if (was_used && !is_used) count("hook/on_free (frame freed)");
    if (a.mapcount > 0 && b.mapcount == 0) {
      count("hook/on_last_unmap");
      if (is_used) count("hook/on_last_unmap while still referenced");
    }
    if (a.value != 0 && b.value == 0 && !user_store) count("hook/kernel wipe (value zeroed)");
    if (!is_used && b.value != 0 && (was_used || a.value != b.value))
      count("hook/residue left in a freed frame");
  }
  for (size_t p = 0; p < after.procs.size(); ++p) {
    const auto& pa = before.procs[p].mm.ptes;
    const auto& pb = after.procs[p].mm.ptes;
    for (const auto& [v, pte] : pa) {
      auto it = pb.find(v);
      if (pte.frame.valid() && (it == pb.end() || !(it->second == pte))) {
        count(it == pb.end() ? "hook/on_zap_pte (PTE removed)"
                             : "hook/PTE moved to another frame or slot");
      }
      if (pte.slot.valid() && it != pb.end() && it->second.frame.valid()) count("hook/swap-in");
    }
  }
  for (size_t i = 0; i < after.swap.slots.size(); ++i) {
    if (before.swap.slots[i].state != SwapSlot::State::Used &&
        after.swap.slots[i].state == SwapSlot::State::Used) {
      count("hook/swap-out (slot taken)");
    }
  }
}

namespace {

void meets_fork(Coverage& c, const World& before, const Step& s) {
  const ProcId p = s.actor.proc();
  for (const Handle& h : before.handles) {
    if (!h.active || h.frames.empty()) continue;
    const bool mine = std::any_of(h.frames.begin(), h.frames.end(), [&](FrameId f) {
      const std::vector<Mapping> maps = rmap(before, f);
      return std::any_of(maps.begin(), maps.end(), [p](const Mapping& m) { return m.proc == p; });
    });
    if (mine)
      c.count(h.kind == Handle::Kind::Pin ? "meet/fork x pinned page" : "meet/fork x spliced page");
  }
  if (shares_frames(before, p)) c.count("meet/fork x COW-shared page");
  const auto& vmas = before.proc(p).mm.vmas.vmas;
  if (std::any_of(vmas.begin(), vmas.end(), marked)) c.count("meet/fork x marked range");
}

void meets_system(Coverage& c, const World& before, const Step& s) {
  const auto t = system_target(before, s.op);
  if (!t) return;
  const Vma* v = before.proc(t->first).mm.vmas.at(t->second);
  const std::string what = op_is<Reclaim>(s.op) ? "meet/reclaim" : "meet/migrate";
  if (v != nullptr && marked(*v)) c.count(what + " x marked page");
  const auto& ptes = before.proc(t->first).mm.ptes;
  auto it = ptes.find(t->second);
  if (it == ptes.end() || !it->second.frame.valid()) return;
  if (before.frame(it->second.frame).mapcount > 1) c.count(what + " x COW-shared page");
  if (in_handle(before, it->second.frame, Handle::Kind::Pipe)) c.count(what + " x spliced page");
}

void meets_last_unmap(Coverage& c, const World& before, const World& after) {
  for (size_t i = 0; i < after.mem.frames.size(); ++i) {
    const FrameId f{static_cast<uint16_t>(i)};
    if (before.frame(f).mapcount == 0 || after.frame(f).mapcount != 0) continue;
    if (in_handle(before, f, Handle::Kind::Pin)) c.count("meet/last unmap x pinned page");
    if (in_handle(before, f, Handle::Kind::Pipe)) c.count("meet/last unmap x spliced page");
    if (before.frame(f).mlocked()) c.count("meet/last unmap x mlocked page");
  }
}

// A device or pipe access to a page nobody maps any more.
void meets_after_unmap(Coverage& c, const World& before, const Step& s) {
  HandleId h;
  std::string what;
  if (const auto* d = op_if<DmaRead>(&s.op)) h = d->handle, what = "meet/dma-read after unmap";
  if (const auto* d = op_if<DmaWrite>(&s.op)) h = d->handle, what = "meet/dma-write after unmap";
  if (const auto* r = op_if<PipeRead>(&s.op)) h = r->handle, what = "meet/pipe-read after unmap";
  if (!h.valid()) return;
  const Handle& hd = before.handle(h);
  if (!hd.frames.empty() && hd.frames.front() != kZeroPage &&
      before.frame(hd.frames.front()).mapcount == 0) {
    c.count(what);
  }
}

void meets_task_and_power(Coverage& c, const World& before, const Step& s) {
  if ((op_is<Exit>(s.op) || op_is<Exec>(s.op)) && shares_frames(before, s.actor.proc())) {
    c.count("meet/exit or exec x COW-shared page");
  }
  if (const auto* k = op_if<Kill>(&s.op); k != nullptr && shares_frames(before, k->proc)) {
    c.count("meet/kill x COW-shared page");
  }
  const bool power = op_is<Suspend>(s.op) || op_is<Hibernate>(s.op) || op_is<Resume>(s.op);
  if (!power) return;
  for (const Process& p : before.procs) {
    if (!p.alive()) continue;
    const auto& vmas = p.mm.vmas.vmas;
    if (std::any_of(vmas.begin(), vmas.end(),
                    [](const Vma& v) { return v.has(VmaFlag::WipeOnSuspend); })) {
      c.count("meet/" + std::string(op_name(s.op)) + " x wipeonsuspend range");
      return;
    }
  }
}

}  // namespace

void Coverage::record_meets(const World& before, const World& after, const Step& s,
                            const Result& got) {
  meets_last_unmap(*this, before, after);  // also when a fault killed the process
  const bool ok = got.is_ok() || got.kind == Result::Kind::Number;
  if (!ok) return;  // a failed op met nothing else
  if (s.actor.kind == Actor::Kind::Process && op_is<Fork>(s.op)) meets_fork(*this, before, s);
  meets_system(*this, before, s);
  meets_after_unmap(*this, before, s);
  meets_task_and_power(*this, before, s);
  if (const auto* m = op_if<Madvise>(&s.op)) {
    count("meet/madvise " + std::string(advice_name(m->advice)) + " ok");
  }
}

std::string Coverage::report() const {
  std::string out;
  for (const auto& [k, n] : counts_)
    out +=
        "  " + k + std::string(k.size() < 56 ? 56 - k.size() : 1, ' ') + std::to_string(n) + "\n";
  return out;
}

}  // namespace mmsim::props
