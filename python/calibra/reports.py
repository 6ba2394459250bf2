"""Reports: what ``calibra report`` writes, from Python.

>>> import calibra
>>> report = calibra.report()                    # built-in framework + bundled example
>>> report                                       # the HTML page, inline in Jupyter
>>> report.write("out/", formats="xlsx,html")    # ['out/report.xlsx', 'out/report.html']

With no framework and no ratings, the report covers the built-in framework
and the bundled example ratings, as ``calibra report`` does without
arguments; with a framework alone, that framework only; with ratings, the
framework's sections followed by every calibration section.
"""

from __future__ import annotations

import html
import io
import json
import os
from typing import TYPE_CHECKING, Any, Union

import pandas as pd

from calibra import _core
from calibra.calibration import Ratings, RatingsSource, read_ratings
from calibra.errors import invalid_argument

if TYPE_CHECKING:
    from calibra.framework import Framework

__all__ = ["Report", "report"]


class Report:
    """A report document: render it (``to_html``, ``to_markdown``,
    ``to_dict``, ``tables``) or write it (``write``) in the CLI's formats."""

    __slots__ = ("_core", "files")

    def __init__(self, core: _core.ReportDocument, files: list[str] | None = None) -> None:
        self._core = core
        #: The paths written when ``calibra.report(out=...)`` wrote the report.
        self.files: list[str] = list(files or [])

    @property
    def title(self) -> str:
        return self._core.title

    def to_html(self) -> str:
        """The self-contained HTML page (inline CSS and SVG, no scripts)."""
        return self._core.to_html()

    def to_markdown(self) -> str:
        return self._core.to_markdown()

    def to_json(self) -> str:
        return self._core.to_json()

    def to_dict(self) -> dict[str, Any]:
        """The JSON document (shape in docs/reports.md)."""
        document: dict[str, Any] = json.loads(self._core.to_json())
        return document

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table of the report by its id, as the CSV files hold them."""
        return {name: pd.read_csv(io.StringIO(text)) for name, text in self._core.to_csv()}

    def write(
        self, out_dir: str | os.PathLike[str], *, formats: str = "xlsx,html,md,json,csv", basename: str = "report"
    ) -> list[str]:
        """Writes the report into `out_dir` (created if missing) in each of
        `formats` ("xlsx,html,md,json,csv", as ``--format``); all files or
        none.  Returns the paths written."""
        return list(self._core.write(os.fspath(out_dir), formats, basename))

    def __repr__(self) -> str:
        return f"<calibra.Report {self.title!r}: {len(self.to_dict().get('sections', []))} sections>"

    def _repr_html_(self) -> str:
        # The page is a whole document with its own styles: an iframe keeps
        # them from leaking into the notebook and vice versa.
        return (
            f'<iframe srcdoc="{html.escape(self.to_html(), quote=True)}" '
            'style="width:100%;height:640px;border:1px solid #ddd" sandbox=""></iframe>'
        )


FrameworkSource = Union["Framework", str, "os.PathLike[str]"]


def report(
    out: str | os.PathLike[str] | None = None,
    *,
    framework: FrameworkSource | None = None,
    ratings: RatingsSource | None = None,
    formats: str = "xlsx,html,md,json,csv",
    title: str | None = None,
    period: str | None = None,
    min_group: int | None = None,
    duplicates: str = "error",
    without_ratees: bool = False,
) -> Report:
    """The report of ``calibra report``, as a Report; with `out`, also
    written there in `formats` (the paths are in ``.files``).

    framework: a Framework or a framework JSON path (default: built-in).
    ratings: Ratings, a long DataFrame or a ratings file; without ratings and
    without a framework, the bundled example ratings.  period, min_group,
    duplicates and without_ratees are the CLI's options.
    """
    from calibra.framework import Framework, builtin_framework, load_framework

    fw: Framework | None
    if framework is None or isinstance(framework, Framework):
        fw = framework
    elif isinstance(framework, (str, os.PathLike)):
        fw = load_framework(framework)
    else:
        raise invalid_argument("python", f"framework must be a Framework or a path; got {type(framework).__name__}")

    table: Ratings | None = None
    if ratings is not None:
        table = read_ratings(ratings, fw, duplicates=duplicates)
    elif fw is None:
        table = Ratings(_core.example_ratings())
    if min_group is not None and (isinstance(min_group, bool) or not isinstance(min_group, int) or min_group < 1):
        raise invalid_argument("python", f"min_group must be a whole number of ratees, at least 1; got {min_group!r}")
    core_framework = (fw or builtin_framework())._core
    document = _core.report_document(
        core_framework,
        None if table is None else table._core,
        title or "",
        period,
        min_group,
        without_ratees,
    )
    result = Report(document)
    if out is not None:
        result.files = result.write(out, formats=formats)
    return result
