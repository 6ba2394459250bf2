// Implementation of <calibra/calibration/connectivity.hpp>.  Compiled once into the library, or included
// by that header when CALIBRA_HEADER_ONLY is defined (see config.hpp).
#pragma once

#include <calibra/calibration/connectivity.hpp>

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


namespace calibra::calibration::detail {


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

CALIBRA_INLINE adjacency group_pairs(std::size_t n_first,
                                     const std::vector<std::pair<std::uint32_t, std::uint32_t>>& pairs) {
  adjacency out;
  out.offsets.assign(n_first + 1, 0);
  for (const auto& p : pairs) ++out.offsets[p.first + 1];
  std::partial_sum(out.offsets.begin(), out.offsets.end(), out.offsets.begin());
  out.targets.resize(pairs.size());
  std::vector<std::size_t> next(out.offsets.begin(), out.offsets.end() - 1);
  for (const auto& p : pairs) out.targets[next[p.first]++] = p.second;
  return out;
}

}  // namespace calibra::calibration::detail

namespace calibra::calibration {

CALIBRA_INLINE rater_network analyse_network(const ratings_table& table, const ratings_filter& filter) {
ratings_filter keep = filter;
if (keep.roles.empty()) keep.roles = external_roles();

rater_network net;
net.rater_component.assign(table.raters().size(), rater_network::no_component);
net.ratee_component.assign(table.ratees().size(), rater_network::no_component);

// Distinct (rater, ratee) pairs, and kept ratings per rater and ratee.
std::vector<std::size_t> rater_ratings(table.raters().size(), 0), ratee_ratings(table.ratees().size(), 0);
std::vector<std::uint64_t> keys;
for (std::size_t row = 0; row < table.size(); ++row) {
  if (!keep.keeps(table, row)) continue;
  ++rater_ratings[table.rater(row)];
  ++ratee_ratings[table.ratee(row)];
  keys.push_back((std::uint64_t{table.rater(row)} << 32) | table.ratee(row));
}
  net.n_ratings = keys.size();
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());

  // Compact numbering: present raters 0..R-1 and present ratees 0..E-1, by table id.
  std::vector<std::uint32_t> rater_ids, ratee_ids;
  std::vector<std::uint32_t> rater_index(table.raters().size(), ratings_table::no_id),
      ratee_index(table.ratees().size(), ratings_table::no_id);
  for (std::uint32_t r = 0; r < rater_ratings.size(); ++r)
    if (rater_ratings[r] > 0) {
      rater_index[r] = static_cast<std::uint32_t>(rater_ids.size());
      rater_ids.push_back(r);
    }
  for (std::uint32_t e = 0; e < ratee_ratings.size(); ++e)
    if (ratee_ratings[e] > 0) {
      ratee_index[e] = static_cast<std::uint32_t>(ratee_ids.size());
      ratee_ids.push_back(e);
    }
  const std::size_t n_raters = rater_ids.size(), n_ratees = ratee_ids.size();
  net.n_raters = n_raters;
  net.n_ratees = n_ratees;
  if (n_raters == 0) return net;

  std::vector<std::pair<std::uint32_t, std::uint32_t>> rater_to_ratee, ratee_to_rater;
  rater_to_ratee.reserve(keys.size());
  ratee_to_rater.reserve(keys.size());
  for (std::uint64_t key : keys) {
    const std::uint32_t r = rater_index[key >> 32], e = ratee_index[key & 0xffffffffu];
    rater_to_ratee.emplace_back(r, e);
    ratee_to_rater.emplace_back(e, r);
  }
  // keys are sorted by (rater, ratee), so rater_to_ratee is grouped already;
  // the other direction needs a sort.
  std::sort(ratee_to_rater.begin(), ratee_to_rater.end());
  const detail::adjacency ratees_of = detail::group_pairs(n_raters, rater_to_ratee);
  const detail::adjacency raters_of = detail::group_pairs(n_ratees, ratee_to_rater);

  // The graph: raters are vertices 0..R-1, ratees R..R+E-1.
  using graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS, boost::no_property,
                                      boost::property<boost::edge_index_t, std::size_t>>;
  graph g(n_raters + n_ratees);
  for (std::size_t k = 0; k < rater_to_ratee.size(); ++k)
    boost::add_edge(rater_to_ratee[k].first, n_raters + rater_to_ratee[k].second, k, g);

