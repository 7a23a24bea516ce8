"""The client's HTTP transport to the relay: signed requests, typed errors.

``SyncTransport`` knows the wire (paths, headers, JSON shapes) and nothing
of the local store, so the sync client and the server tests share it.
Every failure becomes one exception type the client can act on:

* ``Offline`` – no answer (connection refused, timeout, cut). Retry later;
  pushes are idempotent, so resending after an unclear outcome is safe.
  ``CertificateError`` (a subclass) says the TLS certificate is not trusted.
* ``Unauthorized`` (401) – unknown device/team or bad signature.
* ``DeviceRevoked`` / ``DevicePending`` (403) – tell the user.
* ``EpochStale`` / ``RotationNeeded`` / ``NoEpoch`` (409) – key work first.
* ``RequestRejected`` – any other 4xx (``.status``, ``.code``, ``.body``).
* ``ServerError`` – 5xx or an answer that is not the protocol's JSON.
"""

from __future__ import annotations

import functools
import ipaddress
import json
import ssl
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

from sosku_desktop import __version__
from sosku_desktop.sync.crypto import DeviceKeys
from sosku_desktop.sync.protocol import (
    API_PREFIX,
    E_CLIENT_TOO_OLD,
    E_COMPACTED,
    E_DEVICE_PENDING,
    E_DEVICE_REVOKED,
    E_EPOCH_STALE,
    E_NO_EPOCH,
    E_ROTATION_NEEDED,
    E_STALE_TIMESTAMP,
    E_THROTTLED,
    H_CLIENT_VERSION,
    H_CONTENT_SHA256,
    H_DEVICE,
    H_NEWEST_VERSION,
    H_OLDEST_VERSION,
    H_SIGNATURE,
    H_TEAM,
    H_TIMESTAMP,
    MAX_BODY_BYTES,
    SealedBundle,
    SnapshotPart,
    SyncError,
    b64encode,
    content_sha256,
    request_signing_bytes,
)

#: The largest answer read from the relay. Its biggest are a page (about 1 MiB of
#: ciphertext, or one bundle of a push's size) and a snapshot part (4 MiB); a relay that
#: sends more, endless or compressed to explode, is cut off before it fills the memory.
MAX_ANSWER_BYTES = 2 * MAX_BODY_BYTES


class TransportError(SyncError):
    """Base of the transport's failures."""


class Offline(TransportError):
    """The server could not be reached or did not answer."""


class CertificateError(Offline):
    """TLS failed: the server's certificate is not trusted (wrong server or CA setup)."""


class ServerError(TransportError):
    """The server failed (5xx) or answered something that is not the protocol."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class NotASyncServer(ServerError):
    """Something answered at the address, but not a Sosku relay (a 404, a web page)."""


class RequestRejected(TransportError):
    """A 4xx answer: ``code`` is the protocol error code, ``body`` the whole JSON."""

    def __init__(self, status: int, code: str, message: str, body: dict[str, Any]) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.body = body


class Unauthorized(RequestRejected):
    """401: the server does not know this device, or the signature failed."""


class DeviceRevoked(RequestRejected):
    """403 device_revoked: this device was removed from the team."""


class DevicePending(RequestRejected):
    """403 device_pending: an administrator has not approved this device yet."""


class EpochStale(RequestRejected):
    """409 epoch_stale: fetch keys and re-encrypt for ``body["epoch"]``."""


class RotationNeeded(RequestRejected):
    """409 rotation_needed: create epoch current+1 sealed to the active devices first."""


class NoEpoch(RequestRejected):
    """409 no_epoch: the team has no key yet; the first active device creates epoch 1."""


class TooManyAttempts(RequestRejected):
    """429 too_many_attempts: too many wrong join codes; wait ``retry_after`` seconds."""


class ClientTooOld(RequestRejected):
    """426 client_too_old: the relay's administrator requires a newer app version."""

    @property
    def oldest_version(self) -> str:
        return str(self.body.get("oldest_version") or "")


class HistoryCompacted(RequestRejected):
    """410 history_compacted: the relay pruned bundles after this cursor (``pruned_upto``)."""


_BY_CODE: dict[str, type[RequestRejected]] = {
    E_COMPACTED: HistoryCompacted,
    E_DEVICE_REVOKED: DeviceRevoked,
    E_DEVICE_PENDING: DevicePending,
    E_EPOCH_STALE: EpochStale,
    E_ROTATION_NEEDED: RotationNeeded,
    E_NO_EPOCH: NoEpoch,
    E_CLIENT_TOO_OLD: ClientTooOld,
    E_THROTTLED: TooManyAttempts,
}


class InsecureServerUrl(SyncError):
    """The relay address is not ``https://`` (plain http is allowed on loopback only)."""


