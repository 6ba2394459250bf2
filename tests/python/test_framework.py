"""Frameworks from Python.  Expected values come from the framework files
parsed with the json module, never from calibra's own output."""

from __future__ import annotations

import json
import pickle
from itertools import pairwise as consecutive

import numpy as np
import pandas as pd
import pytest

import calibra
from conftest import BUILTIN_JSON, EXAMPLES

QUADRANTS = ["tactical-internal", "tactical-external", "strategic-internal", "strategic-external"]


def ordinal_of(document, level_id):
    return [level["id"] for level in document["scale"]].index(level_id) + 1


def expected_matrix(document) -> pd.DataFrame:
    """career levels x competencies of level ordinals, straight from the JSON."""
    levels = [level["id"] for level in document["career_levels"]]
    comps = [c["id"] for c in document["competencies"]]
    values = [[ordinal_of(document, document["expectations"][l][c]) for c in comps] for l in levels]
    return pd.DataFrame(values, index=levels, columns=comps)


# ---- load, save, round trip ---------------------------------------------------


def test_builtin_json_is_the_data_file_byte_for_byte():
    assert calibra._core.builtin_framework_json().encode("utf-8") == BUILTIN_JSON.read_bytes()
    assert calibra.builtin_framework().to_json().encode("utf-8") == BUILTIN_JSON.read_bytes()


def test_save_then_load_reproduces_the_builtin_bytes(tmp_path):
    first = tmp_path / "first.json"
    calibra.builtin_framework().save(first)
    assert first.read_bytes() == BUILTIN_JSON.read_bytes()
    second = tmp_path / "second.json"
    calibra.load_framework(str(first)).save(str(second))
    assert second.read_bytes() == BUILTIN_JSON.read_bytes()


def test_parse_framework_and_from_json_read_text():
    text = BUILTIN_JSON.read_text(encoding="utf-8")
    assert calibra.parse_framework(text).to_json() == text
    assert calibra.Framework.from_json(text).to_json() == text


def test_framework_pickles_through_its_json():
    fw = calibra.builtin_framework()
    clone = pickle.loads(pickle.dumps(fw))
    assert isinstance(clone, calibra.Framework)
    assert clone.to_json() == fw.to_json()


def test_framework_cannot_be_built_from_arbitrary_objects():
    with pytest.raises(TypeError, match="builtin_framework"):
        calibra.Framework("product-manager.json")  # type: ignore[arg-type]


def test_metadata_and_repr(builtin_document):
    fw = calibra.builtin_framework()
    assert fw.metadata == builtin_document["metadata"]
    assert fw.id == builtin_document["metadata"]["id"]
    assert fw.name in repr(fw)


def test_markdown_names_every_competency(builtin_document):
    markdown = calibra.builtin_framework().to_markdown()
    for competency in builtin_document["competencies"]:
        assert competency["name"] in markdown


# ---- tables -------------------------------------------------------------------------


def test_expectations_match_the_json_file(builtin_document):
    frame = calibra.builtin_framework().expectations
    expected = expected_matrix(builtin_document)
    assert list(frame.index) == list(expected.index)
    assert list(frame.columns) == list(expected.columns)
    assert frame.index.name == "career_level"
    assert frame.columns.name == "competency"
    assert (frame.dtypes == np.int64).all()
    np.testing.assert_array_equal(frame.to_numpy(), expected.to_numpy())
    # The single-cell query agrees with the table.
    fw = calibra.builtin_framework()
    assert fw.expectation("senior-pm", "strategic-impact") == expected.at["senior-pm", "strategic-impact"]


def test_expectations_of_an_example_file():
    path = EXAMPLES / "minimal-valid.json"
    document = json.loads(path.read_text())
    frame = calibra.load_framework(path).expectations
    np.testing.assert_array_equal(frame.to_numpy(), expected_matrix(document).to_numpy())


