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


def test_rater_severity_names_components_as_the_table_numbers_them():
    table = severity_table().assign(component=[0, 1, 0, 1])
    ax = plot.rater_severity(table, sort=False)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["mgr1 (component 0)", "mgr2 (component 1)",
                                                          "mgr3 (component 0)"]


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
    # The example's network has two components, which the labels say, with
    # the numbers of the raters table.
    components = report.raters.set_index("rater")["component"]
    for tick in ax.get_yticklabels():
        rater, _, rest = tick.get_text().partition(" ")
        assert rest == f"(component {components[rater]})"
    assert set(components) == {0, 1}


def test_drift_plot_of_the_example(report):
    ax = plot.drift(report)
    lines = [line for line in ax.lines if line.get_label().startswith("mgr")]
    assert len(lines) == 6 and all(len(line.get_xdata()) == 4 for line in lines)
    # The flagged rater is marked, and every rater carries the change the
    # drift table measured.
    changes = report.frame("drift", "raters").set_index("rater")["change"]
    labels = {line.get_label().split(" ")[0]: line.get_label() for line in lines}
    assert labels["mgr2"] == f"mgr2 (drifts, change {changes['mgr2']:+.2f})"
    assert labels["mgr1"] == f"mgr1 (change {changes['mgr1']:+.2f})"


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


# ---- the numbers behind the colours ------------------------------------------------


def test_severity_plot_writes_each_severity_and_has_a_legend_of_its_colours():
    ax = plot.rater_severity(severity_table())
    assert sorted(t.get_text() for t in ax.texts) == sorted(["+0.80", "-0.60", "+0.10"])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "flagged harsh (1)", "flagged lenient (1)", "not flagged (1)"]


def test_anchor_chart_shows_the_numbers_the_rewrite_colour_is_decided_on(report):
    ax = plot.agreement_by_competency(report)
    table = report.competencies
    info = report.info("competencies")
    assert info["severity_adjusted"]
    texts = [t.get_text() for t in ax.texts]
    # alpha at each bar, then the two shares the rewrite rule reads.
    for _, row in table.iterrows():
        assert f"{row['alpha']:.2f}" in texts
        assert f"{row['adjusted_pair_divergent_share']:.0%} | {row['adjusted_within_one']:.0%}" in texts
    flagged = table[table["needs_rewrite"]]
    assert list(flagged["competency"]) == ["business-outcome-ownership"]
    # The flagged competency breaks the rule on the numbers shown.
    row = flagged.iloc[0]
    assert (row["adjusted_pair_divergent_share"] > info["max_divergent_share"]
            or row["adjusted_within_one"] < info["min_within_one"])
    bars = ax.patches
    orange = matplotlib.colors.to_rgba(plot.REWRITE_COLOUR)
    assert [tuple(b.get_facecolor()) == orange for b in bars] == list(table["needs_rewrite"])
    legend = ax.get_legend()
    assert [t.get_text() for t in legend.get_texts()] == ["anchors to rewrite (1)", "anchors kept (11)",
                                                          "confidence interval"]
    assert legend.get_title().get_text() == (
        "rewrite when over 10% of rater pairs are more than one level apart or under 90% within one level, "
        "after removing rater severity")


def test_self_vs_manager_legend_counts_its_colours():
    table = pd.DataFrame({"self_level": [3, 4, 2, np.nan], "comparison_level": [3, 3, 3, 2]})
    ax = plot.self_vs_manager(table)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "self higher (1)", "self equal or lower (2)", "same level"]
    assert ax.get_legend().get_title().get_text() == "mean self minus manager: +0.00 levels"


def test_ratee_profile_writes_scores_and_expectations(fw):
    ids = fw.competency_ids
    scores = pd.DataFrame({"competency": ids, "score": np.linspace(1.5, 4.5, len(ids))})
    ax = plot.ratee_profile(scores, framework=fw, target="pm")
    texts = [t.get_text() for t in ax.texts]
    expected = fw.expectations.loc["pm"]
    below = int((scores.set_index("competency")["score"] < expected).sum())
    assert sorted(f"{v:.2f}" for v in scores["score"]) == sorted(t for t in texts if "." in t)
    assert sorted(t for t in texts if "." not in t) == sorted(str(v) for v in expected)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert f"score below expectation ({below})" in labels
    assert f"score at or above expectation ({len(ids) - below})" in labels


# ---- the rater x rater heatmap ------------------------------------------------------


