// Long-form ratings JSON: an array of flat objects, read with nlohmann's
// SAX interface so that memory follows the table, not a DOM of the file.
#include <calibra/error.hpp>
#include <calibra/io/ratings.hpp>

#include "csv_tokenizer.hpp"
#include "json_syntax.hpp"
#include "read_file.hpp"
#include "strict_json.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <string>
#include <vector>

namespace calibra {
namespace {

using json = nlohmann::json;
using calibration::rating_text;
using calibration::ratings_columns;

constexpr std::size_t not_a_column = ratings_columns.size();
constexpr std::size_t level_field = 4;
static_assert(ratings_columns[level_field] == "level");

std::string_view rating_text::*const slots[] = {
    &rating_text::ratee,      &rating_text::rater,        &rating_text::role,
    &rating_text::competency, &rating_text::level,        &rating_text::period,
    &rating_text::career_level, &rating_text::track,      &rating_text::outcome,
};
static_assert(sizeof(slots) / sizeof(slots[0]) == ratings_columns.size());

/// Receives the parse events of the document, one row object at a time.
class rating_rows {
 public:
  rating_rows(std::string_view text, calibration::ratings_builder& builder, const std::string& source,
              const ratings_options& options)
      : text_(text), builder_(builder), source_(source), options_(options) {}

  std::size_t rows() const { return row_; }

  // -- values -------------------------------------------------------------------
  bool null() {
    if (skip()) return true;
    if (depth_ != in_row) return top_level_value("null");
    if (field_ < calibration::required_ratings_columns)
      fail_field("null; expected " + std::string(field_ == level_field ? "a level" : "a string"));
    given_[field_] = false;  // an optional key with null is not given
    return true;
  }
  bool boolean(bool) { return scalar("a boolean"); }
  bool number_integer(json::number_integer_t value) { return integer(std::to_string(value)); }
  bool number_unsigned(json::number_unsigned_t value) { return integer(std::to_string(value)); }
  bool number_float(json::number_float_t, const json::string_t& text) {
    if (skip()) return true;
    if (depth_ == in_row && field_ == level_field)
      fail_field(text + "; expected a level id, label or whole 1-based ordinal");
    return scalar("a number");
  }
  bool string(json::string_t& value) {
    if (skip()) return true;
    if (depth_ != in_row) return top_level_value("a string");
    detail::check_cell_bytes(value, "ratings", [&] { return where(); });
    cells_[field_] = std::move(value);
    return true;
  }
  bool binary(json::binary_t&) { return scalar("binary data"); }

  // -- structure ----------------------------------------------------------------
  bool start_object(std::size_t) {
    if (skip() || skipping_value()) return begin_skip();
    if (depth_ == top) fail_document("an object");
    if (depth_ == in_row) fail_field("an object; expected a " + expected_value());
    ++row_;
    depth_ = in_row;
    given_.fill(false);
    seen_keys_.clear();
    return true;
  }
  bool key(json::string_t& name) {
    if (skip()) return true;
    for (const auto& seen : seen_keys_)
      if (seen == name)
        throw validation_error("ratings", at_row() + ", column '" + detail::echo(name) +
                                              "': the key appears twice in one object; expected each key once");
    seen_keys_.push_back(name);
    field_ = not_a_column;
    for (std::size_t f = 0; f < ratings_columns.size(); ++f)
      if (ratings_columns[f] == name) field_ = f;
    if (field_ == not_a_column) {
      if (!options_.ignore_unknown_columns)
        throw validation_error("ratings", at_row() + ", column '" + detail::echo(name) +
                                              "': unknown key; expected the keys " + key_list() +
                                              " (? marks optional keys), or set the option to ignore unknown "
                                              "columns");
      bool noted = false;
      for (const auto& ignored : ignored_)
        noted = noted || ignored == name;
      if (!noted) {
        ignored_.push_back(name);
        builder_.note_ignored_column(name);
      }
      skip_next_value_ = true;
      return true;
    }
    given_[field_] = true;
    return true;
  }
  bool end_object() {
    if (skip()) return end_skip();
    for (std::size_t f = 0; f < calibration::required_ratings_columns; ++f)
      if (!given_[f])
        throw validation_error("ratings", at_row() + ", column '" + std::string(ratings_columns[f]) +
                                              "': missing required key; expected the keys " + key_list() +
                                              " (? marks optional keys)");
    rating_text r;
    for (std::size_t f = 0; f < ratings_columns.size(); ++f)
      if (given_[f]) r.*slots[f] = cells_[f];
    builder_.add_text(r, row_);
    depth_ = in_array;
    return true;
  }
  bool start_array(std::size_t) {
    if (skip() || skipping_value()) return begin_skip();
    if (depth_ == in_array) fail_row("an array");
    if (depth_ == in_row) fail_field("an array; expected a " + expected_value());
    depth_ = in_array;
    return true;
  }
  bool end_array() {
    if (skip()) return end_skip();
    depth_ = done;
    return true;
  }

  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& e) {
    detail::throw_invalid_json(text_, "ratings", source_, position, e.what(),
                               row_ > 0 && depth_ != done ? " (in row " + std::to_string(row_) + ")" : std::string());
  }

 private:
  enum depth { top, in_array, in_row, done };

  std::string at_row() const { return source_ + ": row " + std::to_string(row_); }
  std::string where() const { return at_row() + ", column '" + std::string(ratings_columns[field_]) + "'"; }
  std::string expected_value() const {
    return field_ == level_field ? "level id, label or 1-based ordinal" : "string";
  }
  static std::string key_list() {
    std::string out;
    for (std::size_t c = 0; c < ratings_columns.size(); ++c)
      out += (c ? ", " : "") + std::string(ratings_columns[c]) + (c < calibration::required_ratings_columns ? "" : "?");
    return out;
  }

  [[noreturn]] void fail_field(const std::string& found) const {
    throw validation_error("ratings", where() + ": found " + found);
  }
  [[noreturn]] void fail_row(const std::string& found) const {
    throw validation_error("ratings", source_ + ": row " + std::to_string(row_ + 1) + ": found " + found +
                                          "; expected an object with the keys " + key_list());
  }
  [[noreturn]] void fail_document(const std::string& found) const {
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
    if (depth_ == in_row && field_ == level_field) {
      cells_[field_] = digits;
      return true;
    }
    return scalar("a number");
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
  depth depth_ = top;
  std::size_t row_ = 0;
  std::size_t field_ = not_a_column;
  std::array<std::string, ratings_columns.size()> cells_;
  std::array<bool, ratings_columns.size()> given_{};
  std::vector<std::string> seen_keys_;
  std::vector<std::string> ignored_;
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
  rating_rows rows(text, builder, source, options);
  json::sax_parse(text.begin(), text.end(), &rows);
  // A NUL inside a string fails above, with its row; one outside every
  // string ends nlohmann's input silently, so a parse that succeeded with
  // a NUL left in the text stopped early.
  detail::reject_nul_byte(text, "ratings", source);
  if (rows.rows() == 0)
    throw parse_error("ratings", source + ": the array holds no ratings; expected one object per rating");
  return builder.finish(options.duplicates);
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
