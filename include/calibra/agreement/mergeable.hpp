// One mergeable summary for any statistic: the factory that picks the
// sufficient statistics of a statistic's family (summaries.hpp), feeds them
// units x raters matrices, merges them and finishes them into the result
// agree() gives on all the units at once (up to rounding).
//
//   mergeable_summary s(statistic::fleiss, n_raters, opts);   // opts.categories declared
//   s.add(part_1); s.add(part_2);          // or one summary per part, merged with +=
//   result r = s.finish();
//
// Every summary is linear over units, so the summaries of any split of the
// units merge into the summary of the whole; a unit must not be split
// between parts.  Two things fix a summary's shape and must be agreed on
// before the first unit: the category codes (options.categories) and, for
// ordinal Krippendorff, the pooled frequencies of the codes in pairable
// units (`marginals`), which define its distances.  scan_summary_shape()
// finds both for one part, under the statistic's rules for which units
// count; the parts' scans merge by union of codes and sum of frequencies.
//
// Conger's and Light's kappas have no summary (they need every rater's
// distribution at once), and a summary gives the analytic interval only
// (options.bootstrap must be 0): both are refused with invalid_argument.
//
// A summary can also be written down compactly and rebuilt (record() and
// from_record()), e.g. to move it between processes: each distinct unit
// pattern of category counts with its number of units, or Cohen's
// contingency table.  The ICC summary has no such record yet.
#pragma once

#include <calibra/agreement/categories.hpp>
#include <calibra/agreement/cohen.hpp>
#include <calibra/agreement/icc.hpp>
#include <calibra/agreement/krippendorff.hpp>
#include <calibra/agreement/multi_rater.hpp>
#include <calibra/agreement/options.hpp>

#include <Eigen/Core>

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace calibra::agreement {

/// What one part of the data contributes to the shape of a summary.
struct summary_shape {
  std::vector<double> codes;     // category codes of the units the statistic keeps (empty for ICC)
  std::vector<double> pairable;  // per code: its ratings in kept units with two or more ratings
  std::size_t units = 0;         // units kept (complete units for ICC)
};

/// The shape of a summary of `stat` over `ratings` (units x raters).
summary_shape scan_summary_shape(const ratings_ref& ratings, statistic stat, const options& opts = {});

/// What a summary was fed, in compact form (see mergeable_summary::record).
struct summary_record {
  std::vector<char> active;  // per rater: rated in a kept unit
  double units = 0;
  double units_dropped = 0;  // ICC: incomplete units left out
  /// Each distinct unit pattern as (category index, count, category index,
  /// count, ...) with the number of units that had it.
  std::vector<std::pair<std::vector<std::int32_t>, double>> patterns;
  Eigen::MatrixXd table;  // Cohen's contingency table; empty for the other statistics
};

namespace detail {
/// The statistics whose sufficient statistics are a multi_rater_summary of
/// unit patterns (multi_rater.hpp): the one list of that family.
bool has_multi_rater_summary(statistic stat);
}  // namespace detail

class mergeable_summary {
 public:
  /// A summary of `stat` over `n_raters` raters (columns).  Every statistic
  /// but ICC needs opts.categories; `marginals` (one frequency per declared
  /// category) gives ordinal Krippendorff its standard error.
  mergeable_summary(statistic stat, std::size_t n_raters, options opts,
                    std::optional<Eigen::VectorXd> marginals = std::nullopt);

  /// Rebuilds a summary from its record (the other arguments as for the
  /// constructor that made it).
  static mergeable_summary from_record(statistic stat, std::size_t n_raters, options opts,
                                       std::optional<Eigen::VectorXd> marginals, const summary_record& record);

  /// Adds the units (rows) of a units x raters matrix (NaN: missing).
  void add(const ratings_ref& ratings);

  /// Merges a summary of other units; both must share statistic, raters and categories.
  mergeable_summary& operator+=(const mergeable_summary& other);

  /// The statistic over every unit added so far.
  result finish() const;

  /// False for ICC, whose summary has no compact record yet.
  bool has_record() const;
  /// The record from_record() rebuilds from; throws invalid_argument without one.
  summary_record record() const;

  /// "fleiss over 3 raters, categories [1, 2, 3]", for messages.
  std::string describe() const;

  statistic stat() const { return stat_; }
  const options& used() const { return opts_; }
  std::size_t n_raters() const { return n_raters_; }
  const std::optional<Eigen::VectorXd>& marginals() const { return marginals_; }
  /// Units added and kept (complete units for ICC).
  double units() const { return units_; }

 private:
  using pattern_key = std::vector<std::int32_t>;
  void add_pattern(const std::int32_t* category, const double* count, std::size_t n, double units);

  statistic stat_;
  options opts_;
  options effective_;
  category_set categories_;
  std::size_t n_raters_;
  std::vector<char> active_;
  std::optional<Eigen::VectorXd> marginals_;
  std::variant<std::monostate, multi_rater_summary, contingency_summary, krippendorff_summary, icc_summary> summary_;
  std::map<pattern_key, double> patterns_;  // the record
  double units_ = 0;
  double units_dropped_ = 0;
};

}  // namespace calibra::agreement

#ifdef CALIBRA_HEADER_ONLY
#  include <calibra/agreement/mergeable-inl.hpp>
#endif