def test_rater_heatmap_cells_are_the_pairwise_kappas_of_sklearn():
    from sklearn.metrics import cohen_kappa_score

    rng = np.random.default_rng(3)
    truth = rng.integers(1, 5, size=60)
    ratings = pd.DataFrame({name: np.clip(truth + rng.integers(-1, 2, size=60) * (rng.random(60) < p), 1, 4)
                            for name, p in [("ana", 0.2), ("ben", 0.4), ("cy", 0.7)]}).astype(float)
    ax = plot.rater_heatmap(ratings, "cohen")
    raters = list(ratings.columns)
    assert [t.get_text() for t in ax.get_xticklabels()] == raters
    cells = {(int(round(t.get_position()[1])), int(round(t.get_position()[0]))): t.get_text() for t in ax.texts}
    assert len(cells) == 6  # every ordered pair, not the diagonal
    for (i, j), text in cells.items():
        assert text == f"{cohen_kappa_score(ratings[raters[i]], ratings[raters[j]]):.2f}"
    colorbar = ax.images[0].colorbar
    assert colorbar is not None and colorbar.ax.get_ylabel() == "Cohen's kappa"
    assert ax.get_title() == "Cohen's kappa between pairs of raters"


def test_rater_heatmap_of_a_pairwise_result_marks_pairs_without_a_value():
    ratings = np.array([[1, 1, np.nan], [2, 2, np.nan], [1, 2, 3], [2, 1, 3]], dtype=float)
    result = calibra.pairwise(ratings, "percent")
    ax = plot.rater_heatmap(result)
    texts = sorted(t.get_text() for t in ax.texts)
    assert texts.count("n/a") == 2 * len(result.reasons)
    assert "0.50" in texts
    assert ax.get_title() == "Percent agreement between pairs of raters"


# ---- every plot as an image: rendered, not blank, with a legend and a sentence-case title


def sentence_case(title: str, names: set[str]) -> bool:
    """First letter upper case; no other word capitalised unless it is a name
    (a framework, rater or statistic named in the data)."""
    words = title.replace(":", " ").split()
    if not words or not words[0][0].isupper():
        return False
    allowed = {w for name in names for w in name.split()}
    return all(not w[0].isupper() or w in allowed for w in words[1:])


def pairwise_ratings():
    return calibra.data.reference("irr_anxiety")


PLOTS = {
    "expectation_heatmap": lambda fw, report: plot.expectation_heatmap(fw),
    "quadrant_profile": lambda fw, report: plot.quadrant_profile(fw),
    "rater_severity": lambda fw, report: plot.rater_severity(report),
    "ratee_profile": lambda fw, report: plot.ratee_profile(report, "pm07"),
    "drift": lambda fw, report: plot.drift(report),
    "agreement_by_competency": lambda fw, report: plot.agreement_by_competency(report),
    "self_vs_manager": lambda fw, report: plot.self_vs_manager(report),
    "rater_heatmap": lambda fw, report: plot.rater_heatmap(pairwise_ratings(), "cohen"),
}


def test_every_plot_has_an_image_test():
    assert set(PLOTS) == set(plot.__all__)


@pytest.mark.parametrize("name", sorted(PLOTS))
def test_plot_renders_to_a_png_with_a_legend_and_a_sentence_case_title(name, fw, report, tmp_path):
    import matplotlib.image

    ax = PLOTS[name](fw, report)
    path = tmp_path / f"{name}.png"
    ax.figure.savefig(path, dpi=60)
    pixels = matplotlib.image.imread(path)[..., :3]
    assert pixels.shape[0] > 100 and pixels.shape[1] > 100
    assert pixels.std() > 0.05  # not a blank canvas
    assert (pixels.reshape(-1, 3).std(axis=1) > 0.1).mean() > 0.001  # some colour, not only black on white
    colorbar = ax.images[0].colorbar if ax.images else None
    assert ax.get_legend() is not None or colorbar is not None
    if ax.get_legend() is not None:
        assert [t.get_text() for t in ax.get_legend().get_texts()] and all(
            t.get_text() for t in ax.get_legend().get_texts())
    names = {fw.name, "Cohen's", "Krippendorff's"}
    assert sentence_case(ax.get_title(), names), ax.get_title()


def test_anchor_chart_of_a_table_shows_its_shares_and_the_given_rule():
    table = pd.DataFrame({"competency": ["x", "y"], "value": [0.7, 0.2], "needs_rewrite": [False, True],
                          "pair_divergent_share": [0.05, 0.25], "within_one": [0.95, 0.7]})
    ax = plot.agreement_by_competency(table, max_divergent_share=0.2, min_within_one=0.8)
    texts = [t.get_text() for t in ax.texts]
    assert "5% | 95%" in texts and "25% | 70%" in texts and "0.70" in texts and "0.20" in texts
    assert ax.get_legend().get_title().get_text() == (
        "rewrite when over 20% of rater pairs are more than one level apart or under 80% within one level")
    plain = plot.agreement_by_competency(table[["competency", "value"]])
    assert [t.get_text() for t in plain.get_legend().get_texts()] == ["value"]
