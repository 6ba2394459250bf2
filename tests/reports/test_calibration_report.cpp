// The calibration sections of a report, on the bundled example data set.
//
// Two kinds of expectation: the planted effects of the seeded generator
// (simulation_truth: which manager is lenient, drifts, rates with a halo,
// which squad never overlaps) must be visible where a manager reads the
// report; and every cell must carry the number the analysis produced (the
// builders transcribe, they compute nothing).
#include <calibra/calibration/calibrate.hpp>
#include <calibra/calibration/simulate.hpp>
#include <calibra/framework/builtin.hpp>
#include <calibra/reports/calibration_report.hpp>
#include <calibra/reports/write.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <memory>
#include <set>
#include <string>

using namespace calibra::reports;
namespace cal = calibra::calibration;

namespace {

struct example_run {
  cal::simulated_ratings data;
  cal::calibration_report result;
  report document;
};

const example_run& example() {
  static const example_run run = [] {
    auto fw = std::make_shared<const calibra::framework>(calibra::builtin_framework());
    example_run r{cal::simulate_ratings(fw, cal::example_simulation_config()), {}, {}};
    r.result = cal::calibrate(r.data.table);
    r.document = framework_calibration_report(r.data.table, r.result);
    return r;
  }();
  return run;
}

const table& find_table(const report& r, const std::string& id) {
  const table* t = r.find_table(id);
  REQUIRE(t != nullptr);
  return *t;
}

std::optional<std::size_t> row_where(const table& t, const std::string& column_id, const std::string& text) {
  for (std::size_t r = 0; r < t.rows.size(); ++r)
    if (const std::string* v = t.at(r, column_id).text(); v && *v == text) return r;
  return std::nullopt;
}

bool same(const cell& c, double expected) {
  if (!std::isfinite(expected)) return c.empty();
  const auto v = c.number();
  return v && *v == expected;
}

}  // namespace

TEST_CASE("calibration report: sections after the framework sections", "[reports][calibration]") {
  const report& r = example().document;
  CHECK_NOTHROW(validate(r));
  std::vector<std::string> ids;
  for (const section& s : r.sections) ids.push_back(s.id);
  CHECK(ids == std::vector<std::string>{"overview", "anchors", "targets", "promotion-gaps", "checks", "data",
                                        "calibration", "raters", "self-vs-manager", "ratees", "matrix"});
  CHECK(r.title == "Product Manager Career Ladder: calibration report");

  const table& analyses = find_table(r, "analyses");
  REQUIRE(analyses.rows.size() == example().result.analyses.size());
  for (std::size_t i = 0; i < analyses.rows.size(); ++i) {
    CHECK(*analyses.at(i, "analysis").text() == example().result.analyses[i].id);
    CHECK(*analyses.at(i, "ran").text() == (example().result.analyses[i].available ? "yes" : "no"));
  }
  const table& input = find_table(r, "input");
  CHECK(*input.at(1, "value").number() == static_cast<double>(example().data.table.size()));
}

TEST_CASE("calibration report: the planted effects are where a manager looks", "[reports][calibration]") {
  const auto& truth = example().data.truth;
  const report& r = example().document;
  REQUIRE(truth.lenient_manager);
  REQUIRE(truth.drifting_manager);
  REQUIRE(truth.halo_manager);

  // The lenient manager: flagged lenient, negative severity, emphasised.
  const table& severity = find_table(r, "severity");
  const auto lenient = row_where(severity, "rater", *truth.lenient_manager);
  REQUIRE(lenient);
  CHECK_THAT(*severity.at(*lenient, "flags").text(), Catch::Contains("lenient"));
  CHECK(*severity.at(*lenient, "severity").number() < -0.5);
  CHECK(severity.at(*lenient, "rater").emphasis);
  // The halo manager carries the halo flag.
  const auto halo = row_where(severity, "rater", *truth.halo_manager);
  REQUIRE(halo);
  CHECK_THAT(*severity.at(*halo, "flags").text(), Catch::Contains("halo"));

  // The drifting manager is flagged in the drift table, in the direction
  // planted: a bias added to their ratings that falls over the periods makes
  // them rate lower, i.e. harsher (severity > 0 is harsh).
  const auto m = static_cast<Eigen::Index>(
      std::find(truth.managers.begin(), truth.managers.end(), *truth.drifting_manager) - truth.managers.begin());
  const double bias_change = truth.manager_bias(m, truth.manager_bias.cols() - 1) - truth.manager_bias(m, 0);
  REQUIRE(std::abs(bias_change) > 0.5);
  const table& drift = find_table(r, "drift");
  const auto drifting = row_where(drift, "rater", *truth.drifting_manager);
  REQUIRE(drifting);
  CHECK(*drift.at(*drifting, "drift").text() == (bias_change < 0 ? "harsher" : "more lenient"));
  CHECK(drift.at(*drifting, "drift").emphasis);

  // The squad whose raters never overlap with the rest: two rater groups,
  // severities grouped by them, and cross-assignments that would join them.
  std::set<std::string> squad;
  for (std::size_t m = 0; m < truth.managers.size(); ++m)
    if (truth.manager_in_squad[m]) squad.insert(truth.managers[m]);
  REQUIRE(!squad.empty());
  const table& groups = find_table(r, "rater-groups");
  REQUIRE(groups.rows.size() == 2);
  CHECK(severity.groups.size() == 2);
  const table& cross = find_table(r, "cross-assignments");
  CHECK(!cross.rows.empty());
  for (const std::string& manager : squad) {
    const auto row = row_where(severity, "rater", manager);
    REQUIRE(row);
    CHECK(*severity.at(*row, "component").number() == 2.0);  // not in the largest group
  }
}

