// Ratings in long form -- one row per rating -- validated against a
// framework and stored column by column for the calibration analyses.
//
//   ratee, rater, role, competency, level, period [, career_level, track, outcome, evidence]
//
// plus any further columns of the input, kept as text attributes.
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
//   - role `self` only when the rater is the ratee (a rater id equal to the
//     ratee id under another role is a warning: two people sharing an id).
// docs/ratings-format.md documents the format and every rule.
#pragma once

#include <calibra/config.hpp>
#include <calibra/error.hpp>
#include <calibra/framework/framework.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

namespace calibra::calibration {

// ---- vocabulary ------------------------------------------------------------

/// How the rater stands to the ratee.  `external` is anyone outside the
/// team's own relations (a customer, a student, a partner): a rater who is
/// not the ratee and not their manager, peer, skip-level or review panel.
enum class rater_role : std::uint8_t { self, manager, peer, skip_level, panel, external };

inline constexpr std::size_t rater_role_count = 6;
inline constexpr std::array<rater_role, rater_role_count> all_rater_roles{
    rater_role::self, rater_role::manager, rater_role::peer, rater_role::skip_level, rater_role::panel,
    rater_role::external};

std::string_view to_string(rater_role role);

std::optional<rater_role> parse_rater_role(std::string_view text);

/// What happened at the promotion decision of a period.
enum class promotion_outcome : std::uint8_t { promoted, not_promoted };

std::string_view to_string(promotion_outcome outcome);

std::optional<promotion_outcome> parse_promotion_outcome(std::string_view text);

/// What to do when the same rater rates the same ratee on the same
/// competency in the same period more than once.
enum class duplicate_policy : std::uint8_t {
  error,  // refuse the input, naming both rows (default: a repeat is usually a data-entry mistake)
  last,   // keep the row that comes last in the input, drop the earlier ones
  mean,   // keep one rating whose level is the mean of the repeats rounded to the
          // nearest level; an exact tie between two levels goes to the one nearer
          // the last row's level
};

std::string_view to_string(duplicate_policy policy);

std::optional<duplicate_policy> parse_duplicate_policy(std::string_view text);

/// The column names of the long format, required ones first.
inline constexpr std::array<std::string_view, 10> ratings_columns{
    "ratee", "rater", "role", "competency", "level", "period", "career_level", "track", "outcome", "evidence"};
inline constexpr std::size_t required_ratings_columns = 6;
/// Other names a column may have in a header or a JSON key: (alias, column).
inline constexpr std::array<std::pair<std::string_view, std::string_view>, 1> ratings_column_aliases{
    std::pair<std::string_view, std::string_view>{"comment", "evidence"}};

// ---- periods ---------------------------------------------------------------

/// A period written as a calendar quarter, YYYYQn.
struct quarter_period {
  int year = 0;
  int quarter = 0;  // 1..4
};

/// The quarter a period names, when it is written YYYYQn with n in 1..4.
std::optional<quarter_period> parse_quarter(std::string_view text);

/// Why `text` cannot be a period, or an empty string when it can.  Any
/// non-empty text is a period; text that starts like a quarter (four digits
/// and a Q) must be a whole quarter, so that typos such as 2026Q5 do not
/// silently become periods of their own.  Pass text through
/// normalise_period() first: 2026q3 is then 2026Q3.
std::string period_problem(std::string_view text);

/// The canonical spelling of a quarter written another way: 2026-Q3,
/// 2026 Q3, 2026q3, 2026/Q3, 2026_Q3, Q3 2026, Q3-2026, q3/2026 all become
/// 2026Q3.  Any other text comes back unchanged.
std::string normalise_period(std::string_view text);

/// Whether a period (as normalise_period() returns it) has a place in time:
/// a quarter YYYYQn, a year YYYY, a half year YYYYH1 or YYYYH2, a month
/// YYYY-MM or a date YYYY-MM-DD.  Other periods are ordered by their text,
/// which is not chronological, and the readers warn about them.
bool period_is_ordered(std::string_view text);

/// Period order: quarters chronologically, then any other periods by their
/// text (byte order, which is chronological for ISO dates such as
/// 2026-07-01).  A quarter comes before a period of any other form.
bool period_less(std::string_view a, std::string_view b);

// ---- name tables -----------------------------------------------------------

/// Interned names: dense ids 0..size()-1 in order of first appearance.
/// Lookups by name do not allocate.
class name_table {
 public:
  name_table() = default;
  name_table(const name_table& other) : names_(other.names_) { reindex(); }
  name_table& operator=(const name_table& other);
  // Moving a deque hands over its blocks, so the views in index_ stay valid.
  name_table(name_table&&) = default;
  name_table& operator=(name_table&&) = default;

  std::size_t size() const { return names_.size(); }
  bool empty() const { return names_.empty(); }
  const std::string& operator[](std::uint32_t id) const { return names_[id]; }

  std::optional<std::uint32_t> find(std::string_view name) const;

  /// The id of `name`, adding it when it is new.
  std::uint32_t intern(std::string_view name);

