// model/check/checker.cpp: breadth-first exploration with a fingerprint store. See checker.h.
#include "model/check/checker.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <deque>
#include <unordered_map>

#include "model/check/eval.h"
#include "model/check/footprint.h"
#include "sim/invariants.h"

namespace mmsim::model {
namespace {

// Node indexes (parent links) are 32-bit: even `--max-states none` stops below 2^32 states.
constexpr uint64_t kMaxStoredStates = UINT32_MAX;

struct Node {
  uint32_t parent;
  Transition via;
  uint32_t depth;
};

// The search's bookkeeping; paths are rebuilt from parent links. A deque never reallocates,
// so its growth is the bytes it reports, without a copy's transient doubling.
struct Store {
  std::deque<Node> nodes;
  std::unordered_map<uint64_t, uint32_t> index;  // fingerprint -> node; only looked up

  Path path_to(uint32_t n) const {
    Path p;
    for (uint32_t i = n; i != 0; i = nodes[i].parent) p.push_back(nodes[i].via);
    return Path(p.rbegin(), p.rend());
  }
  // An upper estimate: a hash node is key, value and a next link in a malloc block; the
  // bucket array is counted three times over (the live one and, during a rehash, old + new).
  [[nodiscard]] uint64_t bytes() const {
    constexpr uint64_t kHashNode = sizeof(std::pair<const uint64_t, uint32_t>) + sizeof(void*) + kAllocOverhead;
    return nodes.size() * sizeof(Node) + 4096 + index.size() * kHashNode +
           3 * index.bucket_count() * sizeof(void*);
  }
};

// Every byte the search holds, updated where it grows, checked against the bound each time.
struct Budget {
  const Limits& limits;
  uint64_t frontier = 0;  // the queued States
  uint64_t paths = 0;     // witness and example paths kept for the checks
  uint64_t current = 0;   // the State being expanded
  uint64_t peak = 0;

  [[nodiscard]] uint64_t total(const Store& st) const { return st.bytes() + frontier + paths + current; }
  // The limit a search has reached, or "" when it may go on.
  std::string over(const Store& st) {
    const uint64_t t = total(st);
    peak = std::max(peak, t);
    if (limits.max_bytes != kNoLimit && t > limits.max_bytes) return "memory";
    if (limits.max_states != kNoLimit && st.nodes.size() >= limits.max_states) return "max-states";
    if (st.nodes.size() >= kMaxStoredStates) return "max-states";  // node indexes are 32-bit
    return "";
  }
};

// The initial state's registers alone would not fit the bound: the search stops before it.
bool registers_exceed_bound(const Program& prog, const Limits& limits, SearchResult& r) {
  if (limits.max_bytes == kNoLimit || initial_regs_bytes(prog) <= limits.max_bytes) return false;
  r.partial = true;
  r.limit = "memory";
  r.bytes = initial_regs_bytes(prog);
  return true;
}

uint64_t path_bytes(const Path& p) { return sizeof(Path) + vector_bytes(p); }

void record_final(const Program& prog, const State& s, uint32_t node, const Store& st,
                  SearchResult& r, Budget& budget) {
  r.finals++;
  if (prog.deadlocked(s)) {
    if (r.deadlocks++ == 0) {
      r.deadlock_path = st.path_to(node);
      budget.paths += path_bytes(*r.deadlock_path);
    }
  }
  for (size_t i = 0; i < prog.test->checks.size(); ++i) {
    const litmus::Check& c = prog.test->checks[i];
    CheckOutcome& o = r.checks[i];
    const bool sat = holds_in(prog, s, c.expr);
    (sat ? o.positive : o.negative)++;
    // The verdict's evidence: a satisfying state for exists/never, a violating one for forall.
    const bool evidence = c.kind == litmus::Check::Kind::Forall ? !sat : sat;
    std::optional<Path>& slot = evidence ? o.witness : o.other;
    if (!slot) {
      slot = st.path_to(node);
      budget.paths += path_bytes(*slot);
    }
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
  if (registers_exceed_bound(prog, limits, r)) return r;
  std::string violation;
  State s0 = prog.initial(&violation);
  if (!violation.empty()) {
    r.error = "during init: " + violation;
    r.error_path = Path{};
    return r;
  }
  Store st;
  Budget budget{limits};
  st.nodes.push_back(Node{0, {}, 0});
  st.index.emplace(prog.fingerprint(s0), 0);
  std::deque<std::pair<State, uint32_t>> queue;
  budget.frontier += state_bytes(s0);
  queue.emplace_back(std::move(s0), 0);
  const auto start = std::chrono::steady_clock::now();  // only for the stderr progress rate
  uint64_t next_report = 1u << 17;
  std::string stop;
  while (!queue.empty() && stop.empty()) {
    auto [s, node] = std::move(queue.front());
    queue.pop_front();
    const uint64_t s_bytes = state_bytes(s);
    budget.frontier -= s_bytes;
    budget.current = 2 * s_bytes;  // s and the successor being built
    std::vector<Transition> succ = prog.successors(s);
    if (succ.empty()) record_final(prog, s, node, st, r, budget);
    for (Transition t : succ) {
      State next = s;
      prog.step(next, t);
      r.transitions++;
      auto [it, inserted] = st.index.emplace(prog.fingerprint(next), static_cast<uint32_t>(st.nodes.size()));
      if (!inserted) continue;
      st.nodes.push_back(Node{node, t, st.nodes[node].depth + 1});
      r.depth = std::max(r.depth, st.nodes.back().depth);
      if (Violation v = check_all(next.world)) {
        r.error = *v;
        r.error_path = st.path_to(it->second);
        r.states = st.nodes.size();
        r.bytes = budget.peak;
        finish_verdicts(prog, r);
        return r;
      }
      budget.frontier += state_bytes(next);
      queue.emplace_back(std::move(next), it->second);
      if (stop = budget.over(st); !stop.empty()) break;
    }
    budget.current = 0;
    r.states = st.nodes.size();
    if (stop.empty() && !queue.empty()) stop = budget.over(st);
    if (limits.progress && r.states >= next_report) {
      next_report += 1u << 17;
      r.bytes = budget.peak;
      progress_line(r, queue.size(), std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
  }
  r.states = st.nodes.size();
  r.bytes = std::max(budget.peak, budget.total(st));
  if (!stop.empty() && !queue.empty()) {
    r.partial = true;
    r.limit = stop;
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
  const char* p = text.data();
  const char* const end = text.data() + text.size();
  const auto number = [&](uint16_t* dst) {
    if (p == end || *p < '0' || *p > '9') return false;  // from_chars would take a sign
    const auto [next, ec] = std::from_chars(p, end, *dst);
    p = next;
    return ec == std::errc();
  };
  while (p != end) {
    Transition t;
    if (!number(&t.thread)) return false;
    if (p != end && *p == '/') {
      ++p;
      if (!number(&t.choice)) return false;
    }
    out->push_back(t);
    if (p != end && (*p != '.' || ++p == end)) return false;
  }
  return !out->empty();
}

}  // namespace mmsim::model
