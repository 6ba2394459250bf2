#include "small_framework.hpp"

#include <calibra/framework/relative.hpp>

#include <catch2/catch.hpp>

using namespace calibra;

TEST_CASE("absolute levels map to the seed's relative scale", "[framework][relative]") {
  CHECK(to_relative(2, 3) == relative_rating::needs_focus);
  CHECK(to_relative(3, 3) == relative_rating::on_track);
  CHECK(to_relative(5, 3) == relative_rating::outperforming);
  CHECK(label(relative_rating::on_track) == "On Track");
  CHECK(parse_relative_rating("Needs Focus") == relative_rating::needs_focus);
  CHECK(parse_relative_rating("outperforming") == relative_rating::outperforming);
  CHECK_FALSE(parse_relative_rating("great"));
}

TEST_CASE("relative ratings map back to absolute levels", "[framework][relative]") {
  CHECK(to_absolute(relative_rating::needs_focus, 3, 5) == 2);
  CHECK(to_absolute(relative_rating::on_track, 3, 5) == 3);
  CHECK(to_absolute(relative_rating::outperforming, 3, 5) == 4);
  CHECK_THROWS_AS(to_absolute(relative_rating::needs_focus, 1, 5), invalid_argument);
  CHECK_THROWS_AS(to_absolute(relative_rating::outperforming, 5, 5), invalid_argument);
  CHECK_THROWS_AS(to_absolute(relative_rating::on_track, 6, 5), invalid_argument);
  for (int expectation = 2; expectation <= 4; ++expectation)
    for (auto r : {relative_rating::needs_focus, relative_rating::on_track, relative_rating::outperforming})
      CHECK(to_relative(to_absolute(r, expectation, 5), expectation) == r);
}

TEST_CASE("relative ratings against a framework's expectation", "[framework][relative]") {
  const framework fw = calibra::testing::small_framework();
  CHECK(to_relative(fw, "lead", "si", 4) == relative_rating::on_track);
  CHECK(to_relative(fw, "junior", "si", 2) == relative_rating::outperforming);
  CHECK(to_absolute(fw, "mid", "ti", relative_rating::needs_focus) == 2);
}
