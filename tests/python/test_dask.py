"""calibra.dask against the single-pass result, on a distributed LocalCluster
(one in-process worker with one thread, to stay light on a shared machine)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import calibra

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")
calibra_dask = pytest.importorskip("calibra.dask")

# Debian's distributed 2022.12 with tornado 6.2 and Python 3.11 warns about
# its own event-loop handling; those warnings are not calibra's.
pytestmark = [
    pytest.mark.filterwarnings("ignore::DeprecationWarning:tornado.*"),
    pytest.mark.filterwarnings("ignore::DeprecationWarning:distributed.*"),
    pytest.mark.filterwarnings("ignore:make_current is deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:There is no current event loop:DeprecationWarning"),
]


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None, silence_logs=50
    )
    with distributed.Client(cluster) as c:
        yield c
    cluster.close()


def wide_frame(seed: int = 1, units: int = 400, raters: int = 5) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    truth = rng.integers(1, 6, size=units)
    ratings = np.clip(truth[:, None] + rng.integers(-1, 2, size=(units, raters)), 1, 5).astype(float)
    ratings[rng.random(ratings.shape) < 0.2] = np.nan
    return pd.DataFrame(ratings, columns=[f"mgr{j}" for j in range(raters)])


def long_frame(seed: int = 2) -> pd.DataFrame:
    wide = wide_frame(seed, units=300)
    wide["ratee"] = [f"pm{u // 3:03d}" for u in range(len(wide))]
    wide["competency"] = [["discovery", "delivery", "strategy"][u % 3] for u in range(len(wide))]
    long = wide.melt(id_vars=["ratee", "competency"], var_name="rater", value_name="level").dropna()
    # Shuffled so that the ratings of a unit start out in different partitions.
    return long.sample(frac=1.0, random_state=4).reset_index(drop=True)


def assert_same(distributed_result: calibra.AgreementResult, single: calibra.AgreementResult) -> None:
    a, b = distributed_result.to_dict(), single.to_dict()
    for key in ["value", "se", "ci_low", "ci_high", "observed", "chance"]:
        assert (a[key] is None) == (b[key] is None), key
        if b[key] is not None:
            assert a[key] == pytest.approx(b[key], rel=1e-10, abs=1e-12), key
    for key in ["statistic", "n_units", "n_raters", "options", "ci_method"]:
        assert a[key] == b[key], key


@pytest.mark.parametrize(
    "stat, options",
    [
        ("fleiss", {}),
        ("gwet", {"weights": "quadratic"}),
        ("percent", {}),
        ("within", {"tolerance": 1}),
        ("brennan-prediger", {"categories": [1, 2, 3, 4, 5, 6]}),
        ("krippendorff", {"level": "ordinal"}),
        ("krippendorff", {"level": "interval"}),
        ("icc", {"form": "ICC2"}),
        ("fleiss", {"missing": "listwise"}),
    ],
)
def test_wide_dask_frame_gives_the_single_pass_result(client, stat, options):
    frame = wide_frame()
    ddf = dd.from_pandas(frame, npartitions=7)
    assert_same(calibra_dask.agree(ddf, stat, **options), calibra.agree(frame, stat, **options))


@pytest.mark.parametrize("stat, options", [("fleiss", {}), ("krippendorff", {"level": "ordinal"}), ("icc", {})])
def test_long_dask_frame_is_shuffled_by_unit(client, stat, options):
    long = long_frame()
    ddf = dd.from_pandas(long, npartitions=5)
    assert_same(calibra_dask.agree(ddf, stat, **options), calibra.agree(long, stat, **options))


def test_two_raters_and_level_names(client):
    fw = calibra.builtin_framework()
    frame = wide_frame(5, raters=2)
    names = frame.apply(lambda column: column.map(lambda x: None if np.isnan(x) else fw.level_ids[int(x) - 1]))
    ddf = dd.from_pandas(names, npartitions=4)
    for stat in ["cohen", "scott"]:
        assert_same(calibra_dask.agree(ddf, stat, framework=fw), calibra.agree(frame, stat))


def test_example_data_across_partitions(client):
    from conftest import REPO

    ratings = pd.read_csv(REPO / "data" / "examples" / "ratings.csv")
    managers = ratings[ratings["role"] != "self"].reset_index(drop=True)
    fw = calibra.builtin_framework()
    ddf = dd.from_pandas(managers, npartitions=6)
    single = calibra.agree(managers, "gwet", weights="ordinal", framework=fw)
    assert_same(calibra_dask.agree(ddf, "gwet", weights="ordinal", framework=fw), single)


def test_statistics_without_a_summary_are_refused(client):
    ddf = dd.from_pandas(wide_frame(), npartitions=2)
    with pytest.raises(calibra.InvalidArgument, match="light has no mergeable summary"):
        calibra_dask.agree(ddf, "light")
