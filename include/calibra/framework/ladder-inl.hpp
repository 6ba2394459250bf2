// Implementation of <calibra/framework/ladder.hpp>.  Compiled once into the library, or included
// by that header when CALIBRA_HEADER_ONLY is defined (see config.hpp).
#pragma once

#include <calibra/framework/ladder.hpp>

#include <calibra/error.hpp>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/topological_sort.hpp>

#include <algorithm>
#include <deque>
#include <cstddef>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>


namespace calibra {

namespace detail {
// Boost.Graph stays inside the implementation: the ladder keeps plain
// adjacency lists and builds the graph only to sort it.
using ladder_graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS>;
}  // namespace detail

CALIBRA_INLINE std::string_view to_string(track t) { return t == track::ic ? "ic" : "manager"; }

CALIBRA_INLINE std::optional<track> parse_track(std::string_view text) {
  if (text == "ic") return track::ic;
  if (text == "manager") return track::manager;
  return std::nullopt;
}

CALIBRA_INLINE career_ladder::career_ladder(std::vector<career_level> levels,
                                            const std::vector<std::pair<std::string, std::string>>& steps)
    : levels_(std::move(levels)), next_(levels_.size()), previous_(levels_.size()) {
  for (std::size_t i = 0; i < levels_.size(); ++i) {
    const std::string at = "/career_levels/" + std::to_string(i);
    if (levels_[i].id.empty()) fail(at + "/id", "id must not be empty");
    if (levels_[i].rank < 1) fail(at + "/rank", "rank must be 1 or more");
    for (std::size_t j = 0; j < i; ++j)
      if (levels_[i].id == levels_[j].id)
        fail(at + "/id", "duplicate id '" + levels_[i].id + "' (first used at /career_levels/" +
                             std::to_string(j) + ")");
  }
  for (std::size_t k = 0; k < steps.size(); ++k) {
    const auto& [from_id, to_id] = steps[k];
    const std::string at = "/steps/" + std::to_string(k);
    const auto from = index_of(from_id);
    const auto to = index_of(to_id);
    if (!from) fail(at + "/from", "unknown career level '" + from_id + "'");
    if (!to) fail(at + "/to", "unknown career level '" + to_id + "'");
    if (levels_[*to].rank < levels_[*from].rank) fail(at, "step " + from_id + " -> " + to_id + " goes down in rank");
    if (*from == *to) fail(at, "step " + from_id + " -> " + to_id + " is a loop");
    if (std::find(next_[*from].begin(), next_[*from].end(), *to) != next_[*from].end())
      fail(at, "step " + from_id + " -> " + to_id + " is listed twice");
    next_[*from].push_back(*to);
    previous_[*to].push_back(*from);
    steps_.push_back({*from, *to});
  }
  detail::ladder_graph graph(levels_.size());
  for (const step& s : steps_) boost::add_edge(s.from, s.to, graph);
  std::vector<std::size_t> order;
  try {
    boost::topological_sort(graph, std::back_inserter(order));
  } catch (const boost::not_a_dag&) {
    fail("/steps", "the promotion steps form a cycle");
  }
}

CALIBRA_INLINE auto career_ladder::index_of(std::string_view id) const -> std::optional<std::size_t> {
  for (std::size_t i = 0; i < levels_.size(); ++i)
    if (levels_[i].id == id) return i;
  return std::nullopt;
}

CALIBRA_INLINE auto career_ladder::track_levels(calibra::track t) const -> std::vector<std::size_t> {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < levels_.size(); ++i)
    if (levels_[i].track == t) out.push_back(i);
  std::stable_sort(out.begin(), out.end(),
                   [&](std::size_t a, std::size_t b) { return levels_[a].rank < levels_[b].rank; });
  return out;
}

CALIBRA_INLINE auto career_ladder::ic_peer(std::size_t level) const -> std::optional<std::size_t> {
  for (std::size_t i = 0; i < levels_.size(); ++i)
    if (i != level && levels_[i].track == track::ic && levels_[i].rank == levels_[level].rank) return i;
  return std::nullopt;
}

CALIBRA_INLINE auto career_ladder::path(std::size_t from, std::size_t to) const -> std::vector<std::size_t> {
  if (from >= size() || to >= size()) throw invalid_argument("ladder", "career level index out of range");
  const std::size_t none = size();
  std::vector<std::size_t> predecessor(size(), none);
  predecessor[from] = from;
  // Breadth-first over the steps: the first predecessor recorded for a
  // level lies on a shortest promotion path to it.
  std::deque<std::size_t> queue{from};
  while (!queue.empty()) {
    const std::size_t level = queue.front();
    queue.pop_front();
    for (std::size_t n : next_[level])
      if (predecessor[n] == none) {
        predecessor[n] = level;
        queue.push_back(n);
      }
  }
  if (predecessor[to] == none) return {};
  std::vector<std::size_t> out{to};
  while (out.back() != from) out.push_back(predecessor[out.back()]);
  std::reverse(out.begin(), out.end());
  return out;
}

[[noreturn]] CALIBRA_INLINE auto career_ladder::fail(const std::string& pointer, const std::string& message) -> void {
  throw validation_error("framework", pointer + ": " + message);
}

}  // namespace calibra
