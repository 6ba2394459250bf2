// calibration_context: the analysed period, the privacy rule, the framework
// and the scores that every calibration analysis shares.
#include <calibra/calibration/context.hpp>
#include <calibra/calibration/levels.hpp>
#include <calibra/calibration/scores.hpp>
#include <calibra/error.hpp>
#include <calibra/framework/builtin.hpp>

#include "../support/hand_ratings.hpp"

#include <catch2/catch.hpp>

using namespace calibra::calibration;
using Catch::Matchers::Contains;
using calibra_test::table_from_text;

namespace {

ratings_table three_quarters() {
  return table_from_text({{"amy", "m1", "manager", "product-delivery", 3, "2026Q1"},
                          {"amy", "m2", "peer", "product-delivery", 2, "2026Q2"},
                          {"ben", "m1", "manager", "product-delivery", 2, "2026Q3"}});
}

}  // namespace

TEST_CASE("context: the analysed period is the one given, else the scores', else the latest", "[context]") {
  const ratings_table t = three_quarters();
  const calibration_context plain(t);
  CHECK(plain.period() == t.periods().find("2026Q3"));
  CHECK_FALSE(plain.period_given());

  ratings_filter q2;
  q2.period = t.periods().find("2026Q2");
  const competency_scores scores = observed_scores(t, q2);
  CHECK(calibration_context(t, scores).period() == q2.period);

  calibration_context named(t);
  named.with_period("2026Q1");
  CHECK(named.period_given());
  CHECK(named.period() == t.periods().find("2026Q1"));
  CHECK(calibration_context(t).with_period(1).period() == 1u);
}

TEST_CASE("context: unknown periods, bad privacy and missing scores are refused with the reason",
          "[context][errors]") {
  const ratings_table t = three_quarters();
  CHECK_THROWS_WITH(calibration_context(t).with_period("2026Q4"),
                    Contains("period '2026Q4' does not occur in the ratings; they cover 2026Q1, 2026Q2, 2026Q3"));
  CHECK_THROWS_WITH(calibration_context(t).with_period(3), Contains("period id 3 is not a period of the table (3 periods)"));
  CHECK_THROWS_AS(calibration_context(t).with_privacy({0}), calibra::invalid_argument);
  CHECK_THROWS_WITH(calibration_context(t).scores("level inference"),
                    Contains("level inference: the calibration context has no competency scores"));
  CHECK_THROWS_WITH(infer_levels(t), Contains("level inference: the calibration context has no competency scores"));

  // Scores of one period and a context asked about another disagree.
  ratings_filter q2;
  q2.period = t.periods().find("2026Q2");
  const competency_scores scores = observed_scores(t, q2);
  CHECK_THROWS_WITH(calibration_context(t, scores).with_period("2026Q3").scores("readiness"),
                    Contains("readiness: the scores describe period '2026Q2' but period '2026Q3' was requested"));
}

TEST_CASE("context: the privacy rule and framework reach the analysis", "[context]") {
  const ratings_table t = three_quarters();
  CHECK(calibration_context(t).privacy().min_group == privacy_policy{}.min_group);
  CHECK(calibration_context(t).with_privacy({7}).privacy().min_group == 7u);
  CHECK(&calibration_context(t).framework() == &t.framework());
  const calibra::framework copy = calibra::builtin_framework();
  CHECK(&calibration_context(t, copy).framework() == &copy);
}
