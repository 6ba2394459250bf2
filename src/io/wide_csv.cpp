#include <calibra/error.hpp>
#include <calibra/io/wide_csv.hpp>

#include "read_file.hpp"

#include <charconv>
#include <cmath>
#include <limits>
#include <optional>
#include <system_error>
#include <unordered_map>

namespace calibra {
namespace detail {
namespace {

constexpr std::size_t max_echo_bytes = 40;

/// Offset of the first byte that breaks UTF-8 (overlongs, surrogates and
/// code points above U+10FFFF included), or npos when `text` is valid.
std::size_t invalid_utf8_offset(std::string_view text) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t size = text.size();
  std::size_t i = 0;
  while (i < size) {
    const unsigned char lead = bytes[i];
    if (lead < 0x80) {
      ++i;
      continue;
    }
    std::size_t length = 0;
    unsigned char low = 0x80, high = 0xBF;  // allowed range of the second byte
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      if (lead == 0xE0) low = 0xA0;   // no overlongs
      if (lead == 0xED) high = 0x9F;  // no surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      if (lead == 0xF0) low = 0x90;
      if (lead == 0xF4) high = 0x8F;  // nothing above U+10FFFF
    } else {
      return i;
    }
    if (i + length > size) return i;
    if (bytes[i + 1] < low || bytes[i + 1] > high) return i;
    for (std::size_t k = 2; k < length; ++k)
      if (bytes[i + k] < 0x80 || bytes[i + k] > 0xBF) return i;
    i += length;
  }
  return std::string_view::npos;
}

/// `text` cut to a readable length for a message, on a character boundary.
std::string echo(std::string_view text) {
  if (text.size() <= max_echo_bytes) return std::string(text);
  std::size_t cut = max_echo_bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return std::string(text.substr(0, cut)) + "...";
}

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

/// One field of a CSV record, as the cursor returns it.
struct csv_field {
  std::string_view value;  // unquoted, "" already undoubled
  std::size_t line = 0;    // line on which the field starts
  bool ends_record = false;
};

/// Walks RFC 4180 text one field at a time, without splitting it into rows
/// first, so a huge line costs no more than its own bytes.
class csv_cursor {
 public:
  csv_cursor(std::string_view text, const std::string& source) : text_(text), source_(source) {}

  /// Skips completely empty lines; false when nothing but them remains.
  bool next_record() {
    while (pos_ < text_.size()) {
      if (text_[pos_] == '\n') {
        ++pos_;
        ++line_;
      } else if (text_[pos_] == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n') {
        pos_ += 2;
        ++line_;
      } else {
        return true;
      }
    }
    return false;
  }

  std::size_t line() const { return line_; }

