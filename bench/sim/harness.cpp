// bench/sim/harness.cpp: the shared runner of the simulator benchmarks (see harness.h): World
// preparation, the timed sample, metadata accounting and the curve registration.
//
// Largest size: 2^15 = 32768 pages (128 MiB of real payload per World). The simulator's frame
// IDs are 16-bit (sim/types.h, Id::Rep = uint16_t), so a World holds at most 65535 frames:
// 2^16 pages do not fit, and the fork plans need up to two frames per page.
#include "bench/sim/harness.h"

#include <algorithm>
#include <bit>
#include <ctime>
#include <malloc.h>

#include <cstdlib>
#include <limits>
#include <string_view>

#include "sim/invariants.h"
#include "sim/policy.h"

namespace mmsim::bench {
namespace {


// Set by bench_main when the command line chooses the time per benchmark.
bool g_min_time_given = false;

bool env_set(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' && std::string_view(v) != "0";
}

// The policy metadata a World holds at one moment, read from its real data structures: one
// bit per flagged frame (a page flag in struct page), one bit per marked VMA (a vm_flags bit)
// and sizeof(FrameId) per entry of the side set World::wipe_queue.
void note_meta(const World& w, Totals& t) {
  uint32_t flagged = 0;
  uint32_t vmas = 0;
  for (const Frame& f : w.mem.frames) {
    flagged += f.state == Frame::State::Used && f.has(FrameFlag::PolicyMark);
  }
  for (const Process& p : w.procs) {
    for (const Vma& v : p.mm.vmas.vmas) {
      if ((v.flags & policy_vma_mark_bits()) == 0) continue;
      vmas++;
      t.vma_mask |= v.flags & policy_vma_mark_bits();
    }
  }
  const double bytes = flagged / 8.0 + vmas / 8.0 + static_cast<double>(w.wipe_queue.size() * sizeof(FrameId));
  t.meta_bytes = std::max(t.meta_bytes, bytes);
  t.page_flag = t.page_flag || flagged > 0;
}

// Free frames whose value survived: the residue a wipe design is meant to leave none of.
uint32_t residue(const World& w) {
  uint32_t n = 0;
  for (const Frame& f : w.mem.frames) n += f.state == Frame::State::Free && f.value != 0;
  return n;
}

bool run_steps(World& w, const std::vector<Step>& steps) {
  bool ok = true;
  for (const Step& s : steps) {
    const Result r = apply_all(w, s.actor, s.op);
    ok = ok && (r.is_ok() || s.may_fail);
  }
  return ok;
}

std::string checked(const World& w, bool check, const char* when) {
  if (!check) return {};
  Violation v = check_all(w);
  return v ? std::string("invariant broken after ") + when + ": " + *v : std::string();
}

void report(benchmark::State& st, const Plan& plan, const Totals& t) {
  const double pages = plan.pages;
  const double ops = static_cast<double>(std::max<uint64_t>(t.ops, 1));
  st.counters["pages"] = pages;
  st.counters["ns_per_page"] = median(t.samples);  // robust to a preempted sample
  st.counters["mean_ns_per_page"] = t.ns / (ops * pages);
  st.counters["page_flag_bits"] = t.page_flag ? 1 : 0;
  st.counters["vma_flag_bits"] = t.vma_flag_bits();
  st.counters["meta_bytes_per_marked_page"] = plan.marked ? t.meta_bytes / plan.marked : 0.0;
  st.counters["queue_bytes_per_entry"] = sizeof(FrameId);
  st.counters["residue_pages"] = static_cast<double>(t.residue) / ops;
  st.SetItemsProcessed(static_cast<int64_t>(t.ops) * plan.pages);
}

void run_curve(benchmark::State& st, const Design& d, PlanFn plan_of) {
  const Plan plan = plan_of(d, static_cast<uint32_t>(st.range(0)));
  const uint32_t k = worlds_per_sample(plan, pages_per_sample());
  Totals t;
  for (auto _ : st) {
    std::string err;
    const double ns = sample(plan, k, t, &err);
    if (ns < 0) return st.SkipWithError(err.c_str());
    st.SetIterationTime(ns * 1e-9);
  }
  report(st, plan, t);
}

}  // namespace

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t h = v.size() / 2;
  return v.size() % 2 ? v[h] : (v[h - 1] + v[h]) / 2;
}

int Totals::vma_flag_bits() const { return std::popcount(vma_mask); }

const std::vector<Design>& designs() {
  static const std::vector<Design> d{
      {PolicyId::Mainline, MarkOp::Mlock},          {PolicyId::InitOnFree, MarkOp::Mlock},
      {PolicyId::WipeOnReleaseV1, MarkOp::Madvise}, {PolicyId::WipeOnReleaseV2, MarkOp::Madvise},
      {PolicyId::MlockedOnFreeV1, MarkOp::Mlock},   {PolicyId::MlockedOnFreeV3, MarkOp::Mlock},
      {PolicyId::MlockedOnFreeVma, MarkOp::Mlock},
  };
  return d;
}

