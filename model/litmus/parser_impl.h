// model/litmus/parser_impl.h: the recursive-descent parser behind parse() (internal header;
// include parser.h instead). Its member functions are split by subject over parser.cpp (the
// driver and the line cursor), header.cpp, ops.cpp, checks.cpp and symbols.cpp.
//
// Owns: the Test being built, the current line's tokens and the name indexes. Invariants:
// every ID written into the Test indexes its symbol table (tables hold at most kMaxSymbols
// names, so IDs never reach Id::none()); the first error ends the parse by throwing Failure,
// which parse() catches, so no exception leaves parse().
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/litmus/lexer.h"
#include "model/litmus/test.h"
#include "sim/op.h"
#include "sim/op_table.h"

namespace mmsim::litmus::detail {

// The first error of a parse, thrown inside the parser and caught by parse().
struct Failure {
  SourcePos pos;
  std::string message;
};

inline constexpr size_t kMaxSymbols = 4096;  // per table: processes, devices, names, ...
inline constexpr uint32_t kMaxFrames = 4096;
inline constexpr uint32_t kMaxSwap = 4096;
inline constexpr uint32_t kMaxMmapPages = 4096;
// A check expression nests at most kMaxNesting operators ('!', '&&', '||' nodes of the tree),
// which printing keeps (printed text adds at most one '(' per operator and one around the
// whole, so it reparses). kMaxSyntaxDepth bounds the parser's recursion on '(' and '!' as
// written, parentheses around a single operand included: far above what a printed tree needs.
inline constexpr int kMaxNesting = 256;
inline constexpr int kMaxSyntaxDepth = 1024;
// A thread's program counter and a transition's thread index are 16-bit (model/check/state.h), and
// every op creates at most one file (FileId, 16-bit, 0xFFFF is none): these keep them exact.
inline constexpr size_t kMaxThreads = 4096;     // process, device and system blocks
inline constexpr size_t kMaxThreadOps = 65535;  // ops in one thread (pc 0..65535)
inline constexpr size_t kMaxTotalOps = 65535;   // ops in init and every thread together
// The audit of every narrow integer these bound (docs/checker.md, "Limits"): IDs are 16-bit
// with 0xFFFF as none; a thread's pc counts up to its op count; a transition's thread and
// choice index threads and frames; Frame::mapcount and mlock_count and SwapSlot::refcount
// (16-bit) count at most one PTE per process; FileId counts files, at most one per op.
static_assert(kMaxSymbols < 0xFFFF && kMaxFrames < 0xFFFF && kMaxSwap < 0xFFFF);
static_assert(kMaxThreads <= 0xFFFF && kMaxThreadOps <= 0xFFFF);
static_assert(kMaxTotalOps <= 0xFFFF, "one file per op at most: FileId 0..0xFFFE");

// What a line is, from its first two tokens.
enum class LineKind : uint8_t { Header, Init, Process, Device, System, Check, Other };

// Name -> ID value for one symbol table; the Test's vector holds the names in ID order.
struct Index {
  std::map<std::string, uint16_t, std::less<>> ids;
  [[nodiscard]] std::optional<uint16_t> find(std::string_view name) const;
};

// [A-Za-z_][A-Za-z0-9_.-]*: the names of processes, devices, mappings, handles, registers.
bool is_identifier(std::string_view word);
// Words that cannot name a process, a device or a handle: `system` and the places of `has`.
bool is_reserved(std::string_view word);
// The children of every `fork` line before the first check, in file order, without
// duplicates: lets a thread name a process that a later line forks.
std::vector<std::string> prescan_forks(std::string_view text);

class Parser {
 public:
  Parser(std::string_view text, std::string file);
  Test run();  // throws Failure

 private:
  enum class Section : uint8_t { Header, Blocks, Checks };

