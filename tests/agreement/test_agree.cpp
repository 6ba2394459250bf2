// The dispatcher, resampling plans, mergeable summaries, frequency weights,
// the pairwise matrix and the degenerate cases of docs/degenerate-cases.md.
#include <calibra/agreement/agree.hpp>
#include <calibra/agreement/pairwise.hpp>
#include <calibra/agreement/summaries.hpp>

#include "../support/random_ratings.hpp"
#include "test_reference_data.hpp"

#include <catch2/catch.hpp>

#include <random>

using namespace calibra::agreement;
using calibra_test::NA;
using calibra_test::read_reference;

namespace {
const statistic all_statistics[] = {statistic::percent,      statistic::unanimous, statistic::within,
                                    statistic::cohen,        statistic::scott,     statistic::fleiss,
                                    statistic::conger,       statistic::light,     statistic::krippendorff,
                                    statistic::gwet,         statistic::brennan_prediger, statistic::icc};

bool two_rater_only(statistic s) { return s == statistic::cohen || s == statistic::scott; }

using calibra_test::random_ratings;
}  // namespace

TEST_CASE("agree() dispatches every statistic to its coefficient", "[agree]") {
  const Eigen::MatrixXd four = read_reference("irr_video.csv");
  const Eigen::MatrixXd two = read_reference("irr_anxiety_r1r2.csv");
  for (statistic s : all_statistics) {
    INFO(to_string(s));
    const Eigen::MatrixXd& m = two_rater_only(s) ? two : four;
    const result r = agree(m, s);
    CHECK(r.stat == s);
    CHECK((r.value.has_value() || r.reason.has_value()));
  }
  CHECK(*agree(two, statistic::cohen).value == Approx(*cohen_kappa(two).value));
  CHECK(*agree(four, statistic::fleiss).value == Approx(*fleiss_kappa(four).value));
  CHECK(*agree(four, statistic::gwet).value == Approx(*gwet_ac(four).value));
  CHECK_THROWS_AS(agree(four, statistic::cohen), calibra::invalid_argument);
  options bad;
  bad.confidence = 1.5;
  CHECK_THROWS_AS(agree(four, statistic::percent, bad), calibra::invalid_argument);
}

TEST_CASE("resampling plans: unit weights 1 give the estimate, jackknife matches weight 0", "[agree][bootstrap]") {
  std::mt19937 rng(7);
  const Eigen::MatrixXd many = random_ratings(rng, 25, 4, 4, 0.2);
  const Eigen::MatrixXd pair = random_ratings(rng, 25, 2, 4, 0.0);
  for (statistic s : all_statistics) {
    if (s == statistic::icc) continue;  // the ICC plan is tested with icc.hpp
    INFO(to_string(s));
    const Eigen::MatrixXd& m = two_rater_only(s) ? pair : many;
    options opts;
    if (s == statistic::krippendorff) opts.level = measurement_level::ordinal;
    const resampling_plan plan = make_resampling_plan(m, s, opts);
    const result direct = agree(m, s, opts);
    REQUIRE(direct.value);
    std::vector<double> ones(plan.n_units, 1.0);
    CHECK(plan.estimate(ones) == Approx(*direct.value).epsilon(1e-12));
    if (!plan.jackknife) continue;
    const std::vector<double> loo = plan.jackknife();
    REQUIRE(loo.size() == plan.n_units);
    for (std::size_t u : {std::size_t{0}, plan.n_units / 2, plan.n_units - 1}) {
      std::vector<double> w = ones;
      w[u] = 0;
      CHECK(loo[u] == Approx(plan.estimate(w)).margin(1e-12));
    }
  }
}

TEST_CASE("a unit counted twice equals frequency weight 2", "[agree][weights]") {
  std::mt19937 rng(11);
  const Eigen::MatrixXd m = random_ratings(rng, 15, 3, 3, 0.1);
  Eigen::MatrixXd doubled(m.rows() + 1, m.cols());
  doubled << m, m.row(4);
  for (statistic s : {statistic::percent, statistic::fleiss, statistic::gwet, statistic::brennan_prediger,
                      statistic::krippendorff, statistic::conger, statistic::light, statistic::unanimous}) {
    INFO(to_string(s));
    const resampling_plan plan = make_resampling_plan(m, s);
    std::vector<double> w(plan.n_units, 1.0);
    w[4] = 2;  // no unit of m is empty, so plan unit 4 is row 4
    CHECK(plan.estimate(w) == Approx(*agree(doubled, s).value).epsilon(1e-12));
  }
}

