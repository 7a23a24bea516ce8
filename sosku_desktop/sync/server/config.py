"""The relay's settings: command-line options, each with an environment default.

A service reads its settings from an environment file (systemd's
``EnvironmentFile=/etc/sosku-relay/relay.env``); every option of ``serve``
can be given there as ``SOSKU_SERVER_<OPTION>`` (``--body-timeout`` →
``SOSKU_SERVER_BODY_TIMEOUT``), and a flag on the command line wins.
``sosku-server check-config`` checks the same settings without serving.
"""

from __future__ import annotations

import argparse
import ipaddress
import math
import os
import socket
import sqlite3
import ssl
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from sosku_desktop.sync.protocol import version_tuple
from sosku_desktop.sync.server import schema
from sosku_desktop.sync.server.storage import Database, normalize_url

ENV_PREFIX = "SOSKU_SERVER_"


@dataclass(frozen=True)
class Option:
    flag: str
    kind: Callable[[str], Any]
    default: Any
    help: str


SERVE_OPTIONS = (
    Option("--host", str, "127.0.0.1", "address to listen on"),
    Option("--port", int, 8765, "port to listen on"),
    Option("--ssl-certfile", str, None, "serve HTTPS with this certificate chain (PEM)"),
    Option("--ssl-keyfile", str, None, "the certificate's private key (PEM)"),
    Option("--header-timeout", float, 10.0, "seconds a client has for its headers"),
    Option("--body-timeout", float, 120.0, "seconds a client has for a body"),
    Option("--idle-timeout", int, 5, "seconds an idle kept-alive connection stays open"),
    Option(
        "--connections-per-client",
        int,
        64,
        "open connections one address may hold (0: no cap, e.g. behind a proxy)",
    ),
    Option("--join-failures-per-address", int, 10, "wrong join codes per address per window → 429"),
    Option("--join-failures-per-team", int, 30, "wrong join codes per team per window → 429"),
    Option("--join-window", float, 900.0, "the join throttle's window (seconds)"),
    Option(
        "--sign-in-failures-per-address",
        int,
        30,
        "failed sign-ins per address per minute, then 429 before the database (0: no cap)",
    ),
    Option("--shutdown-timeout", int, 30, "on SIGTERM, seconds for running requests to finish"),
    Option(
        "--forwarded-allow-ips",
        str,
        "127.0.0.1",
        "proxies whose X-Forwarded-For is believed for the client address",
    ),
    Option("--newest-version", str, None, "newest app version (clients say an update exists)"),
    Option("--oldest-version", str, None, "oldest app version allowed to sync"),
)


def env_name(flag: str) -> str:
    return ENV_PREFIX + flag.lstrip("-").replace("-", "_").upper()


@dataclass(frozen=True)
class FromEnv:
    """A setting's value as written in the environment (or ``--env-file``), not yet converted.

    Given to argparse as a default it is left alone (argparse converts only
    string defaults, and then blames the command-line flag for a bad one:
    "argument --body-timeout: invalid float value" for a line of relay.env
    that says ``SOSKU_SERVER_BODY_TIMEOUT=2m``); ``resolve_env`` converts it
    and names the variable the administrator wrote.
    """

    name: str
    text: str


def add_serve_options(parser: argparse.ArgumentParser, env: Mapping[str, str]) -> None:
    for option in SERVE_OPTIONS:
        name = env_name(option.flag)
        raw = env.get(name)
        parser.add_argument(
            option.flag,
            type=option.kind,
            default=option.default if raw is None else FromEnv(name, raw),
            help=f"{option.help} (env {name}; default {option.default})",
        )


def resolve_env(args: argparse.Namespace) -> str | None:
    """Convert the settings taken from the environment; the problem in the admin's words.

    Records in ``args.setting_names`` which name each setting came under
    (the variable for one from the environment, else the flag), so that the
    checks below name what the administrator actually wrote.
    """
    names: dict[str, str] = {}
    settings = [(o.flag, o.kind) for o in SERVE_OPTIONS] + [("--log-level", log_level)]
    for flag, kind in settings:
        dest = flag.lstrip("-").replace("-", "_")
        value = getattr(args, dest, None)
        names[dest] = flag
        if not isinstance(value, FromEnv):
            continue
        names[dest] = value.name
        try:
            setattr(args, dest, kind(value.text))
        except (ValueError, TypeError, argparse.ArgumentTypeError) as exc:
            why = str(exc) if isinstance(exc, argparse.ArgumentTypeError) else ""
            why = why or f"not a valid {getattr(kind, '__name__', 'value')}"
            return f"{value.name}={value.text!r} (environment or --env-file): {why}"
    args.setting_names = names
    return None


