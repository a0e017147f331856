// props/gen_args.h: the argument generators of the commands: one make_step overload per op
// of the litmus language, each drawing its actor and arguments from the belief model with the
// biases of gen.h. Internal to props/gen.cpp.
//
// Owns: nothing. Invariant: make_step only draws from rapidcheck generators (`*gen` inside the
// command's constructor, which rc::state runs under gen::exec), so every draw replays from the
// seed and shrinks.
#pragma once

#include "props/gen.h"

namespace mmsim::props {

template <class OpT>
struct Tag {};

// What the belief model says is worth emphasising now.
struct Bias {
  bool any_alive = false;
  bool unborn = false;  // a child can still be forked
  bool children_alive = false;
  uint32_t mapped_procs = 0;    // live processes with a mapped name
  uint32_t alive = 0;           // live processes
  bool pins = false;            // an active pin
  bool pipes = false;           // a pipe holding pages
  uint32_t mapped_names = 0;    // names mapped by the least-mapped live process
  bool policy_advice = false;   // the policy implements an advice of its own
  bool mlock_policy = false;    // the policy's mark is mlock
  bool suspend_policy = false;  // the policy wipes at suspend or resume
};
Bias bias_of(const GenModel& m);

Step make_step(const GenModel& m, Tag<Mmap>);
Step make_step(const GenModel& m, Tag<Munmap>);
Step make_step(const GenModel& m, Tag<Madvise>);
Step make_step(const GenModel& m, Tag<Mlock>);
Step make_step(const GenModel& m, Tag<Munlock>);
Step make_step(const GenModel& m, Tag<Mprotect>);
Step make_step(const GenModel& m, Tag<Write>);
Step make_step(const GenModel& m, Tag<Read>);
Step make_step(const GenModel& m, Tag<Zero>);
Step make_step(const GenModel& m, Tag<Fork>);
Step make_step(const GenModel& m, Tag<Exec>);
Step make_step(const GenModel& m, Tag<Exit>);
Step make_step(const GenModel& m, Tag<Pin>);
Step make_step(const GenModel& m, Tag<Vmsplice>);
Step make_step(const GenModel& m, Tag<DmaRead>);
Step make_step(const GenModel& m, Tag<DmaWrite>);
Step make_step(const GenModel& m, Tag<Unpin>);
Step make_step(const GenModel& m, Tag<PipeRead>);
Step make_step(const GenModel& m, Tag<PipeClose>);
Step make_step(const GenModel& m, Tag<Reclaim>);
Step make_step(const GenModel& m, Tag<Migrate>);
Step make_step(const GenModel& m, Tag<Kill>);
Step make_step(const GenModel& m, Tag<Suspend>);
Step make_step(const GenModel& m, Tag<Hibernate>);
Step make_step(const GenModel& m, Tag<Resume>);
Step make_step(const GenModel& m, Tag<Snapshot>);

}  // namespace mmsim::props
