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
Agreement (from ratings or ``calibra.pairwise``):
    rater_heatmap         agreement of every pair of raters, rater x rater

Each plot writes the numbers its colours stand for, has a legend or a
colour bar, and a sentence-case title.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Union

import numpy as np
import pandas as pd

from calibra import _html
from calibra.errors import invalid_argument

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes

    from calibra.agreement import PairwiseResult, RatingsData
    from calibra.calibration import CalibrationResult
    from calibra.framework import Framework

__all__ = [
    "agreement_by_competency",
    "drift",
    "expectation_heatmap",
    "quadrant_profile",
    "ratee_profile",
    "rater_heatmap",
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

#: Colours of a score below its expectation, and at or above it (ratee profile).
BELOW_COLOUR = "#c0392b"
AT_OR_ABOVE_COLOUR = "#2e7d32"

#: Colours of self ratings above the manager's, and the rest.
SELF_HIGHER_COLOUR = "#c0392b"
SELF_NOT_HIGHER_COLOUR = "#2874a6"

#: Colours of the agreement bars: anchors to rewrite, anchors kept.
REWRITE_COLOUR = "#e6550d"
KEPT_COLOUR = "#6baed6"


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
    their confidence intervals, from the ``raters`` section, each severity
    written beside its interval.  Raters flagged harsh or lenient are
    coloured, as the legend says; raters in different network components
    are not on one scale, which the labels say, numbering the components
    as the table's ``component`` column does (0 is the largest)."""
    from matplotlib.lines import Line2D

    raters = _table(source, "raters")
    _require(raters, ["rater", "severity", "ci_low", "ci_high"], "rater_severity")
    raters = raters.dropna(subset=["severity"])
    if sort:
        raters = raters.sort_values("severity", kind="stable")
    raters = raters.reset_index(drop=True)
    ax = _axes(ax, (7, 0.35 * len(raters) + 2))
    y = np.arange(len(raters))
    flags = raters["flags"] if "flags" in raters.columns else pd.Series([[]] * len(raters))
    kinds = []
    for f in flags:
        f = list(f) if isinstance(f, (list, tuple, np.ndarray)) else []
        kinds.append("harsh" if "harsh" in f else "lenient" if "lenient" in f else "")
    colours = [SEVERITY_COLOURS[k] for k in kinds]
    severity = raters["severity"].to_numpy(dtype=float)
    low = raters["ci_low"].to_numpy(dtype=float)
    high = raters["ci_high"].to_numpy(dtype=float)
    ax.hlines(y, low, high, colors=colours, linewidth=2)
    ax.scatter(severity, y, c=colours, zorder=3, s=25)
    for row in range(len(raters)):
        right = high[row] if np.isfinite(high[row]) else severity[row]
        ax.annotate(f"{severity[row]:+.2f}", xy=(right, row), xytext=(4, 0), textcoords="offset points",
                    va="center", fontsize=8, color=colours[row])
    ax.axvline(0, color="#888888", linewidth=1, linestyle=":")
    labels = [str(r) for r in raters["rater"]]
    if "component" in raters.columns and raters["component"].nunique() > 1:
        labels = [f"{r} (component {int(c)})" for r, c in zip(labels, raters["component"])]
    ax.set_yticks(y, labels=labels)
    ax.margins(x=0.15)
    ax.set_xlabel("severity (levels): lenient < 0 < harsh")
    names = {"harsh": "flagged harsh", "lenient": "flagged lenient", "": "not flagged"}
    counts = {k: kinds.count(k) for k in ("harsh", "lenient", "")}
    ax.legend(
        handles=[Line2D([], [], color=SEVERITY_COLOURS[k], marker="o", linewidth=2, label=f"{names[k]} ({n})")
                 for k, n in counts.items() if n],
        loc="upper center", bbox_to_anchor=(0.5, -0.12 - 0.4 / max(len(raters), 1)), ncol=3, fontsize=8,
        frameon=False,
    )
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
    ax = _axes(ax, (8, 0.4 * len(ids) + 2))
    y = np.arange(len(ids))
    quadrants = [competencies["quadrant"][i] for i in order]
    ax.barh(y, expected, color=[QUADRANT_COLOURS.get(q, "#999") for q in quadrants], alpha=0.3)
    for row, value in enumerate(expected):
        ax.text(0.6, row, f"{value:g}", va="center", fontsize=8, color="#333333")
    if {"ci_low", "ci_high"} <= set(by_id.columns):
        low = np.array([float(by_id["ci_low"].get(c, np.nan)) for c in ids])
        high = np.array([float(by_id["ci_high"].get(c, np.nan)) for c in ids])
        ax.hlines(y, low, high, color="#333333", linewidth=1.5)
    below = score < expected
    colours = np.where(below, BELOW_COLOUR, AT_OR_ABOVE_COLOUR)
    ax.scatter(score, y, c=colours, zorder=3)
    for row in range(len(ids)):
        if np.isfinite(score[row]):
            ax.annotate(f"{score[row]:.2f}", xy=(score[row], row), xytext=(0, 6), textcoords="offset points",
                        ha="center", fontsize=8, color=colours[row])
    ax.set_yticks(y, labels=[competencies["name"][i] for i in order])
    ax.invert_yaxis()
    levels = framework.level_labels
    ax.set_xticks(range(1, len(levels) + 1), labels=[f"{i + 1}\n{label}" for i, label in enumerate(levels)])
    ax.set_xlim(0.5, len(levels) + 0.5)
    _profile_legend(ax, quadrants, target, int(below.sum()), int((score >= expected).sum()))
    ax.set_title(f"Scores of {ratee} against the expectations of {title_level}" if ratee
                 else f"Scores against the expectations of {title_level}")
    return ax


def _profile_legend(ax: Axes, quadrants: list[str], target: str, below: int, meeting: int) -> None:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles: list[Artist] = [
        Patch(facecolor=QUADRANT_COLOURS.get(q, "#999"), alpha=0.3, label=f"expected at {target}: {q}")
        for q in dict.fromkeys(quadrants)
    ]
    handles += [
        Line2D([], [], color=BELOW_COLOUR, marker="o", linestyle="", label=f"score below expectation ({below})"),
        Line2D([], [], color=AT_OR_ABOVE_COLOUR, marker="o", linestyle="",
               label=f"score at or above expectation ({meeting})"),
    ]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=2, fontsize=8, frameon=False)


