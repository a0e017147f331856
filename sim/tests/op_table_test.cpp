// sim/tests/op_table_test.cpp: the table of op properties (sim/op_table.h) describes every
// alternative of Op, and apply does what its columns say. The table's own static_asserts
// already fail the build when an alternative has no row; these check the runtime lookups and
// the columns against behavior.
#include <array>
#include <set>
#include <string_view>
#include <utility>

#include "sim/fingerprint.h"
#include "sim/op_table.h"
#include "sim/tests/sim_test_util.h"

namespace mmsim::testing {
namespace {

// One default-constructed value of every alternative of Op, in kOpTable row order.
template <class V, size_t... I>
void add_all(std::vector<Op>& out, std::index_sequence<I...>) {
  (out.push_back(Op{std::variant_alternative_t<I, V>{}}), ...);
}
std::vector<Op> every_alternative() {
  std::vector<Op> out;
  add_all<LangOp>(out, std::make_index_sequence<kLangOpCount>{});
  add_all<PageStep>(out, std::make_index_sequence<kOpCount - kLangOpCount>{});
  return out;
}

TEST(OpTable, HasOneRowPerAlternativeInVariantOrder) {
  const std::vector<Op> all = every_alternative();
  ASSERT_EQ(all.size(), kOpTable.size());
  for (size_t row = 0; row < all.size(); ++row) {
    EXPECT_EQ(op_row(all[row]), row);
    EXPECT_EQ(op_name(all[row]), kOpTable[row].keyword);
    EXPECT_EQ(std::holds_alternative<PageStep>(all[row]), kOpTable[row].actor == OpActor::Internal)
        << kOpTable[row].keyword;
    EXPECT_EQ(op_addr(all[row]) != nullptr, kOpTable[row].addr != OpAddr::None)
        << kOpTable[row].keyword;
  }
  EXPECT_EQ(kOpRow<Mmap>, 0u);
  EXPECT_EQ(kOpRow<Snapshot>, kLangOpCount - 1);
  EXPECT_EQ(kOpRow<ReclaimPage>, kLangOpCount);
  EXPECT_EQ(kOpRow<PowerDone>, kOpCount - 1);
}

// The tags are the indices of the single variant Op was before the split: the state
// fingerprints of the checker depend on them (model/tests/checker_test.cpp pins those too).
TEST(OpTable, TagsKeepTheFingerprintsOfTheFlatVariant) {
  constexpr std::array<std::string_view, kOpCount> kFlatOrder{
      "mmap",     "munmap",    "madvise",    "mlock",     "munlock",    "mprotect", "write",
      "read",     "zero",      "fork",       "exec",      "exit",       "pin",      "vmsplice",
      "dma-read", "dma-write", "unpin",      "pipe-read", "pipe-close", "reclaim",  "reclaim",
      "migrate",  "kill",      "suspend",    "hibernate", "resume",     "snapshot", "fork.page",
      "zap.page", "finish",    "power.page", "power.done"};
  std::set<uint8_t> tags;
  for (const OpInfo& row : kOpTable) {
    EXPECT_EQ(kFlatOrder[row.tag], row.keyword);
    tags.insert(row.tag);
  }
  EXPECT_EQ(tags.size(), kOpCount);
  EXPECT_EQ(kOpTable[kOpRow<ReclaimPage>].tag, 20);
}

TEST(OpTable, AccessorsFindTheirAlternative) {
  const Op w = Write{all(X), 7};
  EXPECT_TRUE(op_is<Write>(w));
  EXPECT_FALSE(op_is<Zero>(w));
  EXPECT_FALSE(op_is<ForkPage>(w));
  ASSERT_NE(op_if<Write>(&w), nullptr);
  EXPECT_EQ(op_if<Write>(&w)->value, 7u);
  EXPECT_EQ(op_if<Finish>(&w), nullptr);
  const Op f = Finish{P1, FinishWhat::Fork};
  EXPECT_EQ(op_get<Finish>(f).proc, P1);
  EXPECT_THROW((void)op_get<Write>(f), std::bad_variant_access);
}

// The split column: at granularity page, apply runs the first page of a two-page range and
// leaves one step per other page exactly for the PerPage ops.
TEST(OpTable, PerPageOpsSplitAndTheOthersDoNot) {
  const std::vector<Op> ops{Munmap{all(X)},
                            Madvise{all(X), Advice::DontNeed},
                            Mlock{all(X)},
                            Munlock{all(X)},
                            Mprotect{all(X), Prot::Read},
                            Write{all(X), 1},
                            Zero{all(X)},
                            Read{all(X)},
                            Pin{all(X), PinKind::Dio, H0},
                            Vmsplice{all(X), H1}};
  for (const Op& op : ops) {
    Sim s;
    s.as(P0, Mmap{X, 2});
    s.as(P0, Write{all(X), 5});
    const Outcome o = apply(s.w, Actor::process(P0), op, Granularity::PerPage);
    const bool split = op_info(op).split == OpSplit::PerPage;
    EXPECT_EQ(o.rest.size(), split ? 1u : 0u) << op_name(op);
  }
}

// The access column: a load or store of an unbound name is SIGSEGV, any other op EINVAL.
TEST(OpTable, BadAddressOfALoadOrStoreIsSegv) {
  for (const Op& op : every_alternative()) {
    const OpInfo& info = op_info(op);
    if (info.addr != OpAddr::Own) continue;
    Sim s;
    const Result r = apply_all(s.w, Actor::process(P0), op);
    if (info.access != OpAccess::None) {
      EXPECT_EQ(r.kind, Result::Kind::Segv) << info.keyword;
    } else {
      EXPECT_EQ(r, Result::error(Errno::Inval)) << info.keyword;
    }
  }
}

}  // namespace
}  // namespace mmsim::testing
