"""calibra.dask against calibra.agree on the same long ratings in memory.

    PYTHONPATH=build/python /usr/bin/python3 benchmarks/python/bench_dask.py [--ratings N] [--repeat R] [--quick]

Data: N long ratings (ratee, competency, rater, level; default 10^7),
units = ratee x competency, 5 raters per unit out of a pool of 20
(--rater-pool), levels 1..5, in 20 partitions.  calibra.agree builds the
units x raters matrix densely and refuses more than 2^26 cells, so at 10^7
ratings (2 x 10^6 units) the pool can be at most 33 for the pandas path to
run at all; calibra.dask has no such limit for the count statistics.
Each partition is generated on a worker from its seed, so
the client never ships the data to the cluster.

Timed, back to back in each repeat, on a 2-worker LocalCluster (one
process and one thread per worker):

* pandas: ``calibra.agree(frame, "krippendorff", level="ordinal")`` on the
  whole frame in this process;
* dask, by unit: ``calibra.dask.agree`` on the same rows persisted in the
  workers' memory, whole units per partition, ``partitioned_by_unit=True``
  (no shuffle; the check that no unit is in two partitions is included);
* dask, shuffled: the same rows with every unit split between two
  partitions, so ``calibra.dask.agree`` moves every rating once, as
  compact hashes, to the partition of its unit.

Memory: each worker's peak resident set during the by-unit and the
shuffled run (VmHWM, reset just before each run through
/proc/self/clear_refs), beside its resident set before the run (the worker
with its share of partitions) and the size of the whole data.

CSV: the same rows written as 20 CSV files (one per partition, whole units
in each) and read by ``dd.read_csv`` on a cluster whose workers' memory
limit is smaller than the data (on disk and in memory): the run must
finish, and its time and the workers' peaks are printed.

The machine may be shared: ``uptime`` before and after is printed, and
every time is the wall time of each repeat (the best and the median).

``--partition-task`` times only the work of one partition, outside Dask:
the CPU time of the by-unit task and of the two halves of the shuffled path
on one partition's rows, in a plain process started without and with
``MALLOC_TRIM_THRESHOLD_=65536`` (the setting a Dask nanny gives its
workers, which alone reproduces their allocator behaviour).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

RATERS_PER_UNIT = 5
COMPETENCIES = ["discovery", "delivery", "strategy", "leadership"]
STAT, OPTIONS = "krippendorff", {"level": "ordinal"}


def make_part(k: int, units: int, split: bool, pool: int, n_parts: int) -> pd.DataFrame:
    """Partition k: `units` units (ratee x competency), 5 ratings each.
    With `split`, partition k holds the first 3 ratings of its own units and
    the last 2 of the units of partition k - 1 (every unit in two
    partitions)."""

    def block(b: int, slots: range) -> pd.DataFrame:
        rng = np.random.default_rng(1000 + b)
        unit = np.arange(b * units, (b + 1) * units)
        ratee = unit // len(COMPETENCIES)
        truth = rng.integers(1, 6, size=units)
        first = rng.integers(0, pool, size=units)
        noise = rng.integers(-1, 2, size=(units, RATERS_PER_UNIT))
        levels = np.clip(truth[:, None] + noise, 1, 5).astype(np.float64)
        j = np.asarray(slots)
        n = len(j)
        # Shared string objects (as read_csv or a categorical would give):
        # one per distinct ratee, competency and rater.
        ratee_names = pd.Index([f"pm{r:07d}" for r in range(ratee.min(), ratee.max() + 1)], dtype=object)
        rater_names = pd.Index([f"r{r:03d}" for r in range(pool)], dtype=object)
        return pd.DataFrame({
            "ratee": ratee_names.take(np.repeat(ratee - ratee.min(), n)),
            "competency": pd.Index(COMPETENCIES, dtype=object).take(np.repeat(unit % len(COMPETENCIES), n)),
            "rater": rater_names.take(((first[:, None] + j * 37) % pool).ravel()),
            "level": levels[:, j].ravel(),
        })

    if not split:
        return block(k, range(RATERS_PER_UNIT))
    previous = (k - 1) % n_parts
    return pd.concat([block(k, range(3)), block(previous, range(3, RATERS_PER_UNIT))], ignore_index=True)


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def reset_peak() -> int:
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")
    return 0


def rss_kb(field: str) -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def start_peak(client: Any) -> dict[str, int]:
    """Resets each worker's peak resident set; returns its resident set (kB)."""
    client.run(reset_peak)
    resident: dict[str, int] = client.run(rss_kb, "VmRSS")
    return resident


