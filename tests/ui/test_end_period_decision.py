"""Ending a period early: what the wizard says it does, and a decision that outlives it.

QA walk: a period ended 19.11. with its §17 decision valid to 28.12.; nothing
told the worker to end the decision in the city's client information system.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QWizard
from pytestqt.qtbot import QtBot

from sosku_desktop.documents.kinds import SERVICE_END
from sosku_desktop.domain import codes, models, reminders
from sosku_desktop.operations.period_lifecycle import plan_period
from sosku_desktop.store.writer import new_id
from sosku_desktop.ui.dialogs.end_period_dialog import EndPeriodDialog
from sosku_desktop.ui.shell.context import AppContext
from sosku_desktop.ui.shell.main_window import MainWindow
from tests.ui import shell_support as s

START = date(2026, 8, 24)
OUTLIVES = "Päätös SOS-2026-17 on voimassa 28.12.2026 asti: tee päättymispäätös"


@pytest.fixture
def shell(tmp_path: Path, qtbot: QtBot) -> Iterator[tuple[AppContext, MainWindow, str, str]]:
    """A client whose decision runs to 28.12.2026, a visit planned for 1.12.2026."""
    store = s.empty_store(tmp_path)
    client, period = s.add_client(store, "Aino", "Korhonen", START)
    decision = models.Decision(
        id=new_id(),
        period_id=period.id,
        kind=codes.DECISION_REHABILITATION,
        valid_from=date(2026, 9, 29),
        valid_to=date(2026, 12, 28),
        number="SOS-2026-17",
        heard_how="Tavattu",
    )
    planned = models.Meeting(
        id=new_id(),
        period_id=period.id,
        starts_at=datetime(2026, 12, 1, 10, 0),
        duration_min=60,
        kind=codes.MEETING_HOME_VISIT,
        status=codes.MEETING_PLANNED,
        worker_id=store.worker_id,
    )
    with store.write() as w:
        w.add(decision)
        w.add(planned)
    ctx = s.context(store)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.open_client(client.id)
    yield ctx, window, client.id, planned.id
    window.close()
    store.close()


def _end(window: MainWindow, on: date) -> EndPeriodDialog:
    wizard = window.client_view.period_tab.end_period()
    assert isinstance(wizard, EndPeriodDialog)
    wizard.ended_on.setDate(on)
    return wizard


def test_the_wizard_says_what_ending_does_and_the_decision_to_end(
    shell: tuple[AppContext, MainWindow, str, str],
) -> None:
    ctx, window, _, _ = shell
    wizard = _end(window, date(2026, 11, 19))
    text = wizard.consequences.text()
    assert OUTLIVES in text and "asiakastietojärjestelmään" in text
    assert "suunnitellut tapaamiset perutaan (1 kpl)" in text
    assert ctx.tr("ui.end.groups_end") in text
    wizard.ended_on.setDate(date(2026, 12, 28))  # to the decision's end: nothing to end
    assert "SOS-2026-17" not in wizard.consequences.text()
    assert "perutaan" not in wizard.consequences.text()
    wizard.reject()


def test_after_an_early_ending_overview_service_end_and_today_say_so(
    shell: tuple[AppContext, MainWindow, str, str],
) -> None:
    ctx, window, client_id, meeting_id = shell
    wizard = _end(window, date(2026, 11, 19))
    wizard.reason.setCurrentIndex(wizard.reason.findData(codes.END_MOVED_TO_SERVICE))
    wizard.next()
    wizard.final.setPlainText("Siirtyy työtoimintaan.")
    wizard.next()
    wizard.button(QWizard.WizardButton.FinishButton).click()
    with ctx.store.read() as r:
        assert r.get(models.Meeting, meeting_id).status == codes.MEETING_CANCELLED
    status = window.client_view.period_tab.status.text()
    assert "suunnitellut tapaamiset peruttiin" in status
    window.open_client(client_id)
    overview = window.client_view.overview
    notices = [w.text() for w in overview.findChildren(QLabel) if OUTLIVES in w.text()]
    assert notices
    end_text = window.client_view.period_tab.copy_text(SERVICE_END)
    assert end_text is not None and OUTLIVES in end_text
    page = window.today
    page.refresh()
    card = _cards(window)[reminders.DECISION_OUTLIVES_PERIOD]
    assert "SOS-2026-17" in " ".join(lbl.text() for lbl in card.findChildren(QLabel))
    (handled,) = card.findChildren(QPushButton, "dismissReminder")
    handled.click()  # marked handled: gone from the list
    assert reminders.DECISION_OUTLIVES_PERIOD not in _cards(window)


def _cards(window: MainWindow) -> dict[str, QFrame]:
    """The Today page's reminder cards by kind."""
    layout = window.today.reminder_list
    widgets = [layout.itemAt(i).widget() for i in range(layout.count())]
    return {
        str(w.property("kind")): w
        for w in widgets
        if isinstance(w, QFrame) and w.objectName() == "reminderCard"
    }


