#!/usr/bin/env Rscript
# Oracle for the random-effects severity model (test_severity_random.cpp):
# lme4's REML fit of the crossed model calibra fits by default,
#
#   level ~ competency + period + (1 | rater) + (1 | ratee) + (1 | ratee:competency)
#
# on the unbalanced two-component design of oracle_severity.py (the same 46
# peer ratings as test_severity.cpp's oracle_rows).  Writes
# severity_random_lme4.json beside this script.
#
#   Rscript tests/calibration/oracle_severity_random.R
suppressPackageStartupMessages(library(lme4))
d <- data.frame(
  ratee = c("p1","p1","p1","p1","p2","p2","p2","p2","p3","p3","p3","p3","p4","p4","p4","p4","p5","p5","q1","q1","q1","q1","q2","q2","q3","q3","p1","p1","p1","p1","p2","p2","p3","p4","p4","p5","p5","p5","p5","q1","q1","q2","q2","q2","q2","q3"),
  rater = c("A","A","B","B","A","A","C","C","B","C","D","D","C","C","D","D","A","D","E","E","F","F","E","F","F","F","B","B","C","C","A","D","A","B","B","C","C","D","D","E","E","E","E","F","F","E"),
  competency = c("functional-specification","product-delivery","functional-specification","product-delivery","functional-specification","product-delivery","functional-specification","product-delivery","functional-specification","functional-specification","functional-specification","product-delivery","functional-specification","product-delivery","functional-specification","product-delivery","functional-specification","functional-specification","functional-specification","product-delivery","functional-specification","product-delivery","functional-specification","product-delivery","functional-specification","product-delivery","functional-specification","product-delivery","functional-specification","product-delivery","product-delivery","product-delivery","functional-specification","functional-specification","product-delivery","functional-specification","product-delivery","functional-specification","product-delivery","functional-specification","product-delivery","functional-specification","product-delivery","functional-specification","product-delivery","functional-specification"),
  level = c(4,4,3,3,3,3,3,1,4,4,4,4,3,2,3,4,5,3,4,3,3,3,2,1,4,3,3,3,3,3,3,2,5,2,2,3,4,4,4,3,3,3,2,2,2,5),
  period = c("2026Q1","2026Q1","2026Q1","2026Q1","2026Q1","2026Q1","2026Q1","2026Q1","2026Q1","2026Q1","2026Q1","2026Q1","2026Q1","2026Q1","2026Q1","2026Q1","2026Q1","2026Q1","2026Q1","2026Q1","2026Q1","2026Q1","2026Q1","2026Q1","2026Q1","2026Q1","2026Q2","2026Q2","2026Q2","2026Q2","2026Q2","2026Q2","2026Q2","2026Q2","2026Q2","2026Q2","2026Q2","2026Q2","2026Q2","2026Q2","2026Q2","2026Q2","2026Q2","2026Q2","2026Q2","2026Q2"),
  stringsAsFactors = TRUE)
fit <- lmer(level ~ competency + period + (1 | rater) + (1 | ratee) + (1 | ratee:competency), data = d,
            REML = TRUE, control = lmerControl(optimizer = "bobyqa", optCtrl = list(rhobeg = 0.2, rhoend = 1e-12)))
vc <- as.data.frame(VarCorr(fit))
re <- ranef(fit, condVar = TRUE)
effects <- function(name) {
  r <- re[[name]]
  sds <- sqrt(attr(r, "postVar")[1, 1, ])
  paste0("{", paste(sprintf('"%s": [%.12f, %.12f]', rownames(r), r[, 1], sds), collapse = ", "), "}")
}
variance <- function(grp) vc$vcov[vc$grp == grp]
fe <- fixef(fit)
json <- paste0('{\n',
  '  "model": "level ~ competency + period + (1 | rater) + (1 | ratee) + (1 | ratee:competency), REML",\n',
  '  "lme4": "', packageVersion("lme4"), '",\n',
  sprintf('  "variance": {"rater": %.12f, "ratee": %.12f, "ratee:competency": %.12f, "residual": %.12f},\n',
          variance("rater"), variance("ratee"), variance("ratee:competency"), variance("Residual")),
  sprintf('  "fixed": {"(Intercept)": %.12f, "competency=1": %.12f, "period=1": %.12f},\n', fe[1], fe[2], fe[3]),
  sprintf('  "reml_criterion": %.10f,\n', REMLcrit(fit)),
  '  "rater": ', effects("rater"), ',\n',
  '  "ratee": ', effects("ratee"), ',\n',
  '  "ratee:competency": ', effects("ratee:competency"), '\n',
  '}\n')
out <- file.path(dirname(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE))), "severity_random_lme4.json")
writeLines(json, out, sep = "")
cat("wrote", out, "\n")
