"""``sosku sync …``: join a team, show the state, sync now, list and resolve conflicts.

Exit codes: 0 done (up to date or changes still waiting), 1 the sync
failed (offline, revoked, refused …; the reason is printed in plain
words), 2 bad input or a storage problem, 3 waiting for approval or for
another device to share the team key.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sosku_desktop import i18n
from sosku_desktop.commands import Command, data_dir_option, typed_args
from sosku_desktop.commands.common import open_store
from sosku_desktop.operations.sync import join_team, resolve_conflict, sync_round
from sosku_desktop.store import conflict_list, sync_state
from sosku_desktop.store.database import Store
from sosku_desktop.sync.authority import is_safety_number
from sosku_desktop.sync.client import SyncClient, SyncState
from sosku_desktop.sync.messages import (
    authority_lines,
    explain_error,
    failure_lines,
    report_text,
    state_text,
    trust_lines,
)
from sosku_desktop.sync.protocol import SyncError
from sosku_desktop.sync.transport import DeviceRevoked

_WAITING = (SyncState.PENDING_APPROVAL, SyncState.WAITING_FOR_KEYS, SyncState.NO_KEY_HOLDER)


@dataclass(frozen=True)
class SyncArgs:
    data_dir: Path
    #: ``sosku --lang`` (the global option); None: the default language.
    lang: str | None


@dataclass(frozen=True)
class JoinArgs:
    server: str
    team: str
    code: str
    name: str
    #: The team's safety number from the administrator (checked against the relay's).
    authority: str | None


@dataclass(frozen=True)
class ResolveArgs:
    conflict: int
    use: str


def _with_store(args: argparse.Namespace, work: Callable[[Store, str], int]) -> int:
    common = typed_args(SyncArgs, args)
    lang = common.lang or i18n.DEFAULT_LANGUAGE
    store = open_store(common.data_dir, lang=lang)
    try:
        return work(store, lang)
    except SyncError as error:
        print(explain_error(error, lang), file=sys.stderr)
        if isinstance(error, DeviceRevoked):  # what stays unsent here, and what to do
            outbox = SyncClient(store).status().outbox
            print(state_text(SyncState.REVOKED, lang, outbox), file=sys.stderr)
        return 1
    finally:
        store.close()


def run_join(args: argparse.Namespace) -> int:
    a = typed_args(JoinArgs, args)
    if a.authority is not None and not is_safety_number(a.authority):
        # A typo, not another team: said before anything is made or sent (as the app's form).
        lang = typed_args(SyncArgs, args).lang or i18n.DEFAULT_LANGUAGE
        print(i18n.tr("sync.error.bad_safety_number", lang), file=sys.stderr)
        return 2

    def work(store: Store, lang: str) -> int:
        client = SyncClient(store)
        joined = join_team(client, a.server, a.team, a.code, a.name, a.authority)
        fingerprint = joined.fingerprint
        print(i18n.tr("sync.joined", lang))
        print(i18n.tr("sync.fingerprint", lang, fingerprint=fingerprint))
        status = client.status()
        for line in authority_lines(status.authority, status.authority_confirmed, lang):
            print(line)
        return 0

    return _with_store(args, work)


def run_status(args: argparse.Namespace) -> int:
    def work(store: Store, lang: str) -> int:
        status = SyncClient(store).status()
        tr = i18n.tr
        print(state_text(status.state, lang, status.outbox))
        failed = status.last_failure
        when = i18n.format_datetime(failed.at, lang) if failed else ""
        for line in failure_lines(failed, when, lang):
            print(line)
        if status.joined:
            print(tr("sync.status.server", lang, url=status.server_url, team=status.team_id))
            print(tr("sync.status.device", lang, name=status.device_name, id=status.device_id))
            print(tr("sync.fingerprint", lang, fingerprint=status.fingerprint))
            where = (
                "sync.status.keys_keyring" if status.keys_in_keyring else "sync.status.keys_store"
            )
            print(tr(where, lang))
            for line in authority_lines(status.authority, status.authority_confirmed, lang):
                print(line)
            for line in trust_lines(status.trust_problems, lang):
                print(line)
        last = i18n.format_datetime(status.last_sync, lang) if status.last_sync else "–"
        print(tr("sync.status.last_sync", lang, when=last))
        print(tr("sync.status.outbox", lang, n=status.outbox))
        print(tr("sync.status.conflicts", lang, n=status.open_conflicts))
        print(tr("sync.status.quarantined", lang, n=status.quarantined))
        with store.read() as r:
            for row in sync_state.quarantined(r.conn):
                print(
                    tr(
                        "sync.status.quarantine_line",
                        lang,
                        reason=tr(f"sync.reason.{row.reason}", lang),
                        device=row.device_id,
                        seq=row.device_seq,
                    )
                )
        return 0

    return _with_store(args, work)


def run_now(args: argparse.Namespace) -> int:
    def work(store: Store, lang: str) -> int:
        report = sync_round(SyncClient(store)).report
        for line in report_text(report, lang):
            print(line)
        return 3 if report.state in _WAITING else 0

    return _with_store(args, work)


def run_conflicts(args: argparse.Namespace) -> int:
    """Open conflicts by client name and field in the worker's language, with both values
    (each client's record shown is logged as a view)."""

    def work(store: Store, lang: str) -> int:
        rows = conflict_list.show_open_entries(store)
        if not rows:
            print(i18n.tr("sync.conflicts.none", lang))
        for row in rows:
            print(
                i18n.tr(
                    "store.conflict.line",
                    lang,
                    id=row.id,
                    record=conflict_list.record_label(row, lang),
                    field=conflict_list.field_label(row.column, lang),
                    kept=json.dumps(row.kept_value, ensure_ascii=False),
                    other=json.dumps(row.other_value, ensure_ascii=False),
                )
            )
        return 0

    return _with_store(args, work)


def run_resolve(args: argparse.Namespace) -> int:
    a = typed_args(ResolveArgs, args)

    def work(store: Store, lang: str) -> int:
        resolve_conflict(store, a.conflict, use_other=a.use == "other")
        print(i18n.tr(f"sync.resolved.{a.use}", lang, id=a.conflict))
        return 0

    return _with_store(args, work)


_RUNS = {
    "join": run_join,
    "status": run_status,
    "now": run_now,
    "conflicts": run_conflicts,
    "resolve": run_resolve,
}


def configure(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="sync_action", metavar="ACTION", required=True)
    join = actions.add_parser("join", help="join a team; prints the fingerprint to compare")
    data_dir_option(join)
    join.add_argument("--server", required=True, metavar="URL", help="sync server address")
    join.add_argument("--team", required=True, metavar="TEAM_ID", help="team id from the admin")
    join.add_argument("--code", required=True, metavar="CODE", help="join code from the admin")
    join.add_argument("--name", required=True, metavar="NAME", help="this laptop's name")
    join.add_argument(
        "--authority",
        metavar="SAFETY_NUMBER",
        help="the team safety number from the admin (the server must show the same)",
    )
    data_dir_option(actions.add_parser("status", help="the sync state, without the network"))
    data_dir_option(actions.add_parser("now", help="sync now (push, pull, apply)"))
    data_dir_option(actions.add_parser("conflicts", help="concurrent edits to look at"))
    resolve = actions.add_parser("resolve", help="close a conflict: keep or take the other")
    data_dir_option(resolve)
    resolve.add_argument(
        "--conflict", required=True, type=int, metavar="N", help="number from sync conflicts"
    )
    resolve.add_argument(
        "--use",
        required=True,
        choices=("kept", "other"),
        help="kept: the value shown now; other: the other device's value",
    )


def run(args: argparse.Namespace) -> int:
    return _RUNS[str(args.sync_action)](args)


COMMANDS = (
    Command("sync", "team sync: sosku sync join|status|now|conflicts|resolve", configure, run),
)
