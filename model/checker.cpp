// model/checker.cpp: breadth-first exploration with a fingerprint store. See checker.h.
#include "model/checker.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <deque>
#include <unordered_map>

#include "model/eval.h"
#include "sim/invariants.h"

namespace mmsim::model {
namespace {

struct Node {
  uint32_t parent;
  Transition via;
};

// The search's bookkeeping; paths are rebuilt from parent links.
struct Store {
  std::vector<Node> nodes;
  std::unordered_map<uint64_t, uint32_t> index;  // fingerprint -> node; only looked up

  Path path_to(uint32_t n) const {
    Path p;
    for (uint32_t i = n; i != 0; i = nodes[i].parent) p.push_back(nodes[i].via);
    return Path(p.rbegin(), p.rend());
  }
};

uint64_t approx_bytes(const State& s) {
  uint64_t b = sizeof(State) + s.world.mem.frames.size() * sizeof(Frame) +
               s.world.swap.slots.size() * sizeof(SwapSlot) + s.regs.size() * sizeof(Result);
  for (const Process& p : s.world.procs) {
    b += sizeof(Process) + p.mm.vmas.vmas.size() * sizeof(Vma) + p.mm.ptes.size() * 48 +
         p.names.size() * sizeof(Binding);
  }
  for (const ThreadState& t : s.threads) b += sizeof(ThreadState) + t.pending.size() * sizeof(Op);
  return b;
}

void record_final(const Program& prog, const State& s, uint32_t node, const Store& st,
                  SearchResult& r) {
  r.finals++;
  if (prog.deadlocked(s)) {
    if (r.deadlocks++ == 0) r.deadlock_path = st.path_to(node);
  }
  for (size_t i = 0; i < prog.test->checks.size(); ++i) {
    const litmus::Check& c = prog.test->checks[i];
    CheckOutcome& o = r.checks[i];
    const bool sat = holds_in(prog, s, c.expr);
    (sat ? o.positive : o.negative)++;
    // The verdict's evidence: a satisfying state for exists/never, a violating one for forall.
    const bool evidence = c.kind == litmus::Check::Kind::Forall ? !sat : sat;
    std::optional<Path>& slot = evidence ? o.witness : o.other;
    if (!slot) slot = st.path_to(node);
  }
}

void finish_verdicts(const Program& prog, SearchResult& r) {
  for (size_t i = 0; i < prog.test->checks.size(); ++i) {
    CheckOutcome& o = r.checks[i];
    switch (prog.test->checks[i].kind) {
      case litmus::Check::Kind::Exists: o.holds = o.positive > 0; break;
      case litmus::Check::Kind::Forall: o.holds = o.negative == 0; break;
      case litmus::Check::Kind::Never: o.holds = o.positive == 0; break;
    }
  }
}

void progress_line(const SearchResult& r, size_t queue, double seconds) {
  const double rate = seconds > 0 ? static_cast<double>(r.states) / seconds : 0.0;
  std::fprintf(stderr, "mmsim: states %llu distinct, %llu transitions, queue %zu, depth %u, %.0f states/s, %llu bytes/state\n",
               static_cast<unsigned long long>(r.states), static_cast<unsigned long long>(r.transitions),
               queue, r.depth, rate,
               static_cast<unsigned long long>(r.states ? r.bytes / r.states : 0));
}

}  // namespace

SearchResult search(const Program& prog, const Limits& limits) {
  SearchResult r;
  r.checks.resize(prog.test->checks.size());
  std::string violation;
  State s0 = prog.initial(&violation);
  if (!violation.empty()) {
    r.error = "during init: " + violation;
    r.error_path = Path{};
    return r;
  }
  Store st;
  st.nodes.push_back(Node{0, {}});
  st.index.emplace(prog.fingerprint(s0), 0);
  std::deque<std::pair<State, uint32_t>> queue;
  std::vector<uint32_t> depth{0};
  const uint64_t state_bytes = approx_bytes(s0);
  queue.emplace_back(std::move(s0), 0);
  const auto start = std::chrono::steady_clock::now();  // only for the stderr progress rate
  uint64_t next_report = 1u << 17;
  while (!queue.empty()) {
    auto [s, node] = std::move(queue.front());
    queue.pop_front();
    std::vector<Transition> succ = prog.successors(s);
    if (succ.empty()) record_final(prog, s, node, st, r);
    for (Transition t : succ) {
      State next = s;
      prog.step(next, t);
      r.transitions++;
      auto [it, inserted] = st.index.emplace(prog.fingerprint(next), static_cast<uint32_t>(st.nodes.size()));
      if (!inserted) continue;
      st.nodes.push_back(Node{node, t});
      depth.push_back(depth[node] + 1);
      r.depth = std::max(r.depth, depth.back());
      if (Violation v = check_all(next.world)) {
        r.error = *v;
        r.error_path = st.path_to(it->second);
        r.states = st.nodes.size();
        finish_verdicts(prog, r);
        return r;
      }
      queue.emplace_back(std::move(next), it->second);
    }
    r.states = st.nodes.size();
    r.bytes = r.states * (sizeof(Node) + sizeof(uint32_t) + 40) + queue.size() * state_bytes;
    if (limits.progress && r.states >= next_report) {
      next_report += 1u << 17;
      progress_line(r, queue.size(), std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    const bool too_many = limits.max_states != 0 && r.states >= limits.max_states && !queue.empty();
    const bool too_big = limits.max_bytes != 0 && r.bytes >= limits.max_bytes && !queue.empty();
    if (too_many || too_big) {
      r.partial = true;
      r.limit = too_many ? "max-states" : "memory";
      break;
    }
  }
  finish_verdicts(prog, r);
  return r;
}

bool replay(const Program& prog, const Path& path, State* out) {
  std::string violation;
  State s = prog.initial(&violation);
  for (Transition t : path) {
    std::vector<Transition> succ = prog.successors(s);
    if (std::find(succ.begin(), succ.end(), t) == succ.end()) return false;
    prog.step(s, t);
  }
  *out = std::move(s);
  return true;
}

std::string path_to_string(const Path& p) {
  std::string s;
  for (size_t i = 0; i < p.size(); ++i) {
    if (i) s += '.';
    s += std::to_string(p[i].thread);
    if (p[i].choice) s += "/" + std::to_string(p[i].choice);
  }
  return s.empty() ? "-" : s;
}

bool path_from_string(const std::string& text, Path* out) {
  out->clear();
  if (text == "-") return true;
  size_t i = 0;
  while (i < text.size()) {
    Transition t;
    size_t used = 0;
    unsigned long v = 0;
    auto number = [&](uint16_t* dst) {
      used = 0;
      v = 0;
      while (i + used < text.size() && std::isdigit(static_cast<unsigned char>(text[i + used])) && used < 5) {
        v = v * 10 + static_cast<unsigned long>(text[i + used] - '0');
        ++used;
      }
      if (used == 0 || v > 0xFFFF) return false;
      *dst = static_cast<uint16_t>(v);
      i += used;
      return true;
    };
    if (!number(&t.thread)) return false;
    if (i < text.size() && text[i] == '/') {
      ++i;
      if (!number(&t.choice)) return false;
    }
    out->push_back(t);
    if (i < text.size()) {
      if (text[i] != '.') return false;
      ++i;
      if (i == text.size()) return false;
    }
  }
  return true;
}

}  // namespace mmsim::model
