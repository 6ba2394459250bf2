"""Agreement over a Dask DataFrame, for ratings that do not fit one machine.

>>> import dask.dataframe as dd, calibra.dask
>>> ratings = dd.read_parquet("ratings/")              # long or wide
>>> calibra.dask.agree(ratings, "krippendorff", level="ordinal")

Every agreement statistic except Conger's and Light's kappa is built from a
summary that is linear over units (``calibra.AgreementSummary``).  The
adapter maps each partition to its summary and merges the summaries in a
tree, so no partition leaves its worker except as a summary of a few
hundred numbers; ``finish()`` on the merged summary gives what
``calibra.agree`` gives on all the data at once (up to rounding).

Two things must be fixed before the first summary is built, and a first,
equally cheap pass finds them: the category codes (skipped when you pass
``categories=``) and, for ordinal Krippendorff, the pooled frequency of each
code (its distances depend on them).  Long data takes one more pass to list
the raters, and a shuffle so that all the ratings of a unit land in the same
partition (a summary is linear over units, not over ratings).  Each pass
reads the input again; ``ddf.persist()`` first when reading is expensive.

The same pattern runs on Spark (see docs/python.md): ``mapPartitions``
builds one summary per partition, ``reduce(operator.add)`` merges them, and
``finish()`` runs on the driver.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np
import pandas as pd

from calibra import _core
from calibra.agreement import UNIT_COLUMNS, AgreementResult, AgreementSummary, _is_long, _pivot_long, _wide_matrix
from calibra.errors import invalid_argument

if TYPE_CHECKING:
    from calibra.framework import Framework

__all__ = ["agree", "summarise"]

T = TypeVar("T")


class _Layout:
    """How to turn one partition into a units x raters matrix with the same
    columns in every partition."""

    def __init__(
        self, long: bool, raters: list[Any], unit_column: str | None, framework: Framework | None
    ) -> None:
        self.long = long
        self.raters = raters
        self.unit_column = unit_column
        self.framework = framework

    def matrix(self, part: pd.DataFrame) -> np.ndarray[Any, np.dtype[np.float64]]:
        if self.long:
            return _pivot_long(part, self.framework, pd.Index(self.raters, name="rater"))[0]
        return np.asfortranarray(_wide_matrix(part, self.unit_column, self.framework)[0])


def _scan_partition(part: pd.DataFrame, layout: _Layout, stat: str, options: dict[str, Any]) -> dict[float, float]:
    """Category code -> frequency in pairable units, for the units this
    partition contributes (codes of units with a single rating count 0)."""
    scan = _core.summary_scan(layout.matrix(part), stat, **options)
    return dict(zip(scan["codes"], scan["pairable"]))


def _merge_scans(a: dict[float, float], b: dict[float, float]) -> dict[float, float]:
    merged = dict(a)
    for code, count in b.items():
        merged[code] = merged.get(code, 0.0) + count
    return merged


def _summarise_partition(
    part: pd.DataFrame, layout: _Layout, stat: str, shape: dict[str, Any], options: dict[str, Any]
) -> AgreementSummary:
    summary = AgreementSummary(stat, len(layout.raters), **shape, **options)
    summary._core.add(layout.matrix(part))
    return summary


def _tree(parts: Sequence[Any], merge: Callable[[T, T], T]) -> Any:
    """Merges delayed values pairwise, level by level: log2(n) rounds, each
    merge on whichever worker holds its inputs."""
    from dask.delayed import delayed

    level = list(parts)
    if not level:
        raise invalid_argument("python", "the Dask DataFrame has no partitions")
    while len(level) > 1:
        level = [
            delayed(merge, pure=True)(level[i], level[i + 1]) if i + 1 < len(level) else level[i]
            for i in range(0, len(level), 2)
        ]
    return level[0]


def _raters_of(part: pd.DataFrame) -> list[Any]:
    return list(pd.unique(part["rater"].dropna()))


def _first_appearance(parts: list[list[Any]]) -> list[Any]:
    seen: dict[Any, None] = {}
    for part in parts:
        for rater in part:
            seen.setdefault(rater, None)
    return list(seen)


def summarise(
    data: Any,
    stat: str,
    *,
    unit_column: str | None = None,
    framework: Framework | None = None,
    **options: Any,
) -> AgreementSummary:
    """The merged summary of a Dask DataFrame (wide or long, as for
    ``calibra.agree``); ``.finish()`` gives the result."""
    from dask.delayed import delayed

    columns = [str(c) for c in data.columns]
    long = _is_long(data._meta)
    if long:
        if unit_column is not None:
            raise invalid_argument("python", "unit_column= applies to wide data; long data names its units with "
                                   + ", ".join(UNIT_COLUMNS))
        keys = [c for c in UNIT_COLUMNS if c in columns]
        raters: list[Any] = delayed(_first_appearance, pure=True)(
            [delayed(_raters_of, pure=True)(p) for p in data.to_delayed()]
        ).compute()
        # A summary is linear over units: every rating of a unit must be in
        # the same partition.
        data = data.shuffle(on=keys)
    else:
        raters = [c for c in data.columns if c != unit_column]
        if unit_column is not None and unit_column not in data.columns:
            raise invalid_argument("python", f"unit_column {unit_column!r} is not a column; the columns are {columns}")
    layout = _Layout(long, raters, unit_column, framework)
    parts = data.to_delayed()

    shape: dict[str, Any] = {}
    declared = options.get("categories")
    ordinal_alpha = stat == "krippendorff" and options.get("level") == "ordinal"
    if stat != "icc":
        pairable: dict[float, float] = {}
        if declared is None or ordinal_alpha:
            scans = [delayed(_scan_partition, pure=True)(p, layout, stat, options) for p in parts]
            pairable = _tree(scans, _merge_scans).compute()
        codes = sorted(pairable) if declared is None else [float(c) for c in declared]
        shape["categories"] = codes
        if ordinal_alpha:
            shape["marginals"] = [pairable.get(c, 0.0) for c in codes]
    options = {k: v for k, v in options.items() if k != "categories"}

    summaries = [delayed(_summarise_partition, pure=True)(p, layout, stat, shape, options) for p in parts]
    merged: AgreementSummary = _tree(summaries, operator.add).compute()
    return merged


def agree(
    data: Any,
    stat: str,
    *,
    unit_column: str | None = None,
    framework: Framework | None = None,
    **options: Any,
) -> AgreementResult:
    """``calibra.agree`` over a Dask DataFrame: each partition becomes a
    mergeable summary, the summaries merge in a tree, the merged summary
    gives the result.  Every statistic but conger and light; options as for
    ``calibra.agree`` (no bootstrap: the interval is the analytic one)."""
    return summarise(data, stat, unit_column=unit_column, framework=framework, **options).finish()
