"""Ratings in the shapes teams have, from Python: a wide DataFrame with
relative levels, ``group_by=`` on calibrate, and a wide file with an unknown
competency column.  Expected levels are the built-in framework's
expectations (``calibra framework show``): product-delivery 3 at pm and 2 at
apm, managing-up 2 at pm."""

from __future__ import annotations

import pandas as pd
import pytest

import calibra
from calibra.calibration import read_ratings


def test_wide_dataframe_with_relative_levels() -> None:
    frame = pd.DataFrame(
        {
            "ratee": ["pm01", "pm02"],
            "rater": ["mgr1", "mgr1"],
            "role": ["manager", "manager"],
            "period": ["2026Q3", "2026Q3"],
            "career_level": ["pm", "apm"],
            "product-delivery": ["On Track", "Outperforming"],
            "Managing Up": ["Needs Focus", None],
        }
    )
    table = read_ratings(frame)
    out = table.to_frame()
    got = {(r, c): int(level) for r, c, level in zip(out["ratee"], out["competency"], out["level"])}
    assert got == {("pm01", "product-delivery"): 3, ("pm01", "managing-up"): 1, ("pm02", "product-delivery"): 3}


def test_calibrate_group_by_compares_teams() -> None:
    rows = [("a1", 4, "alpha"), ("a2", 4, "alpha"), ("a3", 3, "alpha"), ("a4", 3, "alpha")]
    rows += [("b1", 2, "beta"), ("b2", 2, "beta"), ("b3", 1, "beta"), ("b4", 1, "beta")]
    frame = pd.DataFrame(
        {
            "ratee": [r[0] for r in rows],
            "rater": "mgr1",
            "role": "manager",
            "competency": "product-delivery",
            "level": [str(r[1]) for r in rows],
            "period": "2026Q3",
            "team": [r[2] for r in rows],
        }
    )
    result = calibra.calibrate(frame, group_by="team")
    groups = result.to_dict()["groups"]
    assert [g["group"] for g in groups["groups"]] == ["alpha", "beta"]
    assert groups["groups"][0]["ratees"] == 4
    assert groups["groups"][0]["difference"] == pytest.approx(2.0)


def test_wide_file_with_unknown_competency_column(tmp_path) -> None:
    path = tmp_path / "wide.csv"
    path.write_text("ratee,rater,role,period,product-delivery,Vision\npm01,mgr1,manager,2026Q3,3,3\n")
    with pytest.raises(calibra.ValidationError, match="column 'Vision': not a competency of the framework"):
        read_ratings(str(path))
