"""One client through all six phases, in the real window on the real encrypted store.

Intake with needs mapping → agreement with details → implementation plan →
meetings (and a group) → interim evaluation → continuation decision →
ending with reason and final evaluation. At each step the paste-ready text
is copied the way the worker does it and checked for its fields.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QWidget, QWizard
from pytestqt.qtbot import QtBot

from sosku_desktop.documents.kinds import (
    FINAL_EVALUATION,
    IMPLEMENTATION_PLAN,
    INTERIM_EVALUATION,
    SERVICE_END,
    SERVICE_START,
)
from sosku_desktop.domain import codes, models
from sosku_desktop.domain.lifecycle import Ending, phases_done
from sosku_desktop.domain.periods import decision_block
from sosku_desktop.operations.decisions import save_decision
from sosku_desktop.operations.documents import build_and_log
from sosku_desktop.operations.groups import add_member
from sosku_desktop.operations.meetings import MeetingDraft, save_meeting
from sosku_desktop.store.writer import new_id
from sosku_desktop.ui.client.tabs.base import period_records
from sosku_desktop.ui.client.tabs.decision_dialog import DecisionDialog
from sosku_desktop.ui.dialogs.end_period_dialog import EndPeriodDialog
from sosku_desktop.ui.dialogs.period_forms import AgreementDialog, EvaluationDialog, PlanDialog
from sosku_desktop.ui.shell.context import AppContext
from sosku_desktop.ui.shell.main_window import MainWindow
from tests.ui import shell_support as s

START = s.TODAY - timedelta(days=200)


@pytest.fixture
def shell(tmp_path: Path, qtbot: QtBot) -> Iterator[tuple[AppContext, MainWindow]]:
    store = s.empty_store(tmp_path)
    ctx = s.context(store)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    yield ctx, window
    window.close()
    store.close()


def _intake(ctx: AppContext, window: MainWindow) -> tuple[models.Client, models.Period]:
    wizard = window.new_client()
    wizard.client_page.first_name.setText("Aino")
    wizard.client_page.last_name.setText("Korhonen")
    wizard.next()
    wizard.period_page.start.setDate(QDate(START.year, START.month, START.day))
    wizard.next()
    for code in ("wants_change", "can_commit", "no_acute_crisis"):
        wizard.intake_page.boxes[code].setChecked(True)
    wizard.next()
    wizard.goal_page.goal.setPlainText("Käyn ulkona joka päivä")
    wizard.next()
    needs = wizard.needs_page
    assert wizard.currentPage() is needs
    needs.texts["services_had"].setPlainText("Aikuissosiaalityö, mielenterveystoimisto")
    needs.texts["wants_to_change"].setPlainText("Arki rytmiin")
    wizard.button(QWizard.WizardButton.FinishButton).click()
    with ctx.store.read() as r:
        (client,) = r.clients()
        (period,) = r.periods_of(client.id)
        assert [n.services_had for n in r.list(models.NeedsMapping, period_id=period.id)] == [
            "Aikuissosiaalityö, mielenterveystoimisto"
        ]
        assert r.list(models.PlannedEntry, period_id=period.id)  # the period is in the calendar
    return client, period


def _copy(window: MainWindow, kind: str) -> str:
    text = window.client_view.period_tab.copy_text(kind)
    assert text and QGuiApplication.clipboard().text() == text
    return text


def _agreement(ctx: AppContext, window: MainWindow, client: models.Client) -> None:
    tab = window.client_view.period_tab
    dialog = tab.edit_agreement()
    assert isinstance(dialog, AgreementDialog)
    dialog.texts["meeting_times"].setPlainText("Tiistaisin klo 10")
    dialog.texts["contact"].setPlainText("Tekstiviesti edellisenä päivänä")
    for check in dialog.goal_checks.values():
        check.setChecked(True)
    dialog.signed.setChecked(True)
    dialog.accept()
    agreement = build_and_log(ctx.store, "agreement", "txt", "fi", client.id).data.decode()
    assert "Tiistaisin klo 10" in agreement and "Käyn ulkona joka päivä" in agreement
    start = _copy(window, SERVICE_START)
    for field in ("Palvelutehtävä:", "Palvelu: Sosiaalinen kuntoutus", "Asiakkaan nimi: Aino"):
        assert field in start


def _first_decision(ctx: AppContext, period: models.Period) -> None:
    """The §17 decision of the first 3-month block, made at the start."""
    block = decision_block(START)
    decision = models.Decision(
        id=new_id(),
        period_id=period.id,
        kind=codes.DECISION_REHABILITATION,
        valid_from=block.start,
        valid_to=block.end,
        number="SK-1",
        heard_how="Tavattu henkilökohtaisesti",
        decided_on=START,
    )
    save_decision(ctx.store, decision, None)


def _plan(window: MainWindow) -> None:
    dialog = window.client_view.period_tab.edit_plan()
    assert isinstance(dialog, PlanDialog)
    dialog.accept()  # nothing typed yet: the content is required, nothing is lost
    assert dialog.isVisible() and dialog.boxes["content"].error
    (edits,) = dialog.goal_edits.values()
    edits["means"].setText("Kävelyt ja kirjastokäynnit")
    edits["timetable"].setText("3 kuukautta")
    dialog.content.setPlainText("Kotikäynnit ja kävelyt kahden viikon välein")
    dialog.accept()
    assert not dialog.isVisible()
    text = _copy(window, IMPLEMENTATION_PLAN)
    for field in (
        "Toteuttamissuunnitelma",
        "Keinot: Kävelyt ja kirjastokäynnit",
        "Aikataulu: 3 kuukautta",
        "Palvelun sisältö",
        "Vastuuhenkilö: Sanna Ohjaaja",
        "Tarkistetaan viimeistään",
    ):
        assert field in text, field


def _meetings(ctx: AppContext, client: models.Client, period: models.Period) -> None:
    with ctx.store.read() as r:
        goal_id = r.goals_of(period.id)[0].id
    saved = save_meeting(
        ctx.store,
        MeetingDraft(
            period_id=period.id,
            starts_at=datetime.combine(START + timedelta(days=7), datetime.min.time()).replace(
                hour=10
            ),
            duration_min=90,
            kind=codes.MEETING_WALK,
            place="Rantapuisto",
            methods=["walks_nature"],
            goal_ids=[goal_id],
            notes="Käveltiin rantaan.",
            agreed_next="Ensi kerralla kirjastoon.",
        ),
        s.NOW,
        list(codes.METHODS),
    )
    visit = build_and_log(
        ctx.store, "visit-entry", "txt", "fi", meeting_id=saved.meeting_id
    ).data.decode()
    for field in (
        "Alkamisaika:",
        "Päättymisaika: 11.30",
        "Asiointitapa: Kävelytapaaminen",
        "Paikka: Rantapuisto",
        "Osallistujat: Aino Korhonen (asiakas)",
        "Käveltiin rantaan.",
        "Sovitut asiat\nEnsi kerralla kirjastoon.",
        "Kirjaaja: Sanna Ohjaaja",
    ):
        assert field in visit, field
    with ctx.store.write() as w:
        group = w.add(models.Group(id=new_id(), name="Arjen taidot"))
    add_member(ctx.store, group.id, client.id, START + timedelta(days=60))


def _evaluation(ctx: AppContext, window: MainWindow, qtbot: QtBot) -> None:
    tab = window.client_view.period_tab
    opened: list[object] = []
    window.client_view.dialog_opened.connect(opened.append)
    dialog = tab.record_evaluation()
    assert isinstance(dialog, EvaluationDialog)
    (combo,) = dialog.ratings.values()
    combo.setCurrentIndex(combo.findData(codes.ATTAINMENT_PARTLY))
    dialog.texts["client_view"].setPlainText("Ulkoilu onnistuu jo useimpina päivinä.")
    dialog.texts["what_worked"].setPlainText("Yhteiset kävelyt")
    dialog.texts["changes"].setPlainText("Mukaan ryhmä")
    dialog.accept()
    # continuing: the continuation decision draft is offered at once
    decision_dialog = opened[-1]
    assert isinstance(decision_dialog, DecisionDialog)
    assert decision_dialog.decision().continuation
    decision_dialog.number.setText("SK-2")
    decision_dialog.submit()
    qtbot.waitUntil(lambda: not decision_dialog.isVisible())
    text = _copy(window, INTERIM_EVALUATION)
    for field in (
        "Arvioitava jakso:",
        "Käyn ulkona joka päivä – Osittain saavutettu",
        "Asiakkaan oma näkemys\nUlkoilu onnistuu jo useimpina päivinä.",
        "Mikä toimi\nYhteiset kävelyt",
        "Jatketaan: Kyllä",
    ):
        assert field in text, field


def _ending(ctx: AppContext, window: MainWindow, period: models.Period) -> None:
    tab = window.client_view.period_tab
    wizard = tab.end_period()
    assert isinstance(wizard, EndPeriodDialog)
    wizard.next()  # no reason chosen: refused, with the message under the field
    assert wizard.currentId() == wizard.startId()
    wizard.reason.setCurrentIndex(wizard.reason.findData(codes.END_MOVED_TO_SERVICE))
    wizard.follow_on.setText("Kuntouttava työtoiminta")
    wizard.next()
    wizard.final.setPlainText("Tavoite saavutettiin osittain; siirtyy työtoimintaan.")
    wizard.next()
    wizard.answers["feedback.q_help"].setCurrentIndex(5)
    wizard.answers["feedback.open_helped"].setText("Kävelyt")
    wizard.button(QWizard.WizardButton.FinishButton).click()
    with ctx.store.read() as r:
        ended = r.get(models.Period, period.id)
    assert ended.status == codes.PERIOD_ENDED and ended.end_reason == codes.END_MOVED_TO_SERVICE
    final = _copy(window, FINAL_EVALUATION)
    for field in (
        "Päättymisen syy: Suunniteltu siirtyminen toiseen palveluun",
        "Jatkopalvelu: Kuntouttava työtoiminta",
        "Loppuarvio\nTavoite saavutettiin osittain; siirtyy työtoimintaan.",
        "Väliarviot",
        "Sain apua asioihin, joihin toivoin apua: 5",  # not "apua.: 5"
        "Mikä auttoi sinua eniten? Kävelyt",  # not "eniten?: Kävelyt"
    ):
        assert field in final, field
    end = _copy(window, SERVICE_END)
    assert f"Palvelu päättyi: {s.TODAY.day}.{s.TODAY.month}.{s.TODAY.year}" in end
    # the period is read-only now, but readable
    shown = {b.objectName(): b for b in tab.findChildren(QPushButton) if b.isVisibleTo(tab)}
    assert "endPeriodButton" not in shown
    assert not shown["edit_agreement"].isEnabled() and not shown["edit_plan"].isEnabled()
    assert shown["copy_final"].isEnabled()
    assert tab.banner.isVisibleTo(tab) and "päättynyt" in tab.banner.text()


def test_one_client_through_all_six_phases(
    shell: tuple[AppContext, MainWindow], qtbot: QtBot
) -> None:
    ctx, window = shell
    client, period = _intake(ctx, window)
    window.open_client(client.id)
    view = window.client_view
    view.tabs.setCurrentWidget(view.period_tab)
    _agreement(ctx, window, client)
    _first_decision(ctx, period)
    _plan(window)
    _meetings(ctx, client, period)
    _evaluation(ctx, window, qtbot)
    _ending(ctx, window, period)
    # an ended period says when it ended, no longer "N days left" of the maximum
    ended_line = ctx.tr("ui.overview.ended", date=ctx.date(s.TODAY))
    qtbot.waitUntil(lambda: ended_line in _texts(view.overview))
    assert "Enimmäiskesto" not in _texts(view.overview)
    # its dates run to the day it ended (not its planned end), in the picker and on the card
    dates = f"{ctx.date(period.start)}–{ctx.date(s.TODAY)}"
    assert period.planned_end != s.TODAY
    assert dates in view.period_combo.currentText()
    assert dates in _texts(view.overview)
    assert view.record is not None
    done = phases_done(period_records(view.record, view.record.periods[0]))
    assert all(done.values()), done
    with ctx.store.read() as r:
        actions = {(e.action, e.record_id) for e in r.audit_of_client(client.id)}
    for kind in (SERVICE_START, IMPLEMENTATION_PLAN, INTERIM_EVALUATION, FINAL_EVALUATION):
        assert (codes.AUDIT_EXPORT, kind) in actions


def test_client_details_are_corrected_and_the_earlier_value_shows(
    shell: tuple[AppContext, MainWindow], qtbot: QtBot
) -> None:
    ctx, window = shell
    client, _ = s.add_client(ctx.store, "Aino", "Korhonen", s.TODAY)
    window.open_client(client.id)
    tab = window.client_view.period_tab
    dialog = tab.edit_client()
    dialog.lines["identity_code"].setText("131052-308A")  # wrong check character
    dialog.accept()
    assert dialog.isVisible() and dialog.boxes["identity_code"].error
    dialog.lines["identity_code"].setText("")
    dialog.lines["last_name"].setText("Virtanen")
    dialog.accept()
    assert window.client_view.name.text() == "Aino Virtanen"
    again = tab.edit_client()
    notes = [w.text() for w in again.findChildren(QLabel)]
    assert any("Korhonen" in text for text in notes)
    again.reject()


def _texts(widget: QWidget) -> str:
    """The texts a worker sees (cleared labels wait hidden for deletion)."""
    return "\n".join(lab.text() for lab in widget.findChildren(QLabel) if lab.isVisibleTo(widget))


def test_tab_from_the_tab_bar_lands_on_the_period_tab_first_button(
    shell: tuple[AppContext, MainWindow], qtbot: QtBot
) -> None:
    """The page's scroll area is no tab stop of its own (it was: one Tab that showed nothing)."""
    ctx, window = shell
    client, _ = s.add_client(ctx.store, "Aino", "Korhonen", START)
    window.resize(1366, 768)
    window.open_client(client.id)
    view = window.client_view
    view.tabs.setCurrentWidget(view.period_tab)
    view.tabs.tabBar().setFocus()
    QTest.keyClick(view.tabs.tabBar(), Qt.Key.Key_Tab)
    assert isinstance(QApplication.focusWidget(), QPushButton)
    assert QApplication.focusWidget().objectName() == "edit_needs"


