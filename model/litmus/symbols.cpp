// model/litmus/symbols.cpp: how names resolve to IDs (docs/litmus.md, "Names and IDs").
// Processes: `processes` first, then fork children in order of their first fork (found by
// prescan_forks before parsing, so a thread may name a process forked further down). Devices,
// mappings, handles and registers: order of first appearance in the file.
#include <set>
#include <string>

#include "model/litmus/parser_impl.h"

namespace mmsim::litmus::detail {
namespace {

constexpr std::string_view kNeverCreated =
    "' is never created: expected a name from 'processes' "
    "or a fork";

}  // namespace

std::optional<uint16_t> Index::find(std::string_view name) const {
  const auto it = ids.find(name);
  if (it == ids.end()) return std::nullopt;
  return it->second;
}

bool is_identifier(std::string_view word) {
  if (word.empty()) return false;
  const char c0 = word[0];
  if (!((c0 >= 'a' && c0 <= 'z') || (c0 >= 'A' && c0 <= 'Z') || c0 == '_')) return false;
  for (char c : word) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '.' || c == '-';
    if (!ok) return false;
  }
  return true;
}

bool is_reserved(std::string_view word) {
  return word == "system" || word == "free" || word == "ram" || word == "swap" || word == "image" ||
         word == "kernel";
}

std::vector<std::string> prescan_forks(std::string_view text) {
  std::vector<std::string> children;
  std::set<std::string, std::less<>> seen;
  Lexer lexer(text);
  while (true) {
    const std::vector<Token> line = lexer.next_line();
    auto word = [&line](size_t i, std::string_view w = {}) {
      return i < line.size() && line[i].kind == Token::Kind::Word &&
             (w.empty() || line[i].text == w);
    };
    if (word(0, "check") && !(line.size() > 1 && line[1].kind == Token::Kind::Colon)) break;
    size_t op = 0;
    if (word(0) && line.size() > 1 && line[1].kind == Token::Kind::Colon) op = 2;
    if (word(op, "fork") && word(op + 1)) {
      const std::string child(line[op + 1].text);
      if (is_identifier(child) && !is_reserved(child) && seen.insert(child).second) {
        children.push_back(child);
      }
    }
    const Token::Kind last = line.back().kind;
    if (last == Token::Kind::End || last == Token::Kind::Error) break;
  }
  return children;
}

uint16_t Parser::add(Index& index, std::vector<std::string>& table, const Token& t,
                     std::string_view what) {
  if (const auto id = index.find(t.text)) return *id;
  if (table.size() >= kMaxSymbols) {
    fail_at(t.pos, "too many " + std::string(what) + ": at most " + std::to_string(kMaxSymbols));
  }
  const auto id = static_cast<uint16_t>(table.size());
  index.ids.emplace(std::string(t.text), id);
  table.emplace_back(t.text);
  return id;
}

// A process, device or handle name: an identifier other than a reserved word.
void Parser::check_entity_name(const Token& t, std::string_view what) const {
  if (!is_identifier(t.text)) fail(t, what);
  if (is_reserved(t.text)) fail(t, std::string(what) + " (not a reserved word)");
}

ProcId Parser::proc_ref(const Token& t) {
  check_entity_name(t, "a process name");
  const auto id = procs_.find(t.text);
  if (!id) fail_at(t.pos, "process '" + std::string(t.text) + std::string(kNeverCreated));
  return ProcId{*id};
}

DeviceId Parser::device_decl(const Token& t) {
  check_entity_name(t, "a device name");
  if (procs_.find(t.text)) fail(t, "a device name (this name is a process)");
  return DeviceId{add(devices_, test_.devices, t, "devices")};
}

// `NAME:` in init: `system`, a process, or else a device (created here if new). An unknown
// name running a process op is a process that is never created.
Actor Parser::init_actor(const Token& t, OpActor cls) {
  if (t.text == "system") return Actor::system();
  check_entity_name(t, "an actor (a process, a device or 'system')");
  if (const auto p = procs_.find(t.text)) return Actor::process(ProcId{*p});
  if (const auto d = devices_.find(t.text)) return Actor::device(DeviceId{*d});
  if (cls == OpActor::Process) {
    fail_at(t.pos, "process '" + std::string(t.text) + std::string(kNeverCreated));
  }
  return Actor::device(DeviceId{add(devices_, test_.devices, t, "devices")});
}

Actor Parser::check_actor(const Token& t) {
  if (t.text == "system") return Actor::system();
  if (const auto p = procs_.find(t.text)) return Actor::process(ProcId{*p});
  if (const auto d = devices_.find(t.text)) return Actor::device(DeviceId{*d});
  fail(t, "an actor (a process from 'processes' or a fork, a device, or 'system')");
}

ProcId Parser::fork_child(const Token& t) {
  check_entity_name(t, "the name of the child process");
  const std::string name(t.text);
  const auto id = procs_.find(name);
  if (id && *id < test_.initial_procs) {
    fail(t, "a new process name for the child ('" + name + "' is listed in 'processes')");
  }
  if (const auto it = fork_lines_.find(name); it != fork_lines_.end()) {
    fail(t, "a new process name for the child ('" + name + "' is forked at line " +
                std::to_string(it->second) + ")");
  }
  fork_lines_.emplace(name, t.pos.line);
  if (id) return ProcId{*id};
  return ProcId{add(procs_, test_.procs, t, "processes")};  // not seen by the pre-scan
}

NameId Parser::name_ref(const Token& t) {
  if (!is_identifier(t.text)) fail(t, "a mapping name");
  return NameId{add(names_, test_.names, t, "mapping names")};
}

HandleId Parser::handle_ref(const Token& t) {
  check_entity_name(t, "a handle name");
  if (procs_.find(t.text)) fail(t, "a handle name (this name is a process)");
  return HandleId{add(handles_, test_.handles, t, "handles")};
}

RegId Parser::reg_ref(const Token& t) {
  if (!is_identifier(t.text)) fail(t, "a register name");
  return RegId{add(regs_, test_.regs, t, "registers")};
}

std::string Parser::actor_text(Actor actor) const {
  const auto name = [&actor](const std::vector<std::string>& table) {
    return actor.index < table.size() ? table[actor.index] : std::string("?");
  };
  switch (actor.kind) {
    case Actor::Kind::Process:
      return "process '" + name(test_.procs) + "'";
    case Actor::Kind::Device:
      return "device '" + name(test_.devices) + "'";
    case Actor::Kind::System:
      return "'system'";
  }
  return "an actor";
}

}  // namespace mmsim::litmus::detail
