// model/report/report_svg.cpp: sequence diagrams of traces. See report_svg.h.
//
// Layout, left to right: the step numbers, the lanes, the change column. Text is monospace and
// its width is estimated generously (7.5 px per character at 12 px), so boxes hold their text
// in any common monospace font. Long labels wrap at spaces (or are cut when one word is wider
// than a line); nothing is truncated.
#include "model/report/report_svg.h"

#include <algorithm>

namespace mmsim::model {

const char* const kTraceSvgStyle = R"css(
svg.seq{font-family:'DejaVu Sans Mono','Liberation Mono',Menlo,Consolas,monospace;font-size:12px;
  background:#fff;display:block}
svg.seq .zebra{fill:#f3f5f8}
svg.seq .life{stroke:#9aa4b2;stroke-dasharray:4 3}
svg.seq .hd-process{fill:#dbe9fb;stroke:#3b6fb6}
svg.seq .hd-device{fill:#ecdff9;stroke:#7b4bb7}
svg.seq .hd-system{fill:#e6e6e6;stroke:#666}
svg.seq .hdt{font-weight:bold}
svg.seq .box{fill:#fff;stroke:#7d8796}
svg.seq .num,svg.seq .key{fill:#7a8290}
svg.seq .sep{stroke:#c5cbd3}
svg.seq .arr{stroke:#555;fill:none}
svg.seq .arrh{fill:#555}
svg.seq .res-ok{fill:#1a7f37;font-weight:bold}
svg.seq .res-err{fill:#c62828;font-weight:bold}
svg.seq .res-val{fill:#1f4fa3;font-weight:bold}
svg.seq .res-cont{fill:#7a8290}
svg.seq .fr{font-weight:bold}
svg.seq .freed{fill:#c62828;font-weight:bold}
svg.seq .alloc{fill:#1a7f37;font-weight:bold}
svg.seq .final{fill:#333}
)css";

std::string html_escape(const std::string& s) {
  std::string o;
  o.reserve(s.size());
  for (char ch : s) {
    switch (ch) {
      case '&':
        o += "&amp;";
        break;
      case '<':
        o += "&lt;";
        break;
      case '>':
        o += "&gt;";
        break;
      case '"':
        o += "&quot;";
        break;
      case '\'':
        o += "&#39;";
        break;
      default:
        o += ch;
    }
  }
  return o;
}

namespace {

constexpr int kCharW2 = 15;         // twice the assumed advance of one character (7.5 px)
constexpr int kLineH = 16;          // one text line
constexpr int kPadX = 8;            // inside a box, each side
constexpr int kGap = 20;            // between the boxes of two lanes
constexpr int kNumW = 36;           // the step-number column
constexpr int kTop = 46;            // the lane headers
constexpr size_t kLabelCols = 36;   // op labels wrap here
constexpr size_t kChangeCols = 64;  // change lines wrap here
constexpr const char* kChangeTitle = "frame and swap changes";

int text_w(size_t cols) {
  return static_cast<int>(cols) * kCharW2 / 2;
}
std::string num(int v) {
  return std::to_string(v);
}

size_t columns(const std::string& s) {  // UTF-8 code points
  return static_cast<size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

size_t prefix_bytes(const std::string& s, size_t cols) {  // bytes of the first `cols` code points
  size_t i = 0;
  for (size_t seen = 0; i < s.size(); ++i) {
    if ((s[i] & 0xC0) != 0x80 && seen++ == cols) break;
  }
  return i;
}

struct Tok {
  std::string text;
  std::string cls;  // CSS class, or empty
};
using Line = std::vector<Tok>;

size_t line_cols(const Line& l) {
  size_t n = l.empty() ? 0 : l.size() - 1;
  for (const Tok& t : l) n += columns(t.text);
  return n;
}

size_t widest(const std::vector<Line>& lines) {
  size_t w = 0;
  for (const Line& l : lines) w = std::max(w, line_cols(l));
  return w;
}

// Greedy wrap at token boundaries; a token wider than a line is cut into line-wide pieces.
std::vector<Line> wrap(const std::vector<Tok>& toks, size_t width) {
  std::vector<Line> lines(1);
  size_t used = 0;
  auto place = [&](Tok t) {
    const size_t w = columns(t.text);
    if (used > 0 && used + 1 + w > width) {
      lines.emplace_back();
      used = 0;
    }
    used += (used ? 1 : 0) + w;
    lines.back().push_back(std::move(t));
  };
  for (const Tok& t : toks) {
    std::string rest = t.text;
    while (columns(rest) > width) {
      const size_t cut = prefix_bytes(rest, width);
      place({rest.substr(0, cut), t.cls});
      rest = rest.substr(cut);
    }
    if (!rest.empty()) place({rest, t.cls});
  }
  return lines;
}

std::vector<std::string> words_lines(const std::string& s) {
  std::vector<std::string> out;
  size_t at = 0;
  for (size_t nl = s.find('\n'); nl != std::string::npos; at = nl + 1, nl = s.find('\n', at)) {
    if (nl > at) out.push_back(s.substr(at, nl - at));
  }
  if (at < s.size()) out.push_back(s.substr(at));
  return out;
}

std::vector<std::string> words(const std::string& s) {
  std::vector<std::string> out;
  std::string w;
  for (char c : s) {
    if (c == ' ') {
      if (!w.empty()) out.push_back(w);
      w.clear();
    } else {
      w += c;
    }
  }
  if (!w.empty()) out.push_back(w);
  return out;
}

const char* result_class(const std::string& r) {
  if (r.find("(op continues)") != std::string::npos) return "res-cont";
  if (r == "ok") return "res-ok";
  if (r == "SEGV" || (r.size() > 1 && r[0] == 'E' && std::all_of(r.begin(), r.end(), [](char c) {
                        return c >= 'A' && c <= 'Z';
                      }))) {
    return "res-err";
  }
  return "res-val";
}

std::vector<Line> label_lines(const TraceStep& s) {
  std::vector<Tok> toks;
  for (std::string& w : words(s.op)) toks.push_back({std::move(w), ""});
  const char* cls = result_class(s.result);
  toks.push_back({"\xE2\x86\x92", "key"});  // the arrow before the result
  for (std::string& w : words(s.result)) toks.push_back({std::move(w), cls});
  return wrap(toks, kLabelCols);
}

// "f0 val 0x5EC7->0 ref 1->0 freed" as tokens: the frame in bold, field names grey, "->" as an
// arrow, freed in red and allocated in green.
std::vector<Line> change_lines(const std::vector<std::string>& changes) {
  std::vector<Line> out;
  for (const std::string& c : changes) {
    std::vector<Tok> toks;
    for (std::string& w : words(c)) {
      std::string cls = toks.empty() ? "fr" : "";
      if (w == "freed") cls = "freed";
      if (w == "allocated" || w == "used") cls = "alloc";
      if (w == "val" || w == "ref" || w == "map") cls = "key";
      for (size_t at = w.find("->"); at != std::string::npos; at = w.find("->", at))
        w.replace(at, 2, "\xE2\x86\x92");
      toks.push_back({std::move(w), cls});
    }
    for (Line& l : wrap(toks, kChangeCols)) out.push_back(std::move(l));
  }
  return out;
}

std::string text_line(const Line& l, int x, int y, const char* anchor, const char* cls) {
  std::string s = "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\"";
  if (*anchor) s += " text-anchor=\"" + std::string(anchor) + "\"";
  if (*cls) s += " class=\"" + std::string(cls) + "\"";
  s += ">";
  for (size_t i = 0; i < l.size(); ++i) {
    if (i) s += ' ';
    if (l[i].cls.empty()) {
      s += html_escape(l[i].text);
    } else {
      s += "<tspan class=\"" + l[i].cls + "\">" + html_escape(l[i].text) + "</tspan>";
    }
  }
  return s + "</text>";
}

// The lane an op acts on besides its actor's: the process of fork, kill, reclaim, migrate,
// a page step of a teardown, or a power transition.
std::string target_of(const std::string& op) {
  const std::vector<std::string> w = words(op);
  if (w.size() < 2) return "";
  std::string t;
  if (w[0] == "fork" || w[0] == "kill" || w[0] == "reclaim" || w[0] == "migrate" ||
      w[0] == "teardown")
    t = w[1];
  auto on = std::find(w.begin(), w.end(), "on");
  if (w[0] == "power:" && on != w.end() && on + 1 != w.end()) t = *(on + 1);
  if (!t.empty() && t.back() == ':') t.pop_back();
  return t;
}

struct Row {
  size_t lane = 0;
  std::vector<Line> label, changes;
  int y = 0, h = 0;
};

struct Layout {
  std::vector<Lane> lanes;
  std::vector<int> centre;  // x of each lifeline
  int lanes_right = 0, changes_x = 0, width = 0, height = 0;
  std::vector<Row> rows;
  std::vector<Line> final_lines;
  int final_y = 0;
};

size_t lane_of(std::vector<Lane>& lanes, const std::string& actor) {
  auto it =
      std::find_if(lanes.begin(), lanes.end(), [&](const Lane& l) { return l.actor == actor; });
  if (it != lanes.end()) return static_cast<size_t>(it - lanes.begin());
  lanes.push_back({actor, actor == "system" ? "system" : "process"});
  return lanes.size() - 1;
}

Layout layout(const Trace& t, const std::vector<Lane>& lanes) {
  Layout L{lanes, {}, 0, 0, 0, 0, {}, {}, 0};
  for (const TraceStep& s : t.steps)
    L.rows.push_back({lane_of(L.lanes, s.actor), label_lines(s), change_lines(s.changes), 0, 0});
  std::vector<int> lane_w(L.lanes.size());
  for (size_t i = 0; i < L.lanes.size(); ++i)
    lane_w[i] = std::max(text_w(columns(L.lanes[i].actor)) + 2 * kPadX, 70);
  size_t change_cols = columns(kChangeTitle);
  for (const Row& r : L.rows) {
    lane_w[r.lane] = std::max(lane_w[r.lane], text_w(widest(r.label)) + 2 * kPadX);
    change_cols = std::max(change_cols, widest(r.changes));
  }
  for (const std::string& f : words_lines(t.final_frames))
    change_cols = std::max(change_cols, columns(f));
  int x = kNumW;
  for (int w : lane_w) {
    L.centre.push_back(x + (w + kGap) / 2);
    x += w + kGap;
  }
  L.lanes_right = x;
  L.changes_x = x + 10;
  L.width = L.changes_x + text_w(change_cols) + 2 * kPadX;
  int y = kTop;
  for (Row& r : L.rows) {
    r.y = y;
    r.h = static_cast<int>(std::max({r.label.size(), r.changes.size(), size_t{1}})) * kLineH + 12;
    y += r.h;
  }
  if (L.rows.empty()) y += kLineH + 12;  // room for the note that there is no step
  for (const std::string& f : words_lines(t.final_frames)) L.final_lines.push_back({{f, "final"}});
  L.final_y = y;
  L.height = y + (L.final_lines.empty() ? 8 : static_cast<int>(L.final_lines.size()) * kLineH + 16);
  return L;
}

std::string rect(int x, int y, int w, int h, const std::string& cls, int r) {
  return "<rect x=\"" + num(x) + "\" y=\"" + num(y) + "\" width=\"" + num(w) + "\" height=\"" +
         num(h) + (r ? "\" rx=\"" + num(r) : "") + "\" class=\"" + cls + "\"/>";
}

std::string hline(int x1, int x2, int y, const char* cls) {
  return "<line x1=\"" + num(x1) + "\" y1=\"" + num(y) + "\" x2=\"" + num(x2) + "\" y2=\"" +
         num(y) + "\" class=\"" + cls + "\"/>";
}

// Zebra stripes, lifelines, lane headers and the change column's title.
std::string backdrop(const Layout& L) {
  std::string s;
  for (size_t k = 1; k < L.rows.size(); k += 2)
    s += rect(0, L.rows[k].y, L.width, L.rows[k].h, "zebra", 0);
  for (size_t i = 0; i < L.lanes.size(); ++i) {
    const int x = L.centre[i];
    s += "<line x1=\"" + num(x) + "\" y1=\"34\" x2=\"" + num(x) + "\" y2=\"" + num(L.final_y) +
         "\" class=\"life\"/>";
    const int w = std::max(text_w(columns(L.lanes[i].actor)) + 2 * kPadX, 56);
    s += rect(x - w / 2, 8, w, 26, "hd-" + L.lanes[i].kind, 5);
    s += text_line({{L.lanes[i].actor, "hdt"}}, x, 25, "middle", "");
  }
  s += text_line({{"#", ""}}, kNumW - 10, 25, "end", "num");
  s += text_line({{kChangeTitle, "hdt"}}, L.changes_x + kPadX, 25, "", "");
  s += "<line x1=\"" + num(L.changes_x) + "\" y1=\"8\" x2=\"" + num(L.changes_x) + "\" y2=\"" +
       num(L.height - 4) + "\" class=\"sep\"/>";
  return s;
}

// An arrow from the box (half width bw) on lane `from` to the lifeline of lane `to`, at height y.
std::string arrow(const Layout& L, size_t from, size_t to, int bw, int y) {
  const bool right = L.centre[to] > L.centre[from];
  const int x1 = L.centre[from] + (right ? bw : -bw);
  const int x2 = L.centre[to];
  const int back = right ? x2 - 8 : x2 + 8;
  return hline(x1, back, y, "arr") + "<polygon points=\"" + num(x2) + "," + num(y) + " " +
         num(back) + "," + num(y - 4) + " " + num(back) + "," + num(y + 4) + "\" class=\"arrh\"/>";
}

std::string row_svg(const Layout& L, const Row& r, size_t k, const std::string& target) {
  std::string s;
  const int x = L.centre[r.lane];
  const int bw = text_w(widest(r.label)) + 2 * kPadX;
  const int bh = static_cast<int>(r.label.size()) * kLineH + 4;
  for (size_t i = 0; i < L.lanes.size(); ++i) {
    if (L.lanes[i].actor == target && i != r.lane)
      s += arrow(L, r.lane, i, bw / 2, r.y + 4 + bh / 2);
  }
  s += rect(x - bw / 2, r.y + 4, bw, bh, "box", 4);
  const int base = r.y + 2 + kLineH;
  s += text_line({{std::to_string(k + 1), ""}}, kNumW - 10, base, "end", "num");
  for (size_t j = 0; j < r.label.size(); ++j)
    s += text_line(r.label[j], x, base + static_cast<int>(j) * kLineH, "middle", "");
  for (size_t j = 0; j < r.changes.size(); ++j) {
    s += text_line(r.changes[j], L.changes_x + kPadX, base + static_cast<int>(j) * kLineH, "", "");
  }
  return s;
}

std::string final_svg(const Layout& L) {
  if (L.final_lines.empty()) return "";
  std::string s = hline(0, L.width, L.final_y + 4, "sep");
  const int base = L.final_y + 6 + kLineH;
  s += text_line({{"frames at the end", "key"}}, L.changes_x - kPadX, base, "end", "");
  for (size_t j = 0; j < L.final_lines.size(); ++j) {
    s += text_line(L.final_lines[j], L.changes_x + kPadX, base + static_cast<int>(j) * kLineH, "",
                   "");
  }
  return s;
}

}  // namespace

std::string trace_svg(const Trace& t, const std::vector<Lane>& lanes, const std::string& label) {
  const Layout L = layout(t, lanes);
  std::string s = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"seq\" width=\"" +
                  num(L.width) + "\" height=\"" + num(L.height) + "\" viewBox=\"0 0 " +
                  num(L.width) + " " + num(L.height) + "\" role=\"img\" aria-label=\"" +
                  html_escape(label) + "\">";
  s += backdrop(L);
  for (size_t k = 0; k < L.rows.size(); ++k)
    s += row_svg(L, L.rows[k], k, target_of(t.steps[k].op));
  if (L.rows.empty())
    s += text_line({{"no step after init: the initial state is final", "key"}}, kNumW, kTop + 16,
                   "", "");
  return s + final_svg(L) + "</svg>";
}

}  // namespace mmsim::model
