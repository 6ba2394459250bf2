#include "small_framework.hpp"

#include <calibra/framework/framework.hpp>

#include <catch2/catch.hpp>

using namespace calibra;
using calibra::testing::small_framework;

TEST_CASE("expectations are addressed by ids", "[framework]") {
  const framework fw = small_framework();
  CHECK(fw.expectation("junior", "ti") == 2);
  CHECK(fw.expectation("lead", "si") == 4);
  CHECK_THROWS_AS(fw.expectation("cto", "ti"), invalid_argument);
  CHECK_THROWS_WITH(fw.expectation("junior", "nope"), Catch::Contains("unknown competency 'nope'"));
}

TEST_CASE("promotion gaps list every competency that rises on a step", "[framework][gaps]") {
  const framework fw = small_framework();
  const auto gaps = fw.promotion_gaps();
  REQUIRE(gaps.size() == 3);
  // junior -> mid: ti 2->3, si 1->2
  REQUIRE(gaps[0].competencies.size() == 2);
  CHECK(gaps[0].competencies[0].competency == 0);
  CHECK(gaps[0].competencies[0].from_level == 2);
  CHECK(gaps[0].competencies[0].to_level == 3);
  CHECK(gaps[0].competencies[1].competency == 2);
  // mid -> senior: te 2->3, si 2->3, se 1->2
  CHECK(gaps[1].competencies.size() == 3);
  // mid -> lead: si 2->4, se 1->2
  REQUIRE(gaps[2].competencies.size() == 2);
  CHECK(gaps[2].competencies[0].from_level == 2);
  CHECK(gaps[2].competencies[0].to_level == 4);
}

TEST_CASE("plateaus are competencies that stop rising before the top of a chain", "[framework][plateau]") {
  const framework fw = small_framework();
  const auto plateaus = fw.plateaus();
  // Chain junior-mid-senior: ti rises at mid, then holds -> plateau at mid, level 3.
  // Chain junior-mid-lead: ti holds at mid (3), te stays 2 from junior on -> plateau at junior, level 2.
  auto has = [&](std::size_t comp, const char* level, int value) {
    const auto l = *fw.ladder().index_of(level);
    for (const auto& p : plateaus)
      if (p.competency == comp && p.career_level == l && p.level == value) return true;
    return false;
  };
  CHECK(has(0, "mid", 3));
  CHECK(has(1, "junior", 2));
  CHECK_FALSE(has(2, "mid", 2));  // si rises on both chains
  CHECK(plateaus.size() == 2);
}

TEST_CASE("the quadrant profile is the mean expectation per quadrant", "[framework][profile]") {
  const framework fw = small_framework();
  const Eigen::MatrixXd p = fw.quadrant_profile();
  REQUIRE(p.rows() == 4);
  REQUIRE(p.cols() == 4);
  CHECK(p(0, 0) == 2);
  CHECK(p(0, 3) == 1);
  CHECK(p(3, 2) == 4);
}

TEST_CASE("paths follow promotions forward only", "[framework][ladder]") {
  const framework fw = small_framework();
  CHECK(fw.path("junior", "senior") == std::vector<std::string>{"junior", "mid", "senior"});
  CHECK(fw.path("junior", "lead") == std::vector<std::string>{"junior", "mid", "lead"});
  CHECK(fw.path("mid", "mid") == std::vector<std::string>{"mid"});
  CHECK(fw.path("senior", "lead").empty());  // lateral move: no promotion path
  CHECK(fw.path("senior", "junior").empty());
  CHECK_THROWS_AS(fw.path("junior", "vp"), invalid_argument);
}

TEST_CASE("construction validates references with JSON pointers", "[framework][validation]") {
  const framework good = small_framework();
  auto comps = good.competencies();
  auto expectations = good.expectations();

  SECTION("duplicate competency ids") {
    comps[1].id = "ti";
    CHECK_THROWS_WITH(framework(good.metadata(), good.scale(), {}, comps, good.ladder(), expectations),
                      Catch::Contains("/competencies/1/id") && Catch::Contains("duplicate id 'ti'"));
  }
  SECTION("unknown area") {
    comps[0].area = "nowhere";
    CHECK_THROWS_WITH(framework(good.metadata(), good.scale(), {}, comps, good.ladder(), expectations),
                      Catch::Contains("/competencies/0/area") && Catch::Contains("unknown area 'nowhere'"));
  }
  SECTION("position in another quadrant") {
    comps[0].position = grid_position{0.5, 0.5};
    CHECK_THROWS_WITH(framework(good.metadata(), good.scale(), {}, comps, good.ladder(), expectations),
                      Catch::Contains("/competencies/0/position") && Catch::Contains("strategic-external"));
  }
  SECTION("expectation outside the scale") {
    expectations(1, 2) = 5;
    CHECK_THROWS_WITH(framework(good.metadata(), good.scale(), {}, comps, good.ladder(), expectations),
                      Catch::Contains("/expectations/mid/si") && Catch::Contains("outside the scale 1..4"));
  }
  SECTION("wrong anchor count") {
    comps[2].anchors.pop_back();
    CHECK_THROWS_AS(framework(good.metadata(), good.scale(), {}, comps, good.ladder(), expectations),
                    validation_error);
  }
  SECTION("scale size outside 3..7") {
    proficiency_scale two({{"a", "A", "", scope::task, autonomy::guided}, {"b", "B", "", scope::feature, autonomy::guided}});
    for (auto& c : comps) c.anchors.resize(2);
    CHECK_THROWS_WITH(framework(good.metadata(), two, {}, comps, good.ladder(), expectations.cwiseMin(2)),
                      Catch::Contains("/scale") && Catch::Contains("3 to 7 levels"));
  }
  SECTION("archetype naming an unknown competency") {
    CHECK_THROWS_WITH(framework(good.metadata(), good.scale(), {}, comps, good.ladder(), expectations,
                                {{"x", "X", "", {"ti", "ghost"}, {}}}),
                      Catch::Contains("/archetypes/0/strong/1"));
  }
}
