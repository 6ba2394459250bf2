// Internal: a JSON document written piece by piece to a stream, byte for
// byte as nlohmann's dump(2) would print the whole document.
//
// Why: the calibration report's tidy tables grow with the ratees (a row per
// ratee x competency, per readiness item, per archetype...).  Built whole as
// one nlohmann::ordered_json and then dumped, the document took 3.5 times
// the memory of the analysis itself at 10^6 ratings.  Writing each row as it
// is made keeps one row in memory at a time; the small sections are still
// built as values and written in one go.
//
//   json_writer w(out);
//   w.begin_object();
//   w.member("summary", summary_value);       // a whole value
//   w.key("scores");
//   w.begin_array();
//   for (...) w.value(row);                    // one row at a time
//   w.end_array();
//   w.end_object();
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace calibra::io::detail {

class json_writer {
 public:
  using json = nlohmann::ordered_json;

  /// `pretty`: dump(2)'s layout; otherwise dump()'s, on one line.
  explicit json_writer(std::ostream& out, bool pretty = true) : out_(out), pretty_(pretty) {}

  void begin_object() { open('{', true); }
  void end_object() { close('}', true); }
  void begin_array() { open('[', false); }
  void end_array() { close(']', false); }

  /// The next member's key; the member's value follows (value(), or a
  /// begin_object()/begin_array() ... end pair).
  void key(std::string_view name) {
    start_entry(true);
    out_ << json(name).dump() << (pretty_ ? ": " : ":");
    after_key_ = true;
  }

  /// A complete value: the next element of an array, or the value of the
  /// member whose key was just written.
  void value(const json& v) {
    start_entry(false);
    if (pretty_)
      write_indented(v.dump(2));
    else
      out_ << v.dump();
  }

  void member(std::string_view name, const json& v) {
    key(name);
    value(v);
  }

  /// An array member whose rows `fill(sink)` produces: each
  /// `sink.push_back(row)` writes the row at once.
  template <typename Fill>
  void array_member(std::string_view name, Fill&& fill) {
    key(name);
    begin_array();
    row_sink sink{*this};
    fill(sink);
    end_array();
  }

  /// What array_member hands to its filler: push_back(row) writes the row.
  struct row_sink {
    json_writer& writer;
    void push_back(const json& row) { writer.value(row); }
  };

 private:
  struct frame {
    bool is_object = false;
    bool empty = true;
  };

  void open(char bracket, bool is_object) {
    start_entry(false);
    out_ << bracket;
    frames_.push_back({is_object, true});
  }

  void close(char bracket, bool is_object) {
    if (frames_.empty() || frames_.back().is_object != is_object || after_key_)
      throw std::logic_error("json_writer: unbalanced document");
    const bool was_empty = frames_.back().empty;
    frames_.pop_back();
    if (!was_empty && pretty_) {
      out_ << '\n';
      indent(frames_.size());
    }
    out_ << bracket;
  }

  // Writes what comes before an entry of the innermost container: its
  // separator and indentation.  A value right after its key needs nothing.
  void start_entry(bool is_key) {
    if (after_key_) {
      if (is_key) throw std::logic_error("json_writer: a key must be followed by its value");
      after_key_ = false;
      return;
    }
    if (frames_.empty()) return;  // the document's top-level value
    frame& top = frames_.back();
    if (top.is_object != is_key) throw std::logic_error("json_writer: objects hold keyed members, arrays values");
    if (pretty_) {
      out_ << (top.empty ? "\n" : ",\n");
      indent(frames_.size());
    } else if (!top.empty) {
      out_ << ',';
    }
    top.empty = false;
  }

  // A value dumped on its own starts at indentation 0; inside the document
  // every line after its first moves right by the depth it is written at.
  // (JSON strings hold no raw newline, so every '\n' is a line break.)
  void write_indented(const std::string& text) {
    const std::string shift(2 * frames_.size(), ' ');
    std::size_t from = 0;
    for (std::size_t at = text.find('\n'); at != std::string::npos; at = text.find('\n', from)) {
      out_.write(text.data() + from, static_cast<std::streamsize>(at + 1 - from));
      out_ << shift;
      from = at + 1;
    }
    out_.write(text.data() + from, static_cast<std::streamsize>(text.size() - from));
  }

  void indent(std::size_t depth) {
    for (std::size_t i = 0; i < depth; ++i) out_ << "  ";
  }

  std::ostream& out_;
  bool pretty_;
  std::vector<frame> frames_;
  bool after_key_ = false;
};

}  // namespace calibra::io::detail
