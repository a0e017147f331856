// model/litmus/printer.cpp: the canonical litmus text of tests, steps and expressions.
#include "model/litmus/printer.h"

#include "sim/format.h"
#include "sim/overloaded.h"

#include <string_view>
#include <vector>

namespace mmsim::litmus {
namespace {

std::string entry(const std::vector<std::string>& table, size_t index) {
  if (index < table.size()) return table[index];
  return "?" + std::to_string(index);
}

std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string_view sharing_word(Sharing s) {
  switch (s) {
    case Sharing::Default:
      return "";
    case Sharing::Private:
      return " private";
    case Sharing::Shared:
      return " shared";
  }
  return "";
}

std::string_view backing_word(Backing b) {
  switch (b) {
    case Backing::Anon:
      return "";
    case Backing::File:
      return " file";
    case Backing::Secret:
      return " secret";
    case Backing::Droppable:
      return " droppable";
  }
  return "";
}

std::string_view prot_word(Prot p) {
  switch (p) {
    case Prot::None:
      return "none";
    case Prot::Read:
      return "r";
    case Prot::ReadWrite:
      return "rw";
  }
  return "?";
}

std::string_view power_word(PowerEvent e) {
  switch (e) {
    case PowerEvent::Suspend:
      return "suspend";
    case PowerEvent::Hibernate:
      return "hibernate";
    case PowerEvent::Resume:
      return "resume";
  }
  return "?";
}

std::string_view finish_word(FinishWhat w) {
  switch (w) {
    case FinishWhat::Fork:
      return "fork";
    case FinishWhat::Exit:
      return "exit";
    case FinishWhat::Kill:
      return "kill";
    case FinishWhat::Exec:
      return "exec";
  }
  return "?";
}

// Prints the arguments of ops; holds the test for name lookups.
struct OpPrinter {
  const Test& t;

  [[nodiscard]] std::string proc(ProcId p) const { return entry(t.procs, p.index()); }
  [[nodiscard]] std::string handle(HandleId h) const { return entry(t.handles, h.index()); }
  [[nodiscard]] std::string page(Vpn v) const { return " page " + std::to_string(v.v); }

  [[nodiscard]] std::string addr(const AddrRef& a) const {
    std::string out = entry(t.names, a.name.index());
    if (a.span == AddrRef::Span::Whole) return out;
    out += "[" + std::to_string(a.first);
    if (a.last != a.first + 1) out += ":" + std::to_string(a.last);
    return out + "]";
  }

