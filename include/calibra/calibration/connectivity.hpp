// The rater-ratee network: who rated whom, and whether raters can be
// compared at all.
//
// Severities (severity.hpp) are differences between raters, and the data
// can only tell two raters apart when a chain of shared ratees links them:
// rater A and rater B both rated pm07, B and C both rated pm12, so A and C
// are comparable through B.  The network is the bipartite graph with one
// vertex per rater and per ratee and one edge per (rater, ratee) pair with
// at least one kept rating.  Its connected components are the groups
// within which severities mean something; across components they do not,
// and the result names cross-assignments that would join the groups.
//
//   const rater_network net = analyse_network(table);
//   if (!net.connected())
//     for (const cross_assignment& s : net.suggestions)
//       std::cout << table.raters()[s.rater] << " should also rate " << table.ratees()[s.ratee] << '\n';
//
// Cost: O(ratings log ratings) to collect the distinct (rater, ratee)
// pairs, O(raters + ratees + pairs) for the components and the articulation
// raters (Boost.Graph), and O(sum over ratees of k^2), k = the number of
// raters of the ratee, to count rater pairs without a shared ratee (see
// rater_network::rater_pairs_without_shared_ratee).  Nothing enumerates the
// raters x raters pairs.
#pragma once

#include <calibra/config.hpp>
#include <calibra/calibration/ratings.hpp>
#include <calibra/calibration/scores.hpp>
#include <calibra/calibration/wide_matrix.hpp>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/biconnected_components.hpp>
#include <boost/graph/connected_components.hpp>
#include <boost/property_map/property_map.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <numeric>
#include <utility>
#include <vector>

namespace calibra::calibration {

/// One connected component of the rater-ratee graph.
struct network_component {
  std::vector<std::uint32_t> raters;  // table rater ids, ascending
  std::vector<std::uint32_t> ratees;  // table ratee ids, ascending
  std::size_t ratings = 0;            // kept ratings inside the component
};

/// "`rater` should also rate `ratee`": one new (rater, ratee) pair that
/// joins component `from_component` (the rater's) to `to_component` (the
/// ratee's).
struct cross_assignment {
  std::uint32_t rater = 0;
  std::uint32_t ratee = 0;
  std::size_t from_component = 0;
  std::size_t to_component = 0;
};

struct rater_network {
  static constexpr std::size_t no_component = std::size_t(-1);
  static constexpr std::size_t max_pair_examples = 20;

  /// By table rater id; no_component for raters with no kept rating.
  std::vector<std::size_t> rater_component;
  /// By table ratee id; no_component for ratees with no kept rating.
  std::vector<std::size_t> ratee_component;
  /// Largest (by kept ratings) first; ties by the smallest rater id.
  std::vector<network_component> components;
  /// Raters whose removal would leave the other raters of their component
  /// in two or more groups with no chain of shared ratees between them: the
  /// one rater holding those groups together.  A rater who is merely the
  /// only rater of some ratee is not listed (removing them strands a ratee,
  /// not a rater).  Ascending table ids.
  std::vector<std::uint32_t> articulation_raters;
  /// Pairs of raters (with kept ratings) who rated no ratee in common,
  /// across the whole network (pairs in different components included).
  /// Counted as all pairs minus the pairs that share a ratee; the sharing
  /// pairs are found ratee by ratee, so the cost is the sum over ratees of
  /// (raters of the ratee)^2, never raters^2.
  std::size_t rater_pairs_without_shared_ratee = 0;
  /// Up to max_pair_examples of those pairs (table rater ids, first < second
  /// by id), in ascending order of the first rater.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> pair_examples;
  /// For every component but the largest, two cross-assignments: a rater of
  /// the largest component rates a ratee of the other component, and a rater
  /// of the other component rates a ratee of the largest.  Either alone
  /// connects the two; both give the link two independent ratings.  The
  /// raters and ratees picked are the most active ones (most kept ratings),
  /// taken in turn so that the largest component's busiest rater is not
  /// asked to do all the cross-rating.
  std::vector<cross_assignment> suggestions;

  /// Kept ratings that entered the network.
  std::size_t n_ratings = 0;
  /// Raters and ratees with at least one kept rating.
  std::size_t n_raters = 0;
  std::size_t n_ratees = 0;

