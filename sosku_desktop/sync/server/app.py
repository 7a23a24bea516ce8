"""The relay's HTTP API (Starlette): thin handlers over roster, keys and relay.

Each handler reads the body with a hard size limit, authenticates the
signing device, validates the JSON and then runs its blocking database
work in a worker thread. Every refusal is a JSON body ``{"error", "message"}``
with a 4xx status; a 5xx means a bug or an unavailable database, never bad
input.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import parse_qs

import sqlalchemy as sa
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from sosku_desktop.sync.protocol import (
    ACTIVE,
    API_PREFIX,
    API_VERSION,
    DEFAULT_PULL_LIMIT,
    E_BAD_JOIN_CODE,
    E_BAD_JSON,
    E_INTERNAL,
    E_INVALID,
    E_METHOD,
    E_NOT_FOUND,
    E_THROTTLED,
    E_TOO_LARGE,
    E_UNAUTHENTICATED,
    E_UNAVAILABLE,
    H_CLIENT_VERSION,
    H_CONTENT_SHA256,
    H_TEAM,
    ID_RE,
    MAX_BODY_BYTES,
    MAX_INT,
    MAX_PULL_LIMIT,
    MAX_SNAPSHOT_PARTS,
    PUBLIC_KEY_BYTES,
    ProtocolError,
    b64decode,
    check_text,
    check_uuid,
    require,
)
from sosku_desktop.sync.server import keys, observe, relay, roster, snapshots, statements
from sosku_desktop.sync.server.auth import (
    Caller,
    Incoming,
    authenticate,
    check_signature,
    read_headers,
)
from sosku_desktop.sync.server.errors import Rejected
from sosku_desktop.sync.server.observe import AccessLog, Metrics
from sosku_desktop.sync.server.openapi import document
from sosku_desktop.sync.server.storage import Database
from sosku_desktop.sync.server.throttle import JoinThrottle, Throttle
from sosku_desktop.sync.server.versions import VersionPolicy

log = logging.getLogger("sosku.server.http")

Handler = Callable[[Database, Incoming, Caller | None], Any]

#: Who may call a route: anyone, a device enrolling itself, an approved
#: device, or any device on the roster (approved or still pending).
OPEN, JOIN, DEVICE, ENROLLED = "open", "join", "device", "enrolled"
#: Body limits per kind of route (bytes); a GET carries no body at all.
JOIN_BODY_BYTES = 4 * 1024
#: Status logged (never sent) when the client went away mid-request, as nginx does.
CLIENT_GONE = 499
KEYS_BODY_BYTES = 1024 * 1024


# --- request helpers ------------------------------------------------------------------


def declared_length(request: Request, limit: int) -> int | None:
    """The Content-Length, refusing with 413 when it is over ``limit``."""
    declared = request.headers.get("content-length")
    if declared is None:
        return None
    if not declared.isascii() or not declared.isdigit() or len(declared) > 16:
        raise Rejected(400, E_INVALID, "bad Content-Length")
    if int(declared) > limit:
        raise Rejected(413, E_TOO_LARGE, f"request body over {limit} bytes")
    return int(declared)


async def read_body(request: Request, limit: int = MAX_BODY_BYTES) -> bytes:
    """The body, refusing with 413 as soon as it is known to be too large."""
    declared_length(request, limit)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise Rejected(413, E_TOO_LARGE, f"request body over {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def parse_json(body: bytes) -> Any:
    """Strict JSON (UTF-8, no NaN/Infinity); 400 when it does not parse."""
    try:
        return json.loads(body.decode("utf-8"), parse_constant=_no_constants)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise Rejected(400, E_BAD_JSON, "the body is not valid UTF-8 JSON") from None


def parse_object(body: bytes | None) -> dict[str, Any]:
    value = parse_json(body or b"")
    if not isinstance(value, dict):
        raise Rejected(422, E_INVALID, "the body must be a JSON object")
    return value


def _query_int(query: str, name: str, default: int, low: int, high: int) -> int:
    try:
        values = parse_qs(query, keep_blank_values=True, max_num_fields=20).get(name)
    except ValueError:
        raise Rejected(422, E_INVALID, "malformed query string") from None
    if not values:
        return default
    text = values[-1]
    if not text.isascii() or not text.isdigit() or len(text) > 16 or not low <= int(text) <= high:
        raise Rejected(422, E_INVALID, f"{name} must be an integer in {low}..{high}")
    return int(text)


def _validated(fn: Callable[[], Any]) -> Any:
    """Turn a ProtocolError from a field check into a 422."""
    try:
        return fn()
    except ProtocolError as exc:
        raise Rejected(422, exc.code, exc.message) from None


# --- handlers (run in a worker thread) ------------------------------------------------
#
# Signed routes get their ``Caller`` from the glue, which authenticates the
# request from its headers before the body is read.


def _caller(caller: Caller | None) -> Caller:
    assert caller is not None, "the route table gives signed routes a caller"
    return caller


def health(db: Database, incoming: Incoming, caller: Caller | None) -> dict[str, Any]:
    try:
        with db.read() as conn:
            conn.execute(sa.text("SELECT 1"))
    except sa.exc.DBAPIError:
        raise Rejected(503, E_UNAVAILABLE, "the database is not reachable") from None
    return {"status": "ok", "api": API_VERSION}


def openapi(db: Database, incoming: Incoming, caller: Caller | None) -> dict[str, Any]:
    return document()


def join(db: Database, incoming: Incoming, caller: Caller | None) -> dict[str, Any]:
    """Enrol with a join code; the request is signed by the new device's own key."""
    signed = read_headers(incoming)
    body = parse_object(incoming.body)
    code = _validated(lambda: require(body, "join_code"))
    if not isinstance(code, str) or not 1 <= len(code) <= 64:
        raise Rejected(422, E_INVALID, "join_code must be a text")
    name = _validated(lambda: check_text(require(body, "name"), "name"))
    sign_pub = _validated(
        lambda: b64decode(require(body, "sign_pub"), "sign_pub", size=PUBLIC_KEY_BYTES)
    )
    box_pub = _validated(
        lambda: b64decode(require(body, "box_pub"), "box_pub", size=PUBLIC_KEY_BYTES)
    )
    check_signature(incoming, signed, sign_pub)
    return roster.join(
        db,
        team_id=signed.team_id,
        device_id=signed.device_id,
        code=code,
        name=name,
        sign_pub=sign_pub,
        box_pub=box_pub,
    )


