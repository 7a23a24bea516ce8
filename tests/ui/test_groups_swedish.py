"""In Swedish, the Groups, Calendar and Settings widgets show no Finnish-only text.

Every text a person can see (labels, buttons, tabs, headers, placeholders,
tooltips, list and table cells) is collected and matched against every
Finnish catalogue text whose Swedish translation differs. The data is
neutral (names, a group "Grupp A") so that only our own strings can leak.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListView,
    QTabWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from sosku_desktop import i18n
from sosku_desktop.domain import codes
from sosku_desktop.domain.models import (
    Attendance,
    Client,
    Group,
    GroupMember,
    GroupSession,
    Meeting,
    Period,
    Worker,
)
from sosku_desktop.operations.settings import settings_form
from sosku_desktop.preferences import Preferences
from sosku_desktop.store.database import Store
from sosku_desktop.store.writer import derived_id, new_id
from sosku_desktop.ui.dialogs.groups_dialogs import GroupDialog, SessionDialog
from sosku_desktop.ui.dialogs.settings_dialog import SettingsDialog
from sosku_desktop.ui.pages.calendar_page import CalendarPage, ExportDialog
from sosku_desktop.ui.pages.groups_page import GroupsPage
from sosku_desktop.ui.shell.context import AppContext
from sosku_desktop.ui.shell.tasks import Tasks
from tests.ui.shell_support import context

TODAY = date(2026, 11, 24)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.create(tmp_path / "d", "passphrase")
    me = Worker(id=new_id(), name="Eva Ek")
    anna = Client(id=new_id(), first_name="Anna", last_name="Berg")
    bo = Client(id=new_id(), first_name="Bo", last_name="Ahl")
    period = Period(
        id=new_id(),
        client_id=anna.id,
        worker_id=me.id,
        start=TODAY - timedelta(days=50),
        planned_end=TODAY + timedelta(days=300),
    )
    group = Group(id=new_id(), name="Grupp A", place="Rum 3", leaders="Eva Ek")
    held = GroupSession(id=new_id(), group_id=group.id, on=TODAY, starts_at="13.00", theme="Tema")
    off = GroupSession(id=new_id(), group_id=group.id, on=TODAY + timedelta(1), cancelled=True)
    with s.write() as w:
        for row in (me, anna, bo, period, group, held, off):
            w.add(row)
        w.add(GroupMember(id=new_id(), group_id=group.id, client_id=anna.id, joined_on=TODAY))
        w.add(GroupMember(id=new_id(), group_id=group.id, client_id=bo.id, joined_on=TODAY))
        w.add(
            Attendance(
                id=derived_id(held.id, anna.id),
                session_id=held.id,
                client_id=anna.id,
                status=codes.ATTENDANCE_EXCUSED,
            )
        )
        for hour, status in ((9, codes.MEETING_REALISED), (11, codes.MEETING_PLANNED)):
            w.add(
                Meeting(
                    id=new_id(),
                    period_id=period.id,
                    worker_id=me.id,
                    starts_at=datetime(2026, 11, 23, hour),
                    status=status,
                )
            )
        w.add(
            Meeting(
                id=new_id(),
                period_id=period.id,
                worker_id=me.id,
                starts_at=datetime(2026, 11, 25, 10),
                kind=codes.MEETING_WALK,
                status=codes.MEETING_CANCELLED,
            )
        )
    s.set_current_worker(me.id)
    yield s
    s.close()


def _model_texts(model: QAbstractItemModel | None, columns: int | None) -> list[str]:
    """Headers and cell texts; ``columns`` is given for list views (one column)."""
    if model is None:
        return []
    texts = []
    if columns is None:
        columns = model.columnCount(QModelIndex())
        for column in range(columns):
            texts.append(str(model.headerData(column, Qt.Orientation.Horizontal) or ""))
    roles = [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole]
    roles += [Qt.ItemDataRole.UserRole + n for n in (1, 2, 3)]
    for row in range(model.rowCount(QModelIndex())):
        for column in range(columns):
            for role in roles:
                value = model.index(row, column).data(role)
                if isinstance(value, str):
                    texts.append(value)
                elif isinstance(value, tuple):
                    texts += [v for v in value if isinstance(v, str)]
    return texts


def _inside(widget: QWidget, skip: tuple[QWidget, ...]) -> bool:
    """Whether ``widget`` is one of ``skip`` or below one (popups included)."""
    current: QObject | None = widget
    while current is not None:
        if any(current is s for s in skip):
            return True
        current = current.parent()
    return False


def visible_texts(root: QWidget, skip: tuple[QWidget, ...] = ()) -> list[str]:
    """Every text of ``root`` and its children that can be shown to a person."""
    texts = [root.windowTitle()]
    for widget in [root, *root.findChildren(QWidget)]:
        if _inside(widget, skip):
            continue
        texts.append(widget.toolTip())
        if isinstance(widget, QLabel | QAbstractButton):
            texts.append(widget.text())
        texts.extend(getattr(widget, "painted_texts", list)())  # a card paints its lines
        if isinstance(widget, QGroupBox):
            texts.append(widget.title())
        if isinstance(widget, QLineEdit):
            texts.append(widget.placeholderText())
        if isinstance(widget, QTabWidget):
            texts += [widget.tabText(i) for i in range(widget.count())]
        if isinstance(widget, QComboBox):
            texts += [widget.itemText(i) for i in range(widget.count())]
        if isinstance(widget, QAbstractItemView):
            columns = 1 if isinstance(widget, QListView) else None
            texts += _model_texts(widget.model(), columns)
    return [t for t in texts if t.strip()]


def _finnish_only_patterns() -> list[tuple[str, re.Pattern[str]]]:
    """Finnish texts that differ in Swedish, as patterns (``{x}`` matches anything)."""
    fi, sv = i18n.catalogue("fi"), i18n.catalogue("sv")
    patterns = []
    for key, text in fi.items():
        if sv.get(key) == text:
            continue
        parts = re.split(r"\{[a-z_]+\}", text)
        if sum(len(re.sub(r"\W", "", p)) for p in parts) < 3:
            continue
        body = ".*?".join(re.escape(p) for p in parts)
        patterns.append((key, re.compile(rf"(?<!\w){body}(?!\w)", re.IGNORECASE)))
    return patterns


def _leaks(texts: list[str]) -> list[tuple[str, str]]:
    patterns = _finnish_only_patterns()
    return [(key, text) for text in texts for key, pattern in patterns if pattern.search(text)]


def test_the_checker_finds_a_finnish_string(qapp: object) -> None:
    """Guard against a checker that cannot fail."""
    label = QLabel(i18n.tr("groups.action.open_sheet", "fi"))
    members = QLabel(i18n.tr("groups.members", "fi", count=3))
    assert ("groups.action.open_sheet", "Avaa läsnäololista") in _leaks(visible_texts(label))
    assert "groups.members" in [key for key, _ in _leaks(visible_texts(members))]
    assert _leaks([i18n.tr("groups.members", "sv", count=3)]) == []


def test_groups_page_and_sheet_in_swedish(qtbot: QtBot, store: Store) -> None:
    page = GroupsPage(context(store, "sv"))
    qtbot.addWidget(page)
    texts = visible_texts(page)
    assert "Öppna närvarolistan" in texts
    with store.read() as r:
        session = r.sessions_between(TODAY, TODAY)[0]
        group = r.list(Group)[0]
    page.open_session(session.id)
    texts += visible_texts(page)
    assert "anmäld frånvaro" in texts
    assert "N = närvarande" in page.sheet.hint.text()
    page.close_sheet()
    page.session_view.setCurrentIndex(page.session_model.index(1, 0))
    texts += visible_texts(page)
    assert "Återställ träffen" in texts
    for dialog in (
        GroupDialog(group, "sv", page),
        SessionDialog(session, "sv", page),
    ):
        texts += visible_texts(dialog)
    assert _leaks(texts) == []


def test_calendar_in_swedish(qtbot: QtBot, store: Store) -> None:
    page = CalendarPage(context(store, "sv"))
    qtbot.addWidget(page)
    texts = visible_texts(page)
    assert "Vecka 48" in texts
    assert "mån 23.11." in texts
    assert any(t.startswith("Promenadmöte · inställt") for t in texts), texts
    texts += visible_texts(ExportDialog(TODAY, TODAY, True, True, "sv", page))
    assert _leaks(texts) == []


def test_settings_in_swedish(qtbot: QtBot, store: Store, tmp_path: Path) -> None:
    prefs = Preferences(tmp_path / "prefs")
    ctx = AppContext(store=store, prefs=prefs, lang="sv", tasks=Tasks(True))
    dialog = SettingsDialog(ctx, settings_form(store))
    qtbot.addWidget(dialog)
    dialog.rate_rows[0].amount.setText("-1")
    dialog.save()  # show every message too
    texts = visible_texts(dialog, skip=(dialog.language,))
    assert "Beloppet kan inte vara negativt." in texts
    assert "Verksamhetspenning" in texts
    # Language names: each in its own language, with the Swedish name beside it.
    languages = [dialog.language.itemText(i) for i in range(dialog.language.count())]
    assert languages == ["suomi (finska)", "svenska", "English (engelska)"]
    assert _leaks(texts) == []
