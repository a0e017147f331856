// bench_anchor_clear: the physical lower bound for wiping memory on this machine, i.e. what it
// costs to clear one 4 KiB page, reported per page for working sets of 1 .. 262144 pages.
// The simulator's page-flag and per-VMA designs are compared against this anchor (and against
// the live-kernel numbers of kernel_probe.c) in bench/run.sh's ns_per_page plot.
//
// Series (all follow the bench/anchors/to_table.py contract: name/<pages>, counter "pages"):
//   BM_clear_memset  glibc memset(p, 0, 4096) per page (not the compiler's inline expansion)
//   BM_clear_loop    plain 64-bit store loop, 8 stores per cache line (kernel clear_page_orig)
//   BM_clear_stosb   `rep stosb` per page (x86-64 only; kernel clear_page_erms)
//   BM_clear_nt      non-temporal 16-byte stores + sfence per page (x86-64 only)
//
// Working sets: 1, 16, 256, 4096, 65536, 262144 pages (4 KiB .. 1 GiB). 2^20 pages (4 GiB) is
// left out by default: beyond the last-level cache the cost per page is flat (memory bandwidth)
// from 65536 pages on, so 4 GiB adds no information, only ~4 s of touching and 4 GiB of RSS per
// run. Set MMSIM_BENCH_BIG=1 to add it. MMSIM_BENCH_SMOKE=1 (set by `SMOKE=1 bench/run.sh`)
// keeps only 1, 16 and 256 pages.
//
// Timing is wall-clock (UseRealTime), so items/s and bytes/s agree with the real_time that
// to_table.py turns into ns/page; on a loaded machine compare with the cpu_time column.
//
// The buffer is one mmap'd arena, pre-faulted once and reused, so page faults are not timed. It
// asks for transparent huge pages: the kernel clears pages through its direct map, which is
// mapped with huge pages, so TLB misses on 4 KiB user mappings would overstate the cost.
#include <benchmark/benchmark.h>

#include <sys/mman.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string_view>

#if defined(__x86_64__)
#include <emmintrin.h>
#endif

namespace {

constexpr std::size_t kPageSize = 4096;
constexpr std::size_t kHugeSize = std::size_t{2} << 20;

bool EnvSet(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' && std::string_view(v) != "0";
}

// Page counts for every series; read from the environment when the benchmarks are registered.
void PageCounts(benchmark::internal::Benchmark* b) {
  if (EnvSet("MMSIM_BENCH_SMOKE")) {
    b->Arg(1)->Arg(16)->Arg(256);
    return;
  }
  b->Arg(1)->Arg(16)->Arg(256)->Arg(4096)->Arg(65536)->Arg(262144);
  if (EnvSet("MMSIM_BENCH_BIG")) {
    b->Arg(1 << 20);
  }
}

// A process-lifetime arena of at least `pages` pre-faulted pages, 2 MiB aligned. Grows (and
// re-faults) only when a larger working set is asked for. Never freed: the process is short.
std::byte* Arena(std::size_t pages) {
  static std::byte* base = nullptr;
  static std::size_t have = 0;
  if (pages <= have) {
    return base;
  }
  const std::size_t bytes = pages * kPageSize;
  const std::size_t span = bytes + kHugeSize;
  void* raw = mmap(nullptr, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) {
    return nullptr;
  }
  const auto addr = reinterpret_cast<std::uintptr_t>(raw);
  const std::uintptr_t aligned = (addr + kHugeSize - 1) & ~(std::uintptr_t{kHugeSize} - 1);
  auto* p = reinterpret_cast<std::byte*>(aligned);
  (void)madvise(p, bytes, MADV_HUGEPAGE);  // best effort: THP may be disabled
  std::memset(p, 0x5a, bytes);             // fault everything in now, outside the timed loop
  if (base != nullptr) {
    munmap(base, have * kPageSize);  // the old arena's alignment slack stays mapped; harmless
  }
  base = p;
  have = pages;
  return base;
}

// Called through a volatile pointer: with a constant size GCC would inline `rep stosq` instead
// of calling glibc's memset (which picks AVX/ERMS code for the CPU at load time).
void* (*volatile memset_fn)(void*, int, std::size_t) = std::memset;

void ClearMemset(std::byte* page) { memset_fn(page, 0, kPageSize); }

void ClearLoop(std::byte* page) {
  auto* w = reinterpret_cast<std::uint64_t*>(page);
  for (std::size_t i = 0; i < kPageSize / sizeof(std::uint64_t); i += 8) {
    w[i + 0] = 0;
    w[i + 1] = 0;
    w[i + 2] = 0;
    w[i + 3] = 0;
    w[i + 4] = 0;
    w[i + 5] = 0;
    w[i + 6] = 0;
    w[i + 7] = 0;
    // Hide the pattern from the optimizer so this stays a store loop instead of a memset call.
    benchmark::DoNotOptimize(w);
  }
}

#if defined(__x86_64__)
void ClearStosb(std::byte* page) {
  void* dst = page;
  std::size_t count = kPageSize;
  asm volatile("rep stosb" : "+D"(dst), "+c"(count) : "a"(0) : "memory");
}

void ClearNonTemporal(std::byte* page) {
  auto* v = reinterpret_cast<__m128i*>(page);
  const __m128i zero = _mm_setzero_si128();
  for (std::size_t i = 0; i < kPageSize / sizeof(__m128i); i += 4) {
    _mm_stream_si128(v + i + 0, zero);
    _mm_stream_si128(v + i + 1, zero);
    _mm_stream_si128(v + i + 2, zero);
    _mm_stream_si128(v + i + 3, zero);
  }
  _mm_sfence();
}
#endif

template <void (*Clear)(std::byte*)>
void BM_Clear(benchmark::State& state) {
  const auto pages = static_cast<std::size_t>(state.range(0));
  std::byte* base = Arena(pages);
  if (base == nullptr) {
    state.SkipWithError("mmap of the arena failed");
    return;
  }
  for (auto _ : state) {
    benchmark::DoNotOptimize(base);
    for (std::size_t i = 0; i < pages; ++i) {
      Clear(base + i * kPageSize);
    }
    benchmark::ClobberMemory();
  }
  const auto done = state.iterations() * state.range(0);
  state.SetItemsProcessed(done);
  state.SetBytesProcessed(done * static_cast<std::int64_t>(kPageSize));
  state.counters["pages"] = static_cast<double>(pages);
}

void BM_clear_memset(benchmark::State& state) { BM_Clear<ClearMemset>(state); }
void BM_clear_loop(benchmark::State& state) { BM_Clear<ClearLoop>(state); }
BENCHMARK(BM_clear_memset)->Apply(PageCounts)->UseRealTime();
BENCHMARK(BM_clear_loop)->Apply(PageCounts)->UseRealTime();

#if defined(__x86_64__)
void BM_clear_stosb(benchmark::State& state) { BM_Clear<ClearStosb>(state); }
void BM_clear_nt(benchmark::State& state) { BM_Clear<ClearNonTemporal>(state); }
BENCHMARK(BM_clear_stosb)->Apply(PageCounts)->UseRealTime();
BENCHMARK(BM_clear_nt)->Apply(PageCounts)->UseRealTime();
#endif

}  // namespace

BENCHMARK_MAIN();
