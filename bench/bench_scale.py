"""A team's caseload at scale: 1,000 and 10,000 clients, each figure against a baseline.

For each size the generated caseload (``store.caseload``, the same as
``sosku demo-data --clients N``) is built once per schema revision into
/tmp/sosku-bench-scale (kept between runs; a newer schema migrates a copy of
an older one) and copied for the run. Printed, each with its baseline
measured in the same run on the same machine:

- start-up: process start → main window shown, ÷ a bare PySide6 window
  (both as fresh processes, median of three);
- client search, per keystroke of a name typed letter by letter: p95 of the
  Clients page's query (``operations.client_list``: search, counts, the first
  page of rows with their periods and next meetings) ÷ p95 of a raw SQLCipher
  query on the same file (sqlcipher3, no SQLAlchemy: the same ``client_search``
  LIKE in name order, ids and names of the first page);
- saving a meeting: p95 of ``operations.meetings.save_meeting`` (validation,
  Writer bundle: row, clocks, history, audit, change log) ÷ p95 of a raw
  insert + commit of the same meeting row into the same file's ``meetings``
  table, on a connection opened as the store opens its file (``raw_insert.py``,
  the baseline ``bench_store_writes.py`` uses too; the copies are deleted after);
- the longest UI-thread stretch while opening each page and doing its main
  actions in the real window with background tasks (Today, Clients, search,
  a client, Groups, Calendar whole team, Reports all and one worker, Sync),
  and when each page's background work was ready; the goal is ≤ 100 ms. The
  window starts as ``ui.shell.application.run`` starts it, start-up's
  ``gc.freeze()`` included (``lazy_pages.freeze_start_up_objects``): without
  it every full collection walked all of start-up's objects again, on
  whichever thread, holding the GIL 35–200 ms — a pause of the bench, not of
  the app;
- peak RSS after Today, Clients and one client, and at the end.

Then the growth from 1,000 to 10,000 clients of the search, Today (whole
team), the client list and the team report (ready times): linear is 10×.

Run: .venv/bin/python bench/bench_scale.py [--sizes 1000 10000]
(offscreen; the package is byte-compiled first, as installed; takes a few
minutes, the 10,000-client store about one more the first time). The machine
is shared: run it at a quiet moment.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import raw_insert  # bench/, beside this script

# The demo's passphrase, as ``sosku demo-data`` uses (the stores are invented data).
from sosku_desktop.store.demo import DEMO_PASSPHRASE as PASSPHRASE

CACHE = Path("/tmp/sosku-bench-scale")
NAME_TYPED = "järvinen aino"
RUNS = 3


def _migrated_copy(size: int, target: Path) -> bool:
    """``target`` as a copy of a cached caseload of an older schema, migrated once here
    (else each run's first start-up would time the migration). Caches are never
    changed in place: checkouts of other schemas share them."""
    from sosku_desktop.store.database import Store
    from sosku_desktop.store.errors import NewerSchemaError

    scratch = CACHE / f"{target.name}-copy"
    for source in [CACHE / f"c{size}", *sorted(CACHE.glob(f"c{size}-schema*"))]:
        if source == target or source.name.endswith("-copy") or not (source / "ready").exists():
            continue
        shutil.rmtree(scratch, ignore_errors=True)
        shutil.copytree(source, scratch)
        try:
            Store.open(scratch / "data", PASSPHRASE, take_backup=False).close()
        except NewerSchemaError:
            shutil.rmtree(scratch)
            continue
        shutil.rmtree(target, ignore_errors=True)
        scratch.rename(target)
        print(f"migrated a copy of {source} into {target}", flush=True)
        return True
    return False


def store_of(size: int) -> Path:
    """The cached caseload of ``size`` clients for this schema (built on first use)."""
    from sosku_desktop.store import migrate

    target = CACHE / f"c{size}-schema{migrate.head_revision()}"
    if not (target / "ready").exists() and not _migrated_copy(size, target):
        from sosku_desktop.store.caseload import build_caseload

        shutil.rmtree(target, ignore_errors=True)
        CACHE.mkdir(parents=True, exist_ok=True)
        print(f"building {size} clients into {target} …", flush=True)
        started = time.perf_counter()
        build_caseload(target / "data", size, PASSPHRASE).close()
        (target / "ready").write_text(f"{time.perf_counter() - started:.1f} s\n")
    return target / "data"


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


# --- start-up (fresh processes) ---------------------------------------------------------


def _child(mode: str, data_dir: Path | None = None) -> float:
    """Seconds from starting a child process to its "shown" line."""
    command = [sys.executable, __file__, f"--{mode}"] + ([str(data_dir)] if data_dir else [])
    started = time.perf_counter()
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as child:
        assert child.stdout is not None
        for line in child.stdout:
            if line.strip() == "shown":
                elapsed = time.perf_counter() - started
                break
        else:
            raise RuntimeError(f"{mode} never showed its window")
        child.wait(timeout=600)
    return elapsed


def bare_window() -> None:
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication([])
    window = QMainWindow()
    window.resize(1366, 768)
    window.show()
    app.processEvents()
    print("shown", flush=True)


def app_window(data_dir: Path) -> None:
    """What ``ui.shell.application.run`` does up to the shown window (passphrase given)."""
    from PySide6.QtWidgets import QApplication

    from sosku_desktop.preferences import Preferences
    from sosku_desktop.store.database import Store
    from sosku_desktop.ui.shell import theme
    from sosku_desktop.ui.shell.context import AppContext
    from sosku_desktop.ui.shell.main_window import MainWindow
    from sosku_desktop.ui.shell.tasks import Tasks

    app = QApplication([])
    theme.apply(app)
    store = Store.open(data_dir, PASSPHRASE)  # with the start-up backup, as the app does
    ctx = AppContext(store=store, prefs=Preferences(data_dir), tasks=Tasks())
    window = MainWindow(ctx)
    window.resize(1366, 768)
    window.show()
    app.processEvents()
    print("shown", flush=True)
    ctx.tasks.wait()
    window.close()
    store.close()


def startup(data_dir: Path) -> dict[str, float]:
    bare = statistics.median(_child("bare") for _ in range(RUNS))
    full = statistics.median(_child("app", data_dir) for _ in range(RUNS))
    return {"startup_s": full, "bare_s": bare}


# --- search and save, in this process ----------------------------------------------------


def _raw_connection(data_dir: Path) -> Any:
    """A driver connection opened as the store opens its file (``raw_insert.connect``)."""
    from sosku_desktop.store import engine, keys

    key = keys.load_key(data_dir, PASSPHRASE).key
    return raw_insert.connect(data_dir / engine.DB_FILE, key)


def search(data_dir: Path) -> dict[str, float]:
    from sosku_desktop.operations.client_list import LIMIT, ClientFilters, client_list
    from sosku_desktop.store.database import Store
    from sosku_desktop.store.search import fold

    prefixes = [NAME_TYPED[:i] for i in range(1, len(NAME_TYPED) + 1)]
    raw = _raw_connection(data_dir)
    sql = (
        "SELECT c.id, c.last_name, c.first_name FROM clients c"
        " JOIN client_search s ON s.client_id = c.id"
        " WHERE c.deleted = 0 AND s.words LIKE ? ORDER BY c.last_name, c.first_name LIMIT ?"
    )
    ours: list[float] = []
    baseline: list[float] = []
    with Store.open(data_dir, PASSPHRASE, take_backup=False) as store:
        now = datetime.now()
        for _ in range(RUNS):
            for text in prefixes:
                started = time.perf_counter()
                client_list(store, now, store.worker_id, ClientFilters(text))
                ours.append(time.perf_counter() - started)
                started = time.perf_counter()
                raw.execute(sql, (f"%{fold(text)}%", LIMIT)).fetchall()
                baseline.append(time.perf_counter() - started)
    raw.close()
    return {"search_p95_s": p95(ours), "search_raw_p95_s": p95(baseline)}


def _active_period(store: Any) -> str:
    from sosku_desktop.domain import codes, models

    with store.read() as r:
        periods = r.list(models.Period, status=codes.PERIOD_ACTIVE)
    return periods[len(periods) // 2].id


def save_meeting(data_dir: Path, count: int = 30) -> dict[str, float]:
    from sosku_desktop.domain import codes
    from sosku_desktop.operations.meetings import MeetingDraft
    from sosku_desktop.operations.meetings import save_meeting as save
    from sosku_desktop.store.database import Store

    ours: list[float] = []
    with Store.open(data_dir, PASSPHRASE, take_backup=False) as store:
        period_id = _active_period(store)
        now = datetime.now().replace(second=0, microsecond=0)
        for i in range(count):
            when = now - timedelta(days=1, minutes=i)
            draft = MeetingDraft(period_id, when, 60, codes.MEETING_OFFICE, notes="bench")
            started = time.perf_counter()
            last = save(store, draft, now, [])
            ours.append(time.perf_counter() - started)
    raw = raw_insert.MeetingInserts(_raw_connection(data_dir), last.meeting_id)
    baseline: list[float] = []
    for i in range(count):
        started = time.perf_counter()
        raw.one(f"bench {i}")
        baseline.append(time.perf_counter() - started)
    raw.remove()
    raw.conn.close()
    return {"save_p95_s": p95(ours), "save_raw_p95_s": p95(baseline)}


# --- the window: UI-thread stretches (a child process of its own) ------------------------


class Pump:
    """Runs the event loop until background work is done, timing every UI-thread turn."""

    def __init__(self, app: Any, tasks: Any) -> None:
        self.app, self.tasks = app, tasks

    def step(self, action: Callable[[], object]) -> tuple[float, float]:
        """(longest UI-thread stretch, seconds until the work it started was done)."""
        started = time.perf_counter()
        action()
        longest = time.perf_counter() - started
        settled = 0
        while settled < 3:  # a callback may start more work: settle over a few turns
            turn = time.perf_counter()
            self.app.processEvents()
            longest = max(longest, time.perf_counter() - turn)
            if self.tasks.busy():
                settled = 0
                time.sleep(0.001)
            else:
                settled += 1
        return longest, time.perf_counter() - started


def ui_steps(window: Any, ctx: Any, client_id: str) -> list[tuple[str, Callable[[], object]]]:
    def type_name() -> None:
        search = window.clients.search
        for i in range(1, 5):
            search.setText(NAME_TYPED[:i])

    def groups() -> None:
        window.go("groups")

    def another_group() -> None:
        page = window.page_by_key["groups"]
        if page.group_model.rowCount() > 1:
            page.group_list.setCurrentIndex(page.group_model.index(1, 0))
        page.member_combo.setEditText("ni")

    def calendar_team() -> None:
        window.page_by_key["calendar"].only_mine.setChecked(False)

    return [
        ("Today, whole team", lambda: window.today.only_mine.setChecked(False)),
        ("Clients", lambda: window.go("clients")),
        ("search, 4 keystrokes", type_name),
        ("a client", lambda: window.open_client(client_id)),
        # Looked up when the step runs: reading ``window.client_view`` here built the client
        # view (and imported its modules) on the UI thread before the first step, untimed.
        ("back to the list", lambda: window.client_view.back_requested.emit()),
        ("Groups", groups),
        ("another group, member search", another_group),
        # Two inputs, as a worker gives them: open the page, then untick "only mine".
        ("Calendar", lambda: window.go("calendar")),
        ("Calendar, whole team", calendar_team),
        ("Calendar, next week", lambda: window.page_by_key["calendar"].next_button.click()),
        ("Reports, all workers", lambda: window.go("reports")),
        (
            "Reports, one worker",
            lambda: window.page_by_key["reports"].worker_box.setCurrentIndex(1),
        ),
        ("Sync", lambda: window.go("sync")),
    ]


def window_run(data_dir: Path) -> None:
    """Every page in the real window; prints JSON (stretches, ready times, RSS)."""
    from PySide6.QtWidgets import QApplication

    from sosku_desktop.preferences import Preferences
    from sosku_desktop.store.database import Store
    from sosku_desktop.ui.shell import lazy_pages, theme
    from sosku_desktop.ui.shell.context import AppContext
    from sosku_desktop.ui.shell.main_window import MainWindow
    from sosku_desktop.ui.shell.tasks import Tasks

    app = QApplication([])
    theme.apply(app)
    store = Store.open(data_dir, PASSPHRASE, take_backup=False)
    with store.read() as r:
        from sosku_desktop.domain import models

        client_id = r.get(models.Period, _active_period(store)).client_id
    ctx = AppContext(store=store, prefs=Preferences(data_dir), tasks=Tasks(on_error=_raise))
    pump = Pump(app, ctx.tasks)
    holder: list[Any] = []

    def start() -> None:
        holder.append(MainWindow(ctx))
        holder[0].resize(1366, 768)
        holder[0].show()
        lazy_pages.freeze_start_up_objects(holder[0], holder[0].preload)  # as the app does

    results = {"start, Today": pump.step(start)}
    window = holder[0]
    rss: dict[str, float] = {}
    for name, action in ui_steps(window, ctx, client_id):
        results[name] = pump.step(action)
        if name == "back to the list":
            rss["after Today, Clients, a client"] = _rss_mib()
    rss["at the end"] = _rss_mib()
    window.close()
    store.close()
    print(json.dumps({"steps": results, "rss": rss}), flush=True)


def _raise(exc: BaseException) -> None:
    raise exc


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def window_steps(data_dir: Path) -> dict[str, Any]:
    command = [sys.executable, __file__, "--window", str(data_dir)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=1800, check=False)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"window run failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(lines[-1])
    return result


# --- the report ----------------------------------------------------------------------------


def measure(size: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="sosku-bench-scale-") as scratch:
        data_dir = Path(scratch) / "data"
        shutil.copytree(store_of(size), data_dir)
        figures: dict[str, Any] = {"size": size}
        figures.update(startup(data_dir))
        figures.update(search(data_dir))
        figures.update(save_meeting(data_dir))
        figures.update(window_steps(data_dir))
    return figures


def show(f: dict[str, Any]) -> None:
    print(f"\n== {f['size']:,} clients ==")
    print(
        f"start-up to main window {f['startup_s']:.2f} s ÷ bare window {f['bare_s']:.2f} s"
        f" = {f['startup_s'] / f['bare_s']:.2f}×  (goal ≤ 2×)"
    )
    print(
        f"client search p95 {f['search_p95_s'] * 1000:.1f} ms ÷ raw SQLCipher"
        f" {f['search_raw_p95_s'] * 1000:.1f} ms = {f['search_p95_s'] / f['search_raw_p95_s']:.1f}×"
        "  (goal ≤ 2× and ≤ 50 ms)"
    )
    print(
        f"save a meeting p95 {f['save_p95_s'] * 1000:.1f} ms ÷ raw insert+commit"
        f" {f['save_raw_p95_s'] * 1000:.1f} ms = {f['save_p95_s'] / f['save_raw_p95_s']:.1f}×"
    )
    print("longest UI-thread stretch / background ready (goal ≤ 100 ms on the UI thread):")
    for name, (longest, ready) in f["steps"].items():
        print(f"  {name:32s} {longest * 1000:8.0f} ms   ready {ready * 1000:8.0f} ms")
    worst = max(longest for longest, _ in f["steps"].values())
    print(f"  {'longest of all':32s} {worst * 1000:8.0f} ms")
    for name, mib in f["rss"].items():
        print(f"peak RSS {name}: {mib:.0f} MiB  (goal ≤ 300 MB)")


def growth(small: dict[str, Any], large: dict[str, Any]) -> None:
    factor = large["size"] / small["size"]
    print(f"\n== growth {small['size']:,} → {large['size']:,} clients ({factor:.0f}× the data) ==")
    pairs = {
        "client search p95": (small["search_p95_s"], large["search_p95_s"]),
        "Today, whole team (ready)": (
            small["steps"]["Today, whole team"][1],
            large["steps"]["Today, whole team"][1],
        ),
        "client list (ready)": (small["steps"]["Clients"][1], large["steps"]["Clients"][1]),
        "team report (ready)": (
            small["steps"]["Reports, all workers"][1],
            large["steps"]["Reports, all workers"][1],
        ),
    }
    for name, (a, b) in pairs.items():
        print(f"  {name:28s} {a * 1000:8.0f} ms → {b * 1000:8.0f} ms = {b / a:5.1f}×")


def compile_as_installed() -> None:
    """Byte-compile the package first, as an installed app is (pip and the frozen
    bundle ship .pyc): with PYTHONDONTWRITEBYTECODE set, as on this machine, every
    lazily imported page would otherwise be compiled from source on first open and
    that compile counted as UI-thread time a worker never sees."""
    import compileall

    import sosku_desktop

    compileall.compile_dir(Path(sosku_desktop.__file__).parent, quiet=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--bare", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--app", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--window", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare:
        return bare_window()
    if args.app:
        return app_window(args.app)
    if args.window:
        return window_run(args.window)
    compile_as_installed()
    measured = []
    for size in args.sizes:
        measured.append(measure(size))
        show(measured[-1])
    if len(measured) >= 2:
        growth(measured[0], measured[-1])


if __name__ == "__main__":
    main()
