// Ratings in long form -- one row per rating -- validated against a
// framework and stored column by column for the calibration analyses.
//
//   ratee, rater, role, competency, level, period [, career_level, track, outcome]
//
// A ratings_table is immutable once built.  Ratees, raters and periods are
// interned: each row holds dense indices into the table's name tables, the
// competency and career level as indices into the framework, and the level
// as its 1-based ordinal on the framework's scale.  Every column is a plain
// vector, so a pass over 10^6 ratings touches a few contiguous megabytes and
// per-rater or per-ratee accumulators are vectors indexed by id.
//
// The table keeps the framework it was validated against through a
// shared_ptr<const framework>: tables read against the same framework can
// share it, and the indices stored in the rows can never outlive it.
//
// Tables are built with ratings_builder (the file readers in
// calibra/io/ratings.hpp use it too), which checks every value as it is
// added and, in finish(), the rules that span rows:
//   - one rating per (ratee, rater, competency, period), or a
//     duplicate_policy that says how to resolve repeats;
//   - one role per (rater, ratee, period);
//   - one career level, track and outcome per (ratee, period);
//   - role `self` exactly when the rater is the ratee.
// docs/ratings-format.md documents the format and every rule.
#pragma once

#include <calibra/error.hpp>
#include <calibra/framework/framework.hpp>

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

// ---- vocabulary ------------------------------------------------------------

/// How the rater stands to the ratee.
enum class rater_role : std::uint8_t { self, manager, peer, skip_level, panel };

inline constexpr std::size_t rater_role_count = 5;
inline constexpr std::array<rater_role, rater_role_count> all_rater_roles{
    rater_role::self, rater_role::manager, rater_role::peer, rater_role::skip_level, rater_role::panel};

inline std::string_view to_string(rater_role role) {
  switch (role) {
    case rater_role::self: return "self";
    case rater_role::manager: return "manager";
    case rater_role::peer: return "peer";
    case rater_role::skip_level: return "skip-level";
    case rater_role::panel: return "panel";
  }
  return "?";
}

inline std::optional<rater_role> parse_rater_role(std::string_view text) {
  for (rater_role role : all_rater_roles)
    if (to_string(role) == text) return role;
  return std::nullopt;
}

/// What happened at the promotion decision of a period.
enum class promotion_outcome : std::uint8_t { promoted, not_promoted };

inline std::string_view to_string(promotion_outcome outcome) {
  return outcome == promotion_outcome::promoted ? "promoted" : "not-promoted";
}

inline std::optional<promotion_outcome> parse_promotion_outcome(std::string_view text) {
  if (text == "promoted") return promotion_outcome::promoted;
  if (text == "not-promoted") return promotion_outcome::not_promoted;
  return std::nullopt;
}

/// What to do when the same rater rates the same ratee on the same
/// competency in the same period more than once.
enum class duplicate_policy : std::uint8_t {
  error,  // refuse the input, naming both rows (default: a repeat is usually a data-entry mistake)
  last,   // keep the row that comes last in the input, drop the earlier ones
  mean,   // keep one rating whose level is the mean of the repeats rounded to the
          // nearest level; an exact tie between two levels goes to the one nearer
          // the last row's level
};

inline std::string_view to_string(duplicate_policy policy) {
  switch (policy) {
    case duplicate_policy::error: return "error";
    case duplicate_policy::last: return "last";
    case duplicate_policy::mean: return "mean";
  }
  return "?";
}

inline std::optional<duplicate_policy> parse_duplicate_policy(std::string_view text) {
  if (text == "error") return duplicate_policy::error;
  if (text == "last") return duplicate_policy::last;
  if (text == "mean") return duplicate_policy::mean;
  return std::nullopt;
}

/// The column names of the long format, required ones first.
inline constexpr std::array<std::string_view, 9> ratings_columns{
    "ratee", "rater", "role", "competency", "level", "period", "career_level", "track", "outcome"};
inline constexpr std::size_t required_ratings_columns = 6;

// ---- periods ---------------------------------------------------------------

/// A period written as a calendar quarter, YYYYQn.
struct quarter_period {
  int year = 0;
  int quarter = 0;  // 1..4
};