AddrRef whole() { return AddrRef{kX, AddrRef::Span::Whole, 0, 0}; }
AddrRef slice(uint32_t first, uint32_t last) { return AddrRef{kX, AddrRef::Span::Slice, first, last}; }

Op mark_op(const Design& d, uint32_t first, uint32_t last) {
  if (d.mark == MarkOp::Mlock) return Mlock{slice(first, last)};
  return Madvise{slice(first, last), Advice::WipeOnRelease};
}

uint32_t percent_of(uint32_t n, uint32_t percent) {
  return static_cast<uint32_t>((uint64_t{n} * percent + 99) / 100);
}

WorldConfig config_for(const Design& d, uint32_t mapped, uint32_t extra, PagePayload payload) {
  WorldConfig c;
  c.frames = std::min(kMaxFrames, mapped + extra + 8);
  c.swap_slots = 0;
  c.procs = 2;
  c.initial = 1;
  c.names = 1;
  c.handles = 1;
  c.policy = d.id;
  c.payload = payload;
  return c;
}

std::vector<Step> populate(uint32_t mapped) {
  const Actor p = Actor::process(kParent);
  return {Step{p, Mmap{kX, mapped, Sharing::Private, Backing::Anon}},
          Step{p, Write{whole(), 0x5EC7}}};
}

bool smoke() { return env_set("SMOKE") || env_set("MMSIM_BENCH_SMOKE"); }

std::vector<int64_t> page_counts() {
  if (smoke()) return {1, 16};
  return {1, 16, 256, 4096, 32768};
}

double cpu_ns() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e9 + static_cast<double>(ts.tv_nsec);
}

uint32_t pages_per_sample() { return smoke() ? 16 : 1024; }

uint32_t rounds_for(int64_t pages) {
  if (smoke()) return 1;
  return pages >= 32768 ? 5 : 9;
}

uint32_t worlds_per_sample(const Plan& plan, uint32_t min_pages) {
  return std::max<uint32_t>(1, min_pages / std::max<uint32_t>(plan.pages, 1));
}

double sample(const Plan& plan, uint32_t worlds, Totals& t, std::string* err) {
  const bool check = smoke();
  std::vector<World> ws(worlds);
  for (World& w : ws) {
    w = World(plan.cfg);
    for (const Step& s : plan.setup) {  // metadata after every step: its peak may be midway
      if (!run_steps(w, {s})) return *err = "setup step failed", -1;
      note_meta(w, t);
    }
    if (*err = checked(w, check, "setup"); !err->empty()) return -1;
  }
  bool ok = true;
  const double t0 = cpu_ns();
  for (World& w : ws) ok = run_steps(w, plan.timed) && ok;
  const double t1 = cpu_ns();
  if (!ok) return *err = "timed step failed", -1;
  for (World& w : ws) {
    note_meta(w, t);
    if (!run_steps(w, plan.teardown)) return *err = "teardown step failed", -1;
    if (*err = checked(w, check, "teardown"); !err->empty()) return -1;
    t.residue += residue(w);
    w = World();  // release the payload now, still outside the clock
  }
  const double ns = t1 - t0;
  t.ns += ns;
  t.ops += worlds;
  t.samples.push_back(ns / (static_cast<double>(worlds) * std::max<uint32_t>(plan.pages, 1)));
  return ns;
}

void register_curve(const std::string& workload, PlanFn plan_of) {
  for (const Design& d : designs()) {
    const std::string name = "BM_" + d.name() + "_" + workload;
    for (int64_t n : page_counts()) {
      auto* b = benchmark::RegisterBenchmark(name.c_str(), [d, plan_of](benchmark::State& st) {
        run_curve(st, d, plan_of);
      });
      b->Arg(n)->UseManualTime()->Unit(benchmark::kMicrosecond);
      if (!g_min_time_given || smoke()) b->Iterations(rounds_for(n));
    }
  }
}

int bench_main(int argc, char** argv, void (*register_fn)()) {
  for (int i = 1; i < argc; ++i) {
    g_min_time_given = g_min_time_given || std::string_view(argv[i]).starts_with("--benchmark_min_time");
  }
  // Keep freed payloads in the heap: the next World reuses them without page faults, which
  // would otherwise make building a 128 MiB World several times slower (setup only).
  mallopt(M_MMAP_MAX, 0);
  mallopt(M_TRIM_THRESHOLD, std::numeric_limits<int>::max());
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  register_fn();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

}  // namespace mmsim::bench
