// Implementation of <calibra/calibration/groups.hpp>.  Compiled once into the library, or included
// by that header when CALIBRA_HEADER_ONLY is defined (see config.hpp).
#pragma once

#include <calibra/calibration/groups.hpp>

#include <calibra/calibration/wide_matrix.hpp>

#include <boost/math/distributions/students_t.hpp>

#include <cmath>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace calibra::calibration {

namespace detail {

struct sample_moments {
  std::size_t n = 0;
  double mean = 0, variance = 0;  // sample variance (n - 1)
};

CALIBRA_INLINE sample_moments moments(const std::vector<double>& xs) {
  sample_moments m;
  m.n = xs.size();
  if (m.n == 0) return m;
  for (double x : xs) m.mean += x;
  m.mean /= static_cast<double>(m.n);
  if (m.n > 1) {
    for (double x : xs) m.variance += (x - m.mean) * (x - m.mean);
    m.variance /= static_cast<double>(m.n - 1);
  }
  return m;
}

}  // namespace detail

CALIBRA_INLINE group_comparison compare_groups(const calibration_context& context, const std::string& attribute,
                                               double confidence) {
  if (!(confidence > 0 && confidence < 1))
    throw invalid_argument("calibration", "group comparison: confidence " + std::to_string(confidence) +
                                              " is outside (0, 1)");
  const ratings_table& table = context.table();
  const auto index = table.attribute_index(attribute);
  if (!index) {
    std::string names;
    for (const auto& name : table.attribute_names()) names += (names.empty() ? "'" : ", '") + name + "'";
    throw invalid_argument("calibration", "group by '" + attribute + "': the ratings have no such column; " +
                                              (names.empty() ? std::string("they have no extra columns")
                                                             : "their extra columns are " + names));
  }
  group_comparison result;
  result.attribute = attribute;
  result.confidence = confidence;
  const auto period = context.period();
  if (!period) {
    result.reason = "the ratings table is empty";
    return result;
  }
  competency_scores own;
  const competency_scores* scores = nullptr;
  if (context.has_scores()) {
    scores = &context.scores("group comparison");
  } else {
    ratings_filter filter;
    filter.period = *period;
    own = observed_scores(table, filter);
    scores = &own;
  }

  // Each ratee's value in the period: empty for none, a marker for two.
  constexpr std::uint32_t none = 0, conflict = static_cast<std::uint32_t>(-1);
  std::vector<std::uint32_t> value_of(table.ratees().size(), none);  // 1 + index into values
  std::vector<std::string> values;
  std::map<std::string, std::uint32_t> id_of;
  for (std::size_t row = 0; row < table.size(); ++row) {
    if (table.period(row) != *period) continue;
    const std::string& value = table.attribute(row, *index);
    if (value.empty()) continue;
    auto [it, added] = id_of.emplace(value, static_cast<std::uint32_t>(values.size() + 1));
    if (added) values.push_back(value);
    std::uint32_t& slot = value_of[table.ratee(row)];
    if (slot == none) slot = it->second;
    else if (slot != it->second) slot = conflict;
  }

  std::vector<std::vector<double>> members(values.size());
  for (std::size_t r = 0; r < scores->rows(); ++r) {
    double sum = 0;
    std::size_t n = 0;
    for (Eigen::Index c = 0; c < scores->value.cols(); ++c)
      if (std::isfinite(scores->value(static_cast<Eigen::Index>(r), c))) {
        sum += scores->value(static_cast<Eigen::Index>(r), c);
        ++n;
      }
    if (n == 0) continue;
    const std::uint32_t slot = value_of[scores->ratees[r]];
    if (slot == none) ++result.ratees_without_value;
    else if (slot == conflict) ++result.ratees_with_two_values;
    else members[slot - 1].push_back(sum / static_cast<double>(n));
  }

  const std::size_t min_group = context.privacy().min_group;
  for (const auto& [value, id] : id_of) {  // text order
    const std::vector<double>& group = members[id - 1];
    group_result g;
    g.value = value;
    g.ratees = group.size();
    std::vector<double> rest;
    for (std::size_t other = 0; other < members.size(); ++other)
      if (other != id - 1) rest.insert(rest.end(), members[other].begin(), members[other].end());
    if (group.size() < min_group || rest.size() < min_group) {
      g.suppressed = true;
      result.groups.push_back(g);
      continue;
    }
    const detail::sample_moments a = detail::moments(group), b = detail::moments(rest);
    g.mean_score = a.mean;
    g.difference = a.mean - b.mean;
    if (a.n >= 2 && b.n >= 2) {
      const double va = a.variance / static_cast<double>(a.n), vb = b.variance / static_cast<double>(b.n);
      const double se = std::sqrt(va + vb);
      if (se > 0) {
        const double df = (va + vb) * (va + vb) /
                          (va * va / static_cast<double>(a.n - 1) + vb * vb / static_cast<double>(b.n - 1));
        const boost::math::students_t t(df);
        const double q = boost::math::quantile(t, 0.5 + confidence / 2);
        g.lower = g.difference - q * se;
        g.upper = g.difference + q * se;
      } else {
        g.lower = g.upper = g.difference;
      }
    }
    result.groups.push_back(g);
  }
  result.available = !result.groups.empty();
  if (!result.available)
    result.reason = "no ratee scored in " + std::string(table.periods()[*period]) + " has a value in the column '" +
                    attribute + "'";
  return result;
}

}  // namespace calibra::calibration
