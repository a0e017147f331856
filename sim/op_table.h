// sim/op_table.h: the one table of op properties. The parser (keywords, which actor may run
// an op), the printer (keywords), apply (which ops name pages, which split page by page, which
// are loads and stores) and the state fingerprint (an op's tag) read it; nothing else lists ops.
//
// Owns: kOpTable, one row per alternative of LangOp then PageStep, in variant order.
// Invariant: checked at compile time below: a row for every alternative, the language's
// keywords unique, a row's address column true exactly when its op has an `addr` field, page
// steps never in the language, fingerprint tags unique and never renumbered.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>
#include <utility>

#include "sim/op.h"

namespace mmsim {

// Which actors may run an op (spec §3). A page step is never written: apply makes it.
enum class OpActor : uint8_t { Process, Device, Pipe, System, Internal };
// Which pages an op names: an ADDR of the acting process, `P ADDR` of another process, none.
enum class OpAddr : uint8_t { None, Own, Other };
// How an op runs at granularity page (docs/model.md): in one step; apply splits its ADDR into
// one step per page; or the op itself continues with page steps (fork, exit, power, ...).
enum class OpSplit : uint8_t { OneStep, PerPage, PageSteps };
// Whether an op loads or stores user memory at its ADDR (a bad address is SIGSEGV, not EINVAL).
enum class OpAccess : uint8_t { None, Load, Store };

struct OpInfo {
  std::string_view keyword;  // the litmus keyword; for a page step, its word in printed steps
  OpActor actor = OpActor::Internal;
  OpAddr addr = OpAddr::None;
  OpSplit split = OpSplit::OneStep;
  OpAccess access = OpAccess::None;
  // Fed into state fingerprints (sim/fingerprint.h hash_op): the op's index in the single
  // variant that Op was before it was split into LangOp and PageStep. Never renumber.
  uint8_t tag = 0;
};

inline constexpr size_t kLangOpCount = std::variant_size_v<LangOp>;
inline constexpr size_t kOpCount = kLangOpCount + std::variant_size_v<PageStep>;

// clang-format off
inline constexpr std::array<OpInfo, kOpCount> kOpTable{{
    // keyword       actor               addr           split                 access            tag
    {"mmap",         OpActor::Process,   OpAddr::None,  OpSplit::OneStep,     OpAccess::None,   0},
    {"munmap",       OpActor::Process,   OpAddr::Own,   OpSplit::PerPage,     OpAccess::None,   1},
    {"madvise",      OpActor::Process,   OpAddr::Own,   OpSplit::PerPage,     OpAccess::None,   2},
    {"mlock",        OpActor::Process,   OpAddr::Own,   OpSplit::PerPage,     OpAccess::None,   3},
    {"munlock",      OpActor::Process,   OpAddr::Own,   OpSplit::PerPage,     OpAccess::None,   4},
    {"mprotect",     OpActor::Process,   OpAddr::Own,   OpSplit::PerPage,     OpAccess::None,   5},
    {"write",        OpActor::Process,   OpAddr::Own,   OpSplit::PerPage,     OpAccess::Store,  6},
    {"read",         OpActor::Process,   OpAddr::Own,   OpSplit::OneStep,     OpAccess::Load,   7},
    {"zero",         OpActor::Process,   OpAddr::Own,   OpSplit::PerPage,     OpAccess::Store,  8},
    {"fork",         OpActor::Process,   OpAddr::None,  OpSplit::PageSteps,   OpAccess::None,   9},
    {"exec",         OpActor::Process,   OpAddr::None,  OpSplit::PageSteps,   OpAccess::None,   10},
    {"exit",         OpActor::Process,   OpAddr::None,  OpSplit::PageSteps,   OpAccess::None,   11},
    {"pin",          OpActor::Process,   OpAddr::Own,   OpSplit::OneStep,     OpAccess::None,   12},
    {"vmsplice",     OpActor::Process,   OpAddr::Own,   OpSplit::OneStep,     OpAccess::None,   13},
    {"dma-read",     OpActor::Device,    OpAddr::None,  OpSplit::OneStep,     OpAccess::None,   14},
    {"dma-write",    OpActor::Device,    OpAddr::None,  OpSplit::OneStep,     OpAccess::None,   15},
    {"unpin",        OpActor::Device,    OpAddr::None,  OpSplit::OneStep,     OpAccess::None,   16},
    {"pipe-read",    OpActor::Pipe,      OpAddr::None,  OpSplit::OneStep,     OpAccess::None,   17},
    {"pipe-close",   OpActor::Pipe,      OpAddr::None,  OpSplit::OneStep,     OpAccess::None,   18},
    {"reclaim",      OpActor::System,    OpAddr::Other, OpSplit::OneStep,     OpAccess::None,   19},
    {"migrate",      OpActor::System,    OpAddr::Other, OpSplit::OneStep,     OpAccess::None,   21},
    {"kill",         OpActor::System,    OpAddr::None,  OpSplit::PageSteps,   OpAccess::None,   22},
    {"suspend",      OpActor::System,    OpAddr::None,  OpSplit::PageSteps,   OpAccess::None,   23},
    {"hibernate",    OpActor::System,    OpAddr::None,  OpSplit::PageSteps,   OpAccess::None,   24},
    {"resume",       OpActor::System,    OpAddr::None,  OpSplit::PageSteps,   OpAccess::None,   25},
    {"snapshot",     OpActor::System,    OpAddr::None,  OpSplit::OneStep,     OpAccess::None,   26},
    // page steps
    {"reclaim",      OpActor::Internal,  OpAddr::None,  OpSplit::OneStep,     OpAccess::None,   20},
    {"fork.page",    OpActor::Internal,  OpAddr::None,  OpSplit::OneStep,     OpAccess::None,   27},
    {"zap.page",     OpActor::Internal,  OpAddr::None,  OpSplit::OneStep,     OpAccess::None,   28},
    {"finish",       OpActor::Internal,  OpAddr::None,  OpSplit::OneStep,     OpAccess::None,   29},
    {"power.page",   OpActor::Internal,  OpAddr::None,  OpSplit::OneStep,     OpAccess::None,   30},
    {"power.done",   OpActor::Internal,  OpAddr::None,  OpSplit::OneStep,     OpAccess::None,   31},
}};
// clang-format on

// The row of an alternative: its index in LangOp, or after the LangOp rows, its index in PageStep.
template <OpAlternative T>
inline constexpr size_t kOpRow =
    op_detail::IndexIn<T, LangOp>::found ? op_detail::IndexIn<T, LangOp>::value
                                         : kLangOpCount + op_detail::IndexIn<T, PageStep>::value;

constexpr size_t op_row(const LangOp& op) {
  return op.index();
}
constexpr size_t op_row(const PageStep& op) {
  return kLangOpCount + op.index();
}
constexpr size_t op_row(const Op& op) {
  const auto* lang = std::get_if<LangOp>(&op);
  return lang != nullptr ? op_row(*lang) : op_row(std::get<PageStep>(op));
}
constexpr const OpInfo& op_info(const Op& op) {
  return kOpTable[op_row(op)];
}
constexpr const OpInfo& op_info(const LangOp& op) {
  return kOpTable[op_row(op)];
}

// The pages an op names (OpAddr::Own or Other), or nullptr.
template <OpAlternative T>
constexpr const AddrRef* op_addr(const T& o) {
  if constexpr (kOpTable[kOpRow<T>].addr != OpAddr::None) {
    return &o.addr;
  } else {
    return nullptr;
  }
}
template <OpAlternative T>
constexpr AddrRef* op_addr(T& o) {
  if constexpr (kOpTable[kOpRow<T>].addr != OpAddr::None) {
    return &o.addr;
  } else {
    return nullptr;
  }
}
inline const AddrRef* op_addr(const LangOp& op) {
  return std::visit([](const auto& o) { return op_addr(o); }, op);
}
inline const AddrRef* op_addr(const Op& op) {
  return visit_op([](const auto& o) { return op_addr(o); }, op);
}

// --- the proof that the table describes every op, checked at compile time ---
namespace op_detail {

template <class T>
constexpr bool row_fits() {
  constexpr OpInfo row = kOpTable[kOpRow<T>];
  constexpr bool has_addr = requires(const T& o) {
    o.addr;
  };
  constexpr bool in_language = IndexIn<T, LangOp>::found;
  return !row.keyword.empty() && has_addr == (row.addr != OpAddr::None) &&
         in_language == (row.actor != OpActor::Internal) &&
         (row.split != OpSplit::PerPage || row.addr == OpAddr::Own) &&
         (row.access == OpAccess::None || row.addr == OpAddr::Own);
}

template <class V, size_t... I>
constexpr bool rows_fit(std::index_sequence<I...>) {
  return (row_fits<std::variant_alternative_t<I, V>>() && ...);
}

constexpr bool keywords_and_tags_unique() {
  for (size_t i = 0; i < kOpCount; ++i) {
    if (kOpTable[i].tag >= kOpCount) return false;
    for (size_t j = i + 1; j < kOpCount; ++j) {
      if (kOpTable[i].tag == kOpTable[j].tag) return false;
      if (j < kLangOpCount && kOpTable[i].keyword == kOpTable[j].keyword) return false;
    }
  }
  return true;
}

}  // namespace op_detail

static_assert(op_detail::rows_fit<LangOp>(std::make_index_sequence<kLangOpCount>{}),
              "kOpTable: a row of the language disagrees with its op");
static_assert(op_detail::rows_fit<PageStep>(std::make_index_sequence<kOpCount - kLangOpCount>{}),
              "kOpTable: a page step's row disagrees with its step");
static_assert(op_detail::keywords_and_tags_unique(), "kOpTable: a keyword or a tag is repeated");

}  // namespace mmsim
