// Implementation of <calibra/reports/calibration_report.hpp>.  Compiled once into the library, or included
// by that header when CALIBRA_HEADER_ONLY is defined (see config.hpp).
#pragma once

#include <calibra/reports/calibration_report.hpp>

#include <calibra/calibration/calibrate.hpp>
#include <calibra/reports/framework_report.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <map>
#include <string>
#include <vector>


namespace calibra::reports::detail {

CALIBRA_INLINE std::string yes_no(bool v) { return v ? "yes" : "no"; }

CALIBRA_INLINE std::string rater_name(const cal::ratings_table& t, std::uint32_t id) { return t.raters()[id]; }

CALIBRA_INLINE std::string ratee_name(const cal::ratings_table& t, std::uint32_t id) { return t.ratees()[id]; }

CALIBRA_INLINE std::string period_name(const cal::ratings_table& t, std::uint32_t id) { return t.periods()[id]; }

CALIBRA_INLINE std::string career_level_name(const framework& fw, const std::optional<std::size_t>& level) {
  return level ? fw.ladder().career_levels()[*level].name : std::string();
}

CALIBRA_INLINE std::optional<int> score_level(const framework& fw, double score) {
  if (!std::isfinite(score)) return std::nullopt;
  const int n = static_cast<int>(fw.scale().size());
  return std::clamp(static_cast<int>(std::lround(score)), 1, n);
}

CALIBRA_INLINE std::string fixed2(double v) {
  if (!std::isfinite(v)) return "n/a";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2f", v);
  return buffer;
}

CALIBRA_INLINE std::string percent(double share) {
  if (!std::isfinite(share)) return "n/a";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.0f%%", share * 100);
  return buffer;
}

CALIBRA_INLINE std::string unavailable_text(const std::string& what, const std::string& reason) {
  return what + " is not available for these ratings: " + (reason.empty() ? "no reason given" : reason) + ".";
}

}  // namespace calibra::reports::detail

