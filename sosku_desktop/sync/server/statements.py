"""The relay's side of the team authority: keep its public key and signed statements.

The relay only stores and serves what the administrator's key signed; it
cannot make a statement itself. The admin CLI signs inside the same
transaction that changes the relay's own roster (under the team lock), so
statement versions are 1, 2, 3 … without gaps or doubles, and the relay's
access rules and the laptops' rules agree.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from nacl.signing import SigningKey
from sqlalchemy.engine import Connection

from sosku_desktop.sync import authority
from sosku_desktop.sync.protocol import ACTIVE, E_INVALID, REVOKED, b64decode, b64encode
from sosku_desktop.sync.server import schema
from sosku_desktop.sync.server.errors import Rejected
from sosku_desktop.sync.server.storage import Database, lock_team, now_ms

keys_table = schema.team_authority
statements_table = schema.authority_statements


def public_key(conn: Connection, team_id: str) -> bytes | None:
    found = conn.execute(
        sa.select(keys_table.c.public_key).where(keys_table.c.team_id == team_id)
    ).scalar()
    return bytes(found) if found is not None else None


def set_public_key(db: Database, team_id: str, key: bytes) -> None:
    """Record the team's authority key once; a second, different one is refused."""

    def work(conn: Connection) -> None:
        if lock_team(conn, team_id) is None:
            raise Rejected(404, "not_found", f"no such team: {team_id}")
        held = public_key(conn, team_id)
        if held is not None and held != key:
            raise Rejected(409, E_INVALID, "this team already has another authority key")
        if held is None:
            conn.execute(
                keys_table.insert().values(team_id=team_id, public_key=key, created_at=now_ms())
            )

    db.write(work)


def served(conn: Connection, team_id: str) -> dict[str, Any] | None:
    """``{"key", "statements"}`` for the API, or None for a team without an authority."""
    key = public_key(conn, team_id)
    if key is None:
        return None
    rows = conn.execute(
        sa.select(statements_table)
        .where(statements_table.c.team_id == team_id)
        .order_by(statements_table.c.version)
    )
    return {
        "key": b64encode(key),
        "statements": [
            {"statement": b64encode(r.statement), "signature": b64encode(r.signature)} for r in rows
        ],
    }


def held(conn: Connection, team_id: str, key: bytes) -> authority.TrustedRoster:
    """The statements the relay holds, verified (409 if one does not verify)."""
    rows = served(conn, team_id)
    wires = rows["statements"] if rows else []
    roster, _, bad = authority.roster_from(wires, key, team_id)
    if bad:
        raise Rejected(409, E_INVALID, "the relay holds statements the authority did not sign")
    return roster


def _append(conn: Connection, signer: SigningKey, statement: authority.Statement) -> None:
    wire = authority.sign_statement(signer, statement)
    conn.execute(
        statements_table.insert().values(
            team_id=statement.team_id,
            version=statement.version,
            statement=b64decode(wire["statement"], "statement"),
            signature=b64decode(wire["signature"], "signature"),
            created_at=now_ms(),
        )
    )


def check_signer(conn: Connection, team_id: str, signer: SigningKey | None) -> bytes | None:
    """The team's authority key, after checking that ``signer`` is its private half.

    A team without an authority (enrolled before it existed) takes no
    signer; a team with one refuses every roster change without it.
    """
    key = public_key(conn, team_id)
    if key is None:
        if signer is not None:
            raise Rejected(409, E_INVALID, "this team has no authority yet: create it first")
        return None
    if signer is None:
        raise Rejected(
            409,
            E_INVALID,
            "this team has an authority: pass its key file with --authority-key FILE "
            "(or $SOSKU_AUTHORITY_KEY)",
        )
    if authority.public_key_of(signer) != key:
        raise Rejected(409, E_INVALID, "the key file is not this team's authority")
    return key


def state_device(
    conn: Connection,
    signer: SigningKey,
    key: bytes,
    row: sa.Row[Any],
    status: str,
    *,
    last_seq: int | None = None,
) -> None:
    """Sign the device's new status (skipped when the newest statement already says it).

    Approving the first device also signs epoch 1; revoking a device the
    authority had approved signs the next epoch, which the revoked device
    will never receive (two revocations before anyone rotated sign two
    epochs; laptops create them one after the other).
    """
    team_id = row.team_id
    roster = held(conn, team_id, key)
    before = roster.devices().get(row.device_id)
    if before is not None and before.status == status:
        return
    version = roster.version + 1
    _append(
        conn,
        signer,
        authority.DeviceStatement(
            team_id,
            version,
            row.device_id,
            row.name,
            bytes(row.sign_pub),
            bytes(row.box_pub),
            status,
            last_seq if status == REVOKED else None,
        ),
    )
    signed_epoch = roster.signed_epoch
    if status == ACTIVE and signed_epoch == 0:
        _append(conn, signer, authority.EpochStatement(team_id, version + 1, 1))
    elif status == REVOKED and before is not None and signed_epoch > 0:
        _append(conn, signer, authority.EpochStatement(team_id, version + 1, signed_epoch + 1))
