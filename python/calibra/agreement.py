"""Inter-rater agreement: every coefficient of ``calibra agree``, on numpy
arrays or pandas DataFrames.

``agree(data, stat, **options)`` takes the statistic and option names and
values exactly as the CLI spells them::

    calibra agree FILE.csv --stat gwet --weights quadratic --ci 0.9
    calibra.agree(frame, "gwet", weights="quadratic", ci=0.9)

The options go to the compiled core as they are, which reads them by
walking the C++ option list (``visit_options``) that the CLI uses too: the
same names, the same values, the same "expected one of" messages.

Data layouts
------------
* A 2-D numpy array (or anything ``numpy.asarray`` accepts): units x raters,
  NaN (or None) for a missing rating.  A float64 array in Fortran (column)
  order reaches C++ without a copy; any other layout or dtype is converted
  once into a column-major float64 temporary.
* A wide DataFrame: one row per unit, one column per rater
  (``unit_column=`` names a column holding unit ids instead of ratings).
  A DataFrame whose columns are all float64 is already stored column by
  column, so it also reaches C++ without a copy.
* A long DataFrame, recognised by its columns ``rater`` and ``level`` plus
  at least one of ``unit``, ``ratee``, ``competency``, ``period``: one row
  per rating.  A unit is each distinct combination of the unit columns
  present (e.g. one ratee on one competency in one period), a rater each
  distinct ``rater``; both keep their order of first appearance.  A (unit,
  rater) pair given twice is an error.  pandas only numbers the keys
  (``factorize``); the units x raters matrix is built in C++ in one pass.

Levels are numbers (level ordinals or any numeric codes).  With
``framework=`` they may also be the framework's level ids or labels
("proficient", "Proficient"), in long and in wide data.
"""

from __future__ import annotations

import math
import os
import re
import sys
import warnings
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any, Literal, Sequence, Union, overload

import numpy as np
import numpy.typing as npt
import pandas as pd

from calibra import _core, _html
from calibra.errors import DataWarning, Error, InvalidArgument, invalid_argument

if TYPE_CHECKING:
    from calibra.framework import Framework

__all__ = [
    "FRAME_OPTIONS",
    "OPTIONS",
    "OPTION_STATISTICS",
    "PER_CATEGORY_STATISTICS",
    "AgreementResult",
    "AgreementSummary",
    "PairwiseResult",
    "STATISTICS",
    "agree",
    "brennan_prediger",
    "cohen_kappa",
    "confusion",
    "conger_kappa",
    "fleiss_kappa",
    "gwet_ac",
    "icc",
    "krippendorff_alpha",
    "light_kappa",
    "pairwise",
    "per_category",
    "percent_agreement",
    "read_wide_csv",
    "scott_pi",
    "unanimous_agreement",
    "wide_ratings",
    "within_agreement",
]

#: Statistic names accepted by agree(), as on the CLI (``--stat``).
STATISTICS: tuple[str, ...] = tuple(_core.CHOICES["stat"])

#: Option names accepted by agree() and pairwise(), as on the CLI.
OPTIONS: tuple[str, ...] = tuple(_core.CHOICES["options"])

#: The columns that identify a unit in long data, in the order they key it.
UNIT_COLUMNS: tuple[str, ...] = ("unit", "ratee", "competency", "period")

#: Data agree() accepts: a DataFrame (wide or long) or a units x raters array.
RatingsData = Union[pd.DataFrame, npt.ArrayLike]

# ---------------------------------------------------------------------------
# Input


def _is_long(frame: pd.DataFrame) -> bool:
    columns = set(map(str, frame.columns))
    return {"rater", "level"} <= columns and any(c in columns for c in UNIT_COLUMNS)


def _level_lookup(framework: Framework) -> dict[Any, float]:
    """Level id, label or ordinal (as text or number) -> ordinal, ids before
    labels, as the C++ ratings reader resolves them."""
    lookup: dict[Any, float] = {}
    scale = framework.scale
    for ordinal, level_id in zip(scale.index, scale["id"]):
        lookup.setdefault(str(level_id), float(ordinal))
    for ordinal, label in zip(scale.index, scale["label"]):
        lookup.setdefault(str(label), float(ordinal))
    for ordinal in scale.index:
        lookup.setdefault(str(int(ordinal)), float(ordinal))
        lookup.setdefault(int(ordinal), float(ordinal))
    return lookup


def _levels(values: pd.Series, framework: Framework | None, where: str) -> npt.NDArray[np.float64]:
    """A column of levels as float64 ordinals (NaN: missing).  `where`
    says what the column is, for messages."""
    if pd.api.types.is_bool_dtype(values.dtype) and framework is None:
        as_numbers: npt.NDArray[np.float64] = values.to_numpy(dtype=np.float64)
        return as_numbers
    if pd.api.types.is_numeric_dtype(values.dtype):
        levels: npt.NDArray[np.float64] = values.to_numpy(dtype=np.float64, na_value=np.nan)
        if framework is not None:
            n = len(framework.level_ids)
            outside = ~np.isnan(levels) & ((levels < 1) | (levels > n) | (levels != np.floor(levels)))
            if outside.any():
                at = int(np.argmax(outside))
                raise invalid_argument(
                    "python",
                    f"{where}: row {values.index[at]!r} has level {values.iloc[at]!r}, outside the scale 1..{n} "
                    f"of framework {framework.id!r} ({', '.join(framework.level_ids)})",
                )
        return levels
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    lookup = _level_lookup(framework) if framework is not None else {}
    mapped = np.empty(len(uniques) + 1, dtype=np.float64)
    mapped[-1] = np.nan  # code -1: a missing level
    for k, unique in enumerate(uniques):
        ordinal = lookup.get(unique if not isinstance(unique, str) else unique, None)
        if ordinal is None and not isinstance(unique, str):
            try:
                ordinal = float(unique) if framework is None else lookup.get(int(unique))
            except (TypeError, ValueError):
                ordinal = None
        if ordinal is None:
            at = int(np.argmax(codes == k))
            if framework is None:
                expected = (
                    "expected a number (a level ordinal) or a missing value; pass framework= to read "
                    "level ids and labels"
                )
            else:
                expected = (
                    f"expected a level id ({', '.join(framework.level_ids)}), a label "
                    f"({', '.join(framework.level_labels)}) or an ordinal 1..{len(framework.level_ids)} of "
                    f"framework {framework.id!r}"
                )
            raise invalid_argument("python", f"{where}: row {values.index[at]!r} has level {unique!r}; {expected}")
        mapped[k] = ordinal
    resolved: npt.NDArray[np.float64] = mapped[codes]
    return resolved


def _duplicate_rating_error(frame: pd.DataFrame, keys: list[Any], rater: Any, first: int, second: int) -> Exception:
    """The error for rows `first` and `second` (positions) that rate one unit
    by one rater, named by their row labels."""
    unit = frame[keys].iloc[first].tolist()
    unit_text = repr(unit[0]) if len(unit) == 1 else repr(tuple(unit))
    return invalid_argument(
        "python",
        f"long ratings: row {frame.index[second]!r} rates unit {unit_text} by rater "
        f"{frame[rater].iloc[second]!r} a second time (first at row {frame.index[first]!r}); each (unit, "
        "rater) pair may appear once",
    )


