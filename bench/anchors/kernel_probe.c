/* kernel_probe: times memory-management operations on the REAL running kernel, as anchors
 * for mmsim's simulated page-flag vs per-VMA designs (bench/run.sh builds and runs it).
 *
 * For N private anonymous 4 KiB pages (MADV_NOHUGEPAGE, so they stay base pages) it measures
 *   munmap      variant plain:      N touched pages; only munmap() is timed
 *               variant mlocked:    N pages mlocked, then touched; only munmap() is timed
 *                                   (includes the munlock-on-unmap work, where
 *                                   init_mlocked_on_free would hook its clearing)
 *   fork        variants plain / wipeonfork (MADV_WIPEONFORK on the N touched pages):
 *                 fork        fork() until it returns in the parent (copies page tables)
 *                 fork_exit   the child's last instruction before _exit() until the parent's
 *                             waitpid() returns (child mm teardown + wake-up)
 *                 fork_total  fork() until waitpid() returns
 *   mlock       variant plain: N untouched pages (mlock populates them); variant touched:
 *               N pages faulted in beforehand. Then munlock of the same range.
 * Each result is the median of up to R runs; one JSON object per line on stdout:
 *   {"probe":"munmap","pages":N,"variant":"plain","ns_total":...,"ns_per_page":...,"runs":R,
 *    "ns_min":...,"ns_max":...,"wall_ms":...}
 * failures print {"probe":...,"pages":N,"variant":...,"error":"ENOMEM"} and the probe moves on.
 * The first line is {"probe":"info",...} describing the run.
 *
 * N is 1, 16, 256, 4096 and 65536. --big adds 262144 (1 GiB): on the PVM guest this was
 * developed on, faulting 1 GiB in from user space took 3-7 s per run, so three runs of each
 * probe alone would break the one-minute bound. --smoke: N in {1, 16}, 1 run each.
 * Time is bounded: every (probe, N, variant) cell stops after kCellBudgetNs once it has
 * kMinRuns runs, no new cell starts after kTotalBudgetNs (the cell prints "error":"skipped"),
 * and an alarm() ends the process if anything ever hangs. Each result line also carries
 * "wall_ms", the cell's wall time including untimed setup such as faulting pages in.
 * Timing uses CLOCK_MONOTONIC: this is a measurement tool, not part of the simulator.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef MADV_WIPEONFORK
#define MADV_WIPEONFORK 18
#endif
#ifndef MADV_NOHUGEPAGE
#define MADV_NOHUGEPAGE 15
#endif

#define MAX_RUNS 21
enum {
  kMinRuns = 3,
  kWatchdogSeconds = 150,
};
static const uint64_t kCellBudgetNs = 1000000000ull;  /* 1 s per cell, min. kMinRuns */
static const uint64_t kTotalBudgetNs = 50000000000ull; /* 50 s in all */

static size_t page_size;
static uint64_t t_start;

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static const char* errno_name(int e) {
  switch (e) {
    case ENOMEM: return "ENOMEM";
    case EPERM: return "EPERM";
    case EAGAIN: return "EAGAIN";
    case EINVAL: return "EINVAL";
    case ENOSYS: return "ENOSYS";
    default: return "other";
  }
}

static void print_error(const char* probe, size_t pages, const char* variant, const char* what,
                        int e) {
  printf("{\"probe\":\"%s\",\"pages\":%zu,\"variant\":\"%s\",\"error\":\"%s\",\"detail\":\"%s: %s\"}\n",
         probe, pages, variant, errno_name(e), what, strerror(e));
  fflush(stdout);
}

/* One (probe, pages, variant) cell: the samples collected so far. */
struct cell {
  const char* probe;
  const char* variant;
  size_t pages;
  uint64_t ns[MAX_RUNS];
  int runs;
  uint64_t started; /* wall time of the whole cell, setup included, goes into "wall_ms" */
};

static int cmp_u64(const void* a, const void* b) {
  const uint64_t x = *(const uint64_t*)a, y = *(const uint64_t*)b;
  return (x > y) - (x < y);
}

static void cell_init(struct cell* c, const char* probe, size_t pages, const char* variant) {
  c->probe = probe;
  c->variant = variant;
  c->pages = pages;
  c->runs = 0;
  c->started = now_ns();
}

static void cell_add(struct cell* c, uint64_t ns) {
  if (c->runs < MAX_RUNS) c->ns[c->runs++] = ns;
}

