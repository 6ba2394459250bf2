"""Builds the extension module calibra._core for pip (metadata: pyproject.toml).

pip drives the CMake build, as in pybind11's CMake example: setup.py
configures the project with only the Python module switched on and builds
the `_core` target into the directory setuptools packs.  The sources, the
compiler flags and the embedding of the built-in framework therefore exist
once, in CMakeLists.txt and bindings/CMakeLists.txt.

Everything comes from Debian packages (cmake, pybind11, Eigen, Boost,
nlohmann-json, libxlsxwriter), so the build works offline:

    pip install --no-build-isolation .

Environment: CALIBRA_BUILD_JOBS sets the parallel compile jobs (default 2);
CMAKE_ARGS adds arguments to the configure step (space-separated).
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = Path(__file__).resolve().parent


def calibra_version() -> str:
    """MAJOR.MINOR.PATCH from include/calibra/version.hpp, the single source."""
    text = (ROOT / "include" / "calibra" / "version.hpp").read_text(encoding="utf-8")
    parts = []
    for part in ("MAJOR", "MINOR", "PATCH"):
        match = re.search(rf"#define CALIBRA_VERSION_{part} (\d+)", text)
        if not match:
            raise RuntimeError(f"include/calibra/version.hpp has no CALIBRA_VERSION_{part}")
        parts.append(match.group(1))
    return ".".join(parts)


class CMakeExtension(Extension):
    """An extension that CMake builds: setuptools gets no sources to compile."""

    def __init__(self, name: str, target: str, source_dir: Path) -> None:
        super().__init__(name, sources=[])
        self.target = target
        self.source_dir = source_dir


class CMakeBuild(build_ext):
    """Configures the CMake project once per build directory and builds the target."""

    def build_extension(self, ext: Extension) -> None:
        if not isinstance(ext, CMakeExtension):
            super().build_extension(ext)
            return
        # Where setuptools expects the module file, e.g. build/lib.../calibra/.
        module_dir = Path(self.get_ext_fullpath(ext.name)).parent.resolve()
        build_dir = Path(self.build_temp).resolve() / "cmake"
        build_dir.mkdir(parents=True, exist_ok=True)
        config = "Debug" if self.debug else "Release"
        configure = [
            "cmake",
            "-S", str(ext.source_dir),
            "-B", str(build_dir),
            f"-DCMAKE_BUILD_TYPE={config}",
            # The interpreter running pip is the one the module must load into.
            f"-DPython3_EXECUTABLE={sys.executable}",
            f"-DCALIBRA_PYTHON_MODULE_DIR={module_dir}",
            "-DCALIBRA_BUILD_PYTHON=ON",
            "-DCALIBRA_BUILD_TESTS=OFF",
            "-DCALIBRA_BUILD_CLI=OFF",
            "-DCALIBRA_BUILD_BENCHMARKS=OFF",
            "-DCALIBRA_INSTALL=OFF",
            *shlex.split(os.environ.get("CMAKE_ARGS", "")),
        ]
        jobs = os.environ.get("CALIBRA_BUILD_JOBS", "2")
        build = ["cmake", "--build", str(build_dir), "--config", config, "--target", ext.target, "--parallel", jobs]
        subprocess.run(configure, check=True)
        subprocess.run(build, check=True)


# Out of the way of CMake's build/ directory (and of the source tree).
BUILD_BASE = ROOT / "build-pip"
BUILD_BASE.mkdir(exist_ok=True)

setup(
    version=calibra_version(),
    ext_modules=[CMakeExtension("calibra._core", target="_core", source_dir=ROOT)],
    cmdclass={"build_ext": CMakeBuild},
    options={"build": {"build_base": str(BUILD_BASE)}, "egg_info": {"egg_base": str(BUILD_BASE)}},
    zip_safe=False,
)