/// The quarter a period names, when it is written YYYYQn with n in 1..4.
inline std::optional<quarter_period> parse_quarter(std::string_view text) {
  if (text.size() != 6 || text[4] != 'Q') return std::nullopt;
  for (std::size_t i = 0; i < 4; ++i)
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
  if (text[5] < '1' || text[5] > '4') return std::nullopt;
  return quarter_period{(text[0] - '0') * 1000 + (text[1] - '0') * 100 + (text[2] - '0') * 10 + (text[3] - '0'),
                        text[5] - '0'};
}

/// Why `text` cannot be a period, or an empty string when it can.  Any
/// non-empty text is a period; text that starts like a quarter (four digits
/// and a Q) must be a whole quarter, so that typos such as 2026Q5 or
/// 2026q3 do not silently become periods of their own.
inline std::string period_problem(std::string_view text) {
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
  return {};
}

/// Period order: quarters chronologically, then any other periods by their
/// text (byte order, which is chronological for ISO dates such as
/// 2026-07-01).  A quarter comes before a period of any other form.
inline bool period_less(std::string_view a, std::string_view b) {
  const auto qa = parse_quarter(a);
  const auto qb = parse_quarter(b);
  if (qa && qb) return qa->year != qb->year ? qa->year < qb->year : qa->quarter < qb->quarter;
  if (qa || qb) return static_cast<bool>(qa);
  return a < b;
}

// ---- name tables -----------------------------------------------------------

/// Interned names: dense ids 0..size()-1 in order of first appearance.
/// Lookups by name do not allocate.
class name_table {
 public:
  name_table() = default;
  name_table(const name_table& other) : names_(other.names_) { reindex(); }
  name_table& operator=(const name_table& other) {
    if (this != &other) {
      names_ = other.names_;
      reindex();
    }
    return *this;
  }
  // Moving a deque hands over its blocks, so the views in index_ stay valid.
  name_table(name_table&&) = default;
  name_table& operator=(name_table&&) = default;

  std::size_t size() const { return names_.size(); }
  bool empty() const { return names_.empty(); }
  const std::string& operator[](std::uint32_t id) const { return names_[id]; }

  std::optional<std::uint32_t> find(std::string_view name) const {
    const auto it = index_.find(name);
    if (it == index_.end()) return std::nullopt;
    return it->second;
  }

  /// The id of `name`, adding it when it is new.
  std::uint32_t intern(std::string_view name) {
    const auto it = index_.find(name);
    if (it != index_.end()) return it->second;
    if (names_.size() >= std::numeric_limits<std::uint32_t>::max())
      throw invalid_argument("ratings", "more than 2^32 - 1 distinct names");
    const auto id = static_cast<std::uint32_t>(names_.size());
    names_.emplace_back(name);
    index_.emplace(names_.back(), id);
    return id;
  }

  /// All names, by id.
  std::vector<std::string> names() const { return {names_.begin(), names_.end()}; }

 private:
  void reindex() {
    index_.clear();
    for (std::size_t i = 0; i < names_.size(); ++i) index_.emplace(names_[i], static_cast<std::uint32_t>(i));
  }

  std::deque<std::string> names_;  // a deque never moves its elements, so views into them stay valid
  std::unordered_map<std::string_view, std::uint32_t> index_;
};

// ---- rows going in ---------------------------------------------------------

/// One rating as text, before validation (what a file row holds).  An
/// empty optional field means "not given".
struct rating_text {
  std::string_view ratee;
  std::string_view rater;
  std::string_view role;
  std::string_view competency;    // competency id
  std::string_view level;         // level id, label, or 1-based ordinal
  std::string_view period;
  std::string_view career_level;  // optional: career level id
  std::string_view track;         // optional: ic or manager
  std::string_view outcome;       // optional: promoted or not-promoted
};

/// One rating with the framework references already resolved.
struct rating {
  std::string_view ratee;
  std::string_view rater;
  rater_role role = rater_role::manager;
  std::size_t competency = 0;  // index into framework::competencies()
  int level = 1;               // 1-based ordinal on the framework's scale
  std::string_view period;
  std::optional<std::size_t> career_level;  // index into the ladder
  std::optional<calibra::track> track;      // derived from career_level when not given
  std::optional<promotion_outcome> outcome;
};

// ---- summary -----------------------------------------------------------------

