#include <calibra/calibration/wide_matrix.hpp>
#include <calibra/framework/builtin.hpp>
#include <calibra/io/ratings.hpp>

#include <iostream>

int main() {
  namespace cal = calibra::calibration;
  const auto fw = std::make_shared<const calibra::framework>(calibra::builtin_framework());
  const cal::ratings_table table = calibra::read_ratings_csv("data/examples/ratings.csv", fw);

  const cal::ratings_summary& s = table.summary();
  std::cout << s.rows_read << " rows read, " << s.rows_kept << " kept; " << s.ratees << " ratees, " << s.raters
            << " raters, " << s.periods << " periods\n";
  for (cal::rater_role role : cal::all_rater_roles)
    std::cout << "  " << cal::to_string(role) << ": " << s.rows_per_role[static_cast<std::size_t>(role)] << "\n";

  // Manager and panel ratings of one competency in one quarter, as units x raters.
  cal::ratings_filter filter;
  filter.competency = fw->competency_index("product-delivery");
  filter.period = table.periods().find("2026Q3");
  filter.roles = {cal::rater_role::manager, cal::rater_role::panel};
  const cal::unit_rater_matrix m = cal::wide_matrix(table, filter);
  std::cout << m.ratings.rows() << " units x " << m.ratings.cols() << " raters:";
  for (const auto& rater : m.raters) std::cout << " " << rater;
  std::cout << "\nfirst unit " << m.units[0] << ": " << m.ratings.row(0) << "\n";
}
