// Implementation of <calibra/agreement/icc.hpp>.  Compiled once into the library, or included
// by that header when CALIBRA_HEADER_ONLY is defined (see config.hpp).
#pragma once

#include <calibra/agreement/icc.hpp>

#include <calibra/agreement/bootstrap.hpp>
#include <calibra/agreement/options.hpp>
#include <calibra/detail/math_policy.hpp>
#include <calibra/error.hpp>

#include <Eigen/Core>
#include <boost/math/distributions/fisher_f.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>


namespace calibra::agreement {

CALIBRA_INLINE auto icc_summary::operator+=(const icc_summary& other) -> icc_summary& {
  if (other.n_raters() != n_raters())
    throw invalid_argument("icc", "cannot merge ICC summaries over " + std::to_string(n_raters()) + " and " +
                                      std::to_string(other.n_raters()) + " raters");
  if (other.weight_ == 0) return *this;
  if (weight_ == 0) return *this = other;
  const double total = weight_ + other.weight_;
  const double cross = weight_ * other.weight_ / total;
  const double share = other.weight_ / total;

  // Bring the other summary's mean onto this shift before comparing.
  const double delta = (other.unit_mean_mean_ + (other.shift_ - shift_)) - unit_mean_mean_;
  unit_mean_mean_ += delta * share;
  unit_mean_m2_ += other.unit_mean_m2_ + delta * delta * cross;

  const Eigen::VectorXd deltas = other.deviation_mean_ - deviation_mean_;
  deviation_mean_ += deltas * share;
  deviation_m2_ += other.deviation_m2_ + deltas.cwiseAbs2() * cross;
  weight_ = total;
  return *this;
}

CALIBRA_INLINE auto icc_summary::finish() const -> icc_anova {
  icc_anova anova;
  anova.n_units = weight_;
  anova.n_raters = n_raters();
  anova.ss_units = static_cast<double>(n_raters()) * unit_mean_m2_;
  anova.ss_raters = weight_ * deviation_mean_.squaredNorm();
  anova.ss_error = deviation_m2_.sum();
  return anova;
}

CALIBRA_INLINE icc_summary operator+(icc_summary a, const icc_summary& b) { return a += b; }

}  // namespace calibra::agreement

namespace calibra::agreement::detail {

using icc_f_distribution = boost::math::fisher_f_distribution<double, quiet_math_policy>;


CALIBRA_INLINE double f_upper_quantile(double tail, double df1, double df2) {
const double nan = std::numeric_limits<double>::quiet_NaN();
if (!(df1 > 0) || !(df2 > 0) || !std::isfinite(df1) || !std::isfinite(df2) || !(tail > 0 && tail < 1))
  return nan;
try {
  return boost::math::quantile(boost::math::complement(boost::math::fisher_f_distribution<double>(df1, df2), tail));
} catch (const std::exception&) {  // Boost reports overflow / no convergence this way
  return nan;
}
}

CALIBRA_INLINE double f_upper_tail(double statistic, double df1, double df2) {
  if (!std::isfinite(statistic)) return statistic > 0 ? 0.0 : std::numeric_limits<double>::quiet_NaN();
  return boost::math::cdf(boost::math::complement(icc_f_distribution(df1, df2), statistic));
}

CALIBRA_INLINE std::string count_text(double count) {
  if (count == std::floor(count) && std::abs(count) < 1e15) return std::to_string(static_cast<long long>(count));
  return std::to_string(count);
}

CALIBRA_INLINE std::optional<double> finite_or_empty(double x) {
  if (std::isfinite(x)) return x;
  return std::nullopt;
}

CALIBRA_INLINE std::string short_number(double x) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6g", x);
  return buffer;
}

CALIBRA_INLINE double icc2_denominator(const icc_anova& a) {
  const double n = a.n_units, k = static_cast<double>(a.n_raters);
  return a.ms_units() + (k * a.ms_raters() + (k * n - k - n) * a.ms_error()) / n;
}

CALIBRA_INLINE double icc2k_denominator(const icc_anova& a) {
  return a.ms_units() + (a.ms_raters() - a.ms_error()) / a.n_units;
}

CALIBRA_INLINE bool icc2k_denominator_not_positive(const icc_anova& a) {
  const double scale = a.ms_units() + (a.ms_raters() + a.ms_error()) / a.n_units;
  return !(icc2k_denominator(a) > 1e-12 * scale);
}

