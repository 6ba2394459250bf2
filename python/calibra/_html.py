"""Small HTML helpers for the ``_repr_html_`` methods (Jupyter rich display).

Everything is inline-styled so that it renders the same in JupyterLab,
classic Notebook, VS Code and in exported HTML, with no stylesheet.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Sequence

# Sequential palette for proficiency levels, lightest (lowest level) first.
# A scale of n levels takes n colours spread evenly over it, so the lowest
# and highest levels always get the two ends.
_LEVEL_PALETTE = ("#f7fbff", "#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c")
_DARK_FROM = 5  # palette entries from here on need white text

SEVERITY_COLOURS = {"error": "#c0392b", "warning": "#d68910", "info": "#2874a6"}

TABLE_STYLE = "border-collapse:collapse;font-size:0.9em"
CELL_STYLE = "border:1px solid #ddd;padding:2px 6px"
HEAD_STYLE = CELL_STYLE + ";background:#f4f4f4;text-align:left"


def escape(value: object) -> str:
    return html.escape(str(value), quote=True)


def level_colours(n_levels: int) -> list[tuple[str, str]]:
    """(background, text colour) for each level ordinal 1..n_levels."""
    if n_levels <= 1:
        return [(_LEVEL_PALETTE[0], "#000")]
    last = len(_LEVEL_PALETTE) - 1
    out = []
    for i in range(n_levels):
        k = round(i * last / (n_levels - 1))
        out.append((_LEVEL_PALETTE[k], "#fff" if k >= _DARK_FROM else "#000"))
    return out


def number(value: float | None, digits: int = 3) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "&mdash;"
    return f"{value:.{digits}f}"


def table(header: Sequence[str], rows: Iterable[Sequence[str]], caption: str = "") -> str:
    """A table whose cells are already HTML (escape text before passing it)."""
    parts = [f'<table style="{TABLE_STYLE}">']
    if caption:
        parts.append(f'<caption style="text-align:left;font-weight:bold;padding:4px 0">{caption}</caption>')
    parts.append("<thead><tr>" + "".join(f'<th style="{HEAD_STYLE}">{h}</th>' for h in header) + "</tr></thead>")
    parts.append("<tbody>")
    for row in rows:
        parts.append("<tr>" + "".join(f'<td style="{CELL_STYLE}">{c}</td>' for c in row) + "</tr>")
    parts.append("</tbody></table>")
    return "".join(parts)


def badge(text: str, colour: str) -> str:
    return (
        f'<span style="background:{colour};color:#fff;border-radius:3px;padding:0 4px;'
        f'font-size:0.85em">{escape(text)}</span>'
    )


def cell(value: object, digits: int = 3) -> str:
    """One value of a table, escaped; floats rounded, missing values as a dash."""
    if value is None:
        return "&mdash;"
    if isinstance(value, float):
        return number(value, digits)
    try:
        import numpy as np

        if isinstance(value, np.floating):
            return number(float(value), digits)
    except ImportError:  # pragma: no cover - numpy is a dependency
        pass
    if isinstance(value, (list, tuple)):
        return escape(", ".join(str(v) for v in value))
    return escape(value)


def frame_table(frame: "object", caption: str = "", digits: int = 3) -> str:
    """A pandas DataFrame as an inline-styled table; every header and cell escaped."""
    import pandas as pd

    assert isinstance(frame, pd.DataFrame)
    header = [escape(c) for c in frame.columns]
    rows = [[cell(v, digits) for v in row] for row in frame.itertuples(index=False)]
    return table(header, rows, caption=escape(caption))