def test_competencies_table(builtin_document):
    frame = calibra.builtin_framework().competencies
    comps = builtin_document["competencies"]
    assert list(frame.columns[:4]) == ["id", "name", "quadrant", "area"]
    assert list(frame["id"]) == [c["id"] for c in comps]
    assert list(frame["name"]) == [c["name"] for c in comps]
    assert list(frame["quadrant"]) == [c["quadrant"] for c in comps]
    assert list(frame["area"]) == [c.get("area") for c in comps]
    assert list(frame["focus"]) == pytest.approx([c["position"]["focus"] for c in comps])
    assert list(frame["people_leadership"]) == [c.get("people_leadership", False) for c in comps]


def test_scale_anchors_and_ladder(builtin_document):
    fw = calibra.builtin_framework()
    scale = fw.scale
    assert list(scale.index) == list(range(1, len(builtin_document["scale"]) + 1))
    assert list(scale["id"]) == [level["id"] for level in builtin_document["scale"]]
    anchors = fw.anchors
    first = builtin_document["competencies"][0]
    for level_id, text in first["anchors"].items():
        assert anchors.at[first["id"], level_id] == text
    assert list(fw.career_levels["id"]) == [level["id"] for level in builtin_document["career_levels"]]
    assert [tuple(s) for s in fw.steps.to_numpy()] == [(s["from"], s["to"]) for s in builtin_document["steps"]]
    assert list(fw.archetypes["id"]) == [a["id"] for a in builtin_document["archetypes"]]
    assert fw.actions[first["id"]] == first["actions"]


def test_quadrant_profile_is_the_mean_per_quadrant(builtin_document):
    profile = calibra.builtin_framework().quadrant_profile()
    expected = expected_matrix(builtin_document)
    quadrant_of = {c["id"]: c["quadrant"] for c in builtin_document["competencies"]}
    assert list(profile.columns) == QUADRANTS
    for level in expected.index:
        for quadrant in QUADRANTS:
            members = [c for c in expected.columns if quadrant_of[c] == quadrant]
            assert profile.at[level, quadrant] == pytest.approx(expected.loc[level, members].mean())


def test_gaps_are_the_rising_expectations_of_each_step(builtin_document):
    gaps = calibra.builtin_framework().gaps()
    expected = expected_matrix(builtin_document)
    rows = []
    for step in builtin_document["steps"]:
        for c in expected.columns:
            before, after = expected.at[step["from"], c], expected.at[step["to"], c]
            if after > before:
                rows.append((step["from"], step["to"], c, before, after, after - before))
    assert [tuple(r) for r in gaps[["from", "to", "competency", "from_level", "to_level", "rise"]].to_numpy()] == rows
    names = {c["id"]: c["name"] for c in builtin_document["competencies"]}
    assert list(gaps["name"]) == [names[c] for c in gaps["competency"]]


def test_plateaus_hold_until_the_top_of_the_chain(builtin_document):
    plateaus = calibra.builtin_framework().plateaus()
    expected = expected_matrix(builtin_document)
    assert len(plateaus) > 0
    for competency, level_id, level in plateaus.itertuples(index=False):
        assert expected.at[level_id, competency] == level
    assert list(plateaus.columns) == ["competency", "career_level", "level"]


def test_path_follows_the_steps(builtin_document):
    fw = calibra.builtin_framework()
    ic = [level["id"] for level in builtin_document["career_levels"] if level["track"] == "ic"]
    path = fw.path(ic[0], ic[-1])
    assert path[0] == ic[0] and path[-1] == ic[-1]
    steps = {(s["from"], s["to"]) for s in builtin_document["steps"]}
    assert all(pair in steps for pair in consecutive(path))
    assert fw.path(ic[-1], ic[0]) == []  # no demotions


