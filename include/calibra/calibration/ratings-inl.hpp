// Implementation of <calibra/calibration/ratings.hpp>.  Compiled once into the library, or included
// by that header when CALIBRA_HEADER_ONLY is defined (see config.hpp).
#pragma once

#include <calibra/calibration/ratings.hpp>

#include <calibra/error.hpp>
#include <calibra/framework/framework.hpp>
#include <calibra/framework/relative.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <unordered_map>
#include <utility>
#include <vector>


namespace calibra::calibration {

template <typename Fail>
int ratings_builder::resolve_level(std::string_view text, const Fail& fail) const {
  const auto& scale = framework_->scale();
  if (const auto it = ordinal_of_.find(text); it != ordinal_of_.end()) return it->second;
  const std::string range = "1.." + std::to_string(scale.size());
  if (std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < 1 || value > scale.size())
      fail("level " + quote(text) + " is outside the scale " + range + " (" + id_list(scale.levels()) + ")");
    return static_cast<int>(value);
  }
  std::string hint;
  for (const auto& level : scale.levels())
    if (equal_ignoring_case(level.label, text) || equal_ignoring_case(level.id, text))
      hint = " (did you mean '" + (equal_ignoring_case(level.id, text) ? level.id : level.label) +
             "'? level ids and labels are case-sensitive)";
  std::string labels;
  for (const auto& level : scale.levels()) labels += (labels.empty() ? "" : ", ") + level.label;
  fail("unknown level '" + quote(text) + "'" + hint + "; expected a level id (" + id_list(scale.levels()) +
       "), a label (" + labels + ") or an ordinal " + range);
  return 0;
}

CALIBRA_INLINE std::string_view to_string(rater_role role) {
switch (role) {
  case rater_role::self: return "self";
  case rater_role::manager: return "manager";
  case rater_role::peer: return "peer";
  case rater_role::skip_level: return "skip-level";
  case rater_role::panel: return "panel";
  case rater_role::external: return "external";
}
  return "?";
}

CALIBRA_INLINE std::optional<rater_role> parse_rater_role(std::string_view text) {
  for (rater_role role : all_rater_roles)
    if (to_string(role) == text) return role;
  return std::nullopt;
}

CALIBRA_INLINE std::string_view to_string(promotion_outcome outcome) {
  return outcome == promotion_outcome::promoted ? "promoted" : "not-promoted";
}

CALIBRA_INLINE std::optional<promotion_outcome> parse_promotion_outcome(std::string_view text) {
  if (text == "promoted") return promotion_outcome::promoted;
  if (text == "not-promoted") return promotion_outcome::not_promoted;
  return std::nullopt;
}

CALIBRA_INLINE std::string_view to_string(duplicate_policy policy) {
switch (policy) {
  case duplicate_policy::error: return "error";
  case duplicate_policy::last: return "last";
  case duplicate_policy::mean: return "mean";
}
  return "?";
}

CALIBRA_INLINE std::optional<duplicate_policy> parse_duplicate_policy(std::string_view text) {
  if (text == "error") return duplicate_policy::error;
  if (text == "last") return duplicate_policy::last;
  if (text == "mean") return duplicate_policy::mean;
  return std::nullopt;
}

CALIBRA_INLINE std::optional<quarter_period> parse_quarter(std::string_view text) {
  if (text.size() != 6 || text[4] != 'Q') return std::nullopt;
  for (std::size_t i = 0; i < 4; ++i)
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
  if (text[5] < '1' || text[5] > '4') return std::nullopt;
  return quarter_period{(text[0] - '0') * 1000 + (text[1] - '0') * 100 + (text[2] - '0') * 10 + (text[3] - '0'),
                        text[5] - '0'};
}

