"""Competency frameworks: the built-in product-manager framework, JSON files,
checks, promotion gaps and the ladder queries, with pandas tables out.

The names follow the CLI: ``calibra framework show|check|gaps|export``
become ``Framework`` attributes, ``fw.check()``, ``fw.gaps()`` and
``fw.save()`` / ``fw.to_json()`` / ``fw.to_markdown()``.
"""

from __future__ import annotations

import datetime
import json
import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

from calibra import _core, _html
from calibra.errors import ValidationError, invalid_argument

__all__ = [
    "ExpectationMatrix",
    "Finding",
    "Findings",
    "Framework",
    "builtin_framework",
    "check_rules",
    "init",
    "load_framework",
    "parse_framework",
]

_QUADRANTS: list[str] = _core.quadrants()


@dataclass(frozen=True)
class Finding:
    """One result of a framework check (see docs/checks.md for the rules)."""

    rule: str
    severity: str  # "error", "warning" or "info"
    where: str  # JSON pointer into the framework file
    message: str
    hint: str

    def _repr_html_(self) -> str:
        return Findings([self])._repr_html_()


class Findings(list[Finding]):
    """The findings of ``Framework.check()``: a list, plus counts and a table view."""

    _COLUMNS = ["rule", "severity", "where", "message", "hint"]

    @property
    def errors(self) -> int:
        return sum(1 for f in self if f.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for f in self if f.severity == "warning")

    @property
    def infos(self) -> int:
        return sum(1 for f in self if f.severity == "info")

    @property
    def ok(self) -> bool:
        """True when no finding is an error (what ``calibra framework check`` exits 0 on)."""
        return self.errors == 0

    def to_frame(self) -> pd.DataFrame:
        """One row per finding, columns rule, severity, where, message, hint."""
        return pd.DataFrame([asdict(f) for f in self], columns=self._COLUMNS)

    def to_dict(self) -> dict[str, Any]:
        """The shape of ``calibra framework check --json``."""
        return {
            "findings": [asdict(f) for f in self],
            "errors": self.errors,
            "warnings": self.warnings,
            "infos": self.infos,
        }

    def _repr_html_(self) -> str:
        summary = f"{self.errors} errors, {self.warnings} warnings, {self.infos} notes"
        if not self:
            return f"<p><b>No findings</b> ({summary}).</p>"
        rows = [
            [
                _html.badge(f.severity, _html.SEVERITY_COLOURS.get(f.severity, "#555")),
                f"<code>{_html.escape(f.rule)}</code>",
                f"<code>{_html.escape(f.where)}</code>",
                _html.escape(f.message) + f'<br><i style="color:#555">hint: {_html.escape(f.hint)}</i>',
            ]
            for f in self
        ]
        return _html.table(["severity", "rule", "where", "message"], rows, caption=_html.escape(summary))


