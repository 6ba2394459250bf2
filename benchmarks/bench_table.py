#!/usr/bin/python3
"""Turns a Google Benchmark JSON file of calibra_bench_agreement into the
Markdown tables of docs/performance.md.

    /usr/bin/python3 benchmarks/bench_table.py benchmarks/results/bench_agreement.json
"""

import json
import sys


def millions(rate):
    return f"{rate / 1e6:.0f}" if rate >= 1e7 else f"{rate / 1e6:.1f}"


def seconds_text(seconds):
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds * 1e6:.0f} µs"


def to_seconds(time, unit):
    return time * {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}[unit]


def main(path):
    with open(path) as f:
        document = json.load(f)
    context = document["context"]
    print(f"<!-- {context['date']}, {context['num_cpus']} x {context['mhz_per_cpu']} MHz, "
          f"load average {', '.join(f'{x:.1f}' for x in context.get('load_avg', []))} -->")

    sizes = []
    coefficients = {}
    merges = {}
    bootstraps = []
    for run in document["benchmarks"]:
        if run.get("run_type") == "aggregate" or run.get("error_occurred"):
            continue
        name = run["name"]
        if name.startswith("BM_bootstrap"):
            bootstraps.append((run["label"], to_seconds(run["real_time"], run["time_unit"]),
                               run.get("process_cpu_s")))
            continue
        base, size = name.rsplit("/", 1)
        size = int(size)
        if size not in sizes:
            sizes.append(size)
        cpu = to_seconds(run["cpu_time"], run["time_unit"])
        target = merges if base.startswith("BM_merge_") else coefficients
        target.setdefault(base.replace("BM_merge_", ""), {})[size] = (cpu, run["items_per_second"])
    sizes.sort()

    def table(rows, title):
        print(f"| {title} | " + " | ".join(f"10^{len(str(s)) - 1}" for s in sizes) + " |")
        print("|---|" + "---:|" * len(sizes))
        for name, by_size in rows.items():
            cells = []
            for s in sizes:
                if s in by_size:
                    cpu, rate = by_size[s]
                    cells.append(f"{seconds_text(cpu)} ({millions(rate)})")
                else:
                    cells.append("-")
            print(f"| {name} | " + " | ".join(cells) + " |")
        print()

    print("CPU time per call (million ratings per second in brackets):\n")
    table(coefficients, "coefficient")
    if merges:
        print("Mergeable summaries, 4 chunks coded and summarised separately, merged, finished:\n")
        table(merges, "summary")
    if bootstraps:
        print("| bootstrap | wall time | CPU time, all threads |")
        print("|---|---:|---:|")
        for label, seconds, cpu in bootstraps:
            print(f"| {label} | {seconds_text(seconds)} | {'-' if cpu is None else seconds_text(cpu)} |")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "benchmarks/results/bench_agreement.json")
