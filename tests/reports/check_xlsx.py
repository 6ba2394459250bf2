#!/usr/bin/python3
"""Reads the XLSX report back with openpyxl: sheets, the version/date header
of every sheet, frozen panes, autofilters, column widths, values of the
anchors, targets and promotion-gap sheets, the level colours of the target
cells, and formula injection.  Exits 77 when openpyxl is missing."""

import csv
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from report_check_common import (FORMULA_NAME, SCRIPT_NAME, SKIP, YLGNBU_5, check, fresh_dir, level_label,  # noqa: E402
                                 level_ordinal, load_framework, main, parse_args, quadrant_title, run_cli,
                                 write_hostile_framework)

try:
    import openpyxl
    from openpyxl.utils import get_column_letter
except ImportError:
    print("openpyxl is not installed: skipped", file=sys.stderr)
    sys.exit(SKIP)

HEADER_ROW = 5  # title, stamp, intro, blank, then the table header


def contrast(hex_a, hex_b):
    """WCAG 2 contrast ratio of two sRGB colours given as RRGGBB."""
    def luminance(hex_colour):
        def channel(v):
            s = v / 255
            return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4
        r, g, b = (int(hex_colour[i:i + 2], 16) for i in (0, 2, 4))
        return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    high, low = sorted((luminance(hex_a), luminance(hex_b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def data_rows(ws):
    """(row number, values) of the table body, separator rows included."""
    for row in range(HEADER_ROW + 1, ws.max_row + 1):
        values = [ws.cell(row=row, column=c).value for c in range(1, ws.max_column + 1)]
        if all(v is None for v in values):
            break  # the blank line before the notes
        yield row, values


def header(ws):
    return [ws.cell(row=HEADER_ROW, column=c).value for c in range(1, ws.max_column + 1)]


def check_sheet_basics(ws, fw):
    meta = fw["metadata"]
    stamp = ws["A2"].value or ""
    check(f"version {meta['version']}" in stamp, f"{ws.title}: A2 {stamp!r} lacks the framework version")
    check(meta["last_updated"] in stamp, f"{ws.title}: A2 {stamp!r} lacks the last-updated date")
    check(meta["name"] in stamp, f"{ws.title}: A2 {stamp!r} lacks the framework name")
    printed = ws.oddHeader.right.text or ""
    check(meta["version"] in printed and meta["last_updated"] in printed,
          f"{ws.title}: the print header {printed!r} lacks version and date")
    check(ws.freeze_panes is not None and ws.freeze_panes.endswith(str(HEADER_ROW + 1)),
          f"{ws.title}: panes frozen at {ws.freeze_panes!r}, expected below row {HEADER_ROW}")
    body = list(data_rows(ws))
    empty_table = (len(body) == 1 and all(v is None for v in body[0][1][1:])
                   and ws.cell(row=HEADER_ROW + 1, column=1).font.i)  # the table's "no rows" text
    if body and not empty_table:
        ref = ws.auto_filter.ref
        check(ref is not None and ref.startswith(f"A{HEADER_ROW}:"), f"{ws.title}: autofilter {ref!r}")
        last_col = get_column_letter(ws.max_column)
        check(ref.split(":")[1].startswith(last_col), f"{ws.title}: autofilter {ref} does not reach column {last_col}")
    for c in range(1, ws.max_column + 1):
        width = ws.column_dimensions[get_column_letter(c)].width
        check(width is not None and 4 <= width <= 130, f"{ws.title}: column {c} width {width}")


def check_default_report(args, fw):
    out = fresh_dir(os.path.join(args.work_dir, "xlsx-default"))
    run_cli(args.cli, "report", "--out", out, "--format", "xlsx")
    check(sorted(os.listdir(out)) == ["report.xlsx"], f"unexpected files: {os.listdir(out)}")
    wb = openpyxl.load_workbook(os.path.join(out, "report.xlsx"))

    names = wb.sheetnames
    for wanted in ["Anchors", "Targets", "Promotion gaps", "Checks"]:
        check(wanted in names, f"no sheet {wanted!r} in {names}")
    check(names.index("Anchors") < names.index("Targets") < names.index("Promotion gaps") < names.index("Checks"),
          f"sheet order {names}")
    for ws in wb.worksheets:
        check_sheet_basics(ws, fw)
    check(wb.properties.title == fw["metadata"]["name"] + ": calibration report", f"title {wb.properties.title!r}")

    levels = fw["career_levels"]
    comps = fw["competencies"]
    quadrant_of = {c["name"]: c["quadrant"] for c in comps}

    # Targets: competencies x career levels, the expected label in each cell,
    # filled with the level's colour.
    ws = wb["Targets"]
    check(header(ws) == ["Quadrant", "Competency"] + [l["name"] for l in levels], f"Targets header {header(ws)}")
    check(ws.freeze_panes == "C6", f"Targets panes {ws.freeze_panes}")
    seen, fills, separators = set(), {}, []
    for row, values in data_rows(ws):
        if values[1] is None:  # a quadrant separator row
            separators.append(values[0])
            continue
        name = values[1]
        comp = next(c for c in comps if c["name"] == name)
        check(values[0] == quadrant_title(comp["quadrant"]), f"Targets row {row}: quadrant {values[0]}")
        for j, level in enumerate(levels):
            ordinal = level_ordinal(fw, fw["expectations"][level["id"]][comp["id"]])
            cell = ws.cell(row=row, column=3 + j)
            check(cell.value == level_label(fw, ordinal),
                  f"Targets {name} / {level['id']}: {cell.value!r}, expected {level_label(fw, ordinal)!r}")
            fill = cell.fill.fgColor.rgb
            check(cell.fill.fill_type == "solid" and fill == "FF" + YLGNBU_5[ordinal - 1],
                  f"Targets {name} / {level['id']}: fill {fill}, expected FF{YLGNBU_5[ordinal - 1]} (level {ordinal})")
            fills.setdefault(ordinal, set()).add(fill)
            font = cell.font.color.rgb if cell.font.color is not None else None
            check(font in ("FF000000", "FFFFFFFF"), f"Targets {name}: font colour {font}")
            readable = "FF000000" if contrast(YLGNBU_5[ordinal - 1], "000000") >= contrast(YLGNBU_5[ordinal - 1],
                                                                                          "FFFFFF") else "FFFFFFFF"
            check(font == readable, f"Targets {name}: font {font} on level {ordinal}, expected {readable}")
        seen.add(name)
    check(seen == {c["name"] for c in comps}, f"Targets rows {sorted(seen)}")
    check(separators == ["Tactical-internal", "Tactical-external", "Strategic-internal", "Strategic-external"],
          f"Targets separators {separators}")
    check(len({f for s in fills.values() for f in s}) == len(fills), "two levels share a fill colour")

    # Anchors: rows grouped by quadrant with separators, one column per level.
    ws = wb["Anchors"]
    scale = fw["scale"]
    check(header(ws)[4:] == [l["label"] for l in scale], f"Anchors header {header(ws)}")
    current, count = None, 0
    for row, values in data_rows(ws):
        if values[1] is None:
            current = values[0]
            check(ws.cell(row=row, column=1).font.b, f"Anchors separator row {row} is not bold")
            check(ws.cell(row=row, column=1).fill.fill_type == "solid", f"Anchors separator row {row} has no fill")
            continue
        check(current == quadrant_title(quadrant_of[values[1]]), f"Anchors: {values[1]} under {current}")
        comp = next(c for c in comps if c["name"] == values[1])
        for k, level in enumerate(scale):
            check(values[4 + k] == comp["anchors"][level["id"]], f"Anchors {values[1]} / {level['id']} differs")
        count += 1
    check(count == len(comps), f"Anchors has {count} competency rows")
    width = ws.column_dimensions["E"].width
    check(width >= 40, f"anchor columns are {width} wide")

    # Promotion gaps: per step, the competencies whose expected level rises.
    ws = wb["Promotion gaps"]
    names = {l["id"]: l["name"] for l in levels}
    by_step, step = {}, None
    for _, values in data_rows(ws):
        if values[1] is None:
            step = values[0]
            by_step[step] = set()
        else:
            check(values[0] == step, f"gap row {values} outside its step")
            by_step[step].add(values[1])
    expected = {}
    for s in fw["steps"]:
        title = f"{names[s['from']]} → {names[s['to']]}"
        expected[title] = {c["name"] for c in comps
                           if level_ordinal(fw, fw["expectations"][s["to"]][c["id"]]) >
                           level_ordinal(fw, fw["expectations"][s["from"]][c["id"]])}
    check(by_step == expected, f"promotion gaps {by_step} != {expected}")

    # Checks: the built-in framework passes every rule.
    ws = wb["Checks"]
    check(any("No findings" in str(v) for _, v in ((r, ws.cell(row=r, column=1).value) for r in range(1, 12))),
          "Checks sheet does not say 'No findings'")


def check_calibration_sheets(args, fw):
    """The calibration sheets of the default run against data/examples/ratings.csv, counted here."""
    wb = openpyxl.load_workbook(os.path.join(args.work_dir, "xlsx-default", "report.xlsx"))
    with open(os.path.join(args.source_dir, "data", "examples", "ratings.csv"), newline="", encoding="utf-8") as f:
        ratings = list(csv.DictReader(f))

    ws = wb["Ratings data"]
    read = {values[0]: values[1] for _, values in data_rows(ws)}
    check(read["Ratings kept"] == len(ratings), f"ratings kept {read['Ratings kept']} != {len(ratings)} CSV rows")
    check(read["Ratees"] == len({r["ratee"] for r in ratings}), "ratee count")
    check(read["Raters"] == len({r["rater"] for r in ratings}), "rater count")
    check(read["Periods"] == len({r["period"] for r in ratings}), "period count")
    for role in ("self", "manager", "peer", "skip-level", "panel", "external"):
        expected = sum(1 for r in ratings if r["role"] == role)
        check(read[f"Ratings by role: {role}"] == expected, f"ratings by role {role}: {read[f'Ratings by role: {role}']}")

    # Raters: the mean level each rater gives (external ratings only).
    ws = wb["Raters"]
    columns = header(ws)
    rater_col, mean_col, flags_col = columns.index("Rater"), columns.index("Mean level given"), columns.index("Flags")
    seen = 0
    for _, values in data_rows(ws):
        if values[rater_col] is None or values[mean_col] is None:
            continue  # a group separator
        given = [level_ordinal(fw, r["level"]) for r in ratings if r["rater"] == values[rater_col] and r["role"] != "self"]
        check(given, f"rater {values[rater_col]} has no external ratings in the CSV")
        mean = sum(given) / len(given)
        check(abs(values[mean_col] - mean) < 1e-9, f"{values[rater_col]}: mean level {values[mean_col]} != {mean}")
        seen += 1
    check(seen == len({r["rater"] for r in ratings if r["role"] != "self"}), f"{seen} raters on the Raters sheet")
    # The planted lenient manager (data/examples/README.md: mgr1) is flagged.
    flagged = {values[rater_col]: values[flags_col] or "" for _, values in data_rows(ws) if values[rater_col]}
    check("lenient" in flagged.get("mgr1", ""), f"mgr1 flags: {flagged.get('mgr1')!r}")

    for name in ("Calibration", "Raters", "Ratees", "Development plans", "Matrix validation"):
        check(name in wb.sheetnames, f"no sheet {name!r}")


def check_injection(args, fw):
    work = fresh_dir(os.path.join(args.work_dir, "xlsx-hostile"))
    hostile_path = os.path.join(work, "hostile.json")
    write_hostile_framework(fw, hostile_path)
    out = os.path.join(work, "out")
    run_cli(args.cli, "report", "--framework", hostile_path, "--out", out, "--format", "xlsx,csv")
    wb = openpyxl.load_workbook(os.path.join(out, "report.xlsx"))
    found = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                check(cell.data_type != "f", f"{ws.title}!{cell.coordinate} holds a formula: {cell.value!r}")
                if isinstance(cell.value, str):
                    stripped = cell.value.lstrip(" ")
                    check(not stripped or stripped[0] not in "=+-@\t\r",
                          f"{ws.title}!{cell.coordinate} starts like a formula: {cell.value!r}")
                    found.setdefault(cell.value, cell)
    check("'" + FORMULA_NAME in found, "the formula-like competency name is missing or not neutralised")
    check(found["'" + FORMULA_NAME].data_type == "s", "the neutralised name is not a text cell")
    check("'@SUM(A1:A9)" in found and "'+cmd|' /C calc'!A0" in found, "other triggers not neutralised")
    check(SCRIPT_NAME in found, "the <script> name does not appear verbatim as text")

    with open(os.path.join(out, "report-competencies.csv"), newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    column = rows[0].index("Competency")
    names = [r[column] for r in rows[1:]]
    check("'" + FORMULA_NAME in names, f"CSV names {names}")
    for r in rows:
        for field in r:
            check(not field or field[0] not in "=+-@\t\r", f"CSV field starts like a formula: {field!r}")


def run():
    args = parse_args(__doc__)
    fw = load_framework(args.framework_file)
    check_default_report(args, fw)
    check_calibration_sheets(args, fw)
    check_injection(args, fw)


if __name__ == "__main__":
    main(run)