namespace calibra::reports {

CALIBRA_INLINE section data_section(const calibration::calibration_report& cal,
                                    const calibration::ratings_table& ratings) {
  namespace cal_ns = calibration;
  const auto& in = cal.input;
  section s;
  s.id = "data";
  s.title = "Ratings data";
  s.intro = "Ratings " + (in.source.empty() ? std::string() : "from " + in.source + " ") +
            "for the framework above: " + std::to_string(in.rows_kept) + " ratings of " + std::to_string(in.ratees) +
            " ratees by " + std::to_string(in.raters) + " raters over " + std::to_string(in.periods) +
            " periods. The ratee analyses describe " + cal.period_name + ". Aggregates over fewer than " +
            std::to_string(cal.privacy.min_group) + " ratees are suppressed to protect the people in them.";

  table input(
      "input", "What was read",
      {column("measure", "Measure", column_kind::text, 36), column("value", "Value", column_kind::integer, 10)});
  input.add_row({"Rows read", in.rows_read});
  input.add_row({"Ratings kept", in.rows_kept});
  input.add_row({"Repeated ratings folded (duplicate policy " + std::string(cal_ns::to_string(in.duplicates)) + ")",
                 in.duplicate_rows_dropped});
  input.add_row({"Ratees", in.ratees});
  input.add_row({"Raters", in.raters});
  input.add_row({"Periods", in.periods});
  for (cal_ns::rater_role role : cal_ns::all_rater_roles)
    input.add_row(
        {"Ratings by role: " + std::string(cal_ns::to_string(role)), in.rows_per_role[static_cast<std::size_t>(role)]});
  for (std::size_t p = 0; p < in.rows_per_period.size() && p < ratings.periods().size(); ++p)
    input.add_row({"Ratings in " + detail::period_name(ratings, static_cast<std::uint32_t>(p)), in.rows_per_period[p]});
  input.add_row({"Rows with a career level", in.rows_with_career_level});
  input.add_row({"Rows with a promotion outcome", in.rows_with_outcome});

  table analyses("analyses", "Analyses",
                 {column("analysis", "Analysis", column_kind::text, 22), column("ran", "Ran", column_kind::text, 6),
                  column("reason", "Why not", column_kind::text, 70)});
  analyses.caption = "Every analysis the data supports runs; the others say what is missing.";
  for (const auto& a : cal.analyses)
    analyses.add_row(
        {a.id, cell(detail::yes_no(a.available)).emphasised(!a.available), a.reason.empty() ? cell() : cell(a.reason)});
  if (!in.ignored_columns.empty()) {
    std::string cols;
    for (const auto& c : in.ignored_columns) cols += (cols.empty() ? "" : ", ") + c;
    s.notes.push_back("Columns ignored while reading: " + cols + ".");
  }
  s.tables = {std::move(input), std::move(analyses)};
  return s;
}

CALIBRA_INLINE section calibration_section(const calibration::calibration_report& cal,
                                           const calibration::ratings_table& ratings,
                                           const calibration_report_options& options) {
  const framework& fw = ratings.framework();
  const auto& anchors = cal.anchors;
  section s;
  s.id = "calibration";
  s.title = "Calibration";

  table agreement("agreement", "Agreement per competency",
                  {column("quadrant", "Quadrant", column_kind::text, 18).as_group_key(),
                   column("competency", "Competency", column_kind::text, 28),
                   column("units", "Ratee-periods rated by 2+", column_kind::integer, 11),
                   column("raters", "Raters", column_kind::integer, 8),
                   column("alpha", "Krippendorff's alpha", column_kind::number, 12).with_digits(2),
                   column("alpha_ci_low", "alpha CI low", column_kind::number, 10).with_digits(2),
                   column("alpha_ci_high", "alpha CI high", column_kind::number, 10).with_digits(2),
                   column("gwet_ac2", "Gwet's AC2", column_kind::number, 10).with_digits(2),
                   column("exact", "Exact agreement", column_kind::percent, 10).with_digits(0),
                   column("within_one", "Within one level", column_kind::percent, 10).with_digits(0),
                   column("divergent_units", "Divergent units", column_kind::integer, 10),
                   column("divergent_share", "Divergent share", column_kind::percent, 10).with_digits(0),
                   column("adjusted_divergent_share", "Divergent after severity", column_kind::percent, 10)
                       .with_digits(0),
                   column("needs_rewrite", "Anchor needs rewriting", column_kind::text, 10),
                   column("why", "Why", column_kind::text, 48),
                   column("note", "Note", column_kind::text, 30)});
  agreement.frozen_columns = 2;
  agreement.caption = "Raters of the same ratee in the same period compared competency by competency. A unit is "
                      "divergent when its ratings span more than one level; \"after severity\" removes each "
                      "rater's overall leniency or harshness first, so that a lenient rater does not make an "
                      "anchor look vague.";
  table examples("divergent-examples", "Divergent ratings (evidence)",
                 {column("competency", "Competency", column_kind::text, 28),
                  column("ratee", "Ratee", column_kind::text, 12), column("period", "Period", column_kind::text, 9),
                  column("spread", "Spread (levels)", column_kind::integer, 8),
                  column("adjusted_spread", "Spread after severity", column_kind::number, 9).with_digits(2),
                  column("ratings", "Ratings (rater: level)", column_kind::text, 40)});
  examples.caption = "The largest disagreements behind each anchor flagged for rewriting.";
  examples.empty_text = "No anchor is flagged for rewriting.";
  bar_chart within;
  within.id = "agreement-chart";
  within.title = "Rater pairs within one level, per competency";
  within.value_label = "% of rater pairs within one level";
  within.min = 0;
  within.max = 100;
  within.reference_lines = {anchors.min_within_one * 100};

  if (!anchors.available) {
    s.intro = detail::unavailable_text("Agreement between raters", anchors.reason);
    agreement.empty_text = s.intro;
  } else {
    const auto& o = anchors.overall;
    s.intro = "Overall, " + detail::percent(o.within_one) +
              " of rater pairs rating the same ratee lie within one "
              "level of each other and " +
              detail::percent(o.exact) + " agree exactly (Krippendorff's ordinal alpha " + detail::fixed2(o.alpha) +
              ", Gwet's AC2 " + detail::fixed2(o.gwet) + ", over " + std::to_string(o.n_units) +
              " ratee-competency-periods). " + std::to_string(anchors.competencies_flagged) + " of " +
              std::to_string(anchors.competencies_evaluated) +
              (anchors.competencies_flagged == 1 ? " competencies is flagged: its anchors let"
                                                 : " competencies are flagged: their anchors let") +
              " raters read the same person more than one level apart" +
              (anchors.severity_adjusted ? " even once each rater's severity is taken out" : "") + " (more than " +
              detail::percent(anchors.max_divergent_share) + " of units divergent, or fewer than " +
              detail::percent(anchors.min_within_one) + " of pairs within one level; at least " +
              std::to_string(anchors.min_units) + " units needed).";
    if (!anchors.note.empty()) s.notes.push_back(anchors.note);
    if (o.suppressed && !o.note.empty()) s.notes.push_back("Overall agreement: " + o.note);
    std::optional<quadrant> current;
    for (std::size_t c : detail::competencies_by_quadrant(fw)) {
      const competency& comp = fw.competencies()[c];
      const auto it = std::find_if(anchors.competencies.begin(), anchors.competencies.end(),
                                   [&](const auto& a) { return a.competency == c; });
      if (it == anchors.competencies.end()) continue;
      const auto& a = *it;
      if (comp.quadrant && (!current || *current != *comp.quadrant)) {
        current = comp.quadrant;
        agreement.begin_group(detail::quadrant_title(comp.quadrant));
      }
      std::string note = a.suppressed ? a.note : std::string();
      if (!a.suppressed && !a.evaluated && a.n_units > 0) note = a.not_evaluated;
      if (a.n_units == 0) note = "not rated by two raters";
      agreement.add_row({detail::quadrant_title(comp.quadrant), cell(comp.name).emphasised(a.needs_rewrite), a.n_units,
                         a.n_raters, a.alpha, a.alpha_ci_low, a.alpha_ci_high, a.gwet, a.exact, a.within_one,
                         a.suppressed ? cell() : cell(a.divergent_units), a.divergent_share,
                         a.adjusted_divergent_share, cell(detail::yes_no(a.needs_rewrite)).emphasised(a.needs_rewrite),
                         a.rewrite_reason.empty() ? cell() : cell(a.rewrite_reason),
                         note.empty() ? cell() : cell(note)});
      within.bars.push_back({comp.name, a.suppressed ? std::numeric_limits<double>::quiet_NaN() : a.within_one * 100,
                             std::nullopt, a.needs_rewrite});
      if (!a.needs_rewrite) continue;
      for (std::size_t k = 0; k < a.examples.size() && k < options.max_examples_per_competency; ++k) {
        const auto& unit = a.examples[k];
        std::string listed;
        for (const auto& [rater, level] : unit.ratings)
          listed += (listed.empty() ? "" : ", ") + detail::rater_name(ratings, rater) + ": " +
                     fw.scale().at_ordinal(level).label;
        examples.add_row({comp.name, options.include_ratees ? cell(detail::ratee_name(ratings, unit.ratee)) : cell(),
                          detail::period_name(ratings, unit.period), unit.spread, unit.adjusted_spread, listed});
      }
    }
  }

  table periods("agreement-per-period", "Agreement per period",
                {column("period", "Period", column_kind::text, 9),
                 column("units", "Units", column_kind::integer, 8),
                 column("alpha", "Krippendorff's alpha", column_kind::number, 12).with_digits(2),
                 column("within_one", "Within one level", column_kind::percent, 10).with_digits(0),
                 column("alpha_drop", "alpha below the best earlier period", column_kind::number, 12).with_digits(2),
                 column("decay", "Calibration decay", column_kind::text, 10),
                 column("why", "Why", column_kind::text, 50), column("note", "Note", column_kind::text, 30)});
  periods.caption = "Agreement that falls from one calibration session to the next is calibration decay.";
  if (!cal.drift.available) {
    periods.empty_text = detail::unavailable_text("Agreement per period", cal.drift.reason);
  } else {
    for (const auto& p : cal.drift.agreement)
      periods.add_row({detail::period_name(ratings, p.period), p.agreement.n_units, p.agreement.alpha,
                       p.agreement.within_one, p.alpha_drop, cell(detail::yes_no(p.decay)).emphasised(p.decay),
                       p.decay_reason.empty() ? cell() : cell(p.decay_reason),
                       p.agreement.suppressed ? cell(p.agreement.note) : cell()});
  }

  const auto& study = cal.decision_study;
  table raters_needed("decision-study", "Raters needed per ratee",
                      {column("raters", "Raters per ratee", column_kind::integer, 10),
                       column("g", "Reliability (relative, G)", column_kind::number, 12).with_digits(2),
                       column("phi", "Dependability (absolute, Phi)", column_kind::number, 12).with_digits(2),
                       column("reaches_target", "Reaches the target", column_kind::text, 10)});
  if (!study.available || study.suppressed) {
    raters_needed.empty_text = study.suppressed ? study.note
                                                : detail::unavailable_text("The decision study", study.reason);
  } else if (!study.projection_reason.empty()) {
    raters_needed.empty_text = "No reliability projection: " + study.projection_reason + ".";
  } else {
    raters_needed.caption = "Projected from the variance components of these ratings (" + study.estimator +
                            "); today each ratee has " + detail::fixed2(study.harmonic_raters_per_unit) +
                            " raters per competency on average (harmonic mean), giving G = " +
                            detail::fixed2(study.g_current) + ".";
    for (const auto& p : study.projection) {
      const bool reaches = p.g >= study.target;
      raters_needed.add_row({p.raters, p.g, p.phi, cell(detail::yes_no(reaches)).emphasised(
                                                       study.raters_needed_g && p.raters == *study.raters_needed_g)});
    }
    s.notes.push_back(study.raters_needed_g
                          ? std::to_string(*study.raters_needed_g) + " raters per ratee reach a reliability of " +
                                detail::fixed2(study.target) + " (G)."
                          : "No number of raters up to " + std::to_string(study.projection.size()) +
                                " reaches a reliability of " + detail::fixed2(study.target) + ".");
    for (const auto& n : study.notes) s.notes.push_back(n);
  }

  s.tables = {std::move(agreement), std::move(examples), std::move(periods), std::move(raters_needed)};
  if (!within.bars.empty()) s.charts.emplace_back(std::move(within));
  return s;
}

CALIBRA_INLINE section raters_section(const calibration::calibration_report& cal,
                                      const calibration::ratings_table& ratings) {
  const auto& fit = cal.severity;
  const auto& network = fit.network;
  section s;
  s.id = "raters";
  s.title = "Raters";

  table severity(
      "severity", "Rater severity",
      {column("rater", "Rater", column_kind::text, 14), column("component", "Group", column_kind::integer, 7),
       column("severity", "Severity (levels)", column_kind::number, 10).with_digits(2),
       column("se", "SE", column_kind::number, 8).with_digits(2),
       column("ci_low", "CI low", column_kind::number, 8).with_digits(2),
       column("ci_high", "CI high", column_kind::number, 8).with_digits(2),
       column("ratings", "Ratings", column_kind::integer, 8), column("ratees", "Ratees", column_kind::integer, 8),
       column("mean_level", "Mean level given", column_kind::number, 9).with_digits(2),
       column("flags", "Flags", column_kind::text, 30)});
  severity.frozen_columns = 1;
  severity.caption =
      "Positive severity: the rater rates lower than others would for the same people (harsh); "
      "negative: higher (lenient). Raters in different groups share no ratee, directly or through "
      "others, so their severities cannot be compared.";
  forest_plot forest;
  forest.id = "severity-chart";
  forest.title = "Severity with " + detail::percent(fit.confidence) + " confidence intervals";
  forest.value_label = "severity in levels (> 0 harsh, < 0 lenient)";

  if (!fit.available) {
    s.intro = detail::unavailable_text("The severity model", fit.reason);
    severity.empty_text = s.intro;
  } else {
    s.intro =
        "Severity comes from an additive model of the ratings (level = overall mean + ratee + competency + "
        "period effects - rater severity), fitted to " +
        std::to_string(fit.n_ratings) + " ratings from other people (self ratings excluded); residual SD " +
        detail::fixed2(fit.residual_sd) +
        " levels. Flags name raters who are lenient or harsh (|severity| of at least the threshold with an "
        "interval excluding zero), use a narrow range, do not discriminate between people, or rate with a "
        "halo.";
    std::vector<const calibration::rater_severity*> sorted;
    for (const auto& r : fit.raters) sorted.push_back(&r);
    std::stable_sort(sorted.begin(), sorted.end(), [](const auto* a, const auto* b) {
      return a->component != b->component ? a->component < b->component : a->severity > b->severity;
    });
    std::optional<std::size_t> group;
    const bool grouped = !network.connected();
    for (const auto* r : sorted) {
      if (grouped && (!group || *group != r->component)) {
        group = r->component;
        severity.begin_group("Group " + std::to_string(r->component + 1) + (r->component == 0 ? " (the largest)" : ""));
      }
      std::string flags;
      for (const auto f : r->flags) flags += (flags.empty() ? "" : ", ") + std::string(calibration::to_string(f));
      const std::string name = detail::rater_name(ratings, r->rater);
      severity.add_row({cell(name).emphasised(!r->flags.empty()), r->component + 1, r->severity, r->se, r->ci_low,
                        r->ci_high, r->n_ratings, r->n_ratees, r->mean_level,
                        flags.empty() ? cell() : cell(flags).emphasised()});
      forest.rows.push_back({grouped ? name + " (group " + std::to_string(r->component + 1) + ")" : name, r->severity,
                             r->ci_low, r->ci_high, !r->flags.empty()});
    }
  }

  table components("rater-groups", "Rater groups",
                   {column("group", "Group", column_kind::integer, 7),
                    column("raters", "Raters", column_kind::text, 50),
                    column("ratees", "Ratees", column_kind::integer, 8),
                    column("ratings", "Ratings", column_kind::integer, 9)});
  components.caption = "Raters joined, directly or through others, by the people they rate.";
  table suggestions(
      "cross-assignments", "Cross-assignments",
      {column("rater", "Rater", column_kind::text, 14), column("ratee", "Should also rate", column_kind::text, 14),
       column("joins", "Joins groups", column_kind::text, 14)});
  suggestions.empty_text = "The raters form one group: every severity is comparable.";
  if (fit.available) {
    for (std::size_t k = 0; k < network.components.size(); ++k) {
      std::string names;
      for (auto r : network.components[k].raters) names += (names.empty() ? "" : ", ") + detail::rater_name(ratings, r);
      components.add_row({k + 1, names, network.components[k].ratees.size(), network.components[k].ratings});
    }
    for (const auto& x : network.suggestions)
      suggestions.add_row({detail::rater_name(ratings, x.rater), detail::ratee_name(ratings, x.ratee),
                           std::to_string(x.from_component + 1) + " and " + std::to_string(x.to_component + 1)});
    if (!network.connected())
      s.notes.push_back("The ratings split into " + std::to_string(network.components.size()) +
                        " groups of raters with no ratee in common; compare severities only within a group and "
                        "cross-assign raters to join them.");
    if (!network.articulation_raters.empty()) {
      std::string names;
      for (auto r : network.articulation_raters) names += (names.empty() ? "" : ", ") + detail::rater_name(ratings, r);
      s.notes.push_back("Raters who alone hold their group together (if they stopped rating, it would split): " +
                        names + ".");
    }
    if (!cal.severity.rater_competency_note.empty())
      s.notes.push_back(cal.severity.rater_competency_note + ".");
    for (const auto& x : cal.severity.competency_biases)
      if (x.flagged)
        s.notes.push_back(detail::rater_name(ratings, x.rater) + " rates " +
                          ratings.framework().competencies()[x.competency].name + " " +
                          detail::fixed2(std::abs(x.bias)) + " levels " + (x.bias > 0 ? "lower" : "higher") +
                          " than their own severity predicts: they set its bar " + (x.bias > 0 ? "higher" : "lower") +
                          " than for their other competencies.");
  }

  const auto& drift = cal.drift;
  table drift_table("drift", "Severity drift",
                    {column("rater", "Rater", column_kind::text, 14),
                     column("from", "From", column_kind::text, 9), column("to", "To", column_kind::text, 9),
                     column("severity_first", "Severity then", column_kind::number, 9).with_digits(2),
                     column("severity_last", "Severity now", column_kind::number, 9).with_digits(2),
                     column("change", "Change vs other raters", column_kind::number, 10).with_digits(2),
                     column("ci_low", "CI low", column_kind::number, 8).with_digits(2),
                     column("ci_high", "CI high", column_kind::number, 8).with_digits(2),
                     column("drift", "Drift", column_kind::text, 14)});
  drift_table.frozen_columns = 1;
  line_chart drift_chart;
  drift_chart.id = "drift-chart";
  drift_chart.title = "Severity per period";
  drift_chart.value_label = "severity (levels)";
  table by_period("severity-by-period", "Severity per period", {column("rater", "Rater", column_kind::text, 14)});
  by_period.frozen_columns = 1;
  if (!drift.available) {
    drift_table.empty_text = detail::unavailable_text("Drift across periods", drift.reason);
    by_period.empty_text = drift_table.empty_text;
  } else {
    drift_table.caption = "A rater is flagged when their severity moved by at least " +
                          detail::fixed2(drift.severity_threshold) +
                          " levels between their first and last period, relative to the other raters.";
    for (const auto& d : drift.raters)
      drift_table.add_row({cell(detail::rater_name(ratings, d.rater)).emphasised(d.flagged),
                           detail::period_name(ratings, d.first_period), detail::period_name(ratings, d.last_period),
                           d.severity_first, d.severity_last, d.change, d.ci_low, d.ci_high,
                           d.flagged && d.direction
                               ? cell(std::string(calibration::to_string(*d.direction))).emphasised()
                               : cell("stable")});
    // Rater x period matrix of severities, and one line per rater.
    std::vector<std::uint32_t> periods;
    for (const auto& p : drift.agreement) periods.push_back(p.period);
    std::map<std::uint32_t, std::vector<double>> rows;
    for (const auto& sev : drift.severities) {
      auto& row = rows[sev.rater];
      row.resize(periods.size(), std::numeric_limits<double>::quiet_NaN());
      const auto at = std::find(periods.begin(), periods.end(), sev.period);
      if (at != periods.end()) row[static_cast<std::size_t>(at - periods.begin())] = sev.severity;
    }
    for (auto p : periods) {
      by_period.columns.push_back(column(detail::period_name(ratings, p), detail::period_name(ratings, p),
                                         column_kind::number, 9).with_digits(2));
      drift_chart.x_labels.push_back(detail::period_name(ratings, p));
    }
    for (const auto& [rater, values] : rows) {
      const bool flagged = std::any_of(drift.raters.begin(), drift.raters.end(),
                                       [id = rater](const auto& d) { return d.rater == id && d.flagged; });
      std::vector<cell> row{cell(detail::rater_name(ratings, rater)).emphasised(flagged)};
      for (double v : values) row.emplace_back(v);
      by_period.add_row(std::move(row));
      drift_chart.lines.push_back({detail::rater_name(ratings, rater), values, flagged});
    }
    for (const auto& n : drift.notes) s.notes.push_back(n);
  }

  s.tables = {std::move(severity), std::move(drift_table), std::move(by_period), std::move(components),
              std::move(suggestions)};
  if (!forest.rows.empty()) s.charts.emplace_back(std::move(forest));
  if (!drift_chart.lines.empty()) s.charts.emplace_back(std::move(drift_chart));
  return s;
}

CALIBRA_INLINE section self_vs_manager_section(const calibration::calibration_report& cal,
                                       const calibration::ratings_table& ratings,
                                       const calibration_report_options& options) {
  const framework& fw = ratings.framework();
  const auto& sa = cal.self_assessment;
  section s;
  s.id = "self-vs-manager";
  s.title = "Self vs manager";
  table inflation("self-inflation", "Self-rating gap per competency",
                  {column("competency", "Competency", column_kind::text, 28),
                   column("ratees", "Ratees", column_kind::integer, 8),
                   column("mean_gap", "Mean gap (self - manager)", column_kind::number, 12).with_digits(2),
                   column("ci_low", "CI low", column_kind::number, 8).with_digits(2),
                   column("ci_high", "CI high", column_kind::number, 8).with_digits(2),
                   column("direction", "Direction", column_kind::text, 16),
                   column("note", "Note", column_kind::text, 30)});
  inflation.caption = "A positive gap means people rate themselves higher than their managers do.";
  table conversations("conversations", "Conversations, largest disagreement first",
                      {column("ratee", "Ratee", column_kind::text, 12),
                       column("disagreement", "Mean |gap|", column_kind::number, 9).with_digits(2),
                       column("mean_gap", "Mean gap", column_kind::number, 9).with_digits(2),
                       column("topics", "Competencies to talk about (gap)", column_kind::text, 60)});
  conversations.frozen_columns = 1;
  if (!sa.available) {
    s.intro = detail::unavailable_text("The self vs manager comparison", sa.reason);
    inflation.empty_text = conversations.empty_text = s.intro;
  } else {
    s.intro =
        "Where a person and their manager see the same competency differently is where the development "
        "conversation starts. Overall mean gap: " +
        detail::fixed2(sa.overall.mean_self_gap) + " levels" +
        (sa.overall.direction ? " (" + std::string(calibration::to_string(*sa.overall.direction)) + ")" : "") + ".";
    if (sa.overall.suppressed) s.notes.push_back("Overall gap: " + sa.overall.note);
    for (const auto& i : sa.inflation) {
      if (!i.competency) continue;
      inflation.add_row({fw.competencies()[*i.competency].name, i.n_ratees, i.mean_self_gap, i.ci_low, i.ci_high,
                         i.direction ? cell(std::string(calibration::to_string(*i.direction))) : cell(), i.suppressed ? cell(i.note) : cell()});
    }
    if (options.include_ratees) {
      for (const auto& c : sa.conversations) {
        std::string topics;
        for (const auto& t : c.topics)
          topics += (topics.empty() ? "" : "; ") + fw.competencies()[t.competency].name + " (" +
                    (t.self_gap > 0 ? "+" : "") + detail::fixed2(t.self_gap) + ")";
        conversations.add_row({detail::ratee_name(ratings, c.ratee), c.disagreement, c.mean_self_gap,
                               topics.empty() ? cell() : cell(topics)});
      }
    } else {
      conversations.empty_text = "Per-ratee conversations are left out of this report.";
    }
  }
  s.tables = {std::move(conversations), std::move(inflation)};
  return s;
}

CALIBRA_INLINE section self_profiles_section(const calibration::calibration_report& cal,
                                            const calibration::ratings_table& ratings) {
  const framework& fw = ratings.framework();
  const auto& comps = fw.competencies();
  const calibration::self_profiles_result& profiles = *cal.self_profiles;
  section s;
  s.id = "self-profiles";
  s.title = "Self-assessments";
  table overview("self-profiles", "Self-assessments against the career level",
                 {column("ratee", "Ratee", column_kind::text, 12),
                  column("career_level", "Career level", column_kind::text, 24),
                  column("strengths", "Strengths to lean into (self vs expected)", column_kind::text, 40),
                  column("gaps", "Gaps (self vs expected)", column_kind::text, 40),
                  column("discuss", "To discuss with the manager", column_kind::text, 40),
                  column("archetype", "Archetype", column_kind::text, 22),
                  column("plan", "Development plan", column_kind::text, 40)});
  overview.frozen_columns = 1;
  if (!profiles.available) {
    s.intro = detail::unavailable_text("The self-assessment profiles", profiles.reason);
    overview.empty_text = s.intro;
    s.tables.push_back(std::move(overview));
    return s;
  }
  s.intro = "People in " + cal.period_name +
            " whom only they themselves have rated so far. Each self-assessment is read against the expectations "
            "of the person's career level: gap = self level - expected level. Strengths are above the "
            "expectation, gaps below it; the competencies to discuss with the manager are the gaps, then the "
            "strengths, then the competencies left unrated, each a place where the person's own view needs the "
            "manager's before it is acted on. These are personal results: share them only with the people entitled "
            "to see them.";
  std::map<std::uint32_t, const calibration::ratee_pattern*> pattern_of;
  if (cal.patterns.available)
    for (const auto& p : cal.patterns.ratees) pattern_of[p.ratee] = &p;
  std::map<std::uint32_t, const calibration::development_plan*> plan_of;
  if (cal.development.available)
    for (const auto& p : cal.development.ratees) plan_of[p.ratee] = &p;
  const auto list = [&](const std::vector<calibration::self_profile_item>& items) {
    std::string out;
    for (const auto& item : items)
      out += (out.empty() ? "" : "; ") + comps[item.competency].name + " (" +
             fw.scale().at_ordinal(item.self_level).label + " vs " + fw.scale().at_ordinal(item.expected).label + ")";
    return out;
  };
  std::vector<table> people;
  for (const calibration::self_profile& p : profiles.ratees) {
    const std::string name = detail::ratee_name(ratings, p.ratee);
    std::string discuss, archetype, plan;
    for (std::size_t c : p.to_discuss) discuss += (discuss.empty() ? "" : "; ") + comps[c].name;
    if (const auto it = pattern_of.find(p.ratee);
        it != pattern_of.end() && it->second->best_archetype && it->second->clear_match)
      archetype = fw.archetypes()[*it->second->best_archetype].name + " (" +
                  detail::fixed2(it->second->best_similarity) + ")";
    if (const auto it = plan_of.find(p.ratee); it != plan_of.end()) {
      for (const auto& item : it->second->items) plan += (plan.empty() ? "" : "; ") + comps[item.competency].name;
      if (plan.empty()) plan = "no gap to plan for";
    }
    overview.add_row({name, detail::career_level_name(fw, p.career_level),
                      p.career_level ? cell(list(p.strengths)) : cell(p.note), list(p.gaps),
                      discuss.empty() ? cell() : cell(discuss), archetype.empty() ? cell() : cell(archetype),
                      plan.empty() ? cell() : cell(plan)});

    // The whole profile, competency by competency, in framework order.
    table t("self-profile-" + std::to_string(people.size() + 1),
            name + " (" + detail::career_level_name(fw, p.career_level) + ")",
            {column("competency", "Competency", column_kind::text, 28),
             column("self", "Self level", column_kind::level, 14),
             column("expected", "Expected level", column_kind::level, 14),
             column("gap", "Gap (self - expected)", column_kind::integer, 10),
             column("reading", "Reading", column_kind::text, 18)});
    t.frozen_columns = 1;
    std::vector<const calibration::self_profile_item*> item_of(comps.size(), nullptr);
    for (const auto* group : {&p.strengths, &p.gaps, &p.at_expectation})
      for (const auto& item : *group) item_of[item.competency] = &item;
    std::vector<bool> unrated(comps.size(), false);
    for (std::size_t c : p.unrated) unrated[c] = true;
    for (std::size_t c = 0; c < comps.size(); ++c) {
      if (const auto* item = item_of[c]) {
        const char* reading = item->difference > 0 ? "strength" : item->difference < 0 ? "gap" : "at expectation";
        t.add_row({comps[c].name, detail::level_cell(fw, item->self_level), detail::level_cell(fw, item->expected),
                   cell(item->difference), cell(reading).emphasised(item->difference < 0)});
      } else if (unrated[c]) {
        t.add_row({comps[c].name, cell(),
                   p.career_level ? detail::level_cell(fw, detail::expected(fw, *p.career_level, c)) : cell(), cell(),
                   cell("not rated")});
      }
    }
    if (!p.note.empty()) t.caption = p.note;
    people.push_back(std::move(t));
  }
  if (overview.rows.empty()) overview.empty_text = "Nobody in " + cal.period_name + " has only a self-assessment.";
  s.tables.push_back(std::move(overview));
  for (auto& t : people) s.tables.push_back(std::move(t));
  return s;
}

CALIBRA_INLINE section ratees_section(const calibration::calibration_report& cal,
                                      const calibration::ratings_table& ratings) {
  const framework& fw = ratings.framework();
  const auto& comps = fw.competencies();
  const auto& scores = cal.scores;
  section s;
  s.id = "ratees";
  s.title = "Ratees";
  s.intro = "Scores per person in " + cal.period_name + (scores.method.empty() ? "" : " (" + scores.method + ")") +
            ", what career level they meet, how ready they are for their next step, and a short development "
            "plan. These are personal results: share them only with the people entitled to see them.";

  // Fair scores: ratees (grouped by career level) x competencies.
  std::vector<column> score_columns{column("career_level", "Career level", column_kind::text, 24).as_group_key(),
                                    column("ratee", "Ratee", column_kind::text, 12)};
  for (const auto& c : comps) score_columns.push_back(column(c.id, c.name, column_kind::number, 11).with_digits(1));
  table fair("fair-scores", "Scores per competency", std::move(score_columns));
  fair.frozen_columns = 2;
  fair.caption = "Colour: the level the score rounds to. Blank: no rating from others in this period.";
  heatmap grid;
  grid.id = "fair-scores-heatmap";
  grid.title = "Scores per ratee and competency";
  for (const auto& c : comps) grid.column_labels.push_back(c.name);

  std::map<std::uint32_t, const calibration::ratee_level*> level_of;
  for (const auto& r : cal.levels.ratees) level_of[r.ratee] = &r;
  // Rows ordered by career level (ladder order; unknown last), then name.
  std::vector<std::size_t> order(scores.rows());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  auto career_of = [&](std::size_t row) -> std::optional<std::size_t> {
    const auto it = level_of.find(scores.ratees[row]);
    return it == level_of.end() ? std::nullopt : it->second->career_level;
  };
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const auto la = career_of(a), lb = career_of(b);
    const std::size_t ka = la ? *la : fw.ladder().size(), kb = lb ? *lb : fw.ladder().size();
    if (ka != kb) return ka < kb;
    return detail::ratee_name(ratings, scores.ratees[a]) < detail::ratee_name(ratings, scores.ratees[b]);
  });
  std::optional<std::size_t> current;
  bool first = true;
  for (std::size_t row : order) {
    const auto level = career_of(row);
    const std::size_t key = level ? *level : fw.ladder().size();
    const std::string group = level ? fw.ladder().career_levels()[*level].name : "Career level not recorded";
    if (first || *current != key) {
      fair.begin_group(group);
      current = key;
      first = false;
    }
    const std::string name = detail::ratee_name(ratings, scores.ratees[row]);
    std::vector<cell> cells{group, name}, grid_row;
    for (std::size_t c = 0; c < comps.size(); ++c) {
      const double v = scores.value(static_cast<Eigen::Index>(row), static_cast<Eigen::Index>(c));
      cells.push_back(cell(v).with_level(detail::score_level(fw, v)));
      grid_row.push_back(cell(v).with_level(detail::score_level(fw, v)));
    }
    fair.add_row(std::move(cells));
    grid.row_labels.push_back(name);
    grid.cells.push_back(std::move(grid_row));
  }
  if (scores.rows() == 0) fair.empty_text = "No ratee has ratings from others in " + cal.period_name + ".";

  // Level inference and archetype.
  table levels("levels", "Career level the scores point to",
               {column("ratee", "Ratee", column_kind::text, 12),
                column("career_level", "Career level", column_kind::text, 24),
                column("inferred_level", "Most probable level", column_kind::text, 30),
                column("versus_actual", "Against the career level", column_kind::text, 12),
                column("best_fit_level", "Closest expectation profile", column_kind::text, 24),
                column("readiness_index", "Readiness index (levels)", column_kind::number, 10).with_digits(2),
                column("short_of_next", "Short of the next level", column_kind::text, 50),
                column("archetype", "Archetype", column_kind::text, 22),
                column("outcome", "Outcome", column_kind::text, 12)});
  levels.frozen_columns = 1;
  levels.caption = "Most probable level: of the career levels on the person's track, the one whose expectations "
                   "the scores most likely scatter around, with its probability. Short of the next level: the "
                   "competencies below the expectations of the level above it. Readiness index: mean of score "
                   "minus the next career level's expectation (below 0: short).";
  std::map<std::uint32_t, const calibration::ratee_pattern*> pattern_of;
  for (const auto& p : cal.patterns.ratees) pattern_of[p.ratee] = &p;
  if (!cal.levels.available) levels.empty_text = detail::unavailable_text("Level inference", cal.levels.reason);
  for (const auto& r : cal.levels.ratees) {
    std::string short_of;
    for (const auto& sf : r.shortfalls)
      short_of += (short_of.empty() ? "" : "; ") + comps[sf.competency].name + " (" +
                  (std::isfinite(sf.score) ? detail::fixed2(sf.score) : std::string("unscored")) + " vs " +
                  std::to_string(sf.expected) + ")";
    std::string versus;
    if (r.inferred_vs_actual) versus = *r.inferred_vs_actual > 0 ? "above" : *r.inferred_vs_actual < 0 ? "below" : "at";
    std::string archetype;
    if (const auto it = pattern_of.find(r.ratee); it != pattern_of.end() && it->second->best_archetype &&
                                                   it->second->clear_match)
      archetype = fw.archetypes()[*it->second->best_archetype].name + " (" +
                  detail::fixed2(it->second->best_similarity) + ")";
    levels.add_row({detail::ratee_name(ratings, r.ratee), detail::career_level_name(fw, r.career_level),
                    r.inferred_level ? cell(detail::career_level_name(fw, r.inferred_level) + " (" +
                                            detail::fixed2(r.inferred_probability) + ")")
                                     : cell(),
                    versus.empty() ? cell() : cell(versus).emphasised(*r.inferred_vs_actual != 0),
                    detail::career_level_name(fw, r.best_fit_level), r.readiness_index,
                    short_of.empty() ? cell() : cell(short_of), archetype.empty() ? cell() : cell(archetype),
                    r.outcome ? cell(std::string(calibration::to_string(*r.outcome))) : cell()});
  }

  // Readiness for the next step.
  table readiness("readiness", "Readiness for the next step",
                  {column("ratee", "Ratee", column_kind::text, 12),
                   column("career_level", "Career level", column_kind::text, 24),
                   column("next", "Next step to", column_kind::text, 24),
                   column("verdict", "Verdict", column_kind::text, 14),
                   column("met", "Met", column_kind::integer, 6), column("unmet", "Unmet", column_kind::integer, 6),
                   column("uncertain", "Uncertain", column_kind::integer, 8),
                   column("unmet_competencies", "Promotion-gap competencies not met", column_kind::text, 50)});
  readiness.frozen_columns = 1;
  table items("readiness-items", "Readiness per competency",
              {column("ratee", "Ratee", column_kind::text, 12).as_group_key(),
               column("competency", "Competency", column_kind::text, 28),
               column("target", "Target level", column_kind::level, 14),
               column("score", "Score", column_kind::number, 8).with_digits(2),
               column("ci_low", "CI low", column_kind::number, 8).with_digits(2),
               column("ci_high", "CI high", column_kind::number, 8).with_digits(2),
               column("status", "Status", column_kind::text, 10)});
  items.frozen_columns = 2;
  const auto& rd = cal.readiness;
  if (!rd.available) {
    readiness.empty_text = items.empty_text = detail::unavailable_text("Readiness", rd.reason);
  } else {
    readiness.caption = "Judged on the promotion-gap competencies of the step, each met when its " +
                        detail::percent(rd.confidence) + " interval lies above the target minus " +
                        detail::fixed2(rd.tolerance) + " levels, unmet when it lies below, uncertain otherwise.";
    for (const auto& r : rd.ratees) {
      const calibration::step_readiness* step = r.summary_step ? &r.steps[*r.summary_step] : nullptr;
      std::string unmet;
      if (step)
        for (const auto& item : step->items)
          if (item.status == calibration::promotion_gap_status::unmet)
            unmet += (unmet.empty() ? "" : "; ") + comps[item.competency].name;
      const std::string name = detail::ratee_name(ratings, r.ratee);
      readiness.add_row({name, detail::career_level_name(fw, r.career_level),
                         step ? cell(fw.ladder().career_levels()[step->step.to].name) : cell(),
                         std::string(calibration::to_string(r.summary)),
                         step ? cell(step->met) : cell(), step ? cell(step->unmet) : cell(),
                         step ? cell(step->uncertain) : cell(), unmet.empty() ? cell() : cell(unmet)});
      if (!step) continue;
      items.begin_group(name + " → " + fw.ladder().career_levels()[step->step.to].name);
      for (const auto& item : step->items)
        items.add_row({name, comps[item.competency].name, detail::level_cell(fw, item.to_level), item.score,
                       item.ci_low, item.ci_high,
                       cell(std::string(calibration::to_string(item.status)))
                           .emphasised(item.status == calibration::promotion_gap_status::unmet)});
    }
  }

  // Development plans.
  table plans("development-plans", "Development plans",
              {column("ratee", "Ratee", column_kind::text, 12).as_group_key(),
               column("competency", "Competency", column_kind::text, 28),
               column("current", "Now", column_kind::level, 14), column("target", "Target", column_kind::level, 14),
               column("gap", "Gap (levels)", column_kind::number, 8).with_digits(1),
               column("priority", "Why this one", column_kind::text, 16),
               column("actions", "Suggested actions", column_kind::text, 70),
               column("by", "Target quarter", column_kind::text, 9)});
  plans.frozen_columns = 2;
  const auto& dev = cal.development;
  if (!dev.available) {
    plans.empty_text = detail::unavailable_text("Development planning", dev.reason);
  } else {
    plans.caption = "The largest gaps to the role's requirements first, then to the career goal; a few items each.";
    for (const auto& p : dev.ratees) {
      if (p.items.empty()) continue;
      const std::string name = detail::ratee_name(ratings, p.ratee);
      plans.begin_group(name + (p.goal_level ? " → " + fw.ladder().career_levels()[*p.goal_level].name : std::string()));
      for (const auto& item : p.items) {
        std::string actions;
        for (const auto& a : item.actions) actions += (actions.empty() ? "" : " ") + a;
        plans.add_row({name, comps[item.competency].name, detail::level_cell(fw, item.current_level),
                       detail::level_cell(fw, item.target_level), item.shortfall,
                       std::string(calibration::to_string(item.priority)), actions.empty() ? cell() : cell(actions),
                       item.target_quarter ? cell(*item.target_quarter) : cell()});
      }
    }
    if (plans.rows.empty()) plans.empty_text = "Nobody has a gap to plan for.";
  }

  s.tables = {std::move(fair), std::move(levels), std::move(readiness), std::move(items), std::move(plans)};

  // Evidence: what the raters wrote beside their ratings in the period.
  if (ratings.summary().rows_with_evidence > 0) {
    table evidence("evidence", "Evidence beside the ratings",
                   {column("ratee", "Ratee", column_kind::text, 12).as_group_key(),
                    column("competency", "Competency", column_kind::text, 28),
                    column("rater", "Rater", column_kind::text, 12), column("role", "Role", column_kind::text, 10),
                    column("level", "Level", column_kind::level, 14),
                    column("evidence", "Evidence", column_kind::text, 70)});
    evidence.frozen_columns = 2;
    evidence.caption = "The evidence or comment given with each rating of " + cal.period_name + ", by person.";
    std::vector<std::size_t> rows;
    for (std::size_t i = 0; i < ratings.size(); ++i)
      if (ratings.period(i) == cal.period && !ratings.evidence(i).empty()) rows.push_back(i);
    std::stable_sort(rows.begin(), rows.end(), [&](std::size_t a, std::size_t b) {
      const std::string &ra = detail::ratee_name(ratings, ratings.ratee(a)),
                        &rb = detail::ratee_name(ratings, ratings.ratee(b));
      if (ra != rb) return ra < rb;
      return ratings.competency(a) < ratings.competency(b);
    });
    std::optional<std::uint32_t> current_ratee;
    for (std::size_t i : rows) {
      const std::string name = detail::ratee_name(ratings, ratings.ratee(i));
      if (current_ratee != ratings.ratee(i)) {
        evidence.begin_group(name);
        current_ratee = ratings.ratee(i);
      }
      evidence.add_row({name, comps[ratings.competency(i)].name, std::string(ratings.raters()[ratings.rater(i)]),
                        std::string(calibration::to_string(ratings.role(i))), detail::level_cell(fw, ratings.level(i)),
                        ratings.evidence(i)});
    }
    if (evidence.rows.empty()) evidence.empty_text = "No rating of " + cal.period_name + " has evidence.";
    s.tables.push_back(std::move(evidence));
  }
  if (!grid.row_labels.empty()) s.charts.emplace_back(std::move(grid));
  return s;
}

