// Long-form ratings JSON: an array of flat objects, read with nlohmann's
// SAX interface so that memory follows the table, not a DOM of the file.
#include <calibra/error.hpp>
#include <calibra/io/ratings.hpp>

#include "csv_tokenizer.hpp"
#include "json_syntax.hpp"
#include "message_text.hpp"
#include "ratings_columns.hpp"
#include "read_file.hpp"
#include "strict_json.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <string>
#include <vector>

namespace calibra {
namespace {

using json = nlohmann::json;
using calibration::rating_text;
using calibration::ratings_columns;

constexpr std::size_t not_a_column = ratings_columns.size();
constexpr std::size_t an_attribute = ratings_columns.size() + 1;
constexpr std::size_t a_competency = ratings_columns.size() + 2;  // wide form: a key named after a competency
constexpr std::size_t competency_field = 3;
static_assert(ratings_columns[competency_field] == "competency");
constexpr std::size_t level_field = 4;
static_assert(ratings_columns[level_field] == "level");
constexpr std::size_t evidence_field = 9;
static_assert(ratings_columns[evidence_field] == "evidence");

std::string_view rating_text::*const slots[] = {
    &rating_text::ratee,      &rating_text::rater,        &rating_text::role,
    &rating_text::competency, &rating_text::level,        &rating_text::period,
    &rating_text::career_level, &rating_text::track,      &rating_text::outcome,  &rating_text::evidence,
};
static_assert(sizeof(slots) / sizeof(slots[0]) == ratings_columns.size());

/// Receives the parse events of the document, one row object at a time.
/// A problem in a row is recorded and the row left out; the parse goes on
/// to the next row until the list of problems is full.
class rating_rows {
 public:
  rating_rows(std::string_view text, calibration::ratings_builder& builder, const std::string& source,
              const ratings_options& options, detail::problem_list& problems)
      : text_(text), builder_(builder), source_(source), options_(options), problems_(problems) {}

  std::size_t rows() const { return row_; }
  const std::vector<std::string>& attribute_keys() const { return attributes_; }
  const std::vector<std::string>& nested_keys() const { return nested_; }
  const std::vector<std::string>& ignored_keys() const { return ignored_; }

  // -- values -------------------------------------------------------------------
  bool null() {
    return guard([&] {
      if (skip()) return true;
      if (depth_ != in_row) return top_level_value("null");
      if (field_ == an_attribute) return true;
      if (field_ == a_competency) return true;  // null: not rated
      if (field_ < calibration::required_ratings_columns)
        fail_field("null; expected " + std::string(field_ == level_field ? "a level" : "a string"));
      given_[field_] = false;  // an optional key with null is not given
      return true;
    });
  }
  bool boolean(bool value) {
    return guard([&] {
      if (skip()) return true;
      if (depth_ == in_row && field_ == an_attribute) return attribute(value ? "true" : "false");
      return scalar("a boolean");
    });
  }
  bool number_integer(json::number_integer_t value) { return guard([&] { return integer(std::to_string(value)); }); }
  bool number_unsigned(json::number_unsigned_t value) { return guard([&] { return integer(std::to_string(value)); }); }
  bool number_float(json::number_float_t, const json::string_t& text) {
    return guard([&] {
      if (skip()) return true;
      if (depth_ == in_row && field_ == an_attribute) return attribute(text);
      if (depth_ == in_row && (field_ == level_field || field_ == a_competency))
        fail_field(text + "; expected a level id, label or whole 1-based ordinal");
      return scalar("a number");
    });
  }
  bool string(json::string_t& value) {
    return guard([&] {
      if (skip()) return true;
      if (depth_ != in_row) return top_level_value("a string");
      detail::check_cell_bytes(value, "ratings", [&] { return where(); });
      if (field_ == an_attribute) return attribute(std::string(detail::trim(value)));
      if (field_ == a_competency) {
        wide_cells_.back().second = std::move(value);
        return true;
      }
      cells_[field_] = field_ == evidence_field ? std::string(detail::trim(value)) : std::move(value);
      return true;
    });
  }
  bool binary(json::binary_t&) { return guard([&] { return scalar("binary data"); }); }

