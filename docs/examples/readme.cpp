#include <calibra/calibra.hpp>
#include <iostream>

int main() {
  const calibra::framework fw = calibra::builtin_framework();  // or calibra::load_framework("pm.json")
  for (const auto& finding : calibra::check(fw))
    std::cout << finding.rule << ' ' << finding.where << ": " << finding.message << '\n';
  std::cout << fw.expectation("senior-pm", "stakeholder-inclusion") << '\n';  // 3 (Proficient)
  for (const auto& gap : fw.promotion_gaps())
    std::cout << fw.ladder().career_levels()[gap.step.from].id << " -> " << fw.ladder().career_levels()[gap.step.to].id
              << ": " << gap.competencies.size() << " promotion-gap competencies\n";
}
