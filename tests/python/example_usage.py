"""A typed tour of the public API, written as a user would.  test_typing.py
checks it with ``mypy --strict`` (so the stubs and annotations serve real
code) and runs it (so it stays true)."""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd

import calibra

REPO = Path(__file__).resolve().parents[2]


def framework_tour() -> list[str]:
    fw: calibra.Framework = calibra.builtin_framework()
    expectations: pd.DataFrame = fw.expectations
    findings: calibra.Findings = fw.check(min_competencies=10)
    path: list[str] = fw.path("apm", "senior-pm")
    assert findings.ok and expectations.shape == (len(fw.career_level_ids), len(fw.competency_ids))
    return path


def builder_tour() -> int:
    scale = [{"id": "basic", "label": "Basic", "scope": "task", "autonomy": "guided"},
             {"id": "independent", "label": "Independent", "scope": "feature", "autonomy": "independent"},
             {"id": "leading", "label": "Leading", "scope": "product-area", "autonomy": "leads-others"}]
    fw = calibra.Framework(
        id="tiny", name="Tiny ladder", version="0.1.0", last_updated="2026-11-22", scale=scale,
        competencies=[{"id": "delivery", "name": "Delivery", "definition": "Taking agreed work from plan to release.",
                       "anchors": ["Tracks one release with a checklist.", "Ships a whole feature.",
                                   "Sets the release process for a product area."]}],
        quadrants={"tactical-internal": ["delivery"]},
        career_levels=[{"id": "pm", "name": "PM", "track": "ic", "rank": 1},
                       {"id": "senior-pm", "name": "Senior PM", "track": "ic", "rank": 2}],
        steps=[("pm", "senior-pm")],
        expectations={"pm": {"delivery": 2}, "senior-pm": {"delivery": "Leading"}},
    )
    findings: calibra.Findings = fw.check(as_of="2026-12-06")
    again = calibra.parse_framework(fw.to_json())
    try:
        calibra.Framework(id="x", name="y", scale=scale[:1], competencies=[], career_levels=[], expectations={})
    except calibra.ValidationError as error:
        assert error.id == "validation_error.framework"
    assert again == fw and findings.errors + findings.warnings > 0
    return fw.expectation("senior-pm", "delivery")


def agreement_tour() -> float:
    ratings: npt.NDArray[np.float64] = np.asfortranarray([[1.0, 2.0, 2.0], [3.0, 3.0, np.nan], [2.0, 2.0, 2.0], [1.0, 1.0, 2.0]])
    result: calibra.AgreementResult = calibra.agree(ratings, "gwet", weights="quadratic", ci=0.9)
    alpha = calibra.krippendorff_alpha(ratings, level="ordinal")
    pairs: calibra.PairwiseResult = calibra.pairwise(ratings, "cohen")
    summary = calibra.AgreementSummary.of(ratings[:2], "fleiss", categories=[1, 2, 3])
    summary += calibra.AgreementSummary.of(ratings[2:], "fleiss", categories=[1, 2, 3])
    merged: calibra.AgreementResult = pickle.loads(pickle.dumps(summary)).finish()
    try:
        calibra.agree(ratings, "fleiss", level="metric")
    except calibra.InvalidArgument as error:
        assert error.id == "invalid_argument.agreement"
    per_category: pd.DataFrame = calibra.per_category(ratings, "fleiss")
    assert pairs.value.shape == (3, 3) and alpha.value is not None and merged.value is not None
    assert list(per_category["category"]) == [1.0, 2.0, 3.0]
    return result.value if result.value is not None else float("nan")


def columns_tour() -> int:
    long = pd.DataFrame({"employee_id": [1, 1, 2, 2, 3, 3], "reviewer_id": [7, 8, 7, 8, 7, 8],
                         "score": [3.5, 4.0, 2.0, 2.5, 4.5, 4.0], "team": ["a", "a", "a", "a", "b", "b"]})
    named: calibra.AgreementResult = calibra.agree(long, "icc", form="ICC2", unit="employee_id",
                                                   rater="reviewer_id", rating="score")
    forms: pd.DataFrame = calibra.agree(long, "icc", form="all", unit="employee_id", rater="reviewer_id",
                                        rating="score")
    batch: pd.DataFrame = calibra.agree(long, ["percent", "krippendorff"], by="team", unit="employee_id",
                                        rater="reviewer_id", rating="score", level="interval")
    table: pd.DataFrame = calibra.confusion(long, 7, 8, unit="employee_id", rater="reviewer_id", rating="score")
    assert named.value is not None and len(forms) == 6 and len(batch) == 4
    return int(table.to_numpy().sum())


def calibration_tour() -> list[str]:
    ratings: calibra.Ratings = calibra.read_ratings(REPO / "data" / "examples" / "ratings.csv")
    frame: pd.DataFrame = ratings.to_frame()
    again = calibra.read_ratings(frame)
    report: calibra.CalibrationResult = calibra.calibrate(again, min_group=4)
    analyses: pd.DataFrame = report.analyses
    summary: pd.Series = report.summary
    readiness: pd.DataFrame = report.readiness
    loaded = calibra.CalibrationResult.from_json(report.to_json())
    assert len(again) == len(ratings) and not analyses.empty and summary["rows_kept"] == len(ratings)
    assert len(loaded.frame("readiness")) == len(readiness)
    return report.sections


def plot_tour() -> str:
    import matplotlib

    matplotlib.use("Agg")
    from calibra import plot

    ratings = calibra.data.reference("irr_anxiety")
    heatmap = plot.rater_heatmap(calibra.pairwise(ratings, "cohen"))
    severity = plot.rater_severity(calibra.calibrate())
    title: str = heatmap.get_title()
    assert severity.get_legend() is not None
    return title


def bundled_data() -> tuple[int, int]:
    names: list[str] = calibra.data.reference_names()
    diagnoses: pd.DataFrame = calibra.data.reference("fleiss1971_diagnoses")
    vague: calibra.Framework = calibra.data.example_framework("anchor.vague")
    example: calibra.Ratings = calibra.data.example_ratings()
    assert "fleiss1971_diagnoses" in names and not vague.check().ok
    return diagnoses.shape[0], len(example)


if __name__ == "__main__":
    print(framework_tour(), builder_tour(), round(agreement_tour(), 4), columns_tour(), calibration_tour(), plot_tour(), bundled_data())
