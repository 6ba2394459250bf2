// Implementation of <calibra/calibration/levels.hpp>.  Compiled once into the library, or included
// by that header when CALIBRA_HEADER_ONLY is defined (see config.hpp).
#pragma once

#include <calibra/calibration/levels.hpp>

#include <calibra/calibration/ratings.hpp>
#include <calibra/calibration/scores.hpp>
#include <calibra/error.hpp>
#include <calibra/framework/framework.hpp>

#include <Eigen/Core>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <boost/math/special_functions/gamma.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>


namespace calibra::calibration::detail {

CALIBRA_INLINE double ratee_nan() { return std::numeric_limits<double>::quiet_NaN(); }

CALIBRA_INLINE ratee_standing standing_of(const ratings_table& table, std::uint32_t ratee,
                                  std::optional<std::uint32_t> period) {
  ratee_standing s;
  const auto& all = table.ratee_periods();
  auto it = std::lower_bound(all.begin(), all.end(), ratee,
                             [](const ratee_period& rp, std::uint32_t key) { return rp.ratee < key; });
  const ratee_period* in_period = nullptr;
  const ratee_period* latest_level = nullptr;
  const ratee_period* latest_track = nullptr;
  for (; it != all.end() && it->ratee == ratee; ++it) {
    if (period && it->period == *period) in_period = &*it;
    if (it->career_level) latest_level = &*it;
    if (it->track) latest_track = &*it;
  }
  if (in_period && in_period->career_level)
    s.career_level = in_period->career_level;
  else if (latest_level)
    s.career_level = latest_level->career_level;
  if (in_period && in_period->track)
    s.track = in_period->track;
  else if (latest_track)
    s.track = latest_track->track;
  if (s.career_level) s.track = table.framework().ladder().career_levels()[*s.career_level].track;
  if (in_period) s.outcome = in_period->outcome;
  return s;
}

CALIBRA_INLINE track_walks::track_walks(const framework& fw) : ladder_(&fw.ladder()), chains_(fw.promotion_chains()) {
  by_level_.resize(ladder_->size());
  for (std::size_t l = 0; l < ladder_->size(); ++l) by_level_[l] = best_chain(l, ladder_->career_levels()[l].track);
  by_track_[0] = best_chain(std::nullopt, track::ic);
  by_track_[1] = best_chain(std::nullopt, track::manager);
}

CALIBRA_INLINE auto track_walks::walk(const ratee_standing& s) const -> const std::vector<std::size_t>& {
  if (s.career_level) return chains_[by_level_[*s.career_level]];
  return chains_[by_track_[s.track == track::manager ? 1 : 0]];
}

CALIBRA_INLINE auto track_walks::next_on_track(std::size_t level) const -> std::optional<std::size_t> {
  const auto& chain = chains_[by_level_[level]];
  const auto it = std::find(chain.begin(), chain.end(), level);
  if (it == chain.end() || it + 1 == chain.end()) return std::nullopt;
  return *(it + 1);
}

CALIBRA_INLINE auto track_walks::best_chain(std::optional<std::size_t> through, calibra::track t) const -> std::size_t {
  std::size_t best = 0;
  long best_count = -1;
  for (std::size_t i = 0; i < chains_.size(); ++i) {
    const auto& chain = chains_[i];
    if (through && std::find(chain.begin(), chain.end(), *through) == chain.end()) continue;
    const long count = std::count_if(chain.begin(), chain.end(),
                                     [&](std::size_t l) { return ladder_->career_levels()[l].track == t; });
    if (count > best_count) {
      best = i;
      best_count = count;
    }
  }
  return best;
}

CALIBRA_INLINE int expectation_at(const framework& fw, std::size_t career_level, std::size_t competency) {
  return fw.expectations()(static_cast<Eigen::Index>(career_level), static_cast<Eigen::Index>(competency));
}

CALIBRA_INLINE sample_summary summarise_sample(const std::vector<double>& xs, double confidence) {
  sample_summary s;
  s.n = xs.size();
  if (xs.empty()) return s;
  double sum = 0;
  for (double x : xs) sum += x;
  s.mean = sum / static_cast<double>(xs.size());
  if (xs.size() < 2) return s;
  double ss = 0;
  for (double x : xs) ss += (x - s.mean) * (x - s.mean);
  s.sd = std::sqrt(ss / static_cast<double>(xs.size() - 1));
  const boost::math::students_t t(static_cast<double>(xs.size() - 1));
  const double half = boost::math::quantile(t, 0.5 + confidence / 2) * s.sd / std::sqrt(static_cast<double>(xs.size()));
  s.ci_low = s.mean - half;
  s.ci_high = s.mean + half;
  return s;
}

CALIBRA_INLINE void check_probability(double value, const char* name, const char* analysis) {
  if (!(value > 0 && value < 1))
    throw invalid_argument("calibration", std::string(analysis) + ": " + name + " = " + std::to_string(value) +
                                              "; expected a value strictly between 0 and 1");
}

CALIBRA_INLINE void check_tolerance(double tolerance, const char* analysis) {
  if (!(tolerance >= 0 && tolerance < 1))
    throw invalid_argument("calibration", std::string(analysis) + ": tolerance = " + std::to_string(tolerance) +
                                              "; expected a value in [0, 1) levels");
}

}  // namespace calibra::calibration::detail