def test_relative_ratings():
    fw = calibra.builtin_framework()
    expected = fw.expectation("pm", "product-delivery")
    assert fw.to_relative("pm", "product-delivery", expected) == "on-track"
    assert fw.to_relative("pm", "product-delivery", expected - 1) == "needs-focus"
    assert fw.to_absolute("pm", "product-delivery", "Outperforming") == expected + 1
    with pytest.raises(calibra.InvalidArgument, match="unknown relative rating 'great'"):
        fw.to_absolute("pm", "product-delivery", "great")


# ---- checks ---------------------------------------------------------------------


# The day the checks are made on, so framework.stale does not depend on the calendar.
AS_OF = "2026-12-06"


def test_builtin_framework_passes_every_check():
    findings = calibra.builtin_framework().check(as_of=AS_OF)
    assert findings.errors == 0
    assert findings.ok


def test_anchor_vague_example_gives_one_anchor_vague_finding():
    path = EXAMPLES / "anchor.vague.json"
    document = json.loads(path.read_text())
    index = [c["id"] for c in document["competencies"]].index("fluency-with-data")
    findings = calibra.load_framework(path).check(as_of=AS_OF)
    assert [f.rule for f in findings] == ["anchor.vague"]
    finding = findings[0]
    assert finding.severity == "error"
    assert finding.where == f"/competencies/{index}/anchors/developing"
    assert "'strong'" in finding.message and "'excellent'" in finding.message
    assert finding.hint
    assert findings.errors == 1 and findings.warnings == 0 and not findings.ok

    frame = findings.to_frame()
    assert list(frame.columns) == ["rule", "severity", "where", "message", "hint"]
    assert frame.loc[0, "rule"] == "anchor.vague"
    assert findings.to_dict()["errors"] == 1


def test_check_options_change_the_rules():
    path = EXAMPLES / "anchor.vague.json"
    fw = calibra.load_framework(path)
    # Without the trait words the vague anchor passes.
    relaxed = fw.check(vague_terms=["synergy"])
    assert "anchor.vague" not in [f.rule for f in relaxed]
    # A competency range the file cannot meet adds a count finding.
    strict = fw.check(min_competencies=13)
    assert "framework.competency-count" in [f.rule for f in strict]


@pytest.mark.parametrize(
    "name, rule",
    [
        ("ladder.non-monotone.json", "ladder.non-monotone"),
        ("scale.level-count.json", "scale.level-count"),
        ("ladder.track.json", "ladder.track"),
        ("anchor.repeated.json", "anchor.repeated"),
        ("anchor.quality-only.json", "anchor.quality-only"),
        ("scale.numeric-labels.json", "scale.numeric-labels"),
        ("ladder.superhuman.json", "ladder.superhuman"),
        ("competency.overlap.synonyms.json", "competency.overlap"),
    ],
)
def test_example_files_give_their_finding(name, rule):
    findings = calibra.load_framework(EXAMPLES / name).check(as_of=AS_OF)
    assert [f.rule for f in findings] == [rule] * len(findings)
    assert findings


def test_stale_framework_is_dated_by_as_of():
    fw = calibra.load_framework(EXAMPLES / "minimal-valid.json")  # last updated 2026-11-22
    assert not fw.check(as_of="2027-11-22")
    stale = fw.check(as_of="2027-11-23")
    assert [f.rule for f in stale] == ["framework.stale"]
    assert stale[0].where == "/metadata/last_updated"
    with pytest.raises(calibra.InvalidArgument, match="as_of '2027-13-01' is not a date"):
        fw.check(as_of="2027-13-01")


def test_trait_words_come_from_the_framework_file():
    fw = calibra.load_framework(EXAMPLES / "anchor.vague.trait-words.json")
    assert fw.trait_words == ["wizard", "rockstar attitude"]
    findings = fw.check(as_of=AS_OF)
    assert [f.message for f in findings] == ["'Product Quality' at 'Developing' uses trait language: 'wizard'"]