TEST_CASE("summaries built on a random split merge into the single pass", "[summary]") {
  std::mt19937 rng(3);
  const Eigen::MatrixXd m = random_ratings(rng, 200, 5, 5, 0.3);
  const coded_ratings coded = code_ratings(m, {});
  const auto table = detail::count_units(coded);
  std::uniform_int_distribution<int> pick(0, 2);
  for (weight_scheme scheme : {weight_scheme::identity, weight_scheme::quadratic, weight_scheme::ordinal}) {
    options opts;
    opts.weights = scheme;
    const Eigen::MatrixXd w = weights_for(opts, coded.categories.codes());
    std::vector<multi_rater_summary> parts(3, multi_rater_summary(coded.categories, w));
    for (std::size_t u = 0; u < table.n_units(); ++u) {
      const std::size_t b = table.offsets[u];
      parts[static_cast<std::size_t>(pick(rng))].add_unit(table.category.data() + b, table.count.data() + b,
                                                           table.offsets[u + 1] - b);
    }
    multi_rater_summary merged = parts[0];
    merged += parts[1];
    merged += parts[2];
    for (statistic s : {statistic::percent, statistic::fleiss, statistic::gwet, statistic::brennan_prediger}) {
      INFO(to_string(s) << " " << to_string(scheme));
      const result single = agree(m, s, opts), combined = merged.finish(s, opts);
      CHECK(*combined.value == Approx(*single.value).epsilon(1e-12));
      CHECK(*combined.se == Approx(*single.se).epsilon(1e-9));
    }
  }
  // Ordinal Krippendorff: variance weights from the pooled frequencies.
  options ordinal;
  ordinal.level = measurement_level::ordinal;
  const Eigen::MatrixXd kw =
      krippendorff_weights(measurement_level::ordinal, coded.categories.codes(), detail::pairable_marginals(table));
  krippendorff_summary first(coded.categories, measurement_level::ordinal, kw);
  krippendorff_summary second = first;
  for (std::size_t u = 0; u < table.n_units(); ++u) {
    const std::size_t b = table.offsets[u];
    (u % 3 == 0 ? first : second).add_unit(table.category.data() + b, table.count.data() + b,
                                           table.offsets[u + 1] - b);
  }
  first += second;
  const result single = krippendorff_alpha(m, ordinal), combined = first.finish(ordinal);
  CHECK(*combined.value == Approx(*single.value).epsilon(1e-12));
  CHECK(*combined.se == Approx(*single.se).epsilon(1e-9));
}

TEST_CASE("bootstrap through agree() fills a bootstrap interval", "[agree][bootstrap]") {
  const Eigen::MatrixXd m = read_reference("gwet_cac_raw4raters.csv");
  options opts;
  opts.bootstrap = 200;
  opts.seed = 42;
  opts.threads = 1;
  const result r = agree(m, statistic::gwet, opts);
  REQUIRE(r.value);
  CHECK(r.ci_method == "bootstrap-bca");
  REQUIRE(r.extra.count("bootstrap_se") == 1);
  CHECK(*r.se == r.extra.at("bootstrap_se"));  // the SE is the bootstrap's
  CHECK(r.extra.at("se_analytic") == Approx(0.14295).margin(6e-6));  // irrCAC's analytic SE, kept
  const result again = agree(m, statistic::gwet, opts);
  CHECK(*again.ci_low == *r.ci_low);
}