  /// All names, by id.
  std::vector<std::string> names() const { return {names_.begin(), names_.end()}; }

 private:
  void reindex();

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
  std::string_view evidence;      // optional: free text kept with the rating (an `evidence` or `comment` column)
  /// The column the level came from, for messages and for the rule of one
  /// kind of level (absolute or relative) per column; empty means "level".
  /// Wide-form readers name the competency column here.
  std::string_view level_column;
  /// Values of the attribute columns (ratings_builder::attribute_column()), by
  /// attribute index; missing trailing entries are empty.
  std::vector<std::string_view> attributes;
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
  std::string_view evidence;  // optional free text
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
  /// What the reader accepted but the user should know: extra columns kept
  /// as attributes, period spellings normalised or that cannot be ordered,
  /// rater ids equal to the ratee id under a role other than self.
  std::vector<std::string> warnings;

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
  std::size_t rows_with_evidence = 0;
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
  std::vector<std::uint32_t> evidence;                 // 1 + id in the evidence texts, 0 for none
  std::vector<std::vector<std::uint32_t>> attributes;  // per attribute: 1 + id of its value, 0 for empty

  std::size_t size() const { return ratee.size(); }

  /// Applies `f` to every column, so adding a column touches one place.
  template <typename F>
  void for_each(F&& f) {
    f(ratee), f(rater), f(period), f(competency), f(level), f(role), f(career_level), f(track), f(outcome),
        f(source_row), f(evidence);
    for (auto& attribute : attributes) f(attribute);
  }

  void reserve(std::size_t n);

  /// Keeps the rows whose `keep` entry is true, in their order.
  void compact(const std::vector<bool>& keep);
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
  /// The evidence or comment given with the rating; empty when none was.
  const std::string& evidence(std::size_t row) const;

  /// Names of the extra columns kept as attributes, in the order of the input.
  const std::vector<std::string>& attribute_names() const { return attribute_names_; }
  /// The index of an attribute by name.
  std::optional<std::size_t> attribute_index(std::string_view name) const;
  /// The value of attribute `attribute` (an index of attribute_names()) on a row; empty when none.
  const std::string& attribute(std::size_t row, std::size_t attribute) const;

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
  std::optional<std::uint32_t> rater_as_ratee(std::uint32_t rater) const;
  /// The rater id of a ratee who also rates (same name), if any.
  std::optional<std::uint32_t> ratee_as_rater(std::uint32_t ratee) const;

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
  name_table evidence_texts_;
  std::vector<std::string> attribute_names_;
  std::vector<name_table> attribute_values_;
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
  explicit ratings_builder(std::shared_ptr<const calibra::framework> fw, std::string source = "<memory>");

  explicit ratings_builder(const calibra::framework& fw, std::string source = "<memory>")
      : ratings_builder(std::make_shared<const calibra::framework>(fw), std::move(source)) {}

  const std::string& source() const { return source_; }
  std::size_t rows() const { return columns_.size(); }
  const calibra::framework& framework() const { return *framework_; }

  void reserve(std::size_t rows) { columns_.reserve(rows); }

  /// Records a column of the input that the reader ignored (summary only).
  void note_ignored_column(std::string name) { ignored_columns_.push_back(std::move(name)); }

  /// Records a warning for the summary (ratings_summary::warnings).
  void warn(std::string message) { warnings_.push_back(std::move(message)); }

  /// The index of the attribute column `name`, added (empty on the rows so
  /// far) when it is new.  rating_text::attributes fills it by this index.
  std::size_t attribute_column(std::string_view name);

  /// Reads the role name `name` as `role` in add_text(): a team's own role
  /// names (`line-manager`, `student`) mapped to calibra's.
  void map_role(std::string name, rater_role role);

  /// Makes add_text() and finish() record each problem in `problems` and go
  /// on, instead of throwing at the first: a row with a problem is left out,
  /// and finish() reports every rule broken across rows.  The caller raises
  /// the list (detail::problem_list::raise()).  nullptr turns this off.
  void collect_problems(calibra::detail::problem_list* problems) { problems_ = problems; }

  /// How messages point at a cell: `locate(source_row, column)` returns the
  /// start of a message about that row and column (the column's name as the
  /// format knows it; empty for the whole row), e.g. "r.xlsx: Ratings!D7,
  /// column 'level'".  Unset (the default): "<source>: row N, column 'c'".
  /// The XLSX reader sets it so that messages name the sheet and cell.
  void locate_cells(std::function<std::string(std::size_t source_row, std::string_view column)> locate) {
    locate_ = std::move(locate);
  }

  /// Adds a rating given as text.  `source_row` (1-based) locates it in messages.
  void add_text(const rating_text& text, std::size_t source_row);

  /// Adds a resolved rating; it is row rows() + 1 in messages.
  void add(const rating& r) { add(r, rows() + 1); }

  void add(rating r, std::size_t source_row);

  /// Checks the rules across rows, resolves duplicates under `policy` and
  /// hands over the table.  The builder is left empty.
  ratings_table finish(duplicate_policy policy = duplicate_policy::error);

