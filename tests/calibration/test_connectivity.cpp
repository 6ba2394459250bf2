// The rater-ratee network on hand-built graphs: components, articulation
// raters, rater pairs without a shared ratee, cross-assignment suggestions.
// Every expected value below is read off the drawn graph by hand.
#include <calibra/calibration/connectivity.hpp>
#include <calibra/framework/builtin.hpp>

#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <utility>
#include <vector>

using namespace calibra::calibration;

namespace {

std::shared_ptr<const calibra::framework> builtin() {
  static const auto fw = std::make_shared<const calibra::framework>(calibra::builtin_framework());
  return fw;
}

/// A table of peer ratings of one competency in one period, from
/// (rater, ratee) edges; `self` adds a self rating for each listed ratee.
ratings_table graph_table(const std::vector<std::pair<std::string, std::string>>& edges,
                          const std::vector<std::string>& self = {}) {
  ratings_builder builder(builtin(), "graph");
  for (const auto& [rater, ratee] : edges) {
    rating r;
    r.rater = rater;
    r.ratee = ratee;
    r.role = rater_role::peer;
    r.competency = 0;
    r.level = 3;
    r.period = "2026Q1";
    builder.add(r);
  }
  for (const auto& ratee : self) {
    rating r;
    r.rater = ratee;
    r.ratee = ratee;
    r.role = rater_role::self;
    r.competency = 0;
    r.level = 4;
    r.period = "2026Q1";
    builder.add(r);
  }
  return builder.finish();
}

std::uint32_t rater_id(const ratings_table& t, const std::string& name) { return *t.raters().find(name); }
std::uint32_t ratee_id(const ratings_table& t, const std::string& name) { return *t.ratees().find(name); }

std::vector<std::string> rater_names(const ratings_table& t, const std::vector<std::uint32_t>& ids) {
  std::vector<std::string> out;
  for (auto id : ids) out.push_back(t.raters()[id]);
  return out;
}
std::vector<std::string> ratee_names(const ratings_table& t, const std::vector<std::uint32_t>& ids) {
  std::vector<std::string> out;
  for (auto id : ids) out.push_back(t.ratees()[id]);
  return out;
}

}  // namespace

TEST_CASE("connectivity: two components, largest first, with cross-assignments joining them", "[connectivity]") {
  // A and B share x; A also rates y.  C rates z alone.
  //   A - x - B      C - z
  //   A - y
  const auto t = graph_table({{"A", "x"}, {"B", "x"}, {"A", "y"}, {"C", "z"}});
  const rater_network net = analyse_network(t);

  CHECK_FALSE(net.connected());
  REQUIRE(net.components.size() == 2);
  CHECK(rater_names(t, net.components[0].raters) == std::vector<std::string>{"A", "B"});
  CHECK(ratee_names(t, net.components[0].ratees) == std::vector<std::string>{"x", "y"});
  CHECK(net.components[0].ratings == 3);
  CHECK(rater_names(t, net.components[1].raters) == std::vector<std::string>{"C"});
  CHECK(ratee_names(t, net.components[1].ratees) == std::vector<std::string>{"z"});
  CHECK(net.components[1].ratings == 1);
  CHECK(net.rater_component[rater_id(t, "A")] == 0);
  CHECK(net.rater_component[rater_id(t, "C")] == 1);
  CHECK(net.ratee_component[ratee_id(t, "z")] == 1);
  CHECK(net.n_ratings == 4);
  CHECK(net.n_raters == 3);
  CHECK(net.n_ratees == 3);

  // A-C and B-C share nothing; A-B share x.
  CHECK(net.rater_pairs_without_shared_ratee == 2);
  REQUIRE(net.pair_examples.size() == 2);
  CHECK(net.pair_examples[0] == std::make_pair(rater_id(t, "A"), rater_id(t, "C")));
  CHECK(net.pair_examples[1] == std::make_pair(rater_id(t, "B"), rater_id(t, "C")));

  // The busiest rater of the large component (A, 2 ratings) rates z; C rates
  // the busiest ratee of the large component (x, 2 ratings).
  REQUIRE(net.suggestions.size() == 2);
  CHECK(t.raters()[net.suggestions[0].rater] == "A");
  CHECK(t.ratees()[net.suggestions[0].ratee] == "z");
  CHECK(net.suggestions[0].from_component == 0);
  CHECK(net.suggestions[0].to_component == 1);
  CHECK(t.raters()[net.suggestions[1].rater] == "C");
  CHECK(t.ratees()[net.suggestions[1].ratee] == "x");
  CHECK(net.suggestions[1].from_component == 1);
  CHECK(net.suggestions[1].to_component == 0);
  CHECK(net.articulation_raters.empty());
}

TEST_CASE("connectivity: a rater holding two groups together is an articulation rater", "[connectivity]") {
  // A - x - B - y - C, plus D sharing y with B and C:
  // removing B separates A from C and D.
  const auto t = graph_table({{"A", "x"}, {"B", "x"}, {"B", "y"}, {"C", "y"}, {"D", "y"}});
  const rater_network net = analyse_network(t);
  CHECK(net.connected());
  REQUIRE(net.components.size() == 1);
  CHECK(rater_names(t, net.articulation_raters) == std::vector<std::string>{"B"});
  // A shares nothing with C or D.
  CHECK(net.rater_pairs_without_shared_ratee == 2);
  CHECK(net.suggestions.empty());
}