def _pivot_long(
    frame: pd.DataFrame,
    framework: Framework | None = None,
    raters: pd.Index | None = None,
    labels: bool = True,
    *,
    keys: list[Any] | None = None,
    rater: Any = "rater",
    rating: Any = "level",
) -> tuple[npt.NDArray[np.float64], pd.Index, pd.Index]:
    """Long ratings -> (units x raters Fortran-ordered float64, unit labels,
    rater labels).  pandas numbers the keys (factorize); C++ combines them
    into units and builds the matrix in one pass.  `keys`, `rater` and
    `rating` name the unit columns, the rater column and the rating column
    (by default the columns of UNIT_COLUMNS present, ``rater`` and
    ``level``).  `raters` fixes the columns (every rater must be in it);
    without `labels` the unit index is not built (agree() needs only the
    matrix)."""
    if keys is None:
        keys = [c for c in UNIT_COLUMNS if c in frame.columns]

    def missing_key(column: Any, codes: npt.NDArray[np.intp]) -> None:
        # factorize codes a missing key as -1: no separate isna() pass.
        if len(codes) and codes.min() < 0:
            row = frame.index[int(np.argmax(codes < 0))]
            raise invalid_argument(
                "python", f"long ratings: row {row!r} has no {column} (column {column!r} is empty there); every row "
                "needs one"
            )

    unit_codes = []
    uniques_by_key = []
    for key in keys:
        codes, uniques = pd.factorize(frame[key], sort=False)
        missing_key(key, codes)
        unit_codes.append(codes.astype(np.int64, copy=False))
        uniques_by_key.append(uniques)
    if raters is None:
        rater_codes, rater_labels = pd.factorize(frame[rater], sort=False)
        missing_key(rater, rater_codes)
        raters = pd.Index(rater_labels, name="rater")
    else:
        missing_key(rater, pd.factorize(frame[rater], sort=False)[0])
        rater_codes = pd.Categorical(frame[rater], categories=raters).codes
        unknown = rater_codes < 0
        if unknown.any():
            at = int(np.argmax(unknown))
            raise invalid_argument(
                "python", f"long ratings: row {frame.index[at]!r} has rater {frame[rater].iloc[at]!r}, who is "
                "not among the raters of the first pass"
            )
    levels = _levels(frame[rating], framework, f"long ratings, column {rating!r}")

    pivoted = _core.pivot_long(
        unit_codes, [len(u) for u in uniques_by_key], rater_codes.astype(np.int64, copy=False), len(raters), levels
    )
    first_rows = pivoted["unit_rows"]
    if pivoted["duplicate"] is not None:
        first, second = pivoted["duplicate"]
        raise _duplicate_rating_error(frame, keys, rater, first, second)
    units: pd.Index
    if not labels:
        units = pd.RangeIndex(len(first_rows), name="unit")
    elif len(keys) == 1:
        units = pd.Index(uniques_by_key[0].take(unit_codes[0][first_rows]), name=keys[0])
    else:
        # Straight from the factorize codes: no second round of hashing.
        units = pd.MultiIndex(
            levels=[pd.Index(u) for u in uniques_by_key],
            codes=[c[first_rows] for c in unit_codes],
            names=keys,
            verify_integrity=False,
        )
    return pivoted["ratings"], units, pd.Index(raters, name="rater")


def _wide_matrix(
    frame: pd.DataFrame, unit_column: Any, framework: Framework | None = None
) -> tuple[npt.NDArray[np.float64], pd.Index, pd.Index]:
    """A wide frame as it is: every column (but `unit_column`) a rater."""
    if unit_column is not None:
        _require_columns(frame, _as_list(unit_column) or [], "unit=")
        frame = frame.set_index(unit_column)
    if framework is None:
        # The common case first, without building frame.dtypes (a Series,
        # which costs more than the rest of the call): a float64 result
        # means every column was a plain number.  A DataFrame of float64
        # columns hands over its own block here, without a copy.
        values = frame.to_numpy()
        if values.dtype == np.float64:
            return values, frame.index, frame.columns
    numeric = [pd.api.types.is_numeric_dtype(d) or pd.api.types.is_bool_dtype(d) for d in frame.dtypes]
    if framework is None:
        for (name, dtype), is_number in zip(frame.dtypes.items(), numeric):
            if not is_number:
                raise invalid_argument(
                    "python",
                    f"wide ratings: column {name!r} holds {dtype} values, not ratings; every column must be "
                    "numeric (one column per rater), or pass unit= for a column of unit ids, framework= "
                    "for level ids and labels, or name the columns of long data with unit=, rater=, rating=",
                )
    if framework is not None or any(pd.api.types.is_extension_array_dtype(d) for d in frame.dtypes):
        # Level names or nullable columns (pd.NA): one column-major copy.
        matrix = np.empty(frame.shape, dtype=np.float64, order="F")
        for j, name in enumerate(frame.columns):
            matrix[:, j] = _levels(frame.iloc[:, j], framework, f"wide ratings, column {name!r}")
    else:
        matrix = frame.to_numpy(dtype=np.float64)
    return matrix, frame.index, frame.columns


