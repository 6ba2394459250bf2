"""What the Python package costs on top of the C++ library, at 10^6 ratings.

    PYTHONPATH=build/python /usr/bin/python3 benchmarks/python/bench_bindings.py [--quick] [--out FILE]

1. Binding overhead: calibra.agree() from Python against the direct C++
   call of agreement::agree() on the same matrix (_core._time_agree runs it
   in a C++ loop with no Python in between, in the same binary, so compiler
   flags and data are identical).  Inputs: a column-major float64 array
   (passed without a copy), a wide DataFrame built column by column (also no
   copy), and a C-ordered array (copied once into column-major order).
   Target: <= 10 % over the direct call for the no-copy inputs.

2. Long DataFrame ingest: a long DataFrame of 10^6 ratings (ratee,
   competency, rater, level) turned into the units x raters matrix by
   calibra.wide_ratings() (pandas numbers the keys, C++ builds the matrix),
   against the pandas ``pivot`` it replaces.  Target: a small multiple of
   the pivot at most.

Every time is the best of several repeats of the calling thread's CPU time
(wall time too for the ingest): on a machine shared with other jobs, CPU
time leaves out the waits for a core, and the best run is the one least
disturbed.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

import calibra
from calibra import _core


def best_of(repeat: int, run: Callable[[], Any]) -> tuple[float, float]:
    """(best wall seconds, best thread-CPU seconds) of `repeat` runs."""
    wall, cpu = [], []
    for _ in range(repeat):
        cpu_start, wall_start = time.thread_time(), time.perf_counter()
        run()
        wall.append(time.perf_counter() - wall_start)
        cpu.append(time.thread_time() - cpu_start)
    return min(wall), min(cpu)


def interleaved(repeat: int, calls: list[Callable[[], Any]]) -> list[float]:
    """Best thread-CPU seconds of each call, the calls taken in turns so that
    a burst of load hits all of them alike.  A call returning a dict with a
    "cpu" entry (_core._time_agree) reports its own C++-measured time."""
    best = [float("inf")] * len(calls)
    for _ in range(repeat):
        for k, call in enumerate(calls):
            start = time.thread_time()
            out = call()
            took = time.thread_time() - start
            if isinstance(out, dict) and "cpu" in out:
                took = out["cpu"]
            best[k] = min(best[k], took)
    return best


def wide_ratings(units: int, raters: int, seed: int = 1) -> npt.NDArray[np.float64]:
    """Levels 1..5 around a per-unit truth, 10 % missing, column-major."""
    rng = np.random.default_rng(seed)
    truth = rng.integers(1, 6, size=units)
    ratings = np.clip(truth[:, None] + rng.integers(-1, 2, size=(units, raters)), 1, 5).astype(np.float64)
    ratings[rng.random(ratings.shape) < 0.1] = np.nan
    return np.asfortranarray(ratings)


def overhead(repeat: int, lines: list[str]) -> None:
    units, raters = 200_000, 5
    matrix = wide_ratings(units, raters)
    frame = pd.DataFrame({f"r{j}": matrix[:, j] for j in range(raters)})
    # The buffer C++ reads for the DataFrame: pandas' own block, no copy.
    frame_block = calibra.agreement._matrix(frame)
    assert np.shares_memory(frame_block, frame.to_numpy())
    c_order = np.ascontiguousarray(matrix)
    lines.append(f"## Binding overhead: {units} units x {raters} raters = {units * raters:,} ratings (10 % missing)")
    lines.append("")
    lines.append("Best thread-CPU time of each call, the calls taken in turns.  CPU time of the calling thread")
    lines.append("leaves out the waits for a core on a loaded machine; agree() computes on the calling thread,")
    lines.append("so it is all of the call's work, C++ and Python.  'C++' is agreement::agree() timed inside")
    lines.append("the module (_core._time_agree) on the very buffer the Python call hands over; 'Python' is")
    lines.append("calibra.agree() on a Fortran-ordered float64 array / a float64 DataFrame (both reach C++")
    lines.append("without a copy); the last column is calibra.agree() on a C-ordered array, copied once.")
    lines.append("")
    lines.append(f"{'statistic':<28} {'C++':>8} {'Python':>8} {'overhead':>9}   {'C++':>8} {'DataFrame':>9}"
                 f" {'overhead':>9}   {'C-order':>8} {'+copy':>7}")
    cases: list[tuple[str, dict[str, Any]]] = [
        ("percent", {}),
        ("fleiss", {}),
        ("gwet", {"weights": "quadratic"}),
        ("krippendorff", {"level": "ordinal"}),
        ("icc", {"form": "ICC2"}),
        ("conger", {}),
    ]
    worst = 0.0
    for stat, options in cases:
        calibra.agree(matrix, stat, **options)  # warm caches and the allocator
        direct, python, direct_frame, python_frame, copied = interleaved(
            repeat,
            [
                lambda: _core._time_agree(matrix, stat, 1, **options),
                lambda: calibra.agree(matrix, stat, **options),
                lambda: _core._time_agree(frame_block, stat, 1, **options),
                lambda: calibra.agree(frame, stat, **options),
                lambda: calibra.agree(c_order, stat, **options),
            ],
        )
        label = stat + "".join(f" {k}={v}" for k, v in options.items())
        array_overhead, frame_overhead = python / direct - 1, python_frame / direct_frame - 1
        worst = max(worst, array_overhead, frame_overhead)
        lines.append(
            f"{label:<28} {direct * 1e3:>6.2f}ms {python * 1e3:>6.2f}ms {array_overhead:>+8.1%}"
            f"   {direct_frame * 1e3:>6.2f}ms {python_frame * 1e3:>7.2f}ms {frame_overhead:>+8.1%}"
            f"   {copied * 1e3:>6.2f}ms {copied / direct - 1:>+6.0%}"
        )
    small = np.asfortranarray(matrix[:100])
    _, call = best_of(max(repeat, 200), lambda: calibra.agree(small, "fleiss"))
    small_direct = _core._time_agree(small, "fleiss", max(repeat, 200))["cpu"]
    lines.append("")
    lines.append(f"Fixed cost per call (100 units): {call * 1e6:.0f} us from Python, {small_direct * 1e6:.0f} us in C++,"
                 f" so about {(call - small_direct) * 1e6:.0f} us of option parsing, input checks and result conversion.")
    lines.append(f"Worst overhead at 10^6 ratings with a no-copy input: {worst:+.1%} (target <= +10 %).")
    lines.append("A C-ordered array (numpy's default) is copied once into column-major order: the '+copy' column")
    lines.append("is what that costs against the direct call; np.asfortranarray(x) once avoids it.")
    lines.append("")


def long_frame(rows_target: int, seed: int = 2) -> pd.DataFrame:
    """Long ratings: ratees x 10 competencies, each unit rated by 5 of 50
    raters; string ids as in a real export."""
    rng = np.random.default_rng(seed)
    raters_per_unit = 5
    units = rows_target // raters_per_unit
    competencies = np.array([f"competency-{k:02d}" for k in range(10)])
    ratee = np.repeat(np.array([f"pm{u // 10:05d}" for u in range(units)]), raters_per_unit)
    competency = np.repeat(competencies[np.arange(units) % 10], raters_per_unit)
    # Five distinct raters per unit: an offset into the pool of 50.
    first = rng.integers(0, 50, size=units)
    rater_ids = (first[:, None] + np.arange(raters_per_unit)[None, :] * 7) % 50
    rater = np.array([f"mgr{r:02d}" for r in range(50)])[rater_ids.ravel()]
    level = rng.integers(1, 6, size=units * raters_per_unit).astype(np.float64)
    frame = pd.DataFrame({"ratee": ratee, "competency": competency, "rater": rater, "level": level})
    return frame.sample(frac=1.0, random_state=seed).reset_index(drop=True)  # input order is arbitrary


def ingest(repeat: int, rows: int, lines: list[str]) -> None:
    frame = long_frame(rows)
    lines.append(f"## Long DataFrame ingest: {len(frame):,} rows (ratee, competency, rater, level), "
                 f"{frame.groupby(['ratee', 'competency']).ngroups:,} units x {frame['rater'].nunique()} raters")
    lines.append("")
    ours_wall, ours = best_of(repeat, lambda: calibra.wide_ratings(frame))
    pivot_wall, pivot = best_of(
        repeat, lambda: frame.pivot(index=["ratee", "competency"], columns="rater", values="level")
    )
    # pivot sorts units and raters; wide_ratings keeps first appearance: same cells either way.
    a = calibra.wide_ratings(frame)
    b = frame.pivot(index=["ratee", "competency"], columns="rater", values="level").reindex(
        index=a.index, columns=a.columns
    )
    assert np.array_equal(a.to_numpy(), b.to_numpy(), equal_nan=True)
    lines.append("Best thread-CPU seconds (wall in parentheses; the machine is shared):")
    lines.append(f"calibra.wide_ratings (factorize + C++ pivot):   {ours:.3f} s ({ours_wall:.3f} s)")
    lines.append(f"pandas DataFrame.pivot:                         {pivot:.3f} s ({pivot_wall:.3f} s)")
    lines.append(f"ratio: {ours / pivot:.2f} x the pandas pivot (target: a small multiple)")
    fw = calibra.builtin_framework()
    named = frame.assign(level=np.array(fw.level_ids)[frame["level"].to_numpy(dtype=int) - 1])
    labelled_wall, labelled = best_of(repeat, lambda: calibra.wide_ratings(named, framework=fw))
    lines.append(f"with level ids and framework=:                  {labelled:.3f} s ({labelled_wall:.3f} s)")
    agree_wall, agree_long = best_of(repeat, lambda: calibra.agree(frame, "fleiss"))
    lines.append(f"calibra.agree(long frame, 'fleiss'), all of it: {agree_long:.3f} s ({agree_wall:.3f} s)")
    lines.append("")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats and 10^5 rows (a smoke test)")
    parser.add_argument("--out", help="also write the report to this file")
    args = parser.parse_args()
    repeat = 3 if args.quick else 15
    lines = [
        "# calibra Python bindings: overhead and DataFrame ingest",
        "",
        f"calibra {calibra.__version__}, Python {platform.python_version()}, numpy {np.__version__}, "
        f"pandas {pd.__version__}, {platform.machine()}, {os.cpu_count()} CPUs; best of {repeat} runs.",
        f"Load average at start: {', '.join(f'{x:.1f}' for x in os.getloadavg())} (the machine is shared).",
        "",
    ]
    overhead(repeat, lines)
    ingest(repeat, 100_000 if args.quick else 1_000_000, lines)
    text = "\n".join(lines)
    print(text)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