def worker_memory(client: Any, before: dict[str, int]) -> dict[str, tuple[float, float]]:
    """Per worker: (resident MB before, peak MB since start_peak)."""
    peak = client.run(rss_kb, "VmHWM")
    return {w: (before[w] / 1024, peak[w] / 1024) for w in peak}


def timed(run: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = run()
    return time.perf_counter() - start, value


def describe(times: list[float]) -> str:
    return f"best {min(times):6.2f} s, median {statistics.median(times):6.2f} s"


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def time_partition_task(rows: int, pool: int, repeat: int) -> None:
    """The CPU time of each partition function on `rows` rows (this process)."""
    import calibra.dask as cd
    from calibra.agreement import _resolve_columns

    units = rows // RATERS_PER_UNIT
    whole, split = make_part(3, units, False, pool, 20), make_part(3, units, True, pool, 20)
    columns = _resolve_columns(whole.iloc[:0], None, None, None, None)

    def plan(hash_units: bool) -> Any:
        return cd._Plan(stat=STAT, columns=columns, framework=None, options=dict(OPTIONS), declared=None,
                        from_index=False, role=None, hash_units=hash_units, listwise_later=False)

    buckets = cd._compact_buckets(split, plan(False), 20)
    tasks = {
        "by-unit task (partitioned_by_unit=True)": lambda: cd._partition_record(whole, plan(True)),
        "shuffled, map side (_compact_buckets)": lambda: cd._compact_buckets(split, plan(False), 20),
        "shuffled, reduce side (_bucket_record)": lambda: cd._bucket_record(
            [buckets[k % 20] for k in range(20)], plan(False)),
    }
    for name, task in tasks.items():
        spent = []
        for _ in range(repeat):
            start = cpu_seconds()
            task()
            spent.append(cpu_seconds() - start)
        print(f"  {name:40s} CPU best {min(spent):.3f} s, median {statistics.median(spent):.3f} s", flush=True)


def partition_task_report(rows: int, pool: int, repeat: int) -> None:
    print(f"one partition's work on {rows:,} rows (pool of {pool} raters), CPU seconds; load before: {uptime()}")
    for label, extra in (("plain environment", {}), ("MALLOC_TRIM_THRESHOLD_=65536 (a Dask worker's)",
                                                     {"MALLOC_TRIM_THRESHOLD_": "65536"})):
        environment = {k: v for k, v in os.environ.items() if not k.startswith("MALLOC_")}
        environment.update(extra)
        print(label + ":", flush=True)
        subprocess.run([sys.executable, __file__, "--time-partition-task", str(rows), "--rater-pool", str(pool),
                        "--repeat", str(repeat)], env=environment, check=True)
    print(f"load after: {uptime()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ratings", type=int, default=10_000_000)
    parser.add_argument("--partitions", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rater-pool", type=int, default=20, help="raters in all (5 rate each unit)")
    parser.add_argument("--csv-memory-limit", default="256MB")
    parser.add_argument("--quick", action="store_true", help="10^6 ratings, 2 repeats")
    parser.add_argument("--skip-csv", action="store_true", help="leave out the CSV run")
    parser.add_argument("--csv-only", action="store_true", help="leave out the in-memory runs")
    parser.add_argument(
        "--worker-malloc", action="store_true",
        help="start the workers with MALLOC_TRIM_THRESHOLD_=128 MiB and MALLOC_MMAP_THRESHOLD_=64 MiB instead of "
        "Dask's MALLOC_TRIM_THRESHOLD_=65536, which makes every large array fault its pages in again",
    )
    parser.add_argument("--partition-task", action="store_true",
                        help="time one partition's work outside Dask, without and with Dask's MALLOC_TRIM_THRESHOLD_")
    parser.add_argument("--time-partition-task", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.time_partition_task:
        time_partition_task(args.time_partition_task, args.rater_pool, args.repeat)
        return
    if args.partition_task:
        partition_task_report(args.ratings // args.partitions, args.rater_pool, max(args.repeat, 5))
        return
    if args.quick:
        args.ratings, args.repeat = 1_000_000, 2

    import dask
    import distributed

    import calibra
    import calibra.dask

    if args.worker_malloc:
        dask.config.set({"distributed.nanny.pre-spawn-environ": {
            "MALLOC_TRIM_THRESHOLD_": 128 << 20, "MALLOC_MMAP_THRESHOLD_": 64 << 20,
            "OMP_NUM_THREADS": 1, "MKL_NUM_THREADS": 1, "OPENBLAS_NUM_THREADS": 1,
        }})
    units = args.ratings // RATERS_PER_UNIT // args.partitions
    n_parts = args.partitions
    print(f"calibra {calibra.__version__}, dask {dask.__version__}, distributed {distributed.__version__}, "
          f"pandas {pd.__version__}, {os.cpu_count()} CPUs")
    print(f"{n_parts * units * RATERS_PER_UNIT:,} long ratings: {n_parts * units:,} units x {RATERS_PER_UNIT} raters "
          f"(of {args.rater_pool}), {n_parts} partitions; statistic {STAT} {OPTIONS}")
    print("worker environment: " + ", ".join(
        f"{k}={v}" for k, v in dask.config.get("distributed.nanny.pre-spawn-environ").items()))
    print(f"load before: {uptime()}")

    frame = pd.concat([make_part(k, units, False, args.rater_pool, n_parts) for k in range(n_parts)], ignore_index=True)
    # The frame shares one string object per distinct value (as a
    # categorical would); read_csv makes one per cell (memory_usage(deep=True)).
    shared = sum(sys.getsizeof(v) for c in ["ratee", "competency", "rater"] for v in pd.unique(frame[c]))
    data_mb = (frame.memory_usage(deep=False).sum() + shared) / 2**20
    cells_mb = frame.memory_usage(deep=True).sum() / 2**20
    print(f"the whole data in memory: {data_mb:,.0f} MB here (strings shared), {cells_mb:,.0f} MB with a string "
          "per cell as read_csv makes them")

    expected = calibra.agree(frame, STAT, **OPTIONS)
    if not args.csv_only:
        in_memory_runs(args, frame, expected, units, data_mb)
    if not args.skip_csv:
        csv_run(args, frame, expected, units, cells_mb)


def in_memory_runs(args: argparse.Namespace, frame: pd.DataFrame, expected: Any, units: int, data_mb: float) -> None:
    import dask
    import dask.dataframe as dd
    import distributed

    import calibra
    import calibra.dask

    n_parts = args.partitions
    meta = frame.iloc[:0]
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=50
    )
    client = distributed.Client(cluster)
    try:
        by_unit, shuffled = (
            dd.from_delayed(
                [dask.delayed(make_part)(k, units, split, args.rater_pool, n_parts) for k in range(n_parts)], meta=meta
            )
            for split in (False, True)
        )
        by_unit, shuffled = client.persist([by_unit, shuffled])
        distributed.wait([by_unit, shuffled])
        held = client.run(rss_kb, "VmRSS")
        print("worker resident set with its partitions of both copies: "
              + ", ".join(f"{v / 1024:,.0f} MB" for v in held.values()))

        times: dict[str, list[float]] = {"pandas": [], "dask by unit": [], "dask shuffled": []}
        peaks: dict[str, list[dict[str, tuple[float, float]]]] = {"by-unit": [], "shuffled": []}
        for repeat in range(args.repeat):
            t, _ = timed(lambda: calibra.agree(frame, STAT, **OPTIONS))
            times["pandas"].append(t)
            before = start_peak(client)
            t, result = timed(lambda: calibra.dask.agree(by_unit, STAT, partitioned_by_unit=True, **OPTIONS))
            peaks["by-unit"].append(worker_memory(client, before))
            times["dask by unit"].append(t)
            assert abs(result.value - expected.value) < 1e-12 and result.n_units == expected.n_units
            before = start_peak(client)
            t, result = timed(lambda: calibra.dask.agree(shuffled, STAT, **OPTIONS))
            peaks["shuffled"].append(worker_memory(client, before))
            times["dask shuffled"].append(t)
            assert abs(result.value - expected.value) < 1e-12 and result.n_units == expected.n_units
            print(f"repeat {repeat + 1}: " + ", ".join(f"{name} {v[-1]:.2f} s" for name, v in times.items())
                  + "; load average %.1f %.1f %.1f" % os.getloadavg(), flush=True)
        print(f"alpha = {expected.value:.15f} (all three paths agree to 1e-12)")
        print()
        for name, values in times.items():
            ratio = statistics.median(values) / statistics.median(times["pandas"])
            print(f"{name:14s} {describe(values)}   x{ratio:4.2f} of pandas (medians)   runs: "
                  + ", ".join(f"{v:.2f}" for v in values))
        print()
        for name, runs in peaks.items():
            print(f"worker memory in the {name} runs (resident before the run -> peak during it):")
            for k, peak in enumerate(runs):
                print(f"  run {k + 1}: " + "; ".join(f"{now:,.0f} -> {top:,.0f} MB" for now, top in peak.values()))
        print(f"  the whole data: {data_mb:,.0f} MB in memory; each worker holds {n_parts // 2} partitions of each "
              "copy")
    finally:
        client.close()
        cluster.close()
    print(f"load after the in-memory runs: {uptime()}")


def csv_run(args: argparse.Namespace, frame: pd.DataFrame, expected: Any, units: int, cells_mb: float) -> None:
    import dask.dataframe as dd
    import distributed

    import calibra.dask

    n_parts = args.partitions
    # CSV files read by Dask, on workers with a memory limit below the data size.
    directory = tempfile.mkdtemp(prefix="calibra-bench-dask-")
    try:
        for k in range(n_parts):
            frame.iloc[k * units * RATERS_PER_UNIT:(k + 1) * units * RATERS_PER_UNIT].to_csv(
                os.path.join(directory, f"ratings-{k:02d}.csv"), index=False
            )
        csv_mb = sum(os.path.getsize(os.path.join(directory, f)) for f in os.listdir(directory)) / 2**20
        cluster = distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=50,
            memory_limit=args.csv_memory_limit,
        )
        client = distributed.Client(cluster)
        try:
            limit_mb = next(iter(client.scheduler_info()["workers"].values()))["memory_limit"] / 2**20
            print()
            print(f"CSV: {n_parts} files, {csv_mb:,.0f} MB on disk ({cells_mb:,.0f} MB once read by pandas); "
                  f"worker memory limit {limit_mb:,.0f} MB")
            before = start_peak(client)
            ddf = dd.read_csv(os.path.join(directory, "ratings-*.csv"), blocksize=None)
            t, result = timed(lambda: calibra.dask.agree(ddf, STAT, partitioned_by_unit=True, **OPTIONS))
            memory = worker_memory(client, before)
            assert abs(result.value - expected.value) < 1e-12
            print(f"dd.read_csv + calibra.dask.agree: {t:.2f} s, alpha = {result.value:.15f}")
            print("worker peak resident set: " + ", ".join(f"{top:,.0f} MB" for _, top in memory.values()))
        finally:
            client.close()
            cluster.close()
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    print(f"client peak resident set: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")
    print(f"load after: {uptime()}")


if __name__ == "__main__":
    main()
