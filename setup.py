"""Builds the extension module calibra._core for pip (metadata: pyproject.toml).

The module is compiled from the same sources as the CMake target _core
(bindings/CMakeLists.txt): the binding files listed in bindings/sources.txt,
plus the compiled parts of the C++ library, calibra::io (src/io/*.cpp) and
calibra::reports (src/reports/*.cpp, which links libxlsxwriter), and the
source that embeds the built-in framework.  CMake generates that last
file with cmake/embed_text.cmake; embedded_framework_source() below writes
the same C++ into the build directory, so pip needs no CMake.

Everything comes from Debian packages (pybind11, Eigen, Boost, nlohmann-json,
libxlsxwriter), so the build works offline:  pip install --no-build-isolation .
"""

from __future__ import annotations

import glob
import os
import re
import sysconfig
from pathlib import Path

from pybind11.setup_helpers import ParallelCompile, Pybind11Extension, build_ext
from setuptools import setup

ROOT = Path(__file__).resolve().parent
FRAMEWORK_JSON = ROOT / "data" / "frameworks" / "product-manager.json"


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


def binding_sources() -> list[str]:
    """bindings/sources.txt: one file per line, '#' starts a comment line."""
    lines = (ROOT / "bindings" / "sources.txt").read_text(encoding="utf-8").splitlines()
    names = [line.strip() for line in lines if line.strip() and not line.strip().startswith("#")]
    return [str(Path("bindings") / name) for name in names]


def library_sources() -> list[str]:
    """calibra::io and calibra::reports, as CMake globs them."""
    found: list[str] = []
    for part in ("io", "reports"):
        found += sorted(os.path.relpath(p, ROOT) for p in glob.glob(str(ROOT / "src" / part / "*.cpp")))
    return found


def embedded_framework_source(json_path: Path) -> str:
    """The C++ that cmake/embed_text.cmake generates: the file's bytes as a
    hex array and calibra::detail::builtin_framework_json() returning them."""
    data = json_path.read_bytes()
    hex_bytes = [f"0x{b:02x}," for b in data]
    lines = ["".join(hex_bytes[i : i + 16]) for i in range(0, len(hex_bytes), 16)]
    body = "\n".join(lines) + ("\n" if len(data) % 16 == 0 and data else "")
    return (
        f"// Generated from {json_path}; do not edit.\n"
        "#include <cstddef>\n"
        "#include <string_view>\n"
        "namespace calibra::detail {\n"
        "static const unsigned char builtin_bytes[] = {\n"
        f"{body}0x00}};\n"
        "std::string_view builtin_framework_json() {\n"
        f"  return std::string_view(reinterpret_cast<const char*>(builtin_bytes), {len(data)});\n"
        "}\n"
        "}  // namespace calibra::detail\n"
    )


class build_calibra_ext(build_ext):  # noqa: N801 (setuptools command naming)
    """Writes the embedded-framework source into the build directory first."""

    def build_extensions(self) -> None:
        generated = Path(self.build_temp) / "generated" / "builtin_framework_data.cpp"
        generated.parent.mkdir(parents=True, exist_ok=True)
        text = embedded_framework_source(FRAMEWORK_JSON)
        if not generated.exists() or generated.read_text(encoding="utf-8") != text:
            generated.write_text(text, encoding="utf-8")
        for ext in self.extensions:
            if str(generated) not in ext.sources:
                ext.sources.append(str(generated))
        super().build_extensions()


def eigen_include_dirs() -> list[str]:
    candidates = [os.environ.get("EIGEN3_INCLUDE_DIR", ""), "/usr/include/eigen3", "/usr/local/include/eigen3"]
    return [d for d in candidates if d and Path(d, "Eigen", "Core").exists()][:1]


# Compile the sources in parallel; CALIBRA_BUILD_JOBS overrides the default.
ParallelCompile("CALIBRA_BUILD_JOBS", default=2).install()

extension = Pybind11Extension(
    "calibra._core",
    sources=binding_sources() + library_sources(),
    include_dirs=[str(ROOT / "include"), *eigen_include_dirs()],
    # The XLSX writer (calibra::reports); libxlsxwriter itself needs zlib.
    libraries=["xlsxwriter", "z"],
    cxx_std=17,
    # Same as calibra_internal_flags in CMake, minus -Werror: a newer compiler
    # must not break an end user's install over a new warning.
    extra_compile_args=["-Wall", "-Wextra", "-Wpedantic"] if sysconfig.get_platform().startswith("linux") else [],
)

# Out of the way of CMake's build/ directory (and of the source tree).
BUILD_BASE = ROOT / "build-pip"
BUILD_BASE.mkdir(exist_ok=True)

setup(
    version=calibra_version(),
    ext_modules=[extension],
    cmdclass={"build_ext": build_calibra_ext},
    options={"build": {"build_base": str(BUILD_BASE)}, "egg_info": {"egg_base": str(BUILD_BASE)}},
    zip_safe=False,
)
