"""A remote bundle's ops checked against our columns and converted for the merge.

Pure (no database): the pull converts a page's bundles in the thread that
opened them, a page ahead of the merge (``store/merge.py``). Each op's
wire value becomes the column's value (ISO strings to dates and times, a
flag to a bool); an unknown table or column, or a value that does not fit,
refuses the whole bundle with a quarantine reason (``BundleRejected``).
The ops come out grouped by the row they write, so the merge looks each
row's clocks and values up once.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, NamedTuple

import sqlalchemy as sa

from sosku_desktop.store.clocks import RowKey
from sosku_desktop.store.schema import ENTITY, SYNCED_TABLES
from sosku_desktop.store.writer import RESOLVES


class BundleRejected(ValueError):
    """A bundle that must not be applied now; ``reason`` is a stable code for the quarantine."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Op(NamedTuple):
    """One column write of a bundle, its value converted."""

    col: str
    wire: Any
    value: Any
    has_base: bool
    base: Any
    #: For a conflict decision: close this field's conflicts up to this HLC.
    resolves: str | None = None


#: A bundle's ops grouped by the row they write, rows in first-write order, each
#: row's ops in bundle order: a page is merged row by row (one clock and row look-up).
RowOps = list[tuple[RowKey, list[Op]]]

#: A bundle's ops converted to column values, or why they cannot be (``prepare``).
Prepared = RowOps | BundleRejected


def prepare(bundle: dict[str, Any]) -> Prepared:
    """The bundle's ops converted for ``merge.apply_page`` (pure: may run in another thread)."""
    try:
        return convert_ops(bundle["ops"])
    except BundleRejected as exc:
        return exc


class _Irregular(Exception):
    """An op the fast loop does not plainly accept: the exact loop decides."""


def convert_ops(raw_ops: list[dict[str, Any]]) -> RowOps:
    """Ops with their values in column types, by row; refuses unknown tables, columns, misfits.

    Nearly every op of a pulled page is a plain ``{t, r, c, v}`` (``b``
    and ``x`` on edits) of a known column with a fitting value: those go
    through ``_convert_plain``, with no per-op checks beyond what the
    conversion itself needs. The first op that loop does not plainly
    accept sends the whole bundle through ``_convert_exact``, which gives
    the reason (and is what the plain loop's result equals when it
    finishes: ``tests/store/test_incoming.py``).
    """
    try:
        return _convert_plain(raw_ops)
    except (_Irregular, KeyError, TypeError, ValueError):
        return _convert_exact(raw_ops)


def _convert_plain(raw_ops: list[dict[str, Any]]) -> RowOps:
    """``_convert_exact`` for bundles of plain ops; raises on anything else.

    Consecutive ops of one row (a created row's columns) share the row's
    list without another look-up.
    """
    kinds, new_op = _KINDS, _NEW_OP
    rows: dict[RowKey, list[Op]] = {}
    last_table: Any = None
    last_row: Any = None
    found: list[Op] = []
    for op in raw_ops:
        if type(op) is not dict or "d" in op:
            raise _Irregular
        table, column, row, wire = op["t"], op["c"], op["r"], op["v"]
        nullable, text, convert = kinds[table][column]
        value = wire
        if wire is None:
            if not nullable:
                raise _Irregular
        elif text:
            if type(wire) is not str:
                raise _Irregular
        elif convert is not _same:
            value = convert(wire)
        if len(op) == 4:  # t, c, r, v: a column of a created row
            converted = new_op((column, wire, value, False, None, None))
        else:
            resolves = op.get(RESOLVES)
            if resolves is not None and type(resolves) is not str:
                raise _Irregular
            converted = new_op((column, wire, value, "b" in op, op.get("b"), resolves))
        if row != last_row or table != last_table:
            if type(row) is not str:
                raise _Irregular
            key = (table, row)
            listed = rows.get(key)
            if listed is None:
                listed = rows[key] = []
            found, last_table, last_row = listed, table, row
        found.append(converted)
    return list(rows.items())


def _convert_exact(raw_ops: list[dict[str, Any]]) -> RowOps:
    """Every op checked; the reason for the first misfit, in one loop.

    An unknown table or column anywhere in the bundle is the reason given
    even when an earlier op is also malformed (a newer app's bundle waits
    in quarantine as ``unknown_*`` until this app is updated).
    """
    kinds, new_op = _KINDS, _NEW_OP
    rows: dict[RowKey, list[Op]] = {}
    malformed = False
    for op in raw_ops:
        table: str = op.get("t")  # type: ignore[assignment]
        table_kinds = kinds.get(table)
        if table_kinds is None:
            raise BundleRejected("unknown_table")
        column = op.get("c")
        if column is not None and column not in table_kinds:
            raise BundleRejected("unknown_column")  # an id is never rewritten: not listed
        if malformed:
            continue
        row = op.get("r")
        wire: Any
        if op.get("d"):
            column, wire = "deleted", True
        else:
            wire = op.get("v")
        if column is None or not isinstance(row, str):
            malformed = True
            continue
        nullable, text, convert = table_kinds[column]
        value = wire
        if wire is None:
            malformed = not nullable
        elif text:
            malformed = not isinstance(wire, str)
        elif convert is not _same:
            try:
                value = convert(wire)
            except (ValueError, TypeError):
                malformed = True
        resolves = op.get(RESOLVES)
        if malformed or (resolves is not None and not isinstance(resolves, str)):
            malformed = True
            continue
        # tuple.__new__ directly: the generated __new__ of a named tuple costs more.
        converted = new_op((column, wire, value, "b" in op, op.get("b"), resolves))
        found = rows.get((table, row))
        if found is None:
            rows[(table, row)] = [converted]
        else:
            found.append(converted)
    if malformed:
        raise BundleRejected("malformed")
    return list(rows.items())


_NEW_OP: Callable[[tuple[str, Any, Any, bool, Any, str | None]], Op] = functools.partial(
    tuple.__new__, Op
)


def _as_bool(value: Any) -> bool:
    return bool(value)


def _same(value: Any) -> Any:
    return value


def _column_kind(col: sa.Column[Any]) -> tuple[bool, bool, Callable[[Any], Any]]:
    """(nullable, text, wire → column value) of a column, for checking incoming ops."""
    convert: Callable[[Any], Any] = _same
    if isinstance(col.type, sa.DateTime):
        convert = datetime.fromisoformat
    elif isinstance(col.type, sa.Date):
        convert = date.fromisoformat
    elif isinstance(col.type, sa.Boolean):
        convert = _as_bool
    return bool(col.nullable), isinstance(col.type, sa.String), convert


#: table -> column -> (nullable, text, converter), for every synced column but ``id``.
_KINDS: dict[str, dict[str, tuple[bool, bool, Callable[[Any], Any]]]] = {
    name: {c.name: _column_kind(c) for c in ENTITY[name].c if c.name != "id"}
    for name in SYNCED_TABLES
}
