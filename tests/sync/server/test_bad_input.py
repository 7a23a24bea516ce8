"""Malformed, unauthenticated or oversized requests get a 4xx JSON error, never a 5xx."""

from __future__ import annotations

import json
import socket
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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


@dataclass
class Raw:
    """Hand-made requests, signed (or not) exactly as a test wants."""

    server: ServerProcess
    team: Team
    device: Device
    client: httpx.Client

    def send(
        self,
        method: str,
        path: str,
        body: bytes = b"",
        query: str = "",
        *,
        sign: bool = True,
        keys: crypto.DeviceKeys | None = None,
        device_id: str | None = None,
        team_id: str | None = None,
        timestamp: str | None = None,
        headers: dict[str, str | bytes] | None = None,
    ) -> httpx.Response:
        device_id = device_id or self.device.device_id
        team_id = team_id or self.team.team_id
        stamp = timestamp or str(int(time.time()))
        all_headers: dict[str, str | bytes] = {"Content-Type": "application/json"}
        if sign:
            data = request_signing_bytes(method, path, query, team_id, device_id, stamp, body)
            all_headers |= {
                H_TEAM: team_id,
                H_DEVICE: device_id,
                H_TIMESTAMP: stamp,
                H_SIGNATURE: b64encode((keys or self.device.keys).sign(data)),
                H_CONTENT_SHA256: content_sha256(body),
            }
        all_headers |= headers or {}
        url = self.server.url + path + (f"?{query}" if query else "")
        return self.client.request(method, url, content=body, headers=all_headers)


@pytest.fixture
def raw(server: ServerProcess, team: Team) -> Iterator[Raw]:
    device = team.enrol()
    team.new_epoch(by=device)
    with httpx.Client(timeout=60) as client:
        yield Raw(server, team, device, client)


def assert_refused(response: httpx.Response, status: int, code: str | None = None) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert isinstance(body["message"], str)
    if code is not None:
        assert body["error"] == code


SIGNED_ROUTES = [
    ("GET", "/v1/status"),
    ("GET", "/v1/devices"),
    ("GET", "/v1/keys"),
    ("POST", "/v1/keys"),
    ("GET", "/v1/bundles"),
    ("POST", "/v1/bundles"),
    ("GET", "/v1/snapshots"),
    ("GET", "/v1/snapshots/part"),
    ("POST", "/v1/snapshots"),
]


@pytest.mark.parametrize(("method", "path"), SIGNED_ROUTES)
def test_every_signed_route_refuses_strangers(raw: Raw, method: str, path: str) -> None:
    assert_refused(raw.send(method, path, sign=False), 401, "unauthenticated")
    other = crypto.DeviceKeys.generate()
    assert_refused(raw.send(method, path, keys=other), 401, "unauthenticated")
    assert_refused(raw.send(method, path, device_id="no-such-device"), 401, "unknown_device")
    assert_refused(raw.send(method, path, team_id=str(uuid.uuid4())), 401, "unknown_device")
    stale = raw.send(method, path, timestamp=str(int(time.time()) - 600))
    assert_refused(stale, 401, "stale_timestamp")
    assert abs(stale.json()["server_time"] - time.time()) < 3600
    assert_refused(
        raw.send(method, path, timestamp=str(int(time.time()) + 600)), 401, "stale_timestamp"
    )


HEADER_CASES: dict[str, dict[str, str | bytes]] = {
    "timestamp-not-a-number": {H_TIMESTAMP: "yesterday"},
    "timestamp-huge": {H_TIMESTAMP: "9" * 40},
    "timestamp-negative": {H_TIMESTAMP: "-5"},
    "signature-not-base64": {H_SIGNATURE: "***"},
    "signature-short": {H_SIGNATURE: b64encode(b"x" * 10)},
    "device-with-spaces": {H_DEVICE: "a b"},
    "team-too-long": {H_TEAM: "t" * 300},
    "team-non-ascii": {H_TEAM: "tiimi-ä".encode()},
}


@pytest.mark.parametrize("case", sorted(HEADER_CASES))
def test_broken_auth_headers_are_401(raw: Raw, case: str) -> None:
    assert_refused(raw.send("GET", "/v1/status", headers=HEADER_CASES[case]), 401)