class ExpectationMatrix:
    """The expectation matrix laid out as a calibration spreadsheet: one row
    per competency, grouped by quadrant with a rule between the groups, one
    column per career level, each cell coloured by its expected level
    (light: lowest level, dark: highest).  ``to_frame()`` gives the numbers."""

    __slots__ = ("_framework",)

    def __init__(self, framework: Framework) -> None:
        self._framework = framework

    def to_frame(self) -> pd.DataFrame:
        """Level ordinals: rows (quadrant, competency id) grouped by quadrant,
        columns career level ids."""
        fw = self._framework
        competencies = fw._core.competencies()
        order = [i for q in _QUADRANTS for i, c in enumerate(competencies) if c["quadrant"] == q]
        if not order:  # competencies without quadrants: file order
            order = list(range(len(competencies)))
        matrix = np.asarray(fw._core.expectations(), dtype=np.int64).T[order]
        index = pd.MultiIndex.from_tuples(
            [(competencies[i]["quadrant"], competencies[i]["id"]) for i in order], names=["quadrant", "competency"]
        )
        return pd.DataFrame(matrix, index=index, columns=pd.Index(fw.career_level_ids, name="career_level"))

    def __repr__(self) -> str:
        return repr(self.to_frame())

    def _repr_html_(self) -> str:
        fw = self._framework
        labels = fw.level_labels
        colours = _html.level_colours(len(labels))
        competencies = fw._core.competencies()
        levels = fw._core.career_levels()
        matrix = np.asarray(fw._core.expectations())
        legend = " ".join(
            f'<span style="background:{bg};color:{fg};padding:1px 6px;border:1px solid #ccc">'
            f"{i + 1} {_html.escape(label)}</span>"
            for i, (label, (bg, fg)) in enumerate(zip(labels, colours))
        )
        parts = [f'<div><p style="margin:4px 0">{legend}</p><table style="{_html.TABLE_STYLE}">',
                 '<caption style="text-align:left;font-weight:bold;padding:4px 0">Expected level by career level'
                 "</caption><thead><tr>"]
        for heading in ["quadrant", "competency"] + [level["name"] for level in levels]:
            parts.append(f'<th style="{_html.HEAD_STYLE}">{_html.escape(heading)}</th>')
        parts.append("</tr></thead><tbody>")
        groups = [(q, [i for i, c in enumerate(competencies) if c["quadrant"] == q]) for q in _QUADRANTS]
        if not any(members for _, members in groups):  # competencies without quadrants: one group
            groups = [("", list(range(len(competencies))))]
        for q, (quadrant, members) in enumerate(groups):
            for k, c in enumerate(members):
                # A rule above each quadrant group but the first, as the
                # spreadsheet separates them.
                rule = ";border-top:2px solid #555" if k == 0 and q > 0 else ""
                label = _html.escape(quadrant) if k == 0 else ""
                parts.append(
                    f'<tr><td style="{_html.CELL_STYLE}{rule};white-space:nowrap;color:#555">{label}</td>'
                    f'<td style="{_html.CELL_STYLE}{rule};white-space:nowrap">'
                    f'{_html.escape(competencies[c]["name"])}</td>'
                )
                for row in range(len(levels)):
                    ordinal = int(matrix[row, c])
                    bg, fg = colours[ordinal - 1]
                    parts.append(
                        f'<td style="{_html.CELL_STYLE}{rule};background:{bg};color:{fg};text-align:center" '
                        f'title="{_html.escape(labels[ordinal - 1])}">{ordinal}</td>'
                    )
                parts.append("</tr>")
        parts.append("</tbody></table></div>")
        return "".join(parts)


# ---- building a framework in Python --------------------------------------------
#
# The parts given to Framework(...) become a document of the framework file
# format, which the C++ reader checks (types, unknown fields, ids, references,
# the expectation matrix, the calendar date) and builds the framework from.
# This layer only converts the Python conveniences; it judges nothing the
# reader judges.

#: The source name problems of a framework built in Python carry.
_SOURCE = "Framework()"


def _problem(pointer: str, message: str) -> ValidationError:
    error_id = "validation_error.framework"
    error = ValidationError(f"[calibra.{error_id}] {_SOURCE}: {pointer}: {message}")
    error.id = error_id
    return error


def _plain(value: Any, pointer: str) -> Any:
    """A JSON-ready copy of a value: mappings, sequences, text, numbers,
    booleans and None, with numpy scalars as Python ones."""
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise _problem(pointer, f"expected a finite number, found {value}")
        return value
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise _problem(pointer, f"keys must be text; found the key {key!r}")
            out[key] = _plain(item, f"{pointer}/{key.replace('~', '~0').replace('/', '~1')}")
        return out
    if isinstance(value, (list, tuple)):
        return [_plain(item, f"{pointer}/{i}") for i, item in enumerate(value)]
    raise _problem(pointer, f"expected text, a number, a list or a mapping; found {type(value).__name__}")


def _items(value: Any, field: str) -> list[Any]:
    """A list of parts; a DataFrame gives one dict per row (its columns the
    fields, an empty cell left out), so ``fw.scale`` or ``fw.career_levels``
    of another framework can be passed as they are."""
    if isinstance(value, pd.DataFrame):
        return [{str(k): v for k, v in row.items() if not (isinstance(v, float) and math.isnan(v))}
                for row in value.to_dict(orient="records")]
    if isinstance(value, (str, Mapping)) or not isinstance(value, (list, tuple)):
        raise _problem(f"/{field}", f"expected a list or a DataFrame, found {type(value).__name__}")
    return list(value)


