#!/usr/bin/env Rscript
# Oracle for the Python column tests (tests/python/test_columns.py): psych::ICC
# on two designs, written with the ratings into one JSON file, so the test
# reads its inputs and expected numbers from the same place.
#
#   long_icc: 100 employees each rated by the same 3 reviewers (300 rows of
#     long data, columns employee_id, reviewer_id, score): the issue's
#     misread case, where the frame was read as wide (3 "raters" = the three
#     columns, 300 units);
#   empty_rater: 30 units fully rated by 4 raters, plus a fifth rater column
#     with no ratings at all.  psych::ICC is run on the four rated columns;
#     with the empty column every unit would be incomplete.
#
# Usage (from the repository root):
#   Rscript tests/data/oracle/oracle_python_columns.R [tests/data/oracle/python_columns_psych.json]
#
# psych::ICC with lmer = FALSE: the classical ANOVA mean squares.

suppressMessages(library(psych))
suppressMessages(library(jsonlite))

args <- commandArgs(trailingOnly = TRUE)
out_path <- if (length(args) >= 1) args[[1]] else "tests/data/oracle/python_columns_psych.json"

forms <- function(m) {
  res <- psych::ICC(m, alpha = 0.05, lmer = FALSE)$results
  out <- list()
  for (i in seq_len(nrow(res))) {
    out[[as.character(res$type[i])]] <- list(
      value = res$ICC[i], F = res$F[i], df1 = res$df1[i], df2 = res$df2[i], p = res$p[i],
      lower = res[i, "lower bound"], upper = res[i, "upper bound"])
  }
  out
}

set.seed(20240611)
# Long ICC: employee effect sd 1, reviewer offsets, residual sd 0.8, scores
# rounded to one decimal.
n <- 100
reviewers <- c(17L, 4L, 23L)
truth <- rnorm(n, 3, 1)
offset <- c(-0.3, 0.1, 0.4)
wide <- sapply(seq_along(reviewers), function(j) round(truth + offset[j] + rnorm(n, 0, 0.8), 1))
long <- data.frame(
  employee_id = rep(1000L + seq_len(n), each = length(reviewers)),
  reviewer_id = rep(reviewers, times = n),
  score = as.vector(t(wide)))

# Empty rater: 30 units, 4 raters on a 1..5 scale.
units <- 30
base <- sample(1:5, units, replace = TRUE)
rated <- sapply(1:4, function(j) pmin(5, pmax(1, base + sample(c(-1, 0, 0, 1), units, replace = TRUE))))

doc <- list(
  generator = "tests/data/oracle/oracle_python_columns.R",
  psych_version = as.character(packageVersion("psych")),
  long_icc = list(
    employee_id = long$employee_id, reviewer_id = long$reviewer_id, score = long$score,
    psych = forms(wide)),
  empty_rater = list(
    ratings = unname(lapply(seq_len(units), function(i) rated[i, ])),
    psych = forms(rated)))
writeLines(toJSON(doc, auto_unbox = TRUE, digits = NA, pretty = TRUE), out_path)
cat("wrote", out_path, "\n")
