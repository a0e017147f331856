/* model/conform/runtime_obs.c: observations, the swap file, cf_run and the guarded runner
 * (included by runtime_coord.c; see runtime.h).
 *
 * Owns: the scratch directory and the swap file of one schedule. Invariant: the swap file is
 * made by writing every byte (never fallocate: ext4 would keep the extents unwritten and swap
 * I/O bypasses the filesystem), has the highest swap priority, and is swapped off and removed
 * by whoever made it before it returns, and again by cf_run_guarded.
 */

static int cf_swap_make(struct cf_coord *c, const char *scratch) {
  snprintf(c->swap, sizeof c->swap, "%s/swap", scratch);
  int fd = open(c->swap, O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) return -1;
  static char page[CF_PG];
  for (int i = 0; i < CF_SWAP_PAGES; i++) {
    memset(page, 0, CF_PG);
    if (i == 0) { /* union swap_header, version 1 (include/linux/swap.h) */
      uint32_t v[3] = {1, CF_SWAP_PAGES - 1, 0};
      memcpy(page + 1024, v, sizeof v);
      memcpy(page + CF_PG - 10, "SWAPSPACE2", 10);
    }
    if (write(fd, page, CF_PG) != CF_PG) { close(fd); return -1; }
  }
  if (fsync(fd) < 0) { close(fd); return -1; }
  close(fd);
  if (swapon(c->swap, SWAP_FLAG_PREFER | (32767 & SWAP_FLAG_PRIO_MASK)) < 0) return -1;
  c->swap_on = 1;
  return 0;
}

static void cf_swap_off(struct cf_coord *c) {
  if (c->swap_on) swapoff(c->swap);
  c->swap_on = 0;
  if (c->swap[0]) unlink(c->swap);
}

/* Waits (bounded) for swap writeback to reach the disk, then scans every slot's first word. */
static int cf_swap_has(struct cf_coord *c, uint64_t v) {
  for (int i = 0; i < 200; i++) {
    FILE *f = fopen("/proc/meminfo", "r");
    char l[128];
    long wb = 0;
    while (f && fgets(l, sizeof l, f)) if (!strncmp(l, "Writeback:", 10)) wb = atol(l + 10);
    if (f) fclose(f);
    if (wb == 0) break;
    poll(NULL, 0, 10);
  }
  int fd = open(c->swap, O_RDONLY | O_DIRECT);
  if (fd < 0) return 0;
  void *buf;
  int found = 0;
  if (posix_memalign(&buf, CF_PG, CF_PG) == 0) {
    for (int i = 1; i < CF_SWAP_PAGES && !found; i++)
      if (pread(fd, buf, CF_PG, (off_t)i * CF_PG) == CF_PG) found = memcmp(buf, &v, 8) == 0;
    free(buf);
  }
  close(fd);
  return found;
}

static int cf_handle_has(struct cf_coord *c, struct cf_handle *h, uint64_t v) {
  static char page[CF_PG];
  if (!h->active) return 0;
  if (h->kind == 1) {
    if (cf_fixed_io(c, h, 1, h->len).kind != CF_R_OK) return 0;
    for (uint64_t o = 0; o < h->len; o += CF_PG)
      if (pread(c->dev, page, 8, (off_t)o) == 8 && memcmp(page, &v, 8) == 0) return 1;
    return 0;
  }
  int t[2], found = 0;
  if (pipe2(t, O_NONBLOCK) < 0) return 0;
  if (tee(h->rfd, t[1], 1 << 20, SPLICE_F_NONBLOCK) > 0) /* a copy: the pipe keeps its pages */
    while (!found && read(t[0], page, CF_PG) >= 8) found = memcmp(page, &v, 8) == 0;
  close(t[0]);
  close(t[1]);
  return found;
}

static void cf_observe(struct cf_coord *c, int *obs) {
  for (int i = 0; i < c->s->nobs; i++) {
    const struct cf_obs *o = &c->s->obs[i];
    obs[i] = 0;
    if (o->kind == CF_OBS_SWAP) obs[i] = c->swap_on && cf_swap_has(c, o->value);
    else if (o->kind == CF_OBS_HANDLE) obs[i] = cf_handle_has(c, &c->h[o->index], o->value);
    else if (c->state[o->index] == 1) {
      struct cf_step q;
      struct cf_res r;
      memset(&q, 0, sizeof q);
      q.op = CF_SCAN;
      q.name = -1;
      q.value = o->value;
      obs[i] = cf_ask(c, o->index, &q, -1, &r, sizeof r) == 0 && r.value == 1;
    }
  }
}

