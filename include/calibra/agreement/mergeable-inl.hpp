// Implementation of <calibra/agreement/mergeable.hpp>.  Compiled once into the library, or included
// by that header when CALIBRA_HEADER_ONLY is defined (see config.hpp).
#pragma once

#include <calibra/agreement/mergeable.hpp>

#include <calibra/agreement/agree.hpp>
#include <calibra/agreement/detail/inference.hpp>
#include <calibra/error.hpp>

#include <algorithm>
#include <string>
#include <type_traits>
#include <utility>

namespace calibra::agreement {

namespace detail {

CALIBRA_INLINE bool has_multi_rater_summary(statistic stat) {
  return stat == statistic::percent || stat == statistic::unanimous || stat == statistic::within ||
         stat == statistic::fleiss || stat == statistic::gwet || stat == statistic::brennan_prediger ||
         stat == statistic::scott;
}

CALIBRA_INLINE void require_two_rater_columns(statistic stat, std::size_t n_raters) {
  if ((stat == statistic::cohen || stat == statistic::scott) && n_raters != 2)
    throw invalid_argument("agreement", std::string(stat == statistic::cohen ? "Cohen's kappa" : "Scott's pi") +
                                            " needs exactly 2 raters (columns); got " + std::to_string(n_raters));
}

}  // namespace detail

CALIBRA_INLINE summary_shape scan_summary_shape(const ratings_ref& ratings, statistic stat, const options& opts) {
  detail::require_two_rater_columns(stat, static_cast<std::size_t>(ratings.cols()));
  summary_shape shape;
  if (stat == statistic::icc) {
    for (Eigen::Index u = 0; u < ratings.rows(); ++u) shape.units += detail::unit_is_complete(ratings, u);
    return shape;
  }
  const coded_ratings coded = code_ratings(ratings, detail::effective_options(stat, opts));
  // From the CSR table rather than for_each_unit: GCC 12 misreads the
  // inlined scratch vectors of for_each_unit here (-Wfree-nonheap-object).
  const detail::unit_counts table = detail::count_units(coded);
  shape.pairable.assign(coded.categories.size(), 0.0);
  for (std::size_t u = 0; u < table.n_units(); ++u) {
    double ratings_of_unit = 0;
    for (std::size_t e = table.offsets[u]; e < table.offsets[u + 1]; ++e) ratings_of_unit += table.count[e];
    if (ratings_of_unit < 2) continue;
    for (std::size_t e = table.offsets[u]; e < table.offsets[u + 1]; ++e)
      shape.pairable[static_cast<std::size_t>(table.category[e])] += table.count[e];
  }
  shape.codes = coded.categories.codes();
  shape.units = coded.n_units();
  return shape;
}

CALIBRA_INLINE mergeable_summary::mergeable_summary(statistic stat, std::size_t n_raters, options opts,
                                                    std::optional<Eigen::VectorXd> marginals)
    : stat_(stat), opts_(std::move(opts)), n_raters_(n_raters), active_(n_raters, 0), marginals_(std::move(marginals)) {
  if (stat_ == statistic::conger || stat_ == statistic::light)
    throw invalid_argument("agreement", std::string(to_string(stat_)) +
                                            " has no mergeable summary: it needs every rater's distribution at "
                                            "once (see docs/agreement.md); compute it with agree() on the whole "
                                            "matrix");
  if (opts_.bootstrap > 0)
    throw invalid_argument("agreement", "a summary gives the analytic interval only: the bootstrap resamples "
                                        "whole units and needs them all at once; leave bootstrap at 0");
  detail::require_two_rater_columns(stat_, n_raters_);
  effective_ = detail::effective_options(stat_, opts_);
  detail::check_confidence(opts_.confidence);

  if (stat_ == statistic::icc) {
    summary_ = icc_summary(n_raters_);
    return;
  }
  if (opts_.categories.empty())
    throw invalid_argument("agreement", "a summary needs the category codes before the first unit: pass "
                                        "categories=[...] (summary_scan() finds the codes of a piece; "
                                        "calibra.dask finds them in a first pass)");
  categories_ = category_set::declared(opts_.categories);

  if (detail::has_multi_rater_summary(stat_)) {
    category_set summary_categories = categories_;
    if (stat_ == statistic::fleiss && opts_.category) {
      // One category against the rest, coded as fleiss_kappa codes it.
      if (categories_.index_of(*opts_.category) == missing_index)
        throw invalid_argument("agreement", "options.category " + detail::format_code(*opts_.category) +
                                                " is not one of the declared categories");
      summary_categories = category_set::from_sorted({*opts_.category - 1, *opts_.category});
    }
    summary_ = multi_rater_summary(summary_categories, detail::family_weights(stat_, effective_, summary_categories));
  } else if (stat_ == statistic::cohen) {
    summary_ = contingency_summary(categories_, weights_for(effective_, categories_.codes()));
  } else if (stat_ == statistic::krippendorff) {
    if (effective_.weights != weight_scheme::identity)
      throw invalid_argument("agreement", "Krippendorff's alpha takes its distance from options.level; "
                                          "options.weights must stay 'identity'");
    std::optional<Eigen::MatrixXd> variance_weights;
    if (effective_.level == measurement_level::ordinal && marginals_) {
      if (marginals_->size() != static_cast<Eigen::Index>(categories_.size()))
        throw invalid_argument("agreement", "marginals: " + std::to_string(marginals_->size()) +
                                                " frequencies for " + std::to_string(categories_.size()) +
                                                " categories; expected one per declared category");
      variance_weights = krippendorff_weights(effective_.level, categories_.codes(), *marginals_);
    }
    summary_ = krippendorff_summary(categories_, effective_.level, std::move(variance_weights));
  }
}

CALIBRA_INLINE void mergeable_summary::add(const ratings_ref& ratings) {
  if (static_cast<std::size_t>(ratings.cols()) != n_raters_)
    throw invalid_argument("agreement", "the summary has " + std::to_string(n_raters_) +
                                            " raters (columns) but the ratings have " + std::to_string(ratings.cols()));
  if (auto* icc = std::get_if<icc_summary>(&summary_)) {
    // ICC takes complete units only, as agreement::icc() does.
    for (Eigen::Index u = 0; u < ratings.rows(); ++u) {
      if (!detail::unit_is_complete(ratings, u)) {
        ++units_dropped_;
        continue;
      }
      if (n_raters_ > 0) icc->add_unit(ratings.row(u));
      units_ += 1;
    }
    if (units_ > 0) std::fill(active_.begin(), active_.end(), 1);
    return;
  }
  coded_ratings coded = code_ratings(ratings, effective_);
  for (Eigen::Index j = 0; j < coded.index.cols(); ++j)
    if ((coded.index.col(j).array() != missing_index).any()) active_[static_cast<std::size_t>(j)] = 1;
  if (auto* table = std::get_if<contingency_summary>(&summary_)) {
    for (Eigen::Index u = 0; u < coded.index.rows(); ++u) {
      table->add_pair(coded.index(u, 0), coded.index(u, 1));
      units_ += 1;
    }
    return;
  }
  if (stat_ == statistic::fleiss && opts_.category) coded = detail::one_versus_rest(coded, *opts_.category);
  pattern_key key;
  detail::for_each_unit(coded, [&](std::size_t, const std::int32_t* category, const double* count, std::size_t n) {
    add_pattern(category, count, n, 1.0);
    key.clear();
    for (std::size_t a = 0; a < n; ++a) {
      key.push_back(category[a]);
      key.push_back(static_cast<std::int32_t>(count[a]));
    }
    patterns_[key] += 1.0;
    units_ += 1;
  });
}

CALIBRA_INLINE mergeable_summary& mergeable_summary::operator+=(const mergeable_summary& other) {
  if (other.stat_ != stat_ || other.n_raters_ != n_raters_ || other.categories_ != categories_)
    throw invalid_argument("agreement", "cannot merge summaries of different statistics, raters or categories: " +
                                            describe() + " and " + other.describe());
  std::visit(
      [&](auto& mine) {
        using summary_type = std::decay_t<decltype(mine)>;
        if constexpr (!std::is_same_v<summary_type, std::monostate>) mine += std::get<summary_type>(other.summary_);
      },
      summary_);
  for (std::size_t j = 0; j < active_.size(); ++j) active_[j] = active_[j] || other.active_[j];
  for (const auto& [key, units] : other.patterns_) patterns_[key] += units;
  units_ += other.units_;
  units_dropped_ += other.units_dropped_;
  return *this;
}

CALIBRA_INLINE result mergeable_summary::finish() const {
  const auto active = static_cast<std::size_t>(std::count(active_.begin(), active_.end(), 1));
  result r;
  if (const auto* icc = std::get_if<icc_summary>(&summary_)) {
    // What agreement::icc() does after its pass over the rows.
    icc_anova anova = icc->finish();
    anova.n_raters = n_raters_;
    anova.n_units = units_;
    r = icc_from_anova(anova, opts_.form, opts_.confidence);
    r.n_units = static_cast<std::size_t>(units_);
    r.extra["units_dropped"] = units_dropped_;
    r.used = opts_;
    r.used.missing = missing_policy::listwise;
  } else if (const auto* table = std::get_if<contingency_summary>(&summary_)) {
    r = table->finish(effective_);
  } else if (const auto* kripp = std::get_if<krippendorff_summary>(&summary_)) {
    krippendorff_summary copy = *kripp;
    copy.n_raters = active;
    r = copy.finish(effective_);
  } else if (const auto* multi = std::get_if<multi_rater_summary>(&summary_)) {
    multi_rater_summary copy = *multi;
    copy.n_raters = active;
    r = copy.finish(stat_, effective_);
    // What agree() reports for these: Scott's pi has no per-category values,
    // and one category against the rest echoes the declared categories.
    if (stat_ == statistic::scott) r.per_category.clear();
    if (stat_ == statistic::fleiss && opts_.category) {
      r.per_category.clear();
      r.used = detail::used_options(opts_, categories_);
    }
  }
  r.stat = stat_;
  return r;
}

CALIBRA_INLINE bool mergeable_summary::has_record() const { return !std::holds_alternative<icc_summary>(summary_); }

CALIBRA_INLINE summary_record mergeable_summary::record() const {
  if (!has_record())
    throw invalid_argument("agreement", "an ICC summary has no compact record yet: icc_summary does not expose its "
                                        "sums; merge ICC summaries in one process");
  summary_record out;
  out.active = active_;
  out.units = units_;
  out.units_dropped = units_dropped_;
  out.patterns.assign(patterns_.begin(), patterns_.end());
  if (const auto* contingency = std::get_if<contingency_summary>(&summary_)) out.table = contingency->table();
  return out;
}

CALIBRA_INLINE mergeable_summary mergeable_summary::from_record(statistic stat, std::size_t n_raters, options opts,
                                                                std::optional<Eigen::VectorXd> marginals,
                                                                const summary_record& record) {
  mergeable_summary s(stat, n_raters, std::move(opts), std::move(marginals));
  if (record.active.size() != n_raters)
    throw invalid_argument("agreement", "summary record: " + std::to_string(record.active.size()) +
                                            " rater flags for " + std::to_string(n_raters) + " raters");
  s.active_ = record.active;
  s.units_ = record.units;
  s.units_dropped_ = record.units_dropped;
  // Pattern keys index the summary's own categories: the declared ones, or
  // the two of one category against the rest.
  const std::size_t n_categories = stat == statistic::fleiss && s.opts_.category ? 2 : s.categories_.size();
  std::vector<std::int32_t> category;
  std::vector<double> count;
  for (const auto& [key, units] : record.patterns) {
    category.clear();
    count.clear();
    for (std::size_t a = 0; a + 1 < key.size(); a += 2) {
      if (key[a] < 0 || static_cast<std::size_t>(key[a]) >= n_categories)
        throw invalid_argument("agreement", "summary record: category index " + std::to_string(key[a]) +
                                                " is outside the summary's categories");
      category.push_back(key[a]);
      count.push_back(key[a + 1]);
    }
    s.add_pattern(category.data(), count.data(), category.size(), units);
    s.patterns_[key] += units;
  }
  if (auto* table = std::get_if<contingency_summary>(&s.summary_)) {
    const Eigen::MatrixXd& cells = record.table;
    if (cells.rows() != table->table().rows() || cells.cols() != table->table().cols())
      throw invalid_argument("agreement", "summary record: the contingency table does not match the categories");
    for (Eigen::Index x = 0; x < cells.rows(); ++x)
      for (Eigen::Index y = 0; y < cells.cols(); ++y)
        if (cells(x, y) != 0) table->add_pair(static_cast<std::int32_t>(x), static_cast<std::int32_t>(y), cells(x, y));
  }
  return s;
}

CALIBRA_INLINE std::string mergeable_summary::describe() const {
  std::string out = std::string(to_string(stat_)) + " over " + std::to_string(n_raters_) + " raters";
  if (!categories_.empty()) {
    out += ", categories [";
    for (std::size_t k = 0; k < categories_.size(); ++k) out += (k ? ", " : "") + detail::format_code(categories_.code(k));
    out += "]";
  }
  return out;
}

CALIBRA_INLINE void mergeable_summary::add_pattern(const std::int32_t* category, const double* count, std::size_t n,
                                                   double units) {
  std::visit(
      [&](auto& summary) {
        using summary_type = std::decay_t<decltype(summary)>;
        if constexpr (std::is_same_v<summary_type, multi_rater_summary> ||
                      std::is_same_v<summary_type, krippendorff_summary>)
          summary.add_unit(category, count, n, units);
      },
      summary_);
}

}  // namespace calibra::agreement
