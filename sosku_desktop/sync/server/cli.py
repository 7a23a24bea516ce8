"""``sosku-server``: run the relay and administer teams from the server's shell.

Administration is deliberately not an HTTP API. Approving and revoking
also needs the team's authority key file (``--authority-key`` or
``$SOSKU_AUTHORITY_KEY``): laptops believe only statements signed by it,
so keep that file off the relay host (a USB key, the administrator's own
machine running this CLI against the database URL).

    sosku-server --db sqlite:///relay.db team create "Team North"
    sosku-server --db URL join-code create --team T [--uses N] [--hours H]
    sosku-server --db URL device list --team T
    sosku-server --db URL authority create --team T --key-file admin.key
    sosku-server --db URL authority show --team T
    sosku-server --db URL device approve --team T DEVICE [--fingerprint "1A2B …"]
                                         --authority-key admin.key
    sosku-server --db URL device revoke --team T DEVICE --authority-key admin.key
    sosku-server --db URL status --team T [--stale-days 14] [--json]
    sosku-server --db URL compact [--team T] [--vacuum]
    sosku-server --db URL serve [--host 127.0.0.1] [--port 8765]
                                [--ssl-certfile cert.pem --ssl-keyfile key.pem] …
    sosku-server --db URL check-config [same options as serve]

Every option of ``serve`` also reads ``SOSKU_SERVER_<OPTION>`` from the
environment (``config.py``), which is how the systemd unit configures it.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from nacl.signing import SigningKey
from sqlalchemy.exc import DBAPIError

from sosku_desktop.sync import authority
from sosku_desktop.sync.server import admin_report, admin_text, config, roster, statements
from sosku_desktop.sync.server.envfile import read_env_file
from sosku_desktop.sync.server.errors import Rejected
from sosku_desktop.sync.server.logs import configure
from sosku_desktop.sync.server.storage import Database

DEFAULT_DB = "sqlite:///sosku-server.sqlite3"


#: ``--team`` of every admin command.
TEAM_HELP = "the team id (team create printed it)"


def _parser(env: Mapping[str, str] | None = None) -> argparse.ArgumentParser:
    env = os.environ if env is None else env
    parser = argparse.ArgumentParser(prog="sosku-server", description="Sosku sync relay")
    parser.add_argument(
        "--env-file",
        help="read SOSKU_SERVER_* settings from this file first, as the service does "
        "(e.g. /etc/sosku-relay/relay.env); flags still win",
    )
    parser.add_argument(
        "--db",
        default=env.get("SOSKU_SERVER_DB"),
        help=f"sqlite:///PATH or postgresql://USER@HOST/DB (env SOSKU_SERVER_DB; "
        f"serve's default {DEFAULT_DB})",
    )
    parser.add_argument(
        "--log-level",
        type=config.log_level,
        default=config.FromEnv("SOSKU_SERVER_LOG", env["SOSKU_SERVER_LOG"])
        if "SOSKU_SERVER_LOG" in env
        else "INFO",
        help="DEBUG, INFO (default), WARNING or ERROR (env SOSKU_SERVER_LOG)",
    )
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    sub = parser.add_subparsers(dest="command", required=True)

    team = sub.add_parser("team", help="teams").add_subparsers(dest="action", required=True)
    create = team.add_parser("create", help="create a team; prints its id")
    create.add_argument("name", help='the team\'s name, e.g. "Team North"')

    code = sub.add_parser("join-code", help="join codes").add_subparsers(
        dest="action", required=True
    )
    code_create = code.add_parser("create", help="make a join code; prints it once")
    code_create.add_argument("--team", required=True, help=TEAM_HELP)
    code_create.add_argument(
        "--uses",
        type=int,
        default=1,
        help=f"how many laptops may join with it (default 1, at most {roster.MAX_CODE_USES})",
    )
    code_create.add_argument(
        "--hours",
        type=float,
        default=24.0,
        help=f"how long it is valid (default 24 hours, at most {roster.MAX_CODE_HOURS})",
    )

    auth = sub.add_parser("authority", help="the team authority (signs the roster)")
    auth_actions = auth.add_subparsers(dest="action", required=True)
    auth_create = auth_actions.add_parser("create", help="make the authority key file")
    auth_create.add_argument("--team", required=True, help=TEAM_HELP)
    auth_create.add_argument("--key-file", required=True, help="where to write it (kept 0600)")
    auth_show = auth_actions.add_parser("show", help="the safety number laptops compare")
    auth_show.add_argument("--team", required=True, help=TEAM_HELP)

    _device_and_report_parsers(sub, env)
    serve = sub.add_parser("serve", help="run the HTTP API")
    config.add_serve_options(serve, env)
    check = sub.add_parser("check-config", help="check the settings and the database; no changes")
    config.add_serve_options(check, env)
    return parser


def _device_and_report_parsers(sub: Any, env: Mapping[str, str]) -> None:
    """``device list|approve|revoke``, ``status`` and ``compact``."""
    device = sub.add_parser("device", help="the device roster").add_subparsers(
        dest="action", required=True
    )
    listing = device.add_parser(
        "list", help="devices: fingerprints, acknowledged positions, last seen"
    )
    listing.add_argument("--team", required=True, help=TEAM_HELP)
    approve = device.add_parser("approve", help="approve a pending device")
    approve.add_argument("--team", required=True, help=TEAM_HELP)
    approve.add_argument("device", help="device id or a unique prefix of it")
    approve.add_argument("--fingerprint", help="refuse unless the fingerprint matches")
    revoke = device.add_parser("revoke", help="revoke a device at once (forces key rotation)")
    revoke.add_argument("--team", required=True, help=TEAM_HELP)
    revoke.add_argument("device", help="device id or a unique prefix of it")
    revoke.add_argument(
        "--last-seq", type=int, help="last valid device_seq (default: the relay's newest)"
    )
    for command in (approve, revoke):
        command.add_argument(
            "--authority-key",
            default=env.get("SOSKU_AUTHORITY_KEY"),
            help="the team's authority key file (env SOSKU_AUTHORITY_KEY)",
        )

    status = sub.add_parser("status", help="the team's log, storage and what holds pruning back")
    status.add_argument("--team", required=True, help=TEAM_HELP)
    status.add_argument(
        "--stale-days",
        type=float,
        default=admin_report.STALE_DAYS,
        help="hint about a device unseen this long that holds pruning back",
    )
    compact = sub.add_parser("compact", help="prune what may be pruned now; says how much")
    compact.add_argument("--team", help="one team (default: every team)")
    compact.add_argument(
        "--vacuum",
        action="store_true",
        help="then give the space back (SQLite: VACUUM rewrites the file; PostgreSQL: VACUUM)",
    )
    for command in (listing, status, compact):
        command.add_argument(
            "--json", action="store_true", default=argparse.SUPPRESS, help="machine-readable output"
        )


def _serve(db: Database, args: argparse.Namespace) -> int:
    try:
        import uvicorn
    except ImportError:
        print(
            "sosku-server: serving needs the relay's packages: "
            "pip install 'sosku-desktop[server]' (or requirements/server.txt)",
            file=sys.stderr,
        )
        return 2

    from sosku_desktop.sync.server.app import create_app
    from sosku_desktop.sync.server.guard import GuardedH11Protocol, GuardLimits
    from sosku_desktop.sync.server.throttle import JoinThrottle
    from sosku_desktop.sync.server.versions import VersionPolicy

    problems = [item for item in config.serve_checks(args) if item.problem]
    for item in problems:
        print(f"sosku-server: {item.what}: {item.problem}", file=sys.stderr)
    if problems:
        return 2
    limits = GuardLimits(
        header_timeout=args.header_timeout,
        body_timeout=args.body_timeout,
        connections_per_client=args.connections_per_client,
    )
    throttle = JoinThrottle.create(
        per_address=args.join_failures_per_address,
        per_team=args.join_failures_per_team,
        window_s=args.join_window,
    )
    try:
        versions = VersionPolicy(args.newest_version, args.oldest_version)
    except ValueError as exc:
        print(f"sosku-server: {exc}", file=sys.stderr)
        return 2
    app = create_app(db, throttle, versions, sign_in_failures=args.sign_in_failures_per_address)
    events = app.state.metrics.events
    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        http=GuardedH11Protocol.configured(limits, lambda event: events.labels(event).inc()),
        timeout_graceful_shutdown=args.shutdown_timeout,
        timeout_keep_alive=args.idle_timeout,
        forwarded_allow_ips=args.forwarded_allow_ips,
        ssl_certfile=args.ssl_certfile,
        ssl_keyfile=args.ssl_keyfile,
        log_config=None,
        access_log=False,
        server_header=False,
    )
    return 0


def _signer(args: argparse.Namespace, db: Database) -> SigningKey | None:
    """The authority key from ``--authority-key``, once the team is known to exist."""
    with db.read() as conn:
        roster.require_team(conn, args.team)
    path = getattr(args, "authority_key", None)
    return authority.load_key_file(Path(path), args.team) if path else None


def _authority(args: argparse.Namespace, db: Database) -> int:
    """``authority create`` / ``show``: the key file and the safety number."""
    if args.action == "create":
        with db.read() as conn:
            roster.require_team(conn, args.team)
            if statements.public_key(conn, args.team) is not None:
                raise ValueError("this team already has an authority")
        try:
            key = authority.create_key_file(Path(args.key_file), args.team)
        except FileExistsError:
            raise ValueError(f"{args.key_file} exists; not overwritten") from None
        statements.set_public_key(db, args.team, authority.public_key_of(key))
        public = authority.public_key_of(key)
    else:
        with db.read() as conn:
            roster.require_team(conn, args.team)
            found = statements.public_key(conn, args.team)
        if found is None:
            raise ValueError("this team has no authority yet (authority create)")
        public = found
    number = authority.safety_number(public)
    if args.json:
        print(json.dumps({"team_id": args.team, "safety_number": number}))
    else:
        print(f"team safety number: {number}")
        print("Give it to every worker who joins; their laptop refuses any other authority.")
    return 0


def _run(args: argparse.Namespace, db: Database) -> int:
    out = (lambda obj: print(json.dumps(obj, indent=2))) if args.json else None
    if args.command == "serve":
        return _serve(db, args)
    if args.command == "authority":
        return _authority(args, db)
    if args.command == "team":
        team_id = roster.create_team(db, args.name)
        print(json.dumps({"team_id": team_id}) if out else team_id)
    elif args.command == "join-code":
        code = roster.create_join_code(db, args.team, uses=args.uses, hours=args.hours)
        print(json.dumps({"join_code": code}) if out else code)
    elif args.command == "status":
        with db.read() as conn:
            state = admin_report.team_status(conn, args.team, stale_days=args.stale_days)
        print(json.dumps(state, indent=2) if out else "\n".join(admin_text.status(state)))
    elif args.command == "compact":
        return _compact(args, db)
    elif args.action == "list":
        with db.read() as conn:
            entries = admin_report.devices(conn, args.team)
        print(json.dumps(entries, indent=2) if out else "\n".join(admin_text.devices(entries)))
    elif args.action == "approve":
        signer = _signer(args, db)
        entry = roster.approve(db, args.team, args.device, args.fingerprint, signer)
        if out:
            out(entry)
        else:
            print(f"approved {entry['device_id']} ({entry['name']}) {entry['fingerprint']}")
            print("An active device seals the team keys to it at its next sync.")
    elif args.action == "revoke":
        entry = roster.revoke(db, args.team, args.device, _signer(args, db), args.last_seq)
        if out:
            out(entry)
        else:
            print(f"revoked {entry['device_id']} ({entry['name']})")
            print("The next active device to sync makes a new key epoch without it.")
    return 0


def _compact(args: argparse.Namespace, db: Database) -> int:
    """``compact``: prune every team (or one) now, then optionally VACUUM."""
    with db.read() as conn:
        teams = [args.team] if args.team else admin_report.team_ids(conn)
        for team_id in teams:
            roster.require_team(conn, team_id)
    before = admin_report.file_bytes(db)
    outcomes = [admin_report.compact_now(db, team_id) for team_id in teams]
    if args.vacuum:
        admin_report.vacuum(db)
    after = admin_report.file_bytes(db)
    if args.json:
        print(json.dumps({"teams": outcomes, "file_bytes": [before, after]}, indent=2))
        return 0
    for outcome in outcomes:
        print("\n".join(admin_text.compacted(outcome)))
    if before is not None and after is not None:
        print(f"database file: {admin_text.size(before)} -> {admin_text.size(after)}")
        if not args.vacuum:
            print("(SQLite keeps freed pages in the file: `compact --vacuum` shrinks it)")
    return 0


def _check_config(args: argparse.Namespace) -> int:
    problems = 0
    for item in config.check(args):
        note = f" ({item.note})" if item.note and not item.problem else ""
        print(f"{item.what}: {item.problem or 'ok'}{note}")
        problems += item.problem is not None
    print("configuration ok" if not problems else f"{problems} problem(s)")
    return 1 if problems else 0


def _settings(argv: Sequence[str] | None) -> argparse.Namespace:
    """Parse the command line over the environment and ``--env-file`` (ValueError if unreadable)."""
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--env-file")
    env = dict(os.environ)
    known, _ = pre.parse_known_args(argv)
    if known.env_file:
        env.update(read_env_file(known.env_file))
    args = _parser(env).parse_args(argv)
    problem = config.resolve_env(args)
    if problem:
        raise ValueError(problem)  # named as the administrator wrote it (main: exit 2)
    args.db_given = bool(args.db)
    args.db = args.db or DEFAULT_DB
    return args


def _no_settings(args: argparse.Namespace) -> str | None:
    """Why an admin command must not run on the default database, if it must not.

    Without ``--db``, ``SOSKU_SERVER_DB`` or ``--env-file`` an admin command
    would create ``sosku-server.sqlite3`` in the current folder and, say,
    make a team there that no relay serves.
    """
    if args.db_given or args.command == "serve":
        return None
    path = Path(DEFAULT_DB.removeprefix("sqlite:///"))
    if path.exists():
        return None
    return (
        "no database given: pass --db, set SOSKU_SERVER_DB, or read the service's settings "
        f"with --env-file /etc/sosku-relay/relay.env ({path.resolve()} does not exist)"
    )


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = _settings(argv)
    except ValueError as exc:
        print(f"sosku-server: {exc}", file=sys.stderr)
        return 2
    if args.command == "check-config":
        if not args.db_given:
            print(f"settings: {_no_settings(args) or 'no --db or SOSKU_SERVER_DB: ' + args.db}")
        return _check_config(args)
    problem = _no_settings(args)
    if problem:
        print(f"sosku-server: {problem}", file=sys.stderr)
        return 2
    if args.command == "serve":
        configure(args.log_level)
    try:
        db = Database(args.db)
        db.create_schema()
    except (ValueError, RuntimeError, DBAPIError, OSError) as exc:
        reason = config.database_error(exc, args.db)
        print(f"sosku-server: cannot open the database: {reason}", file=sys.stderr)
        return 2
    try:
        return _run(args, db)
    except Rejected as exc:
        print(f"sosku-server: {exc.message}", file=sys.stderr)
        return 1
    except ValueError as exc:
        print(f"sosku-server: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # a key file's folder missing, a disk full
        where = f": {exc.filename}" if exc.filename else ""
        print(f"sosku-server: {exc.strerror or exc}{where}", file=sys.stderr)
        return 2
    except DBAPIError as exc:  # the database went away mid-command
        print(
            f"sosku-server: database error: {config.database_error(exc, args.db)}", file=sys.stderr
        )
        return 2
    finally:
        db.dispose()


if __name__ == "__main__":
    sys.exit(main())
