// Internal: a libxlsxwriter workbook open for writing, shared by every XLSX
// writer of calibra (the report, the framework workbook, the ratings
// template).  close() writes the file and reports a failure naming the
// path; if an exception leaves the writer first, the destructor closes the
// handle unchecked and the caller removes the half-written file.
#pragma once

#include <calibra/error.hpp>

#include <xlsxwriter.h>

#include <string>
#include <utility>

namespace calibra::reports::detail {

class open_workbook {
 public:
  /// Writes to `file`; messages name `shown_path` (the final name, not the temporary).
  open_workbook(const std::string& file, std::string shown_path)
      : book_(workbook_new(file.c_str())), path_(std::move(shown_path)) {
    if (!book_) throw invalid_argument("reports", "cannot write '" + path_ + "': libxlsxwriter could not start a workbook");
  }
  open_workbook(const open_workbook&) = delete;
  open_workbook& operator=(const open_workbook&) = delete;
  ~open_workbook() {
    if (book_) workbook_close(book_);
  }

  lxw_workbook* get() const { return book_; }

  /// Throws invalid_argument naming the path and `what` when `status` is an error.
  void check(lxw_error status, const std::string& what) const {
    if (status != LXW_NO_ERROR)
      throw invalid_argument("reports", "cannot write '" + path_ + "': " + what + ": " + lxw_strerror(status));
  }

  void close() {
    const lxw_error status = workbook_close(book_);
    book_ = nullptr;
    if (status != LXW_NO_ERROR) throw invalid_argument("reports", "cannot write '" + path_ + "': " + lxw_strerror(status));
  }

 private:
  lxw_workbook* book_;
  std::string path_;
};

}  // namespace calibra::reports::detail
