"""Hostile and unlucky traffic against a real relay process (issue 11, relay part).

Unauthenticated uploads must not cost memory, slow or idle clients are cut
off by the relay's own deadlines, a laptop dropping mid-upload is logged as
a disconnect (not a 500 with a traceback), wrong join codes are throttled,
and an unapproved device learns nothing about the team. Each relay here
runs with short deadlines so that "cut off" means "before the client was
done", never a measured duration.
"""

from __future__ import annotations

import json
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from sosku_desktop.sync import crypto
from sosku_desktop.sync.protocol import (
    H_CONTENT_SHA256,
    H_DEVICE,
    H_SIGNATURE,
    H_TEAM,
    H_TIMESTAMP,
    MAX_BODY_BYTES,
    b64encode,
    content_sha256,
    request_signing_bytes,
    signing_bytes_for_digest,
)
from tests.sync.server.helpers import Device, ServerProcess, Team

pytestmark = pytest.mark.reliability

GUARDED = (
    "--header-timeout",
    "2",
    "--body-timeout",
    "3",
    "--idle-timeout",
    "2",
    "--join-failures-per-address",
    "3",
    "--join-failures-per-team",
    "5",
)


@pytest.fixture(scope="module")
def relay(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """A relay of its own (SQLite: these are transport concerns) with short deadlines."""
    folder = tmp_path_factory.mktemp("guarded-relay")
    proc = ServerProcess(
        f"sqlite:///{folder / 'relay.sqlite3'}", folder / "server.log", GUARDED
    ).start()
    try:
        yield proc
    finally:
        proc.stop()


@pytest.fixture
def team(relay: ServerProcess) -> Iterator[Team]:
    t = Team(relay)
    try:
        yield t
    finally:
        t.close()


def rss_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


def signed_head(device: Device, method: str, path: str, digest: str) -> dict[str, str]:
    stamp = str(int(time.time()))
    data = signing_bytes_for_digest(
        method, path, "", device.team_id, device.device_id, stamp, digest
    )
    return {
        H_TEAM: device.team_id,
        H_DEVICE: device.device_id,
        H_TIMESTAMP: stamp,
        H_SIGNATURE: b64encode(device.keys.sign(data)),
        H_CONTENT_SHA256: digest,
    }


def raw_request(path: str, headers: dict[str, str], length: int) -> bytes:
    lines = [f"POST {path} HTTP/1.1", "Host: relay", "Content-Type: application/json"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    lines.append(f"Content-Length: {length}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def read_until_closed(sock: socket.socket) -> bytes:
    """Everything the relay sends until it closes the connection (a reset counts as closed)."""
    data = b""
    while True:
        try:
            chunk = sock.recv(65536)
        except ConnectionResetError:
            return data
        if not chunk:
            return data
        data += chunk


def log_entries(relay: ServerProcess) -> list[dict[str, object]]:
    return [json.loads(line) for line in relay.log_text().splitlines() if line.startswith("{")]


def wait_for_log(relay: ServerProcess, event: str, count: int = 1) -> list[dict[str, object]]:
    """The log entries of ``event`` once at least ``count`` are there (bounded wait)."""
    deadline = time.monotonic() + 60
    while True:
        found = [e for e in log_entries(relay) if e.get("event") == event]
        if len(found) >= count or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def assert_no_crash_logged(relay: ServerProcess) -> None:
    for entry in log_entries(relay):
        assert entry["level"] not in ("error", "critical"), entry
        assert "traceback" not in entry, entry
        assert int(str(entry.get("status", 200))) < 500, entry


# --- memory ------------------------------------------------------------------------


def _upload(url: str, headers: dict[str, str], body: bytes, statuses: list[int]) -> None:
    try:
        with httpx.Client(timeout=120) as client:
            statuses.append(client.post(url, content=body, headers=headers).status_code)
    except httpx.TransportError:
        statuses.append(0)  # the relay closed on a body it will not read


def test_unauthenticated_uploads_do_not_grow_memory(relay: ServerProcess, team: Team) -> None:
    """20 parallel 8 MiB uploads by strangers, three times over: RSS stays within 50 MB."""
    assert relay.proc is not None
    device = team.enrol()
    body = b" " * MAX_BODY_BYTES
    url = relay.url + "/v1/bundles"
    stranger = crypto.DeviceKeys.generate()
    forged = {
        **signed_head(device, "POST", "/v1/bundles", content_sha256(body)),
        H_SIGNATURE: b64encode(stranger.sign(b"not the request")),
    }
    unknown = {**forged, H_DEVICE: str(uuid.uuid4())}
    kinds: list[dict[str, str]] = [{}, forged, unknown]
    before = rss_bytes(relay.proc.pid)
    peak = before
    for round_no in range(3):
        statuses: list[int] = []
        threads = [
            threading.Thread(target=_upload, args=(url, kinds[i % 3], body, statuses))
            for i in range(20)
        ]
        for thread in threads:
            thread.start()
        while any(t.is_alive() for t in threads):
            peak = max(peak, rss_bytes(relay.proc.pid))
            time.sleep(0.01)
        # Answered before the body, then cut off (the client may see the reset first).
        assert len(statuses) == 20 and set(statuses) <= {401, 0}, (round_no, statuses)
    after = rss_bytes(relay.proc.pid)
    assert peak - before < 50 * 1024 * 1024, (before, peak)
    assert after - before < 50 * 1024 * 1024, (before, after)
    assert device.transport.status()["device"]["status"] == "active"  # still serving
    assert_no_crash_logged(relay)


def read_bytes(pid: int) -> int:
    """Bytes the process has read through read-like calls, sockets included (``rchar``)."""
    for line in Path(f"/proc/{pid}/io").read_text().splitlines():
        if line.startswith("rchar:"):
            return int(line.split()[1])
    raise AssertionError("no rchar")


def read_answer(sock: socket.socket) -> bytes:
    """One HTTP answer (headers and a Content-Length body)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    length = next(
        int(line.split(b":", 1)[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length:")
    )
    while len(rest) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        rest += chunk
    return head + b"\r\n\r\n" + rest


def test_a_refused_upload_is_answered_and_the_rest_of_its_body_is_not_read(
    relay: ServerProcess, team: Team
) -> None:
    """The relay answers a stranger's 8 MiB push at once, then closes: it reads none of it.

    It used to read and drop the whole body (as long as the client kept
    sending, up to the body deadline) and keep the connection for more.
    """
    assert relay.proc is not None
    device = team.enrol()
    body = b" " * MAX_BODY_BYTES
    stranger = crypto.DeviceKeys.generate()
    forged = {
        **signed_head(device, "POST", "/v1/bundles", content_sha256(body)),
        H_SIGNATURE: b64encode(stranger.sign(b"not the request")),
    }
    health = b"GET /v1/health HTTP/1.1\r\nHost: relay\r\n\r\n"
    before = read_bytes(relay.proc.pid)
    sent, again = 0, b""
    with socket.create_connection(("127.0.0.1", relay.port), timeout=120) as sock:
        sock.sendall(raw_request("/v1/bundles", forged, len(body)))
        answer = read_answer(sock)
        try:
            for start in range(0, len(body), 65536):
                sock.sendall(body[start : start + 65536])
                sent += 65536
            sock.sendall(health)  # the same connection again, once the body is through
            again = read_until_closed(sock)
        except (BrokenPipeError, ConnectionResetError):
            pass
    assert answer.startswith(b"HTTP/1.1 401"), answer
    assert b"200 OK" not in again  # the connection served nothing more
    assert read_bytes(relay.proc.pid) - before < len(body) // 8, sent
    assert device.transport.status()["device"]["status"] == "active"
    assert_no_crash_logged(relay)


# --- slow and idle clients ---------------------------------------------------------


def test_idle_connection_is_closed(relay: ServerProcess) -> None:
    with socket.create_connection(("127.0.0.1", relay.port), timeout=120) as sock:
        answer = read_until_closed(sock)  # we send nothing at all
    assert answer.startswith(b"HTTP/1.1 408"), answer


def test_headers_at_one_line_per_second_are_cut_off(relay: ServerProcess) -> None:
    lines = [b"POST /v1/bundles HTTP/1.1\r\n"] + [f"X-Pad-{i}: x\r\n".encode() for i in range(60)]
    sent = 0
    with socket.create_connection(("127.0.0.1", relay.port), timeout=120) as sock:
        try:
            for line in lines:
                sock.sendall(line)
                sent += 1
                time.sleep(1)
                sock.setblocking(False)
                try:
                    if sock.recv(65536, socket.MSG_PEEK) is not None:
                        break  # the relay answered (and closes)
                except BlockingIOError:
                    pass
                finally:
                    sock.setblocking(True)
        except (BrokenPipeError, ConnectionResetError):
            pass
        answer = read_until_closed(sock)
    assert sent < len(lines), "the relay waited for all 60 header lines"
    assert answer.startswith(b"HTTP/1.1 408"), answer


def test_body_at_one_byte_per_second_is_cut_off(relay: ServerProcess, team: Team) -> None:
    device = team.enrol()
    body = b'{"bundles": []}' + b" " * 45
    head = raw_request(
        "/v1/bundles", signed_head(device, "POST", "/v1/bundles", content_sha256(body)), len(body)
    )
    sent = 0
    closed = False
    with socket.create_connection(("127.0.0.1", relay.port), timeout=120) as sock:
        sock.sendall(head)
        for byte in body:
            try:
                sock.sendall(bytes([byte]))
            except (BrokenPipeError, ConnectionResetError):
                closed = True
                break
            sent += 1
            time.sleep(1)
            sock.setblocking(False)
            try:
                if sock.recv(1, socket.MSG_PEEK) == b"":
                    closed = True
                    break
            except BlockingIOError:
                pass
            except ConnectionResetError:
                closed = True
                break
            finally:
                sock.setblocking(True)
    assert closed and sent < len(body), sent
    cut = wait_for_log(relay, "timeout")
    assert any("body" in str(e["msg"]) for e in cut), cut
    assert_no_crash_logged(relay)


# --- disconnects -------------------------------------------------------------------


def test_laptop_dropping_mid_upload_is_logged_as_a_disconnect(
    relay: ServerProcess, team: Team
) -> None:
    device = team.enrol()
    body = b'{"bundles": []}' + b" " * (1024 * 1024)
    before = len(wait_for_log(relay, "disconnect", 0))
    headers = signed_head(device, "POST", "/v1/bundles", content_sha256(body))
    with socket.create_connection(("127.0.0.1", relay.port), timeout=60) as sock:
        sock.sendall(raw_request("/v1/bundles", headers, len(body)) + body[: len(body) // 2])
        time.sleep(0.2)
    entries = wait_for_log(relay, "disconnect", before + 1)
    assert len(entries) == before + 1, relay.log_text()[-2000:]
    assert entries[-1]["level"] == "info"
    assert_no_crash_logged(relay)


# --- join throttling ---------------------------------------------------------------


def _join(relay: ServerProcess, team_id: str, code: str, address: str) -> httpx.Response:
    keys = crypto.DeviceKeys.generate()
    device_id = str(uuid.uuid4())
    body = json.dumps(
        {
            "join_code": code,
            "name": "laptop",
            "sign_pub": b64encode(keys.public.sign_pub),
            "box_pub": b64encode(keys.public.box_pub),
        }
    ).encode()
    stamp = str(int(time.time()))
    data = request_signing_bytes("POST", "/v1/join", "", team_id, device_id, stamp, body)
    headers = {
        H_TEAM: team_id,
        H_DEVICE: device_id,
        H_TIMESTAMP: stamp,
        H_SIGNATURE: b64encode(keys.sign(data)),
        H_CONTENT_SHA256: content_sha256(body),
        "Content-Type": "application/json",
        # The relay trusts X-Forwarded-For from loopback, as from a local reverse proxy.
        "X-Forwarded-For": address,
    }
    return httpx.post(relay.url + "/v1/join", content=body, headers=headers, timeout=60)


def test_wrong_join_codes_are_throttled_per_address(relay: ServerProcess, team: Team) -> None:
    other = Team(relay)
    address = "198.51.100.10"
    for _ in range(3):
        assert _join(relay, team.team_id, "WRONG-CODE", address).status_code == 401
    refused = _join(relay, team.team_id, team.code, address)  # even the right code now
    assert refused.status_code == 429, refused.text
    assert refused.json()["error"] == "too_many_attempts"
    assert refused.json()["retry_after"] > 0
    assert _join(relay, other.team_id, other.code, address).status_code == 429
    # Another address is not affected; the right code still works from there.
    assert _join(relay, team.team_id, team.code, "198.51.100.11").status_code == 200
    other.close()


def test_wrong_join_codes_are_throttled_per_team(relay: ServerProcess, team: Team) -> None:
    other = Team(relay)
    for i in range(5):
        assert _join(relay, team.team_id, "WRONG", f"203.0.113.{i}").status_code == 401
    refused = _join(relay, team.team_id, team.code, "203.0.113.99")
    assert refused.status_code == 429, refused.text
    # The same fresh address may still join another team.
    assert _join(relay, other.team_id, other.code, "203.0.113.99").status_code == 200
    other.close()


# --- what an unapproved device may see ---------------------------------------------


def test_pending_device_learns_only_its_own_state(relay: ServerProcess, team: Team) -> None:
    active = team.enrol()
    team.new_epoch(by=active)
    pending = team.join("new laptop")
    status = pending.transport.status()
    assert set(status) == {"device", "server_time", "authority"}, status
    assert status["authority"]["statements"] == []  # the key to pin, not the roster
    assert status["device"]["status"] == "pending"
    assert status["device"]["device_id"] == pending.device_id
    full = active.transport.status()
    assert {"team_name", "head_seq", "epoch"} <= set(full)


# --- connections per client --------------------------------------------------------


def test_connections_per_client_are_capped(tmp_path: Path) -> None:
    relay = ServerProcess(
        f"sqlite:///{tmp_path / 'relay.sqlite3'}",
        tmp_path / "server.log",
        ("--connections-per-client", "3", "--header-timeout", "60"),
    ).start()
    held = [socket.create_connection(("127.0.0.1", relay.port), timeout=60) for _ in range(3)]
    try:
        with socket.create_connection(("127.0.0.1", relay.port), timeout=60) as extra:
            assert read_until_closed(extra).startswith(b"HTTP/1.1 503"), "a 4th was let in"
        held.pop().close()
        deadline = time.monotonic() + 60
        while True:  # the relay notices the closed connection, then has room again
            with socket.create_connection(("127.0.0.1", relay.port), timeout=60) as again:
                again.sendall(
                    b"GET /v1/health HTTP/1.1\r\nHost: relay\r\nConnection: close\r\n\r\n"
                )
                answer = read_until_closed(again)
            if answer.startswith(b"HTTP/1.1 200") or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        assert answer.startswith(b"HTTP/1.1 200"), answer
        assert wait_for_log(relay, "connection_limit")
    finally:
        for sock in held:
            sock.close()
        relay.stop()
