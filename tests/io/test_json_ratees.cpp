// JSON for the ratee analyses (src/io/json_ratees.hpp): flat records, ids
// as names, NaN as null, suppressed aggregates as null with a note.
#include "../../src/io/json_ratees.hpp"

#include <calibra/calibration/development.hpp>
#include <calibra/calibration/levels.hpp>
#include <calibra/calibration/patterns.hpp>
#include <calibra/calibration/readiness.hpp>

#include <catch2/catch.hpp>

#include <cmath>

#include "../framework/small_framework.hpp"
#include "../support/hand_ratings.hpp"

#include <limits>
#include <map>
#include <sstream>
#include <memory>
#include <string>
#include <vector>

using namespace calibra;
using namespace calibra::calibration;
using json = nlohmann::ordered_json;

namespace {

/// What a section writer writes, parsed back.
template <typename Write>
json written(Write&& write) {
  std::ostringstream out;
  io::detail::json_writer w(out);
  write(w);
  return json::parse(out.str());
}

const double no_score = std::numeric_limits<double>::quiet_NaN();

std::shared_ptr<const framework> json_framework() {
  const framework base = testing::small_framework();
  auto comps = base.competencies();
  for (auto& c : comps) c.actions = {c.id + "1", c.id + "2", c.id + "3"};
  comps[0].area = comps[1].area = "exec";
  comps[2].area = comps[3].area = "strat";
  return std::make_shared<const framework>(base.metadata(), base.scale(),
                                           std::vector<area>{{"exec", "Execution", ""}, {"strat", "Strategy", ""}},
                                           comps, base.ladder(), base.expectations(),
                                           std::vector<archetype>{{"builder", "Builder", "", {"ti"}, {"se"}},
                                                                  {"visionary", "Visionary", "", {"si", "se"}, {"ti"}}});
}

struct fixture {
  std::shared_ptr<const framework> fw = json_framework();
  ratings_table table;
  competency_scores scores;

  fixture() {
    table = calibra_test::one_rating_each(fw, {{"amy", "mid", promotion_outcome::promoted}, {"ben", "mid"}, {"joe"}});
    // Rows in ratee-id order: amy, ben, joe.  mid expects (3, 2, 2, 1).
    scores.ratees = {0, 1, 2};
    scores.value.resize(3, 4);
    scores.value << 4.0, 2.5, 2.0, 0.5,  //
        2.0, 2.0, 1.5, 1.0,              //
        3.0, no_score, 2.0, 1.0;
    scores.se = Eigen::MatrixXd::Constant(3, 4, 0.1);
    scores.method = "hand-built";
  }
};

/// Every value of every record is a scalar (or, for listed keys, an array of strings).
void check_flat(const json& records, const std::vector<std::string>& array_keys = {}) {
  REQUIRE(records.is_array());
  for (const auto& rec : records) {
    REQUIRE(rec.is_object());
    for (const auto& [key, value] : rec.items()) {
      INFO("field " << key);
      if (std::find(array_keys.begin(), array_keys.end(), key) != array_keys.end())
        CHECK(value.is_array());
      else
        CHECK((value.is_primitive()));
    }
  }
}

}  // namespace

