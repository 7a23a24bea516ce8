"""Who may write what: rules every pulled bundle must pass before it is applied.

A valid signature says *which device* wrote a bundle, not that the device
was allowed to write every op in it. An enrolled insider (or a laptop
running altered code) could otherwise rewrite any synced row, the access
log included. So, before merge:

* the bundle's clock must belong to the signing device (the device part
  of its HLC is its ``device_id``): a device cannot write "as" another one
  and win last-writer-wins with someone else's clock;
* ``audit_log`` rows are insert-only and only their author creates them:
  a row is written by one bundle, of the device named in its
  ``device_id`` column, never updated or deleted afterwards.

``violation`` returns the quarantine reason or None. The checks are pure
functions of the bundle plus the clocks the store already holds, so they
give the same answer on every laptop and in any order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy.engine import Connection

from sosku_desktop.store import clocks as row_clocks

CLOCK_DEVICE = "clock_device"
FORBIDDEN_WRITE = "forbidden_write"
#: Rows nobody may change after they were written, and the column naming their author.
INSERT_ONLY = {"audit_log": "device_id"}

#: ``(table, row) -> the HLCs already stored for that row's columns``.
ClockLookup = Callable[[str, str], Iterable[str]]


def clock_device(hlc: str) -> str:
    """The device part of ``<ms>-<counter>-<device>``."""
    parts = hlc.split("-", 2)
    return parts[2] if len(parts) == 3 else ""


def check(plaintext: dict[str, Any], clocks: ClockLookup) -> str | None:
    """The reason ``plaintext`` may not be applied, or None (pure; see module docstring)."""
    return _check(plaintext, insert_only_rows(plaintext), clocks)


#: A bundle's ops on insert-only tables, by row (``insert_only_rows``).
InsertOnlyRows = dict[tuple[str, str], list[dict[str, Any]]]


def insert_only_rows(plaintext: dict[str, Any]) -> InsertOnlyRows:
    """The bundle's ops on insert-only tables, by row (pure: the pull's open thread runs it)."""
    rows: InsertOnlyRows = {}
    for op in plaintext["ops"]:
        table = op["t"]
        if table in INSERT_ONLY:
            key = (table, op["r"])
            found = rows.get(key)
            if found is None:
                rows[key] = [op]
            else:
                found.append(op)
    return rows


def _check(plaintext: dict[str, Any], rows: InsertOnlyRows, clocks: ClockLookup) -> str | None:
    """``check`` with the insert-only rows found; plain loops (a page checks 8,000 rows)."""
    signer = plaintext["device_id"]
    hlc = plaintext["hlc"]
    if clock_device(hlc) != signer:
        return CLOCK_DEVICE
    for (table, row_id), ops in rows.items():
        author = INSERT_ONLY[table]
        named = []
        for op in ops:
            if op.get("d"):
                return FORBIDDEN_WRITE
            if op.get("c") == author:
                named.append(op.get("v"))
        for stored in clocks(table, row_id):
            if stored != hlc:
                return FORBIDDEN_WRITE  # the row exists already: written by another bundle
        if named != [signer]:
            return FORBIDDEN_WRITE  # created for (or as) someone else
    return None


def violations(
    conn: Connection,
    plaintexts: list[dict[str, Any]],
    grouped: list[InsertOnlyRows | None] | None = None,
) -> list[str | None]:
    """``check`` for every bundle of a page, in order, with one clock query for the page.

    The clocks of every insert-only row the page touches are read at once
    (``clocks.load``: one query per table and chunk). A page is applied at
    once, so a row created by an earlier bundle of the same page is not in
    the store yet: the HLC of every insert-only row a passing bundle writes
    is remembered and counts as stored for the bundles after it. Each
    bundle's ops are gone through once (a page holds some 100,000), or not at
    all here when ``grouped`` holds its ``insert_only_rows`` already (found
    where the bundle was opened; ``None`` for one that was not).
    """
    found_rows = [
        rows if rows is not None else insert_only_rows(plain)
        for plain, rows in zip(plaintexts, grouped or [None] * len(plaintexts), strict=True)
    ]
    keys = {key for rows in found_rows for key in rows}
    stored = {key: set(found.values()) for key, found in row_clocks.load(conn, keys).items()}

    def clocks(table: str, row_id: str) -> Iterable[str]:
        return stored.get((table, row_id), ())

    reasons: list[str | None] = []
    for plain, rows in zip(plaintexts, found_rows, strict=True):
        reason = _check(plain, rows, clocks)
        if reason is None:
            for key in rows:
                stored.setdefault(key, set()).add(plain["hlc"])
        reasons.append(reason)
    return reasons
