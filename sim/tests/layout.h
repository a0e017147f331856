// sim/tests/layout.h: drawn layouts, so that the picture in a VMA test is its assertion, as the
// comments of Linux tools/testing/vma draw them: one character per page.
//
// Owns: the drawing of a VmaSet or of one mapping of a process. Invariant: the drawing is a
// function of the value alone (letters by address order, never by allocation), so equal
// layouts draw equal strings and a failing EXPECT_EQ shows both pictures.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

#include "sim/tests/sim_test_util.h"

namespace mmsim::testing {

// The VMAs over window, one character per page: '.' for a hole, else a letter per VMA in
// address order ('A' for the first VMA met in the window). Neighbours are different letters
// even with equal attributes: the drawing shows where the boundaries are.
std::string draw_vmas(const VmaSet& s, PageRange window);

// The pages of the mapping bound to n in p (as it was mmapped), in three parts:
//   AABBA        the VMAs (draw_vmas)
//   pz.s.        the PTEs: p a present frame, z the shared zero page, s a swap entry, . none
//   A: rw anon   one line per letter: protection, backing, sharing, then the VMA flags that
//   B: r anon    are set (locked, dontfork, wipeonfork, dontdump, droppable, secret) and the
//                policy marks as `marks=0x...`
// Each line ends with '\n'.
std::string draw(const Sim& s, ProcId p, NameId n);

// The lines of an expected drawing joined, each ending with '\n': lines({"AB", "p."}).
std::string lines(std::initializer_list<std::string_view> rows);

}  // namespace mmsim::testing
