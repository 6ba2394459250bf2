"""Calibration from Python: ratings in (files, DataFrames), the report of
`calibra calibrate --json` out as DataFrames.  Expected numbers come from
the file itself read by pandas, from the CLI's JSON, or from the effects
planted in the bundled example (data/examples/README.md)."""

from __future__ import annotations

import json
import os
import subprocess

import numpy as np
import pandas as pd
import pytest

import calibra
from conftest import REPO

EXAMPLE = REPO / "data" / "examples" / "ratings.csv"


@pytest.fixture(scope="module")
def example_frame() -> pd.DataFrame:
    return pd.read_csv(EXAMPLE, keep_default_na=False, na_values=[""])


@pytest.fixture(scope="module")
def report() -> calibra.CalibrationResult:
    return calibra.calibrate(calibra.read_ratings(EXAMPLE))


def test_read_ratings_file_round_trips_to_the_csv(example_frame):
    ratings = calibra.read_ratings(EXAMPLE)
    assert len(ratings) == len(example_frame) == 5760
    frame = ratings.to_frame()
    assert list(frame.columns) == list(calibra.calibration.RATINGS_COLUMNS)
    ordinal = {level_id: k + 1 for k, level_id in enumerate(calibra.builtin_framework().level_ids)}
    np.testing.assert_array_equal(frame["level"], example_frame["level"].map(ordinal))
    for column in ["ratee", "rater", "role", "competency", "period"]:
        assert list(frame[column]) == list(example_frame[column])
    summary = ratings.summary
    assert (summary["rows_read"], summary["ratees"], summary["periods"]) == (5760, 40,
                                                                               ["2026Q1", "2026Q2", "2026Q3", "2026Q4"])


def test_read_ratings_from_a_dataframe_equals_the_file(example_frame):
    from_frame = calibra.read_ratings(example_frame)
    from_file = calibra.read_ratings(EXAMPLE)
    pd.testing.assert_frame_equal(from_frame.to_frame(), from_file.to_frame())
    assert from_frame.summary["source"] == "<DataFrame>"
    # Level ordinals as numbers work as well as level ids.
    numeric = from_file.to_frame()
    pd.testing.assert_frame_equal(calibra.read_ratings(numeric).to_frame(), from_file.to_frame())
    assert calibra.example_ratings().to_csv() == EXAMPLE.read_text()


def test_dataframe_problems_name_the_row_and_column(example_frame):
    bad = example_frame.head(5).copy()
    bad.loc[3, "competency"] = "Vision"
    with pytest.raises(calibra.ValidationError, match=r"<DataFrame>: row 4, column 'competency': unknown competency"):
        calibra.read_ratings(bad)
    with pytest.raises(calibra.ValidationError, match=r"column 'notes': unknown column; expected one of ratee"):
        calibra.read_ratings(example_frame.head(5).assign(notes="x"))
    ignored = calibra.read_ratings(example_frame.head(5).assign(notes="x"), ignore_unknown_columns=True)
    assert ignored.summary["ignored_columns"] == ["notes"]
    with pytest.raises(calibra.ValidationError, match="no column 'period'"):
        calibra.read_ratings(example_frame.head(5).drop(columns="period"))
    twice = pd.concat([example_frame.head(3), example_frame.head(1)], ignore_index=True)
    with pytest.raises(calibra.ValidationError):
        calibra.read_ratings(twice)
    assert len(calibra.read_ratings(twice, duplicates="last")) == 3
    with pytest.raises(calibra.InvalidArgument, match="expected one of: error, last, mean"):
        calibra.read_ratings(twice, duplicates="first")
    with pytest.raises(calibra.InvalidArgument, match="must be a file path, a DataFrame"):
        calibra.read_ratings(42)  # type: ignore[arg-type]


def test_report_is_the_cli_json(report):
    # CTest sets CALIBRA_CLI when the CLI is built in the same tree.
    cli = os.environ.get("CALIBRA_CLI")
    if not cli or not os.path.exists(cli):
        pytest.skip("CALIBRA_CLI does not name a built calibra CLI")
    out = subprocess.run([str(cli), "calibrate", str(EXAMPLE), "--json"], capture_output=True, text=True, check=True)
    document = json.loads(out.stdout)
    assert report.to_dict() == document


def test_every_section_is_a_dataframe_with_the_json_names(report):
    document = report.to_dict()
    assert set(document) >= {
        "summary", "agreement", "competencies", "raters", "components", "drift", "self_vs_manager", "ratees",
        "matrix_validation",
    }
    # The JSON's sections, then the analyses it nests inside them.
    assert report.sections == [*document, "readiness", "patterns", "promotion_separation"]
    for name in document:
        frame = report[name]
        assert isinstance(frame, pd.DataFrame) and len(frame.columns) > 0, name
        section = document[name]
        for table, rows in report.tables(name).items():
            if rows.empty:
                continue
            keys = set().union(*(record.keys() for record in section[table]))
            flat = {c.split(".")[0] for c in rows.columns}
            assert flat == keys, (name, table)
            assert len(rows) == len(section[table])
    assert list(report.drift.columns[:2]) == ["rater", "period"]  # the main table: severities
    assert report.frame("drift", "raters")["rater"].is_unique
    with pytest.raises(KeyError, match="section 'drift' has no table 'nope'"):
        report.frame("drift", "nope")
    with pytest.raises(KeyError, match="no section 'feedback'"):
        report.frame("feedback")