def test_signature_covers_path_query_and_body(raw: Raw) -> None:
    good = raw.send("GET", "/v1/bundles", query="after=0")
    assert good.status_code == 200
    device, stamp = raw.device, str(int(time.time()))
    data = request_signing_bytes(
        "GET", "/v1/bundles", "after=0", raw.team.team_id, device.device_id, stamp, b""
    )
    headers = {
        H_TEAM: raw.team.team_id,
        H_DEVICE: device.device_id,
        H_TIMESTAMP: stamp,
        H_SIGNATURE: b64encode(device.keys.sign(data)),
    }
    replays = [
        raw.client.get(raw.server.url + "/v1/bundles?after=5", headers=headers),
        raw.client.get(raw.server.url + "/v1/devices?after=0", headers=headers),
        raw.client.request(
            "GET", raw.server.url + "/v1/bundles?after=0", headers=headers, content=b"{}"
        ),
        raw.client.post(raw.server.url + "/v1/bundles?after=0", headers=headers),
    ]
    for response in replays:
        assert_refused(response, 401, "unauthenticated")


BUNDLE = {
    "v": 1,
    "bundle_id": str(uuid.uuid4()),
    "team_id": "t",
    "epoch": 1,
    "device_id": "d",
    "device_seq": 1,
    "hlc": "0001704362400000-00000-d",
    "nonce": b64encode(bytes(24)),
    "ciphertext": b64encode(bytes(40)),
    "signature": b64encode(bytes(64)),
}

BODY_CASES: dict[str, tuple[str, str, bytes, int]] = {
    "not-json": ("POST", "/v1/bundles", b"{bundles:", 400),
    "not-utf8": ("POST", "/v1/bundles", b'{"bundles": "\xff\xfe"}', 400),
    "nan": ("POST", "/v1/bundles", b'{"bundles": NaN}', 400),
    "deep-nesting": ("POST", "/v1/bundles", b"[" * 100_000 + b"]" * 100_000, 400),
    "huge-int": ("POST", "/v1/bundles", b'{"bundles": ' + b"9" * 5000 + b"}", 400),
    "empty": ("POST", "/v1/bundles", b"", 400),
    "array": ("POST", "/v1/bundles", b"[]", 422),
    "no-bundles": ("POST", "/v1/bundles", b"{}", 422),
    "bundles-not-list": ("POST", "/v1/bundles", b'{"bundles": {"a": 1}}', 422),
    "bundles-empty": ("POST", "/v1/bundles", b'{"bundles": []}', 422),
    "bundle-not-object": ("POST", "/v1/bundles", b'{"bundles": [3]}', 422),
    "too-many-bundles": (
        "POST",
        "/v1/bundles",
        json.dumps({"bundles": [BUNDLE] * 501}).encode(),
        422,
    ),
}
for field, bad in [
    ("v", 2),
    ("v", "1"),
    ("epoch", "1"),
    ("epoch", 0),
    ("epoch", True),
    ("epoch", 1.5),
    ("device_seq", -1),
    ("device_seq", 2**64),
    ("hlc", "now"),
    ("hlc", None),
    ("bundle_id", "x"),
    ("bundle_id", "C68009C1-4EC3-45C9-8936-FC956254C792"),  # upper case: not the canonical form
    ("nonce", b64encode(bytes(12))),
    ("nonce", "not base64!"),
    ("signature", b64encode(bytes(63))),
    ("ciphertext", 12),
    ("team_id", ""),
    ("device_id", "../etc"),
]:
    BODY_CASES[f"bundle-{field}={bad!r}"[:60]] = (
        "POST",
        "/v1/bundles",
        json.dumps({"bundles": [{**BUNDLE, field: bad}]}).encode(),
        422,
    )
BODY_CASES["bundle-missing-nonce"] = (
    "POST",
    "/v1/bundles",
    json.dumps({"bundles": [{k: v for k, v in BUNDLE.items() if k != "nonce"}]}).encode(),
    422,
)
for label, body in {
    "keys-not-object": b"[1]",
    "keys-missing": b'{"new_epoch": 2}',
    "keys-not-list": b'{"keys": "x"}',
    "keys-new-epoch-text": b'{"keys": [], "new_epoch": "2"}',
    "keys-new-epoch-zero": b'{"keys": [], "new_epoch": 0}',
    "keys-item-bad": b'{"keys": [{"epoch": 1}]}',
    "keys-sealed-not-b64": b'{"keys": [{"epoch": 1, "device_id": "d", "sealed": "%", '
    b'"signature": "AA=="}]}',
    "keys-nothing": b'{"keys": []}',
}.items():
    BODY_CASES[label] = ("POST", "/v1/keys", body, 400 if label == "x" else 422)


