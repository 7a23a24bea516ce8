"""Test helpers: a real relay process, the admin CLI, and enrolled test devices."""

from __future__ import annotations

import contextlib
import io
import os
import signal
import socket
import ssl
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from sosku_desktop.sync import crypto
from sosku_desktop.sync.envelope import seal_bundle
from sosku_desktop.sync.protocol import SealedBundle, b64decode
from sosku_desktop.sync.server import cli
from sosku_desktop.sync.transport import SyncTransport

#: The PostgreSQL database the tests use (each run makes and drops its own schema).
PG_BASE = os.environ.get("SOSKU_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
CANARIES = ("Canary Kettunen", "KANARIA-MUISTIINPANO")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ServerProcess:
    """``python -m sosku_desktop.sync.server.cli --db URL serve`` on a free loopback port."""

    def __init__(
        self,
        db_url: str,
        log_path: Path,
        extra_args: tuple[str, ...] = (),
        verify: ssl.SSLContext | None = None,
    ) -> None:
        self.db_url = db_url
        self.log_path = log_path
        self.extra_args = extra_args
        #: With TLS: the client context that trusts the server's certificate.
        self.verify = verify
        self.proc: subprocess.Popen[bytes] | None = None
        self.port = 0

    @property
    def url(self) -> str:
        scheme = "https" if self.verify is not None else "http"
        return f"{scheme}://127.0.0.1:{self.port}"

    def start(self) -> ServerProcess:
        self.port = free_port()
        env = dict(os.environ, SOSKU_SERVER_LOG="INFO")
        with self.log_path.open("ab") as log:
            self.proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "sosku_desktop.sync.server.cli",
                    "--db",
                    self.db_url,
                    "serve",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(self.port),
                    # The suite's shared relays take many deliberately failed sign-ins
                    # from 127.0.0.1; the throttle has its own test (test_sign_in_throttle).
                    "--sign-in-failures-per-address",
                    "0",
                    *self.extra_args,
                ],
                stdout=log,
                stderr=log,
                env=env,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited at start:\n{self.log_text()}")
            try:
                verify = self.verify if self.verify is not None else True
                health = httpx.get(self.url + "/v1/health", timeout=2, verify=verify)
                if health.status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"server did not become healthy:\n{self.log_text()}")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def kill(self) -> None:
        """SIGKILL: no shutdown handlers, no flush — like a power cut of the process."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        self.proc = None

    def log_text(self) -> str:
        return self.log_path.read_text("utf-8", errors="replace") if self.log_path.exists() else ""


def admin(db_url: str, *args: str) -> str:
    """Run the admin CLI in-process (same code as the console script); returns stdout."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["--db", db_url, *args])
    if code != 0:
        raise RuntimeError(f"sosku-server {' '.join(args)} failed ({code}): {err.getvalue()}")
    return out.getvalue().strip()


def hlc(device_id: str, counter: int = 0) -> str:
    return f"{time.time_ns() // 1_000_000:016d}-{counter:05d}-{device_id}"


@dataclass
class Device:
    """One test laptop: keys, a signed transport, its device_seq and the epoch keys it holds."""

    team_id: str
    device_id: str
    keys: crypto.DeviceKeys
    transport: SyncTransport
    next_seq: int = 1
    epoch_keys: dict[int, bytes] = field(default_factory=dict)

    def plaintext(
        self, ops: list[dict[str, Any]], epoch: int, seq: int | None = None
    ) -> dict[str, Any]:
        if seq is None:
            seq, self.next_seq = self.next_seq, self.next_seq + 1
        return {
            "bundle_id": str(uuid.uuid4()),
            "device_id": self.device_id,
            "device_seq": seq,
            "hlc": hlc(self.device_id, seq % 100_000),
            "schema_version": 1,
            "team_id": self.team_id,
            "epoch": epoch,
            "ops": ops,
        }

    def bundle(self, text: str = "note", epoch: int | None = None) -> SealedBundle:
        """A sealed bundle with one column op, under the newest epoch key we hold."""
        epoch = max(self.epoch_keys) if epoch is None else epoch
        ops = [{"t": "meetings", "r": str(uuid.uuid4()), "c": "notes", "v": text}]
        return seal_bundle(self.plaintext(ops, epoch), self.epoch_keys[epoch], self.keys)

    def refresh_keys(self, roster: dict[str, bytes]) -> None:
        """Open every sealed key addressed to us (sealer checked against ``roster``)."""
        for item in self.transport.get_keys()["keys"]:
            epoch, key = crypto.open_key_item(
                item,
                team_id=self.team_id,
                device_id=self.device_id,
                keys=self.keys,
                verify_key_for_device=roster.get,
            )
            self.epoch_keys[epoch] = key

    def close(self) -> None:
        self.transport.close()