def _array_matrix(data: npt.ArrayLike) -> npt.NDArray[np.float64]:
    if isinstance(data, (dict, pd.Series, str, bytes)) or not hasattr(data, "__len__") and not hasattr(
        data, "__array__"
    ):
        raise invalid_argument(
            "python",
            f"ratings must be {ACCEPTED_DATA}; got {type(data).__name__}"
            + (" (a dict of columns becomes a DataFrame with pd.DataFrame(d))" if isinstance(data, dict) else ""),
        )
    try:
        matrix = np.asarray(data, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise invalid_argument(
            "python", f"ratings must be {ACCEPTED_DATA}, holding numbers (NaN or None for a missing rating): {exc}"
        ) from None
    if matrix.ndim != 2:
        raise invalid_argument(
            "python", f"ratings must be a 2-D units x raters matrix; got {matrix.ndim} dimension(s)"
        )
    return matrix


#: What agree() and its relatives read, for messages.
ACCEPTED_DATA = (
    "a pandas DataFrame (long: one row per rating; wide: one row per unit, one column per rater), a 2-D numpy "
    "array (units x raters) or a list of rows of numbers"
)


@dataclass(frozen=True)
class _Columns:
    """What the columns of a DataFrame hold: agree()'s unit=, rater=,
    rating= after checking, or what auto-detection found."""

    long: bool
    unit: list[Any] | None = None  # long: the unit key columns; wide: the columns moved to the index
    rater: Any = None  # long: the rater column; wide: the rater columns, or None for every other column
    rating: Any = None  # long: the rating column


def _as_list(value: Any) -> list[Any] | None:
    if value is None:
        return None
    if isinstance(value, (list, tuple, pd.Index)):
        return list(value)
    return [value]


def _column_names(frame: pd.DataFrame) -> list[Any]:
    return list(frame.columns)


def _require_columns(frame: pd.DataFrame, names: list[Any], argument: str) -> None:
    for name in names:
        if name not in frame.columns:
            raise invalid_argument(
                "python",
                f"{argument} names column {name!r}, which this DataFrame does not have; its columns are "
                f"{_column_names(frame)}",
            )


def _call_shapes() -> str:
    return (
        "long data (one row per rating): agree(df, stat, unit=COLUMN or [COLUMNS], rater=COLUMN, rating=COLUMN); "
        "wide data (one row per unit, one numeric column per rater): agree(df, stat, unit=COLUMN), or the unit "
        "ids in the index, and rater=[COLUMNS] to choose the rater columns"
    )


def _cannot_read(frame: pd.DataFrame, problem: str) -> InvalidArgument:
    return invalid_argument(
        "python",
        f"cannot tell how to read this DataFrame: {problem}. Its columns are {_column_names(frame)}. Name the "
        f"columns: {_call_shapes()}",
    )


def _id_name(name: Any) -> bool:
    """``id``, ``*_id``, ``id_*``, ``employeeId``, ``employeeID``."""
    text = str(name)
    lower = text.lower()
    if not (lower.endswith("id") or lower.startswith("id")):
        return False
    return (
        lower == "id"
        or lower.endswith(("_id", "-id", " id", ".id"))
        or lower.startswith(("id_", "id-", "id "))
        or re.search(r"[a-z0-9](Id|ID)$", text) is not None
    )


def _id_values(values: npt.NDArray[Any], position: int) -> bool:
    """Whether column `position` of a numeric matrix holds ids: whole
    numbers on at least 10 rows, a different one on every row, either in
    order or with more distinct values than any other column.  The first
    10 rows decide for almost every rating column (a scale repeats itself),
    so the check costs next to nothing."""
    column = values[:, position]
    n = len(column)
    if n < 10:
        return False
    if len(set(column[:10].tolist())) < 10:
        return False
    if np.isnan(column).any() or (column != np.floor(column)).any():
        return False
    if column.max() - column.min() + 1 < n or len(np.unique(column)) < n:
        return False
    steps = np.diff(column)
    if (steps > 0).all() or (steps < 0).all():
        return True
    others = [values[:, j] for j in range(values.shape[1]) if j != position]
    return all(len(np.unique(other[~np.isnan(other)])) < n for other in others)


def _resolve_columns(
    frame: pd.DataFrame, unit: Any, rater: Any, rating: Any, unit_column: Any
) -> _Columns:
    """Checks unit=, rater=, rating= against the frame, or detects the
    layout when they are not given and the frame is unambiguous."""
    if unit_column is not None:
        if unit is not None:
            raise invalid_argument("python", "pass unit= only: unit_column= is its older name")
        unit = unit_column
    units = _as_list(unit)
    if units is not None and not units:
        raise invalid_argument("python", f"unit= names no column; {_call_shapes()}")
    long_asked = rating is not None or (rater is not None and not isinstance(rater, (list, tuple, pd.Index)))
    if long_asked:
        given = {"unit": units, "rater": rater, "rating": rating}
        missing = [f"{name}=" for name, value in given.items() if value is None]
        if missing:
            raise invalid_argument(
                "python",
                f"long data needs unit=, rater= and rating=; {', '.join(missing)} missing. The columns are "
                f"{_column_names(frame)}; {_call_shapes()}",
            )
        if isinstance(rating, (list, tuple)):
            raise invalid_argument("python", f"rating= names one column; got {rating!r}")
        assert units is not None
        _require_columns(frame, units, "unit=")
        _require_columns(frame, [rater], "rater=")
        _require_columns(frame, [rating], "rating=")
        roles = [("unit=", u) for u in units] + [("rater=", rater), ("rating=", rating)]
        for i, (first, name) in enumerate(roles):
            for second, other in roles[i + 1 :]:
                if name == other:
                    raise invalid_argument("python", f"column {name!r} is given as both {first} and {second}")
        return _Columns(long=True, unit=units, rater=rater, rating=rating)
    if rater is not None:
        raters = list(rater)
        if not raters:
            raise invalid_argument("python", "rater= names no column")
        _require_columns(frame, raters, "rater=")
        if units is not None:
            _require_columns(frame, units, "unit=")
            both = [name for name in units if name in raters]
            if both:
                raise invalid_argument("python", f"column {both[0]!r} is given as both unit= and rater=")
        return _Columns(long=False, unit=units, rater=raters)
    if units is not None:
        _require_columns(frame, units, "unit=")
        if _is_long(frame) and not {"rater", "level"} & set(units):
            # Long data under calibra's column names, with its unit columns named.
            return _Columns(long=True, unit=units, rater="rater", rating="level")
        return _Columns(long=False, unit=units)
    if _is_long(frame):
        return _Columns(long=True, unit=[c for c in UNIT_COLUMNS if c in frame.columns], rater="rater", rating="level")
    return _Columns(long=False)


def _checked_wide(
    frame: pd.DataFrame, columns: _Columns, framework: Framework | None
) -> tuple[npt.NDArray[np.float64], pd.Index, pd.Index]:
    """A wide frame whose every remaining column must be a rater's ratings:
    none may look like an id or (without a framework) hold non-numbers."""
    if columns.unit:
        frame = frame.set_index(columns.unit)
    if columns.rater is not None:
        return _wide_matrix(frame[columns.rater], None, framework)
    hint = "" if columns.unit else " (pass unit= to use it as the unit ids)"
    for name in frame.columns:
        if _id_name(name):
            raise _cannot_read(frame, f"column {name!r} looks like an id (its name), not a rater's ratings{hint}")
    values = frame.to_numpy()
    if values.dtype == np.float64:
        # Every column holds numbers (float64 blocks hand over a view): no
        # frame.dtypes, which costs more than the rest of the call.
        numeric, positions = values, list(range(frame.shape[1]))
    else:
        dtypes = list(frame.dtypes)
        if framework is None:
            for name, dtype in zip(frame.columns, dtypes):
                if not (pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype)):
                    raise _cannot_read(
                        frame,
                        f"column {name!r} holds {dtype} values, not ratings (read as wide data, every column but "
                        "the unit= column is a rater's ratings; framework= reads level ids and labels)",
                    )
        positions = [
            j for j, d in enumerate(dtypes) if pd.api.types.is_numeric_dtype(d) and not pd.api.types.is_bool_dtype(d)
        ]
        numeric = frame.iloc[:, positions].to_numpy(dtype=np.float64, na_value=np.nan)
    for k, position in enumerate(positions):
        if _id_values(numeric, k):
            raise _cannot_read(
                frame,
                f"column {frame.columns[position]!r} looks like an id (a different whole number on every row), not a "
                f"rater's ratings{hint}",
            )
    if framework is None:
        return _wide_matrix(frame, None, framework)
    try:
        return _wide_matrix(frame, None, framework)
    except InvalidArgument as error:
        # Level names that are not the framework's: perhaps not wide data at all.
        problem = str(error).split("] ", 1)[-1]
        raise _cannot_read(frame, f"read as wide data, {problem}") from None


def _warn(message: str) -> None:
    """A DataWarning attributed to the first caller outside this package."""
    package = os.path.dirname(os.path.abspath(__file__))
    level = 1
    caller = sys._getframe(1)
    while caller is not None and os.path.dirname(os.path.abspath(caller.f_code.co_filename)) == package:
        caller = caller.f_back  # type: ignore[assignment]
        level += 1
    warnings.warn(message, DataWarning, stacklevel=level)