def test_every_problem_of_a_framework_file_in_one_error():
    text = (EXAMPLES / "minimal-valid.json").read_text()
    text = text.replace('"last_updated": "2026-11-22"', '"last_updated": "2026-13-45"', 1)
    text = text.replace('"quadrant": "tactical-external"', '"quadrant": "tactical-externel"', 1)
    with pytest.raises(calibra.ValidationError) as caught:
        calibra.parse_framework(text, "edited.json")
    problems = caught.value.problems
    assert [p["pointer"] for p in problems] == ["/metadata/last_updated", "/competencies/3/quadrant"]
    assert all(p["file"] == "edited.json" and p["id"] == "validation_error.framework" for p in problems)
    assert caught.value.id == "validation_error.framework"
    assert "2 problems; nothing was read" in str(caught.value)


def test_check_rules_table():
    rules = calibra.check_rules()
    assert "anchor.vague" in set(rules["rule"])
    assert set(rules["severity"]) <= {"error", "warning", "info"}


# ---- errors ---------------------------------------------------------------------------


def test_missing_file_is_a_parse_error_naming_the_file(tmp_path):
    missing = tmp_path / "nope.json"
    with pytest.raises(calibra.ParseError) as caught:
        calibra.load_framework(missing)
    assert str(caught.value).startswith("[calibra.parse_error.framework] ")
    assert str(missing) in str(caught.value)
    assert caught.value.id == "parse_error.framework"
    assert isinstance(caught.value, calibra.Error)


def test_bad_json_is_a_parse_error():
    with pytest.raises(calibra.ParseError, match="bad-json.json"):
        calibra.load_framework(EXAMPLES / "invalid" / "bad-json.json")


@pytest.mark.parametrize(
    "name, pointer",
    [
        ("duplicate-competency-id.json", "/id"),
        ("unknown-field.json", "colour"),
        ("wrong-type.json", "/rank"),
        ("unknown-level-in-expectations.json", "master"),
        ("position-quadrant-mismatch.json", "/position"),
    ],
)
def test_invalid_frameworks_are_validation_errors_with_location(name, pointer):
    with pytest.raises(calibra.ValidationError) as caught:
        calibra.load_framework(EXAMPLES / "invalid" / name)
    message = str(caught.value)
    assert message.startswith("[calibra.validation_error.framework] ")
    assert name in message and pointer in message
    assert not isinstance(caught.value, ValueError)


def test_unknown_ids_in_queries_are_invalid_arguments():
    fw = calibra.builtin_framework()
    with pytest.raises(calibra.InvalidArgument, match="unknown career level 'cto'"):
        fw.path("apm", "cto")
    with pytest.raises(ValueError, match="unknown competency 'juggling'"):
        fw.expectation("pm", "juggling")


# ---- rich display ---------------------------------------------------------------------


def test_framework_html_colours_each_cell_by_its_level(builtin_document):
    fw = calibra.builtin_framework()
    page = fw._repr_html_()
    expected = expected_matrix(builtin_document)
    assert page.count("<tr>") == 1 + expected.shape[1]  # header + one row per competency
    for label in [level["label"] for level in builtin_document["scale"]]:
        assert label in page
    # Lowest and highest level get the two ends of the palette.
    assert "#f7fbff" in page
    assert page.count('title="') == expected.size


def test_findings_html_escapes_text():
    findings = calibra.load_framework(EXAMPLES / "anchor.vague.json").check()
    page = findings._repr_html_()
    assert "anchor.vague" in page and "1 errors" in page
    assert "&#x27;strong&#x27;" in page  # quotes in the message are escaped
    assert "No findings" in calibra.builtin_framework().check()._repr_html_()


# ---- a framework built in Python ------------------------------------------------


def format_example() -> str:
    """The complete small example of docs/framework-format.md, as written there."""
    from conftest import REPO

    text = (REPO / "docs" / "framework-format.md").read_text(encoding="utf-8")
    start = text.index("```json\n") + len("```json\n")
    return text[start:text.index("```", start)]


