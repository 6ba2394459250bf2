"""Plots for notebooks (matplotlib).

Every function draws on the Axes given as ``ax=`` (or on a new figure) and
returns that Axes, so plots compose into your own figures and tests can
inspect the artists.  Nothing here picks a backend or calls ``show()``:
the functions work the same under Agg (scripts, CI) as inline in Jupyter.

Framework:
    expectation_heatmap   the expectation matrix, coloured by level
    quadrant_profile      mean expected level per quadrant along the ladder
Calibration (from ``calibra.calibrate``):
    rater_severity        forest plot of rater severities with intervals
    ratee_profile         one ratee's scores against the expectations of a career level
    drift                 severity of each rater period by period
    agreement_by_competency   agreement per competency with intervals
    self_vs_manager       self ratings against manager ratings
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Union

import numpy as np
import pandas as pd

from calibra import _html
from calibra.errors import invalid_argument

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from calibra.calibration import CalibrationResult
    from calibra.framework import Framework

__all__ = [
    "agreement_by_competency",
    "drift",
    "expectation_heatmap",
    "quadrant_profile",
    "ratee_profile",
    "rater_severity",
    "self_vs_manager",
]

#: Colours of the four quadrants, in the order of calibra's quadrant list.
QUADRANT_COLOURS = {
    "tactical-internal": "#1b9e77",
    "tactical-external": "#d95f02",
    "strategic-internal": "#7570b3",
    "strategic-external": "#e7298a",
}

#: Colours of rater flags in the severity plot.
SEVERITY_COLOURS = {"harsh": "#c0392b", "lenient": "#2874a6", "": "#444444"}


def _axes(ax: Axes | None, size: tuple[float, float]) -> Axes:
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, created = plt.subplots(figsize=size, layout="constrained")
    return created


# ---------------------------------------------------------------------------
# Framework


def _quadrant_order(framework: Framework) -> list[int]:
    """Competency positions grouped by quadrant (calibra's quadrant order),
    file order within a quadrant."""
    competencies = framework.competencies
    quadrants = list(framework.quadrant_profile().columns)
    order: list[int] = []
    for quadrant in quadrants:
        order += [i for i, q in enumerate(competencies["quadrant"]) if q == quadrant]
    return order


def expectation_heatmap(framework: Framework, ax: Axes | None = None, *, annotate: bool = True) -> Axes:
    """The expectation matrix: competencies (grouped by quadrant, separated
    by lines) x career levels, each cell coloured by its expected level with
    the palette of the HTML view (light: lowest level, dark: highest)."""
    from matplotlib.colors import BoundaryNorm, ListedColormap
    from matplotlib.patches import Patch

    expectations = framework.expectations  # career levels x competencies
    competencies = framework.competencies
    order = _quadrant_order(framework)
    matrix = expectations.to_numpy().T[order]  # competencies x career levels
    labels = framework.level_labels
    colours = _html.level_colours(len(labels))

    ax = _axes(ax, (1.2 * matrix.shape[1] + 4, 0.4 * matrix.shape[0] + 1.5))
    cmap = ListedColormap([bg for bg, _ in colours])
    norm = BoundaryNorm(np.arange(0.5, len(labels) + 1.5), cmap.N)
    ax.imshow(matrix, cmap=cmap, norm=norm, aspect="auto")
    ax.set_xticks(range(matrix.shape[1]), labels=list(framework.career_levels["name"]), rotation=30, ha="right")
    ax.set_yticks(range(matrix.shape[0]), labels=[competencies["name"][i] for i in order])
    ax.tick_params(length=0)
    if annotate:
        for row in range(matrix.shape[0]):
            for column in range(matrix.shape[1]):
                ordinal = int(matrix[row, column])
                ax.text(column, row, str(ordinal), ha="center", va="center", color=colours[ordinal - 1][1],
                        fontsize=9)
    # Lines between quadrants, and each quadrant's name beside its block.
    quadrants = [competencies["quadrant"][i] for i in order]
    start = 0
    for row in range(1, len(quadrants) + 1):
        if row == len(quadrants) or quadrants[row] != quadrants[start]:
            if row < len(quadrants):
                ax.axhline(row - 0.5, color="#333333", linewidth=1.5)
            ax.annotate(quadrants[start], xy=(1.01, 1 - (start + row) / 2 / len(quadrants)), xycoords="axes fraction",
                        ha="left", va="center", fontsize=8, color=QUADRANT_COLOURS.get(quadrants[start], "#333"))
            start = row
    ax.legend(
        handles=[Patch(facecolor=bg, edgecolor="#999999", label=f"{i + 1} {label}") for i, (label, (bg, _)) in
                 enumerate(zip(labels, colours))],
        loc="upper center", bbox_to_anchor=(0.5, -0.25), ncol=min(len(labels), 5), fontsize=8, frameon=False,
    )
    ax.set_title(f"Expected level by career level: {framework.name}")
    return ax


def quadrant_profile(framework: Framework, ax: Axes | None = None) -> Axes:
    """Mean expected level of each quadrant at each career level: one line
    per quadrant along the ladder, so the shift from tactical to strategic
    work shows as lines crossing."""
    profile = framework.quadrant_profile()  # career levels x quadrants
    names = list(framework.career_levels["name"])
    ax = _axes(ax, (7, 4))
    x = np.arange(len(profile.index))
    for quadrant in profile.columns:
        ax.plot(x, profile[quadrant].to_numpy(), marker="o", label=quadrant,
                color=QUADRANT_COLOURS.get(quadrant), linestyle="--" if quadrant.startswith("strategic") else "-")
    ax.set_xticks(x, labels=names, rotation=20, ha="right")
    levels = framework.level_labels
    ax.set_yticks(range(1, len(levels) + 1), labels=[f"{i + 1} {label}" for i, label in enumerate(levels)])
    ax.set_ylim(0.5, len(levels) + 0.5)
    ax.set_ylabel("mean expected level")
    ax.grid(axis="y", alpha=0.3)
    ax.legend(title="quadrant", fontsize=8)
    ax.set_title("Quadrant profile along the career ladder")
    return ax


# ---------------------------------------------------------------------------
# Calibration

Table = Union["CalibrationResult", pd.DataFrame]


def _table(source: Table, section: str, table: str | None = None) -> pd.DataFrame:
    if isinstance(source, pd.DataFrame):
        return source
    if source.__class__.__name__ == "CalibrationResult":
        return source.frame(section, table)
    raise invalid_argument("python", f"expected a calibra.CalibrationResult or a DataFrame; got {type(source).__name__}")


def _require(frame: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise invalid_argument(
            "python",
            f"{what} needs the columns {', '.join(columns)}; the table has {', '.join(map(str, frame.columns))}",
        )


def rater_severity(source: Table, ax: Axes | None = None, *, sort: bool = True) -> Axes:
    """Forest plot of rater severities (levels; > 0 harsh, < 0 lenient) with
    their confidence intervals, from the ``raters`` section.  Raters flagged
    harsh or lenient are coloured; raters in different network components are
    not on one scale, which the labels say."""
    raters = _table(source, "raters")
    _require(raters, ["rater", "severity", "ci_low", "ci_high"], "rater_severity")
    raters = raters.dropna(subset=["severity"])
    if sort:
        raters = raters.sort_values("severity", kind="stable")
    raters = raters.reset_index(drop=True)
    ax = _axes(ax, (7, 0.35 * len(raters) + 1.5))
    y = np.arange(len(raters))
    flags = raters["flags"] if "flags" in raters.columns else pd.Series([[]] * len(raters))
    colours = []
    for f in flags:
        f = list(f) if isinstance(f, (list, tuple, np.ndarray)) else []
        colours.append(SEVERITY_COLOURS["harsh"] if "harsh" in f else SEVERITY_COLOURS["lenient"] if "lenient" in f
                       else SEVERITY_COLOURS[""])
    severity = raters["severity"].to_numpy(dtype=float)
    low = raters["ci_low"].to_numpy(dtype=float)
    high = raters["ci_high"].to_numpy(dtype=float)
    ax.hlines(y, low, high, colors=colours, linewidth=2)
    ax.scatter(severity, y, c=colours, zorder=3, s=25)
    ax.axvline(0, color="#888888", linewidth=1, linestyle=":")
    labels = [str(r) for r in raters["rater"]]
    if "component" in raters.columns and raters["component"].nunique() > 1:
        labels = [f"{r} (component {int(c) + 1})" for r, c in zip(labels, raters["component"])]
    ax.set_yticks(y, labels=labels)
    ax.set_xlabel("severity (levels): lenient < 0 < harsh")
    ax.set_title("Rater severity with confidence intervals")
    return ax


def _ratee_scores(report: CalibrationResult, ratee: str) -> tuple[pd.DataFrame, str | None, str | None]:
    """Scores per competency of one ratee from a report: the team heatmap
    holds score minus the expectation of the ratee's career level."""
    ratees = report.frame("ratees")
    row = ratees[ratees["ratee"] == ratee]
    if row.empty:
        raise invalid_argument("python", f"ratee {ratee!r} is not in the report's ratees")
    career_level = row["career_level"].iloc[0]
    target = row["promotion_target"].iloc[0] if "promotion_target" in row.columns else None
    heatmap = report.frame("team", "heatmap")
    mine = heatmap[(heatmap["ratee"] == ratee) & (heatmap["team"] == heatmap["team"].iloc[0])]
    return mine[["competency", "gap"]], career_level, target


def ratee_profile(
    source: Table,
    ratee: str | None = None,
    framework: Framework | None = None,
    ax: Axes | None = None,
    *,
    target: str | None = None,
) -> Axes:
    """One ratee's scores per competency (dots, red below the bar) against
    the expected levels of a career level (bars), competencies grouped by
    quadrant.

    From a report: ``ratee_profile(report, "pm07")`` takes the scores of the
    analysed period and compares them with the ratee's promotion target (or
    their own career level); ``target=`` picks another career level.  From a
    DataFrame with columns competency and score (optionally ratee, ci_low,
    ci_high): pass ``framework=`` and ``target=``.
    """
    if framework is None:
        from calibra.framework import builtin_framework

        framework = builtin_framework()
    if isinstance(source, pd.DataFrame):
        scores = source
        if ratee is not None:
            _require(scores, ["ratee"], "ratee_profile with a ratee")
            scores = scores[scores["ratee"] == ratee]
        if target is None:
            raise invalid_argument("python", "ratee_profile of a DataFrame needs target= (a career level id)")
        title_level = target
    else:
        if ratee is None:
            raise invalid_argument("python", "ratee_profile of a report needs the ratee")
        gaps, career_level, promotion_target = _ratee_scores(source, ratee)
        if career_level is None:
            raise invalid_argument("python", f"ratee {ratee!r} has no career level in the data, so no expectations")
        own = framework.expectations.loc[career_level]
        scores = gaps.assign(score=[own[c] + g for c, g in zip(gaps["competency"], gaps["gap"])])
        target = target or promotion_target or career_level
        title_level = f"{target} (now {career_level})"
    _require(scores, ["competency", "score"], "ratee_profile")
    if scores["competency"].duplicated().any():
        raise invalid_argument("python", "ratee_profile: one row per competency expected; pass the ratee to pick one")
    order = _quadrant_order(framework)
    competencies = framework.competencies
    ids = [competencies["id"][i] for i in order]
    expected = framework.expectations.loc[target, ids].to_numpy(dtype=float)
    by_id = scores.set_index("competency")
    score = np.array([float(by_id["score"].get(c, np.nan)) for c in ids])
    ax = _axes(ax, (8, 0.4 * len(ids) + 1.5))
    y = np.arange(len(ids))
    quadrants = [competencies["quadrant"][i] for i in order]
    ax.barh(y, expected, color=[QUADRANT_COLOURS.get(q, "#999") for q in quadrants], alpha=0.3,
            label=f"expected at {target}")
    if {"ci_low", "ci_high"} <= set(by_id.columns):
        low = np.array([float(by_id["ci_low"].get(c, np.nan)) for c in ids])
        high = np.array([float(by_id["ci_high"].get(c, np.nan)) for c in ids])
        ax.hlines(y, low, high, color="#333333", linewidth=1.5)
    below = score < expected
    ax.scatter(score, y, c=np.where(below, "#c0392b", "#2e7d32"), zorder=3, label="score")
    ax.set_yticks(y, labels=[competencies["name"][i] for i in order])
    ax.invert_yaxis()
    levels = framework.level_labels
    ax.set_xticks(range(1, len(levels) + 1), labels=[f"{i + 1}\n{label}" for i, label in enumerate(levels)])
    ax.set_xlim(0.5, len(levels) + 0.5)
    ax.legend(loc="lower right", fontsize=8)
    ax.set_title(f"{ratee + ': ' if ratee else ''}scores against the expectations of {title_level}")
    return ax


def drift(source: Table, ax: Axes | None = None, *, x: str = "period", y: str = "severity",
          group: str = "rater") -> Axes:
    """One line per rater over the periods: how each rater's severity moves
    (the ``drift`` section's ``severities``, or any table with the columns
    period, severity and rater; ``x=``, ``y=``, ``group=`` rename them).
    Raters the drift analysis flagged are drawn thicker."""
    table = _table(source, "drift")
    flagged: set[str] = set()
    if not isinstance(source, pd.DataFrame):
        raters = source.frame("drift", "raters")
        if "flagged" in raters.columns:
            flagged = set(raters.loc[raters["flagged"].fillna(False).astype(bool), "rater"])
    _require(table, [x, y, group], "drift")
    periods = list(dict.fromkeys(table[x]))
    ax = _axes(ax, (7, 4))
    for name, rows in table.groupby(group, sort=False):
        positions = [periods.index(p) for p in rows[x]]
        ax.plot(positions, rows[y].to_numpy(dtype=float), marker="o",
                label=f"{name} (drifts)" if name in flagged else str(name), linewidth=3 if name in flagged else 1.2)
    ax.axhline(0, color="#888888", linewidth=1, linestyle=":")
    ax.set_xticks(range(len(periods)), labels=[str(p) for p in periods])
    ax.set_ylabel(y)
    ax.legend(title=group, fontsize=8, ncol=2)
    ax.set_title(f"{y} of each {group} by {x}")
    return ax


def agreement_by_competency(source: Table, ax: Axes | None = None, *, value: str | None = None) -> Axes:
    """Agreement per competency (bars) with its interval.  From a report:
    the ``competencies`` section, Krippendorff's ordinal alpha, with the
    competencies whose anchors need rewriting in red.  From a DataFrame:
    columns competency and ``value`` (default "value", else "alpha"), with
    ci_low/ci_high or <value>_ci_low/<value>_ci_high when present."""
    table = _table(source, "competencies")
    if value is None:
        value = "value" if "value" in table.columns else "alpha"
    _require(table, ["competency", value], "agreement_by_competency")
    table = table.dropna(subset=[value]).reset_index(drop=True)
    ax = _axes(ax, (7, 0.4 * len(table) + 1.5))
    y = np.arange(len(table))
    values = table[value].to_numpy(dtype=float)
    rewrite = table["needs_rewrite"].fillna(False).to_numpy(dtype=bool) if "needs_rewrite" in table else None
    colours = np.where(rewrite, "#e6550d", "#6baed6") if rewrite is not None else "#6baed6"
    ax.barh(y, values, color=colours)
    for low_name, high_name in [(f"{value}_ci_low", f"{value}_ci_high"), ("ci_low", "ci_high")]:
        if {low_name, high_name} <= set(table.columns):
            low = table[low_name].to_numpy(dtype=float)
            high = table[high_name].to_numpy(dtype=float)
            ax.errorbar(values, y, xerr=np.vstack([values - low, high - values]), fmt="none", ecolor="#333333",
                        capsize=3)
            break
    ax.set_yticks(y, labels=[str(c) for c in table["competency"]])
    ax.invert_yaxis()
    ax.set_xlabel(value)
    title = "Agreement per competency"
    if rewrite is not None and rewrite.any():
        title += " (orange: anchors to rewrite)"
    ax.set_title(title)
    return ax


def self_vs_manager(
    source: Table, ax: Axes | None = None, *, x: str = "comparison_level", y: str = "self_level"
) -> Axes:
    """Self ratings (y) against the manager's (x), one point per ratee and
    competency, jittered; on the diagonal they agree, above it the ratee
    rates themself higher.  From a report: the ``self_vs_manager`` gaps."""
    table = _table(source, "self_vs_manager")
    _require(table, [x, y], "self_vs_manager")
    table = table.dropna(subset=[x, y])
    ax = _axes(ax, (5, 5))
    xs = table[x].to_numpy(dtype=float)
    ys = table[y].to_numpy(dtype=float)
    jitter = np.random.default_rng(0).uniform(-0.12, 0.12, size=(2, len(xs)))
    ax.scatter(xs + jitter[0], ys + jitter[1], alpha=0.4, s=16, c=np.where(ys > xs, "#c0392b", "#2874a6"))
    both = np.concatenate([xs, ys])
    low = float(np.nanmin(both)) if len(both) else 1.0
    high = float(np.nanmax(both)) if len(both) else 5.0
    ax.plot([low - 0.5, high + 0.5], [low - 0.5, high + 0.5], color="#888888", linestyle=":")
    ax.set_xlabel("manager level" if x == "comparison_level" else x)
    ax.set_ylabel("self level" if y == "self_level" else y)
    ax.set_aspect("equal")
    above = int((ys > xs).sum())
    ax.set_title(f"Self against manager: {above} of {len(xs)} self ratings higher")
    return ax
