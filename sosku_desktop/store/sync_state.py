"""The store's side of sync: outbox, acknowledgements, pull cursor, quarantine.

The sync client (``sync/client.py``) moves bundles between these functions
and the server; every function runs inside a transaction the caller opened,
so "apply a pulled page and advance the cursor" is one atomic step and an
outbox row disappears from the outbox only with the server's acknowledgement.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from sosku_desktop.store import incoming, merge, meta_state
from sosku_desktop.store.hlc import HybridLogicalClock
from sosku_desktop.store.merge import ApplyResult
from sosku_desktop.store.schema import change_log, conflicts, quarantine

PULL_CURSOR = "pull_cursor"
#: ``"<server_seq>:<bundle_id>"`` of the bundle at the cursor (spots a restored relay).
CURSOR_ANCHOR = "pull_cursor_anchor"
LAST_SYNC = "last_sync"


@dataclass(frozen=True)
class OutgoingBundle:
    """A local bundle in the plaintext form that the envelope seals."""

    bundle_id: str
    device_seq: int
    hlc: str
    schema_version: int
    ops: list[dict[str, Any]]

    def plaintext(self, device_id: str) -> dict[str, Any]:
        return {
            "bundle_id": self.bundle_id,
            "device_id": device_id,
            "device_seq": self.device_seq,
            "hlc": self.hlc,
            "schema_version": self.schema_version,
            "ops": self.ops,
        }


def pending(conn: Connection, limit: int = 500, after: int = 0) -> list[OutgoingBundle]:
    """Un-acknowledged bundles after ``device_seq`` ``after``, oldest first (the outbox)."""
    rows = conn.execute(
        sa.select(change_log)
        .where(change_log.c.server_seq.is_(None))
        .where(change_log.c.device_seq > after)
        .order_by(change_log.c.device_seq)
        .limit(limit)
    ).fetchall()
    return [
        OutgoingBundle(r.bundle_id, r.device_seq, r.hlc, r.schema_version, list(r.ops))
        for r in rows
    ]


def mark_acked(conn: Connection, acks: dict[str, int]) -> int:
    """Record the server's ``bundle_id -> server_seq`` in one statement; returns the new ones."""
    if not acks:
        return 0
    now = datetime.now().replace(microsecond=0)
    result = conn.execute(
        change_log.update()
        .where(change_log.c.bundle_id == sa.bindparam("bid"))
        .where(change_log.c.server_seq.is_(None))
        .values(server_seq=sa.bindparam("seq"), acked_at=now),
        [{"bid": b, "seq": s} for b, s in acks.items()],
    )
    return result.rowcount or 0


def pass_own(conn: Connection, acks: dict[str, int]) -> bool:
    """Move the pull cursor over our own bundles just acknowledged right after it.

    When the relay placed a push at ``cursor + 1 …`` with nothing of
    anyone else in between, the pull would only fetch our own bundles back
    (and apply nothing). Their acknowledgement already names each position,
    which is what the outbox trusts too; the other laptops check the
    signatures and chain links. Returns whether the cursor moved.
    """
    if not acks:
        return False
    at = cursor(conn)
    placed = sorted((seq, bundle_id) for bundle_id, seq in acks.items())
    if [seq for seq, _ in placed] != list(range(at + 1, at + len(placed) + 1)):
        return False
    set_cursor(conn, placed[-1][0])
    set_cursor_anchor(conn, *placed[-1])
    return True


def requeue_from(conn: Connection, device_seq: int) -> int:
    """Put acknowledged bundles from ``device_seq`` on back into the outbox.

    For a relay restored from an old backup: it asks for ``device_seq``
    again (``device_seq_gap`` with ``expected``), so the bundles it lost are
    pushed once more; other devices skip them as duplicates.
    """
    result = conn.execute(
        change_log.update()
        .where(change_log.c.device_seq >= device_seq)
        .where(change_log.c.server_seq.is_not(None))
        .values(server_seq=None, acked_at=None)
    )
    return result.rowcount or 0