def _document(
    *,
    id: str | None,
    name: str | None,
    version: str,
    last_updated: str | datetime.date | None,
    owners: Sequence[str],
    description: str,
    scale: Sequence[Mapping[str, Any]] | pd.DataFrame | None,
    competencies: Sequence[Mapping[str, Any]] | pd.DataFrame | None,
    career_levels: Sequence[Mapping[str, Any]] | pd.DataFrame | None,
    expectations: Mapping[str, Mapping[str, int | str]] | pd.DataFrame | None,
    steps: Sequence[Any] | pd.DataFrame,
    areas: Sequence[Mapping[str, Any]] | pd.DataFrame,
    quadrants: Mapping[str, Sequence[str]] | None,
    archetypes: Sequence[Mapping[str, Any]],
    trait_words: Sequence[str],
    pending: list[ValidationError],
) -> dict[str, Any]:
    """The framework file document of the parts; `pending` receives the
    problems to report when the reader finds none of its own."""
    required = {"id": id, "name": name, "scale": scale, "competencies": competencies}
    missing = [key for key, value in required.items() if value is None]
    if missing:
        raise TypeError(
            "Framework() needs " + ", ".join(f"{key}=" for key in missing)
            + " (and takes career_levels=, expectations=, version=, last_updated=, owners=, description=, "
            "steps=, areas=, quadrants=, archetypes=, trait_words=); see help(calibra.Framework)"
        )
    if last_updated is None:
        last_updated = datetime.date.today()
    metadata: dict[str, Any] = {
        "id": id,
        "name": name,
        "version": version,
        "last_updated": last_updated.isoformat() if isinstance(last_updated, datetime.date) else last_updated,
    }
    if owners:
        metadata["owners"] = [owners] if isinstance(owners, str) else list(owners)
    if description:
        metadata["description"] = description

    levels = [_plain(level, f"/scale/{i}") for i, level in enumerate(_items(scale, "scale"))]
    level_ids = [level.get("id") if isinstance(level, dict) else None for level in levels]

    comps = [_plain(c, f"/competencies/{i}") for i, c in enumerate(_items(competencies, "competencies"))]
    for i, comp in enumerate(comps):
        anchors = comp.get("anchors") if isinstance(comp, dict) else None
        if isinstance(anchors, list):
            # A list in scale order; an empty string is a missing anchor.
            if len(anchors) != len(levels):
                # Reported only if the reader finds nothing else: with a
                # broken scale this would be a consequence, not the cause.
                pending.append(_problem(f"/competencies/{i}/anchors",
                                        f"expected one anchor per scale level ({len(levels)}), got {len(anchors)}"))
            comp["anchors"] = {str(level_id): text for level_id, text in zip(level_ids, anchors) if text != ""}
    if quadrants is not None:
        _apply_quadrants(comps, quadrants)

    document: dict[str, Any] = {"format": "calibra-framework/1", "metadata": metadata, "scale": levels}
    if len(areas) > 0:
        document["areas"] = [_plain(a, f"/areas/{i}") for i, a in enumerate(_items(areas, "areas"))]
    document["competencies"] = comps
    # Without career levels and expectations the framework is ratings-only;
    # the reader refuses one without the other.
    if career_levels is not None:
        document["career_levels"] = [
            _plain(level, f"/career_levels/{i}") for i, level in enumerate(_items(career_levels, "career_levels"))
        ]
    if len(steps) > 0:
        document["steps"] = [_step(step, i) for i, step in enumerate(_items(steps, "steps"))]
    if expectations is not None:
        document["expectations"] = _expectations(expectations, levels)
    if archetypes:
        document["archetypes"] = [_plain(a, f"/archetypes/{i}") for i, a in enumerate(_items(archetypes, "archetypes"))]
    if trait_words:
        words = [trait_words] if isinstance(trait_words, str) else list(trait_words)
        document["checks"] = {"trait_words": _plain(words, "/checks/trait_words")}
    return document


