// sim/tests/vma_set_test.cpp: splitting, merging, isolating and hole counting of VMAs, first on
// a VmaSet directly, then through the ops that reshape a process's VMAs (docs/model.md,
// "VMA": split on partial madvise, mlock, munlock, mprotect, munmap; equal neighbours merge).
//
// Layouts are drawn as in Linux tools/testing/vma, and the drawing is the assertion
// (sim/tests/layout.h): one character per page, a letter per VMA in address order, '.' a hole;
// for a mapping of a process a second row draws its PTEs and one line per VMA its attributes.
#include "sim/vma_set.h"
#include "sim/tests/layout.h"
#include "sim/tests/sim_test_util.h"

namespace mmsim::testing {
namespace {

Vma anon(uint32_t begin, uint32_t end, uint32_t flags = 0) {
  Vma v;
  v.range = PageRange{Vpn{begin}, Vpn{end}};
  v.flags = flags;
  return v;
}

PageRange range(uint32_t begin, uint32_t end) {
  return PageRange{Vpn{begin}, Vpn{end}};
}

constexpr uint32_t kDontCopy = static_cast<uint32_t>(VmaFlag::DontCopy);

TEST(VmaSet, FindLocatesTheContainingVmaWithHalfOpenRanges) {
  VmaSet s;
  s.insert(anon(4, 6));
  s.insert(anon(0, 2));
  EXPECT_EQ(draw_vmas(s, range(0, 7)), "AA..BB.");
  EXPECT_EQ(s.vmas[0].range, range(0, 2)) << "insert keeps the set sorted";
  EXPECT_EQ(s.find(Vpn{1}), 0u);
  EXPECT_EQ(s.find(Vpn{4}), 1u);
  EXPECT_FALSE(s.find(Vpn{2}).has_value());
  EXPECT_FALSE(s.find(Vpn{6}).has_value()) << "vm_end is exclusive";
  EXPECT_EQ(s.at(Vpn{3}), nullptr);
}

TEST(VmaSet, IsolateSplitsAtBothEndsOfTheRange) {
  VmaSet s;
  s.insert(anon(0, 6));
  EXPECT_EQ(draw_vmas(s, range(0, 6)), "AAAAAA");
  auto [first, last] = s.isolate(range(2, 4));
  EXPECT_EQ(draw_vmas(s, range(0, 6)), "AABBCC") << "the middle VMA is exactly the range";
  EXPECT_EQ(first, 1u);
  EXPECT_EQ(last, 2u);
}

TEST(VmaSet, IsolateAtExistingBoundariesDoesNotSplit) {
  VmaSet s;
  s.insert(anon(0, 3));
  s.insert(anon(3, 6, kDontCopy));
  auto [first, last] = s.isolate(range(3, 6));
  EXPECT_EQ(draw_vmas(s, range(0, 6)), "AAABBB");
  EXPECT_EQ(first, 1u);
  EXPECT_EQ(last, 2u);
}

TEST(VmaSet, IsolateAtTheEdgeOfAVmaSplitsOnce) {
  VmaSet s;
  s.insert(anon(0, 4));
  auto [first, last] = s.isolate(range(0, 1));
  EXPECT_EQ(draw_vmas(s, range(0, 4)), "ABBB");
  EXPECT_EQ(first, 0u);
  EXPECT_EQ(last, 1u);
}

TEST(VmaSet, IsolateOfARangeThatStartsAndEndsInVmasAcrossAHole) {
  VmaSet s;
  s.insert(anon(0, 2));
  s.insert(anon(4, 6));
  auto [first, last] = s.isolate(range(1, 5));
  EXPECT_EQ(draw_vmas(s, range(0, 6)), "AB..CD") << "the range holds the inner pieces B and C";
  EXPECT_EQ(first, 1u);
  EXPECT_EQ(last, 3u);
}

TEST(VmaSet, IsolateOfAHoleSelectsNothing) {
  VmaSet s;
  s.insert(anon(0, 2));
  s.insert(anon(4, 6));
  auto [first, last] = s.isolate(range(2, 4));
  EXPECT_EQ(draw_vmas(s, range(0, 6)), "AA..BB");
  EXPECT_EQ(first, last);
}

TEST(VmaSet, SplitKeepsAttributesAndFileOffsets) {
  VmaSet s;
  Vma f = anon(10, 14, static_cast<uint32_t>(VmaFlag::File));
  f.file = FileId{0};
  f.file_page = 3;
  f.prot = Prot::Read;
  s.insert(f);  // FFFF, file pages 3..6
  s.isolate(range(12, 13));
  // FFGH
  ASSERT_EQ(s.vmas.size(), 3u);
  EXPECT_EQ(s.vmas[1].file_page, 5u);
  EXPECT_EQ(s.vmas[2].file_page, 6u);
  for (const Vma& v : s.vmas) {
    EXPECT_EQ(v.prot, Prot::Read);
    EXPECT_EQ(v.file, FileId{0});
    EXPECT_EQ(v.flags, f.flags);
  }
  EXPECT_EQ(s.vmas[2].file_page_of(Vpn{13}), 6u);
}

TEST(VmaSet, MergeJoinsEqualNeighboursBack) {
  VmaSet s;
  s.insert(anon(0, 6));
  s.isolate(range(2, 4));
  EXPECT_EQ(draw_vmas(s, range(0, 6)), "AABBCC") << "all with equal attributes";
  s.merge();
  EXPECT_EQ(draw_vmas(s, range(0, 6)), "AAAAAA");
}

TEST(VmaSet, MergeKeepsDifferentAttributesApart) {
  VmaSet s;
  s.insert(anon(0, 2));
  s.insert(anon(2, 4, kDontCopy));
  Vma ro = anon(4, 6);
  ro.prot = Prot::Read;
  s.insert(ro);
  s.merge();
  EXPECT_EQ(draw_vmas(s, range(0, 6)), "AABBCC") << "flags differ, then protection differs";
}

TEST(VmaSet, MergeNeedsAdjacency) {
  VmaSet s;
  s.insert(anon(0, 2));
  s.insert(anon(3, 5));
  s.merge();
  EXPECT_EQ(draw_vmas(s, range(0, 5)), "AA.BB") << "equal attributes, but a hole between";
}

TEST(VmaSet, MergeNeedsTheSameFileAndContiguousOffsets) {
  const uint32_t file = static_cast<uint32_t>(VmaFlag::File);
  VmaSet s;
  Vma a = anon(0, 2, file);
  a.file = FileId{0};
  Vma b = anon(2, 4, file);
  b.file = FileId{0};
  b.file_page = 5;  // not 2: AABB map file pages 0,1 and 5,6
  s.insert(a);
  s.insert(b);
  s.merge();
  EXPECT_EQ(s.vmas.size(), 2u) << "non-contiguous file offsets do not merge (vma_merge)";
  s.vmas[1].file_page = 2;
  s.merge();
  EXPECT_EQ(s.vmas.size(), 1u);
  VmaSet t;
  Vma c = b;
  c.file = FileId{1};
  c.file_page = 2;
  t.insert(a);
  t.insert(c);
  t.merge();
  EXPECT_EQ(t.vmas.size(), 2u) << "different files do not merge";
}

TEST(VmaSet, UncoveredCountsTheHolesOfARange) {
  VmaSet s;
  s.insert(anon(0, 2));
  s.insert(anon(4, 6));  // AA..BB..
  EXPECT_EQ(s.uncovered(range(0, 2)), 0u);
  EXPECT_EQ(s.uncovered(range(0, 6)), 2u);
  EXPECT_EQ(s.uncovered(range(1, 5)), 2u);
  EXPECT_EQ(s.uncovered(range(0, 8)), 4u);
  EXPECT_EQ(s.uncovered(range(6, 8)), 2u);
  EXPECT_EQ(s.uncovered(range(2, 4)), 2u);
}

TEST(VmaSet, EraseRemovesAnIndexRange) {
  VmaSet s;
  s.insert(anon(0, 1));
  s.insert(anon(2, 3));
  s.insert(anon(4, 5));
  EXPECT_EQ(draw_vmas(s, range(0, 5)), "A.B.C");
  s.erase(1, 2);
  EXPECT_EQ(draw_vmas(s, range(0, 5)), "A...B");
}

// --- through the ops ---

TEST(VmaOps, TheDrawingShowsEachKindOfPte) {
  Sim s;
  s.as(P0, Mmap{X, 4});
  s.as(P0, Write{pg(X, 0), 1});
  s.as(P0, Write{pg(X, 1), 2});
  s.as(P0, Read{pg(X, 2)});  // do_anonymous_page maps the shared zero page for a read
  ASSERT_TRUE(s.sys(Reclaim{P0, pg(X, 1)}).is_ok());
  EXPECT_EQ(draw(s, P0, X), lines({"AAAA", "psz.", "A: rw anon private"}));
}

TEST(VmaOps, TwoMmapsNeverMergeEvenWithEqualAttributes) {
  Sim s;
  s.as(P0, Mmap{X, 2});
  s.as(P0, Mmap{Y, 2});  // XX.YY
  EXPECT_EQ(s.vma_count(P0), 2u);
  EXPECT_EQ(s.vpn(P0, Y, 0).v, s.vpn(P0, X, 1).v + 2) << "one unmapped page after each mapping";
}

TEST(VmaOps, PartialMadviseSplitsAndTheOppositeAdviceMergesBack) {
  Sim s;
  s.as(P0, Mmap{X, 4});
  // madvise_update_vma: split at both ends of the range, set VM_WIPEONFORK on the middle.
  ASSERT_TRUE(s.as(P0, Madvise{pages(X, 1, 3), Advice::WipeOnFork}).is_ok());
  EXPECT_EQ(draw(s, P0, X), lines({
                                "ABBC",
                                "....",
                                "A: rw anon private",
                                "B: rw anon private wipeonfork",
                                "C: rw anon private",
                            }));
  // The opposite advice makes the three equal again, and vma_modify merges them.
  ASSERT_TRUE(s.as(P0, Madvise{pages(X, 1, 3), Advice::KeepOnFork}).is_ok());
  EXPECT_EQ(draw(s, P0, X), lines({"AAAA", "....", "A: rw anon private"}));
}

TEST(VmaOps, MadviseOfTheLastPageSplitsInTwo) {
  Sim s;
  s.as(P0, Mmap{X, 3});
  s.as(P0, Madvise{pg(X, 2), Advice::DontFork});
  EXPECT_EQ(draw(s, P0, X),
            lines({"AAB", "...", "A: rw anon private", "B: rw anon private dontfork"}));
  s.as(P0, Madvise{pg(X, 2), Advice::DoFork});
  EXPECT_EQ(draw(s, P0, X), lines({"AAA", "...", "A: rw anon private"}));
}

TEST(VmaOps, AdjacentAdvicesMergeWithEachOther) {
  Sim s;
  s.as(P0, Mmap{X, 4});
  s.as(P0, Madvise{pg(X, 1), Advice::DontDump});
  EXPECT_EQ(draw(s, P0, X), lines({
                                "ABCC",
                                "....",
                                "A: rw anon private",
                                "B: rw anon private dontdump",
                                "C: rw anon private",
                            }));
  s.as(P0, Madvise{pg(X, 2), Advice::DontDump});
  EXPECT_EQ(draw(s, P0, X), lines({
                                "ABBC",
                                "....",
                                "A: rw anon private",
                                "B: rw anon private dontdump",
                                "C: rw anon private",
                            }))
      << "the two advised pages form one VMA";
}

TEST(VmaOps, PartialMlockSplitsAndMunlockMergesBack) {
  Sim s;
  s.as(P0, Mmap{X, 3});
  // mlock_fixup splits and sets VM_LOCKED; __mm_populate faults in only the locked range.
  ASSERT_TRUE(s.as(P0, Mlock{pg(X, 1)}).is_ok());
  EXPECT_EQ(draw(s, P0, X), lines({
                                "ABC",
                                ".p.",
                                "A: rw anon private",
                                "B: rw anon private locked",
                                "C: rw anon private",
                            }));
  ASSERT_TRUE(s.as(P0, Munlock{pg(X, 1)}).is_ok());
  EXPECT_EQ(draw(s, P0, X), lines({"AAA", ".p.", "A: rw anon private"}))
      << "munlock merges back and leaves the page mapped";
}

TEST(VmaOps, PartialMprotectSplitsAndRestoringProtectionMerges) {
  Sim s;
  s.as(P0, Mmap{X, 3});
  ASSERT_TRUE(s.as(P0, Mprotect{pages(X, 0, 2), Prot::Read}).is_ok());
  EXPECT_EQ(draw(s, P0, X), lines({"AAB", "...", "A: r anon private", "B: rw anon private"}));
  ASSERT_TRUE(s.as(P0, Mprotect{all(X), Prot::ReadWrite}).is_ok());
  EXPECT_EQ(draw(s, P0, X), lines({"AAA", "...", "A: rw anon private"}));
}

TEST(VmaOps, PartialMunmapLeavesAHoleAndTwoVmas) {
  Sim s;
  s.as(P0, Mmap{X, 3});
  s.as(P0, Write{all(X), 7});
  ASSERT_TRUE(s.as(P0, Munmap{pg(X, 1)}).is_ok());
  EXPECT_EQ(draw(s, P0, X), lines({"A.B", "p.p", "A: rw anon private", "B: rw anon private"}));
  EXPECT_EQ(s.read(P0, pg(X, 2)), 7u);
  ASSERT_TRUE(s.as(P0, Munmap{pg(X, 0)}).is_ok());
  EXPECT_EQ(draw(s, P0, X), lines({"..A", "..p", "A: rw anon private"}));
  EXPECT_EQ(s.as(P0, Read{pg(X, 1)}), Result::segv());
}

TEST(VmaOps, MunmapOfTheMiddleThenRemapDoesNotJoinTheOldPieces) {
  Sim s;
  s.as(P0, Mmap{X, 3});
  s.as(P0, Munmap{pg(X, 1)});
  s.as(P0, Mprotect{pg(X, 0), Prot::ReadWrite});
  EXPECT_EQ(draw(s, P0, X), lines({"A.B", "...", "A: rw anon private", "B: rw anon private"}))
      << "a hole keeps the pieces apart";
}

TEST(VmaOps, MadviseOverAHoleChangesTheMappedPartsAndReturnsEnomem) {
  Sim s;
  s.as(P0, Mmap{X, 3});
  s.as(P0, Munmap{pg(X, 1)});
  // madvise_walk_vmas advises every VMA of the range and returns -ENOMEM for the hole.
  EXPECT_EQ(s.as(P0, Madvise{all(X), Advice::WipeOnFork}), Result::error(Errno::NoMem));
  EXPECT_EQ(draw(s, P0, X), lines({
                                "A.B",
                                "...",
                                "A: rw anon private wipeonfork",
                                "B: rw anon private wipeonfork",
                            }));
}

TEST(VmaOps, MlockAndMprotectOverAHoleAreEnomem) {
  Sim s;
  s.as(P0, Mmap{X, 3});
  s.as(P0, Munmap{pg(X, 2)});
  EXPECT_EQ(draw(s, P0, X), lines({"AA.", "...", "A: rw anon private"}));
  EXPECT_EQ(s.as(P0, Mprotect{all(X), Prot::Read}), Result::error(Errno::NoMem));
  EXPECT_EQ(s.as(P0, Mlock{all(X)}), Result::error(Errno::NoMem));
  EXPECT_EQ(s.as(P0, Munlock{all(X)}), Result::error(Errno::NoMem));
  EXPECT_TRUE(s.as(P0, Mprotect{pages(X, 0, 2), Prot::Read}).is_ok());
}

TEST(VmaOps, SplitFileMappingKeepsEachPageAtItsFileOffset) {
  Sim s;
  s.as(P0, Mmap{X, 3, Sharing::Shared, Backing::File});
  s.as(P0, Write{pg(X, 0), 10});
  s.as(P0, Write{pg(X, 1), 11});
  s.as(P0, Write{pg(X, 2), 12});
  s.as(P0, Madvise{pg(X, 1), Advice::DontDump});
  EXPECT_EQ(draw(s, P0, X), lines({
                                "ABC",
                                "ppp",
                                "A: rw file shared",
                                "B: rw file shared dontdump",
                                "C: rw file shared",
                            }));
  EXPECT_EQ(s.vma(P0, X, 1)->file_page, 1u);
  EXPECT_EQ(s.vma(P0, X, 2)->file_page, 2u);
  s.as(P0, Munmap{all(X)});
  s.as(P0, Mmap{Y, 3, Sharing::Shared, Backing::File});  // a fresh file
  EXPECT_EQ(s.read(P0, pg(Y, 1)), 0u);
}

TEST(VmaOps, SplitSharedFileMappingStillMapsTheSamePageCache) {
  Sim s;
  s.as(P0, Mmap{X, 3, Sharing::Shared, Backing::File});
  s.as(P0, Write{pg(X, 2), 12});
  s.as(P0, Mprotect{pg(X, 1), Prot::Read});
  s.as(P0, Madvise{pg(X, 2), Advice::DontNeed});
  EXPECT_EQ(draw(s, P0, X),
            lines({"ABC", "...", "A: rw file shared", "B: r file shared", "C: rw file shared"}));
  EXPECT_EQ(s.pte(P0, X, 2), nullptr);
  EXPECT_EQ(s.read(P0, pg(X, 2)), 12u) << "the page cache kept the value at its offset";
}

// --- mlock: apply_vma_lock_flags, then __mm_populate ---

TEST(Mlock, PopulatesAndCountsEveryPageAsMlocked) {
  Sim s;
  s.as(P0, Mmap{X, 2});
  ASSERT_TRUE(s.as(P0, Mlock{all(X)}).is_ok());
  EXPECT_EQ(s.frame_of(P0, X, 0).mlock_count, 1u);
  EXPECT_EQ(s.frame_of(P0, X, 1).mlock_count, 1u);
  ASSERT_TRUE(s.as(P0, Mlock{all(X)}).is_ok());
  EXPECT_EQ(s.frame_of(P0, X, 0).mlock_count, 1u) << "mlock twice counts once";
}

TEST(Mlock, DroppableMappingIsPopulatedButNotLocked) {
  Sim s;
  s.as(P0, Mmap{X, 2, Sharing::Default, Backing::Droppable});
  ASSERT_TRUE(s.as(P0, Mlock{all(X)}).is_ok());
  EXPECT_FALSE(s.vma(P0, X, 0)->has(VmaFlag::Locked)) << "mlock_fixup skips VM_DROPPABLE";
  ASSERT_NE(s.pte(P0, X, 1), nullptr) << "__mm_populate still faults it in";
  EXPECT_FALSE(s.frame_of(P0, X, 1).mlocked());
}

TEST(Mlock, OfProtNoneIsEnomemAndLeavesTheVmaLocked) {
  // populate_vma_page_range returns -EFAULT for PROT_NONE; __mlock_posix_error_return turns it
  // into ENOMEM after apply_vma_lock_flags has set VM_LOCKED.
  Sim s;
  s.as(P0, Mmap{X, 1});
  s.as(P0, Mprotect{all(X), Prot::None});
  EXPECT_EQ(s.as(P0, Mlock{all(X)}), Result::error(Errno::NoMem));
  EXPECT_TRUE(s.vma(P0, X, 0)->has(VmaFlag::Locked));
  EXPECT_EQ(s.pte(P0, X, 0), nullptr);
  EXPECT_EQ(s.w.proc(P0).state, ProcState::Running);
}

TEST(Mlock, WithoutAFreeFrameIsEagain) {
  // GUP's -ENOMEM becomes EAGAIN (__mlock_posix_error_return).
  Sim s(PolicyId::Mainline, 1);
  s.as(P0, Mmap{X, 2});
  EXPECT_EQ(s.as(P0, Mlock{all(X)}), Result::error(Errno::Again));
}

TEST(Mlock, OfAPrivateFileMappingCopiesItsPagesAndOfASharedOneDoesNot) {
  Sim s;
  s.as(P0, Mmap{X, 1, Sharing::Private, Backing::File});
  s.as(P0, Mmap{Y, 1, Sharing::Shared, Backing::File});
  s.as(P0, Mlock{all(X)});
  s.as(P0, Mlock{all(Y)});
  EXPECT_TRUE(s.frame_of(P0, X, 0).has(FrameFlag::Anon)) << "write fault: a private copy";
  EXPECT_FALSE(s.frame_of(P0, Y, 0).has(FrameFlag::Anon)) << "read fault: the page cache";
}

TEST(Format, VmaFlagsPrintInHex) {
  Sim s;
  s.as(P0, Mmap{X, 1, Sharing::Default, Backing::Droppable});
  const std::string text = format_process(s.w, P0);
  EXPECT_NE(text.find("flags=0xC8"), std::string::npos) << text;
}

}  // namespace
}  // namespace mmsim::testing
