"""Shared paths and fixtures for the Python tests.

The tests import the installed (or PYTHONPATH'd) package `calibra` and read
the repository's data files by absolute path, so they run from any
directory: against the CMake build (PYTHONPATH=<build>/python) or a pip
install.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[2]
REFERENCE = REPO / "tests" / "data" / "reference"
EXAMPLES = REPO / "examples" / "frameworks"
BUILTIN_JSON = REPO / "data" / "frameworks" / "product-manager.json"


def reference_csv(name: str) -> pd.DataFrame:
    """A published data set as a wide DataFrame (empty cell = NaN)."""
    return pd.read_csv(REFERENCE / name)


@pytest.fixture(scope="session")
def builtin_document() -> dict[str, Any]:
    """The built-in framework parsed by the json module, independently of calibra."""
    with open(BUILTIN_JSON, encoding="utf-8") as f:
        return json.load(f)
