// Groups of ratees defined by an attribute column of the ratings (team,
// department...): how many ratees each group has, their mean score, and how
// far that mean lies from the mean of everyone else, with an interval.
//
//   const group_comparison g = compare_groups(at_period, "team");
//   for (const group_result& r : g.groups) ...   // by group value, in text order
//
// A ratee belongs to the group named by the attribute's value on their rows
// of the analysed period (any role).  A ratee whose rows there carry no
// value, or two different values, is in no group and is counted apart.
// A ratee's score is the mean of their competency scores (the context's
// scores: severity-adjusted when calibrate() could fit the model).  The
// difference from the rest is mean(group) - mean(other ratees in a group),
// with a Welch interval: se = sqrt(s_g^2/n_g + s_r^2/n_r), Welch-Satterthwaite
// degrees of freedom, t quantile at `confidence`; NaN bounds when either
// side has fewer than two ratees.  A group with fewer ratees than the
// privacy rule's min_group keeps its count but has its mean and difference
// suppressed (NaN, `suppressed` set), and so does its complement.
#pragma once

#include <calibra/config.hpp>
#include <calibra/calibration/context.hpp>
#include <calibra/calibration/scores.hpp>
#include <calibra/error.hpp>

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace calibra::calibration {

struct group_result {
  std::string value;        // the attribute value naming the group
  std::size_t ratees = 0;   // ratees in the group with a score
  double mean_score = std::numeric_limits<double>::quiet_NaN();
  double difference = std::numeric_limits<double>::quiet_NaN();  // mean_score - mean of the rest
  double lower = std::numeric_limits<double>::quiet_NaN();       // interval on the difference
  double upper = std::numeric_limits<double>::quiet_NaN();
  bool suppressed = false;  // the group or the rest is under min_group
};

struct group_comparison {
  bool available = false;
  std::string reason;        // why not, when unavailable
  std::string attribute;     // the column grouped by
  double confidence = 0.95;
  std::vector<group_result> groups;
  std::size_t ratees_without_value = 0;     // scored ratees whose rows carry no value
  std::size_t ratees_with_two_values = 0;   // scored ratees whose rows disagree
};

/// Compares the groups of the attribute column `attribute` in the context's
/// period (default: the latest) on the context's scores (observed means of
/// the external roles when it has none).  Throws invalid_argument naming the
/// column when the table has no such attribute, or for a confidence outside
/// (0, 1).
group_comparison compare_groups(const calibration_context& context, const std::string& attribute,
                                double confidence = 0.95);

}  // namespace calibra::calibration

#ifdef CALIBRA_HEADER_ONLY
#  include <calibra/calibration/groups-inl.hpp>
#endif