/// How one group of repeated ratings was resolved.
struct duplicate_resolution {
  std::vector<std::uint32_t> rows;  // source rows of the repeats, ascending
  std::uint32_t kept_row = 0;       // the row that stays in the table (the last one)
  int level = 0;                    // the level it holds (the rounded mean under policy mean)
  double mean_level = 0;            // mean of the repeats' levels
};

/// What building a table did with its input, so that nothing disappears
/// without a trace: rows_read == rows_kept + duplicate_rows_dropped.
struct ratings_summary {
  static constexpr std::size_t max_duplicate_examples = 100;

  std::string source;
  std::size_t rows_read = 0;
  std::size_t rows_kept = 0;
  duplicate_policy duplicates = duplicate_policy::error;
  std::size_t duplicate_groups = 0;        // (ratee, rater, competency, period) given more than once
  std::size_t duplicate_rows_dropped = 0;  // rows folded into another row
  std::size_t means_rounded = 0;           // policy mean: groups whose mean fell between two levels
  /// The first max_duplicate_examples resolved groups, by the row of their first repeat.
  std::vector<duplicate_resolution> duplicate_examples;
  /// Columns of the input that were ignored (readers' ignore_unknown_columns).
  std::vector<std::string> ignored_columns;

  // Counts over the kept rows.
  std::size_t ratees = 0;
  std::size_t raters = 0;
  std::size_t periods = 0;
  std::array<std::size_t, rater_role_count> rows_per_role{};  // indexed by rater_role
  std::vector<std::size_t> rows_per_competency;               // framework order
  std::vector<std::size_t> rows_per_period;                   // table period order
  std::size_t rows_with_career_level = 0;
  std::size_t rows_with_track = 0;
  std::size_t rows_with_outcome = 0;
};

/// The attributes a ratee carries in one period (merged over their rows).
struct ratee_period {
  std::uint32_t ratee = 0;
  std::uint32_t period = 0;
  std::optional<std::uint32_t> career_level;
  std::optional<calibra::track> track;
  std::optional<promotion_outcome> outcome;
  std::size_t ratings = 0;  // rows of this ratee in this period
};

namespace detail {

/// The per-row columns, shared by the builder (which appends and compacts
/// them) and the table (which hands them out read-only).
struct column_store {
  std::vector<std::uint32_t> ratee, rater, period, competency;
  std::vector<std::uint8_t> level;
  std::vector<rater_role> role;
  std::vector<std::optional<std::uint32_t>> career_level;
  std::vector<std::optional<calibra::track>> track;
  std::vector<std::optional<promotion_outcome>> outcome;
  std::vector<std::uint32_t> source_row;

  std::size_t size() const { return ratee.size(); }

  /// Applies `f` to every column, so adding a column touches one place.
  template <typename F>
  void for_each(F&& f) {
    f(ratee), f(rater), f(period), f(competency), f(level), f(role), f(career_level), f(track), f(outcome),
        f(source_row);
  }

  void reserve(std::size_t n) {
    for_each([n](auto& column) { column.reserve(n); });
  }

  /// Keeps the rows whose `keep` entry is true, in their order.
  void compact(const std::vector<bool>& keep) {
    for_each([&keep](auto& column) {
      std::size_t kept = 0;
      for (std::size_t i = 0; i < column.size(); ++i)
        if (keep[i]) column[kept++] = column[i];
      column.resize(kept);
    });
  }
};

}  // namespace detail

class ratings_builder;

// ---- the table ---------------------------------------------------------------

/// Validated ratings, one entry per rating in every column.  Row order is
/// the input order (minus dropped duplicates).  Period ids are in
/// chronological order (period_less): period 0 is the earliest.
class ratings_table {
 public:
  static constexpr std::uint32_t no_id = std::numeric_limits<std::uint32_t>::max();

  /// An empty table with no framework; real tables come from ratings_builder.
  ratings_table() = default;

  std::size_t size() const { return columns_.size(); }
  bool empty() const { return columns_.size() == 0; }

  /// The framework every competency, level and career level refers to.
  const calibra::framework& framework() const { return *framework_; }
  const std::shared_ptr<const calibra::framework>& framework_ptr() const { return framework_; }

  // Name tables.
  const name_table& ratees() const { return ratees_; }
  const name_table& raters() const { return raters_; }
  const name_table& periods() const { return periods_; }
  std::size_t n_competencies() const { return framework_ ? framework_->competencies().size() : 0; }

