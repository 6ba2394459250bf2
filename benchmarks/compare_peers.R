# Times psych::ICC on a wide ratings CSV for compare_peers.py.
#
#   Rscript benchmarks/compare_peers.R FILE.csv LMER REPEAT
#
# LMER is TRUE (psych's default: variance components from lme4::lmer) or
# FALSE (classical two-way ANOVA through aov(); its dense design matrix
# needs units x ratings x 8 bytes, so the caller only asks for it on small
# files).  Reading the file is not timed; each repeat times the ICC() call
# alone with proc.time().  Prints one line:
#   <ICC2 value> <best elapsed seconds> <best user+system seconds>
suppressPackageStartupMessages(library(psych))

args <- commandArgs(trailingOnly = TRUE)
path <- args[1]
use_lmer <- as.logical(args[2])
repeats <- as.integer(args[3])

ratings <- as.matrix(read.csv(path))
# Warm-up on a few rows, untimed: the first call loads lme4 and compiles
# nothing we want to charge to the timed calls.
invisible(suppressMessages(suppressWarnings(psych::ICC(ratings[1:20, ], lmer = use_lmer))))
best_elapsed <- Inf
best_cpu <- Inf
value <- NA
for (i in seq_len(repeats)) {
  start <- proc.time()
  fit <- suppressMessages(suppressWarnings(psych::ICC(ratings, lmer = use_lmer)))
  spent <- proc.time() - start
  best_elapsed <- min(best_elapsed, spent[["elapsed"]])
  best_cpu <- min(best_cpu, spent[["user.self"]] + spent[["sys.self"]])
  # Row 2 is ICC2 (single random raters, absolute agreement).
  value <- fit$results$ICC[2]
}
cat(sprintf("%.17g %.6f %.6f\n", value, best_elapsed, best_cpu))