namespace calibra::calibration {

CALIBRA_INLINE std::string_view to_string(anchor_verdict verdict) {
  return calibra::detail::name_of(detail::anchor_verdict_names, verdict);
}

CALIBRA_INLINE std::optional<anchor_verdict> parse_anchor_verdict(std::string_view text) {
  return calibra::detail::value_of<anchor_verdict>(detail::anchor_verdict_names, text);
}

CALIBRA_INLINE auto level_options::validate() const -> void {
  detail::check_tolerance(tolerance, "level inference");
  detail::check_probability(confidence, "confidence", "level inference");
  if (!(verdict_threshold > 0 && verdict_threshold <= 10))
    throw invalid_argument("calibration", "level inference: verdict_threshold = " + std::to_string(verdict_threshold) +
                                              "; expected a value in (0, 10] levels");
}

}  // namespace calibra::calibration

namespace calibra::calibration::detail {

CALIBRA_INLINE hedges_result hedges_g(const std::vector<double>& a, const std::vector<double>& b) {
  hedges_result r;
  const double na = static_cast<double>(a.size()), nb = static_cast<double>(b.size());
  const double m = na + nb - 2;
  if (a.size() < 2 || b.size() < 2 || m < 2) return r;
  const auto mean = [](const std::vector<double>& xs) {
    double s = 0;
    for (double x : xs) s += x;
    return s / static_cast<double>(xs.size());
  };
  const double ma = mean(a), mb = mean(b);
  double ss = 0;
  for (double x : a) ss += (x - ma) * (x - ma);
  for (double x : b) ss += (x - mb) * (x - mb);
  const double pooled_sd = std::sqrt(ss / m);
  if (!(pooled_sd > 0)) return r;
  const double correction = boost::math::tgamma_ratio(m / 2, (m - 1) / 2) / std::sqrt(m / 2);
  r.g = correction * (ma - mb) / pooled_sd;
  r.se = std::sqrt(1 / na + 1 / nb + r.g * r.g / (2 * (na + nb)));
  return r;
}

CALIBRA_INLINE auc_result auc_delong(const std::vector<double>& a, std::vector<double> b_sorted_copy) {
  auc_result r;
  if (a.empty() || b_sorted_copy.empty()) return r;
  std::vector<double> a_sorted = a;
  std::sort(a_sorted.begin(), a_sorted.end());
  std::vector<double>& b_sorted = b_sorted_copy;
  std::sort(b_sorted.begin(), b_sorted.end());
  const double na = static_cast<double>(a.size()), nb = static_cast<double>(b_sorted.size());
  // Placement values: for each a, the share of b below it (ties count half);
  // for each b, the share of a above it.
  const auto share_below = [](const std::vector<double>& sorted, double x) {
    const auto lo = std::lower_bound(sorted.begin(), sorted.end(), x);
    const auto hi = std::upper_bound(lo, sorted.end(), x);
    return (static_cast<double>(lo - sorted.begin()) + 0.5 * static_cast<double>(hi - lo)) /
           static_cast<double>(sorted.size());
  };
  std::vector<double> v10, v01;
  for (double x : a_sorted) v10.push_back(share_below(b_sorted, x));
  for (double y : b_sorted) v01.push_back(1 - share_below(a_sorted, y));
  double sum = 0;
  for (double v : v10) sum += v;
  r.auc = sum / na;
  const auto variance = [](const std::vector<double>& xs, double mean) {
    if (xs.size() < 2) return ratee_nan();
    double ss = 0;
    for (double x : xs) ss += (x - mean) * (x - mean);
    return ss / static_cast<double>(xs.size() - 1);
  };
  const double var = variance(v10, r.auc) / na + variance(v01, r.auc) / nb;
  r.se = std::sqrt(var);
  return r;
}

CALIBRA_INLINE double normal_quantile(double p) { return boost::math::quantile(boost::math::normal(), p); }

CALIBRA_INLINE expectation_gap_summary expectation_gap_from(const std::vector<double>& xs, double confidence,
                                                            const privacy_policy& privacy) {
expectation_gap_summary g;
g.n_ratees = xs.size();
if (!privacy.allows(xs.size())) {
  g.suppressed = true;
  g.note = privacy.marker(xs.size());
  return g;
}
  const sample_summary s = summarise_sample(xs, confidence);
  g.mean = s.mean;
  g.sd = s.sd;
  g.ci_low = s.ci_low;
  g.ci_high = s.ci_high;
  return g;
}

CALIBRA_INLINE anchor_verdict judge_anchors(const expectation_gap_summary& g, double threshold) {
  if (g.suppressed) return anchor_verdict::suppressed;
  if (g.n_ratees < 2) return anchor_verdict::insufficient_data;
  if (std::abs(g.mean) < threshold) return anchor_verdict::calibrated;
  if (g.mean > 0 && g.ci_low > 0) return anchor_verdict::too_easy;
  if (g.mean < 0 && g.ci_high < 0) return anchor_verdict::too_hard;
  return anchor_verdict::unclear;
}

}  // namespace calibra::calibration::detail

