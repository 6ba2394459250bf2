"""Workbooks from Python: ratings read from .xlsx, the starter kit of
calibra.init, and the framework workbook (Framework.to_xlsx / from_xlsx).
Workbooks are filled and edited with openpyxl; expected values come from
the cells written and from the skeleton's rule for its expectations
(docs/python.md), never from calibra's own output."""

from __future__ import annotations

import json
import os
import subprocess

import pandas as pd
import pytest

import calibra

openpyxl = pytest.importorskip("openpyxl")

COMPETENCIES = ["Delivery", "Discovery", "Pricing", "Strategy"]


@pytest.fixture()
def kit(tmp_path):
    paths = calibra.init(tmp_path / "kit", competencies=COMPETENCIES, levels=4, name="Acme PM")
    return tmp_path / "kit", paths


def test_init_writes_a_kit_that_reads_and_passes_the_checks(kit):
    directory, paths = kit
    assert [os.path.basename(p) for p in paths] == [
        "framework.json", "framework.xlsx", "ratings-template.xlsx", "ratings-template.csv", "README.md"]
    assert all(os.path.isfile(p) for p in paths)
    fw = calibra.Framework.from_json((directory / "framework.json").read_text())
    assert fw.name == "Acme PM"
    assert fw.competency_ids == ["delivery", "discovery", "pricing", "strategy"]
    assert len(fw.level_ids) == 4
    assert fw.check().errors == 0
    assert calibra.load_framework(directory / "framework.xlsx") == fw
    assert (directory / "ratings-template.csv").read_text() == (
        "ratee,rater,role,competency,level,period,career_level,evidence\n")


def test_init_with_no_options_is_the_builtin_framework(tmp_path):
    calibra.init(tmp_path)
    assert calibra.load_framework(tmp_path / "framework.json") == calibra.builtin_framework()


def test_init_keeps_existing_files_unless_forced_and_refuses_bad_options(kit, tmp_path):
    directory, _ = kit
    (directory / "README.md").write_text("my notes\n")
    with pytest.raises(calibra.InvalidArgument, match="refusing to overwrite .*README.md"):
        calibra.init(directory, competencies=3)
    assert (directory / "README.md").read_text() == "my notes\n"
    calibra.init(directory, competencies=3, force=True)
    assert len(calibra.load_framework(directory / "framework.json").competency_ids) == 3
    with pytest.raises(calibra.InvalidArgument, match="levels 7: expected 4 or 5"):
        calibra.init(tmp_path / "other", levels=7)
    with pytest.raises(calibra.InvalidArgument, match="expected a number from 1 to 100"):
        calibra.init(tmp_path / "other", competencies=0)
    assert not (tmp_path / "other").exists()


def fill_template(directory, rows, name="filled.xlsx"):
    book = openpyxl.load_workbook(directory / "ratings-template.xlsx")
    sheet = book["Ratings"]
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            sheet.cell(r, c, value)
    path = directory / name
    book.save(path)
    return path


# The skeleton expects, at career level k (1-based rank), level k + 1 on its
# tactical competencies (the first two of every four) and level k on the
# strategic ones.  At mid-level (rank 2) on the 4-level scale (learning,
# practising, proficient, leading): delivery and discovery expect 3,
# pricing and strategy 2.
SELF_ONLY = [
    ["ana", "ana", "self", "delivery", 4.0, "2026-q3", "mid-level", "ran the launch"],
    ["ana", "ana", "self", "discovery", "proficient", "2026-q3", "mid-level", None],
    ["ana", "ana", "self", "pricing", 1, "2026-q3", "mid-level", None],
]


