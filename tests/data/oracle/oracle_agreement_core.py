#!/usr/bin/python3
"""Expected agreement numbers from peer implementations, for calibra's tests.

Runs scikit-learn's cohen_kappa_score and statsmodels' cohens_kappa and
fleiss_kappa on fixed pseudo-random rating matrices and on the reference
data sets, and writes agreement_core.json next to this script
(tests/data/oracle/), which tests/agreement/test_oracle.cpp reads.  Re-run after changing the cases:

    /usr/bin/python3 tests/data/oracle/oracle_agreement_core.py
"""
import json
import os
import sys

import numpy as np
import sklearn
import statsmodels
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import aggregate_raters, cohens_kappa, fleiss_kappa, to_table

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
OUT = os.path.join(HERE, "agreement_core.json")
REFERENCE = os.path.join(ROOT, "tests", "data", "reference")


def read_reference(name):
    rows = []
    with open(os.path.join(REFERENCE, name)) as handle:
        next(handle)
        for line in handle:
            line = line.strip()
            if line:
                rows.append([float(x) if x else np.nan for x in line.split(",")])
    return np.array(rows)


def two_rater_cases(rng):
    """Random pairs of raters on small integer scales (no missing values)."""
    cases = []
    for index, (units, categories) in enumerate([(40, 3), (75, 4), (120, 5), (33, 6)]):
        first = rng.integers(1, categories + 1, size=units)
        # Correlated second rater: copy with probability 0.6, else random.
        copy = rng.random(units) < 0.6
        second = np.where(copy, first, rng.integers(1, categories + 1, size=units))
        cases.append(("random%d" % index, np.column_stack([first, second]).astype(float)))
    for name in ("irr_anxiety_r1r2", "stuart1953_vision"):
        cases.append((name + ".csv", read_reference(name + ".csv")))
    return cases


def cohen_entry(name, data):
    first, second = data[:, 0], data[:, 1]
    levels = np.unique(np.concatenate([first, second]))
    entry = {"name": name, "categories": levels.tolist()}
    # Reference data sets are named, not copied: the test reads the CSV.
    if name.endswith(".csv"):
        entry["reference"] = name
    else:
        entry["ratings"] = data.tolist()
    for weights in (None, "linear", "quadratic"):
        key = weights or "identity"
        # scikit-learn weights by label rank; on these data the observed
        # levels are consecutive integers, so ranks and values agree.
        entry["sklearn_" + key] = cohen_kappa_score(first, second, labels=levels, weights=weights)
        table = np.array([[np.sum((first == a) & (second == b)) for b in levels] for a in levels], float)
        # statsmodels with the category values as scores = irrCAC's value-based weights.
        if weights is None:
            res = cohens_kappa(table)
        else:
            res = cohens_kappa(table, weights=levels, wt=weights)
        entry["statsmodels_" + key] = {"kappa": res.kappa, "se": res.std_kappa, "se_null": res.std_kappa0,
                                       "z": res.z_value, "p": res.pvalue_two_sided}
    return entry


def light_entry(name, data):
    """Light's kappa: the mean of scikit-learn's Cohen kappa over rater pairs."""
    kappas = []
    for a in range(data.shape[1]):
        for b in range(a + 1, data.shape[1]):
            keep = ~np.isnan(data[:, a]) & ~np.isnan(data[:, b])
            kappas.append(cohen_kappa_score(data[keep, a], data[keep, b]))
    return {"name": name, "reference": name, "light": float(np.mean(kappas))}


def fleiss_entry(name, data):
    counts, categories = aggregate_raters(data.astype(int))
    entry = {"name": name, "categories": categories.tolist()}
    if name.endswith(".csv"):
        entry["reference"] = name
    else:
        entry["ratings"] = data.tolist()
    return {**entry,
            "fleiss": fleiss_kappa(counts, method="fleiss"),
            "brennan_prediger": fleiss_kappa(counts, method="randolph")}


def main():
    rng = np.random.default_rng(20240611)
    cohen = [cohen_entry(name, data) for name, data in two_rater_cases(rng)]
    fleiss = []
    for index, (units, raters, categories) in enumerate([(30, 4, 3), (50, 6, 5), (25, 3, 4)]):
        truth = rng.integers(1, categories + 1, size=units)
        noise = rng.integers(1, categories + 1, size=(units, raters))
        keep = rng.random((units, raters)) < 0.55
        data = np.where(keep, truth[:, None], noise).astype(float)
        fleiss.append(fleiss_entry("random%d" % index, data))
    fleiss.append(fleiss_entry("fleiss1971_diagnoses.csv", read_reference("fleiss1971_diagnoses.csv")))
    light = [light_entry(name, read_reference(name)) for name in ("irr_anxiety.csv", "irr_video.csv")]
    out = {
        "generator": "tests/data/oracle/oracle_agreement_core.py",
        "versions": {"python": sys.version.split()[0], "numpy": np.__version__,
                     "sklearn": sklearn.__version__, "statsmodels": statsmodels.__version__},
        "cohen": cohen,
        "fleiss": fleiss,
        "light": light,
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as handle:
        json.dump(out, handle, indent=1)
        handle.write("\n")
    print("wrote", OUT)


if __name__ == "__main__":
    main()