  // One row.
  std::uint32_t ratee(std::size_t row) const { return columns_.ratee[row]; }
  std::uint32_t rater(std::size_t row) const { return columns_.rater[row]; }
  std::uint32_t period(std::size_t row) const { return columns_.period[row]; }
  std::uint32_t competency(std::size_t row) const { return columns_.competency[row]; }
  int level(std::size_t row) const { return columns_.level[row]; }
  rater_role role(std::size_t row) const { return columns_.role[row]; }
  std::optional<std::uint32_t> career_level(std::size_t row) const { return columns_.career_level[row]; }
  std::optional<calibra::track> track(std::size_t row) const { return columns_.track[row]; }
  std::optional<promotion_outcome> outcome(std::size_t row) const { return columns_.outcome[row]; }
  /// Where the row came from: the 1-based CSV line, the 1-based position
  /// in a JSON array, or the 1-based order of add() calls.
  std::uint32_t source_row(std::size_t row) const { return columns_.source_row[row]; }

  // Whole columns, for tight loops.
  const std::vector<std::uint32_t>& ratee_column() const { return columns_.ratee; }
  const std::vector<std::uint32_t>& rater_column() const { return columns_.rater; }
  const std::vector<std::uint32_t>& period_column() const { return columns_.period; }
  const std::vector<std::uint32_t>& competency_column() const { return columns_.competency; }
  const std::vector<std::uint8_t>& level_column() const { return columns_.level; }
  const std::vector<rater_role>& role_column() const { return columns_.role; }
  const std::vector<std::optional<std::uint32_t>>& career_level_column() const { return columns_.career_level; }
  const std::vector<std::optional<calibra::track>>& track_column() const { return columns_.track; }
  const std::vector<std::optional<promotion_outcome>>& outcome_column() const { return columns_.outcome; }
  const std::vector<std::uint32_t>& source_row_column() const { return columns_.source_row; }

  /// The ratee id of a rater who is also rated (same name), if any.
  std::optional<std::uint32_t> rater_as_ratee(std::uint32_t rater) const {
    const std::uint32_t id = rater_as_ratee_[rater];
    return id == no_id ? std::nullopt : std::optional<std::uint32_t>(id);
  }
  /// The rater id of a ratee who also rates (same name), if any.
  std::optional<std::uint32_t> ratee_as_rater(std::uint32_t ratee) const {
    const std::uint32_t id = ratee_as_rater_[ratee];
    return id == no_id ? std::nullopt : std::optional<std::uint32_t>(id);
  }

  /// One entry per (ratee, period) present, sorted by ratee then period.
  const std::vector<ratee_period>& ratee_periods() const { return ratee_periods_; }

  /// What building the table read, kept and resolved.
  const ratings_summary& summary() const { return summary_; }

 private:
  friend class ratings_builder;

  std::shared_ptr<const calibra::framework> framework_;
  name_table ratees_, raters_, periods_;
  detail::column_store columns_;
  std::vector<std::uint32_t> rater_as_ratee_, ratee_as_rater_;
  std::vector<ratee_period> ratee_periods_;
  ratings_summary summary_;
};

// ---- building ------------------------------------------------------------------

/// Collects ratings, checks each against the framework as it arrives, and
/// checks the rules across rows in finish().
///
/// add_text() resolves names (the file readers use it) and throws
/// validation_error("ratings") with "<source>: row N, column 'c': ...".
/// add() takes resolved values and throws invalid_argument("ratings") for a
/// value out of range.  finish() throws validation_error("ratings") for the
/// rules across rows, naming both rows involved.
class ratings_builder {
 public:
  explicit ratings_builder(std::shared_ptr<const calibra::framework> fw, std::string source = "<memory>")
      : framework_(std::move(fw)), source_(std::move(source)) {
    if (!framework_) throw invalid_argument("ratings", "ratings_builder needs a framework");
    const auto& comps = framework_->competencies();
    for (std::size_t c = 0; c < comps.size(); ++c) competency_of_.emplace(comps[c].id, static_cast<std::uint32_t>(c));
    const auto& levels = framework_->scale().levels();
    // Ids first, then labels: a label equal to another level's id never shadows that id.
    for (std::size_t l = 0; l < levels.size(); ++l) ordinal_of_.emplace(levels[l].id, static_cast<int>(l + 1));
    for (std::size_t l = 0; l < levels.size(); ++l) ordinal_of_.emplace(levels[l].label, static_cast<int>(l + 1));
    const auto& career_levels = framework_->ladder().levels();
    for (std::size_t l = 0; l < career_levels.size(); ++l)
      career_level_of_.emplace(career_levels[l].id, static_cast<std::uint32_t>(l));
  }