def outbox_count(conn: Connection) -> int:
    """How many local bundles wait for the server's acknowledgement."""
    query = sa.select(sa.func.count()).where(change_log.c.server_seq.is_(None))
    return int(conn.execute(query).scalar() or 0)


def quarantined(conn: Connection) -> list[Any]:
    """Held bundles without their payload (for the Sync page and ``sosku sync status``)."""
    return list(
        conn.execute(
            sa.select(
                quarantine.c.bundle_id,
                quarantine.c.device_id,
                quarantine.c.device_seq,
                quarantine.c.server_seq,
                quarantine.c.reason,
                quarantine.c.received_at,
            ).order_by(quarantine.c.received_at, quarantine.c.device_id, quarantine.c.device_seq)
        ).fetchall()
    )


def cursor(conn: Connection) -> int:
    return int(meta_state.get(conn, PULL_CURSOR) or 0)


def set_cursor(conn: Connection, value: int) -> None:
    meta_state.put(conn, PULL_CURSOR, str(value))


def cursor_anchor(conn: Connection) -> tuple[int, str] | None:
    """The bundle the cursor stands on, as (server_seq, bundle_id), if known."""
    raw = meta_state.get(conn, CURSOR_ANCHOR)
    if not raw:
        return None
    seq, _, bundle_id = raw.partition(":")
    return int(seq), bundle_id


def set_cursor_anchor(conn: Connection, server_seq: int, bundle_id: str | None) -> None:
    """Remember the bundle at ``server_seq``; ``None`` forgets the anchor."""
    if bundle_id is None:
        meta_state.delete(conn, CURSOR_ANCHOR)
    else:
        meta_state.put(conn, CURSOR_ANCHOR, f"{server_seq}:{bundle_id}")


def acked(conn: Connection) -> list[tuple[int, int, str]]:
    """Own acknowledged bundles as (server_seq, device_seq, bundle_id), by server_seq."""
    rows = conn.execute(
        sa.select(change_log.c.server_seq, change_log.c.device_seq, change_log.c.bundle_id)
        .where(change_log.c.server_seq.is_not(None))
        .order_by(change_log.c.server_seq)
    ).fetchall()
    return [(int(r.server_seq), int(r.device_seq), str(r.bundle_id)) for r in rows]


def own_bundle_ids(conn: Connection) -> dict[int, str]:
    """device_seq -> bundle_id of every bundle this device ever wrote."""
    rows = conn.execute(sa.select(change_log.c.device_seq, change_log.c.bundle_id))
    return {int(r.device_seq): str(r.bundle_id) for r in rows}


def last_acked(conn: Connection) -> tuple[int, str] | None:
    """(server_seq, bundle_id) of the newest acknowledged own bundle."""
    row = conn.execute(
        sa.select(change_log.c.server_seq, change_log.c.bundle_id)
        .where(change_log.c.server_seq.is_not(None))
        .order_by(change_log.c.server_seq.desc())
        .limit(1)
    ).first()
    return (int(row.server_seq), str(row.bundle_id)) if row is not None else None


def last_acked_seq(conn: Connection) -> int:
    """The device_seq of our newest acknowledged bundle (0: none)."""
    query = sa.select(sa.func.max(change_log.c.device_seq)).where(
        change_log.c.server_seq.is_not(None)
    )
    return int(conn.execute(query).scalar() or 0)


def note_sync(conn: Connection, when: datetime | None = None) -> None:
    meta_state.put(conn, LAST_SYNC, (when or datetime.now()).isoformat(timespec="seconds"))


def last_sync(conn: Connection) -> datetime | None:
    raw = meta_state.get(conn, LAST_SYNC)
    return datetime.fromisoformat(raw) if raw else None


