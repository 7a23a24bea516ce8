"""The attacker's tools for the adversarial relay tests.

The attacker owns the relay: it writes straight into the relay's database
(SQLite or PostgreSQL, through SQLAlchemy as the relay does) and may hold
the keys of a device it made up or of a revoked laptop. Nothing here goes
through the client code under test.
"""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa
from nacl.bindings import crypto_aead_xchacha20poly1305_ietf_decrypt
from nacl.exceptions import CryptoError

from sosku_desktop.store import sync_state
from sosku_desktop.store.database import Store
from sosku_desktop.sync import crypto
from sosku_desktop.sync.device_store import DeviceStore
from sosku_desktop.sync.envelope import seal_bundle
from sosku_desktop.sync.protocol import (
    ACTIVE,
    SealedBundle,
    TamperedKey,
    b64decode,
    b64encode,
    parse_sealed_key_item,
    parse_wire_bundle,
)
from sosku_desktop.sync.server import schema
from sosku_desktop.sync.server.storage import Database, now_ms
from tests.sync.server.helpers import hlc


class RelayDatabase:
    """Direct read/write access to a relay's tables, as a compromised host has."""

    def __init__(self, url: str) -> None:
        self.db = Database(url)

    def close(self) -> None:
        self.db.dispose()

    def execute(self, statement: Any) -> None:
        with self.db.engine.begin() as conn:
            conn.execute(statement)

    def rows(self, statement: Any) -> list[Any]:
        with self.db.engine.connect() as conn:
            return list(conn.execute(statement))

    def add_active_device(
        self, team_id: str, name: str = "Relay's own laptop"
    ) -> tuple[str, crypto.DeviceKeys]:
        """A device the relay makes up and lists as approved."""
        keys = crypto.DeviceKeys.generate()
        device_id = str(uuid.uuid4())
        self.execute(
            schema.devices.insert().values(
                team_id=team_id,
                device_id=device_id,
                name=name,
                sign_pub=keys.public.sign_pub,
                box_pub=keys.public.box_pub,
                status=ACTIVE,
                created_at=now_ms(),
                approved_at=now_ms(),
            )
        )
        return device_id, keys

    def team(self, team_id: str) -> Any:
        return self.rows(sa.select(schema.teams).where(schema.teams.c.team_id == team_id))[0]

    def set_epoch(self, team_id: str, epoch: int, rotation_needed: bool = False) -> None:
        self.execute(
            schema.teams.update()
            .where(schema.teams.c.team_id == team_id)
            .values(current_epoch=epoch, rotation_needed=rotation_needed)
        )

    def forget_epochs_above(self, team_id: str, epoch: int) -> None:
        """Roll the relay back to ``epoch``: later epochs and their keys vanish."""
        keys, epochs = schema.sealed_keys, schema.epochs
        self.execute(keys.delete().where(keys.c.team_id == team_id, keys.c.epoch > epoch))
        self.execute(epochs.delete().where(epochs.c.team_id == team_id, epochs.c.epoch > epoch))
        self.set_epoch(team_id, epoch)

    def add_epoch(self, team_id: str, epoch: int, created_by: str) -> None:
        self.execute(
            schema.epochs.insert().values(
                team_id=team_id, epoch=epoch, created_by=created_by, created_at=now_ms()
            )
        )
        self.set_epoch(team_id, epoch)

    def add_sealed_key(self, team_id: str, item: dict[str, Any], sealed_by: str) -> None:
        """A sealed key as if ``sealed_by`` had uploaded it (no relay check)."""
        parsed = parse_sealed_key_item(item)
        self.execute(
            schema.sealed_keys.insert().values(
                team_id=team_id,
                epoch=parsed.epoch,
                device_id=parsed.device_id,
                sealed=parsed.sealed,
                sealed_by=sealed_by,
                signature=parsed.signature,
                created_at=now_ms(),
            )
        )

    def inject_bundle(self, team_id: str, bundle: SealedBundle) -> int:
        """Append a bundle behind the relay's back; returns its server_seq."""
        with self.db.engine.begin() as conn:
            teams = schema.teams
            head = conn.execute(
                sa.select(teams.c.head_seq).where(teams.c.team_id == team_id)
            ).scalar_one()
            seq = int(head) + 1
            conn.execute(
                schema.bundles.insert().values(
                    team_id=team_id,
                    server_seq=seq,
                    bundle_id=bundle.bundle_id,
                    device_id=bundle.device_id,
                    device_seq=bundle.device_seq,
                    epoch=bundle.epoch,
                    hlc=bundle.hlc,
                    version=bundle.version,
                    nonce=bundle.nonce,
                    ciphertext=bundle.ciphertext,
                    signature=bundle.signature,
                    received_at=now_ms(),
                )
            )
            conn.execute(teams.update().where(teams.c.team_id == team_id).values(head_seq=seq))
        return seq

    def delete_bundles(self, team_id: str, device_id: str, from_device_seq: int) -> int:
        """Withhold a device's tail: its bundles from ``from_device_seq`` on disappear."""
        bundles = schema.bundles
        with self.db.engine.begin() as conn:
            gone = conn.execute(
                bundles.delete().where(
                    bundles.c.team_id == team_id,
                    bundles.c.device_id == device_id,
                    bundles.c.device_seq >= from_device_seq,
                )
            ).rowcount
        return int(gone or 0)

    def replace_bundle(self, team_id: str, bundle: SealedBundle) -> None:
        """Serve another bundle under the same device and device_seq (a fork)."""
        rows = schema.bundles
        self.execute(
            rows.update()
            .where(
                rows.c.team_id == team_id,
                rows.c.device_id == bundle.device_id,
                rows.c.device_seq == bundle.device_seq,
            )
            .values(
                bundle_id=bundle.bundle_id,
                hlc=bundle.hlc,
                epoch=bundle.epoch,
                nonce=bundle.nonce,
                ciphertext=bundle.ciphertext,
                signature=bundle.signature,
            )
        )

    def bundles(self, team_id: str) -> list[Any]:
        return self.rows(
            sa.select(schema.bundles)
            .where(schema.bundles.c.team_id == team_id)
            .order_by(schema.bundles.c.server_seq)
        )

    def sealed_keys_for(self, team_id: str, device_id: str) -> list[Any]:
        keys = schema.sealed_keys
        return self.rows(
            sa.select(keys).where(keys.c.team_id == team_id, keys.c.device_id == device_id)
        )