def test_key_columns_come_first_then_the_json_order(report):
    document = report.to_dict()
    key = ["rater", "severity", "se", "ci_low", "ci_high", "flags", "n_ratings"]
    raters = report.raters
    json_order = list(document["raters"]["raters"][0])
    assert list(raters.columns) == key + [c for c in json_order if c not in key]
    assert list(raters["rater"]) == [r["rater"] for r in document["raters"]["raters"]]
    assert list(raters["severity"]) == [r["severity"] for r in document["raters"]["raters"]]
    # Every section's main table starts with what a row is about.
    firsts = {
        "drift": ["rater", "period", "severity", "se", "ci_low", "ci_high"],
        "competencies": ["competency", "alpha", "alpha_ci_low", "alpha_ci_high", "divergent_share"],
        "ratees": ["ratee", "career_level", "inferred_level", "best_fit_level", "promotion_target", "readiness"],
        "matrix_validation": ["competency", "mean_gap", "ci_low", "ci_high", "verdict", "n_ratees"],
        "agreement": ["statistic", "value", "ci_low", "ci_high"],
        "readiness": ["ratee", "from", "to", "verdict", "probability"],
    }
    for name, first in firsts.items():
        assert list(report.frame(name).columns[: len(first)]) == first, name
    assert list(report.frame("drift", "raters").columns[:7]) == [
        "rater", "change", "se", "ci_low", "ci_high", "direction", "flagged"]


def test_summary_is_a_series_of_the_json_fields(report, example_frame):
    document = report.to_dict()["summary"]
    summary = report.summary
    assert isinstance(summary, pd.Series) and summary.name == "summary"
    # What pandas counts in the CSV itself.
    assert summary["rows_read"] == summary["rows_kept"] == len(example_frame)
    assert summary["ratees"] == example_frame["ratee"].nunique()
    assert summary["raters"] == example_frame["rater"].nunique()
    assert summary["ratings_per_role.self"] == (example_frame["role"] == "self").sum()
    assert summary["analysed_period"] == max(example_frame["period"])
    # The JSON's scalar fields, nested objects flattened; its tables stay out.
    assert summary["framework.id"] == document["framework"]["id"] == "product-manager"
    assert summary["min_group"] == document["min_group"]
    assert "analyses" not in summary.index and "periods" not in summary.index
    assert list(report.frame("summary", "periods")["period"]) == sorted(example_frame["period"].unique())
    assert report.frame("summary").shape[0] == 1  # frame() stays a DataFrame
    pd.testing.assert_series_equal(report.fields("drift"), pd.Series(report.info("drift"), name="drift", dtype=object))


def test_every_analysis_listed_as_run_is_reachable(report, example_frame):
    document = report.to_dict()
    ran = [a["analysis"] for a in document["summary"]["analyses"] if a["available"]]
    assert {"readiness", "patterns", "promotion_separation"} <= set(ran)
    for name in ran:
        assert name in report
        frame = report.frame(name)
        assert isinstance(frame, pd.DataFrame) and not frame.empty, name
        assert getattr(report, name) is not None, name
    # The nested analyses are their part of the section that holds them in the JSON.
    ratees = document["ratees"]
    assert list(report.readiness["ratee"]) == [r["ratee"] for r in ratees["readiness_steps"]]
    assert list(report.readiness["probability"]) == [r["probability"] for r in ratees["readiness_steps"]]
    assert set(report.tables("readiness")) == {"readiness_steps", "readiness_items"}
    assert len(report.frame("readiness", "readiness_items")) == len(ratees["readiness_items"])
    assert len(report.patterns) == len(ratees["profiles"])
    assert set(report.tables("patterns")) == {"profiles", "archetype_similarities"}
    assert report.info("readiness") == {"available": True, "reason": None}
    separation = document["matrix_validation"]["promotion_separation"]
    assert isinstance(report.promotion_separation, pd.Series)
    assert report.promotion_separation["hedges_g"] == separation["hedges_g"]
    assert report.frame("promotion_separation")["auc"].tolist() == [separation["auc"]]
    # The outcome column of the CSV, counted by pandas: 14 ratees promoted, 16 not.
    outcomes = example_frame.dropna(subset=["outcome"]).groupby("ratee")["outcome"].first().value_counts()
    assert report.promotion_separation["n_promoted"] == outcomes["promoted"] == 5
    assert report.promotion_separation["n_not_promoted"] == outcomes["not-promoted"] == 25


