/* model/conform/runtime.c: the coordinator and the actors of `mmsim conform` (see runtime.h).
 *
 * Owns: the coordinator process (it runs device, pipe and system ops and orders every op) and
 * one real process per litmus process (it runs that process's ops when told to). Invariant:
 * exactly one op runs at a time, in schedule order: the coordinator sends an op to its actor
 * over a SOCK_SEQPACKET pair and waits for the reply (or the actor's death) before the next.
 * Pins are io_uring fixed buffers and pipes are real pipes; both live in the coordinator once
 * made, so they outlive the process that made them, as the device's references do.
 */
#define _GNU_SOURCE
#include "runtime.h"

#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/swap.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#define CF_PG 4096
#define CF_MAXP 16
#define CF_MAXH 16
#define CF_MAXN 16
#define CF_SWAP_PAGES 256
#ifndef MAP_DROPPABLE
#define MAP_DROPPABLE 0x08
#endif
#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

/* ---------- actor side ---------- */

struct cf_name { uint64_t addr; int32_t pages; int32_t flags; };
static struct cf_name cf_names[CF_MAXN]; /* this process's bindings: inherited by fork */
static int cf_chan = -1;                 /* this actor's end of its channel */
static char cf_scratch[256];

static int cf_send(int fd, const void *m, size_t n, const int *fds, int nfds) {
  struct iovec io = {(void *)m, n};
  char ctl[CMSG_SPACE(sizeof(int) * 2)];
  struct msghdr h = {0};
  h.msg_iov = &io;
  h.msg_iovlen = 1;
  if (nfds > 0) {
    memset(ctl, 0, sizeof ctl);
    h.msg_control = ctl;
    h.msg_controllen = CMSG_SPACE(sizeof(int) * nfds);
    struct cmsghdr *c = CMSG_FIRSTHDR(&h);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
    memcpy(CMSG_DATA(c), fds, sizeof(int) * nfds);
  }
  return sendmsg(fd, &h, MSG_NOSIGNAL) == (ssize_t)n ? 0 : -1;
}

/* Receives one message; returns its length (0: the peer is gone), fds[] gets passed fds. */
static ssize_t cf_recv(int fd, void *m, size_t n, int *fds, int maxfds) {
  struct iovec io = {m, n};
  char ctl[CMSG_SPACE(sizeof(int) * 2)];
  struct msghdr h = {0};
  h.msg_iov = &io;
  h.msg_iovlen = 1;
  h.msg_control = ctl;
  h.msg_controllen = sizeof ctl;
  ssize_t r;
  do r = recvmsg(fd, &h, MSG_CMSG_CLOEXEC * 0); while (r < 0 && errno == EINTR);
  for (int i = 0; i < maxfds; i++) fds[i] = -1;
  for (struct cmsghdr *c = CMSG_FIRSTHDR(&h); r > 0 && c; c = CMSG_NXTHDR(&h, c)) {
    if (c->cmsg_type != SCM_RIGHTS) continue;
    int k = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
    for (int i = 0; i < k && i < maxfds; i++) memcpy(&fds[i], CMSG_DATA(c) + i * sizeof(int), sizeof(int));
  }
  return r;
}

static void cf_segv(int sig) { _exit(128 + sig); } /* killed as by SIGSEGV, without a core */

struct cf_msg { struct cf_step st; char path[64]; };
struct cf_pinmsg { struct cf_res r; struct io_uring_params p; uint64_t addr; uint64_t len; int64_t fd; };

static struct cf_res cf_ok(void) { struct cf_res r = {CF_R_OK, 0, 0, 0}; return r; }
static struct cf_res cf_err(int e) { struct cf_res r = {CF_R_ERR, e, 0, 0}; return r; }
static struct cf_res cf_sys(long rc) { return rc < 0 ? cf_err(errno) : cf_ok(); }

/* The address range of a step; 0 when the name is not bound or the slice is out of range. */
static int cf_range(const struct cf_step *s, char **p, size_t *len) {
  if (s->name < 0 || s->name >= CF_MAXN || cf_names[s->name].pages == 0) return 0;
  const struct cf_name *n = &cf_names[s->name];
  int first = s->last < 0 ? 0 : s->first, last = s->last < 0 ? n->pages : s->last;
  if (first >= last || last > n->pages) return 0;
  *p = (char *)(uintptr_t)(n->addr + (uint64_t)first * CF_PG);
  *len = (size_t)(last - first) * CF_PG;
  return 1;
}