TINY_SCALE = [
    {"id": "basic", "label": "Basic", "scope": "task", "autonomy": "guided"},
    {"id": "independent", "label": "Independent",
     "description": "Owns the competency for a whole feature without supervision.",
     "scope": "feature", "autonomy": "independent"},
    {"id": "leading", "label": "Leading", "scope": "product-area", "autonomy": "leads-others"},
]


def tiny_parts(**changes):
    """The parts of the format page's example, written the Python way: anchors as
    a list, quadrants given apart, steps as pairs, expectations as ordinals and labels."""
    parts = dict(
        id="tiny-ladder", name="Tiny ladder", version="0.1.0", last_updated="2026-11-22",
        owners=["people-team@example.org"],
        scale=[dict(level) for level in TINY_SCALE],
        areas=[{"id": "execution", "name": "Execution"}],
        competencies=[
            {"id": "delivery", "name": "Delivery", "definition": "Taking agreed work from plan to release.",
             "position": {"focus": -0.8, "orientation": -0.5}, "area": "execution",
             "anchors": [
                 "Tracks the tasks of one release with a checklist from a senior PM. Reports slips the same day.",
                 "Plans and ships a whole feature without supervision. Publishes the release notes.",
                 "Sets the release process for a product area. Reviews the plans of other PMs.",
             ],
             "interview_format": "Past-launch interview.",
             "actions": ["Keep a weekly risk log for the current release."]},
            {"id": "team-leadership", "name": "Team Leadership",
             "definition": "Growing and leading other product managers.", "people_leadership": True,
             "anchors": ["Onboards one new team member on a task. Answers their questions within a day.",
                         "Mentors one PM through a feature. Agrees a written goal with them.", ""]},
        ],
        quadrants={"tactical-internal": ["delivery"], "strategic-internal": ["team-leadership"]},
        career_levels=[{"id": "pm", "name": "Product Manager", "track": "ic", "rank": 1},
                       {"id": "senior-pm", "name": "Senior Product Manager", "track": "ic", "rank": 2}],
        steps=[("pm", "senior-pm")],
        expectations={"pm": {"delivery": 2, "team-leadership": "Basic"},
                      "senior-pm": {"delivery": "leading", "team-leadership": 2}},
        archetypes=[{"id": "delivery-pm", "name": "Delivery PM", "strong": ["delivery"],
                     "growth": ["team-leadership"]}],
    )
    parts.update(changes)
    return parts


def test_a_framework_built_in_python_exports_the_json_of_the_same_framework_read_from_a_file():
    built = calibra.Framework(**tiny_parts())
    read = calibra.parse_framework(format_example())
    assert built.to_json() == read.to_json() == format_example()
    assert built == read and hash(built) == hash(read)
    assert built.level_labels == ["Basic", "Independent", "Leading"]
    assert built.anchors.at["team-leadership", "leading"] == ""
    assert list(built.steps.itertuples(index=False, name=None)) == [("pm", "senior-pm")]
    assert built.gaps()["competency"].tolist() == ["delivery", "team-leadership"]


def test_the_builtin_framework_rebuilt_from_its_parts_is_the_builtin(builtin_document):
    doc = builtin_document
    ordinals = expected_matrix(doc)  # a DataFrame of ordinals, as fw.expectations gives
    built = calibra.Framework(
        id=doc["metadata"]["id"], name=doc["metadata"]["name"], version=doc["metadata"]["version"],
        last_updated=doc["metadata"]["last_updated"], owners=doc["metadata"].get("owners", ()),
        description=doc["metadata"].get("description", ""),
        scale=doc["scale"], areas=doc.get("areas", ()), competencies=doc["competencies"],
        career_levels=doc["career_levels"], steps=[(s["from"], s["to"]) for s in doc.get("steps", [])],
        expectations=ordinals, archetypes=doc.get("archetypes", ()),
        trait_words=doc.get("checks", {}).get("trait_words", ()),
    )
    assert built.to_json().encode("utf-8") == BUILTIN_JSON.read_bytes()
    assert built == calibra.builtin_framework()


