#!/usr/bin/python3
"""Parses the HTML report with html.parser: well-formed nesting, no external
requests (no scripts, no src, links only within the page, no CSS imports or
url()), every section present, target cells coloured by the expected level,
and a competency named <script>alert(1)</script> shown as text."""

import os
import re
import sys
from html.parser import HTMLParser

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from report_check_common import (SCRIPT_NAME, check, fresh_dir, level_ordinal, load_framework, main,  # noqa: E402
                                 parse_args, run_cli, write_hostile_framework)

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
        "circle", "line", "rect", "polyline", "path"}  # the last five are self-closed in the inline SVG
FORBIDDEN_TAGS = {"script", "iframe", "object", "embed", "link", "img", "base", "frame", "audio", "video", "source"}


class ReportParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.problems, self.text = [], [], []
        self.tags, self.hrefs, self.styles, self.metas = [], [], [], []
        self.h2, self._in_h2, self._in_style = [], False, False
        # Targets table: rows of (cell text, classes).
        self._table_id, self._block_id, self._row = None, None, None
        self.target_rows = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        for name, value in attrs.items():
            if name in ("src", "srcset", "data", "poster", "action", "formaction", "background"):
                self.problems.append(f"<{tag}> has a {name} attribute: {value!r}")
            if name.startswith("on"):
                self.problems.append(f"<{tag}> has an event handler {name}")
            if name == "href":
                self.hrefs.append(value)
            if name == "style":
                self.styles.append(value or "")
        if tag == "meta":
            self.metas.append(attrs)
        if tag == "h2":
            self._in_h2 = True
            self.h2.append("")
        if tag == "style":
            self._in_style = True
            self.styles.append("")
        if tag == "div" and attrs.get("class") == "table-block":
            self._block_id = attrs.get("id")
        if self._block_id == "t-targets":
            if tag == "tr":
                self._row = []
            if tag == "td" and self._row is not None:
                self._row.append(["", attrs.get("class") or ""])
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack and self.stack[-1] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1] if self.stack else 'nothing'}")
            if tag in self.stack:
                while self.stack and self.stack.pop() != tag:
                    pass
            return
        self.stack.pop()
        if tag == "h2":
            self._in_h2 = False
        if tag == "style":
            self._in_style = False
        if tag == "tr" and self._row is not None:
            if self._row:
                self.target_rows.append(self._row)
            self._row = None

    def handle_data(self, data):
        self.text.append(data)
        if self._in_h2:
            self.h2[-1] += data
        if self._in_style:
            self.styles[-1] += data
        if self._row and self._block_id == "t-targets":
            self._row[-1][0] += data


def parse(path):
    with open(path, encoding="utf-8") as f:
        source = f.read()
    parser = ReportParser()
    parser.feed(source)
    parser.close()
    return source, parser


def check_self_contained(source, parser, label):
    check(not parser.problems, f"{label}: {parser.problems[:5]}")
    check(not parser.stack, f"{label}: unclosed elements {parser.stack}")
    used = set(parser.tags) & FORBIDDEN_TAGS
    check(not used, f"{label}: forbidden elements {used}")
    for href in parser.hrefs:
        check(href.startswith("#"), f"{label}: link leaves the page: {href!r}")
    for style in parser.styles:
        lowered = style.lower()
        check("@import" not in lowered and "url(" not in lowered, f"{label}: CSS fetches something: {style[:80]!r}")
    check(not re.search(r"(?i)(src|href)\s*=\s*[\"']?\s*(https?:|//)", source), f"{label}: an external URL attribute")
    csp = [m.get("content", "") for m in parser.metas if (m.get("http-equiv") or "").lower() == "content-security-policy"]
    check(csp and "default-src 'none'" in csp[0], f"{label}: no Content-Security-Policy forbidding fetches")


def run():
    args = parse_args(__doc__)
    fw = load_framework(args.framework_file)

    out = fresh_dir(os.path.join(args.work_dir, "html-default"))
    run_cli(args.cli, "report", "--out", out, "--format", "html")
    source, parser = parse(os.path.join(out, "report.html"))
    check_self_contained(source, parser, "default report")
    check(parser.h2 == ["Overview", "Anchors", "Targets", "Promotion gaps", "Checks", "Ratings data", "Calibration",
                        "Raters", "Self vs manager", "Ratees", "Matrix validation"], f"sections {parser.h2}")
    check(source.count("<svg ") == 6, f"{source.count('<svg ')} charts, expected 6")
    text = "".join(parser.text)
    meta = fw["metadata"]
    check(f"version {meta['version']}" in " ".join(text.split()), "the page does not show the framework version")
    check(meta["last_updated"] in text, "the page does not show the last-updated date")

    # Targets: every cell carries the class of the file's expected level.
    comps = {c["name"]: c for c in fw["competencies"]}
    levels = fw["career_levels"]
    check(len(parser.target_rows) == len(comps), f"{len(parser.target_rows)} target rows")
    for row in parser.target_rows:
        name = row[0][0]
        comp = comps[name]
        for j, level in enumerate(levels):
            ordinal = level_ordinal(fw, fw["expectations"][level["id"]][comp["id"]])
            cell_text, classes = row[1 + j]
            check(f"lv{ordinal}" in classes.split(), f"{name} / {level['id']}: classes {classes!r}, level {ordinal}")
            check(cell_text == fw["scale"][ordinal - 1]["label"], f"{name} / {level['id']}: {cell_text!r}")

    # Injection.
    work = fresh_dir(os.path.join(args.work_dir, "html-hostile"))
    hostile_path = os.path.join(work, "hostile.json")
    write_hostile_framework(fw, hostile_path)
    run_cli(args.cli, "report", "--framework", hostile_path, "--out", os.path.join(work, "out"), "--format", "html")
    source, parser = parse(os.path.join(work, "out", "report.html"))
    check_self_contained(source, parser, "hostile report")
    text = "".join(parser.text)
    check(SCRIPT_NAME in text, "the <script> competency name is not shown as text")
    check("<img src=x onerror=alert(2)>" in text, "the <img> definition is not shown as text")
    check("<b>Ladder</b> & co" in text, "the framework name is not shown as text")
    check("<b>Ladder" not in source, "the framework name became markup")


if __name__ == "__main__":
    main(run)
