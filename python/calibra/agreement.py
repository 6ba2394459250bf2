"""Inter-rater agreement: every coefficient of ``calibra agree``, on numpy
arrays or pandas DataFrames.

``agree(data, stat, **options)`` takes the statistic and option names and
values exactly as the CLI spells them::

    calibra agree FILE.csv --stat gwet --weights quadratic --ci 0.9
    calibra.agree(frame, "gwet", weights="quadratic", ci=0.9)

Data layouts
------------
* A 2-D numpy array (or anything ``numpy.asarray`` accepts): units x raters,
  NaN (or None) for a missing rating.  A float64 array in Fortran (column)
  order reaches C++ without a copy; any other layout or dtype is converted
  once into a column-major float64 temporary.
* A wide DataFrame: one row per unit, one numeric column per rater
  (``unit_column=`` names a column holding unit ids instead of ratings).
  A DataFrame whose columns are all float64 is already stored column by
  column, so it also reaches C++ without a copy.
* A long DataFrame, recognised by its columns ``rater`` and ``level`` plus
  at least one of ``unit``, ``ratee``, ``competency``, ``period``: one row
  per rating.  A unit is each distinct combination of the unit columns
  present (e.g. one ratee on one competency), a rater each distinct
  ``rater``; both keep their order of first appearance.  A (unit, rater)
  pair given twice is an error.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Union

import numpy as np
import numpy.typing as npt
import pandas as pd

from calibra import _core, _html
from calibra.errors import invalid_argument

__all__ = [
    "AgreementResult",
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

#: The columns that identify a unit in long data, in the order they key it.
UNIT_COLUMNS: tuple[str, ...] = ("unit", "ratee", "competency", "period")

#: Data agree() accepts: a DataFrame (wide or long) or a units x raters array.
RatingsData = Union[pd.DataFrame, npt.ArrayLike]

# ---------------------------------------------------------------------------
# Input


def _is_long(frame: pd.DataFrame) -> bool:
    columns = set(map(str, frame.columns))
    return {"rater", "level"} <= columns and any(c in columns for c in UNIT_COLUMNS)


def _pivot_long(frame: pd.DataFrame) -> tuple[npt.NDArray[np.float64], pd.Index, pd.Index]:
    """Long ratings -> (units x raters Fortran-ordered float64, unit labels, rater labels)."""
    keys = [c for c in UNIT_COLUMNS if c in frame.columns]
    for column in keys + ["rater"]:
        missing = frame[column].isna().to_numpy()
        if missing.any():
            row = frame.index[int(np.argmax(missing))]
            raise invalid_argument("python", f"long ratings: row {row!r} has no {column}; every row needs one")

    if len(keys) == 1:
        unit_codes, unit_labels = pd.factorize(frame[keys[0]], sort=False)
        units = pd.Index(unit_labels, name=keys[0])
    else:
        codes = []
        uniques = []
        for key in keys:
            c, u = pd.factorize(frame[key], sort=False)
            codes.append(c.astype(np.int64))
            uniques.append(u)
        combined = np.ravel_multi_index(codes, [len(u) for u in uniques])
        unit_codes, first_combined = pd.factorize(combined, sort=False)
        parts = np.unravel_index(np.asarray(first_combined), [len(u) for u in uniques])
        units = pd.MultiIndex.from_arrays([u.take(p) for u, p in zip(uniques, parts)], names=keys)
    rater_codes, rater_labels = pd.factorize(frame["rater"], sort=False)
    raters = pd.Index(rater_labels, name="rater")

    raw = frame["level"]
    levels = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    not_numeric = np.isnan(levels) & raw.notna().to_numpy()
    if not_numeric.any():
        at = int(np.argmax(not_numeric))
        raise invalid_argument(
            "python",
            f"long ratings: row {frame.index[at]!r} has level {raw.iloc[at]!r}; expected a number "
            "(a level ordinal) or a missing value",
        )

    n_units, n_raters = len(units), len(raters)
    flat = unit_codes.astype(np.int64) * n_raters + rater_codes
    if n_units * n_raters > 0 and np.bincount(flat, minlength=n_units * n_raters).max() > 1:
        at = int(np.argmax(pd.Series(flat).duplicated().to_numpy()))
        raise invalid_argument(
            "python",
            f"long ratings: row {frame.index[at]!r} rates unit {units[unit_codes[at]]!r} by rater "
            f"{raters[rater_codes[at]]!r} a second time; each (unit, rater) pair may appear once",
        )
    matrix = np.full((n_units, n_raters), np.nan, dtype=np.float64, order="F")
    matrix[unit_codes, rater_codes] = levels
    return matrix, units, raters


def _wide_matrix(frame: pd.DataFrame, unit_column: str | None) -> tuple[npt.NDArray[np.float64], pd.Index, pd.Index]:
    if unit_column is not None:
        if unit_column not in frame.columns:
            raise invalid_argument(
                "python",
                f"unit_column {unit_column!r} is not a column; the columns are {[str(c) for c in frame.columns]}",
            )
        frame = frame.set_index(unit_column)
    for name, dtype in frame.dtypes.items():
        if not (pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype)):
            raise invalid_argument(
                "python",
                f"wide ratings: column {name!r} holds {dtype} values, not ratings; every column must be "
                "numeric (one column per rater), or pass unit_column= for a column of unit ids, or use "
                "long data with columns ratee/unit, rater, level",
            )
    if any(pd.api.types.is_extension_array_dtype(d) for d in frame.dtypes):
        # Nullable integer columns: pd.NA becomes NaN (this makes one copy).
        matrix = frame.to_numpy(dtype=np.float64, na_value=np.nan)
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


def _matrix(data: RatingsData, unit_column: str | None = None) -> npt.NDArray[np.float64]:
    if isinstance(data, pd.DataFrame):
        if _is_long(data):
            return _pivot_long(data)[0]
        return _wide_matrix(data, unit_column)[0]
    if unit_column is not None:
        raise invalid_argument("python", "unit_column= applies to a DataFrame, not to an array")
    return _array_matrix(data)


def wide_ratings(data: RatingsData, *, unit_column: str | None = None) -> pd.DataFrame:
    """The units x raters table agree() computes on, as a float64 DataFrame:
    a long DataFrame pivoted (index: the unit columns, columns: raters), a wide
    one with unit_column moved to the index, an array labelled 0..n-1."""
    if isinstance(data, pd.DataFrame):
        if _is_long(data):
            matrix, units, raters = _pivot_long(data)
        else:
            matrix, units, raters = _wide_matrix(data, unit_column)
        return pd.DataFrame(matrix, index=units, columns=raters, copy=False)
    matrix = _array_matrix(data)
    return pd.DataFrame(matrix, copy=False)


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
# Options


def _options(
    categories: Sequence[float] | npt.ArrayLike | None,
    missing: str | None,
    weights: str | npt.ArrayLike | None,
    level: str | None,
    form: str | None,
    category: float | None,
    tolerance: int | None,
    ci: float | None,
    bootstrap: int | None,
    seed: int | None,
    bootstrap_method: str | None,
    se: str | None,
    population: float | None,
    threads: int | None,
) -> dict[str, Any]:
    options: dict[str, Any] = {
        "missing": missing,
        "level": level,
        "form": form,
        "bootstrap_method": bootstrap_method,
        "se": se,
    }
    for name, value in options.items():
        if value is not None and not isinstance(value, str):
            raise invalid_argument("python", f"{name} must be a name such as {_core.CHOICES[name][0]!r}; got {value!r}")
    if categories is not None:
        codes = np.asarray(categories, dtype=np.float64)
        if codes.ndim != 1:
            raise invalid_argument("python", "categories must be a flat list of category codes")
        options["categories"] = codes.tolist()
    if isinstance(weights, str):
        options["weights"] = weights
    elif weights is not None:
        matrix = np.asarray(weights, dtype=np.float64)
        if matrix.ndim != 2:
            raise invalid_argument("python", "weights must be a scheme name or a q x q matrix")
        options["custom_weights"] = matrix
    if category is not None:
        options["category"] = float(category)
    for name, number in (("tolerance", tolerance), ("bootstrap", bootstrap), ("seed", seed), ("threads", threads)):
        if number is None:
            continue
        if isinstance(number, bool) or not isinstance(number, (int, np.integer)):
            raise invalid_argument("python", f"{name} must be a whole number; got {number!r}")
        if number < 0:
            raise invalid_argument("python", f"{name} must be 0 or more; got {number}")
        options[name] = int(number)
    if ci is not None:
        options["ci"] = float(ci)
    if population is not None:
        options["population"] = float(population)
    return {k: v for k, v in options.items() if v is not None}


# ---------------------------------------------------------------------------
# Results


def _optional_float(value: Any) -> float | None:
    return None if value is None else float(value)


@dataclass(frozen=True, repr=False)
class AgreementResult:
    """One coefficient: the value with its uncertainty and the data it used.

    ``value`` is None only for a degenerate case, which ``reason`` names.
    ``observed`` and ``chance`` are agreement, or disagreement when
    ``disagreement`` is true (Krippendorff's alpha).  ``options`` echoes every
    option in effect, defaults included, in the CLI's spelling.
    """

    statistic: str
    value: float | None
    se: float | None
    ci_low: float | None
    ci_high: float | None
    ci_method: str
    observed: float | None
    chance: float | None
    disagreement: bool
    n_units: int
    n_raters: int
    reason: str | None
    interpretation: str | None = None
    interpretation_scale: str | None = None
    extra: dict[str, float] = field(default_factory=dict)
    per_category: dict[float, float] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def _from_core(cls, raw: dict[str, Any]) -> AgreementResult:
        return cls(
            statistic=str(raw["statistic"]),
            value=_optional_float(raw["value"]),
            se=_optional_float(raw["se"]),
            ci_low=_optional_float(raw["ci_low"]),
            ci_high=_optional_float(raw["ci_high"]),
            ci_method=str(raw["ci_method"]),
            observed=_optional_float(raw["observed"]),
            chance=_optional_float(raw["chance"]),
            disagreement=bool(raw["disagreement"]),
            n_units=int(raw["n_units"]),
            n_raters=int(raw["n_raters"]),
            reason=None if raw["reason"] is None else str(raw["reason"]),
            interpretation=None if raw["interpretation"] is None else str(raw["interpretation"]),
            interpretation_scale=None if raw["interpretation_scale"] is None else str(raw["interpretation_scale"]),
            extra=dict(raw["extra"]),
            per_category=dict(raw["per_category"]),
            options=dict(raw["options"]),
        )

    _SCALARS = (
        "statistic",
        "value",
        "se",
        "ci_low",
        "ci_high",
        "ci_method",
        "observed",
        "chance",
        "disagreement",
        "n_units",
        "n_raters",
        "reason",
    )

    def to_dict(self) -> dict[str, Any]:
        """Every field as plain Python values, in the layout of ``calibra agree --json``."""
        out: dict[str, Any] = {"statistic": self.statistic, "options": _plain(self.options)}
        out.update({name: getattr(self, name) for name in self._SCALARS[1:]})
        out["extra"] = dict(self.extra)
        out["per_category"] = dict(self.per_category)
        return out

    def to_frame(self) -> pd.DataFrame:
        """A one-row DataFrame (statistic, value, se, ci_low, ci_high, ...);
        ``pd.concat`` several to compare coefficients side by side."""
        row = {name: getattr(self, name) for name in self._SCALARS}
        frame = pd.DataFrame([row], columns=list(self._SCALARS))
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
    if isinstance(value, np.ndarray):
        return value.tolist()
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
    categories: Sequence[float] | npt.ArrayLike | None = None,
    missing: str | None = None,
    weights: str | npt.ArrayLike | None = None,
    level: str | None = None,
    form: str | None = None,
    category: float | None = None,
    tolerance: int | None = None,
    ci: float | None = None,
    bootstrap: int | None = None,
    seed: int | None = None,
    bootstrap_method: str | None = None,
    se: str | None = None,
    population: float | None = None,
    threads: int | None = None,
    unit_column: str | None = None,
) -> AgreementResult:
    """Computes one agreement statistic, exactly as ``calibra agree --stat STAT``.

    stat: percent, unanimous, within, cohen, scott, fleiss, conger, light,
    krippendorff, gwet, brennan-prediger, icc.

    Options (None keeps the default, which ``result.options`` reports):
    categories (declared codes; unused ones still count), missing
    ("listwise" or "available"), weights (identity, linear, quadratic,
    ordinal, radical, ratio, circular, bipolar, or a q x q matrix), level
    (Krippendorff: nominal, ordinal, interval, ratio), form (ICC1 ... ICC3k or
    the McGraw-Wong names), category (Fleiss: one category against the rest),
    tolerance (within: k categories), ci (confidence level), bootstrap
    (resamples) and seed, bootstrap_method ("bca" or "percentile"),
    se (Cohen: "nonnull" or "null"), population (finite-population
    correction), threads (bootstrap workers; 0 = all cores).

    A bad name or value raises InvalidArgument listing the accepted choices.
    """
    if not isinstance(stat, str):
        raise invalid_argument("python", f"stat must be a statistic name such as 'fleiss'; got {stat!r}")
    matrix = _matrix(data, unit_column)
    options = _options(
        categories,
        missing,
        weights,
        level,
        form,
        category,
        tolerance,
        ci,
        bootstrap,
        seed,
        bootstrap_method,
        se,
        population,
        threads,
    )
    return AgreementResult._from_core(_core.agree(matrix, stat, **options))


def pairwise(
    data: RatingsData,
    stat: str = "cohen",
    *,
    unit_column: str | None = None,
    **options: Any,
) -> PairwiseResult:
    """A two-rater statistic (cohen, scott, percent, krippendorff, ...) for every
    pair of raters, on the units both rated.  Options as for agree()."""
    if isinstance(data, pd.DataFrame):
        if _is_long(data):
            matrix, _, raters = _pivot_long(data)
        else:
            matrix, _, raters = _wide_matrix(data, unit_column)
    else:
        if unit_column is not None:
            raise invalid_argument("python", "unit_column= applies to a DataFrame, not to an array")
        matrix = _array_matrix(data)
        raters = pd.RangeIndex(matrix.shape[1], name="rater")
    raw = _core.pairwise(matrix, stat, **_options(**_option_defaults(options)))
    labels = list(raters)
    index = pd.Index(labels, name="rater")
    return PairwiseResult(
        statistic=str(raw["statistic"]),
        value=pd.DataFrame(raw["value"], index=index, columns=index.copy()),
        n_units=pd.DataFrame(raw["n_units"], index=index, columns=index.copy()),
        reasons={(labels[a], labels[b]): str(why) for (a, b), why in raw["reasons"].items()},
        options=dict(raw["options"]),
    )


_OPTION_NAMES = (
    "categories",
    "missing",
    "weights",
    "level",
    "form",
    "category",
    "tolerance",
    "ci",
    "bootstrap",
    "seed",
    "bootstrap_method",
    "se",
    "population",
    "threads",
)


def _option_defaults(given: dict[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(given) - set(_OPTION_NAMES))
    if unknown:
        raise invalid_argument(
            "python", f"unknown option {unknown[0]!r}; expected one of: {', '.join(_OPTION_NAMES)}"
        )
    return {name: given.get(name) for name in _OPTION_NAMES}


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