def _select_roles(frame: pd.DataFrame, role: Any, columns: _Columns) -> pd.DataFrame:
    """Long data: keeps the rows of the roles in `role` (column ``role``),
    or warns when self ratings are mixed with external ones."""
    if role is not None:
        if "role" not in frame.columns:
            raise invalid_argument(
                "python",
                f"role= keeps the rows whose column 'role' holds one of the roles given, and this DataFrame has no "
                f"column 'role'; its columns are {_column_names(frame)}",
            )
        wanted = _as_list(role) or []
        present = list(pd.unique(frame["role"].dropna()))
        unknown = [r for r in wanted if r not in present]
        if unknown:
            raise invalid_argument(
                "python", f"role= {unknown[0]!r} is not a value of column 'role'; its values are {present}"
            )
        return frame[frame["role"].isin(wanted)]
    if "role" in frame.columns:
        present = list(pd.unique(frame["role"].dropna()))
        if "self" in present and len(present) > 1:
            others = [r for r in present if r != "self"]
            _warn(
                f"column 'role' mixes self ratings ({int((frame['role'] == 'self').sum())} rows) with {others}: "
                f"each person rating themselves counts as one more rater.  Pass role={others!r} to leave the self "
                f"ratings out, or role={present!r} to keep them without this warning"
            )
    elif columns.unit and "ratee" in columns.unit and columns.rater in frame.columns:
        own = frame[columns.rater].to_numpy() == frame["ratee"].to_numpy()
        if own.any():
            _warn(
                f"{int(own.sum())} rows rate their own ratee (column {columns.rater!r} equals column 'ratee'): "
                "self ratings count as ratings by one more rater; drop them if agreement among the other raters "
                "is meant"
            )
    return frame


def _drop_empty_raters(
    matrix: npt.NDArray[np.float64], raters: pd.Index, warn: bool = True
) -> tuple[npt.NDArray[np.float64], pd.Index]:
    """Leaves out the raters with no rating at all, with a DataWarning: one
    empty column would otherwise take every unit out of a statistic that
    needs complete units (ICC)."""
    if matrix.shape[0] == 0 or matrix.shape[1] == 0 or not np.isnan(matrix[0]).any():
        return matrix, raters  # a rater with a rating in the first unit is not empty
    empty = np.isnan(matrix).all(axis=0)
    if not empty.any():
        return matrix, raters
    if warn:
        names = [raters[j] for j in np.flatnonzero(empty)]
        _warn(
            f"rater column(s) {names} have no ratings and are left out; {int((~empty).sum())} raters remain"
        )
    kept = np.flatnonzero(~empty)
    return np.asfortranarray(matrix[:, kept]), raters[kept]


def _labelled_matrix(
    data: RatingsData,
    unit_column: Any = None,
    framework: Framework | None = None,
    labels: bool = True,
    *,
    unit: Any = None,
    rater: Any = None,
    rating: Any = None,
    role: Any = None,
    drop_empty: bool = False,
) -> tuple[npt.NDArray[np.float64], pd.Index, pd.Index]:
    if isinstance(data, pd.DataFrame):
        columns = _resolve_columns(data, unit, rater, rating, unit_column)
        if columns.long:
            frame = _select_roles(data, role, columns)
            matrix, units, raters = _pivot_long(
                frame, framework, labels=labels, keys=columns.unit, rater=columns.rater, rating=columns.rating
            )
        else:
            if role is not None:
                raise invalid_argument(
                    "python", "role= filters long data by its column 'role'; this DataFrame is read as wide data"
                )
            matrix, units, raters = _checked_wide(data, columns, framework)
    else:
        for name, value in (("unit", unit if unit is not None else unit_column), ("rater", rater),
                            ("rating", rating), ("role", role)):
            if value is not None:
                raise invalid_argument(
                    "python", f"{name}= names a column of a DataFrame; got {type(data).__name__} data, whose "
                    "columns are the raters"
                )
        if framework is not None:
            raise invalid_argument(
                "python", "framework= reads level names in a DataFrame; an array holds numbers already"
            )
        matrix = _array_matrix(data)
        units, raters = pd.RangeIndex(matrix.shape[0], name="unit"), pd.RangeIndex(matrix.shape[1], name="rater")
    if drop_empty:
        matrix, raters = _drop_empty_raters(matrix, raters)
    return matrix, units, raters


def _matrix(
    data: RatingsData, unit_column: str | None = None, framework: Framework | None = None
) -> npt.NDArray[np.float64]:
    return _labelled_matrix(data, unit_column, framework, labels=False)[0]


def wide_ratings(
    data: RatingsData,
    *,
    unit: Any = None,
    rater: Any = None,
    rating: Any = None,
    role: Any = None,
    unit_column: str | None = None,
    framework: Framework | None = None,
) -> pd.DataFrame:
    """The units x raters table agree() computes on, as a float64 DataFrame:
    a long DataFrame pivoted (index: the unit columns, columns: raters), a wide
    one with its unit column moved to the index, an array labelled 0..n-1.
    Raters with no rating at all are left out, as agree() leaves them out."""
    matrix, units, raters = _labelled_matrix(
        data, unit_column, framework, unit=unit, rater=rater, rating=rating, role=role, drop_empty=True
    )
    if not isinstance(data, pd.DataFrame):
        return pd.DataFrame(matrix, columns=raters, copy=False)
    return pd.DataFrame(matrix, index=units, columns=raters, copy=False)


def read_wide_csv(path: str | os.PathLike[str], *, unit_column: str | None = None) -> pd.DataFrame:
    """Reads a wide CSV file with calibra's reader (the one ``calibra agree``
    uses): header of rater names, one row per unit, empty cell = missing.
    Returns units x raters float64, indexed by unit id."""
    raw = _core.read_wide_csv(os.fspath(path), unit_column or "")
    return pd.DataFrame(
        raw["ratings"],
        index=pd.Index(raw["units"], name=unit_column or "unit"),
        columns=pd.Index(raw["raters"], name="rater"),
        copy=False,
    )


# ---------------------------------------------------------------------------
# Results


