// props/reference_model.h: a deliberately simple specification of what every observation of
// the simulator should be: what each process reads, what a device reads through a pin, what
// a pipe yields, and which result (ok, errno, SEGV) each op returns.
//
// The reference knows nothing of frames, refcounts or page tables. Memory is a set of logical
// cells: one per private page of a process (copied, by value, at fork: COW isolation), one
// per page of a shared object (shmem, file, memfd_secret), and one per page of a private file
// mapping's page cache (read until the process first writes). A pin or a pipe entry is
// attached to the cell the process mapped when it pinned or spliced; a cell outlives its last
// mapping (a "ghost", still reachable by the device or the pipe). The policy changes what the
// reference predicts only where the policy means to: wipeonfork, the suspend wipes, which
// advices exist, and which cells its mark protects.
//
// Where Linux leaves a result to physical state (is the page present, is swap full, is memory
// exhausted), the reference allows the set of results that state could give, and follows the
// result the simulator returned. Owns: RefModel. Invariant: step() is a pure function of the
// steps and results it was given; it never reads a World.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <vector>

#include "sim/op.h"
#include "sim/process.h"
#include "sim/world.h"

namespace mmsim::props {

// Policy facts the reference relies on (spec §6, docs/sources.md §2).
bool policy_knows(PolicyId policy, Advice a);
enum class SuspendWipe : uint8_t { None, InPlace, Zap };
struct SuspendPlan {
  SuspendWipe how = SuspendWipe::None;
  bool at_resume = false;  // wipeonsuspend-restore: at resume instead of at suspend
};
SuspendPlan suspend_plan(PolicyId policy);

// Why a cell holds its value: the tag that routes a read to its promise.
enum class Origin : uint8_t { Fresh, Written, WipeOnFork, SuspendWipe };
enum class CellKind : uint8_t { Private, Object };

struct Cell {
  CellKind kind = CellKind::Private;
  Value v = 0;
  std::optional<Value> alt;  // a second value the reference cannot rule out
  Origin origin = Origin::Fresh;
  bool marked = false;         // private and under the policy's release mark (kept after unmap)
  bool secret = false;         // memfd_secret page, or a page under the exclusive policy's mark
  bool exclusive = false;      // out of the direct map by the exclusive policy's mark
  std::vector<Value> history;  // every value since the cell was created, in order
};

enum PageFlag : uint16_t {
  kLocked = 1u << 0,
  kDontCopy = 1u << 1,
  kWipeOnFork = 1u << 2,
  kDontDump = 1u << 3,
  kDroppable = 1u << 4,
  kWipeOnRelease = 1u << 5,
  kWipeOnSuspend = 1u << 6,
  kExclusive = 1u << 7,
  kShared = 1u << 8,
  kFile = 1u << 9,
  kSecret = 1u << 10,
  kShmem = 1u << 11,  // shared anonymous memory (shmem): swappable (shmem_writeout)
};

inline constexpr uint32_t kNoCell = 0xFFFFFFFFu;

struct Page {
  uint16_t flags = 0;
  Prot prot = Prot::ReadWrite;
  uint32_t cell = kNoCell;       // what the page reads now
  uint32_t file_cell = kNoCell;  // a private file page: its page-cache cell
  uint32_t object = kNoCell;     // the shared object or file it maps, if any
  [[nodiscard]] bool has(uint16_t f) const { return (flags & f) != 0; }
};

struct RefProc {
  enum class Life : uint8_t { Unborn, Alive, Dead };
  Life life = Life::Unborn;
  std::vector<Binding> names;
  std::map<Vpn, Page> pages;
  uint32_t next_free = 16;
};

struct PipeEntry {
  uint32_t cell = kNoCell;
  size_t from = 0;  // index in the cell's history at the splice
};

struct RefHandle {
  Handle::Kind kind = Handle::Kind::Unused;
  bool active = false;
  std::vector<uint32_t> pins;  // pinned cells
  PinDir dir = PinDir::Write;
  std::vector<bool> maybe_zero;  // per pin: it may hold the shared zero page (reads 0)
  std::deque<PipeEntry> pipe;
};

// What kind of observation a step makes: it decides which promise a mismatch breaks.
enum class ObsKind : uint8_t { Result, ProcRead, DmaRead, PipeRead };

struct Expect {
  ObsKind kind = ObsKind::Result;
  bool any = false;             // the reference does not constrain this result
  std::vector<Result> allowed;  // otherwise: the results it allows
  Origin origin = Origin::Written;
  [[nodiscard]] bool allows(const Result& r) const;
};

class RefModel {
 public:
  explicit RefModel(PolicyId policy);

