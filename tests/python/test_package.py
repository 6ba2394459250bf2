"""The package itself: exports, version, type information."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import calibra
from calibra import _core
from conftest import REPO


def test_all_names_exist_and_are_exported():
    assert len(calibra.__all__) == len(set(calibra.__all__))
    for name in calibra.__all__:
        assert hasattr(calibra, name), name
    import types

    public = {n for n, v in vars(calibra).items() if not n.startswith("_") and not isinstance(v, types.ModuleType)}
    assert public - {"annotations"} <= set(calibra.__all__)


def test_version_is_single_sourced_from_version_hpp():
    text = (REPO / "include" / "calibra" / "version.hpp").read_text()
    parts = [re.search(rf"#define CALIBRA_VERSION_{p} (\d+)", text).group(1) for p in ("MAJOR", "MINOR", "PATCH")]
    assert calibra.__version__ == ".".join(parts)


def test_type_information_ships_with_the_package():
    package = Path(calibra.__file__).parent
    assert (package / "py.typed").exists()
    assert (package / "_core.pyi").exists()


def test_stub_declares_exactly_the_compiled_names():
    stub = ast.parse((Path(calibra.__file__).parent / "_core.pyi").read_text())
    declared = set()
    for node in stub.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            declared.add(node.name)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            declared.add(node.target.id)
    compiled = {n for n in vars(_core) if not (n.startswith("__") and n.endswith("__"))} | {"__version__"}
    assert declared == compiled


def test_stub_methods_exist_on_compiled_classes():
    stub = ast.parse((Path(calibra.__file__).parent / "_core.pyi").read_text())
    for node in stub.body:
        if isinstance(node, ast.ClassDef):
            cls = getattr(_core, node.name)
            for item in node.body:
                if isinstance(item, ast.FunctionDef) and item.name != "__init__":
                    assert hasattr(cls, item.name), f"{node.name}.{item.name}"
                if isinstance(item, ast.AnnAssign) and node.name == "CheckOptions":
                    assert hasattr(cls(), item.target.id), f"{node.name}.{item.target.id}"


def test_choices_are_the_cli_spellings():
    assert _core.CHOICES["stat"] == [
        "percent", "unanimous", "within", "cohen", "scott", "fleiss",
        "conger", "light", "krippendorff", "gwet", "brennan-prediger", "icc",
    ]
    assert calibra.STATISTICS == tuple(_core.CHOICES["stat"])
    assert _core.CHOICES["weights"][:8] == [
        "identity", "linear", "quadratic", "ordinal", "radical", "ratio", "circular", "bipolar",
    ]
    assert _core.CHOICES["level"] == ["nominal", "ordinal", "interval", "ratio"]
    assert _core.CHOICES["form"] == ["ICC1", "ICC2", "ICC3", "ICC1k", "ICC2k", "ICC3k"]
    assert _core.CHOICES["missing"] == ["listwise", "available"]
