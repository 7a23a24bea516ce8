"""Sealed epoch keys and epoch creation (rotation).

The server never sees an epoch key, only SealedBox blobs signed by the
device that sealed them. It enforces the rules that keep the key history
sane: epochs are created one at a time (current + 1), a new epoch is sealed
to every active device and to nobody else, and a stored sealed key is never
overwritten (an active device cannot replace another's key with garbage).
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
    E_EPOCH_STALE,
    E_INVALID,
    MAX_KEY_ITEMS,
    ProtocolError,
    SealedKeyItem,
    b64encode,
    check_int,
    parse_sealed_key_item,
)
from sosku_desktop.sync.server import schema, statements
from sosku_desktop.sync.server.errors import Rejected
from sosku_desktop.sync.server.roster import get_device
from sosku_desktop.sync.server.storage import Database, lock_team, now_ms

log = logging.getLogger("sosku.server.keys")
sealed_keys = schema.sealed_keys


def _parse(
    body: Any, team_id: str, device_id: str, sign_pub: bytes
) -> tuple[int | None, list[SealedKeyItem]]:
    if not isinstance(body, dict):
        raise Rejected(422, E_INVALID, "expected a JSON object")
    new_epoch = body.get("new_epoch")
    if new_epoch is not None:
        try:
            new_epoch = check_int(new_epoch, "new_epoch", 1)
        except ProtocolError as exc:
            raise Rejected(422, exc.code, exc.message) from None
    raw = body.get("keys")
    if not isinstance(raw, list) or len(raw) > MAX_KEY_ITEMS:
        raise Rejected(422, E_INVALID, f"keys must be a list of at most {MAX_KEY_ITEMS} items")
    items: list[SealedKeyItem] = []
    seen: set[tuple[int, str]] = set()
    for index, wire in enumerate(raw):
        try:
            item = parse_sealed_key_item(wire)
        except ProtocolError as exc:
            raise Rejected(422, exc.code, f"keys[{index}]: {exc.message}", index=index) from None
        if item.sealed_by not in (None, device_id):
            raise Rejected(422, E_INVALID, f"keys[{index}]: sealed_by must be this device")
        if (item.epoch, item.device_id) in seen:
            raise Rejected(422, E_INVALID, f"keys[{index}]: repeated epoch and device")
        seen.add((item.epoch, item.device_id))
        if not crypto.verify(sign_pub, item.signed_bytes(team_id), item.signature):
            raise Rejected(
                422, E_BAD_SIGNATURE, f"keys[{index}]: signature does not verify", index=index
            )
        items.append(item)
    if new_epoch is None and not items:
        raise Rejected(422, E_INVALID, "nothing to store")
    return new_epoch, items


def put_keys(
    db: Database, team_id: str, device_id: str, sign_pub: bytes, body: Any
) -> dict[str, Any]:
    """Store sealed keys; with ``new_epoch`` = current + 1, create that epoch (rotation)."""
    new_epoch, items = _parse(body, team_id, device_id, sign_pub)

    def work(conn: Connection) -> dict[str, Any]:
        team = lock_team(conn, team_id)
        me = get_device(conn, team_id, device_id)
        if team is None or me is None or me.status != ACTIVE:
            raise Rejected(403, E_DEVICE_REVOKED, "this device may no longer store keys")
        limit = _check_request(conn, team, new_epoch, items)
        now = now_ms()
        if new_epoch is not None:
            conn.execute(
                schema.epochs.insert().values(
                    team_id=team_id, epoch=new_epoch, created_by=device_id, created_at=now
                )
            )
            conn.execute(
                schema.teams.update()
                .where(schema.teams.c.team_id == team_id)
                .values(current_epoch=new_epoch, rotation_needed=False)
            )
        stored, kept = _store_items(conn, team_id, device_id, items, now)
        return {"epoch": limit, "stored": stored, "existing": kept}

    outcome = db.write(work)
    log.info(
        "keys stored",
        extra={
            "event": "keys",
            "team": team_id,
            "device": device_id,
            "new_epoch": new_epoch,
            "stored": len(outcome["stored"]),
        },
    )
    return outcome


def _check_request(
    conn: Connection, team: sa.Row[Any], new_epoch: int | None, items: list[SealedKeyItem]
) -> int:
    """The highest epoch the items may be for; refuses a stale or incomplete rotation.

    A new epoch must be exactly current + 1 and sealed to exactly the active
    devices; every item must be for an existing epoch and an active device.
    """
    current = int(team.current_epoch)
    active = set(
        conn.execute(
            sa.select(schema.devices.c.device_id).where(
                schema.devices.c.team_id == team.team_id, schema.devices.c.status == ACTIVE
            )
        ).scalars()
    )
    if new_epoch is not None:
        if new_epoch != current + 1:
            raise Rejected(
                409,
                E_EPOCH_STALE,
                f"epoch {current} is current; only {current + 1} may be made",
                epoch=current,
            )
        _check_signed(conn, team.team_id, new_epoch)
        recipients = {item.device_id for item in items if item.epoch == new_epoch}
        if recipients != active:
            raise Rejected(
                422,
                E_INVALID,
                "a new epoch must be sealed to exactly the active devices",
                missing=sorted(active - recipients),
                not_active=sorted(recipients - active),
            )
    limit = current if new_epoch is None else new_epoch
    for index, item in enumerate(items):
        if item.epoch > limit:
            raise Rejected(422, E_INVALID, f"keys[{index}]: epoch {item.epoch} does not exist")
        if item.device_id not in active:
            raise Rejected(422, E_INVALID, f"keys[{index}]: {item.device_id} is not active")
    return limit


def _check_signed(conn: Connection, team_id: str, new_epoch: int) -> None:
    """A team with an authority gets only the epochs it signed (an insider cannot make one up).

    Laptops push only under the highest signed epoch and only once the relay
    has it; an unsigned epoch made current here would stop every push until
    the administrator intervened. A team from before the authority keeps
    the old rule (any active device rotates).
    """
    key = statements.public_key(conn, team_id)
    if key is None:
        return
    signed = statements.held(conn, team_id, key).signed_epoch
    if new_epoch > signed:
        raise Rejected(
            422,
            E_INVALID,
            f"epoch {new_epoch} is not signed by the team's authority (signed: {signed})",
            signed_epoch=signed,
        )


def _store_items(
    conn: Connection, team_id: str, sealer: str, items: list[SealedKeyItem], now: int
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(stored, already there): a stored sealed key is never replaced."""
    present = set(
        conn.execute(
            sa.select(sealed_keys.c.epoch, sealed_keys.c.device_id).where(
                sealed_keys.c.team_id == team_id
            )
        ).tuples()
    )
    stored: list[dict[str, Any]] = []
    kept: list[dict[str, Any]] = []
    rows = []
    for item in items:
        ref = {"epoch": item.epoch, "device_id": item.device_id}
        if (item.epoch, item.device_id) in present:
            kept.append(ref)
            continue
        stored.append(ref)
        rows.append(
            {
                "team_id": team_id,
                "epoch": item.epoch,
                "device_id": item.device_id,
                "sealed": item.sealed,
                "sealed_by": sealer,
                "signature": item.signature,
                "created_at": now,
            }
        )
    if rows:
        conn.execute(sealed_keys.insert(), rows)
    return stored, kept


def get_keys(conn: Connection, team_id: str, device_id: str) -> list[dict[str, Any]]:
    """Every sealed key addressed to the device, oldest epoch first."""
    rows = conn.execute(
        sa.select(sealed_keys)
        .where(sealed_keys.c.team_id == team_id, sealed_keys.c.device_id == device_id)
        .order_by(sealed_keys.c.epoch)
    )
    return [
        {
            "epoch": row.epoch,
            "device_id": row.device_id,
            "sealed": b64encode(row.sealed),
            "signature": b64encode(row.signature),
            "sealed_by": row.sealed_by,
        }
        for row in rows
    ]
