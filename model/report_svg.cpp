// model/report_svg.cpp: sequence diagrams of traces. See report_svg.h.
#include "model/report_svg.h"

#include <algorithm>

namespace mmsim::model {
namespace {

std::string esc(const std::string& s) {
  std::string o;
  for (char ch : s) {
    if (ch == '&') o += "&amp;";
    else if (ch == '<') o += "&lt;";
    else if (ch == '>') o += "&gt;";
    else if (ch == '"') o += "&quot;";
    else o += ch;
  }
  return o;
}

}  // namespace

std::string trace_svg(const Trace& t) {
  std::vector<std::string> lanes;
  for (const TraceStep& s : t.steps) {
    if (std::find(lanes.begin(), lanes.end(), s.actor) == lanes.end()) lanes.push_back(s.actor);
  }
  std::sort(lanes.begin(), lanes.end(), [](const std::string& a, const std::string& b) {
    auto rank = [](const std::string& n) { return n == "system" ? 2 : (n.size() && n[0] == 'D') ? 1 : 0; };
    return rank(a) != rank(b) ? rank(a) < rank(b) : a < b;
  });
  const int lane_w = 150, row_h = 26, top = 30;
  const int width = static_cast<int>(lanes.size()) * lane_w + 520;
  const int height = top + static_cast<int>(t.steps.size()) * row_h + 20;
  std::string svg = "<svg class=\"seq\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" + std::to_string(width) +
                    "\" height=\"" + std::to_string(height) + "\" font-family=\"monospace\" font-size=\"11\">";
  for (size_t i = 0; i < lanes.size(); ++i) {
    const int x = static_cast<int>(i) * lane_w + lane_w / 2;
    svg += "<text x=\"" + std::to_string(x) + "\" y=\"16\" text-anchor=\"middle\" font-weight=\"bold\">" + esc(lanes[i]) + "</text>";
    svg += "<line x1=\"" + std::to_string(x) + "\" y1=\"22\" x2=\"" + std::to_string(x) + "\" y2=\"" + std::to_string(height - 5) +
           "\" stroke=\"#999\" stroke-dasharray=\"3,3\"/>";
  }
  for (size_t k = 0; k < t.steps.size(); ++k) {
    const TraceStep& s = t.steps[k];
    const size_t lane = static_cast<size_t>(std::find(lanes.begin(), lanes.end(), s.actor) - lanes.begin());
    const int x = static_cast<int>(lane) * lane_w + lane_w / 2;
    const int y = top + static_cast<int>(k) * row_h + 14;
    svg += "<circle cx=\"" + std::to_string(x) + "\" cy=\"" + std::to_string(y - 4) + "\" r=\"4\" fill=\"#36c\"/>";
    svg += "<text x=\"" + std::to_string(x + 8) + "\" y=\"" + std::to_string(y) + "\">" + std::to_string(k + 1) + ". " +
           esc(s.op) + " &#8594; " + esc(s.result) + "</text>";
    std::string changes;
    for (const std::string& c : s.changes) changes += (changes.empty() ? "" : "; ") + c;
    svg += "<text x=\"" + std::to_string(static_cast<int>(lanes.size()) * lane_w + 10) + "\" y=\"" + std::to_string(y) +
           "\" fill=\"#a33\">" + esc(changes) + "</text>";
  }
  return svg + "</svg>";
}

}  // namespace mmsim::model