def test_the_filled_template_reads_as_ratings(kit):
    directory, _ = kit
    fw = calibra.load_framework(directory / "framework.json")
    assert fw.expectation("mid-level", "delivery") == 3
    assert fw.expectation("mid-level", "pricing") == 2
    path = fill_template(directory, SELF_ONLY)
    ratings = calibra.read_ratings(path, fw)
    columns = ratings.to_frame()
    assert list(columns["competency"]) == ["delivery", "discovery", "pricing"]
    assert list(columns["level"]) == [4, 3, 1]
    assert set(columns["period"]) == {"2026Q3"}
    assert calibra.read_ratings(path, fw, sheet="Ratings").to_frame().equals(columns)
    with pytest.raises(calibra.InvalidArgument, match="no sheet named 'Scores'"):
        calibra.read_ratings(path, fw, sheet="Scores")

    result = calibra.calibrate(ratings)
    profiles = result.to_dict()["self_profiles"]
    (ana,) = profiles["ratees"]
    assert [(s["competency"], s["self_level"], s["expected"]) for s in ana["strengths"]] == [
        ("delivery", "leading", "proficient")]
    assert [(g["competency"], g["self_level"], g["expected"]) for g in ana["gaps"]] == [
        ("pricing", "learning", "practising")]
    assert ana["to_discuss"] == ["pricing", "delivery", "strategy"]

    cli = os.environ.get("CALIBRA_CLI")
    if cli and os.path.exists(cli):
        out = subprocess.run([cli, "calibrate", str(path), "--framework", str(directory / "framework.json"), "--json"],
                             capture_output=True, text=True)
        assert out.returncode == 0, out.stderr
        assert json.loads(out.stdout)["self_profiles"]["ratees"][0]["ratee"] == "ana"


def test_a_bad_ratings_cell_is_named_by_sheet_and_cell(kit):
    directory, _ = kit
    fw = calibra.load_framework(directory / "framework.json")
    rows = [list(r) for r in SELF_ONLY]
    rows[1][4] = "guru"
    path = fill_template(directory, rows)
    with pytest.raises(calibra.ValidationError, match=r"Ratings!E3, column 'level': unknown level 'guru'"):
        calibra.read_ratings(path, fw)

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Ratings"
    sheet.append(["ratee", "rater", "role", "period", "delivery", "Vision"])
    sheet.append(["ana", "bo", "manager", "2026Q3", 3, 2])
    wide = directory / "wide.xlsx"
    book.save(wide)
    with pytest.raises(calibra.ValidationError, match=r"Ratings!F1, column 'Vision': not a competency"):
        calibra.read_ratings(wide, fw)
    frame = pd.DataFrame([SELF_ONLY[0][:6]], columns=["ratee", "rater", "role", "competency", "level", "period"])
    with pytest.raises(calibra.InvalidArgument, match="not a file"):
        calibra.read_ratings(frame, fw, sheet="Ratings")


def test_framework_workbook_round_trip_is_lossless(tmp_path):
    fw = calibra.builtin_framework()
    path = tmp_path / "fw.xlsx"
    fw.to_xlsx(path)
    again = calibra.Framework.from_xlsx(path)
    assert again.to_json() == fw.to_json()
    assert calibra.load_framework(str(path)) == fw


def test_an_edited_workbook_cell_comes_back_and_a_bad_one_is_named(tmp_path):
    fw = calibra.builtin_framework()
    path = tmp_path / "fw.xlsx"
    fw.to_xlsx(path)
    book = openpyxl.load_workbook(path)
    targets = book["Targets"]
    # Row 3 is product-delivery, column C the career level pm.
    assert (targets["A3"].value, targets["C1"].value) == ("product-delivery", "pm")
    assert fw.expectation("pm", "product-delivery") == 3
    targets["C3"] = "advanced"
    edited = tmp_path / "edited.xlsx"
    book.save(edited)
    assert calibra.Framework.from_xlsx(edited).expectation("pm", "product-delivery") == 4

    targets["C3"] = "master"
    bad = tmp_path / "bad.xlsx"
    book.save(bad)
    with pytest.raises(calibra.ValidationError, match=r"Targets!C3: unknown level 'master'"):
        calibra.Framework.from_xlsx(bad)
