"""mypy --strict accepts the package (with its .pyi stubs of the compiled
module), the typed usage example and the Python benchmarks."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile

import pytest

from conftest import REPO

pytest.importorskip("mypy")


def test_mypy_strict_passes_on_the_package_stubs_and_examples():
    import calibra

    package_root = os.path.dirname(os.path.dirname(calibra.__file__))
    targets = [
        os.path.join(package_root, "calibra"),  # the package as imported: .py files and _core.pyi
        str(REPO / "tests" / "python" / "example_usage.py"),
        str(REPO / "benchmarks" / "python" / "bench_bindings.py"),
    ]
    # A build tree needs MYPYPATH; an installed package is found by mypy
    # itself (py.typed), and mypy refuses site-packages on MYPYPATH.
    installed = package_root in {p for p in sys.path if os.path.basename(p) in ("site-packages", "dist-packages")}
    env = dict(os.environ) if installed else dict(os.environ, MYPYPATH=package_root)
    completed = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--config-file", str(REPO / "pyproject.toml"),
         "--cache-dir", os.path.join(tempfile.gettempdir(), "calibra-mypy-cache"), *targets],
        capture_output=True, text=True, env=env, cwd=REPO, timeout=600,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_typed_example_runs():
    completed = subprocess.run(
        [sys.executable, str(REPO / "tests" / "python" / "example_usage.py")],
        capture_output=True, text=True, timeout=600,
        env=dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path)),
    )
    assert completed.returncode == 0, completed.stderr
    assert "summary" in completed.stdout