@dataclass(frozen=True, repr=False)
class AgreementResult:
    """One coefficient: the value with its uncertainty and the data it used.

    The fields are the keys of the C++ library's JSON of a result (the JSON
    of ``calibra agree --json``, less the input file), in its order; None
    stands for null.  ``value`` is None only for a degenerate case, which
    ``reason`` names.  ``observed`` and ``chance`` are agreement, or
    disagreement when ``disagreement`` is true (Krippendorff's alpha).
    ``options`` echoes every option in effect, defaults included, in the
    CLI's spelling.  ``per_category`` is keyed by category code.
    """

    statistic: str
    options: dict[str, Any]
    value: float | None
    se: float | None
    ci_low: float | None
    ci_high: float | None
    ci_method: str | None
    observed: float | None
    chance: float | None
    disagreement: bool
    n_units: int
    n_raters: int
    interpretation: str | None
    interpretation_scale: str | None
    reason: str | None
    extra: dict[str, float | None] = field(default_factory=dict)
    per_category: dict[float, float | None] = field(default_factory=dict)

    @classmethod
    def _from_core(cls, document: dict[str, Any]) -> AgreementResult:
        """From the library's JSON of a result, parsed: the keys are the
        fields; JSON object keys are text, so the category codes become
        numbers again."""
        values = {f.name: document[f.name] for f in fields(cls) if f.name in document}
        values["per_category"] = {float(code): v for code, v in document.get("per_category", {}).items()}
        return cls(**values)

    def to_dict(self) -> dict[str, Any]:
        """Every field as plain Python values, in the order of ``calibra agree --json``."""
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self)}

    def to_frame(self) -> pd.DataFrame:
        """A one-row tidy DataFrame: the statistic, the options it ran with
        (those that apply to it; see ``FRAME_OPTIONS``), then the scalar
        fields (value, se, ci_low, ci_high, ...).  ``pd.concat`` several to
        compare coefficients or settings side by side; ``agree()`` with a
        list of statistics, ``by=`` or ``form="all"`` builds the same rows."""
        row: dict[str, Any] = {"statistic": self.statistic}
        row.update(_option_columns(self.statistic, self.options))
        row.update({k: v for k, v in self.to_dict().items() if k != "statistic" and not isinstance(v, dict)})
        frame = pd.DataFrame([row], columns=list(row))
        for name in ("value", "se", "ci_low", "ci_high", "observed", "chance"):
            frame[name] = frame[name].astype("float64")
        return frame

    def per_category_frame(self) -> pd.DataFrame:
        """Per-category values (Fleiss: each category against the rest)."""
        return pd.DataFrame(
            {"category": list(self.per_category), "value": list(self.per_category.values())},
            columns=["category", "value"],
        ).astype({"category": "float64", "value": "float64"})

    def __repr__(self) -> str:
        parts = [f"statistic={self.statistic!r}", f"value={_short(self.value)}"]
        if self.se is not None:
            parts.append(f"se={_short(self.se)}")
        if self.ci_low is not None or self.ci_high is not None:
            parts.append(f"ci=[{_short(self.ci_low)}, {_short(self.ci_high)}]")
        parts += [f"n_units={self.n_units}", f"n_raters={self.n_raters}"]
        if self.reason is not None:
            parts.append(f"reason={self.reason!r}")
        return f"AgreementResult({', '.join(parts)})"

    def _repr_html_(self) -> str:
        level = self.options.get("ci", 0.95)
        interval = (
            f"[{_html.number(self.ci_low)}, {_html.number(self.ci_high)}] "
            f"<span style=\"color:#555\">({_html.escape(self.ci_method)}, {level:.0%})</span>"
            if self.ci_low is not None or self.ci_high is not None
            else "&mdash;"
        )
        kind = "disagreement" if self.disagreement else "agreement"
        rows = [
            ["value", f"<b>{_html.number(self.value)}</b>"],
            ["standard error", _html.number(self.se)],
            ["confidence interval", interval],
            [f"observed {kind}", _html.number(self.observed)],
            [f"chance {kind}", _html.number(self.chance)],
            ["units", str(self.n_units)],
            ["raters", str(self.n_raters)],
        ]
        if self.reason is not None:
            rows.append(["reason", _html.escape(self.reason)])
        shown = {k: v for k, v in self.options.items() if k != "custom_weights"}
        options = ", ".join(f"{k}={_html.escape(v)}" for k, v in shown.items())
        return _html.table(
            ["", ""], rows, caption=f"{_html.escape(self.statistic)}"
        ) + f'<div style="color:#555;font-size:0.8em">{options}</div>'


#: The options a tidy row carries, as columns, in this order.  The SE
#: method of Cohen's kappa (option ``se``) is the column ``se_method``, as
#: ``se`` is the standard error.  An option that does not apply to a
#: statistic is None in its row (see ``OPTION_STATISTICS``).
FRAME_OPTIONS: tuple[str, ...] = (
    "weights",
    "level",
    "form",
    "category",
    "tolerance",
    "se_method",
    "missing",
    "categories",
    "ci",
    "bootstrap",
    "bootstrap_method",
    "seed",
    "population",
)

#: The statistics each statistic-specific option applies to; the other
#: options apply to every statistic.
OPTION_STATISTICS: dict[str, frozenset[str]] = {
    "weights": frozenset({"percent", "cohen", "scott", "fleiss", "conger", "light", "gwet", "brennan-prediger"}),
    "level": frozenset({"krippendorff"}),
    "form": frozenset({"icc"}),
    "category": frozenset({"fleiss"}),
    "tolerance": frozenset({"within"}),
    "se": frozenset({"cohen"}),
}


def _option_columns(statistic: str, options: dict[str, Any]) -> dict[str, Any]:
    columns: dict[str, Any] = {}
    for column in FRAME_OPTIONS:
        name = "se" if column == "se_method" else column
        applies = name not in OPTION_STATISTICS or statistic in OPTION_STATISTICS[name]
        if name in ("bootstrap_method", "seed") and not options.get("bootstrap"):
            applies = False  # no resampling: no method, no seed
        value = options.get(name) if applies else None
        columns[column] = tuple(value) if isinstance(value, list) else value
    return columns


def _short(value: float | None) -> str:
    return "None" if value is None else f"{value:.4g}"


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


@dataclass(frozen=True, repr=False)
class PairwiseResult:
    """A two-rater statistic for every pair of raters."""

    statistic: str
    value: pd.DataFrame  # raters x raters, NaN on the diagonal and for undefined pairs
    n_units: pd.DataFrame  # units both raters rated (diagonal: the rater's own count)
    reasons: dict[tuple[Any, Any], str]  # why a pair has no value
    options: dict[str, Any]

    def to_frame(self) -> pd.DataFrame:
        """One row per pair of raters: rater_a, rater_b, value, n_units, reason."""
        raters = list(self.value.columns)
        rows = []
        for i, a in enumerate(raters):
            for b in raters[i + 1 :]:
                v = self.value.at[a, b]
                rows.append(
                    {
                        "rater_a": a,
                        "rater_b": b,
                        "value": v,
                        "n_units": int(self.n_units.at[a, b]),
                        "reason": self.reasons.get((a, b)),
                    }
                )
        return pd.DataFrame(rows, columns=["rater_a", "rater_b", "value", "n_units", "reason"])

    def __repr__(self) -> str:
        return f"PairwiseResult(statistic={self.statistic!r}, raters={list(self.value.columns)!r})"

    def _repr_html_(self) -> str:
        raters = list(self.value.columns)
        rows = []
        for a in raters:
            cells = [_html.escape(a)]
            for b in raters:
                v = self.value.at[a, b]
                cells.append("" if a == b else _html.number(None if math.isnan(v) else float(v)))
            rows.append(cells)
        return _html.table([""] + [_html.escape(r) for r in raters], rows, caption=_html.escape(self.statistic))


# ---------------------------------------------------------------------------
# Entry points


ColumnNames = Union[str, Sequence[str], None]


@overload
def agree(
    data: RatingsData,
    stat: str,
    *,
    form: Literal["all"],
    by: ColumnNames = None,
    unit: ColumnNames = None,
    rater: ColumnNames = None,
    rating: str | None = None,
    role: str | Sequence[str] | None = None,
    unit_column: str | None = None,
    framework: Framework | None = None,
    **options: Any,
) -> pd.DataFrame: ...


@overload
def agree(
    data: RatingsData,
    stat: list[str] | tuple[str, ...],
    *,
    form: str | None = None,
    by: ColumnNames = None,
    unit: ColumnNames = None,
    rater: ColumnNames = None,
    rating: str | None = None,
    role: str | Sequence[str] | None = None,
    unit_column: str | None = None,
    framework: Framework | None = None,
    **options: Any,
) -> pd.DataFrame: ...


@overload
def agree(
    data: RatingsData,
    stat: str,
    *,
    form: str | None = None,
    by: str | Sequence[str],
    unit: ColumnNames = None,
    rater: ColumnNames = None,
    rating: str | None = None,
    role: str | Sequence[str] | None = None,
    unit_column: str | None = None,
    framework: Framework | None = None,
    **options: Any,
) -> pd.DataFrame: ...


