"""What an operator sees of the relay: the access log, Prometheus metrics, /healthz.

Labels carry the route *template* (one of the API's fixed paths, else
``other``), the method and the HTTP status — never a team or device id,
so a metrics scrape tells how the relay is doing, not who uses it. The
log line still names the claimed team and device: that is what an
administrator needs to help a worker, and it stays on the server.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable

import sqlalchemy as sa
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sosku_desktop.sync.protocol import H_DEVICE, H_TEAM
from sosku_desktop.sync.server import schema
from sosku_desktop.sync.server.storage import Database

log = logging.getLogger("sosku.server.http")
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


#: Seconds a count of the database's rows serves scrapes (a Prometheus interval is 15-60 s).
COUNTS_MAX_AGE_S = 10.0


class StoredCounts(Collector):
    """Bundles, teams and devices (per status) in the database, counted at scrape time.

    Read from the database rather than counted in the process, so several
    relays on one PostgreSQL report the same totals. ``/metrics`` needs no
    credentials, and ``count(*)`` over millions of bundles is a scan: a
    flood of scrapes used to run one scan each, in parallel, in the worker
    threads the API needs. Now one count at a time, reused for
    ``COUNTS_MAX_AGE_S``; ``sosku_relay_counted_at_seconds`` says when it was made.
    """

    def __init__(self, db: Database, max_age_s: float = COUNTS_MAX_AGE_S) -> None:
        self.db = db
        self.max_age_s = max_age_s
        self._lock = threading.Lock()
        self._made: float | None = None
        self._families: list[GaugeMetricFamily] = []

    def collect(self) -> Iterable[GaugeMetricFamily]:
        with self._lock:  # scrapes arriving meanwhile wait for this count and share it
            now = time.monotonic()
            if self._made is None or now - self._made >= self.max_age_s:
                self._families = self._count()
                self._made = time.monotonic()
            families = self._families
        yield from families

    def _count(self) -> list[GaugeMetricFamily]:
        bundles = GaugeMetricFamily("sosku_relay_bundles", "Bundles stored in the database")
        teams = GaugeMetricFamily("sosku_relay_teams", "Teams in the database")
        devices = GaugeMetricFamily(
            "sosku_relay_devices", "Devices on the rosters, per status", labels=["status"]
        )
        up = GaugeMetricFamily("sosku_relay_database_up", "1 when the database answered")
        counted = GaugeMetricFamily(
            "sosku_relay_counted_at_seconds", "Unix time the stored counts were made"
        )
        counted.add_metric([], time.time())
        try:
            with self.db.read() as conn:
                bundles.add_metric(
                    [],
                    conn.execute(
                        sa.select(sa.func.count()).select_from(schema.bundles)
                    ).scalar_one(),
                )
                teams.add_metric(
                    [],
                    conn.execute(sa.select(sa.func.count()).select_from(schema.teams)).scalar_one(),
                )
                rows = conn.execute(
                    sa.select(schema.devices.c.status, sa.func.count()).group_by(
                        schema.devices.c.status
                    )
                ).all()
            for status, count in rows:
                devices.add_metric([str(status)], count)
            up.add_metric([], 1)
        except sa.exc.DBAPIError:
            up.add_metric([], 0)
            return [up, counted]
        return [bundles, teams, devices, up, counted]


class Metrics:
    """The relay's metrics, in a registry of its own (one per app)."""

    def __init__(self, db: Database, routes: Iterable[str]) -> None:
        self.routes = frozenset(routes)
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "sosku_relay_requests",
            "HTTP requests answered, per route, method and status",
            ["route", "method", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "sosku_relay_request_seconds",
            "Time to answer a request, per route and method",
            ["route", "method"],
            registry=self.registry,
        )
        self.events = Counter(
            "sosku_relay_events",
            "Refusals and cut-offs: disconnect, timeout, throttled, too_large, connection_limit, "
            "refused_body, "
            "database_unavailable",
            ["event"],
            registry=self.registry,
        )
        self.registry.register(StoredCounts(db))

    def route_of(self, path: str) -> str:
        return path if path in self.routes else "other"

    def observe(self, path: str, method: str, status: int, seconds: float) -> None:
        route = self.route_of(path)
        method = method if method in ("GET", "POST", "HEAD", "PUT", "DELETE") else "other"
        self.requests.labels(route, method, str(status)).inc()
        self.latency.labels(route, method).observe(seconds)

    def render(self) -> bytes:
        return generate_latest(self.registry)


class AccessLog:
    """One JSON log line and one metrics sample per request."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

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
            seconds = time.perf_counter() - started
            path = scope.get("path", "")
            self.metrics.observe(path, str(scope.get("method")), status, seconds)
            log.info(
                "request",
                extra={
                    "event": "request",
                    "method": scope.get("method"),
                    "path": path[:200],
                    "status": status,
                    "ms": round(seconds * 1000, 1),
                    "team": headers.get(H_TEAM.lower(), "")[:64] or None,
                    "device": headers.get(H_DEVICE.lower(), "")[:64] or None,
                },
            )


def healthz(db: Database) -> Response:
    """Liveness for a load balancer or systemd: 200 when the database answers, else 503."""
    try:
        with db.read() as conn:
            conn.execute(sa.text("SELECT 1"))
    except sa.exc.DBAPIError:
        return JSONResponse({"status": "unavailable", "database": "unreachable"}, 503)
    return JSONResponse({"status": "ok", "database": "ok"})


def metrics_response(metrics: Metrics, request: Request) -> Response:
    return Response(metrics.render(), media_type=CONTENT_TYPE)
