#!/usr/bin/python3
"""Peer oracle for calibra's rater severity model (tests/calibration/test_severity.cpp).

Fits the same additive model with statsmodels OLS on dummy-coded factors,

    level ~ C(ratee) + C(rater) + C(competency) + C(period)

and turns the estimable contrasts into calibra's parametrisation:

  * severity_r = -(beta_r - mean of beta over the raters of r's component):
    severities sum to zero within each connected component of the
    rater-ratee graph, and a positive severity means harsh (a rater effect
    that LOWERS the level);
  * competency and period effects sum to zero over the competencies and
    periods present;
  * ratee effect: the ratee's fitted level minus the facet part, centred on
    its mean over ratees (that mean is mu).

Standard errors come from statsmodels' t_test on the same contrast vectors
(estimable, so the pseudo-inverse OLS uses for the rank-deficient design
gives the unique answer), with the residual degrees of freedom N - rank(X).

The data are the 46 peer/manager ratings below plus one self rating, which
calibra ignores (severity uses external roles only) and this script leaves
out.  Run:  /usr/bin/python3 tests/calibration/oracle_severity.py
"""
import numpy as np
import pandas as pd
import statsmodels.formula.api as smf
from scipy import stats

FS, PD = "functional-specification", "product-delivery"
# (ratee, rater, competency, level, period); two components: raters A-D with
# ratees p1-p5, raters E-F with ratees q1-q3.
ROWS = [
    ("p1", "A", FS, 4, "2026Q1"), ("p1", "A", PD, 4, "2026Q1"),
    ("p1", "B", FS, 3, "2026Q1"), ("p1", "B", PD, 3, "2026Q1"),
    ("p2", "A", FS, 3, "2026Q1"), ("p2", "A", PD, 3, "2026Q1"),
    ("p2", "C", FS, 3, "2026Q1"), ("p2", "C", PD, 1, "2026Q1"),
    ("p3", "B", FS, 4, "2026Q1"), ("p3", "C", FS, 4, "2026Q1"),
    ("p3", "D", FS, 4, "2026Q1"), ("p3", "D", PD, 4, "2026Q1"),
    ("p4", "C", FS, 3, "2026Q1"), ("p4", "C", PD, 2, "2026Q1"),
    ("p4", "D", FS, 3, "2026Q1"), ("p4", "D", PD, 4, "2026Q1"),
    ("p5", "A", FS, 5, "2026Q1"), ("p5", "D", FS, 3, "2026Q1"),
    ("q1", "E", FS, 4, "2026Q1"), ("q1", "E", PD, 3, "2026Q1"),
    ("q1", "F", FS, 3, "2026Q1"), ("q1", "F", PD, 3, "2026Q1"),
    ("q2", "E", FS, 2, "2026Q1"), ("q2", "F", PD, 1, "2026Q1"),
    ("q3", "F", FS, 4, "2026Q1"), ("q3", "F", PD, 3, "2026Q1"),
    ("p1", "B", FS, 3, "2026Q2"), ("p1", "B", PD, 3, "2026Q2"),
    ("p1", "C", FS, 3, "2026Q2"), ("p1", "C", PD, 3, "2026Q2"),
    ("p2", "A", PD, 3, "2026Q2"), ("p2", "D", PD, 2, "2026Q2"),
    ("p3", "A", FS, 5, "2026Q2"),
    ("p4", "B", FS, 2, "2026Q2"), ("p4", "B", PD, 2, "2026Q2"),
    ("p5", "C", FS, 3, "2026Q2"), ("p5", "C", PD, 4, "2026Q2"),
    ("p5", "D", FS, 4, "2026Q2"), ("p5", "D", PD, 4, "2026Q2"),
    ("q1", "E", FS, 3, "2026Q2"), ("q1", "E", PD, 3, "2026Q2"),
    ("q2", "E", FS, 3, "2026Q2"), ("q2", "E", PD, 2, "2026Q2"),
    ("q2", "F", FS, 2, "2026Q2"), ("q2", "F", PD, 2, "2026Q2"),
    ("q3", "E", FS, 5, "2026Q2"),
]
COMPONENTS = [["A", "B", "C", "D"], ["E", "F"]]