TEST_CASE("calibration report: cells transcribe the analyses", "[reports][calibration]") {
  const auto& result = example().result;
  const auto& table_ = example().data.table;
  const auto& fw = table_.framework();
  const report& r = example().document;

  // Agreement per competency, with the anchors flagged for rewriting.
  const table& agreement = find_table(r, "agreement");
  REQUIRE(agreement.rows.size() == fw.competencies().size());
  CHECK(agreement.groups.size() == 4);
  std::size_t flagged = 0;
  for (const auto& a : result.anchors.competencies) {
    const auto row = row_where(agreement, "competency", fw.competencies()[a.competency].name);
    REQUIRE(row);
    CHECK(same(agreement.at(*row, "alpha"), a.alpha));
    CHECK(same(agreement.at(*row, "within_one"), a.within_one));
    CHECK(*agreement.at(*row, "needs_rewrite").text() == (a.needs_rewrite ? "yes" : "no"));
    CHECK(agreement.at(*row, "competency").emphasis == a.needs_rewrite);
    flagged += a.needs_rewrite;
  }
  CHECK(flagged == result.anchors.competencies_flagged);
  const table& evidence = find_table(r, "divergent-examples");
  if (flagged == 0) CHECK(evidence.rows.empty());
  // Evidence is divergent: two levels apart as rated, or 1.5 once the
  // raters' severities are taken out (a lenient and a harsh rater one level
  // apart can be further apart than they look).
  for (std::size_t i = 0; i < evidence.rows.size(); ++i) {
    const double spread = *evidence.at(i, "spread").number();
    const auto adjusted = evidence.at(i, "adjusted_spread").number();
    CHECK((spread >= 2.0 || (adjusted && *adjusted >= 1.5)));
  }

  // Severity: one row per rater with the model's numbers.
  const table& severity = find_table(r, "severity");
  REQUIRE(severity.rows.size() == result.severity.raters.size());
  for (const auto& rs : result.severity.raters) {
    const auto row = row_where(severity, "rater", table_.raters()[rs.rater]);
    REQUIRE(row);
    CHECK(same(severity.at(*row, "severity"), rs.severity));
    CHECK(same(severity.at(*row, "ci_low"), rs.ci_low));
    CHECK(same(severity.at(*row, "ci_high"), rs.ci_high));
    CHECK(*severity.at(*row, "ratings").number() == static_cast<double>(rs.n_ratings));
  }
  const auto& forest = std::get<forest_plot>(r.find_section("raters")->charts.at(0));
  CHECK(forest.rows.size() == result.severity.raters.size());

  // Fair scores: ratees x competencies, the scores of the analysed period,
  // coloured by the level they round to.
  const table& fair = find_table(r, "fair-scores");
  REQUIRE(fair.rows.size() == result.scores.rows());
  for (std::size_t i = 0; i < result.scores.rows(); ++i) {
    const auto row = row_where(fair, "ratee", table_.ratees()[result.scores.ratees[i]]);
    REQUIRE(row);
    for (std::size_t c = 0; c < fw.competencies().size(); ++c) {
      const double v = result.scores.value(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(c));
      const cell& x = fair.at(*row, fw.competencies()[c].id);
      CHECK(same(x, v));
      if (std::isfinite(v)) CHECK(x.level == std::clamp(static_cast<int>(std::lround(v)), 1, 5));
    }
  }

  // Readiness: the summary verdict per ratee.
  const table& readiness = find_table(r, "readiness");
  REQUIRE(readiness.rows.size() == result.readiness.ratees.size());
  for (const auto& rr : result.readiness.ratees) {
    const auto row = row_where(readiness, "ratee", table_.ratees()[rr.ratee]);
    REQUIRE(row);
    CHECK(*readiness.at(*row, "verdict").text() == cal::to_string(rr.summary));
  }

  // Development plans: every item of every plan, under its ratee.
  const table& plans = find_table(r, "development-plans");
  std::size_t items = 0;
  for (const auto& p : result.development.ratees) items += p.items.size();
  CHECK(plans.rows.size() == items);
  for (std::size_t i = 0; i < plans.rows.size(); ++i) {
    CHECK(plans.at(i, "current").level.has_value());
    CHECK(*plans.at(i, "target").level > *plans.at(i, "current").level - 1);
    CHECK_THAT(plans.group_of(i)->title, Catch::StartsWith(*plans.at(i, "ratee").text()));
  }

  // Drift per period: one column per period, one row per rater with a fit.
  const table& by_period = find_table(r, "severity-by-period");
  CHECK(by_period.columns.size() == 1 + table_.periods().size());
}

