// sim/types.h: the vocabulary of the simulator: strong IDs, page numbers, half-open page
// ranges, values and op results.
//
// Owns: nothing but value types. Invariant: an Id is an index into the table its Tag names
// (frames, swap slots, processes, ...); Id::none() is the only sentinel and never indexes.
#pragma once

#include <compare>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

namespace mmsim {

// A strongly typed index. Tags keep a FrameId from being passed where a SlotId is expected.
template <class Tag>
struct Id {
  using Rep = uint16_t;
  Rep v = std::numeric_limits<Rep>::max();

  constexpr Id() = default;
  constexpr explicit Id(Rep value) : v(value) {}
  static constexpr Id none() { return Id{}; }
  [[nodiscard]] constexpr bool valid() const { return v != std::numeric_limits<Rep>::max(); }
  [[nodiscard]] constexpr size_t index() const { return v; }
  constexpr auto operator<=>(const Id&) const = default;
};

using FrameId = Id<struct FrameTag>;    // a physical page frame
using SlotId = Id<struct SlotTag>;      // a swap slot
using FileId = Id<struct FileTag>;      // a file object (regular, shmem or memfd_secret)
using ProcId = Id<struct ProcTag>;      // a process (one mm)
using DeviceId = Id<struct DeviceTag>;  // a DMA-capable device (an actor; holds no state)
using NameId = Id<struct NameTag>;      // a mapping name of the litmus test (`x`)
using HandleId = Id<struct HandleTag>;  // a pin or pipe handle of the litmus test (`io`)
using RegId = Id<struct RegTag>;        // a register of an actor (`r0`)

// A virtual page number inside one process. Page size is abstract (spec §2).
struct Vpn {
  uint32_t v = 0;
  constexpr auto operator<=>(const Vpn&) const = default;
  constexpr Vpn operator+(uint32_t n) const { return Vpn{v + n}; }
};

// Pages [begin, end), like vm_start/vm_end.
struct PageRange {
  Vpn begin;
  Vpn end;
  constexpr auto operator<=>(const PageRange&) const = default;
  [[nodiscard]] constexpr uint32_t pages() const { return end.v > begin.v ? end.v - begin.v : 0; }
  [[nodiscard]] constexpr bool empty() const { return pages() == 0; }
  [[nodiscard]] constexpr bool contains(Vpn p) const { return begin <= p && p < end; }
  [[nodiscard]] constexpr bool overlaps(PageRange o) const {
    return begin < o.end && o.begin < end;
  }
  [[nodiscard]] constexpr PageRange intersect(PageRange o) const {
    PageRange r{begin < o.begin ? o.begin : begin, end < o.end ? end : o.end};
    return r.begin < r.end ? r : PageRange{};
  }
};

using Value = uint64_t;  // the one value a page holds

// Linux errno values the model returns (spec §2). Names print as in <errno.h>.
enum class Errno : uint8_t { Inval, NoMem, Fault, Perm, Again, Busy, NoEnt, NoSpc, Srch };

std::string_view errno_name(Errno e);
bool errno_from_name(std::string_view name, Errno* out);

// What an op left in its register: spec §2 (`ok`, a value, `SEGV` or an errno name).
// `Unset` is the state of a register that no op wrote; it compares unequal to everything.
struct Result {
  enum class Kind : uint8_t { Unset, Ok, Number, Err, Segv };
  Kind kind = Kind::Unset;
  Errno err = Errno::Inval;
  Value value = 0;

  static constexpr Result ok() { return Result{Kind::Ok, Errno::Inval, 0}; }
  static constexpr Result of(Value v) { return Result{Kind::Number, Errno::Inval, v}; }
  static constexpr Result error(Errno e) { return Result{Kind::Err, e, 0}; }
  static constexpr Result segv() { return Result{Kind::Segv, Errno::Inval, 0}; }
  [[nodiscard]] constexpr bool is_ok() const { return kind == Kind::Ok; }
  [[nodiscard]] constexpr bool is_set() const { return kind != Kind::Unset; }
  constexpr bool operator==(const Result&) const = default;
};

std::string to_string(const Result& r);

}  // namespace mmsim
