"""Bulk inserts and updates through the driver, stored exactly as SQLAlchemy Core stores them.

Applying a pulled page writes tens of thousands of rows. Core's
``executemany`` builds, for every row, a parameter dict per compiled bind
name and then converts it, which cost more than SQLite's own work. Here
each statement's SQL text is made once per table and column set, the
columns' own bind processors (the dialect's: a datetime to its stored
text, JSON serialized, a bool to an integer) are looked up once, and the
rows go to the driver as tuples in one ``executemany`` inside the caller's
transaction. The stored values are the ones Core would store
(``tests/store/test_raw_write.py`` compares both ways, column type by type).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

#: A column's conversion to what the driver binds (None: the value as it is).
Binder = Callable[[Any], Any] | None

_BINDERS: dict[tuple[str, str], dict[str, Binder]] = {}
_SQL: dict[tuple[str, str, tuple[str, ...], tuple[str, ...]], str] = {}


def binders(conn: Connection, table: sa.Table) -> dict[str, Binder]:
    """Column name -> its bind processor for this connection's dialect (looked up once)."""
    key = (conn.dialect.name, table.name)
    found = _BINDERS.get(key)
    if found is None:
        found = _BINDERS[key] = {
            c.name: c.type.dialect_impl(conn.dialect).bind_processor(conn.dialect) for c in table.c
        }
    return found


def _quoted(names: Iterable[str]) -> list[str]:
    return ['"' + name.replace('"', '""') + '"' for name in names]


def _statement(verb: str, table: sa.Table, columns: tuple[str, ...], where: tuple[str, ...]) -> str:
    key = (verb, table.name, columns, where)
    sql = _SQL.get(key)
    if sql is None:
        name = _quoted([table.name])[0]
        if verb == "UPDATE":
            sets = ", ".join(f"{c} = ?" for c in _quoted(columns))
            keys = " AND ".join(f"{c} = ?" for c in _quoted(where))
            sql = f"UPDATE {name} SET {sets} WHERE {keys}"
        else:
            marks = ", ".join("?" for _ in columns)
            sql = f"{verb} INTO {name} ({', '.join(_quoted(columns))}) VALUES ({marks})"
        sql = _SQL[key] = sql
    return sql


def _tuples(
    conn: Connection, table: sa.Table, columns: Sequence[str], rows: Iterable[Mapping[str, Any]]
) -> list[tuple[Any, ...]]:
    """The rows' values in ``columns`` order, each through its column's bind processor."""
    bind = binders(conn, table)
    if len(columns) == 1:
        (only,) = columns
        f = bind[only]
        return [(row[only] if f is None else f(row[only]),) for row in rows]
    pick = operator.itemgetter(*columns)
    steps = [(i, f) for i, f in enumerate(bind[c] for c in columns) if f is not None]
    if not steps:
        return [pick(row) for row in rows]
    out = []
    for row in rows:
        values = list(pick(row))
        for i, f in steps:
            values[i] = f(values[i])
        out.append(tuple(values))
    return out


def insert(
    conn: Connection,
    table: sa.Table,
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[str] | None = None,
    verb: str = "INSERT",
) -> None:
    """``verb`` (``INSERT``, ``INSERT OR REPLACE``, ``INSERT OR IGNORE``) every row at once.

    ``columns`` defaults to every column of the table; each row must hold them all.
    """
    if not rows:
        return
    names = tuple(columns) if columns is not None else tuple(c.name for c in table.c)
    conn.exec_driver_sql(_statement(verb, table, names, ()), _tuples(conn, table, names, rows))


def update(
    conn: Connection,
    table: sa.Table,
    columns: Sequence[str],
    rows: Sequence[Mapping[str, Any]],
    where: Sequence[str] = ("id",),
) -> None:
    """``UPDATE table SET columns WHERE where``, one parameter row per row."""
    if not rows:
        return
    names = (*columns, *where)
    conn.exec_driver_sql(
        _statement("UPDATE", table, tuple(columns), tuple(where)),
        _tuples(conn, table, names, rows),
    )
