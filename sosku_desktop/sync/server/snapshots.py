"""Snapshots and compaction: what lets the relay forget old bundles safely.

A *snapshot* is the team's data as one enrolled device held it after
applying every bundle up to ``server_seq``: sealed with the epoch key and
signed by that device, in parts (``protocol.SnapshotPart``). The relay
checks only the signature against the uploader and the header against the
team; it cannot read a part, and laptops believe a snapshot only if the
team's authority approved its maker (``sync/snapshot.py``).

*Compaction*: every pull tells the relay how far the device holds the
log (its cursor, ``devices.acked_seq``). Bundles below the *watermark* —
the lowest position every active device has acknowledged, and never above
the newest complete snapshot (a joining device starts from it) — are
deleted, and ``teams.pruned_upto`` remembers how far. Revoked and pending
devices do not hold the watermark back. A pull from below it gets
``410 history_compacted``.
"""

from __future__ import annotations

import logging
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from sosku_desktop.sync import crypto
from sosku_desktop.sync.protocol import (
    ACTIVE,
    E_BAD_SIGNATURE,
    E_DEVICE_REVOKED,
    E_INVALID,
    E_NOT_FOUND,
    E_SNAPSHOT_CONFLICT,
    ProtocolError,
    SnapshotPart,
    b64encode,
    parse_snapshot_part,
)
from sosku_desktop.sync.server import schema
from sosku_desktop.sync.server.errors import Rejected
from sosku_desktop.sync.server.roster import get_device
from sosku_desktop.sync.server.storage import Database, lock_team, now_ms

log = logging.getLogger("sosku.server.snapshots")
snapshots = schema.snapshots
#: An upload left unfinished this long is dropped (a laptop that went away mid-way).
STALE_UPLOAD_MS = 24 * 3600 * 1000


def _parse(raw: Any, team_id: str, device_id: str, sign_pub: bytes) -> SnapshotPart:
    try:
        part = parse_snapshot_part(raw)
    except ProtocolError as exc:
        raise Rejected(422, exc.code, f"part: {exc.message}") from None
    if part.team_id != team_id or part.device_id != device_id:
        raise Rejected(422, E_INVALID, "the part is not this device's")
    if not crypto.verify(sign_pub, part.signed_bytes(), part.signature):
        raise Rejected(422, E_BAD_SIGNATURE, "the part's signature does not verify")
    return part


def put_part(
    db: Database, team_id: str, device_id: str, sign_pub: bytes, raw: Any
) -> dict[str, Any]:
    """Store one part (idempotent); the last part of a snapshot completes it and compacts."""
    part = _parse(raw, team_id, device_id, sign_pub)

    def work(conn: Connection) -> dict[str, Any]:
        team = lock_team(conn, team_id)
        device = get_device(conn, team_id, device_id)
        if team is None or device is None or device.status != ACTIVE:
            raise Rejected(403, E_DEVICE_REVOKED, "this device may no longer upload")
        if part.server_seq > team.head_seq or not 1 <= part.epoch <= team.current_epoch:
            raise Rejected(422, E_INVALID, "the part covers bundles or an epoch the team lacks")
        if not _already_stored(conn, part):
            conn.execute(snapshots.insert().values(**_row(part)))
        stored = conn.execute(
            sa.select(sa.func.count()).where(
                snapshots.c.team_id == team_id, snapshots.c.snapshot_id == part.snapshot_id
            )
        ).scalar_one()
        complete = stored == part.parts
        pruned = compact(conn, team_id) if complete else 0
        return {"snapshot_id": part.snapshot_id, "complete": complete, "pruned": pruned}

    outcome = db.write(work)
    log.info(
        "snapshot part",
        extra={"event": "snapshot", "team": team_id, "device": device_id, **outcome},
    )
    outcome.pop("pruned")
    return outcome


def _already_stored(conn: Connection, part: SnapshotPart) -> bool:
    """True for a repeat of a stored part; refuses one that differs from it or its siblings."""
    found = conn.execute(
        sa.select(snapshots).where(
            snapshots.c.team_id == part.team_id, snapshots.c.snapshot_id == part.snapshot_id
        )
    ).all()
    repeat = False
    for row in found:
        same = (row.parts, row.server_seq, row.epoch, row.device_id) == (
            part.parts,
            part.server_seq,
            part.epoch,
            part.device_id,
        )
        if not same or (row.part == part.part and row.signature != part.signature):
            raise Rejected(409, E_SNAPSHOT_CONFLICT, "the snapshot holds other content")
        repeat = repeat or row.part == part.part
    return repeat


def _row(part: SnapshotPart) -> dict[str, Any]:
    return {
        "team_id": part.team_id,
        "snapshot_id": part.snapshot_id,
        "part": part.part,
        "parts": part.parts,
        "server_seq": part.server_seq,
        "epoch": part.epoch,
        "device_id": part.device_id,
        "version": part.version,
        "nonce": part.nonce,
        "ciphertext": part.ciphertext,
        "signature": part.signature,
        "created_at": now_ms(),
    }