@pytest.mark.parametrize("case", sorted(BODY_CASES))
def test_bad_bodies_are_4xx(raw: Raw, case: str) -> None:
    method, path, body, status = BODY_CASES[case]
    assert_refused(raw.send(method, path, body), status)


QUERY_CASES = [
    "after=-1",
    "after=abc",
    "after=1.5",
    "after=" + "9" * 30,
    "limit=0",
    "limit=1001",
    "limit=",
    "after=%ff",
    "after=1&after=x",
    "limit=%D9%A3",
]


@pytest.mark.parametrize("query", QUERY_CASES)
def test_bad_pull_queries_are_422(raw: Raw, query: str) -> None:
    assert_refused(raw.send("GET", "/v1/bundles", query=query), 422)


def test_unknown_paths_and_methods(raw: Raw) -> None:
    assert_refused(raw.client.get(raw.server.url + "/v1/nothing"), 404, "not_found")
    assert_refused(raw.client.get(raw.server.url + "/"), 404)
    assert_refused(raw.client.delete(raw.server.url + "/v1/bundles"), 405)
    assert_refused(raw.client.put(raw.server.url + "/v1/join"), 405)
    assert raw.client.get(raw.server.url + "/v1/health").json()["status"] == "ok"


JOIN_CASES = {
    "no-code": {"name": "x"},
    "code-not-text": {"join_code": 5},
    "name-control-chars": {"name": "bad\x00name"},
    "name-blank": {"name": "   "},
    "name-too-long": {"name": "n" * 101},
    "sign-pub-short": {"sign_pub": b64encode(bytes(31))},
    "box-pub-not-b64": {"box_pub": "&&"},
}


@pytest.mark.parametrize("case", sorted(JOIN_CASES))
def test_bad_join_requests_are_422(raw: Raw, case: str) -> None:
    keys = crypto.DeviceKeys.generate()
    body = {
        "join_code": raw.team.code,
        "name": "laptop",
        "sign_pub": b64encode(keys.public.sign_pub),
        "box_pub": b64encode(keys.public.box_pub),
    }
    body |= JOIN_CASES[case]
    body = {k: v for k, v in body.items() if not (case == "no-code" and k == "join_code")}
    response = raw.send(
        "POST", "/v1/join", json.dumps(body).encode(), keys=keys, device_id=str(uuid.uuid4())
    )
    assert_refused(response, 422)


def test_join_must_be_signed_by_the_key_it_enrols(raw: Raw) -> None:
    keys, other = crypto.DeviceKeys.generate(), crypto.DeviceKeys.generate()
    body = json.dumps(
        {
            "join_code": raw.team.code,
            "name": "laptop",
            "sign_pub": b64encode(keys.public.sign_pub),
            "box_pub": b64encode(keys.public.box_pub),
        }
    ).encode()
    response = raw.send("POST", "/v1/join", body, keys=other, device_id=str(uuid.uuid4()))
    assert_refused(response, 401, "unauthenticated")
    taken = raw.send("POST", "/v1/join", body, keys=keys, device_id=raw.device.device_id)
    assert_refused(taken, 409, "device_exists")
    unknown_team = raw.send(
        "POST", "/v1/join", body, keys=keys, device_id=str(uuid.uuid4()), team_id=str(uuid.uuid4())
    )
    assert_refused(unknown_team, 401)


def _http_head(sock: socket.socket) -> str:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    return data.decode("latin-1")


def _signed_head(raw: Raw, method: str, path: str, digest: str) -> dict[str, str]:
    """Valid auth headers for a body known only by its (declared) hash."""
    team_id, device_id, stamp = raw.team.team_id, raw.device.device_id, str(int(time.time()))
    data = signing_bytes_for_digest(method, path, "", team_id, device_id, stamp, digest)
    return {
        H_TEAM: team_id,
        H_DEVICE: device_id,
        H_TIMESTAMP: stamp,
        H_SIGNATURE: b64encode(raw.device.keys.sign(data)),
        H_CONTENT_SHA256: digest,
    }


def test_oversized_body_is_refused_before_it_is_read(raw: Raw) -> None:
    declared = MAX_BODY_BYTES + 1
    signed = _signed_head(raw, "POST", "/v1/bundles", "0" * 64)
    for extra in ("", "".join(f"{k}: {v}\r\n" for k, v in signed.items())):
        with socket.create_connection(("127.0.0.1", raw.server.port), timeout=60) as sock:
            sock.sendall(
                f"POST /v1/bundles HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                f"{extra}Content-Length: {declared}\r\n\r\n".encode()
                + b"{" * 1000
            )
            head = _http_head(sock)  # answered although 8 MiB were never sent
        # A stranger is refused for who it is, a known device for the size.
        assert head.startswith("HTTP/1.1 413" if extra else "HTTP/1.1 401"), head


