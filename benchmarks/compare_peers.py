#!/usr/bin/python3
"""Times calibra against the peer implementations installed here, on the
same data, and checks that both give the same value.

    /usr/bin/python3 benchmarks/compare_peers.py [--build-dir build-bench]
                     [--sizes 10000,100000,1000000] [--save]

For every size (number of ratings) the script draws a seeded rating matrix
with numpy (5 categories; 2 raters for Cohen's kappa, 5 otherwise), writes
it to a temporary CSV file, and times:

* calibra in-process: the timing driver ``calibra_time_agreement`` reads
  the CSV with calibra's reader and times only ``agree()`` (coding of the
  raw matrix included), best of several repeats;
* calibra through the CLI, ``calibra agree FILE --stat ... --json``: whole
  process wall time (start-up and CSV parsing included), for reference;
* the peer, timed in-process around the call only (best of repeats):
  scikit-learn ``cohen_kappa_score`` (unweighted and quadratic),
  statsmodels ``cohens_kappa`` (with its ``to_table`` step) and
  ``fleiss_kappa`` (with its ``aggregate_raters`` step), R ``psych::ICC``
  (via Rscript and benchmarks/compare_peers.R), and a plain vectorised numpy
  Krippendorff's alpha written below, standing in for the ``krippendorff``
  package, which is not installed here.

With ``--wide`` the script instead sweeps the number of raters per unit at
10^6 ratings (2, 5, 10, 20 and 50 raters; complete and with 10% of the
ratings missing at random) and times every coefficient against the fastest
peer that computes it: the ``krippendorff`` package (every level), statsmodels
(``fleiss_kappa`` for Fleiss, Scott's pi on two raters and, with
``method='randolph'``, Brennan-Prediger; ``cohens_kappa``) and scikit-learn
(``cohen_kappa_score``).  Coefficients that none of them computes (percent,
unanimous, within, Gwet, Conger, Light, the ICC) are held to the fastest peer
call on the same matrix.  The ``krippendorff`` package is not a dependency:
point ``--krippendorff-path`` (or CALIBRA_KRIPPENDORFF_PATH) at a directory
holding its ``krippendorff/`` package, e.g. a checkout of
github.com/pln-fing-udelar/fast-krippendorff; without it the numpy stand-in
below takes its place and the report says so.

Each peer's value must equal calibra's to 1e-9 relative, so the timings
compare the same computation.  The table reports seconds (wall, best of the
repeats) and the ratio peer / calibra; the target is a ratio of at least 10
at 10^6 ratings.

The ``--wide`` ratios are taken on CPU time: calibra's best process CPU
time over ``--calibra-runs`` separate runs (5 by default, in rounds over
every statistic of a matrix, so seconds apart) of the timing driver, each
of ``--repeat`` calls of ``agree()`` (21), against
the peer's best process CPU time over ``--peer-repeat`` calls (5), and the
fastest peer is the one with the least CPU time.  Both sides run on one
thread: ``agree()`` starts none for a point estimate, and this script pins
OMP_NUM_THREADS, OPENBLAS_NUM_THREADS and MKL_NUM_THREADS to 1 before numpy
is imported (numpy here links the reference BLAS, single-threaded anyway).
Process CPU time counts every thread, so a peer that did start threads
would only look slower; the raw lines print each side's wall time too,
and the report flags any call whose best CPU time exceeds its best wall
time by more than 10% (which would mean more than one thread).  Why CPU:
on a 2-core machine shared with compilers, a millisecond-scale call's best
wall time depends on whether the scheduler ran it uninterrupted in one of
21 tries, and was measured at up to twice its CPU time at load 9, while the
peers' 75-2000 ms calls are interrupted about equally in every try; the
wall ratio then measures the load as much as the code.  CPU time is not
immune either: a process that competes for the shared cache and memory for
the whole 60 ms of one run inflates every call in it (Conger at 50 raters
took 4.2 ms of CPU in one run and 2.8 ms in the next), hence the separate
runs.  Wall ratios stay in the raw lines for reference.
"""

import argparse
import datetime
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time