TEST_CASE("pairwise Cohen matrix", "[pairwise]") {
  const Eigen::MatrixXd m = read_reference("irr_anxiety.csv");
  const pairwise_result p = pairwise(m, statistic::cohen);
  REQUIRE(p.value.rows() == 3);
  // irr::kappa2(anxiety[,2:3]) = -0.006289308 (statsmodels test_inter_rater.py)
  CHECK(p.value(1, 2) == Approx(-0.006289308).margin(1e-9));
  CHECK(p.value(2, 1) == p.value(1, 2));
  CHECK(std::isnan(p.value(0, 0)));
  CHECK(p.n_units(0, 1) == 20);
  CHECK(p.reasons.empty());
  // Light's kappa is the mean of the off-diagonal pairs.
  CHECK(*light_kappa(m).value == Approx((p.value(0, 1) + p.value(0, 2) + p.value(1, 2)) / 3));

  Eigen::MatrixXd gaps(3, 3);
  gaps << 1, NA, 1, 2, NA, 2, NA, 1, 1;
  const pairwise_result g = pairwise(gaps, statistic::percent);
  CHECK(g.reasons.count({0, 1}) == 1);
  CHECK(g.value(0, 2) == Approx(1.0));
}

TEST_CASE("degenerate cases of docs/degenerate-cases.md", "[degenerate]") {
  Eigen::MatrixXd same(4, 3);
  same.setConstant(2);
  // Every rating in one category (observed categories: q = 1).
  CHECK(*agree(same, statistic::percent).value == 1.0);
  CHECK(*agree(same, statistic::unanimous).value == 1.0);
  CHECK(agree(same, statistic::fleiss).reason->find("chance agreement is 1") != std::string::npos);
  CHECK(agree(same, statistic::gwet).reason->find("only one category") != std::string::npos);
  CHECK(agree(same, statistic::brennan_prediger).reason->find("chance agreement is 1") != std::string::npos);
  CHECK(agree(same, statistic::krippendorff).reason->find("no variation") != std::string::npos);
  CHECK(agree(same, statistic::conger).reason->find("chance agreement is 1") != std::string::npos);
  CHECK(agree(same.leftCols(2), statistic::cohen).reason->find("chance agreement is 1") != std::string::npos);
  CHECK(agree(same, statistic::light).reason.has_value());
  // ... with the scale declared, AC1 and BP are defined: perfect agreement.
  options declared;
  declared.categories = {1, 2, 3};
  CHECK(*agree(same, statistic::gwet, declared).value == Approx(1.0));
  CHECK(*agree(same, statistic::brennan_prediger, declared).value == Approx(1.0));
  CHECK(*agree(same, statistic::gwet, declared).se == Approx(0.0).margin(1e-7));

  // A single rater: nothing is pairable.
  const Eigen::MatrixXd single = same.leftCols(1);
  for (statistic s : {statistic::percent, statistic::fleiss, statistic::gwet, statistic::krippendorff,
                      statistic::conger, statistic::unanimous}) {
    INFO(to_string(s));
    const result r = agree(single, s, declared);
    CHECK_FALSE(r.value);
    CHECK(r.reason->find("no pairable units") != std::string::npos);
  }
  CHECK_THROWS_AS(agree(single, statistic::cohen), calibra::invalid_argument);

  // A rater with no ratings: left out under `available`, empties listwise.
  Eigen::MatrixXd idle(3, 3);
  idle << 1, 1, NA, 2, 2, NA, 1, 2, NA;
  const result kept = agree(idle, statistic::fleiss);
  REQUIRE(kept.value);
  CHECK(kept.n_raters == 2);
  options listwise;
  listwise.missing = missing_policy::listwise;
  CHECK(agree(idle, statistic::fleiss, listwise).reason->find("no units") != std::string::npos);

  // Units with one rating count towards chance agreement only.
  Eigen::MatrixXd lonely(3, 2);
  lonely << 1, 1, 2, 2, 3, NA;
  const result f = agree(lonely, statistic::fleiss);
  CHECK(f.n_units == 3);
  CHECK(f.extra.at("pairable_units") == 2);
  CHECK(*f.observed == 1.0);

  // One unit: a value but no variance.
  Eigen::MatrixXd one(1, 3);
  one << 1, 2, 2;
  const result u = agree(one, statistic::percent);
  REQUIRE(u.value);
  CHECK_FALSE(u.se);
}
