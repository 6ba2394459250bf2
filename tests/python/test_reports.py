"""calibra.report: the document `calibra report` writes, from Python."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import calibra
from conftest import REPO


@pytest.fixture(scope="module")
def full_report() -> calibra.Report:
    return calibra.report()


def test_default_report_covers_framework_and_example_calibration(full_report, builtin_document):
    document = full_report.to_dict()
    assert full_report.title == builtin_document["metadata"]["name"] + ": calibration report"
    ids = [section["id"] for section in document["sections"]]
    assert len(ids) == len(set(ids)) and len(ids) > 3
    html_page = full_report.to_html()
    assert html_page.lstrip().lower().startswith("<!doctype html") and "<script" not in html_page.lower()
    assert full_report.to_markdown().startswith("# ")


def test_framework_only_report_has_no_calibration(builtin_document):
    framework_only = calibra.report(framework=calibra.builtin_framework())
    assert framework_only.title == builtin_document["metadata"]["name"] + ": competency matrix"
    full_ids = {s["id"] for s in calibra.report().to_dict()["sections"]}
    ids = {s["id"] for s in framework_only.to_dict()["sections"]}
    assert ids < full_ids
    with pytest.raises(calibra.InvalidArgument, match="need ratings"):
        calibra.report(framework=calibra.builtin_framework(), period="2026Q3")


def test_write_all_formats_and_tables(full_report, tmp_path):
    files = full_report.write(tmp_path / "out")
    names = sorted(p.split("/")[-1] for p in files)
    assert {"report.xlsx", "report.html", "report.md", "report.json"} <= set(names)
    assert any(n.startswith("report-") and n.endswith(".csv") for n in names)
    assert json.loads((tmp_path / "out" / "report.json").read_text()) == full_report.to_dict()
    tables = full_report.tables()
    assert tables and all(isinstance(t, pd.DataFrame) for t in tables.values())
    some = sorted(tables)[0]
    pd.testing.assert_frame_equal(tables[some], pd.read_csv(tmp_path / "out" / f"report-{some}.csv"))
    with pytest.raises(calibra.InvalidArgument, match="pdf"):
        full_report.write(tmp_path / "bad", formats="pdf")


def test_report_with_out_writes_and_takes_cli_options(tmp_path):
    ratings = pd.read_csv(REPO / "data" / "examples" / "ratings.csv")
    result = calibra.report(tmp_path, ratings=ratings, formats="html,json", title="Q3 calibration",
                            period="2026Q3", without_ratees=True)
    assert sorted(p.split("/")[-1] for p in result.files) == ["report.html", "report.json"]
    assert result.title == "Q3 calibration"
    with_ratees = {s["id"] for s in calibra.report(ratings=ratings).to_dict()["sections"]}
    without = {s["id"] for s in result.to_dict()["sections"]}
    assert without < with_ratees


def test_report_display_is_an_isolated_frame(full_report):
    page = full_report._repr_html_()
    assert page.startswith("<iframe srcdoc=") and 'sandbox=""' in page
    assert "<table" not in page  # the page is escaped inside the attribute
