#!/usr/bin/python3
"""Peer numbers for tests/calibration/test_levels.cpp (level inference).

Run: /usr/bin/python3 tests/calibration/oracle_levels.py
Needs python3-scipy, python3-sklearn and R with metafor and pROC.

Every number the C++ tests compare against is printed here by an
independent implementation:
  - mean gaps and their t intervals: scipy.stats.ttest_1samp(...).confidence_interval
  - Hedges' g, its variance and CI: R metafor::escalc(measure = "SMD")
  - AUC: sklearn.metrics.roc_auc_score and scipy.stats.mannwhitneyu (U / n1 n0)
  - DeLong standard error and CI of the AUC: R pROC::var / ci.auc(method = "delong")
"""
import subprocess

import numpy as np
from scipy import stats
from sklearn.metrics import roc_auc_score

# ---- matrix validation example (small framework, expectations at mid: 3 2 2 1,
#      at junior: 2 2 1 1); rows are ratees, columns ti, te, si, se.
mid = np.array([[4.0, 2.0, 1.0, 1.0],
                [3.8, 2.5, 1.2, 1.5],
                [4.0, 1.5, 1.0, 1.0],
                [3.6, 2.2, 1.4, 1.0],
                [3.9, 1.8, 1.3, 1.2]])
junior = np.array([[2.0, 2.0, 1.0, 1.0],
                   [3.0, 3.0, 1.0, 2.0]])
gap_mid = mid - np.array([3, 2, 2, 1])
gap_junior = junior - np.array([2, 2, 1, 1])


def t_interval(xs, confidence=0.95):
    res = stats.ttest_1samp(xs, 0.0)
    ci = res.confidence_interval(confidence_level=confidence)
    return np.mean(xs), np.std(xs, ddof=1), ci.low, ci.high


print("== matrix validation: per competency over all 7 ratees")
for c, name in enumerate(["ti", "te", "si", "se"]):
    xs = np.concatenate([gap_mid[:, c], gap_junior[:, c]])
    print(name, "n=%d mean=%.15g sd=%.15g ci=(%.15g, %.15g)" % ((len(xs),) + t_interval(xs)))
print("== matrix validation: cells at mid")
for c, name in enumerate(["ti", "te", "si", "se"]):
    print(name, "mean=%.15g sd=%.15g ci=(%.15g, %.15g)" % t_interval(gap_mid[:, c]))
print("== per-ratee mean gap at mid")
per_ratee = gap_mid.mean(axis=1)
print("values", per_ratee, "mean=%.15g sd=%.15g ci=(%.15g, %.15g)" % t_interval(per_ratee))
print("== overall per-ratee mean gap (7 ratees)")
overall = np.concatenate([per_ratee, gap_junior.mean(axis=1)])
print("values", overall, "mean=%.15g sd=%.15g ci=(%.15g, %.15g)" % t_interval(overall))

# ---- promotion separation: readiness indices of promoted / not promoted.
promoted = [0.3, 0.1, -0.2, 0.5, 0.0, 0.25]
not_promoted = [-0.4, -0.1, -0.6, 0.1, -0.3]
y = [1] * len(promoted) + [0] * len(not_promoted)
x = promoted + not_promoted
print("== promotion separation")
print("roc_auc_score = %.15g" % roc_auc_score(y, x))
u = stats.mannwhitneyu(promoted, not_promoted, alternative="two-sided").statistic
print("mannwhitneyu U / (n1 n0) = %.15g" % (u / (len(promoted) * len(not_promoted))))
print("means %.15g %.15g sds %.15g %.15g" % (np.mean(promoted), np.mean(not_promoted),
                                            np.std(promoted, ddof=1), np.std(not_promoted, ddof=1)))

r_code = """
suppressMessages({library(metafor); library(pROC)})
p <- c(%s); q <- c(%s)
e <- summary(escalc(measure="SMD", m1i=mean(p), sd1i=sd(p), n1i=length(p),
                    m2i=mean(q), sd2i=sd(q), n2i=length(q)))
cat(sprintf("metafor g=%%.15g vi=%%.15g se=%%.15g ci=(%%.15g, %%.15g)\\n", e$yi, e$vi, e$sei, e$ci.lb, e$ci.ub))
r <- roc(controls=q, cases=p, direction="<", quiet=TRUE)
ci <- ci.auc(r, method="delong", conf.level=0.95)
cat(sprintf("pROC auc=%%.15g delong_var=%%.15g ci=(%%.15g, %%.15g)\\n", auc(r), var(r, method="delong"), ci[1], ci[3]))
""" % (", ".join(map(str, promoted)), ", ".join(map(str, not_promoted)))
print(subprocess.run(["Rscript", "-e", r_code], capture_output=True, text=True, check=True).stdout, end="")