static void cell_print(struct cell* c) {
  if (c->runs == 0) return;
  qsort(c->ns, (size_t)c->runs, sizeof c->ns[0], cmp_u64);
  const int r = c->runs;
  const uint64_t med = (r % 2) ? c->ns[r / 2] : (c->ns[r / 2 - 1] + c->ns[r / 2]) / 2;
  printf("{\"probe\":\"%s\",\"pages\":%zu,\"variant\":\"%s\",\"ns_total\":%llu,"
         "\"ns_per_page\":%.3f,\"runs\":%d,\"ns_min\":%llu,\"ns_max\":%llu,\"wall_ms\":%.1f}\n",
         c->probe, c->pages, c->variant, (unsigned long long)med,
         (double)med / (double)c->pages, r, (unsigned long long)c->ns[0],
         (unsigned long long)c->ns[r - 1], (double)(now_ns() - c->started) / 1e6);
  fflush(stdout);
}

/* Loop control for one cell: run again while under max_runs and, past kMinRuns, within the
 * cell's and the probe's time budget. */
static int more_runs(int done, int max_runs, uint64_t cell_start) {
  if (done >= max_runs) return 0;
  const uint64_t t = now_ns();
  if (done >= 1 && t - t_start > kTotalBudgetNs) return 0;
  if (done >= kMinRuns && t - cell_start > kCellBudgetNs) return 0;
  return 1;
}

static int over_total_budget(void) { return now_ns() - t_start > kTotalBudgetNs; }

static void print_skipped(const char* probe, size_t pages, const char* variant) {
  printf("{\"probe\":\"%s\",\"pages\":%zu,\"variant\":\"%s\",\"error\":\"skipped\","
         "\"detail\":\"total time budget spent\"}\n", probe, pages, variant);
  fflush(stdout);
}

/* N private anonymous base pages, optionally written once each. NULL (errno set) on failure. */
static char* map_pages(size_t pages, int touch) {
  const size_t len = pages * page_size;
  void* p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) return NULL;
  (void)madvise(p, len, MADV_NOHUGEPAGE); /* best effort: 4 KiB pages, as in the model */
  if (touch) {
    volatile char* c = p;
    for (size_t i = 0; i < pages; i++) c[i * page_size] = 1;
  }
  return p;
}

/* (a) munmap of N populated pages; variant "mlocked" locks them first. */
static void probe_munmap(size_t pages, int max_runs, int mlocked) {
  const char* variant = mlocked ? "mlocked" : "plain";
  if (over_total_budget()) {
    print_skipped("munmap", pages, variant);
    return;
  }
  struct cell c;
  cell_init(&c, "munmap", pages, variant);
  const uint64_t cell_start = now_ns();
  const size_t len = pages * page_size;
  while (more_runs(c.runs, max_runs, cell_start)) {
    char* p = map_pages(pages, !mlocked);
    if (p == NULL) {
      print_error("munmap", pages, variant, "mmap", errno);
      return;
    }
    if (mlocked) {
      if (mlock(p, len) != 0) {
        const int e = errno;
        munmap(p, len);
        print_error("munmap", pages, variant, "mlock", e);
        return;
      }
      /* mlock populated the pages through the kernel; touch them from user space too, as
       * "plain" does, so both variants unmap pages with live user mappings and TLB entries. */
      volatile char* t = p;
      for (size_t i = 0; i < pages; i++) t[i * page_size] = 1;
    }
    const uint64_t t0 = now_ns();
    const int rc = munmap(p, len);
    const uint64_t t1 = now_ns();
    if (rc != 0) {
      print_error("munmap", pages, variant, "munmap", errno);
      return;
    }
    cell_add(&c, t1 - t0);
  }
  cell_print(&c);
}

/* (b) fork with N touched private pages; variant "wipeonfork" marks them MADV_WIPEONFORK. */
static void probe_fork(size_t pages, int max_runs, int wipe, volatile uint64_t* shared) {
  const char* variant = wipe ? "wipeonfork" : "plain";
  if (over_total_budget()) {
    print_skipped("fork", pages, variant);
    return;
  }
  const size_t len = pages * page_size;
  char* p = map_pages(pages, 1);
  if (p == NULL) {
    print_error("fork", pages, variant, "mmap", errno);
    return;
  }
  if (wipe && madvise(p, len, MADV_WIPEONFORK) != 0) {
    print_error("fork", pages, variant, "madvise(MADV_WIPEONFORK)", errno);
    munmap(p, len);
    return;
  }
  struct cell cf, ce, ct;
  cell_init(&cf, "fork", pages, variant);
  cell_init(&ce, "fork_exit", pages, variant);
  cell_init(&ct, "fork_total", pages, variant);
  const uint64_t cell_start = now_ns();
  fflush(stdout); /* the child leaves with _exit(), but never duplicate buffered output */
  while (more_runs(cf.runs, max_runs, cell_start)) {
    *shared = 0;
    const uint64_t t0 = now_ns();
    const pid_t pid = fork();
    if (pid == 0) {
      *shared = now_ns();
      _exit(0);
    }
    const uint64_t t1 = now_ns();
    if (pid < 0) {
      print_error("fork", pages, variant, "fork", errno);
      break;
    }
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    const uint64_t t2 = now_ns();
    const uint64_t t_child = *shared;
    cell_add(&cf, t1 - t0);
    cell_add(&ct, t2 - t0);
    if (t_child != 0 && t_child <= t2) cell_add(&ce, t2 - t_child);
  }
  munmap(p, len);
  cell_print(&cf);
  cell_print(&ce);
  cell_print(&ct);
}