def _apply_quadrants(comps: list[Any], quadrants: Mapping[str, Sequence[str]]) -> None:
    """Sets each listed competency's quadrant; a competency that names its
    own quadrant must name the same one."""
    position = {c.get("id"): i for i, c in enumerate(comps) if isinstance(c, dict)}
    for quadrant, members in quadrants.items():
        if quadrant not in _QUADRANTS:
            raise _problem("quadrants", f"unknown quadrant {quadrant!r}; expected one of {', '.join(_QUADRANTS)}")
        for member in [members] if isinstance(members, str) else members:
            if member not in position:
                raise _problem("quadrants", f"{quadrant} lists {member!r}, which is not a competency id")
            comp = comps[position[member]]
            own = comp.get("quadrant")
            if own is not None and own != quadrant:
                raise _problem(f"/competencies/{position[member]}/quadrant",
                               f"the competency says {own!r} but quadrants= puts it in {quadrant!r}")
            comp["quadrant"] = quadrant


def _step(step: Any, i: int) -> Any:
    if isinstance(step, Mapping):
        return _plain(step, f"/steps/{i}")
    if isinstance(step, (list, tuple)) and len(step) == 2:
        return {"from": _plain(step[0], f"/steps/{i}/from"), "to": _plain(step[1], f"/steps/{i}/to")}
    raise _problem(f"/steps/{i}", f"expected a (from, to) pair of career level ids, found {step!r}")


def _expectations(expectations: Any, levels: list[Any]) -> dict[str, Any]:
    """Career level id -> competency id -> level id; ordinals (1 = lowest)
    and level labels become level ids."""
    ids = [level.get("id") if isinstance(level, dict) else None for level in levels]
    by_label = {level.get("label"): level.get("id") for level in levels if isinstance(level, dict)}
    if isinstance(expectations, pd.DataFrame):
        expectations = {str(row): {str(c): v for c, v in cells.items()}
                        for row, cells in expectations.to_dict(orient="index").items()}
    if not isinstance(expectations, Mapping):
        raise _problem("/expectations", "expected a mapping career level id -> {competency id: level} or a "
                       f"DataFrame (career levels x competencies), found {type(expectations).__name__}")
    out: dict[str, Any] = _plain(expectations, "/expectations")
    for row, cells in out.items():
        if not isinstance(cells, dict):
            continue  # the reader names it
        for column, value in cells.items():
            where = f"/expectations/{row}/{column}"
            if isinstance(value, bool):
                raise _problem(where, f"expected a level (ordinal, id or label), found {value}")
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            if isinstance(value, int):
                if not 1 <= value <= len(ids):
                    raise _problem(where, f"level ordinal {value} is outside the scale 1..{len(ids)}")
                cells[column] = ids[value - 1]
            elif isinstance(value, str) and value not in ids and value in by_label:
                cells[column] = by_label[value]
    return out