  /// Reads the next field of the current record.  `column` (1-based) and
  /// `label()` (e.g. " (rater 'x')", built only for a message) say where.
  template <typename Label>
  csv_field next_field(std::size_t column, const Label& label) {
    csv_field field;
    field.line = line_;
    if (pos_ < text_.size() && text_[pos_] == '"') {
      read_quoted(field, where(line_, column) + label());
    } else {
      const std::size_t start = pos_;
      while (pos_ < text_.size()) {
        const char c = text_[pos_];
        if (c == ',' || c == '\n') break;
        if (c == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n') break;
        if (c == '"')
          throw parse_error("csv", where(line_, column) + label() +
                                       ": a double quote inside an unquoted cell; expected the whole cell in "
                                       "quotes with inner quotes doubled (\"\")");
        ++pos_;
      }
      field.value = text_.substr(start, pos_ - start);
    }
    field.ends_record = finish_field();
    return field;
  }

  std::string where(std::size_t line, std::size_t column) const {
    return source_ + ", line " + std::to_string(line) + ", column " + std::to_string(column);
  }

 private:
  void read_quoted(csv_field& field, const std::string& location) {
    ++pos_;  // opening quote
    buffer_.clear();
    std::size_t run_start = pos_;
    for (;;) {
      if (pos_ >= text_.size())
        throw parse_error("csv", location + ": a quoted cell is never closed; expected a closing double quote");
      const char c = text_[pos_];
      if (c == '"') {
        buffer_.append(text_.data() + run_start, pos_ - run_start);
        if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {
          buffer_.push_back('"');
          pos_ += 2;
          run_start = pos_;
          continue;
        }
        ++pos_;  // closing quote
        break;
      }
      if (c == '\n') ++line_;
      ++pos_;
    }
    if (pos_ < text_.size()) {
      const char c = text_[pos_];
      const bool crlf = c == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n';
      if (c != ',' && c != '\n' && !crlf)
        throw parse_error("csv", location + ": text after the closing quote of a quoted cell; expected a comma or the "
                                     "end of the line");
    }
    field.value = buffer_;
  }

  /// Consumes the delimiter after a field; true when it ended the record.
  bool finish_field() {
    if (pos_ >= text_.size()) return true;
    if (text_[pos_] == ',') {
      ++pos_;
      return false;
    }
    pos_ += text_[pos_] == '\r' ? 2 : 1;  // "\n" or "\r\n"
    ++line_;
    return true;
  }

  std::string_view text_;
  const std::string& source_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
  std::string buffer_;
};

/// Bytes every field must pass: no NUL, valid UTF-8.  `where()` builds the
/// location only when there is something to report.
template <typename Where>
void check_bytes(std::string_view value, const Where& where) {
  if (const auto nul = value.find('\0'); nul != std::string_view::npos)
    throw parse_error("csv", where() + ": contains a NUL byte (offset " + std::to_string(nul + 1) +
                                 " in the cell); expected text");
  if (const auto bad = invalid_utf8_offset(value); bad != std::string_view::npos)
    throw parse_error("csv", where() + ": invalid UTF-8 (byte " + std::to_string(bad + 1) +
                                 " of the cell); expected UTF-8 text");
}

template <typename Where>
std::optional<double> parse_rating(std::string_view cell, const Where& where) {
  cell = trim(cell);
  if (cell.empty()) return std::nullopt;
  std::string_view digits = cell;
  if (digits.size() > 1 && digits[0] == '+' && digits[1] != '-') digits.remove_prefix(1);
  double value = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec == std::errc::result_out_of_range)
    throw parse_error("csv", where() + ": '" + echo(cell) + "' is out of the range of a double; expected a rating");
  if (ec != std::errc() || end != digits.data() + digits.size())
    throw parse_error("csv", where() + ": '" + echo(cell) +
                                 "' is not a number; expected a numeric rating, or an empty cell for a missing one");
  if (!std::isfinite(value))
    throw parse_error("csv", where() + ": '" + echo(cell) +
                                 "' is not a finite number; expected a numeric rating, or an empty cell for a "
                                 "missing one");
  return value;
}

}  // namespace
}  // namespace detail

