// sim/vma.h: a virtual memory area: a half-open page range with one protection and one set of
// flags, like struct vm_area_struct.
//
// Owns: the VMA value type. Invariant: range is non-empty; a file-backed VMA names a live file
// and page p of the VMA is page (p - range.begin + file_page) of that file.
#pragma once

#include <cstdint>

#include "sim/op.h"
#include "sim/types.h"

namespace mmsim {

enum class VmaFlag : uint32_t {
  Shared = 1u << 0,      // VM_SHARED (MAP_SHARED, shmem, memfd_secret)
  File = 1u << 1,        // vm_file != NULL (a regular file, shmem or memfd_secret)
  Secret = 1u << 2,      // vma_is_secretmem()
  Droppable = 1u << 3,   // VM_DROPPABLE
  Locked = 1u << 4,      // VM_LOCKED
  DontCopy = 1u << 5,    // VM_DONTCOPY (MADV_DONTFORK)
  WipeOnFork = 1u << 6,  // VM_WIPEONFORK
  DontDump = 1u << 7,    // VM_DONTDUMP
  // Marks owned by policies (sim/policy.h); mainline never sets them.
  WipeOnRelease = 1u << 8,  // VM_WIPEONRELEASE (Garrett)
  WipeOnSuspend = 1u << 9,  // VM_WIPEONSUSPEND (Catangiu)
  Exclusive = 1u << 10,     // VM_EXCLUSIVE (MAP_EXCLUSIVE/MADV_SECRET RFC)
  WipeMark = 1u << 11,      // the per-VMA wipe mark of mlockedonfree-vma
};

struct Vma {
  PageRange range;
  Prot prot = Prot::ReadWrite;
  uint32_t flags = 0;
  FileId file;
  uint32_t file_page = 0;  // file page of range.begin

  [[nodiscard]] bool has(VmaFlag f) const { return (flags & static_cast<uint32_t>(f)) != 0; }
  void set(VmaFlag f) { flags |= static_cast<uint32_t>(f); }
  void clear(VmaFlag f) { flags &= ~static_cast<uint32_t>(f); }
  // Private anonymous memory: the only kind COW, wipeonfork and most wipe proposals act on.
  [[nodiscard]] bool private_anon() const { return !has(VmaFlag::Shared) && !has(VmaFlag::File); }
  [[nodiscard]] uint32_t file_page_of(Vpn p) const { return file_page + (p.v - range.begin.v); }
  bool operator==(const Vma&) const = default;
};

}  // namespace mmsim