CALIBRA_INLINE section groups_section(const calibration::calibration_report& cal) {
  const calibration::group_comparison& g = *cal.groups;
  section s;
  s.id = "groups";
  s.title = "Groups by " + g.attribute;
  s.intro = "The groups of people the column '" + g.attribute + "' defines in " + cal.period_name +
            ": how many people each has, their mean score over the competencies, and how far it lies from the "
            "people of the other groups, with a " + detail::percent(g.confidence) + " Welch interval.";
  table t("groups", "Groups", {column("group", "Group", column_kind::text, 20),
                               column("ratees", "People", column_kind::integer, 8),
                               column("mean", "Mean score", column_kind::number, 10).with_digits(2),
                               column("difference", "Difference from the rest", column_kind::number, 12).with_digits(2),
                               column("low", "Interval low", column_kind::number, 10).with_digits(2),
                               column("high", "Interval high", column_kind::number, 10).with_digits(2)});
  if (!g.available) t.empty_text = detail::unavailable_text("Group comparison", g.reason);
  for (const auto& r : g.groups)
    t.add_row({r.value, cell(r.ratees), r.suppressed ? cell("suppressed") : cell(r.mean_score),
               r.suppressed ? cell() : cell(r.difference), std::isfinite(r.lower) ? cell(r.lower) : cell(),
               std::isfinite(r.upper) ? cell(r.upper) : cell()});
  s.tables.push_back(std::move(t));
  if (std::any_of(g.groups.begin(), g.groups.end(), [](const auto& r) { return r.suppressed; }))
    s.notes.push_back("Suppressed: the group or the other groups together have fewer than " +
                      std::to_string(cal.privacy.min_group) + " people.");
  return s;
}

