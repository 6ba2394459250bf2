# Oracle for calibra's crossed random-effects model (mixed_model.hpp):
# lme4's fits of the InstEval ratings, written next to this script.
#
#   cd tests/data/oracle/insteval && Rscript oracle_insteval.R
#
# Writes
#   insteval.csv     the ratings as 0-based integer codes: s (student, the
#                    rater), d (lecturer, the ratee), semester, y (1..5).
#                    `semester` is InstEval's `lectage` (the lecture's age in
#                    semesters at the time of the survey, 1..6), i.e. which
#                    semester the student attended the course; InstEval has
#                    no other time column (`studage` is constant per student,
#                    so s:studage would merely duplicate s).  Codes follow
#                    the factor level order, so row k of every per-level array
#                    in the JSON belongs to code k.
#   insteval_lme4.json  lme4's results (numbers with 17 significant digits).
#
# The fits use lme4's default optimiser (nloptwrap, BOBYQA) with tighter
# stopping tolerances than its defaults, so that the reference values are
# the optimum itself and not the optimiser's stopping point; the default
# fit's scalars are recorded as well to show how far apart the two are.
suppressPackageStartupMessages(library(lme4))
library(jsonlite)

data("InstEval", package = "lme4")
d <- InstEval
d$semester <- factor(as.integer(d$lectage))

codes <- data.frame(s = as.integer(d$s) - 1L, d = as.integer(d$d) - 1L,
                    semester = as.integer(d$semester) - 1L, y = d$y)
write.csv(codes, "insteval.csv", row.names = FALSE, quote = FALSE)

tight <- lmerControl(optimizer = "nloptwrap",
                     optCtrl = list(xtol_abs = 1e-12, ftol_abs = 1e-14,
                                    xtol_rel = 0, ftol_rel = 0, maxeval = 100000))

sds <- function(fit) {
  vc <- as.data.frame(VarCorr(fit))
  setNames(as.list(vc$sdcor), vc$grp)
}
scalars <- function(fit) {
  criterion <- if (isREML(fit)) list(REMLcrit = REMLcrit(fit)) else list(deviance = deviance(fit))
  c(list(intercept = unname(fixef(fit)[1]),
         intercept_se = unname(sqrt(diag(as.matrix(vcov(fit))))[1]),
         sd = sds(fit), sigma = sigma(fit), theta = unname(getME(fit, "theta"))),
    criterion,
    list(logLik = as.numeric(logLik(fit))))
}
per_level <- function(fit, factor_name) {
  re <- ranef(fit, condVar = TRUE)[[factor_name]]
  list(levels = rownames(re),
       mode = unname(re[, 1]),
       cond_sd = unname(sqrt(as.vector(attr(re, "postVar")))))
}

m2 <- lmer(y ~ 1 + (1 | s) + (1 | d), data = d, REML = TRUE, control = tight)
m2_default <- lmer(y ~ 1 + (1 | s) + (1 | d), data = d, REML = TRUE)
m2_ml <- lmer(y ~ 1 + (1 | s) + (1 | d), data = d, REML = FALSE, control = tight)
m3 <- lmer(y ~ 1 + (1 | s) + (1 | d) + (1 | s:semester), data = d, REML = TRUE,
           control = tight)
m3_ml <- lmer(y ~ 1 + (1 | s) + (1 | d) + (1 | s:semester), data = d, REML = FALSE,
              control = tight)
# anova() refits both REML fits by ML and compares their deviances.
lrt <- suppressMessages(anova(m2, m3))

out <- list(
  lme4_version = as.character(packageVersion("lme4")),
  R_version = R.version.string,
  n = nrow(d), n_s = nlevels(d$s), n_d = nlevels(d$d),
  n_s_semester = nlevels(interaction(d$s, d$semester, drop = TRUE)),
  control = "nloptwrap with xtol_abs = 1e-12, ftol_abs = 1e-14",
  two_factor = c(list(formula = "y ~ 1 + (1 | s) + (1 | d)", REML = TRUE),
                 scalars(m2),
                 list(s = per_level(m2, "s"), d = per_level(m2, "d"))),
  two_factor_default_control = scalars(m2_default),
  two_factor_ml = c(list(REML = FALSE), scalars(m2_ml)),
  three_factor = c(list(formula = "y ~ 1 + (1 | s) + (1 | d) + (1 | s:semester)", REML = TRUE),
                   scalars(m3)),
  three_factor_ml = c(list(REML = FALSE), scalars(m3_ml)),
  lrt_three_vs_two = list(ml_deviance_two = lrt$deviance[1],
                          ml_deviance_three = lrt$deviance[2],
                          chisq = lrt$Chisq[2], df = lrt$Df[2],
                          p = lrt[["Pr(>Chisq)"]][2])
)
writeLines(toJSON(out, auto_unbox = TRUE, digits = I(17), pretty = FALSE),
           "insteval_lme4.json")
