// The career ladder: career levels joined by promotion steps, held as a
// directed graph so that branching tracks (IC -> manager) are first-class.
#pragma once

#include <calibra/config.hpp>
#include <calibra/error.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace calibra {

enum class track { ic, manager };

std::string_view to_string(track t);
std::optional<track> parse_track(std::string_view text);

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
  career_ladder() = default;

  /// Throws validation_error for duplicate ids, unknown step ends, a step that
  /// goes down in rank, a repeated step, or a cycle.
  career_ladder(std::vector<career_level> levels, const std::vector<std::pair<std::string, std::string>>& steps);

  /// The rungs of the ladder, in file order.  (A proficiency level of the
  /// scale is another thing: framework::scale().levels().)
  const std::vector<career_level>& career_levels() const { return levels_; }
  const std::vector<step>& steps() const { return steps_; }
  std::size_t size() const { return levels_.size(); }

  std::optional<std::size_t> index_of(std::string_view id) const;

  /// Career levels reachable by one promotion from `level`.
  const std::vector<std::size_t>& next(std::size_t level) const { return next_.at(level); }

  /// Career levels from which one promotion leads to `level`.
  const std::vector<std::size_t>& previous(std::size_t level) const { return previous_.at(level); }

  /// Levels of one track, by rank then declaration order.
  std::vector<std::size_t> track_levels(calibra::track t) const;

  /// The IC level of the same rank as `level`, if there is one.
  std::optional<std::size_t> ic_peer(std::size_t level) const;

  /// The career levels along the promotion path from `from` to `to`, both
  /// included, following steps forward.  Empty when `to` cannot be reached
  /// by promotions from `from` (e.g. a lateral move between tracks).
  std::vector<std::size_t> path(std::size_t from, std::size_t to) const;

 private:
  [[noreturn]] static void fail(const std::string& pointer, const std::string& message);

  std::vector<career_level> levels_;
  std::vector<step> steps_;
  // Promotion steps as adjacency lists, out of and into each career level.
  std::vector<std::vector<std::size_t>> next_;
  std::vector<std::vector<std::size_t>> previous_;
};

}  // namespace calibra

#ifdef CALIBRA_HEADER_ONLY
#  include <calibra/framework/ladder-inl.hpp>
#endif