static struct cf_res cf_mmap(const struct cf_step *s) {
  int fd = -1, fl = s->b, flags = (fl & CF_SHARED) ? MAP_SHARED : MAP_PRIVATE;
  size_t len = (size_t)s->a * CF_PG;
  if (fl & CF_SECRET) {
    fd = (int)syscall(SYS_memfd_secret, 0);
    if (fd < 0 && errno == ENOSYS) { struct cf_res r = {CF_R_SKIP, errno, 0, 0}; return r; }
    if (fd < 0) return cf_err(errno);
  } else if (fl & CF_FILE) {
    char path[300];
    snprintf(path, sizeof path, "%s/file-%d-%d-%d", cf_scratch, (int)getpid(), s->name, s->line);
    fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (fd >= 0) unlink(path);
  } else {
    flags |= MAP_ANONYMOUS;
    if (fl & CF_DROPPABLE) flags = MAP_DROPPABLE | MAP_ANONYMOUS;
  }
  if ((fl & (CF_SECRET | CF_FILE)) && (fd < 0 || ftruncate(fd, (off_t)len) < 0)) {
    int e = errno;
    if (fd >= 0) close(fd);
    return cf_err(e);
  }
  void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, flags, fd, 0);
  int e = errno;
  if (fd >= 0) close(fd);
  if (p == MAP_FAILED) return cf_err(e);
  cf_names[s->name].addr = (uint64_t)(uintptr_t)p;
  cf_names[s->name].pages = s->a;
  cf_names[s->name].flags = fl;
  return cf_ok();
}

static struct cf_res cf_access(const struct cf_step *s, char *p, size_t len) {
  struct cf_res r = cf_ok();
  for (size_t o = 0; o < len; o += CF_PG) {
    volatile uint64_t *w = (volatile uint64_t *)(p + o);
    if (s->op == CF_WRITE) *w = s->value;
    else if (s->op == CF_ZERO) memset(p + o, 0, CF_PG);
    else { r.kind = CF_R_NUM; r.value = *w; break; }
  }
  return r;
}

static struct cf_res cf_pin(const struct cf_step *s, char *p, size_t len) {
  struct cf_pinmsg m;
  memset(&m, 0, sizeof m);
  if (s->a == 0 && (cf_names[s->name].flags & CF_FILE) && !(cf_names[s->name].flags & CF_SECRET)) {
    m.r.kind = CF_R_SKIP; /* a dio pin of a file page: no held-open O_DIRECT (docs/conform.md) */
    cf_send(cf_chan, &m, sizeof m, NULL, 0);
    return m.r;
  }
  if (s->b == 1) {
    /* A read pin is FOLL_PIN without FOLL_WRITE: only an O_DIRECT write takes one from user
     * space, and it cannot be held open; a fixed buffer always adds FOLL_WRITE. */
    m.r.kind = CF_R_SKIP;
    m.r.err = -1;
    cf_send(cf_chan, &m, sizeof m, NULL, 0);
    return m.r;
  }
  /* The raw system calls, and no ring mmap here: a ring mapped in this process could land in a
   * hole the test made (munmap) and change what a later op over that hole does. Only the
   * coordinator maps the rings. */
  int fd = (int)syscall(__NR_io_uring_setup, 4, &m.p);
  if (fd < 0) { m.r.kind = CF_R_SKIP; m.r.err = errno; cf_send(cf_chan, &m, sizeof m, NULL, 0); return m.r; }
  struct iovec iov = {p, len};
  long rc = syscall(__NR_io_uring_register, fd, IORING_REGISTER_BUFFERS, &iov, 1);
  m.r = rc < 0 ? cf_err(errno) : cf_ok();
  m.addr = (uint64_t)(uintptr_t)p;
  m.len = len;
  /* io_uring files cannot travel over SCM_RIGHTS: the coordinator takes a copy with
   * pidfd_getfd and acknowledges; only then does this process close its own. */
  m.fd = fd;
  cf_send(cf_chan, &m, sizeof m, NULL, 0);
  if (rc == 0) {
    struct cf_msg ack;
    int fds[2];
    cf_recv(cf_chan, &ack, sizeof ack, fds, 2);
  }
  close(fd);
  return m.r;
}

static int cf_scan(uint64_t v) {
  int mem = open("/proc/self/mem", O_RDONLY);
  int found = 0;
  for (int n = 0; n < CF_MAXN && !found; n++) {
    for (int i = 0; i < cf_names[n].pages && !found; i++) {
      uint64_t a = cf_names[n].addr + (uint64_t)i * CF_PG, x;
      if (mem >= 0 && pread(mem, &x, 8, (off_t)a) == 8) found = x == v;
    }
  }
  if (mem >= 0) close(mem);
  return found;
}

static void cf_exec(void) {
  char env[64 + CF_MAXN * 48], *e = env;
  e += sprintf(e, "MMSIM_CF_ACTOR=%d", cf_chan);
  for (int n = 0; n < CF_MAXN; n++)
    e += sprintf(e, ":%llx,%d,%d", (unsigned long long)cf_names[n].addr, cf_names[n].pages, cf_names[n].flags);
  char sc[300];
  snprintf(sc, sizeof sc, "MMSIM_CF_SCRATCH=%s", cf_scratch);
  char *argv[] = {(char *)"mmsim-conform-actor", NULL};
  char *envp[] = {env, sc, NULL};
  execve("/proc/self/exe", argv, envp);
  _exit(127);
}

