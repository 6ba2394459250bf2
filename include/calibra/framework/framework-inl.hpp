// Implementation of <calibra/framework/framework.hpp>.  Compiled once into the library, or included
// by that header when CALIBRA_HEADER_ONLY is defined (see config.hpp).
#pragma once

#include <calibra/framework/framework.hpp>

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

CALIBRA_INLINE framework::framework(framework_metadata metadata, proficiency_scale scale, std::vector<area> areas,
            std::vector<competency> competencies, career_ladder ladder, expectation_matrix expectations,
            std::vector<archetype> archetypes, calibra::check_settings checks) : metadata_(std::move(metadata)),
        scale_(std::move(scale)),
        areas_(std::move(areas)),
        competencies_(std::move(competencies)),
        ladder_(std::move(ladder)),
        expectations_(std::move(expectations)),
        archetypes_(std::move(archetypes)),
        checks_(std::move(checks)) {
    if (ladder_.size() == 0 && expectations_.size() == 0)
      expectations_.resize(0, static_cast<Eigen::Index>(competencies_.size()));
    validate();
  }

CALIBRA_INLINE bool is_calendar_date(std::string_view d) {
  if (d.size() != 10) return false;
  for (std::size_t i = 0; i < d.size(); ++i)
    if ((i == 4 || i == 7) ? d[i] != '-' : (d[i] < '0' || d[i] > '9')) return false;
  const auto number = [&](std::size_t from, std::size_t n) {
    int v = 0;
    for (std::size_t i = from; i < from + n; ++i) v = v * 10 + (d[i] - '0');
    return v;
  };
  const int year = number(0, 4), month = number(5, 2), day = number(8, 2);
  if (month < 1 || month > 12 || day < 1) return false;
  static constexpr int days_in_month[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return day <= days_in_month[month - 1] + (month == 2 && leap ? 1 : 0);
}

CALIBRA_INLINE auto framework::competency_index(std::string_view id) const -> std::optional<std::size_t> {
  for (std::size_t i = 0; i < competencies_.size(); ++i)
    if (competencies_[i].id == id) return i;
  return std::nullopt;
}

CALIBRA_INLINE auto framework::area_index(std::string_view id) const -> std::optional<std::size_t> {
  for (std::size_t i = 0; i < areas_.size(); ++i)
    if (areas_[i].id == id) return i;
  return std::nullopt;
}

CALIBRA_INLINE auto framework::expectation(std::string_view career_level_id, std::string_view competency_id) const
    -> int {
  const auto row = ladder_.index_of(career_level_id);
  if (!row) throw invalid_argument("framework", "unknown career level '" + std::string(career_level_id) + "'");
  const auto col = competency_index(competency_id);
  if (!col) throw invalid_argument("framework", "unknown competency '" + std::string(competency_id) + "'");
  return expectations_(static_cast<Eigen::Index>(*row), static_cast<Eigen::Index>(*col));
}

CALIBRA_INLINE auto framework::promotion_gaps() const -> std::vector<promotion_gap> {
  std::vector<promotion_gap> out;
  for (const step& s : ladder_.steps()) {
    promotion_gap g{s, {}};
    for (std::size_t c = 0; c < competencies_.size(); ++c) {
      const int before = expect(s.from, c);
      const int after = expect(s.to, c);
      if (after > before) g.competencies.push_back({c, before, after});
    }
    out.push_back(std::move(g));
  }
  return out;
}

CALIBRA_INLINE auto framework::plateaus() const -> std::vector<plateau> {
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

CALIBRA_INLINE auto framework::quadrant_profile() const -> Eigen::MatrixXd {
  Eigen::MatrixXd profile = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(ladder_.size()), 4);
  std::array<int, 4> counts{};
  for (const competency& c : competencies_)
    if (c.quadrant) ++counts[static_cast<std::size_t>(c.quadrant->index())];
  for (std::size_t l = 0; l < ladder_.size(); ++l)
    for (std::size_t c = 0; c < competencies_.size(); ++c)
      if (competencies_[c].quadrant)
        profile(static_cast<Eigen::Index>(l), competencies_[c].quadrant->index()) += expect(l, c);
  for (int q = 0; q < 4; ++q) {
    if (counts[static_cast<std::size_t>(q)] == 0)
      profile.col(q).setConstant(std::numeric_limits<double>::quiet_NaN());
    else
      profile.col(q) /= counts[static_cast<std::size_t>(q)];
  }
  return profile;
}

CALIBRA_INLINE auto framework::path(std::string_view from_id, std::string_view to_id) const
    -> std::vector<std::string> {
  const auto from = ladder_.index_of(from_id);
  if (!from) throw invalid_argument("framework", "unknown career level '" + std::string(from_id) + "'");
  const auto to = ladder_.index_of(to_id);
  if (!to) throw invalid_argument("framework", "unknown career level '" + std::string(to_id) + "'");
  std::vector<std::string> ids;
  for (std::size_t i : ladder_.path(*from, *to)) ids.push_back(ladder_.career_levels()[i].id);
  return ids;
}

CALIBRA_INLINE auto framework::promotion_chains() const -> std::vector<std::vector<std::size_t>> {
  std::vector<std::vector<std::size_t>> chains;
  std::vector<std::size_t> current;
  auto extend = [&](auto&& self, std::size_t level) -> void {
    current.push_back(level);
    const auto next = ladder_.next(level);
    if (next.empty()) chains.push_back(current);
    for (std::size_t n : next) self(self, n);
    current.pop_back();
  };
  for (std::size_t l = 0; l < ladder_.size(); ++l)
    if (ladder_.previous(l).empty()) extend(extend, l);
  return chains;
}

CALIBRA_INLINE auto framework::expect(std::size_t career_level, std::size_t comp) const -> int {
  return expectations_(static_cast<Eigen::Index>(career_level), static_cast<Eigen::Index>(comp));
}

CALIBRA_INLINE auto framework::validate() const -> void {
  // Every rule is checked and every broken one reported, in one run: a
  // single problem is thrown as a validation_error, several as input_errors
  // (each with its JSON pointer).  A check that needs an earlier one to
  // hold (the expectations' shape before their cells) is skipped when it
  // does not.
  std::vector<input_problem> problems;
  const auto fail = [&](const std::string& pointer, const std::string& message) {
    if (problems.size() < input_errors::max_problems)
      problems.push_back({"validation_error.framework",
                          "[calibra.validation_error.framework] " + pointer + ": " + message, "", 0, {}, pointer});
  };
  const auto unique_ids = [&](const auto& items, const std::string& where) {
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (items[i].id.empty()) {
        fail(where + "/" + std::to_string(i) + "/id", "id must not be empty");
        continue;
      }
      for (std::size_t j = 0; j < i; ++j)
        if (items[i].id == items[j].id) {
          fail(where + "/" + std::to_string(i) + "/id",
               "duplicate id '" + items[i].id + "' (first used at " + where + "/" + std::to_string(j) + ")");
          break;
        }
    }
  };

  const auto n_levels = scale_.size();
  if (n_levels < proficiency_scale::min_levels || n_levels > proficiency_scale::max_levels)
    fail("/scale", "a scale needs 3 to 7 levels, this one has " + std::to_string(n_levels));
  unique_ids(scale_.levels(), "/scale");
  // Scope and autonomy: on every level or on none.
  const bool scoped = n_levels > 0 && scale_.levels().front().scope.has_value();
  for (std::size_t l = 0; l < n_levels; ++l) {
    const proficiency_level& level = scale_.levels()[l];
    const std::string at = "/scale/" + std::to_string(l);
    if (level.scope.has_value() != level.autonomy.has_value())
      fail(at + (level.scope ? "/autonomy" : "/scope"),
           "scope and autonomy are given together or not at all; level '" + level.id + "' has only " +
               (level.scope ? "a scope" : "an autonomy"));
    else if (level.scope.has_value() != scoped)
      fail(at + "/scope", scoped ? "level '" + level.id + "' has no scope and autonomy, but the first level has; "
                                   "give them to every level or to none"
                                 : "level '" + level.id + "' has a scope and autonomy, but the first level has none; "
                                   "give them to every level or to none");
  }
  unique_ids(areas_, "/areas");
  unique_ids(competencies_, "/competencies");
  if (competencies_.empty()) fail("/competencies", "a framework needs at least one competency");
  const bool quadrants = !competencies_.empty() && competencies_.front().quadrant.has_value();
  for (std::size_t i = 0; i < competencies_.size(); ++i) {
    const competency& c = competencies_[i];
    const std::string at = "/competencies/" + std::to_string(i);
    if (c.name.empty()) fail(at + "/name", "name must not be empty");
    if (c.area && !area_index(*c.area)) fail(at + "/area", "unknown area '" + *c.area + "'");
    if (c.quadrant.has_value() != quadrants)
      fail(at + "/quadrant", quadrants ? "competency '" + c.id + "' has no quadrant, but '" + competencies_.front().id +
                                             "' has one; give a quadrant to every competency or to none"
                                       : "competency '" + c.id + "' has a quadrant, but '" + competencies_.front().id +
                                             "' has none; give a quadrant to every competency or to none");
    if (c.position) {
      const auto q = quadrant_of(*c.position);
      if (!c.quadrant)
        fail(at + "/position", "a position needs a quadrant; competency '" + c.id + "' has none");
      else if (!q)
        fail(at + "/position", "both coordinates must be non-zero and within [-1, 1]");
      else if (*q != *c.quadrant)
        fail(at + "/position", "the position lies in " + to_string(*q) + " but the quadrant is " +
                                   to_string(*c.quadrant));
    }
    if (c.anchors.size() != n_levels)
      fail(at + "/anchors", "expected one anchor slot per scale level (" + std::to_string(n_levels) + "), got " +
                                std::to_string(c.anchors.size()));
  }
  // A framework has a ladder with a complete expectation matrix, or neither.
  if (ladder_.size() == 0 && expectations_.rows() != 0)
    fail("/expectations", "a framework without career levels has no expectations, found " +
                              std::to_string(expectations_.rows()) + " rows; add the career levels or leave out the "
                              "expectations");
  else if (static_cast<std::size_t>(expectations_.rows()) != ladder_.size() ||
           static_cast<std::size_t>(expectations_.cols()) != competencies_.size())
    fail("/expectations", "expected a " + std::to_string(ladder_.size()) + " x " +
                              std::to_string(competencies_.size()) + " matrix (career levels x competencies)");
  else
    for (std::size_t l = 0; l < ladder_.size(); ++l)
      for (std::size_t c = 0; c < competencies_.size(); ++c) {
        const int v = expect(l, c);
        if (v < 1 || static_cast<std::size_t>(v) > n_levels)
          fail("/expectations/" + ladder_.career_levels()[l].id + "/" + competencies_[c].id,
               "level ordinal " + std::to_string(v) + " is outside the scale 1.." + std::to_string(n_levels));
      }
  unique_ids(archetypes_, "/archetypes");
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

  if (problems.size() == 1) {
    // The message without the id prefix that validation_error adds again.
    const std::string& m = problems.front().message;
    throw validation_error("framework", m.substr(m.find("] ") + 2));
  }
  if (!problems.empty()) {
    const bool stopped = problems.size() >= input_errors::max_problems;
    throw input_errors("framework", "framework", std::move(problems), stopped);
  }
}

}  // namespace calibra
