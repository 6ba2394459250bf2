// relative.cpp
// Convert between absolute levels and the relative scale
// (Needs Focus / On Track / Outperforming) of a career level.
#include <calibra/framework/builtin.hpp>
#include <calibra/framework/relative.hpp>

#include <iostream>

int main() {
  const calibra::framework fw = calibra::builtin_framework();

  // A ratee at pm was rated at levels 2, 3 and 4 on fluency-with-data.
  const int expected = fw.expectation("pm", "fluency-with-data");
  std::cout << "pm expects fluency-with-data at " << expected << '\n';
  for (int level : {2, 3, 4}) {
    const calibra::relative_rating r = calibra::to_relative(fw, "pm", "fluency-with-data", level);
    std::cout << "  level " << level << " -> " << calibra::label(r) << " (" << calibra::to_string(r) << ")\n";
  }

  // And back: which absolute level does "Outperforming" stand for?
  const auto r = calibra::parse_relative_rating("Outperforming");
  std::cout << "Outperforming at pm = level " << calibra::to_absolute(fw, "pm", "fluency-with-data", *r) << '\n';

  // At the bottom of the scale "Needs Focus" has no level.
  try {
    calibra::to_absolute(calibra::relative_rating::needs_focus, 1, static_cast<int>(fw.scale().size()));
  } catch (const calibra::invalid_argument& e) {
    std::cout << e.what() << '\n';
  }
}