TEST_CASE("calibration report: privacy suppression and the ratee switch", "[reports][calibration]") {
  const auto& data = example().data;
  // A minimum group larger than the team: every aggregate over people is
  // suppressed and says so; per-ratee tables are unaffected.
  const auto result = cal::calibrate(cal::calibration_context(data.table).with_privacy({1000}));
  const report r = framework_calibration_report(data.table, result);
  const table& agreement = find_table(r, "agreement");
  for (std::size_t i = 0; i < agreement.rows.size(); ++i) {
    CHECK(agreement.at(i, "alpha").empty());
    CHECK_THAT(*agreement.at(i, "note").text(), Catch::Contains("suppressed"));
  }
  const table& inflation = find_table(r, "self-inflation");
  for (std::size_t i = 0; i < inflation.rows.size(); ++i) {
    CHECK(inflation.at(i, "mean_gap").empty());
    CHECK_THAT(*inflation.at(i, "note").text(), Catch::Contains("suppressed"));
  }
  CHECK_THAT(find_table(r, "team").empty_text, Catch::Contains("suppressed"));
  CHECK(find_table(r, "fair-scores").rows.size() == result.scores.rows());

  // Without ratees: no per-ratee section, no conversation list, and no
  // ratee name anywhere in the document.
  calibration_report_options no_ratees;
  no_ratees.include_ratees = false;
  const report shared = framework_calibration_report(data.table, example().result, {}, no_ratees);
  CHECK(shared.find_section("ratees") == nullptr);
  CHECK(find_table(shared, "conversations").rows.empty());
  // (A ratee who also rates others, as a peer, appears as a rater.)
  const std::string json = to_json(shared);
  for (std::uint32_t ratee = 0; ratee < data.table.ratees().size(); ++ratee) {
    const std::string& name = data.table.ratees()[ratee];
    if (data.table.raters().find(name)) continue;
    INFO("ratee " << name);
    CHECK(json.find("\"" + name + "\"") == std::string::npos);
  }
}

TEST_CASE("calibration report: renders in every format", "[reports][calibration]") {
  const report& r = example().document;
  const std::string html = to_html(r);
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("<svg ") != std::string::npos);
  const auto doc = nlohmann::json::parse(to_json(r));
  CHECK(doc["sections"].size() == r.sections.size());
  CHECK(!to_markdown(r).empty());
  std::size_t tables = 0;
  for (const section& s : r.sections) tables += s.tables.size();
  CHECK(to_csv(r).size() == tables);
}