wide_ratings read_wide_csv_text(std::string_view text, const std::string& source_name,
                                const wide_csv_options& options) {
  using detail::check_bytes;
  using detail::echo;
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);

  detail::csv_cursor cursor(text, source_name);
  if (!cursor.next_record())
    throw parse_error("csv", source_name +
                                 ": the file is empty; expected a header row of rater names and one row per unit");

  // Header.
  const std::size_t header_line = cursor.line();
  std::vector<std::string> header;
  std::unordered_map<std::string, std::size_t> column_of_name;
  for (;;) {
    const std::size_t column = header.size() + 1;
    if (column > max_wide_csv_columns)
      throw parse_error("csv", cursor.where(header_line, column) + ": the header has more than " +
                                   std::to_string(max_wide_csv_columns) + " columns, the most calibra reads");
    const detail::csv_field field = cursor.next_field(column, [] { return std::string(); });
    const std::string where = cursor.where(header_line, column);
    check_bytes(field.value, [&] { return where; });
    const std::string_view name = detail::trim(field.value);
    if (name.empty())
      throw parse_error("csv", where + ": empty column name in the header; expected a rater name in every column");
    const auto [it, inserted] = column_of_name.emplace(std::string(name), column);
    if (!inserted)
      throw parse_error("csv", where + ": duplicate column name '" + echo(name) + "' (also column " +
                                   std::to_string(it->second) + "); expected one column per rater");
    header.emplace_back(name);
    if (field.ends_record) break;
  }

  std::optional<std::size_t> unit_index;  // 0-based column of unit ids
  if (!options.unit_column.empty()) {
    const auto it = column_of_name.find(options.unit_column);
    if (it == column_of_name.end()) {
      std::string names;
      for (std::size_t c = 0; c < header.size() && c < 20; ++c) names += (c ? ", '" : "'") + echo(header[c]) + "'";
      if (header.size() > 20) names += ", ...";
      throw parse_error("csv", source_name + ", line " + std::to_string(header_line) + ": no column named '" +
                                   echo(options.unit_column) + "' for the unit identifiers; the header has " +
                                   names);
    }
    unit_index = it->second - 1;
  }

  const std::size_t columns = header.size();
  const std::size_t rater_columns = columns - (unit_index ? 1 : 0);
  if (rater_columns < 2)
    throw parse_error("csv", source_name + ", line " + std::to_string(header_line) + ": only " +
                                 std::to_string(rater_columns) +
                                 " rater column, so no pair of raters can be compared; expected one column per "
                                 "rater and at least two raters");

  wide_ratings out;
  for (std::size_t c = 0; c < columns; ++c)
    if (!(unit_index && c == *unit_index)) out.raters.push_back(header[c]);
  auto column_label = [&](std::size_t c) {  // 0-based column -> "(rater 'x')" or "(unit column 'x')"
    if (unit_index && c == *unit_index) return " (unit column '" + echo(header[c]) + "')";
    return " (rater '" + echo(header[c]) + "')";
  };

  // Data rows, stored row-major while reading, moved into the matrix at the end.
  std::vector<double> values;
  std::unordered_map<std::string, std::size_t> line_of_unit;
  while (cursor.next_record()) {
    const std::size_t line = cursor.line();
    std::size_t column = 0;
    for (;;) {
      if (column >= columns)
        throw parse_error("csv", cursor.where(line, column + 1) + ": the row has more than the " +
                                     std::to_string(columns) + " columns of the header; expected " +
                                     std::to_string(columns) + " cells per row");
      const detail::csv_field field = cursor.next_field(column + 1, [&] { return column_label(column); });
      const auto where = [&] { return cursor.where(line, column + 1) + column_label(column); };
      check_bytes(field.value, where);
      if (unit_index && column == *unit_index) {
        const std::string_view id = detail::trim(field.value);
        if (id.empty()) throw parse_error("csv", where() + ": empty unit identifier; expected one on every row");
        const auto [it, inserted] = line_of_unit.emplace(std::string(id), line);
        if (!inserted)
          throw parse_error("csv", where() + ": unit '" + echo(id) + "' already appears on line " +
                                       std::to_string(it->second) + "; expected one row per unit");
        out.units.emplace_back(id);
      } else {
        const auto rating = detail::parse_rating(field.value, where);
        values.push_back(rating ? *rating : std::numeric_limits<double>::quiet_NaN());
      }
      ++column;
      if (field.ends_record) break;
    }
    if (column < columns)
      throw parse_error("csv", cursor.where(line, column + 1) + column_label(column) + ": the row has " +
                                   std::to_string(column) + " cells, the header has " + std::to_string(columns) +
                                   "; expected " + std::to_string(columns) +
                                   " cells per row (leave a cell empty for a missing rating)");
    if (!unit_index) out.units.push_back(std::to_string(values.size() / rater_columns));
  }

  const std::size_t units = values.size() / rater_columns;
  if (units == 0)
    throw parse_error("csv", source_name + ", line " + std::to_string(header_line) +
                                 ": there is a header but no data rows; expected one row per unit");
  out.ratings = Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
      values.data(), static_cast<Eigen::Index>(units), static_cast<Eigen::Index>(rater_columns));
  return out;
}

wide_ratings read_wide_csv(const std::string& path, const wide_csv_options& options) {
  const std::string text = detail::read_file(path, max_wide_csv_bytes, "csv");
  return read_wide_csv_text(text, path, options);
}

}  // namespace calibra
