"""Every read that puts a client's record in front of a person writes an access-log row.

The reads are enumerated, not sampled: every ``sosku`` command and every
document kind is run end to end on a real encrypted demo store (twelve
clients with names and identity codes), and every client whose name or
identity code is in what the command printed or wrote must have a new
access-log row from that run. The operations the UI reads through are
classified one by one (``UI_READS``); a new command, document kind or
operation that is in no list fails ``test_every_read_path_is_classified``
until someone decides how it is logged.
"""

from __future__ import annotations

import contextlib
import dataclasses
import importlib
import inspect
import io
import os
import pkgutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import keyring
import pytest

import sosku_desktop.operations as operations_package
from sosku_desktop import __version__, logfile
from sosku_desktop.app import main
from sosku_desktop.commands import all_commands
from sosku_desktop.documents import FORMATS, KINDS, DocumentError
from sosku_desktop.documents.kinds import FEEDBACK, VISIT_ENTRY
from sosku_desktop.documents.registry import build_document
from sosku_desktop.domain import codes, models
from sosku_desktop.operations import assessments, calendar, documents, groups, sync
from sosku_desktop.store import keys, sync_state
from sosku_desktop.store.database import Store
from sosku_desktop.store.demo import DEMO_PASSPHRASE, build_demo
from sosku_desktop.store.errors import NotFoundError
from sosku_desktop.store.records import open_client_record
from sosku_desktop.sync.client import SyncClient
from tests.conftest import MemoryKeyring

TODAY = date.today()
MONTH = f"{TODAY.year}-{TODAY.month:02d}"


@dataclass
class Demo:
    data_dir: Path
    store: Store
    clients: list[models.Client]

    def audit_ids(self) -> set[str]:
        with self.store.read() as r:
            return {e.id for e in r.list(models.AuditEntry)}

    def new_rows(self, before: set[str]) -> list[models.AuditEntry]:
        with self.store.read() as r:
            return [e for e in r.list(models.AuditEntry) if e.id not in before]

    def named_in(self, text: str) -> set[str]:
        """Clients whose identity code, or first and last name, are in ``text``."""
        return {
            c.id
            for c in self.clients
            if (c.identity_code and c.identity_code in text)
            or (c.first_name in text and c.last_name in text)
        }


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())  # never the developer's keyring, even module-wide
    data_dir = tmp_path_factory.mktemp("audited") / "demo"
    store = build_demo(data_dir, today=TODAY)
    with store.read() as r:
        clients = r.clients()
    try:
        yield Demo(data_dir, store, clients)
    finally:
        store.close()
        keyring.set_keyring(previous)


@pytest.fixture(scope="module")
def log_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("logs")


@pytest.fixture(autouse=True)
def environment(monkeypatch: pytest.MonkeyPatch, log_folder: Path) -> None:
    """The commands open the demo store with its passphrase (the test's keyring is empty)
    and log everything down to DEBUG into a folder of this module's own."""
    monkeypatch.setenv(keys.PASSPHRASE_ENV, DEMO_PASSPHRASE)
    monkeypatch.setenv("SOSKU_LOG_DIR", str(log_folder))
    monkeypatch.setenv("SOSKU_LOG_LEVEL", "DEBUG")


def run_command(demo: Demo, argv: list[str]) -> str:
    """``sosku ARGV`` in this process; what it printed (stdout and stderr).

    The log file it wrote to is read afterwards: the worker's own terminal
    may show the data, the log (what support gets) must hold none of it.
    """
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(argv)
    finally:
        logfile.close()
    assert code == 0, err.getvalue()
    assert f"start {__version__} {argv[0]}" in assert_log_clean(demo)  # really this log
    return out.getvalue() + err.getvalue()


def assert_log_clean(demo: Demo) -> str:
    """The log folder's text, after checking that no client's name or code is in it."""
    folder = Path(os.environ["SOSKU_LOG_DIR"])
    logged = "".join(f.read_text(encoding="utf-8") for f in sorted(folder.iterdir()))
    assert demo.named_in(logged) == set(), "client data in the log file"
    assert [c.id for c in demo.clients if c.last_name in logged] == []
    return logged


def file_text(path: Path) -> str:
    if path.suffix == ".pdf":
        done = subprocess.run(
            ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True
        )
        return done.stdout.decode()
    return path.read_text(encoding="utf-8")


