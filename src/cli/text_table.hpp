// Aligned plain-text tables for the CLI's human output.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

namespace calibra::cli {

class text_table {
 public:
  explicit text_table(std::vector<std::string> header) : header_(std::move(header)) {}

  void add(std::vector<std::string> row) {
    row.resize(header_.size());
    rows_.push_back(std::move(row));
  }
  /// A rule line before the next row (e.g. between quadrants).
  void separator() { rows_.push_back({}); }

  std::string render() const {
    std::vector<std::size_t> width(header_.size(), 0);
    auto measure = [&](const std::vector<std::string>& row) {
      for (std::size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], display_width(row[i]));
    };
    measure(header_);
    for (const auto& row : rows_) measure(row);
    std::string out;
    auto line = [&](const std::vector<std::string>& row) {
      std::string text;
      for (std::size_t i = 0; i < header_.size(); ++i) {
        const std::string& cell = i < row.size() ? row[i] : std::string();
        text += cell;
        if (i + 1 < header_.size()) text += std::string(width[i] - display_width(cell) + 2, ' ');
      }
      while (!text.empty() && text.back() == ' ') text.pop_back();
      out += text + "\n";
    };
    auto rule = [&] {
      std::size_t total = 0;
      for (std::size_t w : width) total += w + 2;
      out += std::string(total > 2 ? total - 2 : 0, '-') + "\n";
    };
    line(header_);
    rule();
    for (std::size_t r = 0; r < rows_.size(); ++r) {
      if (rows_[r].empty()) {
        if (r + 1 < rows_.size()) rule();
      } else {
        line(rows_[r]);
      }
    }
    return out;
  }

 private:
  /// Code points, not bytes, so UTF-8 names line up.
  static std::size_t display_width(const std::string& s) {
    std::size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
  }

  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace calibra::cli
