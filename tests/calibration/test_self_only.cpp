// A self-assessment alone: the profile against the career level, and what
// the other analyses say they wait for.  The expectations are those of the
// built-in framework at senior-pm (framework show): functional-specification
// 3, product-delivery 3, product-quality 2, fluency-with-data 3,
// voice-of-the-customer 3, user-experience-design 2, business-outcome-ownership
// 3, product-vision-roadmapping 3, strategic-impact 2, stakeholder-inclusion 3,
// team-leadership 1, managing-up 2.
#include <calibra/calibration/calibrate.hpp>
#include <calibra/calibration/self_assessment.hpp>
#include <calibra/io/ratings.hpp>

#include "../support/hand_ratings.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace calibra::calibration;
using calibra_test::builtin;

namespace {

const std::string self_only =
    "ratee,rater,role,competency,level,period,career_level\n"
    "ana,ana,self,functional-specification,4,2026Q3,senior-pm\n"
    "ana,ana,self,product-delivery,3,2026Q3,senior-pm\n"
    "ana,ana,self,product-quality,2,2026Q3,senior-pm\n"
    "ana,ana,self,fluency-with-data,5,2026Q3,senior-pm\n"
    "ana,ana,self,voice-of-the-customer,4,2026Q3,senior-pm\n"
    "ana,ana,self,user-experience-design,4,2026Q3,senior-pm\n"
    "ana,ana,self,business-outcome-ownership,2,2026Q3,senior-pm\n"
    "ana,ana,self,product-vision-roadmapping,1,2026Q3,senior-pm\n"
    "ana,ana,self,strategic-impact,2,2026Q3,senior-pm\n"
    "ana,ana,self,stakeholder-inclusion,3,2026Q3,senior-pm\n"
    "ana,ana,self,team-leadership,1,2026Q3,senior-pm\n";

std::vector<std::string> ids(const std::vector<std::size_t>& competencies) {
  std::vector<std::string> out;
  for (std::size_t c : competencies) out.push_back(builtin()->competencies()[c].id);
  return out;
}

std::vector<std::string> ids(const std::vector<self_profile_item>& items) {
  std::vector<std::string> out;
  for (const auto& item : items) out.push_back(builtin()->competencies()[item.competency].id);
  return out;
}

}  // namespace

TEST_CASE("self only: strengths, gaps and what to discuss against the career level", "[self_only]") {
  const ratings_table t = calibra::read_ratings_csv_text(self_only, builtin(), "self.csv");
  const calibration_report report = calibrate(calibration_context(t));
  REQUIRE(report.self_profiles);
  REQUIRE(report.self_profiles->available);
  REQUIRE(report.self_profiles->ratees.size() == 1);
  const self_profile& p = report.self_profiles->ratees[0];
  CHECK(p.career_level == builtin()->ladder().index_of("senior-pm"));
  CHECK(ids(p.strengths) == std::vector<std::string>{"fluency-with-data", "user-experience-design",
                                                     "functional-specification", "voice-of-the-customer"});
  CHECK(p.strengths[0].difference == 2);
  CHECK(ids(p.gaps) == std::vector<std::string>{"product-vision-roadmapping", "business-outcome-ownership"});
  CHECK(p.gaps[0].difference == -2);
  CHECK(ids(p.unrated) == std::vector<std::string>{"managing-up"});
  CHECK(ids(p.to_discuss) ==
        std::vector<std::string>{"product-vision-roadmapping", "business-outcome-ownership", "fluency-with-data",
                                 "user-experience-design", "functional-specification", "voice-of-the-customer",
                                 "managing-up"});
  CHECK(report.scores.method == "self-assessment only");
  CHECK(report.development.available);
  CHECK(report.levels.available);
  REQUIRE(report.status("raters"));
  CHECK(report.status("raters")->reason == "severity: waiting for ratings from at least one other rater");
  CHECK_THAT(report.status("self_vs_manager")->reason, Catch::Contains("waiting for the manager's ratings"));
  CHECK_FALSE(report.status("readiness")->available);
  CHECK_THAT(report.status("readiness")->reason, Catch::Contains("waiting for ratings from at least one other"));
}

TEST_CASE("self only: without a career level the profile says why it has no strengths or gaps", "[self_only]") {
  const ratings_table t = calibra::read_ratings_csv_text(
      "ratee,rater,role,competency,level,period\nbo,bo,self,product-delivery,3,2026Q3\n", builtin(), "s.csv");
  const self_profiles_result r = profile_self_assessments(calibration_context(t));
  REQUIRE(r.ratees.size() == 1);
  CHECK_FALSE(r.ratees[0].career_level);
  CHECK(r.ratees[0].strengths.empty());
  CHECK_THAT(r.ratees[0].note, Catch::Contains("no career level"));
  CHECK(r.ratees[0].unrated.size() == 11);
}