def named(args: argparse.Namespace, dest: str) -> str:
    """The name a setting was given under: ``SOSKU_SERVER_X`` from the environment, or ``--x``."""
    names = getattr(args, "setting_names", {})
    return str(names.get(dest, "--" + dest.replace("_", "-")))


@dataclass(frozen=True)
class Check:
    what: str
    problem: str | None  # None when fine
    note: str | None = None  # said after "ok"


def database_error(exc: BaseException, url: str) -> str:
    """The driver's own words (``database "x" does not exist``), never the password.

    A bare exception class name told an administrator nothing; the
    driver's message does, but the URL may carry a password, which must
    not reach a terminal log or a ticket.
    """
    reason = str(getattr(exc, "orig", None) or exc).strip()
    reason = reason.split("\n(Background on this error", 1)[0]
    try:
        password = sa.engine.make_url(normalize_url(url)).password
    except (ValueError, sa.exc.ArgumentError):
        password = None
    if password:
        reason = reason.replace(str(password), "***")
    return " ".join(reason.split()) or type(exc).__name__


def _sqlite_path(url: str) -> Path | None:
    """The SQLite file the URL names (None for PostgreSQL or an in-memory database)."""
    parsed = sa.engine.make_url(normalize_url(url))
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    return None if parsed.database == ":memory:" else Path(parsed.database)


def _sqlite_missing(path: Path) -> Check:
    """A SQLite file that does not exist yet: say so, without creating it.

    ``check-config`` promises no changes, so it must not open (and create)
    the file; ``serve`` creates it 0600 (and its folder 0700).
    """
    existing = path.parent
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir() or not os.access(existing, os.W_OK | os.X_OK):
        return Check("database", f"cannot create {path}: {existing} is not a writable folder")
    return Check("database", None, f"{path} does not exist yet; serve creates it")


def _sqlite_read_only(path: Path) -> Check:
    """Read the schema version of an existing SQLite file without changing a byte.

    The relay's own engine would switch the file to WAL and leave -wal/-shm
    files behind. Opened ``mode=ro`` while a relay holds it (its side files
    exist), else ``immutable=1``: a file nobody holds is complete by itself,
    and a read-only open of a WAL file would otherwise create side files.
    """
    held = any(Path(f"{path}{end}").exists() for end in ("-wal", "-shm", "-journal"))
    flag = "mode=ro" if held else "immutable=1"
    try:
        conn = sqlite3.connect(f"file:{quote(str(path))}?{flag}", uri=True, timeout=5)
    except sqlite3.Error as exc:
        return Check("database", f"cannot open {path}: {exc}")
    try:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        if schema.server_meta.name not in tables:
            return Check("database", None)  # empty: serve creates the tables
        found = conn.execute(
            f"SELECT value FROM {schema.server_meta.name} WHERE key = 'schema_version'"
        ).fetchone()
    except sqlite3.Error as exc:
        return Check("database", f"cannot read {path}: {exc}")
    finally:
        conn.close()
    return _schema_check(found[0] if found else None)


def _schema_check(found: object) -> Check:
    if found is not None and int(str(found)) > schema.SCHEMA_VERSION:
        return Check("database", f"schema {found} is newer than this relay")
    return Check("database", None)


def _database(url: str) -> Check:
    try:
        path = _sqlite_path(url)
    except (ValueError, sa.exc.ArgumentError) as exc:
        return Check("database URL", database_error(exc, url))
    if path is not None:
        return _sqlite_read_only(path) if path.exists() else _sqlite_missing(path)
    try:
        db = Database(url)
    except (ValueError, RuntimeError) as exc:
        return Check("database URL", database_error(exc, url))
    try:
        with db.read() as conn:
            if not sa.inspect(conn).has_table(schema.server_meta.name):
                return Check("database", None)  # empty: serve creates the tables
            meta = schema.server_meta
            found = conn.execute(
                sa.select(meta.c.value).where(meta.c.key == "schema_version")
            ).scalar()
        return _schema_check(found)
    except DBAPIError as exc:
        return Check("database", f"not reachable: {database_error(exc, url)}")
    finally:
        db.dispose()


