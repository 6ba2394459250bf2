"""Rating calibration: long-form ratings in, every calibration analysis out.

>>> import calibra
>>> ratings = calibra.read_ratings("ratings.csv")        # or a DataFrame
>>> report = calibra.calibrate(ratings, period="2026Q3")
>>> report.raters                                        # a DataFrame
>>> report.to_dict()                                     # the JSON of the CLI

``calibra.calibrate`` runs what ``calibra calibrate --json`` runs and keeps
its document: every top-level section of the JSON (``raters``,
``agreement``, ``drift``, ``ratees`` ...) is reachable as a DataFrame whose
columns are the JSON's field names (nested objects flattened with a dot,
``ci.low``), the key columns of each table first; ``report.summary`` is a
Series.  Every analysis ``summary.analyses`` lists is reachable by its
name, also those the JSON nests in another section (``readiness`` and
``patterns`` in ``ratees``, ``promotion_separation`` in
``matrix_validation``).  ``report.to_dict()`` is the document itself, and
``CalibrationResult.from_json`` loads one that ``calibra calibrate --json``
wrote.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, Union

import numpy as np
import pandas as pd

from calibra import _core, _html
from calibra.errors import ParseError, invalid_argument

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
    attribute_columns: Sequence[str] = (),
    sheet: str | None = None,
) -> Ratings:
    """Reads long-form ratings from a .csv, .json or .xlsx file or a
    DataFrame, and validates them against `framework` (default: the
    built-in framework).

    An .xlsx workbook is read from the sheet ``sheet``, else the sheet named
    "Ratings", else its first sheet, in any form a CSV file may have; a
    number cell reads as a CSV file would write it (3.0 is the level 3),
    and messages name the sheet and cell (``Ratings!E7``).

    Wide ratings (one row per ratee, rater and period with a column per
    competency, by id or name; docs/ratings-format.md) are read from files
    and DataFrames alike; a DataFrame in wide form, or with extra columns
    named in ``attribute_columns``, is read as CSV text, so its messages
    number rows as a CSV file would (the header is row 1).
    ``attribute_columns`` are the CLI's ``--attribute``: columns kept as
    attributes (e.g. ``team`` for ``calibrate(group_by="team")``).

    A DataFrame has the file's columns (ratee, rater, role, competency,
    level, period, and optionally career_level, track, outcome); levels may
    be level ids, labels or ordinals.  Messages count DataFrame rows from 1.
    ``duplicates`` ("error", "last", "mean") and ``ignore_unknown_columns``
    are the CLI's ``--duplicates`` and ``--ignore-unknown-columns``.
    """
    if isinstance(source, Ratings):
        return source
    if sheet is not None and not isinstance(source, (str, os.PathLike)):
        raise invalid_argument("python", "sheet= names a sheet of an .xlsx ratings file; the ratings given are not a file")
    attributes = [str(a) for a in attribute_columns]
    if isinstance(source, pd.DataFrame):
        names = [str(c) for c in source.columns]
        unknown = [c for c in names if c not in RATINGS_COLUMNS]
        wide = "competency" not in names and "level" not in names
        if wide or any(c in attributes for c in unknown):
            return Ratings(
                _core.read_ratings_csv_text(
                    source.to_csv(index=False, lineterminator="\n"),
                    "<DataFrame>",
                    _core_framework(framework),
                    duplicates,
                    ignore_unknown_columns,
                    attributes,
                )
            )
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
            _core.read_ratings(
                os.fspath(source),
                _core_framework(framework),
                duplicates,
                ignore_unknown_columns,
                attributes,
                sheet or "",
            )
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
    "evidence": "ratings",
    # Analyses whose tables the JSON keeps in another section (NESTED_SECTIONS).
    "readiness": "readiness_steps",
    "patterns": "profiles",
}

#: Analyses of ``summary.analyses`` that the JSON writes inside another
#: section: analysis -> (section, the keys of that section that belong to it).
#: A key naming an object (promotion_separation) makes the analysis that object.
NESTED_SECTIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "readiness": ("ratees", ("readiness_steps", "readiness_items")),
    "patterns": ("ratees", ("profiles", "archetype_similarities")),
    "promotion_separation": ("matrix_validation", ("promotion_separation",)),
}

#: The columns that come first in a table, in this order, by (section, table):
#: what a row is about, then its estimate, its uncertainty, its verdict and
#: its size.  The other columns follow in the JSON's order.
TABLE_KEY_COLUMNS: dict[tuple[str, str], tuple[str, ...]] = {
    ("raters", "raters"): ("rater", "severity", "se", "ci_low", "ci_high", "flags", "n_ratings"),
    ("drift", "severities"): ("rater", "period", "severity", "se", "ci_low", "ci_high", "n_ratings"),
    ("drift", "raters"): ("rater", "change", "se", "ci_low", "ci_high", "direction", "flagged"),
    ("agreement", "statistics"): ("statistic", "value", "ci_low", "ci_high"),
    ("competencies", "competencies"): (
        "competency",
        "alpha",
        "alpha_ci_low",
        "alpha_ci_high",
        "divergent_share",
        "adjusted_divergent_share",
        "needs_rewrite",
        "n_units",
    ),
    ("ratees", "ratees"): (
        "ratee",
        "career_level",
        "inferred_level",
        "best_fit_level",
        "promotion_target",
        "readiness",
        "readiness_index",
        "archetype",
    ),
    ("readiness", "readiness_steps"): ("ratee", "from", "to", "verdict", "probability"),
    ("matrix_validation", "competencies"): ("competency", "mean_gap", "ci_low", "ci_high", "verdict", "n_ratees"),
    ("matrix_validation", "career_levels"): ("career_level", "mean_gap", "ci_low", "ci_high", "n_ratees"),
    ("self_vs_manager", "inflation"): ("competency", "mean_gap", "se", "ci_low", "ci_high", "direction", "n_ratees"),
}

#: In tables without TABLE_KEY_COLUMNS, the columns that say what a row is
#: about come first, in this order; the others follow in the JSON's order.
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


def _records_frame(records: list[Any], section: str = "", table: str = "") -> pd.DataFrame:
    if not records:
        return pd.DataFrame()
    if not all(isinstance(r, dict) for r in records):
        return pd.DataFrame({"value": records})
    frame = pd.json_normalize(records, sep=".")
    keys = TABLE_KEY_COLUMNS.get((section, table), KEY_COLUMNS)
    first = [c for c in keys if c in frame.columns]
    return frame[first + [c for c in frame.columns if c not in first]]


def _parse_error(message: str) -> ParseError:
    """A ParseError raised by the Python layer, formatted like the C++ ones."""
    error = ParseError(f"[calibra.parse_error.calibration] {message}")
    error.id = "parse_error.calibration"
    return error


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
    main table as a DataFrame, key columns first; ``result.tables(section)``
    gives every table of a section; ``result.fields(section)`` its other
    fields as a Series (``result.info(section)`` as a dict);
    ``result.summary`` the summary's fields; ``result.to_dict()`` the whole
    document.  ``result.sections`` lists the sections present, then the
    analyses nested in them (readiness, patterns, promotion_separation);
    ``result.analyses`` which analyses ran and why the others did not.
    ``CalibrationResult.from_json`` loads a ``calibra calibrate --json``
    document.
    """

    __slots__ = ("_doc",)

    def __init__(self, document: dict[str, Any]) -> None:
        self._doc = document

    @classmethod
    def from_json(cls, source: str | bytes | os.PathLike[str]) -> CalibrationResult:
        """Loads a document that ``calibra calibrate --json`` wrote: its text,
        or the path of a file holding it (a string that does not start with
        ``{`` is a path)."""
        if isinstance(source, os.PathLike) or (isinstance(source, str) and not source.lstrip().startswith("{")):
            path = os.fspath(source)
            with open(path, "rb") as f:
                text = f.read().decode("utf-8")
            where = path
        elif isinstance(source, (str, bytes)):
            text = source.decode("utf-8") if isinstance(source, bytes) else source
            where = "<string>"
        else:
            raise invalid_argument(
                "python", f"from_json takes JSON text or a file path; got {type(source).__name__}"
            )
        try:
            document = json.loads(text)
        except json.JSONDecodeError as error:
            raise _parse_error(f"{where}: line {error.lineno}, column {error.colno}: {error.msg}") from None
        if not isinstance(document, dict) or not isinstance(document.get("summary"), dict) or (
            "analyses" not in document["summary"]
        ):
            raise _parse_error(
                f"{where}: not a calibration report: it needs a 'summary' object with 'analyses', "
                "as `calibra calibrate --json` writes"
            )
        return cls(document)

    # ---- the document ------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The JSON document, as ``calibra calibrate --json`` prints it."""
        copy: dict[str, Any] = json.loads(json.dumps(self._doc))
        return copy

    def to_json(self) -> str:
        return json.dumps(self._doc, indent=2, ensure_ascii=False) + "\n"

    @property
    def sections(self) -> list[str]:
        """The sections of the JSON, then the analyses it nests in them
        (readiness, patterns, promotion_separation): every name that
        ``frame()``, ``tables()`` and ``info()`` take."""
        return self._names()

    def section(self, name: str) -> Any:
        """One section as it is in the JSON (dicts and lists).  An analysis the
        JSON nests in another section (NESTED_SECTIONS: ``readiness``,
        ``patterns``, ``promotion_separation``) is its part of that section."""
        if name in self._doc:
            return self._doc[name]
        nested = NESTED_SECTIONS.get(name)
        if nested is not None and isinstance(self._doc.get(nested[0]), dict):
            parent: dict[str, Any] = self._doc[nested[0]]
            keys = [key for key in nested[1] if key in parent]
            if len(keys) == 1 and isinstance(parent[keys[0]], dict):
                inner: dict[str, Any] = parent[keys[0]]
                return inner
            if keys:
                status = self._status(name)
                part: dict[str, Any] = {
                    "available": status.get("available", parent.get("available")),
                    "reason": status.get("reason", parent.get("reason")),
                }
                part.update({key: parent[key] for key in keys})
                return part
        raise KeyError(
            f"the calibration report has no section {name!r}; it has {', '.join(self._names())}"
            + self._unavailable_note(name)
        )

    def _status(self, name: str) -> dict[str, Any]:
        for a in self._doc.get("summary", {}).get("analyses", []):
            if a.get("analysis") == name:
                found: dict[str, Any] = a
                return found
        return {}

    def _names(self) -> list[str]:
        """The sections of the JSON, then the nested analyses present."""
        names = list(self._doc)
        for name, (parent, keys) in NESTED_SECTIONS.items():
            value = self._doc.get(parent)
            if name not in names and isinstance(value, dict) and any(key in value for key in keys):
                names.append(name)
        return names

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
            return {name: _records_frame(value, name, name)}
        return {key: _records_frame(item, name, key) for key, item in value.items() if _is_records(item)}

    def info(self, name: str) -> dict[str, Any]:
        """A section's fields other than its tables (nested objects flattened)."""
        value = self.section(name)
        return {} if isinstance(value, list) else _scalars(value)

    def frame(self, name: str, table: str | None = None) -> pd.DataFrame:
        """A section as one DataFrame: the table `table` of the section, or its
        main table (the first table docs/calibration.md lists for the
        section, e.g. ``drift`` -> ``severities``, ``readiness`` ->
        ``readiness_steps``); a section of fields only (``summary``,
        ``promotion_separation``) becomes one row of its fields.  Columns are
        the JSON's field names, the key columns first (TABLE_KEY_COLUMNS: for
        ``raters``, rater, severity, se, ci_low, ci_high, flags, n_ratings)."""
        value = self.section(name)
        if isinstance(value, list):
            return _records_frame(value, name, name)
        if table is not None:
            if table not in value or not isinstance(value[table], list):
                found = [k for k, v in value.items() if isinstance(v, list)]
                raise KeyError(f"section {name!r} has no table {table!r}; its tables are {', '.join(found)}")
            return _records_frame(value[table], name, table)
        if name != "summary":
            main = MAIN_TABLES.get(name, name)
            if isinstance(value.get(main), list):
                return _records_frame(value[main], name, main)
            lists = [key for key, item in value.items() if _is_records(item) and item]
            if len(lists) == 1:
                return _records_frame(value[lists[0]], name, lists[0])
        return pd.DataFrame([_scalars(value)])

    def fields(self, name: str) -> pd.Series:
        """A section's fields other than its tables as a Series, one row per
        field (nested objects flattened with a dot): ``report.fields("drift")``."""
        return pd.Series(self.info(name), name=name, dtype=object)

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.frame(name)

    def __contains__(self, name: object) -> bool:
        return name in self._names()

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())

    @property
    def analyses(self) -> pd.DataFrame:
        """Which analyses ran: analysis, available, reason."""
        rows = self._doc.get("summary", {}).get("analyses", [])
        return pd.DataFrame(rows, columns=["analysis", "available", "reason"])

    # Named sections, as in the JSON.
    @property
    def summary(self) -> pd.Series:
        """What was read and how, one row per field: source, rows_read,
        rows_kept, ..., ratees, raters, ratings_per_role.<role>,
        ratings_per_competency.<competency>, framework.id, analysed_period,
        min_group, scores_method.  The tables of the summary are
        ``report.analyses`` and ``report.frame("summary", "periods")``."""
        return self.fields("summary")

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
    def promotion_separation(self) -> pd.Series:
        """How well the ratee scores separate the promoted from the others
        (Hedges' g, AUC), one row per field."""
        return self.fields("promotion_separation")

    @property
    def feedback(self) -> pd.DataFrame:
        return self.frame("feedback")

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
            shown = a.get("analysis") in self._names()
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
    group_by: str | None = None,
    attribute_columns: Sequence[str] = (),
) -> CalibrationResult:
    """Every calibration analysis the ratings support, as ``calibra calibrate``.

    `ratings`: a Ratings, a DataFrame in the long format or a file path;
    None analyses the bundled example, as the CLI does without RATINGS.
    ``period`` (default: the latest) is the period the ratee analyses
    describe; ``min_group`` suppresses aggregates over fewer ratees (the
    CLI's ``--min-group``).  ``duplicates``, ``ignore_unknown_columns`` and
    ``attribute_columns`` apply when the ratings are read here.
    ``group_by`` (the CLI's ``--group-by``) names an extra column, such as
    ``team``, whose groups of ratees are compared (the ``groups`` section).
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
        attributes = list(attribute_columns) + ([group_by] if group_by else [])
        table = read_ratings(
            ratings,
            framework,
            duplicates=duplicates,
            ignore_unknown_columns=ignore_unknown_columns,
            attribute_columns=attributes,
        )
    if min_group is not None and (isinstance(min_group, bool) or not isinstance(min_group, (int, np.integer))):
        raise invalid_argument("python", f"min_group must be a whole number of ratees; got {min_group!r}")
    if min_group is not None and min_group < 1:
        raise invalid_argument("python", f"min_group must be at least 1; got {min_group}")
    text = _core.calibrate_json(
        table._core, period, None if min_group is None else int(min_group), source, group_by or ""
    )
    return CalibrationResult(json.loads(text))
