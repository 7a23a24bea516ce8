"""An ended period's overview tells the period as it ended, not "this month" and "today".

Seen months after an early ending, the overview had said "Meetings this month
0 / 2" (a target for a month after the end) and "no decision is in force
today" beside the decisions the period did have.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from sosku_desktop.domain import codes
from sosku_desktop.domain.periods import seen_on
from sosku_desktop.ui.shell.context import AppContext
from sosku_desktop.ui.shell.main_window import MainWindow
from tests.domain import builders as b
from tests.ui import shell_support as s

START = date(2026, 1, 12)
ENDED = date(2026, 6, 30)  # months before shell_support.TODAY (24.11.2026)


def _texts(widget: QWidget) -> str:
    return "\n".join(lab.text() for lab in widget.findChildren(QLabel) if lab.isVisibleTo(widget))


@pytest.fixture
def ended(tmp_path: Path, qtbot: QtBot) -> Iterator[tuple[AppContext, MainWindow]]:
    store = s.empty_store(tmp_path)
    ctx = s.context(store)
    client, period = s.add_client(store, "Eila", "Loppunen", START)
    with store.write() as w:
        for day in ("4.5.2026", "18.5.2026", "8.6.2026", "22.6.2026"):
            w.add(b.meeting(day, period_id=period.id, worker_id=store.worker_id))
        w.add(b.meeting("29.6.2026", codes.MEETING_CANCELLED, period_id=period.id))
        w.add(b.decision("12.1.2026", "31.12.2026", period_id=period.id))
        w.update(
            dataclasses.replace(
                period, status=codes.PERIOD_ENDED, planned_end=ENDED, ended_on=ENDED
            )
        )
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.open_client(client.id)
    qtbot.waitUntil(lambda: window.client_view.record is not None)
    yield ctx, window
    window.close()
    store.close()


def test_an_ended_period_counts_its_meetings_not_this_months(
    ended: tuple[AppContext, MainWindow],
) -> None:
    ctx, window = ended
    shown = _texts(window.client_view.overview)
    assert ctx.tr("ui.overview.meetings_month") not in shown
    assert ctx.tr("ui.overview.meetings_period") in shown
    assert "\n4\n" in f"\n{shown}\n"  # the realised ones, not the cancelled one
    assert ctx.tr("ui.overview.month_short", month="6/2026", n=2) in shown


def test_an_ended_period_shows_the_decisions_it_ended_with(
    ended: tuple[AppContext, MainWindow],
) -> None:
    ctx, window = ended
    shown = _texts(window.client_view.overview)
    assert ctx.tr("ui.overview.decisions_at_end") in shown
    assert ctx.tr("ui.overview.no_decision") not in shown
    assert ctx.tr("ui.overview.no_decision_at_end") not in shown
    assert ctx.tr("ui.overview.valid", start="12.1.2026", end="31.12.2026") in shown


def test_a_period_is_seen_as_of_today_while_it_runs_and_its_last_day_once_ended() -> None:
    running = b.period("12.1.2026", "11.1.2027")
    assert seen_on(running, date(2026, 11, 24)) == date(2026, 11, 24)
    stopped = dataclasses.replace(running, status=codes.PERIOD_ENDED, ended_on=ENDED)
    assert seen_on(stopped, date(2026, 11, 24)) == ENDED
    assert seen_on(stopped, date(2026, 6, 1)) == date(2026, 6, 1)  # looked at before its end


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_decisions_tab_tells_gaps_overlaps_and_a_decision_outliving_the_end(
    tmp_path: Path, qtbot: QtBot, lang: str
) -> None:
    """The blocks were told "decided" by the decision in force on each block's first
    day: a decision ending before its block did, or starting two weeks into it, and
    overlapping ones were told no differently from one clean decision per block."""
    store = s.empty_store(tmp_path)
    ctx = s.context(store, lang=lang)
    client, period = s.add_client(store, "Eila", "Loppunen", START)
    with store.write() as w:
        w.add(b.decision("12.1.2026", "8.4.2026", period_id=period.id))  # 3 days short
        w.add(b.decision("1.5.2026", "31.7.2026", period_id=period.id))  # late, runs past
        w.add(b.decision("1.3.2026", "20.3.2026", period_id=period.id))  # on top of the first
        w.update(dataclasses.replace(period, status=codes.PERIOD_ENDED, ended_on=ENDED))
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.open_client(client.id)
    view = window.client_view
    view.tabs.setCurrentWidget(view.decisions)
    qtbot.waitUntil(lambda: bool(view.decisions.blocks.text()))
    lines = view.decisions.blocks.text().splitlines()[1:]
    tr = ctx.tr
    assert len(lines) == 2
    assert tr("ui.decisions.gaps", ranges="9.4.2026–11.4.2026") in lines[0]
    assert tr("ui.decisions.overlaps", ranges="1.3.2026–20.3.2026") in lines[0]
    assert tr("ui.decisions.gaps", ranges="12.4.2026–30.4.2026") in lines[1]
    assert tr("ui.decisions.past_end", date="31.7.2026", ended="30.6.2026") in lines[1]
    assert all(tr("ui.decisions.covered") not in line for line in lines)
    window.close()
    store.close()
