"""What the administrator sees: positions, what holds compaction back, and compacting now.

The relay prunes bundles below the *watermark* (``snapshots.watermark``):
the lowest position every active device has acknowledged, capped by the
newest complete snapshot. One approved laptop that never synced (a failed
first sync, a machine that went to the recycling) holds it at 0 for ever,
and the log and the database grow without a sign. ``status`` and
``device list`` therefore show each device's acknowledged position and
when it was last seen, name what holds the watermark, and say in plain
words what to do about it. Nothing here reads or writes client data: the
relay has none, only sizes and positions.
"""

from __future__ import annotations

import os
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from sosku_desktop.sync.protocol import ACTIVE, PENDING, REVOKED
from sosku_desktop.sync.server import roster, schema, snapshots
from sosku_desktop.sync.server.storage import Database, lock_team, now_ms

DAY_MS = 24 * 3600 * 1000
#: A device unseen this long that holds compaction back earns a hint (``--stale-days``).
STALE_DAYS = 14


def devices(conn: Connection, team_id: str) -> list[dict[str, Any]]:
    """The roster with each device's acknowledged position and last request.

    ``holds_watermark`` marks the active devices at the lowest acknowledged
    position when that position, not the snapshot, is what stops pruning.
    """
    roster.require_team(conn, team_id)
    entries = roster.roster(conn, team_id)
    rows = {
        row.device_id: row
        for row in conn.execute(
            sa.select(
                schema.devices.c.device_id,
                schema.devices.c.acked_seq,
                schema.devices.c.last_seen_at,
            ).where(schema.devices.c.team_id == team_id)
        )
    }
    holder = _holding_position(conn, team_id)
    for entry in entries:
        row = rows[entry["device_id"]]
        entry["acked_seq"] = int(row.acked_seq)
        entry["last_seen_at"] = row.last_seen_at
        entry["holds_watermark"] = (
            holder is not None and entry["status"] == ACTIVE and row.acked_seq == holder
        )
    return entries


def _holding_position(conn: Connection, team_id: str) -> int | None:
    """The lowest active acknowledged position, if it (not the snapshot) caps the watermark."""
    lowest = conn.execute(
        sa.select(sa.func.min(schema.devices.c.acked_seq)).where(
            schema.devices.c.team_id == team_id, schema.devices.c.status == ACTIVE
        )
    ).scalar()
    newest = snapshots.newest(conn, team_id)
    head = conn.execute(
        sa.select(schema.teams.c.head_seq).where(schema.teams.c.team_id == team_id)
    ).scalar_one()
    if lowest is None or int(lowest) >= int(head):
        return None  # every active device has everything: nobody holds anything back
    if newest is None or int(newest["server_seq"]) < int(lowest):
        return None  # the snapshot (or its absence) caps it; a newer snapshot moves it
    return int(lowest)


def _stored(conn: Connection, team_id: str) -> dict[str, int]:
    bundles = schema.bundles
    total = sa.func.coalesce(sa.func.sum(sa.func.length(bundles.c.ciphertext)), 0)
    count, size = conn.execute(
        sa.select(sa.func.count(), total).where(bundles.c.team_id == team_id)
    ).one()
    return {"bundles": int(count), "bytes": int(size)}


def _unreadable(conn: Connection, team_id: str, entries: list[dict[str, Any]]) -> dict[str, int]:
    """Stored bundles per key epoch that no active device holds a key of (epoch → count).

    Only an active device can seal an epoch's key to a new laptop: with all
    of an epoch's holders revoked (a one-worker team's lost laptop), what is
    stored under it can be read by no laptop now or later.
    """
    held = {int(x) for e in entries if e["status"] == ACTIVE for x in e.get("epochs", [])}
    bundles = schema.bundles
    rows = conn.execute(
        sa.select(bundles.c.epoch, sa.func.count())
        .where(bundles.c.team_id == team_id)
        .group_by(bundles.c.epoch)
    ).all()
    return {str(epoch): int(count) for epoch, count in rows if int(epoch) not in held}


def _snapshot(conn: Connection, team_id: str, now: int) -> dict[str, Any] | None:
    newest = snapshots.newest(conn, team_id)
    if newest is None:
        return None
    parts = schema.snapshots
    size = conn.execute(
        sa.select(sa.func.coalesce(sa.func.sum(sa.func.length(parts.c.ciphertext)), 0)).where(
            parts.c.team_id == team_id, parts.c.snapshot_id == newest["snapshot_id"]
        )
    ).scalar_one()
    return {
        "snapshot_id": newest["snapshot_id"],
        "server_seq": int(newest["server_seq"]),
        "parts": int(newest["parts"]),
        "created_at": int(newest["created_at"]),
        "age_ms": max(0, now - int(newest["created_at"])),
        "bytes": int(size),
        "device_id": newest["device_id"],
    }


