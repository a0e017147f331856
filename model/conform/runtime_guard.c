/* model/conform/runtime_guard.c: cf_run_guarded and cf_res_str (included by runtime_obs.c;
 * see runtime.h).
 *
 * Owns: the coordinator's process group and the per-schedule timeout. Invariant: when
 * cf_run_guarded returns, no process of the group is left, the swap file is off and gone and
 * the scratch directory is removed (kept, without the swap file, with `keep`).
 */
#include <time.h>

static long cf_now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Reads exactly n bytes before the deadline; -1 on timeout or EOF. */
static int cf_read_all(int fd, void *buf, size_t n, long deadline) {
  size_t got = 0;
  while (got < n) {
    long left = deadline - cf_now_ms();
    struct pollfd pf = {fd, POLLIN, 0};
    if (left <= 0 || poll(&pf, 1, (int)left) == 0) return -1;
    ssize_t k = read(fd, (char *)buf + got, n - got);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) return -1;
    got += (size_t)k;
  }
  return 0;
}

static void cf_coordinator(const struct cf_sched *s, const char *scratch, int out) {
  setpgid(0, 0);
  prctl(PR_SET_CHILD_SUBREAPER, 1);
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  signal(SIGCHLD, SIG_IGN);
  signal(SIGPIPE, SIG_IGN);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  struct cf_res *res = calloc((size_t)s->nsteps + 1, sizeof *res);
  int *obs = calloc((size_t)s->nobs + 1, sizeof *obs);
  char why[256] = "";
  int rc = cf_run(s, scratch, res, obs, why, sizeof why);
  if (write(out, &rc, sizeof rc) < 0 || write(out, why, sizeof why) < 0 ||
      write(out, res, sizeof *res * (size_t)s->nsteps) < 0 || write(out, obs, sizeof *obs * (size_t)s->nobs) < 0)
    _exit(1);
  _exit(0);
}

int cf_run_guarded(const struct cf_sched *s, int timeout_ms, int keep, struct cf_res *res,
                   int *obs, char *why, size_t whylen) {
  char scratch[64] = "/tmp/mmsim-conform-XXXXXX";
  why[0] = 0;
  if (!mkdtemp(scratch)) { snprintf(why, whylen, "mkdtemp: %s", strerror(errno)); return 1; }
  int p[2];
  if (pipe(p) < 0) { rmdir(scratch); return 1; }
  sigset_t block, old;
  sigemptyset(&block);
  sigaddset(&block, SIGINT);
  sigaddset(&block, SIGTERM);
  sigaddset(&block, SIGHUP);
  sigprocmask(SIG_BLOCK, &block, &old); /* a ^C waits for the cleanup below */
  fflush(NULL);
  int was_reaper = 0;
  prctl(PR_GET_CHILD_SUBREAPER, &was_reaper);
  prctl(PR_SET_CHILD_SUBREAPER, 1); /* orphans of the group come back here to be reaped */
  pid_t pid = fork();
  if (pid == 0) { close(p[0]); cf_coordinator(s, scratch, p[1]); }
  close(p[1]);
  int rc = 1;
  char w[256];
  long deadline = cf_now_ms() + timeout_ms;
  if (pid < 0) snprintf(why, whylen, "fork: %s", strerror(errno));
  else {
    setpgid(pid, pid);
    if (cf_read_all(p[0], &rc, sizeof rc, deadline) < 0 || cf_read_all(p[0], w, sizeof w, deadline) < 0 ||
        cf_read_all(p[0], res, sizeof *res * (size_t)s->nsteps, deadline) < 0 ||
        cf_read_all(p[0], obs, sizeof *obs * (size_t)s->nobs, deadline) < 0) {
      rc = 1;
      snprintf(why, whylen, "timeout after %d ms (process group killed)", timeout_ms);
    } else {
      snprintf(why, whylen, "%s", w);
    }
    kill(-pid, SIGKILL);
    cf_reap_group(pid);
  }
  close(p[0]);
  prctl(PR_SET_CHILD_SUBREAPER, was_reaper);
  cf_rm_scratch(scratch, keep);
  sigprocmask(SIG_SETMASK, &old, NULL);
  return rc;
}

void cf_res_str(const struct cf_res *r, char *buf, size_t len) {
  static const struct { int e; const char *n; } names[] = {
      {EINVAL, "EINVAL"}, {ENOMEM, "ENOMEM"}, {EFAULT, "EFAULT"}, {EPERM, "EPERM"},
      {EAGAIN, "EAGAIN"}, {EBUSY, "EBUSY"},   {ENOENT, "ENOENT"}, {ENOSPC, "ENOSPC"},
      {ESRCH, "ESRCH"},   {EOPNOTSUPP, "EOPNOTSUPP"}, {EIO, "EIO"}, {ENOSYS, "ENOSYS"},
      {EACCES, "EACCES"}, {E2BIG, "E2BIG"}, {EBADF, "EBADF"}, {EOVERFLOW, "EOVERFLOW"}};
  switch (r->kind) {
    case CF_R_OK: snprintf(buf, len, "ok"); return;
    case CF_R_NUM: snprintf(buf, len, "%llu", (unsigned long long)r->value); return;
    case CF_R_SEGV: snprintf(buf, len, "SEGV"); return;
    case CF_R_SKIP: snprintf(buf, len, "skip"); return;
    case CF_R_ERR:
      for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (names[i].e == r->err) { snprintf(buf, len, "%s", names[i].n); return; }
      snprintf(buf, len, "errno%d", r->err);
      return;
    default: snprintf(buf, len, "unset");
  }
}

void cf_canon(const struct cf_step *st, struct cf_res *r) {
  if ((st->op == CF_RECLAIM || st->op == CF_RECLAIM_NONE) && r->kind == CF_R_ERR &&
      (r->err == EINVAL || r->err == EAGAIN || r->err == EBUSY))
    r->err = EBUSY;
}
