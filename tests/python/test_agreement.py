"""Agreement from Python.  Expected numbers come from the published papers
(Fleiss 1971, Shrout & Fleiss 1979, Krippendorff 2011) or from peer
implementations run here (scikit-learn, statsmodels)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import calibra
from calibra import _core
from calibra.agreement import _matrix
from conftest import REFERENCE, reference_csv

# ---- published values ------------------------------------------------------------------


def test_fleiss_1971_kappa():
    # Fleiss (1971), Psychol Bull 76:378-382: kappa = 0.430 for the 30 patients.
    result = calibra.fleiss_kappa(reference_csv("fleiss1971_diagnoses.csv"))
    assert result.value == pytest.approx(0.430, abs=5e-4)
    assert result.n_units == 30 and result.n_raters == 6
    assert result.statistic == "fleiss"


def test_fleiss_1971_per_category_kappas():
    # Category-versus-rest kappas of the same data, as printed by
    # irr::kappam.fleiss(diagnoses, detail = TRUE): .245 .245 .520 .471 .566.
    data = reference_csv("fleiss1971_diagnoses.csv")
    result = calibra.fleiss_kappa(data)
    assert list(result.per_category) == [1.0, 2.0, 3.0, 4.0, 5.0]
    assert list(result.per_category.values()) == pytest.approx([0.245, 0.245, 0.520, 0.471, 0.566], abs=5e-4)
    frame = result.per_category_frame()
    assert list(frame.columns) == ["category", "value"]
    assert calibra.fleiss_kappa(data, category=3).value == pytest.approx(0.520, abs=5e-4)


@pytest.mark.parametrize(
    "form, published",
    [("ICC1", 0.17), ("ICC2", 0.29), ("ICC3", 0.71), ("ICC1k", 0.44), ("ICC2k", 0.62), ("ICC3k", 0.91)],
)
def test_shrout_fleiss_1979_icc_table(form, published):
    # Shrout & Fleiss (1979), Psychol Bull 86:420-428, Table 4 (two decimals).
    result = calibra.icc(reference_csv("shrout_fleiss_1979.csv"), form=form)
    assert result.value == pytest.approx(published, abs=0.005)
    assert result.options["form"] == form


def test_icc_accepts_mcgraw_wong_names():
    data = reference_csv("shrout_fleiss_1979.csv")
    assert calibra.icc(data, form="twoway-consistency-single").value == pytest.approx(0.71, abs=0.005)
    assert calibra.icc(data, form="icc3").options["form"] == "ICC3"


@pytest.mark.parametrize(
    "level, published", [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)]
)
def test_krippendorff_2011_worked_example(level, published):
    # Krippendorff (2011), "Computing Krippendorff's alpha-reliability",
    # the 12 x 4 example with missing values.
    result = calibra.krippendorff_alpha(reference_csv("krippendorff_canonical.csv"), level=level)
    assert result.value == pytest.approx(published, abs=5e-4)
    assert result.n_units == 11  # unit 12 has a single value and is not pairable


# ---- peers --------------------------------------------------------------------------------


def two_raters(seed: int, n: int = 200, q: int = 5) -> np.ndarray:
    """Two correlated raters on codes 1..q, every code used by both."""
    rng = np.random.default_rng(seed)
    truth = rng.integers(1, q + 1, size=n)
    noise = rng.integers(-1, 2, size=(n, 2)) * (rng.random((n, 2)) < 0.4)
    ratings = np.clip(truth[:, None] + noise, 1, q)
    ratings[:q, 0] = np.arange(1, q + 1)
    ratings[:q, 1] = np.arange(1, q + 1)
    return ratings.astype(np.float64)


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("weights", [None, "linear", "quadratic"])
def test_cohen_kappa_matches_scikit_learn(seed, weights):
    from sklearn.metrics import cohen_kappa_score

    ratings = two_raters(seed)
    expected = cohen_kappa_score(ratings[:, 0], ratings[:, 1], weights=weights)
    result = calibra.cohen_kappa(ratings, weights=weights)
    assert result.value == pytest.approx(expected, abs=1e-12)
    assert result.options["weights"] == (weights or "identity")


@pytest.mark.parametrize("seed, raters, q", [(10, 3, 3), (11, 5, 4), (12, 8, 6)])
def test_fleiss_kappa_matches_statsmodels(seed, raters, q):
    from statsmodels.stats.inter_rater import aggregate_raters, fleiss_kappa

    rng = np.random.default_rng(seed)
    truth = rng.integers(0, q, size=150)
    ratings = np.where(rng.random((150, raters)) < 0.6, truth[:, None], rng.integers(0, q, size=(150, raters)))
    table, _ = aggregate_raters(ratings)
    expected = fleiss_kappa(table, method="fleiss")
    result = calibra.fleiss_kappa(ratings.astype(float))
    assert result.value == pytest.approx(expected, abs=1e-12)
    assert result.n_units == 150 and result.n_raters == raters


def test_pairwise_cohen_matches_scikit_learn_per_pair():
    from sklearn.metrics import cohen_kappa_score

    rng = np.random.default_rng(5)
    truth = rng.integers(1, 5, size=80)
    data = pd.DataFrame(
        {name: np.where(rng.random(80) < 0.7, truth, rng.integers(1, 5, size=80)) for name in ["ann", "bo", "cy"]}
    )
    result = calibra.pairwise(data, "cohen")
    assert list(result.value.columns) == ["ann", "bo", "cy"]
    for a, b in [("ann", "bo"), ("ann", "cy"), ("bo", "cy")]:
        expected = cohen_kappa_score(data[a], data[b])
        assert result.value.at[a, b] == pytest.approx(expected, abs=1e-12)
        assert result.value.at[b, a] == pytest.approx(expected, abs=1e-12)
    assert np.isnan(result.value.at["ann", "ann"])
    tidy = result.to_frame()
    assert list(tidy.columns) == ["rater_a", "rater_b", "value", "n_units", "reason"]
    assert len(tidy) == 3 and (tidy["n_units"] == 80).all()


# ---- input layouts ----------------------------------------------------------------------


def sample_with_missing() -> np.ndarray:
    rng = np.random.default_rng(7)
    ratings = rng.integers(1, 6, size=(40, 4)).astype(float)
    ratings[rng.random(ratings.shape) < 0.15] = np.nan
    return ratings


def test_fortran_ordered_float64_reaches_cpp_without_a_copy():
    fortran = np.asfortranarray(sample_with_missing())
    assert _core._ratings_address(fortran) == fortran.ctypes.data
    c_order = np.ascontiguousarray(sample_with_missing())
    assert _core._ratings_address(c_order) != c_order.ctypes.data  # converted once


def test_float64_dataframe_is_passed_without_a_copy():
    # Built column by column (as read_csv does), pandas stores one float64
    # block rater-major: exactly the column-major matrix C++ wants.
    ratings = sample_with_missing()
    frame = pd.DataFrame({name: ratings[:, k] for k, name in enumerate("abcd")})
    matrix = _matrix(frame)
    assert matrix.flags.f_contiguous
    assert np.shares_memory(matrix, frame.to_numpy())
    assert _core._ratings_address(matrix) == matrix.ctypes.data


@pytest.mark.parametrize("stat", ["fleiss", "krippendorff", "gwet", "icc", "percent"])
def test_every_layout_gives_the_same_result(stat):
    ratings = sample_with_missing()
    reference = calibra.agree(np.asfortranarray(ratings), stat).to_dict()
    variants = [
        np.ascontiguousarray(ratings),
        ratings[:, ::-1][:, ::-1],  # a non-contiguous view
        ratings.tolist(),
        pd.DataFrame(ratings, columns=["a", "b", "c", "d"]),
        pd.DataFrame(ratings).astype("Float64"),  # nullable floats: pd.NA for missing
    ]
    for data in variants:
        assert calibra.agree(data, stat).to_dict() == reference


def test_integer_and_none_inputs():
    with_nan = calibra.agree(np.array([[1, 1], [2, 2], [1, np.nan]]), "fleiss").to_dict()
    assert calibra.agree([[1, 1], [2, 2], [1, None]], "fleiss").to_dict() == with_nan
    frame = pd.DataFrame({"a": [1, 2, 3, 1], "b": pd.array([1, 2, None, 1], dtype="Int64")})
    result = calibra.agree(frame, "cohen")
    assert result.n_units == 3  # Cohen's kappa uses the units both raters rated


def long_from_wide(wide: pd.DataFrame) -> pd.DataFrame:
    long = wide.rename_axis("unit").reset_index().melt(id_vars="unit", var_name="rater", value_name="level")
    return long.dropna(subset=["level"])


def test_long_dataframe_gives_the_wide_result():
    wide = reference_csv("krippendorff_canonical.csv")
    long = long_from_wide(wide)
    shuffled = long.sample(frac=1.0, random_state=3)
    for stat in ["krippendorff", "fleiss", "gwet"]:
        expected = calibra.agree(wide.dropna(how="all"), stat).value
        assert calibra.agree(long, stat).value == pytest.approx(expected, abs=1e-12)
        assert calibra.agree(shuffled, stat).value == pytest.approx(expected, abs=1e-12)


def test_long_units_are_ratee_and_competency_pairs():
    long = pd.DataFrame(
        {
            "ratee": ["ann", "ann", "ann", "ann", "bo", "bo", "bo"],
            "competency": ["spec", "spec", "data", "data", "spec", "spec", "data"],
            "rater": ["m1", "m2", "m1", "m2", "m1", "m2", "m1"],
            "level": [3, 3, 2, 4, 1, 2, 5],
        }
    )
    wide = calibra.wide_ratings(long)
    assert list(wide.columns) == ["m1", "m2"]
    assert list(wide.index) == [("ann", "spec"), ("ann", "data"), ("bo", "spec"), ("bo", "data")]
    assert wide.index.names == ["ratee", "competency"]
    expected = np.array([[3, 3], [2, 4], [1, 2], [5, np.nan]])
    np.testing.assert_array_equal(wide.to_numpy(), expected)
    assert calibra.agree(long, "percent").to_dict() == calibra.agree(expected, "percent").to_dict()


def test_long_duplicate_rating_is_an_error_naming_unit_and_rater():
    long = pd.DataFrame({"ratee": ["ann", "ann", "ann"], "rater": ["m1", "m2", "m1"], "level": [3, 3, 4]})
    with pytest.raises(calibra.InvalidArgument, match=r"row 2 rates unit 'ann' by rater 'm1' a second time"):
        calibra.agree(long, "percent")


def test_long_non_numeric_level_is_an_error_naming_the_row():
    long = pd.DataFrame({"unit": [1, 1], "rater": ["a", "b"], "level": [3, "proficient"]})
    with pytest.raises(calibra.InvalidArgument, match=r"row 1 has level 'proficient'"):
        calibra.agree(long, "percent")


def test_long_row_without_rater_is_an_error():
    long = pd.DataFrame({"unit": [1, 1], "rater": ["a", None], "level": [3, 3]})
    with pytest.raises(calibra.InvalidArgument, match="row 1 has no rater"):
        calibra.agree(long, "percent")


def test_wide_dataframe_with_unit_column():
    frame = pd.DataFrame({"pm": ["x", "y", "z"], "a": [1, 2, 3], "b": [1, 2, 2]})
    with pytest.raises(calibra.InvalidArgument, match="column 'pm' holds object values"):
        calibra.agree(frame, "cohen")
    result = calibra.agree(frame, "cohen", unit_column="pm")
    assert result.n_units == 3
    assert list(calibra.wide_ratings(frame, unit_column="pm").index) == ["x", "y", "z"]
    assert calibra.agree(frame, "cohen", unit="pm").to_dict() == result.to_dict()
    with pytest.raises(calibra.InvalidArgument, match="unit= names column 'id', which this DataFrame does not have"):
        calibra.agree(frame, "cohen", unit_column="id")


def test_read_wide_csv_matches_pandas():
    frame = calibra.read_wide_csv(REFERENCE / "krippendorff_canonical.csv")
    expected = reference_csv("krippendorff_canonical.csv")
    assert list(frame.columns) == list(expected.columns)
    np.testing.assert_array_equal(frame.to_numpy(), expected.to_numpy())


def test_read_wide_csv_reports_the_csv_parse_error(tmp_path):
    bad = tmp_path / "ragged.csv"
    bad.write_text("a,b\n1,2\n3\n")
    with pytest.raises(calibra.ParseError, match="ragged.csv"):
        calibra.read_wide_csv(bad)


# ---- options ------------------------------------------------------------------------------


def test_custom_weight_matrix_equals_the_named_scheme():
    ratings = two_raters(4)
    codes = np.arange(1.0, 6.0)
    quadratic = 1 - (codes[:, None] - codes[None, :]) ** 2 / (codes[-1] - codes[0]) ** 2
    named = calibra.gwet_ac(ratings, weights="quadratic")
    custom = calibra.gwet_ac(ratings, weights=quadratic)
    assert custom.value == pytest.approx(named.value, abs=1e-12)
    assert custom.options["weights"] == "custom"


def test_declared_categories_count_even_when_unused():
    ratings = np.array([[1, 1], [2, 2], [1, 2], [2, 2], [1, 1.0]])
    observed = calibra.brennan_prediger(ratings)
    declared = calibra.brennan_prediger(ratings, categories=[1, 2, 3, 4])
    assert declared.options["categories"] == [1.0, 2.0, 3.0, 4.0]
    # Brennan-Prediger chance agreement is 1/q.
    assert observed.chance == pytest.approx(1 / 2)
    assert declared.chance == pytest.approx(1 / 4)


def test_within_tolerance_and_missing_policy():
    ratings = np.array([[1, 2], [3, 3], [1, 3], [4, np.nan]])
    assert calibra.within_agreement(ratings).value == pytest.approx(2 / 3)
    assert calibra.within_agreement(ratings, tolerance=2).value == pytest.approx(1.0)
    assert calibra.agree(ratings, "percent", missing="listwise").options["missing"] == "listwise"


def test_ci_level_and_bootstrap_are_reproducible():
    data = reference_csv("fleiss1971_diagnoses.csv")
    narrow = calibra.fleiss_kappa(data, ci=0.5)
    wide = calibra.fleiss_kappa(data, ci=0.99)
    assert wide.ci_low < narrow.ci_low < narrow.value < narrow.ci_high < wide.ci_high
    first = calibra.fleiss_kappa(data, bootstrap=200, seed=42, threads=1)
    second = calibra.fleiss_kappa(data, bootstrap=200, seed=42, threads=2)
    assert "bootstrap" in first.ci_method
    assert (first.ci_low, first.ci_high) == (second.ci_low, second.ci_high)
    assert first.options["bootstrap"] == 200 and first.options["seed"] == 42


def test_degenerate_data_gives_no_value_and_a_reason():
    result = calibra.fleiss_kappa(np.full((5, 3), 2.0))
    assert result.value is None
    assert result.reason
    assert "reason" in repr(result)


# ---- errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "options, message",
    [
        (
            {"weights": "quadratc"},
            "unknown weights 'quadratc'; expected one of: identity, linear, quadratic, ordinal, radical, ratio, "
            "circular, bipolar, custom",
        ),
        ({"level": "metric"}, "unknown measurement level 'metric'; expected one of: nominal, ordinal, interval, ratio"),
        ({"form": "ICC4"}, "unknown ICC form 'ICC4'; expected one of: ICC1, ICC2, ICC3, ICC1k, ICC2k, ICC3k"),
        ({"missing": "pairwise"}, "unknown missing policy 'pairwise'; expected one of: listwise, available"),
    ],
)
def test_bad_option_values_list_the_choices(options, message):
    with pytest.raises(calibra.InvalidArgument) as caught:
        calibra.agree(sample_with_missing(), "fleiss", **options)
    assert str(caught.value) == "[calibra.invalid_argument.agreement] " + message
    assert caught.value.id == "invalid_argument.agreement"
    assert isinstance(caught.value, ValueError)


def test_unknown_statistic_lists_the_statistics():
    with pytest.raises(calibra.InvalidArgument, match="unknown statistic 'kappa'; expected one of: percent, unanimous"):
        calibra.agree(sample_with_missing(), "kappa")


def test_cohen_needs_two_raters():
    with pytest.raises(calibra.InvalidArgument, match=r"Cohen's kappa needs exactly 2 raters \(columns\); got 4"):
        calibra.cohen_kappa(sample_with_missing())


def test_bad_numbers_are_invalid_arguments():
    data = sample_with_missing()
    with pytest.raises(calibra.InvalidArgument):
        calibra.agree(data, "fleiss", ci=1.5)
    with pytest.raises(calibra.InvalidArgument, match="bootstrap must be 0 or more"):
        calibra.agree(data, "fleiss", bootstrap=-1)
    with pytest.raises(calibra.InvalidArgument, match="seed must be a whole number"):
        calibra.agree(data, "fleiss", seed=1.5)
    with pytest.raises(calibra.InvalidArgument, match="2-D"):
        calibra.agree(np.arange(4.0), "fleiss")
    with pytest.raises(calibra.InvalidArgument, match="custom"):
        calibra.agree(data, "gwet", weights="custom")
    valid = "categories, missing, weights, level, form, category, tolerance, ci, population, se, bootstrap, seed, " \
        "bootstrap_method, threads"
    for function in (calibra.agree, calibra.pairwise):
        with pytest.raises(calibra.InvalidArgument) as caught:
            function(data, "cohen", wieghts="linear")
        assert str(caught.value) == f"[calibra.invalid_argument.agreement] unknown option 'wieghts'; expected one of: {valid}"


def test_undeclared_category_in_data_is_reported_by_the_engine():
    with pytest.raises(calibra.Error) as caught:
        calibra.agree(np.array([[1, 2], [3, 1.0]]), "fleiss", categories=[1, 2])
    assert str(caught.value).startswith("[calibra.")
    assert "3" in str(caught.value)


def test_error_hierarchy():
    assert issubclass(calibra.ParseError, calibra.Error)
    assert issubclass(calibra.ValidationError, calibra.Error)
    assert issubclass(calibra.InvalidArgument, calibra.Error)
    assert issubclass(calibra.InvalidArgument, ValueError)
    assert issubclass(calibra.DegenerateError, calibra.Error)
    assert not issubclass(calibra.DegenerateError, ValueError)
    assert calibra.Error.__module__ == "calibra"


# ---- result objects ---------------------------------------------------------------------------


def test_result_to_dict_and_to_frame():
    result = calibra.agree(reference_csv("fleiss1971_diagnoses.csv"), "gwet", weights="quadratic", ci=0.9)
    d = result.to_dict()
    assert list(d)[:2] == ["statistic", "options"]
    for key in ["value", "se", "ci_low", "ci_high", "n_units", "n_raters", "observed", "chance", "reason"]:
        assert key in d
    assert d["options"]["weights"] == "quadratic" and d["options"]["ci"] == 0.9
    frame = result.to_frame()
    assert frame.shape[0] == 1
    assert frame.loc[0, "value"] == result.value and frame.loc[0, "statistic"] == "gwet"
    combined = pd.concat([calibra.agree(reference_csv("fleiss1971_diagnoses.csv"), s).to_frame() for s in
                          ["fleiss", "gwet", "brennan-prediger", "krippendorff"]], ignore_index=True)
    assert list(combined["statistic"]) == ["fleiss", "gwet", "brennan-prediger", "krippendorff"]


def test_result_html_and_repr():
    result = calibra.fleiss_kappa(reference_csv("fleiss1971_diagnoses.csv"))
    page = result._repr_html_()
    assert "<b>0.430</b>" in page and "fleiss" in page and "95%" in page
    assert repr(result).startswith("AgreementResult(statistic='fleiss', value=0.4302")
    assert math.isfinite(result.se)


def test_interpretation_labels_follow_the_statistic():
    # Fleiss (1971) kappa 0.430 is "moderate" on Landis & Koch (1977): 0.41-0.60.
    fleiss = calibra.fleiss_kappa(reference_csv("fleiss1971_diagnoses.csv"))
    assert (fleiss.interpretation, fleiss.interpretation_scale) == ("moderate", "Landis & Koch (1977)")
    # Shrout & Fleiss (1979) ICC3 = .71 is "moderate" on Koo & Li (2016): 0.50-0.75.
    icc = calibra.icc(reference_csv("shrout_fleiss_1979.csv"), form="ICC3")
    assert (icc.interpretation, icc.interpretation_scale) == ("moderate", "Koo & Li (2016)")
    # Raw agreement rates are not chance-corrected: no label.
    assert calibra.percent_agreement(reference_csv("fleiss1971_diagnoses.csv")).interpretation is None


@pytest.mark.parametrize(
    "level, published, label",
    [("nominal", 0.743, "tentative"), ("ordinal", 0.815, "reliable"), ("interval", 0.849, "reliable"),
     ("ratio", 0.797, "tentative")],
)
def test_krippendorff_alpha_is_read_on_krippendorffs_thresholds(level, published, label):
    # Krippendorff (2011) worked example values; Krippendorff (2004, p. 241):
    # alpha >= .800 reliable, .667 <= alpha < .800 tentative, else unreliable.
    result = calibra.krippendorff_alpha(reference_csv("krippendorff_canonical.csv"), level=level)
    assert result.value == pytest.approx(published, abs=5e-4)
    assert (result.interpretation, result.interpretation_scale) == (label, "Krippendorff (2004)")
    # The 0.451 was labelled "moderate (Landis & Koch)"; a low alpha is unreliable.
    low = calibra.krippendorff_alpha(reference_csv("irr_anxiety.csv"))
    assert low.value < 0.667 and low.interpretation == "unreliable"


# ---- bounded intervals ---------------------------------------------------------------------------


def fisher_z(value: float, se: float, quantile: float) -> tuple[float, float]:
    """Fisher's z interval worked from an estimate and its SE (docs/agreement.md)."""
    z, half = math.atanh(value), quantile * se / (1 - value * value)
    return math.tanh(z - half), math.tanh(z + half)


