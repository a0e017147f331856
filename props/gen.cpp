// props/gen.cpp: the belief model, the per-op command types and their biased generators. See
// gen.h.
#include "props/gen.h"

#include <algorithm>
#include <array>
#include <optional>

#include "props/gen_args.h"
#include "sim/op_table.h"
#include "sim/policy.h"

namespace mmsim::props {

uint32_t GenModel::mapped(ProcId p, NameId n) const {
  const RefProc& pr = ref.proc(p);
  if (pr.life != RefProc::Life::Alive || n.index() >= pr.names.size()) return 0;
  const Binding& b = pr.names[n.index()];
  return b.bound && pr.pages.count(b.base) > 0 ? b.pages : 0;
}

bool GenModel::pinned(HandleId h) const {
  const RefHandle& hd = ref.handle(h);
  return hd.kind == Handle::Kind::Pin && hd.active;
}

bool GenModel::spliced(HandleId h) const {
  const RefHandle& hd = ref.handle(h);
  return hd.kind == Handle::Kind::Pipe && !hd.pipe.empty();
}

void GenModel::apply(const Step& s) {
  const bool runs =
      s.actor.kind == Actor::Kind::System ||
      (!ref.frozen() && (s.actor.kind == Actor::Kind::Device || alive(s.actor.proc())));
  if (!runs) return;
  RefModel probe = ref;  // what does the reference expect?
  const Expect e = probe.step(s, Result::ok(), std::nullopt);
  const Result likely = e.any || e.allowed.empty() ? Result::ok() : e.allowed.front();
  ref.step(s, likely, std::nullopt);
  if (const AddrRef* a = op_addr(s.op)) recent = a->name;
  if (const auto* m = op_if<Mmap>(&s.op)) recent = m->name;
  if (op_is<Write>(s.op)) writes++;
  if (op_is<DmaWrite>(s.op)) dma_writes++;
}

void OpCommand::run(const GenModel&, Harness& h) const {
  if (std::optional<PromiseViolation> v = h.run(step_)) {
    last_failure() = Failure{h.program(), *v};
    RC_FAIL(std::string(promise_name(v->promise)) + ": " + v->message);
  }
}

void OpCommand::show(std::ostream& os) const {
  os << step_text(step_);
}

std::optional<Failure>& last_failure() {
  thread_local std::optional<Failure> f;
  return f;
}

namespace {

// A command type per op of the litmus language; its constructor draws the arguments.
template <class OpT>
class Cmd final : public OpCommand {
 public:
  explicit Cmd(const GenModel& m) : OpCommand(make_step(m, Tag<OpT>{})) {}
};

using ModelPtr = std::shared_ptr<const GenModel>;

// The generator of one command type: runs the constructor under gen::exec, where its `*gen`
// draws are recorded (and later shrunk). The model is shared, not copied, per command kind.
template <class OpT>
rc::Gen<CommandPtr> command_gen(ModelPtr m) {
  return rc::gen::exec([m] { return CommandPtr(std::make_shared<Cmd<OpT>>(*m)); });
}

struct Entry {
  uint32_t weight;
  rc::Gen<CommandPtr> (*gen)(ModelPtr);
};

// The op kinds, in the order of the swarm mask's bits.
enum class Kind : uint8_t {
  Mmap,
  Write,
  Read,
  Zero,
  Munmap,
  Madvise,
  Mlock,
  Munlock,
  Mprotect,
  Fork,
  Exec,
  Exit,
  Pin,
  Vmsplice,
  DmaRead,
  DmaWrite,
  Unpin,
  PipeRead,
  PipeClose,
  Reclaim,
  Migrate,
  Kill,
  Suspend,
  Hibernate,
  Resume,
  Snapshot,
};

constexpr uint32_t bit(Kind k) {
  return 1u << static_cast<uint32_t>(k);
}
// Every program keeps these, whatever its swarm mask.
constexpr uint32_t kAlwaysOn =
    bit(Kind::Mmap) | bit(Kind::Write) | bit(Kind::Read) | bit(Kind::Resume) | bit(Kind::Snapshot);

// How much more often an op is drawn when a promise is in focus: the ops its hazards need. A
// rule for one policy (its hazard needs other ops) comes before the promise's general rule.
uint32_t boost(Kind k, PromiseSet focus, PolicyId policy) {
  struct Rule {
    Promise promise;
    std::optional<PolicyId> only;
    uint32_t kinds;
  };
  static const std::array<Rule, 10> kRules{{
      // H20: a marked page swapped, shared by fork, swapped in and spliced by one process (it
      // stays in the swap cache), zapped by its exit (the wipe), then read by the sibling.
      {Promise::CowIsolation, PolicyId::WipeOnReleaseV2,
       bit(Kind::Fork) | bit(Kind::Madvise) | bit(Kind::Reclaim) | bit(Kind::Vmsplice) |
           bit(Kind::Exit) | bit(Kind::Read) | bit(Kind::Write)},
      // §2.7: a child marks its read-only COW copy of the spliced page; a write to the
      // read-only mapping would kill it first, so writes are not drawn more.
      {Promise::PipeIntegrity, PolicyId::Exclusive,
       bit(Kind::Vmsplice) | bit(Kind::PipeRead) | bit(Kind::Fork) | bit(Kind::Mprotect) |
           bit(Kind::Madvise)},
      {Promise::PipeIntegrity, std::nullopt,
       bit(Kind::Vmsplice) | bit(Kind::PipeRead) | bit(Kind::Fork) | bit(Kind::Exit) |
           bit(Kind::Write)},
      {Promise::PinCoherence, std::nullopt,
       bit(Kind::Pin) | bit(Kind::DmaRead) | bit(Kind::Fork) | bit(Kind::Munmap) | bit(Kind::Exit)},
      {Promise::CowIsolation, std::nullopt,
       bit(Kind::Fork) | bit(Kind::Read) | bit(Kind::Exit) | bit(Kind::Pin) | bit(Kind::DmaWrite) |
           bit(Kind::Reclaim) | bit(Kind::Write)},
      {Promise::ReleaseGone, std::nullopt,
       bit(Kind::Munmap) | bit(Kind::Exit) | bit(Kind::Migrate) | bit(Kind::Reclaim) |
           bit(Kind::DmaWrite) | bit(Kind::Unpin) | bit(Kind::PipeClose)},
      {Promise::FreeClean, std::nullopt,
       bit(Kind::Munmap) | bit(Kind::Exit) | bit(Kind::Migrate) | bit(Kind::Reclaim)},
      {Promise::DirectMapSecret, std::nullopt,
       bit(Kind::Munmap) | bit(Kind::Exit) | bit(Kind::Migrate) | bit(Kind::Munlock)},
      {Promise::SuspendZero, std::nullopt,
       bit(Kind::Suspend) | bit(Kind::Hibernate) | bit(Kind::Madvise) | bit(Kind::Read)},
      {Promise::WipeOnForkZero, std::nullopt, bit(Kind::Fork) | bit(Kind::Madvise) | bit(Kind::Read)},
  }};
  std::optional<Promise> overridden;  // by a rule for this policy
  for (const Rule& r : kRules) {
    if (!focus.has(r.promise) || (r.only && *r.only != policy) || r.promise == overridden) continue;
    if (r.only) overridden = r.promise;
    if ((r.kinds & bit(k)) != 0) return 4;
  }
  return 1;
}

template <class OpT>
void add(std::vector<Entry>& e, const GenModel& m, Kind k, uint32_t weight) {
  const bool on = ((m.swarm | kAlwaysOn) & bit(k)) != 0;
  e.push_back(Entry{on ? weight * boost(k, m.focus, m.policy()) : 0, &command_gen<OpT>});
}

// How often each op is drawn in state m: ops that need something (a mapping, a pin, a pipe,
// an unborn child, a frozen machine) only when it is there; the policy's own ops more often.
std::vector<Entry> entries(const GenModel& m) {
  const Bias b = bias_of(m);
  const bool run = !m.ref.frozen();
  const uint32_t proc = run && b.any_alive ? 1 : 0;    // an op of a live process
  const uint32_t acc = run && b.mapped_procs ? 1 : 0;  // an op on a live process's mapping
  const uint32_t pins = run && b.pins ? 1 : 0;
  const uint32_t pipes = run && b.pipes ? 1 : 0;
  std::vector<Entry> e;
  add<Mmap>(e, m, Kind::Mmap, proc * (b.mapped_names < 2 ? 14 : 3));
  add<Write>(e, m, Kind::Write, acc * 14);
  add<Read>(e, m, Kind::Read, acc * 10);
  add<Zero>(e, m, Kind::Zero, acc * 2);
  add<Munmap>(e, m, Kind::Munmap, acc * 5);
  add<Madvise>(e, m, Kind::Madvise, acc * (b.policy_advice ? 10 : 5));
  add<Mlock>(e, m, Kind::Mlock, acc * (b.mlock_policy ? 9 : 3));
  add<Munlock>(e, m, Kind::Munlock, acc * 2);
  add<Mprotect>(e, m, Kind::Mprotect, acc * 2);
  add<Fork>(e, m, Kind::Fork, proc * (b.unborn ? 8 : 0));
  add<Exec>(e, m, Kind::Exec, proc * 1);
  add<Exit>(e, m, Kind::Exit, proc * (b.alive > 1 ? 4 : 1));
  add<Pin>(e, m, Kind::Pin, acc * 6);
  add<Vmsplice>(e, m, Kind::Vmsplice, acc * 5);
  add<DmaRead>(e, m, Kind::DmaRead, pins * 7);
  add<DmaWrite>(e, m, Kind::DmaWrite, pins * 5);
  add<Unpin>(e, m, Kind::Unpin, pins * 3);
  add<PipeRead>(e, m, Kind::PipeRead, pipes * 7);
  add<PipeClose>(e, m, Kind::PipeClose, pipes * 2);
  add<Reclaim>(e, m, Kind::Reclaim, b.mapped_procs ? 6 : 0);
  add<Migrate>(e, m, Kind::Migrate, b.mapped_procs ? 4 : 0);
  add<Kill>(e, m, Kind::Kill, b.children_alive ? 2 : 0);
  add<Suspend>(e, m, Kind::Suspend, proc * (b.suspend_policy ? 4 : 1));
  add<Hibernate>(e, m, Kind::Hibernate, proc * (b.suspend_policy ? 2 : 1));
  add<Resume>(e, m, Kind::Resume, run ? 0 : 30);
  add<Snapshot>(e, m, Kind::Snapshot, 1);
  return e;
}

}  // namespace

rc::Gen<CommandPtr> gen_command(const GenModel& m) {
  std::vector<Entry> all = entries(m);
  std::erase_if(all, [](const Entry& x) { return x.weight == 0; });
  uint32_t total = 0;
  for (const Entry& x : all) total += x.weight;
  auto pick =
      rc::gen::noShrink(rc::gen::resize(rc::kNominalSize, rc::gen::inRange<uint32_t>(0, total)));
  const ModelPtr shared = std::make_shared<const GenModel>(m);
  return rc::gen::mapcat(pick, [all, shared](uint32_t r) {
    for (const Entry& x : all) {
      if (r < x.weight) return x.gen(shared);
      r -= x.weight;
    }
    return all.back().gen(shared);
  });
}

rc::Gen<uint32_t> gen_swarm() {
  // Each op kind in with probability 3/4: the OR of two random words.
  const auto word =
      rc::gen::noShrink(rc::gen::resize(rc::kNominalSize, rc::gen::arbitrary<uint32_t>()));
  return rc::gen::map(rc::gen::pair(word, word),
                      [](std::pair<uint32_t, uint32_t> w) { return w.first | w.second; });
}

void check_program(PolicyId policy, PromiseSet promises, Coverage* coverage,
                   const ProgramStyle& style) {
  const uint32_t swarm = style.swarm ? *gen_swarm() : ~0u;
  Harness h(policy, promises, coverage);
  rc::state::check(GenModel(policy, swarm, style.focus), h, &gen_command);
}

}  // namespace mmsim::props