  // -- structure ----------------------------------------------------------------
  bool start_object(std::size_t) {
    return guard([&] {
      if (skip() || skipping_value()) return begin_skip();
      if (depth_ == top) fail_document("an object");
      if (depth_ == in_row) {
        if (field_ == an_attribute) return nested_value();
        begin_skip();
        fail_field("an object; expected a " + expected_value());
      }
      ++row_;
      depth_ = in_row;
      broken_ = false;
      given_.fill(false);
      seen_keys_.clear();
      for (auto& cell : attribute_cells_) cell.clear();
      row_attribute_keys_.clear();
      wide_cells_.clear();
      wide_keys_.clear();
      return true;
    });
  }
  bool key(json::string_t& name) {
    return guard([&] {
      if (skip()) return true;
      // Until the key is known to select a column or an attribute, its value
      // is skipped: a key that fails (repeated, a second name for a column,
      // too long to keep) or is ignored must not have its value stored.
      skip_next_value_ = true;
      for (const auto& seen : seen_keys_)
        if (seen == name) {
          throw validation_error("ratings", at_row() + ", column '" + detail::echo(name) +
                                                "': the key appears twice in one object; expected each key once");
        }
      seen_keys_.push_back(name);
      field_ = not_a_column;
      for (std::size_t f = 0; f < ratings_columns.size(); ++f)
        if (ratings_columns[f] == name) field_ = f;
      for (const auto& [alias, column] : calibration::ratings_column_aliases)
        if (alias == name)
          for (std::size_t f = 0; f < ratings_columns.size(); ++f)
            if (ratings_columns[f] == column) field_ = f;
      if (field_ != not_a_column && given_[field_]) {
        throw validation_error("ratings", at_row() + ", column '" + detail::echo(name) + "': gives the same column as '" +
                                              std::string(ratings_columns[field_]) + "'; expected one of them");
      }
      if (field_ == not_a_column) {
        if (const auto c = detail::competency_of_column(builder_.framework(), name)) {
          // Wide form: a key named after a competency (id or name) holds its level.
          for (const auto& [other, key] : wide_keys_)
            if (other == *c)
              throw validation_error("ratings", at_row() + ", column '" + detail::echo(name) +
                                                    "': gives the same competency as '" + detail::echo(key) +
                                                    "'; expected one key per competency");
          skip_next_value_ = false;
          field_ = a_competency;
          wide_keys_.emplace_back(*c, name);
          wide_cells_.emplace_back(*c, std::string());
          return true;
        }
      }
      if (field_ == not_a_column) {
        // A key a CSV header could not hold (blank, or with spaces around
        // it) is dropped like an ignored column, so the table writes back.
        if (options_.ignore_unknown_columns || name.empty() || detail::trim(name) != name) {
          if (std::find(ignored_.begin(), ignored_.end(), name) == ignored_.end()) {
            ignored_.push_back(name);
            builder_.note_ignored_column(name);
          }
          return true;
        }
        detail::check_cell_bytes(name, "ratings", [&] { return at_row() + ", a key"; });
        skip_next_value_ = false;
        field_ = an_attribute;
        row_attribute_keys_.push_back(name);
        attribute_ = builder_.attribute_column(name);
        if (attribute_ >= attributes_.size()) attributes_.push_back(name);
        if (attribute_cells_.size() <= attribute_) attribute_cells_.resize(attribute_ + 1);
        return true;
      }
      given_[field_] = true;
      skip_next_value_ = false;
      return true;
    });
  }
  bool end_object() {
    return guard([&] {
      if (skip()) return end_skip();
      depth_ = in_array;
      if (broken_) return true;
      if (!wide_keys_.empty()) return wide_row();
      for (std::size_t f = 0; f < calibration::required_ratings_columns; ++f)
        if (!given_[f]) {
          // An extra key of the row is then most likely the missing one, misspelt.
          for (const std::string& key : row_attribute_keys_)
            record(validation_error("ratings", at_row() + ", column '" + detail::echo(key) +
                                                   "': unknown key, and a required key is missing; expected the keys " +
                                                   key_list() + " (? marks optional keys)"),
                   key);
          throw validation_error("ratings", at_row() + ", column '" + std::string(ratings_columns[f]) +
                                                "': missing required key; expected the keys " + key_list() +
                                                " (? marks optional keys)");
        }
      rating_text r;
      for (std::size_t f = 0; f < ratings_columns.size(); ++f)
        if (given_[f]) r.*slots[f] = cells_[f];
      r.attributes.assign(attribute_cells_.begin(), attribute_cells_.end());
      builder_.add_text(r, row_);
      return true;
    });
  }
  bool start_array(std::size_t) {
    return guard([&] {
      if (skip() || skipping_value()) return begin_skip();
      if (depth_ == in_array) {
        ++row_;
        begin_skip();
        fail_here(source_ + ": row " + std::to_string(row_) + ": found an array; expected an object with the keys " +
                  key_list());
      }
      if (depth_ == in_row) {
        if (field_ == an_attribute) return nested_value();
        begin_skip();
        fail_field("an array; expected a " + expected_value());
      }
      depth_ = in_array;
      return true;
    });
  }
  bool end_array() {
    return guard([&] {
      if (skip()) return end_skip();
      depth_ = done;
      return true;
    });
  }

  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& e) {
    detail::throw_invalid_json(text_, "ratings", source_, position, e.what(),
                               row_ > 0 && depth_ != done ? " (in row " + std::to_string(row_) + ")" : std::string());
  }