@pytest.mark.parametrize("units", [10, 30])
def test_cohen_interval_stays_below_one_against_statsmodels(units):
    # Issue 14: ci=[0.584, 1.122] on 10 units and [0.799, 1.029] on 30.
    from scipy.stats import norm
    from statsmodels.stats.inter_rater import cohens_kappa

    a = np.array(([1] * (units // 2) + [2] * (units - units // 2)), dtype=float)
    b = a.copy()
    b[0] = 2  # one disagreement
    table = np.array([[np.sum((a == i) & (b == j)) for j in (1, 2)] for i in (1, 2)], dtype=float)
    peer = cohens_kappa(table)
    result = calibra.cohen_kappa(np.column_stack([a, b]))
    assert result.value == pytest.approx(peer.kappa, abs=1e-12)
    assert result.se == pytest.approx(peer.std_kappa, abs=1e-12)
    q = norm.ppf(0.975)
    assert peer.kappa + q * peer.std_kappa > 1  # the Wald interval statsmodels prints passes 1
    low, high = fisher_z(peer.kappa, peer.std_kappa, q)
    assert (result.ci_low, result.ci_high) == (pytest.approx(low, abs=1e-12), pytest.approx(high, abs=1e-12))
    assert -1 <= result.ci_low <= result.value <= result.ci_high < 1
    assert result.ci_method == "fisher-z normal"


def test_percent_interval_on_four_units_is_wilsons():
    # Issue 14: [-0.046, 1] on 4 units.  Unit scores 1, 1, 1, 0: p = 3/4 and
    # se^2 = sum (x - p)^2 / (n (n - 1)) = (3/16 + 9/16) / 12 = 1/16.  Wilson's
    # interval with n_eff = p (1 - p) / se^2 = 3 at the t(3) quantile.
    from scipy.stats import t

    result = calibra.percent_agreement(np.array([[1, 1], [2, 2], [1, 1], [1, 2]], dtype=float))
    assert (result.value, result.se) == (0.75, pytest.approx(0.25, abs=1e-15))
    q, n, p = t.ppf(0.975, 3), 3.0, 0.75
    centre, half = p + q * q / (2 * n), q * math.sqrt(p * (1 - p) / n + q * q / (4 * n * n))
    assert result.ci_low == pytest.approx((centre - half) / (1 + q * q / n), abs=1e-12)
    assert result.ci_high == pytest.approx((centre + half) / (1 + q * q / n), abs=1e-12)
    assert 0 < result.ci_low < result.ci_high < 1
    assert result.ci_method == "wilson t(n-1)"


def test_bootstrap_se_is_the_bootstrap_se():
    # Issue 14: with bootstrap=2000 the interval was BCa but se the analytic one.
    data = reference_csv("fleiss1971_diagnoses.csv")
    analytic = calibra.fleiss_kappa(data)
    boot = calibra.fleiss_kappa(data, bootstrap=500, seed=3)
    assert boot.ci_method == "bootstrap-bca"
    assert boot.se == boot.extra["bootstrap_se"] != analytic.se
    assert boot.extra["se_analytic"] == pytest.approx(analytic.se, abs=1e-15)
    assert boot.se == pytest.approx(analytic.se, rel=0.25)  # same quantity, estimated two ways


# ---- options: one path, the CLI's names ------------------------------------------------------


def test_every_option_round_trips_through_the_cli_names():
    # One non-default value per option; the list of names comes from the
    # C++ visit_options, so a new option makes this test name it.
    values = {
        "categories": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
        "missing": "listwise",
        "weights": "linear",
        "level": "ordinal",
        "form": "ICC2k",
        "category": 3.0,
        "tolerance": 2,
        "ci": 0.9,
        "population": 1000.0,
        "se": "null",
        "bootstrap": 50,
        "seed": 7,
        "bootstrap_method": "percentile",
        "threads": 1,
    }
    assert set(values) == set(calibra.OPTIONS)
    echoed = _core.parse_options(**values)
    assert {k: echoed[k] for k in values} == values
    defaults = _core.parse_options()
    assert all(defaults[k] != v for k, v in values.items())
    # None means "keep the default", as leaving the CLI flag off does.
    assert _core.parse_options(**{k: None for k in values}) == defaults


def test_option_values_accept_numpy_scalars_and_arrays():
    options = _core.parse_options(categories=np.arange(1, 4), tolerance=np.int64(2), ci=np.float32(0.5), seed=np.uint64(3))
    assert options["categories"] == [1.0, 2.0, 3.0]
    assert (options["tolerance"], options["ci"], options["seed"]) == (2, 0.5, 3)


@pytest.mark.parametrize(
    "options, message",
    [
        ({"tolerance": 1.5}, "tolerance must be a whole number; got 1.5"),
        ({"bootstrap": True}, "bootstrap must be a whole number; got True"),
        ({"threads": -2}, "threads must be 0 or more; got -2"),
        ({"ci": "high"}, "ci must be a number; got 'high'"),
        ({"categories": [[1, 2], [3, 4]]}, "categories must be a flat list of category codes"),
        ({"level": 2}, "level must be a name such as 'nominal'; got 2"),
        ({"weights": "custom"}, "weights='custom' needs the weight matrix itself"),
        ({"population": float("inf")}, "population must be a finite number of units"),
    ],
)
def test_bad_option_values_name_the_option(options, message):
    with pytest.raises(calibra.InvalidArgument, match=message.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[")):
        calibra.agree(sample_with_missing(), "fleiss", **options)


# ---- level names with framework= -------------------------------------------------------------


def test_long_levels_may_be_level_ids_labels_or_ordinals_of_the_framework():
    fw = calibra.builtin_framework()
    long = pd.DataFrame(
        {
            "ratee": ["ann", "ann", "bo", "bo", "cy", "cy"],
            "rater": ["m1", "m2", "m1", "m2", "m1", "m2"],
            "level": ["proficient", "Proficient", "developing", "3", "Expert", None],
        }
    )
    wide = calibra.wide_ratings(long, framework=fw)
    np.testing.assert_array_equal(wide.to_numpy(), [[3, 3], [2, 3], [5, np.nan]])
    assert calibra.agree(long, "percent", framework=fw).value == pytest.approx(0.5)
    with pytest.raises(calibra.InvalidArgument, match=r"row 0 has level 'proficient'; expected a number .* pass framework="):
        calibra.agree(long, "percent")


def test_unknown_level_name_lists_the_scale():
    fw = calibra.builtin_framework()
    long = pd.DataFrame({"ratee": ["ann", "ann"], "rater": ["m1", "m2"], "level": ["proficient", "master"]})
    with pytest.raises(calibra.InvalidArgument, match=r"row 1 has level 'master'; expected a level id \(foundational, "
                       r"developing, proficient, advanced, expert\), a label \(Foundational, .*\) or an ordinal 1..5"):
        calibra.agree(long, "percent", framework=fw)
    numeric = pd.DataFrame({"ratee": ["ann", "ann"], "rater": ["m1", "m2"], "level": [3, 6]})
    with pytest.raises(calibra.InvalidArgument, match=r"row 1 has level 6, outside the scale 1..5"):
        calibra.agree(numeric, "percent", framework=fw)


def test_wide_level_names_with_framework():
    fw = calibra.builtin_framework()
    frame = pd.DataFrame({"pm": ["x", "y", "z"], "m1": ["expert", "developing", "Advanced"], "m2": [5, 2, 3]})
    wide = calibra.wide_ratings(frame, unit_column="pm", framework=fw)
    np.testing.assert_array_equal(wide.to_numpy(), [[5, 5], [2, 2], [4, 3]])
    assert wide.to_numpy().flags.f_contiguous


def test_example_ratings_file_end_to_end_with_level_ids():
    # The bundled example data: level ids, units (ratee, competency, period).
    from conftest import REPO

    ratings = pd.read_csv(REPO / "data" / "examples" / "ratings.csv")
    managers = ratings[ratings["role"] != "self"]
    wide = calibra.wide_ratings(managers, framework=calibra.builtin_framework())
    # 40 ratees x 12 competencies x 4 periods, each rated by two managers.
    assert wide.shape == (40 * 12 * 4, 6)
    assert list(wide.index.names) == ["ratee", "competency", "period"]
    assert (wide.notna().sum(axis=1) == 2).all()
    result = calibra.agree(managers, "krippendorff", level="ordinal", framework=calibra.builtin_framework())
    assert result.n_units == 40 * 12 * 4 and result.n_raters == 6


def test_long_pivot_with_periods_and_first_appearance_order():
    long = pd.DataFrame(
        {
            "ratee": ["bo", "ann", "bo", "ann", "bo"],
            "period": ["2026Q2", "2026Q1", "2026Q1", "2026Q1", "2026Q2"],
            "rater": ["z", "z", "y", "y", "y"],
            "level": [1, 2, 3, 4, 5],
        }
    )
    wide = calibra.wide_ratings(long)
    assert list(wide.index) == [("bo", "2026Q2"), ("ann", "2026Q1"), ("bo", "2026Q1")]
    assert list(wide.columns) == ["z", "y"]
    np.testing.assert_array_equal(wide.to_numpy(), [[1, 5], [2, 4], [np.nan, 3]])


def test_long_pivot_matches_pandas_pivot_on_random_data():
    rng = np.random.default_rng(11)
    n = 5000
    long = pd.DataFrame(
        {
            "ratee": rng.integers(0, 300, n).astype(str),
            "competency": rng.choice(["a", "b", "c"], n),
            "rater": rng.integers(0, 12, n),
            "level": rng.integers(1, 6, n).astype(float),
        }
    ).drop_duplicates(["ratee", "competency", "rater"])
    ours = calibra.wide_ratings(long)
    theirs = long.pivot(index=["ratee", "competency"], columns="rater", values="level")
    theirs = theirs.reindex(index=ours.index, columns=ours.columns)
    np.testing.assert_array_equal(ours.to_numpy(), theirs.to_numpy())