def check_server_url(url: str) -> str:
    """The relay address without a trailing slash, if it is safe to use.

    Over plain ``http://`` anyone on the network could read the auth
    headers, change answers and act as the relay, so only ``https://`` is
    accepted, except on this machine's loopback (tests, a local relay).
    The join form and ``sosku sync join`` use this one function.
    """
    parsed = urlsplit(url.strip())
    host = (parsed.hostname or "").lower()
    if parsed.scheme == "https" and host:
        return url.strip().rstrip("/")
    if parsed.scheme == "http" and _is_loopback(host):
        return url.strip().rstrip("/")
    raise InsecureServerUrl("the server address must start with https://")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class SyncTransport:
    """Signed calls to one relay for one device of one team."""

    def __init__(
        self,
        base_url: str,
        team_id: str,
        device_id: str,
        device_keys: DeviceKeys,
        *,
        timeout: float = 30.0,
        client: httpx.Client | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.team_id = team_id
        self.device_id = device_id
        self.keys = device_keys
        self.clock = clock
        #: Seconds to add to our clock, learned from a stale_timestamp answer.
        self.clock_offset = 0.0
        self.base_url = check_server_url(base_url)
        self._owns_client = client is None
        self._client = client or httpx.Client(timeout=timeout, verify=_default_tls())
        #: What the relay last said about app versions (its administrator sets them).
        self.newest_version: str | None = None
        self.oldest_version: str | None = None

    # --- API --------------------------------------------------------------------------

    def health(self) -> dict[str, Any]:
        return self._call("GET", "/health", signed=False)

    def check_relay(self) -> None:
        """A Sosku relay answers at this address (NotASyncServer otherwise).

        Asked before a join: a mistyped path or another web server answers
        404 or a web page, which must read "check the address", not "try
        again later". A relay that is there but failing (5xx) stays a
        ServerError, unreachable stays Offline.
        """
        try:
            answer = self.health()
        except RequestRejected as exc:
            raise NotASyncServer(f"no sync relay here (status {exc.status})", exc.status) from None
        except ServerError as exc:
            if exc.status is not None and exc.status >= 500:
                raise
            raise NotASyncServer(f"no sync relay here ({exc})", exc.status) from None
        if "api" not in answer:
            raise NotASyncServer("no sync relay here (not its health answer)", 200)

    def join(self, join_code: str, name: str) -> dict[str, Any]:
        """Enrol this device; returns its roster entry (status ``pending`` at first)."""
        public = self.keys.public
        body = {
            "join_code": join_code,
            "name": name,
            "sign_pub": b64encode(public.sign_pub),
            "box_pub": b64encode(public.box_pub),
        }
        return self._call("POST", "/join", body=body)

    def status(self) -> dict[str, Any]:
        """``{team_id, team_name, epoch, rotation_needed, head_seq, device, server_time}``."""
        return self._call("GET", "/status")

    def devices(self) -> dict[str, Any]:
        """``{devices: [roster entry …], epoch, rotation_needed}``."""
        return self._call("GET", "/devices")

    def get_keys(self) -> dict[str, Any]:
        """``{keys: [{epoch, device_id, sealed, signature, sealed_by}], epoch}``."""
        return self._call("GET", "/keys")

    def put_keys(
        self, items: Iterable[dict[str, Any]], new_epoch: int | None = None
    ) -> dict[str, Any]:
        """Store sealed keys (``crypto.make_key_item``); ``new_epoch`` creates that epoch."""
        return self._call("POST", "/keys", body={"new_epoch": new_epoch, "keys": list(items)})

    def push(self, bundles: Iterable[dict[str, Any] | SealedBundle]) -> dict[str, Any]:
        """``{results: [{bundle_id, server_seq}], head}``; the batch is all-or-nothing."""
        wire = [b.to_wire() if isinstance(b, SealedBundle) else b for b in bundles]
        return self._call("POST", "/bundles", body={"bundles": wire})

    def pull(self, after: int = 0, limit: int | None = None, ack: bool = False) -> dict[str, Any]:
        """``{bundles: [wire + server_seq], next, more, head}``.

        ``ack`` tells the relay that this device holds every bundle up to
        ``after`` (its cursor), which lets compaction pass it.
        """
        params: dict[str, int | str] = {"after": after}
        if limit is not None:
            params["limit"] = limit
        if ack:
            params["ack"] = 1
        return self._call("GET", "/bundles", params=params)

    def snapshots(self) -> dict[str, Any]:
        """``{snapshot: {snapshot_id, server_seq, parts, epoch, device_id} or None, …}``."""
        return self._call("GET", "/snapshots")

    def snapshot_part(self, snapshot_id: str, part: int) -> dict[str, Any]:
        """One sealed part (``protocol.SnapshotPart`` wire form)."""
        return self._call(
            "GET", "/snapshots/part", params={"snapshot_id": snapshot_id, "part": part}
        )

    def put_snapshot_part(self, part: SnapshotPart) -> dict[str, Any]:
        """``{snapshot_id, complete}``; repeating a stored part is harmless."""
        return self._call("POST", "/snapshots", body={"part": part.to_wire()})

    def close(self) -> None:
        if self._owns_client:
            self._client.close()

    def __enter__(self) -> SyncTransport:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- plumbing ---------------------------------------------------------------------

    def _request(
        self,
        method: str,
        path: str,
        content: bytes,
        params: dict[str, int | str] | None,
        signed: bool,
    ) -> httpx.Request:
        api_path = API_PREFIX + path
        request = self._client.build_request(
            method,
            self.base_url + api_path,
            params=params,
            content=content,
            # No compressed answers: a small compressed body can inflate without bound.
            headers={H_CLIENT_VERSION: __version__, "Accept-Encoding": "identity"}
            | ({"Content-Type": "application/json"} if content else {}),
        )
        if signed:
            stamp = str(int(self.clock() + self.clock_offset))
            data = request_signing_bytes(
                method,
                api_path,
                request.url.query.decode("ascii"),
                self.team_id,
                self.device_id,
                stamp,
                content,
            )
            request.headers[H_TEAM] = self.team_id
            request.headers[H_DEVICE] = self.device_id
            request.headers[H_TIMESTAMP] = stamp
            request.headers[H_SIGNATURE] = b64encode(self.keys.sign(data))
            request.headers[H_CONTENT_SHA256] = content_sha256(content)
        return request

    def _send(self, request: httpx.Request) -> _Answer:
        """Send and read the answer, at most ``MAX_ANSWER_BYTES`` of it and never compressed."""
        try:
            response = self._client.send(request, stream=True)
            try:
                self.newest_version = response.headers.get(H_NEWEST_VERSION) or None
                self.oldest_version = response.headers.get(H_OLDEST_VERSION) or None
                return _Answer(response.status_code, _read_capped(response))
            finally:
                response.close()
        except httpx.TransportError as exc:
            if _is_tls_failure(exc):
                raise CertificateError(f"sync server certificate not trusted: {exc}") from exc
            raise Offline(f"sync server not reachable: {type(exc).__name__}") from exc

    def _call(
        self,
        method: str,
        path: str,
        body: Any = None,
        params: dict[str, int | str] | None = None,
        signed: bool = True,
    ) -> dict[str, Any]:
        content = b"" if body is None else json.dumps(body, separators=(",", ":")).encode()
        response = self._send(self._request(method, path, content, params, signed))
        payload = _json(response)
        if response.status_code == 401 and payload.get("error") == E_STALE_TIMESTAMP:
            server_time = payload.get("server_time")
            if isinstance(server_time, int):
                # Our clock is off; sign with the server's time and try once more.
                self.clock_offset = server_time - self.clock()
                response = self._send(self._request(method, path, content, params, signed))
                payload = _json(response)
        if response.status_code >= 500:
            raise ServerError(
                f"server error {response.status_code}: {payload.get('error', '?')}",
                response.status_code,
            )
        if response.status_code >= 400:
            code = str(payload.get("error", "unknown"))
            message = str(payload.get("message", ""))
            if response.status_code == 401:
                raise Unauthorized(401, code, message, payload)
            cls = _BY_CODE.get(code, RequestRejected)
            raise cls(response.status_code, code, message, payload)
        if response.status_code != 200:
            raise ServerError(f"unexpected status {response.status_code}", response.status_code)
        return payload


@functools.cache
def _default_tls() -> ssl.SSLContext:
    """httpx's default trust (its CA bundle, or ``SSL_CERT_FILE``), loaded once per process.

    Every round makes a new transport, and loading the bundle into a fresh
    context took 0.15–0.3 s of each round; a context is safe to share.
    """
    return httpx.create_ssl_context()


def _is_tls_failure(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLCertVerificationError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


@dataclass(frozen=True)
class _Answer:
    """The relay's answer, read in full (within ``MAX_ANSWER_BYTES``)."""

    status_code: int
    content: bytes


def _read_capped(response: httpx.Response) -> bytes:
    """The raw body; ServerError for a compressed one or one over ``MAX_ANSWER_BYTES``."""
    encoding = response.headers.get("content-encoding", "identity").strip().lower()
    if encoding not in ("", "identity"):
        raise ServerError("the answer is compressed, which was not asked for", 0)
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_ANSWER_BYTES:
        raise ServerError("the answer is too large", response.status_code)
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_raw():
        size += len(chunk)
        if size > MAX_ANSWER_BYTES:
            raise ServerError("the answer is too large", response.status_code)
        chunks.append(chunk)
    return b"".join(chunks)


def _json(response: _Answer) -> dict[str, Any]:
    try:
        payload = json.loads(response.content)
    except (ValueError, UnicodeDecodeError, RecursionError):  # nested without end, too
        raise ServerError(
            f"answer is not JSON (status {response.status_code})", response.status_code
        ) from None
    if not isinstance(payload, dict):
        raise ServerError("answer is not a JSON object", response.status_code)
    return payload