def status(db: Database, incoming: Incoming, caller: Caller | None) -> dict[str, Any]:
    """The team's sync state; a device still waiting for approval learns only its own."""
    me = _caller(caller)
    with db.read() as conn:
        device = roster.get_device(conn, me.team_id, me.device_id)
        team = roster.team_status(conn, me.team_id) if me.status == ACTIVE else None
        signed = statements.served(conn, me.team_id)
    if signed is not None and team is None:
        # A pending device pins the authority's key at join, but sees no statements yet.
        signed = {"key": signed["key"], "statements": []}
    assert device is not None
    answer: dict[str, Any] = {
        "device": roster.device_json(device),
        "server_time": int(time.time()),
        "authority": signed,
    }
    if team is not None:
        answer |= {
            "team_id": team["team_id"],
            "team_name": team["name"],
            "epoch": team["epoch"],
            "rotation_needed": team["rotation_needed"],
            "head_seq": team["head_seq"],
        }
    return answer


def devices(db: Database, incoming: Incoming, caller: Caller | None) -> dict[str, Any]:
    me = _caller(caller)
    with db.read() as conn:
        team = roster.team_status(conn, me.team_id)
        entries = roster.roster(conn, me.team_id)
        signed = statements.served(conn, me.team_id)
    return {
        "devices": entries,
        "epoch": team["epoch"],
        "rotation_needed": team["rotation_needed"],
        "authority": signed,
    }


def get_keys(db: Database, incoming: Incoming, caller: Caller | None) -> dict[str, Any]:
    me = _caller(caller)
    with db.read() as conn:
        team = roster.team_status(conn, me.team_id)
        items = keys.get_keys(conn, me.team_id, me.device_id)
    return {"keys": items, "epoch": team["epoch"]}


def put_keys(db: Database, incoming: Incoming, caller: Caller | None) -> dict[str, Any]:
    me = _caller(caller)
    body = parse_object(incoming.body)
    return keys.put_keys(db, me.team_id, me.device_id, me.sign_pub, body)


