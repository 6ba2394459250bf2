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
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any, Union

import numpy as np
import numpy.typing as npt
import pandas as pd

from calibra import _core, _html
from calibra.errors import invalid_argument

if TYPE_CHECKING:
    from calibra.framework import Framework

__all__ = [
    "OPTIONS",
    "AgreementResult",
    "AgreementSummary",
    "PairwiseResult",
    "STATISTICS",
    "agree",
    "brennan_prediger",
    "cohen_kappa",
    "conger_kappa",
    "fleiss_kappa",
    "gwet_ac",
    "icc",
    "krippendorff_alpha",
    "light_kappa",
    "pairwise",
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


def _pivot_long(
    frame: pd.DataFrame,
    framework: Framework | None = None,
    raters: pd.Index | None = None,
    labels: bool = True,
) -> tuple[npt.NDArray[np.float64], pd.Index, pd.Index]:
    """Long ratings -> (units x raters Fortran-ordered float64, unit labels,
    rater labels).  pandas numbers the keys (factorize); C++ combines them
    into units and builds the matrix in one pass.  `raters` fixes the
    columns (every rater must be in it); without `labels` the unit index is
    not built (agree() needs only the matrix)."""
    keys = [c for c in UNIT_COLUMNS if c in frame.columns]

    def missing_key(column: str, codes: npt.NDArray[np.intp]) -> None:
        # factorize codes a missing key as -1: no separate isna() pass.
        if len(codes) and codes.min() < 0:
            row = frame.index[int(np.argmax(codes < 0))]
            raise invalid_argument("python", f"long ratings: row {row!r} has no {column}; every row needs one")

    unit_codes = []
    uniques_by_key = []
    for key in keys:
        codes, uniques = pd.factorize(frame[key], sort=False)
        missing_key(key, codes)
        unit_codes.append(codes.astype(np.int64, copy=False))
        uniques_by_key.append(uniques)
    if raters is None:
        rater_codes, rater_labels = pd.factorize(frame["rater"], sort=False)
        missing_key("rater", rater_codes)
        raters = pd.Index(rater_labels, name="rater")
    else:
        missing_key("rater", pd.factorize(frame["rater"], sort=False)[0])
        rater_codes = pd.Categorical(frame["rater"], categories=raters).codes
        unknown = rater_codes < 0
        if unknown.any():
            at = int(np.argmax(unknown))
            raise invalid_argument(
                "python", f"long ratings: row {frame.index[at]!r} has rater {frame['rater'].iloc[at]!r}, who is "
                "not among the raters of the first pass"
            )
    levels = _levels(frame["level"], framework, "long ratings")

    pivoted = _core.pivot_long(
        unit_codes, [len(u) for u in uniques_by_key], rater_codes.astype(np.int64, copy=False), len(raters), levels
    )
    first_rows = pivoted["unit_rows"]
    if pivoted["duplicate"] is not None:
        first, second = pivoted["duplicate"]
        unit = frame[keys].iloc[first].tolist()
        unit_text = repr(unit[0]) if len(unit) == 1 else repr(tuple(unit))
        raise invalid_argument(
            "python",
            f"long ratings: row {frame.index[second]!r} rates unit {unit_text} by rater "
            f"{frame['rater'].iloc[second]!r} a second time (first at row {frame.index[first]!r}); each (unit, "
            "rater) pair may appear once",
        )
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
    frame: pd.DataFrame, unit_column: str | None, framework: Framework | None = None
) -> tuple[npt.NDArray[np.float64], pd.Index, pd.Index]:
    if unit_column is not None:
        if unit_column not in frame.columns:
            raise invalid_argument(
                "python",
                f"unit_column {unit_column!r} is not a column; the columns are {[str(c) for c in frame.columns]}",
            )
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
                    "numeric (one column per rater), or pass unit_column= for a column of unit ids, framework= "
                    "for level ids and labels, or use long data with columns ratee/unit, rater, level",
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
    try:
        matrix = np.asarray(data, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise invalid_argument(
            "python", f"ratings must be numbers (NaN or None for a missing rating): {exc}"
        ) from None
    if matrix.ndim != 2:
        raise invalid_argument(
            "python", f"ratings must be a 2-D units x raters matrix; got {matrix.ndim} dimension(s)"
        )
    return matrix


def _labelled_matrix(
    data: RatingsData, unit_column: str | None = None, framework: Framework | None = None, labels: bool = True
) -> tuple[npt.NDArray[np.float64], pd.Index, pd.Index]:
    if isinstance(data, pd.DataFrame):
        if _is_long(data):
            if unit_column is not None:
                raise invalid_argument(
                    "python", "unit_column= applies to wide data; long data names its units with the columns "
                    + ", ".join(UNIT_COLUMNS)
                )
            return _pivot_long(data, framework, labels=labels)
        return _wide_matrix(data, unit_column, framework)
    if unit_column is not None:
        raise invalid_argument("python", "unit_column= applies to a DataFrame, not to an array")
    if framework is not None:
        raise invalid_argument("python", "framework= reads level names in a DataFrame; an array holds numbers already")
    matrix = _array_matrix(data)
    return matrix, pd.RangeIndex(matrix.shape[0], name="unit"), pd.RangeIndex(matrix.shape[1], name="rater")


def _matrix(
    data: RatingsData, unit_column: str | None = None, framework: Framework | None = None
) -> npt.NDArray[np.float64]:
    return _labelled_matrix(data, unit_column, framework, labels=False)[0]


def wide_ratings(
    data: RatingsData, *, unit_column: str | None = None, framework: Framework | None = None
) -> pd.DataFrame:
    """The units x raters table agree() computes on, as a float64 DataFrame:
    a long DataFrame pivoted (index: the unit columns, columns: raters), a wide
    one with unit_column moved to the index, an array labelled 0..n-1."""
    matrix, units, raters = _labelled_matrix(data, unit_column, framework)
    if not isinstance(data, pd.DataFrame):
        return pd.DataFrame(matrix, copy=False)
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
        """A one-row DataFrame of the scalar fields (statistic, value, se,
        ci_low, ci_high, ...); ``pd.concat`` several to compare coefficients
        side by side."""
        row = {k: v for k, v in self.to_dict().items() if not isinstance(v, dict)}
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


def agree(
    data: RatingsData,
    stat: str,
    *,
    unit_column: str | None = None,
    framework: Framework | None = None,
    **options: Any,
) -> AgreementResult:
    """Computes one agreement statistic, exactly as ``calibra agree --stat STAT``.

    stat: percent, unanimous, within, cohen, scott, fleiss, conger, light,
    krippendorff, gwet, brennan-prediger, icc.

    Options (the CLI's names; None or leaving one out keeps the default,
    which ``result.options`` reports): categories (declared codes; unused
    ones still count), missing ("listwise" or "available"), weights
    (identity, linear, quadratic, ordinal, radical, ratio, circular, bipolar,
    or a q x q matrix), level (Krippendorff: nominal, ordinal, interval,
    ratio), form (ICC1 ... ICC3k or the McGraw-Wong names), category (Fleiss:
    one category against the rest), tolerance (within: k categories), ci
    (confidence level), bootstrap (resamples) and seed, bootstrap_method
    ("bca" or "percentile"), se (Cohen: "nonnull" or "null"), population
    (finite-population correction), threads (bootstrap workers; 0 = all
    cores).  ``calibra.OPTIONS`` lists the names.

    ``unit_column=`` names the column of unit ids in wide data;
    ``framework=`` lets levels be that framework's level ids or labels.

    A bad name or value raises InvalidArgument listing the accepted choices.
    """
    if not isinstance(stat, str):
        raise invalid_argument("python", f"stat must be a statistic name such as 'fleiss'; got {stat!r}")
    matrix = _matrix(data, unit_column, framework)
    return AgreementResult._from_core(_core.agree(matrix, stat, **options))


def pairwise(
    data: RatingsData,
    stat: str = "cohen",
    *,
    unit_column: str | None = None,
    framework: Framework | None = None,
    **options: Any,
) -> PairwiseResult:
    """A two-rater statistic (cohen, scott, percent, krippendorff, ...) for every
    pair of raters, on the units both rated.  Options as for agree()."""
    matrix, _, raters = _labelled_matrix(data, unit_column, framework)
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
    interval.  ``calibra.dask`` finds both in a first pass.

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


# Named shortcuts: agree() with the statistic fixed.  Each takes every option
# of agree() as a keyword.


def percent_agreement(data: RatingsData, **options: Any) -> AgreementResult:
    """Pairwise percent agreement (weighted with ``weights=``)."""
    return agree(data, "percent", **options)


def unanimous_agreement(data: RatingsData, **options: Any) -> AgreementResult:
    """Share of units on which every rater agrees."""
    return agree(data, "unanimous", **options)


def within_agreement(data: RatingsData, tolerance: int | None = None, **options: Any) -> AgreementResult:
    """Share of rating pairs within ``tolerance`` categories (default 1: "within one level")."""
    return agree(data, "within", tolerance=tolerance, **options)


def cohen_kappa(data: RatingsData, weights: str | npt.ArrayLike | None = None, **options: Any) -> AgreementResult:
    """Cohen's kappa of exactly two raters, weighted with ``weights=``."""
    return agree(data, "cohen", weights=weights, **options)


def scott_pi(data: RatingsData, **options: Any) -> AgreementResult:
    """Scott's pi of exactly two raters."""
    return agree(data, "scott", **options)


def fleiss_kappa(data: RatingsData, category: float | None = None, **options: Any) -> AgreementResult:
    """Fleiss' kappa (Gwet's generalisation for missing ratings and weights);
    ``category=`` gives one category against the rest."""
    return agree(data, "fleiss", category=category, **options)


def conger_kappa(data: RatingsData, **options: Any) -> AgreementResult:
    """Conger's kappa."""
    return agree(data, "conger", **options)


def light_kappa(data: RatingsData, **options: Any) -> AgreementResult:
    """Light's kappa: the mean of pairwise Cohen's kappas."""
    return agree(data, "light", **options)


def krippendorff_alpha(data: RatingsData, level: str | None = None, **options: Any) -> AgreementResult:
    """Krippendorff's alpha at ``level`` nominal (default), ordinal, interval or ratio."""
    return agree(data, "krippendorff", level=level, **options)


def gwet_ac(data: RatingsData, weights: str | npt.ArrayLike | None = None, **options: Any) -> AgreementResult:
    """Gwet's AC1, or AC2 with ``weights=``."""
    return agree(data, "gwet", weights=weights, **options)


def brennan_prediger(data: RatingsData, **options: Any) -> AgreementResult:
    """The Brennan-Prediger coefficient."""
    return agree(data, "brennan-prediger", **options)


def icc(data: RatingsData, form: str | None = None, **options: Any) -> AgreementResult:
    """Intraclass correlation; ``form=`` ICC1 (default) ... ICC3k or a McGraw-Wong name."""
    return agree(data, "icc", form=form, **options)