CALIBRA_INLINE section matrix_section(const calibration::calibration_report& cal,
                                      const calibration::ratings_table& ratings) {
  const framework& fw = ratings.framework();
  const auto& v = cal.levels.validation;
  section s;
  s.id = "matrix";
  s.title = "Matrix validation";
  s.intro =
      "Real people rated against the matrix, compared with their career level. Gap = score "
      "minus the expectation at the person's own career level; a competency whose people sit clearly above "
      "its expectations has anchors that are too easy, clearly below, too hard.";
  table by_competency(
      "matrix-competencies", "Anchors too easy or too hard",
      {column("competency", "Competency", column_kind::text, 28), column("ratees", "Ratees", column_kind::integer, 8),
       column("mean_gap", "Mean gap (levels)", column_kind::number, 9).with_digits(2),
       column("ci_low", "CI low", column_kind::number, 8).with_digits(2),
       column("ci_high", "CI high", column_kind::number, 8).with_digits(2),
       column("verdict", "Verdict", column_kind::text, 16), column("note", "Note", column_kind::text, 30)});
  table by_level("matrix-career-levels", "Matrix per career level",
                 {column("career_level", "Career level", column_kind::text, 26),
                  column("ratees", "Ratees", column_kind::integer, 8),
                  column("mean_gap", "Mean gap (levels)", column_kind::number, 9).with_digits(2),
                  column("above", "Meet a higher level", column_kind::percent, 9).with_digits(0),
                  column("at", "Meet exactly theirs", column_kind::percent, 9).with_digits(0),
                  column("below", "Fall short of theirs", column_kind::percent, 9).with_digits(0),
                  column("note", "Note", column_kind::text, 30)});
  if (!v.available) {
    by_competency.empty_text = by_level.empty_text = detail::unavailable_text("Matrix validation", v.reason);
  } else {
    for (const auto& c : v.competencies) {
      const bool off =
          c.verdict == calibration::anchor_verdict::too_easy || c.verdict == calibration::anchor_verdict::too_hard;
      const auto& gap = c.expectation_gap;
      by_competency.add_row({fw.competencies()[c.competency].name, gap.n_ratees, gap.mean, gap.ci_low, gap.ci_high,
                             cell(std::string(calibration::to_string(c.verdict))).emphasised(off),
                             gap.suppressed ? cell(gap.note) : cell()});
    }
    for (const auto& l : v.career_levels) {
      const auto& gap = l.expectation_gap;
      by_level.add_row({fw.ladder().career_levels()[l.career_level].name, gap.n_ratees, gap.mean, l.share_above,
                        l.share_equal, l.share_below, gap.suppressed ? cell(gap.note) : cell()});
    }
  }
  const auto& sep = cal.levels.separation;
  if (!sep.available)
    s.notes.push_back("Promoted vs not promoted: " + (sep.reason.empty() ? std::string("not available") : sep.reason));
  else if (sep.suppressed)
    s.notes.push_back("Promoted vs not promoted: " + sep.note);
  else
    s.notes.push_back("Promoted vs not promoted (readiness index): " + std::to_string(sep.n_promoted) + " promoted, " +
                      std::to_string(sep.n_not_promoted) + " not; Hedges' g " + detail::fixed2(sep.hedges_g) + " [" +
                      detail::fixed2(sep.g_ci_low) + ", " + detail::fixed2(sep.g_ci_high) +
                      "], AUC " + detail::fixed2(sep.auc) + " [" + detail::fixed2(sep.auc_ci_low) + ", " +
                      detail::fixed2(sep.auc_ci_high) + "]. An AUC near 0.5 means the matrix does not tell the two "
                      "groups apart.");

  const auto& team = cal.team;
  table strengths("team", "Team strengths and gaps",
                  {column("competency", "Competency", column_kind::text, 28),
                   column("ratees", "Ratees", column_kind::integer, 8),
                   column("mean_gap", "Mean gap to expectation", column_kind::number, 10).with_digits(2),
                   column("standing", "Standing", column_kind::text, 10),
                   column("note", "Note", column_kind::text, 30)});
  if (!team.available) {
    strengths.empty_text = detail::unavailable_text("The team view", team.reason);
  } else if (team.suppressed) {
    strengths.empty_text = team.note;
  } else {
    strengths.caption = "Everyone scored in " + cal.period_name + ", against the expectations of their own level.";
    for (const auto& c : team.competencies) {
      const bool strength =
          std::find(team.strengths.begin(), team.strengths.end(), c.competency) != team.strengths.end();
      const bool shortfall =
          std::find(team.shortfalls.begin(), team.shortfalls.end(), c.competency) != team.shortfalls.end();
      strengths.add_row({fw.competencies()[c.competency].name, c.n_ratees, c.mean_expectation_gap,
                         strength ? cell("strength") : shortfall ? cell("gap").emphasised() : cell(),
                         c.suppressed ? cell(c.note) : cell()});
    }
  }
  s.tables = {std::move(by_competency), std::move(by_level), std::move(strengths)};
  return s;
}

CALIBRA_INLINE void add_calibration_sections(report& r, const calibration::calibration_report& cal,
                                     const calibration::ratings_table& ratings,
                                     const calibration_report_options& options) {
  r.sections.push_back(data_section(cal, ratings));
  r.sections.push_back(calibration_section(cal, ratings, options));
  r.sections.push_back(raters_section(cal, ratings));
  r.sections.push_back(self_vs_manager_section(cal, ratings, options));
  if (cal.self_profiles && options.include_ratees) r.sections.push_back(self_profiles_section(cal, ratings));
  if (options.include_ratees) r.sections.push_back(ratees_section(cal, ratings));
  if (cal.groups) r.sections.push_back(groups_section(cal));
  r.sections.push_back(matrix_section(cal, ratings));
}

CALIBRA_INLINE report framework_calibration_report(const calibration::ratings_table& ratings,
                                           const calibration::calibration_report& cal,
                                           framework_report_options framework_options,
                                           const calibration_report_options& options) {
  const framework& fw = ratings.framework();
  if (framework_options.title.empty()) framework_options.title = fw.metadata().name + ": calibration report";
  report r = framework_report(fw, framework_options);
  add_calibration_sections(r, cal, ratings, options);
  return r;
}

}  // namespace calibra::reports