def push(db: Database, incoming: Incoming, caller: Caller | None) -> dict[str, Any]:
    me = _caller(caller)
    body = parse_object(incoming.body)
    raw = _validated(lambda: require(body, "bundles"))
    return relay.push(db, me.team_id, me.device_id, me.sign_pub, raw)


def pull(db: Database, incoming: Incoming, caller: Caller | None) -> dict[str, Any]:
    me = _caller(caller)
    after = _query_int(incoming.query, "after", 0, 0, MAX_INT)
    limit = _query_int(incoming.query, "limit", DEFAULT_PULL_LIMIT, 1, MAX_PULL_LIMIT)
    ack = _query_int(incoming.query, "ack", 0, 0, 1)
    with db.read() as conn:
        page = relay.pull(conn, me.team_id, after, limit)
    if ack:
        # The device applied everything up to ``after`` (its cursor): compaction may pass it.
        snapshots.note_ack(db, me.team_id, me.device_id, after)
    return page


def snapshot_info(db: Database, incoming: Incoming, caller: Caller | None) -> dict[str, Any]:
    me = _caller(caller)
    with db.read() as conn:
        return snapshots.describe(conn, me.team_id)


def snapshot_part(db: Database, incoming: Incoming, caller: Caller | None) -> dict[str, Any]:
    me = _caller(caller)
    try:
        values = parse_qs(incoming.query, max_num_fields=20).get("snapshot_id") or [""]
    except ValueError:
        raise Rejected(422, E_INVALID, "malformed query string") from None
    snapshot_id = _validated(lambda: check_uuid(values[-1], "snapshot_id"))
    part = _query_int(incoming.query, "part", 0, 0, MAX_SNAPSHOT_PARTS - 1)
    with db.read() as conn:
        return {"part": snapshots.get_part(conn, me.team_id, snapshot_id, part)}


def put_snapshot_part(db: Database, incoming: Incoming, caller: Caller | None) -> dict[str, Any]:
    me = _caller(caller)
    body = parse_object(incoming.body)
    raw = _validated(lambda: require(body, "part"))
    return snapshots.put_part(db, me.team_id, me.device_id, me.sign_pub, raw)


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    handler: Handler
    #: OPEN, JOIN, DEVICE or ENROLLED (see above).
    access: str = DEVICE
    #: Largest body the route reads; 0 for a route without one.
    body_limit: int = 0


#: Every route of the API; the OpenAPI document must describe exactly these.
ENDPOINTS = (
    Endpoint("GET", f"{API_PREFIX}/health", health, OPEN),
    Endpoint("GET", f"{API_PREFIX}/openapi.json", openapi, OPEN),
    Endpoint("POST", f"{API_PREFIX}/join", join, JOIN, JOIN_BODY_BYTES),
    Endpoint("GET", f"{API_PREFIX}/status", status, ENROLLED),
    Endpoint("GET", f"{API_PREFIX}/devices", devices),
    Endpoint("GET", f"{API_PREFIX}/keys", get_keys, ENROLLED),
    Endpoint("POST", f"{API_PREFIX}/keys", put_keys, DEVICE, KEYS_BODY_BYTES),
    Endpoint("GET", f"{API_PREFIX}/bundles", pull),
    Endpoint("POST", f"{API_PREFIX}/bundles", push, DEVICE, MAX_BODY_BYTES),
    Endpoint("GET", f"{API_PREFIX}/snapshots", snapshot_info),
    Endpoint("GET", f"{API_PREFIX}/snapshots/part", snapshot_part),
    Endpoint("POST", f"{API_PREFIX}/snapshots", put_snapshot_part, DEVICE, MAX_BODY_BYTES),
)


# --- Starlette glue -------------------------------------------------------------------


