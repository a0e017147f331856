// props/hazards_test.cpp: the hazards of docs/sources.md §3, as fixed programs, through the
// property harness: under every policy, the promise each hazard breaks breaks exactly where
// the expectation table (props/promises.cpp) says "breaks", and no promise breaks elsewhere.
// These are the deterministic companions of the random hunts: they pin the reference model,
// the promise predicates and the table to the sources.
#include <gtest/gtest.h>

#include <map>

#include "props/harness.h"
#include "sim/policy.h"

namespace mmsim::props {
namespace {

constexpr ProcId P0{0}, P1{1};
constexpr NameId X{0};
constexpr Value kA = 0xA01, kB = 0xA02, kD = 0xD01;
const AddrRef kX{X, AddrRef::Span::Whole, 0, 0};

Step as(ProcId p, Op op) {
  return Step{Actor::process(p), std::move(op), RegId::none(), 0};
}
Step dev(Op op) {
  return Step{Actor::device(DeviceId{0}), std::move(op), RegId::none(), 0};
}
Step sys(Op op) {
  return Step{Actor::system(), std::move(op), RegId::none(), 0};
}

bool wipeonrelease(PolicyId p) {
  return p == PolicyId::WipeOnReleaseV1 || p == PolicyId::WipeOnReleaseV2 ||
         p == PolicyId::WipeOnReleaseV4;
}

// The mark step of the policy's own proposal: its madvise, or mlock for Niebuhr's.
Step mark(PolicyId p) {
  if (wipeonrelease(p)) return as(P0, Madvise{kX, Advice::WipeOnRelease});
  if (p == PolicyId::Exclusive) return as(P0, Madvise{kX, Advice::Secret});
  return as(P0, Mlock{kX});
}

struct Scenario {
  const char* name;
  std::vector<Step> (*steps)(PolicyId);
  std::map<PolicyId, Promise> breaks;  // the first promise each policy breaks; none elsewhere
};

// H1, H4 (both directions), H5 and its exclusive counterpart.
std::vector<Scenario> first_hazards() {
  using P = PolicyId;
  return {
      {"H1 child exit zeroes the parent's mlocked page",
       [](P) {
         return std::vector<Step>{as(P0, Mmap{X, 1}), as(P0, Write{kX, kA}), as(P0, Mlock{kX}),
                                  as(P0, Fork{P1}),   as(P1, Exit{}),        as(P0, Read{kX})};
       },
       {{P::MlockedOnFreeV3, Promise::CowIsolation}}},
      {"H4 DMA reads after the unmap",
       [](P p) {
         return std::vector<Step>{as(P0, Mmap{X, 1}),
                                  as(P0, Write{kX, kA}),
                                  mark(p),
                                  as(P0, Pin{kX, PinKind::Dio, kPin0}),
                                  as(P0, Munmap{kX}),
                                  dev(DmaRead{kPin0})};
       },
       {{P::WipeOnReleaseV2, Promise::PinCoherence},
        {P::WipeOnReleaseV4, Promise::PinCoherence},
        {P::MlockedOnFreeV3, Promise::PinCoherence}}},
      {"H4 DMA writes after the unmap wipe",
       [](P p) {
         return std::vector<Step>{as(P0, Mmap{X, 1}),
                                  mark(p),
                                  as(P0, Pin{kX, PinKind::Dio, kPin0}),
                                  as(P0, Munmap{kX}),
                                  dev(DmaWrite{kPin0, kD}),
                                  dev(Unpin{kPin0})};
       },
       {{P::WipeOnReleaseV2, Promise::ReleaseGone},
        {P::WipeOnReleaseV4, Promise::ReleaseGone},
        {P::MlockedOnFreeV3, Promise::ReleaseGone},
        {P::Exclusive, Promise::DirectMapSecret}}},
      {"H5 the child marks its COW copy of a spliced page and exits",
       [](P) {
         return std::vector<Step>{
             as(P0, Mmap{X, 1}), as(P0, Write{kX, kA}), as(P0, Vmsplice{kX, kPipe0}),
             as(P0, Fork{P1}),   as(P0, Exit{}),        as(P1, Madvise{kX, Advice::WipeOnRelease}),
             as(P1, Exit{}),     dev(PipeRead{kPipe0})};
       },
       {{P::WipeOnReleaseV2, Promise::PipeIntegrity}}},
      // docs/sources.md §2.7: populate adds FOLL_WRITE only to writable private VMAs; on a
      // read-only one GUP returns the COW-shared page, which FOLL_EXCLUSIVE unmaps from the
      // direct map for every sharer.
      {"§2.7 the child marks a read-only COW-shared spliced page secret",
       [](P) {
         return std::vector<Step>{
             as(P0, Mmap{X, 1}),  as(P0, Write{kX, kA}), as(P0, Vmsplice{kX, kPipe0}),
             as(P0, Fork{P1}),    as(P1, Mprotect{kX, Prot::Read}),
             as(P1, Madvise{kX, Advice::Secret}), dev(PipeRead{kPipe0})};
       },
       {{P::Exclusive, Promise::PipeIntegrity}}},
  };
}

// H6 to H9, H3 and H19.
std::vector<Scenario> more_scenarios() {
  using P = PolicyId;
  return {
      {"H6 reclaim of a marked page",
       [](P) {
         return std::vector<Step>{as(P0, Mmap{X, 1}), as(P0, Madvise{kX, Advice::WipeOnRelease}),
                                  as(P0, Write{kX, kA}), sys(Reclaim{P0, kX}), as(P0, Read{kX})};
       },
       {{P::WipeOnReleaseV2, Promise::ReleaseGone}, {P::WipeOnReleaseV4, Promise::CowIsolation}}},
      {"H7 CVE-2020-29374: the parent's write reaches the child's pipe",
       [](P) {
         return std::vector<Step>{as(P0, Mmap{X, 1}),   as(P0, Write{kX, kA}),
                                  as(P0, Fork{P1}),     as(P1, Vmsplice{kX, kPipe0}),
                                  as(P1, Munmap{kX}),   as(P0, Write{kX, kB}),
                                  dev(PipeRead{kPipe0})};
       },
       {{P::LegacyCow, Promise::PipeIntegrity}}},
      // H20 (issue 12, the swap cache): the spliced page stays in the swap cache; P0's exit
      // zaps its last mapping and V2 wipes it (zap_pte_range: page_mapcount == 0), though P1's
      // swap entry still names it: P1's fault maps the zeroed page (swap_cache_get_folio).
      // V4 wipes it already at the reclaim (H6). The hunt does not reach this program.
      {"H20 a wiped swap-cache page is mapped by the sibling",
       [](P) {
         return std::vector<Step>{as(P0, Mmap{X, 1}),   as(P0, Madvise{kX, Advice::WipeOnRelease}),
                                  as(P0, Write{kX, kA}), as(P0, Fork{P1}),
                                  as(P0, Vmsplice{kX, kPipe0}), sys(Reclaim{P0, kX}),
                                  as(P0, Read{kX}),      as(P0, Exit{}),
                                  as(P1, Read{kX})};
       },
       {{P::WipeOnReleaseV2, Promise::CowIsolation}, {P::WipeOnReleaseV4, Promise::CowIsolation}}},
      {"H8 RDMA pin, fork, parent write",
       [](P) {
         return std::vector<Step>{
             as(P0, Mmap{X, 1}), as(P0, Write{kX, kA}), as(P0, Pin{kX, PinKind::Longterm, kPin0}),
             as(P0, Fork{P1}),   as(P0, Write{kX, kB}), dev(DmaRead{kPin0})};
       },
       {{P::LegacyCow, Promise::PinCoherence}}},
      {"H9 O_DIRECT read lands in the child's page",
       [](P) {
         return std::vector<Step>{
             as(P0, Mmap{X, 1}), as(P0, Write{kX, kA}), as(P0, Pin{kX, PinKind::Dio, kPin0}),
             as(P0, Fork{P1}),   as(P0, Write{kX, kB}), dev(DmaWrite{kPin0, kD}),
             as(P1, Read{kX})};
       },
       {{P::LegacyCow, Promise::CowIsolation}}},
      {"H3 migration of a marked page, then exit",
       [](P p) {
         return std::vector<Step>{as(P0, Mmap{X, 1}),   mark(p),          as(P0, Write{kX, kA}),
                                  sys(Migrate{P0, kX}), as(P0, Read{kX}), as(P0, Exit{})};
       },
       {{P::WipeOnReleaseV1, Promise::ReleaseGone},
        {P::WipeOnReleaseV2, Promise::ReleaseGone},
        {P::WipeOnReleaseV4, Promise::CowIsolation},
        {P::MlockedOnFreeV3, Promise::ReleaseGone},
        {P::Exclusive, Promise::ReleaseGone}}},
      {"H19 an exclusive page is freed with its secret",
       [](P p) {
         return std::vector<Step>{as(P0, Mmap{X, 1}), mark(p), as(P0, Write{kX, kA}),
                                  as(P0, Munmap{kX})};
       },
       {{P::Exclusive, Promise::ReleaseGone}}},
  };
}

// The promises no policy should break.
std::vector<Scenario> controls() {
  using P = PolicyId;
  return {
      {"wipeonfork child reads zero, parent keeps its data",
       [](P) {
         return std::vector<Step>{
             as(P0, Mmap{X, 2}), as(P0, Write{kX, kA}), as(P0, Madvise{kX, Advice::WipeOnFork}),
             as(P0, Fork{P1}),   as(P1, Read{kX}),      as(P0, Read{kX})};
       },
       {}},
      {"wipeonsuspend range reads zero after resume",
       [](P) {
         return std::vector<Step>{
             as(P0, Mmap{X, 1}), as(P0, Write{kX, kA}), as(P0, Madvise{kX, Advice::WipeOnSuspend}),
             sys(Suspend{}),     sys(Resume{}),         as(P0, Read{kX})};
       },
       {}},
      {"memfd_secret stays out of the direct map and is zeroed at free",
       [](P) {
         return std::vector<Step>{as(P0, Mmap{X, 1, Sharing::Default, Backing::Secret}),
                                  as(P0, Write{kX, kA}),
                                  as(P0, Fork{P1}),
                                  as(P1, Read{kX}),
                                  as(P0, Munmap{kX}),
                                  as(P1, Exit{})};
       },
       {}},
  };
}

std::vector<Scenario> scenarios() {
  std::vector<Scenario> all = first_hazards();
  for (Scenario& sc : more_scenarios()) all.push_back(std::move(sc));
  for (Scenario& sc : controls()) all.push_back(std::move(sc));
  return all;
}

// Every promise the table gives a verdict for under `policy` (holds or breaks), except
// mainline's free-clean: a control that breaks by design whenever a page is freed.
PromiseSet judged(PolicyId policy) {
  PromiseSet s;
  for (Promise p : all_promises()) {
    const bool control = policy == PolicyId::Mainline && p == Promise::FreeClean;
    if (expected(policy, p).verdict != Verdict::NotApplicable && !control) s = s.with(p);
  }
  return s;
}

TEST(Hazards, EachBreaksExactlyThePromisesTheTableSays) {
  for (const Scenario& sc : scenarios()) {
    for (PolicyId policy : all_policies()) {
      const RunResult r = run_steps(policy, judged(policy), sc.steps(policy));
      auto want = sc.breaks.find(policy);
      if (want == sc.breaks.end()) {
        EXPECT_FALSE(r.violation.has_value())
            << sc.name << " under " << policy_name(policy) << ": " << r.violation->message;
        continue;
      }
      ASSERT_TRUE(r.violation.has_value()) << sc.name << " under " << policy_name(policy);
      EXPECT_EQ(promise_name(r.violation->promise), promise_name(want->second))
          << sc.name << " under " << policy_name(policy) << ": " << r.violation->message;
      EXPECT_EQ(expected(policy, r.violation->promise).verdict, Verdict::Breaks)
          << sc.name << " under " << policy_name(policy) << " breaks "
          << promise_name(r.violation->promise) << ", which the table says holds";
    }
  }
}

}  // namespace
}  // namespace mmsim::props
