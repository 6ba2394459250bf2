// The career ladder: career levels joined by promotion steps, held as a
// directed graph so that branching tracks (IC -> manager) are first-class.
#pragma once

#include <calibra/error.hpp>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/topological_sort.hpp>

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace calibra {

enum class track { ic, manager };

inline std::string_view to_string(track t) { return t == track::ic ? "ic" : "manager"; }
inline std::optional<track> parse_track(std::string_view text) {
  if (text == "ic") return track::ic;
  if (text == "manager") return track::manager;
  return std::nullopt;
}

struct career_level {
  std::string id;
  std::string name;
  calibra::track track = track::ic;
  int rank = 1;  // seniority; an IC and a manager level of equal rank are peers
};

/// A promotion from one career level to the next, by index into the ladder.
struct step {
  std::size_t from = 0;
  std::size_t to = 0;
};

class career_ladder {
 public:
  using graph_type = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS>;

  career_ladder() = default;

  /// Throws validation_error for duplicate ids, unknown step ends, a step that
  /// goes down in rank, a repeated step, or a cycle.
  career_ladder(std::vector<career_level> levels, const std::vector<std::pair<std::string, std::string>>& steps)
      : levels_(std::move(levels)), graph_(levels_.size()) {
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
      if (boost::edge(*from, *to, graph_).second) fail(at, "step " + from_id + " -> " + to_id + " is listed twice");
      boost::add_edge(*from, *to, graph_);
      steps_.push_back({*from, *to});
    }
    std::vector<std::size_t> order;
    try {
      boost::topological_sort(graph_, std::back_inserter(order));
    } catch (const boost::not_a_dag&) {
      fail("/steps", "the promotion steps form a cycle");
    }
  }

  const std::vector<career_level>& levels() const { return levels_; }
  const std::vector<step>& steps() const { return steps_; }
  const graph_type& graph() const { return graph_; }
  std::size_t size() const { return levels_.size(); }

  std::optional<std::size_t> index_of(std::string_view id) const {
    for (std::size_t i = 0; i < levels_.size(); ++i)
      if (levels_[i].id == id) return i;
    return std::nullopt;
  }

  /// Career levels reachable by one promotion from `level`.
  std::vector<std::size_t> next(std::size_t level) const {
    std::vector<std::size_t> out;
    for (auto [e, end] = boost::out_edges(level, graph_); e != end; ++e) out.push_back(boost::target(*e, graph_));
    return out;
  }

  /// Levels of one track, by rank then declaration order.
  std::vector<std::size_t> track_levels(calibra::track t) const {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < levels_.size(); ++i)
      if (levels_[i].track == t) out.push_back(i);
    std::stable_sort(out.begin(), out.end(),
                     [&](std::size_t a, std::size_t b) { return levels_[a].rank < levels_[b].rank; });
    return out;
  }

  /// The IC level of the same rank as `level`, if there is one.
  std::optional<std::size_t> ic_peer(std::size_t level) const {
    for (std::size_t i = 0; i < levels_.size(); ++i)
      if (i != level && levels_[i].track == track::ic && levels_[i].rank == levels_[level].rank) return i;
    return std::nullopt;
  }

  /// The career levels along the promotion path from `from` to `to`, both
  /// included, following steps forward.  Empty when `to` cannot be reached
  /// by promotions from `from` (e.g. a lateral move between tracks).
  std::vector<std::size_t> path(std::size_t from, std::size_t to) const {
    if (from >= size() || to >= size()) throw invalid_argument("ladder", "career level index out of range");
    const std::size_t none = size();
    std::vector<std::size_t> predecessor(size(), none);
    predecessor[from] = from;
    boost::breadth_first_search(
        graph_, boost::vertex(from, graph_),
        boost::visitor(boost::make_bfs_visitor(boost::record_predecessors(predecessor.data(), boost::on_tree_edge()))));
    if (predecessor[to] == none) return {};
    std::vector<std::size_t> out{to};
    while (out.back() != from) out.push_back(predecessor[out.back()]);
    std::reverse(out.begin(), out.end());
    return out;
  }

 private:
  [[noreturn]] static void fail(const std::string& pointer, const std::string& message) {
    throw validation_error("framework", pointer + ": " + message);
  }

  std::vector<career_level> levels_;
  std::vector<step> steps_;
  graph_type graph_;
};

}  // namespace calibra