def test_the_end_wizard_refuses_an_end_before_the_last_held_meeting(
    shell: tuple[AppContext, MainWindow], qtbot: QtBot
) -> None:
    """The day is named under the end date, before anything is written."""
    ctx, window = shell
    client, period = s.add_client(ctx.store, "Elina", "Salo", START)
    held = s.TODAY - timedelta(days=2)
    with ctx.store.write() as w:
        w.add(
            models.Meeting(
                id=new_id(),
                period_id=period.id,
                starts_at=datetime.combine(held, datetime.min.time()).replace(hour=10),
                status=codes.MEETING_REALISED,
            )
        )
    window.open_client(client.id)
    view = window.client_view
    view.tabs.setCurrentWidget(view.period_tab)
    wizard = view.period_tab.end_period()
    early = held - timedelta(days=10)
    wizard.ended_on.setDate(QDate(early.year, early.month, early.day))
    wizard.reason.setCurrentIndex(wizard.reason.findData(codes.END_GOALS_REACHED))
    wizard.next()
    assert wizard.currentId() == wizard.startId()
    message = wizard.page(wizard.startId()).boxes["ended_on"].error  # type: ignore[attr-defined]
    assert f"{held.day}.{held.month}.{held.year}" in message
    wizard.ended_on.setDate(QDate(held.year, held.month, held.day))
    wizard.next()
    assert wizard.currentId() != wizard.startId()