CALIBRA_INLINE double icc_value(const icc_anova& a, icc_form form) {
const double k = static_cast<double>(a.n_raters);
const double msb = a.ms_units(), mse = a.ms_error(), msw = a.ms_within();
switch (form) {
  case icc_form::icc1: return (msb - msw) / (msb + (k - 1) * msw);
  case icc_form::icc2: return (msb - mse) / icc2_denominator(a);
  case icc_form::icc3: return (msb - mse) / (msb + (k - 1) * mse);
  case icc_form::icc1k: return (msb - msw) / msb;
  case icc_form::icc2k: return (msb - mse) / icc2k_denominator(a);
  case icc_form::icc3k: return (msb - mse) / msb;
}
  return std::numeric_limits<double>::quiet_NaN();
}

CALIBRA_INLINE std::optional<std::string> icc_degenerate_reason(const icc_anova& a, icc_form form) {
  if (a.n_raters < 2)
    return "fewer than 2 raters: the ICC compares raters and needs at least 2 (got " +
           std::to_string(a.n_raters) + ")";
  if (a.n_units < 2)
    return "fewer than 2 units with a rating from every rater (got " + count_text(a.n_units) +
           "): the ICC needs at least 2 complete units";
  if (a.ss_units + a.ss_raters + a.ss_error == 0)
    return "zero variance: every rating is the same, so the ICC is 0/0";
  const bool average = form == icc_form::icc1k || form == icc_form::icc2k || form == icc_form::icc3k;
  if (average && a.ss_units == 0)
    return "every unit has the same mean rating (between-unit mean square is 0): the average-measures ICC "
           "divides by it";
  if (form == icc_form::icc2k && icc2k_denominator_not_positive(a))
    return "ICC2k denominator is not positive: MS_R + (MS_C - MS_E)/n = " + short_number(a.ms_units()) + " + (" +
           short_number(a.ms_raters()) + " - " + short_number(a.ms_error()) + ")/" + count_text(a.n_units) +
           " is at most 0, because the residual disagreement outweighs the differences between units "
           "(ICC2 is at or below -1/(k - 1), where the average of k ratings has no reliability to "
           "report; psych::ICC prints the raw ratio, a value above 1)";
  const double value = icc_value(a, form);
  if (!std::isfinite(value)) return "the ICC is not finite for these mean squares";
  // Every form is at most 1 for n, k >= 2 (ICC2k once its denominator is
  // positive); a larger value could only come from a broken invariant.
  if (value > 1) return "the ICC is above 1 for these mean squares, which no form allows";
  return std::nullopt;
}

}  // namespace calibra::agreement::detail

