// model/litmus/parser.cpp: parse() and parse_file(), the line cursor, and the section
// structure of a file: header lines, then `init` and the threads, then the checks.
#include "model/litmus/parser.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <new>
#include <utility>

#include "model/litmus/parser_impl.h"
#include "sim/policy.h"

namespace mmsim::litmus {
namespace detail {
namespace {

constexpr std::string_view kHeaderWords[] = {
    "litmus", "about", "source", "tags", "policies", "processes", "frames", "swap", "granularity"};

}  // namespace

Parser::Parser(std::string_view text, std::string file) : lexer_(text) {
  test_.file = std::move(file);
  forked_ = prescan_forks(text);
}

Test Parser::run() {
  if (!load_line() || !at_word("litmus")) fail(peek(), "'litmus NAME' as the first line");
  parse_litmus_line();
  while (load_line()) {
    const LineKind kind = classify();
    switch (section_) {
      case Section::Header:
        header_section_line(kind);
        break;
      case Section::Blocks:
        block_line(kind);
        break;
      case Section::Checks:
        check_section_line(kind);
        break;
    }
  }
  if (section_ == Section::Header) finish_header(peek());
  if (test_.checks.empty()) fail(peek(), "a check");
  return std::move(test_);
}

// --- the line cursor ---

bool Parser::load_line() {
  line_ = lexer_.next_line();
  at_ = 0;
  return !(line_.size() == 1 && line_[0].kind == Token::Kind::End);
}

const Token& Parser::peek(size_t k) const {
  const size_t last = line_.size() - 1;  // a Newline, End or Error token
  return line_[at_ + k < last ? at_ + k : last];
}

const Token& Parser::take() {
  const Token& t = peek();
  if (at_ + 1 < line_.size()) ++at_;
  return t;
}

bool Parser::at_word(std::string_view word) const {
  return peek().kind == Token::Kind::Word && peek().text == word;
}

void Parser::fail(const Token& t, std::string_view expected) const {
  if (t.kind == Token::Kind::Error) throw Failure{t.pos, t.value};
  throw Failure{t.pos, "expected " + std::string(expected) + ", found " + describe(t)};
}

void Parser::fail_at(SourcePos pos, std::string message) const {
  throw Failure{pos, std::move(message)};
}

const Token& Parser::expect(Token::Kind kind, std::string_view expected) {
  if (!at(kind)) fail(peek(), expected);
  return take();
}

const Token& Parser::expect_word(std::string_view expected) {
  return expect(Token::Kind::Word, expected);
}

void Parser::expect_eol() {
  if (!at(Token::Kind::Newline) && !at(Token::Kind::End)) fail(peek(), "end of line");
}

LineKind Parser::classify() const {
  const Token& first = peek(0);
  if (first.kind != Token::Kind::Word || peek(1).kind == Token::Kind::Colon) {
    return LineKind::Other;
  }
  for (std::string_view w : kHeaderWords) {
    if (first.text == w) return LineKind::Header;
  }
  if (first.text == "init") return LineKind::Init;
  if (first.text == "process") return LineKind::Process;
  if (first.text == "device") return LineKind::Device;
  if (first.text == "system") return LineKind::System;
  if (first.text == "check") return LineKind::Check;
  return LineKind::Other;
}

// --- sections ---

void Parser::header_section_line(LineKind kind) {
  if (kind == LineKind::Header) {
    parse_header_line();
    return;
  }
  if (kind == LineKind::Other) {
    fail(peek(),
         "a header line (about, source, tags, policies, processes, frames, swap, granularity) "
         "or a block (init, process, device, system, check)");
  }
  finish_header(peek());
  section_ = Section::Blocks;
  block_line(kind);
}

void Parser::block_line(LineKind kind) {
  switch (kind) {
    case LineKind::Header:
      fail(peek(), "an op or a block (header lines come before init and the threads)");
    case LineKind::Init:
      start_init();
      return;
    case LineKind::Process:
    case LineKind::Device:
    case LineKind::System:
      start_thread(kind);
      return;
    case LineKind::Check:
      section_ = Section::Checks;
      parse_check();
      return;
    case LineKind::Other:
      if (in_init_) {
        init_line();
      } else {
        thread_line();
      }
      return;
  }
}

void Parser::check_section_line(LineKind kind) {
  if (kind == LineKind::Check) {
    parse_check();
    return;
  }
  if (kind == LineKind::Other && peek(0).kind == Token::Kind::Word &&
      peek(1).kind == Token::Kind::Colon) {
    parse_expectation();
    return;
  }
  if (kind == LineKind::Other && peek(0).kind == Token::Kind::Word && peek(0).text == "promise") {
    parse_promise();
    return;
  }
  fail(peek(),
       "a check, an expectation 'POLICY: holds|fails' or 'promise [!]TAG' (init and the threads "
       "come before the checks)");
}

void Parser::start_init() {
  if (seen_init_) fail(peek(), "a thread or a check (there is already an 'init' block)");
  if (!test_.threads.empty()) fail(peek(), "a thread or a check ('init' comes before the threads)");
  take();
  expect_eol();
  seen_init_ = true;
  in_init_ = true;
}

void Parser::start_thread(LineKind kind) {
  Thread thread;
  thread.pos = take().pos;
  if (test_.threads.size() >= kMaxThreads) {
    fail_at(thread.pos, "too many threads: at most " + std::to_string(kMaxThreads));
  }
  if (kind == LineKind::Process) {
    thread.actor = Actor::process(proc_ref(expect_word("a process name")));
  } else if (kind == LineKind::Device) {
    thread.actor = Actor::device(device_decl(expect_word("a device name")));
  } else {
    thread.actor = Actor::system();
  }
  expect_eol();
  in_init_ = false;
  test_.threads.push_back(std::move(thread));
}

// `ACTOR: OP ...` in the init block.
void Parser::init_line() {
  const Token& name = expect_word("an actor (a process, a device or 'system')");
  expect(Token::Kind::Colon, "':' after the actor");
  const Token& op = expect_word("an op");
  const size_t row = op_row(op);
  const Actor actor = init_actor(name, kOpTable[row].actor);
  check_init_process_exists(actor, name);
  check_op_actor(actor, op, kOpTable[row].actor, /*in_thread=*/false);
  count_op(op);
  test_.init.push_back(parse_op_line(actor, op, row));
  if (const auto* f = op_if<Fork>(&test_.init.back().op)) init_forked_.push_back(f->child.v);
}

// Each op is one transition of a 16-bit program counter, and the ops together bound the files
// a run can create (16-bit FileId): both limits are checked where an op is added.
void Parser::count_op(const Token& op) {
  if (++total_ops_ > kMaxTotalOps) {
    fail_at(op.pos, "too many ops in this test: at most " + std::to_string(kMaxTotalOps));
  }
  if (!in_init_ && test_.threads.back().steps.size() >= kMaxThreadOps) {
    fail_at(op.pos, "too many ops in this thread: at most " + std::to_string(kMaxThreadOps));
  }
}

// An init line runs once, in order: a process that is forked later (or only in a thread) does
// not exist yet, and the line would be skipped without a trace.
void Parser::check_init_process_exists(Actor actor, const Token& name) const {
  if (actor.kind != Actor::Kind::Process || actor.index < test_.initial_procs) return;
  if (std::find(init_forked_.begin(), init_forked_.end(), actor.index) != init_forked_.end()) return;
  const auto fork = fork_lines_.find(name.text);
  fail_at(name.pos, "process '" + std::string(name.text) +
                        "' does not exist yet at this line of init (" +
                        (fork != fork_lines_.end() ? "it is forked at line " + std::to_string(fork->second)
                                                   : std::string("it is forked by a thread")) +
                        "); init lines run once, in order");
}

void Parser::thread_line() {
  if (test_.threads.empty()) fail(peek(), "a block (init, process, device, system, check)");
  const Token& op = expect_word("an op or a block");
  const size_t row = op_row(op);
  const Actor actor = test_.threads.back().actor;
  check_op_actor(actor, op, kOpTable[row].actor, /*in_thread=*/true);
  count_op(op);
  Step step = parse_op_line(actor, op, row);
  test_.threads.back().steps.push_back(std::move(step));
}

}  // namespace detail

std::variant<Test, ParseError> parse(std::string_view text, std::string file) {
  try {
    detail::Parser parser(text, file);
    return parser.run();
  } catch (const detail::Failure& f) {
    return ParseError{std::move(file), f.pos, f.message};
  } catch (const std::bad_alloc&) {
    return ParseError{std::move(file), SourcePos{1, 1}, "out of memory"};
  }
}

namespace {

const char* file_kind(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

}  // namespace

std::variant<Test, ParseError> parse_file(const std::string& path) {
  const auto error = [&path](const std::string& message) {
    return ParseError{path, SourcePos{1, 1}, message};
  };
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then refuses it.
    const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return error(std::string("cannot open file: ") + std::strerror(errno));
    struct Closer {
      int fd;
      ~Closer() { ::close(fd); }
    } closer{fd};
    struct stat st {};
    if (::fstat(fd, &st) != 0) return error(std::string("cannot read file: ") + std::strerror(errno));
    if (!S_ISREG(st.st_mode)) return error(std::string("not a regular file: it is ") + file_kind(st.st_mode));
    std::string text(kMaxFileBytes + 1, '\0');
    size_t got = 0;
    while (got < text.size()) {
      const ssize_t n = ::read(fd, text.data() + got, text.size() - got);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return error(std::string("cannot read file: ") + std::strerror(errno));
      if (n == 0) break;
      got += static_cast<size_t>(n);
    }
    text.resize(got);
    if (text.size() > kMaxFileBytes) {
      return error("file too large: a litmus file has at most " + std::to_string(kMaxFileBytes) + " bytes");
    }
    return parse(text, path);
  } catch (const std::bad_alloc&) {
    return error("out of memory while reading the file");
  }
}

// From the policy descriptors (sim/policy.h), in PolicyId order, which is the spec's.
const std::vector<std::string>& known_policies() {
  static const std::vector<std::string> kPolicies = [] {
    std::vector<std::string> out;
    for (PolicyId id : all_policies()) out.emplace_back(policy_name(id));
    return out;
  }();
  return kPolicies;
}

}  // namespace mmsim::litmus
