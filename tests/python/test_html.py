"""Rich display in Jupyter: every _repr_html_ escapes the text it shows
(names come from user files), and the expectation matrix is laid out as
the calibration spreadsheet: competencies grouped by quadrant
with rules between the groups, cells coloured by level."""

from __future__ import annotations

import copy
import json
import re

import numpy as np
import pandas as pd
import pytest

import calibra

HOSTILE = '<script>alert("x")</script> & <u>'


@pytest.fixture(scope="module")
def hostile_framework(builtin_document):
    document = copy.deepcopy(builtin_document)
    document["metadata"]["name"] = HOSTILE
    document["competencies"][0]["name"] = HOSTILE
    document["scale"][0]["label"] = HOSTILE
    document["career_levels"][0]["name"] = HOSTILE
    return calibra.parse_framework(json.dumps(document))


def assert_escaped(page: str) -> None:
    assert "<script>" not in page and "<u>" not in page
    assert "&lt;script&gt;" in page and "&amp;" in page


def test_framework_and_matrix_escape_names(hostile_framework):
    assert_escaped(hostile_framework._repr_html_())
    assert_escaped(hostile_framework.expectation_matrix()._repr_html_())


def test_expectation_matrix_spreadsheet_layout(builtin_document):
    fw = calibra.builtin_framework()
    page = fw.expectation_matrix()._repr_html_()
    rows = re.findall(r"<tr>(.*?)</tr>", page)
    body = rows[1:]
    assert len(body) == len(builtin_document["competencies"])
    # Quadrant groups: the name on the first row of each group, a rule above every group but the first.
    starts = [i for i, row in enumerate(body) if "border-top:2px" in row]
    assert len(starts) == 3
    quadrant_cells = [re.search(r"<td[^>]*>(.*?)</td>", row).group(1) for row in body]
    assert [q for q in quadrant_cells if q] == ["tactical-internal", "tactical-external", "strategic-internal",
                                                "strategic-external"]
    assert [i for i, q in enumerate(quadrant_cells) if q][1:] == starts
    # Each level cell carries the background of its level: lowest lightest, highest darkest.
    frame = fw.expectation_matrix().to_frame()
    cells = re.findall(r'background:(#[0-9a-f]{6});color:#[0-9a-f]{3}[^>]*title="([^"]*)">(\d)</td>', page)
    assert len(cells) == frame.size
    palette = {int(ordinal): colour for colour, _, ordinal in cells}
    assert palette[min(palette)] == "#f7fbff"
    assert [int(o) for _, _, o in cells] == list(frame.to_numpy().ravel())


def test_expectation_matrix_frame_is_grouped_by_quadrant():
    frame = calibra.builtin_framework().expectation_matrix().to_frame()
    assert frame.index.names == ["quadrant", "competency"]
    assert list(dict.fromkeys(frame.index.get_level_values("quadrant"))) == [
        "tactical-internal", "tactical-external", "strategic-internal", "strategic-external"
    ]
    fw = calibra.builtin_framework()
    assert frame.loc[("strategic-internal", "team-leadership"), "group-pm"] == fw.expectation("group-pm",
                                                                                             "team-leadership")


def test_agreement_results_escape_rater_names():
    data = pd.DataFrame({HOSTILE: [1, 2, 3, 1], "ok": [1, 2, 2, 1]})
    assert_escaped(calibra.pairwise(data, "cohen")._repr_html_())
    page = calibra.agree(data, "cohen")._repr_html_()
    assert "<u>" not in page


def test_ratings_and_calibration_escape_names():
    long = calibra.example_ratings().to_frame()
    long = long.replace({"ratee": {"pm01": HOSTILE}, "rater": {"pm01": HOSTILE}})
    ratings = calibra.read_ratings(long)
    assert_escaped(ratings._repr_html_())
    report = calibra.calibrate(ratings)
    page = report._repr_html_()
    assert "<script>" not in page


def test_findings_escape(hostile_framework):
    page = hostile_framework.check()._repr_html_()
    assert "<script>" not in page
