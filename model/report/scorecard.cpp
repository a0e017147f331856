// model/report/scorecard.cpp: promises (tags) x policies, derived from the promise checks of the
// tests that carry each tag. See compare.h for the rule and docs/report.md for its reading.
#include <algorithm>
#include <set>

#include "model/report/compare.h"

namespace mmsim::model {

std::vector<std::string> promise_tags(const Comparison& c) {
  std::set<std::string> tags;
  for (const litmus::Test* t : c.tests) {
    for (const litmus::Check& k : t->checks) {
      for (const auto& [tag, kept_if_holds] : k.promises) tags.insert(tag);
    }
  }
  return {tags.begin(), tags.end()};
}

// Runs with a model error or a partial search give no evidence either way: their verdicts are
// not trustworthy, and the matrix and the summary show them.
ScoreCell score(const Comparison& c, const std::string& tag, PolicyId p) {
  ScoreCell cell;
  for (const PolicyRun& r : c.runs) {
    if (r.policy != p || r.error || r.partial) continue;
    for (size_t i = 0; i < r.checks.size(); ++i) {
      const auto& promises = r.test->checks[i].promises;
      auto it = promises.find(tag);
      if (it == promises.end()) continue;  // this check does not state the promise
      cell.evidence++;
      if (r.checks[i].holds == it->second) continue;  // kept
      cell.failed++;
      if (cell.state != ScoreCell::State::Broken) {
        cell.state = ScoreCell::State::Broken;
        cell.run = &r;
        cell.check = i;
      }
    }
  }
  if (cell.state == ScoreCell::State::Untested && cell.evidence > 0)
    cell.state = ScoreCell::State::Kept;
  return cell;
}

const char* score_word(ScoreCell::State s) {
  switch (s) {
    case ScoreCell::State::Untested:
      return "untested";
    case ScoreCell::State::Kept:
      return "kept";
    case ScoreCell::State::Broken:
      return "broken";
  }
  return "untested";
}

}  // namespace mmsim::model
