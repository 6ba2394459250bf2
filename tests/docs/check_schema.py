#!/usr/bin/python3
"""Checks docs/framework.schema.json against the framework files in the tree.

The schema is only useful if it agrees with calibra's reader, so this script
validates every file the reader loads (the built-in framework and every
example in examples/frameworks/) and makes sure the schema rejects the
malformed examples whose problem a schema can express.  It also applies a few
single-field mutations of minimal-valid.json that the reader refuses, so the
ranges, enums and patterns of the schema are exercised too.

Exit status: 0 when every expectation holds, 1 on any failure, 77 when the
Debian package python3-jsonschema is not installed (the CTest skip code).
Run it with /usr/bin/python3 from any directory.
"""

import copy
import json
import pathlib
import sys

try:
    import jsonschema
except ImportError:
    print("SKIP: python3-jsonschema is not installed (apt-get install python3-jsonschema)")
    sys.exit(77)

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCHEMA_PATH = ROOT / "docs" / "framework.schema.json"
EXAMPLES = ROOT / "examples" / "frameworks"

# Loaded by the reader, so the schema must accept them.
MUST_ACCEPT = ([ROOT / "data" / "frameworks" / "product-manager.json"] + sorted(EXAMPLES.glob("*.json"))
               + [ROOT / "examples" / "ratings-only" / "framework.json"])

# Refused by the reader for a reason the schema can state; the value is the
# JSON pointer (as a list of path parts) the schema error must point into.
MUST_REJECT = {
    EXAMPLES / "invalid" / "unknown-field.json": ["competencies", 0],
    EXAMPLES / "invalid" / "wrong-type.json": ["career_levels", 1, "rank"],
    EXAMPLES / "invalid" / "position-quadrant-mismatch.json": ["competencies", 0],
}


def mutations(base):
    """Yields (label, document) pairs, each one change the reader refuses."""

    def changed(label, edit):
        doc = copy.deepcopy(base)
        edit(doc)
        return label, doc

    yield changed("wrong format tag", lambda d: d.update(format="calibra-framework/2"))
    yield changed("missing metadata", lambda d: d.pop("metadata"))
    yield changed("unknown top-level field", lambda d: d.update(notes="x"))
    yield changed("date not YYYY-MM-DD", lambda d: d["metadata"].update(last_updated="22.11.2026"))
    yield changed("owners not an array", lambda d: d["metadata"].update(owners="me"))
    yield changed("two-level scale", lambda d: d.update(scale=d["scale"][:2]))
    yield changed("eight-level scale", lambda d: d.update(scale=(d["scale"] * 2)[:8]))
    yield changed("unknown scope", lambda d: d["scale"][0].update(scope="team"))
    yield changed("unknown autonomy", lambda d: d["scale"][0].update(autonomy="alone"))
    yield changed("empty level id", lambda d: d["scale"][0].update(id=""))
    yield changed("unknown quadrant", lambda d: d["competencies"][0].update(quadrant="tactical"))
    yield changed("focus outside [-1, 1]", lambda d: d["competencies"][0]["position"].update(focus=-1.5))
    yield changed("focus on the axis", lambda d: d["competencies"][0]["position"].update(focus=0))
    yield changed("orientation in the wrong half",
                  lambda d: d["competencies"][0]["position"].update(orientation=0.4))
    yield changed("people_leadership not boolean",
                  lambda d: d["competencies"][0].update(people_leadership="yes"))
    yield changed("anchor not a string", lambda d: d["competencies"][0]["anchors"].update(advanced=4))
    yield changed("no competencies", lambda d: d.update(competencies=[]))
    yield changed("unknown track", lambda d: d["career_levels"][0].update(track="exec"))
    yield changed("rank zero", lambda d: d["career_levels"][0].update(rank=0))
    yield changed("step without to", lambda d: d["steps"][0].pop("to"))
    yield changed("expectation not a string", lambda d: d["expectations"]["apm"].update({"product-delivery": 2}))
    yield changed("unknown archetype field", lambda d: d["archetypes"][0].update(weak=[]))
    yield changed("career levels without expectations", lambda d: d.pop("expectations"))
    yield changed("expectations without career levels", lambda d: d.pop("career_levels"))
    yield changed("steps without career levels", lambda d: (d.pop("career_levels"), d.pop("expectations")))
    yield changed("scope without autonomy", lambda d: d["scale"][0].pop("autonomy"))
    yield changed("position without quadrant", lambda d: d["competencies"][0].pop("quadrant"))


def main():
    failures = []
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)

    for path in MUST_ACCEPT:
        doc = json.loads(path.read_text(encoding="utf-8"))
        errors = list(validator.iter_errors(doc))
        name = path.relative_to(ROOT)
        if errors:
            for e in errors:
                failures.append(f"{name}: rejected at /{'/'.join(map(str, e.absolute_path))}: {e.message}")
        else:
            print(f"ok   accepted {name}")

    for path, pointer in MUST_REJECT.items():
        doc = json.loads(path.read_text(encoding="utf-8"))
        errors = list(validator.iter_errors(doc))
        name = path.relative_to(ROOT)
        paths = [list(e.absolute_path) for e in errors]
        if not errors:
            failures.append(f"{name}: accepted, but the reader rejects it")
        elif not any(p[: len(pointer)] == pointer for p in paths):
            failures.append(f"{name}: rejected, but not under {pointer}: {paths}")
        else:
            print(f"ok   rejected {name}: {errors[0].message}")

    base = json.loads((EXAMPLES / "minimal-valid.json").read_text(encoding="utf-8"))
    for label, doc in mutations(base):
        if validator.is_valid(doc):
            failures.append(f"mutation '{label}': accepted, but the reader rejects it")
        else:
            print(f"ok   rejected mutation: {label}")

    if failures:
        print(f"\n{len(failures)} schema check(s) failed:")
        for f in failures:
            print("FAIL " + f)
        return 1
    print("\nframework schema: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