TEST_CASE("json ratees: the merged ratees section", "[json_ratees]") {
  fixture f;
  const auto levels = infer_levels({f.table, f.scores});
  const auto readiness = assess_readiness({f.table, f.scores});
  const auto patterns = analyse_patterns({f.table, f.scores});
  const auto plans = plan_development({f.table, f.scores});
  const json s = written([&](io::detail::json_writer& w) {
    io::detail::write_ratees_section(w, levels, readiness, patterns, plans, f.scores, 0.95, f.table);
  });

  CHECK(s["available"] == true);
  CHECK(s["reason"].is_null());
  CHECK(s["period"] == "2026Q3");
  CHECK(s["scores_method"] == "hand-built");
  REQUIRE(s["ratees"].size() == 3);
  check_flat(s["ratees"]);
  for (const char* key : {"shortfalls", "readiness_steps", "readiness_items", "profiles", "archetype_similarities"})
    check_flat(s[key]);
  check_flat(s["plan_items"], {"actions"});

  const json& amy = s["ratees"][0];
  CHECK(amy["ratee"] == "amy");
  CHECK(amy["career_level"] == "mid");
  // amy (4, 2.5, 2, 0.5): squared distances to junior (2 2 1 1), mid
  // (3 2 2 1), senior (3 3 3 2) are 5.5, 1.5, 4.5, all over the same
  // variance (every se is 0.1): mid is the most probable.
  CHECK(amy["inferred_level"] == "mid");
  CHECK(amy["next_level"] == "senior");
  CHECK(amy["inferred_vs_actual"] == "equal");
  CHECK(amy["outcome"] == "promoted");
  CHECK(amy["archetype"] == "builder");
  CHECK(amy["archetype_similarity"].get<double>() == Approx(0.9486832980505139));
  CHECK(amy["clear_match"] == true);
  CHECK(amy["readiness"].is_string());
  CHECK(amy["plan_items"].is_number());

  const json& joe = s["ratees"][2];
  CHECK(joe["career_level"].is_null());
  CHECK(joe["readiness"] == "no-career-level");
  CHECK(joe["inferred_vs_actual"].is_null());
  CHECK(joe["readiness_index"].is_null());  // NaN -> null

  // amy's largest shortfall against senior: se, expected 2, shortfall
  // 2 - 0.5 = 1.5 (then si 1.0 and te 0.5).
  const json& shortfall = s["shortfalls"][0];
  CHECK(shortfall["ratee"] == "amy");
  CHECK(shortfall["career_level"] == "senior");
  CHECK(shortfall["expected"] == 2);
  CHECK(shortfall["competency"] == "se");
  CHECK(shortfall["shortfall"].get<double>() == Approx(1.5));
  // tau^2 = (1.5 + 1.25 + 0 - 11 x 0.01) / 11 cells: amy and ben around
  // mid's row, joe (no career level) around his nearest, also mid.
  CHECK(s["level_profile_spread"].get<double>() == Approx(std::sqrt(2.64 / 11)));

  // Profiles: two areas and four quadrants per ratee.
  CHECK(s["profiles"].size() == 3 * 6);
  CHECK(s["profiles"][0]["kind"] == "area");
  CHECK(s["profiles"][0]["group"] == "exec");
  CHECK(s["profiles"][2]["group"] == "tactical-internal");
  CHECK(s["archetype_similarities"].size() == 3 * 2);
}

TEST_CASE("json ratees: readiness and development records", "[json_ratees]") {
  fixture f;
  const json r = io::detail::to_json_value(assess_readiness({f.table, f.scores}), f.table);
  CHECK(r["confidence"] == 0.8);
  check_flat(r["steps"]);
  check_flat(r["items"]);
  // amy and ben at mid: steps to senior and lead each.
  CHECK(r["steps"].size() == 4);
  const json& item = r["items"][0];
  CHECK(item["ratee"] == "amy");
  CHECK(item["from"] == "mid");
  CHECK(item["to"] == "senior");
  CHECK(item["competency"] == "te");
  CHECK(item["from_level"] == "d");  // scale level ids
  CHECK(item["to_level"] == "p");
  // te 2.5 +- 1.2816 * 0.1: upper 2.628 < 2.75 -> unmet.
  CHECK(item["status"] == "unmet");
  CHECK(item["ci_high"].get<double>() == Approx(2.5 + 0.12815515655446004));

  const auto plans = plan_development({f.table, f.scores});
  const json d = written([&](io::detail::json_writer& w) { io::detail::write_development_section(w, plans, f.table); });
  check_flat(d["plans"]);
  check_flat(d["items"], {"actions"});
  // ben (2, 2, 1.5, 1) at mid: role ti (target p, gap 1), si (target d, gap 0.5); goal te (gap 1).
  json ben_items = json::array();
  for (const auto& it : d["items"])
    if (it["ratee"] == "ben") ben_items.push_back(it);
  REQUIRE(ben_items.size() == 3);
  CHECK(ben_items[0]["rank"] == 1);
  CHECK(ben_items[0]["competency"] == "ti");
  CHECK(ben_items[0]["current_level"] == "d");
  CHECK(ben_items[0]["target_level"] == "p");
  CHECK(ben_items[0]["target_ordinal"] == 3);
  CHECK(ben_items[0]["priority"] == "role-requirement");
  CHECK(ben_items[0]["actions"] == json::array({"ti1", "ti2"}));
  CHECK(ben_items[0]["target_quarter"] == "2026Q4");
  CHECK(ben_items[2]["priority"] == "career-goal");
  CHECK(d["plans"][2]["note"].is_string());  // joe: no career level
}

