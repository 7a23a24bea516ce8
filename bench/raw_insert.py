"""The baseline of "saving one meeting": a raw insert + commit of the same row, same file.

Issue 15's goal is the Writer's save of one meeting ≤ 3× "a raw insert +
commit". What that baseline means here (``bench_store_writes.py`` and
``bench_scale.py`` both use it):

- the same meeting row: every column of ``meetings`` with the values the
  Writer stored for a meeting (read back from the store; only the id and
  the notes differ per insert);
- into the store's own file and its ``meetings`` table (the same indexes),
  through a ``sqlcipher3`` connection keyed and configured by
  ``store.engine.configure`` — the function the store's engine runs on each
  of its connections: the same key format (raw key as a hex blob), cipher
  settings and page size, WAL, ``synchronous`` as the store has it;
- one ``BEGIN IMMEDIATE`` / ``INSERT`` / ``COMMIT`` per row, no SQLAlchemy.

The encryption of the committed pages is the store's disk format, not an
overhead of our code, so the baseline pays it too; the ratio is what the
save adds on top (change log, clocks, audit row, their index pages, Python).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlcipher3

from sosku_desktop.domain.ids import new_id
from sosku_desktop.store import engine


def connect(db_file: Path, key: bytes) -> Any:
    """A driver connection to ``db_file`` opened exactly as the store opens its file."""
    conn = sqlcipher3.dbapi2.connect(str(db_file), check_same_thread=False, timeout=30)
    engine.configure(conn, key)
    return conn


class MeetingInserts:
    """Raw insert + commit of copies of one stored meeting row (a new id and notes each)."""

    def __init__(self, conn: Any, meeting_id: str) -> None:
        self.conn = conn
        cur = conn.execute("SELECT * FROM meetings WHERE id = ?", (meeting_id,))
        self.columns = [d[0] for d in cur.description]
        template = cur.fetchone()
        if template is None:
            raise LookupError("the template meeting is not in the store")
        self.template = list(template)
        self.id_at = self.columns.index("id")
        self.notes_at = self.columns.index("notes")
        names = ", ".join(self.columns)
        marks = ", ".join("?" for _ in self.columns)
        self.sql = f"INSERT INTO meetings ({names}) VALUES ({marks})"
        self.inserted: list[str] = []

    def one(self, notes: str) -> None:
        """One transaction: BEGIN IMMEDIATE, the insert, COMMIT."""
        row = list(self.template)
        row[self.id_at] = new_id()
        row[self.notes_at] = notes
        self.conn.execute("BEGIN IMMEDIATE")
        self.conn.execute(self.sql, row)
        self.conn.execute("COMMIT")
        self.inserted.append(row[self.id_at])

    def remove(self) -> None:
        """Delete the inserted copies (a store that is used on after the bench)."""
        self.conn.execute("BEGIN IMMEDIATE")
        self.conn.executemany("DELETE FROM meetings WHERE id = ?", [(i,) for i in self.inserted])
        self.conn.execute("COMMIT")
        self.inserted.clear()


def timed(step: Callable[[int], object], count: int, start: int = 0) -> tuple[float, float]:
    """(wall seconds, thread CPU seconds) of ``step(i)`` for ``count`` values of ``i``."""
    wall = time.perf_counter()
    cpu = time.thread_time()
    for i in range(start, start + count):
        step(i)
    return time.perf_counter() - wall, time.thread_time() - cpu
