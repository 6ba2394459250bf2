// The competency framework: scale, competencies, career ladder and the
// expectation matrix, plus the queries HR teams ask of it.
//
// A framework is validated once, when it is constructed; after that every
// id it holds resolves.  Validation errors locate the problem with a JSON
// pointer into the framework file format (docs/framework-format.md), which
// mirrors this model one to one, so file readers and programmatic builders
// get the same messages.
#pragma once

#include <calibra/error.hpp>
#include <calibra/framework/competency.hpp>
#include <calibra/framework/ladder.hpp>
#include <calibra/framework/quadrant.hpp>
#include <calibra/framework/scale.hpp>

#include <Eigen/Core>

#include <algorithm>
#include <array>
#include <cstddef>
#include <limits>
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

/// Minimum proficiency per (career level, competency): rows are career
/// levels, columns competencies, entries 1-based level ordinals.
using expectation_matrix = Eigen::Matrix<int, Eigen::Dynamic, Eigen::Dynamic>;

/// One competency whose expectation rises along a step.
struct competency_rise {
  std::size_t competency = 0;
  int from_level = 0;  // 1-based ordinals
  int to_level = 0;
};

struct promotion_gaps {
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

  framework(framework_metadata metadata, proficiency_scale scale, std::vector<area> areas,
            std::vector<competency> competencies, career_ladder ladder, expectation_matrix expectations,
            std::vector<archetype> archetypes = {})
      : metadata_(std::move(metadata)),
        scale_(std::move(scale)),
        areas_(std::move(areas)),
        competencies_(std::move(competencies)),
        ladder_(std::move(ladder)),
        expectations_(std::move(expectations)),
        archetypes_(std::move(archetypes)) {
    validate();
  }

  const framework_metadata& metadata() const { return metadata_; }
  const proficiency_scale& scale() const { return scale_; }
  const std::vector<area>& areas() const { return areas_; }
  const std::vector<competency>& competencies() const { return competencies_; }
  const career_ladder& ladder() const { return ladder_; }
  const expectation_matrix& expectations() const { return expectations_; }
  const std::vector<archetype>& archetypes() const { return archetypes_; }

  std::optional<std::size_t> competency_index(std::string_view id) const {
    for (std::size_t i = 0; i < competencies_.size(); ++i)
      if (competencies_[i].id == id) return i;
    return std::nullopt;
  }
  std::optional<std::size_t> area_index(std::string_view id) const {
    for (std::size_t i = 0; i < areas_.size(); ++i)
      if (areas_[i].id == id) return i;
    return std::nullopt;
  }

  /// Expected level (1-based ordinal) of a competency at a career level, by id.
  int expectation(std::string_view career_level_id, std::string_view competency_id) const {
    const auto row = ladder_.index_of(career_level_id);
    if (!row) throw invalid_argument("framework", "unknown career level '" + std::string(career_level_id) + "'");
    const auto col = competency_index(competency_id);
    if (!col) throw invalid_argument("framework", "unknown competency '" + std::string(competency_id) + "'");
    return expectations_(static_cast<Eigen::Index>(*row), static_cast<Eigen::Index>(*col));
  }

  // ---- queries -------------------------------------------------------------

  /// For every step, the competencies whose expectation rises and by how much.
  std::vector<promotion_gaps> gaps() const {
    std::vector<promotion_gaps> out;
    for (const step& s : ladder_.steps()) {
      promotion_gaps g{s, {}};
      for (std::size_t c = 0; c < competencies_.size(); ++c) {
        const int before = expect(s.from, c);
        const int after = expect(s.to, c);
        if (after > before) g.competencies.push_back({c, before, after});
      }
      out.push_back(std::move(g));
    }
    return out;
  }

  /// Competencies that stop rising before the top of a track.  Each chain of
  /// steps from a career level that no step leads to is followed; a competency
  /// plateaus at the career level after which it never rises again on that
  /// chain, provided that level is not the chain's last.
  std::vector<plateau> plateaus() const {
    std::vector<plateau> out;
    for (const auto& chain : promotion_chains()) {
      for (std::size_t c = 0; c < competencies_.size(); ++c) {
        std::size_t last_rise = 0;
        for (std::size_t i = 1; i < chain.size(); ++i)
          if (expect(chain[i], c) > expect(chain[i - 1], c)) last_rise = i;
        if (last_rise + 1 >= chain.size()) continue;
        const plateau p{c, chain[last_rise], expect(chain[last_rise], c)};
        const bool seen = std::any_of(out.begin(), out.end(), [&](const plateau& q) {
          return q.competency == p.competency && q.career_level == p.career_level;
        });
        if (!seen) out.push_back(p);
      }
    }
    return out;
  }