def test_a_new_period_after_one_ended_today_begins_the_next_day(
    shell: tuple[AppContext, MainWindow], qtbot: QtBot
) -> None:
    """ "Start a new period" began it today, a day the ended period still held."""
    from sosku_desktop.operations.period_lifecycle import end_period

    ctx, window = shell
    client, period = s.add_client(ctx.store, "Tiina", "Mäkelä", START)
    ending = Ending(s.TODAY, codes.END_GOALS_REACHED, "Tavoitteet saavutettiin.")
    end_period(ctx.store, period.id, ending, s.TODAY)
    window.open_client(client.id)
    view = window.client_view
    view.tabs.setCurrentWidget(view.period_tab)
    view.period_tab.start_new_period()
    with ctx.store.read() as r:
        new = next(p for p in r.periods_of(client.id) if p.id != period.id)
    assert new.start == s.TODAY + timedelta(days=1)
    assert new.status == codes.PERIOD_PLANNED


def test_an_ended_periods_texts_are_copied_after_a_new_period_started(
    shell: tuple[AppContext, MainWindow], qtbot: QtBot
) -> None:
    """With the ended period chosen in the view, 'Copy final evaluation' said the period
    had not ended: texts and documents were built for the client's new period."""
    from sosku_desktop.operations.period_lifecycle import end_period, start_new_period

    ctx, window = shell
    client, period = s.add_client(ctx.store, "Tiina", "Mäkelä", START)
    ending = Ending(
        s.TODAY - timedelta(days=5), codes.END_GOALS_REACHED, "Tavoitteet saavutettiin."
    )
    end_period(ctx.store, period.id, ending, s.TODAY)
    start_new_period(ctx.store, client.id, s.TODAY, s.TODAY + timedelta(days=300), None, s.TODAY)
    window.open_client(client.id)
    view = window.client_view
    view.period_combo.setCurrentIndex(view.period_combo.findData(period.id))
    view.tabs.setCurrentWidget(view.period_tab)
    final = _copy(window, FINAL_EVALUATION)
    assert "Tavoitteet saavutettiin." in final
    end = _copy(window, SERVICE_END)
    ended = s.TODAY - timedelta(days=5)
    assert f"{ended.day}.{ended.month}.{ended.year}" in end
    view.tabs.setCurrentWidget(view.documents)
    assert view.documents.current_key() is not None
    assert period.id in view.documents.current_key()  # type: ignore[operator]