def assert_logged(demo: Demo, before: set[str], shown: str, actions: set[str]) -> set[str]:
    """Every client named in ``shown`` has a new row with one of ``actions``; returns them."""
    rows = demo.new_rows(before)
    logged = {e.client_id for e in rows if e.action in actions and e.client_id}
    named = demo.named_in(shown)
    assert named, "the read showed no client: the check would prove nothing"
    assert named <= logged, f"shown without an access-log row: {sorted(named - logged)}"
    return named


# --- the command line --------------------------------------------------------------------


def _document_args(demo: Demo, kind: str) -> list[str] | None:
    """Arguments that make ``kind`` for some demo client (None if no client has one)."""
    fmt = next((f for f in FORMATS[kind] if f != "pdf"), FORMATS[kind][0])
    month = (TODAY.year, TODAY.month)
    for client in demo.clients:
        meeting = _a_meeting(demo, client.id) if kind == VISIT_ENTRY else None
        try:
            with demo.store.read() as r:
                ctx = documents.context_for(
                    r, kind, "fi", client.id, month, demo.store.worker_id, TODAY, meeting
                )
            build_document(kind, ctx, fmt)
        except (DocumentError, NotFoundError):
            continue
        extra = ["--meeting", meeting] if meeting else []
        return ["--client", client.id, "--month", MONTH, "--format", fmt, *extra]
    return None


def _a_meeting(demo: Demo, client_id: str) -> str | None:
    with demo.store.read() as r:
        periods = [p.id for p in r.periods_of(client_id)]
        meetings = r.meetings_of(periods)
    return meetings[0].id if meetings else None


#: Blank forms: made for a client, but nothing of the client's record is in them.
DOCUMENTS_WITHOUT_CLIENTS = {FEEDBACK}


@pytest.mark.parametrize("kind", KINDS)
def test_sosku_document_logs_every_client_in_the_file(
    demo: Demo, kind: str, tmp_path: Path
) -> None:
    args = _document_args(demo, kind)
    assert args is not None, f"the demo has no client for {kind}: add one"
    out = tmp_path / f"{kind}.{args[args.index('--format') + 1]}"
    before = demo.audit_ids()
    run_command(
        demo, ["document", kind, "--data-dir", str(demo.data_dir), "--out", str(out), *args]
    )
    if kind in DOCUMENTS_WITHOUT_CLIENTS:
        assert demo.named_in(file_text(out)) == set()
        return
    assert_logged(demo, before, file_text(out), {codes.AUDIT_PRINT, codes.AUDIT_EXPORT})


def add_a_conflict(demo: Demo, folder: Path) -> models.Client:
    """Another device edits a client's notes while this one does: an open conflict here."""
    client = demo.clients[0]
    other = Store.create(folder / "other", "toinen-laite-123")
    try:
        with demo.store.read() as r:
            ours = [b.plaintext(demo.store.device_id) for b in sync_state.pending(r.conn, 10**6)]
        with other.write() as w:
            for bundle in ours:
                sync_state.apply_or_quarantine(w.conn, bundle, other.clock, None)
        with other.write() as w:
            w.update(dataclasses.replace(client, notes="Toisen laitteen versio"))
        with demo.store.write() as w:
            w.update(dataclasses.replace(client, notes="Tämän laitteen versio"))
        with other.read() as r:
            theirs = [b.plaintext(other.device_id) for b in sync_state.pending(r.conn, 100)]
        with demo.store.write() as w:
            for bundle in theirs:
                sync_state.apply_or_quarantine(w.conn, bundle, demo.store.clock, None)
    finally:
        other.close()
    with demo.store.read() as r:
        assert [c.row_id for c in sync_state.open_conflicts(r.conn)] == [client.id]
    return client


@pytest.fixture(scope="module")
def conflict(demo: Demo, tmp_path_factory: pytest.TempPathFactory) -> models.Client:
    return add_a_conflict(demo, tmp_path_factory.mktemp("other"))


