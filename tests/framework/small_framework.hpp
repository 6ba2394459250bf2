// A small hand-built framework shared by the framework tests: four
// competencies (one per quadrant), a four-level scale, an IC ladder of three
// levels and a manager branch.
#pragma once

#include <calibra/framework/framework.hpp>

namespace calibra::testing {

inline proficiency_scale four_level_scale() {
  return proficiency_scale({{"f", "Foundational", "", scope::task, autonomy::guided},
                            {"d", "Developing", "", scope::feature, autonomy::independent},
                            {"p", "Proficient", "", scope::product_area, autonomy::independent},
                            {"a", "Advanced", "", scope::multiple_areas, autonomy::leads_others}});
}

inline competency make_competency(std::string id, quadrant q, bool people = false) {
  competency c;
  c.id = id;
  c.name = "Competency " + id;
  c.definition = "Does " + id + ".";
  c.quadrant = q;
  c.people_leadership = people;
  c.anchors.assign(4, "Runs the task. Reports on the feature.");
  return c;
}

// Expectations (rows: junior, mid, senior, lead-manager; cols: ti, te, si, se):
//   junior  2 2 1 1
//   mid     3 2 2 1
//   senior  3 3 3 2
//   manager 3 2 4 2   (branches from mid; si is the people-leadership competency)
inline framework small_framework() {
  const auto q = all_quadrants();
  std::vector<competency> comps{make_competency("ti", q[0]), make_competency("te", q[1]),
                                make_competency("si", q[2], true), make_competency("se", q[3])};
  career_ladder ladder({{"junior", "Junior", track::ic, 1},
                        {"mid", "Mid", track::ic, 2},
                        {"senior", "Senior", track::ic, 3},
                        {"lead", "Lead", track::manager, 3}},
                       {{"junior", "mid"}, {"mid", "senior"}, {"mid", "lead"}});
  expectation_matrix e(4, 4);
  e << 2, 2, 1, 1,  //
      3, 2, 2, 1,   //
      3, 3, 3, 2,   //
      3, 2, 4, 2;
  return framework({"small", "Small", "1.0", "2026-01-01", {}, ""}, four_level_scale(), {}, comps, ladder, e);
}

}  // namespace calibra::testing
