"""Append and serve bundles: idempotent push, gap-free server_seq, paged pull.

The server checks each bundle's signature against the pushing device's
key and its header against the team state; it cannot and does not look
inside. Guarantees the client may rely on:

* ``server_seq`` is 1, 2, 3 … per team with no gaps, and a reader never
  sees seq n+1 before seq n is visible (assignment happens under the team
  row lock, so commits are in seq order).
* A bundle is stored once; pushing it again returns the same server_seq.
* Per device, bundles are stored in ``device_seq`` order without gaps.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, cast

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from sosku_desktop.sync import crypto
from sosku_desktop.sync.protocol import (
    ACTIVE,
    E_BAD_SIGNATURE,
    E_BUNDLE_CONFLICT,
    E_COMPACTED,
    E_DEVICE_REVOKED,
    E_DEVICE_SEQ_GAP,
    E_EPOCH_STALE,
    E_INVALID,
    E_NO_EPOCH,
    E_ROTATION_NEEDED,
    MAX_PUSH_BUNDLES,
    PULL_PAGE_BYTES,
    ProtocolError,
    SealedBundle,
    b64encode,
    parse_wire_bundle,
)
from sosku_desktop.sync.server import schema
from sosku_desktop.sync.server.errors import Rejected
from sosku_desktop.sync.server.roster import get_device
from sosku_desktop.sync.server.storage import Database, lock_team, now_ms

if TYPE_CHECKING:
    import psycopg

log = logging.getLogger("sosku.server.relay")
bundles = schema.bundles


def _parse_batch(raw: Any, team_id: str, device_id: str, sign_pub: bytes) -> list[SealedBundle]:
    """Shape, owner and signature of every bundle, checked before any lock is taken."""
    if not isinstance(raw, list) or not 1 <= len(raw) <= MAX_PUSH_BUNDLES:
        raise Rejected(422, E_INVALID, f"bundles must be a list of 1-{MAX_PUSH_BUNDLES} items")
    parsed: list[SealedBundle] = []
    for index, item in enumerate(raw):
        try:
            bundle = parse_wire_bundle(item)
        except ProtocolError as exc:
            raise Rejected(422, exc.code, f"bundles[{index}]: {exc.message}", index=index) from None
        if bundle.team_id != team_id or bundle.device_id != device_id:
            raise Rejected(
                422, E_INVALID, f"bundles[{index}] is not this device's bundle", index=index
            )
        if not crypto.verify(sign_pub, bundle.signed_bytes(), bundle.signature):
            raise Rejected(
                422, E_BAD_SIGNATURE, f"bundles[{index}]: signature does not verify", index=index
            )
        parsed.append(bundle)
    return parsed


def _check_epoch(team: sa.Row[Any], bundle: SealedBundle, index: int) -> None:
    current = team.current_epoch
    if current == 0:
        raise Rejected(409, E_NO_EPOCH, "the team has no key epoch yet; create epoch 1 first")
    if bundle.epoch < current:
        raise Rejected(
            409,
            E_EPOCH_STALE,
            f"epoch {current} is current; re-encrypt",
            epoch=current,
            index=index,
        )
    if bundle.epoch > current:
        raise Rejected(422, E_INVALID, f"epoch {bundle.epoch} does not exist", index=index)
    if team.rotation_needed:
        raise Rejected(
            409, E_ROTATION_NEEDED, "a device was revoked: create a new epoch first", epoch=current
        )


def push(db: Database, team_id: str, device_id: str, sign_pub: bytes, raw: Any) -> dict[str, Any]:
    """Store a batch atomically; returns ``{"results": [{bundle_id, server_seq}], "head"}``."""
    batch = _parse_batch(raw, team_id, device_id, sign_pub)

    def work(conn: Connection) -> dict[str, Any]:
        team = lock_team(conn, team_id)
        device = get_device(conn, team_id, device_id)
        if team is None or device is None or device.status != ACTIVE:
            raise Rejected(403, E_DEVICE_REVOKED, "this device may no longer push")
        stored = _stored(conn, team_id, [b.bundle_id for b in batch])
        last_seq = conn.execute(
            sa.select(sa.func.max(bundles.c.device_seq)).where(
                bundles.c.team_id == team_id, bundles.c.device_id == device_id
            )
        ).scalar()
        results, new_rows, head = _place(batch, stored, team, int(last_seq or 0) + 1)
        if new_rows:
            _insert(conn, new_rows)
            conn.execute(
                schema.teams.update().where(schema.teams.c.team_id == team_id).values(head_seq=head)
            )
        return {"results": results, "head": head, "stored": len(new_rows)}

    outcome = db.write(work)
    log.info(
        "push",
        extra={
            "event": "push",
            "team": team_id,
            "device": device_id,
            "bundles": len(batch),
            "stored": outcome.pop("stored"),
            "head": outcome["head"],
        },
    )
    return outcome


def _insert(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """A push's new bundles in one statement: ``COPY`` on PostgreSQL, one executemany on SQLite.

    psycopg runs an executemany as one INSERT per row; ``COPY`` streams the
    rows into the same transaction at about half the cost. Its errors are
    wrapped as SQLAlchemy's would be (a duplicate is an ``IntegrityError``,
    a serialization failure is retried, no parameters in the message).
    """
    if conn.dialect.name != "postgresql":
        conn.execute(bundles.insert(), rows)
        return
    columns = list(rows[0])
    statement = f"COPY {bundles.name} ({', '.join(columns)}) FROM STDIN"
    dbapi = conn.dialect.loaded_dbapi
    raw = cast("psycopg.Connection[Any]", conn.connection.dbapi_connection)
    try:
        with raw.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row([row[name] for name in columns])
    except dbapi.Error as exc:
        raise sa.exc.DBAPIError.instance(
            statement, None, exc, dbapi.Error, hide_parameters=True, dialect=conn.dialect
        ) from exc


def _stored(conn: Connection, team_id: str, bundle_ids: list[str]) -> dict[str, Any]:
    """The batch's bundles the relay already holds, by bundle id."""
    return {
        row.bundle_id: row
        for row in conn.execute(
            sa.select(
                bundles.c.bundle_id,
                bundles.c.server_seq,
                bundles.c.device_seq,
                bundles.c.signature,
            ).where(bundles.c.team_id == team_id, bundles.c.bundle_id.in_(set(bundle_ids)))
        )
    }


