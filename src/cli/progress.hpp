// A progress bar on stderr for long CLI work.  It draws only when stderr is
// a terminal, so pipes, CI logs and tests see nothing; stdout is never used.
#pragma once

#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <string>
#include <string_view>

namespace calibra::cli {

class progress_bar {
 public:
  /// `label` starts the line ("writing report").  `enabled` defaults to
  /// whether stderr is a terminal.
  explicit progress_bar(std::string label, bool enabled = ::isatty(STDERR_FILENO) == 1)
      : label_(std::move(label)), enabled_(enabled) {}
  progress_bar(const progress_bar&) = delete;
  progress_bar& operator=(const progress_bar&) = delete;
  ~progress_bar() { finish(); }

  bool enabled() const { return enabled_; }

  /// Redraws the bar: `done` of `total` steps, currently doing `what`.
  void update(std::size_t done, std::size_t total, std::string_view what) {
    if (!enabled_) return;
    constexpr std::size_t bar_width = 28;
    const std::size_t filled = total == 0 ? bar_width : std::min(bar_width, done * bar_width / total);
    const std::size_t percent = total == 0 ? 100 : std::min<std::size_t>(100, done * 100 / total);
    std::string line = "\r" + label_ + " [" + std::string(filled, '#') + std::string(bar_width - filled, '.') + "] " +
                       (percent < 10 ? "  " : percent < 100 ? " " : "") + std::to_string(percent) + "% ";
    line.append(what.substr(0, 40));
    const std::size_t visible = line.size() - 1;
    if (visible < drawn_) line.append(drawn_ - visible, ' ');  // wipe the rest of a longer previous line
    drawn_ = std::max(drawn_, visible);
    std::fputs(line.c_str(), stderr);
    std::fflush(stderr);
  }

  /// Clears the bar's line, leaving the terminal as it was.
  void finish() {
    if (!enabled_ || drawn_ == 0) return;
    std::fputs(("\r" + std::string(drawn_, ' ') + "\r").c_str(), stderr);
    std::fflush(stderr);
    drawn_ = 0;
  }

 private:
  std::string label_;
  bool enabled_;
  std::size_t drawn_ = 0;
};

}  // namespace calibra::cli
