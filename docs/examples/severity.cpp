#include <calibra/calibration/severity.hpp>
#include <calibra/framework/builtin.hpp>
#include <calibra/io/ratings.hpp>

#include <cstdio>
#include <string>

int main() {
  namespace cal = calibra::calibration;
  const auto fw = std::make_shared<const calibra::framework>(calibra::builtin_framework());
  const cal::ratings_table table = calibra::read_ratings_csv("data/examples/ratings.csv", fw);

  const cal::severity_fit fit = cal::fit_severity(table);  // manager, peer, skip-level and panel ratings
  std::printf("%zu ratings, %zu residual dof, residual SD %.3f\nSEs: %s\n\n", fit.n_ratings, fit.dof,
              fit.residual_sd, fit.se_method.c_str());
  std::printf("rater  group  severity  95%% CI            flags\n");
  for (const cal::rater_severity& r : fit.raters) {
    std::printf("%-6s %5zu  %+8.3f  [%+.3f, %+.3f]  ", table.raters()[r.rater].c_str(), r.component, r.severity,
                r.ci_low, r.ci_high);
    for (const cal::rater_flag flag : r.flags) std::printf("%s ", std::string(cal::to_string(flag)).c_str());
    std::printf("\n");
  }

  const cal::rater_network& net = fit.network;
  if (!net.connected()) {
    std::printf("\n%zu groups of raters share no ratee; severities compare only within a group.\n",
                net.components.size());
    for (const cal::cross_assignment& s : net.suggestions)
      std::printf("  %s (group %zu) should also rate %s (group %zu)\n", table.raters()[s.rater].c_str(),
                  s.from_component, table.ratees()[s.ratee].c_str(), s.to_component);
  }

  // Severity-adjusted scores for the latest quarter against the plain
  // means, averaged over the PMs each manager manages.
  const cal::competency_scores fair = fit.fair_scores(table);
  cal::ratings_filter latest;
  latest.period = fair.period;
  const cal::competency_scores observed = cal::observed_scores(table, latest);
  std::printf("\nfair minus observed score in %s, mean over each manager's PMs:\n",
              table.periods()[*fair.period].c_str());
  for (const char* manager : {"mgr1", "mgr2", "mgr4"}) {
    const std::uint32_t id = *table.raters().find(manager);
    double sum = 0;
    int cells = 0;
    for (std::size_t row = 0; row < table.size(); ++row) {
      if (table.rater(row) != id || table.role(row) != cal::rater_role::manager || table.period(row) != *fair.period)
        continue;
      const auto f = static_cast<Eigen::Index>(*fair.row_of(table.ratee(row)));
      const auto o = static_cast<Eigen::Index>(*observed.row_of(table.ratee(row)));
      const auto c = static_cast<Eigen::Index>(table.competency(row));
      sum += fair.value(f, c) - observed.value(o, c);
      ++cells;
    }
    std::printf("  %s: %+.2f levels\n", manager, sum / cells);
  }
}
