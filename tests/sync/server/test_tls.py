"""The relay can terminate TLS itself; the transport then talks HTTPS."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from sosku_desktop.sync import crypto
from sosku_desktop.sync.transport import CertificateError, Offline, SyncTransport
from tests.sync.server.helpers import ServerProcess, Team


def self_signed(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def test_https_round_trip_and_untrusted_certificate_is_refused(
    own_db_url: str, tmp_path: Path
) -> None:
    cert, key = self_signed(tmp_path)
    trust = ssl.create_default_context(cafile=str(cert))
    server = ServerProcess(
        own_db_url,
        tmp_path / "server.log",
        extra_args=("--ssl-certfile", str(cert), "--ssl-keyfile", str(key)),
        verify=trust,
    ).start()
    try:
        team = Team(server)
        keys = crypto.DeviceKeys.generate()
        with httpx.Client(verify=trust, timeout=30) as client:
            transport = SyncTransport(server.url, team.team_id, "tls-laptop", keys, client=client)
            assert transport.join(team.code, "TLS laptop")["status"] == "pending"
        # A client that does not trust the certificate gets no answer at all.
        untrusting = SyncTransport(server.url, team.team_id, "tls-laptop", keys)
        with untrusting, pytest.raises(CertificateError) as info:
            untrusting.status()
        assert isinstance(info.value, Offline)  # generic handling: "cannot sync now"
        assert "certificate" in str(info.value)
        team.close()
    finally:
        server.stop()