class Team:
    """A fresh team on a running server, with helpers to enrol devices and make epochs."""

    def __init__(
        self,
        server: ServerProcess,
        name: str = "Team",
        team_id: str | None = None,
        code: str | None = None,
    ) -> None:
        """A new team (via the admin CLI) with its authority key file, or an existing one.

        An existing team (given its id and join code) is one enrolled without
        an authority, as before the authority existed.
        """
        self.server = server
        self.db_url = server.db_url
        self.key_file: Path | None = None
        if team_id is None:
            team_id = admin(self.db_url, "team", "create", name)
            self.key_file = server.log_path.parent / f"authority-{team_id}.key"
            admin(
                self.db_url,
                "authority",
                "create",
                "--team",
                team_id,
                "--key-file",
                str(self.key_file),
            )
        self.team_id = team_id
        self.code = code or admin(
            self.db_url, "join-code", "create", "--team", self.team_id, "--uses", "50"
        )
        self.devices: list[Device] = []

    @property
    def authority_args(self) -> tuple[str, ...]:
        """``--authority-key FILE`` for approve and revoke (nothing for a team without one)."""
        return ("--authority-key", str(self.key_file)) if self.key_file else ()

    @property
    def safety_number(self) -> str:
        return (
            admin(self.db_url, "authority", "show", "--team", self.team_id)
            .split(": ")[1]
            .split("\n")[0]
        )

    def transport(self, device_id: str, keys: crypto.DeviceKeys) -> SyncTransport:
        return SyncTransport(self.server.url, self.team_id, device_id, keys, timeout=60)

    def join(self, name: str = "laptop") -> Device:
        keys = crypto.DeviceKeys.generate()
        device_id = str(uuid.uuid4())
        device = Device(self.team_id, device_id, keys, self.transport(device_id, keys))
        try:
            device.transport.join(self.code, name)
        except BaseException:
            device.close()
            raise
        self.devices.append(device)
        return device

    def approve(self, device: Device) -> None:
        admin(
            self.db_url,
            "device",
            "approve",
            "--team",
            self.team_id,
            device.device_id,
            "--fingerprint",
            device.keys.fingerprint(),
            *self.authority_args,
        )

    def revoke(self, device: Device) -> None:
        admin(
            self.db_url,
            "device",
            "revoke",
            "--team",
            self.team_id,
            device.device_id,
            *self.authority_args,
        )

    def enrol(self, name: str = "laptop") -> Device:
        device = self.join(name)
        self.approve(device)
        return device

    def sign_keys(self) -> dict[str, bytes]:
        """device_id → Ed25519 public key of every device we enrolled."""
        return {d.device_id: d.keys.public.sign_pub for d in self.devices}

    def new_epoch(self, by: Device) -> int:
        """``by`` makes epoch current+1 sealed to every active device (rotation)."""
        roster = by.transport.devices()
        epoch = roster["epoch"] + 1
        key = crypto.new_epoch_key()
        items = [
            crypto.make_key_item(
                key,
                team_id=self.team_id,
                epoch=epoch,
                recipient_device_id=d["device_id"],
                recipient_box_pub=b64decode(d["box_pub"], "box_pub", size=32),
                sealer=by.keys,
            )
            for d in roster["devices"]
            if d["status"] == "active"
        ]
        by.transport.put_keys(items, new_epoch=epoch)
        by.epoch_keys[epoch] = key
        return epoch

    def share_keys(self, by: Device, to: Device) -> list[int]:
        """``by`` seals every epoch key it holds to ``to`` (a newly approved device)."""
        box_pub = to.keys.public.box_pub
        items = [
            crypto.make_key_item(
                key,
                team_id=self.team_id,
                epoch=epoch,
                recipient_device_id=to.device_id,
                recipient_box_pub=box_pub,
                sealer=by.keys,
            )
            for epoch, key in sorted(by.epoch_keys.items())
        ]
        by.transport.put_keys(items)
        return sorted(by.epoch_keys)

    def close(self) -> None:
        for device in self.devices:
            device.close()
