"""calibra.plot: the artists each plot draws (counts, labels), not pixels."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import calibra  # noqa: E402
from calibra import plot  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def fw():
    return calibra.builtin_framework()


def test_expectation_heatmap_cells_labels_and_quadrant_lines(fw, builtin_document):
    ax = plot.expectation_heatmap(fw)
    n_competencies = len(builtin_document["competencies"])
    n_levels = len(builtin_document["career_levels"])
    assert len(ax.images) == 1
    assert ax.images[0].get_array().shape == (n_competencies, n_levels)
    assert [t.get_text() for t in ax.get_xticklabels()] == [c["name"] for c in builtin_document["career_levels"]]
    assert len(ax.get_yticklabels()) == n_competencies
    # One number per cell, each the expected ordinal of that cell, plus one
    # label beside each of the four quadrant blocks.
    texts = [t.get_text() for t in ax.texts]
    cells = [t for t in texts if t.isdigit()]
    assert len(cells) == n_competencies * n_levels
    assert set(cells) <= {str(i) for i in range(1, 6)}
    assert sorted(t for t in texts if not t.isdigit()) == sorted(plot.QUADRANT_COLOURS)
    image = ax.images[0].get_array()
    assert sorted(int(c) for c in cells) == sorted(int(v) for v in np.asarray(image).ravel())
    # Three separators between the four quadrant blocks.
    assert len(ax.lines) == 3
    legend = ax.get_legend()
    assert [t.get_text() for t in legend.get_texts()] == [
        "1 Foundational", "2 Developing", "3 Proficient", "4 Advanced", "5 Expert"
    ]


def test_expectation_heatmap_groups_rows_by_quadrant(fw):
    ax = plot.expectation_heatmap(fw, annotate=False)
    assert all(not t.get_text().isdigit() for t in ax.texts)
    names = [t.get_text() for t in ax.get_yticklabels()]
    competencies = fw.competencies.set_index("name")
    quadrants = [competencies.at[n, "quadrant"] for n in names]
    # Each quadrant occupies one contiguous block of rows.
    blocks = [q for i, q in enumerate(quadrants) if i == 0 or q != quadrants[i - 1]]
    assert len(blocks) == len(set(blocks)) == 4


def test_quadrant_profile_one_line_per_quadrant(fw):
    fig, ax = plt.subplots()
    returned = plot.quadrant_profile(fw, ax=ax)
    assert returned is ax
    assert len(ax.lines) == 4
    profile = fw.quadrant_profile()
    for line in ax.lines:
        quadrant = line.get_label()
        np.testing.assert_allclose(line.get_ydata(), profile[quadrant].to_numpy())
        assert len(line.get_xdata()) == len(fw.career_level_ids)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == list(profile.columns)


def severity_table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "rater": ["mgr1", "mgr2", "mgr3", "mgr4"],
            "severity": [0.8, -0.6, 0.1, np.nan],
            "ci_low": [0.5, -0.9, -0.2, np.nan],
            "ci_high": [1.1, -0.3, 0.4, np.nan],
            "component": [0, 0, 0, 0],
            "flags": [["harsh"], ["lenient"], [], []],
        }
    )


def test_rater_severity_forest_plot():
    ax = plot.rater_severity(severity_table())
    # Raters without a severity are left out; the rest sorted by severity.
    assert [t.get_text() for t in ax.get_yticklabels()] == ["mgr2", "mgr3", "mgr1"]
    points = ax.collections[-1].get_offsets()
    np.testing.assert_allclose(points[:, 0], [-0.6, 0.1, 0.8])
    intervals = ax.collections[0].get_segments()
    np.testing.assert_allclose([s[:, 0] for s in intervals], [[-0.9, -0.3], [-0.2, 0.4], [0.5, 1.1]])
    colours = ax.collections[-1].get_facecolors()
    assert tuple(colours[0][:3]) == pytest.approx(matplotlib.colors.to_rgb(plot.SEVERITY_COLOURS["lenient"]))
    assert tuple(colours[2][:3]) == pytest.approx(matplotlib.colors.to_rgb(plot.SEVERITY_COLOURS["harsh"]))


def test_rater_severity_names_components_when_the_network_is_split():
    table = severity_table().assign(component=[0, 1, 0, 1])
    ax = plot.rater_severity(table, sort=False)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["mgr1 (component 1)", "mgr2 (component 2)",
                                                          "mgr3 (component 1)"]


def test_ratee_profile_against_expectations(fw):
    ids = fw.competency_ids
    scores = pd.DataFrame({"ratee": "pm07", "competency": ids, "score": np.linspace(1.5, 4.5, len(ids))})
    ax = plot.ratee_profile(scores, "pm07", fw, target="senior-pm")
    bars = ax.patches
    assert len(bars) == len(ids)
    expected = fw.expectations.loc["senior-pm"]
    names = [t.get_text() for t in ax.get_yticklabels()]
    by_name = fw.competencies.set_index("name")["id"]
    assert [b.get_width() for b in bars] == [expected[by_name[n]] for n in names]
    assert len(ax.collections[-1].get_offsets()) == len(ids)


def test_drift_lines_one_per_rater():
    table = pd.DataFrame(
        {
            "rater": ["a", "a", "a", "b", "b", "b"],
            "period": ["2026Q1", "2026Q2", "2026Q3"] * 2,
            "severity": [0.1, 0.3, 0.6, -0.2, -0.2, -0.1],
        }
    )
    ax = plot.drift(table)
    lines = [line for line in ax.lines if line.get_label() in {"a", "b"}]
    assert len(lines) == 2
    np.testing.assert_allclose(lines[0].get_ydata(), [0.1, 0.3, 0.6])
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2026Q1", "2026Q2", "2026Q3"]


def test_agreement_by_competency_bars_and_intervals():
    table = pd.DataFrame(
        {"competency": ["x", "y", "z"], "value": [0.6, 0.3, None], "ci_low": [0.5, 0.1, None], "ci_high": [0.7, 0.5, None]}
    )
    ax = plot.agreement_by_competency(table)
    assert [b.get_width() for b in ax.patches] == pytest.approx([0.6, 0.3])
    assert [t.get_text() for t in ax.get_yticklabels()] == ["x", "y"]


def test_self_vs_manager_scatter():
    table = pd.DataFrame({"self_level": [3, 4, 2, np.nan], "comparison_level": [3, 3, 3, 2]})
    ax = plot.self_vs_manager(table)
    assert len(ax.collections[0].get_offsets()) == 3
    assert ax.get_xlabel() == "manager level" and ax.get_ylabel() == "self level"
    assert ax.get_title() == "Self against manager: 1 of 3 self ratings higher"


def test_plots_name_missing_columns():
    with pytest.raises(calibra.InvalidArgument, match="rater_severity needs the columns rater, severity"):
        plot.rater_severity(pd.DataFrame({"rater": ["a"]}))
    with pytest.raises(calibra.InvalidArgument, match="expected a calibra.CalibrationResult or a DataFrame"):
        plot.drift([1, 2, 3])  # type: ignore[arg-type]


# ---- from a calibration report of the bundled example, whose effects were planted
# (data/examples/README.md): mgr1 lenient by one level, mgr2 drifting harsher,
# PMs rating themselves about half a level above their managers.


@pytest.fixture(scope="module")
def report():
    return calibra.calibrate()


def test_severity_plot_of_the_example_shows_the_lenient_manager(report):
    ax = plot.rater_severity(report)
    labels = [t.get_text().split(" ")[0] for t in ax.get_yticklabels()]
    assert sorted(labels) == ["mgr1", "mgr2", "mgr3", "mgr4", "mgr5", "mgr6"]
    colours = ax.collections[-1].get_facecolors()
    lenient = matplotlib.colors.to_rgb(plot.SEVERITY_COLOURS["lenient"])
    assert tuple(colours[labels.index("mgr1")][:3]) == pytest.approx(lenient)
    # The example's network has two components, which the labels say.
    assert any("component 2" in t.get_text() for t in ax.get_yticklabels())


def test_drift_plot_of_the_example(report):
    ax = plot.drift(report)
    lines = [line for line in ax.lines if line.get_label().startswith("mgr")]
    assert len(lines) == 6 and all(len(line.get_xdata()) == 4 for line in lines)
    assert "mgr2 (drifts)" in [line.get_label() for line in lines]


def test_agreement_per_competency_of_the_example(report, fw):
    ax = plot.agreement_by_competency(report)
    assert len(ax.patches) == len(fw.competency_ids)
    table = report.competencies
    np.testing.assert_allclose([b.get_width() for b in ax.patches], table["alpha"].to_numpy(dtype=float))


def test_self_vs_manager_of_the_example(report):
    ax = plot.self_vs_manager(report)
    gaps = report.self_vs_manager.dropna(subset=["self_level", "comparison_level"])
    assert len(ax.collections[0].get_offsets()) == len(gaps)
    higher = int((gaps["self_level"] > gaps["comparison_level"]).sum())
    assert ax.get_title() == f"Self against manager: {higher} of {len(gaps)} self ratings higher"


def test_ratee_profile_of_the_example(report, fw):
    ax = plot.ratee_profile(report, "pm07")
    row = report.ratees.set_index("ratee").loc["pm07"]
    target = row["promotion_target"] or row["career_level"]
    names = [t.get_text() for t in ax.get_yticklabels()]
    ids = fw.competencies.set_index("name").loc[names, "id"]
    assert [b.get_width() for b in ax.patches] == list(fw.expectations.loc[target, ids])
    assert len(ax.collections[-1].get_offsets()) == len(ids)
    with pytest.raises(calibra.InvalidArgument, match="'nobody' is not in the report"):
        plot.ratee_profile(report, "nobody")
