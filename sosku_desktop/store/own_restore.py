"""The store's side of taking back our own bundles after a restore from our own backup.

A laptop restored from its backup lacks the bundles it wrote and sent after
that backup; the relay still holds them, signed with this device's key.
``sync/own_recovery.py`` fetches and verifies them; this module writes
them back: into the change log as acknowledged bundles (so the next local
write takes the number after them), merged into the rows like any
device's bundles (last-writer-wins, history, conflicts), with the clock
moved past them. Local bundles written after the restore that took the
same numbers were never accepted by the relay, so they are renumbered to
follow the recovered ones (the hash chain is computed when sealing, from
the change log, so it follows).
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from sosku_desktop.domain.ids import new_id as new_bundle_id
from sosku_desktop.store import meta_state
from sosku_desktop.store.hlc import HybridLogicalClock, Timestamp
from sosku_desktop.store.incoming import convert_ops
from sosku_desktop.store.merge import _Admitted, _Page
from sosku_desktop.store.schema import change_log


@dataclass(frozen=True)
class LocalBundle:
    """One row of our change log, without its ops."""

    device_seq: int
    bundle_id: str
    server_seq: int | None


def local_bundles(conn: Connection, from_seq: int = 0) -> dict[int, LocalBundle]:
    """Our change log from ``device_seq`` ``from_seq`` on, by device_seq."""
    rows = conn.execute(
        sa.select(change_log.c.device_seq, change_log.c.bundle_id, change_log.c.server_seq).where(
            change_log.c.device_seq >= from_seq
        )
    )
    return {
        int(r.device_seq): LocalBundle(
            int(r.device_seq), str(r.bundle_id), None if r.server_seq is None else int(r.server_seq)
        )
        for r in rows
    }


def renumber_after(conn: Connection, first: int, shift: int) -> int:
    """Move our un-acknowledged bundles from ``first`` on up by ``shift`` (order kept).

    Two steps through negative numbers: the key must stay unique while rows move.
    """
    if shift <= 0:
        return 0
    moved = conn.execute(
        change_log.update()
        .where(change_log.c.device_seq >= first)
        .where(change_log.c.server_seq.is_(None))
        .values(device_seq=-(change_log.c.device_seq + shift))
    ).rowcount
    conn.execute(
        change_log.update()
        .where(change_log.c.device_seq < 0)
        .values(device_seq=-change_log.c.device_seq)
    )
    return int(moved or 0)


def adopt(
    conn: Connection,
    device_id: str,
    bundles: list[tuple[dict[str, Any], int]],
    clock: HybridLogicalClock,
) -> int:
    """Write our recovered ``(plaintext, server_seq)`` bundles back; returns the ops merged.

    The caller has verified them (our signature, our hash chain) and made
    their numbers free (``renumber_after``). Their clocks move ours
    forward first, so a write made after this one is newer than all of them.
    """
    if not bundles:
        return 0
    now = datetime.now().replace(microsecond=0)
    for plaintext, _ in bundles:
        with contextlib.suppress(ValueError):  # one far ahead is not dragged into ours
            clock.receive(Timestamp.decode(str(plaintext["hlc"])))
    meta_state.save_clock(conn, clock)
    conn.execute(
        change_log.insert(),
        [
            {
                "device_seq": int(p["device_seq"]),
                "bundle_id": str(p["bundle_id"]),
                "hlc": str(p["hlc"]),
                "schema_version": int(p["schema_version"]),
                "created_at": now,
                "ops": list(p["ops"]),
                "server_seq": seq,
                "acked_at": now,
            }
            for p, seq in bundles
        ],
    )
    admitted = [
        _Admitted(
            i,
            {"device_id": device_id, "device_seq": int(p["device_seq"])},
            str(p["hlc"]),
            convert_ops(list(p["ops"])),
        )
        for i, (p, _) in enumerate(bundles)
    ]
    page = _Page(conn, admitted)
    page.merge()
    page.seqs.clear()  # our own device has no applied position
    page.flush(conn)
    return sum(len(ops) for a in admitted for _, ops in a.ops)


# --- a store caught up from a snapshot -------------------------------------------------

#: Our newest bundle the team holds that this store knows only from a snapshot's heads
#: (the bundles themselves were compacted away): ``{"seq", "digest", "server_seq"}``.
OWN_BASE = "sync.own_base"
#: The same ``seq`` alone, read by the Writer when it numbers the next bundle.
OWN_BASE_SEQ = "sync.own_base_seq"


def own_base(conn: Connection) -> tuple[int, str, int] | None:
    """(device_seq, digest, snapshot position) of our chain's base, if caught up past it."""
    raw = meta_state.get(conn, OWN_BASE)
    if not raw:
        return None
    found = json.loads(raw)
    return int(found["seq"]), str(found["digest"]), int(found["server_seq"])


def set_own_base(conn: Connection, seq: int, digest: str, server_seq: int) -> None:
    """Our chain goes on after ``seq`` (known by its ``digest``), whatever the change log holds."""
    meta_state.put(
        conn, OWN_BASE, json.dumps({"seq": seq, "digest": digest, "server_seq": server_seq})
    )
    meta_state.put(conn, OWN_BASE_SEQ, str(seq))


def move_unsent_after(conn: Connection, team_seq: int) -> int:
    """Renumber every un-acknowledged bundle to follow ``team_seq``, with fresh bundle ids.

    The team holds our bundles up to ``team_seq`` (a snapshot says so) and
    this store's unsent ones may reuse those numbers (it went back in time).
    Fresh ids: one of them may have reached the relay under its old number
    before the store went back; sent again under a new id it is a harmless
    repeat (same ops, same clock), never a refused one. Order is kept.
    """
    rows = conn.execute(
        sa.select(change_log.c.device_seq)
        .where(change_log.c.server_seq.is_(None))
        .order_by(change_log.c.device_seq)
    ).all()
    for index, row in enumerate(rows, start=1):
        conn.execute(
            change_log.update()
            .where(change_log.c.device_seq == row.device_seq)
            .values(device_seq=-(team_seq + index), bundle_id=new_bundle_id())
        )
    conn.execute(
        change_log.update()
        .where(change_log.c.device_seq < 0)
        .values(device_seq=-change_log.c.device_seq)
    )
    return len(rows)
