#include <calibra/framework/scale.hpp>

#include <catch2/catch.hpp>

using namespace calibra;

TEST_CASE("scope and autonomy names round-trip", "[framework][scale]") {
  for (auto s : {scope::task, scope::feature, scope::product_area, scope::multiple_areas, scope::organisation,
                 scope::company})
    CHECK(parse_scope(to_string(s)) == s);
  for (auto a : {autonomy::guided, autonomy::independent, autonomy::leads_others, autonomy::sets_direction})
    CHECK(parse_autonomy(to_string(a)) == a);
  CHECK(to_string(scope::product_area) == "product-area");
  CHECK(to_string(autonomy::sets_direction) == "sets-direction");
  CHECK_FALSE(parse_scope("universe"));
  CHECK_FALSE(parse_autonomy("Guided"));
  // Wider scope and more autonomy order after narrower scope and less autonomy.
  CHECK(scope::task < scope::company);
  CHECK(autonomy::guided < autonomy::sets_direction);
}

TEST_CASE("levels are addressed by id, label or 1-based ordinal", "[framework][scale]") {
  const proficiency_scale scale({{"f", "Foundational", "", scope::task, autonomy::guided},
                                 {"d", "Developing", "", scope::feature, autonomy::independent},
                                 {"p", "Proficient", "", scope::product_area, autonomy::independent}});
  CHECK(scale.size() == 3);
  CHECK(scale.ordinal_of("f") == 1);
  CHECK(scale.ordinal_of("Proficient") == 3);
  CHECK_FALSE(scale.ordinal_of("proficient"));
  CHECK(scale.at_ordinal(2).label == "Developing");
  CHECK_THROWS_AS(scale.at_ordinal(0), invalid_argument);
  CHECK_THROWS_WITH(scale.at_ordinal(4), Catch::Contains("outside 1..3"));
}