namespace calibra::agreement {

CALIBRA_INLINE result icc_from_anova(const icc_anova& a, icc_form form, double confidence) {
if (!(confidence > 0 && confidence < 1))
  throw invalid_argument("icc", "confidence level " + std::to_string(confidence) +
                                    " is outside (0, 1); expected e.g. 0.95");
result r;
r.stat = statistic::icc;
r.n_units = static_cast<std::size_t>(std::llround(std::max(0.0, a.n_units)));
r.n_raters = a.n_raters;
r.ci_method = "F";
const double n = a.n_units, k = static_cast<double>(a.n_raters);
const double msb = a.ms_units(), msj = a.ms_raters(), mse = a.ms_error(), msw = a.ms_within();
const bool anova_defined = a.n_raters >= 2 && a.n_units >= 2;
if (anova_defined) {  // also with no value: they show why (e.g. ICC2k's denominator)
  r.extra["ms_units"] = msb;
  r.extra["ms_raters"] = msj;
  r.extra["ms_error"] = mse;
  r.extra["ms_within"] = msw;
}
  if (auto why = detail::icc_degenerate_reason(a, form)) {
    r.reason = std::move(*why);
    r.ci_method.clear();
    return r;
  }
  const double alpha = 1.0 - confidence;
  const double value = detail::icc_value(a, form);
  r.value = value;

  const bool one_way = form == icc_form::icc1 || form == icc_form::icc1k;
  const double f = one_way ? msb / msw : msb / mse;
  const double df1 = a.df_units();
  const double df2 = one_way ? a.df_within() : a.df_error();
  r.extra["df1"] = df1;
  r.extra["df2"] = df2;
  r.extra["p"] = detail::f_upper_tail(f, df1, df2);
  if (!std::isfinite(f)) return r;  // zero residual: F and interval undefined
  r.extra["F"] = f;

  double lower = std::numeric_limits<double>::quiet_NaN();
  double upper = lower;
  switch (form) {
    case icc_form::icc1:
    case icc_form::icc3:
    case icc_form::icc1k:
    case icc_form::icc3k: {
      // Shrout & Fleiss (1979) eqs. for ICC(1,*) and ICC(3,*): the F ratio
      // divided / multiplied by the upper F quantiles.
      const double f_low = f / detail::f_upper_quantile(alpha / 2, df1, df2);
      const double f_high = f * detail::f_upper_quantile(alpha / 2, df2, df1);
      if (form == icc_form::icc1 || form == icc_form::icc3) {
        lower = (f_low - 1) / (f_low + k - 1);
        upper = (f_high - 1) / (f_high + k - 1);
      } else {
        lower = 1 - 1 / f_low;
        upper = 1 - 1 / f_high;
      }
      break;
    }
    case icc_form::icc2:
    case icc_form::icc2k: {
      // Satterthwaite degrees of freedom for the denominator of ICC(2,1)
      // (Shrout & Fleiss 1979; McGraw & Wong 1996), as in psych::ICC: the
      // point estimate of ICC2 enters the formula, the bounds for ICC2k are
      // the Spearman-Brown step-up of the ICC2 bounds.
      const double icc2 = detail::icc_value(a, icc_form::icc2);
      const double fj = msj / mse;
      const double core = n * (1 + (k - 1) * icc2) - k * icc2;
      const double numerator = (k - 1) * (n - 1) * std::pow(k * icc2 * fj + core, 2);
      const double denominator = (n - 1) * k * k * icc2 * icc2 * fj * fj + core * core;
      const double v = numerator / denominator;
      r.extra["df_satterthwaite"] = v;
      const double f_upper = detail::f_upper_quantile(alpha / 2, n - 1, v);
      const double f_lower = detail::f_upper_quantile(alpha / 2, v, n - 1);
      const double spread = k * msj + (k * n - k - n) * mse;
      lower = n * (msb - f_upper * mse) / (f_upper * spread + n * msb);
      upper = n * (f_lower * msb - mse) / (spread + n * f_lower * msb);
      if (form == icc_form::icc2k) {
        // The step-up b -> k b / (1 + (k - 1) b) has its pole at b = -1/(k - 1).
        // An ICC2 bound at or below it has no image below 1: the ICC2k
        // interval is then unbounded below, and is not reported.
        const auto step_up = [k](double bound) {
          const double stepped_denominator = 1 + bound * (k - 1);
          return stepped_denominator > 0 ? bound * k / stepped_denominator
                                         : std::numeric_limits<double>::quiet_NaN();
        };
        lower = step_up(lower);
        upper = step_up(upper);
      }
      break;
    }
  }
  // Both bounds, ordered and at most 1, or none: a half-defined or inverted
  // interval would be read as a real one.
  r.ci_low = detail::finite_or_empty(lower);
  r.ci_high = detail::finite_or_empty(upper);
  if (!r.ci_low || !r.ci_high || !(lower <= upper) || upper > 1) {
    r.ci_low.reset();
    r.ci_high.reset();
  }
  return r;
}

}  // namespace calibra::agreement

