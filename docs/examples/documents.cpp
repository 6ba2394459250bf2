#include <calibra/framework/builtin.hpp>
#include <calibra/framework/documents.hpp>

#include <iostream>

int main() {
  const calibra::framework fw = calibra::builtin_framework();

  const calibra::job_description_draft jd = calibra::job_description(fw, "senior-pm");
  for (const auto& r : jd.distinguishing)
    std::cout << r.competency_name << ": level " << r.previous_level << " -> " << r.level << "\n";

  const calibra::interview_rubric_draft rubric = calibra::interview_rubric(fw, "senior-pm");
  for (const auto& e : rubric.entries)
    std::cout << e.competency_name << " (target " << e.target_label << "): " << e.interview_format << "\n";

  std::cout << calibra::to_markdown(jd);
}
