// builtin.cpp
// Load the built-in product-manager framework and look up expectations.
#include <calibra/framework/builtin.hpp>

#include <iostream>

int main() {
  const calibra::framework fw = calibra::builtin_framework();
  std::cout << fw.metadata().name << " " << fw.metadata().version << ": " << fw.competencies().size()
            << " competencies, " << fw.scale().size() << " levels, " << fw.ladder().size() << " career levels\n";

  for (const calibra::career_level& level : fw.ladder().career_levels())
    std::cout << "  " << level.id << " (" << calibra::to_string(level.track) << ", rank " << level.rank << ")\n";

  // Expectations are 1-based ordinals into the scale.
  const int ordinal = fw.expectation("senior-pm", "product-vision-roadmapping");
  const calibra::proficiency_level& level = fw.scale().at_ordinal(ordinal);
  std::cout << "senior-pm expects product-vision-roadmapping at level " << ordinal << " (" << level.label
            << ", scope " << calibra::to_string(*level.scope) << ", autonomy " << calibra::to_string(*level.autonomy)
            << ")\n";

  // The whole matrix: rows are career levels, columns competencies.
  const calibra::expectation_matrix& e = fw.expectations();
  std::cout << "matrix " << e.rows() << " x " << e.cols() << ", first row:";
  for (Eigen::Index c = 0; c < e.cols(); ++c) std::cout << ' ' << e(0, c);
  std::cout << '\n';
}
