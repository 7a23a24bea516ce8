"""New client + period wizard: validation next to fields, intake advice, one transaction."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDate
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot

from sosku_desktop.domain import codes, models
from sosku_desktop.domain.periods import max_end
from sosku_desktop.ui.shell.context import AppContext
from sosku_desktop.ui.shell.main_window import MainWindow
from tests.ui import shell_support as s


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


def _next(wizard: QWizard) -> None:
    wizard.button(QWizard.WizardButton.NextButton).click()


def test_new_client_and_period_through_the_wizard(
    shell: tuple[AppContext, MainWindow], qtbot: QtBot
) -> None:
    ctx, window = shell
    window.go("clients")
    window.clients.new_button.click()
    wizard = window.dialogs[-1]
    assert isinstance(wizard, QWizard) and wizard.isVisible()
    page = wizard.client_page  # type: ignore[attr-defined]

    # nothing typed: both names are required, and the wizard stays on the page
    _next(wizard)
    assert wizard.currentPage() is page
    first_error = page.errors.fields["first_name"][1]
    assert first_error.isVisible() and first_error.text() == ctx.tr("validation.required")

    QTest.keyClicks(page.first_name, "Aino")
    QTest.keyClicks(page.last_name, "Korhonen")
    QTest.keyClicks(page.identity_code, "131052-308A")  # wrong check character
    QTest.keyClicks(page.phone, "040 123 4567")
    _next(wizard)
    assert wizard.currentPage() is page
    hetu_error = page.errors.fields["identity_code"][1]
    assert hetu_error.text() == ctx.tr("validation.identity_code_invalid")
    assert not first_error.isVisible()
    page.identity_code.setText("131052-308t")
    _next(wizard)

    period_page = wizard.period_page  # type: ignore[attr-defined]
    assert wizard.currentPage() is period_page
    start = s.TODAY - timedelta(days=3)
    period_page.start.setDate(QDate(start.year, start.month, start.day))
    end = max_end(start)
    assert period_page.planned_end.date() == QDate(end.year, end.month, end.day)
    period_page.planned_end.setDate(QDate(end.year + 1, end.month, end.day))  # too long
    _next(wizard)
    assert wizard.currentPage() is period_page
    assert period_page.errors.fields["planned_end"][1].isVisible()
    period_page.planned_end.setDate(QDate(end.year, end.month, end.day))
    _next(wizard)

    intake = wizard.intake_page  # type: ignore[attr-defined]
    assert wizard.currentPage() is intake
    assert intake.outcome.text() == ctx.tr("intake.outcome.incomplete")
    for code in ("wants_change", "can_commit", "no_acute_crisis", "risk_of_dropping_out"):
        intake.boxes[code].setChecked(True)
    assert intake.outcome.text() == ctx.tr("intake.outcome.offer")
    intake.boxes["acute_crisis"].setChecked(True)
    assert intake.outcome.text() == ctx.tr("intake.outcome.not_now")
    intake.boxes["acute_crisis"].setChecked(False)
    _next(wizard)

    goal_page = wizard.goal_page  # type: ignore[attr-defined]
    goal_page.goal.setPlainText("Haluan päästä kotoa ulos useammin.")
    wizard.button(QWizard.WizardButton.FinishButton).click()

    with ctx.store.read() as r:
        (client,) = r.clients()
        (period,) = r.periods_of(client.id)
        (goal,) = r.goals_of(period.id)
    assert (client.first_name, client.last_name) == ("Aino", "Korhonen")
    assert client.identity_code == "131052-308T"
    assert client.worker_id == ctx.store.worker_id
    assert period.start == start and period.planned_end == end
    assert period.status == codes.PERIOD_ACTIVE
    assert period.worker_id == ctx.store.worker_id
    assert period.intake["risk_of_dropping_out"] is True
    assert period.intake["acute_crisis"] is False
    assert goal.text == "Haluan päästä kotoa ulos useammin." and goal.level == codes.GOAL_MAIN
    # the new client's record is open, and the opening is in the access log
    assert window.client_view.isVisible()
    assert window.client_view.name.text() == "Aino Korhonen"
    with ctx.store.read() as r:
        actions = [e.action for e in r.audit_of_client(client.id)]
    assert codes.AUDIT_VIEW in actions and codes.AUDIT_CREATE in actions


def test_duplicate_identity_code_is_refused(
    shell: tuple[AppContext, MainWindow], qtbot: QtBot
) -> None:
    ctx, window = shell
    client, _ = s.add_client(ctx.store, "Juha", "Nieminen", s.TODAY)
    client.identity_code = "131052-308T"
    with ctx.store.write() as w:
        w.update(client)
    wizard = window.new_client()
    page = wizard.client_page
    page.first_name.setText("Juha")
    page.last_name.setText("Nieminen")
    page.identity_code.setText("131052-308T")
    assert not page.validatePage()
    assert page.errors.fields["identity_code"][1].text() == ctx.tr("ui.wizard.duplicate_identity")


def test_new_period_for_an_existing_client_skips_the_client_page(
    shell: tuple[AppContext, MainWindow], qtbot: QtBot
) -> None:
    ctx, window = shell
    client = models.Client(id="c-1", first_name="Sari", last_name="Koskinen")
    with ctx.store.write() as w:
        w.add(client)
    window.open_client(client.id)
    overview = window.client_view.overview
    button = overview.findChild(type(window.lock_button), "newPeriodButton")
    assert button is not None
    qtbot.waitUntil(button.isVisible)  # layouts show new children on the next event loop turn
    button.click()
    wizard = window.dialogs[-1]
    assert isinstance(wizard, QWizard)
    assert wizard.currentPage() is wizard.period_page  # type: ignore[attr-defined]
    wizard.period_page.start.setDate(QDate(2026, 12, 1))  # type: ignore[attr-defined]
    assert wizard.period_page.status.currentData() == codes.PERIOD_PLANNED  # type: ignore[attr-defined]
    _next(wizard)
    _next(wizard)
    wizard.button(QWizard.WizardButton.FinishButton).click()
    with ctx.store.read() as r:
        (period,) = r.periods_of(client.id)
        assert r.goals_of(period.id) == []
        assert len(r.clients()) == 1
    assert period.status == codes.PERIOD_PLANNED
    assert window.client_view.period_combo.count() == 1


def test_tab_from_the_goal_goes_forward_and_enter_never_goes_back(
    shell: tuple[AppContext, MainWindow], qtbot: QtBot
) -> None:
    """Issue 12: Tab from the goal text landed on "Previous", so Enter went back a page;
    and the new client (no decision yet) was offered "draft continuation decision"."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    ctx, window = shell
    window.go("clients")
    window.clients.new_button.click()
    wizard = window.dialogs[-1]
    assert isinstance(wizard, QWizard)
    qtbot.waitExposed(wizard)
    page = wizard.client_page  # type: ignore[attr-defined]
    page.first_name.setText("Sari")
    page.last_name.setText("Koskinen")
    _next(wizard)
    _next(wizard)
    _next(wizard)
    goal_page = wizard.goal_page  # type: ignore[attr-defined]
    assert wizard.currentPage() is goal_page
    wizard.activateWindow()
    goal_page.goal.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is goal_page.goal)
    QTest.keyClicks(goal_page.goal, "Kayn kaupassa itse")
    QTest.keyClick(goal_page.goal, Qt.Key.Key_Tab)
    focused = QApplication.focusWidget()
    back = wizard.button(QWizard.WizardButton.BackButton)
    forward = {
        wizard.button(QWizard.WizardButton.NextButton),
        wizard.button(QWizard.WizardButton.FinishButton),
    }
    assert focused is not back and focused in forward
    assert not back.autoDefault() and not back.isDefault()
    goal_id = wizard.currentId()
    QTest.keyClick(focused, Qt.Key.Key_Return)
    assert wizard.isHidden() or wizard.currentId() > goal_id
    if not wizard.isHidden():
        wizard.button(QWizard.WizardButton.FinishButton).click()
    with ctx.store.read() as r:
        (client,) = r.clients()
        (period,) = r.periods_of(client.id)
        assert [g.text for g in r.goals_of(period.id)] == ["Kayn kaupassa itse"]
    decisions = window.client_view.decisions
    assert decisions.continue_button.text() == ctx.tr("ui.decisions.draft_first")
    assert decisions.continue_button.text() != ctx.tr("ui.decisions.draft_continuation")


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_every_page_fits_a_1024_wide_screen_with_large_text(
    tmp_path: Path, qtbot: QtBot, lang: str
) -> None:
    """At 150 % text the intake checklist's sentences did not wrap: the wizard grew to
    1199 px (fi) / 1234 px (sv), wider than a 1024×600 laptop, cutting both edges."""
    from tests.ui.layout_support import themed

    with themed(text_scale=1.5):
        store = s.empty_store(tmp_path)
        ctx = s.context(store, lang)
        window = MainWindow(ctx)
        qtbot.addWidget(window)
        window.resize(1024, 600)
        window.show()
        wizard = window.new_client()
        wizard.client_page.first_name.setText("Aino")
        wizard.client_page.last_name.setText("Korhonen")
        for _ in range(4):
            wizard.next()
            page = wizard.currentPage()
            assert wizard.minimumSizeHint().width() <= 1024, page.objectName()
            assert page.minimumSizeHint().width() <= 1000, page.objectName()
        wizard.hide()
        window.close()
        store.close()
