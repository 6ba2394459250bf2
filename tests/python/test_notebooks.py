"""The notebooks of docs/notebooks run clean from top to bottom (nbclient,
with the kernel of /usr/bin/python3), and their outputs are real: tables
and plots, no error or stderr text.

They run from a copy in a temporary directory outside the repository, with
only the package on the kernel's path, so that they prove to need nothing
but the installed calibra and its bundled data (calibra.data).

CALIBRA_UPDATE_NOTEBOOKS=1 writes the executed notebooks back, so that the
outputs stored in the repository are fresh."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest

import calibra
from conftest import REPO

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

NOTEBOOK_DIR = REPO / "docs" / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))

_executed: dict[Path, Any] = {}


def outside_repository() -> Path:
    """A fresh directory that is not inside the repository."""
    where = Path(tempfile.mkdtemp(prefix="calibra-notebook-"))
    if where.resolve().is_relative_to(REPO.resolve()):
        pytest.fail(f"the temporary directory {where} is inside the repository {REPO}")
    return where


def run_outside(notebook: Any, name: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Runs a notebook from a copy in a fresh directory outside the
    repository, and returns it with its outputs."""
    where = outside_repository()
    try:
        nbformat.write(notebook, where / name)
        copy = nbformat.read(where / name, as_version=4)
        # The kernel inherits the environment: it imports the calibra this
        # test imports, draws inline, and keeps the debugger quiet.
        package_root = str(Path(calibra.__file__).parent.parent)  # not resolved: the CMake build links the .py files
        monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")])))
        monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
        monkeypatch.setenv("PYDEVD_DISABLE_FILE_VALIDATION", "1")
        client = nbclient.NotebookClient(
            copy, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(where)}}
        )
        client.execute()
        return copy
    finally:
        shutil.rmtree(where, ignore_errors=True)


def executed(path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The notebook of the repository after running it outside the
    repository (once per test session)."""
    if path not in _executed:
        notebook = run_outside(nbformat.read(path, as_version=4), path.name, monkeypatch)
        _executed[path] = notebook
        if os.environ.get("CALIBRA_UPDATE_NOTEBOOKS"):
            nbformat.write(notebook, path)
    return _executed[path]


def outputs(notebook: Any) -> list[Any]:
    return [out for cell in notebook.cells if cell.cell_type == "code" for out in cell.get("outputs", [])]


def test_the_three_notebooks_exist():
    assert {"agreement_tour.ipynb", "quick_start.ipynb", "calibration_deep_dive.ipynb"} <= {p.name for p in NOTEBOOKS}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_code_does_not_depend_on_the_repository_layout(path):
    notebook = nbformat.read(path, as_version=4)
    code = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "code")
    for marker in ("tests/", '"tests"', "Path.cwd", "parents", "ROOT", "read_csv(", "load_framework(", "read_ratings("):
        assert marker not in code, f"{path.name} reads from the repository: {marker!r}"
    assert "calibra.data." in code


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_the_kernel_runs_outside_the_repository(monkeypatch):
    """A one-cell notebook run as the notebooks are: its working directory is
    a temporary one, the repository's root is not on its path, and the
    bundled data are there."""
    notebook = nbformat.v4.new_notebook()
    notebook.cells.append(nbformat.v4.new_code_cell(
        "import os, sys, calibra\n"
        "print(os.getcwd()); print(calibra.data.reference_names()[0]); print(os.pathsep.join(sys.path))"))
    printed = run_outside(notebook, "probe.ipynb", monkeypatch).cells[0].outputs[0].text.splitlines()
    cwd = Path(printed[0]).resolve()
    assert cwd.name.startswith("calibra-notebook-") and not cwd.is_relative_to(REPO.resolve())
    assert printed[1] == "fleiss1971_diagnoses"
    on_path = {Path(p).resolve() for p in printed[2].split(os.pathsep) if p}
    assert REPO.resolve() not in on_path and (REPO / "python").resolve() not in on_path


# jupyter_client and tornado on Python 3.11 warn about their own event loops.
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_clean_with_tables_and_plots(path, monkeypatch):
    notebook = executed(path, monkeypatch)
    kinds = set()
    for output in outputs(notebook):
        assert output.output_type != "error", output
        if output.output_type == "stream":
            assert output.name == "stdout", f"stderr in {path.name}: {output.text[:500]}"
        kinds.update(output.get("data", {}))
    assert {"text/html", "image/png"} <= kinds


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_agreement_tour_reproduces_every_published_value(monkeypatch):
    notebook = executed(NOTEBOOK_DIR / "agreement_tour.ipynb", monkeypatch)
    printed = "".join(o.get("text", "") for o in outputs(notebook) if o.output_type == "stream")
    match = re.search(r"(\d+) of (\d+) published values reproduced", printed)
    assert match, printed
    assert match.group(1) == match.group(2) and int(match.group(2)) >= 30
