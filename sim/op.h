// sim/op.h: the one operation type. Every change to a World is an Op applied by sim::apply
// (sim/apply.h): litmus steps, checker transitions, rapidcheck commands and benchmark
// workloads are all sequences of Ops. An Op is either a LangOp, an op of the litmus language,
// or a PageStep, an internal step of an op in flight; sim/op_table.h holds their properties.
//
// Owns: the Op, LangOp and PageStep variants and their argument types. Invariant: an Op holds
// only IDs and numbers, never pointers, so ops are copyable, comparable and can be printed
// and replayed; a parsed litmus line is always a LangOp, never a PageStep.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <variant>

#include "sim/types.h"

namespace mmsim {

// An madvise advice. The values are stable (fingerprints hold them). WipeOnFork..DoDump are
// the core advices (sim/advice.h); the values from 7 on belong to the policies that declare
// them in their descriptors (sim/policy.h PolicyAdvice), which give the keywords. A new
// policy's advice takes the next free value in its own source file, e.g.
// `constexpr Advice kWipeOnExit{12};` (an enum with a fixed underlying type holds any value);
// the registry test rejects two keywords for one value.
enum class Advice : uint8_t {
  WipeOnFork, KeepOnFork, DontFork, DoFork, DontNeed, DontDump, DoDump,
  // declared by the wipeonrelease-*, wipeonsuspend-* and exclusive descriptors
  WipeOnRelease, KeepOnRelease, WipeOnSuspend, KeepOnSuspend, Secret,
};
enum class Sharing : uint8_t { Default, Private, Shared };
enum class Backing : uint8_t { Anon, File, Secret, Droppable };
enum class Prot : uint8_t { None, Read, ReadWrite };
enum class PinKind : uint8_t { Dio, Longterm };
// The direction of a pin (a documented extension of spec §3, docs/litmus.md): Write is
// FOLL_WRITE, the device may write memory (O_DIRECT read(2), io_uring fixed buffers, RDMA with
// write access); Read is a pin without FOLL_WRITE, the device only reads (O_DIRECT write(2)).
// Write is the default of `pin ADDR dio|longterm H`. Write = 0 keeps old fingerprints.
enum class PinDir : uint8_t { Write = 0, Read = 1 };

// `x`, `x[i]` or `x[i:j]`: pages of the mapping bound to `name` in the acting process.
// Whole: the mapping as it was mmapped; otherwise pages [first, last) of it (half-open).
struct AddrRef {
  enum class Span : uint8_t { Whole, Slice };
  NameId name;
  Span span = Span::Whole;
  uint32_t first = 0;
  uint32_t last = 0;
  auto operator<=>(const AddrRef&) const = default;
};

// --- the language's ops: what a litmus line can say (spec §2-§3) ---
// Process ops (the actor is a process).
struct Mmap { NameId name; uint32_t pages = 0; Sharing sharing = Sharing::Default; Backing backing = Backing::Anon; auto operator<=>(const Mmap&) const = default; };
struct Munmap { AddrRef addr; auto operator<=>(const Munmap&) const = default; };
struct Madvise { AddrRef addr; Advice advice{}; auto operator<=>(const Madvise&) const = default; };
struct Mlock { AddrRef addr; auto operator<=>(const Mlock&) const = default; };
struct Munlock { AddrRef addr; auto operator<=>(const Munlock&) const = default; };
struct Mprotect { AddrRef addr; Prot prot{}; auto operator<=>(const Mprotect&) const = default; };
struct Write { AddrRef addr; Value value = 0; auto operator<=>(const Write&) const = default; };
struct Read { AddrRef addr; auto operator<=>(const Read&) const = default; };
struct Zero { AddrRef addr; auto operator<=>(const Zero&) const = default; };
struct Fork { ProcId child; auto operator<=>(const Fork&) const = default; };
struct Exec { auto operator<=>(const Exec&) const = default; };
struct Exit { auto operator<=>(const Exit&) const = default; };
struct Pin { AddrRef addr; PinKind kind{}; HandleId handle; PinDir dir = PinDir::Write; auto operator<=>(const Pin&) const = default; };
struct Vmsplice { AddrRef addr; HandleId handle; auto operator<=>(const Vmsplice&) const = default; };

// Device and pipe ops (any actor for pipes).
struct DmaRead { HandleId handle; auto operator<=>(const DmaRead&) const = default; };
struct DmaWrite { HandleId handle; Value value = 0; auto operator<=>(const DmaWrite&) const = default; };
struct Unpin { HandleId handle; auto operator<=>(const Unpin&) const = default; };
struct PipeRead { HandleId handle; auto operator<=>(const PipeRead&) const = default; };
struct PipeClose { HandleId handle; auto operator<=>(const PipeClose&) const = default; };

// System ops. `reclaim P ADDR` names one page; a plain `reclaim` (proc none) is a choice point
// that the checker expands into one ReclaimPage per eligible page (apply.h, choices).
struct Reclaim { ProcId proc; AddrRef addr; auto operator<=>(const Reclaim&) const = default; };
struct Migrate { ProcId proc; AddrRef addr; auto operator<=>(const Migrate&) const = default; };
struct Kill { ProcId proc; auto operator<=>(const Kill&) const = default; };
struct Suspend { auto operator<=>(const Suspend&) const = default; };
struct Hibernate { auto operator<=>(const Hibernate&) const = default; };
struct Resume { auto operator<=>(const Resume&) const = default; };
struct Snapshot { auto operator<=>(const Snapshot&) const = default; };

// --- page steps: the later steps of an op in flight, at page granularity (docs/model.md) ---
// No litmus line writes them; apply and the checker make them.
// One chosen target of a plain `reclaim` (proc none: nothing was eligible).
struct ReclaimPage { ProcId proc; Vpn page; auto operator<=>(const ReclaimPage&) const = default; };
// Why a PTE is being removed (the policies' on_zap_pte sees it; sim/policy.h).
enum class ZapCause : uint8_t { Munmap, DontNeed, Exit, Kill, Exec, PolicyZap };
struct ForkPage { ProcId parent; ProcId child; Vpn page; auto operator<=>(const ForkPage&) const = default; };
// One page of exit, kill or exec's teardown, with the cause the whole op would give it.
struct ZapPage { ProcId proc; Vpn page; ZapCause cause = ZapCause::Exit; auto operator<=>(const ZapPage&) const = default; };
// The last step of a fork, exit, kill or exec: the child becomes runnable, or the mm goes.
enum class FinishWhat : uint8_t { Fork, Exit, Kill, Exec };
struct Finish { ProcId proc; FinishWhat what{}; auto operator<=>(const Finish&) const = default; };
enum class PowerEvent : uint8_t { Suspend, Hibernate, Resume };
struct PowerPage { ProcId proc; Vpn page; PowerEvent event{}; auto operator<=>(const PowerPage&) const = default; };
struct PowerDone { PowerEvent event{}; auto operator<=>(const PowerDone&) const = default; };

// The ops of the language, in the order of kOpTable's first rows (and of the parser's list of
// op keywords in its errors).
using LangOp =
    std::variant<Mmap, Munmap, Madvise, Mlock, Munlock, Mprotect, Write, Read, Zero, Fork, Exec,
                 Exit, Pin, Vmsplice, DmaRead, DmaWrite, Unpin, PipeRead, PipeClose, Reclaim,
                 Migrate, Kill, Suspend, Hibernate, Resume, Snapshot>;
// The internal steps, in the order of kOpTable's last rows.
using PageStep = std::variant<ReclaimPage, ForkPage, ZapPage, Finish, PowerPage, PowerDone>;
// The one operation type sim::apply takes: an op of the language, or a page step of one.
using Op = std::variant<LangOp, PageStep>;

// Who runs an op. Processes and devices own registers; the system thread does too.
struct Actor {
  enum class Kind : uint8_t { Process, Device, System };
  Kind kind = Kind::System;
  uint16_t index = 0;  // ProcId or DeviceId value; 0 for the system
  auto operator<=>(const Actor&) const = default;
  static Actor process(ProcId p) { return Actor{Kind::Process, p.v}; }
  static Actor device(DeviceId d) { return Actor{Kind::Device, d.v}; }
  static Actor system() { return Actor{Kind::System, 0}; }
  [[nodiscard]] ProcId proc() const { return ProcId{index}; }
};

// One line of a litmus test: an actor runs an op and may store its result in a register.
struct Step {
  Actor actor;
  Op op;
  RegId dest;  // none() when the line has no `-> r`
  uint32_t line = 0;  // source line, 0 when generated
  auto operator<=>(const Step&) const = default;
};

std::string_view advice_name(Advice a);  // sim/advice.cpp
std::string_view op_name(const Op& op);  // its keyword (sim/op_table.h): "mmap", "dma-read", ...

// --- access by alternative: op_is<Write>(op), op_if<Fork>(&op), op_get<Kill>(op), and
// visit_op(f, op), which calls f with the alternative itself and so must handle every one ---
namespace op_detail {
template <class T, class V>
struct IndexIn;
template <class T, class... Ts>
struct IndexIn<T, std::variant<Ts...>> {
  static constexpr bool found = (std::is_same_v<T, Ts> || ...);
  static constexpr size_t value = [] {
    size_t i = 0;
    (void)((std::is_same_v<T, Ts> ? false : (++i, true)) && ...);
    return i;
  }();
};
// The group (LangOp or PageStep) that holds T.
template <class T>
using GroupOf = std::conditional_t<IndexIn<T, LangOp>::found, LangOp, PageStep>;
}  // namespace op_detail

template <class T>
concept OpAlternative =
    op_detail::IndexIn<T, LangOp>::found || op_detail::IndexIn<T, PageStep>::found;

template <OpAlternative T>
const T* op_if(const Op* op) {
  const auto* group = std::get_if<op_detail::GroupOf<T>>(op);
  return group != nullptr ? std::get_if<T>(group) : nullptr;
}
template <OpAlternative T>
T* op_if(Op* op) {
  auto* group = std::get_if<op_detail::GroupOf<T>>(op);
  return group != nullptr ? std::get_if<T>(group) : nullptr;
}
template <OpAlternative T>
bool op_is(const Op& op) {
  return op_if<T>(&op) != nullptr;
}
// Throws std::bad_variant_access when op is not a T, as std::get does.
template <OpAlternative T>
const T& op_get(const Op& op) {
  return std::get<T>(std::get<op_detail::GroupOf<T>>(op));
}

template <class F>
decltype(auto) visit_op(F&& f, const Op& op) {
  return std::visit([&f](const auto& group) -> decltype(auto) { return std::visit(f, group); }, op);
}
template <class F>
decltype(auto) visit_op(F&& f, Op& op) {
  return std::visit([&f](auto& group) -> decltype(auto) { return std::visit(f, group); }, op);
}

}  // namespace mmsim
