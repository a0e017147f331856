// model/litmus/checks.cpp: `check exists|forall|never EXPR` lines, their expression grammar
// (spec §5) and the `POLICY: holds|fails` expectation lines that follow them.
#include <algorithm>
#include <array>
#include <string>

#include "model/litmus/parser.h"
#include "model/litmus/parser_impl.h"
#include "model/litmus/printer.h"

namespace mmsim::litmus::detail {
namespace {

constexpr std::array<std::string_view, 9> kErrnoNames{
    "EINVAL", "ENOMEM", "EFAULT", "EPERM", "EAGAIN", "EBUSY", "ENOENT", "ENOSPC", "ESRCH"};

bool looks_like_errno(std::string_view w) {
  return w.size() >= 2 && w[0] == 'E' &&
         std::all_of(w.begin() + 1, w.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

std::string accepted_errnos() {
  std::string out;
  Errno e{};
  for (std::string_view name : kErrnoNames) {
    if (!errno_from_name(name, &e)) continue;
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

std::string policy_list() {
  std::string out;
  for (const std::string& p : known_policies()) {
    if (!out.empty()) out += ", ";
    out += p;
  }
  return out;
}

// The operators on the longest path from the root of an expression to an atom. Bounded by the
// parser's recursion (kMaxSyntaxDepth), so this recursion is too.
int operator_nesting(const Expr& e) {
  int deepest = 0;
  for (const Expr& kid : e.kids) deepest = std::max(deepest, operator_nesting(kid));
  return e.kids.empty() && e.kind != Expr::Kind::Not ? 0 : deepest + 1;
}

}  // namespace

std::string Parser::policy_name(const Token& t) const {
  const auto& known = known_policies();
  if (t.kind != Token::Kind::Word || std::find(known.begin(), known.end(), t.text) == known.end()) {
    fail(t, "a policy name (" + policy_list() + ")");
  }
  return std::string(t.text);
}

void Parser::parse_check() {
  Check check;
  check.pos = take().pos;
  const Token& kind = expect_word("'exists', 'forall' or 'never'");
  if (kind.text == "exists") {
    check.kind = Check::Kind::Exists;
  } else if (kind.text == "forall") {
    check.kind = Check::Kind::Forall;
  } else if (kind.text == "never") {
    check.kind = Check::Kind::Never;
  } else {
    fail(kind, "'exists', 'forall' or 'never'");
  }
  const SourcePos expr_pos = peek().pos;
  check.expr = parse_or(0);
  if (const int nesting = operator_nesting(check.expr); nesting > kMaxNesting) {
    fail_at(expr_pos, "check expression nests too deeply: at most " + std::to_string(kMaxNesting) +
                          " nested '!', '&&' and '||', found " + std::to_string(nesting));
  }
  if (!at(Token::Kind::Newline) && !at(Token::Kind::End)) fail(peek(), "'&&', '||' or end of line");
  check.text = std::string(kind.text) + " (" + print_expr(test_, check.expr) + ")";
  test_.checks.push_back(std::move(check));
}

void Parser::parse_expectation() {
  const Token& policy = take();
  const std::string name = policy_name(policy);
  take();  // ':'
  const Token& verdict = expect_word("'holds' or 'fails'");
  if (verdict.text != "holds" && verdict.text != "fails") fail(verdict, "'holds' or 'fails'");
  expect_eol();
  if (!test_.policies.empty() &&
      std::find(test_.policies.begin(), test_.policies.end(), name) == test_.policies.end()) {
    fail_at(policy.pos, "a policy from the 'policies' line ('" + name +
                            "' is excluded there, so this expectation would never be judged)");
  }
  Check& check = test_.checks.back();
  if (!check.expected.emplace(name, verdict.text == "holds").second) {
    fail_at(policy.pos,
            "expected one expectation for '" + name + "' in this check, found a second");
  }
}

// `promise TAG` or `promise !TAG` under a check: the check states promise TAG, which must be
// named on the test's `tags` line.
void Parser::parse_promise() {
  take();  // 'promise'
  bool kept_if_holds = true;
  if (at(Token::Kind::Not)) {
    take();
    kept_if_holds = false;
  }
  const Token& tag = expect_word("a tag from the 'tags' line");
  if (std::find(test_.tags.begin(), test_.tags.end(), tag.text) == test_.tags.end()) {
    fail(tag, "a tag from the 'tags' line");
  }
  expect_eol();
  Check& check = test_.checks.back();
  if (!check.promises.emplace(std::string(tag.text), kept_if_holds).second) {
    fail_at(tag.pos, "expected one 'promise' line for '" + std::string(tag.text) +
                         "' in this check, found a second");
  }
}

Expr Parser::parse_or(int depth) {
  Expr first = parse_and(depth);
  if (!at(Token::Kind::Or)) return first;
  Expr e;
  e.kind = Expr::Kind::Or;
  e.kids.push_back(std::move(first));
  while (at(Token::Kind::Or)) {
    take();
    e.kids.push_back(parse_and(depth));
  }
  return e;
}

Expr Parser::parse_and(int depth) {
  Expr first = parse_factor(depth);
  if (!at(Token::Kind::And)) return first;
  Expr e;
  e.kind = Expr::Kind::And;
  e.kids.push_back(std::move(first));
  while (at(Token::Kind::And)) {
    take();
    e.kids.push_back(parse_factor(depth));
  }
  return e;
}

Expr Parser::parse_factor(int depth) {
  if (at(Token::Kind::Not) || at(Token::Kind::LParen)) {
    if (depth >= kMaxSyntaxDepth) {
      fail_at(peek().pos, "check expression nests too deeply: at most " +
                              std::to_string(kMaxSyntaxDepth) + " levels of '(' and '!'");
    }
  }
  if (at(Token::Kind::Not)) {
    take();
    Expr e;
    e.kind = Expr::Kind::Not;
    e.kids.push_back(parse_factor(depth + 1));
    return e;
  }
  if (at(Token::Kind::LParen)) {
    take();
    Expr e = parse_or(depth + 1);
    expect(Token::Kind::RParen, "'&&', '||' or ')'");
    return e;
  }
  return parse_atom();
}

Expr Parser::parse_atom() {
  const Token& first = peek();
  if (first.kind != Token::Kind::Word) {
    fail(first, "a condition ('!', '(', ACTOR:REG == RESULT or WHERE has V)");
  }
  if (peek(1).kind == Token::Kind::Colon) return parse_reg_atom();
  if (peek(1).kind == Token::Kind::Word && peek(1).text == "has") return parse_has_atom();
  fail(peek(1), "':' (ACTOR:REG) or 'has' (WHERE has V) after '" + std::string(first.text) + "'");
}

// ACTOR ':' REG ('==' | '!=') RESULT
Expr Parser::parse_reg_atom() {
  Expr e;
  const Token& actor = take();
  e.actor = check_actor(actor);
  take();  // ':'
  const Token& reg = expect_word("a register name");
  e.reg = reg_ref(reg);
  check_reg_written(e, actor, reg);
  if (at(Token::Kind::Eq)) {
    e.kind = Expr::Kind::RegEq;
  } else if (at(Token::Kind::Ne)) {
    e.kind = Expr::Kind::RegNe;
  } else {
    fail(peek(), "'==' or '!='");
  }
  take();
  e.expected = parse_result();
  return e;
}

// A register that no op of the actor writes stays unset: the atom would hold or fail
// vacuously, which is almost always a typo. The checks come after every op, so this is final.
void Parser::check_reg_written(const Expr& atom, const Token& actor, const Token& reg) const {
  const auto writes = [&atom](const Step& s) {
    return s.actor == atom.actor && s.dest == atom.reg;
  };
  if (std::any_of(test_.init.begin(), test_.init.end(), writes)) return;
  for (const Thread& t : test_.threads) {
    if (std::any_of(t.steps.begin(), t.steps.end(), writes)) return;
  }
  fail_at(reg.pos, "a register that an op of '" + std::string(actor.text) + "' writes ('" +
                       std::string(actor.text) + ":" + std::string(reg.text) +
                       "' is never written: no op of this actor has '-> " + std::string(reg.text) +
                       "')");
}

// WHERE 'has' V
Expr Parser::parse_has_atom() {
  Expr e;
  e.kind = Expr::Kind::Has;
  const Token& place = take();
  const std::string_view w = place.text;
  if (w == "free") {
    e.where.kind = Where::Kind::Free;
  } else if (w == "ram") {
    e.where.kind = Where::Kind::Ram;
  } else if (w == "swap") {
    e.where.kind = Where::Kind::Swap;
  } else if (w == "image") {
    e.where.kind = Where::Kind::Image;
  } else if (w == "kernel") {
    e.where.kind = Where::Kind::Kernel;
  } else if (const auto h = handles_.find(w)) {
    e.where.kind = Where::Kind::Handle;
    e.where.handle = HandleId{*h};
  } else if (const auto p = procs_.find(w)) {
    e.where.kind = Where::Kind::Process;
    e.where.proc = ProcId{*p};
  } else {
    fail(place, "a place (free, ram, swap, image, kernel, a process or a handle)");
  }
  take();  // 'has'
  e.value = parse_value();
  return e;
}

Result Parser::parse_result() {
  constexpr std::string_view kExpected = "a result (a value, ok, SEGV or an errno name)";
  const Token& t = expect_word(kExpected);
  if (t.text == "ok") return Result::ok();
  if (t.text == "SEGV") return Result::segv();
  if (looks_like_errno(t.text)) {
    Errno e{};
    if (!errno_from_name(t.text, &e)) fail(t, "an errno name (" + accepted_errnos() + ")");
    return Result::error(e);
  }
  if (t.text.empty() || t.text[0] < '0' || t.text[0] > '9') fail(t, kExpected);
  return Result::of(value_of(t));
}

}  // namespace mmsim::litmus::detail