def _command_reads(demo: Demo, folder: Path) -> dict[str, tuple[list[str], Path | None]]:
    """Each record-reading command line: (argv, the file it writes or None)."""
    data = ["--data-dir", str(demo.data_dir)]
    ics, team = folder / "calendar.ics", folder / "team.csv"
    start = (TODAY - timedelta(days=400)).isoformat()
    return {
        "meetings": (["meetings", *data, "--client", demo.clients[0].id], None),
        "calendar": (["calendar", "export", *data, "--names", "full", "--from", start,
                      "--out", str(ics)], ics),
        "report": (["report", "team", *data, "--from", f"{TODAY.year - 1}-01", "--to", MONTH,
                    "--format", "csv", "--out", str(team)], team),
        "sync conflicts": (["sync", "conflicts", *data], None),
    }  # fmt: skip


#: Commands that show no client's record: what they print, and why no row is written.
COMMANDS_WITHOUT_RECORDS = {
    "demo-data": "builds the made-up demo caseload",
    "init": "creates an empty data directory",
    "check": "prints ok or what is damaged, no content",
    "restore": "lists backups by date and state",
    "backups": "lists backups by date and state",
    "clients": "the caseload list (id and name, as the Clients page): opening one is logged",
    "sync": "join/status/now/resolve show no record; `sync conflicts` is a read (below)",
}
COMMAND_READS = ("meetings", "calendar", "report", "sync conflicts")


@pytest.mark.parametrize("command", COMMAND_READS)
def test_record_reading_commands_log_every_client_they_show(
    demo: Demo, conflict: models.Client, command: str, tmp_path: Path
) -> None:
    argv, out = _command_reads(demo, tmp_path)[command]
    before = demo.audit_ids()
    printed = run_command(demo, argv)
    shown = printed + (file_text(out) if out else "")
    actions = {codes.AUDIT_VIEW, codes.AUDIT_EXPORT, codes.AUDIT_PRINT}
    if command == "meetings":  # one line per meeting, no name: the client asked for is logged
        rows = {(e.action, e.client_id) for e in demo.new_rows(before)}
        assert (codes.AUDIT_VIEW, demo.clients[0].id) in rows
        return
    named = assert_logged(demo, before, shown, actions)
    if command == "sync conflicts":
        assert named == {conflict.id}


def test_the_caseload_list_shows_names_only(demo: Demo) -> None:
    """``sosku clients`` is a list (not logged): it must stay names and ids, nothing more."""
    printed = run_command(demo, ["clients", "--data-dir", str(demo.data_dir)])
    assert not any(c.identity_code and c.identity_code in printed for c in demo.clients)
    assert all(line.count("\t") == 1 for line in printed.splitlines())


# --- what the UI reads through ---------------------------------------------------------


def _logged_by(demo: Demo, read: Callable[[], object]) -> set[tuple[str, str]]:
    """(action, client) of the rows that ``read`` wrote."""
    before = demo.audit_ids()
    read()
    return {(e.action, e.client_id or "") for e in demo.new_rows(before)}


def test_the_ui_reads_log_the_client(demo: Demo, conflict: models.Client, tmp_path: Path) -> None:
    """Opening a client (client list, search, calendar, Today), the assessment comparison,
    a document saved from the client's Documents tab, a group's sheet and the Sync page's
    conflict list each write the rows the access log promises, and log no client data."""
    logfile.configure()
    client = demo.clients[1]
    view = _logged_by(demo, lambda: open_client_record(demo.store, client.id))
    assert (codes.AUDIT_VIEW, client.id) in view
    with demo.store.read() as r:
        first = next(a for a in r.list(models.Assessment) if a.client_id)
    view = _logged_by(
        demo, lambda: assessments.log_comparison_view(demo.store, first.client_id, first.id)
    )
    assert (codes.AUDIT_VIEW, first.client_id) in view
    args = _document_args(demo, KINDS[0])
    assert args is not None
    month = (TODAY.year, TODAY.month)
    out = tmp_path / "doc.pdf"
    printed = _logged_by(
        demo,
        lambda: documents.export_document(demo.store, out, KINDS[0], "fi", args[1], month),
    )
    assert (codes.AUDIT_PRINT, args[1]) in printed
    with demo.store.read() as r:
        session = r.list(models.GroupSession)[0]
    sheet = groups.read_sheet(demo.store, session.id)
    assert sheet is not None and sheet.clients
    view = _logged_by(
        demo,
        lambda: groups.log_viewed(demo.store, list(sheet.clients), "group_sessions", session.id),
    )
    assert {(codes.AUDIT_VIEW, c) for c in sheet.clients} <= view
    shown: list[sync.SyncPageData] = []
    view = _logged_by(demo, lambda: shown.append(sync.load_sync_page(SyncClient(demo.store))))
    name = f"{conflict.last_name}, {conflict.first_name}"
    assert [c.client_name for c in shown[0].conflicts] == [name]
    assert (codes.AUDIT_VIEW, conflict.id) in view
    logfile.close()
    assert_log_clean(demo)


