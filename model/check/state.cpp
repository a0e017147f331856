// model/check/state.cpp: compiled programs, transitions and state fingerprints. See state.h.
#include "model/check/state.h"

#include "sim/check.h"
#include "sim/fingerprint.h"
#include "sim/invariants.h"

namespace mmsim::model {
namespace {

void hash_result(Hasher& h, const Result& r) {
  h.add((uint64_t{static_cast<uint8_t>(r.kind)} << 8) | static_cast<uint8_t>(r.err));
  h.add(r.value);
}

}  // namespace

size_t Program::actor_slot(Actor a) const {
  switch (a.kind) {
    case Actor::Kind::Process: return a.index;
    case Actor::Kind::Device: return test->procs.size() + a.index;
    case Actor::Kind::System: return test->procs.size() + test->devices.size();
  }
  return 0;
}

const Result& Program::reg(const State& s, Actor a, RegId r) const {
  return s.regs[actor_slot(a) * reg_count + r.index()];
}

State Program::initial(std::string* violation) const {
  WorldConfig cfg;
  cfg.frames = test->frames;
  cfg.swap_slots = test->swap_slots;
  cfg.procs = static_cast<uint32_t>(test->procs.size());
  cfg.initial = test->initial_procs;
  cfg.names = static_cast<uint32_t>(test->names.size());
  cfg.handles = static_cast<uint32_t>(test->handles.size());
  cfg.policy = policy;
  State s{World(cfg), std::vector<ThreadState>(test->threads.size()),
          std::vector<Result>((test->procs.size() + test->devices.size() + 1) * reg_count)};
  for (const Step& st : test->init) {
    if (st.actor.kind == Actor::Kind::Process && !s.world.proc(st.actor.proc()).alive()) continue;
    Result r = apply_all(s.world, st.actor, st.op);
    if (st.dest.valid()) s.regs[actor_slot(st.actor) * reg_count + st.dest.index()] = r;
    if (Violation v = check_all(s.world)) {
      *violation = *v;
      break;
    }
  }
  retire_gone_threads(s);
  return s;
}

bool Program::thread_done(const State& s, size_t t) const {
  return s.threads[t].pending.empty() && s.threads[t].pc >= test->threads[t].steps.size();
}

bool Program::thread_enabled(const State& s, size_t t) const {
  if (thread_done(s, t)) return false;
  if (mmap_lock_waits(s, t)) return false;
  if (!s.threads[t].pending.empty()) return true;  // a page step of an op already under way
  if (!actor_runnable(s.world, test->threads[t].actor)) return false;
  // SIGKILL takes effect when the victim returns to user space: an op the victim has under way
  // (a fork copying pages, say) finishes first.
  if (const auto* k = op_if<Kill>(&test->threads[t].steps[s.threads[t].pc].op)) {
    for (size_t u = 0; u < test->threads.size(); ++u) {
      const Actor a = test->threads[u].actor;
      if (a.kind == Actor::Kind::Process && a.proc() == k->proc && !s.threads[u].pending.empty()) return false;
    }
  }
  return true;
}

// mmap_lock between threads of one process at granularity page (docs/model.md): while another
// thread u is in the middle of an op that holds the mm's mmap_lock across its steps
// (sim::mmap_lock_held), thread t's next step waits when u holds it for write and the step
// takes the lock or faults (sim::waits_for_mmap_write), or when u holds it for read and t's
// step would start an op that takes it for write.
bool Program::mmap_lock_waits(const State& s, size_t t) const {
  const Actor me = test->threads[t].actor;
  if (me.kind != Actor::Kind::Process) return false;
  const bool starting = s.threads[t].pending.empty();
  for (size_t u = 0; u < test->threads.size(); ++u) {
    if (u == t || test->threads[u].actor != me || s.threads[u].pending.empty()) continue;
    const MmapLock held = mmap_lock_held(test->threads[u].steps[s.threads[u].pc].op);
    if (held == MmapLock::Write && waits_for_mmap_write(s.world, me.proc(), next_op(s, t))) return true;
    if (held == MmapLock::Read && starting &&
        mmap_lock_held(test->threads[t].steps[s.threads[t].pc].op) == MmapLock::Write) {
      return true;
    }
  }
  return false;
}

Op Program::next_op(const State& s, size_t t) const {
  const ThreadState& ts = s.threads[t];
  return ts.pending.empty() ? test->threads[t].steps[ts.pc].op : ts.pending.front();
}

std::vector<Transition> Program::successors(const State& s) const {
  std::vector<Transition> out;
  for (size_t t = 0; t < test->threads.size(); ++t) {
    if (!thread_enabled(s, t)) continue;
    const size_t n = s.threads[t].pending.empty() ? choices(s.world, next_op(s, t)).size() : 1;
    for (size_t c = 0; c < n; ++c) {
      out.push_back(Transition{static_cast<uint16_t>(t), static_cast<uint16_t>(c)});
    }
  }
  return out;
}

void Program::finish_op(State& s, size_t t, Actor actor, RegId dest) const {
  ThreadState& ts = s.threads[t];
  if (dest.valid()) s.regs[actor_slot(actor) * reg_count + dest.index()] = ts.acc;
  ts.pending.clear();
  ts.acc = Result{};
  ts.pc++;
}

void Program::retire_gone_threads(State& s) const {
  for (size_t t = 0; t < test->threads.size(); ++t) {
    if (!actor_gone(s.world, test->threads[t].actor)) continue;
    ThreadState& ts = s.threads[t];
    ts.pending.clear();
    ts.acc = Result{};
    ts.pc = static_cast<uint16_t>(test->threads[t].steps.size());  // the rest is skipped
  }
}

Program::Ran Program::step(State& s, Transition tr) const {
  const litmus::Thread& th = test->threads[tr.thread];
  ThreadState& ts = s.threads[tr.thread];
  const Step& st = th.steps[ts.pc];
  const bool first = ts.pending.empty();
  Op op = first ? choices(s.world, st.op)[tr.choice] : ts.pending.front();
  if (!first) ts.pending.erase(ts.pending.begin());
  Outcome out = apply(s.world, th.actor, op, granularity());
  ts.acc = first ? out.result : combine(ts.acc, out.result);
  ts.pending.insert(ts.pending.begin(), out.rest.begin(), out.rest.end());
  Ran ran{th.actor, op, out.result, false, st.line};
  if (ts.pending.empty() || actor_gone(s.world, th.actor)) {
    ran.completes = true;
    ran.result = ts.acc;  // the op's result: the first non-ok of its steps
    finish_op(s, tr.thread, th.actor, st.dest);
  }
  retire_gone_threads(s);
  return ran;
}

bool Program::deadlocked(const State& s) const {
  for (size_t t = 0; t < test->threads.size(); ++t) {
    if (!thread_done(s, t)) return true;
  }
  return false;
}

uint64_t Program::fingerprint(const State& s) const {
  Hasher h;
  hash_world(h, s.world);
  for (const ThreadState& ts : s.threads) {
    h.add(ts.pc);
    hash_result(h, ts.acc);
    h.add(ts.pending.size());
    for (const Op& op : ts.pending) hash_op(h, op);
  }
  for (const Result& r : s.regs) hash_result(h, r);
  return h.digest();
}

}  // namespace mmsim::model
