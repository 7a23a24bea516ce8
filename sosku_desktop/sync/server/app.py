"""The relay's HTTP API (Starlette): thin handlers over roster, keys and relay.

Each handler reads the body with a hard size limit, authenticates the
signing device, validates the JSON and then runs its blocking database
work in a worker thread. Every refusal is a JSON body ``{"error", "message"}``
with a 4xx status; a 5xx means a bug or an unavailable database, never bad
input.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

import sqlalchemy as sa
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sosku_desktop.sync.protocol import (
    API_PREFIX,
    API_VERSION,
    DEFAULT_PULL_LIMIT,
    E_BAD_JSON,
    E_INTERNAL,
    E_INVALID,
    E_METHOD,
    E_NOT_FOUND,
    E_TOO_LARGE,
    E_UNAVAILABLE,
    H_DEVICE,
    H_TEAM,
    MAX_BODY_BYTES,
    MAX_INT,
    MAX_PULL_LIMIT,
    PUBLIC_KEY_BYTES,
    ProtocolError,
    b64decode,
    check_text,
    require,
)
from sosku_desktop.sync.server import keys, relay, roster, statements
from sosku_desktop.sync.server.auth import Incoming, authenticate, check_signature, read_headers
from sosku_desktop.sync.server.errors import Rejected
from sosku_desktop.sync.server.openapi import document
from sosku_desktop.sync.server.storage import Database

log = logging.getLogger("sosku.server.http")

Handler = Callable[[Database, Incoming], Any]


# --- request helpers ------------------------------------------------------------------


async def read_body(request: Request, limit: int = MAX_BODY_BYTES) -> bytes:
    """The body, refusing with 413 as soon as it is known to be too large."""
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.isdigit():
            raise Rejected(400, E_INVALID, "bad Content-Length")
        if int(declared) > limit:
            raise Rejected(413, E_TOO_LARGE, f"request body over {limit} bytes")
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


def parse_object(body: bytes) -> dict[str, Any]:
    value = parse_json(body)
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


def health(db: Database, incoming: Incoming) -> dict[str, Any]:
    try:
        with db.read() as conn:
            conn.execute(sa.text("SELECT 1"))
    except sa.exc.DBAPIError:
        raise Rejected(503, E_UNAVAILABLE, "the database is not reachable") from None
    return {"status": "ok", "api": API_VERSION}


def openapi(db: Database, incoming: Incoming) -> dict[str, Any]:
    return document()


def join(db: Database, incoming: Incoming) -> dict[str, Any]:
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


def status(db: Database, incoming: Incoming) -> dict[str, Any]:
    caller = authenticate(db, incoming, allow_pending=True)
    with db.read() as conn:
        team = roster.team_status(conn, caller.team_id)
        device = roster.get_device(conn, caller.team_id, caller.device_id)
        signed = statements.served(conn, caller.team_id)
    assert device is not None
    return {
        "team_id": team["team_id"],
        "team_name": team["name"],
        "epoch": team["epoch"],
        "rotation_needed": team["rotation_needed"],
        "head_seq": team["head_seq"],
        "device": roster.device_json(device),
        "server_time": int(time.time()),
        "authority": signed,
    }


def devices(db: Database, incoming: Incoming) -> dict[str, Any]:
    caller = authenticate(db, incoming)
    with db.read() as conn:
        team = roster.team_status(conn, caller.team_id)
        entries = roster.roster(conn, caller.team_id)
        signed = statements.served(conn, caller.team_id)
    return {
        "devices": entries,
        "epoch": team["epoch"],
        "rotation_needed": team["rotation_needed"],
        "authority": signed,
    }


def get_keys(db: Database, incoming: Incoming) -> dict[str, Any]:
    caller = authenticate(db, incoming, allow_pending=True)
    with db.read() as conn:
        team = roster.team_status(conn, caller.team_id)
        items = keys.get_keys(conn, caller.team_id, caller.device_id)
    return {"keys": items, "epoch": team["epoch"]}


def put_keys(db: Database, incoming: Incoming) -> dict[str, Any]:
    caller = authenticate(db, incoming)
    body = parse_object(incoming.body)
    return keys.put_keys(db, caller.team_id, caller.device_id, caller.sign_pub, body)


def push(db: Database, incoming: Incoming) -> dict[str, Any]:
    caller = authenticate(db, incoming)
    body = parse_object(incoming.body)
    raw = _validated(lambda: require(body, "bundles"))
    return relay.push(db, caller.team_id, caller.device_id, caller.sign_pub, raw)


def pull(db: Database, incoming: Incoming) -> dict[str, Any]:
    caller = authenticate(db, incoming)
    after = _query_int(incoming.query, "after", 0, 0, MAX_INT)
    limit = _query_int(incoming.query, "limit", DEFAULT_PULL_LIMIT, 1, MAX_PULL_LIMIT)
    with db.read() as conn:
        return relay.pull(conn, caller.team_id, after, limit)


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    handler: Handler


#: Every route of the API; the OpenAPI document must describe exactly these.
ENDPOINTS = (
    Endpoint("GET", f"{API_PREFIX}/health", health),
    Endpoint("GET", f"{API_PREFIX}/openapi.json", openapi),
    Endpoint("POST", f"{API_PREFIX}/join", join),
    Endpoint("GET", f"{API_PREFIX}/status", status),
    Endpoint("GET", f"{API_PREFIX}/devices", devices),
    Endpoint("GET", f"{API_PREFIX}/keys", get_keys),
    Endpoint("POST", f"{API_PREFIX}/keys", put_keys),
    Endpoint("GET", f"{API_PREFIX}/bundles", pull),
    Endpoint("POST", f"{API_PREFIX}/bundles", push),
)


# --- Starlette glue -------------------------------------------------------------------


def _error(status: int, code: str, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": code, "message": message, **extra}, status_code=status)


def _endpoint(
    db: Database, path: str, handlers: dict[str, Handler]
) -> Callable[[Request], Awaitable[Response]]:
    """One Starlette endpoint for a path; signatures cover the route path itself.

    Using the route path (not the URL the proxy forwarded) keeps signatures
    valid behind a reverse proxy that mounts the API under a prefix.
    """

    async def endpoint(request: Request) -> Response:
        handler = handlers.get(request.method)
        if handler is None:  # HEAD and friends on a known path
            return _error(405, E_METHOD, f"{request.method} is not allowed here")
        try:
            body = await read_body(request)
            incoming = Incoming(
                method=request.method,
                path=path,
                query=request.scope.get("query_string", b"").decode("latin-1"),
                headers={k.lower(): v for k, v in request.headers.items()},
                body=body,
            )
            result = await run_in_threadpool(handler, db, incoming)
        except Rejected as exc:
            return JSONResponse(exc.body(), status_code=exc.status)
        except Exception:
            log.exception("unhandled error", extra={"event": "error", "path": request.url.path})
            return _error(500, E_INTERNAL, "internal server error")
        return JSONResponse(result)

    return endpoint


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    code = {404: E_NOT_FOUND, 405: E_METHOD}.get(exc.status_code, E_INVALID)
    return _error(exc.status_code, code, str(exc.detail))


class AccessLog:
    """One JSON log line per request: method, path, status, ms and the claimed caller."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def capture(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, capture)
        finally:
            headers = {
                k.decode("latin-1").lower(): v.decode("latin-1")
                for k, v in scope.get("headers", [])
            }
            log.info(
                "request",
                extra={
                    "event": "request",
                    "method": scope.get("method"),
                    "path": scope.get("path", "")[:200],
                    "status": status,
                    "ms": round((time.perf_counter() - started) * 1000, 1),
                    "team": headers.get(H_TEAM.lower(), "")[:64] or None,
                    "device": headers.get(H_DEVICE.lower(), "")[:64] or None,
                },
            )


def create_app(db: Database) -> Starlette:
    """The ASGI application over an opened database."""
    by_path: dict[str, dict[str, Handler]] = {}
    for ep in ENDPOINTS:
        by_path.setdefault(ep.path, {})[ep.method] = ep.handler
    routes = [
        Route(path, _endpoint(db, path, handlers), methods=list(handlers))
        for path, handlers in by_path.items()
    ]
    app = Starlette(routes=routes, exception_handlers={HTTPException: _http_error})
    app.add_middleware(AccessLog)
    return app