def newest(conn: Connection, team_id: str) -> dict[str, Any] | None:
    """The newest complete snapshot's description, or None."""
    complete = (
        sa.select(
            snapshots.c.snapshot_id,
            sa.func.max(snapshots.c.server_seq).label("server_seq"),
            sa.func.max(snapshots.c.parts).label("parts"),
            sa.func.max(snapshots.c.epoch).label("epoch"),
            sa.func.max(snapshots.c.device_id).label("device_id"),
            sa.func.max(snapshots.c.created_at).label("created_at"),
        )
        .where(snapshots.c.team_id == team_id)
        .group_by(snapshots.c.snapshot_id)
        .having(sa.func.count() == sa.func.max(snapshots.c.parts))
        .order_by(sa.desc("server_seq"), sa.desc("created_at"))
        .limit(1)
    )
    row = conn.execute(complete).first()
    return None if row is None else dict(row._mapping)


def describe(conn: Connection, team_id: str) -> dict[str, Any]:
    """``GET /v1/snapshots``: the newest complete snapshot and how far the log is pruned."""
    team = conn.execute(
        sa.select(schema.teams.c.head_seq, schema.teams.c.pruned_upto).where(
            schema.teams.c.team_id == team_id
        )
    ).one()
    return {
        "snapshot": newest(conn, team_id),
        "pruned_upto": team.pruned_upto,
        "head": team.head_seq,
    }


def get_part(conn: Connection, team_id: str, snapshot_id: str, part: int) -> dict[str, Any]:
    row = conn.execute(
        sa.select(snapshots).where(
            snapshots.c.team_id == team_id,
            snapshots.c.snapshot_id == snapshot_id,
            snapshots.c.part == part,
        )
    ).first()
    if row is None:
        raise Rejected(404, E_NOT_FOUND, "no such snapshot part")
    return {
        "v": row.version,
        "team_id": row.team_id,
        "epoch": row.epoch,
        "device_id": row.device_id,
        "snapshot_id": row.snapshot_id,
        "server_seq": row.server_seq,
        "part": row.part,
        "parts": row.parts,
        "nonce": b64encode(row.nonce),
        "ciphertext": b64encode(row.ciphertext),
        "signature": b64encode(row.signature),
    }


# --- compaction -----------------------------------------------------------------------


def note_ack(db: Database, team_id: str, device_id: str, after: int) -> None:
    """The device pulled from ``after``: it holds everything up to there. Compacts."""

    def work(conn: Connection) -> None:
        team = lock_team(conn, team_id)
        if team is None:
            return
        devices = schema.devices
        conn.execute(
            devices.update()
            .where(
                devices.c.team_id == team_id,
                devices.c.device_id == device_id,
                devices.c.acked_seq < min(after, team.head_seq),
            )
            .values(acked_seq=min(after, team.head_seq))
        )
        compact(conn, team_id)

    db.write(work)


def watermark(conn: Connection, team_id: str) -> int:
    """The first server_seq to keep: every active device holds the log below it."""
    snapshot = newest(conn, team_id)
    devices = schema.devices
    lowest = conn.execute(
        sa.select(sa.func.min(devices.c.acked_seq)).where(
            devices.c.team_id == team_id, devices.c.status == ACTIVE
        )
    ).scalar()
    if snapshot is None or lowest is None:
        return 0
    return min(int(lowest), int(snapshot["server_seq"]))


def compact(conn: Connection, team_id: str) -> int:
    """Delete bundles below the watermark and snapshots nobody can use; the team is locked.

    The bundle *at* the watermark stays: a device whose cursor is there
    checks it at the start of every round (``sync_state`` anchor). So does
    each device's newest bundle (its ``device_seq`` numbers the next push).
    """
    upto = watermark(conn, team_id) - 1
    teams, bundles = schema.teams, schema.bundles
    done = conn.execute(
        sa.select(teams.c.pruned_upto).where(teams.c.team_id == team_id)
    ).scalar_one()
    keep = newest(conn, team_id)
    conn.execute(
        snapshots.delete().where(
            snapshots.c.team_id == team_id,
            snapshots.c.snapshot_id != (keep["snapshot_id"] if keep else ""),
            sa.or_(
                snapshots.c.server_seq <= upto,
                snapshots.c.created_at < now_ms() - STALE_UPLOAD_MS,
            ),
        )
    )
    if upto <= done:
        return 0
    # Each device's newest bundle stays whatever its position: the relay numbers a device's
    # next push from it, and without it would take device_seq 1 again (old bundles replayed,
    # or a laptop caught up from a snapshot refused as a gap).
    newest_of_each = (
        sa.select(sa.func.max(bundles.c.server_seq))
        .where(bundles.c.team_id == team_id)
        .group_by(bundles.c.device_id)
    )
    pruned = conn.execute(
        bundles.delete().where(
            bundles.c.team_id == team_id,
            bundles.c.server_seq <= upto,
            bundles.c.server_seq.not_in(newest_of_each.scalar_subquery()),
        )
    ).rowcount
    conn.execute(teams.update().where(teams.c.team_id == team_id).values(pruned_upto=upto))
    log.info("compacted", extra={"event": "compact", "team": team_id, "upto": upto})
    return int(pruned or 0)