@overload
def agree(
    data: RatingsData,
    stat: str,
    *,
    form: str | None = None,
    by: None = None,
    unit: ColumnNames = None,
    rater: ColumnNames = None,
    rating: str | None = None,
    role: str | Sequence[str] | None = None,
    unit_column: str | None = None,
    framework: Framework | None = None,
    **options: Any,
) -> AgreementResult: ...


def agree(
    data: RatingsData,
    stat: str | list[str] | tuple[str, ...],
    *,
    form: str | None = None,
    by: ColumnNames = None,
    unit: ColumnNames = None,
    rater: ColumnNames = None,
    rating: str | None = None,
    role: str | Sequence[str] | None = None,
    unit_column: str | None = None,
    framework: Framework | None = None,
    **options: Any,
) -> AgreementResult | pd.DataFrame:
    """Computes agreement statistics, as ``calibra agree --stat STAT``.

    stat: percent, unanimous, within, cohen, scott, fleiss, conger, light,
    krippendorff, gwet, brennan-prediger, icc; or a list of them.

    Which columns hold what (a DataFrame):

    * long data, one row per rating: ``unit=`` (a column, or a list of
      columns whose combination is one unit), ``rater=`` and ``rating=``.
      A frame with columns ``rater`` and ``level`` and one or more of
      ``unit``, ``ratee``, ``competency``, ``period`` is read as long data
      without naming them.  ``role=`` keeps the rows whose column ``role``
      holds one of the roles given; without it, self ratings mixed with
      other roles raise a ``DataWarning``.
    * wide data, one row per unit, one numeric column per rater: ``unit=``
      names the column of unit ids (otherwise the index holds them);
      ``rater=[...]`` picks the rater columns.  Without ``rater=``, every
      other column must hold numbers and none may look like an id (named
      ``id``/``*_id``, or whole numbers, a different one on every row).

    When the layout cannot be told, the error lists the columns and what
    each call shape needs.  A rater with no rating at all is left out, with
    a ``DataWarning``.  ``framework=`` lets levels be that framework's level
    ids or labels.

    Options (the CLI's names; None or leaving one out keeps the default,
    which ``result.options`` reports): categories (declared codes; unused
    ones still count), missing ("listwise" or "available"), weights
    (identity, linear, quadratic, ordinal, radical, ratio, circular, bipolar,
    or a q x q matrix), level (Krippendorff: nominal, ordinal, interval,
    ratio), form (ICC1 ... ICC3k, the McGraw-Wong names, or "all"), category
    (Fleiss: one category against the rest), tolerance (within: k
    categories), ci (confidence level), bootstrap (resamples) and seed,
    bootstrap_method ("bca" or "percentile"), se (Cohen: "nonnull" or
    "null"), population (finite-population correction), threads (bootstrap
    workers; 0 = all cores).  ``calibra.OPTIONS`` lists the names.

    Returns an ``AgreementResult`` for one statistic.  A list of statistics,
    ``by=`` (a column or columns: one result per group) or ``form="all"``
    (the six ICC forms) return one tidy DataFrame instead: one row per
    group x statistic (x form), the group columns first, then the columns
    of ``AgreementResult.to_frame()``.  In a batch an option is passed only
    to the statistics it applies to (``OPTION_STATISTICS``), so
    ``agree(df, ["gwet", "krippendorff"], weights="quadratic",
    level="ordinal")`` works.

    A bad name or value raises InvalidArgument naming it.
    """
    statistics = _statistic_list(stat)
    batch = not isinstance(stat, str) or by is not None or form == "all"
    layout: dict[str, Any] = {"unit": unit, "rater": rater, "rating": rating, "role": role}
    if not batch:
        if form is not None:
            options["form"] = form
        matrix = _labelled_matrix(data, unit_column, framework, labels=False, drop_empty=True, **layout)[0]
        return AgreementResult._from_core(_core.agree(matrix, statistics[0], **options))
    return _agree_frame(data, statistics, form, by, unit_column, framework, layout, options)


def _statistic_list(stat: Any) -> list[str]:
    if isinstance(stat, str):
        return [stat]
    if isinstance(stat, (list, tuple)) and stat and all(isinstance(s, str) for s in stat):
        return list(stat)
    raise invalid_argument(
        "python", f"stat must be a statistic name such as 'fleiss', or a list of them; got {stat!r}"
    )


def _agree_frame(
    data: RatingsData,
    statistics: list[str],
    form: str | None,
    by: ColumnNames,
    unit_column: str | None,
    framework: Framework | None,
    layout: dict[str, Any],
    options: dict[str, Any],
) -> pd.DataFrame:
    """The tidy table of agree() for a list of statistics, groups or every ICC form."""
    forms: list[str | None] = list(_core.CHOICES["form"]) if form == "all" else [form]
    by_columns = _as_list(by) or []
    if by_columns and not isinstance(data, pd.DataFrame):
        raise invalid_argument("python", f"by= groups the rows of a DataFrame; got {type(data).__name__} data")
    groups: list[tuple[tuple[Any, ...], RatingsData]]
    if by_columns:
        assert isinstance(data, pd.DataFrame)
        _require_columns(data, by_columns, "by=")
        columns = _resolve_columns(data, layout["unit"], layout["rater"], layout["rating"], unit_column)
        if columns.long:
            # Roles are chosen (or warned about) once, for the whole frame.
            data = _select_roles(data, layout["role"], columns)
            layout = dict(layout, role=None)
            if layout["unit"] is None and unit_column is None:
                layout["unit"] = columns.unit
                layout["rater"], layout["rating"] = columns.rater, columns.rating
        grouped = data.groupby(by_columns if len(by_columns) > 1 else by_columns[0], sort=False, dropna=False)
        groups = []
        for key, part in grouped:
            keys = key if isinstance(key, tuple) else (key,)
            groups.append((keys, part if columns.long else part.drop(columns=by_columns)))
    else:
        groups = [((), data)]

    rows: list[pd.DataFrame] = []
    for keys, part in groups:
        # Within a group a rater without ratings is the rule, not news: no warning.
        matrix, _, raters = _labelled_matrix(part, unit_column, framework, labels=False, **layout)
        matrix, _ = _drop_empty_raters(matrix, raters, warn=not by_columns)
        for statistic in statistics:
            given = {
                k: v for k, v in options.items() if k not in OPTION_STATISTICS or statistic in OPTION_STATISTICS[k]
            }
            for one_form in forms if statistic == "icc" else [None]:
                if one_form is not None:
                    given["form"] = one_form
                try:
                    result = AgreementResult._from_core(_core.agree(matrix, statistic, **given))
                except Error as error:
                    where = f"statistic {statistic!r}"
                    if by_columns:
                        where += " in group " + ", ".join(f"{c}={k!r}" for c, k in zip(by_columns, keys))
                    error.add_note(f"(while computing {where})")
                    raise
                row = result.to_frame()
                for position, (column, key) in enumerate(zip(by_columns, keys)):
                    row.insert(position, str(column), [key])
                if forms != [None] and all(s == "icc" for s in statistics):
                    for name in ("F", "df1", "df2", "p"):
                        row[name] = [result.extra.get(name)]
                rows.append(row)
    table = pd.concat(rows, ignore_index=True)
    for name in ("value", "se", "ci_low", "ci_high", "observed", "chance"):
        table[name] = table[name].astype("float64")
    return table


