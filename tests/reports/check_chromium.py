#!/usr/bin/python3
"""Renders the HTML report in headless Chromium: the screenshot must not be
blank (many distinct colours, the level colours among them, a fair share of
non-white pixels), and the DOM Chromium builds from the hostile report must
hold no script element, only the escaped text.  Exits 77 when Chromium is
not installed."""

import os
import shutil
import struct
import subprocess
import sys
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from report_check_common import (SCRIPT_NAME, SKIP, YLGNBU_5, check, fresh_dir, load_framework, main,  # noqa: E402
                                 parse_args, run_cli, write_hostile_framework)

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None:
    print("chromium is not installed: skipped", file=sys.stderr)
    sys.exit(SKIP)


def chromium(work, *arguments):
    profile = os.path.join(work, "profile")
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
               "--disable-extensions", "--user-data-dir=" + profile, *arguments]
    env = dict(os.environ, HOME=work)
    return subprocess.run(command, capture_output=True, timeout=180, env=env)


def decode_png(path):
    """(width, height, rows of RGB tuples) for 8-bit RGB or RGBA PNGs, with zlib only."""
    with open(path, "rb") as f:
        data = f.read()
    check(data[:8] == b"\x89PNG\r\n\x1a\n", "the screenshot is not a PNG")
    pos, idat, width = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour_type = struct.unpack(">IIBB", body[:10])
            check(depth == 8 and colour_type in (2, 6), f"unexpected PNG format depth={depth} type={colour_type}")
            channels = 3 if colour_type == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        filter_type = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            upper_left = previous[i - channels] if i >= channels else 0
            if filter_type == 1:
                line[i] = (line[i] + left) & 255
            elif filter_type == 2:
                line[i] = (line[i] + up) & 255
            elif filter_type == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif filter_type == 4:
                p = left + up - upper_left
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - upper_left)
                predictor = left if pa <= pb and pa <= pc else (up if pb <= pc else upper_left)
                line[i] = (line[i] + predictor) & 255
        rows.append([tuple(line[x * channels:x * channels + 3]) for x in range(width)])
        previous = line
    return width, height, rows


def run():
    args = parse_args(__doc__)
    fw = load_framework(args.framework_file)
    work = fresh_dir(os.path.join(args.work_dir, "chromium"))
    out = os.path.join(work, "out")
    run_cli(args.cli, "report", "--out", out, "--format", "html")
    page = "file://" + os.path.join(out, "report.html")

    shot = os.path.join(work, "report.png")
    result = chromium(work, "--screenshot=" + shot, "--window-size=1280,2000", "--hide-scrollbars", page)
    check(os.path.exists(shot), f"chromium wrote no screenshot (exit {result.returncode}): {result.stderr[-400:]!r}")
    width, height, rows = decode_png(shot)
    check((width, height) == (1280, 2000), f"screenshot is {width}x{height}")
    colours, non_white = {}, 0
    for row in rows[::2]:
        for pixel in row[::2]:
            colours[pixel] = colours.get(pixel, 0) + 1
            if pixel != (255, 255, 255):
                non_white += 1
    sampled = sum(colours.values())
    check(len(colours) >= 50, f"only {len(colours)} distinct colours: the page looks blank")
    check(non_white / sampled >= 0.05, f"only {non_white / sampled:.1%} of the page is not white")
    # The legend and the scale table paint solid level colours near the top.
    level_fills = {tuple(int(h[i:i + 2], 16) for i in (0, 2, 4)) for h in YLGNBU_5[:len(fw["scale"])]}
    painted = {c for c in level_fills if colours.get(c, 0) >= 20}
    check(len(painted) == len(level_fills), f"level colours on screen: {len(painted)} of {len(level_fills)}")

    # The DOM Chromium builds from the hostile report: text, not elements.
    hostile_path = os.path.join(work, "hostile.json")
    write_hostile_framework(fw, hostile_path)
    hostile_out = os.path.join(work, "hostile")
    run_cli(args.cli, "report", "--framework", hostile_path, "--out", hostile_out, "--format", "html")
    result = chromium(work, "--dump-dom", "file://" + os.path.join(hostile_out, "report.html"))
    dom = result.stdout.decode("utf-8", "replace")
    check("</html>" in dom, f"chromium printed no DOM (exit {result.returncode}): {result.stderr[-400:]!r}")
    check("<script" not in dom.lower(), "the rendered DOM contains a script element")
    check("<img" not in dom.lower(), "the rendered DOM contains an img element")
    check("&lt;script&gt;alert(1)&lt;/script&gt;" in dom, "the <script> name is not in the DOM as text")
    check(SCRIPT_NAME not in dom, "the <script> name is in the DOM as markup")


if __name__ == "__main__":
    main(run)
