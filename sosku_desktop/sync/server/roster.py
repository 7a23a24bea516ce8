"""Teams, join codes and the device roster (enrol, approve, revoke).

Administration happens through the CLI on the server machine, never over
HTTP: an attacker who reaches the API can at most ask to join with a valid
join code, and stays pending until an administrator compares the
fingerprint and approves the device.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import uuid
from typing import Any

import sqlalchemy as sa
from nacl.signing import SigningKey
from sqlalchemy.engine import Connection

from sosku_desktop.sync import crypto
from sosku_desktop.sync.protocol import (
    ACTIVE,
    E_BAD_JOIN_CODE,
    E_DEVICE_EXISTS,
    E_DEVICE_REVOKED,
    E_INVALID,
    E_NOT_FOUND,
    E_UNKNOWN_DEVICE,
    PENDING,
    REVOKED,
    ProtocolError,
    b64encode,
    check_text,
)
from sosku_desktop.sync.server import schema, statements
from sosku_desktop.sync.server.errors import Rejected
from sosku_desktop.sync.server.storage import Database, lock_team, now_ms

devices = schema.devices
teams = schema.teams
#: Bounds of ``join-code create`` (a code is for one enrolment round, not forever).
MAX_CODE_USES = 10_000
MAX_CODE_HOURS = 24 * 366

#: ``last_seen_at`` moves only when it is older than this: one write a minute, not per request.
SEEN_RESOLUTION_MS = 60_000


def create_team(db: Database, name: str) -> str:
    """A new team; returns its id (shared with the devices that join it).

    The name is shown on every laptop's Sync page, so it is checked like a
    device name: printable, 1-MAX_NAME_CHARS characters.
    """
    try:
        name = check_text(name.strip(), "the team name")
    except ProtocolError as exc:
        raise ValueError(exc.message) from None
    team_id = str(uuid.uuid4())

    def work(conn: Connection) -> str:
        conn.execute(teams.insert().values(team_id=team_id, name=name, created_at=now_ms()))
        return team_id

    return db.write(work)


def _code_hash(code: str) -> bytes:
    normalized = code.replace("-", "").replace(" ", "").upper()
    return hashlib.sha256(b"sosku-join-code-v1:" + normalized.encode("utf-8")).digest()


def create_join_code(db: Database, team_id: str, uses: int = 1, hours: float = 24.0) -> str:
    """A code of 80 random bits, shown once; only its hash is stored."""
    if not (1 <= uses <= MAX_CODE_USES and 0 < hours <= MAX_CODE_HOURS):  # False for nan
        raise ValueError(
            f"a join code needs 1-{MAX_CODE_USES} uses and a lifetime of "
            f"more than 0 and at most {MAX_CODE_HOURS} hours"
        )
    raw = base64.b32encode(secrets.token_bytes(10)).decode("ascii")
    code = "-".join(raw[i : i + 4] for i in range(0, 16, 4))
    now = now_ms()

    def work(conn: Connection) -> str:
        require_team(conn, team_id)
        conn.execute(
            schema.join_codes.insert().values(
                code_hash=_code_hash(code),
                team_id=team_id,
                uses_left=uses,
                expires_at=now + int(hours * 3_600_000),
                created_at=now,
            )
        )
        return code

    return db.write(work)


def require_team(conn: Connection, team_id: str) -> sa.Row[Any]:
    row = conn.execute(sa.select(teams).where(teams.c.team_id == team_id)).first()
    if row is None:
        raise Rejected(404, E_NOT_FOUND, f"no such team: {team_id}")
    return row


def get_device(conn: Connection, team_id: str, device_id: str) -> sa.Row[Any] | None:
    return conn.execute(
        sa.select(devices).where(devices.c.team_id == team_id, devices.c.device_id == device_id)
    ).first()


def join(
    db: Database,
    *,
    team_id: str,
    device_id: str,
    code: str,
    name: str,
    sign_pub: bytes,
    box_pub: bytes,
) -> dict[str, Any]:
    """Enrol a device as pending; repeating the same join is answered, not refused.

    The code is checked by reading first: a caller who guesses holds no
    write lock (SQLite: the whole database; PostgreSQL: the team row, which
    every push takes), so guesses neither wait behind nor block the team's
    laptops. The write transaction checks everything again under the lock.
    """
    with db.read() as conn:
        _join_precheck(conn, team_id, device_id, code)

    def work(conn: Connection) -> dict[str, Any]:
        if lock_team(conn, team_id) is None:
            raise Rejected(401, E_UNKNOWN_DEVICE, "unknown team")
        existing = get_device(conn, team_id, device_id)
        if existing is not None:
            if existing.sign_pub != sign_pub or existing.box_pub != box_pub:
                raise Rejected(409, E_DEVICE_EXISTS, "this device id is taken by other keys")
            if existing.status == REVOKED:
                raise Rejected(403, E_DEVICE_REVOKED, "this device has been revoked")
            return device_json(existing)
        codes = schema.join_codes
        found = _usable_code(conn, team_id, code)
        if found is None:
            raise Rejected(401, E_BAD_JOIN_CODE, "the join code is wrong, used up or expired")
        conn.execute(
            codes.update()
            .where(codes.c.code_hash == found.code_hash)
            .values(uses_left=codes.c.uses_left - 1)
        )
        conn.execute(
            devices.insert().values(
                team_id=team_id,
                device_id=device_id,
                name=name,
                sign_pub=sign_pub,
                box_pub=box_pub,
                status=PENDING,
                created_at=now_ms(),
            )
        )
        row = get_device(conn, team_id, device_id)
        assert row is not None
        return device_json(row)

    return db.write(work)


def _usable_code(conn: Connection, team_id: str, code: str) -> sa.Row[Any] | None:
    codes = schema.join_codes
    return conn.execute(
        sa.select(codes).where(
            codes.c.code_hash == _code_hash(code),
            codes.c.team_id == team_id,
            codes.c.uses_left > 0,
            codes.c.expires_at > now_ms(),
        )
    ).first()


def _join_precheck(conn: Connection, team_id: str, device_id: str, code: str) -> None:
    """Refuse an unknown team or a wrong code without any lock (a repeat join passes)."""
    if conn.execute(sa.select(teams.c.team_id).where(teams.c.team_id == team_id)).first() is None:
        raise Rejected(401, E_UNKNOWN_DEVICE, "unknown team")
    if get_device(conn, team_id, device_id) is None and _usable_code(conn, team_id, code) is None:
        raise Rejected(401, E_BAD_JOIN_CODE, "the join code is wrong, used up or expired")


def note_seen(
    db: Database, team_id: str, device_id: str, last_seen: int | None, now: int | None = None
) -> None:
    """Record that the device made an authenticated request, at most once a minute.

    Administrators need to see which laptop has gone quiet (it holds
    compaction back); a write per request would cost more than it tells, so
    ``last_seen`` (what the caller already read) is left alone while fresh.
    """
    at = now_ms() if now is None else now
    if last_seen is not None and at - last_seen < SEEN_RESOLUTION_MS:
        return

    def work(conn: Connection) -> None:
        conn.execute(
            devices.update()
            .where(
                devices.c.team_id == team_id,
                devices.c.device_id == device_id,
                sa.or_(
                    devices.c.last_seen_at.is_(None),
                    devices.c.last_seen_at <= at - SEEN_RESOLUTION_MS,
                ),
            )
            .values(last_seen_at=at)
        )

    db.write(work)


def device_json(row: sa.Row[Any], epochs: list[int] | None = None) -> dict[str, Any]:
    """A roster entry as served by the API and printed by the CLI."""
    entry: dict[str, Any] = {
        "device_id": row.device_id,
        "name": row.name,
        "status": row.status,
        "fingerprint": crypto.fingerprint(row.sign_pub, row.box_pub),
        "sign_pub": b64encode(row.sign_pub),
        "box_pub": b64encode(row.box_pub),
        "created_at": row.created_at,
        "approved_at": row.approved_at,
        "revoked_at": row.revoked_at,
    }
    if epochs is not None:
        entry["epochs"] = epochs
    return entry


def roster(conn: Connection, team_id: str) -> list[dict[str, Any]]:
    """Every device of the team with the epochs it holds sealed keys for."""
    keys = schema.sealed_keys
    held: dict[str, list[int]] = {}
    for device_id, epoch in conn.execute(
        sa.select(keys.c.device_id, keys.c.epoch)
        .where(keys.c.team_id == team_id)
        .order_by(keys.c.epoch)
    ):
        held.setdefault(device_id, []).append(epoch)
    rows = conn.execute(
        sa.select(devices).where(devices.c.team_id == team_id).order_by(devices.c.created_at)
    )
    return [device_json(row, held.get(row.device_id, [])) for row in rows]


def resolve_device(conn: Connection, team_id: str, ref: str) -> sa.Row[Any]:
    """A device by full id or by a unique prefix of at least four characters."""
    row = get_device(conn, team_id, ref)
    if row is not None:
        return row
    if len(ref) >= 4:
        escaped = ref.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        matches = conn.execute(
            sa.select(devices).where(
                devices.c.team_id == team_id, devices.c.device_id.like(escaped + "%", escape="\\")
            )
        ).fetchall()
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise Rejected(422, E_INVALID, f"{ref!r} matches several devices")
    raise Rejected(404, E_NOT_FOUND, f"no device {ref!r} in team {team_id}")


def _normalize_fp(text: str) -> str:
    return text.replace(" ", "").replace("-", "").upper()


def approve(
    db: Database,
    team_id: str,
    ref: str,
    fingerprint: str | None = None,
    signer: SigningKey | None = None,
) -> dict[str, Any]:
    """Make a pending device active; with ``fingerprint``, only if it matches.

    A team with an authority needs its key (``signer``): the approval is
    then also a signed statement, the only thing laptops believe. Approving
    an active device again signs the statement it lacks (the migration of
    teams enrolled before the authority existed).
    """

    def work(conn: Connection) -> dict[str, Any]:
        lock_team(conn, team_id) or require_team(conn, team_id)
        row = resolve_device(conn, team_id, ref)
        if row.status == REVOKED:
            raise Rejected(409, E_DEVICE_REVOKED, "a revoked device cannot be approved again")
        actual = crypto.fingerprint(row.sign_pub, row.box_pub)
        if fingerprint is not None and _normalize_fp(fingerprint) != _normalize_fp(actual):
            raise Rejected(409, E_INVALID, "fingerprint does not match; do not approve")
        authority_key = statements.check_signer(conn, team_id, signer)
        if row.status == PENDING:
            conn.execute(
                devices.update()
                .where(devices.c.team_id == team_id, devices.c.device_id == row.device_id)
                .values(status=ACTIVE, approved_at=now_ms())
            )
        if signer is not None and authority_key is not None:
            statements.state_device(conn, signer, authority_key, row, ACTIVE)
        updated = get_device(conn, team_id, row.device_id)
        assert updated is not None
        return device_json(updated)

    return db.write(work)


def revoke(
    db: Database,
    team_id: str,
    ref: str,
    signer: SigningKey | None = None,
    last_seq: int | None = None,
) -> dict[str, Any]:
    """Cut a device off at once and ask the next active device to rotate the epoch.

    With an authority the revocation is a signed statement carrying the
    device's last valid ``device_seq`` (by default the last one the relay
    holds; it takes no new bundles from the device from now on).
    """

    def work(conn: Connection) -> dict[str, Any]:
        team = lock_team(conn, team_id) or require_team(conn, team_id)
        row = resolve_device(conn, team_id, ref)
        authority_key = statements.check_signer(conn, team_id, signer)
        if row.status != REVOKED:
            conn.execute(
                devices.update()
                .where(devices.c.team_id == team_id, devices.c.device_id == row.device_id)
                .values(status=REVOKED, revoked_at=now_ms())
            )
            # Only a device that was trusted with keys forces a new epoch.
            if row.status == ACTIVE and team.current_epoch > 0:
                conn.execute(
                    teams.update().where(teams.c.team_id == team_id).values(rotation_needed=True)
                )
        if signer is not None and authority_key is not None:
            bundles = schema.bundles
            held = conn.execute(
                sa.select(sa.func.max(bundles.c.device_seq)).where(
                    bundles.c.team_id == team_id, bundles.c.device_id == row.device_id
                )
            ).scalar()
            seq = int(held or 0) if last_seq is None else last_seq
            statements.state_device(conn, signer, authority_key, row, REVOKED, last_seq=seq)
        updated = get_device(conn, team_id, row.device_id)
        assert updated is not None
        return device_json(updated)

    return db.write(work)


def team_status(conn: Connection, team_id: str) -> dict[str, Any]:
    team = require_team(conn, team_id)
    counts: dict[str, int] = dict(
        conn.execute(
            sa.select(devices.c.status, sa.func.count())
            .where(devices.c.team_id == team_id)
            .group_by(devices.c.status)
        ).all()
    )
    return {
        "team_id": team.team_id,
        "name": team.name,
        "epoch": team.current_epoch,
        "rotation_needed": bool(team.rotation_needed),
        "head_seq": team.head_seq,
        "devices": {status: int(counts.get(status, 0)) for status in (PENDING, ACTIVE, REVOKED)},
    }
