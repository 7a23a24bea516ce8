"""Helpers for the shell's UI tests: real encrypted stores and a pinned clock.

The demo caseload is built once per test session (it takes a second) and
copied into each test's own directory, then opened with the passphrase —
every test still gets a fresh, real SQLCipher store of its own.
"""

from __future__ import annotations

import atexit
import re
import shutil
import tempfile
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path

from PySide6.QtCore import QAbstractListModel, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QLabel,
    QTabWidget,
    QWidget,
)

from sosku_desktop import i18n
from sosku_desktop.domain import codes, models
from sosku_desktop.preferences import Preferences
from sosku_desktop.store.database import Store
from sosku_desktop.store.demo import DEMO_PASSPHRASE, build_demo
from sosku_desktop.store.writer import new_id
from sosku_desktop.ui.shell.context import AppContext
from sosku_desktop.ui.shell.tasks import Tasks

TODAY = date(2026, 11, 24)
NOW = datetime(2026, 11, 24, 12, 0)
PASSPHRASE = "testipassi-123"
_template: Path | None = None


def demo_template() -> Path:
    """The demo data directory, built once per test session."""
    global _template
    if _template is None:
        root = Path(tempfile.mkdtemp(prefix="sosku-ui-demo-"))
        atexit.register(shutil.rmtree, root, True)
        build_demo(root / "data", DEMO_PASSPHRASE, today=TODAY).close()
        _template = root / "data"
    return _template


def demo_store(tmp_path: Path) -> Store:
    target = tmp_path / "demo"
    shutil.copytree(demo_template(), target)
    return Store.open(target, DEMO_PASSPHRASE, take_backup=False)


def context(store: Store, lang: str = "fi", now: datetime = NOW) -> AppContext:
    """A context with synchronous tasks and a pinned clock."""
    return AppContext(
        store=store,
        prefs=Preferences(store.data_dir),
        lang=lang,
        tasks=Tasks(synchronous=True),
        clock=lambda: now,
    )


def empty_store(tmp_path: Path, name: str = "Sanna Ohjaaja") -> Store:
    store = Store.create(tmp_path / "data", PASSPHRASE)
    worker = models.Worker(id=new_id(), name=name, role=codes.ROLE_SOCIAL_INSTRUCTOR)
    with store.write() as w:
        w.add(worker)
    store.set_current_worker(worker.id)
    return store


def add_client(
    store: Store, first: str, last: str, start: date, phase: str = codes.PHASE_INTENSIVE
) -> tuple[models.Client, models.Period]:
    """A client with an active one-year period starting on ``start``."""
    from sosku_desktop.domain.periods import max_end

    client = models.Client(id=new_id(), first_name=first, last_name=last, worker_id=store.worker_id)
    period = models.Period(
        id=new_id(),
        client_id=client.id,
        worker_id=store.worker_id,
        start=start,
        planned_end=max_end(start),
        phase=phase,
        status=codes.PERIOD_ACTIVE,
    )
    with store.write() as w:
        w.add(client)
        w.add(period)
    return client, period


def visible_texts(widgets: Iterable[QWidget] | None = None) -> list[str]:
    """Every text a person can see: labels, buttons, tabs, headers, window titles."""
    found: list[str] = []
    candidates = list(widgets) if widgets is not None else QApplication.allWidgets()
    for widget in candidates:
        if not widget.isVisible():
            continue
        if widget.isWindow() and widget.windowTitle():
            found.append(widget.windowTitle())
        if isinstance(widget, (QLabel, QAbstractButton)):
            found.append(widget.text())
        elif isinstance(widget, QTabWidget):
            found.extend(widget.tabText(i) for i in range(widget.count()))
        found.extend(getattr(widget, "painted_texts", list)())  # a card paints its lines
        model = getattr(widget, "model", None)
        if callable(model) and hasattr(widget, "horizontalHeader"):
            m = model()
            if m is not None:
                found.extend(
                    str(m.headerData(c, Qt.Orientation.Horizontal) or "")
                    for c in range(m.columnCount())
                )
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            m = widget.model()
            root = QModelIndex()
            columns = 1 if isinstance(m, QAbstractListModel) else m.columnCount(root)
            for row in range(min(m.rowCount(root), 100)):
                for column in range(columns):
                    value = m.index(row, column).data(Qt.ItemDataRole.DisplayRole)
                    if isinstance(value, str):
                        found.append(value)
        if hasattr(widget, "placeholderText"):
            found.append(widget.placeholderText())
        if hasattr(widget, "currentText"):
            found.append(widget.currentText())
    return [text for text in found if text]


KEY_LIKE = re.compile(r"^[a-z_]+(\.[a-z0-9_]+){1,}$")


def finnish_only_values() -> set[str]:
    """Catalogue texts that differ between Finnish and Swedish (so must not show in sv)."""
    fi, sv = i18n.catalogue("fi"), i18n.catalogue("sv")
    swedish = set(sv.values())  # "ja" is Finnish "and" but Swedish "yes"
    return {v for k, v in fi.items() if sv.get(k) != v and "{" not in v and v not in swedish}
