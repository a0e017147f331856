/* model/conform/runtime_coord.c: the coordinator half of the conform runtime (included by
 * runtime.c; see runtime.h).
 *
 * Owns: the process table, the pins (io_uring rings with one registered buffer), the pipes,
 * the swap file and the scratch directory of one schedule. Invariant: cf_run() returns only
 * after every actor is dead, every ring is unregistered and closed and the swap file is off;
 * cf_run_guarded() repeats the cleanup from outside, so it also holds after a timeout.
 */
#include <dirent.h>

struct cf_handle {
  int kind; /* 0 none, 1 pin, 2 pipe */
  int active;
  struct io_uring ring;
  uint64_t addr, len;
  int rfd, wfd;
};

struct cf_coord {
  const struct cf_sched *s;
  int chan[CF_MAXP], achan[CF_MAXP], pidfd[CF_MAXP], state[CF_MAXP]; /* 0 unborn 1 alive 2 gone */
  pid_t pid[CF_MAXP];
  struct cf_handle h[CF_MAXH];
  int dev;
  char swap[300];
  int swap_on;
  char *why;
  size_t whylen;
};

static void cf_wait_gone(struct cf_coord *c, int p) {
  if (c->pidfd[p] >= 0) {
    struct pollfd pf = {c->pidfd[p], POLLIN, 0};
    while (poll(&pf, 1, -1) < 0 && errno == EINTR) {}
    close(c->pidfd[p]);
    c->pidfd[p] = -1;
  }
  if (c->chan[p] >= 0) close(c->chan[p]);
  c->chan[p] = -1;
  c->state[p] = 2;
}

/* Sends step st (with fd, if any) to process p and waits for its reply or its death. */
static int cf_ask_fd(struct cf_coord *c, int p, const struct cf_step *st, int fd, void *reply, size_t n,
                     int *fdout) {
  struct cf_msg m;
  memset(&m, 0, sizeof m);
  m.st = *st;
  if (c->state[p] != 1 || cf_send(c->chan[p], &m, sizeof m, fd >= 0 ? &fd : NULL, fd >= 0) < 0) return -1;
  int fds[2];
  ssize_t k = cf_recv(c->chan[p], reply, n, fds, 2);
  if (fdout) *fdout = fds[0];
  else if (fds[0] >= 0) close(fds[0]);
  if (k <= 0) { cf_wait_gone(c, p); return -1; }
  return 0;
}

static int cf_ask(struct cf_coord *c, int p, const struct cf_step *st, int fd, void *reply, size_t n) {
  return cf_ask_fd(c, p, st, fd, reply, n, NULL);
}

static uint64_t cf_pagemap(pid_t pid, uint64_t addr) {
  char path[64];
  uint64_t e = 0;
  snprintf(path, sizeof path, "/proc/%d/pagemap", (int)pid);
  int fd = open(path, O_RDONLY);
  if (fd >= 0 && pread(fd, &e, 8, (off_t)(addr / CF_PG * 8)) != 8) e = 0;
  if (fd >= 0) close(fd);
  return e;
}

/* The `Swap:` kB of the VMA that holds addr in /proc/PID/smaps, or -1 when the VMA is not
 * shared anonymous memory (shmem, shown as "/dev/zero (deleted)"). pagemap cannot tell a
 * swapped-out shmem page from one that reclaim merely unmapped and kept (it sets no "swapped"
 * bit for shmem), so for shmem the VMA's swap total is what says whether the page went out. */
static long cf_shmem_swap_kb(pid_t pid, uint64_t addr) {
  char path[64], line[512];
  snprintf(path, sizeof path, "/proc/%d/smaps", (int)pid);
  FILE *f = fopen(path, "r");
  if (!f) return -1;
  long kb = -1;
  int in = 0;
  while (fgets(line, sizeof line, f)) {
    unsigned long lo, hi;
    if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 && strchr(line, '-') < strchr(line, ' ')) {
      in = addr >= lo && addr < hi && strstr(line, "/dev/zero") != NULL;
      continue;
    }
    if (in && sscanf(line, "Swap: %ld kB", &kb) == 1) break;
  }
  fclose(f);
  return in ? kb : -1;
}