# Single-threaded peers (see the docstring): set before numpy is imported.
for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_variable] = "1"

import numpy as np  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CATEGORIES = 5
ACCURACY = 0.65  # probability that a rater reports the unit's true category
SEED = 20240601
RELATIVE_TOLERANCE = 1e-9
PSYCH_TIME_CAP = 60.0  # seconds allowed to one psych::ICC call
AOV_MEMORY_CAP = 2e9   # bytes of psych's dense aov() design matrix we allow


# ---------------------------------------------------------------------------
# Data


def generate(ratings, raters, seed=SEED):
    """units x raters integer matrix, codes 1..CATEGORIES: each unit has a
    true category; each rater reports it with probability ACCURACY and
    otherwise a uniformly drawn category."""
    rng = np.random.default_rng(seed + ratings * 10 + raters)
    units = ratings // raters
    truth = rng.integers(0, CATEGORIES, size=units)
    correct = rng.random((units, raters)) < ACCURACY
    noise = rng.integers(0, CATEGORIES, size=(units, raters))
    return (np.where(correct, truth[:, None], noise) + 1).astype(np.int64)


def write_csv(path, matrix):
    header = ",".join(f"rater{j + 1}" for j in range(matrix.shape[1]))
    np.savetxt(path, matrix, fmt="%d", delimiter=",", header=header, comments="")


# ---------------------------------------------------------------------------
# Timing helpers


def best_of(function, repeat):
    """(value, best wall seconds, best CPU seconds) over `repeat` calls."""
    best_wall = best_cpu = float("inf")
    value = None
    for _ in range(repeat):
        cpu_start = time.process_time()
        start = time.perf_counter()
        value = function()
        wall = time.perf_counter() - start
        cpu = time.process_time() - cpu_start
        best_wall = min(best_wall, wall)
        best_cpu = min(best_cpu, cpu)
    return float(value), best_wall, best_cpu


def calibra_in_process(driver, path, stat, extra, repeat):
    out = subprocess.run([driver, path, "--stat", stat, "--repeat", str(repeat)] + extra,
                         check=True, capture_output=True, text=True).stdout
    record = json.loads(out)
    return record["value"], record["best_seconds"], record["best_cpu_seconds"]


def calibra_cli(cli, path, stat, extra, repeat):
    """Whole-process wall time of `calibra agree ... --json`, or None when
    the CLI is not built or does not answer as expected."""
    if cli is None:
        return None
    best = float("inf")
    value = None
    for _ in range(repeat):
        start = time.perf_counter()
        done = subprocess.run([cli, "agree", path, "--stat", stat, "--json"] + extra,
                              capture_output=True, text=True)
        best = min(best, time.perf_counter() - start)
        if done.returncode != 0:
            return None
        document = json.loads(done.stdout)
        if isinstance(document, list):
            document = document[0]
        value = document.get("value")
    return value, best


# ---------------------------------------------------------------------------
# Peers


def sklearn_cohen(matrix, weights):
    from sklearn.metrics import cohen_kappa_score
    a, b = matrix[:, 0], matrix[:, 1]
    return lambda: cohen_kappa_score(a, b, weights=weights)


def statsmodels_cohen(matrix):
    from statsmodels.stats.inter_rater import cohens_kappa, to_table

    def run():
        table, _ = to_table(matrix)
        return cohens_kappa(table, return_results=False)
    return run


def statsmodels_fleiss(matrix):
    from statsmodels.stats.inter_rater import aggregate_raters, fleiss_kappa

    def run():
        counts, _ = aggregate_raters(matrix)
        return fleiss_kappa(counts, method="fleiss")
    return run


