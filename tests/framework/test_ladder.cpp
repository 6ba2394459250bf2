#include <calibra/framework/ladder.hpp>

#include <catch2/catch.hpp>

using namespace calibra;

TEST_CASE("tracks have stable names", "[framework][ladder]") {
  CHECK(to_string(track::ic) == "ic");
  CHECK(to_string(track::manager) == "manager");
  CHECK(parse_track("manager") == track::manager);
  CHECK_FALSE(parse_track("Manager"));
}

TEST_CASE("the career ladder rejects malformed step graphs", "[framework][ladder]") {
  const std::vector<career_level> levels{{"a", "A", track::ic, 1}, {"b", "B", track::ic, 2}, {"c", "C", track::ic, 2}};
  CHECK_THROWS_WITH(career_ladder(levels, {{"a", "zz"}}), Catch::Contains("/steps/0/to"));
  CHECK_THROWS_WITH(career_ladder(levels, {{"b", "a"}}), Catch::Contains("goes down in rank"));
  CHECK_THROWS_WITH(career_ladder(levels, {{"a", "b"}, {"a", "b"}}), Catch::Contains("listed twice"));
  CHECK_THROWS_WITH(career_ladder(levels, {{"b", "c"}, {"c", "b"}}), Catch::Contains("cycle"));
  CHECK_THROWS_WITH(career_ladder({{"a", "A", track::ic, 1}, {"a", "B", track::ic, 2}}, {}),
                    Catch::Contains("/career_levels/1/id"));
  const career_ladder ok(levels, {{"a", "b"}, {"a", "c"}});
  CHECK(ok.next(0) == std::vector<std::size_t>{1, 2});
  CHECK(ok.track_levels(track::ic) == std::vector<std::size_t>{0, 1, 2});
  CHECK(ok.ic_peer(1) == std::optional<std::size_t>(2));
}
