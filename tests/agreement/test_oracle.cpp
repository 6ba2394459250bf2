// Cross-checks against peer implementations: scikit-learn cohen_kappa_score,
// statsmodels cohens_kappa / fleiss_kappa, and Light's kappa as the mean of
// scikit-learn's pairwise kappas.  The expected numbers are produced by
// tests/data/oracle/oracle_agreement_core.py into tests/data/oracle/agreement_core.json.
#include <calibra/agreement/cohen.hpp>
#include <calibra/agreement/multi_rater.hpp>

#include "../support/bounded_interval.hpp"
#include "test_reference_data.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fstream>

using namespace calibra::agreement;
using calibra_test::read_reference;

namespace {
nlohmann::json oracle() {
  std::ifstream in(std::string(CALIBRA_TEST_DATA_DIR) + "/oracle/agreement_core.json");
  REQUIRE(in);
  return nlohmann::json::parse(in);
}

Eigen::MatrixXd ratings_of(const nlohmann::json& entry) {
  if (entry.contains("reference")) return read_reference(entry.at("reference").get<std::string>());
  const auto& rows = entry.at("ratings");
  Eigen::MatrixXd m(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(rows.at(0).size()));
  for (std::size_t i = 0; i < rows.size(); ++i)
    for (std::size_t j = 0; j < rows[i].size(); ++j)
      m(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) =
          rows[i][j].is_null() ? calibra_test::NA : rows[i][j].get<double>();
  return m;
}
}  // namespace

TEST_CASE("Cohen's kappa agrees with scikit-learn and statsmodels", "[oracle][cohen]") {
  const nlohmann::json data = oracle();
  for (const auto& entry : data.at("cohen")) {
    const Eigen::MatrixXd m = ratings_of(entry);
    for (auto [key, scheme] : {std::pair{"identity", weight_scheme::identity},
                               std::pair{"linear", weight_scheme::linear},
                               std::pair{"quadratic", weight_scheme::quadratic}}) {
      INFO(entry.at("name").get<std::string>() << " weights " << key);
      options opts;
      opts.weights = scheme;
      const result r = cohen_kappa(m, opts);
      REQUIRE(r.value);
      CHECK(*r.value == Approx(entry.at(std::string("sklearn_") + key).get<double>()).margin(1e-12));
      const auto& sm = entry.at(std::string("statsmodels_") + key);
      CHECK(*r.value == Approx(sm.at("kappa").get<double>()).margin(1e-12));
      CHECK(*r.se == Approx(sm.at("se").get<double>()).margin(1e-12));
      CHECK(r.extra.at("se_null") == Approx(sm.at("se_null").get<double>()).margin(1e-12));
      CHECK(r.extra.at("z") == Approx(sm.at("z").get<double>()).margin(1e-9));
      CHECK(r.extra.at("p") == Approx(sm.at("p").get<double>()).margin(1e-12));
      // The interval: Fisher's z of statsmodels' kappa and SE (docs/agreement.md).
      const auto [low, high] = calibra_test::fisher_z_interval(sm.at("kappa").get<double>(),
                                                               sm.at("se").get<double>(), calibra_test::normal_quantile());
      CHECK(*r.ci_low == Approx(low).margin(1e-12));
      CHECK(*r.ci_high == Approx(high).margin(1e-12));
      CHECK(*r.ci_high <= 1.0);
    }
  }
}

TEST_CASE("Fleiss' kappa and Brennan-Prediger agree with statsmodels on complete data", "[oracle][fleiss]") {
  // statsmodels fleiss_kappa(method="randolph") is Randolph's free-marginal
  // kappa, which is Brennan-Prediger with the q observed categories.
  const nlohmann::json data = oracle();
  for (const auto& entry : data.at("fleiss")) {
    INFO(entry.at("name").get<std::string>());
    const Eigen::MatrixXd m = ratings_of(entry);
    CHECK(*fleiss_kappa(m).value == Approx(entry.at("fleiss").get<double>()).margin(1e-12));
    CHECK(*brennan_prediger(m).value == Approx(entry.at("brennan_prediger").get<double>()).margin(1e-12));
  }
}

TEST_CASE("Light's kappa is the mean of scikit-learn's pairwise kappas", "[oracle][light]") {
  const nlohmann::json data = oracle();
  for (const auto& entry : data.at("light")) {
    INFO(entry.at("name").get<std::string>());
    const result r = light_kappa(ratings_of(entry));
    REQUIRE(r.value);
    CHECK(*r.value == Approx(entry.at("light").get<double>()).margin(1e-12));
  }
}