static struct cf_res cf_reclaim(struct cf_coord *c, const struct cf_step *st) {
  int p = st->a;
  if (p < 0 || p >= c->s->procs || c->state[p] != 1) return cf_err(ESRCH);
  struct cf_step q = *st;
  q.op = CF_ADDR;
  q.kind = CF_PROCESS;
  struct cf_res a;
  if (cf_ask(c, p, &q, -1, &a, sizeof a) < 0) return cf_err(ESRCH);
  if (a.kind == CF_R_ERR || a.aux == 0) return cf_err(EINVAL);
  /* A page written a moment ago may still sit in another CPU's LRU batch, where reclaim cannot
   * isolate it; mlock() runs lru_add_drain_all() (mm/mlock.c), so lock and unlock a page of
   * our own first. Nothing of the test changes. */
  static char drain[CF_PG] __attribute__((aligned(CF_PG)));
  drain[0] = 1;
  syscall(SYS_mlock, drain, CF_PG); /* not mlock(): ASan's interceptor makes it a no-op */
  syscall(SYS_munlock, drain, CF_PG);
  uint64_t before = cf_pagemap(c->pid[p], (uint64_t)a.aux);
  /* Linux has no answer for "no page there": it is read from pagemap before MADV_PAGEOUT,
   * which would do nothing to such a page (docs/conform.md, results). */
  if (!(before >> 63 & 1)) return cf_err(ENOENT);
  const long shmem_before = cf_shmem_swap_kb(c->pid[p], (uint64_t)a.aux);
  struct iovec iov = {(void *)(uintptr_t)a.aux, CF_PG};
  long rc = syscall(SYS_process_madvise, c->pidfd[p], &iov, 1, MADV_PAGEOUT, 0);
  if (rc < 0) return cf_err(errno == EINVAL ? EPERM : errno); /* VM_LOCKED: EINVAL (docs/conform.md) */
  if (shmem_before >= 0) /* a pinned shmem page is unmapped but kept in the page cache */
    return cf_shmem_swap_kb(c->pid[p], (uint64_t)a.aux) > shmem_before ? cf_ok() : cf_err(EBUSY);
  uint64_t after = cf_pagemap(c->pid[p], (uint64_t)a.aux);
  return (after >> 63 & 1) ? cf_err(EBUSY) : cf_ok();
}

static struct cf_res cf_fixed_io(struct cf_coord *c, struct cf_handle *h, int write, uint64_t len) {
  struct io_uring_sqe *sqe = io_uring_get_sqe(&h->ring);
  if (write) io_uring_prep_write_fixed(sqe, c->dev, (void *)(uintptr_t)h->addr, (unsigned)len, 0, 0);
  else io_uring_prep_read_fixed(sqe, c->dev, (void *)(uintptr_t)h->addr, (unsigned)len, 0, 0);
  struct io_uring_cqe *cqe;
  int rc = io_uring_submit(&h->ring);
  if (rc >= 0) rc = io_uring_wait_cqe(&h->ring, &cqe);
  if (rc < 0) return cf_err(-rc);
  rc = cqe->res;
  io_uring_cqe_seen(&h->ring, cqe);
  return rc < 0 ? cf_err(-rc) : cf_ok();
}

static struct cf_res cf_device(struct cf_coord *c, const struct cf_step *st) {
  if (st->handle < 0 || st->handle >= CF_MAXH) return cf_err(EINVAL);
  struct cf_handle *h = &c->h[st->handle];
  static char page[CF_PG];
  if (st->op == CF_PIPE_READ || st->op == CF_PIPE_CLOSE) {
    if (h->kind != 2) return cf_err(EINVAL);
    if (st->op == CF_PIPE_CLOSE) {
      if (!h->active) return cf_err(EINVAL);
      close(h->rfd);
      close(h->wfd);
      h->active = 0;
      return cf_ok();
    }
    if (!h->active || read(h->rfd, page, CF_PG) < 8) return cf_err(EAGAIN);
    struct cf_res r = {CF_R_NUM, 0, 0, 0};
    memcpy(&r.value, page, 8);
    return r;
  }
  if (h->kind != 1 || !h->active) return cf_err(EINVAL);
  if (st->op == CF_UNPIN) {
    io_uring_unregister_buffers(&h->ring); /* synchronous: the pages are unpinned here */
    io_uring_queue_exit(&h->ring);
    h->active = 0;
    return cf_ok();
  }
  if (st->op == CF_DMA_WRITE) {
    memset(page, 0, CF_PG);
    memcpy(page, &st->value, 8);
    for (uint64_t o = 0; o < h->len; o += CF_PG)
      if (pwrite(c->dev, page, CF_PG, (off_t)o) != CF_PG) return cf_err(errno);
    return cf_fixed_io(c, h, 0, h->len);
  }
  struct cf_res r = cf_fixed_io(c, h, 1, CF_PG); /* dma-read: the device reads the first page */
  if (r.kind != CF_R_OK) return r;
  if (pread(c->dev, page, 8, 0) != 8) return cf_err(errno);
  r.kind = CF_R_NUM;
  memcpy(&r.value, page, 8);
  return r;
}