def _tls(args: argparse.Namespace) -> Check:
    if not args.ssl_certfile and not args.ssl_keyfile:
        return Check("TLS", None)  # plain HTTP, e.g. behind a reverse proxy
    if bool(args.ssl_certfile) != bool(args.ssl_keyfile):
        given, missing = ("ssl_certfile", "ssl_keyfile")[:: 1 if args.ssl_certfile else -1]
        mate = "--" + missing.replace("_", "-")
        if named(args, given).startswith(ENV_PREFIX):  # the admin writes the env file
            mate = env_name(mate)
        pair = f"{named(args, given)} and {mate}"
        return Check("TLS", f"{pair} go together")
    try:
        ssl.create_default_context(ssl.Purpose.CLIENT_AUTH).load_cert_chain(
            args.ssl_certfile, args.ssl_keyfile
        )
    except (OSError, ssl.SSLError) as exc:
        return Check("TLS", f"certificate or key unusable: {exc}")
    return Check("TLS", None)


def _listen(args: argparse.Namespace) -> Check:
    if not 0 < args.port < 65536:
        return Check("listen address", f"{named(args, 'port')}: {args.port} is out of range")
    try:
        socket.getaddrinfo(args.host, args.port, type=socket.SOCK_STREAM)
    except OSError:
        return Check("listen address", f"{args.host} is not an address of this machine")
    return Check("listen address", None)


def _limits(args: argparse.Namespace) -> Check:
    positive = ("header_timeout", "body_timeout", "idle_timeout", "join_window")
    # "nan" and "inf" parse as floats; a deadline of either never fires.
    bad = [
        named(args, name)
        for name in positive
        if not (math.isfinite(getattr(args, name)) and getattr(args, name) > 0)
    ]
    bad += [
        named(args, name)
        for name in (
            "connections_per_client",
            "join_failures_per_address",
            "sign_in_failures_per_address",
            "shutdown_timeout",
        )
        if getattr(args, name) < 0
    ]
    for text in str(args.forwarded_allow_ips).split(","):
        if text.strip() != "*":
            try:
                ipaddress.ip_network(text.strip(), strict=False)
            except ValueError:
                bad.append(f"{named(args, 'forwarded_allow_ips')} ({text.strip()})")
    return Check("limits", f"not valid: {', '.join(bad)}" if bad else None)


def _versions(args: argparse.Namespace) -> Check:
    try:
        newest = version_tuple(args.newest_version) if args.newest_version else None
        oldest = version_tuple(args.oldest_version) if args.oldest_version else None
    except ValueError as exc:
        which = "oldest" if args.oldest_version and _bad_version(args.oldest_version) else "newest"
        return Check("app versions", f"{named(args, which + '_version')}: {exc}")
    if newest and oldest and oldest > newest:
        return Check("app versions", "the oldest allowed version is newer than the newest")
    return Check("app versions", None)


def _bad_version(text: str) -> bool:
    try:
        version_tuple(text)
    except ValueError:
        return True
    return False


def check(args: argparse.Namespace) -> list[Check]:
    """Every check of ``check-config``, in the order they are printed."""
    return [_database(args.db), *serve_checks(args)]


def serve_checks(args: argparse.Namespace) -> list[Check]:
    """The checks ``serve`` also makes before it starts (the database it opens itself).

    Without them a port out of range or a ``nan`` deadline surfaced as a
    traceback from deep inside uvicorn, or as a deadline that never fires.
    """
    return [_tls(args), _listen(args), _limits(args), _versions(args)]


def log_level(text: str) -> str:
    """``--log-level``: a level name logging knows, else argparse's plain refusal."""
    name = text.strip().upper()
    if name not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
        raise argparse.ArgumentTypeError("use DEBUG, INFO, WARNING, ERROR or CRITICAL")
    return name