def drift(source: Table, ax: Axes | None = None, *, x: str = "period", y: str = "severity",
          group: str = "rater") -> Axes:
    """One line per rater over the periods: how each rater's severity moves
    (the ``drift`` section's ``severities``, or any table with the columns
    period, severity and rater; ``x=``, ``y=``, ``group=`` rename them).
    From a report, each rater's legend entry gives the change the drift
    analysis measured between the first and last period, and the raters it
    flagged are drawn thicker and marked "drifts"."""
    table = _table(source, "drift")
    change: dict[str, float] = {}
    flagged: set[str] = set()
    if not isinstance(source, pd.DataFrame):
        raters = source.frame("drift", "raters")
        if "flagged" in raters.columns:
            flagged = set(raters.loc[raters["flagged"].fillna(False).astype(bool), "rater"])
        if "change" in raters.columns:
            change = {str(r): float(c) for r, c in zip(raters["rater"], raters["change"]) if pd.notna(c)}
    _require(table, [x, y, group], "drift")
    periods = list(dict.fromkeys(table[x]))
    ax = _axes(ax, (7, 4))
    for name, rows in table.groupby(group, sort=False):
        positions = [periods.index(p) for p in rows[x]]
        notes = (["drifts"] if name in flagged else []) + (
            [f"change {change[str(name)]:+.2f}"] if str(name) in change else [])
        label = f"{name} ({', '.join(notes)})" if notes else str(name)
        ax.plot(positions, rows[y].to_numpy(dtype=float), marker="o", label=label,
                linewidth=3 if name in flagged else 1.2)
    ax.axhline(0, color="#888888", linewidth=1, linestyle=":")
    ax.set_xticks(range(len(periods)), labels=[str(p) for p in periods])
    ax.set_ylabel(y)
    ax.legend(title=group, fontsize=8, ncol=2)
    ax.set_title(_sentence(f"{y} of each {group} by {x}"))
    return ax