  /// Mean expectation per quadrant for every career level: rows are career
  /// levels, columns the quadrants in all_quadrants() order.  A quadrant
  /// with no competency holds NaN.
  Eigen::MatrixXd quadrant_profile() const {
    Eigen::MatrixXd profile = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(ladder_.size()), 4);
    std::array<int, 4> counts{};
    for (const competency& c : competencies_) ++counts[static_cast<std::size_t>(c.quadrant.index())];
    for (std::size_t l = 0; l < ladder_.size(); ++l)
      for (std::size_t c = 0; c < competencies_.size(); ++c)
        profile(static_cast<Eigen::Index>(l), competencies_[c].quadrant.index()) += expect(l, c);
    for (int q = 0; q < 4; ++q) {
      if (counts[static_cast<std::size_t>(q)] == 0)
        profile.col(q).setConstant(std::numeric_limits<double>::quiet_NaN());
      else
        profile.col(q) /= counts[static_cast<std::size_t>(q)];
    }
    return profile;
  }

  /// Career level ids along the promotion path, both ends included; empty
  /// when `to` is not reachable from `from` by promotions.
  std::vector<std::string> path(std::string_view from_id, std::string_view to_id) const {
    const auto from = ladder_.index_of(from_id);
    if (!from) throw invalid_argument("framework", "unknown career level '" + std::string(from_id) + "'");
    const auto to = ladder_.index_of(to_id);
    if (!to) throw invalid_argument("framework", "unknown career level '" + std::string(to_id) + "'");
    std::vector<std::string> ids;
    for (std::size_t i : ladder_.path(*from, *to)) ids.push_back(ladder_.levels()[i].id);
    return ids;
  }

  /// Every maximal chain of promotions starting at a level no step leads to.
  std::vector<std::vector<std::size_t>> promotion_chains() const {
    std::vector<std::vector<std::size_t>> chains;
    std::vector<std::size_t> current;
    const auto& g = ladder_.graph();
    auto extend = [&](auto&& self, std::size_t level) -> void {
      current.push_back(level);
      const auto next = ladder_.next(level);
      if (next.empty()) chains.push_back(current);
      for (std::size_t n : next) self(self, n);
      current.pop_back();
    };
    for (std::size_t l = 0; l < ladder_.size(); ++l)
      if (boost::in_degree(l, g) == 0) extend(extend, l);
    return chains;
  }

 private:
  int expect(std::size_t career_level, std::size_t comp) const {
    return expectations_(static_cast<Eigen::Index>(career_level), static_cast<Eigen::Index>(comp));
  }

  [[noreturn]] static void fail(const std::string& pointer, const std::string& message) {
    throw validation_error("framework", pointer + ": " + message);
  }

  template <typename Items>
  static void require_unique_ids(const Items& items, const std::string& where) {
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (items[i].id.empty()) fail(where + "/" + std::to_string(i) + "/id", "id must not be empty");
      for (std::size_t j = 0; j < i; ++j)
        if (items[i].id == items[j].id)
          fail(where + "/" + std::to_string(i) + "/id",
               "duplicate id '" + items[i].id + "' (first used at " + where + "/" + std::to_string(j) + ")");
    }
  }

  void validate() const {
    const auto n_levels = scale_.size();
    if (n_levels < proficiency_scale::min_levels || n_levels > proficiency_scale::max_levels)
      fail("/scale", "a scale needs 3 to 7 levels, this one has " + std::to_string(n_levels));
    require_unique_ids(scale_.levels(), "/scale");
    require_unique_ids(areas_, "/areas");
    require_unique_ids(competencies_, "/competencies");
    if (competencies_.empty()) fail("/competencies", "a framework needs at least one competency");
    for (std::size_t i = 0; i < competencies_.size(); ++i) {
      const competency& c = competencies_[i];
      const std::string at = "/competencies/" + std::to_string(i);
      if (c.name.empty()) fail(at + "/name", "name must not be empty");
      if (c.area && !area_index(*c.area)) fail(at + "/area", "unknown area '" + *c.area + "'");
      if (c.position) {
        const auto q = quadrant_of(*c.position);
        if (!q)
          fail(at + "/position", "both coordinates must be non-zero and within [-1, 1]");
        if (*q != c.quadrant)
          fail(at + "/position", "the position lies in " + to_string(*q) + " but the quadrant is " +
                                     to_string(c.quadrant));
      }
      if (c.anchors.size() != n_levels)
        fail(at + "/anchors", "expected one anchor slot per scale level (" + std::to_string(n_levels) + "), got " +
                                  std::to_string(c.anchors.size()));
    }
    if (ladder_.size() == 0) fail("/career_levels", "a framework needs at least one career level");
    if (static_cast<std::size_t>(expectations_.rows()) != ladder_.size() ||
        static_cast<std::size_t>(expectations_.cols()) != competencies_.size())
      fail("/expectations", "expected a " + std::to_string(ladder_.size()) + " x " +
                                std::to_string(competencies_.size()) + " matrix (career levels x competencies)");
    for (std::size_t l = 0; l < ladder_.size(); ++l)
      for (std::size_t c = 0; c < competencies_.size(); ++c) {
        const int v = expect(l, c);
        if (v < 1 || static_cast<std::size_t>(v) > n_levels)
          fail("/expectations/" + ladder_.levels()[l].id + "/" + competencies_[c].id,
               "level ordinal " + std::to_string(v) + " is outside the scale 1.." + std::to_string(n_levels));
      }
    require_unique_ids(archetypes_, "/archetypes");
    for (std::size_t i = 0; i < archetypes_.size(); ++i) {
      const std::string at = "/archetypes/" + std::to_string(i);
      auto check_ids = [&](const std::vector<std::string>& ids, const char* field) {
        for (std::size_t k = 0; k < ids.size(); ++k)
          if (!competency_index(ids[k]))
            fail(at + "/" + field + "/" + std::to_string(k), "unknown competency '" + ids[k] + "'");
      };
      check_ids(archetypes_[i].strong, "strong");
      check_ids(archetypes_[i].growth, "growth");
    }
  }

  framework_metadata metadata_;
  proficiency_scale scale_;
  std::vector<area> areas_;
  std::vector<competency> competencies_;
  career_ladder ladder_;
  expectation_matrix expectations_;
  std::vector<archetype> archetypes_;
};

}  // namespace calibra