def team_status(
    conn: Connection, team_id: str, now: int | None = None, stale_days: float = STALE_DAYS
) -> dict[str, Any]:
    """``sosku-server status``: the team's log, what is stored and what holds it back."""
    at = now_ms() if now is None else now
    team = roster.require_team(conn, team_id)
    entries = devices(conn, team_id)
    counts = {s: sum(e["status"] == s for e in entries) for s in (PENDING, ACTIVE, REVOKED)}
    state: dict[str, Any] = {
        "team_id": team.team_id,
        "name": team.name,
        "epoch": team.current_epoch,
        "rotation_needed": bool(team.rotation_needed),
        "head_seq": int(team.head_seq),
        "watermark": snapshots.watermark(conn, team_id),
        "pruned_upto": int(team.pruned_upto),
        "devices": counts,
        "stored": _stored(conn, team_id),
        "snapshot": _snapshot(conn, team_id, at),
        "holding": [_brief(e) for e in entries if e["holds_watermark"]],
        "unreadable": _unreadable(conn, team_id, entries),
    }
    state["hints"] = hints(state, entries, at, stale_days)
    return state


def _brief(entry: dict[str, Any]) -> dict[str, Any]:
    keys = ("device_id", "name", "acked_seq", "last_seen_at", "approved_at")
    return {key: entry[key] for key in keys}


def hints(
    state: dict[str, Any], entries: list[dict[str, Any]], now: int, stale_days: float
) -> list[str]:
    """Plain-words advice: what keeps the relay from forgetting old bundles."""
    out: list[str] = []
    lost = state.get("unreadable") or {}
    if lost:
        out.append(
            f"No active laptop holds key epoch(s) {', '.join(sorted(lost, key=int))}: the "
            f"{sum(lost.values())} bundle(s) stored under them cannot be read by any laptop, "
            "now or later (every device that held those keys was revoked). Laptops joining "
            "now get only what is written from now on."
        )
    if state["snapshot"] is None and state["head_seq"] > 0:
        out.append(
            "No complete snapshot yet: nothing can be pruned until an active laptop "
            "syncs and uploads one."
        )
    for entry in entries:
        if not entry["holds_watermark"]:
            continue
        since = entry["last_seen_at"] or entry["approved_at"] or entry["created_at"]
        days = (now - int(since)) / DAY_MS
        if days < stale_days:
            continue
        seen = "has never synced" if entry["last_seen_at"] is None else "has not been seen"
        out.append(
            f"Device {entry['device_id']} ({entry['name']}) {seen} for {int(days)} days and "
            f"holds compaction back at position {entry['acked_seq']} of {state['head_seq']}. "
            "If that laptop is gone, revoke it: sosku-server device revoke "
            f"--team {state['team_id']} {entry['device_id']} --authority-key FILE"
        )
    return out


def compact_now(db: Database, team_id: str) -> dict[str, Any]:
    """``sosku-server compact``: prune what may be pruned now and say how much."""

    def work(conn: Connection) -> dict[str, Any]:
        if lock_team(conn, team_id) is None:
            roster.require_team(conn, team_id)
        before = conn.execute(
            sa.select(schema.teams.c.pruned_upto).where(schema.teams.c.team_id == team_id)
        ).scalar_one()
        stored = _stored(conn, team_id)
        pruned = snapshots.compact(conn, team_id)
        after = conn.execute(
            sa.select(schema.teams.c.pruned_upto).where(schema.teams.c.team_id == team_id)
        ).scalar_one()
        left = _stored(conn, team_id)
        return {
            "team_id": team_id,
            "pruned_bundles": pruned,
            "pruned_bytes": stored["bytes"] - left["bytes"],
            "pruned_upto_before": int(before),
            "pruned_upto": int(after),
            "watermark": snapshots.watermark(conn, team_id),
            "stored": left,
        }

    return db.write(work)


def team_ids(conn: Connection) -> list[str]:
    return [str(t) for t in conn.execute(sa.select(schema.teams.c.team_id)).scalars()]


def sqlite_path(db: Database) -> str | None:
    """The SQLite file (None for PostgreSQL or an in-memory database)."""
    if not db.is_sqlite:
        return None
    name = db.engine.url.database
    return name if name and name != ":memory:" else None


def file_bytes(db: Database) -> int | None:
    path = sqlite_path(db)
    if path is None or not os.path.exists(path):
        return None
    return sum(os.path.getsize(p) for p in (path, path + "-wal") if os.path.exists(p))


def vacuum(db: Database) -> None:
    """Give pruned space back: SQLite rewrites the file; PostgreSQL marks it reusable.

    SQLite keeps freed pages inside the file, so the file does not shrink
    after pruning until ``VACUUM`` (which needs about the file's size free
    on disk while it runs). On PostgreSQL autovacuum already makes the space
    reusable; plain ``VACUUM`` does it now (only ``VACUUM FULL`` returns it
    to the operating system, and locks the tables while it runs).
    """
    if db.is_sqlite:
        raw = db.engine.raw_connection()
        try:
            cursor = raw.cursor()
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            cursor.execute("VACUUM")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            cursor.close()
        finally:
            raw.close()
        return
    with db.engine.connect() as conn:
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        conn.exec_driver_sql(f"VACUUM {schema.bundles.name}, {schema.snapshots.name}")
