"""Calendar week view and .ics export on the demo caseload (a real encrypted store)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QFontMetrics
from pytestqt.qtbot import QtBot

from sosku_desktop.documents import ics
from sosku_desktop.domain import codes
from sosku_desktop.domain.models import AuditEntry, Client, Meeting, Period, PlannedEntry
from sosku_desktop.i18n import code_label
from sosku_desktop.operations.calendar import key_dates_between
from sosku_desktop.store.database import Store
from sosku_desktop.store.demo import build_demo
from sosku_desktop.ui.pages.calendar_cards import EventCard, WeekEntry
from sosku_desktop.ui.pages.calendar_page import CalendarPage, ExportDialog
from sosku_desktop.ui.shell.tasks import Tasks
from tests.ui.shell_support import context

TODAY = date(2026, 11, 24)
MONDAY = date(2026, 11, 23)
HELSINKI = ZoneInfo("Europe/Helsinki")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = build_demo(tmp_path / "d", today=TODAY)
    yield s
    s.close()


def _page(qtbot: QtBot, store: Store, lang: str = "fi") -> CalendarPage:
    page = CalendarPage(context(store, lang))
    qtbot.addWidget(page)
    return page


def _week_rows(store: Store, only_mine: bool = True) -> tuple[list[Meeting], list[str]]:
    start = datetime(2026, 11, 23)
    with store.read() as r:
        meetings = [
            m
            for m in r.meetings_between(start, start + timedelta(days=7))
            if not only_mine or m.worker_id == store.worker_id
        ]
        sessions = [s.id for s in r.sessions_between(MONDAY, MONDAY + timedelta(days=6))]
    return meetings, sessions


def _client_of(store: Store, meeting: Meeting) -> Client:
    with store.read() as r:
        return r.get(Client, r.get(Period, meeting.period_id).client_id)


def test_this_weeks_meetings_and_sessions_are_shown(qtbot: QtBot, store: Store) -> None:
    page = _page(qtbot, store)
    page.show_week(date(2026, 11, 26))  # any day shows its week
    assert page.monday == MONDAY
    assert page.week_label.text() == "Viikko 48"
    assert page.range_label.text() == "23.11.–29.11.2026"
    meetings, sessions = _week_rows(store)
    assert meetings and sessions
    shown = {(e.kind, e.row_id) for e in page.entries if e.kind != "key_date"}
    assert shown == {("meeting", m.id) for m in meetings} | {("session", s) for s in sessions}
    # the periods' key dates of the week (planned at their start) are shown too
    with store.read() as r:
        planned = [
            e
            for e in r.list(PlannedEntry)
            if MONDAY <= e.on <= MONDAY + timedelta(days=6)
            and e.done_on is None
            and r.get(Period, e.period_id).status != "ended"
            and r.get(Period, e.period_id).worker_id == store.worker_id
        ]
    key_dates = [e for e in page.entries if e.kind == "key_date"]
    assert sorted(e.day for e in key_dates) == sorted(e.on for e in planned)
    assert all(e.start is None and e.style == "key_date" for e in key_dates)

    cards = [card for column in page.days for card in column.card_widgets()]
    assert len(cards) == len(page.entries)
    tuesday = page.days[1]
    assert tuesday.header.text() == "ti 24.11."
    first = meetings[0]
    column = page.days[first.starts_at.weekday()]
    card = next(c for c in column.card_widgets() if c.entry.row_id == first.id)
    assert card.title_text == _client_of(store, first).full_name
    assert card.subtitle_text.startswith(code_label("meeting_kind", first.kind, "fi"))
    assert card.when_text == f"{first.starts_at:%H.%M}–" + (
        f"{first.starts_at + timedelta(minutes=first.duration_min):%H.%M}"
    )


def test_the_week_is_read_in_the_background_and_built_between_turns(
    qtbot: QtBot, store: Store
) -> None:
    ctx = context(store)
    ctx.tasks = Tasks()  # a real pool and event-loop turns, as in the app
    page = CalendarPage(ctx)
    qtbot.addWidget(page)
    page.show()
    assert page.days == [] and page.entries == []  # the shell shows first
    ctx.tasks.wait()
    assert [column.header.text() for column in page.days][:2] == ["ma 23.11.", "ti 24.11."]
    cards = [card for column in page.days for card in column.card_widgets()]
    assert len(cards) == len(page.entries) > 0
    page.next_button.click()
    page.next_button.click()  # the newer week supersedes the one still loading
    ctx.tasks.wait()
    assert page.monday == MONDAY + timedelta(days=14)
    shown = [card.entry for column in page.days for card in column.card_widgets()]
    sunday = page.monday + timedelta(days=6)
    assert all(e in page.entries and page.monday <= e.day <= sunday for e in shown)


def test_only_mine_can_be_switched_off(qtbot: QtBot, store: Store) -> None:
    page = _page(qtbot, store)
    assert page.only_mine.isChecked()
    mine = {e.row_id for e in page.entries if e.kind == "meeting"}
    page.only_mine.setChecked(False)
    everyone = {e.row_id for e in page.entries if e.kind == "meeting"}
    assert everyone == {m.id for m in _week_rows(store, only_mine=False)[0]}
    assert mine < everyone


def test_week_navigation(qtbot: QtBot, store: Store) -> None:
    page = _page(qtbot, store, "en")
    assert not page.this_week_button.isEnabled()
    qtbot.mouseClick(page.next_button, Qt.MouseButton.LeftButton)
    assert page.monday == MONDAY + timedelta(days=7)
    assert page.week_label.text() == "Week 49"
    assert page.this_week_button.isEnabled()
    qtbot.mouseClick(page.previous_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.previous_button, Qt.MouseButton.LeftButton)
    assert page.monday == MONDAY - timedelta(days=7)
    assert all(e.day < MONDAY for e in page.entries)
    qtbot.mouseClick(page.this_week_button, Qt.MouseButton.LeftButton)
    assert page.monday == MONDAY


def test_cards_open_what_they_show(qtbot: QtBot, store: Store) -> None:
    page = _page(qtbot, store)
    cards = [card for column in page.days for card in column.card_widgets()]
    meeting = next(c for c in cards if c.entry.kind == "meeting")
    session = next(c for c in cards if c.entry.kind == "session")
    with qtbot.waitSignal(page.meeting_activated) as opened:
        qtbot.mouseClick(meeting, Qt.MouseButton.LeftButton)
    assert opened.args == [meeting.entry.row_id]
    with qtbot.waitSignal(page.session_activated) as opened:
        qtbot.keyClick(session, Qt.Key.Key_Return)
    assert opened.args == [session.entry.row_id]


def test_export_round_trips_and_is_logged(qtbot: QtBot, store: Store, tmp_path: Path) -> None:
    page = _page(qtbot, store)
    target = tmp_path / "week.ics"
    page.export_ics(target, MONDAY, MONDAY + timedelta(days=6))

    meetings, sessions = _week_rows(store)
    exported = [m for m in meetings if m.status in ics.EXPORTED_MEETING_STATUSES]
    cal = icalendar.Calendar.from_ical(target.read_bytes())
    assert cal["METHOD"] == "PUBLISH"
    assert cal["PRODID"] == ics.PRODID
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    with store.read() as r:
        planned, planned_clients = key_dates_between(
            r, MONDAY, MONDAY + timedelta(days=6), store.worker_id
        )
    assert set(events) == {f"{m.id}@sosku-desktop" for m in exported} | {
        f"{s}@sosku-desktop" for s in sessions
    } | {f"{e.id}@sosku-desktop" for e in planned}
    assert page.status.text() == page._t(
        "calendar.export.done", meetings=len(exported), sessions=len(sessions), file=target.name
    )

    raw = target.read_bytes().decode("utf-8")
    clients = {m.id: _client_of(store, m) for m in exported}
    for m in exported:
        event = events[f"{m.id}@sosku-desktop"]
        assert event.decoded("DTSTART") == m.starts_at.replace(tzinfo=HELSINKI)
        assert event.decoded("DTEND") == (m.starts_at + timedelta(minutes=m.duration_min)).replace(
            tzinfo=HELSINKI
        )
        assert str(event["SUMMARY"]).endswith(ics.initials(clients[m.id]))
        assert clients[m.id].last_name not in raw

    with store.read() as r:
        logged = r.list(AuditEntry, action=codes.AUDIT_EXPORT)
    shown = {c.id for c in clients.values()} | {c.id for c in planned_clients.values()}
    assert sorted(a.client_id for a in logged) == sorted(shown)

    named = tmp_path / "named.ics"
    page.export_ics(named, MONDAY, MONDAY + timedelta(days=6), full_names=True)
    assert all(c.full_name in named.read_text(encoding="utf-8") for c in clients.values())


def test_export_dialog_refuses_a_backwards_range(qtbot: QtBot) -> None:
    dialog = ExportDialog(MONDAY, MONDAY + timedelta(days=27), True, True, "en")
    qtbot.addWidget(dialog)
    dialog.end.setDate(QDate(2026, 11, 1))
    dialog.accept()
    assert dialog.result() != ExportDialog.DialogCode.Accepted
    assert dialog.end_box.error == "The end date is before the start date."
    dialog.end.setDate(QDate(2028, 1, 1))
    assert not dialog.validate()
    assert "366" in dialog.end_box.error
    dialog.end.setDate(QDate(2026, 12, 20))
    assert dialog.validate()
    assert dialog.end_box.error == ""
    assert not dialog.full_names.isChecked()


def test_cards_in_a_narrow_week_wrap_their_lines_instead_of_cutting_them(
    qtbot: QtBot, store: Store
) -> None:
    """At 1024×600 a day is ~90 px: "10.00–11.00" and "Kävelyryhmä" were cut at the right."""
    page = _page(qtbot, store)
    page.resize(800, 540)  # the page's room in a 1024×600 window
    page.show()
    page.ctx.tasks.wait()
    qtbot.waitUntil(lambda: bool(_cards(page)))
    cards = _cards(page)
    assert max(card.width() for card in cards) < 110
    assert {card: card.cut_lines() for card in cards if card.cut_lines()} == {}
    # A time wider than its card takes a second line rather than lose its "0".
    entry = WeekEntry("meeting", "m", MONDAY, None, None, "A", "", "planned")
    card = EventCard(entry, "10.00–11.00")
    qtbot.addWidget(card)
    when_font, title_font = (font for _text, font, _colour in card.painted_lines())
    width = QFontMetrics(when_font).horizontalAdvance("10.00–11.00") // 2 + sum(card.MARGINS[::2])
    one_line_each = QFontMetrics(when_font).height() + QFontMetrics(title_font).height()
    assert card.heightForWidth(width) >= one_line_each + QFontMetrics(when_font).height()


def _cards(page: CalendarPage) -> list[EventCard]:
    return [c for c in page.findChildren(EventCard) if c.isVisible()]


def test_tab_goes_from_the_export_button_straight_to_the_first_card(
    qtbot: QtBot, store: Store
) -> None:
    """Each day's scroll area took a Tab of its own: seven silent, nameless stops
    (nothing to see, nothing for a screen reader to say) before the week's first card."""
    page = _page(qtbot, store)
    page.resize(1366, 768)
    page.show()
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    first = next(card for column in page.days for card in column.card_widgets())
    page.export_button.setFocus()
    qtbot.keyClick(page.export_button, Qt.Key.Key_Tab)
    assert page.focusWidget() is first
    assert first.accessibleName()
