// queries.cpp
// Promotion gaps, plateaus, the quadrant profile and promotion paths.
#include <calibra/framework/builtin.hpp>

#include <iomanip>
#include <iostream>

int main() {
  const calibra::framework fw = calibra::builtin_framework();
  const auto& comps = fw.competencies();
  const auto& levels = fw.ladder().career_levels();

  for (const calibra::promotion_gap& g : fw.promotion_gaps()) {
    std::cout << levels[g.step.from].id << " -> " << levels[g.step.to].id << ":";
    for (const calibra::competency_rise& rise : g.competencies)
      std::cout << ' ' << comps[rise.competency].id << ' ' << rise.from_level << "->" << rise.to_level << ';';
    std::cout << '\n';
  }

  std::cout << "plateaus:\n";
  for (const calibra::plateau& p : fw.plateaus())
    std::cout << "  " << comps[p.competency].id << " stays at " << p.level << " from " << levels[p.career_level].id
              << '\n';

  // Mean expected level per quadrant, columns in all_quadrants() order.
  const Eigen::MatrixXd profile = fw.quadrant_profile();
  std::cout << std::left << std::setw(14) << "career level" << std::right;
  for (calibra::quadrant q : calibra::all_quadrants()) std::cout << std::setw(20) << calibra::to_string(q);
  std::cout << '\n' << std::fixed << std::setprecision(2);
  for (std::size_t l = 0; l < levels.size(); ++l) {
    std::cout << std::left << std::setw(14) << levels[l].id << std::right;
    for (int q = 0; q < 4; ++q) std::cout << std::setw(20) << profile(static_cast<Eigen::Index>(l), q);
    std::cout << '\n';
  }

  for (const auto& [from, to] : {std::pair{"apm", "group-pm"}, std::pair{"principal-pm", "group-pm"}}) {
    const std::vector<std::string> path = fw.path(from, to);
    std::cout << "path " << from << " -> " << to << ":";
    if (path.empty()) std::cout << " none (not reachable by promotions)";
    for (const std::string& id : path) std::cout << ' ' << id;
    std::cout << '\n';
  }
}
