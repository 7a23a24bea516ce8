"""The statements of every save, prepared once and run on the driver connection.

Saving one meeting is one transaction of about eight statements (the
meeting and its audit row, the client look-up, the clocks, the next
``device_seq``, the change-log row, the persisted clock). Through
SQLAlchemy each cost 30–60 µs of Python (execution context, events,
result set-up, parameter processing) — more than SQLite and SQLCipher
need to write the row. Here each statement is made once: entity inserts
as SQL text per table and column set with the columns' own bind
processors (``raw_write.binders``: stored exactly as Core stores them,
``tests/store/test_raw_write.py``), look-ups compiled from their Core
statements (which stay their one definition). They run on the DBAPI
connection under the caller's ``Connection``, inside its transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.sql.compiler import SQLCompiler

from sosku_desktop.store import raw_write
from sosku_desktop.store.raw_write import Binder


def driver(conn: Connection) -> Any:
    """The DBAPI connection under ``conn``; statements on it join ``conn``'s transaction.

    Outside a transaction it begins one first, as Core's own ``execute``
    would (autobegin), so the caller's ``commit``/``rollback`` covers them.
    """
    if not conn.in_transaction():
        conn.begin()
    return conn.connection.driver_connection


#: (dialect, table, columns) -> (INSERT text, (position, bind processor) where a column has one)
_INSERTS: dict[tuple[str, str, tuple[str, ...]], tuple[str, tuple[tuple[int, Binder], ...]]] = {}


def _insert_plan(
    conn: Connection, table: sa.Table, names: tuple[str, ...]
) -> tuple[str, tuple[tuple[int, Binder], ...]]:
    key = (conn.dialect.name, table.name, names)
    plan = _INSERTS.get(key)
    if plan is None:
        bind = raw_write.binders(conn, table)
        quoted = ", ".join('"' + n.replace('"', '""') + '"' for n in names)
        marks = ", ".join("?" for _ in names)
        sql = f'INSERT INTO "{table.name}" ({quoted}) VALUES ({marks})'
        steps = tuple((i, bind[n]) for i, n in enumerate(names) if bind[n] is not None)
        plan = _INSERTS[key] = (sql, steps)
    return plan


def insert_row(conn: Connection, table: sa.Table, row: Mapping[str, Any]) -> None:
    """``INSERT`` one row (its keys are the columns), values stored as Core stores them."""
    sql, steps = _insert_plan(conn, table, tuple(row))
    values = list(row.values())
    for i, process in steps:
        values[i] = process(values[i])  # type: ignore[misc]  # steps hold only real binders
    driver(conn).execute(sql, values)


class Prepared:
    """A Core statement compiled once, run on the driver with keyword parameters.

    For look-ups whose parameters are plain text or integers (no bind
    processing) and whose result is used as SQLite returns it. A bound
    value fixed in the statement (a literal) keeps the value it was built
    with.
    """

    def __init__(self, statement: sa.ClauseElement) -> None:
        self.statement = statement
        self._compiled: dict[str, tuple[str, tuple[str, ...], dict[str, Any]]] = {}

    def _for(self, dialect: sa.Dialect) -> tuple[str, tuple[str, ...], dict[str, Any]]:
        found = self._compiled.get(dialect.name)
        if found is None:
            compiled = self.statement.compile(dialect=dialect)
            assert isinstance(compiled, SQLCompiler)  # a statement, not DDL
            names = tuple(compiled.positiontup or ())
            fixed = {name: bind.value for name, bind in compiled.binds.items()}
            found = self._compiled[dialect.name] = (str(compiled), names, fixed)
        return found

    def _cursor(self, conn: Connection, params: dict[str, Any]) -> Any:
        sql, names, fixed = self._for(conn.dialect)
        return driver(conn).execute(sql, [params[n] if n in params else fixed[n] for n in names])

    def run(self, conn: Connection, **params: Any) -> None:
        """Execute it (a write); nothing is read back."""
        self._cursor(conn, params).close()

    def scalar(self, conn: Connection, **params: Any) -> Any:
        """The first column of the first row, or ``None`` when there is no row."""
        row = self._cursor(conn, params).fetchone()
        return None if row is None else row[0]