def test_a_calendar_export_with_full_names_logs_each_client(demo: Demo, tmp_path: Path) -> None:
    before = demo.audit_ids()
    out = tmp_path / "c.ics"
    start = TODAY - timedelta(days=400)
    calendar.export_calendar(demo.store, out, start, TODAY, "fi", full_names=True,
                             now=datetime.now())  # fmt: skip
    assert_logged(demo, before, file_text(out), {codes.AUDIT_EXPORT})


#: Every public operation that reads through the store, and how a person's view of it is
#: logged. ``logs``: the operation writes the row itself (tested above or in its own
#: tests); ``pair``: the UI logs the view with the named operation right after showing
#: it (tests/ui); ``inside``: a re-read inside a client view that was opened with
#: ``open_client_record``; ``list``: names only, as the caseload list; ``none``: no
#: client's data; ``write``: a change, logged by the Writer in its own transaction.
UI_READS = {
    "assessments.assessments_of": "inside",
    "assessments.export_comparison_pdf": "logs",
    "assessments.log_comparison_view": "logs",
    "calendar.export_calendar": "logs",
    "calendar.key_dates_between": "list",
    "calendar.span": "list",
    "client_list.client_choices": "list",
    "client_list.client_list": "list",
    "clients.access_log_of": "inside",
    "clients.identity_clash": "none",
    "clients.identity_problems": "none",
    "clients.read_client_record": "inside",
    "documents.build_and_log": "logs",
    "documents.client_of_meeting": "none",
    "documents.context_for": "inside",
    "documents.export_document": "logs",
    "documents.organisation": "none",
    "expenses.budget_view": "none",
    "groups.find_session": "none",
    "groups.list_groups": "list",
    "groups.load_group": "pair: groups.log_viewed (groups page)",
    "groups.load_groups": "list",
    "groups.log_viewed": "logs",
    "groups.read_group": "pair: groups.log_viewed (groups page)",
    "groups.read_sheet": "pair: groups.log_viewed (attendance sheet)",
    "meetings.meeting_and_client": "none",
    "period_lifecycle.earlier_values": "inside",
    "reports.export_team_report": "logs",
    "reports.export_with_log": "logs",
    "reports.log_clients": "logs",
    "reports.report_organisation": "none",
    "settings.settings_form": "none",
    "sync.load_sync_page": "logs",
    "today.load_today": "list",
}


def _operations_reading_the_store() -> set[str]:
    found = set()
    for info in pkgutil.iter_modules(operations_package.__path__):
        module = importlib.import_module(f"sosku_desktop.operations.{info.name}")
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ != module.__name__ or name.startswith("_"):
                continue
            params = set(inspect.signature(fn).parameters)
            if params & {"store", "reader", "r", "client"}:
                found.add(f"{info.name}.{name}")
    return found


def _writes(qualified: str) -> bool:
    """Operations whose name says they change data (save, add, end …): the Writer logs them."""
    verb = qualified.split(".", 1)[1].split("_", 1)[0]
    return verb in {
        "save", "add", "delete", "end", "start", "set", "toggle", "record", "mark", "undo",
        "edit", "plan", "after", "resolve", "create", "join", "sync", "draft", "move",
    }  # fmt: skip


def test_every_read_path_is_classified() -> None:
    commands = {c.name for c in all_commands()}
    reading = {"document", *(c.split()[0] for c in COMMAND_READS)}
    assert commands == set(COMMANDS_WITHOUT_RECORDS) | reading
    reads = {op for op in _operations_reading_the_store() if not _writes(op)}
    assert reads == set(UI_READS), "classify the new read in UI_READS (and log it)"
    assert set(KINDS) == set(FORMATS)  # every kind is run by test_sosku_document_…