def pairwise(
    data: RatingsData,
    stat: str = "cohen",
    *,
    unit: ColumnNames = None,
    rater: ColumnNames = None,
    rating: str | None = None,
    role: str | Sequence[str] | None = None,
    unit_column: str | None = None,
    framework: Framework | None = None,
    **options: Any,
) -> PairwiseResult:
    """A two-rater statistic (cohen, scott, percent, krippendorff, ...) for every
    pair of raters, on the units both rated.  Columns and options as for agree()."""
    matrix, _, raters = _labelled_matrix(
        data, unit_column, framework, unit=unit, rater=rater, rating=rating, role=role, drop_empty=True
    )
    document = _core.pairwise(matrix, stat, **options)
    labels = list(raters)
    index = pd.Index(labels, name="rater")
    return PairwiseResult(
        statistic=str(document["statistic"]),
        value=pd.DataFrame(np.array(document["value"], dtype=np.float64).reshape(len(labels), len(labels)),
                           index=index, columns=index.copy()),
        n_units=pd.DataFrame(np.array(document["n_units"], dtype=np.int32).reshape(len(labels), len(labels)),
                             index=index, columns=index.copy()),
        reasons={(labels[r["rater_a"]], labels[r["rater_b"]]): str(r["reason"]) for r in document["reasons"]},
        options=dict(document["options"]),
    )


def confusion(
    data: RatingsData,
    rater_a: Any,
    rater_b: Any,
    *,
    categories: Sequence[float] | None = None,
    unit: ColumnNames = None,
    rater: ColumnNames = None,
    rating: str | None = None,
    role: str | Sequence[str] | None = None,
    unit_column: str | None = None,
    framework: Framework | None = None,
) -> pd.DataFrame:
    """The confusion matrix of two raters: how many units `rater_a` put in
    each category (rows) and `rater_b` in each category (columns), over
    the units both rated.  The categories are ``categories=`` (all shown,
    used or not) or those either rater used there, ascending.  The raters
    are column names of wide data or rater ids of long data; columns as for
    agree().  The diagonal is where they agree (Cohen's kappa's table)."""
    matrix, _, raters = _labelled_matrix(
        data, unit_column, framework, unit=unit, rater=rater, rating=rating, role=role
    )
    positions = []
    for name in (rater_a, rater_b):
        matches = np.flatnonzero(np.asarray(raters == name))
        if len(matches) != 1:
            raise invalid_argument("python", f"rater {name!r} is not a rater of this data; the raters are {list(raters)}")
        positions.append(int(matches[0]))
    if positions[0] == positions[1]:
        raise invalid_argument("python", f"rater_a and rater_b are both {rater_a!r}; a confusion matrix needs two raters")
    a, b = matrix[:, positions[0]], matrix[:, positions[1]]
    both = ~np.isnan(a) & ~np.isnan(b)
    a, b = a[both], b[both]
    if categories is None:
        codes = np.unique(np.concatenate([a, b]))
    else:
        codes = np.asarray(categories, dtype=np.float64)
        if codes.ndim != 1 or len(np.unique(codes)) != len(codes):
            raise invalid_argument("python", f"categories must be a list of distinct codes; got {categories!r}")
        for name, values in ((rater_a, a), (rater_b, b)):
            outside = ~np.isin(values, codes)
            if outside.any():
                raise invalid_argument(
                    "python",
                    f"rater {name!r} has level {values[np.argmax(outside)]:g}, which is not among categories "
                    f"{codes.tolist()}",
                )
    position_of = {code: k for k, code in enumerate(codes.tolist())}
    row = np.array([position_of[x] for x in a.tolist()], dtype=np.intp)
    col = np.array([position_of[x] for x in b.tolist()], dtype=np.intp)
    counts = np.zeros((len(codes), len(codes)), dtype=np.int64)
    np.add.at(counts, (row, col), 1)
    labels: pd.Index = pd.Index(codes)
    if len(codes) and np.all(codes == np.round(codes)):
        labels = pd.Index(codes.astype(np.int64))
    return pd.DataFrame(
        counts, index=labels.rename(str(rater_a)), columns=labels.rename(str(rater_b)).copy()
    )


#: The statistics with a per-category (one category against the rest) form,
#: which ``per_category()`` computes.
PER_CATEGORY_STATISTICS: tuple[str, ...] = ("cohen", "scott", "fleiss", "krippendorff")


def per_category(
    data: RatingsData,
    stat: str = "cohen",
    *,
    categories: Sequence[float] | None = None,
    unit: ColumnNames = None,
    rater: ColumnNames = None,
    rating: str | None = None,
    role: str | Sequence[str] | None = None,
    unit_column: str | None = None,
    framework: Framework | None = None,
    **options: Any,
) -> pd.DataFrame:
    """Agreement on each category against the rest: for every category c,
    the ratings are recoded to "c" or "not c" (missing stays missing) and
    the statistic is computed on that two-category table, with its own
    standard error and interval.

    stat: cohen (the category-specific kappa of Fleiss, Levin & Paik's
    *Statistical Methods for Rates and Proportions*, which is Cohen's kappa
    of the collapsed 2 x 2 table), scott, fleiss (Fleiss 1971's kappa of a
    category; ``AgreementResult.per_category`` holds the same values without
    intervals) or krippendorff (nominal alpha of the recoded values).
    Weights and measurement levels do not apply to two categories.

    The categories are ``categories=`` (a declared category nobody used
    gets a row whose reason says why there is no value) or those in the
    data, ascending.  Columns and options as for agree().  Returns one row
    per category: the column ``category`` (the category set against the
    rest), then the columns of ``AgreementResult.to_frame()``.
    """
    if stat not in PER_CATEGORY_STATISTICS:
        raise invalid_argument(
            "python",
            f"per_category: {stat!r} has no per-category form here; choose one of "
            f"{', '.join(PER_CATEGORY_STATISTICS)}",
        )
    for name in ("weights", "level", "category", "custom_weights"):
        if options.get(name) is not None:
            raise invalid_argument(
                "python", f"per_category: {name}= does not apply to a category against the rest (two categories)"
            )
    matrix = _labelled_matrix(data, unit_column, framework, labels=False, unit=unit, rater=rater, rating=rating,
                              role=role, drop_empty=True)[0]
    rated = ~np.isnan(matrix)
    if categories is None:
        codes = np.unique(matrix[rated])
    else:
        codes = np.asarray(categories, dtype=np.float64)
        if codes.ndim != 1 or len(np.unique(codes)) != len(codes):
            raise invalid_argument("python", f"categories must be a list of distinct codes; got {categories!r}")
        outside = rated & ~np.isin(matrix, codes)
        if outside.any():
            raise invalid_argument(
                "python", f"level {matrix[outside][0]:g} is not among categories {codes.tolist()}"
            )
    given = dict(options, categories=[0.0, 1.0])
    if stat == "krippendorff":
        given["level"] = "nominal"
    rows: list[pd.DataFrame] = []
    for code in codes.tolist():
        binary = np.asfortranarray(np.where(rated, (matrix == code).astype(np.float64), np.nan))
        row = AgreementResult._from_core(_core.agree(binary, stat, **given)).to_frame()
        row["category"] = [code]
        row["categories"] = [tuple(codes.tolist())]
        rows.append(row)
    if not rows:
        raise invalid_argument("python", "per_category: the data hold no ratings")
    table = pd.concat(rows, ignore_index=True)
    return table[["category"] + [c for c in table.columns if c != "category"]]


