// A competency: what a product manager must be able to do, with one
// behavioural anchor per proficiency level.
#pragma once

#include <calibra/framework/quadrant.hpp>

#include <optional>
#include <string>
#include <vector>

namespace calibra {

/// A named group of competencies, such as "Product Execution".
struct area {
  std::string id;
  std::string name;
  std::string description;
};

struct competency {
  std::string id;  // stable, lowercase-kebab; ratings refer to it
  std::string name;
  std::string definition;  // one sentence
  /// Empty in a framework without quadrants (a ratings-only framework).  A
  /// framework gives a quadrant to every competency or to none.
  std::optional<calibra::quadrant> quadrant;
  /// When set, `quadrant` is set too and the position lies in it.
  std::optional<grid_position> position;
  std::optional<std::string> area;        // an area id
  /// Competencies that measure leading people; the manager track must expect
  /// more of them than its IC peer (rule ladder.track).
  bool people_leadership = false;
  /// One anchor per scale level, lowest first; an empty string is a missing anchor.
  std::vector<std::string> anchors;
  std::string interview_format;      // how to assess it in an interview
  std::vector<std::string> actions;  // development-action catalogue
};

}  // namespace calibra
