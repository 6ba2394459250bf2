// The competency framework: scale, competencies, career ladder and the
// expectation matrix, plus the queries HR teams ask of it.
//
// A framework is validated once, when it is constructed; after that every
// id it holds resolves.  Validation errors locate the problem with a JSON
// pointer into the framework file format (docs/framework-format.md), which
// mirrors this model one to one, so file readers and programmatic builders
// get the same messages.
#pragma once

#include <calibra/config.hpp>
#include <calibra/error.hpp>
#include <calibra/framework/competency.hpp>
#include <calibra/framework/ladder.hpp>
#include <calibra/framework/quadrant.hpp>
#include <calibra/framework/scale.hpp>

#include <Eigen/Core>

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace calibra {

struct framework_metadata {
  std::string id;
  std::string name;
  std::string version;
  std::string last_updated;  // ISO 8601 date, YYYY-MM-DD
  std::vector<std::string> owners;
  std::string description;
};

/// A recurring profile of strengths and growth areas (seed: Growth PM,
/// Product Discovery PM, Technical PM, Strategic PM).
struct archetype {
  std::string id;
  std::string name;
  std::string description;
  std::vector<std::string> strong;  // competency ids
  std::vector<std::string> growth;  // competency ids
};

/// Settings of the framework checks (checks.hpp) that travel with the
/// framework file, in its optional "checks" member.
struct check_settings {
  /// Trait words this organisation adds to the checks' own list
  /// (check_options::vague_terms, rule anchor.vague).
  std::vector<std::string> trait_words;

  bool empty() const { return trait_words.empty(); }
};

/// Whether `text` is a real calendar date written YYYY-MM-DD: 2026-02-29 and
/// 2026-13-45 are not.
bool is_calendar_date(std::string_view text);

/// Minimum proficiency per (career level, competency): rows are career
/// levels, columns competencies, entries 1-based level ordinals.
using expectation_matrix = Eigen::Matrix<int, Eigen::Dynamic, Eigen::Dynamic>;

/// One competency whose expectation rises along a step.
struct competency_rise {
  std::size_t competency = 0;
  int from_level = 0;  // 1-based ordinals
  int to_level = 0;
};

/// The promotion gap of one step: the competencies whose expectation must
/// rise from its lower to its upper career level.  (Not the expectation gap,
/// score - expectation, of levels.hpp, nor the self gap of self_assessment.hpp.)
struct promotion_gap {
  calibra::step step;
  std::vector<competency_rise> competencies;
};

/// A competency that stops rising: from `career_level` on, every promotion
/// along the track keeps it at `level`.
struct plateau {
  std::size_t competency = 0;
  std::size_t career_level = 0;
  int level = 0;
};

class framework {
 public:
  framework() = default;

  /// A framework without career levels passes an empty ladder and an
  /// expectation matrix with no rows (0 x 0 is taken as 0 x competencies).
  framework(framework_metadata metadata, proficiency_scale scale, std::vector<area> areas,
            std::vector<competency> competencies, career_ladder ladder, expectation_matrix expectations,
            std::vector<archetype> archetypes = {}, calibra::check_settings checks = {});

  const framework_metadata& metadata() const { return metadata_; }
  const proficiency_scale& scale() const { return scale_; }
  const std::vector<area>& areas() const { return areas_; }
  const std::vector<competency>& competencies() const { return competencies_; }
  const career_ladder& ladder() const { return ladder_; }
  const expectation_matrix& expectations() const { return expectations_; }
  const std::vector<archetype>& archetypes() const { return archetypes_; }
  /// The check settings the framework file carries.
  const calibra::check_settings& checks() const { return checks_; }

  /// Whether the framework has a career ladder.  A ratings-only framework
  /// (a scale and competencies, nothing else) has none: its ladder is empty
  /// and its expectation matrix has no rows (0 x competencies).
  bool has_career_levels() const { return ladder_.size() > 0; }
  /// Whether the competencies are placed in quadrants (then every one is).
  bool has_quadrants() const { return !competencies_.empty() && competencies_.front().quadrant.has_value(); }

  std::optional<std::size_t> competency_index(std::string_view id) const;
  std::optional<std::size_t> area_index(std::string_view id) const;

  /// Expected level (1-based ordinal) of a competency at a career level, by id.
  int expectation(std::string_view career_level_id, std::string_view competency_id) const;

  // ---- queries -------------------------------------------------------------

  /// For every step, its promotion gap: the competencies whose expectation
  /// rises and by how much.
  std::vector<promotion_gap> promotion_gaps() const;

  /// Competencies that stop rising before the top of a track.  Each chain of
  /// steps from a career level that no step leads to is followed; a competency
  /// plateaus at the career level after which it never rises again on that
  /// chain, provided that level is not the chain's last.
  std::vector<plateau> plateaus() const;

  /// Mean expectation per quadrant for every career level: rows are career
  /// levels, columns the quadrants in all_quadrants() order.  A quadrant
  /// with no competency holds NaN (every quadrant, in a framework without
  /// quadrants); a framework without career levels gives 0 rows.
  Eigen::MatrixXd quadrant_profile() const;

  /// Career level ids along the promotion path, both ends included; empty
  /// when `to` is not reachable from `from` by promotions.
  std::vector<std::string> path(std::string_view from_id, std::string_view to_id) const;

  /// Every maximal chain of promotions starting at a level no step leads to.
  std::vector<std::vector<std::size_t>> promotion_chains() const;

 private:
  int expect(std::size_t career_level, std::size_t comp) const;

  /// Checks every rule and throws every broken one at once: a
  /// validation_error for one problem, input_errors for several.
  void validate() const;

  framework_metadata metadata_;
  proficiency_scale scale_;
  std::vector<area> areas_;
  std::vector<competency> competencies_;
  career_ladder ladder_;
  expectation_matrix expectations_;
  std::vector<archetype> archetypes_;
  calibra::check_settings checks_;
};

}  // namespace calibra

#ifdef CALIBRA_HEADER_ONLY
#  include <calibra/framework/framework-inl.hpp>
#endif
