// Reading feedback logs from CSV.
//
// A header row naming the columns (any order), then one feedback item per
// row:
//
//   ratee,date,competency,kind,source,note
//   pm07,2026-02-11,product-delivery,growth,mgr1,"Release slipped a week; the risk was known early"
//
// | column     | required | value                                              |
// |------------|----------|----------------------------------------------------|
// | ratee      | yes      | id of the person the feedback is about             |
// | date       | yes      | YYYY-MM-DD, a real calendar date                   |
// | competency | yes      | a competency id of the framework                   |
// | kind       | no       | strength or growth (empty: not said)               |
// | source     | no       | who gave the feedback (free text)                  |
// | note       | yes      | what happened, free text (quote it when it has commas) |
//
// The reader is as strict as the ratings reader (calibra/io/ratings.hpp):
// RFC 4180 quoting, UTF-8, no ragged rows, every value checked.  Problems
// are calibra::parse_error (bytes that are not CSV) or
// calibra::validation_error (values that break a rule), both with id
// suffix "feedback", and the message names the file, the row (the 1-based
// line the record starts on; the header is row 1) and the column:
//
//   [calibra.validation_error.feedback] f.csv: row 7, column 'date':
//   '2026-02-30' is not a calendar date; expected YYYY-MM-DD
#pragma once

#include <calibra/calibration/feedback.hpp>
#include <calibra/framework/framework.hpp>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace calibra {

struct feedback_read_options {
  /// An unknown column is an error naming it, unless this is set.
  bool ignore_unknown_columns = false;
};

/// Feedback files larger than this are refused before they are read.
inline constexpr std::size_t max_feedback_file_bytes = std::size_t{256} << 20;

calibration::feedback_log read_feedback_csv(const std::string& path, std::shared_ptr<const framework> fw,
                                            const feedback_read_options& options = {});
calibration::feedback_log read_feedback_csv(const std::string& path, const framework& fw,
                                            const feedback_read_options& options = {});

/// Parses CSV text held in memory; `source_name` stands for the file name in messages.
calibration::feedback_log read_feedback_csv_text(std::string_view text, std::shared_ptr<const framework> fw,
                                                 const std::string& source_name = "<memory>",
                                                 const feedback_read_options& options = {});
calibration::feedback_log read_feedback_csv_text(std::string_view text, const framework& fw,
                                                 const std::string& source_name = "<memory>",
                                                 const feedback_read_options& options = {});

}  // namespace calibra
