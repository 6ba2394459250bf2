"""Agreement over a Dask DataFrame, for ratings that do not fit one machine.

>>> import dask.dataframe as dd, calibra.dask
>>> ratings = dd.read_parquet("ratings/")              # long or wide
>>> calibra.dask.agree(ratings, "krippendorff", level="ordinal")

Every agreement statistic except Conger's and Light's kappa is built from a
summary that is linear over units (``calibra.AgreementSummary``).  The
adapter reads each partition once, in one task, and returns a record of a
few hundred numbers: the raters it saw, the category codes of its units and
each distinct unit pattern of category counts with its number of units (for
ICC, the sums of squares of its complete units, by rater name).  Nothing else leaves a worker.  The client merges
the records, fixes the category codes (and, for ordinal Krippendorff, their
pooled frequencies) from the merged patterns, rebuilds the summary of all
the units and finishes it: the result ``calibra.agree`` gives on the whole
frame.

For the statistics that see only each unit's counts per category, a long
partition goes through one compiled pass (``_core.long_slots``; the
algorithm is in include/calibra/agreement/detail/long_ratings.hpp): it numbers the units and raters where the
columns lie, finds a unit rated twice by one rater, and reduces the units to
their distinct multisets of levels with their numbers of units, which the
summary then counts with those weights.  A Dask worker runs with
``MALLOC_TRIM_THRESHOLD_`` set, under which every fresh array larger than
128 KiB faults its pages in again, and the numpy/pandas version of this
work, with its many row-sized temporaries, spent most of its time there;
the compiled pass needs three int32 arrays a row and its hash tables, which
it keeps for the next task (their pages then fault in once per worker), and
frees when the worker is past half its memory limit.

A summary is linear over units, not over ratings, so in long data all the
ratings of a unit must be in one partition.  That holds without any work
for wide data (a row is a unit), for long data indexed by the unit with
known divisions (``ddf.set_index("unit")``, or files read with
``calibrate_divisions``/``sorted_index``), and for long data the caller
declares with ``partitioned_by_unit=True`` (checked: a unit found in two
partitions is an error).  Other long data moves once: for the statistics
that need only each unit's category counts, every partition sends one
packed buffer to the task of each bucket of units: per unit piece its two
hashes and number of ratings, per rating a rater code and a level code (a
byte each for up to 256 raters and levels in the bucket); for Cohen and
ICC, a Dask shuffle by unit.

The same pattern runs on Spark (see docs/python.md): ``mapPartitions``
builds one summary per partition, ``reduce(operator.add)`` merges them, and
``finish()`` runs on the driver.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from calibra import _core
from calibra.agreement import (
    _duplicate_rating_error,
    _levels,
    UNIT_COLUMNS,
    AgreementResult,
    AgreementSummary,
    _as_list,
    _checked_wide,
    _Columns,
    _pivot_long,
    _resolve_columns,
)
from calibra.errors import invalid_argument

if TYPE_CHECKING:
    from calibra.framework import Framework

__all__ = ["agree", "summarise"]

#: Version of the pickled AgreementSummary state (bindings/register_summaries.cpp).
_STATE_LAYOUT = 1


@dataclass(frozen=True)
class _Plan:
    """What every partition task needs to turn its rows into a record."""

    stat: str
    columns: _Columns
    framework: Framework | None
    options: dict[str, Any]  # the caller's options without categories
    declared: tuple[float, ...] | None  # categories= as given
    from_index: bool  # the unit is the index: reset it first
    role: tuple[Any, ...] | None
    hash_units: bool  # return the hashes of the units, to check that none is in two partitions
    listwise_later: bool  # missing="listwise" applied on the client, once the raters are known


def _compute(*tasks: Any) -> list[Any]:
    """dask.compute with whatever scheduler is active (untyped in Dask)."""
    import dask.base

    run: Callable[..., tuple[Any, ...]] = getattr(dask.base, "compute")
    return list(run(*tasks))


def _sorted_names(names: Sequence[Any]) -> list[Any]:
    """Raters in one order in every partition (by text, then type), so that
    summaries over rater columns line up."""
    return sorted(names, key=lambda name: (str(name), type(name).__name__))


def _partition_frame(part: pd.DataFrame, plan: _Plan) -> pd.DataFrame:
    if plan.from_index:
        part = part.reset_index()
    if plan.role is not None:
        part = part[part["role"].isin(plan.role)]
    return part


#: Statistics whose summary sees only each unit's counts per category, never
#: which rater gave which rating: long data becomes a units x slots matrix
#: (a unit's ratings side by side, in any column), however many raters there
#: are in all.
_COUNT_STATISTICS = frozenset(
    ["percent", "unanimous", "within", "fleiss", "gwet", "brennan-prediger", "scott", "krippendorff"]
)


#: Values that mean "no value" in an object column, beside None and NaN.
_MISSING_VALUES = (pd.NA, pd.NaT)


def _column_values(values: pd.Series) -> tuple[np.ndarray[Any, Any], bool]:
    """A key column as the compiled code reads it, without a copy where
    possible: (array, negative means missing).  Object, integer, boolean and
    float columns go as they are, a categorical as its codes, anything else
    through pandas.factorize."""
    dtype = values.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return values.cat.codes.to_numpy(), True
    if isinstance(dtype, np.dtype) and dtype.kind in "Oiubf":
        return values.to_numpy(), False
    codes, _ = pd.factorize(values, sort=False)
    return codes, True


def _long_columns(frame: pd.DataFrame, columns: _Columns) -> dict[str, Any]:
    """The keyword arguments of _core.long_slots/long_codes for a frame."""
    keys = [_column_values(frame[key]) for key in columns.unit or []]
    rater, rater_codes = _column_values(frame[columns.rater])
    return {
        "keys": [values for values, _ in keys], "key_codes": [codes for _, codes in keys], "rater": rater,
        "rater_codes": rater_codes, "names": [str(key) for key in columns.unit or []] + [str(columns.rater)],
        "missing_values": _MISSING_VALUES,
    }


def _release_if_tight() -> None:
    """Frees the compiled pass's buffers (three int32 arrays a row and hash
    tables, about 20 MB for 500,000 rows) when this process runs as a Dask
    worker past half its memory limit; otherwise the next task reuses them,
    already faulted in."""
    try:
        from distributed import get_worker

        worker = get_worker()
        limit = worker.memory_manager.memory_limit
        resident = worker.monitor.get_process_memory()
    except (ImportError, ValueError, AttributeError):
        return  # not in a Dask worker: nothing presses
    if limit and resident > limit / 2:
        _core.release_workspace()


def _long_slots(*args: Any, **kwargs: Any) -> dict[str, Any]:
    try:
        return _core.long_slots(*args, **kwargs)
    finally:
        _release_if_tight()


def _long_codes(*args: Any, **kwargs: Any) -> dict[str, Any]:
    try:
        return _core.long_codes(*args, **kwargs)
    finally:
        _release_if_tight()


def _hashable(arguments: dict[str, Any]) -> bool:
    """Whether the compiled pass can hash the key values itself: it can
    when every key column and the rater column hold values, not codes."""
    return not any(arguments["key_codes"]) and not arguments["rater_codes"]


def _raise_long_problem(frame: pd.DataFrame, columns: _Columns, problem: tuple[str, int, int, int]) -> None:
    """The error for a problem _core.long_slots/long_codes found (a key
    missing on a row, a unit rated twice by one rater), by row label."""
    what, at, first, second = problem
    if what == "missing":
        column = (list(columns.unit or []) + [columns.rater])[at]
        raise invalid_argument(
            "python", f"long ratings: row {frame.index[first]!r} has no {column} (column {column!r} is empty there); "
            "every row needs one"
        )
    raise _duplicate_rating_error(frame, list(columns.unit or []), columns.rater, first, second)


def _slot_record(frame: pd.DataFrame, plan: _Plan) -> dict[str, Any]:
    """Long ratings of a count statistic -> record (with the hashes of its
    units when plan.hash_units).  One compiled pass (_core.long_slots)
    numbers the units and raters where the columns lie, finds a unit rated
    twice by one rater and reduces the units to their distinct multisets of
    levels with their numbers of units: a count statistic sees nothing
    else."""
    columns = plan.columns
    levels = np.ascontiguousarray(
        _levels(frame[columns.rating], plan.framework, f"long ratings, column {columns.rating!r}"), dtype=np.float64
    )
    arguments = _long_columns(frame, columns)
    hashed = plan.hash_units and _hashable(arguments)
    found = _long_slots(
        levels=levels, min_width=2 if plan.stat == "scott" else 1, unit_rows=plan.hash_units, hashes=hashed,
        **arguments,
    )
    if found["problem"] is not None:
        _raise_long_problem(frame, columns, found["problem"])
    rated = frame[columns.rater].iloc[found["rated_rows"]].tolist()
    record = _weighted_record(found["rows"], found["weights"], int(found["units"]), rated, plan)
    if plan.hash_units:
        record["unit_hashes"] = np.sort(found["unit_h1"] if hashed else pd.util.hash_pandas_object(
            frame[columns.unit].iloc[found["unit_rows"]], index=False).to_numpy())
    return record


def _long_units(frame: pd.DataFrame, columns: _Columns) -> tuple[pd.DataFrame, np.ndarray[Any, Any]]:
    """The key rows of the distinct units of long ratings and their hashes
    (those of _slot_record)."""
    arguments = _long_columns(frame, columns)
    hashed = _hashable(arguments)
    found = _long_codes(hashes=hashed, **arguments)
    if found["problem"] is not None:
        _raise_long_problem(frame, columns, found["problem"])
    units = frame[columns.unit].iloc[found["unit_rows"]]
    return units, found["unit_h1"] if hashed else pd.util.hash_pandas_object(units, index=False).to_numpy()


def _partition_matrix(part: pd.DataFrame, plan: _Plan) -> tuple[np.ndarray[Any, Any], Any, list[Any], list[Any]]:
    """(units x raters matrix, the units' labels, the raters, the raters
    with a rating)."""
    columns = plan.columns
    if not columns.long:
        matrix, units, raters = _checked_wide(part, columns, plan.framework)
    else:
        # Rater columns in one order in every partition; Cohen always two.
        names = _sorted_names(list(pd.unique(part[columns.rater].dropna())))
        if plan.stat == "cohen" and len(names) < 2:
            names += [object() for _ in range(2 - len(names))]  # placeholders, never rated
        matrix, units, raters = _pivot_long(
            part, plan.framework, pd.Index(names, dtype=object), labels=plan.hash_units, keys=columns.unit,
            rater=columns.rater, rating=columns.rating,
        )
    rated = ~np.isnan(matrix).all(axis=0) if matrix.shape[0] else np.zeros(matrix.shape[1], dtype=bool)
    return matrix, units, list(raters), [raters[j] for j in np.flatnonzero(rated)]


def _partition_record(part: pd.DataFrame, plan: _Plan) -> dict[str, Any]:
    """One partition, read once: its raters, its units' hashes (when asked)
    and its summary as a record keyed by category code, not by index."""
    part = _partition_frame(part, plan)
    if plan.columns.long and plan.stat in _COUNT_STATISTICS:
        return _slot_record(part, plan)
    matrix, units, raters, rated = _partition_matrix(part, plan)
    record = _record_of(matrix, raters, rated, plan)
    if plan.hash_units:
        record["unit_hashes"] = np.sort(pd.util.hash_pandas_object(units, index=False).to_numpy())
    return record


def _record_of(
    matrix: np.ndarray[Any, Any], raters: list[Any], rated: list[Any], plan: _Plan
) -> dict[str, Any]:
    """The record of one units x raters (or slots) matrix."""
    record: dict[str, Any] = {"rows": int(matrix.shape[0])}
    if plan.stat == "icc":
        record["icc"] = _icc_sums(matrix, raters, rated)
        return record
    record["raters"] = rated
    local = dict(plan.options)
    if plan.listwise_later:
        local["missing"] = "available"
    if plan.declared is not None:
        codes = list(plan.declared)
    else:
        codes = _core.summary_scan(matrix, plan.stat, **local)["codes"]
    record["codes"] = codes
    record["active"] = []
    record["patterns"] = {}
    record["table"] = {}
    record["units"] = 0.0
    record["dropped"] = 0.0
    if not codes:
        return record  # no unit the statistic keeps
    summary = _core.AgreementSummary(plan.stat, matrix.shape[1], categories=codes, **local)
    summary.add(matrix)
    # (layout, stat, n_raters, options, marginals, active, units, dropped, patterns, table)
    state = getattr(summary, "__getstate__")()
    record["active"] = [raters[j] for j, flag in enumerate(state[5]) if flag == "\x01"]
    record["units"], record["dropped"] = float(state[6]), float(state[7])
    one_versus_rest = plan.stat == "fleiss" and plan.options.get("category") is not None
    for key, count in state[8]:
        # Pattern keys are (category index, count, ...): by code, they mean
        # the same in every partition.
        coded = tuple(key) if one_versus_rest else tuple(
            value for a in range(0, len(key), 2) for value in (codes[key[a]], key[a + 1])
        )
        record["patterns"][coded] = record["patterns"].get(coded, 0.0) + count
    if state[9] is not None:
        table = np.asarray(state[9])
        for x, y in zip(*np.nonzero(table)):
            record["table"][(codes[x], codes[y])] = float(table[x, y])
    return record


def _weighted_record(
    rows: np.ndarray[Any, Any], weights: np.ndarray[Any, Any], units: int, rated: list[Any], plan: _Plan
) -> dict[str, Any]:
    """The record of units given as distinct rows of slots (a unit's levels
    side by side) with their numbers of units: what _record_of gives for
    the matrix of every unit, for a count statistic."""
    record: dict[str, Any] = {"rows": units, "raters": rated, "active": [], "patterns": {}, "table": {},
                              "units": 0.0, "dropped": 0.0}
    local = dict(plan.options)
    if plan.listwise_later:
        local["missing"] = "available"
    codes = list(plan.declared) if plan.declared is not None else _core.summary_scan(rows, plan.stat, **local)["codes"]
    record["codes"] = codes
    if not codes:
        return record  # no unit the statistic keeps
    patterns, record["units"], record["dropped"] = _core.weighted_patterns(
        plan.stat, rows, weights, **dict(local, categories=codes)
    )
    record["active"] = rated  # slots are not raters: a rater with a rating is active (as in agree())
    one_versus_rest = plan.stat == "fleiss" and plan.options.get("category") is not None
    for key, count in patterns:
        coded = tuple(key) if one_versus_rest else tuple(
            value for a in range(0, len(key), 2) for value in (codes[key[a]], key[a + 1])
        )
        record["patterns"][coded] = record["patterns"].get(coded, 0.0) + count
    return record


# ---------------------------------------------------------------------------
# Long data not split by unit, for the count statistics: every partition is
# read once, its units and raters numbered and hashed, and its rows split
# into buckets by unit, one packed uint8 buffer a bucket
# (_core.pack_buckets): per unit piece its two 64-bit hashes and number of
# ratings, per rating a code into the bucket's table of raters (two hashes
# each) and of levels, in the fewest bytes that hold it.  Each bucket of
# every partition goes to one task (_core.reduce_buckets), which joins the
# pieces of each unit and reduces them to multisets and their record.  About
# 9 bytes a rating cross between workers (5 ratings a unit, 20 raters) and
# no DataFrame is shuffled.  Units and raters are known by two independent
# hashes: a bucket where the first hash agrees and the second does not is
# an error, not a merged unit or rater.

_SECOND_KEY = "calibra-unit-2nd"  # a second pandas hash_key (16 bytes)


def _mix(a: np.ndarray[Any, Any], b: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """Combines two uint64 hash arrays (boost's hash_combine, 64-bit)."""
    with np.errstate(over="ignore"):
        mixed: np.ndarray[Any, Any] = a ^ (
            b + np.uint64(0x9E3779B97F4A7C15) + (a << np.uint64(6)) + (a >> np.uint64(2))
        )
    return mixed


def _key_hashes(values: pd.Series, hash_keys: Sequence[str | None]) -> list[np.ndarray[Any, Any]]:
    """Per value, its hash under each of `hash_keys` (None: pandas' default
    key)."""
    out = []
    for hash_key in hash_keys:
        kwargs = {} if hash_key is None else {"hash_key": hash_key}
        out.append(pd.util.hash_pandas_object(values, index=False, **kwargs).to_numpy())
    return out


def _unit_hashes(units: pd.DataFrame, columns: _Columns) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """Two independent 64-bit hashes of each row of the units' key columns."""
    first: np.ndarray[Any, Any] | None = None
    second: np.ndarray[Any, Any] | None = None
    for key in columns.unit or []:
        h1, h2 = _key_hashes(units[key].reset_index(drop=True), (None, _SECOND_KEY))
        first = h1 if first is None else _mix(first, h1)
        second = h2 if second is None else _mix(second, h2)
    if first is None or second is None:
        first = second = np.zeros(len(units), dtype=np.uint64)
    return first, second


class _RatedTwice(Exception):
    """A bucket found one (unit, rater) pair twice: (unit hash, rater hash)."""


def _compact_codes(part: pd.DataFrame, plan: _Plan) -> tuple[dict[str, Any], Any, Any, Any, Any]:
    """(unit and rater codes of a partition's rows, the two hashes of its
    units, the two hashes of its raters): each distinct unit and rater
    hashed once, by the compiled pass when the columns hold values, else by
    pandas."""
    columns = plan.columns
    arguments = _long_columns(part, columns)
    hashed = _hashable(arguments)
    found = _long_codes(hashes=hashed, **arguments)
    if found["problem"] is not None:
        _raise_long_problem(part, columns, found["problem"])
    if hashed:
        return found, found["unit_h1"], found["unit_h2"], found["rater_h1"], found["rater_h2"]
    first, second = _unit_hashes(part[columns.unit].iloc[found["unit_rows"]], columns)
    rater_first, rater_second = _key_hashes(
        part[columns.rater].iloc[found["rater_rows"]].reset_index(drop=True), (None, _SECOND_KEY)
    )
    return found, first, second, rater_first, rater_second


def _compact_buckets(part: pd.DataFrame, plan: _Plan, n_buckets: int) -> tuple[Any, ...]:
    part = _partition_frame(part, plan)
    levels = np.ascontiguousarray(
        _levels(part[plan.columns.rating], plan.framework, f"long ratings, column {plan.columns.rating!r}"),
        dtype=np.float64,
    )
    arguments = _long_columns(part, plan.columns)
    hashes: dict[str, Any] = {}
    if not _hashable(arguments):
        # Codes have no values to hash: pandas hashes the values, per code.
        _, first, second, rater_first, rater_second = _compact_codes(part, plan)
        hashes = {"unit_hashes": (first, second), "rater_hashes": (rater_first, rater_second)}
    try:
        found = _core.pack_buckets(levels=levels, n_buckets=n_buckets, **hashes, **arguments)
    finally:
        _release_if_tight()
    if found["problem"] is not None:
        _raise_long_problem(part, plan.columns, found["problem"])
    return tuple(found["pieces"])


def _bucket_record(pieces: Sequence[np.ndarray[Any, Any]], plan: _Plan) -> dict[str, Any]:
    try:
        found = _core.reduce_buckets(list(pieces), min_width=2 if plan.stat == "scott" else 1)
    finally:
        _release_if_tight()
    if found["problem"] is not None:
        what, column, unit_hash, rater_hash = found["problem"]
        if what == "twice":
            raise _RatedTwice(unit_hash, rater_hash)
        which = "units share a 64-bit hash of their key columns" if column == 0 else (
            "raters share a 64-bit hash of their values")
        raise invalid_argument(
            "python", f"two different {which}; shuffle the data by unit (ddf.shuffle(on=[...])) and pass "
            "partitioned_by_unit=True"
        )
    rated = sorted((int(a), int(b)) for a, b in found["rated"])
    return _weighted_record(found["rows"], found["weights"], int(found["units"]), rated, plan)


def _rows_rated_twice(part: pd.DataFrame, plan: _Plan, unit_hash: int, rater_hash: int) -> pd.DataFrame:
    """The rows of a partition with the given unit and rater hashes."""
    part = _partition_frame(part, plan)
    found, first, _, rater, _ = _compact_codes(part, plan)
    return part[(first[found["unit"]] == np.uint64(unit_hash)) & (rater[found["rater"]] == np.uint64(rater_hash))]


def _compact_records(parts: list[Any], plan: _Plan) -> list[dict[str, Any]]:
    from dask.delayed import delayed

    n = len(parts)
    buckets = [delayed(_compact_buckets, pure=True, nout=n)(p, plan, n) for p in parts]
    reduced = [delayed(_bucket_record, pure=True)([b[k] for b in buckets], plan) for k in range(n)]
    try:
        return list(_compute(*reduced))
    except _RatedTwice as twice:
        unit_hash, rater_hash = twice.args
        rows = pd.concat(_compute(*[
            delayed(_rows_rated_twice, pure=True)(p, plan, unit_hash, rater_hash) for p in parts
        ]))
        columns = plan.columns
        labels = rows[columns.unit].iloc[0].tolist() if len(rows) else ["?"]
        unit_text = repr(labels[0]) if len(labels) == 1 else repr(tuple(labels))
        where = [repr(i) for i in rows.index[:2]]
        raise invalid_argument(
            "python",
            f"long ratings: row {where[-1] if where else '?'} rates unit {unit_text} by rater "
            f"{rows[columns.rater].iloc[0] if len(rows) else '?'!r} a second time (first at row "
            f"{where[0] if where else '?'}); each (unit, rater) pair may appear once",
        ) from None


def _units_with_hash(part: pd.DataFrame, plan: _Plan, wanted: int) -> list[Any]:
    """The unit labels of a partition whose hash is `wanted` (to name a
    unit found in two partitions)."""
    part = _partition_frame(part, plan)
    if plan.columns.long and plan.stat in _COUNT_STATISTICS:
        units, hashes = _long_units(part, plan.columns)
    else:
        _, units, _, _ = _partition_matrix(part, plan)
        hashes = pd.util.hash_pandas_object(units, index=False).to_numpy()
    found = units[hashes == np.uint64(wanted)]
    if isinstance(found, pd.DataFrame):
        return [row[0] if len(row) == 1 else tuple(row) for row in found.itertuples(index=False)]
    return list(found)


def _check_units_not_split(records: list[dict[str, Any]], parts: list[Any], plan: _Plan) -> None:
    from dask.delayed import delayed

    owner = np.concatenate(
        [np.full(len(r["unit_hashes"]), k, dtype=np.int64) for k, r in enumerate(records)] or [np.zeros(0, np.int64)]
    )
    hashes = np.concatenate([r["unit_hashes"] for r in records] or [np.zeros(0, np.uint64)])
    order = np.argsort(hashes, kind="stable")
    repeated = np.flatnonzero(hashes[order][1:] == hashes[order][:-1])
    if not len(repeated):
        return
    wanted = int(hashes[order][repeated[0]])
    found = _compute(*[delayed(_units_with_hash, pure=True)(parts[k], plan, wanted)
                           for k in sorted(set(owner[order][repeated[0]: repeated[0] + 2].tolist()))])
    labels = [label for unit_labels in found for label in unit_labels]
    in_parts = sorted({int(owner[order][i]) for i in (repeated[0], repeated[0] + 1)})
    unit = labels[0] if labels else f"with hash {wanted}"
    raise invalid_argument(
        "python",
        f"partitioned_by_unit=True, but unit {unit!r} (column(s) {plan.columns.unit}) has ratings in partitions "
        f"{in_parts[0]} and {in_parts[-1]}; every rating of a unit must be in one partition. Leave "
        "partitioned_by_unit unset to shuffle the data by unit",
    )


def _ordered_union(lists: Sequence[Sequence[Any]]) -> list[Any]:
    seen: dict[Any, None] = {}
    for names in lists:
        for name in names:
            seen.setdefault(name, None)
    return list(seen)


def _icc_sums(matrix: np.ndarray[Any, Any], raters: list[Any], rated: list[Any]) -> dict[str, Any]:
    """The two-way ANOVA of a partition's complete units, centred on its own
    means so that partitions merge without cancellation (Chan, Golub &
    LeVeque's pairwise update): units, grand mean, each rater's mean (by
    name), the sum of squares about the grand mean of the ratings and of the
    unit means.  Only the raters with a rating here count: a unit is
    complete when every rater of the whole data rated it, so only a
    partition that saw all of them can hold complete units."""
    with_ratings = set(rated)
    kept = [j for j, name in enumerate(raters) if name in with_ratings]
    values = matrix[:, kept]
    infinite = np.isinf(values)
    if infinite.any():
        unit, column = (int(i[0]) for i in np.nonzero(infinite))
        raise invalid_argument(
            "python", f"ICC: rater {raters[kept[column]]!r} has an infinite rating ({values[unit, column]}); "
            "ratings must be finite"
        )
    complete = values[~np.isnan(values).any(axis=1)] if len(kept) else np.zeros((0, 0))
    sums: dict[str, Any] = {"raters": [raters[j] for j in kept], "n": complete.shape[0]}
    if complete.shape[0]:
        grand = float(complete.mean())
        sums["grand"] = grand
        sums["means"] = dict(zip(sums["raters"], complete.mean(axis=0).tolist()))
        sums["m2_ratings"] = float(((complete - grand) ** 2).sum())
        sums["m2_units"] = float(((complete.mean(axis=1) - grand) ** 2).sum())
    return sums


def _merge_icc(records: list[dict[str, Any]], plan: _Plan) -> AgreementResult:
    raters = _ordered_union([r["icc"]["raters"] for r in records])
    k = len(raters)
    n = 0.0
    grand = m2_ratings = m2_units = 0.0
    means = np.zeros(k)
    for record in records:
        sums = record["icc"]
        if not sums["n"] or len(sums["raters"]) != k:
            continue  # no complete unit here (it lacks a rater of the whole data)
        nb = float(sums["n"])
        total = n + nb
        delta = sums["grand"] - grand
        m2_ratings += sums["m2_ratings"] + delta * delta * n * nb / total * k
        m2_units += sums["m2_units"] + delta * delta * n * nb / total
        grand += delta * nb / total
        means += (np.array([sums["means"][name] for name in raters]) - means) * nb / total
        n = total
    ss_raters = float(n * ((means - grand) ** 2).sum())
    ss_units = k * m2_units
    dropped = sum(r["rows"] for r in records) - n
    return AgreementResult._from_core(_core.icc_from_sums(
        n, k, ss_units, ss_raters, m2_ratings - ss_units - ss_raters, dropped, **plan.options
    ))


def _merge(records: list[dict[str, Any]], plan: _Plan) -> AgreementSummary | AgreementResult:
    """The summary of all the units, or the result when no unit is kept
    (a summary needs at least one category code)."""
    if plan.stat == "icc":
        # Merged here by rater name: ICC has no AgreementSummary to return.
        return _merge_icc(records, plan)
    raters = _ordered_union([r["raters"] for r in records])
    if plan.stat == "cohen":
        raters = _sorted_names(raters) if plan.columns.long else raters
    active = set(_ordered_union([r["active"] for r in records]))
    patterns: dict[tuple[Any, ...], float] = {}
    for record in records:
        for key, count in record["patterns"].items():
            patterns[key] = patterns.get(key, 0.0) + count
    units = sum(r["units"] for r in records)
    dropped = sum(r["dropped"] for r in records)
    one_versus_rest = plan.stat == "fleiss" and plan.options.get("category") is not None
    if plan.listwise_later:
        # Complete units: rated by every rater of the whole data.
        complete = len(active)
        kept = {key: count for key, count in patterns.items() if sum(key[1::2]) == complete}
        dropped += units - sum(kept.values())
        units = sum(kept.values())
        patterns = kept
        active = active if patterns else set()
    if plan.declared is not None:
        codes = list(plan.declared)
    elif plan.listwise_later and not one_versus_rest:
        codes = sorted({key[a] for key in patterns for a in range(0, len(key), 2)})
    else:
        codes = sorted({code for r in records for code in r["codes"]})
    index = {code: k for k, code in enumerate(codes)}
    rebuilt = [
        ([int(v) for v in key] if one_versus_rest
         else [int(v) for a in range(0, len(key), 2) for v in (index[key[a]], key[a + 1])], count)
        for key, count in patterns.items()
    ]
    marginals = None
    if plan.stat == "krippendorff" and plan.options.get("level") == "ordinal" and not one_versus_rest:
        marginals = np.zeros(len(codes))
        for key, count in patterns.items():
            if sum(key[1::2]) >= 2:
                for a in range(0, len(key), 2):
                    marginals[index[key[a]]] += key[a + 1] * count
    table = None
    if plan.stat == "cohen":
        table = np.zeros((len(codes), len(codes)))
        for record in records:
            for (x, y), count in record["table"].items():
                table[index[x], index[y]] += count
    if not codes:
        # No unit the statistic keeps: what agree() says about no units.
        width = 2 if plan.stat in ("cohen", "scott") else max(len(raters), 1)
        return AgreementResult._from_core(
            _core.agree(np.full((0, width), np.nan, order="F"), plan.stat, **plan.options)
        )
    options = dict(plan.options, categories=codes)
    state = (
        _STATE_LAYOUT, plan.stat, len(raters), options, marginals,
        ["\x01" if name in active else "\x00" for name in raters], units, dropped, rebuilt, table,
    )
    core = _core.AgreementSummary.__new__(_core.AgreementSummary)
    getattr(core, "__setstate__")(state)
    summary = AgreementSummary.__new__(AgreementSummary)
    summary._core = core
    return summary


def _is_dask_frame(data: Any) -> bool:
    try:
        from dask.dataframe.core import DataFrame
    except ImportError:  # pragma: no cover - the caller passed a Dask object, so Dask is there
        return False
    return isinstance(data, DataFrame)


def _run(
    data: Any,
    stat: str,
    *,
    unit: Any = None,
    rater: Any = None,
    rating: str | None = None,
    role: str | Sequence[str] | None = None,
    unit_column: str | None = None,
    framework: Framework | None = None,
    partitioned_by_unit: bool | None = None,
    **options: Any,
) -> AgreementSummary | AgreementResult:
    from dask.delayed import delayed

    if not _is_dask_frame(data):
        raise invalid_argument(
            "python", f"calibra.dask takes a dask.dataframe.DataFrame; got {type(data).__name__} (use calibra.agree "
            "for a pandas DataFrame)"
        )
    if not isinstance(stat, str):
        raise invalid_argument("python", f"calibra.dask computes one statistic per call; got stat={stat!r}")
    if stat in ("conger", "light"):
        raise invalid_argument(
            "python", f"{stat} has no mergeable summary: it needs every rater's distribution at once; compute it "
            "with calibra.agree on the whole frame"
        )
    if partitioned_by_unit not in (None, True, False):
        raise invalid_argument(
            "python", f"partitioned_by_unit must be True, False or None; got {partitioned_by_unit!r}"
        )
    if options.get("bootstrap"):
        raise invalid_argument(
            "python", "calibra.dask gives the analytic interval only: the bootstrap resamples whole units and needs "
            "them all at once; leave bootstrap at 0"
        )
    meta = data._meta
    index_name = meta.index.name
    named_units = _as_list(unit if unit is not None else unit_column) or []
    from_index = index_name is not None and index_name not in meta.columns and (
        index_name in named_units or (not named_units and index_name in UNIT_COLUMNS)
    )
    if from_index:
        meta = meta.reset_index()
    columns = _resolve_columns(meta, unit, rater, rating, unit_column)
    if role is not None:
        if not columns.long:
            raise invalid_argument(
                "python", "role= filters long data by its column 'role'; this DataFrame is read as wide data"
            )
        if "role" not in meta.columns:
            raise invalid_argument(
                "python", f"role= keeps the rows whose column 'role' holds one of the roles given, and this "
                f"DataFrame has no column 'role'; its columns are {list(meta.columns)}"
            )

    hash_units = compact = False
    if columns.long:
        by_index = from_index and data.known_divisions and columns.unit == [index_name]
        if partitioned_by_unit is True:
            hash_units = not by_index
        elif partitioned_by_unit is False or not by_index:
            if from_index:
                data, from_index = data.reset_index(), False
            # A summary is linear over units: every rating of a unit must be
            # in one partition.
            if stat in _COUNT_STATISTICS:
                compact = True
            else:
                data = data.shuffle(on=columns.unit)

    declared = options.pop("categories", None)
    plan = _Plan(
        stat=stat,
        columns=columns,
        framework=framework,
        options=options,
        declared=None if declared is None or stat == "icc" else tuple(float(c) for c in declared),
        from_index=from_index,
        role=None if role is None else tuple(_as_list(role) or []),
        hash_units=hash_units,
        listwise_later=options.get("missing") == "listwise" and stat != "icc",
    )
    parts = data.to_delayed()
    if not parts:
        raise invalid_argument("python", "the Dask DataFrame has no partitions")
    records: list[dict[str, Any]] = _compact_records(parts, plan) if compact else list(
        _compute(*[delayed(_partition_record, pure=True)(p, plan) for p in parts])
    )
    if hash_units:
        _check_units_not_split(records, parts, plan)
    return _merge(records, plan)


def summarise(
    data: Any,
    stat: str,
    *,
    unit: Any = None,
    rater: Any = None,
    rating: str | None = None,
    role: str | Sequence[str] | None = None,
    unit_column: str | None = None,
    framework: Framework | None = None,
    partitioned_by_unit: bool | None = None,
    **options: Any,
) -> AgreementSummary:
    """The merged summary of a Dask DataFrame (wide or long, with the column
    arguments of ``calibra.agree``); ``.finish()`` gives the result.  See
    ``agree`` for ``partitioned_by_unit``."""
    if stat == "icc":
        raise invalid_argument(
            "python", "calibra.dask merges the ICC's ANOVA sums by rater name, not as an AgreementSummary: use "
            "calibra.dask.agree for icc"
        )
    merged = _run(
        data, stat, unit=unit, rater=rater, rating=rating, role=role, unit_column=unit_column, framework=framework,
        partitioned_by_unit=partitioned_by_unit, **options,
    )
    if isinstance(merged, AgreementResult):
        raise invalid_argument("python", f"{stat}: no unit is kept, so there is nothing to summarise ({merged.reason})")
    return merged


def agree(
    data: Any,
    stat: str,
    *,
    unit: Any = None,
    rater: Any = None,
    rating: str | None = None,
    role: str | Sequence[str] | None = None,
    unit_column: str | None = None,
    framework: Framework | None = None,
    partitioned_by_unit: bool | None = None,
    **options: Any,
) -> AgreementResult:
    """``calibra.agree`` over a Dask DataFrame, for one statistic (every one
    but conger and light), with the same column arguments and options (no
    bootstrap: the interval is the analytic one).

    Each partition is read once, in one task, into a small record; the
    records merge on the client into the summary of all the units.

    Long data needs every rating of a unit in one partition:

    * ``partitioned_by_unit=None`` (default): no shuffle when the frame is
      indexed by its unit column with known divisions (after
      ``ddf.set_index("unit")``), otherwise one shuffle by unit;
    * ``True``: the caller says the data is already split by unit (e.g. one
      file per team); no shuffle, and a unit found in two partitions raises
      ``InvalidArgument`` naming it;
    * ``False``: always shuffle.

    Wide data (one row per unit) is never shuffled.
    """
    merged = _run(
        data, stat, unit=unit, rater=rater, rating=rating, role=role, unit_column=unit_column, framework=framework,
        partitioned_by_unit=partitioned_by_unit, **options,
    )
    return merged if isinstance(merged, AgreementResult) else merged.finish()
