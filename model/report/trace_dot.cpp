// model/report/trace_dot.cpp: a trace as a Graphviz graph, built with Boost.Graph and written by
// boost::write_graphviz. Vertex i is the state after i steps; edge i is step i + 1.
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/graphviz.hpp>
#include <sstream>

#include "model/report/trace_dot.h"

namespace mmsim::model {
namespace {

struct VertexInfo {
  std::string label;
};
struct EdgeInfo {
  std::string label;
};
using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS, VertexInfo, EdgeInfo>;

}  // namespace

std::string trace_dot(const Trace& t) {
  Graph g;
  boost::add_vertex(VertexInfo{"initial"}, g);
  for (size_t i = 0; i < t.steps.size(); ++i) {
    const TraceStep& s = t.steps[i];
    std::string changes;
    for (const std::string& c : s.changes) changes += c + "\\n";
    auto v = boost::add_vertex(VertexInfo{"after step " + std::to_string(i + 1) + "\\n" + changes}, g);
    boost::add_edge(v - 1, v, EdgeInfo{std::to_string(i + 1) + ". " + s.actor + ": " + s.op + " -> " + s.result}, g);
  }
  std::ostringstream out;
  boost::write_graphviz(out, g, boost::make_label_writer(boost::get(&VertexInfo::label, g)),
                        boost::make_label_writer(boost::get(&EdgeInfo::label, g)));
  return out.str();
}

}  // namespace mmsim::model
