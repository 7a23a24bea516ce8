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
    signer = plaintext["device_id"]
    hlc = plaintext["hlc"]
    if clock_device(hlc) != signer:
        return CLOCK_DEVICE
    rows: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for op in plaintext["ops"]:
        if op["t"] in INSERT_ONLY:
            rows.setdefault((op["t"], op["r"]), []).append(op)
    for (table, row_id), ops in rows.items():
        if any(op.get("d") for op in ops):
            return FORBIDDEN_WRITE
        if any(stored != hlc for stored in clocks(table, row_id)):
            return FORBIDDEN_WRITE  # the row exists already: written by another bundle
        author = INSERT_ONLY[table]
        named = [op.get("v") for op in ops if op.get("c") == author]
        if named != [signer]:
            return FORBIDDEN_WRITE  # created for (or as) someone else
    return None


def violations(conn: Connection, plaintexts: list[dict[str, Any]]) -> list[str | None]:
    """``check`` for every bundle of a page, in order, with one clock query for the page.

    The clocks of every insert-only row the page touches are read at once
    (``clocks.load``: one query per table and chunk). A page is applied at
    once, so a row created by an earlier bundle of the same page is not in
    the store yet: the HLC of every insert-only row a passing bundle writes
    is remembered and counts as stored for the bundles after it.
    """
    keys = {
        (op["t"], op["r"]) for plain in plaintexts for op in plain["ops"] if op["t"] in INSERT_ONLY
    }
    stored = {key: set(found.values()) for key, found in row_clocks.load(conn, keys).items()}

    def clocks(table: str, row_id: str) -> Iterable[str]:
        return stored.get((table, row_id), ())

    reasons: list[str | None] = []
    for plain in plaintexts:
        reason = check(plain, clocks)
        if reason is None:
            for op in plain["ops"]:
                if op["t"] in INSERT_ONLY:
                    stored.setdefault((op["t"], op["r"]), set()).add(plain["hlc"])
        reasons.append(reason)
    return reasons