 private:
  enum depth { top, in_array, in_row, done };

  /// A problem that ends the reading: the document is not an array of rows.
  struct fatal {};

  /// Runs one event; a problem in a row is recorded, the row is marked as
  /// broken, and the parse goes on while the list has room.
  template <typename F>
  bool guard(F&& f) {
    try {
      return f();
    } catch (const calibra::error& e) {
      problems_.add(e, depth_ == top ? 0 : row_, depth_ == in_row ? column_name() : std::string());
      broken_ = true;
      if (fatal_) return false;
      return !problems_.full();
    }
  }

  /// Records a problem that does not end the row's reading.
  void record(const validation_error& e, const std::string& column) {
    try {
      throw e;
    } catch (const calibra::error& thrown) {
      problems_.add(thrown, row_, column);
    }
  }

  /// Ends an object of the wide form: one rating per competency key with a level.
  bool wide_row() {
    if (given_[competency_field] || given_[level_field])
      throw validation_error("ratings", at_row() + ", column '" +
                                            std::string(ratings_columns[given_[competency_field] ? competency_field
                                                                                                : level_field]) +
                                            "': the object has keys named after competencies ('" +
                                            detail::echo(wide_keys_.front().second) +
                                            "'), so it is in wide form, where the competency and level keys have "
                                            "no place; expected one form per object");
    bool ok = true;
    for (const std::string& key : row_attribute_keys_)
      if (std::find(options_.attribute_columns.begin(), options_.attribute_columns.end(), key) ==
          options_.attribute_columns.end()) {
        record(validation_error("ratings", at_row() + ", column '" + detail::echo(key) + "': " +
                                               detail::wide_unknown_column_message(builder_.framework(), key)),
               key);
        ok = false;
      }
    for (std::size_t f = 0; f < calibration::required_ratings_columns; ++f) {
      if (given_[f] || f == competency_field || f == level_field) continue;
      record(validation_error("ratings", at_row() + ", column '" + std::string(ratings_columns[f]) +
                                             "': missing required key; an object in wide form has the keys ratee, "
                                             "rater, role and period, then one key per competency"),
             std::string(ratings_columns[f]));
      ok = false;
    }
    if (!ok) return !problems_.full();
    rating_text r;
    for (std::size_t f = 0; f < ratings_columns.size(); ++f)
      if (given_[f]) r.*slots[f] = cells_[f];
    r.attributes.assign(attribute_cells_.begin(), attribute_cells_.end());
    for (std::size_t k = 0; k < wide_cells_.size() && !problems_.full(); ++k) {
      if (wide_cells_[k].second.empty()) continue;  // an empty string: not rated
      r.competency = builder_.framework().competencies()[wide_cells_[k].first].id;
      r.level = wide_cells_[k].second;
      r.level_column = wide_keys_[k].second;
      builder_.add_text(r, row_);
    }
    return !problems_.full();
  }

