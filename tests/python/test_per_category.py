"""Per-category agreement (each category against the rest).  The expected
values come from peers run here on the collapsed two-category data:
scikit-learn's cohen_kappa_score and statsmodels' fleiss_kappa."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import calibra
from conftest import reference_csv

sklearn_metrics = pytest.importorskip("sklearn.metrics")
inter_rater = pytest.importorskip("statsmodels.stats.inter_rater")


def random_ratings(seed: int, units: int, raters: int, q: int, missing: float = 0.0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    truth = rng.integers(1, q + 1, size=units)
    noise = rng.integers(-1, 2, size=(units, raters)) * (rng.random((units, raters)) < 0.4)
    ratings = np.clip(truth[:, None] + noise, 1, q).astype(float)
    ratings[rng.random((units, raters)) < missing] = np.nan
    return ratings


def statsmodels_fleiss_of_category(ratings: np.ndarray, code: float) -> float:
    table, _ = inter_rater.aggregate_raters((ratings == code).astype(int), n_cat=2)
    return float(inter_rater.fleiss_kappa(table, method="fleiss"))


@pytest.mark.parametrize("seed, missing", [(1, 0.0), (2, 0.0), (3, 0.15)])
def test_cohen_per_category_matches_sklearn_on_the_collapsed_table(seed, missing):
    ratings = random_ratings(seed, 80, 2, 4, missing)
    table = calibra.per_category(ratings, "cohen")
    both = ~np.isnan(ratings).any(axis=1)
    a, b = ratings[both, 0], ratings[both, 1]
    codes = np.unique(ratings[~np.isnan(ratings)])
    assert table["category"].tolist() == codes.tolist()
    expected = [sklearn_metrics.cohen_kappa_score(a == c, b == c) for c in codes]
    np.testing.assert_allclose(table["value"].to_numpy(), expected, rtol=0, atol=1e-12)
    assert (table["statistic"] == "cohen").all()
    assert (table["n_units"] == both.sum()).all()
    assert ((table["ci_low"] <= table["value"]) & (table["value"] <= table["ci_high"])).all()


@pytest.mark.parametrize("seed", [4, 5])
def test_scott_per_category_matches_two_rater_fleiss_of_statsmodels(seed):
    # Scott's pi is Fleiss' kappa of two raters on complete data.
    ratings = random_ratings(seed, 60, 2, 3)
    table = calibra.per_category(ratings, "scott")
    expected = [statsmodels_fleiss_of_category(ratings, c) for c in table["category"]]
    np.testing.assert_allclose(table["value"].to_numpy(), expected, rtol=0, atol=1e-12)


def test_fleiss_per_category_matches_statsmodels_on_the_diagnoses():
    # Fleiss (1971): 30 patients, 6 psychiatrists, 5 diagnoses.
    ratings = reference_csv("fleiss1971_diagnoses.csv").to_numpy(dtype=float)
    table = calibra.per_category(ratings, "fleiss")
    expected = [statsmodels_fleiss_of_category(ratings, c) for c in table["category"]]
    np.testing.assert_allclose(table["value"].to_numpy(), expected, rtol=0, atol=1e-12)
    # The per-category kappas the Fleiss result carries are the same values.
    carried = calibra.agree(ratings, "fleiss").per_category
    np.testing.assert_allclose([carried[c] for c in table["category"]], expected, rtol=0, atol=1e-12)
    assert table["se"].notna().all()
    # And the per-category kappas Fleiss (1971) reports for these data.
    np.testing.assert_allclose(table["value"].round(3), [0.245, 0.245, 0.520, 0.471, 0.566], atol=1e-12)


@pytest.mark.parametrize("raters", [2, 5])
def test_krippendorff_per_category_follows_from_fleiss_of_statsmodels(raters):
    # On complete data nominal alpha = 1 - (1 - kappa_Fleiss) (n - 1) / n with
    # n the number of values (Krippendorff's small-sample correction of pi).
    ratings = random_ratings(6 + raters, 40, raters, 4)
    table = calibra.per_category(ratings, "krippendorff")
    n = ratings.size
    expected = [1 - (1 - statsmodels_fleiss_of_category(ratings, c)) * (n - 1) / n for c in table["category"]]
    np.testing.assert_allclose(table["value"].to_numpy(), expected, rtol=0, atol=1e-12)


def test_declared_categories_give_a_row_each_and_long_data_works():
    long = pd.DataFrame({"unit": [1, 1, 2, 2, 3, 3, 4, 4], "rater": ["a", "b"] * 4,
                         "level": [1, 1, 2, 3, 3, 3, 1, 2]})
    table = calibra.per_category(long, "cohen", categories=[1, 2, 3, 4])
    assert table["category"].tolist() == [1.0, 2.0, 3.0, 4.0]
    wide = long.pivot(index="unit", columns="rater", values="level").to_numpy(dtype=float)
    for code, value in zip([1, 2, 3], table["value"][:3]):
        assert value == pytest.approx(sklearn_metrics.cohen_kappa_score(wide[:, 0] == code, wide[:, 1] == code),
                                      abs=1e-12)
    unused = table.iloc[3]
    assert np.isnan(unused["value"]) and isinstance(unused["reason"], str)


def test_per_category_refuses_what_has_no_per_category_form():
    ratings = random_ratings(9, 20, 3, 3)
    with pytest.raises(calibra.InvalidArgument, match="'gwet' has no per-category form here; choose one of cohen"):
        calibra.per_category(ratings, "gwet")
    with pytest.raises(calibra.InvalidArgument, match="weights= does not apply"):
        calibra.per_category(ratings[:, :2], "cohen", weights="quadratic")
    with pytest.raises(calibra.InvalidArgument, match="level 3 is not among categories"):
        calibra.per_category(ratings, "fleiss", categories=[1, 2])