  bool connected() const { return components.size() <= 1; }
};

namespace detail {

/// Compressed adjacency: the neighbours of item i are
/// targets[offsets[i] .. offsets[i + 1]).
struct adjacency {
  std::vector<std::size_t> offsets;
  std::vector<std::uint32_t> targets;
};

/// Distinct (first, second) pairs grouped by first, second ascending.
adjacency group_pairs(std::size_t n_first, const std::vector<std::pair<std::uint32_t, std::uint32_t>>& pairs);

/// Articulation raters of the undirected graph `g` whose vertices
/// 0..n_raters-1 are raters: cut vertices whose removal separates raters
/// (not merely a ratee) from each other.  Uses the block-cut forest: every
/// block carries the number of raters inside it that are not cut vertices,
/// every rater cut vertex counts one, and a cut rater separates raters when
/// at least two of the pieces hanging off it in the forest hold a rater.
template <typename Graph>
std::vector<std::size_t> articulation_rater_vertices(const Graph& g, std::size_t n_raters) {
  const std::size_t n_vertices = boost::num_vertices(g);
  std::vector<std::size_t> block_of_edge(boost::num_edges(g));
  auto edge_index = boost::get(boost::edge_index, g);
  auto block_map = boost::make_iterator_property_map(block_of_edge.begin(), edge_index);
  std::vector<std::size_t> cut_vertices;
  const std::size_t n_blocks =
      boost::biconnected_components(g, block_map, std::back_inserter(cut_vertices)).first;
  if (cut_vertices.empty()) return {};

  // Forest nodes: blocks 0..n_blocks-1, then one node per cut vertex.
  std::vector<std::size_t> cut_node(n_vertices, std::size_t(-1));
  for (std::size_t k = 0; k < cut_vertices.size(); ++k) cut_node[cut_vertices[k]] = n_blocks + k;
  const std::size_t n_nodes = n_blocks + cut_vertices.size();
  std::vector<std::size_t> weight(n_nodes, 0);
  for (std::size_t k = 0; k < cut_vertices.size(); ++k) weight[n_blocks + k] = cut_vertices[k] < n_raters ? 1 : 0;

  // Block membership from the edges: a vertex belongs to the blocks of its edges.
  std::vector<std::pair<std::size_t, std::size_t>> links;  // (block, cut node), deduplicated below
  std::vector<std::size_t> seen_in_block(n_vertices, std::size_t(-1));
  std::vector<std::vector<std::size_t>> edges_of_block(n_blocks);
  for (auto [e, end] = boost::edges(g); e != end; ++e)
    edges_of_block[block_of_edge[edge_index[*e]]].push_back(edge_index[*e]);
  std::vector<std::pair<std::size_t, std::size_t>> endpoints(boost::num_edges(g));
  for (auto [e, end] = boost::edges(g); e != end; ++e)
    endpoints[edge_index[*e]] = {boost::source(*e, g), boost::target(*e, g)};
  for (std::size_t b = 0; b < n_blocks; ++b)
    for (std::size_t edge : edges_of_block[b])
      for (std::size_t v : {endpoints[edge].first, endpoints[edge].second}) {
        if (seen_in_block[v] == b) continue;
        seen_in_block[v] = b;
        if (cut_node[v] != std::size_t(-1))
          links.emplace_back(b, cut_node[v]);
        else if (v < n_raters)
          ++weight[b];
      }
  std::vector<std::pair<std::size_t, std::size_t>> both;
  both.reserve(2 * links.size());
  for (const auto& [b, c] : links) {
    both.emplace_back(b, c);
    both.emplace_back(c, b);
  }
  std::sort(both.begin(), both.end());
  adjacency forest;
  {
    std::vector<std::pair<std::uint32_t, std::uint32_t>> narrow;
    narrow.reserve(both.size());
    for (const auto& [a, b] : both) narrow.emplace_back(static_cast<std::uint32_t>(a), static_cast<std::uint32_t>(b));
    forest = group_pairs(n_nodes, narrow);
  }

  // Root every tree of the forest, then add subtree weights bottom-up.
  std::vector<std::size_t> parent(n_nodes, std::size_t(-1)), order, root_of(n_nodes, std::size_t(-1));
  order.reserve(n_nodes);
  for (std::size_t root = 0; root < n_nodes; ++root) {
    if (root_of[root] != std::size_t(-1)) continue;
    root_of[root] = root;
    std::vector<std::size_t> stack{root};
    while (!stack.empty()) {
      const std::size_t node = stack.back();
      stack.pop_back();
      order.push_back(node);
      for (std::size_t k = forest.offsets[node]; k < forest.offsets[node + 1]; ++k) {
        const std::size_t next = forest.targets[k];
        if (root_of[next] != std::size_t(-1)) continue;
        root_of[next] = root;
        parent[next] = node;
        stack.push_back(next);
      }
    }
  }
  std::vector<std::size_t> subtree(weight);
  for (auto it = order.rbegin(); it != order.rend(); ++it)
    if (parent[*it] != std::size_t(-1)) subtree[parent[*it]] += subtree[*it];

  std::vector<std::size_t> out;
  for (std::size_t k = 0; k < cut_vertices.size(); ++k) {
    const std::size_t v = cut_vertices[k];
    if (v >= n_raters) continue;
    const std::size_t node = n_blocks + k;
    std::size_t pieces_with_raters = 0;
    // Pieces below the cut rater: one per child block.
    for (std::size_t j = forest.offsets[node]; j < forest.offsets[node + 1]; ++j) {
      const std::size_t child = forest.targets[j];
      if (child != parent[node] && subtree[child] > 0) ++pieces_with_raters;
    }
    // The piece above it: the rest of its tree.
    if (parent[node] != std::size_t(-1) && subtree[root_of[node]] - subtree[node] > 0) ++pieces_with_raters;
    if (pieces_with_raters >= 2) out.push_back(v);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace detail

/// The rater-ratee network of the ratings `filter` keeps.  An empty
/// `filter.roles` means external_roles() (self ratings connect nobody).
rater_network analyse_network(const ratings_table& table, const ratings_filter& filter = {});

}  // namespace calibra::calibration

#ifdef CALIBRA_HEADER_ONLY
#  include <calibra/calibration/connectivity-inl.hpp>
#endif
