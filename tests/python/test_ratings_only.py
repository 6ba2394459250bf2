"""A ratings-only framework from Python: built with calibra.Framework(...)
without career levels, quadrants, scope or autonomy, and calibrated.  The
expected severities follow from the ratings planted in
examples/ratings-only/ratings.csv (one student rates one level high)."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import calibra
from conftest import REPO

EXAMPLE = REPO / "examples" / "ratings-only"
NOT_APPLICABLE = "not applicable: the framework has no career levels"
LEVELS = [
    {"id": "poor", "label": "Poor"},
    {"id": "fair", "label": "Fair"},
    {"id": "good", "label": "Good"},
    {"id": "excellent", "label": "Excellent"},
]


def competency(cid: str) -> dict:
    return {"id": cid, "name": cid.title(), "definition": f"Does {cid}.",
            "anchors": ["Reads the slides. Takes no questions.", "Explains one example. Takes questions.",
                        "Explains each step. Answers questions.", "Shows two routes. Students teach it back."]}


def build(**changes) -> calibra.Framework:
    parts = {"id": "ro", "name": "Ratings only", "last_updated": "2026-12-01", "scale": LEVELS,
             "competencies": [competency("clarity"), competency("organisation"), competency("feedback")]}
    parts.update(changes)
    return calibra.Framework(**parts)


def test_framework_without_ladder_quadrants_scope_or_autonomy():
    fw = build()
    assert fw.career_levels.empty
    assert list(fw.career_levels.columns) == ["id", "name", "track", "rank"]
    assert fw.career_level_ids == []
    assert fw.expectations.shape == (0, 3)
    assert list(fw.expectations.columns) == ["clarity", "organisation", "feedback"]
    assert fw.steps.empty
    assert fw.quadrant_profile().empty
    assert fw.competencies["quadrant"].isna().all()
    assert fw.scale["scope"].isna().all() and fw.scale["autonomy"].isna().all()
    # The file it writes leaves the ladder out altogether.
    document = json.loads(fw.to_json())
    assert "career_levels" not in document and "expectations" not in document
    assert "quadrant" not in document["competencies"][0]
    assert "scope" not in document["scale"][0]


def test_builder_matches_the_example_file():
    fw = calibra.load_framework(EXAMPLE / "framework.json")
    document = json.loads((EXAMPLE / "framework.json").read_text())
    rebuilt = calibra.Framework(
        id=document["metadata"]["id"], name=document["metadata"]["name"],
        version=document["metadata"]["version"], last_updated=document["metadata"]["last_updated"],
        owners=document["metadata"]["owners"], description=document["metadata"]["description"],
        scale=document["scale"], competencies=document["competencies"])
    assert rebuilt.to_json() == fw.to_json()


def test_framework_check_says_not_applicable():
    fw = calibra.load_framework(EXAMPLE / "framework.json")
    report = fw.check()
    frame = report.to_frame()
    assert report.errors == 0
    infos = frame[frame["severity"] == "info"]
    assert set(infos["rule"]) >= {"ladder.non-monotone", "ladder.track", "ladder.quadrant-shift",
                                  "scale.same-scope", "anchor.no-scope"}
    assert infos["message"].str.startswith("not applicable: ").all()


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"career_levels": [{"id": "lecturer", "name": "Lecturer", "track": "ic", "rank": 1}]},
         r"/expectations: missing: a framework with career levels needs"),
        ({"expectations": {"lecturer": {"clarity": 2}}},
         r"/expectations: the framework has no career levels, so it has no expectations"),
        ({"quadrants": {"tactical-internal": ["feedback"]}},
         r"/competencies/1/quadrant: competency 'organisation' has no quadrant|"
         r"/competencies/2/quadrant: competency 'feedback' has a quadrant, but 'clarity' has none"),
        ({"scale": [dict(LEVELS[0], scope="task")] + LEVELS[1:]},
         r"/scale/0/autonomy: scope and autonomy are given together or not at all"),
    ],
)
def test_half_states_are_refused_with_their_pointer(changes, match):
    with pytest.raises(calibra.ValidationError, match=match):
        build(**changes)


def test_calibrate_with_a_ratings_only_framework():
    fw = calibra.load_framework(EXAMPLE / "framework.json")
    result = calibra.calibrate(EXAMPLE / "ratings.csv", fw)
    raters = result.frame("raters").set_index("rater")
    # s5 rates one level above the planted level on all 18 of its ratings;
    # s1-s4 slip by a net +2 levels over their 72: 0.97 levels apart, less
    # the shrinkage of the random-effects estimate.
    flagged = {rater for rater, flags in raters["flags"].items() if "lenient" in flags or "harsh" in flags}
    assert flagged == {"s5"}
    gap = raters.loc["s5", "severity"] - raters.drop(index="s5")["severity"].mean()
    assert -0.98 < gap < -0.8
    statuses = {s["analysis"]: s for s in result.to_dict()["summary"]["analyses"]}
    for name in ["ratees", "matrix_validation", "promotion_separation", "readiness", "patterns", "team",
                 "development_plans"]:
        assert statuses[name]["available"] is False
        assert statuses[name]["reason"] == NOT_APPLICABLE
    for name in ["raters", "agreement", "decision_study"]:
        assert statuses[name]["available"] is True


def test_ratings_with_a_career_level_are_refused(tmp_path):
    path = tmp_path / "ratings.csv"
    path.write_text("ratee,rater,role,competency,level,period,career_level\n"
                    "lec1,s1,external,clarity,2,2026Q1,senior\n")
    fw = calibra.load_framework(EXAMPLE / "framework.json")
    with pytest.raises(calibra.ValidationError,
                       match=r"row 2, column 'career_level': career level 'senior' given, but the framework has "
                             r"no career levels"):
        calibra.read_ratings(path, fw)
    frame = pd.read_csv(EXAMPLE / "ratings.csv")
    assert len(calibra.read_ratings(frame, fw).to_frame()) == 90


def test_a_ladder_without_quadrants_lists_every_competency():
    fw = build(career_levels=[{"id": "lecturer", "name": "Lecturer", "track": "ic", "rank": 1}],
               expectations={"lecturer": {"clarity": 2, "organisation": 3, "feedback": 1}})
    frame = fw.expectation_matrix().to_frame()
    assert list(frame.index.get_level_values("competency")) == ["clarity", "organisation", "feedback"]
    assert list(frame["lecturer"]) == [2, 3, 1]
    html = fw.expectation_matrix()._repr_html_()
    assert html.count("<tr>") == 4  # the header and one row per competency
    assert fw.quadrant_profile().isna().all().all()