namespace calibra::agreement::detail {

CALIBRA_INLINE bool unit_is_complete(const Eigen::Ref<const Eigen::MatrixXd>& ratings, Eigen::Index u) {
for (Eigen::Index j = 0; j < ratings.cols(); ++j) {
  const double x = ratings(u, j);
  if (std::isnan(x)) return false;
  if (!std::isfinite(x))
    throw invalid_argument("icc", "unit " + std::to_string(u + 1) + ", rater " + std::to_string(j + 1) +
                                      ": rating is infinite; expected a finite number or NaN for missing");
}
  return true;
}

CALIBRA_INLINE complete_units listwise_complete(const Eigen::Ref<const Eigen::MatrixXd>& ratings) {
  complete_units out;
  std::vector<Eigen::Index> keep;
  keep.reserve(static_cast<std::size_t>(ratings.rows()));
  for (Eigen::Index u = 0; u < ratings.rows(); ++u)
    if (unit_is_complete(ratings, u)) keep.push_back(u);
  out.dropped = static_cast<std::size_t>(ratings.rows()) - keep.size();
  out.rows.resize(static_cast<Eigen::Index>(keep.size()), ratings.cols());
  for (std::size_t i = 0; i < keep.size(); ++i) out.rows.row(static_cast<Eigen::Index>(i)) = ratings.row(keep[i]);
  return out;
}

/// x when `keep`, +0.0 otherwise, by masking its bits: written as a
/// conditional, GCC makes it a branch, mispredicted at every randomly
/// missing rating (half the time of the two-rater pass with 10% missing).
inline double zero_unless(bool keep, double x) {
  std::uint64_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  bits &= std::uint64_t{0} - static_cast<std::uint64_t>(keep);
  std::memcpy(&x, &bits, sizeof x);
  return x;
}

CALIBRA_INLINE std::optional<icc_columns> icc_from_columns(const Eigen::Ref<const Eigen::MatrixXd>& ratings) {
  const Eigen::Index n = ratings.rows(), k = ratings.cols();
  // With more raters the row-by-row reader is as fast, and with missing
  // ratings faster: it stops at a unit's first missing rating.
  if (n == 0 || k != 2) return std::nullopt;
  // Everything relative to one shift (the first rating of the first
  // column), as icc_summary keeps its means: a large common offset costs
  // no precision.
  double shift = 0;
  for (Eigen::Index u = 0; u < n; ++u)
    if (!std::isnan(ratings(u, 0))) {
      shift = ratings(u, 0);
      break;
    }
  if (!std::isfinite(shift)) return std::nullopt;
  const double inverse_k = 1.0 / static_cast<double>(k);
  constexpr Eigen::Index block = 2048;
  std::array<double, block> unit_sum{};
  std::array<double, block> keep{};           // 1 for a complete unit, 0 otherwise
  std::array<double, 2 * block> centred{};    // each rating minus the shift, 0 when missing
  // Sums over a block in four interleaved partial sums: one running sum
  // would make every addition wait for the previous one.  Units that are
  // not complete enter multiplied by 0 (their values are finite), so the
  // loops do not branch on missingness.
  auto sum_of = [](Eigen::Index size, auto&& term) {
    double part[4] = {0, 0, 0, 0};
    Eigen::Index i = 0;
    for (; i + 4 <= size; i += 4)
      for (Eigen::Index lane = 0; lane < 4; ++lane) part[lane] += term(i + lane);
    for (; i < size; ++i) part[0] += term(i);
    return (part[0] + part[1]) + (part[2] + part[3]);
  };
  // The block's centred ratings, row sums and complete units; false when
  // some rating is infinite (the row-by-row path reports it).
  auto read_block = [&](Eigen::Index begin, Eigen::Index size) {
    std::fill(unit_sum.begin(), unit_sum.begin() + size, 0.0);
    std::fill(keep.begin(), keep.begin() + size, 1.0);
    unsigned infinite = 0;
    for (Eigen::Index j = 0; j < k; ++j) {
      const double* column = ratings.col(j).data() + begin;
      double* out = centred.data() + j * block;
      double* sums = unit_sum.data();
      double* kept_unit = keep.data();
      for (Eigen::Index i = 0; i < size; ++i) {
        const double x = column[i];
        const bool present = x == x;
        infinite |= static_cast<unsigned>(std::abs(x) == std::numeric_limits<double>::infinity());
        const double v = zero_unless(present, x - shift);
        out[i] = v;
        sums[i] += v;
        kept_unit[i] = zero_unless(present, kept_unit[i]);
      }
    }
    return infinite == 0;
  };

  // First pass: the complete units, their mean and each rater's mean.
  std::vector<double> column_sum(static_cast<std::size_t>(k), 0.0);
  double mean_sum = 0, kept_units = 0;
  for (Eigen::Index begin = 0; begin < n; begin += block) {
    const Eigen::Index size = std::min(block, n - begin);
    if (!read_block(begin, size)) return std::nullopt;
    kept_units += sum_of(size, [&](Eigen::Index i) { return keep[static_cast<std::size_t>(i)]; });
    mean_sum += sum_of(size, [&](Eigen::Index i) {
      return keep[static_cast<std::size_t>(i)] * (unit_sum[static_cast<std::size_t>(i)] * inverse_k);
    });
    for (Eigen::Index j = 0; j < k; ++j) {
      const double* values = centred.data() + j * block;
      column_sum[static_cast<std::size_t>(j)] +=
          sum_of(size, [&](Eigen::Index i) { return keep[static_cast<std::size_t>(i)] * values[i]; });
    }
  }
  const auto kept = static_cast<std::size_t>(kept_units);
  icc_columns out;
  out.kept = kept;
  out.anova.n_units = static_cast<double>(kept);
  out.anova.n_raters = static_cast<std::size_t>(k);
  if (kept == 0) return out;
  const double units = static_cast<double>(kept);
  const double grand = mean_sum / units;
  // A rater's mean deviation from the unit means.
  std::vector<double> deviation_mean(static_cast<std::size_t>(k));
  for (Eigen::Index j = 0; j < k; ++j)
    deviation_mean[static_cast<std::size_t>(j)] = column_sum[static_cast<std::size_t>(j)] / units - grand;

  // Second pass: sums of squares about those means.
  double unit_ss = 0, error_ss = 0;
  for (Eigen::Index begin = 0; begin < n; begin += block) {
    const Eigen::Index size = std::min(block, n - begin);
    read_block(begin, size);
    for (Eigen::Index i = 0; i < size; ++i) unit_sum[static_cast<std::size_t>(i)] *= inverse_k;  // the unit mean
    unit_ss += sum_of(size, [&](Eigen::Index i) {
      const double d = unit_sum[static_cast<std::size_t>(i)] - grand;
      return keep[static_cast<std::size_t>(i)] * (d * d);
    });
    for (Eigen::Index j = 0; j < k; ++j) {
      const double* values = centred.data() + j * block;
      const double centre = deviation_mean[static_cast<std::size_t>(j)];
      error_ss += sum_of(size, [&](Eigen::Index i) {
        const double e = values[i] - unit_sum[static_cast<std::size_t>(i)] - centre;
        return keep[static_cast<std::size_t>(i)] * (e * e);
      });
    }
  }
  double raters_ss = 0;
  for (double m : deviation_mean) raters_ss += m * m;
  out.anova.ss_units = static_cast<double>(k) * unit_ss;
  out.anova.ss_raters = units * raters_ss;
  out.anova.ss_error = error_ss;
  return out;
}

CALIBRA_INLINE icc_resampling_data::icc_resampling_data(const icc_rows& rows)
    : n_raters(static_cast<std::size_t>(rows.cols())) {
  const Eigen::Index n = rows.rows(), k = rows.cols();
  centred.resize(n, k + 1);
  if (n == 0 || k == 0) return;
  for (Eigen::Index u = 0; u < n; ++u) {
    // Unit mean relative to the first rating of the table, so that a
    // large common offset cancels exactly before anything is summed.
    const double anchor = rows(u, 0);
    double offset_mean = 0;
    for (Eigen::Index j = 0; j < k; ++j) offset_mean += rows(u, j) - anchor;
    offset_mean /= static_cast<double>(k);
    centred(u, 0) = (anchor - rows(0, 0)) + offset_mean;
    for (Eigen::Index j = 0; j < k; ++j) centred(u, j + 1) = (rows(u, j) - anchor) - offset_mean;
  }
  const Eigen::RowVectorXd means = centred.colwise().mean();
  centred.rowwise() -= means;
  centred_squared = centred.cwiseAbs2();
  deviation_mean = means.tail(k).transpose();
}

CALIBRA_INLINE auto icc_resampling_data::anova(double weight, const double* sums, const double* squares) const
    -> icc_anova {
  icc_anova a;
  a.n_units = weight;
  a.n_raters = n_raters;
  if (!(weight > 0)) return a;
  // square - sum^2 / weight cancels to rounding noise when every drawn unit
  // has the same value (e.g. a resample that drew one unit n times); such
  // a residue is a zero sum of squares, not a tiny variance.
  auto central = [weight](double sum, double square) {
    const double value = square - sum * sum / weight;
    return value <= 1e-12 * square ? 0.0 : value;
  };
  a.ss_units = static_cast<double>(n_raters) * central(sums[0], squares[0]);
  for (std::size_t j = 0; j < n_raters; ++j) {
    const double mean = deviation_mean[static_cast<Eigen::Index>(j)] + sums[j + 1] / weight;
    a.ss_raters += weight * mean * mean;
    a.ss_error += central(sums[j + 1], squares[j + 1]);
  }
  return a;
}

CALIBRA_INLINE double icc_or_nan(const icc_anova& anova, icc_form form) {
  if (icc_degenerate_reason(anova, form)) return std::numeric_limits<double>::quiet_NaN();
  return icc_value(anova, form);
}

CALIBRA_INLINE resampling_plan icc_plan_for_rows(std::shared_ptr<const icc_rows> rows, icc_form form) {
  resampling_plan plan;
  plan.n_units = static_cast<std::size_t>(rows->rows());
  auto data = std::make_shared<const icc_resampling_data>(*rows);
  plan.estimate = [data, form](const std::vector<double>& weights) {
    if (data->n_raters < 2) return std::numeric_limits<double>::quiet_NaN();
    const Eigen::Map<const Eigen::VectorXd> w(weights.data(), data->centred.rows());
    // A resample of fewer than two distinct units has no between-unit variance to estimate.
    if ((w.array() > 0).count() < 2) return std::numeric_limits<double>::quiet_NaN();
    // Buffers per thread, reused across resamples: no allocation per resample.
    thread_local Eigen::VectorXd sums, squares;
    sums.resize(data->centred.cols());
    squares.resize(data->centred.cols());
    sums.noalias() = data->centred.transpose() * w;
    squares.noalias() = data->centred_squared.transpose() * w;
    return icc_or_nan(data->anova(w.sum(), sums.data(), squares.data()), form);
  };
  plan.jackknife = [data, form]() {
    const Eigen::Index n = data->centred.rows(), columns = data->centred.cols();
    std::vector<double> leave_one_out(static_cast<std::size_t>(n), std::numeric_limits<double>::quiet_NaN());
    if (data->n_raters < 2) return leave_one_out;
    const Eigen::RowVectorXd total_sum = data->centred.colwise().sum();
    const Eigen::RowVectorXd total_square = data->centred_squared.colwise().sum();
    Eigen::RowVectorXd sum(columns), square(columns);
    for (Eigen::Index u = 0; u < n; ++u) {
      sum = total_sum - data->centred.row(u);
      square = total_square - data->centred_squared.row(u);
      leave_one_out[static_cast<std::size_t>(u)] =
          icc_or_nan(data->anova(static_cast<double>(n - 1), sum.data(), square.data()), form);
    }
    return leave_one_out;
  };
  return plan;
}

}  // namespace calibra::agreement::detail