TEST_CASE("calibration report: a self-assessment alone gets a profile per person", "[reports][calibration][self]") {
  // Hand-made self ratings on the built-in framework.  Its expectations at
  // pm (data/frameworks/product-manager.json): functional-specification
  // proficient (3), product-delivery proficient (3), product-quality
  // developing (2), strategic-impact foundational (1).  So for ana:
  // strategic-impact expert (5) is +4 and product-delivery advanced (4) +1,
  // strengths in that order; product-quality foundational (1) is -1, the
  // gap; functional-specification proficient is at the expectation.  bo has
  // no career level, so no expectation to read against.
  auto fw = std::make_shared<const calibra::framework>(calibra::builtin_framework());
  cal::ratings_builder b(fw, "self.csv");
  const auto add = [&](const char* ratee, const char* competency, const char* level, const char* career_level) {
    cal::rating_text t;
    t.ratee = t.rater = ratee;
    t.role = "self";
    t.competency = competency;
    t.level = level;
    t.period = "2026Q3";
    t.career_level = career_level;
    b.add_text(t, b.rows() + 2);
  };
  add("ana", "functional-specification", "proficient", "pm");
  add("ana", "product-delivery", "advanced", "pm");
  add("ana", "product-quality", "foundational", "pm");
  add("ana", "strategic-impact", "expert", "pm");
  add("bo", "product-delivery", "developing", "");
  const cal::ratings_table ratings = b.finish();
  const cal::calibration_report result = cal::calibrate(ratings);
  REQUIRE(result.self_profiles);
  REQUIRE(result.self_profiles->available);
  const report r = framework_calibration_report(ratings, result);
  CHECK_NOTHROW(validate(r));

  std::vector<std::string> ids;
  for (const section& s : r.sections) ids.push_back(s.id);
  const auto at = std::find(ids.begin(), ids.end(), "self-profiles");
  REQUIRE(at != ids.end());
  CHECK(*(at - 1) == "self-vs-manager");

  const table& overview = find_table(r, "self-profiles");
  REQUIRE(overview.rows.size() == 2);
  const auto ana = row_where(overview, "ratee", "ana");
  REQUIRE(ana);
  CHECK(*overview.at(*ana, "career_level").text() == "Product Manager");
  CHECK(*overview.at(*ana, "strengths").text() ==
        "Strategic Impact (Expert vs Foundational); Product Delivery (Advanced vs Proficient)");
  CHECK(*overview.at(*ana, "gaps").text() == "Product Quality (Foundational vs Developing)");
  // Gaps, then strengths, then the eight competencies ana left unrated.
  CHECK_THAT(*overview.at(*ana, "discuss").text(),
             Catch::StartsWith("Product Quality; Strategic Impact; Product Delivery; Fluency with Data;") &&
                 Catch::EndsWith("Managing Up"));
  const auto bo = row_where(overview, "ratee", "bo");
  REQUIRE(bo);
  CHECK_THAT(*overview.at(*bo, "strengths").text(), Catch::Contains("career level"));

  const table& profile = find_table(r, "self-profile-1");
  CHECK(profile.title == "ana (Product Manager)");
  struct expected_row {
    const char* competency;
    int self, expected, gap;
    const char* reading;
  };
  for (const expected_row e : {expected_row{"Functional Specification", 3, 3, 0, "at expectation"},
                               expected_row{"Product Delivery", 4, 3, 1, "strength"},
                               expected_row{"Product Quality", 1, 2, -1, "gap"},
                               expected_row{"Strategic Impact", 5, 1, 4, "strength"}}) {
    INFO(e.competency);
    const auto row = row_where(profile, "competency", e.competency);
    REQUIRE(row);
    CHECK(profile.at(*row, "self").level == e.self);
    CHECK(profile.at(*row, "expected").level == e.expected);
    CHECK(*profile.at(*row, "gap").number() == e.gap);
    CHECK(*profile.at(*row, "reading").text() == e.reading);
  }
  // An unrated competency shows the expectation it is to be discussed against.
  const auto unrated = row_where(profile, "competency", "Managing Up");
  REQUIRE(unrated);
  CHECK(profile.at(*unrated, "self").empty());
  CHECK(*profile.at(*unrated, "reading").text() == "not rated");

  // Every format carries it; the Markdown and HTML name the gap.
  const std::string md = to_markdown(r);
  CHECK_THAT(md, Catch::Contains("Self-assessments") && Catch::Contains("Product Quality (Foundational vs Developing)"));
  CHECK_THAT(to_html(r), Catch::Contains("ana (Product Manager)"));

  // Per-ratee results are left out with the ratee switch.
  calibration_report_options without;
  without.include_ratees = false;
  CHECK(framework_calibration_report(ratings, result, {}, without).find_table("self-profiles") == nullptr);
}