  explicit ratings_builder(const calibra::framework& fw, std::string source = "<memory>")
      : ratings_builder(std::make_shared<const calibra::framework>(fw), std::move(source)) {}

  const std::string& source() const { return source_; }
  std::size_t rows() const { return columns_.size(); }
  const calibra::framework& framework() const { return *framework_; }

  void reserve(std::size_t rows) { columns_.reserve(rows); }

  /// Records a column of the input that the reader ignored (summary only).
  void note_ignored_column(std::string name) { ignored_columns_.push_back(std::move(name)); }

  /// Adds a rating given as text.  `source_row` (1-based) locates it in messages.
  void add_text(const rating_text& text, std::size_t source_row) {
    const auto fail = [&](std::string_view column, const std::string& message) {
      throw validation_error("ratings", source_ + ": row " + std::to_string(source_row) + ", column '" +
                                            std::string(column) + "': " + message);
    };
    // `what` is a literal: the happy path builds no strings.
    const auto require = [&](std::string_view value, std::string_view column, const char* what) {
      if (value.empty()) fail(column, std::string("empty cell; expected ") + what);
      if (value.front() == ' ' || value.back() == ' ' || value.front() == '\t' || value.back() == '\t')
        fail(column, "'" + quote(value) + "' has leading or trailing spaces; expected " + what);
    };
    require(text.ratee, "ratee", "the ratee's id");
    require(text.rater, "rater", "the rater's id");
    require(text.role, "role", "a role (self, manager, peer, skip-level or panel)");
    require(text.competency, "competency", "a competency id");
    require(text.level, "level", "a level id, label or ordinal");
    require(text.period, "period", "a period such as 2026Q3");

    rating r;
    r.ratee = text.ratee;
    r.rater = text.rater;
    const auto role = parse_rater_role(text.role);
    if (!role) fail("role", "unknown role '" + quote(text.role) + "'; expected one of " + role_list());
    r.role = *role;

    const auto competency = competency_of_.find(text.competency);
    if (competency == competency_of_.end()) fail("competency", unknown_competency(text.competency));
    r.competency = competency->second;

    r.level = resolve_level(text.level, [&](const std::string& message) { fail("level", message); });

    if (const std::string problem = period_problem(text.period); !problem.empty()) fail("period", problem);
    r.period = text.period;

    if (!text.career_level.empty()) {
      const auto level = career_level_of_.find(text.career_level);
      if (level == career_level_of_.end())
        fail("career_level", "unknown career level '" + quote(text.career_level) + "'; expected one of " +
                                 id_list(framework_->ladder().levels()));
      r.career_level = level->second;
    }
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
    push(r, source_row);
  }

  /// Adds a resolved rating; it is row rows() + 1 in messages.
  void add(const rating& r) { add(r, rows() + 1); }

