// sim/tests/policy_registry_test.cpp: the policy table (spec §6 names in PolicyId order, one
// short summary each) and, for every policy, which policy advices madvise accepts and on which
// mappings (docs/policies/README.md).
#include <map>
#include <set>

#include "sim/advice.h"

#include "sim/tests/sim_test_util.h"

namespace mmsim::testing {
namespace {

TEST(PolicyRegistry, EveryPolicyIsRegisteredUnderItsSpecName) {
  // spec §6: the names, in PolicyId order (the order of sim/policies/list.h).
  const std::vector<std::string_view> spec{"mainline",
                                           "legacy-cow",
                                           "init-on-free",
                                           "wipeonrelease-v1",
                                           "wipeonrelease-v2",
                                           "wipeonrelease-v4",
                                           "exclusive",
                                           "mlockedonfree-v1",
                                           "mlockedonfree-v3",
                                           "mlockedonfree-vma",
                                           "wipeonsuspend-gup",
                                           "wipeonsuspend-zap",
                                           "wipeonsuspend-restore"};
  ASSERT_GE(all_policies().size(), spec.size());
  for (PolicyId id : all_policies()) {
    const PolicyDescriptor& d = descriptor_of(id);
    EXPECT_EQ(d.id, id);
    EXPECT_EQ(d.name, policy_name(id));
    if (static_cast<size_t>(id) < spec.size()) {
      EXPECT_EQ(d.name, spec[static_cast<size_t>(id)]);
    }
    PolicyId back{};
    ASSERT_TRUE(policy_from_name(d.name, &back)) << d.name;
    EXPECT_EQ(back, id);
  }
}

// The descriptor says everything the docs index and the promise table read: a source with a
// link, when it wipes, whether it was merged, and a row that states every promise.
TEST(PolicyRegistry, EveryDescriptorIsComplete) {
  for (PolicyId id : all_policies()) {
    const PolicyDescriptor& d = descriptor_of(id);
    EXPECT_NE(d.hooks, nullptr) << d.name;
    EXPECT_FALSE(d.trigger.empty()) << d.name;
    EXPECT_FALSE(d.merged.empty()) << d.name;
    ASSERT_FALSE(d.sources.empty()) << d.name << " names no source";
    for (const PolicySource& src : d.sources) {
      EXPECT_FALSE(src.what.empty()) << d.name;
      EXPECT_EQ(src.link.rfind("https://", 0), 0u) << d.name << ": " << src.link;
    }
    for (Promise p : all_promises()) {
      EXPECT_NE(d.promises.at(p).verdict, Verdict::Unstated)
          << d.name << " has no promise-table entry for promise " << static_cast<int>(p);
    }
    if (d.marks.vma) {
      EXPECT_FALSE(d.marks.vma_kernel.empty()) << d.name;
    }
  }
}

// A VMA mark is one of the policy bits, never a core flag; a policy advice is never a core one,
// and two policies that declare one advice spell it the same.
TEST(PolicyRegistry, MarksAndAdvicesDoNotClash) {
  const uint32_t core = static_cast<uint32_t>(VmaFlag::WipeOnRelease) - 1;
  std::map<Advice, std::string_view> keyword;
  for (PolicyId id : all_policies()) {
    const PolicyDescriptor& d = descriptor_of(id);
    if (d.marks.vma) {
      EXPECT_EQ(static_cast<uint32_t>(*d.marks.vma) & core, 0u) << d.name;
    }
    for (const PolicyAdvice& a : d.advices) {
      EXPECT_FALSE(is_core_advice(a.advice)) << d.name << ": " << a.keyword;
      EXPECT_FALSE(a.semantics.empty()) << d.name << ": " << a.keyword;
      auto [it, fresh] = keyword.emplace(a.advice, a.keyword);
      if (!fresh) {
        EXPECT_EQ(it->second, a.keyword) << d.name;
      }
      Advice back{};
      ASSERT_TRUE(advice_from_name(a.keyword, &back)) << a.keyword;
      EXPECT_EQ(back, a.advice) << a.keyword;
      EXPECT_EQ(advice_name(a.advice), a.keyword);
    }
  }
  std::set<std::string_view> keywords;
  for (const PolicyAdvice& a : all_advices()) {
    EXPECT_TRUE(keywords.insert(a.keyword).second) << a.keyword << " names two advices";
  }
}

TEST(PolicyRegistry, SummariesAreOneShortLineEach) {
  std::set<std::string_view> seen;
  for (PolicyId id : all_policies()) {
    std::string_view s = descriptor_of(id).summary;
    EXPECT_FALSE(s.empty()) << policy_name(id);
    EXPECT_LE(s.size(), 110u) << policy_name(id) << ": " << s;
    EXPECT_EQ(s.find('\n'), std::string_view::npos) << policy_name(id);
    EXPECT_TRUE(seen.insert(s).second) << policy_name(id) << " repeats a summary";
  }
}

bool knows(PolicyId id, Advice a) {
  return descriptor_of(id).declares(a);
}

TEST(PolicyRegistry, EachPolicyKnowsOnlyItsOwnAdvices) {
  for (PolicyId id : all_policies()) {
    const bool release = id == PolicyId::WipeOnReleaseV1 || id == PolicyId::WipeOnReleaseV2 ||
                         id == PolicyId::WipeOnReleaseV4;
    const bool suspend = id == PolicyId::WipeOnSuspendGup || id == PolicyId::WipeOnSuspendZap ||
                         id == PolicyId::WipeOnSuspendRestore;
    EXPECT_EQ(knows(id, Advice::WipeOnRelease), release) << policy_name(id);
    EXPECT_EQ(knows(id, Advice::KeepOnRelease), release) << policy_name(id);
    EXPECT_EQ(knows(id, Advice::WipeOnSuspend), suspend) << policy_name(id);
    EXPECT_EQ(knows(id, Advice::KeepOnSuspend), suspend) << policy_name(id);
    EXPECT_EQ(knows(id, Advice::Secret), id == PolicyId::Exclusive) << policy_name(id);
  }
}

// A kernel without the patch has no such advice: EINVAL, and the VMA is not touched.
TEST(PolicyRegistry, UnknownPolicyAdviceIsEinvalEverywhere) {
  for (PolicyId id : all_policies()) {
    for (Advice a : {Advice::WipeOnRelease, Advice::KeepOnRelease, Advice::WipeOnSuspend,
                     Advice::KeepOnSuspend, Advice::Secret}) {
      if (knows(id, a)) continue;
      Sim s(id);
      s.as(P0, Mmap{X, 2});
      s.as(P0, Write{all(X), 7});
      EXPECT_EQ(s.as(P0, Madvise{all(X), a}), Result::error(Errno::Inval))
          << policy_name(id) << " " << advice_name(a);
      EXPECT_EQ(s.vma(P0, X, 0)->flags, 0u) << policy_name(id) << " " << advice_name(a);
      EXPECT_EQ(s.read(P0, pg(X, 1)), 7u);
    }
  }
}

struct Eligibility {
  Mmap map;
  bool allowed;
};

// The mark advice of each family on each kind of mapping.
void expect_eligibility(PolicyId id, Advice mark, const std::vector<Eligibility>& cases) {
  for (const Eligibility& c : cases) {
    Sim s(id);
    ASSERT_TRUE(s.as(P0, c.map).is_ok());
    const Result r = s.as(P0, Madvise{all(X), mark});
    EXPECT_EQ(r.is_ok(), c.allowed)
        << policy_name(id) << " backing " << static_cast<int>(c.map.backing) << " sharing "
        << static_cast<int>(c.map.sharing) << ": " << to_string(r);
    if (!c.allowed) {
      EXPECT_EQ(r, Result::error(Errno::Inval));
    }
  }
}

const Mmap kPrivAnon{X, 1};
const Mmap kSharedAnon{X, 1, Sharing::Shared, Backing::Anon};
const Mmap kPrivFile{X, 1, Sharing::Private, Backing::File};
const Mmap kSharedFile{X, 1, Sharing::Shared, Backing::File};
const Mmap kSecret{X, 1, Sharing::Shared, Backing::Secret};
const Mmap kDroppable{X, 1, Sharing::Default, Backing::Droppable};

// Garrett: `vma->vm_file || vma->vm_flags & VM_SHARED` -> EINVAL; a droppable VMA is neither.
TEST(PolicyRegistry, WipeonreleaseIsPrivateAnonymousOnly) {
  for (PolicyId id :
       {PolicyId::WipeOnReleaseV1, PolicyId::WipeOnReleaseV2, PolicyId::WipeOnReleaseV4}) {
    expect_eligibility(id, Advice::WipeOnRelease,
                       {{kPrivAnon, true},
                        {kSharedAnon, false},
                        {kPrivFile, false},
                        {kSharedFile, false},
                        {kSecret, false},
                        {kDroppable, true}});
  }
}

// DONTWIPEONRELEASE only clears VM_WIPEONRELEASE: it has no eligibility check.
TEST(PolicyRegistry, KeeponreleaseIsAcceptedOnEveryMapping) {
  for (PolicyId id :
       {PolicyId::WipeOnReleaseV1, PolicyId::WipeOnReleaseV2, PolicyId::WipeOnReleaseV4}) {
    expect_eligibility(id, Advice::KeepOnRelease,
                       {{kPrivAnon, true},
                        {kSharedAnon, true},
                        {kPrivFile, true},
                        {kSharedFile, true},
                        {kSecret, true},
                        {kDroppable, true}});
  }
}

// MAP_EXCLUSIVE needs MAP_PRIVATE|MAP_ANONYMOUS; MAP_DROPPABLE is not MAP_PRIVATE.
TEST(PolicyRegistry, SecretIsPrivateAnonymousOnly) {
  expect_eligibility(PolicyId::Exclusive, Advice::Secret,
                     {{kPrivAnon, true},
                      {kSharedAnon, false},
                      {kPrivFile, false},
                      {kSharedFile, false},
                      {kSecret, false},
                      {kDroppable, false}});
}

TEST(PolicyRegistry, WipeonsuspendIsPrivateAnonymousOnlyAndKeeponsuspendIsNot) {
  for (PolicyId id :
       {PolicyId::WipeOnSuspendGup, PolicyId::WipeOnSuspendZap, PolicyId::WipeOnSuspendRestore}) {
    expect_eligibility(id, Advice::WipeOnSuspend,
                       {{kPrivAnon, true},
                        {kSharedAnon, false},
                        {kPrivFile, false},
                        {kSharedFile, false},
                        {kSecret, false},
                        {kDroppable, true}});
    expect_eligibility(id, Advice::KeepOnSuspend,
                       {{kPrivAnon, true},
                        {kSharedAnon, true},
                        {kPrivFile, true},
                        {kSharedFile, true},
                        {kSecret, true},
                        {kDroppable, true}});
  }
}

// An ineligible VMA stops the walk: the VMAs before it keep the mark, as madvise_walk_vmas does.
TEST(PolicyRegistry, MarkAdviceOverAHoleMarksTheMappedPartAndReturnsEnomem) {
  Sim s(PolicyId::WipeOnReleaseV2);
  s.as(P0, Mmap{X, 3});
  ASSERT_TRUE(s.as(P0, Munmap{pg(X, 1)}).is_ok());
  EXPECT_EQ(s.as(P0, Madvise{all(X), Advice::WipeOnRelease}), Result::error(Errno::NoMem));
  EXPECT_TRUE(s.vma(P0, X, 0)->has(VmaFlag::WipeOnRelease));
  EXPECT_TRUE(s.vma(P0, X, 2)->has(VmaFlag::WipeOnRelease));
}

}  // namespace
}  // namespace mmsim::testing