namespace calibra::agreement {

CALIBRA_INLINE resampling_plan icc_resampling_plan(const Eigen::Ref<const Eigen::MatrixXd>& ratings,
                                                   const options& opts) {
  auto complete = detail::listwise_complete(ratings);
  return detail::icc_plan_for_rows(std::make_shared<const detail::icc_rows>(std::move(complete.rows)), opts.form);
}

CALIBRA_INLINE result icc(const Eigen::Ref<const Eigen::MatrixXd>& ratings, const options& opts) {
if (!(opts.confidence > 0 && opts.confidence < 1))
  throw invalid_argument("icc", "confidence level " + std::to_string(opts.confidence) +
                                    " is outside (0, 1); expected e.g. 0.95");
const auto k = static_cast<std::size_t>(ratings.cols());
icc_summary summary(k);
detail::complete_units complete;
std::size_t kept = 0;
std::optional<icc_anova> summary_anova;
if (opts.bootstrap > 0) {
  // The bootstrap reads the complete units many times: copy them once.
  complete = detail::listwise_complete(ratings);
  kept = static_cast<std::size_t>(complete.rows.rows());
  if (k > 0)
    for (Eigen::Index u = 0; u < complete.rows.rows(); ++u) summary.add_unit(complete.rows.row(u));
} else if (std::optional<detail::icc_columns> columns = detail::icc_from_columns(ratings)) {
  summary_anova = columns->anova;
  kept = columns->kept;
  complete.dropped = static_cast<std::size_t>(ratings.rows()) - kept;
} else {
  // One pass over the input in place, same checks and order as listwise_complete.
  for (Eigen::Index u = 0; u < ratings.rows(); ++u) {
    if (!detail::unit_is_complete(ratings, u)) {
      ++complete.dropped;
      continue;
    }
    ++kept;
    if (k > 0) summary.add_unit(ratings.row(u));
  }
}
  icc_anova anova = summary_anova ? *summary_anova : summary.finish();
  anova.n_units = static_cast<double>(kept);  // also right when there are no raters

  result r = icc_from_anova(anova, opts.form, opts.confidence);
  r.n_units = kept;
  r.extra["units_dropped"] = static_cast<double>(complete.dropped);
  r.used = opts;
  r.used.missing = missing_policy::listwise;  // what ICC actually does; see the header comment

  if (opts.bootstrap > 0 && r.value) {
    auto rows = std::make_shared<const detail::icc_rows>(std::move(complete.rows));
    apply_bootstrap(r, detail::icc_plan_for_rows(rows, opts.form), opts);
  }
  return r;
}

}  // namespace calibra::agreement
