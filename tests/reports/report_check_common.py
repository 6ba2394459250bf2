"""Shared by the report checks run by CTest (check_xlsx.py, check_html.py,
check_chromium.py): command-line arguments, running the calibra CLI, the
framework file the expectations come from, and a hostile copy of it.

The expected values are read from data/frameworks/product-manager.json with
the json module, never from calibra's own output.
"""

import argparse
import copy
import json
import os
import shutil
import subprocess
import sys

SKIP = 77  # CTest SKIP_RETURN_CODE

# ColorBrewer YlGnBu, 5 classes, as R's RColorBrewer::brewer.pal(5, "YlGnBu")
# prints it: the level colours of a five-level scale.
YLGNBU_5 = ["FFFFCC", "A1DAB4", "41B6C4", "2C7FB8", "253494"]

SCRIPT_NAME = "<script>alert(1)</script>"
FORMULA_NAME = '=HYPERLINK("http://evil.example","x")'


class CheckFailed(Exception):
    pass


def check(condition, message):
    if not condition:
        raise CheckFailed(message)


def parse_args(description):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--cli", required=True, help="path of the built calibra program")
    parser.add_argument("--source-dir", required=True, help="calibra source tree")
    parser.add_argument("--work-dir", required=True, help="scratch directory for outputs")
    args = parser.parse_args()
    args.framework_file = os.path.join(args.source_dir, "data", "frameworks", "product-manager.json")
    return args


def fresh_dir(path):
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    return path


def run_cli(cli, *arguments):
    result = subprocess.run([cli, *arguments], capture_output=True, text=True, timeout=300)
    if result.returncode != 0:
        raise CheckFailed(f"calibra {' '.join(arguments)} exited {result.returncode}: {result.stderr}")
    check(result.stderr == "", f"calibra wrote to stderr although it is not a terminal: {result.stderr!r}")
    return result


def load_framework(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def level_ordinal(framework, level_id):
    for i, level in enumerate(framework["scale"], start=1):
        if level["id"] == level_id:
            return i
    raise CheckFailed(f"unknown level {level_id}")


def level_label(framework, ordinal):
    return framework["scale"][ordinal - 1]["label"]


def quadrant_title(quadrant):
    return quadrant[0].upper() + quadrant[1:]


def write_hostile_framework(framework, path):
    """The framework with markup and formulas in user-provided text."""
    hostile = copy.deepcopy(framework)
    hostile["metadata"]["name"] = "<b>Ladder</b> & co"
    hostile["competencies"][0]["name"] = SCRIPT_NAME
    hostile["competencies"][1]["name"] = FORMULA_NAME
    hostile["competencies"][2]["name"] = "@SUM(A1:A9)"
    hostile["competencies"][3]["name"] = "+cmd|' /C calc'!A0"
    hostile["competencies"][4]["definition"] = "Defines <img src=x onerror=alert(2)> and -2+3."
    with open(path, "w", encoding="utf-8") as f:
        json.dump(hostile, f)
    return hostile


def main(body):
    try:
        body()
    except CheckFailed as failure:
        print(f"FAILED: {failure}", file=sys.stderr)
        sys.exit(1)
    print("ok")
