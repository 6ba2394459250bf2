#!/usr/bin/python3
"""The framework workbook edited in a spreadsheet program, played by openpyxl:
a workbook written by `calibra framework export --to xlsx` is changed the way
a manager would (a competency renamed, a definition and an anchor rewritten,
a target raised, an owner added, a date typed as a date), saved, and read
back with `calibra framework import`; every change must come back and
nothing else may change.  Also checks the layout a spreadsheet user relies
on: level colours on the Scale rows and as conditional formats on Targets,
drop-down lists, and the starter kit's ratings template.  Exits 77 when
openpyxl is missing."""

import copy
import datetime
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from report_check_common import SKIP, YLGNBU_5, check, fresh_dir, load_framework, main, parse_args, run_cli  # noqa: E402

try:
    import openpyxl
except ImportError:
    print("openpyxl is not installed: skipped", file=sys.stderr)
    sys.exit(SKIP)


def cell_of(ws, header, key):
    """(row, column) of the cell in column `header` of the row whose column A is `key`."""
    columns = {ws.cell(row=1, column=c).value: c for c in range(1, ws.max_column + 1)}
    for r in range(2, ws.max_row + 1):
        if ws.cell(row=r, column=1).value == key:
            return r, columns[header]
    raise AssertionError(f"{ws.title}: no row {key}")


