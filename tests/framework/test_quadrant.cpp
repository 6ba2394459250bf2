#include <calibra/framework/quadrant.hpp>

#include <catch2/catch.hpp>

using namespace calibra;

TEST_CASE("quadrants have stable names that round-trip", "[framework][quadrant]") {
  int index = 0;
  for (quadrant q : all_quadrants()) {
    CHECK(q.index() == index++);
    const auto parsed = parse_quadrant(to_string(q));
    REQUIRE(parsed);
    CHECK(*parsed == q);
  }
  CHECK(to_string(all_quadrants()[0]) == "tactical-internal");
  CHECK(to_string(all_quadrants()[3]) == "strategic-external");
  CHECK_FALSE(parse_quadrant("strategic"));
  CHECK_FALSE(parse_quadrant("Tactical-Internal"));
}

TEST_CASE("a grid position determines its quadrant", "[framework][quadrant]") {
  CHECK(quadrant_of({-0.5, -0.5}) == quadrant{focus::tactical, orientation::internal});
  CHECK(quadrant_of({-0.5, 0.5}) == quadrant{focus::tactical, orientation::external});
  CHECK(quadrant_of({0.5, -1.0}) == quadrant{focus::strategic, orientation::internal});
  CHECK(quadrant_of({1.0, 1.0}) == quadrant{focus::strategic, orientation::external});
  SECTION("positions on an axis or outside the grid have none") {
    CHECK_FALSE(quadrant_of({0.0, 0.5}));
    CHECK_FALSE(quadrant_of({0.5, 0.0}));
    CHECK_FALSE(quadrant_of({1.5, 0.5}));
    CHECK_FALSE(quadrant_of({0.5, -1.01}));
    CHECK_FALSE(quadrant_of({std::numeric_limits<double>::quiet_NaN(), 0.5}));
  }
}