  std::string column_name() const {
    if (field_ < ratings_columns.size()) return std::string(ratings_columns[field_]);
    if (field_ == a_competency && !wide_keys_.empty()) return wide_keys_.back().second;
    if (field_ == an_attribute) return attributes_[attribute_];
    return {};
  }
  std::string at_row() const { return source_ + ": row " + std::to_string(row_); }
  std::string where() const { return at_row() + ", column '" + detail::echo(column_name()) + "'"; }
  std::string expected_value() const {
    return field_ == level_field || field_ == a_competency ? "level id, label or 1-based ordinal" : "string";
  }
  static std::string key_list() {
    std::string out;
    for (std::size_t c = 0; c < ratings_columns.size(); ++c)
      out += (c ? ", " : "") + std::string(ratings_columns[c]) + (c < calibration::required_ratings_columns ? "" : "?");
    return out;
  }

  [[noreturn]] void fail_here(const std::string& message) const { throw validation_error("ratings", message); }
  [[noreturn]] void fail_field(const std::string& found) const {
    throw validation_error("ratings", where() + ": found " + found);
  }
  [[noreturn]] void fail_row(const std::string& found) {
    ++row_;  // the element takes a row's place, so the next row keeps its number
    throw validation_error("ratings", source_ + ": row " + std::to_string(row_) + ": found " + found +
                                          "; expected an object with the keys " + key_list());
  }
  [[noreturn]] void fail_document(const std::string& found) {
    fatal_ = true;
    throw validation_error("ratings", source_ + ": the document is " + found +
                                          "; expected an array of rating objects");
  }
  bool top_level_value(const std::string& found) {
    if (depth_ == top) fail_document(found);
    fail_row(found);
  }
  bool scalar(const std::string& found) {
    if (skip()) return true;
    if (depth_ != in_row) return top_level_value(found);
    fail_field(found + "; expected a " + expected_value());
  }
  bool integer(const std::string& digits) {
    if (skip()) return true;
    if (depth_ == in_row && field_ == an_attribute) return attribute(digits);
    if (depth_ == in_row && field_ == level_field) {
      cells_[field_] = digits;
      return true;
    }
    if (depth_ == in_row && field_ == a_competency) {
      wide_cells_.back().second = digits;
      return true;
    }
    return scalar("a number");
  }
  bool attribute(std::string value) {
    attribute_cells_[attribute_] = std::move(value);
    return true;
  }
  /// An object or array under an extra key: not kept, and named in a warning.
  bool nested_value() {
    if (std::find(nested_.begin(), nested_.end(), attributes_[attribute_]) == nested_.end())
      nested_.push_back(attributes_[attribute_]);
    return begin_skip();
  }

  // Values of ignored keys are skipped whole, however deeply nested.
  bool skip() {
    if (skip_next_value_ && skip_depth_ == 0) {
      // A scalar value of an ignored key: consume it.
      skip_next_value_ = false;
      return true;
    }
    return skip_depth_ > 0;
  }
  bool skipping_value() const { return skip_next_value_; }
  bool begin_skip() {
    skip_next_value_ = false;
    ++skip_depth_;
    return true;
  }
  bool end_skip() {
    --skip_depth_;
    return true;
  }