df = pd.DataFrame(ROWS, columns=["ratee", "rater", "competency", "level", "period"])
fit = smf.ols("level ~ C(ratee) + C(rater) + C(competency) + C(period)", data=df).fit()
names = list(fit.params.index)
dof = fit.df_resid
t975 = stats.t.ppf(0.975, dof)


def coef(term, level):
    """Index of a dummy's coefficient, or None for the reference level."""
    name = f"C({term})[T.{level}]"
    return names.index(name) if name in names else None


def contrast(weights):
    """Estimate and SE of sum(w * beta) over {(term, level): w}."""
    L = np.zeros(len(names))
    for (term, level), w in weights.items():
        k = coef(term, level)
        if k is not None:
            L[k] += w
    t = fit.t_test(L)
    return float(np.squeeze(t.effect)), float(np.squeeze(t.sd))


print(f"N = {len(df)}, rank = {int(fit.df_model) + 1}, dof = {dof:.0f}, residual sd = {np.sqrt(fit.scale):.10f}")
print(f"t quantile (0.975, {dof:.0f}) = {t975:.10f}")

severity = {}
for component in COMPONENTS:
    for r in component:
        w = {("rater", r): -1.0}
        for other in component:
            w[("rater", other)] = w.get(("rater", other), 0.0) + 1.0 / len(component)
        est, se = contrast(w)
        severity[r] = est
        print(f"severity {r}: {est:+.10f} se {se:.10f} ci [{est - t975 * se:+.10f}, {est + t975 * se:+.10f}]")

facets = {}
for term, levels in [("competency", [FS, PD]), ("period", ["2026Q1", "2026Q2"])]:
    for lv in levels:
        w = {("", ""): 0.0}
        w = {(term, lv): 1.0}
        for other in levels:
            w[(term, other)] = w.get((term, other), 0.0) - 1.0 / len(levels)
        est, se = contrast(w)
        facets[(term, lv)] = est
        print(f"{term} {lv}: {est:+.10f} se {se:.10f}")

# Ratee effects: fitted value minus the facet part, for any row of the ratee.
df["fitted"] = fit.fittedvalues
df["facets"] = [-severity[r] + facets[("competency", c)] + facets[("period", p)]
                for r, c, p in zip(df.rater, df.competency, df.period)]
ratee_level = (df.fitted - df.facets).groupby(df.ratee).mean()
mu = ratee_level.mean()
print(f"mu = {mu:.10f}")
for ratee, a in ratee_level.items():
    print(f"ratee effect {ratee}: {a - mu:+.10f}")

# Fair scores for 2026Q2: every rating of the ratee on the competency, from
# any period, plus its rater's severity, moved to 2026Q2 by the period
# effects; SE^2 = sigma^2 / n + sum over raters (m_r / n)^2 se_r^2.
se_of = {}
for component in COMPONENTS:
    for r in component:
        w = {("rater", r): -1.0}
        for other in component:
            w[("rater", other)] = w.get(("rater", other), 0.0) + 1.0 / len(component)
        se_of[r] = contrast(w)[1]
target = facets[("period", "2026Q2")]
for ratee, comp in [("p1", FS), ("p2", PD), ("q2", FS)]:
    cell = df[(df.ratee == ratee) & (df.competency == comp)]
    adjusted = cell.level + [severity[r] for r in cell.rater] - [facets[("period", p)] for p in cell.period] + target
    n = len(cell)
    counts = cell.rater.value_counts()
    se = np.sqrt(fit.scale / n + sum((m / n) ** 2 * se_of[r] ** 2 for r, m in counts.items()))
    print(f"fair {ratee} {comp}: {adjusted.mean():.10f} se {se:.10f} n {n}")
