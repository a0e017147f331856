// model/litmus/header.cpp: the header lines of a litmus file (spec §1): `litmus`, `about`,
// `source`, `tags`, `policies`, `processes`, `frames`, `swap`, `granularity`. Each may appear
// once, in any order, after `litmus` and before the first block.
#include <algorithm>
#include <set>
#include <string>

#include "model/litmus/parser.h"
#include "model/litmus/parser_impl.h"

namespace mmsim::litmus::detail {

void Parser::parse_litmus_line() {
  const Token& kw = take();
  header_lines_.emplace("litmus", kw.pos.line);
  // NAME = [A-Za-z0-9_.-]+, which is exactly a Word token.
  test_.name = std::string(expect_word("a test name ([A-Za-z0-9_.-]+)").text);
  expect_eol();
}

void Parser::parse_header_line() {
  const Token& kw = peek();
  const std::string word(kw.text);
  const auto [it, fresh] = header_lines_.emplace(word, kw.pos.line);
  if (!fresh) {
    fail_at(kw.pos, "expected one '" + word + "' line, found a second (the first is at line " +
                        std::to_string(it->second) + ")");
  }
  take();
  if (word == "about") {
    parse_string_header(&test_.about);
  } else if (word == "source") {
    parse_string_header(&test_.source);
  } else if (word == "tags") {
    parse_word_list(&test_.tags, "a tag ([a-z0-9-]+)", &Parser::accept_tag);
  } else if (word == "policies") {
    parse_word_list(&test_.policies, "a policy name", &Parser::accept_policy);
  } else if (word == "processes") {
    parse_word_list(&test_.procs, "a process name", &Parser::accept_process);
    seen_processes_ = true;
  } else if (word == "frames") {
    test_.frames = parse_count("a frame count", 1, kMaxFrames);
  } else if (word == "swap") {
    test_.swap_slots = parse_count("a swap slot count", 0, kMaxSwap);
  } else if (word == "granularity") {
    parse_granularity();
  }
  expect_eol();
}

void Parser::parse_string_header(std::string* out) {
  *out = expect(Token::Kind::String, "a double-quoted string").value;
}

// One or more words on the rest of the line, each accepted by `accept` (which fails on a bad
// word), without duplicates.
void Parser::parse_word_list(std::vector<std::string>* out, std::string_view what,
                             void (Parser::*accept)(const Token&)) {
  std::set<std::string_view> seen;
  do {
    const Token& t = expect_word(what);
    (this->*accept)(t);
    if (!seen.insert(t.text).second) {
      fail_at(t.pos, "expected " + std::string(what) + ", found '" + std::string(t.text) +
                         "' a second time");
    }
    out->emplace_back(t.text);
  } while (at(Token::Kind::Word));
}

void Parser::accept_tag(const Token& t) {
  const bool ok = std::all_of(t.text.begin(), t.text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
  if (!ok) fail(t, "a tag ([a-z0-9-]+)");
}

void Parser::accept_policy(const Token& t) {
  policy_name(t);
}

void Parser::accept_process(const Token& t) {
  check_entity_name(t, "a process name");
  if (test_.procs.size() >= kMaxSymbols) {
    fail_at(t.pos, "too many processes: at most " + std::to_string(kMaxSymbols));
  }
  procs_.ids.emplace(std::string(t.text), static_cast<uint16_t>(test_.procs.size()));
}

void Parser::parse_granularity() {
  const Token& t = expect_word("'op' or 'page'");
  if (t.text == "op") {
    test_.granularity = Granularity::PerOp;
  } else if (t.text == "page") {
    test_.granularity = Granularity::PerPage;
  } else {
    fail(t, "'op' or 'page'");
  }
}

// Called at the first block (or at the end of the file): the processes of `processes` have
// IDs 0..n-1, the children of forks follow in order of their first fork.
void Parser::finish_header(const Token& next) {
  if (!seen_processes_) fail(next, "a 'processes' line before the first block");
  test_.initial_procs = static_cast<uint32_t>(test_.procs.size());
  for (const std::string& child : forked_) {
    if (procs_.find(child)) continue;  // a fork of an initial process: an error at the fork
    if (test_.procs.size() >= kMaxSymbols) {
      fail_at(next.pos, "too many processes: at most " + std::to_string(kMaxSymbols));
    }
    procs_.ids.emplace(child, static_cast<uint16_t>(test_.procs.size()));
    test_.procs.push_back(child);
  }
}

}  // namespace mmsim::litmus::detail