def test_a_built_framework_is_checked_like_a_file():
    findings = calibra.Framework(**tiny_parts()).check(as_of="2026-12-06")
    expected = calibra.parse_framework(format_example()).check(as_of="2026-12-06")
    assert findings.to_frame().equals(expected.to_frame())
    # The format page says what the checks find in this example.
    rules = set(findings.to_frame()["rule"])
    assert {"scale.level-count", "framework.competency-count", "anchor.missing"} <= rules
    assert not findings.ok or findings.warnings > 0


def test_a_built_framework_serves_agree_and_calibrate(builtin_document):
    tiny = calibra.Framework(**tiny_parts())
    labels = pd.DataFrame({"a": ["Basic", "Leading", "Independent", "Basic"],
                           "b": ["Basic", "Independent", "Independent", "Leading"]})
    ordinals = labels.replace({"Basic": 1, "Independent": 2, "Leading": 3}).astype(float)
    by_label = calibra.agree(labels, "cohen", framework=tiny)
    from sklearn.metrics import cohen_kappa_score

    assert by_label.value == pytest.approx(cohen_kappa_score(ordinals["a"], ordinals["b"]), abs=1e-12)

    doc = builtin_document
    rebuilt = calibra.Framework(
        id=doc["metadata"]["id"], name=doc["metadata"]["name"], version=doc["metadata"]["version"],
        last_updated=doc["metadata"]["last_updated"], owners=doc["metadata"].get("owners", ()),
        description=doc["metadata"].get("description", ""), scale=doc["scale"], areas=doc.get("areas", ()),
        competencies=doc["competencies"], career_levels=doc["career_levels"],
        steps=[(s["from"], s["to"]) for s in doc.get("steps", [])], expectations=doc["expectations"],
        archetypes=doc.get("archetypes", ()), trait_words=doc.get("checks", {}).get("trait_words", ()),
    )
    ratings = calibra.example_ratings()
    assert calibra.calibrate(ratings, rebuilt).to_json() == calibra.calibrate(ratings).to_json()


@pytest.mark.parametrize(
    "changes, pointer, message",
    [
        ({"scale": [dict(TINY_SCALE[0], scope="tusk")] + TINY_SCALE[1:]}, "/scale/0/scope", "expected one of task"),
        ({"last_updated": "2026-02-30"}, "/metadata/last_updated", "not a calendar date"),
        ({"quadrants": {"tactical-internal": ["delivery"]}}, "/competencies/1", "quadrant"),
        ({"quadrants": {"tactical-middle": ["delivery"]}}, "quadrants", "unknown quadrant 'tactical-middle'"),
        ({"quadrants": {"tactical-internal": ["delivery", "roadmaps"]}, }, "quadrants", "'roadmaps'"),
        ({"career_levels": [{"id": "pm", "name": "PM", "track": "ic", "rank": "one"},
                            {"id": "senior-pm", "name": "Senior PM", "track": "ic", "rank": 2}]},
         "/career_levels/0/rank", "expected an integer"),
        ({"steps": [("pm", "staff-pm")]}, "/steps/0", "staff-pm"),
        ({"steps": ["pm"]}, "/steps/0", "(from, to) pair"),
        ({"expectations": {"pm": {"delivery": 4, "team-leadership": 1},
                           "senior-pm": {"delivery": 3, "team-leadership": 2}}},
         "/expectations/pm/delivery", "outside the scale 1..3"),
        ({"expectations": {"pm": {"delivery": 2}, "senior-pm": {"delivery": 3, "team-leadership": 2}}},
         "/expectations/pm", "team-leadership"),
        ({"expectations": {"pm": {"delivery": 2, "team-leadership": "Expert"},
                           "senior-pm": {"delivery": 3, "team-leadership": 2}}},
         "/expectations/pm/team-leadership", "unknown level 'Expert'"),
        ({"expectations": pd.DataFrame({"delivery": [2.0, np.nan], "team-leadership": [1, 2]},
                                       index=["pm", "senior-pm"])},
         "/expectations/senior-pm/delivery", "finite number"),
        ({"areas": ()}, "/competencies/0/area", "unknown area 'execution'"),
        ({"archetypes": [{"id": "x", "name": "X", "strong": ["roadmaps"]}]}, "/archetypes/0/strong", "roadmaps"),
        ({"trait_words": ["  "]}, "/checks/trait_words/0", "empty"),
    ],
)
def test_a_bad_part_is_refused_naming_its_field(changes, pointer, message):
    with pytest.raises(calibra.ValidationError) as caught:
        calibra.Framework(**tiny_parts(**changes))
    text = str(caught.value)
    assert text.startswith("[calibra.validation_error.framework]")
    assert f"Framework(): {pointer}" in text and message in text, text
    assert caught.value.id == "validation_error.framework"


