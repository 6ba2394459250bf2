// Internal: the RFC 4180 tokenizer shared by the CSV readers (wide agreement
// CSV, long-form ratings CSV).
//
// The cursor walks the text one field at a time: quoted cells, doubled
// quotes inside them, line breaks inside quotes, LF and CRLF line ends.
// It knows nothing about headers or columns; the reader passes a `locate`
// callable that turns the line a field starts on into the "where" part of a
// message, so each reader keeps its own wording ("line 3, column 2 (rater
// 'bob')", "row 3, column 'level'").  The callable is only invoked when
// there is something to report, so the happy path builds no strings.
#pragma once

#include <calibra/error.hpp>

#include "message_text.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

namespace calibra::detail {

/// Offset of the first byte that breaks UTF-8 (overlongs, surrogates and
/// code points above U+10FFFF included), or npos when `text` is valid.
inline std::size_t invalid_utf8_offset(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    std::uint32_t code_point = 0;
    const std::size_t length = utf8_sequence_at(text, i, code_point);
    if (length == 0) return i;
    i += length;
  }
  return std::string_view::npos;
}

/// Refuses text with carriage returns but no line feed: a file saved with
/// old Mac line ends (CR only) would otherwise read as one long header line.
inline void reject_cr_only_line_ends(std::string_view text, const std::string& subsystem, const std::string& source) {
  if (text.find('\n') == std::string_view::npos && text.find('\r') != std::string_view::npos)
    throw parse_error(subsystem, source + ": the lines end with a carriage return (CR) only, as on old Macs; save "
                                          "the file with LF or CRLF line ends");
}

/// `text` without leading and trailing spaces and tabs.
inline std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

/// One field of a CSV record, as the cursor returns it.
struct csv_field {
  std::string_view value;  // unquoted, "" already undoubled; valid until the next call
  std::size_t line = 0;    // line on which the field starts
  bool ends_record = false;
};

/// Walks RFC 4180 text one field at a time, without splitting it into rows
/// first, so a huge line costs no more than its own bytes.
class csv_cursor {
 public:
  /// `subsystem` is the error id suffix of the reader ("csv", "ratings").
  csv_cursor(std::string_view text, std::string subsystem) : text_(text), subsystem_(std::move(subsystem)) {}

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

  /// The line the cursor is on (1-based).
  std::size_t line() const { return line_; }

  /// Reads the next field of the current record.  `locate(line)` returns
  /// the location prefix of a message about a field starting on `line`.
  template <typename Locate>
  csv_field next_field(const Locate& locate) {
    csv_field field;
    field.line = line_;
    if (pos_ < text_.size() && text_[pos_] == '"') {
      read_quoted(field, locate);
    } else {
      const std::size_t start = pos_;
      while (pos_ < text_.size()) {
        const char c = text_[pos_];
        if (c == ',' || c == '\n') break;
        if (c == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n') break;
        if (c == '"')
          throw parse_error(subsystem_, locate(field.line) +
                                            ": a double quote inside an unquoted cell; expected the whole cell in "
                                            "quotes with inner quotes doubled (\"\")");
        ++pos_;
      }
      field.value = text_.substr(start, pos_ - start);
    }
    field.ends_record = finish_field();
    return field;
  }

 private:
  template <typename Locate>
  void read_quoted(csv_field& field, const Locate& locate) {
    ++pos_;  // opening quote
    buffer_.clear();
    std::size_t run_start = pos_;
    for (;;) {
      if (pos_ >= text_.size())
        throw parse_error(subsystem_,
                          locate(field.line) + ": a quoted cell is never closed; expected a closing double quote");
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
        throw parse_error(subsystem_, locate(field.line) +
                                          ": text after the closing quote of a quoted cell; expected a comma or the "
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
  std::string subsystem_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
  std::string buffer_;
};

/// Bytes every field must pass: no NUL, valid UTF-8.  `where()` builds the
/// location only when there is something to report.
template <typename Where>
void check_cell_bytes(std::string_view value, const std::string& subsystem, const Where& where) {
  if (const auto nul = value.find('\0'); nul != std::string_view::npos)
    throw parse_error(subsystem, where() + ": contains a NUL byte (offset " + std::to_string(nul + 1) +
                                     " in the cell); expected text");
  if (const auto bad = invalid_utf8_offset(value); bad != std::string_view::npos)
    throw parse_error(subsystem, where() + ": invalid UTF-8 (byte " + std::to_string(bad + 1) +
                                     " of the cell); expected UTF-8 text");
}

/// `text` without a leading UTF-8 byte order mark.
inline std::string_view without_bom(std::string_view text) {
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  return text;
}

}  // namespace calibra::detail