class AgreementSummary:
    """The mergeable sufficient statistics of one agreement statistic.

    For data that arrives in pieces (partitions of a Dask or Spark
    DataFrame, one file per team): build one summary per piece, merge them
    with ``+`` or ``+=`` in any order, and ``finish()`` gives the result
    ``agree()`` gives on all the pieces at once (up to rounding).  A unit
    must not be split between pieces.

    The shape of a summary is fixed when it is made: the raters (columns)
    and the category codes, declared with ``categories=`` (unused codes still
    count, as in agree()).  Krippendorff's ordinal alpha also needs
    ``marginals=``, the pooled frequency of each declared code in pairable
    units, for its standard error; without it the value is exact but has no
    interval.  (``calibra.dask`` does not use summaries for this: each of its
    partition tasks returns the codes it saw with its counts, merged on the
    client, so the input is read once.)

    Every statistic except conger and light has a summary; the interval is
    the analytic one (no bootstrap).  Summaries pickle (except ICC's), so
    they travel between processes.
    """

    __slots__ = ("_core",)

    def __init__(
        self,
        stat: str,
        n_raters: int,
        *,
        marginals: npt.ArrayLike | None = None,
        **options: Any,
    ) -> None:
        frequencies = None if marginals is None else np.asarray(marginals, dtype=np.float64)
        self._core = _core.AgreementSummary(stat, n_raters, marginals=frequencies, **options)

    @classmethod
    def of(
        cls,
        data: RatingsData,
        stat: str,
        *,
        unit_column: str | None = None,
        framework: Framework | None = None,
        marginals: npt.ArrayLike | None = None,
        **options: Any,
    ) -> AgreementSummary:
        """The summary of one piece of data (its raters are the columns)."""
        matrix = _matrix(data, unit_column, framework)
        summary = cls(stat, matrix.shape[1], marginals=marginals, **options)
        summary._core.add(matrix)
        return summary

    @staticmethod
    def scan(
        data: RatingsData,
        stat: str,
        *,
        unit_column: str | None = None,
        framework: Framework | None = None,
        **options: Any,
    ) -> dict[str, Any]:
        """What one piece contributes to the shape of a summary, under the
        statistic's rules for which units count: ``codes`` (the category
        codes of its kept units), ``pairable`` (each code's frequency in units
        with two or more ratings) and ``units`` (units kept).  Merge the scans
        of all pieces (union of codes, sum of frequencies) to get
        ``categories=`` and ``marginals=``."""
        scan: dict[str, Any] = _core.summary_scan(_matrix(data, unit_column, framework), stat, **options)
        return scan

    def add(
        self, data: RatingsData, *, unit_column: str | None = None, framework: Framework | None = None
    ) -> AgreementSummary:
        """Adds the units of a units x raters matrix (any layout agree() takes);
        returns the summary itself."""
        self._core.add(_matrix(data, unit_column, framework))
        return self

    def __iadd__(self, other: AgreementSummary) -> AgreementSummary:
        self._core += other._core
        return self

    def __add__(self, other: AgreementSummary) -> AgreementSummary:
        merged = AgreementSummary.__new__(AgreementSummary)
        merged._core = self._core + other._core
        return merged

    def __radd__(self, other: object) -> AgreementSummary:
        # sum() of summaries starts from 0.
        if isinstance(other, int) and other == 0:
            return self
        return NotImplemented

    def finish(self) -> AgreementResult:
        """The statistic of every unit added so far."""
        return AgreementResult._from_core(self._core.finish())

    @property
    def statistic(self) -> str:
        return self._core.statistic

    @property
    def n_raters(self) -> int:
        return self._core.n_raters

    @property
    def n_units(self) -> int:
        """Units added that the statistic keeps (complete units for ICC)."""
        return int(self._core.n_units)

    @property
    def options(self) -> dict[str, Any]:
        return self._core.options

    def __getstate__(self) -> Any:
        return self._core

    def __setstate__(self, state: Any) -> None:
        self._core = state

    def __repr__(self) -> str:
        return repr(self._core)


def _single(result: AgreementResult | pd.DataFrame) -> AgreementResult:
    if not isinstance(result, AgreementResult):
        raise invalid_argument("python", "form='all' applies to icc() and agree(data, 'icc', ...) only")
    return result


# Named shortcuts: agree() with the statistic fixed.  Each takes every option
# of agree() as a keyword.


def percent_agreement(data: RatingsData, **options: Any) -> AgreementResult:
    """Pairwise percent agreement (weighted with ``weights=``)."""
    return _single(agree(data, "percent", **options))


def unanimous_agreement(data: RatingsData, **options: Any) -> AgreementResult:
    """Share of units on which every rater agrees."""
    return _single(agree(data, "unanimous", **options))


def within_agreement(data: RatingsData, tolerance: int | None = None, **options: Any) -> AgreementResult:
    """Share of rating pairs within ``tolerance`` categories (default 1: "within one level")."""
    return _single(agree(data, "within", tolerance=tolerance, **options))


def cohen_kappa(data: RatingsData, weights: str | npt.ArrayLike | None = None, **options: Any) -> AgreementResult:
    """Cohen's kappa of exactly two raters, weighted with ``weights=``."""
    return _single(agree(data, "cohen", weights=weights, **options))


def scott_pi(data: RatingsData, **options: Any) -> AgreementResult:
    """Scott's pi of exactly two raters."""
    return _single(agree(data, "scott", **options))


def fleiss_kappa(data: RatingsData, category: float | None = None, **options: Any) -> AgreementResult:
    """Fleiss' kappa (Gwet's generalisation for missing ratings and weights);
    ``category=`` gives one category against the rest."""
    return _single(agree(data, "fleiss", category=category, **options))


def conger_kappa(data: RatingsData, **options: Any) -> AgreementResult:
    """Conger's kappa."""
    return _single(agree(data, "conger", **options))


def light_kappa(data: RatingsData, **options: Any) -> AgreementResult:
    """Light's kappa: the mean of pairwise Cohen's kappas."""
    return _single(agree(data, "light", **options))


def krippendorff_alpha(data: RatingsData, level: str | None = None, **options: Any) -> AgreementResult:
    """Krippendorff's alpha at ``level`` nominal (default), ordinal, interval or ratio."""
    return _single(agree(data, "krippendorff", level=level, **options))


def gwet_ac(data: RatingsData, weights: str | npt.ArrayLike | None = None, **options: Any) -> AgreementResult:
    """Gwet's AC1, or AC2 with ``weights=``."""
    return _single(agree(data, "gwet", weights=weights, **options))


def brennan_prediger(data: RatingsData, **options: Any) -> AgreementResult:
    """The Brennan-Prediger coefficient."""
    return _single(agree(data, "brennan-prediger", **options))


def icc(data: RatingsData, form: str | None = None, **options: Any) -> AgreementResult | pd.DataFrame:
    """Intraclass correlation; ``form=`` ICC1 (default) ... ICC3k or a
    McGraw-Wong name, or "all": the six forms in one table (as
    ``agree(data, "icc", form="all")``)."""
    if form == "all":
        return agree(data, "icc", form="all", **options)
    return agree(data, "icc", form=form, **options)