def body():
    args = parse_args(__doc__)
    work = fresh_dir(os.path.join(args.work_dir, "framework-workbook"))
    original = load_framework(args.framework_file)
    book_path = os.path.join(work, "framework.xlsx")
    run_cli(args.cli, "framework", "export", "--to", "xlsx", "--out", book_path)

    book = openpyxl.load_workbook(book_path)
    check(book.sheetnames == ["Framework", "Scale", "Areas", "Competencies", "Actions", "Anchors", "Career levels",
                              "Steps", "Targets", "Archetypes", "Archetype competencies", "Promotion gaps"],
          f"sheets: {book.sheetnames}")

    # Layout: the Scale rows take the level colours of the report (YlGnBu),
    # Targets colours its cells by conditional formats, one per level, and
    # offers the level ids in a drop-down list.
    scale = book["Scale"]
    for i in range(len(original["scale"])):
        fill = scale.cell(row=i + 2, column=2).fill.fgColor.rgb
        check(fill[-6:].upper() == YLGNBU_5[i].upper(), f"Scale row {i + 2} fill {fill}, expected {YLGNBU_5[i]}")
    targets = book["Targets"]
    rules = [rule for ranges in targets.conditional_formatting for rule in ranges.rules]
    check(len(rules) == len(original["scale"]), f"Targets has {len(rules)} conditional formats")
    check(sorted(r.formula[0].strip('"') for r in rules) == sorted(level["id"] for level in original["scale"]),
          "one conditional format per level id")
    lists = [dv for dv in targets.data_validations.dataValidation if dv.type == "list"]
    check(any("Scale!$A$2:$A$6" in dv.formula1 for dv in lists), "Targets offers the level ids")
    gaps = book["Promotion gaps"]
    check(gaps.cell(row=1, column=1).value == "From" and gaps.max_row > 10, "Promotion gaps is filled")
    framework_sheet = book["Framework"]
    fields = {framework_sheet.cell(row=r, column=1).value: r for r in range(2, framework_sheet.max_row + 1)}
    check(framework_sheet.cell(row=fields["Version"], column=2).value == original["metadata"]["version"], "version")
    check(framework_sheet.cell(row=fields["Last updated"], column=2).value == original["metadata"]["last_updated"],
          "date")

    # The edits.
    expected = copy.deepcopy(original)
    comp = original["competencies"][3]
    level = original["scale"][1]["id"]
    r, c = cell_of(book["Competencies"], "Name", comp["id"])
    book["Competencies"].cell(row=r, column=c).value = "Renamed in a spreadsheet"
    expected["competencies"][3]["name"] = "Renamed in a spreadsheet"
    r, c = cell_of(book["Competencies"], "Definition", comp["id"])
    book["Competencies"].cell(row=r, column=c).value = "A definition rewritten in one sentence."
    expected["competencies"][3]["definition"] = "A definition rewritten in one sentence."
    r, c = cell_of(book["Anchors"], level, comp["id"])
    book["Anchors"].cell(row=r, column=c).value = "Writes the plan for one feature. Shares it with the team."
    expected["competencies"][3]["anchors"][level] = "Writes the plan for one feature. Shares it with the team."
    top = original["career_levels"][-1]["id"]
    r, c = cell_of(book["Targets"], top, comp["id"])
    old = book["Targets"].cell(row=r, column=c).value
    new = original["scale"][-1]["id"] if old != original["scale"][-1]["id"] else original["scale"][-2]["id"]
    book["Targets"].cell(row=r, column=c).value = new
    expected["expectations"][top][comp["id"]] = new
    # A date typed into the cell becomes a date cell in a spreadsheet program.
    framework_sheet.cell(row=fields["Last updated"], column=2).value = datetime.datetime(2027, 2, 28)
    expected["metadata"]["last_updated"] = "2027-02-28"
    framework_sheet.append(["Owner", "head-of-product@example.org"])
    expected["metadata"].setdefault("owners", []).append("head-of-product@example.org")
    edited = os.path.join(work, "edited.xlsx")
    book.save(edited)

    out = os.path.join(work, "edited.json")
    run_cli(args.cli, "framework", "import", edited, "--out", out)
    got = load_framework(out)
    check(got == expected, "the imported framework differs from the edited one: " +
          json.dumps({k: (got.get(k) != expected.get(k)) for k in expected}))

    # An edit that breaks the format is reported at its cell; nothing is written.
    broken = openpyxl.load_workbook(book_path)
    r, c = cell_of(broken["Targets"], top, comp["id"])
    broken["Targets"].cell(row=r, column=c).value = "Expert"
    broken_path = os.path.join(work, "broken.xlsx")
    broken.save(broken_path)
    broken_out = os.path.join(work, "broken.json")
    result = subprocess.run([args.cli, "framework", "import", broken_path, "--out", broken_out],
                            capture_output=True, text=True, timeout=300)
    ref = f"Targets!{openpyxl.utils.get_column_letter(c)}{r}"
    check(result.returncode == 2, f"exit {result.returncode}")
    check(f"{ref}: unknown level 'Expert'" in result.stderr, f"message: {result.stderr}")
    check(not os.path.exists(broken_out), "nothing written")

    # Problems of the workbook's shape (an unknown sheet, an unknown column)
    # come with those the JSON reader finds on other sheets, all in one run.
    shaped = openpyxl.load_workbook(book_path)
    shaped.create_sheet("Notes")
    shaped["Career levels"].cell(row=1, column=5).value = "Salary band"
    shaped["Targets"].cell(row=r, column=c).value = "Expert"
    shaped_path = os.path.join(work, "shaped.xlsx")
    shaped.save(shaped_path)
    result = subprocess.run([args.cli, "framework", "import", shaped_path], capture_output=True, text=True,
                            timeout=300)
    check(result.returncode == 2 and result.stdout == "", f"exit {result.returncode}")
    check("3 problems" in result.stderr, f"message: {result.stderr}")
    check("sheet 'Notes': unknown sheet" in result.stderr, f"message: {result.stderr}")
    check("'Career levels'!E1: unknown column 'Salary band'" in result.stderr, f"message: {result.stderr}")
    check(f"{ref}: unknown level 'Expert'" in result.stderr, f"message: {result.stderr}")

    # The starter kit's ratings template: drop-down lists for the role,
    # competency and level columns, over the Lists sheet.
    kit = os.path.join(work, "kit")
    run_cli(args.cli, "init", kit, "--competencies", "Delivery,Discovery,Pricing,Strategy", "--levels", "4")
    template = openpyxl.load_workbook(os.path.join(kit, "ratings-template.xlsx"))
    check(template.sheetnames == ["Ratings", "Lists", "Read me"], f"template sheets {template.sheetnames}")
    header = [c.value for c in template["Ratings"][1]]
    check(header == ["ratee", "rater", "role", "competency", "level", "period", "career_level", "evidence"],
          f"template header {header}")
    formulas = {dv.sqref.ranges[0].coord.split(":")[0][0]: dv.formula1
                for dv in template["Ratings"].data_validations.dataValidation}
    check(formulas.get("C") == "Lists!$E$2:$E$7", f"role list {formulas}")
    check(formulas.get("D") == "Lists!$A$2:$A$5", f"competency list {formulas}")
    check(formulas.get("E") == "Lists!$C$2:$C$5", f"level list {formulas}")
    lists_sheet = template["Lists"]
    check([lists_sheet.cell(row=r, column=1).value for r in range(2, 6)] == ["delivery", "discovery", "pricing", "strategy"],
          "competency ids on the Lists sheet")


if __name__ == "__main__":
    main(body)
