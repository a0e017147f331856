// model/check/trace.cpp: replaying a path into TraceSteps and rendering them. See trace.h.
#include "model/check/trace.h"

#include <algorithm>
#include <cstdio>
#include <string_view>

#include "model/litmus/printer.h"
#include "sim/format.h"
#include "sim/overloaded.h"
#include "sim/policy.h"

namespace mmsim::model {
namespace {

std::string vpn_text(const litmus::Test& t, const World& w, ProcId p, Vpn q) {
  const Process& pr = w.proc(p);
  for (size_t i = 0; i < pr.names.size() && i < t.names.size(); ++i) {
    const Binding& b = pr.names[i];
    if (b.bound && b.base <= q && q < b.base + b.pages) {
      return t.names[i] + "[" + std::to_string(q.v - b.base.v) + "]";
    }
  }
  return "page " + std::to_string(q.v);
}

// Text for ops the checker creates: chosen reclaim targets and the page steps of an op.
std::string generated_op_text(const litmus::Test& t, const World& w, const Op& op) {
  auto proc = [&](ProcId p) { return p.valid() && p.index() < t.procs.size() ? t.procs[p.index()] : "-"; };
  const auto* step = std::get_if<PageStep>(&op);
  if (step == nullptr) return std::string(op_name(op));
  return std::visit(
      Overloaded{
          [&](const ReclaimPage& o) {
            if (!o.proc.valid()) return std::string("reclaim (nothing eligible)");
            return "reclaim " + proc(o.proc) + " " + vpn_text(t, w, o.proc, o.page);
          },
          [&](const ForkPage& o) {
            return "fork " + proc(o.child) + ": copy " + vpn_text(t, w, o.parent, o.page);
          },
          [&](const ZapPage& o) {
            return "teardown " + proc(o.proc) + ": zap " + vpn_text(t, w, o.proc, o.page);
          },
          [&](const Finish& o) { return "finish " + proc(o.proc); },
          [&](const PowerPage& o) {
            return "power: policy acts on " + proc(o.proc) + " " + vpn_text(t, w, o.proc, o.page);
          },
          [&](const PowerDone&) { return std::string("power: transition done"); },
      },
      *step);
}

void frame_changes(const World& a, const World& b, std::vector<std::string>& out) {
  for (size_t i = 0; i < a.mem.frames.size(); ++i) {
    const Frame& x = a.mem.frames[i];
    const Frame& y = b.mem.frames[i];
    std::string c;
    if (x.state != y.state) c += y.state == Frame::State::Free ? " freed" : " allocated";
    if (x.value != y.value) c += " val " + format_value(x.value) + "->" + format_value(y.value);
    if (x.refcount != y.refcount) c += " ref " + std::to_string(x.refcount) + "->" + std::to_string(y.refcount);
    if (x.mapcount != y.mapcount) c += " map " + std::to_string(x.mapcount) + "->" + std::to_string(y.mapcount);
    if (x.has(FrameFlag::DirectMap) != y.has(FrameFlag::DirectMap)) {
      c += y.has(FrameFlag::DirectMap) ? " +directmap" : " -directmap";
    }
    if (x.has(FrameFlag::PolicyMark) != y.has(FrameFlag::PolicyMark)) c += y.has(FrameFlag::PolicyMark) ? " +mark" : " -mark";
    if (!c.empty()) out.push_back("f" + std::to_string(i) + c);
  }
  for (size_t i = 0; i < a.swap.slots.size(); ++i) {
    const SwapSlot& x = a.swap.slots[i];
    const SwapSlot& y = b.swap.slots[i];
    std::string c;
    if (x.state != y.state) c += y.state == SwapSlot::State::Free ? " freed" : " used";
    if (x.value != y.value) c += " val " + format_value(x.value) + "->" + format_value(y.value);
    if (!c.empty()) out.push_back("slot" + std::to_string(i) + c);
  }
  if (a.image != b.image) out.push_back("image written (" + std::to_string(b.image.values.size()) + " pages)");
}

}  // namespace

Trace build_trace(const Program& prog, const Path& path) {
  Trace tr;
  std::string violation;
  State s = prog.initial(&violation);
  const litmus::Test& t = *prog.test;
  for (Transition step : path) {
    std::vector<Transition> succ = prog.successors(s);
    if (std::find(succ.begin(), succ.end(), step) == succ.end()) return tr;
    const bool first = s.threads[step.thread].pending.empty();
    const litmus::Thread& th = t.threads[step.thread];
    const World before = s.world;
    Program::Ran ran = prog.step(s, step);
    TraceStep ts;
    ts.actor = litmus::actor_name(t, ran.actor);
    const bool generated = !first || op_is<ReclaimPage>(ran.op);
    ts.op = generated ? generated_op_text(t, before, ran.op)
                      : litmus::print_op(t, Step{th.actor, ran.op, RegId::none(), 0});
    ts.result = litmus::format_result(ran.result) + (ran.completes ? "" : " (op continues)");
    frame_changes(before, s.world, ts.changes);
    ts.lanes.push_back(ts.actor);
    tr.steps.push_back(std::move(ts));
  }
  tr.final_frames = format_frames(s.world);
  tr.ok = true;
  return tr;
}

std::string shell_word(const std::string& text) {
  const bool plain = !text.empty() && text[0] != '-' && std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::string_view("_./+,:=@%-").find(c) != std::string_view::npos;
  });
  if (plain) return text;
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string replay_command(const Program& prog, const Path& path) {
  const std::string& file = prog.test->file;
  return "mmsim run --policy " + std::string(policy_name(prog.policy)) + " --trace --replay " +
         path_to_string(path) + " " + (!file.empty() && file[0] == '-' ? "-- " : "") + shell_word(file);
}

std::string trace_text(const Trace& t, const std::string& indent) {
  std::string out;
  for (size_t i = 0; i < t.steps.size(); ++i) {
    const TraceStep& s = t.steps[i];
    out += indent + std::to_string(i + 1) + ". " + s.actor + ": " + s.op + " -> " + s.result;
    if (!s.changes.empty()) {
      out += "   [";
      for (size_t k = 0; k < s.changes.size(); ++k) out += (k ? "; " : "") + s.changes[k];
      out += "]";
    }
    out += "\n";
  }
  return out;
}

Json trace_json(const Trace& t) {
  Json steps = Json::array();
  for (size_t i = 0; i < t.steps.size(); ++i) {
    const TraceStep& s = t.steps[i];
    steps.push_back(Json{{"step", i + 1}, {"actor", s.actor}, {"op", s.op}, {"result", s.result}, {"changes", s.changes}});
  }
  return steps;
}

}  // namespace mmsim::model