/* (c) mlock then munlock of N pages; variant "touched" faults them in first. */
static void probe_mlock(size_t pages, int max_runs, int touched) {
  const char* variant = touched ? "touched" : "plain";
  if (over_total_budget()) {
    print_skipped("mlock", pages, variant);
    print_skipped("munlock", pages, variant);
    return;
  }
  struct cell cl, cu;
  cell_init(&cl, "mlock", pages, variant);
  cell_init(&cu, "munlock", pages, variant);
  const uint64_t cell_start = now_ns();
  const size_t len = pages * page_size;
  while (more_runs(cl.runs, max_runs, cell_start)) {
    char* p = map_pages(pages, touched);
    if (p == NULL) {
      print_error("mlock", pages, variant, "mmap", errno);
      return;
    }
    const uint64_t t0 = now_ns();
    const int rc = mlock(p, len);
    const uint64_t t1 = now_ns();
    if (rc != 0) {
      const int e = errno;
      munmap(p, len);
      print_error("mlock", pages, variant, "mlock", e);
      print_error("munlock", pages, variant, "mlock", e);
      return;
    }
    const uint64_t t2 = now_ns();
    const int rc2 = munlock(p, len);
    const uint64_t t3 = now_ns();
    const int e2 = errno;
    munmap(p, len);
    if (rc2 != 0) {
      cell_print(&cl);
      print_error("munlock", pages, variant, "munlock", e2);
      return;
    }
    cell_add(&cl, t1 - t0);
    cell_add(&cu, t3 - t2);
  }
  cell_print(&cl);
  cell_print(&cu);
}

static int runs_for(size_t pages, int smoke) {
  if (smoke) return 1;
  if (pages <= 4096) return MAX_RUNS;
  if (pages <= 65536) return 11;
  return 5;
}

int main(int argc, char** argv) {
  int smoke = 0, big = 0;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--smoke") == 0) {
      smoke = 1;
    } else if (strcmp(argv[i], "--big") == 0) {
      big = 1;
    } else {
      fprintf(stderr, "usage: %s [--smoke] [--big]\n", argv[0]);
      return 2;
    }
  }
  alarm(kWatchdogSeconds); /* SIGALRM's default action ends the process if anything hangs */
  t_start = now_ns();
  const long ps = sysconf(_SC_PAGESIZE);
  page_size = ps > 0 ? (size_t)ps : 4096;

  static const size_t full_sizes[] = {1, 16, 256, 4096, 65536, 262144};
  static const size_t smoke_sizes[] = {1, 16};
  const size_t* sizes = smoke ? smoke_sizes : full_sizes;
  const size_t nfull = sizeof full_sizes / sizeof full_sizes[0];
  const size_t nsizes = smoke ? sizeof smoke_sizes / sizeof smoke_sizes[0]
                              : (big ? nfull : nfull - 1);

  printf("{\"probe\":\"info\",\"page_size\":%zu,\"smoke\":%d,\"max_pages\":%zu}\n", page_size,
         smoke, sizes[nsizes - 1]);
  fflush(stdout);

  void* sh = mmap(NULL, page_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (sh == MAP_FAILED) {
    perror("kernel_probe: mmap(MAP_SHARED)");
    return 1;
  }
  volatile uint64_t* shared = sh;

  /* Size-major, so a spent budget costs the largest N of every probe, not whole probes. */
  for (size_t i = 0; i < nsizes; i++) {
    const size_t n = sizes[i];
    const int r = runs_for(n, smoke);
    probe_munmap(n, r, 0);
    probe_munmap(n, r, 1);
    probe_fork(n, r, 0, shared);
    probe_fork(n, r, 1, shared);
    probe_mlock(n, r, 0);
    probe_mlock(n, r, 1);
  }

  fprintf(stderr, "kernel_probe: done in %.1f s\n", (double)(now_ns() - t_start) / 1e9);
  return 0;
}