def test_anchor_list_of_the_wrong_length_is_refused():
    parts = tiny_parts()
    parts["competencies"][0]["anchors"] = ["one", "two"]
    with pytest.raises(calibra.ValidationError, match=r"/competencies/0/anchors: expected one anchor per scale"):
        calibra.Framework(**parts)


def test_every_problem_of_a_built_framework_is_listed():
    parts = tiny_parts(last_updated="2026-13-01")
    parts["competencies"][1]["quadrant"] = "sideways"
    del parts["quadrants"]
    with pytest.raises(calibra.ValidationError) as caught:
        calibra.Framework(**parts)
    # Competency 0 has no quadrant now, which the reader accepts (a quadrant is
    # optional); whether all competencies agree is a rule of the model, checked
    # once the file reads cleanly.
    assert {p["pointer"] for p in caught.value.problems} == {"/metadata/last_updated", "/competencies/1/quadrant"}
    assert "quadrant" in caught.value.problems[1]["message"]
    del parts["competencies"][1]["quadrant"]
    parts["last_updated"] = "2026-11-01"
    parts["competencies"][1]["quadrant"] = "strategic-internal"
    with pytest.raises(calibra.ValidationError, match=r"/competencies/0/position: a position needs a quadrant"):
        calibra.Framework(**parts)
    del parts["competencies"][0]["position"]
    with pytest.raises(calibra.ValidationError, match=r"/competencies/1/quadrant: competency '.*' has a quadrant, "
                                                      r"but 'delivery' has none"):
        calibra.Framework(**parts)


def test_missing_parts_are_named():
    with pytest.raises(TypeError, match=r"needs scale=, competencies= \(and takes career_levels=, expectations="):
        calibra.Framework(id="x", name="y")
    with pytest.raises(TypeError, match="takes the parts of a framework as keywords"):
        calibra.Framework("not a framework")  # type: ignore[arg-type]


def test_tables_of_one_framework_build_another():
    fw = calibra.builtin_framework()
    document = json.loads(fw.to_json())
    rebuilt = calibra.Framework(
        id=fw.id, name=fw.name, version=fw.version, last_updated=fw.metadata["last_updated"],
        owners=fw.metadata["owners"], description=fw.metadata["description"],
        scale=fw.scale, areas=fw.areas, competencies=document["competencies"], career_levels=fw.career_levels,
        steps=fw.steps, expectations=fw.expectations, archetypes=document.get("archetypes", ()),
        trait_words=fw.trait_words,
    )
    assert rebuilt == fw
    with pytest.raises(calibra.ValidationError, match=r"Framework\(\): /scale: expected a list or a DataFrame"):
        calibra.Framework(**tiny_parts(scale="basic, independent, leading"))