  void add(rating r, std::size_t source_row) {
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

  /// Checks the rules across rows, resolves duplicates under `policy` and
  /// hands over the table.  The builder is left empty.
  ratings_table finish(duplicate_policy policy = duplicate_policy::error) {
    ratings_table table;
    table.framework_ = framework_;
    ratings_summary& summary = table.summary_;
    summary.source = source_;
    summary.rows_read = rows();
    summary.duplicates = policy;
    summary.ignored_columns = std::move(ignored_columns_);

    sort_periods_chronologically();
    const std::vector<std::uint32_t> order = sorted_order();
    std::vector<bool> keep(rows(), true);
    check_groups(order, policy, keep, summary);

    columns_.compact(keep);  // input order is kept
    table.ratees_ = std::move(ratees_);
    table.raters_ = std::move(raters_);
    table.periods_ = std::move(periods_);
    table.columns_ = std::move(columns_);
    *this = ratings_builder(framework_, source_);

    link_people(table);
    collect_ratee_periods(table);
    count(table, summary);
    return table;
  }

 private:
  template <typename Fail>
  int resolve_level(std::string_view text, const Fail& fail) const {
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

  std::string unknown_competency(std::string_view text) const {
    std::string hint;
    for (const auto& c : framework_->competencies())
      if (c.name == text || equal_ignoring_case(c.id, text))
        hint = " ('" + quote(text) + "' " + (c.name == text ? "is the name of" : "differs only in case from") +
               " competency '" + c.id + "'; use its id)";
    return "unknown competency '" + quote(text) + "'" + hint + "; expected one of " +
           id_list(framework_->competencies());
  }

  /// Rules between the fields of one row: the column at fault and what is
  /// wrong, or an empty message.  Fills in the track of a career level.
  static std::pair<std::string_view, std::string> cross_field_problem(rating& r, const calibra::framework& fw) {
    if (r.career_level) {
      const auto& career_level = fw.ladder().levels()[*r.career_level];
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
    if (r.role != rater_role::self && same_person) {
      return {"role", "the rater '" + quote(r.rater) + "' rates themself, so the role must be 'self', not '" +
                          std::string(to_string(r.role)) + "'"};
    }
    return {};
  }

  void push(const rating& r, std::size_t source_row) {
    if (source_row > std::numeric_limits<std::uint32_t>::max() || rows() >= std::numeric_limits<std::uint32_t>::max())
      throw invalid_argument("ratings", source_ + ": more than 2^32 - 1 rows");
    columns_.ratee.push_back(ratees_.intern(r.ratee));
    columns_.rater.push_back(raters_.intern(r.rater));
    columns_.period.push_back(periods_.intern(r.period));
    columns_.competency.push_back(static_cast<std::uint32_t>(r.competency));
    columns_.level.push_back(static_cast<std::uint8_t>(r.level));
    columns_.role.push_back(r.role);
    columns_.career_level.push_back(r.career_level ? std::optional<std::uint32_t>(static_cast<std::uint32_t>(*r.career_level))
                                           : std::nullopt);
    columns_.track.push_back(r.track);
    columns_.outcome.push_back(r.outcome);
    columns_.source_row.push_back(static_cast<std::uint32_t>(source_row));
  }

  /// Renumbers periods so that id order is chronological order.
  void sort_periods_chronologically() {
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

  /// Row indices sorted by (ratee, period, rater, competency, source row),
  /// so that every group the rules talk about is a contiguous run.
  std::vector<std::uint32_t> sorted_order() const {
    struct key {
      std::uint64_t ratee_period, rater_competency;
      std::uint32_t source_row, index;
    };
    std::vector<key> keys(rows());
    for (std::size_t i = 0; i < rows(); ++i)
      keys[i] = {(std::uint64_t{columns_.ratee[i]} << 32) | columns_.period[i], (std::uint64_t{columns_.rater[i]} << 32) | columns_.competency[i],
                 columns_.source_row[i], static_cast<std::uint32_t>(i)};
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

  [[noreturn]] void fail_at(std::uint32_t row, std::string_view column, const std::string& message) const {
    throw validation_error("ratings", source_ + ": row " + std::to_string(columns_.source_row[row]) +
                                          (column.empty() ? "" : ", column '" + std::string(column) + "'") + ": " +
                                          message);
  }

  /// One attribute that must agree across the rows of a (ratee, period).
  template <typename Column, typename Show>
  void check_same(const Column& column, std::uint32_t first, std::uint32_t second, std::string_view name,
                  std::string_view what, const Show& show) const {
    if (!column[first] || !column[second] || *column[first] == *column[second]) return;
    const std::uint32_t earlier = columns_.source_row[first] <= columns_.source_row[second] ? first : second;
    const std::uint32_t later = earlier == first ? second : first;
    fail_at(later, name,
            "ratee '" + quote(ratees_[columns_.ratee[later]]) + "' has " + std::string(what) + " '" + show(*column[later]) +
                "' here but '" + show(*column[earlier]) + "' on row " + std::to_string(columns_.source_row[earlier]) +
                " for the same period '" + quote(periods_[columns_.period[later]]) + "'; expected one " + std::string(what) +
                " per ratee and period");
  }

  void check_groups(const std::vector<std::uint32_t>& order, duplicate_policy policy, std::vector<bool>& keep,
                    ratings_summary& summary) {
    const auto& ladder = framework_->ladder();
    // The earliest-in-the-input repeat, reported under policy error.
    std::optional<std::pair<std::uint32_t, std::uint32_t>> first_repeat;  // (earlier row, later row)
    std::vector<duplicate_resolution> resolutions;

    std::size_t a = 0;
    while (a < order.size()) {
      // A (ratee, period) run: attributes must agree.
      std::size_t b = a;
      std::optional<std::uint32_t> with_career_level, with_track, with_outcome;
      while (b < order.size() && columns_.ratee[order[b]] == columns_.ratee[order[a]] && columns_.period[order[b]] == columns_.period[order[a]]) {
        const std::uint32_t row = order[b];
        if (columns_.career_level[row]) {
          if (!with_career_level) with_career_level = row;
          check_same(columns_.career_level, *with_career_level, row, "career_level", "career level",
                     [&](std::uint32_t l) { return ladder.levels()[l].id; });
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
            fail_at(later, "role",
                    "rater '" + quote(raters_[columns_.rater[later]]) + "' rates ratee '" + quote(ratees_[columns_.ratee[later]]) +
                        "' in period '" + quote(periods_[columns_.period[later]]) + "' as '" +
                        std::string(to_string(columns_.role[later])) + "' here but as '" +
                        std::string(to_string(columns_.role[earlier])) + "' on row " + std::to_string(columns_.source_row[earlier]) +
                        "; expected one role per rater, ratee and period");
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
            if (policy != duplicate_policy::error) resolutions.push_back(resolve(order, e, f, policy, keep, summary));
          }
          e = f;
        }
        c = d;
      }
      a = b;
    }

    if (first_repeat && policy == duplicate_policy::error) {
      const auto [earlier, later] = *first_repeat;
      fail_at(later, "",
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

  /// Folds the repeats order[e..f) into their last row.
  duplicate_resolution resolve(const std::vector<std::uint32_t>& order, std::size_t e, std::size_t f,
                               duplicate_policy policy, std::vector<bool>& keep, ratings_summary& summary) {
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
      if (2 * remainder > count || (2 * remainder == count && columns_.level[last] > floor_level)) level = floor_level + 1;
      if (remainder != 0) ++summary.means_rounded;
      columns_.level[last] = static_cast<std::uint8_t>(level);
    }
    out.level = columns_.level[last];
    ++summary.duplicate_groups;
    summary.duplicate_rows_dropped += static_cast<std::size_t>(count - 1);
    return out;
  }

  static void link_people(ratings_table& table) {
    table.rater_as_ratee_.assign(table.raters_.size(), ratings_table::no_id);
    table.ratee_as_rater_.assign(table.ratees_.size(), ratings_table::no_id);
    for (std::uint32_t r = 0; r < table.raters_.size(); ++r)
      if (const auto ratee = table.ratees_.find(table.raters_[r])) {
        table.rater_as_ratee_[r] = *ratee;
        table.ratee_as_rater_[*ratee] = r;
      }
  }

  static void collect_ratee_periods(ratings_table& table) {
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

  static void count(const ratings_table& table, ratings_summary& summary) {
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
    }
  }

  static std::string quote(std::string_view text) {
    constexpr std::size_t max_bytes = 40;
    if (text.size() <= max_bytes) return std::string(text);
    std::size_t cut = max_bytes;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    return std::string(text.substr(0, cut)) + "...";
  }

  static bool equal_ignoring_case(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
      const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
      if (lower(a[i]) != lower(b[i])) return false;
    }
    return true;
  }

  template <typename Items>
  static std::string id_list(const Items& items) {
    constexpr std::size_t max_listed = 20;
    std::string out;
    for (std::size_t i = 0; i < items.size() && i < max_listed; ++i) out += (i ? ", " : "") + items[i].id;
    if (items.size() > max_listed) out += ", ... (" + std::to_string(items.size()) + " in all)";
    return out;
  }

  static std::string role_list() {
    std::string out;
    for (rater_role role : all_rater_roles) out += (out.empty() ? "" : ", ") + std::string(to_string(role));
    return out;
  }

  std::shared_ptr<const calibra::framework> framework_;
  std::string source_;
  std::unordered_map<std::string_view, std::uint32_t> competency_of_;  // views into *framework_
  std::unordered_map<std::string_view, int> ordinal_of_;
  std::unordered_map<std::string_view, std::uint32_t> career_level_of_;

  name_table ratees_, raters_, periods_;
  detail::column_store columns_;
  std::vector<std::string> ignored_columns_;
};

}  // namespace calibra::calibration
