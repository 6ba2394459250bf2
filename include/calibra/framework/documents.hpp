// Drafts derived from the expectation matrix: a job description and an
// interview rubric for one career level (docs/documents.md).
//
// The job description turns each target of the career level into a
// responsibility statement built from the target level's scope and autonomy
// and the competency's definition.  It never quotes the behavioural
// anchors: anchors are written to rate people already in the role, and a
// job posting that reads like a rating form serves candidates badly.  The
// competencies whose expectation rises on the promotion into this career
// level are singled out as what distinguishes the role.
//
// The interview rubric gives, per competency, the interview format and the
// anchors one level below, at and one level above the target, as "below /
// meets / above the bar".
//
// Both are plain data; to_markdown renders them for a wiki or a document.
#pragma once

#include <calibra/config.hpp>
#include <calibra/error.hpp>
#include <calibra/framework/framework.hpp>

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace calibra {

/// How a document groups competencies: by area when every competency has
/// one, otherwise by quadrant.
enum class document_grouping { area, quadrant };

std::string_view to_string(document_grouping g);

/// What the draft was made from, for its header.
struct document_source {
  std::string framework_id;
  std::string framework_name;
  std::string framework_version;
  std::string last_updated;
  std::string career_level_id;
  std::string career_level_name;
  calibra::track track = track::ic;
  int rank = 1;
};

struct responsibility {
  std::size_t competency = 0;  // index into framework::competencies()
  std::string competency_id;
  std::string competency_name;
  int level = 0;               // the target: 1-based ordinal on the scale
  std::string level_label;
  int previous_level = 0;      // the target at the previous career level; 0 when there is none
  /// The expectation rises on the promotion into this career level: the
  /// competency is part of what distinguishes the role.
  bool distinguishing = false;
  std::string statement;       // the responsibility, phrased for a job posting
  std::string change;          // for distinguishing ones: how the expectation grows
};

struct responsibility_group {
  std::string id;    // area id, quadrant name, or "" for competencies without an area
  std::string name;
  std::vector<responsibility> responsibilities;
};

struct job_description_draft {
  document_source source;
  /// The career level promoted from (the first step leading here); none for
  /// an entry level.
  std::optional<std::string> previous_level_id;
  std::optional<std::string> previous_level_name;
  document_grouping grouping = document_grouping::area;
  std::string summary;
  std::vector<responsibility_group> groups;
  std::vector<responsibility> distinguishing;  // copies of the highlighted ones, in framework order
};

/// One proficiency level's anchor as a scoring reference.
struct scoring_anchor {
  int level = 0;  // 1-based ordinal
  std::string label;
  std::string anchor;  // empty when the framework has no anchor for it
};

struct rubric_entry {
  std::size_t competency = 0;
  std::string competency_id;
  std::string competency_name;
  std::string definition;
  std::string group;  // area or quadrant name, as in the job description
  std::string interview_format;  // empty when the framework sets none
  int target = 0;
  std::string target_label;
  std::optional<scoring_anchor> below;  // target - 1; none when the target is the lowest level
  scoring_anchor meets;                 // the target
  std::optional<scoring_anchor> above;  // target + 1; none when the target is the highest level
};

struct interview_rubric_draft {
  document_source source;
  document_grouping grouping = document_grouping::area;
  std::size_t scale_size = 0;
  std::vector<rubric_entry> entries;  // grouped as in the job description
};

namespace detail {

std::size_t career_level_or_throw(const framework& fw, std::string_view career_level_id);

document_source source_of(const framework& fw, std::size_t level);

int target(const framework& fw, std::size_t level, std::size_t competency);

std::string quadrant_name(quadrant q);

document_grouping grouping_of(const framework& fw);

/// Groups in display order, each with the competency indices it holds.
struct competency_group {
  std::string id, name;
  std::vector<std::size_t> competencies;
};

std::vector<competency_group> groups_of(const framework& fw, document_grouping grouping);

/// Where the work happens, for each scope.
std::string scope_phrase(scope s);

/// How independently, for each autonomy, as an adverbial.
std::string autonomy_phrase(autonomy a);

/// The definition as a clause after a colon: first letter lowered unless the
/// first word is an acronym, no final full stop.
std::string definition_clause(std::string definition);

/// One responsibility: what to do with the competency at the scope and
/// autonomy of the target level, then what the competency covers.
std::string responsibility_statement(const competency& c, const proficiency_level& level);

std::string level_reach(const proficiency_level& level);

std::string list_names(const std::vector<std::string>& names);

/// A Markdown table cell: no line breaks, pipes escaped.
std::string table_cell(const std::string& text);

}  // namespace detail

/// A job description draft for a career level.  Throws invalid_argument
/// naming the valid career level ids when the id is unknown.
job_description_draft job_description(const framework& fw, std::string_view career_level_id);

/// An interview rubric draft for a career level.  Throws invalid_argument
/// naming the valid career level ids when the id is unknown.
interview_rubric_draft interview_rubric(const framework& fw, std::string_view career_level_id);

/// The job description as Markdown.
std::string to_markdown(const job_description_draft& jd);

/// The interview rubric as Markdown: one table per competency.
std::string to_markdown(const interview_rubric_draft& rubric);

}  // namespace calibra

#ifdef CALIBRA_HEADER_ONLY
#  include <calibra/framework/documents-inl.hpp>
#endif