def test_a_nested_analysis_without_its_section_is_a_clear_key_error(report):
    document = report.to_dict()
    del document["ratees"]
    trimmed = calibra.CalibrationResult(document)
    assert "readiness" not in trimmed
    with pytest.raises(KeyError, match="no section 'readiness'"):
        trimmed.readiness


def test_from_json_loads_the_cli_document(report, tmp_path):
    cli = os.environ.get("CALIBRA_CLI")
    if cli and os.path.exists(cli):
        text = subprocess.run([str(cli), "calibrate", str(EXAMPLE), "--json"], capture_output=True, text=True,
                              check=True).stdout
    else:  # without the CLI, the same document as the module writes it
        text = report.to_json()
    path = tmp_path / "calibration.json"
    path.write_text(text, encoding="utf-8")
    for source in (path, str(path), text, text.encode("utf-8")):
        loaded = calibra.CalibrationResult.from_json(source)
        assert loaded.to_dict() == json.loads(text)
    loaded = calibra.CalibrationResult.from_json(path)
    pd.testing.assert_frame_equal(loaded.raters, report.raters)
    pd.testing.assert_frame_equal(loaded.readiness, report.readiness)
    pd.testing.assert_series_equal(loaded.summary, report.summary)


def test_from_json_errors(tmp_path):
    with pytest.raises(calibra.ParseError, match=r"\[calibra.parse_error.calibration\] <string>: line 2, column 1"):
        calibra.CalibrationResult.from_json("{\n")
    with pytest.raises(calibra.ParseError, match="not a calibration report: it needs a 'summary' object"):
        calibra.CalibrationResult.from_json('{"raters": []}')
    with pytest.raises(FileNotFoundError):
        calibra.CalibrationResult.from_json(tmp_path / "missing.json")
    with pytest.raises(calibra.InvalidArgument, match="from_json takes JSON text or a file path; got int"):
        calibra.CalibrationResult.from_json(3)  # type: ignore[arg-type]


def test_planted_effects_show_in_the_tables(report):
    raters = report.raters.set_index("rater")
    # mgr1 was planted lenient by about one level.
    assert raters.at["mgr1", "severity"] < -0.5 and "lenient" in raters.at["mgr1", "flags"]
    # mgr2 drifts harsher.
    drift = report.frame("drift", "raters").set_index("rater")
    assert bool(drift.at["mgr2", "flagged"]) and drift.at["mgr2", "direction"] == "harsher"
    # mgr5 and mgr6 rate a squad of their own: two components.
    assert report.info("components")["n_components"] == 2
    # Self ratings about half a level above the managers'.
    assert 0.25 < report.info("self_vs_manager")["overall.mean_gap"] < 0.75


def test_calibrate_options(example_frame):
    q3 = calibra.calibrate(example_frame, period="2026Q3", min_group=5)
    summary = q3.summary
    assert (summary["analysed_period"], summary["min_group"]) == ("2026Q3", 5)
    assert calibra.calibrate().summary["source"].startswith("the bundled example")
    with pytest.raises(calibra.InvalidArgument, match="period '2027Q1' does not occur"):
        calibra.calibrate(example_frame, period="2027Q1")
    with pytest.raises(calibra.InvalidArgument, match="min_group must be at least 1"):
        calibra.calibrate(example_frame, min_group=0)
    with pytest.raises(calibra.InvalidArgument, match="framework= was given without ratings"):
        calibra.calibrate(framework=calibra.builtin_framework())


def test_report_display(report):
    page = report._repr_html_()
    assert "Calibration of 5760 ratings" in page and "<code>raters</code>" in page
    assert "mgr1" in page
    assert repr(report).startswith("<calibra.CalibrationResult period '2026Q4'")
    assert report.analyses["available"].all()


def test_every_problem_of_a_ratings_file_in_one_error(tmp_path):
    path = tmp_path / "two.csv"
    path.write_text(
        "ratee,rater,role,competency,level,period,team\n"
        "pm01,mgr1,manager,Vision,3,2026Q1,Core\n"
        "pm01,mgr1,boss,product-delivery,3,2026Q1,Core\n"
    )
    with pytest.raises(calibra.ValidationError) as caught:
        calibra.read_ratings(path)
    assert [(p["row"], p["column"]) for p in caught.value.problems] == [(2, "competency"), (3, "role")]
    assert caught.value.id == "validation_error.ratings"


def test_a_ratings_file_keeps_extra_columns_and_normalises_periods(tmp_path):
    path = tmp_path / "team.csv"
    path.write_text(
        "ratee,rater,role,competency,level,period,team,comment\n"
        "pm01,mgr1,manager,product-delivery,3,2026-Q1,Core,Shipped it\n"
    )
    ratings = calibra.read_ratings(path)
    assert len(ratings) == 1
    assert ratings.to_frame().loc[0, "period"] == "2026Q1"