  [[nodiscard]] std::string args(const Op& op) const;
};

std::string OpPrinter::args(const Op& op) const {
  return visit_op(
      Overloaded{
          [&](const Mmap& o) {
            return " " + entry(t.names, o.name.index()) + " " + std::to_string(o.pages) +
                   std::string(sharing_word(o.sharing)) + std::string(backing_word(o.backing));
          },
          [&](const Munmap& o) { return " " + addr(o.addr); },
          [&](const Madvise& o) {
            return " " + addr(o.addr) + " " + std::string(advice_name(o.advice));
          },
          [&](const Mlock& o) { return " " + addr(o.addr); },
          [&](const Munlock& o) { return " " + addr(o.addr); },
          [&](const Mprotect& o) {
            return " " + addr(o.addr) + " " + std::string(prot_word(o.prot));
          },
          [&](const Write& o) { return " " + addr(o.addr) + " " + format_value(o.value); },
          [&](const Read& o) { return " " + addr(o.addr); },
          [&](const Zero& o) { return " " + addr(o.addr); },
          [&](const Fork& o) { return " " + proc(o.child); },
          [&](const Exec&) { return std::string(); },
          [&](const Exit&) { return std::string(); },
          [&](const Pin& o) {
            return " " + addr(o.addr) + (o.kind == PinKind::Dio ? " dio " : " longterm ") +
                   (o.dir == PinDir::Read ? "read " : "") + handle(o.handle);
          },
          [&](const Vmsplice& o) { return " " + addr(o.addr) + " " + handle(o.handle); },
          [&](const DmaRead& o) { return " " + handle(o.handle); },
          [&](const DmaWrite& o) { return " " + handle(o.handle) + " " + format_value(o.value); },
          [&](const Unpin& o) { return " " + handle(o.handle); },
          [&](const PipeRead& o) { return " " + handle(o.handle); },
          [&](const PipeClose& o) { return " " + handle(o.handle); },
          [&](const Reclaim& o) {
            return o.proc.valid() ? " " + proc(o.proc) + " " + addr(o.addr) : std::string();
          },
          [&](const ReclaimPage& o) { return " " + proc(o.proc) + page(o.page); },
          [&](const Migrate& o) { return " " + proc(o.proc) + " " + addr(o.addr); },
          [&](const Kill& o) { return " " + proc(o.proc); },
          [&](const Suspend&) { return std::string(); },
          [&](const Hibernate&) { return std::string(); },
          [&](const Resume&) { return std::string(); },
          [&](const Snapshot&) { return std::string(); },
          [&](const ForkPage& o) {
            return " " + proc(o.parent) + " " + proc(o.child) + page(o.page);
          },
          [&](const ZapPage& o) { return " " + proc(o.proc) + page(o.page); },
          [&](const Finish& o) {
            return " " + proc(o.proc) + " " + std::string(finish_word(o.what));
          },
          [&](const PowerPage& o) {
            return " " + proc(o.proc) + page(o.page) + " " + std::string(power_word(o.event));
          },
          [&](const PowerDone& o) { return " " + std::string(power_word(o.event)); },
      },
      op);
}

// An operand of && or ||: parenthesized when it is itself an && or || (so that the tree
// prints back to the same tree).
std::string operand(const Test& t, const Expr& e) {
  const bool group = e.kind == Expr::Kind::Or || e.kind == Expr::Kind::And;
  return group ? "(" + print_expr(t, e) + ")" : print_expr(t, e);
}

std::string where_text(const Test& t, const Where& w) {
  switch (w.kind) {
    case Where::Kind::Free:
      return "free";
    case Where::Kind::Ram:
      return "ram";
    case Where::Kind::Swap:
      return "swap";
    case Where::Kind::Image:
      return "image";
    case Where::Kind::Kernel:
      return "kernel";
    case Where::Kind::Process:
      return entry(t.procs, w.proc.index());
    case Where::Kind::Handle:
      return entry(t.handles, w.handle.index());
  }
  return "?";
}

std::string_view check_word(Check::Kind k) {
  switch (k) {
    case Check::Kind::Exists:
      return "exists";
    case Check::Kind::Forall:
      return "forall";
    case Check::Kind::Never:
      return "never";
  }
  return "?";
}

}  // namespace

std::string format_value(Value v) { return mmsim::format_value(v); }

std::string format_result(const Result& r) {
  switch (r.kind) {
    case Result::Kind::Unset:
      return "unset";
    case Result::Kind::Ok:
      return "ok";
    case Result::Kind::Number:
      return format_value(r.value);
    case Result::Kind::Err:
      return std::string(errno_name(r.err));
    case Result::Kind::Segv:
      return "SEGV";
  }
  return "?";
}

std::string actor_name(const Test& t, Actor a) {
  switch (a.kind) {
    case Actor::Kind::Process:
      return entry(t.procs, a.index);
    case Actor::Kind::Device:
      return entry(t.devices, a.index);
    case Actor::Kind::System:
      return "system";
  }
  return "?";
}

std::string print_op(const Test& t, const Step& s) {
  std::string out = std::string(op_name(s.op)) + OpPrinter{t}.args(s.op);
  if (s.dest.valid()) out += " -> " + entry(t.regs, s.dest.index());
  return out;
}

std::string print_step(const Test& t, const Step& s) {
  return actor_name(t, s.actor) + ": " + print_op(t, s);
}

std::string print_expr(const Test& t, const Expr& e) {
  switch (e.kind) {
    case Expr::Kind::Or:
    case Expr::Kind::And: {
      const std::string_view sep = e.kind == Expr::Kind::Or ? " || " : " && ";
      std::string out;
      for (size_t i = 0; i < e.kids.size(); ++i) {
        if (i > 0) out += sep;
        // An && inside || needs no parentheses; anything else that groups does.
        const bool plain = e.kind == Expr::Kind::Or && e.kids[i].kind == Expr::Kind::And;
        out += plain ? print_expr(t, e.kids[i]) : operand(t, e.kids[i]);
      }
      return out;
    }
    case Expr::Kind::Not: {
      if (e.kids.empty()) return "!()";
      const Expr& kid = e.kids.front();
      return kid.kind == Expr::Kind::Not ? "!" + print_expr(t, kid)
                                         : "!(" + print_expr(t, kid) + ")";
    }
    case Expr::Kind::RegEq:
    case Expr::Kind::RegNe:
      return actor_name(t, e.actor) + ":" + entry(t.regs, e.reg.index()) +
             (e.kind == Expr::Kind::RegEq ? " == " : " != ") + format_result(e.expected);
    case Expr::Kind::Has:
      return where_text(t, e.where) + " has " + format_value(e.value);
  }
  return "?";
}

std::string print(const Test& t) {
  std::string out = "litmus " + t.name + "\n";
  if (!t.about.empty()) out += "about " + quoted(t.about) + "\n";
  if (!t.source.empty()) out += "source " + quoted(t.source) + "\n";
  auto list = [&out](std::string_view key, const std::vector<std::string>& words, size_t n) {
    if (n == 0) return;
    out += key;
    for (size_t i = 0; i < n && i < words.size(); ++i) out += " " + words[i];
    out += "\n";
  };
  list("tags", t.tags, t.tags.size());
  list("policies", t.policies, t.policies.size());
  list("processes", t.procs, t.initial_procs);
  if (t.frames != 8) out += "frames " + std::to_string(t.frames) + "\n";
  if (t.swap_slots != 4) out += "swap " + std::to_string(t.swap_slots) + "\n";
  if (t.granularity == Granularity::PerPage) out += "granularity page\n";
  if (!t.init.empty()) out += "init\n";
  for (const Step& s : t.init) out += "  " + print_step(t, s) + "\n";
  for (const Thread& th : t.threads) {
    if (th.actor.kind == Actor::Kind::System) {
      out += "system\n";
    } else {
      out += (th.actor.kind == Actor::Kind::Process ? "process " : "device ") +
             actor_name(t, th.actor) + "\n";
    }
    for (const Step& s : th.steps) out += "  " + print_op(t, s) + "\n";
  }
  for (const Check& c : t.checks) {
    out += "check " + std::string(check_word(c.kind)) + " (" + print_expr(t, c.expr) + ")\n";
    for (const auto& [policy, holds] : c.expected) {
      out += "  " + policy + (holds ? ": holds\n" : ": fails\n");
    }
    for (const auto& [tag, kept_if_holds] : c.promises) {
      out += "  promise " + std::string(kept_if_holds ? "" : "!") + tag + "\n";
    }
  }
  return out;
}

}  // namespace mmsim::litmus