  // What the reference allows step `s` to return, computed before it runs; then the model moves
  // past `s`, following `got` where it allows several results. `target` is the page an
  // untargeted `reclaim` chose (sim::choices), which the reference cannot know.
  Expect step(const Step& s, const Result& got, std::optional<ReclaimPage> target);

  // A value every cell that ever held it was a private page under the policy's release mark.
  [[nodiscard]] bool release_protected(Value v) const;
  // A value stored only in secret memory (memfd_secret, or the exclusive policy's mark).
  [[nodiscard]] bool secret_only(Value v) const;
  [[nodiscard]] bool frozen() const { return power_ != Power::Running; }
  [[nodiscard]] const RefProc& proc(ProcId p) const { return procs_[p.index()]; }
  [[nodiscard]] const Cell& cell(uint32_t c) const { return cells_[c]; }
  [[nodiscard]] const RefHandle& handle(HandleId h) const { return handles_[h.index()]; }
  [[nodiscard]] PolicyId policy() const { return policy_; }

 private:
  // Cells and values.
  uint32_t new_cell(CellKind kind, Value v, Origin origin);
  void store(uint32_t c, Value v, Origin origin);
  void note_value(const Cell& c, Value v);
  void taint(Value v);
  void sync_marks(Page& pg);
  [[nodiscard]] bool release_mark(const Page& pg) const;

  // Pages.
  std::optional<PageRange> resolve(ProcId p, const AddrRef& a) const;
  Page* page(ProcId p, Vpn v);
  [[nodiscard]] bool covered(ProcId p, PageRange r) const;
  // r from its start up to the first unmapped page (mlock/munlock/mprotect change that prefix
  // before they return ENOMEM at the hole).
  [[nodiscard]] PageRange mapped_prefix(ProcId p, PageRange r) const;
  void unmap(ProcId p, PageRange r);
  void drop_dead_objects();
  void kill(ProcId p, RefProc::Life life);
  void reset_page(Page& pg);  // a zap: the next access reads 0 (or the file)

  // Ops (reference_model.cpp: memory; reference_ops.cpp: tasks, GUP, system).
  Expect mmap(ProcId p, const Mmap& o);
  Expect munmap(ProcId p, const AddrRef& a);
  Expect mprotect(ProcId p, const AddrRef& a, Prot prot);
  Expect mlock(ProcId p, const AddrRef& a, const Result& got);
  Expect munlock(ProcId p, const AddrRef& a);
  Expect madvise(ProcId p, const AddrRef& a, Advice advice);
  Expect madvise_policy(ProcId p, PageRange r, Advice advice);
  Expect read(ProcId p, const AddrRef& a, const Result& got);
  Expect write(ProcId p, const AddrRef& a, Value v, const Result& got);
  Expect fork(ProcId p, ProcId child, const Result& got);
  Expect exit(ProcId p, FinishWhat what);
  Expect kill_op(ProcId p);
  Expect pin(ProcId p, const AddrRef& a, HandleId h, PinKind kind, PinDir dir, const Result& got);
  Expect vmsplice(ProcId p, const AddrRef& a, HandleId h, const Result& got);
  Expect dma_read(HandleId h);
  Expect dma_write(HandleId h, Value v);
  Expect unpin(HandleId h);
  Expect pipe_read(HandleId h, const Result& got);
  Expect pipe_close(HandleId h);
  Expect reclaim(ProcId p, std::optional<Vpn> page, const AddrRef* a, const Result& got);
  Expect migrate(ProcId p, const AddrRef& a);
  Expect power(PowerEvent e);
  void suspend_wipe(SuspendWipe how);
  Expect dispatch(const Step& s, const Result& got, std::optional<ReclaimPage> target);

  PolicyId policy_;
  std::vector<Cell> cells_;
  std::vector<RefProc> procs_;
  std::vector<RefHandle> handles_;
  std::vector<std::vector<uint32_t>> objects_;  // object id -> its cells; empty when dead
  std::vector<bool> object_secret_;
  Power power_ = Power::Running;
  std::map<Value, bool> release_ok_;  // value -> still only in release-marked private cells
  std::map<Value, bool> secret_ok_;   // value -> still only in secret cells
};

}  // namespace mmsim::props