 private:
  template <typename Fail>
  int resolve_level(std::string_view text, const Fail& fail) const;

  std::string unknown_competency(std::string_view text) const;

  /// Rules between the fields of one row: the column at fault and what is
  /// wrong, or an empty message.  Fills in the track of a career level.
  static std::pair<std::string_view, std::string> cross_field_problem(rating& r, const calibra::framework& fw);

  void push(const rating& r, std::size_t source_row);

  /// Renumbers periods so that id order is chronological order.
  void sort_periods_chronologically();

  /// Row indices sorted by (ratee, period, rater, competency, source row),
  /// so that every group the rules talk about is a contiguous run.
  std::vector<std::uint32_t> sorted_order() const;

  /// The start of a message about `column` of source row `source_row` (see locate_cells()).
  std::string at(std::size_t source_row, std::string_view column) const;

  [[noreturn]] void fail_at(std::uint32_t row, std::string_view column, const std::string& message) const;

  /// fail_at(), or when collecting problems, records the problem and returns.
  void report_at(std::uint32_t row, std::string_view column, const std::string& message) const;

  void add_text_or_throw(const rating_text& text, std::size_t source_row);

  /// The warnings about periods and shared ids gathered while adding rows.
  void note_periods_and_ids(ratings_summary& summary) const;

  /// One attribute that must agree across the rows of a (ratee, period).
  template <typename Column, typename Show>
  void check_same(const Column& column, std::uint32_t first, std::uint32_t second, std::string_view name,
                  std::string_view what, const Show& show) const {
    if (!column[first] || !column[second] || *column[first] == *column[second]) return;
    const std::uint32_t earlier = columns_.source_row[first] <= columns_.source_row[second] ? first : second;
    const std::uint32_t later = earlier == first ? second : first;
    report_at(later, name,
            "ratee '" + quote(ratees_[columns_.ratee[later]]) + "' has " + std::string(what) + " '" + show(*column[later]) +
                "' here but '" + show(*column[earlier]) + "' on row " + std::to_string(columns_.source_row[earlier]) +
                " for the same period '" + quote(periods_[columns_.period[later]]) + "'; expected one " + std::string(what) +
                " per ratee and period");
  }

  void check_groups(const std::vector<std::uint32_t>& order, duplicate_policy policy, std::vector<bool>& keep,
                    ratings_summary& summary);

  /// Folds the repeats order[e..f) into their last row.
  duplicate_resolution resolve(const std::vector<std::uint32_t>& order, std::size_t e, std::size_t f,
                               duplicate_policy policy, std::vector<bool>& keep, ratings_summary& summary);

  static void link_people(ratings_table& table);

  static void collect_ratee_periods(ratings_table& table);

  static void count(const ratings_table& table, ratings_summary& summary);

  static std::string quote(std::string_view text);

  static bool equal_ignoring_case(std::string_view a, std::string_view b);

  template <typename Items>
  static std::string id_list(const Items& items) {
    constexpr std::size_t max_listed = 20;
    std::string out;
    for (std::size_t i = 0; i < items.size() && i < max_listed; ++i) out += (i ? ", " : "") + items[i].id;
    if (items.size() > max_listed) out += ", ... (" + std::to_string(items.size()) + " in all)";
    return out;
  }

  static std::string role_list();

  std::shared_ptr<const calibra::framework> framework_;
  std::string source_;
  std::unordered_map<std::string_view, std::uint32_t> competency_of_;  // views into *framework_
  std::unordered_map<std::string_view, int> ordinal_of_;
  std::unordered_map<std::string_view, std::uint32_t> career_level_of_;

  name_table ratees_, raters_, periods_;
  detail::column_store columns_;
  std::vector<std::string> ignored_columns_;
  std::vector<std::string> warnings_;
  name_table evidence_texts_;
  std::vector<std::string> attribute_names_;
  std::vector<name_table> attribute_values_;
  std::vector<std::pair<std::string, rater_role>> role_names_;
  calibra::detail::problem_list* problems_ = nullptr;
  std::function<std::string(std::size_t, std::string_view)> locate_;
  // Readers' notes gathered while adding rows, turned into warnings by finish().
  std::vector<std::pair<std::string, std::string>> normalised_periods_;  // (as written, as read), first few
  bool more_normalised_periods_ = false;
  std::vector<std::string> unordered_periods_;
  std::vector<std::uint32_t> shared_id_rows_;  // rows whose rater id is the ratee id under another role
  std::size_t shared_id_count_ = 0;
  /// The kind of level (relative or absolute) first seen in each rating column.
  struct level_kind {
    std::string column;
    bool relative = false;
    std::uint32_t first_row = 0;
    std::string example;
  };
  std::vector<level_kind> level_kinds_;
  std::size_t relative_levels_ = 0;  // relative levels read
  std::size_t clipped_relative_ = 0; // of which clipped to the scale
};

}  // namespace calibra::calibration

#ifdef CALIBRA_HEADER_ONLY
#  include <calibra/calibration/ratings-inl.hpp>
#endif
