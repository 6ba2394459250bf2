#!/usr/bin/env Rscript
# Oracle for calibra's ICC: runs psych::ICC on the Shrout & Fleiss (1979)
# table and on a few seeded matrices, and writes both the matrices and the
# full psych output (value, F, df1, df2, p, bounds) into one JSON file, so
# the C++ test reads its inputs and expected numbers from the same place.
#
# Usage (from the repository root):
#   Rscript tests/data/oracle/oracle_icc.R [tests/data/oracle/icc_psych.json]
# (the default output is icc_psych.json next to this script).
#
# psych::ICC is called with lmer = FALSE: the classical two-way ANOVA mean
# squares, which is what calibra computes.  With lmer = TRUE psych estimates
# variance components by REML; on complete data they agree with the ANOVA
# unless a component would be negative.  Units with a missing rating are
# removed beforehand (na.omit), the listwise rule calibra applies.
#
# JSON is written by hand with sprintf so the script needs only psych.

suppressMessages(library(psych))

args <- commandArgs(trailingOnly = TRUE)
out_path <- if (length(args) >= 1) args[[1]] else "tests/data/oracle/icc_psych.json"

# Expected values keep all 17 significant digits; inputs (rounded to at most
# two decimals) are written with 15 so they read back as the same doubles.
num <- function(x, digits = 17) {
  if (is.null(x) || length(x) == 0 || is.na(x)) return("null")
  if (is.infinite(x)) return("null")
  sprintf("%.*g", digits, x)
}
input <- function(x) num(x, 15)

matrix_json <- function(m) {
  rows <- apply(m, 1, function(r) paste0("[", paste(vapply(r, input, ""), collapse = ", "), "]"))
  paste0("[\n        ", paste(rows, collapse = ",\n        "), "\n      ]")
}

case_json <- function(name, m, confidence, note) {
  complete <- na.omit(as.data.frame(m))
  fit <- psych::ICC(complete, alpha = 1 - confidence, lmer = FALSE)
  res <- fit$results
  forms <- vapply(seq_len(nrow(res)), function(i) {
    sprintf(
      "\"%s\": {\"value\": %s, \"F\": %s, \"df1\": %s, \"df2\": %s, \"p\": %s, \"lower\": %s, \"upper\": %s}",
      res$type[i], num(res$ICC[i]), num(res$F[i]), num(res$df1[i]), num(res$df2[i]),
      num(res$p[i]), num(res[i, "lower bound"]), num(res[i, "upper bound"]))
  }, "")
  paste0(
    "    {\n",
    sprintf("      \"name\": \"%s\",\n", name),
    sprintf("      \"note\": \"%s\",\n", note),
    sprintf("      \"confidence\": %s,\n", input(confidence)),
    sprintf("      \"n_units_complete\": %d,\n", nrow(complete)),
    sprintf("      \"n_raters\": %d,\n", ncol(m)),
    "      \"ratings\": ", matrix_json(m), ",\n",
    "      \"psych\": {\n        ", paste(forms, collapse = ",\n        "), "\n      }\n",
    "    }")
}

# Shrout & Fleiss (1979) Table 2: 6 targets rated by 4 judges.
shrout_fleiss <- as.matrix(read.csv("tests/data/reference/shrout_fleiss_1979.csv"))

set.seed(20240517)
# 20 units x 3 raters: unit effect, a systematic bias per rater, noise;
# rounded to one decimal like a typical rating sheet.
unit_effect <- rnorm(20, mean = 50, sd = 8)
rater_bias <- c(-2, 0, 3)
noisy <- round(outer(unit_effect, rater_bias, "+") + matrix(rnorm(60, sd = 4), 20, 3), 1)

# 15 units x 5 raters on a 1..7 integer scale.
latent <- rnorm(15, mean = 4, sd = 1.2)
# pmin/pmax drop the dim attribute, hence the matrix() around them.
integer_scale <- matrix(pmin(7, pmax(1, round(latent + matrix(rnorm(75, sd = 0.9), 15, 5)))), 15, 5)

# 12 units x 4 raters with three missing ratings: listwise deletion leaves 9.
latent2 <- rnorm(12, mean = 10, sd = 3)
with_missing <- round(outer(latent2, c(0, 1, -1, 0.5), "+") + matrix(rnorm(48, sd = 2), 12, 4), 2)
with_missing[2, 3] <- NA
with_missing[7, 1] <- NA
with_missing[11, 4] <- NA

cases <- c(
  case_json("shrout_fleiss_1979", shrout_fleiss, 0.95, "Shrout & Fleiss (1979) Table 2"),
  case_json("seeded_20x3", noisy, 0.95, "set.seed(20240517); unit effect + rater bias + noise"),
  case_json("seeded_15x5_integer", integer_scale, 0.90, "integer scale 1..7, 90% intervals"),
  case_json("seeded_12x4_missing", with_missing, 0.95, "three missing ratings; psych run on na.omit(data)")
)

json <- paste0(
  "{\n",
  "  \"generator\": \"tests/data/oracle/oracle_icc.R\",\n",
  sprintf("  \"psych_version\": \"%s\",\n", as.character(packageVersion("psych"))),
  sprintf("  \"r_version\": \"%s\",\n", paste(R.version$major, R.version$minor, sep = ".")),
  "  \"cases\": [\n", paste(cases, collapse = ",\n"), "\n  ]\n",
  "}\n")
writeLines(json, out_path, sep = "")
cat("wrote", out_path, "\n")