def test_other_dated_things_past_the_end_are_said_too(
    shell: tuple[AppContext, MainWindow, str, str],
) -> None:
    """QA: only the §17 decision was checked against the end day. An activity-money
    decision, a transport card, key dates and a plan review after it are said too."""
    ctx, window, client_id, _ = shell
    period = window.client_view.period()
    assert period is not None
    money = models.Decision(
        id=new_id(),
        period_id=period.id,
        kind=codes.DECISION_ACTIVITY_MONEY,
        valid_from=date(2026, 11, 4),
        valid_to=date(2026, 12, 3),
        number="TR-2026-8",
        rate_cents=900,
    )
    card = models.Decision(
        id=new_id(),
        period_id=period.id,
        kind=codes.DECISION_TRANSPORT_CARD,
        valid_from=date(2026, 10, 1),
        valid_to=date(2026, 12, 29),
        number="MK-2026-3",
    )
    plan = models.ImplementationPlan(
        id=new_id(), period_id=period.id, made_on=date(2026, 9, 1), review_on=date(2026, 12, 22)
    )
    with ctx.store.write() as w:
        for row in (money, card, plan):
            w.add(row)
    plan_period(ctx.store, period.id)
    window.open_client(client_id)
    wizard = _end(window, date(2026, 11, 19))
    text = wizard.consequences.text()
    assert OUTLIVES in text
    assert "Toimintarahapäätös TR-2026-8 on voimassa 3.12.2026 asti" in text
    assert "toteutuneilta päiviltä" in text
    assert "Matkakorttipäätös MK-2026-3 on voimassa 29.12.2026 asti" in text
    assert "poistuvat suunnitelmasta: Väliarvio" in text
    assert "tarkistuspäivä 22.12.2026 on jakson päättymisen jälkeen" in text
    wizard.reason.setCurrentIndex(wizard.reason.findData(codes.END_MOVED_TO_SERVICE))
    wizard.next()
    wizard.final.setPlainText("Siirtyy työtoimintaan.")
    wizard.next()
    wizard.button(QWizard.WizardButton.FinishButton).click()
    window.open_client(client_id)
    overview = " ".join(w.text() for w in window.client_view.overview.findChildren(QLabel))
    assert "Matkakorttipäätös MK-2026-3" in overview and "TR-2026-8" in overview
    assert "tarkistuspäivä 22.12.2026" in overview
    outliving = window.client_view.decisions.outliving.text()
    assert "MK-2026-3" in outliving and "TR-2026-8" in outliving and "SOS-2026-17" in outliving
    end_text = window.client_view.period_tab.copy_text(SERVICE_END)
    assert end_text is not None and "Matkakorttipäätös MK-2026-3" in end_text
    window.today.refresh()
    found = {c.property("kind") for c in _cards_all(window)}
    assert found == {reminders.DECISION_OUTLIVES_PERIOD}
    assert len(_cards_all(window)) == 3  # §17, activity money, transport card


def _cards_all(window: MainWindow) -> list[QFrame]:
    layout = window.today.reminder_list
    widgets = [layout.itemAt(i).widget() for i in range(layout.count())]
    return [w for w in widgets if isinstance(w, QFrame) and w.objectName() == "reminderCard"]
