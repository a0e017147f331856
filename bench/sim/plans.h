// bench/sim/plans.h: the workloads of issue #7 as Plans (harness.h): sequences of real Ops on
// one private anonymous mapping of N written pages. Each plan measures one thing; its timed
// steps say what. Marked pages are the first m pages of the mapping and pinned pages the first
// p pages, so that marked pages are the ones still referenced at unmap (the case the per-VMA
// design queues) and, with p > m, unmarked pages are freed while the queue is not empty.
#pragma once

#include "bench/sim/harness.h"

namespace mmsim::bench {

// munmap (Exit = false) or exit (Exit = true) of N pages, M% marked and P% pinned beforehand.
// Timed: the munmap or exit alone. Teardown: the unpin.
// Payload None: the same code without the 4 KiB contents (for the unmarked paths, which never
// clear, it takes the payload's cache pressure out of a sub-nanosecond comparison).
template <uint32_t M, uint32_t P, bool Exit, PagePayload Payload = PagePayload::Real4K>
Plan unmap_plan(const Design& d, uint32_t n);

// The deferred free path: N pages, M% marked, all pinned and unmapped beforehand.
// Timed: the unpin that drops the last reference of every page.
template <uint32_t M, PagePayload Payload = PagePayload::Real4K>
Plan unpin_plan(const Design& d, uint32_t n);

// Marking N populated pages (mlock or madvise). Split: the N pages are the middle of an
// (N+2)-page mapping, so the mark splits one VMA into three at every N.
Plan mark_plan(const Design& d, uint32_t n);
Plan mark_split_plan(const Design& d, uint32_t n);

// fork of a parent with N pages, M% marked. Timed: the fork.
template <uint32_t M>
Plan fork_plan(const Design& d, uint32_t n);
// After that fork: timed, the child's exit (it maps every page COW-shared with the parent).
Plan fork_child_exit_plan(const Design& d, uint32_t n);

// The whole life of N marked pages after they are written: mark + munmap (unpinned), or
// mark + pin + munmap + unpin (the deferred free path). Payload None or Real4K, and mainline
// with the madvise family's mark (an EINVAL no-op) as that family's baseline.
template <bool Pinned, PagePayload Payload>
Plan cycle_plan(const Design& d, uint32_t n);

}  // namespace mmsim::bench
