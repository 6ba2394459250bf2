"""Rating calibration: long-form ratings in, every calibration analysis out.

>>> import calibra
>>> ratings = calibra.read_ratings("ratings.csv")        # or a DataFrame
>>> report = calibra.calibrate(ratings, period="2026Q3")
>>> report.raters                                        # a DataFrame
>>> report.to_dict()                                     # the JSON of the CLI

``calibra.calibrate`` runs what ``calibra calibrate --json`` runs and keeps
its document: every top-level section of the JSON (``summary``, ``raters``,
``agreement``, ``drift``, ``ratees`` ...) is reachable as a DataFrame whose
columns are the JSON's field names (nested objects flattened with a dot,
``ci.low``).  ``report.to_dict()`` is the document itself.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Union

import numpy as np
import pandas as pd

from calibra import _core, _html
from calibra.errors import invalid_argument

if TYPE_CHECKING:
    from calibra.framework import Framework

__all__ = ["CalibrationResult", "Ratings", "calibrate", "example_ratings", "read_ratings"]

#: The columns of the long ratings format, required ones first (docs/ratings-format.md).
RATINGS_COLUMNS: tuple[str, ...] = (
    "ratee",
    "rater",
    "role",
    "competency",
    "level",
    "period",
    "career_level",
    "track",
    "outcome",
)


class Ratings:
    """Validated long-form ratings, one row per rating (immutable).

    Every value was checked against the framework as it was read: known
    competency, a level of the scale, a role, one rating per (ratee, rater,
    competency, period) unless ``duplicates=`` says how to fold repeats.
    """

    __slots__ = ("_core",)

    def __init__(self, core: _core.Ratings) -> None:
        if not isinstance(core, _core.Ratings):
            raise TypeError("Ratings() wraps read ratings; use calibra.read_ratings(path or DataFrame)")
        self._core = core

    def __len__(self) -> int:
        return len(self._core)

    def to_frame(self) -> pd.DataFrame:
        """One row per rating: ratee, rater, role, competency, level (the
        1-based ordinal), period, career_level, track, outcome (None where
        not given)."""
        columns = self._core.columns()
        frame = pd.DataFrame({name: columns[name] for name in RATINGS_COLUMNS}, columns=list(RATINGS_COLUMNS))
        frame["level"] = frame["level"].astype("int64")
        return frame

    @property
    def summary(self) -> dict[str, Any]:
        """What reading did: source, rows_read, rows_kept, duplicate_policy,
        duplicate_groups, duplicate_rows_dropped, ignored_columns, ratees,
        raters, periods."""
        return dict(self._core.summary())

    @property
    def framework(self) -> Framework:
        from calibra.framework import Framework

        return Framework(self._core.framework())

    def to_csv(self) -> str:
        """The ratings CSV text (levels as level ids); reading it back gives the same table."""
        return self._core.to_csv()

    def save(self, path: str | os.PathLike[str]) -> None:
        """Writes the ratings CSV atomically."""
        self._core.save(os.fspath(path))

    def __repr__(self) -> str:
        s = self._core.summary()
        return (
            f"<calibra.Ratings {len(self)} ratings of {s['ratees']} ratees by {s['raters']} raters, "
            f"periods {', '.join(s['periods'])} (from {s['source']})>"
        )

    def _repr_html_(self) -> str:
        s = self._core.summary()
        head = self.to_frame().head(8)
        rows = [[_html.escape(v) for v in row] for row in head.itertuples(index=False)]
        caption = (
            f"{len(self)} ratings of {s['ratees']} ratees by {s['raters']} raters, periods "
            f"{', '.join(s['periods'])} (from {s['source']})"
        )
        return _html.table([_html.escape(c) for c in head.columns], rows, caption=_html.escape(caption))


RatingsSource = Union[Ratings, pd.DataFrame, str, "os.PathLike[str]"]


def _core_framework(framework: Framework | None) -> _core.Framework | None:
    return None if framework is None else framework._core


def _text_column(series: pd.Series) -> list[Any]:
    """A DataFrame column as text cells (None: not given), as a CSV would hold them."""
    values = series.to_numpy(dtype=object)
    missing = pd.isna(series).to_numpy()
    out: list[Any] = []
    for value, absent in zip(values, missing):
        if absent:
            out.append(None)
        elif isinstance(value, (float, np.floating)) and float(value).is_integer():
            out.append(str(int(value)))  # a level read as float: 3.0 -> "3"
        else:
            out.append(str(value))
    return out


def read_ratings(
    source: RatingsSource,
    framework: Framework | None = None,
    *,
    duplicates: str = "error",
    ignore_unknown_columns: bool = False,
) -> Ratings:
    """Reads long-form ratings from a .csv or .json file or a DataFrame, and
    validates them against `framework` (default: the built-in framework).

    A DataFrame has the file's columns (ratee, rater, role, competency,
    level, period, and optionally career_level, track, outcome); levels may
    be level ids, labels or ordinals.  Messages count DataFrame rows from 1.
    ``duplicates`` ("error", "last", "mean") and ``ignore_unknown_columns``
    are the CLI's ``--duplicates`` and ``--ignore-unknown-columns``.
    """
    if isinstance(source, Ratings):
        return source
    if isinstance(source, pd.DataFrame):
        names = [str(c) for c in source.columns]
        unknown = [c for c in names if c not in RATINGS_COLUMNS]
        columns = {c: _text_column(source[c]) for c in RATINGS_COLUMNS if c in names}
        return Ratings(
            _core.ratings_from_columns(
                columns,
                len(source),
                _core_framework(framework),
                duplicates,
                unknown,
                ignore_unknown_columns,
            )
        )
    if isinstance(source, (str, os.PathLike)):
        return Ratings(
            _core.read_ratings(os.fspath(source), _core_framework(framework), duplicates, ignore_unknown_columns)
        )
    raise invalid_argument(
        "python", f"ratings must be a file path, a DataFrame or calibra.Ratings; got {type(source).__name__}"
    )


def example_ratings() -> Ratings:
    """The bundled example (data/examples/ratings.csv): 40 PMs rated on the
    built-in framework by themselves and 6 managers over four quarters, with
    planted effects (see data/examples/README.md)."""
    return Ratings(_core.example_ratings())


# ---------------------------------------------------------------------------
# The report


#: The main table of each section: the first table docs/calibration.md lists for it.
MAIN_TABLES: dict[str, str] = {
    "agreement": "statistics",
    "competencies": "competencies",
    "raters": "raters",
    "components": "components",
    "drift": "severities",
    "self_vs_manager": "gaps",
    "decision_study": "components",
    "ratees": "ratees",
    "matrix_validation": "competencies",
    "team": "teams",
    "development_plans": "plans",
    "feedback": "patterns",
}

#: Columns that say what a row is about come first, in this order; the others
#: follow in the JSON's order (alphabetical).
KEY_COLUMNS: tuple[str, ...] = (
    "ratee",
    "rater",
    "team",
    "manager",
    "competency",
    "career_level",
    "period",
    "from",
    "to",
    "statistic",
    "component",
    "group",
    "kind",
)


def _records_frame(records: list[Any]) -> pd.DataFrame:
    if not records:
        return pd.DataFrame()
    if not all(isinstance(r, dict) for r in records):
        return pd.DataFrame({"value": records})
    frame = pd.json_normalize(records, sep=".")
    first = [c for c in KEY_COLUMNS if c in frame.columns]
    return frame[first + [c for c in frame.columns if c not in first]]


def _is_records(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, dict) for item in value)


def _scalars(section: dict[str, Any]) -> dict[str, Any]:
    """The non-tabular fields of a section, nested objects flattened with a dot."""
    flat: dict[str, Any] = {}
    for key, value in section.items():
        if isinstance(value, dict):
            for inner, item in _scalars(value).items():
                flat[f"{key}.{inner}"] = item
        elif not _is_records(value) or not value:
            flat[key] = value
    return flat


class CalibrationResult:
    """Every calibration analysis of one set of ratings, as ``calibra
    calibrate --json`` reports them.

    ``result[section]`` (or the attribute of the same name) is the section's
    main table as a DataFrame; ``result.tables(section)`` gives every table
    of a section; ``result.info(section)`` its other fields;
    ``result.to_dict()`` the whole document.  ``result.sections`` lists the
    sections present, ``result.analyses`` which analyses ran and why the
    others did not.
    """

    __slots__ = ("_doc",)

    def __init__(self, document: dict[str, Any]) -> None:
        self._doc = document

    # ---- the document ------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The JSON document, as ``calibra calibrate --json`` prints it."""
        copy: dict[str, Any] = json.loads(json.dumps(self._doc))
        return copy

    def to_json(self) -> str:
        return json.dumps(self._doc, indent=2, ensure_ascii=False) + "\n"

    @property
    def sections(self) -> list[str]:
        return list(self._doc)

    def section(self, name: str) -> Any:
        """One section as it is in the JSON (dicts and lists)."""
        if name not in self._doc:
            raise KeyError(
                f"the calibration report has no section {name!r}; it has {', '.join(self._doc)}"
                + self._unavailable_note(name)
            )
        return self._doc[name]

    def _unavailable_note(self, name: str) -> str:
        for a in self._doc.get("summary", {}).get("analyses", []):
            if a.get("analysis") == name and not a.get("available"):
                return f" ({name} did not run: {a.get('reason')})"
        return ""

    # ---- tables ------------------------------------------------------------------

    def tables(self, name: str) -> dict[str, pd.DataFrame]:
        """Every list of records in a section, by its key, as DataFrames."""
        value = self.section(name)
        if isinstance(value, list):
            return {name: _records_frame(value)}
        return {key: _records_frame(item) for key, item in value.items() if _is_records(item)}

    def info(self, name: str) -> dict[str, Any]:
        """A section's fields other than its tables (nested objects flattened)."""
        value = self.section(name)
        return {} if isinstance(value, list) else _scalars(value)

    def frame(self, name: str, table: str | None = None) -> pd.DataFrame:
        """A section as one DataFrame: the table `table` of the section, or its
        main table (the first table docs/calibration.md lists for the
        section, e.g. ``drift`` -> ``severities``); ``summary`` becomes one
        row of its fields.  Columns are the JSON's field names, those that
        say what a row is about (ratee, rater, competency, period...) first."""
        value = self.section(name)
        if isinstance(value, list):
            return _records_frame(value)
        if table is not None:
            if table not in value or not isinstance(value[table], list):
                found = [k for k, v in value.items() if isinstance(v, list)]
                raise KeyError(f"section {name!r} has no table {table!r}; its tables are {', '.join(found)}")
            return _records_frame(value[table])
        if name != "summary":
            main = MAIN_TABLES.get(name, name)
            if isinstance(value.get(main), list):
                return _records_frame(value[main])
            lists = [key for key, item in value.items() if _is_records(item) and item]
            if len(lists) == 1:
                return _records_frame(value[lists[0]])
        return pd.DataFrame([_scalars(value)])

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.frame(name)

    def __contains__(self, name: object) -> bool:
        return name in self._doc

    def __iter__(self) -> Iterator[str]:
        return iter(self._doc)

    @property
    def analyses(self) -> pd.DataFrame:
        """Which analyses ran: analysis, available, reason."""
        rows = self._doc.get("summary", {}).get("analyses", [])
        return pd.DataFrame(rows, columns=["analysis", "available", "reason"])

    # Named sections, as in the JSON.
    @property
    def summary(self) -> pd.DataFrame:
        return self.frame("summary")

    @property
    def agreement(self) -> pd.DataFrame:
        return self.frame("agreement")

    @property
    def competencies(self) -> pd.DataFrame:
        return self.frame("competencies")

    @property
    def raters(self) -> pd.DataFrame:
        return self.frame("raters")

    @property
    def components(self) -> pd.DataFrame:
        return self.frame("components")

    @property
    def drift(self) -> pd.DataFrame:
        return self.frame("drift")

    @property
    def self_vs_manager(self) -> pd.DataFrame:
        return self.frame("self_vs_manager")

    @property
    def ratees(self) -> pd.DataFrame:
        return self.frame("ratees")

    @property
    def matrix_validation(self) -> pd.DataFrame:
        return self.frame("matrix_validation")

    @property
    def readiness(self) -> pd.DataFrame:
        return self.frame("readiness")

    @property
    def decision_study(self) -> pd.DataFrame:
        return self.frame("decision_study")

    @property
    def patterns(self) -> pd.DataFrame:
        return self.frame("patterns")

    @property
    def team(self) -> pd.DataFrame:
        return self.frame("team")

    @property
    def development_plans(self) -> pd.DataFrame:
        return self.frame("development_plans")

    # ---- display -----------------------------------------------------------------

    def __repr__(self) -> str:
        s = self._doc.get("summary", {})
        return (
            f"<calibra.CalibrationResult period {s.get('analysed_period')!r}: {s.get('rows_kept')} ratings, "
            f"{s.get('ratees')} ratees, {s.get('raters')} raters; sections {', '.join(self._doc)}>"
        )

    def _repr_html_(self) -> str:
        s = self._doc.get("summary", {})
        head = (
            f"<div><b>Calibration of {_html.escape(s.get('rows_kept'))} ratings</b> "
            f"<span style=\"color:#555\">({_html.escape(s.get('ratees'))} ratees, {_html.escape(s.get('raters'))} "
            f"raters, analysed period {_html.escape(s.get('analysed_period'))}, groups under "
            f"{_html.escape(s.get('min_group'))} ratees suppressed; from {_html.escape(s.get('source'))})</span></div>"
        )
        rows = []
        for a in s.get("analyses", []):
            state = (
                _html.badge("ran", "#2e7d32")
                if a.get("available")
                else _html.badge("not available", "#9e9e9e")
            )
            shown = a.get("analysis") in self._doc
            rows.append(
                [
                    f"<code>{_html.escape(a.get('analysis'))}</code>",
                    state,
                    _html.escape(a.get("reason") or ("" if shown or not a.get("available") else "not in the JSON yet")),
                ]
            )
        parts = [head, _html.table(["analysis", "", "note"], rows, caption="Analyses")]
        for name in ("raters", "agreement", "drift", "ratees"):
            if name in self._doc:
                frame = self.frame(name).head(10)
                if not frame.empty:
                    parts.append(_html.frame_table(frame, caption=f"{name} (first rows; report.{name} has all)"))
        return "".join(parts)


