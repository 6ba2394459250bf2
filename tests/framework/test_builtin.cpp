// Facts of the built-in framework that come straight from the seeds: the 12
// competencies in four areas, the quadrant-shift and 3-5
// promotion-gap rules.
#include <calibra/framework/builtin.hpp>
#include <calibra/io/framework_json.hpp>

#include <catch2/catch.hpp>

#include <set>

using namespace calibra;

TEST_CASE("the built-in framework holds the seed's 12 competencies in 4 areas", "[framework][builtin]") {
  const framework fw = builtin_framework();
  REQUIRE(fw.competencies().size() == 12);
  REQUIRE(fw.areas().size() == 4);
  const std::vector<std::string> names{"Functional Specification", "Product Delivery", "Product Quality",
                                       "Fluency with Data", "Voice of the Customer", "User Experience Design",
                                       "Business Outcome Ownership", "Product Vision & Roadmapping",
                                       "Strategic Impact", "Stakeholder Inclusion", "Team Leadership", "Managing Up"};
  for (std::size_t i = 0; i < names.size(); ++i) CHECK(fw.competencies()[i].name == names[i]);
  std::set<std::string> areas;
  for (const auto& a : fw.areas()) areas.insert(a.name);
  CHECK(areas == std::set<std::string>{"Product Execution", "Customer Insight", "Product Strategy", "Influencing People"});
  int per_quadrant[4] = {0, 0, 0, 0};
  for (const auto& c : fw.competencies()) {
    REQUIRE(c.quadrant);
    ++per_quadrant[c.quadrant->index()];
    REQUIRE(c.area);
    REQUIRE(c.position);
    CHECK(quadrant_of(*c.position) == c.quadrant);
    CHECK_FALSE(c.interview_format.empty());
    CHECK(c.actions.size() >= 3);
    for (const auto& a : c.anchors) CHECK_FALSE(a.empty());
  }
  for (int n : per_quadrant) CHECK(n == 3);
}

TEST_CASE("the built-in scale and ladder follow the seeds", "[framework][builtin]") {
  const framework fw = builtin_framework();
  const auto& levels = fw.scale().levels();
  REQUIRE(levels.size() == 5);
  CHECK(levels[0].label == "Foundational");
  CHECK(levels[1].label == "Developing");
  CHECK(levels[2].label == "Proficient");
  CHECK(levels[3].label == "Advanced");
  CHECK(levels[4].label == "Expert");
  for (std::size_t i = 1; i < levels.size(); ++i) {
    CHECK(levels[i].scope >= levels[i - 1].scope);
    CHECK(levels[i].autonomy >= levels[i - 1].autonomy);
  }
  const auto& ladder = fw.ladder();
  REQUIRE(ladder.size() == 5);
  CHECK(ladder.track_levels(track::ic).size() == 4);
  CHECK(ladder.track_levels(track::manager).size() == 1);
  CHECK(fw.path("apm", "principal-pm") == std::vector<std::string>{"apm", "pm", "senior-pm", "principal-pm"});
  CHECK(fw.path("apm", "group-pm") == std::vector<std::string>{"apm", "pm", "senior-pm", "group-pm"});
  CHECK(fw.archetypes().size() == 4);
}

TEST_CASE("every built-in step has 3 to 5 promotion-gap competencies", "[framework][builtin]") {
  const framework fw = builtin_framework();
  for (const auto& g : fw.promotion_gaps()) {
    CHECK(g.competencies.size() >= 3);
    CHECK(g.competencies.size() <= 5);
  }
  // Associate PMs are expected higher on tactical than on strategic quadrants (the quadrant-shift rule).
  const Eigen::MatrixXd p = fw.quadrant_profile();
  const auto apm = static_cast<Eigen::Index>(*fw.ladder().index_of("apm"));
  CHECK(p.row(apm).head(2).mean() > p.row(apm).tail(2).mean());
  CHECK_FALSE(fw.plateaus().empty());
}

TEST_CASE("the built-in JSON is canonical", "[framework][builtin][io]") {
  CHECK(to_json(builtin_framework()) == builtin_framework_json());
}