static void cf_actor_loop(void) {
  struct cf_msg m;
  int fds[2];
  for (;;) {
    ssize_t n = cf_recv(cf_chan, &m, sizeof m, fds, 2);
    if (n <= 0) _exit(0);
    const struct cf_step *s = &m.st;
    struct cf_res r = cf_ok();
    char *p = NULL;
    size_t len = 0;
    int have = s->name >= 0 && cf_range(s, &p, &len);
    int access = s->op == CF_READ || s->op == CF_WRITE || s->op == CF_ZERO;
    if (s->name >= 0 && !have && s->op != CF_MMAP && s->op != CF_ADDR) {
      if (access) cf_segv(SIGSEGV); /* sim/apply.cpp: an access through an unbound name faults */
      r = cf_err(EINVAL);
    } else switch (s->op) {
      case CF_MMAP: r = cf_mmap(s); break;
      case CF_MUNMAP: r = cf_sys(munmap(p, len)); break;
      case CF_MADVISE: r = cf_sys(madvise(p, len, s->a)); break;
      /* The system calls themselves: AddressSanitizer's interceptors turn mlock() and
       * munlock() into no-ops that return 0, which under `make test-sanitize` made every
       * mlock "succeed" without locking anything. */
      case CF_MLOCK: r = cf_sys((int)syscall(SYS_mlock, p, len)); break;
      case CF_MUNLOCK: r = cf_sys((int)syscall(SYS_munlock, p, len)); break;
      case CF_MPROTECT: r = cf_sys(mprotect(p, len, s->a == 0 ? PROT_NONE : s->a == 1 ? PROT_READ : PROT_READ | PROT_WRITE)); break;
      case CF_READ: case CF_WRITE: case CF_ZERO: r = cf_access(s, p, len); break;
      case CF_PIN: cf_pin(s, p, len); continue;
      case CF_VMSPLICE: {
        struct iovec iov = {p, len};
        ssize_t k = vmsplice(fds[0], &iov, 1, SPLICE_F_NONBLOCK);
        /* fs/splice.c iter_to_pipe returns `total ? total : ret`: a range that runs into a
         * hole splices its mapped prefix and returns a short count, which the model (like
         * sim/ops_gup.cpp) reports as the number of pages taken; a full splice is `ok`. */
        r = k < 0 ? cf_err(errno) : cf_ok();
        if (k >= 0 && (size_t)k < len) { r.kind = CF_R_NUM; r.value = (uint64_t)k / CF_PG; }
        r.aux = k;
        close(fds[0]);
        break;
      }
      case CF_FORK: {
        pid_t c = fork();
        if (c == 0) { close(cf_chan); cf_chan = fds[0]; continue; }
        close(fds[0]);
        r = c < 0 ? cf_err(errno) : cf_ok();
        r.aux = c;
        break;
      }
      case CF_EXEC: cf_exec(); break;
      case CF_EXIT: _exit(0);
      case CF_ADDR: r.aux = have ? (int64_t)(uintptr_t)p : 0; break;
      case CF_SCAN: r.kind = CF_R_NUM; r.value = (uint64_t)cf_scan(s->value); break;
      case CF_QUIT: _exit(0);
      default: r = cf_err(ENOSYS);
    }
    if (cf_send(cf_chan, &r, sizeof r, NULL, 0) < 0) _exit(1);
  }
}

static void cf_actor_start(int chan) {
  cf_chan = chan;
  prctl(PR_SET_NAME, "mmsim-actor"); /* what the cleanup test looks for */
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = cf_segv;
  sigaction(SIGSEGV, &sa, NULL);
  sigaction(SIGBUS, &sa, NULL);
  signal(SIGCHLD, SIG_IGN); /* children that exit are reaped at once */
  cf_actor_loop();
}

/* Runs before main() in every program that links the runtime, so an actor that re-executed
 * itself continues here whatever the host's main() does (a test binary, say). */
__attribute__((constructor)) static void cf_reenter_early(void) { cf_actor_reenter(); }

void cf_actor_reenter(void) {
  const char *e = getenv("MMSIM_CF_ACTOR"), *sc = getenv("MMSIM_CF_SCRATCH");
  if (!e) return;
  prctl(PR_SET_NAME, "mmsim-actor");
  int chan = atoi(e);
  memset(cf_names, 0, sizeof cf_names);
  const char *q = strchr(e, ':');
  for (int n = 0; q && n < CF_MAXN; n++, q = strchr(q + 1, ':')) {
    unsigned long long a;
    if (sscanf(q + 1, "%llx,%d,%d", &a, &cf_names[n].pages, &cf_names[n].flags) == 3) cf_names[n].addr = a;
  }
  snprintf(cf_scratch, sizeof cf_scratch, "%s", sc ? sc : "/tmp");
  struct cf_res r = cf_ok(); /* the exec is done: the new image runs */
  cf_send(chan, &r, sizeof r, NULL, 0);
  cf_actor_start(chan);
}

#include "runtime_coord.c"
