"""Which columns hold what: explicit unit=/rater=/rating=, auto-detection
only when it is unambiguous, ids never read as raters, roles, raters
without ratings, and the misread cases of issue 14, each of which must now
raise or give the right number.

Expected numbers come from psych::ICC (tests/data/oracle/oracle_python_columns.R
writes python_columns_psych.json) and from Krippendorff's alpha computed
here from its textbook definition (Krippendorff 2011, "Computing
Krippendorff's alpha-reliability"), never from calibra."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest

import calibra
from conftest import REPO

ORACLE = REPO / "tests" / "data" / "oracle" / "python_columns_psych.json"
EXAMPLE_RATINGS = REPO / "data" / "examples" / "ratings.csv"


@pytest.fixture(scope="module")
def oracle() -> dict:
    with open(ORACLE, encoding="utf-8") as f:
        return json.load(f)


def long_icc_frame(oracle: dict) -> pd.DataFrame:
    case = oracle["long_icc"]
    return pd.DataFrame({"employee_id": case["employee_id"], "reviewer_id": case["reviewer_id"],
                         "score": case["score"]})


def textbook_alpha(units: list[list[float]], interval: bool) -> float:
    """Krippendorff's alpha from its definition: observed disagreement over
    the pairable values of each unit (weighted 1 / (m_u - 1)), expected
    disagreement over all pairs of pairable values; nominal or interval
    (squared difference) distance."""
    values = [np.asarray([v for v in unit if not np.isnan(v)], dtype=float) for unit in units]
    values = [v for v in values if len(v) >= 2]
    pooled = np.concatenate(values)
    n = len(pooled)

    def distance(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return (a[:, None] - b[None, :]) ** 2 if interval else (a[:, None] != b[None, :]).astype(float)

    observed = sum(distance(v, v).sum() / (len(v) - 1) for v in values) / n
    if interval:
        # Sum over all ordered pairs of (a - b)^2 = 2 n sum (x - mean)^2.
        expected = 2 * n * ((pooled - pooled.mean()) ** 2).sum() / (n * (n - 1))
    else:
        counts = np.unique(pooled, return_counts=True)[1].astype(float)
        expected = (n * n - (counts ** 2).sum()) / (n * (n - 1))
    return float(1 - observed / expected)


def example_levels() -> pd.DataFrame:
    """The bundled example ratings with levels as ordinals 1..5 (the
    built-in framework's scale), and every role."""
    frame = pd.read_csv(EXAMPLE_RATINGS)
    ordinal = {level: k + 1 for k, level in enumerate(calibra.builtin_framework().level_ids)}
    frame["level"] = frame["level"].map(ordinal).astype(float)
    return frame


def alpha_by_unit(frame: pd.DataFrame, keys: list[str], rater: str, rating: str, interval: bool) -> float:
    units = [list(group[rating]) for _, group in frame.groupby(keys, sort=False)]
    return textbook_alpha(units, interval)


# ---- the misread cases of the issue ---------------------------------------------------------


def test_long_frame_with_own_column_names_is_no_longer_read_as_wide(oracle):
    # Issue 14: {employee_id, reviewer_id, score} read as wide gave
    # value=0.000476, n_units=300, n_raters=3.  Now: an error listing the
    # columns and the call shapes, and the right number once named.
    frame = long_icc_frame(oracle)
    with pytest.raises(calibra.InvalidArgument) as caught:
        calibra.agree(frame, "icc", form="ICC2")
    message = str(caught.value)
    assert "['employee_id', 'reviewer_id', 'score']" in message
    assert "column 'employee_id' looks like an id" in message
    assert "unit=COLUMN or [COLUMNS], rater=COLUMN, rating=COLUMN" in message
    result = calibra.agree(frame, "icc", form="ICC2", unit="employee_id", rater="reviewer_id", rating="score")
    expected = oracle["long_icc"]["psych"]["ICC2"]
    assert (result.n_units, result.n_raters) == (100, 3)
    assert result.value == pytest.approx(expected["value"], abs=1e-12)
    assert result.ci_low == pytest.approx(expected["lower"], abs=1e-9)
    assert result.ci_high == pytest.approx(expected["upper"], abs=1e-9)


def test_undeclared_numeric_unit_id_column_is_not_a_rater():
    # Issue 14: a wide frame with a numeric unit_id column gave 7 raters.
    frame = example_levels()
    managers = frame[frame["role"] != "self"]
    wide = managers.pivot(index=["ratee", "competency", "period"], columns="rater", values="level")
    wide = wide.reset_index(drop=True)
    expected = textbook_alpha(wide.to_numpy().tolist(), interval=True)
    wide.insert(0, "unit_id", np.arange(1, len(wide) + 1))
    with pytest.raises(calibra.InvalidArgument, match=r"column 'unit_id' looks like an id .*pass unit="):
        calibra.agree(wide, "krippendorff", level="interval")
    result = calibra.agree(wide, "krippendorff", level="interval", unit="unit_id")
    assert result.n_raters == 6
    assert result.value == pytest.approx(expected, abs=1e-12)
    # Unnamed, but a different whole number on every row, in order: an id too.
    renamed = wide.rename(columns={"unit_id": "row"})
    with pytest.raises(calibra.InvalidArgument, match=r"column 'row' looks like an id \(a different whole number"):
        calibra.agree(renamed, "krippendorff")
    # Picking the rater columns explicitly reads just those.
    raters = [c for c in renamed.columns if c != "row"]
    assert calibra.agree(renamed, "krippendorff", level="interval", rater=raters).value == pytest.approx(expected)


def test_self_ratings_mixed_with_external_ones_warn_and_role_filters():
    # Issue 14: forgetting to drop self ratings silently gave 46 raters.
    frame = example_levels()
    with pytest.warns(calibra.DataWarning, match=r"column 'role' mixes self ratings \(1920 rows\)"):
        mixed = calibra.agree(frame, "krippendorff", level="interval")
    assert mixed.n_raters == 46
    external = frame[frame["role"] != "self"]
    expected = alpha_by_unit(external, ["ratee", "competency", "period"], "rater", "level", interval=True)
    result = calibra.agree(frame, "krippendorff", level="interval", role=["manager", "panel"])
    assert result.n_raters == 6
    assert result.value == pytest.approx(expected, abs=1e-12)
    # Keeping every role on purpose: no warning (pytest -W error would fail).
    everyone = calibra.agree(frame, "krippendorff", level="interval", role=["self", "manager", "panel"])
    assert everyone.value == pytest.approx(mixed.value, abs=1e-15)
    with pytest.raises(calibra.InvalidArgument, match=r"role= 'peer' is not a value of column 'role'"):
        calibra.agree(frame, "fleiss", role="peer")


def test_self_ratings_without_a_role_column_warn_too():
    frame = pd.DataFrame({"ratee": ["a", "a", "b", "b"], "rater": ["a", "m", "b", "m"], "level": [3, 2, 4, 4]})
    with pytest.warns(calibra.DataWarning, match="2 rows rate their own ratee"):
        calibra.agree(frame, "percent")


def test_wrong_column_name_says_what_is_missing():
    # Issue 14: 'raters' for 'rater' gave "column 'ratee': row 12 has level 'pm01'".
    frame = pd.read_csv(EXAMPLE_RATINGS).rename(columns={"rater": "raters"})
    with pytest.raises(calibra.InvalidArgument) as caught:
        calibra.agree(frame, "krippendorff", framework=calibra.builtin_framework())
    message = str(caught.value)
    assert "cannot tell how to read this DataFrame" in message
    assert "'raters'" in message and "rater=COLUMN" in message
    with pytest.raises(calibra.InvalidArgument, match=r"rater= names column 'rater', which this DataFrame does not"):
        calibra.agree(frame, "fleiss", unit=["ratee", "competency"], rater="rater", rating="level")


def test_dict_input_names_the_accepted_types():
    # Issue 14: a dict gave "float() argument must be ... not 'dict'".
    with pytest.raises(calibra.InvalidArgument, match=r"ratings must be a pandas DataFrame .* got dict \(a dict of "
                       r"columns becomes a DataFrame with pd.DataFrame\(d\)\)"):
        calibra.agree({"a": [1, 2], "b": [1, 2]}, "cohen")
    with pytest.raises(calibra.InvalidArgument, match="got Series"):
        calibra.agree(pd.Series([1, 2, 3]), "percent")


def test_empty_rater_column_is_left_out_with_a_warning(oracle):
    # Issue 14: one empty column made every ICC form undefined.  psych::ICC
    # on the four rated columns is the reference.
    case = oracle["empty_rater"]
    wide = pd.DataFrame(case["ratings"], columns=["r1", "r2", "r3", "r4"], dtype=float)
    wide.insert(2, "r_none", np.nan)
    for form, expected in case["psych"].items():
        with pytest.warns(calibra.DataWarning, match=r"rater column\(s\) \['r_none'\] have no ratings"):
            result = calibra.icc(wide, form=form)
        assert result.value == pytest.approx(expected["value"], abs=1e-12), form
        assert result.ci_low == pytest.approx(expected["lower"], abs=1e-9), form
        assert (result.n_units, result.n_raters) == (30, 4)
    with pytest.warns(calibra.DataWarning):
        assert list(calibra.wide_ratings(wide).columns) == ["r1", "r2", "r3", "r4"]


# ---- explicit columns ----------------------------------------------------------------------------


def test_long_columns_of_any_name_equal_the_conventional_ones():
    frame = example_levels()
    frame = frame[frame["role"] != "self"]
    conventional = calibra.agree(frame[["ratee", "competency", "period", "rater", "level"]], "fleiss")
    renamed = frame.rename(columns={"ratee": "person", "competency": "skill", "rater": "judge", "level": "score"})
    named = calibra.agree(renamed, "fleiss", unit=["person", "skill", "period"], rater="judge", rating="score")
    assert named.to_dict() == conventional.to_dict()
    # unit= alone on calibra's column names: long data with those unit columns.
    assert calibra.agree(frame, "fleiss", unit=["ratee", "competency", "period"]).to_dict() == conventional.to_dict()


@pytest.mark.parametrize(
    "columns, message",
    [
        ({"rater": "judge"}, r"long data needs unit=, rater= and rating=; unit=, rating= missing"),
        ({"unit": "person", "rating": "score"}, r"rater= missing"),
        ({"unit": "person", "rater": "judge", "rating": "grade"}, r"rating= names column 'grade', which"),
        ({"unit": "judge", "rater": "judge", "rating": "score"}, r"column 'judge' is given as both unit= and rater="),
        ({"unit": "person", "rater": "judge", "rating": ["score"]}, r"rating= names one column"),
        ({"role": "manager", "unit": "person", "rater": "judge", "rating": "score"}, r"has no column 'role'"),
    ],
)
def test_bad_column_arguments_name_the_column(columns, message):
    frame = pd.DataFrame({"person": ["a", "a", "b"], "judge": ["x", "y", "x"], "score": [1, 2, 2]})
    with pytest.raises(calibra.InvalidArgument, match=message):
        calibra.agree(frame, "percent", **columns)


def test_bad_rows_name_their_column():
    frame = pd.DataFrame({"person": ["a", "a", None], "judge": ["x", "y", "x"], "score": [1, "two", 2]})
    with pytest.raises(calibra.InvalidArgument, match=r"row 2 has no person \(column 'person' is empty there\)"):
        calibra.agree(frame, "percent", unit="person", rater="judge", rating="score")
    frame.loc[2, "person"] = "b"
    with pytest.raises(calibra.InvalidArgument, match=r"column 'score': row 1 has level 'two'"):
        calibra.agree(frame, "percent", unit="person", rater="judge", rating="score")


def test_column_arguments_need_a_dataframe():
    with pytest.raises(calibra.InvalidArgument, match="unit= names a column of a DataFrame; got ndarray"):
        calibra.agree(np.ones((3, 2)), "percent", unit="x")


def test_wide_columns_named_explicitly():
    frame = pd.DataFrame({"pm": ["x", "y", "z", "w"], "note": ["", "late", "", ""], "a": [1, 2, 3, 1],
                          "b": [1, 2, 2, 1]})
    with pytest.raises(calibra.InvalidArgument, match=r"column 'note' holds object values"):
        calibra.agree(frame, "cohen", unit="pm")
    from sklearn.metrics import cohen_kappa_score

    result = calibra.agree(frame, "cohen", unit="pm", rater=["a", "b"])
    assert result.value == pytest.approx(cohen_kappa_score(frame["a"], frame["b"]), abs=1e-15)
    with pytest.raises(calibra.InvalidArgument, match="column 'a' is given as both unit= and rater="):
        calibra.agree(frame, "cohen", unit="a", rater=["a", "b"])


def test_small_integer_ratings_are_not_ids():
    # Few units, or a rating column that repeats values: not ids.
    frame = pd.DataFrame({"a": [1, 2, 3], "b": [1, 2, 2]})
    assert calibra.agree(frame, "cohen").n_units == 3
    rng = np.random.default_rng(3)
    scores = pd.DataFrame({"r1": rng.permutation(40), "r2": rng.permutation(40)})  # unordered, all distinct
    assert calibra.agree(scores, "icc").n_raters == 2  # no column has more distinct values than the others


# ---- tidy batch results ---------------------------------------------------------------------------


def test_batch_by_group_is_one_tidy_row_per_statistic_and_group():
    from statsmodels.stats.inter_rater import fleiss_kappa

    frame = example_levels()
    table = calibra.agree(frame, ["fleiss", "gwet", "krippendorff"], by="competency", role=["manager", "panel"],
                          level="interval")
    competencies = list(pd.unique(frame["competency"]))
    assert len(table) == 3 * len(competencies)
    assert list(table.columns[:3]) == ["competency", "statistic", "weights"]
    assert {"level", "form", "value", "se", "ci_low", "ci_high", "n_units", "n_raters", "reason"} <= set(table.columns)
    assert list(table["competency"].iloc[:3]) == [competencies[0]] * 3
    assert list(table["statistic"].iloc[:3]) == ["fleiss", "gwet", "krippendorff"]
    # Options apply where they mean something: level to alpha only.
    assert table.loc[table["statistic"] == "krippendorff", "level"].eq("interval").all()
    assert table.loc[table["statistic"] != "krippendorff", "level"].isna().all()
    assert table.loc[table["statistic"] == "krippendorff", "weights"].isna().all()
    external = frame[frame["role"] != "self"]
    for competency in competencies[:4]:
        part = external[external["competency"] == competency]
        rows = table[table["competency"] == competency].set_index("statistic")
        counts = part.groupby(["ratee", "period"])["level"].apply(
            lambda s: np.bincount(s.astype(int), minlength=6)[1:]).tolist()
        assert rows.at["fleiss", "value"] == pytest.approx(fleiss_kappa(np.array(counts)), abs=1e-12)
        expected = alpha_by_unit(part, ["ratee", "period"], "rater", "level", interval=True)
        assert rows.at["krippendorff", "value"] == pytest.approx(expected, abs=1e-12)
        assert rows.at["gwet", "value"] == pytest.approx(calibra.gwet_ac(part).value, abs=1e-15)
        assert rows.at["fleiss", "n_units"] == part.groupby(["ratee", "period"]).ngroups


def test_icc_form_all_gives_the_six_forms_as_psych_does(oracle):
    frame = long_icc_frame(oracle)
    table = calibra.agree(frame, "icc", form="all", unit="employee_id", rater="reviewer_id", rating="score")
    assert list(table["form"]) == ["ICC1", "ICC2", "ICC3", "ICC1k", "ICC2k", "ICC3k"]
    assert {"F", "df1", "df2", "p"} <= set(table.columns)
    for _, row in table.iterrows():
        expected = oracle["long_icc"]["psych"][row["form"]]
        assert row["value"] == pytest.approx(expected["value"], abs=1e-12)
        assert row["F"] == pytest.approx(expected["F"], rel=1e-12)
        assert row["ci_low"] == pytest.approx(expected["lower"], abs=1e-9)
        assert row["ci_high"] == pytest.approx(expected["upper"], abs=1e-9)
    assert table["interpretation_scale"].eq("Koo & Li (2016)").all()
    wide = frame.pivot(index="employee_id", columns="reviewer_id", values="score")
    assert calibra.icc(wide, form="all")["value"].tolist() == pytest.approx(table["value"].tolist(), abs=1e-15)


def test_to_frame_carries_the_options():
    diagnoses = pd.read_csv(REPO / "tests" / "data" / "reference" / "fleiss1971_diagnoses.csv")
    rows = pd.concat([calibra.agree(diagnoses, "gwet", weights=w).to_frame() for w in ["identity", "quadratic"]],
                     ignore_index=True)
    assert list(rows["weights"]) == ["identity", "quadratic"]
    assert rows["form"].isna().all() and rows["level"].isna().all()
    assert rows["ci"].eq(0.95).all()
    assert rows["bootstrap"].eq(0).all() and rows["seed"].isna().all()
    assert rows.loc[0, "categories"] == (1.0, 2.0, 3.0, 4.0, 5.0)
    # The batch rows are the to_frame() rows.
    batch = calibra.agree(diagnoses, ["gwet", "fleiss"], weights="quadratic")
    pd.testing.assert_frame_equal(batch.iloc[[0]].reset_index(drop=True), rows.iloc[[1]].reset_index(drop=True))
    assert list(batch["statistic"]) == ["gwet", "fleiss"]


def test_batch_errors_say_where():
    frame = pd.DataFrame({"g": [1, 1, 2, 2], "a": [1, 2, 1, 2], "b": [1, 2, 2, 2], "c": [1, 1, 1, 2]})
    with pytest.raises(calibra.InvalidArgument) as caught:
        calibra.agree(frame, ["fleiss", "cohen"], by="g")
    assert "(while computing statistic 'cohen' in group g=1)" in caught.value.__notes__
    with pytest.raises(calibra.InvalidArgument, match="by= names column 'group'"):
        calibra.agree(frame, "fleiss", by="group")
    with pytest.raises(calibra.InvalidArgument, match="stat must be a statistic name"):
        calibra.agree(frame, [], by="g")


# ---- confusion matrix ------------------------------------------------------------------------------


def test_confusion_matches_scikit_learn():
    from sklearn.metrics import confusion_matrix

    rng = np.random.default_rng(11)
    truth = rng.integers(1, 5, size=60)
    wide = pd.DataFrame({"ann": np.where(rng.random(60) < 0.7, truth, rng.integers(1, 5, size=60)).astype(float),
                         "bo": np.where(rng.random(60) < 0.7, truth, rng.integers(1, 5, size=60)).astype(float)})
    wide.loc[[3, 9], "bo"] = np.nan
    table = calibra.confusion(wide, "ann", "bo")
    both = wide.dropna()
    labels = sorted(set(both["ann"]) | set(both["bo"]))
    np.testing.assert_array_equal(table.to_numpy(), confusion_matrix(both["ann"], both["bo"], labels=labels))
    assert (table.index.name, table.columns.name) == ("ann", "bo")
    assert list(table.index) == [1, 2, 3, 4]
    declared = calibra.confusion(wide, "ann", "bo", categories=[1, 2, 3, 4, 5])
    assert declared.shape == (5, 5) and declared.loc[5].sum() == 0
    # Long data: the raters are rater ids.
    long = wide.rename_axis("unit").reset_index().melt(id_vars="unit", var_name="rater", value_name="level")
    pd.testing.assert_frame_equal(calibra.confusion(long.dropna(), "ann", "bo"), table)
    with pytest.raises(calibra.InvalidArgument, match=r"rater 'cy' is not a rater of this data; the raters are"):
        calibra.confusion(wide, "ann", "cy")
    with pytest.raises(calibra.InvalidArgument, match=r"rater 'ann' has level 4, which is not among categories"):
        calibra.confusion(wide, "ann", "bo", categories=[1, 2, 3])
