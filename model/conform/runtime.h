/* model/conform/runtime.h: the actor runtime of `mmsim conform` (docs/conform.md), in C.
 *
 * Owns: the schedule table (cf_sched: one line per op, in schedule order) and the contract of
 * cf_run_guarded(). Invariant: this header and runtime.c are the only code that touches the
 * live kernel; mmsim compiles them in, and `--emit-c` writes them verbatim next to a schedule
 * table, so the in-process runner and an emitted program cannot diverge. Every run creates
 * its own scratch directory and, when asked, its own swap file, and removes both (swapoff
 * first) on every path, including a timeout.
 */
#ifndef MMSIM_CONFORM_RUNTIME_H
#define MMSIM_CONFORM_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum cf_actor_kind { CF_PROCESS = 0, CF_DEVICE = 1, CF_SYSTEM = 2 };

enum cf_op {
  CF_MMAP, CF_MUNMAP, CF_MADVISE, CF_MLOCK, CF_MUNLOCK, CF_MPROTECT, CF_WRITE, CF_READ,
  CF_ZERO, CF_FORK, CF_EXEC, CF_EXIT, CF_PIN, CF_VMSPLICE, CF_DMA_READ, CF_DMA_WRITE,
  CF_UNPIN, CF_PIPE_READ, CF_PIPE_CLOSE, CF_RECLAIM, CF_RECLAIM_NONE, CF_KILL,
  /* actor-internal commands, never in a schedule */
  CF_ADDR, CF_SCAN, CF_QUIT
};

/* mmap flags in cf_step.a */
enum { CF_SHARED = 1, CF_FILE = 2, CF_SECRET = 4, CF_DROPPABLE = 8 };
/* madvise advice in cf_step.a: the Linux MADV_* number, or CF_ADV_NONE (not in mainline) */
enum { CF_ADV_NONE = 1000 };
/* mprotect in cf_step.a: 0 none, 1 r, 2 rw. pin kind in cf_step.a: 0 dio, 1 longterm; pin
 * direction in cf_step.b: 0 write (FOLL_WRITE, the default), 1 read (the device only reads). */

struct cf_step {
  int16_t kind;     /* enum cf_actor_kind */
  int16_t actor;    /* process or device index */
  int16_t op;       /* enum cf_op */
  int16_t name;     /* mapping name index, -1 if none */
  int32_t first;    /* slice [first, last) of the mapping; last < 0: the whole mapping */
  int32_t last;
  uint64_t value;   /* write / dma-write / scan value */
  int32_t a;        /* mmap pages | advice | prot | pin kind | fork child | reclaim/kill proc */
  int32_t b;        /* mmap flags */
  int32_t handle;   /* pin or pipe handle, -1 if none */
  int32_t line;     /* litmus source line (0: generated) */
};

enum cf_res_kind { CF_R_UNSET = 0, CF_R_OK, CF_R_NUM, CF_R_ERR, CF_R_SEGV, CF_R_SKIP };
struct cf_res {
  int32_t kind;    /* enum cf_res_kind */
  int32_t err;     /* errno for CF_R_ERR */
  uint64_t value;  /* CF_R_NUM */
  int64_t aux;     /* internal: child pid, an address */
};

enum cf_obs_kind { CF_OBS_PROC = 0, CF_OBS_HANDLE = 1, CF_OBS_SWAP = 2 };
struct cf_obs {
  int32_t kind;    /* enum cf_obs_kind */
  int32_t index;   /* process or handle */
  uint64_t value;  /* `has V` */
};

struct cf_sched {
  const char *test;
  int32_t procs;          /* process slots (initial and forked) */
  int32_t initial_procs;  /* processes that exist at the start */
  int32_t handles;
  int32_t names;
  int32_t nsteps;
  const struct cf_step *steps;
  int32_t nobs;
  const struct cf_obs *obs;
  int32_t need_swap;      /* make and enable a swap file of our own */
};

/* Runs the schedule under a fresh scratch directory in a process group of its own, kills the
 * whole group after timeout_ms, and cleans up. res[nsteps] and obs[nobs] receive the results.
 * Returns 0 when the schedule ran, 77 when it cannot run here (why says which feature is
 * missing), 1 on a runner failure or a timeout (why says what). */
int cf_run_guarded(const struct cf_sched *s, int timeout_ms, int keep, struct cf_res *res,
                   int *obs, char *why, size_t whylen);

/* Call first in main(): an actor that re-executed itself (`exec`) continues here and never
 * returns; in any other process it returns at once. */
void cf_actor_reenter(void);

/* The form in which a result is compared: a reclaim that left the page in place is EBUSY
 * whatever the reason (MADV_PAGEOUT reports none; docs/conform.md). */
void cf_canon(const struct cf_step *st, struct cf_res *r);

/* "ok", "SEGV", "EINVAL", a decimal value, "unset" or "skip": the text the model prints. */
void cf_res_str(const struct cf_res *r, char *buf, size_t len);

#ifdef __cplusplus
}
#endif
#endif