TEST_CASE("json ratees: matrix validation with suppression", "[json_ratees]") {
  fixture f;
  const auto levels = infer_levels({f.table, f.scores});  // min_group 4, two ratees with a career level
  const json m = io::detail::matrix_validation_section(levels, f.table);
  CHECK(m["available"] == true);
  CHECK(m["confidence"] == 0.95);
  check_flat(m["competencies"]);
  check_flat(m["cells"]);
  check_flat(m["career_levels"]);
  const json& ti = m["competencies"][0];
  CHECK(ti["competency"] == "ti");
  CHECK(ti["n_ratees"] == 2);
  CHECK(ti["mean_gap"].is_null());
  CHECK(ti["suppressed"] == true);
  CHECK(ti["note"] == "suppressed: 2 ratees, fewer than the minimum group of 4");
  CHECK(ti["verdict"] == "suppressed");
  CHECK(m["overall"]["suppressed"] == true);
  const json& sep = m["promotion_separation"];
  CHECK(sep["available"] == false);
  CHECK(sep["reason"].is_string());
  CHECK(sep["hedges_g"].is_null());

  const json shown = io::detail::matrix_validation_section(
      infer_levels(calibration_context(f.table, f.scores).with_privacy({1})), f.table);
  // ti gaps at mid: amy 4 - 3 = 1, ben 2 - 3 = -1 -> mean 0.
  CHECK(shown["competencies"][0]["mean_gap"].get<double>() == Approx(0.0));
  CHECK(shown["competencies"][0]["note"].is_null());
  CHECK(shown["cells"][0]["career_level"] == "mid");
}

TEST_CASE("json ratees: team section", "[json_ratees]") {
  fixture f;
  const calibration_context context = calibration_context(f.table, f.scores).with_privacy({2});
  const auto whole = analyse_team(context);
  const auto managers = analyse_manager_teams(context);
  const json t = written([&](io::detail::json_writer& w) { io::detail::write_team_section(w, whole, managers, f.table); });
  for (const char* key : {"teams", "competencies", "strengths", "gaps", "heatmap"}) check_flat(t[key]);
  REQUIRE(t["teams"].size() == 2);
  CHECK(t["teams"][0]["team"] == "all");
  CHECK(t["teams"][0]["manager"].is_null());
  CHECK(t["teams"][1]["team"] == "boss");
  // Heatmap: amy 4 cells, ben 4 cells (joe has no career level) per team.
  CHECK(t["heatmap"].size() == 16);
  CHECK(t["heatmap"][0]["gap"].get<double>() == Approx(1.0));
  // se: amy -0.5, ben 0 -> mean -0.25: a gap; ti: 1 and -1 -> 0: neither.
  bool se_gap = false;
  for (const auto& g : t["gaps"]) se_gap |= g["team"] == "all" && g["competency"] == "se";
  CHECK(se_gap);

  const json one = io::detail::to_json_value(whole, f.table);
  CHECK(one["team"] == "all");
  CHECK(one["n_ratees"] == 3);
  CHECK_FALSE(one["heatmap"][0].contains("team"));
}

TEST_CASE("json ratees: unavailable analyses", "[json_ratees]") {
  fixture f;
  competency_scores none;
  none.value.resize(0, 4);
  const json s = written([&](io::detail::json_writer& w) {
    io::detail::write_ratees_section(w, infer_levels({f.table, none}), assess_readiness({f.table, none}),
                                     analyse_patterns({f.table, none}), plan_development({f.table, none}), none, 0.95,
                                     f.table);
  });
  CHECK(s["available"] == false);
  CHECK(s["reason"] == "no ratee has scores");
  CHECK(s["ratees"].empty());
  const json m = io::detail::matrix_validation_section(infer_levels({f.table, none}), f.table);
  CHECK(m["available"] == false);
  CHECK(m["overall"].is_null());
}