  // --- the line cursor (parser.cpp) ---
  bool load_line();
  [[nodiscard]] const Token& peek(size_t k = 0) const;
  const Token& take();
  [[nodiscard]] bool at(Token::Kind kind) const { return peek().kind == kind; }
  [[nodiscard]] bool at_word(std::string_view word) const;
  [[noreturn]] void fail(const Token& t, std::string_view expected) const;
  [[noreturn]] void fail_at(SourcePos pos, std::string message) const;
  const Token& expect(Token::Kind kind, std::string_view expected);
  const Token& expect_word(std::string_view expected);
  void expect_eol();
  [[nodiscard]] LineKind classify() const;

  // --- sections and blocks (parser.cpp) ---
  void header_section_line(LineKind kind);
  void block_line(LineKind kind);
  void check_section_line(LineKind kind);
  void start_init();
  void start_thread(LineKind kind);
  void init_line();
  void thread_line();

  // --- header lines (header.cpp) ---
  void parse_litmus_line();
  void parse_header_line();
  void parse_string_header(std::string* out);
  void parse_word_list(std::vector<std::string>* out, std::string_view what,
                       void (Parser::*accept)(const Token&));
  void accept_tag(const Token& t);
  void accept_policy(const Token& t);
  void accept_process(const Token& t);
  void parse_granularity();
  void finish_header(const Token& next);

  // --- ops (ops.cpp) ---
  Step parse_op_line(Actor actor, const Token& op, size_t row);
  [[nodiscard]] size_t op_row(const Token& op) const;  // its row of kOpTable (sim/op_table.h)
  void check_op_actor(Actor actor, const Token& op, OpActor cls, bool in_thread) const;
  LangOp parse_args(size_t row);
  Mmap parse_mmap();
  Pin parse_pin();
  AddrRef parse_addr();
  Advice parse_advice();
  Prot parse_prot();
  PinKind parse_pin_kind();
  Value parse_value();
  [[nodiscard]] Value value_of(const Token& t) const;
  uint32_t parse_index(uint32_t max);
  uint32_t parse_count(std::string_view what, uint32_t min, uint32_t max);

  // --- checks (checks.cpp) ---
  void parse_check();
  void parse_expectation();
  void parse_promise();
  Expr parse_or(int depth);
  Expr parse_and(int depth);
  Expr parse_factor(int depth);
  Expr parse_atom();
  Expr parse_reg_atom();
  Expr parse_has_atom();
  Result parse_result();
  std::string policy_name(const Token& t) const;

  // --- names (symbols.cpp) ---
  uint16_t add(Index& index, std::vector<std::string>& table, const Token& t,
               std::string_view what);
  void check_entity_name(const Token& t, std::string_view what) const;
  ProcId proc_ref(const Token& t);
  DeviceId device_decl(const Token& t);
  Actor init_actor(const Token& t, OpActor cls);
  Actor check_actor(const Token& t);
  ProcId fork_child(const Token& t);
  NameId name_ref(const Token& t);
  HandleId handle_ref(const Token& t);
  RegId reg_ref(const Token& t);
  [[nodiscard]] std::string actor_text(Actor actor) const;

  Lexer lexer_;
  std::vector<Token> line_;
  size_t at_ = 0;
  Test test_;
  Section section_ = Section::Header;
  bool in_init_ = false;
  bool seen_init_ = false;
  bool seen_processes_ = false;
  std::map<std::string, uint32_t, std::less<>> header_lines_;  // keyword -> line
  std::vector<std::string> forked_;                            // from prescan_forks
  std::map<std::string, uint32_t, std::less<>> fork_lines_;    // child -> line of its fork
  std::vector<uint16_t> init_forked_;                          // children forked in init so far
  size_t total_ops_ = 0;                                       // ops parsed so far
  void count_op(const Token& op);
  void check_init_process_exists(Actor actor, const Token& name) const;
  void check_reg_written(const Expr& atom, const Token& actor, const Token& reg) const;
  Index procs_, devices_, names_, handles_, regs_;
};

}  // namespace mmsim::litmus::detail