def test_oversized_chunked_body_is_413(raw: Raw) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(MAX_BODY_BYTES // 65536 + 2):
            yield b" " * 65536

    signed = _signed_head(raw, "POST", "/v1/bundles", "0" * 64)
    # Refused while the client still sends: the relay answers, reads at most 256 KiB more
    # and closes; a client that reads only once it has written may then see the reset.
    for headers, status, code in ((signed, 413, "body_too_large"), ({}, 401, "unauthenticated")):
        try:
            response = raw.client.post(
                raw.server.url + "/v1/bundles", content=chunks(), headers=headers
            )
        except (httpx.RemoteProtocolError, httpx.WriteError, httpx.ReadError):
            continue  # cut off: nothing more was read
        assert_refused(response, status, code)
    assert raw.client.get(raw.server.url + "/v1/health").status_code == 200


def test_body_must_match_its_signed_hash(raw: Raw) -> None:
    body = b'{"bundles": []}'
    signed = _signed_head(raw, "POST", "/v1/bundles", content_sha256(b'{"bundles": [1]}'))
    response = raw.client.post(raw.server.url + "/v1/bundles", content=body, headers=signed)
    assert_refused(response, 401, "unauthenticated")
    assert "hash" in response.json()["message"]


def test_server_logged_no_internal_error(server: ServerProcess, raw: Raw) -> None:
    """Runs after the cases above on the same server: none of them became a 500."""
    for line in server.log_text().splitlines():
        entry = json.loads(line)
        assert entry["level"] != "error", entry
        assert entry.get("status", 200) < 500, entry


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3)
    ),
    max_leaves=8,
)


def _mutations() -> st.SearchStrategy[Any]:
    fields = st.sampled_from(sorted(BUNDLE))
    bundle = st.builds(lambda f, v: {**BUNDLE, f: v}, fields, json_values)
    return st.one_of(
        json_values,
        st.builds(lambda b: {"bundles": [b]}, bundle),
        st.builds(lambda v: {"part": v}, json_values),
        st.builds(lambda v: {"bundles": v}, json_values),
        st.builds(lambda v, e: {"keys": v, "new_epoch": e}, json_values, json_values),
        st.builds(
            lambda k, v: {
                "keys": [
                    {
                        "epoch": 1,
                        "device_id": "d",
                        "sealed": "AA==",
                        "signature": b64encode(bytes(64)),
                        k: v,
                    }
                ]
            },
            st.sampled_from(["epoch", "device_id", "sealed", "signature", "sealed_by"]),
            json_values,
        ),
        st.builds(
            lambda c, n, s: {"join_code": c, "name": n, "sign_pub": s, "box_pub": s},
            json_values,
            json_values,
            json_values,
        ),
    )


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    route=st.sampled_from(["/v1/bundles", "/v1/keys", "/v1/join", "/v1/snapshots"]),
    body=_mutations(),
)
def test_fuzzed_signed_bodies_never_cause_a_5xx(raw: Raw, route: str, body: Any) -> None:
    response = raw.send("POST", route, json.dumps(body).encode())
    assert 200 <= response.status_code < 500, response.text
    if response.status_code >= 400:
        assert set(response.json()) >= {"error", "message"}


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    query=st.text(max_size=40),
    # Only values a client can put on the wire at all (h11 refuses DEL and
    # surrounding whitespace before anything reaches the server).
    header=st.text(
        alphabet=st.characters(min_codepoint=32, max_codepoint=255, exclude_characters="\x7f"),
        max_size=40,
    ).filter(lambda s: s == s.strip(" \t")),
)
def test_fuzzed_queries_and_headers_never_cause_a_5xx(raw: Raw, query: str, header: str) -> None:
    from urllib.parse import quote

    q = quote(query, safe="=&")
    assert raw.send("GET", "/v1/bundles", query=q).status_code in (200, 422)
    assert raw.send("GET", "/v1/snapshots/part", query=q).status_code in (404, 422)
    for name in (H_TEAM, H_DEVICE, H_TIMESTAMP, H_SIGNATURE):
        value = header.encode("latin-1")
        status = raw.send("GET", "/v1/status", headers={name: value}).status_code
        assert 200 <= status < 500
