"""The relay's tables (SQLAlchemy Core): the same on SQLite and PostgreSQL.

The server stores only what it needs to authenticate, order and hand out
bundles: public keys, sealed (opaque) epoch keys and ciphertext. Times are
unix milliseconds in BIGINT columns so both backends compare them alike.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.engine import Connection

#: Bump with every change of these tables; checked at start-up.
SCHEMA_VERSION = 3


def _add_positions(conn: Connection) -> None:
    """2: each device's acknowledged position and each team's pruned prefix (compaction)."""
    found = sa.inspect(conn)
    for table, column in (("devices", "acked_seq"), ("teams", "pruned_upto")):
        if column not in {c["name"] for c in found.get_columns(table)}:
            conn.execute(
                sa.text(f"ALTER TABLE {table} ADD COLUMN {column} BIGINT NOT NULL DEFAULT 0")
            )


def _add_last_seen(conn: Connection) -> None:
    """3: when each device last made an authenticated request (``sosku-server device list``)."""
    if "last_seen_at" not in {c["name"] for c in sa.inspect(conn).get_columns("devices")}:
        conn.execute(sa.text("ALTER TABLE devices ADD COLUMN last_seen_at BIGINT"))


#: version → the step that brings a database from version-1 to it (columns,
#: indexes, data; new tables need none). Run by ``Database.create_schema``.
UPGRADES: dict[int, Callable[[Connection], None]] = {2: _add_positions, 3: _add_last_seen}

metadata = sa.MetaData()

server_meta = sa.Table(
    "sosku_server_meta",
    metadata,
    sa.Column("key", sa.Text(), primary_key=True),
    sa.Column("value", sa.Text(), nullable=False),
)

#: One row per team; ``head_seq`` is the per-team counter that makes server_seq gap-free.
teams = sa.Table(
    "teams",
    metadata,
    sa.Column("team_id", sa.Text(), primary_key=True),
    sa.Column("name", sa.Text(), nullable=False),
    sa.Column("created_at", sa.BigInteger(), nullable=False),
    sa.Column("current_epoch", sa.Integer(), nullable=False, server_default="0"),
    sa.Column("rotation_needed", sa.Boolean(), nullable=False, server_default=sa.false()),
    sa.Column("head_seq", sa.BigInteger(), nullable=False, server_default="0"),
    #: Bundles up to here were pruned (compaction); a pull from below gets 410.
    sa.Column("pruned_upto", sa.BigInteger(), nullable=False, server_default="0"),
)

devices = sa.Table(
    "devices",
    metadata,
    sa.Column("team_id", sa.Text(), sa.ForeignKey("teams.team_id"), primary_key=True),
    sa.Column("device_id", sa.Text(), primary_key=True),
    sa.Column("name", sa.Text(), nullable=False),
    sa.Column("sign_pub", sa.LargeBinary(), nullable=False),
    sa.Column("box_pub", sa.LargeBinary(), nullable=False),
    sa.Column("status", sa.Text(), nullable=False),
    sa.Column("created_at", sa.BigInteger(), nullable=False),
    sa.Column("approved_at", sa.BigInteger(), nullable=True),
    sa.Column("revoked_at", sa.BigInteger(), nullable=True),
    #: Highest cursor the device pulled from: it holds every bundle up to here.
    sa.Column("acked_seq", sa.BigInteger(), nullable=False, server_default="0"),
    #: Last authenticated request, to the minute (``roster.note_seen``); None: never.
    sa.Column("last_seen_at", sa.BigInteger(), nullable=True),
    sa.CheckConstraint("status IN ('pending', 'active', 'revoked')", name="device_status"),
)

#: Join codes are stored as SHA-256 only: a copy of the database gives no usable code.
join_codes = sa.Table(
    "join_codes",
    metadata,
    sa.Column("code_hash", sa.LargeBinary(), primary_key=True),
    sa.Column("team_id", sa.Text(), sa.ForeignKey("teams.team_id"), nullable=False),
    sa.Column("uses_left", sa.Integer(), nullable=False),
    sa.Column("expires_at", sa.BigInteger(), nullable=False),
    sa.Column("created_at", sa.BigInteger(), nullable=False),
)

epochs = sa.Table(
    "epochs",
    metadata,
    sa.Column("team_id", sa.Text(), sa.ForeignKey("teams.team_id"), primary_key=True),
    sa.Column("epoch", sa.Integer(), primary_key=True),
    sa.Column("created_by", sa.Text(), nullable=False),
    sa.Column("created_at", sa.BigInteger(), nullable=False),
)

sealed_keys = sa.Table(
    "sealed_keys",
    metadata,
    sa.Column("team_id", sa.Text(), primary_key=True),
    sa.Column("epoch", sa.Integer(), primary_key=True),
    sa.Column("device_id", sa.Text(), primary_key=True),
    sa.Column("sealed", sa.LargeBinary(), nullable=False),
    sa.Column("sealed_by", sa.Text(), nullable=False),
    sa.Column("signature", sa.LargeBinary(), nullable=False),
    sa.Column("created_at", sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(["team_id", "epoch"], ["epochs.team_id", "epochs.epoch"]),
    sa.ForeignKeyConstraint(["team_id", "device_id"], ["devices.team_id", "devices.device_id"]),
)

bundles = sa.Table(
    "bundles",
    metadata,
    sa.Column("team_id", sa.Text(), sa.ForeignKey("teams.team_id"), primary_key=True),
    sa.Column("server_seq", sa.BigInteger(), primary_key=True, autoincrement=False),
    sa.Column("bundle_id", sa.Text(), nullable=False),
    sa.Column("device_id", sa.Text(), nullable=False),
    sa.Column("device_seq", sa.BigInteger(), nullable=False),
    sa.Column("epoch", sa.Integer(), nullable=False),
    sa.Column("hlc", sa.Text(), nullable=False),
    sa.Column("version", sa.Integer(), nullable=False),
    sa.Column("nonce", sa.LargeBinary(), nullable=False),
    sa.Column("ciphertext", sa.LargeBinary(), nullable=False),
    sa.Column("signature", sa.LargeBinary(), nullable=False),
    sa.Column("received_at", sa.BigInteger(), nullable=False),
    sa.UniqueConstraint("team_id", "bundle_id", name="bundles_bundle_id"),
    sa.UniqueConstraint("team_id", "device_id", "device_seq", name="bundles_device_seq"),
)

#: The team authority's public key (the private half never reaches the relay).
team_authority = sa.Table(
    "team_authority",
    metadata,
    sa.Column("team_id", sa.Text(), sa.ForeignKey("teams.team_id"), primary_key=True),
    sa.Column("public_key", sa.LargeBinary(), nullable=False),
    sa.Column("created_at", sa.BigInteger(), nullable=False),
)

#: Roster statements signed by the authority, served to laptops as they are.
authority_statements = sa.Table(
    "authority_statements",
    metadata,
    sa.Column("team_id", sa.Text(), sa.ForeignKey("teams.team_id"), primary_key=True),
    sa.Column("version", sa.Integer(), primary_key=True, autoincrement=False),
    sa.Column("statement", sa.LargeBinary(), nullable=False),
    sa.Column("signature", sa.LargeBinary(), nullable=False),
    sa.Column("created_at", sa.BigInteger(), nullable=False),
)

#: Encrypted snapshots made by enrolled devices, in parts (opaque to the relay).
snapshots = sa.Table(
    "snapshots",
    metadata,
    sa.Column("team_id", sa.Text(), sa.ForeignKey("teams.team_id"), primary_key=True),
    sa.Column("snapshot_id", sa.Text(), primary_key=True),
    sa.Column("part", sa.Integer(), primary_key=True, autoincrement=False),
    sa.Column("parts", sa.Integer(), nullable=False),
    sa.Column("server_seq", sa.BigInteger(), nullable=False),
    sa.Column("epoch", sa.Integer(), nullable=False),
    sa.Column("device_id", sa.Text(), nullable=False),
    sa.Column("version", sa.Integer(), nullable=False),
    sa.Column("nonce", sa.LargeBinary(), nullable=False),
    sa.Column("ciphertext", sa.LargeBinary(), nullable=False),
    sa.Column("signature", sa.LargeBinary(), nullable=False),
    sa.Column("created_at", sa.BigInteger(), nullable=False),
)