static struct cf_res cf_pin_step(struct cf_coord *c, const struct cf_step *st) {
  struct cf_handle *h = &c->h[st->handle];
  if (h->active || h->kind == 2) return cf_err(EBUSY);
  struct cf_pinmsg m;
  int fd = -1;
  memset(&m, 0, sizeof m);
  if (cf_ask_fd(c, st->actor, st, -1, &m, sizeof m, &fd) < 0) return cf_err(ESRCH);
  if (m.r.kind != CF_R_OK) { if (fd >= 0) close(fd); return m.r; }
  fd = (int)syscall(SYS_pidfd_getfd, c->pidfd[st->actor], (int)m.fd, 0);
  struct cf_msg ack;
  memset(&ack, 0, sizeof ack);
  cf_send(c->chan[st->actor], &ack, sizeof ack, NULL, 0);
  if (fd < 0 || io_uring_queue_mmap(fd, &m.p, &h->ring) < 0) return cf_err(EIO);
  /* io_uring_queue_mmap maps the rings but, unlike io_uring_queue_init, does not fill the SQ
   * index array (a ring set up without IORING_SETUP_NO_SQARRAY reads each submission's SQE
   * through it). Left at zero, every submission after the first would run SQE 0 again: the
   * second device op silently repeated the first one. */
  for (unsigned i = 0; i < *h->ring.sq.kring_entries; i++) h->ring.sq.array[i] = i;
  h->kind = 1;
  h->active = 1;
  h->addr = m.addr;
  h->len = m.len;
  return cf_ok();
}

static struct cf_res cf_vmsplice_step(struct cf_coord *c, const struct cf_step *st) {
  struct cf_handle *h = &c->h[st->handle];
  if (h->kind == 1) return cf_err(EBUSY);
  int fresh = !(h->kind == 2 && h->active), fds[2] = {h->rfd, h->wfd};
  if (fresh && pipe2(fds, O_NONBLOCK) < 0) return cf_err(errno);
  struct cf_res r;
  if (cf_ask(c, st->actor, st, fds[1], &r, sizeof r) < 0) r = cf_err(ESRCH);
  int taken = r.kind == CF_R_OK || r.kind == CF_R_NUM; /* a short splice holds its prefix */
  if (taken && fresh) { h->kind = 2; h->active = 1; h->rfd = fds[0]; h->wfd = fds[1]; }
  else if (fresh) { close(fds[0]); close(fds[1]); }
  return r;
}

static struct cf_res cf_process_step(struct cf_coord *c, const struct cf_step *st) {
  int p = st->actor;
  struct cf_res r = {CF_R_UNSET, 0, 0, 0};
  if (st->op == CF_PIN) return cf_pin_step(c, st);
  if (st->op == CF_VMSPLICE) return cf_vmsplice_step(c, st);
  int fd = st->op == CF_FORK ? c->achan[st->a] : -1;
  if (cf_ask(c, p, st, fd, &r, sizeof r) < 0) {
    if (st->op == CF_READ || st->op == CF_WRITE || st->op == CF_ZERO) r.kind = CF_R_SEGV;
    else if (st->op == CF_EXIT) r = cf_ok();
    return r;
  }
  if (st->op == CF_FORK && r.kind == CF_R_OK) {
    int ch = st->a;
    close(c->achan[ch]);
    c->achan[ch] = -1;
    c->pid[ch] = (pid_t)r.aux;
    c->pidfd[ch] = (int)syscall(SYS_pidfd_open, c->pid[ch], 0);
    c->state[ch] = 1;
  }
  return r;
}

static struct cf_res cf_step_run(struct cf_coord *c, const struct cf_step *st) {
  if (st->kind == CF_PROCESS && st->op != CF_PIPE_READ && st->op != CF_PIPE_CLOSE) {
    if (st->actor < 0 || st->actor >= c->s->procs || c->state[st->actor] != 1) {
      struct cf_res u = {CF_R_UNSET, 0, 0, 0};
      return u; /* the model ran an op of a process that is gone here */
    }
    return cf_process_step(c, st);
  }
  switch (st->op) {
    case CF_RECLAIM: return cf_reclaim(c, st);
    case CF_RECLAIM_NONE: return cf_err(EAGAIN);
    case CF_KILL: {
      int p = st->a;
      if (p < 0 || p >= c->s->procs || c->state[p] != 1) return cf_err(ESRCH);
      kill(c->pid[p], SIGKILL);
      cf_wait_gone(c, p);
      return cf_ok();
    }
    default: return cf_device(c, st);
  }
}
#include "runtime_obs.c"
