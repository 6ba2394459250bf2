"""calibra.data: the data sets that ship inside the package.  The expected
values are the repository's own files (tests/data/reference,
examples/frameworks, data/examples/ratings.csv) read by pandas and pathlib,
not by calibra.data."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import calibra
import calibra.data
from conftest import EXAMPLES, REFERENCE, REPO

PACKAGE_DATA = Path(calibra.data.__file__).parent / "_data"


def test_the_reference_data_sets_are_the_repository_files_byte_for_byte():
    files = sorted(REFERENCE.glob("*.csv"))
    assert calibra.data.reference_names() == [p.stem for p in files]
    assert len(files) == 13
    for path in files:
        assert (PACKAGE_DATA / "reference" / path.name).read_bytes() == path.read_bytes(), path.name
        pd.testing.assert_frame_equal(calibra.data.reference(path.stem), pd.read_csv(path))
    assert calibra.data.reference_readme() == (REFERENCE / "README.md").read_text(encoding="utf-8")


def test_a_reference_data_set_by_name_with_or_without_csv():
    diagnoses = calibra.data.reference("fleiss1971_diagnoses.csv")
    # Fleiss (1971): 30 patients, 6 diagnoses each (the README's "30 × 6").
    assert diagnoses.shape == (30, 6)
    pd.testing.assert_frame_equal(diagnoses, calibra.data.reference("fleiss1971_diagnoses"))
    with pytest.raises(calibra.InvalidArgument, match=r"no reference data set named 'fleiss'; the bundled ones are "
                                                      r"fleiss1971_diagnoses, gwet_cac_raw4raters"):
        calibra.data.reference("fleiss")


def test_the_example_frameworks_are_the_repository_files():
    files = sorted(EXAMPLES.glob("*.json"))
    assert calibra.data.example_framework_names() == [p.stem for p in files]
    for path in files:
        assert (PACKAGE_DATA / "frameworks" / path.name).read_bytes() == path.read_bytes(), path.name
    vague = calibra.data.example_framework("anchor.vague")
    from_file = calibra.load_framework(EXAMPLES / "anchor.vague.json")
    assert vague.to_json() == from_file.to_json()
    # The README of examples/frameworks: each file produces the finding it is named after.
    assert "anchor.vague" in set(vague.check().to_frame()["rule"])
    with pytest.raises(calibra.InvalidArgument, match="no example framework named 'nope'"):
        calibra.data.example_framework("nope")


def test_example_ratings_are_the_bundled_csv():
    expected = calibra.read_ratings(REPO / "data" / "examples" / "ratings.csv").to_frame()
    pd.testing.assert_frame_equal(calibra.data.example_ratings().to_frame(), expected)
    assert calibra.data.example_ratings is calibra.example_ratings


def test_calibra_data_is_part_of_the_public_api():
    assert "data" in calibra.__all__ and calibra.data is calibra.data
    assert set(calibra.data.__all__) == {
        "example_framework", "example_framework_names", "example_ratings", "reference", "reference_names",
        "reference_readme",
    }