def put_in_quarantine(
    conn: Connection,
    bundle_id: str,
    device_id: str,
    device_seq: int,
    reason: str,
    payload: dict[str, Any] | None,
    server_seq: int | None = None,
) -> None:
    """Keep a bundle we cannot apply now; visible on the Sync page with its reason.

    A payload JSON cannot hold (bytes from another device's msgpack) is not
    kept: such a bundle could never be applied to these columns anyway.
    """
    if payload is not None and not _json_safe(payload):
        payload = None
    conn.execute(quarantine.delete().where(quarantine.c.bundle_id == bundle_id))
    conn.execute(
        quarantine.insert().values(
            bundle_id=bundle_id,
            device_id=device_id,
            device_seq=device_seq,
            server_seq=server_seq,
            reason=reason,
            # SQL NULL, not JSON null: rows without a payload are never retried.
            payload=payload if payload is not None else sa.null(),
            received_at=datetime.now().replace(microsecond=0),
        )
    )


def _json_safe(value: Any) -> bool:
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return False
    return True


#: Page cache while a pulled page or a snapshot is written (KiB): every page is then
#: encrypted once at commit instead of on every spill.
APPLY_CACHE_KIB = 64 * 1024


@contextmanager
def roomy_cache(conn: Connection, kib: int = APPLY_CACHE_KIB) -> Iterator[None]:
    """A larger SQLite page cache for one bulk write, restored afterwards."""
    before = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    conn.exec_driver_sql(f"PRAGMA cache_size = -{int(kib)}")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size = {int(before or -2000)}")


def apply_page(
    conn: Connection,
    bundles: list[tuple[dict[str, Any], int | None]],
    clock: HybridLogicalClock,
    prepared: list[incoming.Prepared | None] | None = None,
) -> list[ApplyResult]:
    """Apply decrypted ``(bundle, server_seq)`` pairs together; refused ones go to quarantine.

    The bundles were verified before (signature, AEAD, trust rules); what is
    left to refuse here is per bundle (``merge.apply_page``), and only the
    refused bundle is held: the rest of the page is applied.
    """
    results = merge.apply_page(conn, [b for b, _ in bundles], clock, prepared)
    for (bundle, server_seq), result in zip(bundles, results, strict=True):
        if result.rejected is not None:
            put_in_quarantine(
                conn,
                bundle["bundle_id"],
                bundle["device_id"],
                int(bundle["device_seq"]),
                result.rejected,
                bundle,
                server_seq,
            )
    return results


def apply_or_quarantine(
    conn: Connection, bundle: dict[str, Any], clock: HybridLogicalClock, server_seq: int | None
) -> ApplyResult | None:
    """Apply one decrypted bundle, or quarantine it with the reason; ``None`` if quarantined."""
    (result,) = apply_page(conn, [(bundle, server_seq)], clock)
    return None if result.rejected is not None else result


def retry_quarantine(conn: Connection, clock: HybridLogicalClock) -> int:
    """Try held bundles again (a gap filled, the app upgraded); returns how many applied."""
    applied = 0
    progress = True
    while progress:
        rows = conn.execute(
            sa.select(quarantine)
            .where(quarantine.c.payload.is_not(None))
            .order_by(quarantine.c.device_id, quarantine.c.device_seq)
        ).fetchall()
        results = merge.apply_page(conn, [dict(row.payload) for row in rows], clock)
        progress = False
        for row, result in zip(rows, results, strict=True):
            if result.rejected is None:
                conn.execute(quarantine.delete().where(quarantine.c.bundle_id == row.bundle_id))
                applied += 1
                progress = True
            elif result.rejected != row.reason:
                conn.execute(
                    quarantine.update()
                    .where(quarantine.c.bundle_id == row.bundle_id)
                    .values(reason=result.rejected)
                )
    return applied


def open_conflicts(conn: Connection) -> list[sa.Row[Any]]:
    return list(
        conn.execute(
            sa.select(conflicts)
            .where(conflicts.c.resolved_at.is_(None))
            .order_by(conflicts.c.detected_at, conflicts.c.id)
        ).fetchall()
    )