namespace calibra::calibration {

CALIBRA_INLINE level_inference infer_levels(const calibration_context& context, const level_options& options) {
  options.validate();
  const ratings_table& table = context.table();
  const framework& fw = context.framework();
  const competency_scores& scores = context.scores("level inference");
  level_inference out;
  out.period = context.period();
  out.score_method = scores.method;
  out.tolerance = options.tolerance;
  const std::size_t n_comp = fw.competencies().size();
  const detail::track_walks walks(fw);
  const bool has_se = scores.se.size() != 0;

  // Does row i meet career level l?  Collects the shortfalls when asked.
  const auto meets = [&](Eigen::Index i, std::size_t level, std::vector<competency_shortfall>* shortfalls) {
    bool ok = true;
    for (std::size_t c = 0; c < n_comp; ++c) {
      const double score = scores.value(i, static_cast<Eigen::Index>(c));
      const int expected = detail::expectation_at(fw, level, c);
      if (std::isnan(score)) {
        if (!options.unscored_counts_as_unmet) continue;
        ok = false;
        if (shortfalls) shortfalls->push_back({c, score, expected, detail::ratee_nan()});
      } else if (score < expected - options.tolerance) {
        ok = false;
        if (shortfalls) shortfalls->push_back({c, score, expected, expected - score});
      }
    }
    return ok;
  };
  // Sum of squared (score - expectation at `level`) over the scored
  // competencies, each divided by `variance(c)`.
  const auto squared_distance = [&](Eigen::Index i, std::size_t level, const auto& variance) {
    double sum = 0;
    for (std::size_t c = 0; c < n_comp; ++c) {
      const double score = scores.value(i, static_cast<Eigen::Index>(c));
      if (std::isnan(score)) continue;
      const double d = score - detail::expectation_at(fw, level, c);
      sum += d * d / variance(c);
    }
    return sum;
  };
  const auto unit = [](std::size_t) { return 1.0; };
  const auto se_of = [&](Eigen::Index i, std::size_t c) {
    const double se = has_se ? scores.se(i, static_cast<Eigen::Index>(c)) : 0.0;
    return std::isfinite(se) ? se : 0.0;
  };

  std::vector<detail::ratee_standing> standings;
  standings.reserve(scores.ratees.size());
  for (std::size_t row = 0; row < scores.ratees.size(); ++row)
    standings.push_back(detail::standing_of(table, scores.ratees[row], out.period));

  // tau^2, how far people's true profiles scatter around the expectation
  // row of the level they work at: the mean squared distance of the scores
  // from the row of their actual career level (else the nearest row of
  // their walk), less the scores' own mean error variance; at least 0.
  double residual_sum = 0, error_sum = 0;
  std::size_t cells = 0;
  for (std::size_t row = 0; row < scores.ratees.size(); ++row) {
    const auto i = static_cast<Eigen::Index>(row);
    std::optional<std::size_t> level = standings[row].career_level;
    if (!level) {
      double best = std::numeric_limits<double>::infinity();
      for (std::size_t l : walks.walk(standings[row])) {
        const double d = squared_distance(i, l, unit);
        if (d < best) {
          best = d;
          level = l;
        }
      }
    }
    if (!level) continue;
    for (std::size_t c = 0; c < n_comp; ++c) {
      const double score = scores.value(i, static_cast<Eigen::Index>(c));
      if (std::isnan(score)) continue;
      const double d = score - detail::expectation_at(fw, *level, c);
      residual_sum += d * d;
      error_sum += se_of(i, c) * se_of(i, c);
      ++cells;
    }
  }
  out.profile_spread = cells > 0 ? std::sqrt(std::max(0.0, (residual_sum - error_sum) / static_cast<double>(cells)))
                                 : detail::ratee_nan();
  const double tau2 = std::isfinite(out.profile_spread) ? out.profile_spread * out.profile_spread : 0.0;

  for (std::size_t row = 0; row < scores.ratees.size(); ++row) {
    const auto i = static_cast<Eigen::Index>(row);
    ratee_level r;
    r.ratee = scores.ratees[row];
    const detail::ratee_standing& standing = standings[row];
    r.career_level = standing.career_level;
    r.outcome = standing.outcome;
    r.walk = walks.walk(standing);
    for (std::size_t c = 0; c < n_comp; ++c) r.scored += !std::isnan(scores.value(i, static_cast<Eigen::Index>(c)));

    if (r.scored > 0 && !r.walk.empty()) {
      // The posterior over the levels of the walk, uniform prior: each
      // level's expectation row is the centre of the profiles of the people
      // who work at it, and a score scatters around it with variance
      // tau^2 + se^2, independently across competencies.  The likelihood of
      // level j is exp(-Q_j / 2), Q_j = sum (score - expectation)^2 /
      // (tau^2 + se^2).  With no variance at all, the nearest row has all
      // the probability.
      bool any_variance = tau2 > 0;
      for (std::size_t c = 0; c < n_comp && !any_variance; ++c) any_variance = se_of(i, c) > 0;
      const auto variance = [&](std::size_t c) {
        const double v = se_of(i, c) * se_of(i, c) + tau2;
        return v > 0 ? v : 1.0;
      };
      std::vector<double> distance;
      for (std::size_t level : r.walk) distance.push_back(squared_distance(i, level, variance));
      const std::size_t mode =
          static_cast<std::size_t>(std::min_element(distance.begin(), distance.end()) - distance.begin());
      double total = 0;
      for (double d : distance) {
        r.level_probabilities.push_back(any_variance ? std::exp(-(d - distance[mode]) / 2) : 0.0);
        total += r.level_probabilities.back();
      }
      if (!any_variance) {
        r.level_probabilities[mode] = 1.0;
        total = 1.0;
      }
      for (double& p : r.level_probabilities) p /= total;
      // The inferred level is the most probable one (the lower on a tie:
      // min_element takes the first); the next level is the one above it.
      r.inferred_level = r.walk[mode];
      r.inferred_probability = r.level_probabilities[mode];
      if (mode + 1 < r.walk.size()) {
        r.next_level = r.walk[mode + 1];
        meets(i, *r.next_level, &r.shortfalls);
      }
      // Best fit over every career level of the ladder.
      double best = std::numeric_limits<double>::infinity();
      for (std::size_t level = 0; level < fw.ladder().size(); ++level) {
        const double ss = squared_distance(i, level, unit);
        if (ss < best) {
          best = ss;
          r.best_fit_level = level;
        }
      }
      r.best_fit_distance = std::sqrt(best / static_cast<double>(r.scored));
      std::stable_sort(r.shortfalls.begin(), r.shortfalls.end(),
                       [](const competency_shortfall& a, const competency_shortfall& b) {
                         // Unscored (NaN) shortfalls go last.
                         if (std::isnan(a.shortfall) != std::isnan(b.shortfall)) return std::isnan(b.shortfall);
                         return a.shortfall > b.shortfall;
                       });
    }
    if (r.career_level) {
      const auto position = [&](std::optional<std::size_t> level) -> long {
        if (!level) return -1;
        return static_cast<long>(std::find(r.walk.begin(), r.walk.end(), *level) - r.walk.begin());
      };
      if (r.scored > 0) {
        const long inferred = position(r.inferred_level), actual = position(r.career_level);
        r.inferred_vs_actual = inferred > actual ? 1 : inferred == actual ? 0 : -1;
      }
      r.promotion_target = walks.next_on_track(*r.career_level);
      if (r.promotion_target && r.scored > 0) {
        double sum = 0;
        for (std::size_t c = 0; c < n_comp; ++c) {
          const double score = scores.value(i, static_cast<Eigen::Index>(c));
          if (!std::isnan(score)) sum += score - detail::expectation_at(fw, *r.promotion_target, c);
        }
        r.readiness_index = sum / static_cast<double>(r.scored);
      }
    }
    out.ratees.push_back(std::move(r));
  }
  out.available = !out.ratees.empty();
  if (!out.available) out.reason = "no ratee has scores";

  // ---- matrix validation: score - expectation at the actual career level.
  const std::size_t n_levels = fw.ladder().size();
  std::vector<std::vector<double>> per_cell(n_comp * n_levels), per_competency(n_comp);
  std::vector<std::vector<double>> ratee_gap_by_level(n_levels);
  std::vector<std::vector<int>> relation_by_level(n_levels);
  for (std::size_t row = 0; row < out.ratees.size(); ++row) {
    const ratee_level& r = out.ratees[row];
    if (!r.career_level || r.scored == 0) continue;
    double sum = 0;
    for (std::size_t c = 0; c < n_comp; ++c) {
      const double score = scores.value(static_cast<Eigen::Index>(row), static_cast<Eigen::Index>(c));
      if (std::isnan(score)) continue;
      const double gap = score - detail::expectation_at(fw, *r.career_level, c);
      per_cell[c * n_levels + *r.career_level].push_back(gap);
      per_competency[c].push_back(gap);
      sum += gap;
    }
    ratee_gap_by_level[*r.career_level].push_back(sum / static_cast<double>(r.scored));
    relation_by_level[*r.career_level].push_back(*r.inferred_vs_actual);
  }
  matrix_validation& v = out.validation;
  v.confidence = options.confidence;
  v.verdict_threshold = options.verdict_threshold;
  std::size_t with_level = 0;
  for (const auto& gaps : ratee_gap_by_level) with_level += gaps.size();
  v.available = with_level > 0;
  if (!v.available)
    v.reason = out.ratees.empty() ? "no ratee has scores" : "no ratee with scores has a career level in the ratings";
  if (v.available) {
    for (std::size_t c = 0; c < n_comp; ++c)
      for (std::size_t l = 0; l < n_levels; ++l)
        if (!per_cell[c * n_levels + l].empty())
          v.cells.push_back(
              {c, l, detail::expectation_gap_from(per_cell[c * n_levels + l], options.confidence, context.privacy())});
    for (std::size_t c = 0; c < n_comp; ++c) {
      competency_validation cv;
      cv.competency = c;
      cv.expectation_gap = detail::expectation_gap_from(per_competency[c], options.confidence, context.privacy());
      cv.verdict = detail::judge_anchors(cv.expectation_gap, options.verdict_threshold);
      v.competencies.push_back(std::move(cv));
    }
    const auto level_row = [&](std::size_t level, const std::vector<double>& gaps, const std::vector<int>& relation) {
      career_level_validation lv;
      lv.career_level = level;
      lv.expectation_gap = detail::expectation_gap_from(gaps, options.confidence, context.privacy());
      if (!lv.expectation_gap.suppressed && !relation.empty()) {
        const double n = static_cast<double>(relation.size());
        lv.share_above = static_cast<double>(std::count(relation.begin(), relation.end(), 1)) / n;
        lv.share_equal = static_cast<double>(std::count(relation.begin(), relation.end(), 0)) / n;
        lv.share_below = static_cast<double>(std::count(relation.begin(), relation.end(), -1)) / n;
      }
      return lv;
    };
    std::vector<double> all_gaps;
    std::vector<int> all_relations;
    for (std::size_t l = 0; l < n_levels; ++l) {
      if (ratee_gap_by_level[l].empty()) continue;
      v.career_levels.push_back(level_row(l, ratee_gap_by_level[l], relation_by_level[l]));
      all_gaps.insert(all_gaps.end(), ratee_gap_by_level[l].begin(), ratee_gap_by_level[l].end());
      all_relations.insert(all_relations.end(), relation_by_level[l].begin(), relation_by_level[l].end());
    }
    v.overall = level_row(0, all_gaps, all_relations);
  }

  // ---- promotion separation on the readiness index.
  promotion_separation& s = out.separation;
  s.confidence = options.confidence;
  std::vector<double> promoted, not_promoted;
  std::size_t with_outcome = 0;
  for (const ratee_level& r : out.ratees) {
    if (!r.outcome) continue;
    ++with_outcome;
    if (std::isnan(r.readiness_index)) continue;
    (*r.outcome == promotion_outcome::promoted ? promoted : not_promoted).push_back(r.readiness_index);
  }
  s.n_promoted = promoted.size();
  s.n_not_promoted = not_promoted.size();
  if (with_outcome == 0) {
    s.reason = out.period ? "no ratee with scores has an outcome in period '" + table.periods()[*out.period] + "'"
                          : "no ratee with scores has an outcome";
  } else if (promoted.empty() || not_promoted.empty()) {
    s.reason = std::string("every ratee with an outcome, a career level below the top and scores was ") +
               (promoted.empty() ? "not promoted" : "promoted") + "; both groups are needed";
  } else {
    s.available = true;
    if (!context.privacy().allows(promoted.size()) || !context.privacy().allows(not_promoted.size())) {
      s.suppressed = true;
      s.note = context.privacy().marker(std::min(promoted.size(), not_promoted.size())) + " (smaller outcome group)";
    } else {
      const detail::sample_summary p = detail::summarise_sample(promoted, options.confidence);
      const detail::sample_summary q = detail::summarise_sample(not_promoted, options.confidence);
      s.mean_promoted = p.mean;
      s.sd_promoted = p.sd;
      s.mean_not_promoted = q.mean;
      s.sd_not_promoted = q.sd;
      const double z = detail::normal_quantile(0.5 + options.confidence / 2);
      const detail::hedges_result g = detail::hedges_g(promoted, not_promoted);
      s.hedges_g = g.g;
      s.g_se = g.se;
      s.g_ci_low = g.g - z * g.se;
      s.g_ci_high = g.g + z * g.se;
      if (std::isnan(g.g))
        s.note = "Hedges' g is undefined: a group has fewer than two ratees or the readiness index does not vary";
      const detail::auc_result a = detail::auc_delong(promoted, not_promoted);
      s.auc = a.auc;
      s.auc_se = a.se;
      s.auc_ci_low = std::max(0.0, a.auc - z * a.se);
      s.auc_ci_high = std::min(1.0, a.auc + z * a.se);
    }
  }
  return out;
}


}  // namespace calibra::calibration