class Framework:
    """A validated competency framework.

    Obtain one with :func:`builtin_framework`, :func:`load_framework` or
    :func:`parse_framework`, or build one from its parts::

        fw = calibra.Framework(
            id="tiny", name="Tiny ladder", version="0.1.0", last_updated="2026-11-22",
            scale=[{"id": "basic", "label": "Basic", "scope": "task", "autonomy": "guided"}, ...],
            competencies=[{"id": "delivery", "name": "Delivery", "definition": "...",
                           "quadrant": "tactical-internal", "anchors": ["...", "...", "..."]}, ...],
            career_levels=[{"id": "pm", "name": "Product Manager", "track": "ic", "rank": 1}, ...],
            steps=[("pm", "senior-pm")],
            expectations={"pm": {"delivery": 2, ...}, ...},
        )

    The parts have the fields of the framework file format
    (docs/framework-format.md), with a few Python conveniences: a
    competency's ``anchors`` may be a list in scale order, ``quadrants=``
    may give the quadrant of each competency instead of its own
    ``quadrant`` field, ``steps`` may be pairs, and ``expectations`` may be a
    DataFrame (career levels x competencies, as ``fw.expectations`` returns)
    holding level ordinals (1 = lowest), level ids or labels.  The C++
    reader of framework files checks the result with the same rules, so a
    bad part raises ValidationError naming its field by the JSON pointer
    of the file format (``/competencies/1/quadrant: expected one of ...``);
    every problem found is listed.

    A ratings-only framework has a scale and competencies and nothing else:
    leave out ``career_levels=``, ``expectations=`` and ``steps=``, the
    competencies' ``quadrant`` and the levels' ``scope`` and ``autonomy``.
    ``calibra.calibrate`` then runs the rater analyses and says which
    ladder analyses are not applicable; ``career_levels`` and
    ``expectations`` are empty frames.  Quadrants are given to every
    competency or to none, and scope and autonomy to every level or to
    none.  A framework cannot be modified, so every table it returns is a
    fresh copy.
    """

    __slots__ = ("_core",)

    def __init__(
        self,
        core: _core.Framework | None = None,
        /,
        *,
        id: str | None = None,
        name: str | None = None,
        version: str = "1.0.0",
        last_updated: str | datetime.date | None = None,
        owners: Sequence[str] = (),
        description: str = "",
        scale: Sequence[Mapping[str, Any]] | pd.DataFrame | None = None,
        competencies: Sequence[Mapping[str, Any]] | pd.DataFrame | None = None,
        career_levels: Sequence[Mapping[str, Any]] | pd.DataFrame | None = None,
        expectations: Mapping[str, Mapping[str, int | str]] | pd.DataFrame | None = None,
        steps: Sequence[tuple[str, str] | Sequence[str] | Mapping[str, str]] | pd.DataFrame = (),
        areas: Sequence[Mapping[str, Any]] | pd.DataFrame = (),
        quadrants: Mapping[str, Sequence[str]] | None = None,
        archetypes: Sequence[Mapping[str, Any]] = (),
        trait_words: Sequence[str] = (),
    ) -> None:
        if core is not None:
            if not isinstance(core, _core.Framework):
                raise TypeError(
                    "Framework() takes the parts of a framework as keywords (scale=, competencies=, "
                    "career_levels=, expectations=, ...); to get one use calibra.builtin_framework(), "
                    "calibra.load_framework(path) "
                    "or calibra.parse_framework(text)"
                )
            self._core = core
            return
        pending: list[ValidationError] = []
        document = _document(
            id=id, name=name, version=version, last_updated=last_updated, owners=owners,
            description=description, scale=scale, competencies=competencies, career_levels=career_levels,
            expectations=expectations, steps=steps, areas=areas, quadrants=quadrants, archetypes=archetypes,
            trait_words=trait_words, pending=pending,
        )
        self._core = _core.parse_framework(json.dumps(document, ensure_ascii=False), _SOURCE)
        if pending:
            raise pending[0]

    @classmethod
    def from_json(cls, text: str, source_name: str = "<memory>") -> Framework:
        """Parses framework JSON held in a string (same rules as load_framework)."""
        return cls(_core.parse_framework(text, source_name))

    @classmethod
    def from_xlsx(cls, path: str | os.PathLike[str]) -> Framework:
        """Reads a framework workbook (what :meth:`to_xlsx` and ``calibra
        framework export --to xlsx`` write, edited or not).  A bad cell
        raises ValidationError naming the sheet and cell (``Targets!D7``)."""
        return cls(_core.load_framework_xlsx(os.fspath(path)))

    # ---- metadata ---------------------------------------------------------

    @property
    def metadata(self) -> dict[str, Any]:
        """id, name, version, last_updated, owners, description."""
        return self._core.metadata()

    @property
    def trait_words(self) -> list[str]:
        """The trait words the framework file adds to the ``anchor.vague`` rule
        (its ``"checks": {"trait_words": [...]}``)."""
        return list(self._core.trait_words())

    @property
    def id(self) -> str:
        return str(self.metadata["id"])

    @property
    def name(self) -> str:
        return str(self.metadata["name"])

    @property
    def version(self) -> str:
        return str(self.metadata["version"])

    # ---- tables -----------------------------------------------------------

    @property
    def scale(self) -> pd.DataFrame:
        """The proficiency levels, lowest first, indexed by ordinal (1-based)."""
        return pd.DataFrame(self._core.scale()).set_index("ordinal")

    @property
    def level_ids(self) -> list[str]:
        return [level["id"] for level in self._core.scale()]

    @property
    def level_labels(self) -> list[str]:
        return [level["label"] for level in self._core.scale()]

    @property
    def areas(self) -> pd.DataFrame:
        return pd.DataFrame(self._core.areas(), columns=["id", "name", "description"])

    @property
    def competencies(self) -> pd.DataFrame:
        """One row per competency in file order: id, name, quadrant, area,
        definition, focus, orientation (grid position, NaN when absent),
        people_leadership, interview_format."""
        rows = self._core.competencies()
        columns = [
            "id",
            "name",
            "quadrant",
            "area",
            "definition",
            "focus",
            "orientation",
            "people_leadership",
            "interview_format",
        ]
        frame = pd.DataFrame([{k: row[k] for k in columns} for row in rows], columns=columns)
        frame["focus"] = frame["focus"].astype("float64")
        frame["orientation"] = frame["orientation"].astype("float64")
        frame["people_leadership"] = frame["people_leadership"].astype(bool)
        return frame

    @property
    def competency_ids(self) -> list[str]:
        return [c["id"] for c in self._core.competencies()]

    @property
    def anchors(self) -> pd.DataFrame:
        """Behavioural anchors: competency ids x level ids (empty string: missing)."""
        rows = self._core.competencies()
        frame = pd.DataFrame(
            [row["anchors"] for row in rows],
            index=pd.Index([row["id"] for row in rows], name="competency"),
            columns=pd.Index(self.level_ids, name="level"),
        )
        return frame

    @property
    def actions(self) -> dict[str, list[str]]:
        """The development-action catalogue, by competency id."""
        return {row["id"]: list(row["actions"]) for row in self._core.competencies()}

    @property
    def career_levels(self) -> pd.DataFrame:
        """id, name, track ("ic" or "manager"), rank."""
        return pd.DataFrame(self._core.career_levels(), columns=["id", "name", "track", "rank"])

    @property
    def career_level_ids(self) -> list[str]:
        return [level["id"] for level in self._core.career_levels()]

    @property
    def steps(self) -> pd.DataFrame:
        """The promotion steps, columns from and to (career level ids)."""
        return pd.DataFrame(self._core.steps(), columns=["from", "to"])

    @property
    def archetypes(self) -> pd.DataFrame:
        """id, name, description, strong and growth (lists of competency ids)."""
        return pd.DataFrame(self._core.archetypes(), columns=["id", "name", "description", "strong", "growth"])

    @property
    def expectations(self) -> pd.DataFrame:
        """Minimum expected level ordinal: career level ids (rows) x competency ids (columns)."""
        return pd.DataFrame(
            np.asarray(self._core.expectations(), dtype=np.int64),
            index=pd.Index(self.career_level_ids, name="career_level"),
            columns=pd.Index(self.competency_ids, name="competency"),
        )

    def expectation_matrix(self) -> ExpectationMatrix:
        """The expectation matrix as a calibration spreadsheet (competencies
        grouped by quadrant x career levels, colour-coded in Jupyter)."""
        return ExpectationMatrix(self)

    def expectation(self, career_level: str, competency: str) -> int:
        """Expected level ordinal of one competency at one career level."""
        return self._core.expectation(career_level, competency)

    # ---- queries ------------------------------------------------------------

    def quadrant_profile(self) -> pd.DataFrame:
        """Mean expected level per quadrant: career level ids x the four quadrants
        (NaN for a quadrant without competencies)."""
        return pd.DataFrame(
            np.asarray(self._core.quadrant_profile(), dtype=np.float64),
            index=pd.Index(self.career_level_ids, name="career_level"),
            columns=pd.Index(_QUADRANTS, name="quadrant"),
        )

    def gaps(self) -> pd.DataFrame:
        """Promotion-gap competencies: one row per competency whose expectation
        rises along a step, columns from, to (career level ids), competency,
        name, from_level, to_level, rise.  A step that raises nothing has no
        row; ``steps`` lists every step."""
        names = {c["id"]: c["name"] for c in self._core.competencies()}
        rows = self._core.promotion_gaps()
        frame = pd.DataFrame(rows, columns=["from", "to", "competency", "from_level", "to_level"])
        frame.insert(3, "name", [names[r["competency"]] for r in rows])
        frame["rise"] = frame["to_level"] - frame["from_level"]
        return frame.astype({"from_level": "int64", "to_level": "int64", "rise": "int64"})

    def plateaus(self) -> pd.DataFrame:
        """Competencies that stop rising before the top of a track: columns
        competency, career_level (from where it holds) and level."""
        frame = pd.DataFrame(self._core.plateaus(), columns=["competency", "career_level", "level"])
        return frame.astype({"level": "int64"})

    def path(self, from_level: str, to_level: str) -> list[str]:
        """Career level ids along the promotions from one level to another,
        both included; empty when no chain of promotions leads there."""
        return self._core.path(from_level, to_level)

    def to_relative(self, career_level: str, competency: str, level: int) -> str:
        """The relative rating ("needs-focus", "on-track", "outperforming") of a level."""
        return self._core.to_relative(career_level, competency, level)

    def to_absolute(self, career_level: str, competency: str, rating: str) -> int:
        """The level ordinal a relative rating stands for."""
        return self._core.to_absolute(career_level, competency, rating)

    def check(
        self,
        *,
        vague_terms: Sequence[str] | None = None,
        scope_terms: Sequence[str] | None = None,
        min_levels: int | None = None,
        max_levels: int | None = None,
        min_competencies: int | None = None,
        max_competencies: int | None = None,
        min_anchor_sentences: int | None = None,
        max_anchor_sentences: int | None = None,
        min_promotion_gaps: int | None = None,
        max_promotion_gaps: int | None = None,
        name_overlap: float | None = None,
        definition_overlap: float | None = None,
        synonyms: Sequence[Sequence[str]] | None = None,
        anchor_similarity: float | None = None,
        quality_terms: Sequence[str] | None = None,
        as_of: str | None = None,
        review_months: int | None = None,
        top_level_share: float | None = None,
    ) -> Findings:
        """Applies every rule of ``calibra framework check``; options left as
        None keep the documented defaults.  ``as_of`` is the day of the check
        (``YYYY-MM-DD``, default today), which ``framework.stale`` compares the
        framework's ``last_updated`` with."""
        options = _core.CheckOptions()
        given: dict[str, object] = {
            "vague_terms": None if vague_terms is None else list(vague_terms),
            "scope_terms": None if scope_terms is None else list(scope_terms),
            "min_levels": min_levels,
            "max_levels": max_levels,
            "min_competencies": min_competencies,
            "max_competencies": max_competencies,
            "min_anchor_sentences": min_anchor_sentences,
            "max_anchor_sentences": max_anchor_sentences,
            "min_promotion_gaps": min_promotion_gaps,
            "max_promotion_gaps": max_promotion_gaps,
            "name_overlap": name_overlap,
            "definition_overlap": definition_overlap,
            "synonyms": None if synonyms is None else [list(group) for group in synonyms],
            "anchor_similarity": anchor_similarity,
            "quality_terms": None if quality_terms is None else list(quality_terms),
            "as_of": as_of,
            "review_months": review_months,
            "top_level_share": top_level_share,
        }
        for key, value in given.items():
            if value is not None:
                setattr(options, key, value)
        return Findings(Finding(**f) for f in self._core.check(options))

    # ---- output -----------------------------------------------------------

    def to_json(self) -> str:
        """The canonical JSON text (what ``calibra framework export --to json`` writes)."""
        return self._core.to_json()

    def to_markdown(self) -> str:
        return self._core.to_markdown()

    def save(self, path: str | os.PathLike[str]) -> None:
        """Writes the canonical JSON atomically (whole file or nothing)."""
        self._core.save(os.fspath(path))

    def to_xlsx(self, path: str | os.PathLike[str]) -> None:
        """Writes the framework as the editable workbook, one sheet per part
        (docs/framework-format.md, "The framework workbook"), atomically.
        :meth:`from_xlsx` reads it back as the same framework."""
        self._core.to_xlsx(os.fspath(path))

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        return (parse_framework, (self.to_json(),))

    def __eq__(self, other: object) -> bool:
        """Equal when the canonical JSON is: the same framework, however it was made."""
        if not isinstance(other, Framework):
            return NotImplemented
        return self.to_json() == other.to_json()

    def __hash__(self) -> int:
        return hash(self.to_json())

    def __repr__(self) -> str:
        return (
            f"<calibra.Framework {self.id!r} {self.name!r} version {self.version}: "
            f"{len(self.level_ids)} levels, {len(self.competency_ids)} competencies, "
            f"{len(self.career_level_ids)} career levels>"
        )

    def _repr_html_(self) -> str:
        """Header, then the expectation matrix grouped by quadrant, each cell
        coloured by its level."""
        meta = self.metadata
        return (
            f"<div><b>{_html.escape(meta['name'])}</b> "
            f"<span style=\"color:#555\">({_html.escape(meta['id'])}, version {_html.escape(meta['version'])}, "
            f"last updated {_html.escape(meta['last_updated'])})</span>"
            + self.expectation_matrix()._repr_html_()
            + "</div>"
        )


