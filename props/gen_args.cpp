// props/gen_args.cpp: see gen_args.h.
#include "props/gen_args.h"

#include "props/reference_model.h"

namespace mmsim::props {
namespace {

// A uniform draw from [lo, hi) whatever the size (rc::gen::inRange scales the range with the
// size, which would pin small programs to the first choices); shrinks toward lo.
template <class T>
T uniform(T lo, T hi) {
  return *rc::gen::resize(rc::kNominalSize, rc::gen::inRange<T>(lo, hi));
}

// True with the given percentage; never shrinks (a shrink would flip to the rare branch).
bool chance(int percent) {
  return *rc::gen::noShrink(rc::gen::resize(rc::kNominalSize, rc::gen::inRange(0, 100))) < percent;
}

Step step(Actor a, Op op) {
  return Step{a, std::move(op), RegId::none(), 0};
}
Step proc_step(ProcId p, Op op) {
  return step(Actor::process(p), std::move(op));
}
Step sys_step(Op op) {
  return step(Actor::system(), std::move(op));
}
Step dev_step(Op op) {
  return step(Actor::device(DeviceId{0}), std::move(op));
}

std::vector<uint16_t> alive(const GenModel& m, bool children_only = false) {
  std::vector<uint16_t> out;
  for (uint16_t i = children_only ? 1 : 0; i < kProcs; ++i) {
    if (m.alive(ProcId{i})) out.push_back(i);
  }
  return out;
}

ProcId pick_proc(const GenModel& m) {
  const std::vector<uint16_t> live = alive(m);
  if (live.empty()) return ProcId{0};
  return ProcId{*rc::gen::elementOf(live)};
}

// A live process with a mapped name (the actor of an access), now and then any live one.
ProcId pick_user(const GenModel& m) {
  std::vector<uint16_t> users;
  for (uint16_t p : alive(m)) {
    for (uint16_t n = 0; n < kNames; ++n) {
      if (m.mapped(ProcId{p}, NameId{n}) > 0) {
        users.push_back(p);
        break;
      }
    }
  }
  if (users.empty() || chance(3)) return pick_proc(m);
  return ProcId{*rc::gen::elementOf(users)};
}

NameId pick_name(const GenModel& m, ProcId p) {
  std::vector<uint16_t> bound;
  for (uint16_t n = 0; n < kNames; ++n) {
    if (m.mapped(p, NameId{n}) > 0) bound.push_back(n);
  }
  if (bound.empty() || chance(4)) return NameId{uniform<uint16_t>(0, kNames)};
  // Locality: half the time the name the last step used, so that parent, child, device and
  // kernel keep meeting on the same pages.
  if (m.recent.valid() && m.mapped(p, m.recent) > 0 && chance(50)) return m.recent;
  return NameId{*rc::gen::elementOf(bound)};
}

// x, x[i] or x[i:j] within the mapping (rarely just outside it, for the errno paths).
AddrRef pick_addr(const GenModel& m, ProcId p, NameId n, int whole, int page, int slice) {
  const Binding& b = m.ref.proc(p).names[n.index()];
  const uint32_t pages = b.bound ? std::max<uint32_t>(1, b.pages) : 1;
  const int kind = *rc::gen::weightedElement<int>({{static_cast<size_t>(whole), 0},
                                                   {static_cast<size_t>(page), 1},
                                                   {static_cast<size_t>(slice), 2},
                                                   {2, 3}});
  if (kind == 0) return AddrRef{n, AddrRef::Span::Whole, 0, 0};
  if (kind == 3) return AddrRef{n, AddrRef::Span::Slice, pages, pages + 1};
  const uint32_t i = uniform<uint32_t>(0, pages);
  if (kind == 1 || i + 1 == pages) return AddrRef{n, AddrRef::Span::Slice, i, i + 1};
  const uint32_t j = uniform<uint32_t>(i + 2, pages + 1);
  return AddrRef{n, AddrRef::Span::Slice, i, j};
}

AddrRef pick_page(const GenModel& m, ProcId p, NameId n) {
  return pick_addr(m, p, n, 20, 70, 10);
}

// A page that holds data someone stored: a process, a name and a page index.
struct Hot {
  ProcId proc;
  AddrRef addr;
};

std::optional<Hot> pick_hot(const GenModel& m) {
  std::vector<Hot> hot;
  for (uint16_t i = 0; i < kProcs; ++i) {
    const RefProc& pr = m.ref.proc(ProcId{i});
    if (pr.life != RefProc::Life::Alive) continue;
    for (uint16_t n = 0; n < kNames; ++n) {
      const Binding& b = pr.names[n];
      for (uint32_t k = 0; b.bound && k < b.pages; ++k) {
        auto it = pr.pages.find(b.base + k);
        if (it == pr.pages.end() || m.ref.cell(it->second.cell).origin != Origin::Written) continue;
        hot.push_back(Hot{ProcId{i}, AddrRef{NameId{n}, AddrRef::Span::Slice, k, k + 1}});
      }
    }
  }
  if (hot.empty()) return std::nullopt;
  return *rc::gen::elementOf(hot);
}

HandleId pick_pin_handle(const GenModel& m, bool want_active) {
  std::vector<uint16_t> good;
  for (uint16_t h = 0; h < 2; ++h) {
    if (m.pinned(HandleId{h}) == want_active) good.push_back(h);
  }
  if (good.empty()) good = {0, 1};
  return HandleId{*rc::gen::elementOf(good)};
}

HandleId pick_pipe_handle(const GenModel& m, bool want_pages) {
  std::vector<uint16_t> good;
  for (uint16_t h = 2; h < kHandles; ++h) {
    if (m.spliced(HandleId{h}) == want_pages) good.push_back(h);
  }
  if (good.empty()) good = {2, 3};
  return HandleId{*rc::gen::elementOf(good)};
}

}  // namespace

Bias bias_of(const GenModel& m) {
  Bias b;
  b.mapped_names = kNames;
  for (uint16_t i = 0; i < kProcs; ++i) {
    const ProcId p{i};
    b.unborn = b.unborn || m.ref.proc(p).life == RefProc::Life::Unborn;
    if (!m.alive(p)) continue;
    b.any_alive = true;
    b.alive++;
    b.children_alive = b.children_alive || i > 0;
    uint32_t names = 0;
    for (uint16_t n = 0; n < kNames; ++n) names += m.mapped(p, NameId{n}) > 0 ? 1u : 0u;
    b.mapped_names = std::min(b.mapped_names, names);
    b.mapped_procs += names > 0 ? 1u : 0u;
  }
  for (uint16_t h = 0; h < kHandles; ++h) {
    b.pins = b.pins || m.pinned(HandleId{h});
    b.pipes = b.pipes || m.spliced(HandleId{h});
  }
  const PolicyId pol = m.policy();
  b.policy_advice = policy_knows(pol, Advice::WipeOnRelease) ||
                    policy_knows(pol, Advice::WipeOnSuspend) || policy_knows(pol, Advice::Secret);
  b.mlock_policy = pol == PolicyId::MlockedOnFreeV1 || pol == PolicyId::MlockedOnFreeV3 ||
                   pol == PolicyId::MlockedOnFreeVma;
  b.suspend_policy = suspend_plan(pol).how != SuspendWipe::None;
  return b;
}

Step make_step(const GenModel& m, Tag<Mmap>) {
  const ProcId p = pick_proc(m);
  std::vector<uint16_t> free_names;
  for (uint16_t n = 0; n < kNames; ++n) {
    if (m.mapped(p, NameId{n}) == 0) free_names.push_back(n);
  }
  const bool fresh = !free_names.empty() && chance(85);
  const NameId name{fresh ? *rc::gen::elementOf(free_names) : uniform<uint16_t>(0, kNames)};
  const uint32_t pages = *rc::gen::weightedElement<uint32_t>({{45, 1}, {35, 2}, {20, 3}});
  const size_t secret = m.policy() == PolicyId::Exclusive ? 6 : 10;
  const int kind = *rc::gen::weightedElement<int>(
      {{50, 0}, {8, 1}, {6, 2}, {6, 3}, {secret, 4}, {8, 5}, {1, 6}});
  static constexpr std::array<std::pair<Sharing, Backing>, 7> kKinds{{
      {Sharing::Default, Backing::Anon},
      {Sharing::Shared, Backing::Anon},
      {Sharing::Private, Backing::File},
      {Sharing::Shared, Backing::File},
      {Sharing::Default, Backing::Secret},
      {Sharing::Default, Backing::Droppable},
      {Sharing::Private, Backing::Secret},
  }};
  const auto [sharing, backing] = kKinds[static_cast<size_t>(kind)];
  return proc_step(p, Mmap{name, pages, sharing, backing});
}

Step make_step(const GenModel& m, Tag<Munmap>) {
  const ProcId p = pick_user(m);
  return proc_step(p, Munmap{pick_addr(m, p, pick_name(m, p), 50, 35, 15)});
}

Step make_step(const GenModel& m, Tag<Madvise>) {
  const ProcId p = pick_user(m);
  const NameId n = pick_name(m, p);
  const AddrRef a = pick_addr(m, p, n, 50, 35, 15);
  const PolicyId pol = m.policy();
  const size_t wor = policy_knows(pol, Advice::WipeOnRelease) ? 24 : 1;
  const size_t wos = policy_knows(pol, Advice::WipeOnSuspend) ? 24 : 1;
  const size_t sec = policy_knows(pol, Advice::Secret) ? 24 : 1;
  const Advice advice = *rc::gen::weightedElement<Advice>({
      {10, Advice::WipeOnFork},
      {2, Advice::KeepOnFork},
      {3, Advice::DontFork},
      {1, Advice::DoFork},
      {5, Advice::DontNeed},
      {1, Advice::DontDump},
      {1, Advice::DoDump},
      {wor, Advice::WipeOnRelease},
      {wor > 1 ? 3u : 1u, Advice::KeepOnRelease},
      {wos, Advice::WipeOnSuspend},
      {wos > 1 ? 3u : 1u, Advice::KeepOnSuspend},
      {sec, Advice::Secret},
  });
  return proc_step(p, Madvise{a, advice});
}

Step make_step(const GenModel& m, Tag<Mlock>) {
  const ProcId p = pick_user(m);
  return proc_step(p, Mlock{pick_addr(m, p, pick_name(m, p), 60, 30, 10)});
}

Step make_step(const GenModel& m, Tag<Munlock>) {
  const ProcId p = pick_user(m);
  return proc_step(p, Munlock{pick_addr(m, p, pick_name(m, p), 60, 30, 10)});
}

Step make_step(const GenModel& m, Tag<Mprotect>) {
  const ProcId p = pick_user(m);
  const AddrRef a = pick_addr(m, p, pick_name(m, p), 50, 40, 10);
  const Prot prot =
      *rc::gen::weightedElement<Prot>({{4, Prot::ReadWrite}, {3, Prot::Read}, {1, Prot::None}});
  return proc_step(p, Mprotect{a, prot});
}

Step make_step(const GenModel& m, Tag<Write>) {
  const ProcId p = pick_user(m);
  const AddrRef a = pick_addr(m, p, pick_name(m, p), 40, 45, 15);
  return proc_step(p, Write{a, Value{0xA01} + m.writes});
}

Step make_step(const GenModel& m, Tag<Read>) {
  if (chance(40)) {
    if (auto h = pick_hot(m)) return proc_step(h->proc, Read{h->addr});
  }
  const ProcId p = pick_user(m);
  return proc_step(p, Read{pick_page(m, p, pick_name(m, p))});
}

Step make_step(const GenModel& m, Tag<Zero>) {
  const ProcId p = pick_user(m);
  return proc_step(p, Zero{pick_addr(m, p, pick_name(m, p), 50, 40, 10)});
}

Step make_step(const GenModel& m, Tag<Fork>) {
  uint16_t child = 1;
  while (child + 1u < kProcs && m.ref.proc(ProcId{child}).life != RefProc::Life::Unborn) child++;
  return proc_step(pick_proc(m), Fork{ProcId{child}});
}

Step make_step(const GenModel& m, Tag<Exec>) {
  return proc_step(pick_proc(m), Exec{});
}
Step make_step(const GenModel& m, Tag<Exit>) {
  return proc_step(pick_proc(m), Exit{});
}

Step make_step(const GenModel& m, Tag<Pin>) {
  std::optional<Hot> hot = chance(60) ? pick_hot(m) : std::nullopt;
  const ProcId p = hot ? hot->proc : pick_user(m);
  const AddrRef a = hot ? hot->addr : pick_page(m, p, pick_name(m, p));
  const PinKind kind = *rc::gen::element(PinKind::Dio, PinKind::Longterm);
  const PinDir dir = chance(30) ? PinDir::Read : PinDir::Write;
  const bool odd = chance(4);
  const HandleId h = odd ? pick_pipe_handle(m, true) : pick_pin_handle(m, false);
  return proc_step(p, Pin{a, kind, h, dir});
}

Step make_step(const GenModel& m, Tag<Vmsplice>) {
  std::optional<Hot> hot = chance(85) ? pick_hot(m) : std::nullopt;
  const ProcId p = hot ? hot->proc : pick_user(m);
  const AddrRef a = hot ? hot->addr : pick_page(m, p, pick_name(m, p));
  const bool odd = chance(4);
  // Mostly an empty pipe, so that a pipe-read meets the page just spliced (a FIFO with older
  // pages in front would need reads the shrinker cannot drop one by one).
  const HandleId h = odd          ? pick_pin_handle(m, true)
                     : chance(75) ? pick_pipe_handle(m, false)
                                  : pick_pipe_handle(m, true);
  return proc_step(p, Vmsplice{a, h});
}

Step make_step(const GenModel& m, Tag<DmaRead>) {
  return dev_step(DmaRead{pick_pin_handle(m, true)});
}

Step make_step(const GenModel& m, Tag<DmaWrite>) {
  return dev_step(DmaWrite{pick_pin_handle(m, true), Value{0xD01} + m.dma_writes});
}

Step make_step(const GenModel& m, Tag<Unpin>) {
  return dev_step(Unpin{pick_pin_handle(m, true)});
}

Step make_step(const GenModel& m, Tag<PipeRead>) {
  const HandleId h = pick_pipe_handle(m, true);
  const bool by_device = alive(m).empty() || chance(50);
  return by_device ? dev_step(PipeRead{h}) : proc_step(pick_proc(m), PipeRead{h});
}

Step make_step(const GenModel& m, Tag<PipeClose>) {
  return dev_step(PipeClose{pick_pipe_handle(m, true)});
}

Step make_step(const GenModel& m, Tag<Reclaim>) {
  if (alive(m).empty() || chance(15)) return sys_step(Reclaim{ProcId::none(), AddrRef{}});
  if (chance(70)) {
    if (auto h = pick_hot(m)) return sys_step(Reclaim{h->proc, h->addr});
  }
  const ProcId p = pick_user(m);
  return sys_step(Reclaim{p, pick_page(m, p, pick_name(m, p))});
}

Step make_step(const GenModel& m, Tag<Migrate>) {
  if (chance(70)) {
    if (auto h = pick_hot(m)) return sys_step(Migrate{h->proc, h->addr});
  }
  const ProcId p = pick_user(m);
  return sys_step(Migrate{p, pick_page(m, p, pick_name(m, p))});
}

Step make_step(const GenModel& m, Tag<Kill>) {
  std::vector<uint16_t> targets = alive(m, true);
  if (targets.empty() || chance(15)) targets = alive(m);
  if (targets.empty()) targets = {0};
  return sys_step(Kill{ProcId{*rc::gen::elementOf(targets)}});
}

Step make_step(const GenModel&, Tag<Suspend>) {
  return sys_step(Suspend{});
}
Step make_step(const GenModel&, Tag<Hibernate>) {
  return sys_step(Hibernate{});
}
Step make_step(const GenModel&, Tag<Resume>) {
  return sys_step(Resume{});
}
Step make_step(const GenModel&, Tag<Snapshot>) {
  return sys_step(Snapshot{});
}

}  // namespace mmsim::props
