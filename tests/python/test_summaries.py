"""Mergeable agreement summaries: the summaries of any split of the units
merge into the single-pass result of agree() on all of them."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

import calibra
from calibra import _core
from conftest import reference_csv

# Statistics with a summary, with options that exercise their weights.
CASES = [
    ("percent", {}),
    ("percent", {"weights": "quadratic"}),
    ("unanimous", {}),
    ("within", {"tolerance": 1}),
    ("fleiss", {}),
    ("fleiss", {"category": 3.0}),
    ("fleiss", {"missing": "listwise"}),
    ("gwet", {}),
    ("gwet", {"weights": "linear", "population": 500}),
    ("brennan-prediger", {"weights": "ordinal"}),
    ("krippendorff", {"level": "nominal"}),
    ("krippendorff", {"level": "ordinal"}),
    ("krippendorff", {"level": "interval"}),
    ("krippendorff", {"level": "ratio"}),
    ("icc", {"form": "ICC2"}),
    ("icc", {"form": "ICC3k"}),
]

TWO_RATER_CASES = [("cohen", {}), ("cohen", {"weights": "quadratic", "se": "null"}), ("scott", {})]


def ratings_with_missing(seed: int, units: int = 120, raters: int = 5) -> np.ndarray:
    rng = np.random.default_rng(seed)
    truth = rng.integers(1, 6, size=units)
    ratings = np.clip(truth[:, None] + rng.integers(-1, 2, size=(units, raters)), 1, 5).astype(float)
    ratings[rng.random(ratings.shape) < 0.2] = np.nan
    return ratings


def summary_in_pieces(ratings: np.ndarray, stat: str, options: dict, pieces: int) -> calibra.AgreementSummary:
    """The summaries of `pieces` consecutive row blocks, merged; the shape
    (codes, pairable frequencies) comes from merged scans of the blocks."""
    blocks = np.array_split(ratings, pieces)
    scans = [_core.summary_scan(np.asfortranarray(b), stat, **options) for b in blocks]
    codes = sorted({c for s in scans for c in s["codes"]})
    pairable = dict.fromkeys(codes, 0.0)
    for s in scans:
        for c, n in zip(s["codes"], s["pairable"]):
            pairable[c] += n
    shape = {} if stat == "icc" else {"categories": codes, "marginals": [pairable[c] for c in codes]}
    parts = [calibra.AgreementSummary.of(b, stat, **shape, **options) for b in blocks]
    return sum(parts[1:], parts[0])


def assert_same_result(merged: calibra.AgreementResult, single: calibra.AgreementResult) -> None:
    a, b = merged.to_dict(), single.to_dict()
    for key in ["value", "se", "ci_low", "ci_high", "observed", "chance"]:
        if b[key] is None:
            assert a[key] is None, key
        else:
            assert a[key] == pytest.approx(b[key], rel=1e-10, abs=1e-12), key
    for key in ["statistic", "n_units", "n_raters", "reason", "ci_method", "disagreement", "options"]:
        assert a[key] == b[key], key
    assert a["per_category"] == pytest.approx(b["per_category"], abs=1e-12)
    assert a["extra"].keys() == b["extra"].keys()
    for key in a["extra"]:
        assert a["extra"][key] == pytest.approx(b["extra"][key], rel=1e-10, abs=1e-12), key


@pytest.mark.parametrize("stat, options", CASES)
@pytest.mark.parametrize("pieces", [1, 3, 7])
def test_merged_summaries_give_the_single_pass_result(stat, options, pieces):
    ratings = ratings_with_missing(3)
    if stat == "icc":
        ratings = ratings + np.random.default_rng(1).normal(0, 0.3, ratings.shape)
    merged = summary_in_pieces(ratings, stat, options, pieces).finish()
    assert_same_result(merged, calibra.agree(ratings, stat, **options))


@pytest.mark.parametrize("stat, options", TWO_RATER_CASES)
def test_two_rater_summaries(stat, options):
    ratings = ratings_with_missing(4, units=200, raters=2)
    merged = summary_in_pieces(ratings, stat, options, 4).finish()
    assert_same_result(merged, calibra.agree(ratings, stat, **options))


def test_published_data_in_pieces():
    # Fleiss (1971): kappa = 0.430 for the 30 patients, here in three pieces of ten.
    data = reference_csv("fleiss1971_diagnoses.csv").to_numpy()
    merged = summary_in_pieces(data, "fleiss", {}, 3).finish()
    assert merged.value == pytest.approx(0.430, abs=5e-4)
    # Krippendorff (2011): ordinal alpha 0.815 with units split 4 / 4 / 4.
    canonical = reference_csv("krippendorff_canonical.csv").to_numpy()
    ordinal = summary_in_pieces(canonical, "krippendorff", {"level": "ordinal"}, 3).finish()
    assert ordinal.value == pytest.approx(0.815, abs=5e-4)
    assert ordinal.se is not None  # the marginals make the variance weights match


def test_declared_codes_that_a_piece_lacks_still_count():
    ratings = ratings_with_missing(5)
    single = calibra.agree(ratings, "gwet", categories=[1, 2, 3, 4, 5, 6])
    low, high = ratings[:60], ratings[60:]
    pieces = [calibra.AgreementSummary.of(p, "gwet", categories=[1, 2, 3, 4, 5, 6]) for p in (low, high)]
    assert_same_result((pieces[0] + pieces[1]).finish(), single)


def test_summaries_pickle_and_merge_after_the_round_trip():
    ratings = ratings_with_missing(6)
    for stat, options in [("fleiss", {}), ("krippendorff", {"level": "interval"}), ("gwet", {"weights": np.eye(5)})]:
        a = calibra.AgreementSummary.of(ratings[:50], stat, categories=[1, 2, 3, 4, 5], **options)
        b = calibra.AgreementSummary.of(ratings[50:], stat, categories=[1, 2, 3, 4, 5], **options)
        restored = pickle.loads(pickle.dumps(a)) + pickle.loads(pickle.dumps(b))
        assert restored.n_units == a.n_units + b.n_units
        assert_same_result(restored.finish(), (a + b).finish())
    pair = ratings_with_missing(7, raters=2)
    cohen = calibra.AgreementSummary.of(pair, "cohen", categories=[1, 2, 3, 4, 5], weights="linear")
    assert_same_result(pickle.loads(pickle.dumps(cohen)).finish(), cohen.finish())


def test_icc_summary_says_why_it_does_not_pickle():
    summary = calibra.AgreementSummary.of(ratings_with_missing(8), "icc")
    with pytest.raises(TypeError, match="ICC summary cannot be pickled yet"):
        pickle.dumps(summary)


def test_summary_errors():
    ratings = ratings_with_missing(9)
    with pytest.raises(calibra.InvalidArgument, match="needs the category codes before the first unit"):
        calibra.AgreementSummary("fleiss", 5)
    with pytest.raises(calibra.InvalidArgument, match="conger has no mergeable summary"):
        calibra.AgreementSummary("conger", 5, categories=[1, 2])
    with pytest.raises(calibra.InvalidArgument, match="analytic interval only"):
        calibra.AgreementSummary("fleiss", 5, categories=[1, 2], bootstrap=100)
    with pytest.raises(calibra.InvalidArgument, match="unknown option 'colour'"):
        calibra.AgreementSummary("fleiss", 5, categories=[1, 2], colour="red")
    with pytest.raises(calibra.InvalidArgument, match="Cohen's kappa needs exactly 2 raters"):
        calibra.AgreementSummary("cohen", 3, categories=[1, 2])
    summary = calibra.AgreementSummary("fleiss", 5, categories=[1, 2, 3])
    with pytest.raises(calibra.ValidationError, match="not one of the 3 declared categories"):
        summary.add(ratings)
    with pytest.raises(calibra.InvalidArgument, match="the summary has 5 raters"):
        summary.add(ratings[:, :4])
    other = calibra.AgreementSummary("fleiss", 5, categories=[1, 2, 3, 4])
    with pytest.raises(calibra.InvalidArgument, match=r"cannot merge summaries .* categories \[1, 2, 3\] and .*\[1, 2, 3, 4\]"):
        summary += other
    assert "fleiss over 5 raters" in repr(summary)


def test_scan_finds_codes_and_pairable_frequencies():
    # Counted independently with numpy: the codes of units with a rating,
    # and their frequencies in units with two or more ratings.
    data = reference_csv("krippendorff_canonical.csv").to_numpy()
    scan = calibra.AgreementSummary.scan(data, "krippendorff")
    rated = ~np.isnan(data)
    pairable = data[rated.sum(axis=1) >= 2]
    values, counts = np.unique(pairable[~np.isnan(pairable)], return_counts=True)
    assert scan["codes"] == sorted(np.unique(data[rated]).tolist())
    assert dict(zip(scan["codes"], scan["pairable"])) == {**dict.fromkeys(scan["codes"], 0.0),
                                                          **dict(zip(values.tolist(), counts.astype(float).tolist()))}
    assert scan["units"] == int((rated.sum(axis=1) >= 1).sum())
    listwise = calibra.AgreementSummary.scan(data, "fleiss", missing="listwise")
    assert listwise["units"] == int(rated.all(axis=1).sum())
