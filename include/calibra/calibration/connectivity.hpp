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

#include <cstddef>
#include <cstdint>
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

}  // namespace detail

/// The rater-ratee network of the ratings `filter` keeps.  An empty
/// `filter.roles` means external_roles() (self ratings connect nobody).
rater_network analyse_network(const ratings_table& table, const ratings_filter& filter = {});

}  // namespace calibra::calibration

#ifdef CALIBRA_HEADER_ONLY
#  include <calibra/calibration/connectivity-inl.hpp>
#endif