CALIBRA_INLINE std::string period_problem(std::string_view text) {
  if (text.empty()) return "empty period; expected a period such as 2026Q3";
  const bool year_prefix = text.size() >= 5 && std::all_of(text.begin(), text.begin() + 4, [](char c) {
                             return c >= '0' && c <= '9';
                           });
  if (year_prefix && (text[4] == 'Q' || text[4] == 'q') && !parse_quarter(text)) {
    if (text[4] == 'q' && text.size() == 6 && text[5] >= '1' && text[5] <= '4')
      return "'" + std::string(text) + "' has a lower-case q; write quarters as YYYYQn, e.g. " +
             std::string(text.substr(0, 4)) + "Q" + text[5];
    return "'" + std::string(text) + "' is not a quarter; expected YYYYQ1 to YYYYQ4";
  }
  // The other spellings of a quarter (normalise_period) with a quarter that does not exist.
  const auto separator = [](char c) { return c == '-' || c == ' ' || c == '/' || c == '_'; };
  const bool year_then_q =
      year_prefix && text.size() >= 6 && separator(text[4]) && (text[5] == 'Q' || text[5] == 'q');
  const bool q_then_year = text.size() == 7 && (text[0] == 'Q' || text[0] == 'q') && text[1] >= '0' &&
                           text[1] <= '9' && separator(text[2]) &&
                           std::all_of(text.begin() + 3, text.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (year_then_q || q_then_year)
    return "'" + std::string(text) +
           "' is not a quarter; expected a quarter 1 to 4 (2026Q3, also written 2026-Q3 or Q3 2026)";
  return {};
}

CALIBRA_INLINE std::string normalise_period(std::string_view text) {
  const auto digits = [](std::string_view t) {
    return !t.empty() && std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  const auto separator = [](char c) { return c == '-' || c == ' ' || c == '/' || c == '_'; };
  const auto quarter = [](std::string_view t) {  // "Q3" or "q3"
    return t.size() == 2 && (t[0] == 'Q' || t[0] == 'q') && t[1] >= '1' && t[1] <= '4';
  };
  // YYYYqN, YYYY<sep>QN
  if (text.size() >= 6 && digits(text.substr(0, 4))) {
    std::string_view rest = text.substr(4);
    if (rest.size() == 3 && separator(rest[0])) rest.remove_prefix(1);
    if (quarter(rest)) return std::string(text.substr(0, 4)) + "Q" + rest[1];
  }
  // QN<sep>YYYY, QNYYYY is not accepted (ambiguous with a typo)
  if (text.size() == 7 && quarter(text.substr(0, 2)) && separator(text[2]) && digits(text.substr(3)))
    return std::string(text.substr(3)) + "Q" + text[1];
  return std::string(text);
}

CALIBRA_INLINE bool period_is_ordered(std::string_view text) {
  const auto digits = [&](std::size_t from, std::size_t n) {
    return from + n <= text.size() &&
           std::all_of(text.begin() + static_cast<std::ptrdiff_t>(from),
                       text.begin() + static_cast<std::ptrdiff_t>(from + n), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (parse_quarter(text)) return true;
  if (text.size() == 4) return digits(0, 4);
  if (text.size() == 6) return digits(0, 4) && text[4] == 'H' && (text[5] == '1' || text[5] == '2');
  if (text.size() == 7) return digits(0, 4) && text[4] == '-' && digits(5, 2);
  if (text.size() == 10) return digits(0, 4) && text[4] == '-' && digits(5, 2) && text[7] == '-' && digits(8, 2);
  return false;
}

CALIBRA_INLINE bool period_less(std::string_view a, std::string_view b) {
  const auto qa = parse_quarter(a);
  const auto qb = parse_quarter(b);
  if (qa && qb) return qa->year != qb->year ? qa->year < qb->year : qa->quarter < qb->quarter;
  if (qa || qb) return static_cast<bool>(qa);
  return a < b;
}

CALIBRA_INLINE auto name_table::operator=(const name_table& other) -> name_table& {
  if (this != &other) {
    names_ = other.names_;
    reindex();
  }
  return *this;
}

CALIBRA_INLINE auto name_table::find(std::string_view name) const -> std::optional<std::uint32_t> {
  const auto it = index_.find(name);
  if (it == index_.end()) return std::nullopt;
  return it->second;
}

CALIBRA_INLINE auto name_table::intern(std::string_view name) -> std::uint32_t {
  const auto it = index_.find(name);
  if (it != index_.end()) return it->second;
  if (names_.size() >= std::numeric_limits<std::uint32_t>::max())
    throw invalid_argument("ratings", "more than 2^32 - 1 distinct names");
  const auto id = static_cast<std::uint32_t>(names_.size());
  names_.emplace_back(name);
  index_.emplace(names_.back(), id);
  return id;
}

CALIBRA_INLINE auto name_table::reindex() -> void {
  index_.clear();
  for (std::size_t i = 0; i < names_.size(); ++i) index_.emplace(names_[i], static_cast<std::uint32_t>(i));
}

}  // namespace calibra::calibration

namespace calibra::calibration::detail {

CALIBRA_INLINE auto column_store::reserve(std::size_t n) -> void {
  for_each([n](auto& column) { column.reserve(n); });
}

CALIBRA_INLINE auto column_store::compact(const std::vector<bool>& keep) -> void {
  for_each([&keep](auto& column) {
    std::size_t kept = 0;
    for (std::size_t i = 0; i < column.size(); ++i)
      if (keep[i]) column[kept++] = column[i];
    column.resize(kept);
  });
}

}  // namespace calibra::calibration::detail

namespace calibra::calibration {

CALIBRA_INLINE auto ratings_table::evidence(std::size_t row) const -> const std::string& {
  static const std::string none;
  const std::uint32_t id = columns_.evidence[row];
  return id == 0 ? none : evidence_texts_[id - 1];
}

CALIBRA_INLINE auto ratings_table::attribute_index(std::string_view name) const -> std::optional<std::size_t> {
  for (std::size_t a = 0; a < attribute_names_.size(); ++a)
    if (attribute_names_[a] == name) return a;
  return std::nullopt;
}

CALIBRA_INLINE auto ratings_table::attribute(std::size_t row, std::size_t attribute) const -> const std::string& {
  static const std::string none;
  const std::uint32_t id = columns_.attributes[attribute][row];
  return id == 0 ? none : attribute_values_[attribute][id - 1];
}

CALIBRA_INLINE auto ratings_table::rater_as_ratee(std::uint32_t rater) const -> std::optional<std::uint32_t> {
  const std::uint32_t id = rater_as_ratee_[rater];
  return id == no_id ? std::nullopt : std::optional<std::uint32_t>(id);
}

CALIBRA_INLINE auto ratings_table::ratee_as_rater(std::uint32_t ratee) const -> std::optional<std::uint32_t> {
  const std::uint32_t id = ratee_as_rater_[ratee];
  return id == no_id ? std::nullopt : std::optional<std::uint32_t>(id);
}

CALIBRA_INLINE ratings_builder::ratings_builder(std::shared_ptr<const calibra::framework> fw, std::string source)
    : framework_(std::move(fw)), source_(std::move(source)) {
  if (!framework_) throw invalid_argument("ratings", "ratings_builder needs a framework");
  const auto& comps = framework_->competencies();
  for (std::size_t c = 0; c < comps.size(); ++c) competency_of_.emplace(comps[c].id, static_cast<std::uint32_t>(c));
  const auto& levels = framework_->scale().levels();
  // Ids first, then labels: a label equal to another level's id never shadows that id.
  for (std::size_t l = 0; l < levels.size(); ++l) ordinal_of_.emplace(levels[l].id, static_cast<int>(l + 1));
  for (std::size_t l = 0; l < levels.size(); ++l) ordinal_of_.emplace(levels[l].label, static_cast<int>(l + 1));
  const auto& career_levels = framework_->ladder().career_levels();
  for (std::size_t l = 0; l < career_levels.size(); ++l)
    career_level_of_.emplace(career_levels[l].id, static_cast<std::uint32_t>(l));
}

CALIBRA_INLINE auto ratings_builder::attribute_column(std::string_view name) -> std::size_t {
  for (std::size_t a = 0; a < attribute_names_.size(); ++a)
    if (attribute_names_[a] == name) return a;
  attribute_names_.emplace_back(name);
  attribute_values_.emplace_back();
  columns_.attributes.emplace_back(columns_.size(), 0);
  return attribute_names_.size() - 1;
}

CALIBRA_INLINE auto ratings_builder::map_role(std::string name, rater_role role) -> void {
  for (auto& [known, mapped] : role_names_)
    if (known == name) {
      mapped = role;
      return;
    }
  role_names_.emplace_back(std::move(name), role);
}

namespace detail {
/// A problem in one cell, thrown inside add_text() while collecting problems.
struct cell_problem {
  std::string_view column;
  std::string message;
};
}  // namespace detail

CALIBRA_INLINE auto ratings_builder::add_text(const rating_text& text, std::size_t source_row) -> void {
  if (!problems_) return add_text_or_throw(text, source_row);
  try {
    add_text_or_throw(text, source_row);
  } catch (const detail::cell_problem& p) {
    try {
      throw validation_error("ratings", at(source_row, p.column) + ": " + p.message);
    } catch (const calibra::error& e) {
      problems_->add(e, source_row, std::string(p.column));
    }
  }
}

CALIBRA_INLINE auto ratings_builder::add_text_or_throw(const rating_text& text, std::size_t source_row) -> void {
  const auto fail = [&](std::string_view column, const std::string& message) {
    if (problems_) throw detail::cell_problem{column, message};
    throw validation_error("ratings", at(source_row, column) + ": " + message);
  };
  // `what` is a literal: the happy path builds no strings.
  const auto require = [&](std::string_view value, std::string_view column, const char* what) {
    if (value.empty()) fail(column, std::string("empty cell; expected ") + what);
    if (value.front() == ' ' || value.back() == ' ' || value.front() == '\t' || value.back() == '\t')
      fail(column, "'" + quote(value) + "' has leading or trailing spaces; expected " + what);
  };
  require(text.ratee, "ratee", "the ratee's id");
  require(text.rater, "rater", "the rater's id");
  require(text.role, "role", "a role (self, manager, peer, skip-level, panel or external)");
  require(text.competency, "competency", "a competency id");
  require(text.level, "level", "a level id, label or ordinal");
  require(text.period, "period", "a period such as 2026Q3");

  rating r;
  r.ratee = text.ratee;
  r.rater = text.rater;
  std::optional<rater_role> role;
  for (const auto& [name, mapped] : role_names_)
    if (name == text.role) role = mapped;
  if (!role) role = parse_rater_role(text.role);
  if (!role)
    fail("role", "unknown role '" + quote(text.role) + "'; expected one of " + role_list() +
                     ", or map the name to one of them (--role " + quote(text.role) + "=ROLE on the command line)");
  r.role = *role;

  const auto competency = competency_of_.find(text.competency);
  if (competency == competency_of_.end()) fail("competency", unknown_competency(text.competency));
  r.competency = competency->second;

  // The career level is read before the level: a relative level (On Track...)
  // is read against the ratee's expectation at it.
  if (!text.career_level.empty()) {
    if (!framework_->has_career_levels())
      fail("career_level", "career level '" + quote(text.career_level) +
                               "' given, but the framework has no career levels; leave out the career_level column "
                               "or use a framework with a ladder");
    const auto level = career_level_of_.find(text.career_level);
    if (level == career_level_of_.end())
      fail("career_level", "unknown career level '" + quote(text.career_level) + "'; expected one of " +
                               id_list(framework_->ladder().career_levels()));
    r.career_level = level->second;
  }

  const std::string_view level_column = text.level_column.empty() ? std::string_view("level") : text.level_column;
  // A scale id or label wins over the relative names.  (A plain flag and
  // value rather than an optional: GCC warns about the optional's read.)
  relative_rating relative_value = relative_rating::on_track;
  bool relative = false;
  if (ordinal_of_.count(text.level) == 0)
    if (const auto parsed = parse_relative_rating(text.level)) relative_value = *parsed, relative = true;
  // One kind of level per rating column: relative and absolute levels mixed
  // in one column are almost always two forms pasted together.
  {
    auto kind = std::find_if(level_kinds_.begin(), level_kinds_.end(),
                             [&](const level_kind& k) { return k.column == level_column; });
    if (kind == level_kinds_.end()) {
      level_kinds_.push_back({std::string(level_column), relative, static_cast<std::uint32_t>(source_row),
                              std::string(text.level)});
    } else if (kind->relative != relative) {
      fail(level_column, std::string(relative ? "relative" : "absolute") + " level '" + quote(text.level) +
                             "', but the column holds " + (kind->relative ? "relative" : "absolute") + " levels ('" +
                             quote(kind->example) + "' on row " + std::to_string(kind->first_row) +
                             "); expected one kind of level per column: either levels of the scale or Needs Focus / "
                             "On Track / Outperforming");
    }
  }
  if (relative) {
    if (!framework_->has_career_levels())
      fail(level_column, "relative level '" + quote(text.level) +
                             "', but the framework has no career levels to read it against; expected a level of "
                             "the scale");
    if (!r.career_level)
      fail(level_column, "relative level '" + quote(text.level) +
                             "' for a ratee with no career level on this row; a relative level is read against the "
                             "expectation of the ratee's career level, so expected a career_level cell");
    const int expectation = framework_->expectations()(static_cast<Eigen::Index>(*r.career_level),
                                                       static_cast<Eigen::Index>(r.competency));
    const int size = static_cast<int>(framework_->scale().size());
    try {
      r.level = to_absolute(relative_value, expectation, size);
    } catch (const calibra::invalid_argument&) {
      // No level one below the lowest or one above the highest: clipped to the scale.
      r.level = std::clamp(expectation + (relative_value == relative_rating::needs_focus ? -1 : 1), 1, size);
      ++clipped_relative_;
    }
    ++relative_levels_;
  } else {
    r.level = resolve_level(text.level, [&](const std::string& message) { fail(level_column, message); });
  }

  const std::string period = normalise_period(text.period);
  if (const std::string problem = period_problem(period); !problem.empty()) fail("period", problem);
  r.period = period;
  if (period != text.period && std::none_of(normalised_periods_.begin(), normalised_periods_.end(),
                                            [&](const auto& p) { return p.first == text.period; })) {
    if (normalised_periods_.size() < 5) normalised_periods_.emplace_back(std::string(text.period), period);
    else more_normalised_periods_ = true;
  }
  if (!period_is_ordered(period) && unordered_periods_.size() < 20 &&
      std::find(unordered_periods_.begin(), unordered_periods_.end(), period) == unordered_periods_.end())
    unordered_periods_.push_back(period);

  if (!text.track.empty()) {
    const auto track = parse_track(text.track);
    if (!track) fail("track", "unknown track '" + quote(text.track) + "'; expected ic or manager");
    r.track = *track;
  }
  if (!text.outcome.empty()) {
    const auto outcome = parse_promotion_outcome(text.outcome);
    if (!outcome) fail("outcome", "unknown outcome '" + quote(text.outcome) + "'; expected promoted or not-promoted");
    r.outcome = *outcome;
  }
  if (const auto [column, problem] = cross_field_problem(r, *framework_); !problem.empty()) fail(column, problem);
  r.evidence = text.evidence;
  push(r, source_row);
  for (std::size_t a = 0; a < text.attributes.size() && a < attribute_names_.size(); ++a)
    if (!text.attributes[a].empty())
      columns_.attributes[a].back() = attribute_values_[a].intern(text.attributes[a]) + 1;
}

CALIBRA_INLINE auto ratings_builder::add(rating r, std::size_t source_row) -> void {
  const auto fail = [&](const std::string& message) {
    throw invalid_argument("ratings", source_ + ": rating " + std::to_string(source_row) + ": " + message);
  };
  if (r.ratee.empty()) fail("empty ratee id");
  if (r.rater.empty()) fail("empty rater id");
  if (r.competency >= framework_->competencies().size())
    fail("competency index " + std::to_string(r.competency) + " is out of range; the framework has " +
         std::to_string(framework_->competencies().size()) + " competencies");
  if (r.level < 1 || static_cast<std::size_t>(r.level) > framework_->scale().size())
    fail("level " + std::to_string(r.level) + " is outside the scale 1.." +
         std::to_string(framework_->scale().size()));
  if (const std::string problem = period_problem(r.period); !problem.empty()) fail(problem);
  if (r.career_level && *r.career_level >= framework_->ladder().size())
    fail("career level index " + std::to_string(*r.career_level) + " is out of range; the ladder has " +
         std::to_string(framework_->ladder().size()) + " career levels");
  if (const auto [column, problem] = cross_field_problem(r, *framework_); !problem.empty()) fail(problem);
  push(r, source_row);
}

CALIBRA_INLINE auto ratings_builder::finish(duplicate_policy policy) -> ratings_table {
  ratings_table table;
  table.framework_ = framework_;
  ratings_summary& summary = table.summary_;
  summary.source = source_;
  summary.rows_read = rows();
  summary.duplicates = policy;
  summary.ignored_columns = std::move(ignored_columns_);
  summary.warnings = std::move(warnings_);
  note_periods_and_ids(summary);

  sort_periods_chronologically();
  const std::vector<std::uint32_t> order = sorted_order();
  std::vector<bool> keep(rows(), true);
  check_groups(order, policy, keep, summary);

  columns_.compact(keep);  // input order is kept
  table.ratees_ = std::move(ratees_);
  table.raters_ = std::move(raters_);
  table.periods_ = std::move(periods_);
  table.columns_ = std::move(columns_);
  table.evidence_texts_ = std::move(evidence_texts_);
  table.attribute_names_ = std::move(attribute_names_);
  table.attribute_values_ = std::move(attribute_values_);
  {
    auto role_names = std::move(role_names_);
    auto* problems = problems_;
    *this = ratings_builder(framework_, source_);
    role_names_ = std::move(role_names);
    problems_ = problems;
  }

  link_people(table);
  collect_ratee_periods(table);
  count(table, summary);
  return table;
}

CALIBRA_INLINE auto ratings_builder::unknown_competency(std::string_view text) const -> std::string {
  std::string hint;
  for (const auto& c : framework_->competencies())
    if (c.name == text || equal_ignoring_case(c.id, text))
      hint = " ('" + quote(text) + "' " + (c.name == text ? "is the name of" : "differs only in case from") +
             " competency '" + c.id + "'; use its id)";
  return "unknown competency '" + quote(text) + "'" + hint + "; expected one of " +
         id_list(framework_->competencies());
}

CALIBRA_INLINE auto ratings_builder::cross_field_problem(rating& r, const calibra::framework& fw)
    -> std::pair<std::string_view, std::string> {
  if (r.career_level) {
    const auto& career_level = fw.ladder().career_levels()[*r.career_level];
    const calibra::track expected = career_level.track;
    if (r.track && *r.track != expected) {
      return {"track", "track '" + std::string(to_string(*r.track)) + "' contradicts career level '" +
                           career_level.id + "', which is on the " + std::string(to_string(expected)) + " track"};
    }
    r.track = expected;
  }
  const bool same_person = r.rater == r.ratee;
  if (r.role == rater_role::self && !same_person) {
    return {"role", "role 'self' but the rater '" + quote(r.rater) + "' is not the ratee '" + quote(r.ratee) +
                        "'; a self rating has the ratee as rater"};
  }
  return {};
}

CALIBRA_INLINE auto ratings_builder::push(const rating& r, std::size_t source_row) -> void {
  if (source_row > std::numeric_limits<std::uint32_t>::max() || rows() >= std::numeric_limits<std::uint32_t>::max())
    throw invalid_argument("ratings", source_ + ": more than 2^32 - 1 rows");
  columns_.ratee.push_back(ratees_.intern(r.ratee));
  columns_.rater.push_back(raters_.intern(r.rater));
  columns_.period.push_back(periods_.intern(r.period));
  columns_.competency.push_back(static_cast<std::uint32_t>(r.competency));
  columns_.level.push_back(static_cast<std::uint8_t>(r.level));
  columns_.role.push_back(r.role);
  columns_.career_level.push_back(
      r.career_level ? std::optional<std::uint32_t>(static_cast<std::uint32_t>(*r.career_level)) : std::nullopt);
  columns_.track.push_back(r.track);
  columns_.outcome.push_back(r.outcome);
  columns_.source_row.push_back(static_cast<std::uint32_t>(source_row));
  columns_.evidence.push_back(r.evidence.empty() ? 0 : evidence_texts_.intern(r.evidence) + 1);
  for (auto& attribute : columns_.attributes) attribute.push_back(0);
  if (r.role != rater_role::self && r.rater == r.ratee) {
    if (shared_id_rows_.size() < 10) shared_id_rows_.push_back(static_cast<std::uint32_t>(source_row));
    ++shared_id_count_;
  }
}

CALIBRA_INLINE auto ratings_builder::sort_periods_chronologically() -> void {
  std::vector<std::uint32_t> by_time(periods_.size());
  for (std::uint32_t p = 0; p < by_time.size(); ++p) by_time[p] = p;
  std::sort(by_time.begin(), by_time.end(),
            [&](std::uint32_t a, std::uint32_t b) { return period_less(periods_[a], periods_[b]); });
  std::vector<std::uint32_t> new_id(by_time.size());
  name_table sorted;
  for (std::uint32_t rank = 0; rank < by_time.size(); ++rank) {
    new_id[by_time[rank]] = rank;
    sorted.intern(periods_[by_time[rank]]);
  }
  for (auto& p : columns_.period) p = new_id[p];
  periods_ = std::move(sorted);
}

CALIBRA_INLINE auto ratings_builder::sorted_order() const -> std::vector<std::uint32_t> {
  struct key {
    std::uint64_t ratee_period, rater_competency;
    std::uint32_t source_row, index;
  };
  std::vector<key> keys(rows());
  for (std::size_t i = 0; i < rows(); ++i)
    keys[i] = {(std::uint64_t{columns_.ratee[i]} << 32) | columns_.period[i],
               (std::uint64_t{columns_.rater[i]} << 32) | columns_.competency[i], columns_.source_row[i],
               static_cast<std::uint32_t>(i)};
  std::sort(keys.begin(), keys.end(), [](const key& a, const key& b) {
    if (a.ratee_period != b.ratee_period) return a.ratee_period < b.ratee_period;
    if (a.rater_competency != b.rater_competency) return a.rater_competency < b.rater_competency;
    if (a.source_row != b.source_row) return a.source_row < b.source_row;
    return a.index < b.index;
  });
  std::vector<std::uint32_t> order(rows());
  for (std::size_t i = 0; i < rows(); ++i) order[i] = keys[i].index;
  return order;
}

CALIBRA_INLINE auto ratings_builder::report_at(std::uint32_t row, std::string_view column,
                                               const std::string& message) const -> void {
  if (!problems_) fail_at(row, column, message);
  try {
    fail_at(row, column, message);
  } catch (const calibra::error& e) {
    problems_->add(e, columns_.source_row[row], std::string(column));
  }
}

CALIBRA_INLINE auto ratings_builder::note_periods_and_ids(ratings_summary& summary) const -> void {
  if (!normalised_periods_.empty()) {
    std::string list;
    for (const auto& [written, read] : normalised_periods_) list += (list.empty() ? "'" : ", '") + quote(written) + "' as " + read;
    summary.warnings.push_back("period spellings read as quarters: " + list + (more_normalised_periods_ ? ", ..." : ""));
  }
  if (!unordered_periods_.empty()) {
    std::string list;
    for (const auto& p : unordered_periods_) list += (list.empty() ? "'" : ", '") + quote(p) + "'";
    summary.warnings.push_back(
        "periods that cannot be ordered in time: " + list + (unordered_periods_.size() >= 20 ? ", ..." : "") +
        "; they are ordered by their text after every quarter, so drift across them is not in time order "
        "(write quarters as YYYYQn, years as YYYY, months as YYYY-MM or dates as YYYY-MM-DD)");
  }
  bool quarters = false, others = false;
  for (std::size_t p = 0; p < periods_.size(); ++p) (parse_quarter(periods_[static_cast<std::uint32_t>(p)]) ? quarters : others) = true;
  if (quarters && others && unordered_periods_.empty())
    summary.warnings.push_back("the periods mix quarters (YYYYQn) with other forms; every quarter is ordered "
                               "before every other period, whatever the dates");
  if (relative_levels_ > 0)
    summary.warnings.push_back(
        std::to_string(relative_levels_) +
        " relative levels (Needs Focus / On Track / Outperforming) read against the expectation of the ratee's "
        "career level: On Track as the expected level, the others one level below or above" +
        (clipped_relative_ > 0 ? "; " + std::to_string(clipped_relative_) +
                                     " of them had no level there and were clipped to the end of the scale"
                               : std::string()));
  if (shared_id_count_ > 0) {
    std::string rows;
    for (std::uint32_t row : shared_id_rows_) rows += (rows.empty() ? "" : ", ") + std::to_string(row);
    if (shared_id_count_ > shared_id_rows_.size()) rows += ", ... (" + std::to_string(shared_id_count_) + " rows in all)";
    summary.warnings.push_back("the rater id is the ratee id under a role other than 'self' on rows " + rows +
                               ": read as two people who share an id; if they are one person, the role is 'self'");
  }
}

[[noreturn]] CALIBRA_INLINE auto ratings_builder::fail_at(std::uint32_t row, std::string_view column,
                                                          const std::string& message) const -> void {
  throw validation_error("ratings", at(columns_.source_row[row], column) + ": " + message);
}

CALIBRA_INLINE auto ratings_builder::at(std::size_t source_row, std::string_view column) const -> std::string {
  if (locate_) return locate_(source_row, column);
  return source_ + ": row " + std::to_string(source_row) +
         (column.empty() ? "" : ", column '" + std::string(column) + "'");
}

CALIBRA_INLINE auto ratings_builder::check_groups(const std::vector<std::uint32_t>& order, duplicate_policy policy,
                                                  std::vector<bool>& keep, ratings_summary& summary) -> void {
  const auto& ladder = framework_->ladder();
  // The earliest-in-the-input repeat, reported under policy error.
  std::optional<std::pair<std::uint32_t, std::uint32_t>> first_repeat;  // (earlier row, later row)
  std::vector<std::pair<std::uint32_t, std::uint32_t>> repeats;        // every group's, when collecting
  std::vector<duplicate_resolution> resolutions;

  std::size_t a = 0;
  while (a < order.size()) {
    // A (ratee, period) run: attributes must agree.
    std::size_t b = a;
    std::optional<std::uint32_t> with_career_level, with_track, with_outcome;
    while (b < order.size() && columns_.ratee[order[b]] == columns_.ratee[order[a]] &&
           columns_.period[order[b]] == columns_.period[order[a]]) {
      const std::uint32_t row = order[b];
      if (columns_.career_level[row]) {
        if (!with_career_level) with_career_level = row;
        check_same(columns_.career_level, *with_career_level, row, "career_level", "career level",
                   [&](std::uint32_t l) { return ladder.career_levels()[l].id; });
      }
      if (columns_.track[row]) {
        if (!with_track) with_track = row;
        check_same(columns_.track, *with_track, row, "track", "track",
                   [](calibra::track t) { return std::string(to_string(t)); });
      }
      if (columns_.outcome[row]) {
        if (!with_outcome) with_outcome = row;
        check_same(columns_.outcome, *with_outcome, row, "outcome", "outcome",
                   [](promotion_outcome o) { return std::string(to_string(o)); });
      }
      ++b;
    }
    // Within it, (rater) runs: one role; (rater, competency) runs: duplicates.
    std::size_t c = a;
    while (c < b) {
      std::size_t d = c;
      while (d < b && columns_.rater[order[d]] == columns_.rater[order[c]]) {
        const std::uint32_t row = order[d];
        if (columns_.role[row] != columns_.role[order[c]]) {
          const bool row_first = columns_.source_row[row] < columns_.source_row[order[c]];
          const std::uint32_t earlier = row_first ? row : order[c];
          const std::uint32_t later = row_first ? order[c] : row;
          report_at(later, "role",
                  "rater '" + quote(raters_[columns_.rater[later]]) + "' rates ratee '" +
                      quote(ratees_[columns_.ratee[later]]) + "' in period '" +
                      quote(periods_[columns_.period[later]]) + "' as '" +
                      std::string(to_string(columns_.role[later])) + "' here but as '" +
                      std::string(to_string(columns_.role[earlier])) + "' on row " +
                      std::to_string(columns_.source_row[earlier]) + "; expected one role per rater, ratee and period");
        }
        ++d;
      }
      std::size_t e = c;
      while (e < d) {
        std::size_t f = e + 1;
        while (f < d && columns_.competency[order[f]] == columns_.competency[order[e]]) ++f;
        if (f - e > 1) {
          // order[e..f) are repeats, ascending by source row.
          const std::uint32_t earlier = order[e], later = order[e + 1];
          if (!first_repeat || columns_.source_row[later] < columns_.source_row[first_repeat->second])
            first_repeat = std::make_pair(earlier, later);
          if (problems_ && policy == duplicate_policy::error) repeats.emplace_back(earlier, later);
          if (policy != duplicate_policy::error) resolutions.push_back(resolve(order, e, f, policy, keep, summary));
        }
        e = f;
      }
      c = d;
    }
    a = b;
  }

  if (!problems_ && first_repeat) repeats.push_back(*first_repeat);
  if (policy != duplicate_policy::error) repeats.clear();
  for (const auto& [earlier, later] : repeats) {
    report_at(later, "",
            "duplicate rating: rater '" + quote(raters_[columns_.rater[later]]) + "' already rated ratee '" +
                quote(ratees_[columns_.ratee[later]]) + "' on competency '" +
                framework_->competencies()[columns_.competency[later]].id + "' in period '" +
                quote(periods_[columns_.period[later]]) + "' on row " + std::to_string(columns_.source_row[earlier]) +
                "; expected one rating per ratee, rater, competency and period (remove one of the rows, or "
                "choose the duplicate policy 'last' or 'mean')");
  }
  std::sort(resolutions.begin(), resolutions.end(),
            [](const duplicate_resolution& x, const duplicate_resolution& y) { return x.rows[1] < y.rows[1]; });
  if (resolutions.size() > ratings_summary::max_duplicate_examples)
    resolutions.resize(ratings_summary::max_duplicate_examples);
  summary.duplicate_examples = std::move(resolutions);
}

CALIBRA_INLINE auto ratings_builder::resolve(const std::vector<std::uint32_t>& order, std::size_t e, std::size_t f,
                                             duplicate_policy policy, std::vector<bool>& keep, ratings_summary& summary)
    -> duplicate_resolution {
  duplicate_resolution out;
  const std::uint32_t last = order[f - 1];
  long sum = 0;
  for (std::size_t k = e; k < f; ++k) {
    out.rows.push_back(columns_.source_row[order[k]]);
    sum += columns_.level[order[k]];
    if (order[k] != last) keep[order[k]] = false;
  }
  const long count = static_cast<long>(f - e);
  out.kept_row = columns_.source_row[last];
  out.mean_level = static_cast<double>(sum) / static_cast<double>(count);
  if (policy == duplicate_policy::mean) {
    // Nearest level by integer arithmetic; an exact half goes toward the last row's level.
    const long floor_level = sum / count, remainder = sum % count;
    long level = floor_level;
    if (2 * remainder > count || (2 * remainder == count && columns_.level[last] > floor_level))
      level = floor_level + 1;
    if (remainder != 0) ++summary.means_rounded;
    columns_.level[last] = static_cast<std::uint8_t>(level);
  }
  out.level = columns_.level[last];
  ++summary.duplicate_groups;
  summary.duplicate_rows_dropped += static_cast<std::size_t>(count - 1);
  return out;
}

CALIBRA_INLINE auto ratings_builder::link_people(ratings_table& table) -> void {
  table.rater_as_ratee_.assign(table.raters_.size(), ratings_table::no_id);
  table.ratee_as_rater_.assign(table.ratees_.size(), ratings_table::no_id);
  for (std::uint32_t r = 0; r < table.raters_.size(); ++r)
    if (const auto ratee = table.ratees_.find(table.raters_[r])) {
      table.rater_as_ratee_[r] = *ratee;
      table.ratee_as_rater_[*ratee] = r;
    }
}

CALIBRA_INLINE auto ratings_builder::collect_ratee_periods(ratings_table& table) -> void {
  std::vector<std::uint64_t> keys(table.size());
  for (std::size_t i = 0; i < table.size(); ++i)
    keys[i] = (std::uint64_t{table.columns_.ratee[i]} << 32) | table.columns_.period[i];
  std::vector<std::uint32_t> rows(table.size());
  for (std::uint32_t i = 0; i < rows.size(); ++i) rows[i] = i;
  std::sort(rows.begin(), rows.end(), [&](std::uint32_t x, std::uint32_t y) {
    return keys[x] != keys[y] ? keys[x] < keys[y] : x < y;
  });
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const std::uint32_t row = rows[k];
    if (k == 0 || keys[row] != keys[rows[k - 1]])
      table.ratee_periods_.push_back({table.columns_.ratee[row], table.columns_.period[row], {}, {}, {}, 0});
    ratee_period& rp = table.ratee_periods_.back();
    if (!rp.career_level) rp.career_level = table.columns_.career_level[row];
    if (!rp.track) rp.track = table.columns_.track[row];
    if (!rp.outcome) rp.outcome = table.columns_.outcome[row];
    ++rp.ratings;
  }
}

CALIBRA_INLINE auto ratings_builder::count(const ratings_table& table, ratings_summary& summary) -> void {
  summary.rows_kept = table.size();
  summary.ratees = table.ratees_.size();
  summary.raters = table.raters_.size();
  summary.periods = table.periods_.size();
  summary.rows_per_competency.assign(table.n_competencies(), 0);
  summary.rows_per_period.assign(table.periods_.size(), 0);
  for (std::size_t i = 0; i < table.size(); ++i) {
    ++summary.rows_per_role[static_cast<std::size_t>(table.columns_.role[i])];
    ++summary.rows_per_competency[table.columns_.competency[i]];
    ++summary.rows_per_period[table.columns_.period[i]];
    summary.rows_with_career_level += table.columns_.career_level[i].has_value();
    summary.rows_with_track += table.columns_.track[i].has_value();
    summary.rows_with_outcome += table.columns_.outcome[i].has_value();
    summary.rows_with_evidence += table.columns_.evidence[i] != 0;
  }
}

CALIBRA_INLINE auto ratings_builder::quote(std::string_view text) -> std::string {
  constexpr std::size_t max_bytes = 40;
  if (text.size() <= max_bytes) return std::string(text);
  std::size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return std::string(text.substr(0, cut)) + "...";
}

CALIBRA_INLINE auto ratings_builder::equal_ignoring_case(std::string_view a, std::string_view b) -> bool {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

CALIBRA_INLINE auto ratings_builder::role_list() -> std::string {
  std::string out;
  for (rater_role role : all_rater_roles) out += (out.empty() ? "" : ", ") + std::string(to_string(role));
  return out;
}

}  // namespace calibra::calibration