def wire(row: Any) -> dict[str, Any]:
    """A stored bundle row in its wire form."""
    return {
        "v": row.version,
        "bundle_id": row.bundle_id,
        "team_id": row.team_id,
        "epoch": row.epoch,
        "device_id": row.device_id,
        "device_seq": row.device_seq,
        **({"hlc": row.hlc} if row.hlc else {}),
        "nonce": b64encode(row.nonce),
        "ciphertext": b64encode(row.ciphertext),
        "signature": b64encode(row.signature),
    }


def attacker_reads(
    relay: RelayDatabase, team_id: str, device_id: str, keys: crypto.DeviceKeys, since: int = 0
) -> list[dict[str, Any]]:
    """Everything the attacker can decrypt with the keys sealed to ``device_id``."""
    epoch_keys: dict[int, bytes] = {}
    for row in relay.sealed_keys_for(team_id, device_id):
        try:
            epoch_keys[row.epoch] = crypto.open_sealed_epoch_key(
                row.sealed, keys, team_id=team_id, epoch=row.epoch, device_id=device_id
            )
        except TamperedKey:
            continue
    opened = []
    for row in relay.bundles(team_id):
        if row.server_seq <= since or row.epoch not in epoch_keys:
            continue
        bundle = parse_wire_bundle(wire(row))
        try:  # no signature check: a thief decrypts whatever the key opens
            crypto_aead_xchacha20poly1305_ietf_decrypt(
                bundle.ciphertext, bundle.header_bytes(), bundle.nonce, epoch_keys[row.epoch]
            )
        except CryptoError:
            continue
        opened.append({"server_seq": row.server_seq, "device_id": row.device_id})
    return opened


def laptop_keys(store: Store) -> tuple[str, crypto.DeviceKeys, dict[int, bytes]]:
    """A laptop's device id, private keys and epoch keys (what a thief of it holds)."""
    devices = DeviceStore(store)
    identity = devices.identity()
    assert identity is not None
    return identity.device_id, identity.keys, devices.epoch_keys()


def forged_bundle(
    team_id: str,
    device_id: str,
    keys: crypto.DeviceKeys,
    epoch: int,
    epoch_key: bytes,
    device_seq: int,
    ops: list[dict[str, Any]],
    clock_device: str | None = None,
    **extra: Any,
) -> SealedBundle:
    """A correctly signed and encrypted bundle with whatever the signer wants in it."""
    plaintext = {
        "bundle_id": str(uuid.uuid4()),
        "device_id": device_id,
        "device_seq": device_seq,
        "hlc": hlc(clock_device or device_id, device_seq % 100_000),
        "schema_version": 1,
        "team_id": team_id,
        "epoch": epoch,
        "ops": ops,
        **extra,
    }
    return seal_bundle(plaintext, epoch_key, keys)


def next_device_seq(store: Store) -> int:
    with store.read() as r:
        return max(sync_state.own_bundle_ids(r.conn), default=0) + 1


class StatementTable:
    """The relay's copy of the authority's roster statements, as its operator can edit it."""

    def __init__(self, relay: RelayDatabase, team_id: str) -> None:
        self.relay = relay
        self.team_id = team_id
        self.table = schema.authority_statements

    def versions(self) -> list[int]:
        t = self.table
        rows = self.relay.rows(
            sa.select(t.c.version).where(t.c.team_id == self.team_id).order_by(t.c.version)
        )
        return [int(r.version) for r in rows]

    def hide_above(self, version: int) -> list[dict[str, Any]]:
        """Serve the roster as it was at ``version``; returns the hidden rows (to put back)."""
        t = self.table
        where = (t.c.team_id == self.team_id, t.c.version > version)
        hidden = [dict(r._mapping) for r in self.relay.rows(sa.select(t).where(*where))]
        self.relay.execute(t.delete().where(*where))
        return hidden

    def put_back(self, rows: list[dict[str, Any]]) -> None:
        for row in rows:
            self.relay.execute(self.table.insert().values(**row))

    def add(self, wire: dict[str, str], version: int) -> None:
        """Serve a statement the relay made (signed by whatever key it holds)."""
        self.relay.execute(
            self.table.insert().values(
                team_id=self.team_id,
                version=version,
                statement=b64decode(wire["statement"], "statement"),
                signature=b64decode(wire["signature"], "signature"),
                created_at=now_ms(),
            )
        )

    def swap_authority_key(self, key: bytes) -> None:
        """The operator replaces the team's authority key with one of its own."""
        t = schema.team_authority
        self.relay.execute(t.update().where(t.c.team_id == self.team_id).values(public_key=key))