TEST_CASE("connectivity: a star around one rater, and a star around one ratee", "[connectivity]") {
  SECTION("rater at the centre: each leaf rater shares one ratee with the centre only") {
    const auto t = graph_table({{"S", "x1"}, {"S", "x2"}, {"S", "x3"}, {"S", "x4"},
                                {"L1", "x1"}, {"L2", "x2"}, {"L3", "x3"}, {"L4", "x4"}});
    const rater_network net = analyse_network(t);
    CHECK(net.connected());
    CHECK(rater_names(t, net.articulation_raters) == std::vector<std::string>{"S"});
    // The four leaves share no ratee with each other: C(4, 2) = 6 pairs.
    CHECK(net.rater_pairs_without_shared_ratee == 6);
    CHECK(net.pair_examples.size() == 6);
  }
  SECTION("ratee at the centre: everyone shares it, and a rater's private ratee makes nobody an articulation rater") {
    // R1 also rates w, whom nobody else rates: R1 is a cut vertex of the
    // graph (w hangs on it) but separates no raters.
    const auto t = graph_table({{"R1", "x"}, {"R2", "x"}, {"R3", "x"}, {"R4", "x"}, {"R1", "w"}});
    const rater_network net = analyse_network(t);
    CHECK(net.connected());
    CHECK(net.articulation_raters.empty());
    CHECK(net.rater_pairs_without_shared_ratee == 0);
    CHECK(net.pair_examples.empty());
  }
}

TEST_CASE("connectivity: an isolated rater forms a component of its own", "[connectivity]") {
  // A, B, C all rate x and y; Z rates only w, whom nobody else rates.
  const auto t = graph_table({{"A", "x"}, {"B", "x"}, {"C", "x"}, {"A", "y"}, {"B", "y"}, {"Z", "w"}});
  const rater_network net = analyse_network(t);
  REQUIRE(net.components.size() == 2);
  CHECK(rater_names(t, net.components[1].raters) == std::vector<std::string>{"Z"});
  CHECK(net.rater_pairs_without_shared_ratee == 3);  // A-Z, B-Z, C-Z
  REQUIRE(net.suggestions.size() == 2);
  // A and B both have 2 ratings; A comes first by id.  x (3 ratings) is the busiest ratee.
  CHECK(t.raters()[net.suggestions[0].rater] == "A");
  CHECK(t.ratees()[net.suggestions[0].ratee] == "w");
  CHECK(t.raters()[net.suggestions[1].rater] == "Z");
  CHECK(t.ratees()[net.suggestions[1].ratee] == "x");
}

TEST_CASE("connectivity: suggestions spread the cross-rating over the large component", "[connectivity]") {
  // Large component: A (3 ratings), B (2), over x, y, u.  Three singletons.
  const auto t = graph_table({{"A", "x"}, {"A", "y"}, {"A", "u"}, {"B", "x"}, {"B", "y"},
                              {"P", "p"}, {"Q", "q"}, {"R", "r"}});
  const rater_network net = analyse_network(t);
  REQUIRE(net.components.size() == 4);
  REQUIRE(net.suggestions.size() == 6);
  // The large component's raters by activity: A, B; they take turns.
  CHECK(t.raters()[net.suggestions[0].rater] == "A");
  CHECK(t.raters()[net.suggestions[2].rater] == "B");
  CHECK(t.raters()[net.suggestions[4].rater] == "A");
  // Ratees of the large component by activity: x (2), y (2), u (1).
  CHECK(t.ratees()[net.suggestions[1].ratee] == "x");
  CHECK(t.ratees()[net.suggestions[3].ratee] == "y");
  CHECK(t.ratees()[net.suggestions[5].ratee] == "u");
  // Every extra component gets exactly one link each way.
  for (std::size_t c = 1; c < 4; ++c) {
    CHECK(net.suggestions[2 * (c - 1)].to_component == c);
    CHECK(net.suggestions[2 * (c - 1) + 1].from_component == c);
  }
}

TEST_CASE("connectivity: self ratings connect nobody unless the roles ask for them", "[connectivity]") {
  // x and y are rated by different peers; both rate themselves too.
  const auto t = graph_table({{"A", "x"}, {"B", "y"}}, {"x", "y"});
  const rater_network external = analyse_network(t);
  CHECK(external.components.size() == 2);
  CHECK(external.n_raters == 2);
  CHECK(external.rater_component[rater_id(t, "x")] == rater_network::no_component);

  ratings_filter with_self;
  with_self.roles = {rater_role::peer, rater_role::self};
  const rater_network all = analyse_network(t, with_self);
  CHECK(all.n_raters == 4);
  CHECK(all.components.size() == 2);  // a self rating adds a rater vertex, not a bridge
}

TEST_CASE("connectivity: pair examples are capped while the count stays exact", "[connectivity]") {
  std::vector<std::pair<std::string, std::string>> edges;
  for (int i = 0; i < 30; ++i) edges.emplace_back("r" + std::to_string(100 + i), "e" + std::to_string(100 + i));
  const auto t = graph_table(edges);
  const rater_network net = analyse_network(t);
  CHECK(net.components.size() == 30);
  CHECK(net.rater_pairs_without_shared_ratee == 30 * 29 / 2);
  CHECK(net.pair_examples.size() == rater_network::max_pair_examples);
  // Examples come in order of the first rater: r100 with r101..r120 first.
  CHECK(t.raters()[net.pair_examples.front().first] == "r100");
  CHECK(t.raters()[net.pair_examples.front().second] == "r101");
  CHECK(net.suggestions.size() == 2 * 29);
}

TEST_CASE("connectivity: a filter that keeps nothing gives an empty, connected network", "[connectivity]") {
  const auto t = graph_table({{"A", "x"}});
  ratings_filter only_panel;
  only_panel.roles = {rater_role::panel};
  const rater_network net = analyse_network(t, only_panel);
  CHECK(net.components.empty());
  CHECK(net.connected());
  CHECK(net.n_ratings == 0);
  CHECK(net.rater_pairs_without_shared_ratee == 0);
  CHECK(net.rater_component[0] == rater_network::no_component);
}