static void cf_teardown(struct cf_coord *c) {
  for (int p = 0; p < c->s->procs; p++) {
    if (c->state[p] == 1) { kill(c->pid[p], SIGKILL); cf_wait_gone(c, p); }
    if (c->achan[p] >= 0) close(c->achan[p]);
    c->achan[p] = -1;
  }
  for (int i = 0; i < CF_MAXH; i++) {
    struct cf_handle *h = &c->h[i];
    if (h->kind == 1 && h->active) { io_uring_unregister_buffers(&h->ring); io_uring_queue_exit(&h->ring); }
    if (h->kind == 2 && h->active) { close(h->rfd); close(h->wfd); }
    h->active = 0;
  }
  if (c->dev >= 0) close(c->dev);
  c->dev = -1;
  cf_swap_off(c);
}

static int cf_start(struct cf_coord *c, const char *scratch) {
  char path[300];
  snprintf(path, sizeof path, "%s/device", scratch);
  c->dev = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
  if (c->dev < 0) { snprintf(c->why, c->whylen, "scratch file: %s", strerror(errno)); return 1; }
  if (c->s->need_swap && cf_swap_make(c, scratch) < 0) {
    snprintf(c->why, c->whylen, "no swap (swapon: %s)", strerror(errno));
    return 77;
  }
  /* Every actor and the coordinator on one CPU: MADV_PAGEOUT drains only the local CPU's LRU
   * batches (madvise_pageout: lru_add_drain), and a page that sits in another CPU's batch
   * cannot be isolated for reclaim. */
  cpu_set_t all, one;
  if (sched_getaffinity(0, sizeof all, &all) == 0) {
    CPU_ZERO(&one);
    for (int i = 0; i < CPU_SETSIZE; i++) if (CPU_ISSET(i, &all)) { CPU_SET(i, &one); break; }
    sched_setaffinity(0, sizeof one, &one);
  }
  for (int p = 0; p < c->s->procs; p++) {
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) < 0) return 1;
    c->chan[p] = sv[0];
    c->achan[p] = sv[1];
  }
  for (int p = 0; p < c->s->initial_procs; p++) {
    pid_t pid = fork();
    if (pid < 0) return 1;
    if (pid == 0) {
      for (int q = 0; q < c->s->procs; q++) { close(c->chan[q]); if (q != p) close(c->achan[q]); }
      close(c->dev);
      cf_actor_start(c->achan[p]);
    }
    close(c->achan[p]);
    c->achan[p] = -1;
    c->pid[p] = pid;
    c->pidfd[p] = (int)syscall(SYS_pidfd_open, pid, 0);
    c->state[p] = 1;
  }
  return 0;
}

static int cf_run(const struct cf_sched *s, const char *scratch, struct cf_res *res, int *obs,
                  char *why, size_t whylen) {
  static struct cf_coord c;
  memset(&c, 0, sizeof c);
  c.s = s;
  c.why = why;
  c.whylen = whylen;
  c.dev = -1;
  for (int p = 0; p < CF_MAXP; p++) c.chan[p] = c.achan[p] = c.pidfd[p] = -1;
  snprintf(cf_scratch, sizeof cf_scratch, "%s", scratch);
  if (s->procs > CF_MAXP || s->handles > CF_MAXH || s->names > CF_MAXN) {
    snprintf(why, whylen, "too many processes, handles or names for the runtime");
    return 77;
  }
  int rc = cf_start(&c, scratch);
  for (int i = 0; rc == 0 && i < s->nsteps; i++) {
    res[i] = cf_step_run(&c, &s->steps[i]);
    if (res[i].kind == CF_R_SKIP) {
      const struct cf_step *st = &s->steps[i];
      snprintf(why, whylen, "%s", st->op == CF_MMAP ? "no memfd_secret"
               : st->op == CF_PIN && res[i].err == -1 ? "read-direction pin"
               : st->op == CF_PIN && st->a == 0 && res[i].err == 0 ? "dio pin of a file page" : "no io_uring");
      rc = 77;
    }
  }
  if (rc == 0) cf_observe(&c, obs);
  cf_teardown(&c);
  return rc;
}

static void cf_rm_scratch(const char *scratch, int keep) {
  char path[600];
  snprintf(path, sizeof path, "%s/swap", scratch);
  swapoff(path); /* fails harmlessly when it is not on */
  unlink(path);
  if (keep) return;
  DIR *d = opendir(scratch);
  for (struct dirent *e; d && (e = readdir(d));) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    snprintf(path, sizeof path, "%s/%s", scratch, e->d_name);
    unlink(path);
  }
  if (d) closedir(d);
  rmdir(scratch);
}

/* Kills and reaps every process of group pg (they are our children or, as orphans, come back
 * to us as the subreaper); bounded, in case a process is stuck in the kernel. */
static void cf_reap_group(pid_t pg) {
  for (int i = 0; i < 5000; i++) {
    kill(-pg, SIGKILL);
    while (waitpid(-pg, NULL, WNOHANG) > 0) {}
    if (kill(-pg, 0) < 0 && errno == ESRCH) return;
    poll(NULL, 0, 1);
  }
}
#include "runtime_guard.c"
