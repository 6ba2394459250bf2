"""The compiled per-partition pass of calibra.dask (bindings/register_dask.cpp,
include/calibra/agreement/detail/long_ratings.hpp) through its Python glue, on small data whose answer is planted: the units' multisets of levels and
their numbers of units, the first rows of units and raters, the problems it
reports by row, and the errors naming the column for input it cannot read.
calibra.dask's results against calibra.agree are in test_dask.py."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import calibra
from calibra import _core

NAN = np.nan


def objects(*values):
    out = np.empty(len(values), dtype=object)
    for k, value in enumerate(values):
        out[k] = value
    return out


def slots(keys, rater, levels, **kwargs):
    names = kwargs.pop("names", [f"key{k}" for k in range(len(keys))] + ["rater"])
    codes = kwargs.pop("key_codes", [False] * len(keys))
    return _core.long_slots(keys, codes, rater, kwargs.pop("rater_codes", False), np.asarray(levels, dtype=float),
                            names=names, missing_values=(pd.NA, pd.NaT), **kwargs)


def multisets(found):
    """{tuple of the non-missing levels: units}."""
    rows = found["rows"]
    return {tuple(v for v in row if not np.isnan(v)): w for row, w in zip(rows, found["weights"])}


def test_units_become_distinct_multisets_with_their_counts():
    # Units (team, person): (a, 1) rated 3, 1; (a, 2) rated 1, 3; (b, 1) rated 2, NaN, 2; (b, 2) rated NaN.
    team = objects("a", "a", "b", "a", "b", "b", "a", "b")
    person = np.array([1, 2, 1, 1, 1, 2, 2, 1])
    rater = objects("x", "x", "x", "y", "y", "x", "y", "z")
    levels = [3, 1, 2, 1, NAN, NAN, 3, 2]
    found = slots([team, person], rater, levels, unit_rows=True)
    assert found["problem"] is None
    assert found["units"] == 4
    assert found["rows"].shape == (3, 3)  # the widest unit, (b, 1), has 3 ratings
    assert found["rows"].flags.f_contiguous
    assert multisets(found) == {(1.0, 3.0): 2.0, (2.0, 2.0): 1.0, (): 1.0}
    assert found["unit_rows"].tolist() == [0, 1, 2, 5]  # first row of each unit, in order of appearance
    assert found["rated_rows"].tolist() == [0, 3, 7]  # x, y, z: each one's first row with a level


def test_scott_gets_two_slots_even_when_every_unit_has_one_rating():
    found = slots([objects("u1", "u2")], objects("x", "x"), [1, 2], min_width=2)
    assert found["rows"].shape == (2, 2)


def test_equal_keys_of_other_objects_and_numbers_are_one_unit():
    # A string built at run time is another object equal to the literal; -0.0 is 0.0.
    literal, dynamic = "unit", "".join(["un", "it"])
    assert dynamic is not literal and dynamic == literal
    found = slots([objects(literal, dynamic)], objects("x", "y"), [1, 1])
    assert found["units"] == 1
    found = slots([np.array([0.0, -0.0, 2.5])], objects("x", "y", "x"), [1, 2, 3])
    assert found["units"] == 2


def test_a_missing_key_is_reported_by_column_and_row():
    assert slots([objects("a", None)], objects("x", "x"), [1, 1])["problem"] == ("missing", 0, 1, 1)
    assert slots([objects("a", "b")], objects("x", pd.NA), [1, 1])["problem"] == ("missing", 1, 1, 1)
    assert slots([np.array([1.0, NAN])], objects("x", "y"), [1, 1])["problem"] == ("missing", 0, 1, 1)
    # Category codes: -1 is a missing value; for plain integers it is a value.
    assert slots([np.array([0, -1], dtype=np.int8)], objects("x", "y"), [1, 1],
                 key_codes=[True])["problem"] == ("missing", 0, 1, 1)
    assert slots([np.array([0, -1])], objects("x", "y"), [1, 1])["problem"] is None


def test_a_unit_rated_twice_by_one_rater_is_reported_with_both_rows():
    found = slots([objects("a", "b", "a", "a")], objects("x", "x", "y", "x"), [1, 2, 3, 4])
    assert found["problem"] == ("twice", -1, 0, 3)


def test_long_codes_are_dense_in_order_of_appearance():
    found = _core.long_codes([objects("b", "a", "b"), np.array([1, 1, 1])], [False, False], objects("y", "x", "x"),
                             False, names=["team", "person", "rater"])
    assert found["unit"].tolist() == [0, 1, 0] and found["unit_rows"].tolist() == [0, 1]
    assert found["rater"].tolist() == [0, 1, 1] and found["rater_rows"].tolist() == [0, 1]


def test_codes_stay_dense_while_the_tables_grow():
    # 3,000 distinct units and raters, each met twice in a planted order:
    # several times the tables' starting room, so every table grows.
    n = 3000
    first = np.random.default_rng(7).permutation(n)
    order = np.concatenate([first, first[::-1]])
    names = objects(*[f"person {k}" for k in order])
    numbers = order.astype(np.int64) * 1000
    found = _core.long_codes([names, numbers], [False, False], objects(*[f"rater {k}" for k in order]),
                             False, names=["person", "number", "rater"])
    expected = np.concatenate([np.arange(n), np.arange(n)[::-1]])
    assert found["unit"].tolist() == expected.tolist()
    assert found["rater"].tolist() == expected.tolist()
    assert found["unit_rows"].tolist() == list(range(n))


def buckets(keys, rater, levels, n_buckets, **hashes):
    found = _core.pack_buckets([keys], [False], rater, False, np.asarray(levels, dtype=float),
                               names=["unit", "rater"], n_buckets=n_buckets, **hashes)
    assert found["problem"] is None
    return found["pieces"]


def test_buckets_carry_each_unit_to_one_reduce():
    # Units 0 and 1 (given hashes) go to buckets 10 % 3 = 1 and 11 % 3 = 2; bucket 0 is empty.
    first = np.array([10, 11], dtype=np.uint64)
    second = np.array([20, 21], dtype=np.uint64)
    raters = np.array([30, 31], dtype=np.uint64), np.array([40, 41], dtype=np.uint64)
    pieces = buckets(objects("u", "v", "u"), objects("y", "x", "x"), [1.0, 2.0, 3.0], 3,
                     unit_hashes=(first, second), rater_hashes=raters)
    assert [p.dtype for p in pieces] == [np.uint8] * 3
    reduced = [_core.reduce_buckets([p]) for p in pieces]
    assert [r["units"] for r in reduced] == [0, 1, 1]
    assert multisets(reduced[1]) == {(1.0, 3.0): 1.0} and multisets(reduced[2]) == {(2.0,): 1.0}
    assert reduced[1]["rated"].tolist() == [[30, 40], [31, 41]]  # y, then x
    # Unit u in a second partition, rated again by x (hashes 31, 41): found across the pieces.
    again = buckets(objects("u"), objects("y"), [4.0], 3, unit_hashes=(first[:1], second[:1]),
                    rater_hashes=(raters[0][:1] + np.uint64(1), raters[1][:1] + np.uint64(1)))
    assert _core.reduce_buckets([pieces[1], again[1]])["problem"] == ("twice", -1, 10, 31)
    # The hashes the pass computes: a unit's pieces from two partitions meet.
    one = buckets(objects("u", "v"), objects("x", "x"), [1.0, 2.0], 2)
    two = buckets(objects("w", "u"), objects("y", "y"), [3.0, 4.0], 2)
    joined = [_core.reduce_buckets([a, b]) for a, b in zip(one, two)]
    assert sum(r["units"] for r in joined) == 3
    assert {k: v for r in joined for k, v in multisets(r).items()} == {(1.0, 4.0): 1.0, (2.0,): 1.0, (3.0,): 1.0}
    assert _core.pack_buckets([objects("a", None)], [False], objects("x", "y"), False, np.array([1.0, 2.0]),
                              names=["unit", "rater"], n_buckets=2)["problem"] == ("missing", 0, 1, 1)
    with pytest.raises(calibra.InvalidArgument, match="unit hashes: two arrays of one hash per code"):
        buckets(objects("u", "v"), objects("x", "x"), [1.0, 2.0], 2, unit_hashes=(first[:1], second[:1]),
                rater_hashes=(raters[0][:1], raters[1][:1]))
    with pytest.raises(calibra.InvalidArgument, match="bucket piece 0 is not a packed piece"):
        _core.reduce_buckets([np.zeros(70, dtype=np.uint8)])


def test_weighted_patterns_count_each_distinct_unit_by_its_weight():
    # Fleiss over categories 1, 2: unit pattern (category index, count, ...);
    # a unit without a rating is no unit.
    rows = np.asfortranarray([[1.0, 1.0, 2.0], [2.0, 2.0, 2.0], [NAN, NAN, NAN]])
    patterns, units, dropped = _core.weighted_patterns("fleiss", rows, np.array([3.0, 2.0, 4.0]),
                                                       categories=[1.0, 2.0])
    assert dict(patterns) == {(0, 2, 1, 1): 3.0, (1, 3): 2.0}
    assert units == 5.0 and dropped == 0.0
    with pytest.raises(calibra.InvalidArgument, match="2 counts for 3 rows"):
        _core.weighted_patterns("fleiss", rows, np.array([1.0, 1.0]), categories=[1.0, 2.0])


def test_bad_columns_are_errors_naming_the_column():
    with pytest.raises(calibra.InvalidArgument, match="column 'rater' has 1 rows; column 'ratee' has 2"):
        slots([objects("a", "b")], objects("x"), [1, 1], names=["ratee", "rater"])
    with pytest.raises(calibra.InvalidArgument, match=r"column 'ratee': dtype complex128 is not supported"):
        slots([np.array([1j, 2j])], objects("x", "y"), [1, 1], names=["ratee", "rater"])
    with pytest.raises(calibra.InvalidArgument, match="column 'ratee': expected one dimension; got 2"):
        slots([np.zeros((2, 2))], objects("x", "y"), [1, 1], names=["ratee", "rater"])
    with pytest.raises(calibra.InvalidArgument, match="column 'ratee': expected a numpy array; got list"):
        slots([["a", "b"]], objects("x", "y"), [1, 1], names=["ratee", "rater"])
    with pytest.raises(calibra.InvalidArgument, match="column 'rater': row position 1 holds an unhashable list"):
        slots([objects("a", "b")], objects("x", ["y"]), [1, 1], names=["ratee", "rater"])
    with pytest.raises(calibra.InvalidArgument, match="levels have 3 rows; column 'ratee' has 2"):
        slots([objects("a", "b")], objects("x", "y"), [1, 1, 1], names=["ratee", "rater"])
    with pytest.raises(calibra.InvalidArgument, match="levels: expected a one-dimensional float64 array"):
        _core.long_slots([objects("a")], [False], objects("x"), False, np.array([1], dtype=np.int64),
                         names=["ratee", "rater"])


def unit_hashes(keys, rater):
    found = _core.long_codes(keys, [False] * len(keys), rater, False, names=[f"key{k}" for k in range(len(keys))]
                             + ["rater"], hashes=True)
    return found


def test_a_units_hashes_depend_on_its_values_only():
    # The unit (b, 2) in two partitions whose other units and value order differ.
    one = unit_hashes([objects("a", "b", "b"), np.array([1, 1, 2])], objects("x", "y", "z"))
    two = unit_hashes([objects("b", "c"), np.array([2, 1])], objects("z", "w"))
    assert one["unit_h1"][2] == two["unit_h1"][0] and one["unit_h2"][2] == two["unit_h2"][0]
    assert one["rater_h1"][2] == two["rater_h1"][0] and one["rater_h2"][2] == two["rater_h2"][0]
    assert len(set(one["unit_h1"].tolist())) == 3 and len(set(one["unit_h2"].tolist())) == 3
    assert one["unit_h1"][0] != one["unit_h2"][0]  # two independent hashes
    # An integer key hashes alike as int64, as a Python int and as an integral float.
    as_int = unit_hashes([np.array([7])], objects("x"))["unit_h1"][0]
    assert unit_hashes([objects(7)], objects("x"))["unit_h1"][0] == as_int
    assert unit_hashes([np.array([7.0])], objects("x"))["unit_h1"][0] == as_int


def test_hashes_agree_between_processes_with_other_string_hash_seeds():
    import os
    import subprocess
    import sys

    script = (
        "import numpy as np; from calibra import _core\n"
        "keys = np.empty(2, dtype=object); keys[:] = ['pm001', 'pm002']\n"
        "found = _core.long_codes([keys], [False], keys, False, names=['ratee', 'rater'], hashes=True)\n"
        "print(found['unit_h1'].tolist(), found['unit_h2'].tolist(), found['rater_h1'].tolist())\n"
    )
    printed = {
        subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                       env=dict(os.environ, PYTHONHASHSEED=seed)).stdout
        for seed in ("1", "2", "3")
    }
    assert len(printed) == 1


def test_codes_have_no_value_to_hash():
    with pytest.raises(calibra.InvalidArgument, match="column 'team': codes have no value to hash"):
        _core.long_codes([np.array([0, 1], dtype=np.int8)], [True], objects("x", "y"), False,
                         names=["team", "rater"], hashes=True)


def test_the_buffers_can_be_freed_between_calls():
    first = slots([objects("a", "b", "a")], objects("x", "x", "y"), [1, 2, 3])
    _core.release_workspace()
    again = slots([objects("a", "b", "a")], objects("x", "x", "y"), [1, 2, 3])
    assert multisets(again) == multisets(first) == {(1.0, 3.0): 1.0, (2.0,): 1.0}