def test_start_a_new_period_is_offered_only_on_the_clients_latest_ended_period(
    shell: tuple[AppContext, MainWindow], qtbot: QtBot
) -> None:
    """QA walk: the older ended period offered 'Start a new period' while a newer one
    ran; clicking it was refused. The domain decides (``may_start_new_period_from``)."""
    from sosku_desktop.operations.period_lifecycle import end_period, start_new_period

    ctx, window = shell
    client, period = s.add_client(ctx.store, "Tiina", "Mäkelä", START)
    ending = Ending(
        s.TODAY - timedelta(days=5), codes.END_GOALS_REACHED, "Tavoitteet saavutettiin."
    )
    end_period(ctx.store, period.id, ending, s.TODAY)
    window.open_client(client.id)
    view = window.client_view
    view.tabs.setCurrentWidget(view.period_tab)
    tab = view.period_tab

    def shown() -> set[str]:
        return {b.objectName() for b in tab.findChildren(QPushButton) if b.isVisibleTo(tab)}

    qtbot.waitUntil(lambda: "copy_final" in shown())
    assert "new_period" in shown()  # the latest period ended: a new one may start
    start_new_period(ctx.store, client.id, s.TODAY, s.TODAY + timedelta(days=300), None, s.TODAY)
    window.open_client(client.id)
    view = window.client_view
    view.period_combo.setCurrentIndex(view.period_combo.findData(period.id))
    view.tabs.setCurrentWidget(view.period_tab)
    tab = view.period_tab
    qtbot.waitUntil(lambda: "copy_final" in shown())
    assert "new_period" not in shown()