  std::vector<std::size_t> component_of(n_raters + n_ratees);
  const std::size_t n_components = boost::connected_components(g, component_of.data());

  // Order components by kept ratings (most first), then by smallest rater id.
  std::vector<std::size_t> ratings_in(n_components, 0), first_rater(n_components, std::size_t(-1));
  for (std::size_t r = 0; r < n_raters; ++r) {
    ratings_in[component_of[r]] += rater_ratings[rater_ids[r]];
    first_rater[component_of[r]] = std::min(first_rater[component_of[r]], r);
  }
  std::vector<std::size_t> by_size(n_components);
  std::iota(by_size.begin(), by_size.end(), std::size_t{0});
  std::sort(by_size.begin(), by_size.end(), [&](std::size_t a, std::size_t b) {
    return ratings_in[a] != ratings_in[b] ? ratings_in[a] > ratings_in[b] : first_rater[a] < first_rater[b];
  });
  std::vector<std::size_t> rank(n_components);
  for (std::size_t k = 0; k < n_components; ++k) rank[by_size[k]] = k;
  net.components.resize(n_components);
  for (std::size_t r = 0; r < n_raters; ++r) {
    const std::size_t c = rank[component_of[r]];
    net.rater_component[rater_ids[r]] = c;
    net.components[c].raters.push_back(rater_ids[r]);
    net.components[c].ratings += rater_ratings[rater_ids[r]];
  }
  for (std::size_t e = 0; e < n_ratees; ++e) {
    const std::size_t c = rank[component_of[n_raters + e]];
    net.ratee_component[ratee_ids[e]] = c;
    net.components[c].ratees.push_back(ratee_ids[e]);
  }

  for (std::size_t v : detail::articulation_rater_vertices(g, n_raters))
    net.articulation_raters.push_back(rater_ids[v]);

  // Rater pairs sharing a ratee, counted once each: for rater a, stamp every
  // later rater reached through one of a's ratees.
  std::vector<std::size_t> stamp(n_raters, std::size_t(-1));
  std::size_t sharing_pairs = 0;
  for (std::size_t a = 0; a < n_raters; ++a) {
    std::size_t partners = 0;
    for (std::size_t k = ratees_of.offsets[a]; k < ratees_of.offsets[a + 1]; ++k) {
      const std::uint32_t e = ratees_of.targets[k];
      for (std::size_t j = raters_of.offsets[e]; j < raters_of.offsets[e + 1]; ++j) {
        const std::uint32_t b = raters_of.targets[j];
        if (b <= a || stamp[b] == a) continue;
        stamp[b] = a;
        ++partners;
      }
    }
    sharing_pairs += partners;
    // Every later rater not stamped shares nothing with a.  Scanning for
    // them only happens while examples are still wanted and some exist, so
    // it costs at most max_pair_examples scans of the raters.
    const std::size_t later = n_raters - 1 - a;
    if (partners < later && net.pair_examples.size() < rater_network::max_pair_examples)
      for (std::size_t b = a + 1; b < n_raters && net.pair_examples.size() < rater_network::max_pair_examples; ++b)
        if (stamp[b] != a) net.pair_examples.emplace_back(rater_ids[a], rater_ids[b]);
  }
  net.rater_pairs_without_shared_ratee = n_raters * (n_raters - 1) / 2 - sharing_pairs;

  // Cross-assignments joining every other component to the largest.
  if (n_components > 1) {
    const auto busiest = [](std::vector<std::uint32_t> ids, const std::vector<std::size_t>& ratings) {
      std::stable_sort(ids.begin(), ids.end(),
                       [&](std::uint32_t x, std::uint32_t y) { return ratings[x] > ratings[y]; });
      return ids;
    };
    const std::vector<std::uint32_t> main_raters = busiest(net.components[0].raters, rater_ratings);
    const std::vector<std::uint32_t> main_ratees = busiest(net.components[0].ratees, ratee_ratings);
    for (std::size_t c = 1; c < n_components; ++c) {
      const network_component& other = net.components[c];
      const std::uint32_t other_rater = busiest(other.raters, rater_ratings).front();
      const std::uint32_t other_ratee = busiest(other.ratees, ratee_ratings).front();
      net.suggestions.push_back({main_raters[(c - 1) % main_raters.size()], other_ratee, 0, c});
      net.suggestions.push_back({other_rater, main_ratees[(c - 1) % main_ratees.size()], c, 0});
    }
  }
  return net;
}

}  // namespace calibra::calibration