def agreement_by_competency(
    source: Table,
    ax: Axes | None = None,
    *,
    value: str | None = None,
    max_divergent_share: float | None = None,
    min_within_one: float | None = None,
) -> Axes:
    """Agreement per competency (bars, the value written at the end of each)
    with its interval.

    From a report: the ``competencies`` section, Krippendorff's ordinal
    alpha.  The competencies whose anchors need rewriting are orange; that
    rule reads two other numbers, which the chart writes at the right of
    each bar: the share of rater pairs more than one level apart and the
    share within one level (after removing rater severity when the report
    did), and the legend states the rule with the report's thresholds.

    From a DataFrame: columns competency and ``value`` (default "value", else
    "alpha"), with ci_low/ci_high or <value>_ci_low/<value>_ci_high when
    present; with a ``needs_rewrite`` column the rewrite colouring and its
    numbers as above (the adjusted shares when the table has them;
    ``max_divergent_share=`` and ``min_within_one=`` give the thresholds for
    the legend)."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    table = _table(source, "competencies")
    # A table of a report with severity-adjusted shares: the rule read those.
    adjusted = "adjusted_pair_divergent_share" in table.columns
    if not isinstance(source, pd.DataFrame):
        info = source.info("competencies")
        adjusted = bool(info.get("severity_adjusted", False))
        max_divergent_share = info.get("max_divergent_share", max_divergent_share)
        min_within_one = info.get("min_within_one", min_within_one)
    if value is None:
        value = "value" if "value" in table.columns else "alpha"
    _require(table, ["competency", value], "agreement_by_competency")
    table = table.dropna(subset=[value]).reset_index(drop=True)
    ax = _axes(ax, (9, 0.4 * len(table) + 2))
    y = np.arange(len(table))
    values = table[value].to_numpy(dtype=float)
    rewrite = table["needs_rewrite"].fillna(False).to_numpy(dtype=bool) if "needs_rewrite" in table else None
    colours = np.where(rewrite, REWRITE_COLOUR, KEPT_COLOUR) if rewrite is not None else KEPT_COLOUR
    ax.barh(y, values, color=colours)
    interval = None
    for low_name, high_name in [(f"{value}_ci_low", f"{value}_ci_high"), ("ci_low", "ci_high")]:
        if {low_name, high_name} <= set(table.columns):
            low = table[low_name].to_numpy(dtype=float)
            high = table[high_name].to_numpy(dtype=float)
            ax.errorbar(values, y, xerr=np.vstack([values - low, high - values]), fmt="none", ecolor="#333333",
                        capsize=3)
            interval = high
            break
    for row, v in enumerate(values):
        end = max(v, interval[row]) if interval is not None and np.isfinite(interval[row]) else v
        ax.annotate(f"{v:.2f}", xy=(end, row), xytext=(4, 0), textcoords="offset points", va="center", fontsize=8)
    ax.set_yticks(y, labels=[str(c) for c in table["competency"]])
    ax.invert_yaxis()
    ax.margins(x=0.12)
    name = "Krippendorff's alpha (ordinal)" if value == "alpha" else value
    ax.set_xlabel(name)
    handles: list[Artist] = []
    rule = None
    if rewrite is not None:
        prefix = "adjusted_" if adjusted else ""
        share_column = next((c for c in (f"{prefix}pair_divergent_share", "pair_divergent_share")
                             if c in table.columns), None)
        within_column = next((c for c in (f"{prefix}within_one", "within_one") if c in table.columns), None)
        if share_column is not None or within_column is not None:
            ax.annotate("pairs > 1 level apart | within one level", xy=(1.02, 1.0), xycoords="axes fraction",
                        fontsize=8, color="#333333", va="bottom")
            for row in range(len(table)):
                share = table[share_column].iloc[row] if share_column else np.nan
                within = table[within_column].iloc[row] if within_column else np.nan
                ax.annotate(f"{_percent(share)} | {_percent(within)}", xy=(1.02, row),
                            xycoords=("axes fraction", "data"),
                            va="center", fontsize=8, color=REWRITE_COLOUR if rewrite[row] else "#333333")
        if max_divergent_share is not None and min_within_one is not None:
            rule = (f"rewrite when over {max_divergent_share:.0%} of rater pairs are more than one level apart "
                    f"or under {min_within_one:.0%} within one level" + (", after removing rater severity"
                                                                          if adjusted else ""))
        handles += [Patch(color=REWRITE_COLOUR, label=f"anchors to rewrite ({int(rewrite.sum())})"),
                    Patch(color=KEPT_COLOUR, label=f"anchors kept ({int((~rewrite).sum())})")]
    else:
        handles.append(Patch(color=KEPT_COLOUR, label=name))
    if interval is not None:
        handles.append(Line2D([], [], color="#333333", marker="|", label="confidence interval"))
    legend = ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.1 - 0.5 / max(len(table), 1)),
                       ncol=3, fontsize=8, frameon=False, title=rule, title_fontsize=8)
    legend.set_in_layout(True)
    ax.set_title("Agreement per competency")
    return ax


def _percent(value: object) -> str:
    number = float(value) if isinstance(value, (int, float, np.floating, np.integer)) else float("nan")
    return "n/a" if not np.isfinite(number) else f"{number:.0%}"


def _sentence(text: str) -> str:
    """A title in sentence case: the first letter upper case, the rest as given."""
    return text[:1].upper() + text[1:]


def self_vs_manager(
    source: Table, ax: Axes | None = None, *, x: str = "comparison_level", y: str = "self_level"
) -> Axes:
    """Self ratings (y) against the manager's (x), one point per ratee and
    competency, jittered; on the diagonal they agree, above it the ratee
    rates themself higher (red), which the legend counts.  From a report:
    the ``self_vs_manager`` gaps."""
    from matplotlib.lines import Line2D

    table = _table(source, "self_vs_manager")
    _require(table, [x, y], "self_vs_manager")
    table = table.dropna(subset=[x, y])
    ax = _axes(ax, (5.5, 6))
    xs = table[x].to_numpy(dtype=float)
    ys = table[y].to_numpy(dtype=float)
    jitter = np.random.default_rng(0).uniform(-0.12, 0.12, size=(2, len(xs)))
    ax.scatter(xs + jitter[0], ys + jitter[1], alpha=0.4, s=16,
               c=np.where(ys > xs, SELF_HIGHER_COLOUR, SELF_NOT_HIGHER_COLOUR))
    both = np.concatenate([xs, ys])
    low = float(np.nanmin(both)) if len(both) else 1.0
    high = float(np.nanmax(both)) if len(both) else 5.0
    ax.plot([low - 0.5, high + 0.5], [low - 0.5, high + 0.5], color="#888888", linestyle=":")
    ax.set_xlabel("manager level" if x == "comparison_level" else x)
    ax.set_ylabel("self level" if y == "self_level" else y)
    ax.set_aspect("equal")
    above = int((ys > xs).sum())
    mean_gap = float(np.mean(ys - xs)) if len(xs) else float("nan")
    ax.legend(
        handles=[
            Line2D([], [], color=SELF_HIGHER_COLOUR, marker="o", linestyle="", label=f"self higher ({above})"),
            Line2D([], [], color=SELF_NOT_HIGHER_COLOUR, marker="o", linestyle="",
                   label=f"self equal or lower ({len(xs) - above})"),
            Line2D([], [], color="#888888", linestyle=":", label="same level"),
        ],
        loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2, fontsize=8, frameon=False,
        title=f"mean self minus manager: {mean_gap:+.2f} levels" if len(xs) else None, title_fontsize=8,
    )
    ax.set_title(f"Self against manager: {above} of {len(xs)} self ratings higher")
    return ax


# ---------------------------------------------------------------------------
# Agreement

#: How the heatmap names a statistic (its colour bar label and title).
STATISTIC_NAMES = {
    "percent": "Percent agreement",
    "within": "Agreement within tolerance",
    "cohen": "Cohen's kappa",
    "scott": "Scott's pi",
    "fleiss": "Fleiss' kappa",
    "conger": "Conger's kappa",
    "light": "Light's kappa",
    "krippendorff": "Krippendorff's alpha",
    "gwet": "Gwet's AC",
    "brennan-prediger": "Brennan-Prediger coefficient",
    "unanimous": "Unanimous agreement",
}


def rater_heatmap(
    source: PairwiseResult | RatingsData,
    stat: str = "cohen",
    ax: Axes | None = None,
    *,
    annotate: bool = True,
    cmap: str = "YlGnBu",
    **pairwise_options: Any,
) -> Axes:
    """Agreement of every pair of raters as a rater x rater heatmap, each cell
    coloured by the pair's value and, with ``annotate``, showing it (two
    decimals; "n/a" where the pair has no value, as ``PairwiseResult.reasons``
    explains).  A colour bar gives the scale, from 1 down to 0 or to the
    lowest value below it.

    ``source`` is a ``calibra.pairwise()`` result, or ratings, which are
    passed to ``calibra.pairwise(source, stat, **pairwise_options)`` (columns
    and options as for agree()).  Returns the heatmap's Axes; the colour bar
    is ``ax.images[0].colorbar``."""
    from matplotlib import colormaps
    from matplotlib.colors import Normalize

    from calibra.agreement import PairwiseResult, pairwise

    result = source if isinstance(source, PairwiseResult) else pairwise(source, stat, **pairwise_options)
    values = result.value.to_numpy(dtype=float)
    raters = [str(r) for r in result.value.columns]
    finite = values[np.isfinite(values)]
    low = min(0.0, float(finite.min())) if finite.size else 0.0
    norm = Normalize(vmin=low, vmax=1.0)
    colours = colormaps[cmap].copy()
    colours.set_bad("#eeeeee")
    ax = _axes(ax, (0.7 * len(raters) + 3, 0.6 * len(raters) + 2))
    # NaN cells (the diagonal, pairs without a value) take the colour map's "bad" colour.
    image = ax.imshow(values, cmap=colours, norm=norm)
    name = STATISTIC_NAMES.get(result.statistic, result.statistic)
    options = result.options
    detail = []
    if options.get("weights") not in (None, "identity") and result.statistic in STATISTIC_NAMES:
        detail.append(f"{options['weights']} weights")
    if result.statistic == "krippendorff" and options.get("level"):
        detail.append(str(options["level"]))
    label = f"{name} ({', '.join(detail)})" if detail else name
    ax.figure.colorbar(image, ax=ax, label=label, shrink=0.8)
    ax.set_xticks(range(len(raters)), labels=raters, rotation=30, ha="right")
    ax.set_yticks(range(len(raters)), labels=raters)
    ax.tick_params(length=0)
    if annotate:
        for i in range(len(raters)):
            for j in range(len(raters)):
                if i == j:
                    continue
                v = values[i, j]
                if np.isfinite(v):
                    dark = norm(v) > 0.6
                    ax.text(j, i, f"{v:.2f}", ha="center", va="center", fontsize=9,
                            color="white" if dark else "#222222")
                else:
                    ax.text(j, i, "n/a", ha="center", va="center", fontsize=8, color="#666666")
    ax.set_title(f"{label} between pairs of raters")
    return ax
