#!/usr/bin/python3
"""Time and memory of `calibra calibrate` on 10^6 ratings, text and --json.

Writes a long-form ratings CSV for the built-in framework with 10^4 raters
and 10^5 ratees (a clustered organisation, like benchmarks/bench_mixed_model:
100 departments of 100 raters and 1,000 ratees; each ratee is rated by 5
raters of their department on 2 of the 12 competencies, so 10 ratings per
ratee; 10 ratees per department also get the previous department's head
as one of their five, which links the departments into one network).  Then
runs the CLI twice under /usr/bin/time -v, once printing text and once
printing JSON, and prints wall time, peak memory and the JSON/text ratio.

    /usr/bin/python3 benchmarks/cli/calibrate_scale.py build/bin/calibra [--ratees 100000] [--keep DIR]

Goal (docs/severity.md, "Whole analysis at 10^6 ratings"): at most 10 s on
2 cores and JSON within 2x the text path's peak memory.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

import numpy as np

LEVELS = ["foundational", "developing", "proficient", "advanced", "expert"]
COMPETENCIES = [
    "functional-specification", "product-delivery", "product-quality", "fluency-with-data",
    "voice-of-the-customer", "user-experience-design", "stakeholder-inclusion", "team-leadership",
    "managing-up", "business-outcome-ownership", "product-vision-roadmapping", "strategic-impact",
]
CAREER_LEVELS = ["apm", "pm", "senior-pm", "principal-pm"]


def write_ratings(path, n_ratees, seed=1):
    rng = np.random.default_rng(seed)
    departments = max(1, n_ratees // 1000)
    raters_per_department = 100
    per_department = n_ratees // departments
    rater_effect = rng.normal(0, 0.3, departments * raters_per_department)
    with open(path, "w") as out:
        out.write("ratee,rater,role,competency,level,period,career_level\n")
        for d in range(departments):
            base = d * raters_per_department
            ratees = np.arange(per_department) + d * per_department
            career = rng.integers(0, len(CAREER_LEVELS), per_department)
            ability = rng.normal(3, 0.6, per_department)
            # four distinct team leads per ratee: their own lead and three others
            leads = base + 10 + np.argsort(rng.random((per_department, 90)), axis=1)[:, :4]
            lead = leads[:, 0]
            senior = base + 1 + (lead - base - 10) // 10
            others = leads[:, 1:].copy()
            others[:10, 0] = ((d - 1) % departments) * raters_per_department  # the previous head
            raters = np.column_stack([lead, senior, others])
            roles = ["manager", "skip-level", "peer", "peer", "peer"]
            lines = []
            for i in range(per_department):
                comps = rng.choice(12, 2, replace=False)
                for k in range(5):
                    for c in comps:
                        score = ability[i] + rater_effect[raters[i, k]] + rng.normal(0, 0.5)
                        level = int(min(5, max(1, round(score))))
                        lines.append(f"r{ratees[i]},m{raters[i, k]},{roles[k]},{COMPETENCIES[c]},"
                                     f"{LEVELS[level - 1]},2026Q4,{CAREER_LEVELS[career[i]]}\n")
            out.write("".join(lines))
    return n_ratees * 10


def run(cli, args):
    proc = subprocess.run(["/usr/bin/time", "-v", cli, *args], stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        sys.exit(f"{' '.join(args)} failed with exit {proc.returncode}:\n{proc.stderr[-2000:]}")
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", proc.stderr)
    hours = float(wall.group(1) or 0)
    seconds = hours * 3600 + float(wall.group(2)) * 60 + float(wall.group(3))
    rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr).group(1))
    user = float(re.search(r"User time \(seconds\): ([\d.]+)", proc.stderr).group(1))
    system = float(re.search(r"System time \(seconds\): ([\d.]+)", proc.stderr).group(1))
    return seconds, user + system, rss_kb / 1024


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cli", help="path to the calibra executable")
    parser.add_argument("--ratees", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--keep", help="directory to keep the generated CSV in")
    opts = parser.parse_args()
    directory = opts.keep or tempfile.mkdtemp(prefix="calibra-scale-")
    path = os.path.join(directory, f"ratings-{opts.ratees}.csv")
    if not os.path.exists(path):
        write_ratings(path, opts.ratees)
    n = sum(1 for _ in open(path)) - 1
    print(f"{n} ratings, {opts.ratees} ratees, {opts.ratees // 10} raters ({path}); load: {os.getloadavg()[0]:.1f}")
    print(f"{'output':8} {'wall s':>8} {'CPU s':>8} {'peak MB':>9}")
    best = {}
    for _ in range(opts.repeat):
        for name, extra in (("text", []), ("json", ["--json"])):
            wall, cpu, mb = run(opts.cli, ["calibrate", path, *extra])
            print(f"{name:8} {wall:8.2f} {cpu:8.2f} {mb:9.0f}")
            prior = best.get(name)
            best[name] = (min(wall, prior[0]), min(cpu, prior[1]), min(mb, prior[2])) if prior else (wall, cpu, mb)
    print(f"best: text {best['text'][0]:.2f} s {best['text'][2]:.0f} MB; json {best['json'][0]:.2f} s "
          f"{best['json'][2]:.0f} MB; json/text memory {best['json'][2] / best['text'][2]:.2f}")
    if not opts.keep:
        os.remove(path)
        os.rmdir(directory)


if __name__ == "__main__":
    main()
