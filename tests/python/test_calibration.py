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
    assert set(report.sections) == set(document) >= {
        "summary", "agreement", "competencies", "raters", "components", "drift", "self_vs_manager", "ratees",
        "matrix_validation",
    }
    for name in report.sections:
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
    assert list(report.raters.columns[:1]) == ["rater"]
    assert list(report.drift.columns[:2]) == ["rater", "period"]  # the main table: severities
    assert report.frame("drift", "raters")["rater"].is_unique
    with pytest.raises(KeyError, match="section 'drift' has no table 'nope'"):
        report.frame("drift", "nope")
    with pytest.raises(KeyError, match="no section 'feedback'"):
        report.frame("feedback")


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
    summary = q3.summary.iloc[0]
    assert (summary["analysed_period"], summary["min_group"]) == ("2026Q3", 5)
    assert calibra.calibrate().summary.iloc[0]["source"].startswith("the bundled example")
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