def builtin_framework() -> Framework:
    """The built-in product-manager framework (a fresh copy)."""
    return Framework(_core.builtin_framework())


def load_framework(path: str | os.PathLike[str]) -> Framework:
    """Reads a framework file: JSON, or the framework workbook when the name
    ends in ``.xlsx`` (:meth:`Framework.from_xlsx`).  Raises ParseError or
    ValidationError naming the file and the JSON pointer, or the sheet and
    cell, of the problem."""
    name = os.fspath(path)
    if name.lower().endswith(".xlsx"):
        return Framework.from_xlsx(name)
    return Framework(_core.load_framework(name))


def init(
    directory: str | os.PathLike[str],
    *,
    competencies: int | Sequence[str] | None = None,
    levels: int | None = None,
    name: str | None = None,
    force: bool = False,
) -> list[str]:
    """Writes a starter kit into ``directory`` (created if missing), as
    ``calibra init DIR`` does, and returns the paths written:
    framework.json, framework.xlsx, ratings-template.xlsx,
    ratings-template.csv and README.md.

    Without ``competencies`` and ``levels`` the framework is the built-in
    one; with either, a skeleton with placeholder definitions and anchors:
    ``competencies`` competencies (a number from 1 to 100, or their names),
    a scale of ``levels`` levels (4 or 5), and ``name`` as its name.
    Existing files are kept unless ``force``; a bad option raises
    InvalidArgument and writes nothing.
    """
    if isinstance(competencies, bool):
        raise TypeError("competencies must be a number or a list of names")
    if competencies is None:
        spec = ""
    elif isinstance(competencies, int):
        spec = str(competencies)
    elif isinstance(competencies, str):
        raise TypeError("competencies must be a number or a list of names, not one string")
    else:
        names = [str(c) for c in competencies]
        for c in names:
            if "," in c:
                raise invalid_argument("init", f"competency name {c!r}: a name cannot hold a comma")
        spec = ",".join(names)
    return _core.write_starter_kit(os.fspath(directory), spec, levels or 0, name or "", force)


def parse_framework(text: str, source_name: str = "<memory>") -> Framework:
    """Parses framework JSON held in a string."""
    return Framework(_core.parse_framework(text, source_name))


def check_rules() -> pd.DataFrame:
    """Every rule ``Framework.check()`` applies: rule, severity, summary."""
    return pd.DataFrame(_core.check_rules(), columns=["rule", "severity", "summary"])