def _place(
    batch: list[SealedBundle], stored: dict[str, Any], team: sa.Row[Any], expected: int
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], int]:
    """(results, rows to insert, new head): repeats get their number, new ones the next."""
    head = int(team.head_seq)
    results: list[dict[str, Any]] = []
    new_rows: list[dict[str, Any]] = []
    received = now_ms()
    for index, bundle in enumerate(batch):
        known = stored.get(bundle.bundle_id)
        if known is not None:
            if known.device_seq != bundle.device_seq or known.signature != bundle.signature:
                raise Rejected(
                    409,
                    E_BUNDLE_CONFLICT,
                    f"bundle_id {bundle.bundle_id} holds another bundle",
                    index=index,
                )
            results.append({"bundle_id": bundle.bundle_id, "server_seq": known.server_seq})
            continue
        _check_sequence(bundle, expected, index)
        _check_epoch(team, bundle, index)
        head += 1
        expected += 1
        new_rows.append(_row(bundle, head, received))
        stored[bundle.bundle_id] = _Stored(head, bundle.device_seq, bundle.signature)
        results.append({"bundle_id": bundle.bundle_id, "server_seq": head})
    return results, new_rows, head


def _check_sequence(bundle: SealedBundle, expected: int, index: int) -> None:
    if bundle.device_seq < expected:
        raise Rejected(
            409,
            E_BUNDLE_CONFLICT,
            f"device_seq {bundle.device_seq} is already used by another bundle",
            index=index,
            expected=expected,
        )
    if bundle.device_seq > expected:
        raise Rejected(
            409,
            E_DEVICE_SEQ_GAP,
            f"device_seq {bundle.device_seq} skips {expected}; push in order",
            index=index,
            expected=expected,
        )


class _Stored:
    """A bundle accepted earlier in the same batch (for repeats inside one push)."""

    def __init__(self, server_seq: int, device_seq: int, signature: bytes) -> None:
        self.server_seq = server_seq
        self.device_seq = device_seq
        self.signature = signature


def _row(bundle: SealedBundle, server_seq: int, received: int) -> dict[str, Any]:
    return {
        "team_id": bundle.team_id,
        "server_seq": server_seq,
        "bundle_id": bundle.bundle_id,
        "device_id": bundle.device_id,
        "device_seq": bundle.device_seq,
        "epoch": bundle.epoch,
        "hlc": bundle.hlc,
        "version": bundle.version,
        "nonce": bundle.nonce,
        "ciphertext": bundle.ciphertext,
        "signature": bundle.signature,
        "received_at": received,
    }


def _wire(row: sa.Row[Any]) -> dict[str, Any]:
    wire: dict[str, Any] = {
        "server_seq": row.server_seq,
        "v": row.version,
        "bundle_id": row.bundle_id,
        "team_id": row.team_id,
        "epoch": row.epoch,
        "device_id": row.device_id,
        "device_seq": row.device_seq,
        "nonce": b64encode(row.nonce),
        "ciphertext": b64encode(row.ciphertext),
        "signature": b64encode(row.signature),
    }
    if row.hlc:  # envelope 1 only; from 2 on the relay never learns a bundle's clock
        wire["hlc"] = row.hlc
    return wire


def pull(conn: Connection, team_id: str, after: int, limit: int) -> dict[str, Any]:
    """Bundles with server_seq > after, at most ``limit`` and ≈ PULL_PAGE_BYTES of ciphertext.

    The page always holds at least one bundle when there is one, so a
    single bundle larger than the page size still gets through.
    """
    teams = schema.teams
    team = conn.execute(
        sa.select(teams.c.head_seq, teams.c.pruned_upto).where(teams.c.team_id == team_id)
    ).one()
    head = int(team.head_seq)
    if after < team.pruned_upto:
        raise Rejected(
            410,
            E_COMPACTED,
            "bundles after this cursor were pruned; start from a snapshot",
            pruned_upto=int(team.pruned_upto),
        )
    sizes = conn.execute(
        sa.select(bundles.c.server_seq, sa.func.length(bundles.c.ciphertext))
        .where(
            bundles.c.team_id == team_id,
            bundles.c.server_seq > after,
            bundles.c.server_seq <= head,
        )
        .order_by(bundles.c.server_seq)
        .limit(limit)
    ).all()
    last, total = after, 0
    for seq, size in sizes:
        if total and total + size > PULL_PAGE_BYTES:
            break
        total += size
        last = seq
    rows = conn.execute(
        sa.select(bundles)
        .where(
            bundles.c.team_id == team_id,
            bundles.c.server_seq > after,
            bundles.c.server_seq <= last,
        )
        .order_by(bundles.c.server_seq)
    ).all()
    return {
        "bundles": [_wire(row) for row in rows],
        "next": last,
        "more": last < head,
        "head": head,
    }