def _error(status: int, code: str, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": code, "message": message, **extra}, status_code=status)


def _client_address(request: Request) -> str:
    # uvicorn has already replaced the peer by X-Forwarded-For when (and only
    # when) the peer is a trusted proxy (--forwarded-allow-ips).
    return request.client.host if request.client else "-"


def _claimed_team(incoming: Incoming) -> str | None:
    team = incoming.headers.get(H_TEAM.lower(), "")
    return team if ID_RE.match(team) else None


def _signed_digest_ok(incoming: Incoming) -> None:
    """A request with a body must sign the body's hash in a header (401 otherwise).

    Without it the relay could not tell who sends the body before reading it.
    """
    digest = incoming.headers.get(H_CONTENT_SHA256.lower())
    length = incoming.headers.get("content-length", "0")
    if digest is None and (length != "0" or "transfer-encoding" in incoming.headers):
        raise Rejected(401, E_UNAUTHENTICATED, f"missing header {H_CONTENT_SHA256}")


#: Failed sign-ins (unknown team or device, a signature that does not verify) per client
#: address in ``SIGN_IN_WINDOW_S`` before that address's signed requests are refused
#: (429) without asking the database: an unauthenticated caller costs a lookup at most
#: this often. A laptop fails one at most per round (e.g. a relay restored from a backup).
#: ``serve --sign-in-failures-per-address`` sets it (0: no cap).
SIGN_IN_FAILURES = 30
SIGN_IN_WINDOW_S = 60.0


async def _before_body(
    db: Database, route: Endpoint, request: Request, head: Incoming, guards: Guards
) -> Caller | None:
    """Everything that can refuse a request before its body is read."""
    address = _client_address(request)
    if route.access == JOIN:
        wait = guards.throttle.retry_after(address, _claimed_team(head))
        if wait:
            raise Rejected(
                429, E_THROTTLED, "too many wrong join codes; try again later", retry_after=wait
            )
    signed = route.access in (DEVICE, ENROLLED)
    if signed:  # cheap refusals first, without the database
        read_headers(head)
        _signed_digest_ok(head)
        wait = guards.sign_ins.retry_after(address)
        if wait:
            raise Rejected(
                429, E_THROTTLED, "too many failed sign-ins; try again later", retry_after=wait
            )
    declared_length(request, route.body_limit)
    if not signed:
        return None
    try:
        return await run_in_threadpool(authenticate, db, head, route.access == ENROLLED)
    except Rejected as exc:
        if exc.status == 401:  # unknown to the roster, or not signed by its key
            guards.sign_ins.failed(address)
        raise


async def _answer(
    db: Database, route: Endpoint, path: str, request: Request, guards: Guards
) -> Response:
    head = Incoming(
        method=request.method,
        path=path,
        query=request.scope.get("query_string", b"").decode("latin-1"),
        headers={k.lower(): v for k, v in request.headers.items()},
        body=None,
    )
    throttle, metrics = guards.throttle, guards.metrics
    try:
        if route.access != OPEN:
            guards.versions.check(head.headers.get(H_CLIENT_VERSION.lower()))
        caller = await _before_body(db, route, request, head, guards)
        incoming = replace(head, body=await read_body(request, route.body_limit))
        if caller is not None:  # the body must be the one whose hash was signed
            check_signature(incoming, read_headers(incoming), caller.sign_pub)
        result = await run_in_threadpool(route.handler, db, incoming, caller)
    except Rejected as exc:
        if route.access == JOIN and exc.code == E_BAD_JOIN_CODE:
            throttle.failed(_client_address(request), _claimed_team(head))
        if exc.code in (E_THROTTLED, E_TOO_LARGE):
            metrics.events.labels("throttled" if exc.code == E_THROTTLED else "too_large").inc()
        return JSONResponse(exc.body(), status_code=exc.status)
    except (sa.exc.OperationalError, sa.exc.InterfaceError) as exc:
        return _database_unavailable(exc, path, metrics)
    except asyncio.CancelledError:
        return _cut_by_shutdown(path)
    except ClientDisconnect:
        metrics.events.labels("disconnect").inc()
        log.info(
            "client disconnected before the request was complete",
            extra={"event": "disconnect", "path": path},
        )
        return Response(status_code=CLIENT_GONE)
    except Exception:
        log.exception("unhandled error", extra={"event": "error", "path": request.url.path})
        return _error(500, E_INTERNAL, "internal server error")
    return JSONResponse(result)


#: Seconds a client is asked to wait when the database does not answer.
DATABASE_RETRY_AFTER = 30


def _database_unavailable(exc: sa.exc.DBAPIError, path: str, metrics: Metrics) -> Response:
    """503 in plain words while the database is away (restart, network cut, locked).

    Not a 500 with a traceback per request: the relay itself is fine, and
    the pool reconnects once the database answers (``pool_pre_ping``). The
    log line carries the exception class, never the driver's text (which
    could quote parameters).
    """
    metrics.events.labels("database_unavailable").inc()
    log.warning(
        "the database did not answer",
        extra={
            "event": "database_unavailable",
            "path": path,
            "exception": type(exc.orig or exc).__name__,
        },
    )
    return JSONResponse(
        {"error": E_UNAVAILABLE, "message": "the database is not reachable; try again later"},
        status_code=503,
        headers={"Retry-After": str(DATABASE_RETRY_AFTER)},
    )


def _cut_by_shutdown(path: str) -> Response:
    """503 for a request still running when the shutdown timeout ends it.

    uvicorn cancels such a request: it answered 500 and logged a traceback
    on every restart that caught a laptop mid-upload. The laptop retries at
    its next round (pushes are idempotent); a write already running in a
    worker thread finishes or rolls back on its own.
    """
    log.info("request cut off by the relay's shutdown", extra={"event": "shutdown", "path": path})
    return JSONResponse(
        {"error": E_UNAVAILABLE, "message": "the relay is restarting; try again later"},
        status_code=503,
        headers={"Retry-After": str(DATABASE_RETRY_AFTER), "Connection": "close"},
    )


@dataclass(frozen=True)
class Guards:
    """What every request passes besides its handler: throttle, metrics, version policy."""

    throttle: JoinThrottle
    metrics: Metrics
    versions: VersionPolicy
    #: Failed sign-ins per client address (``SIGN_IN_FAILURES``).
    sign_ins: Throttle = field(default_factory=lambda: Throttle(SIGN_IN_FAILURES, SIGN_IN_WINDOW_S))


def _endpoint(
    db: Database, path: str, routes: dict[str, Endpoint], guards: Guards
) -> Callable[[Request], Awaitable[Response]]:
    """One Starlette endpoint for a path; signatures cover the route path itself.

    Using the route path (not the URL the proxy forwarded) keeps signatures
    valid behind a reverse proxy that mounts the API under a prefix.
    """

    async def endpoint(request: Request) -> Response:
        route = routes.get(request.method)
        if route is None:  # HEAD and friends on a known path
            return _error(405, E_METHOD, f"{request.method} is not allowed here")
        response = await _answer(db, route, path, request, guards)
        response.headers.update(guards.versions.headers())
        return response

    return endpoint


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    code = {404: E_NOT_FOUND, 405: E_METHOD}.get(exc.status_code, E_INVALID)
    return _error(exc.status_code, code, str(exc.detail))


def create_app(
    db: Database,
    throttle: JoinThrottle | None = None,
    versions: VersionPolicy | None = None,
    sign_in_failures: int = SIGN_IN_FAILURES,
) -> Starlette:
    """The ASGI application over an opened database.

    Besides the API: ``GET /healthz`` (liveness, database reachable) and
    ``GET /metrics`` (Prometheus); ``app.state.metrics`` is the registry.
    """
    throttle = throttle or JoinThrottle.create(per_address=10, per_team=30, window_s=900)
    policy = versions or VersionPolicy()
    by_path: dict[str, dict[str, Endpoint]] = {}
    for ep in ENDPOINTS:
        by_path.setdefault(ep.path, {})[ep.method] = ep
    metrics = Metrics(db, [*by_path, "/healthz", "/metrics"])
    # One sign-in throttle for every route.
    guards = Guards(throttle, metrics, policy, Throttle(sign_in_failures, SIGN_IN_WINDOW_S))
    routes = [
        Route(path, _endpoint(db, path, handlers, guards), methods=list(handlers))
        for path, handlers in by_path.items()
    ]

    async def healthz(request: Request) -> Response:
        return await run_in_threadpool(observe.healthz, db)

    async def metrics_page(request: Request) -> Response:
        return await run_in_threadpool(observe.metrics_response, metrics, request)

    routes += [
        Route("/healthz", healthz, methods=["GET"]),
        Route("/metrics", metrics_page, methods=["GET"]),
    ]
    app = Starlette(routes=routes, exception_handlers={HTTPException: _http_error})
    # No 307 to "/v1/bundles" for "/v1/bundles/": Starlette builds that Location
    # from the caller's Host header. The API has no slash variants.
    app.router.redirect_slashes = False
    app.add_middleware(AccessLog, metrics=metrics)
    app.state.metrics = metrics
    return app