  std::string_view text_;
  calibration::ratings_builder& builder_;
  const std::string& source_;
  const ratings_options& options_;
  detail::problem_list& problems_;
  depth depth_ = top;
  std::size_t row_ = 0;
  std::size_t field_ = not_a_column;
  std::size_t attribute_ = 0;
  bool broken_ = false;
  bool fatal_ = false;
  std::array<std::string, ratings_columns.size()> cells_;
  std::array<bool, ratings_columns.size()> given_{};
  std::vector<std::string> seen_keys_;
  std::vector<std::string> ignored_;
  std::vector<std::string> attributes_;       // attribute keys, by the builder's attribute index
  std::vector<std::string> attribute_cells_;  // this row's attribute values
  std::vector<std::string> nested_;           // attribute keys seen with an object or array value
  std::vector<std::string> row_attribute_keys_;  // this row's attribute keys
  std::vector<std::pair<std::size_t, std::string>> wide_keys_;   // wide form: (competency, key) of this row
  std::vector<std::pair<std::size_t, std::string>> wide_cells_;  // wide form: (competency, level) of this row
  bool skip_next_value_ = false;
  std::size_t skip_depth_ = 0;
};

calibration::ratings_table read_json(std::string_view text, std::shared_ptr<const framework> fw,
                                     const std::string& source, const ratings_options& options) {
  const detail::strict_json_format format{"ratings", source, max_ratings_file_bytes, "ratings files",
                                          "a JSON array of rating objects"};
  // The table is built while the text streams through the SAX parser, so
  // only the checks before the parse are shared with the DOM readers.
  detail::check_json_text(text, format);
  calibration::ratings_builder builder(std::move(fw), source);
  for (const auto& [name, role] : options.roles) builder.map_role(name, role);
  detail::problem_list problems("ratings", source);
  builder.collect_problems(&problems);
  rating_rows rows(text, builder, source, options, problems);
  try {
    json::sax_parse(text.begin(), text.end(), &rows);
    // A NUL inside a string fails above, with its row; one outside every
    // string ends nlohmann's input silently, so a parse that succeeded with
    // a NUL left in the text stopped early.
    if (!problems.full()) detail::reject_nul_byte(text, "ratings", source);
  } catch (const calibra::error& e) {
    problems.add(e, rows.rows());  // invalid JSON: nothing after it can be read
  }
  if (rows.rows() == 0 && problems.empty())
    throw parse_error("ratings", source + ": the array holds no ratings; expected one object per rating");
  if (!rows.attribute_keys().empty()) builder.warn(detail::extra_columns_warning(rows.attribute_keys(), "keys"));
  if (!options.ignore_unknown_columns && !rows.ignored_keys().empty()) {
    std::string list;
    for (const auto& key : rows.ignored_keys()) list += (list.empty() ? "'" : ", '") + detail::echo(key) + "'";
    builder.warn("keys that are blank or have spaces around them, dropped: " + list);
  }
  if (!rows.nested_keys().empty()) {
    std::string list;
    for (const auto& key : rows.nested_keys()) list += (list.empty() ? "'" : ", '") + detail::echo(key) + "'";
    builder.warn("keys holding an object or an array on some rows, whose value there is not kept: " + list);
  }
  if (problems.full()) problems.raise();
  calibration::ratings_table table = builder.finish(options.duplicates);
  problems.raise();
  return table;
}

}  // namespace

calibration::ratings_table read_ratings_json_text(std::string_view text, std::shared_ptr<const framework> fw,
                                                  const std::string& source_name, const ratings_options& options) {
  return read_json(text, std::move(fw), source_name, options);
}

calibration::ratings_table read_ratings_json_text(std::string_view text, const framework& fw,
                                                  const std::string& source_name, const ratings_options& options) {
  return read_json(text, std::make_shared<const framework>(fw), source_name, options);
}

calibration::ratings_table read_ratings_json(const std::string& path, std::shared_ptr<const framework> fw,
                                             const ratings_options& options) {
  const std::string text = detail::read_file(path, max_ratings_file_bytes, "ratings");
  return read_json(text, std::move(fw), path, options);
}

calibration::ratings_table read_ratings_json(const std::string& path, const framework& fw,
                                             const ratings_options& options) {
  return read_ratings_json(path, std::make_shared<const framework>(fw), options);
}

}  // namespace calibra
