"""calibra.dask against calibra.agree on the same data as one pandas frame:
every statistic with a summary, wide and long, partitioned by unit or not.
The synchronous scheduler runs the same task graph in this process (a
LocalCluster is slow to start on a shared machine); one test runs on a
distributed LocalCluster."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import calibra

dask = pytest.importorskip("dask")
dd = pytest.importorskip("dask.dataframe")
calibra_dask = pytest.importorskip("calibra.dask")

# Debian's distributed 2022.12 with tornado 6.2 and Python 3.11 warns about
# its own event-loop handling; those warnings are not calibra's.
pytestmark = [
    pytest.mark.filterwarnings("ignore::DeprecationWarning:tornado.*"),
    pytest.mark.filterwarnings("ignore::DeprecationWarning:distributed.*"),
    pytest.mark.filterwarnings("ignore:make_current is deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:There is no current event loop:DeprecationWarning"),
]


@pytest.fixture(autouse=True)
def synchronous():
    with dask.config.set(scheduler="synchronous"):
        yield


def wide_frame(seed: int = 1, units: int = 400, raters: int = 5) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    truth = rng.integers(1, 6, size=units)
    ratings = np.clip(truth[:, None] + rng.integers(-1, 2, size=(units, raters)), 1, 5).astype(float)
    ratings[rng.random(ratings.shape) < 0.2] = np.nan
    return pd.DataFrame(ratings, columns=[f"mgr{j}" for j in range(raters)])


def long_frame(seed: int = 2, raters: int = 5) -> pd.DataFrame:
    wide = wide_frame(seed, units=300, raters=raters)
    wide["ratee"] = [f"pm{u // 3:03d}" for u in range(len(wide))]
    wide["competency"] = [["discovery", "delivery", "strategy"][u % 3] for u in range(len(wide))]
    long = wide.melt(id_vars=["ratee", "competency"], var_name="rater", value_name="level").dropna()
    # Shuffled so that the ratings of a unit start out in different partitions.
    return long.sample(frac=1.0, random_state=4).reset_index(drop=True)


def by_unit(long: pd.DataFrame, npartitions: int) -> dd.DataFrame:
    """Long ratings split by unit (whole units per partition), divisions unknown."""
    indexed = long.assign(unit=long["ratee"] + "/" + long["competency"]).set_index("unit").sort_index()
    return dd.from_pandas(indexed, npartitions=npartitions).reset_index().drop(columns="unit")


def assert_same(distributed_result: calibra.AgreementResult, single: calibra.AgreementResult) -> None:
    a, b = distributed_result.to_dict(), single.to_dict()
    for key in ["value", "se", "ci_low", "ci_high", "observed", "chance"]:
        assert (a[key] is None) == (b[key] is None), key
        if b[key] is not None:
            assert a[key] == pytest.approx(b[key], rel=1e-12, abs=1e-12), key
    for key in ["statistic", "n_units", "n_raters", "options", "ci_method"]:
        assert a[key] == b[key], key
    assert a["per_category"].keys() == b["per_category"].keys()
    for code, value in b["per_category"].items():
        assert a["per_category"][code] == pytest.approx(value, rel=1e-12, abs=1e-12)


MULTI_RATER = [
    ("percent", {}),
    ("unanimous", {}),
    ("within", {"tolerance": 1}),
    ("fleiss", {}),
    ("fleiss", {"category": 3}),
    ("fleiss", {"missing": "listwise"}),
    ("gwet", {"weights": "quadratic"}),
    ("brennan-prediger", {"categories": [1, 2, 3, 4, 5, 6]}),
    ("krippendorff", {"level": "nominal"}),
    ("krippendorff", {"level": "ordinal"}),
    ("krippendorff", {"level": "interval"}),
    ("krippendorff", {"level": "ratio", "missing": "listwise"}),
    ("icc", {"form": "ICC2"}),
    ("icc", {"form": "ICC3k"}),
]
TWO_RATER = [("cohen", {}), ("cohen", {"weights": "linear"}), ("scott", {}), ("krippendorff", {"level": "ordinal"})]


@pytest.mark.parametrize("stat, options", MULTI_RATER)
def test_wide_frame_gives_the_pandas_result(stat, options):
    frame = wide_frame()
    ddf = dd.from_pandas(frame, npartitions=7)
    assert_same(calibra_dask.agree(ddf, stat, **options), calibra.agree(frame, stat, **options))


@pytest.mark.parametrize("stat, options", MULTI_RATER)
def test_long_frame_shuffled_by_unit_gives_the_pandas_result(stat, options):
    long = long_frame()
    ddf = dd.from_pandas(long, npartitions=5)
    assert_same(calibra_dask.agree(ddf, stat, **options), calibra.agree(long, stat, **options))


@pytest.mark.parametrize("stat, options", MULTI_RATER)
def test_long_frame_partitioned_by_unit_gives_the_pandas_result(stat, options):
    long = long_frame()
    ddf = by_unit(long, 6)
    assert ddf.npartitions > 1
    assert_same(
        calibra_dask.agree(ddf, stat, partitioned_by_unit=True, **options), calibra.agree(long, stat, **options)
    )


def many_raters_frame(seed: int = 3) -> pd.DataFrame:
    """3 raters per unit out of 40, some ratings missing, one unit rated
    once by a rater seen nowhere else."""
    rng = np.random.default_rng(seed)
    units = 240
    truth = rng.integers(1, 6, size=units)
    rows = []
    for u in range(units):
        for rater in rng.choice(40, size=3, replace=False):
            level = float(np.clip(truth[u] + rng.integers(-1, 2), 1, 5)) if rng.random() > 0.1 else np.nan
            rows.append((f"pm{u // 4:03d}", ["a", "b", "c", "d"][u % 4], f"r{rater:02d}", level))
    rows.append(("pm999", "a", "solo", 2.0))
    return pd.DataFrame(rows, columns=["ratee", "competency", "rater", "level"]).sample(frac=1.0, random_state=1)


@pytest.mark.parametrize("stat, options", MULTI_RATER)
def test_many_raters_few_per_unit(stat, options):
    long = many_raters_frame()
    single = calibra.agree(long, stat, **options)
    assert single.n_raters == 41 or stat == "icc" or options.get("missing") == "listwise"
    assert_same(calibra_dask.agree(dd.from_pandas(long, npartitions=4), stat, **options), single)
    assert_same(calibra_dask.agree(by_unit(long, 4), stat, partitioned_by_unit=True, **options), single)


def test_unsplit_long_data_for_count_statistics_is_not_shuffled_as_rows():
    long = long_frame()
    graph: list[str] = []
    from dask.callbacks import Callback

    with Callback(start=lambda dsk: graph.extend(map(str, dsk))):
        result = calibra_dask.agree(dd.from_pandas(long, npartitions=4), "gwet", weights="linear")
    assert_same(result, calibra.agree(long, "gwet", weights="linear"))
    assert any("_compact_buckets" in key for key in graph) and not any("shuffle" in key for key in graph)


@pytest.mark.parametrize("kind, retyped", [("unit", {"ratee": "string", "competency": "category"}),
                                            ("rater", {"rater": "category"})])
def test_two_keys_with_one_hash_are_an_error_not_one_key(monkeypatch, kind, retyped):
    # Every unit (or rater) gets the same first hash (the one that picks
    # its bucket) and keeps its own second hash: as if they all shared the
    # first.  Keys of strings are hashed by the compiled pass (asked here
    # for its hashes), others by pandas.
    pack = calibra_dask._core.pack_buckets

    def colliding_pack(*args, **kwargs):
        if kwargs.get(f"{kind}_hashes") is None:  # the hashes the compiled pass would compute
            found = calibra_dask._core.long_codes(*args, **{k: v for k, v in kwargs.items()
                                                            if k not in ("levels", "n_buckets")}, hashes=True)
            kwargs.update(unit_hashes=(found["unit_h1"], found["unit_h2"]),
                          rater_hashes=(found["rater_h1"], found["rater_h2"]))
        first, second = kwargs[f"{kind}_hashes"]
        kwargs[f"{kind}_hashes"] = (np.zeros_like(first), second)
        return pack(*args, **kwargs)

    monkeypatch.setattr(calibra_dask._core, "pack_buckets", colliding_pack)
    long = long_frame()
    for frame in (long, long.astype(retyped)):
        with pytest.raises(calibra.InvalidArgument, match=f"two different {kind}s share a 64-bit hash"):
            calibra_dask.agree(dd.from_pandas(frame, npartitions=2), "fleiss")


def test_a_rater_rating_a_unit_twice_is_an_error():
    long = long_frame()
    twice = pd.concat([long, long.iloc[[5]].assign(level=1.0)])
    twice.index = range(len(twice))
    single = r"row \d+ rates unit \('pm\d+', '\w+'\) by rater 'mgr\d' a second time \(first at row \d+\)"
    with pytest.raises(calibra.InvalidArgument, match=single):
        calibra.agree(twice, "fleiss")
    with pytest.raises(calibra.InvalidArgument, match=single):
        calibra_dask.agree(dd.from_pandas(twice, npartitions=3), "fleiss")


@pytest.mark.parametrize("stat, options", TWO_RATER)
def test_two_raters_wide_and_long(stat, options):
    wide = wide_frame(5, raters=2)
    single = calibra.agree(wide, stat, **options)
    assert_same(calibra_dask.agree(dd.from_pandas(wide, npartitions=4), stat, **options), single)
    long = long_frame(6, raters=2)
    single = calibra.agree(long, stat, **options)
    assert_same(calibra_dask.agree(dd.from_pandas(long, npartitions=4), stat, **options), single)
    assert_same(calibra_dask.agree(by_unit(long, 4), stat, partitioned_by_unit=True, **options), single)


def test_level_names_through_a_framework():
    fw = calibra.builtin_framework()
    frame = wide_frame(5, raters=3)
    names = frame.apply(lambda column: column.map(lambda x: None if np.isnan(x) else fw.level_ids[int(x) - 1]))
    ddf = dd.from_pandas(names, npartitions=4)
    assert_same(calibra_dask.agree(ddf, "gwet", framework=fw), calibra.agree(frame, "gwet"))


def test_unit_index_with_known_divisions_is_not_shuffled():
    long = long_frame()
    indexed = long.assign(unit=long["ratee"] + "/" + long["competency"]).set_index("unit").sort_index()
    ddf = dd.from_pandas(indexed.drop(columns=["ratee", "competency"]), npartitions=5)
    assert ddf.known_divisions
    single = calibra.agree(long, "krippendorff", level="ordinal")
    graph: list[str] = []  # the keys of the tasks that run
    from dask.callbacks import Callback

    with Callback(start=lambda dsk: graph.extend(map(str, dsk))):
        result = calibra_dask.agree(ddf, "krippendorff", level="ordinal", unit="unit", rater="rater", rating="level")
    assert_same(result, single)
    assert not any("shuffle" in key for key in graph), graph


def test_explicit_columns_and_roles():
    long = long_frame().rename(columns={"rater": "reviewer_id", "level": "score"})
    long["role"] = np.where(np.arange(len(long)) % 7 == 0, "self", "manager")
    columns = {"unit": ["ratee", "competency"], "rater": "reviewer_id", "rating": "score"}
    single = calibra.agree(long, "fleiss", role="manager", **columns)
    ddf = dd.from_pandas(long, npartitions=3)
    assert_same(calibra_dask.agree(ddf, "fleiss", role="manager", **columns), single)


def test_csv_files_by_unit(tmp_path):
    long = long_frame()
    for k, (_, group) in enumerate(long.groupby("ratee")):
        if k % 25 == 0:
            files = tmp_path / f"ratings-{k // 25:02d}.csv"
            group.to_csv(files, index=False)
        else:
            group.to_csv(files, index=False, header=False, mode="a")
    ddf = dd.read_csv(str(tmp_path / "ratings-*.csv"))
    assert ddf.npartitions == 4
    single = calibra.agree(long, "gwet", weights="ordinal")
    assert_same(calibra_dask.agree(ddf, "gwet", weights="ordinal", partitioned_by_unit=True), single)


def test_a_unit_split_between_partitions_is_an_error():
    long = long_frame()
    ddf = dd.from_pandas(long, npartitions=5)  # rows in random order: units split
    with pytest.raises(calibra.InvalidArgument, match=r"partitioned_by_unit=True, but unit \('pm\d+', '\w+'\) "
                       r"\(column\(s\) \['ratee', 'competency'\]\) has ratings in partitions \d and \d"):
        calibra_dask.agree(ddf, "fleiss", partitioned_by_unit=True)
    # One unit split, the others whole.
    parts = [long[long["ratee"] < "pm050"], long[long["ratee"] >= "pm050"]]
    moved = parts[1].index[(parts[1]["ratee"] == "pm070") & (parts[1]["competency"] == "delivery")][:1]
    parts = [pd.concat([parts[0], parts[1].loc[moved]]), parts[1].drop(index=moved)]
    ddf = dd.concat([dd.from_pandas(p, npartitions=1) for p in parts])
    with pytest.raises(calibra.InvalidArgument, match=r"unit \('pm070', 'delivery'\) .* partitions 0 and 1"):
        calibra_dask.agree(ddf, "icc", partitioned_by_unit=True)


def test_bad_input_names_the_column():
    long = long_frame()
    ddf = dd.from_pandas(long, npartitions=3)
    with pytest.raises(calibra.InvalidArgument, match="rater= names column 'reviewer', which this DataFrame does not"):
        calibra_dask.agree(ddf, "fleiss", unit="ratee", rater="reviewer", rating="level")
    bad = long.astype({"level": object})
    bad.loc[bad.index[10], "level"] = "high"
    with pytest.raises(calibra.InvalidArgument, match=r"column 'level'.* row 10 has level 'high'"):
        calibra_dask.agree(dd.from_pandas(bad, npartitions=3), "fleiss")
    unrated = long.copy()
    unrated.loc[unrated.index[3], "ratee"] = None
    with pytest.raises(calibra.InvalidArgument, match=r"row 3 has no ratee \(column 'ratee' is empty there\)"):
        calibra_dask.agree(dd.from_pandas(unrated, npartitions=3), "fleiss", partitioned_by_unit=True)
    wide = wide_frame().assign(team=lambda f: ["a", "b"] * (len(f) // 2))
    with pytest.raises(calibra.InvalidArgument, match="column 'team' holds object values"):
        calibra_dask.agree(dd.from_pandas(wide, npartitions=2), "fleiss")
    with pytest.raises(calibra.InvalidArgument, match="takes a dask.dataframe.DataFrame; got DataFrame"):
        calibra_dask.agree(long, "fleiss")
    with pytest.raises(calibra.InvalidArgument, match="light has no mergeable summary"):
        calibra_dask.agree(ddf, "light")
    with pytest.raises(calibra.InvalidArgument, match="analytic interval only"):
        calibra_dask.agree(ddf, "fleiss", bootstrap=100)
    with pytest.raises(calibra.InvalidArgument, match="role="):
        calibra_dask.agree(ddf, "fleiss", role="manager")


def test_on_a_distributed_cluster_of_processes():
    # Records travel between processes: every statistic's, ICC's too.
    distributed = pytest.importorskip("distributed")
    long = long_frame()
    cluster = distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=True, dashboard_address=":0", silence_logs=50
    )
    with cluster, distributed.Client(cluster):
        with dask.config.set(scheduler=None):
            for stat, options in [("krippendorff", {"level": "ordinal"}), ("icc", {})]:
                ddf = dd.from_pandas(long, npartitions=4)
                assert_same(calibra_dask.agree(ddf, stat, **options), calibra.agree(long, stat, **options))
            assert_same(calibra_dask.agree(by_unit(long, 3), "gwet", partitioned_by_unit=True),
                        calibra.agree(long, "gwet"))


@pytest.mark.parametrize("stat, options", [("fleiss", {}), ("krippendorff", {"level": "ordinal"}), ("percent", {})])
def test_key_columns_of_any_dtype_give_the_pandas_result(stat, options):
    # Integer, float, categorical, pandas string and mixed object keys: the
    # compiled pass reads the first three as they lie, pandas codes the rest.
    long = many_raters_frame()
    numbered = long.assign(
        ratee=long["ratee"].str[2:].astype(int),
        competency=long["competency"].map({"a": 0.5, "b": 1.5, "c": -0.0, "d": 3.0}),
        rater=long["rater"].astype("category"),
    )
    texts = long.astype({"ratee": "string", "rater": "string"}).assign(
        competency=long["competency"].map({"a": 1, "b": "b", "c": 2.5, "d": "d"})
    )
    for frame in (numbered, texts):
        single = calibra.agree(frame, stat, **options)
        assert_same(calibra_dask.agree(dd.from_pandas(frame, npartitions=4), stat, **options), single)
        unit = frame.groupby(["ratee", "competency"], sort=False).ngroup()
        parts = [dask.delayed(frame[unit % 3 == k]) for k in range(3)]
        whole_units = dd.from_delayed(parts, meta=frame.iloc[:0])
        assert_same(calibra_dask.agree(whole_units, stat, partitioned_by_unit=True, **options), single)
