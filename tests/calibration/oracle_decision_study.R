#!/usr/bin/env Rscript
# Oracle for calibra's decision study (include/calibra/calibration/decision_study.hpp).
# Prints the numbers that test_decision_study.cpp, next to it, pastes in.
#
# Usage (from the repository root):  Rscript tests/calibration/oracle_decision_study.R
#
# 1. Shrout & Fleiss (1979) Table 2 (6 targets x 4 judges, complete):
#    psych::ICC with lmer = FALSE (classical two-way ANOVA) for the six ICC
#    forms and the mean squares; variance components from those mean squares
#    and, independently, from lme4 (REML; equal to ANOVA on balanced data when
#    no component is negative).
# 2. An unbalanced crossed units x raters matrix: Henderson's Method 1
#    computed the generic way -- every quadratic form y'Ay and the traces
#    tr(A Z Z') of its expectation from explicit projection matrices, then
#    the 3 x 3 system -- so that calibra's closed-form coefficients are
#    checked against a different route.  lme4 REML on the same data is
#    printed for orientation only (REML is not Method 1 on unbalanced data).
# 3. Raters nested in units (every rating by a different rater), unequal
#    group sizes: one-way ANOVA from R's anova(lm()) with
#    n0 = (N - sum n_i^2 / N) / (a - 1); lme4 REML again for orientation.

suppressMessages({
  library(psych)
  library(lme4)
})

show <- function(label, x) cat(sprintf("%-32s %.17g\n", label, x))

long_form <- function(m) {
  d <- data.frame(unit = factor(rep(seq_len(nrow(m)), ncol(m))),
                  rater = factor(rep(seq_len(ncol(m)), each = nrow(m))),
                  y = as.vector(m))
  d[!is.na(d$y), ]
}

cat("== Shrout & Fleiss (1979), psych::ICC(lmer = FALSE)\n")
sf <- as.matrix(read.csv("tests/data/reference/shrout_fleiss_1979.csv"))
fit <- psych::ICC(sf, lmer = FALSE)
res <- fit$results
for (i in seq_len(nrow(res))) show(as.character(res$type[i]), res$ICC[i])

ms <- fit$stats
bms <- ms["MS", "subjects"]; jms <- ms["MS", "Judges"]; ems <- ms["MS", "Residual"]
show("BMS", bms); show("JMS", jms); show("EMS", ems)
k <- ncol(sf); n <- nrow(sf)
show("s2p = (BMS - EMS) / k", (bms - ems) / k)
show("s2r = (JMS - EMS) / n", (jms - ems) / n)
show("s2e = EMS", ems)
wms <- fit$MSW
show("WMS (one-way, psych MSW)", wms)
show("one-way s2p = (BMS - WMS) / k", (bms - wms) / k)
d <- long_form(sf)
vc <- as.data.frame(VarCorr(lmer(y ~ 1 + (1 | unit) + (1 | rater), data = d, REML = TRUE)))
for (i in seq_len(nrow(vc))) show(paste("lme4 REML", vc$grp[i]), vc$vcov[i])

henderson1 <- function(m) {
  d <- long_form(m)
  y <- d$y
  N <- length(y)
  Za <- model.matrix(~ unit - 1, d)
  Zb <- model.matrix(~ rater - 1, d)
  P <- function(Z) Z %*% solve(crossprod(Z)) %*% t(Z)
  J <- matrix(1 / N, N, N)
  forms <- list(SSP = P(Za) - J, SSR = P(Zb) - J, SSE = diag(N) - P(Za) - P(Zb) + J)
  A <- t(sapply(forms, function(Q) c(sum(diag(Q %*% Za %*% t(Za))), sum(diag(Q %*% Zb %*% t(Zb))), sum(diag(Q)))))
  q <- sapply(forms, function(Q) drop(t(y) %*% Q %*% y))
  s <- solve(A, q)
  list(N = N, A = A, q = q, s = s)
}

cat("\n== Unbalanced crossed matrix, Henderson Method 1 by traces\n")
unbalanced <- matrix(c(
  4, 3, NA, 5,
  2, NA, 3, 3,
  NA, 4, 4, 5,
  3, 2, 2, NA,
  5, 4, NA, NA,
  NA, NA, 2, 3,
  1, 2, 1, 2,
  4, NA, 5, 4), byrow = TRUE, ncol = 4)
h <- henderson1(unbalanced)
show("N", h$N)
show("s2p", h$s[1]); show("s2r", h$s[2]); show("s2e", h$s[3])
d <- long_form(unbalanced)
vc <- as.data.frame(VarCorr(lmer(y ~ 1 + (1 | unit) + (1 | rater), data = d, REML = TRUE)))
for (i in seq_len(nrow(vc))) show(paste("lme4 REML", vc$grp[i]), vc$vcov[i])

cat("\n== The same matrix with rater 4 one level more lenient\n")
lenient <- unbalanced
lenient[, 4] <- lenient[, 4] + 1
h <- henderson1(lenient)
show("s2p", h$s[1]); show("s2r", h$s[2]); show("s2e", h$s[3])
d <- long_form(lenient)
vc <- as.data.frame(VarCorr(lmer(y ~ 1 + (1 | unit) + (1 | rater), data = d, REML = TRUE)))
for (i in seq_len(nrow(vc))) show(paste("lme4 REML", vc$grp[i]), vc$vcov[i])

cat("\n== Nested (one-way), unequal group sizes\n")
nested <- data.frame(
  unit = factor(c(1, 1, 2, 2, 2, 3, 3, 4, 4, 4, 4, 5, 5, 5, 6, 6)),
  y = c(3, 4, 1, 2, 2, 5, 4, 3, 3, 2, 4, 2, 1, 2, 4, 5))
a <- nlevels(nested$unit); N <- nrow(nested)
ni <- as.vector(table(nested$unit))
tab <- anova(lm(y ~ unit, data = nested))
msb <- tab["unit", "Mean Sq"]; msw <- tab["Residuals", "Mean Sq"]
n0 <- (N - sum(ni^2) / N) / (a - 1)
show("MSB", msb); show("MSW", msw); show("n0", n0)
show("s2p = (MSB - MSW) / n0", (msb - msw) / n0)
show("s2e = MSW", msw)
vc <- as.data.frame(VarCorr(lmer(y ~ 1 + (1 | unit), data = nested, REML = TRUE)))
for (i in seq_len(nrow(vc))) show(paste("lme4 REML", vc$grp[i]), vc$vcov[i])