def numpy_krippendorff(matrix, level):
    """Krippendorff's alpha from the coincidence matrix, vectorised over
    units (Krippendorff 2011).  A stand-in for the `krippendorff` package,
    which is not installed on this machine; written to be a fair, idiomatic
    numpy implementation, not a slow one."""

    def run():
        data = matrix.astype(float)
        present = ~np.isnan(data)
        codes = np.unique(data[present])
        counts = np.stack([(data == c).sum(axis=1) for c in codes], axis=1).astype(float)
        per_unit = counts.sum(axis=1)
        pairable = per_unit >= 2
        counts = counts[pairable]
        scaled = counts / (per_unit[pairable] - 1)[:, None]
        coincidence = scaled.T @ counts - np.diag(scaled.sum(axis=0))
        marginals = coincidence.sum(axis=1)
        total = marginals.sum()
        if level == "nominal":
            distance = 1.0 - np.eye(len(codes))
        else:  # interval
            distance = (codes[:, None] - codes[None, :]) ** 2
        observed = (coincidence * distance).sum()
        expected = (np.outer(marginals, marginals) * distance).sum()
        return 1.0 - (total - 1) * observed / expected
    return run


def psych_icc(csv_path, use_lmer, repeat, timeout):
    """(value, wall, cpu) of psych::ICC timed inside R, or None on time-out."""
    script = os.path.join(REPO, "benchmarks", "compare_peers.R")
    try:
        done = subprocess.run(["Rscript", script, csv_path, "TRUE" if use_lmer else "FALSE", str(repeat)],
                              check=True, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None
    value, wall, cpu = done.stdout.split()
    return float(value), float(wall), float(cpu)


# ---------------------------------------------------------------------------
# Wide designs: every coefficient at 10^6 ratings, 2 to 50 raters per unit


WIDE_RATINGS = 1_000_000
WIDE_RATERS = (2, 5, 10, 20, 50)
WIDE_MISSING = (0.0, 0.10)
LEVELS = ("nominal", "ordinal", "interval", "ratio")


def generate_wide(raters, missing, seed=SEED):
    """10^6 ratings as units x raters floats (NaN = missing), same model as
    generate()."""
    rng = np.random.default_rng(seed + raters * 1000 + int(missing * 100))
    units = WIDE_RATINGS // raters
    truth = rng.integers(0, CATEGORIES, size=units)
    correct = rng.random((units, raters)) < ACCURACY
    noise = rng.integers(0, CATEGORIES, size=(units, raters))
    matrix = (np.where(correct, truth[:, None], noise) + 1).astype(float)
    if missing > 0:
        matrix[rng.random(matrix.shape) < missing] = np.nan
    return matrix


def write_wide_csv(path, matrix):
    header = ",".join(f"rater{j + 1}" for j in range(matrix.shape[1]))
    text = np.char.mod("%d", np.nan_to_num(matrix, nan=0).astype(np.int64))
    text[np.isnan(matrix)] = ""
    with open(path, "w") as out:
        out.write(header + "\n")
        out.write("\n".join(",".join(row) for row in text))
        out.write("\n")


def load_krippendorff(path):
    """The krippendorff package from `path` (a directory holding
    krippendorff/__init__.py), or None."""
    if not path:
        return None
    sys.path.insert(0, path)
    try:
        import krippendorff
    except ImportError as error:
        sys.exit(f"cannot import the krippendorff package from {path}: {error}")
    return krippendorff


def complete_rows(matrix):
    return matrix[~np.isnan(matrix).any(axis=1)]


def wide_peers(matrix, krippendorff):
    """{label: [(peer name, callable, same value expected)]} for one matrix."""
    raters = matrix.shape[1]
    complete = not np.isnan(matrix).any()
    peers = {}
    for level in LEVELS:
        if krippendorff is not None:
            data = matrix.T.copy()
            peers[f"krippendorff {level}"] = [(
                "krippendorff.alpha",
                lambda data=data, level=level: krippendorff.alpha(reliability_data=data,
                                                                  level_of_measurement=level),
                True)]
        elif level in ("nominal", "interval"):
            peers[f"krippendorff {level}"] = [("numpy stand-in", numpy_krippendorff(matrix, level), True)]

    from statsmodels.stats.inter_rater import aggregate_raters, fleiss_kappa, cohens_kappa, to_table

    def statsmodels_counts(m):
        # aggregate_raters on integer codes, missing as its own code 0,
        # whose column is dropped: per-unit counts of the rated categories.
        codes = np.nan_to_num(m, nan=0).astype(np.int64)
        counts, categories = aggregate_raters(codes)
        return counts[:, categories != 0] if (categories == 0).any() else counts

    # statsmodels' fleiss_kappa needs every unit rated by every rater (it
    # asserts so), so with missing ratings it is no peer.
    if complete:
        peers["fleiss"] = [("statsmodels aggregate_raters + fleiss_kappa",
                            lambda: fleiss_kappa(statsmodels_counts(matrix), method="fleiss"), True)]
        peers["brennan-prediger"] = [("statsmodels aggregate_raters + fleiss_kappa(method='randolph')",
                                      lambda: fleiss_kappa(statsmodels_counts(matrix), method="randolph"), True)]
    if raters == 2:
        from sklearn.metrics import cohen_kappa_score

        def sklearn_run():
            pairs = complete_rows(matrix)
            return cohen_kappa_score(pairs[:, 0], pairs[:, 1])

        def statsmodels_cohen_run():
            table, _ = to_table(complete_rows(matrix).astype(np.int64))
            return cohens_kappa(table, return_results=False)

        def statsmodels_scott_run():
            counts, _ = aggregate_raters(complete_rows(matrix).astype(np.int64))
            return fleiss_kappa(counts, method="fleiss")

        peers["cohen"] = [("sklearn cohen_kappa_score", sklearn_run, True),
                          ("statsmodels to_table + cohens_kappa", statsmodels_cohen_run, True)]
        peers["scott"] = [("statsmodels aggregate_raters + fleiss_kappa (2 raters)", statsmodels_scott_run, True)]
    return peers


WIDE_STATISTICS = [
    # label, calibra stat, flags, raters it needs (None = any)
    ("cohen", "cohen", [], 2),
    ("scott", "scott", [], 2),
    ("percent", "percent", [], None),
    ("unanimous", "unanimous", [], None),
    ("within", "within", [], None),
    ("fleiss", "fleiss", [], None),
    ("brennan-prediger", "brennan-prediger", [], None),
    ("gwet ac1", "gwet", [], None),
    ("gwet ac2 quadratic", "gwet", ["--weights", "quadratic"], None),
    ("conger", "conger", [], None),
    ("light", "light", [], None),
    ("krippendorff nominal", "krippendorff", ["--level", "nominal"], None),
    ("krippendorff ordinal", "krippendorff", ["--level", "ordinal"], None),
    ("krippendorff interval", "krippendorff", ["--level", "interval"], None),
    ("krippendorff ratio", "krippendorff", ["--level", "ratio"], None),
    ("icc2", "icc", ["--form", "ICC2"], None),
]


def run_wide(args, driver):
    raters_list = [int(r) for r in args.raters.split(",")]
    load_at_start = os.getloadavg()
    krippendorff = load_krippendorff(args.krippendorff_path or os.environ.get("CALIBRA_KRIPPENDORFF_PATH"))
    rows = []
    workdir = tempfile.mkdtemp(prefix="calibra-wide-")
    try:
        for missing in WIDE_MISSING:
            for raters in raters_list:
                matrix = generate_wide(raters, missing)
                path = os.path.join(workdir, f"wide_{raters}_{int(missing * 100)}.csv")
                write_wide_csv(path, matrix)
                shape = dict(raters=raters, missing=missing, units=matrix.shape[0])
                peer_times = {}
                for label, calls in wide_peers(matrix, krippendorff).items():
                    for name, function, same in calls:
                        value, seconds, cpu = best_of(function, args.peer_repeat)
                        peer_times.setdefault(label, []).append(dict(name=name, value=value, seconds=seconds,
                                                                     cpu=cpu, same=same))
                fastest_any = min((p for ps in peer_times.values() for p in ps), key=lambda p: p["cpu"])
                statistics = [s for s in WIDE_STATISTICS if s[3] is None or s[3] == raters]
                # Separate runs of the driver in rounds over every
                # statistic, so that a statistic's runs lie seconds apart
                # and one busy moment of the machine does not set its figure.
                runs = {}
                for _ in range(args.calibra_runs):
                    for label, stat, extra, _ in statistics:
                        runs.setdefault(label, []).append(calibra_in_process(driver, path, stat, extra, args.repeat))
                for label, stat, extra, needs in statistics:
                    value = runs[label][0][0]
                    seconds = min(run[1] for run in runs[label])
                    cpu = min(run[2] for run in runs[label])
                    own = peer_times.get(label)
                    if own:
                        peer = min(own, key=lambda p: p["cpu"])
                        reference = "own"
                    else:
                        peer = fastest_any
                        reference = "matrix"
                    rows.append(dict(shape, stat=label, calibra=seconds, calibra_cpu=cpu, value=value,
                                     peer=peer["name"], peer_seconds=peer["seconds"], peer_cpu=peer["cpu"],
                                     peer_value=peer["value"], same=peer["same"] and reference == "own",
                                     reference=reference, reference_stat=None if own else
                                     next(k for k, ps in peer_times.items() if peer in ps)))
                    print(f"{label:22s} raters {raters:2d} missing {missing:.0%}: calibra cpu {cpu * 1e3:7.2f} ms, "
                          f"{peer['name']} cpu {peer['cpu'] * 1e3:8.1f} ms, ratio {peer['cpu'] / cpu:6.1f}",
                          file=sys.stderr)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    report = render_wide(rows, raters_list, krippendorff is not None, load_at_start, args)
    print(report)
    if args.save:
        with open(os.path.join(REPO, "benchmarks", "results", "compare_wide.txt"), "w") as out:
            out.write(report + "\n")


def cpu_ratio(row):
    return row["peer_cpu"] / row["calibra_cpu"]


def render_wide(rows, raters_list, have_krippendorff, load_at_start, args):
    import sklearn
    import statsmodels
    lines = []
    lines.append(f"calibra vs the fastest peer at 10^6 ratings by raters per unit, "
                 f"{datetime.datetime.now(datetime.timezone.utc).isoformat(timespec='minutes')}, "
                 f"{os.cpu_count()} cores, Python {platform.python_version()}, numpy {np.__version__}, "
                 f"scikit-learn {sklearn.__version__}, statsmodels {statsmodels.__version__}, krippendorff package: "
                 + ("yes" if have_krippendorff else "NOT LOADED (numpy stand-in instead)"))
    lines.append(f"load average at the start: {', '.join(f'{x:.1f}' for x in load_at_start)}; "
                 f"at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    lines.append(f"ratio = fastest peer's best CPU time (of {args.peer_repeat} calls) / calibra's best CPU time "
                 f"({args.calibra_runs} runs of {args.repeat} calls; agree() in-process, coding included), both "
                 f"single-threaded; goal >= 10")
    lines.append("own peer: computes the same coefficient (value checked to 1e-9 unless marked ~); "
                 "[m]: no peer computes it, held to the fastest peer call of any coefficient on the same matrix")
    lines.append("")
    shapes = [(m, r) for m in WIDE_MISSING for r in raters_list]
    header = ["coefficient"] + [f"{r} raters{' 10% NA' if m else ''}" for m, r in shapes]
    table = [header]
    by_key = {(row["stat"], row["missing"], row["raters"]): row for row in rows}
    missed = []
    for label, *_ in WIDE_STATISTICS:
        cells = [label]
        present = False
        for m, r in shapes:
            row = by_key.get((label, m, r))
            if row is None:
                cells.append("")
                continue
            present = True
            ratio = cpu_ratio(row)
            mark = "" if row["reference"] == "own" else "[m]"
            if row["reference"] == "own" and not row["same"]:
                mark = "~"
            flag = "" if ratio >= 10 else " MISSED"
            if ratio < 10:
                missed.append(row)
            cells.append(f"{ratio:.0f}{mark}{flag}" if ratio >= 10 else f"{ratio:.1f}{mark}{flag}")
        if present:
            table.append(cells)
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for i, row in enumerate(table):
        lines.append("  ".join(cell.ljust(widths[j]) if j == 0 else cell.rjust(widths[j]) for j, cell in enumerate(row)))
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    lines.append("")
    lines.append(f"goal (ratio >= 10 in every cell): met in {len(rows) - len(missed)} of {len(rows)} cells")
    for row in missed:
        lines.append(f"  missed: {row['stat']}, {row['raters']} raters, {row['missing']:.0%} missing: "
                     f"ratio {cpu_ratio(row):.1f} against {row['peer']}")
    threaded = sorted({f"{row['peer']} ({row['raters']} raters, {row['missing']:.0%} missing)" for row in rows
                       if row["peer_cpu"] > 1.1 * row["peer_seconds"]} |
                      {f"calibra {row['stat']} ({row['raters']} raters, {row['missing']:.0%} missing)" for row in rows
                       if row["calibra_cpu"] > 1.1 * row["calibra"]})
    for call in threaded:
        lines.append(f"  CPU time above wall time by more than 10%, more than one thread?: {call}")
    lines.append("")
    lines.append("times (ms, best of the repeats): coefficient, raters, missing, units, calibra wall, calibra cpu, "
                 "peer, peer wall, peer cpu, ratio on cpu, ratio on wall, check")
    for row in rows:
        if row["reference"] == "own" and row["same"]:
            difference = relative_difference(row["value"], row["peer_value"])
            check = "ok" if difference <= RELATIVE_TOLERANCE else f"DIFF {difference:.1e}"
        elif row["reference"] == "own":
            check = "not compared (the peer assumes every unit rated by every rater)"
        else:
            check = f"reference: {row['reference_stat']}"
        lines.append(f"{row['stat']:22s} {row['raters']:3d} {row['missing']:4.0%} {row['units']:7d} "
                     f"{row['calibra'] * 1e3:8.2f} {row['calibra_cpu'] * 1e3:8.2f}  {row['peer']:62s} "
                     f"{row['peer_seconds'] * 1e3:9.1f} {row['peer_cpu'] * 1e3:9.1f} {cpu_ratio(row):7.1f} "
                     f"{row['peer_seconds'] / row['calibra']:7.1f}  {check}")
    return "\n".join(lines)


# ---------------------------------------------------------------------------


def relative_difference(a, b):
    if a is None or b is None:
        return float("nan")
    return abs(a - b) / max(abs(b), 1e-300)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build-dir", default=os.path.join(REPO, "build-bench"))
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--save", action="store_true",
                        help="also write the report to benchmarks/results/compare_peers.txt "
                             "(compare_wide.txt with --wide)")
    parser.add_argument("--wide", action="store_true",
                        help="sweep 2-50 raters per unit at 10^6 ratings, every coefficient, complete and "
                             "10%% missing")
    parser.add_argument("--raters", default=",".join(str(r) for r in WIDE_RATERS),
                        help="raters per unit for --wide (default 2,5,10,20,50)")
    parser.add_argument("--repeat", type=int, default=21,
                        help="calibra repeats per timing for --wide (best CPU time is kept)")
    parser.add_argument("--calibra-runs", type=int, default=5,
                        help="separate runs of the timing driver per calibra timing for --wide (best is kept)")
    parser.add_argument("--peer-repeat", type=int, default=5,
                        help="peer repeats per timing for --wide (best CPU time is kept)")
    parser.add_argument("--krippendorff-path",
                        help="directory holding the krippendorff package (default: $CALIBRA_KRIPPENDORFF_PATH)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    driver = os.path.join(args.build_dir, "bin", "calibra_time_agreement")
    if not os.access(driver, os.X_OK):
        sys.exit(f"{driver} not found: build it with "
                 "cmake --build build-bench --target calibra_time_agreement")
    if args.wide:
        run_wide(args, driver)
        return
    cli = os.path.join(args.build_dir, "bin", "calibra")
    cli = cli if os.access(cli, os.X_OK) else None

    rows = []   # one per (statistic, peer, size)
    notes = []
    workdir = tempfile.mkdtemp(prefix="calibra-peers-")
    try:
        psych_lmer_last = None  # seconds at the previous size
        for size in sizes:
            repeat = 5 if size <= 100_000 else 3
            two = generate(size, 2)
            five = generate(size, 5)
            two_path = os.path.join(workdir, f"two_{size}.csv")
            five_path = os.path.join(workdir, f"five_{size}.csv")
            write_csv(two_path, two)
            write_csv(five_path, five)

            cases = [
                # label, calibra stat, extra flags, csv, peer name, peer callable
                ("cohen", "cohen", [], two_path, "sklearn cohen_kappa_score", sklearn_cohen(two, None)),
                ("cohen quadratic", "cohen", ["--weights", "quadratic"], two_path,
                 "sklearn cohen_kappa_score(weights='quadratic')", sklearn_cohen(two, "quadratic")),
                ("cohen", "cohen", [], two_path, "statsmodels to_table + cohens_kappa", statsmodels_cohen(two)),
                ("fleiss", "fleiss", [], five_path, "statsmodels aggregate_raters + fleiss_kappa",
                 statsmodels_fleiss(five)),
                ("krippendorff nominal", "krippendorff", ["--level", "nominal"], five_path,
                 "numpy coincidence-matrix alpha (stand-in)", numpy_krippendorff(five, "nominal")),
                ("krippendorff interval", "krippendorff", ["--level", "interval"], five_path,
                 "numpy coincidence-matrix alpha (stand-in)", numpy_krippendorff(five, "interval")),
            ]
            for label, stat, extra, path, peer, function in cases:
                value, seconds, cpu = calibra_in_process(driver, path, stat, extra, repeat)
                cli_result = calibra_cli(cli, path, stat, extra, 1 if size >= 1_000_000 else 3)
                peer_value, peer_seconds, peer_cpu = best_of(function, repeat)
                rows.append(dict(stat=label, size=size, peer=peer, calibra=seconds, calibra_cpu=cpu,
                                 cli=cli_result[1] if cli_result else None, peer_seconds=peer_seconds,
                                 peer_cpu=peer_cpu, value=value, peer_value=peer_value))

            # psych::ICC: the default (lme4 variance components) at every size
            # that fits the time cap, and the classical aov() form where its
            # dense design matrix fits in memory.
            value, seconds, cpu = calibra_in_process(driver, five_path, "icc", ["--form", "ICC2"], repeat)
            cli_result = calibra_cli(cli, five_path, "icc", ["--form", "ICC2"], 1 if size >= 1_000_000 else 3)
            units = size // 5
            design_bytes = float(size) * units * 8
            if design_bytes <= AOV_MEMORY_CAP:
                peer = psych_icc(five_path, False, 1, timeout=2 * PSYCH_TIME_CAP)
                if peer is None:
                    notes.append(f"psych::ICC(lmer=FALSE) timed out at {size} ratings "
                                 f"(> {2 * PSYCH_TIME_CAP:.0f} s)")
                else:
                    rows.append(dict(stat="icc2", size=size, peer="psych::ICC(lmer=FALSE)", calibra=seconds,
                                     calibra_cpu=cpu, cli=cli_result[1] if cli_result else None,
                                     peer_seconds=peer[1], peer_cpu=peer[2], value=value, peer_value=peer[0]))
            else:
                notes.append(f"psych::ICC(lmer=FALSE) skipped at {size} ratings: its aov() builds a dense "
                             f"{size} x {units} design matrix ({design_bytes / 1e9:.0f} GB)")
            # Sizes whose projection (linear in the ratings) is far past the
            # cap are not tried; the others get the cap as a hard time-out.
            projected = None if psych_lmer_last is None else psych_lmer_last * 10
            if projected is not None and projected > 3 * PSYCH_TIME_CAP:
                notes.append(f"psych::ICC (default, lme4) skipped at {size} ratings: projected "
                             f"{projected:.0f} s from the previous size, far over the {PSYCH_TIME_CAP:.0f} s cap")
            else:
                # R start-up, reading the file and the warm-up come on top.
                peer = psych_icc(five_path, True, 1, timeout=PSYCH_TIME_CAP + 30)
                if peer is None:
                    notes.append(f"psych::ICC (default, lme4) did not finish within the {PSYCH_TIME_CAP:.0f} s "
                                 f"cap at {size} ratings (stopped)")
                    psych_lmer_last = float("inf")
                else:
                    psych_lmer_last = peer[1]
                    rows.append(dict(stat="icc2", size=size, peer="psych::ICC (default: lme4 REML)",
                                     calibra=seconds, calibra_cpu=cpu, cli=cli_result[1] if cli_result else None,
                                     peer_seconds=peer[1], peer_cpu=peer[2], value=value, peer_value=peer[0],
                                     inexact="REML"))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    report = render(rows, notes, cli is not None)
    print(report)
    if args.save:
        with open(os.path.join(REPO, "benchmarks", "results", "compare_peers.txt"), "w") as out:
            out.write(report + "\n")


def render(rows, notes, have_cli):
    import sklearn
    import statsmodels
    lines = []
    lines.append(f"calibra vs peers, {datetime.date.today().isoformat()}, {platform.node() or 'host'}: "
                 f"{os.cpu_count()} cores, Python {platform.python_version()}, numpy {np.__version__}, "
                 f"scikit-learn {sklearn.__version__}, statsmodels {statsmodels.__version__}")
    lines.append(f"load average at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    lines.append("seconds = best wall time of the repeats, computation only (calibra: agree() in-process, "
                 "coding included; peers: the call(s) named, in-process)")
    lines.append("ratio = peer / calibra (wall); cpu ratio = the same on process CPU time; "
                 "check = |calibra - peer| / |peer| <= 1e-9")
    lines.append("")
    header = ["statistic", "ratings", "peer", "calibra s", "peer s", "ratio", "cpu ratio", "check"]
    if have_cli:
        header.insert(4, "CLI s")
    table = [header]
    for r in rows:
        difference = relative_difference(r["value"], r["peer_value"])
        check = "ok" if difference <= RELATIVE_TOLERANCE else f"DIFF {difference:.1e}"
        if r.get("inexact") and difference > RELATIVE_TOLERANCE:
            check = f"~{difference:.0e} ({r['inexact']})"
        cells = [r["stat"], f"{r['size']:.0e}".replace("e+0", "e"), r["peer"], f"{r['calibra']:.6f}",
                 f"{r['peer_seconds']:.6f}", f"{r['peer_seconds'] / r['calibra']:.1f}",
                 f"{r['peer_cpu'] / max(r['calibra_cpu'], 1e-6):.1f}", check]
        if have_cli:
            cells.insert(4, "-" if r["cli"] is None else f"{r['cli']:.3f}")
        table.append(cells)
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for i, row in enumerate(table):
        lines.append("  ".join(cell.ljust(widths[j]) if j in (0, 2) else cell.rjust(widths[j])
                               for j, cell in enumerate(row)))
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    lines.append("")
    largest = max(r["size"] for r in rows) if rows else 0
    target_rows = [r for r in rows if r["size"] == largest]
    met = [r for r in target_rows if r["peer_seconds"] / r["calibra"] >= 10]
    lines.append(f"target (ratio >= 10 at {largest:.0e} ratings): met for {len(met)} of {len(target_rows)} peers")
    for r in target_rows:
        if r not in met:
            lines.append(f"  missed: {r['stat']} vs {r['peer']}: ratio {r['peer_seconds'] / r['calibra']:.1f}")
    if any(r.get("inexact") for r in rows):
        lines.append("note: psych::ICC's default (lmer=TRUE) takes the mean squares from lme4's REML variance "
                     "components, found by an iterative optimiser (and clipped at 0 on the boundary), so it "
                     "matches the exact ANOVA value only to the optimiser's tolerance; the 1e-9 check is made "
                     "against psych::ICC(lmer=FALSE), the exact ANOVA, where that fits in time and memory")
    for r in rows:
        difference = relative_difference(r["value"], r["peer_value"])
        if not difference <= RELATIVE_TOLERANCE and not r.get("inexact"):
            lines.append(f"value check: {r['stat']} at {r['size']} vs {r['peer']}: calibra {r['value']!r}, "
                         f"peer {r['peer_value']!r} (relative difference {difference:.2e})")
    for note in notes:
        lines.append("note: " + note)
    return "\n".join(lines)


if __name__ == "__main__":
    main()