def calibrate(
    ratings: RatingsSource | None = None,
    framework: Framework | None = None,
    *,
    period: str | None = None,
    min_group: int | None = None,
    duplicates: str = "error",
    ignore_unknown_columns: bool = False,
) -> CalibrationResult:
    """Every calibration analysis the ratings support, as ``calibra calibrate``.

    `ratings`: a Ratings, a DataFrame in the long format or a file path;
    None analyses the bundled example, as the CLI does without RATINGS.
    ``period`` (default: the latest) is the period the ratee analyses
    describe; ``min_group`` suppresses aggregates over fewer ratees (the
    CLI's ``--min-group``).  ``duplicates`` and ``ignore_unknown_columns``
    apply when the ratings are read here.
    """
    source: str | None = None
    if ratings is None:
        if framework is not None:
            raise invalid_argument(
                "python",
                "framework= was given without ratings; the bundled example ratings belong to the built-in framework",
            )
        table = example_ratings()
        source = "the bundled example (data/examples/ratings.csv)"
    else:
        table = read_ratings(
            ratings, framework, duplicates=duplicates, ignore_unknown_columns=ignore_unknown_columns
        )
    if min_group is not None and (isinstance(min_group, bool) or not isinstance(min_group, (int, np.integer))):
        raise invalid_argument("python", f"min_group must be a whole number of ratees; got {min_group!r}")
    if min_group is not None and min_group < 1:
        raise invalid_argument("python", f"min_group must be at least 1; got {min_group}")
    text = _core.calibrate_json(table._core, period, None if min_group is None else int(min_group), source)
    return CalibrationResult(json.loads(text))
