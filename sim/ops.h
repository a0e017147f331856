// sim/ops.h: the op implementations behind sim::apply, one function per op, grouped by file:
// ops_map.cpp (mmap, munmap, mprotect, mlock, madvise), ops_access.cpp (read, write),
// ops_task.cpp (fork, exit, kill, exec), ops_gup.cpp (pins, pipes, DMA), ops_reclaim.cpp
// (reclaim, migration), ops_power.cpp (suspend, hibernate, resume, snapshot).
//
// Owns: nothing; internal to sim/. Invariant: as sim/apply.h. Each function takes the
// resolved page range where the op names an address; `rest` carries page-granularity steps.
#pragma once

#include "sim/apply.h"
#include "sim/hook_context.h"
#include "sim/kernel.h"

namespace mmsim::ops {

Result mmap(World& w, ProcId p, const Mmap& op);
Result munmap(World& w, ProcId p, PageRange r);
Result mprotect(World& w, ProcId p, PageRange r, Prot prot);
Result mlock(World& w, ProcId p, PageRange r);
Result munlock(World& w, ProcId p, PageRange r);
Result madvise(World& w, ProcId p, PageRange r, Advice advice);

Result read(World& w, ProcId p, PageRange r);
Result write(World& w, ProcId p, PageRange r, Value v);

Outcome fork(World& w, ProcId parent, ProcId child, Granularity g);
Result fork_page(World& w, const ForkPage& op);
Outcome exit(World& w, ProcId p, FinishWhat what, Granularity g);
Result finish(World& w, const Finish& op);

Result pin(World& w, ProcId p, PageRange r, PinKind kind, PinDir dir, HandleId h);
Result vmsplice(World& w, ProcId p, PageRange r, HandleId h);
Result dma_read(World& w, HandleId h);
Result dma_write(World& w, HandleId h, Value v);
Result unpin(World& w, HandleId h);
Result pipe_read(World& w, HandleId h);
Result pipe_close(World& w, HandleId h);

Result reclaim_page(World& w, ProcId p, Vpn page);
std::vector<Op> reclaim_choices(const World& w);
Result migrate(World& w, ProcId p, Vpn page);

Outcome power(World& w, PowerEvent event, Granularity g);
Result power_page(World& w, const PowerPage& op);
Result power_done(World& w, PowerEvent event);
Result snapshot(World& w);

}  // namespace mmsim::ops
