"""Planned meetings stay within the period: the proposal, and a planned entry after the end."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from sosku_desktop.domain import codes
from sosku_desktop.ui.shell.context import AppContext
from sosku_desktop.ui.shell.main_window import MainWindow
from tests.ui import shell_support as s


def _window(
    tmp_path: Path, qtbot: QtBot, end: date
) -> Iterator[tuple[AppContext, MainWindow, str]]:
    store = s.empty_store(tmp_path)
    client, period = s.add_client(store, "Aino", "Korhonen", s.TODAY - timedelta(days=40))
    with store.write() as w:
        w.update(dataclasses.replace(period, planned_end=end), base=period)
    ctx = s.context(store)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.open_client(client.id)
    yield ctx, window, period.id
    window.close()
    store.close()


@pytest.fixture
def ends_sunday(tmp_path: Path, qtbot: QtBot) -> Iterator[tuple[AppContext, MainWindow, str]]:
    """The period ends on Sunday 29.11.2026, five days after "today" (Tue 24.11.)."""
    yield from _window(tmp_path, qtbot, s.TODAY + timedelta(days=5))


def test_the_next_meeting_proposal_stops_at_the_period_s_last_working_day(
    ends_sunday: tuple[AppContext, MainWindow, str],
) -> None:
    """QA walk: "same weekday two weeks on" proposed 8.12. for a period ending 29.11."""
    _, window, _ = ends_sunday
    dialog = window.client_view.record_meeting()
    assert dialog is not None
    proposed = dialog.next_when.dateTime().toPython()
    assert isinstance(proposed, datetime)
    assert proposed.date() == date(2026, 11, 27)
    assert dialog.next_check.isEnabled()


def test_a_planned_meeting_after_the_end_stays_open_with_what_was_typed(
    ends_sunday: tuple[AppContext, MainWindow, str],
) -> None:
    ctx, window, period_id = ends_sunday
    dialog = window.client_view.plan_meeting()
    assert dialog is not None
    dialog.date.setDate(dialog.date.date().addDays(14))
    dialog.place.setText("Kirjasto")
    assert not dialog.submit(codes.MEETING_PLANNED)
    assert dialog.isVisible() and dialog.place.text() == "Kirjasto"
    error = dialog.errors.fields["starts_at"][1]
    assert error.isVisible() and "Suunnitellun tapaamisen" in error.text()
    assert ctx.date(s.TODAY + timedelta(days=5)) in error.text()
    with ctx.store.read() as r:
        assert r.meetings_of([period_id]) == []


def test_no_next_meeting_is_offered_on_the_period_s_last_day(tmp_path: Path, qtbot: QtBot) -> None:
    for ctx, window, _ in _window(tmp_path, qtbot, s.TODAY):
        dialog = window.client_view.record_meeting()
        assert dialog is not None
        assert not dialog.next_check.isEnabled()
        assert dialog.next_check.toolTip() == ctx.tr("ui.meeting.next_none_in_period")
