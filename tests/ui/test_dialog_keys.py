"""Every form dialog: Enter is its default action and never throws typed input away.

Issue 12: in the decision dialog Enter meant Cancel (Qt makes the first
auto-default button the default, and "Cancel" was laid out first), so the
number just typed was lost. This walks every dialog class of ``ui/dialogs``
and ``ui/client``, types into a one-line field, presses Escape (a changed
form must ask first and keep the text), then Enter (the dialog must save or
move forward — never close rejected).
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QTabBar,
    QWidget,
    QWizard,
)
from pytestqt.qtbot import QtBot

import sosku_desktop.ui.client
import sosku_desktop.ui.dialogs
from sosku_desktop.domain import models
from sosku_desktop.operations import groups
from sosku_desktop.store.writer import new_id
from sosku_desktop.ui.shell.context import AppContext
from sosku_desktop.ui.shell.main_window import MainWindow
from sosku_desktop.ui.widgets.form_guard import accept_button
from sosku_desktop.ui.widgets.lifetime import alive
from tests.ui import shell_support as s

Shell = tuple[AppContext, MainWindow]
TYPED = "Enter-testi 17"


@pytest.fixture
def shell(tmp_path: Path, qtbot: QtBot) -> Iterator[Shell]:
    store = s.demo_store(tmp_path)
    ctx = s.context(store)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    with store.read() as r:
        client = next(c for c in r.clients() if c.first_name == "Juha")
    window.open_client(client.id)
    yield ctx, window
    window.close()
    store.close()


def _dialog_classes() -> set[str]:
    """Every concrete QDialog subclass defined in ui/dialogs and ui/client."""
    found: set[str] = set()
    for package in (sosku_desktop.ui.dialogs, sosku_desktop.ui.client):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            module = importlib.import_module(info.name)
            for name, cls in inspect.getmembers(module, inspect.isclass):
                ours = cls.__module__ == module.__name__ and issubclass(cls, QDialog)
                if ours and not name.startswith("_") and name != "RecordDialog":
                    found.add(name)
    return found


def _client_view(window: MainWindow):  # type: ignore[no-untyped-def]
    return window.client_view


def _session(window: MainWindow) -> QDialog:
    from sosku_desktop.ui.dialogs.groups_dialogs import SessionDialog

    session = models.GroupSession(id=new_id(), group_id="g", on=s.TODAY, starts_at="13.00")
    return SessionDialog(session, "fi", window)


def _group(window: MainWindow) -> QDialog:
    from sosku_desktop.ui.dialogs.groups_dialogs import GroupDialog

    return GroupDialog(groups.blank_group(), "fi", window)


def _expense(window: MainWindow) -> QDialog | None:
    return window.open_expenses().add_expense()


def _wizard(window: MainWindow) -> QDialog:
    window.go("clients")
    window.clients.new_button.click()
    dialog = window.dialogs[-1]
    assert isinstance(dialog, QDialog)
    return dialog


def _settings(window: MainWindow) -> QDialog:
    dialog = window.open_settings()
    assert isinstance(dialog, QDialog)
    return dialog


FACTORIES: dict[str, Callable[[MainWindow], QDialog | None]] = {
    "MeetingDialog": lambda w: _client_view(w).record_meeting(),
    "DecisionDialog": lambda w: _client_view(w).decisions.draft_continuation(),
    "NeedsDialog": lambda w: _client_view(w).period_tab.edit_needs(),
    "AgreementDialog": lambda w: _client_view(w).period_tab.edit_agreement(),
    "PlanDialog": lambda w: _client_view(w).period_tab.edit_plan(),
    "EvaluationDialog": lambda w: _client_view(w).period_tab.record_evaluation(),
    "EndPeriodDialog": lambda w: _client_view(w).period_tab.end_period(),
    "ClientDialog": lambda w: _client_view(w).period_tab.edit_client(),
    "PeriodDialog": lambda w: _client_view(w).period_tab.edit_period(),
    "ExpenseDialog": _expense,
    "ExpensesDialog": lambda w: w.open_expenses(),
    "SettingsDialog": _settings,
    "GroupDialog": _group,
    "SessionDialog": _session,
    "NewClientWizard": _wizard,
}


def test_every_dialog_class_is_walked() -> None:
    """A new dialog must join the walk below (and so keep the Enter contract)."""
    assert _dialog_classes() == set(FACTORIES)


def _usable(widget: QWidget) -> bool:
    return widget.isVisible() and widget.isEnabled()


def _text_field(dialog: QDialog) -> QLineEdit | QPlainTextEdit | None:
    """The first visible, editable text field (not a spin box's or combo's own)."""
    for field in dialog.findChildren(QLineEdit):
        if isinstance(field.parentWidget(), (QAbstractSpinBox, QComboBox)):
            continue
        if _usable(field) and not field.isReadOnly():
            return field
    boxes = [b for b in dialog.findChildren(QPlainTextEdit) if _usable(b) and not b.isReadOnly()]
    return boxes[0] if boxes else None


def _enter_target(dialog: QDialog, field: QWidget) -> QWidget:
    """Where Enter is pressed: the field itself if one-line, else a one-line control."""
    if isinstance(field, QLineEdit):
        return field
    for widget in dialog.findChildren(QWidget):
        if isinstance(widget, (QCheckBox, QComboBox, QAbstractSpinBox)) and _usable(widget):
            return widget
    raise AssertionError("no one-line control to press Enter in")


def _text(field: QLineEdit | QPlainTextEdit) -> str:
    return field.text() if isinstance(field, QLineEdit) else field.toPlainText()


def _discard_question(dialog: QDialog) -> QMessageBox | None:
    boxes = [b for b in dialog.findChildren(QMessageBox) if b.isVisible()]
    return boxes[0] if boxes else None


def _discard_button(question: QMessageBox) -> QAbstractButton:
    """The question's "Discard" button (the destructive one)."""
    return next(
        b
        for b in question.buttons()
        if question.buttonRole(b) == QMessageBox.ButtonRole.DestructiveRole
    )


#: Wizards: Enter moves forward (tested below); Escape asks as in every form.
WIZARDS = {"NewClientWizard", "EndPeriodDialog"}


@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_enter_saves_and_escape_asks_in_every_dialog(shell: Shell, qtbot: QtBot, name: str) -> None:
    ctx, window = shell
    window.client_view.tabs.setCurrentWidget(window.client_view.period_tab)
    dialog = FACTORIES[name](window)
    assert dialog is not None, name
    assert type(dialog).__name__ == name
    if not dialog.isVisible():
        dialog.open()
    qtbot.waitExposed(dialog)
    QApplication.processEvents()  # the form is remembered once the dialog is built
    results: list[int] = []
    dialog.finished.connect(results.append)
    field = _text_field(dialog)
    if field is None:
        if name == "ExpensesDialog":  # a list with buttons only: nothing typed to lose
            return
        _spin_enter_and_escape(dialog, results)
        return
    field.setFocus()
    field.selectAll()
    QTest.keyClicks(field, TYPED)
    typed = _text(field)
    assert TYPED in typed
    target = _enter_target(dialog, field)

    # Escape on a changed form asks, and keeping on editing keeps the text
    target.setFocus()
    QTest.keyClick(target, Qt.Key.Key_Escape)
    question = _discard_question(dialog)
    assert question is not None and dialog.isVisible(), name
    keep = question.escapeButton()
    assert keep is not None
    keep.click()
    assert dialog.isVisible() and _text(field) == typed and results == []

    # Enter is the default action: saved (accepted) or, if the form is not yet
    # valid, still open with the text — never closed as cancelled
    page_before = dialog.currentId() if isinstance(dialog, QWizard) else None
    target.setFocus()
    QTest.keyClick(target, Qt.Key.Key_Return)
    if isinstance(dialog, QWizard):
        assert results in ([], [QDialog.DialogCode.Accepted.value]), name
        if not results:
            assert page_before is not None and dialog.currentId() >= page_before, name
            assert _text(field) == typed
            dialog.hide()
            dialog.deleteLater()
        return
    if results:
        assert results == [QDialog.DialogCode.Accepted.value], name
    else:
        assert alive(dialog) and dialog.isVisible() and _text(field) == typed, name
    del ctx


@pytest.mark.parametrize("name", sorted(WIZARDS))
def test_enter_in_a_wizard_goes_forward_and_keeps_the_text(
    shell: Shell, qtbot: QtBot, name: str
) -> None:
    _ctx, window = shell
    window.client_view.tabs.setCurrentWidget(window.client_view.period_tab)
    dialog = FACTORIES[name](window)
    assert isinstance(dialog, QWizard) and type(dialog).__name__ == name
    qtbot.waitExposed(dialog)
    field = _text_field(dialog)
    assert isinstance(field, QLineEdit)
    field.setFocus()
    QTest.keyClicks(field, TYPED)
    before = dialog.currentId()
    back = dialog.button(QWizard.WizardButton.BackButton)
    assert not back.autoDefault() and not back.isDefault()
    QTest.keyClick(field, Qt.Key.Key_Return)
    assert dialog.currentId() >= before and TYPED in field.text()
    dialog.hide()
    dialog.deleteLater()


def _spin_enter_and_escape(dialog: QDialog, results: list[int]) -> None:
    """A form of dates and choices only: change one by keyboard, Escape asks, Enter saves."""
    spin = next(w for w in dialog.findChildren(QAbstractSpinBox) if _usable(w))
    spin.setFocus()
    before = spin.text()
    QTest.keyClick(spin, Qt.Key.Key_Down)
    changed = spin.text()
    assert changed != before
    QTest.keyClick(spin, Qt.Key.Key_Escape)
    question = _discard_question(dialog)
    assert question is not None and dialog.isVisible()
    keep = question.escapeButton()
    assert keep is not None
    keep.click()
    assert spin.text() == changed and results == []
    spin.setFocus()
    QTest.keyClick(spin, Qt.Key.Key_Return)
    if results:
        assert results == [QDialog.DialogCode.Accepted.value]
    else:
        assert dialog.isVisible() and spin.text() == changed


#: What a worker can type into or act on at once; a scroll area or the Save button is not.
FIELDS = (
    QLineEdit,
    QPlainTextEdit,
    QComboBox,
    QAbstractSpinBox,
    QCheckBox,
    QAbstractItemView,
    QTabBar,
)
TAB_STOPS = (*FIELDS, QAbstractButton)


@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_a_dialog_opens_with_the_cursor_in_a_field(shell: Shell, qtbot: QtBot, name: str) -> None:
    """Typing straight after opening goes into the form (it went into the record forms'
    scroll area, then to their Save button, so the first letters were lost)."""
    _, window = shell
    window.client_view.tabs.setCurrentWidget(window.client_view.period_tab)
    dialog = FACTORIES[name](window)
    assert dialog is not None
    if not dialog.isVisible():
        dialog.open()
    qtbot.waitExposed(dialog)
    QApplication.processEvents()
    focused = dialog.focusWidget()
    assert isinstance(focused, FIELDS), (name, type(focused).__name__)
    # and Tab never stops on the scroll area around the fields either
    for _ in range(40):
        QTest.keyClick(dialog.focusWidget() or dialog, Qt.Key.Key_Tab)
        assert isinstance(dialog.focusWidget(), TAB_STOPS), (name, type(dialog.focusWidget()))
    dialog.hide()
    dialog.deleteLater()


@pytest.mark.parametrize("name", sorted(set(FACTORIES) - WIZARDS - {"ExpensesDialog"}))
def test_ctrl_enter_in_any_field_is_the_default_action(
    shell: Shell, qtbot: QtBot, name: str
) -> None:
    """The guide's promise for every form: Ctrl+Enter saves from any field, also from
    multi-line text where Enter makes a new line (it did nothing in the period's forms)."""
    _, window = shell
    window.client_view.tabs.setCurrentWidget(window.client_view.period_tab)
    dialog = FACTORIES[name](window)
    assert dialog is not None
    if not dialog.isVisible():
        dialog.open()
    qtbot.waitExposed(dialog)
    QApplication.processEvents()
    default = accept_button(dialog)
    assert default is not None, name
    pressed: list[bool] = []
    default.clicked.connect(lambda: pressed.append(True))
    dialog.accepted.connect(lambda: pressed.append(True))  # a dialog's own Ctrl+Enter
    boxes = [b for b in dialog.findChildren(QPlainTextEdit) if _usable(b) and not b.isReadOnly()]
    field = boxes[0] if boxes else dialog.focusWidget()
    assert field is not None
    field.setFocus()
    QTest.keyClick(field, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert pressed, name
    if alive(dialog) and dialog.isVisible():
        dialog.hide()
        dialog.deleteLater()


def test_enter_in_the_decision_number_saves_the_number(shell: Shell, qtbot: QtBot) -> None:
    """Issue 12 exactly: type the decision number, press Enter, the number is saved."""
    ctx, window = shell
    dialog = window.client_view.decisions.draft_continuation()
    assert dialog is not None
    qtbot.waitExposed(dialog)
    dialog.number.setFocus()
    dialog.number.selectAll()
    QTest.keyClicks(dialog.number, "SOS-2026-417")
    QTest.keyClick(dialog.number, Qt.Key.Key_Return)
    with ctx.store.read() as r:
        numbers = [d.number for d in r.list(models.Decision)]
    assert "SOS-2026-417" in numbers


def test_an_unchanged_form_closes_at_once_and_discard_really_discards(
    shell: Shell, qtbot: QtBot
) -> None:
    ctx, window = shell
    dialog = window.client_view.decisions.new_decision()
    assert dialog is not None
    qtbot.waitExposed(dialog)
    results: list[int] = []
    dialog.finished.connect(results.append)
    QTest.keyClick(dialog, Qt.Key.Key_Escape)
    assert results == [QDialog.DialogCode.Rejected.value]

    dialog = window.client_view.decisions.new_decision()
    assert dialog is not None
    qtbot.waitExposed(dialog)
    QApplication.processEvents()
    results.clear()
    dialog.finished.connect(results.append)
    dialog.number.setFocus()
    QTest.keyClicks(dialog.number, "X-1")
    dialog.reject()  # the Cancel button
    question = _discard_question(dialog)
    assert question is not None and results == []
    discard = _discard_button(question)
    discard.click()
    assert results == [QDialog.DialogCode.Rejected.value]
    with ctx.store.read() as r:
        assert "X-1" not in [d.number for d in r.list(models.Decision)]
    QApplication.processEvents()


@pytest.mark.parametrize("name", sorted(WIZARDS))
def test_a_wizard_asks_before_escape_or_cancel_throws_input_away(
    shell: Shell, qtbot: QtBot, name: str
) -> None:
    """Escape on an unchanged wizard closes it; on a changed one it asks, keep is the default."""
    _ctx, window = shell
    window.client_view.tabs.setCurrentWidget(window.client_view.period_tab)
    dialog = FACTORIES[name](window)
    assert isinstance(dialog, QWizard)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)  # where keys go
    results: list[int] = []
    dialog.finished.connect(results.append)
    QTest.keyClick(dialog.focusWidget() or dialog, Qt.Key.Key_Escape)
    assert results == [QDialog.DialogCode.Rejected.value] and _discard_question(dialog) is None

    dialog = FACTORIES[name](window)
    assert isinstance(dialog, QWizard)
    qtbot.waitExposed(dialog)
    dialog.activateWindow()  # the offscreen platform does not activate a second one itself
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)  # where keys go
    results.clear()
    dialog.finished.connect(results.append)
    field = _text_field(dialog)
    assert isinstance(field, QLineEdit)
    field.setFocus()
    QTest.keyClicks(field, TYPED)
    for close in (
        lambda: QTest.keyClick(field, Qt.Key.Key_Escape),
        dialog.button(QWizard.WizardButton.CancelButton).click,
    ):
        close()
        question = _discard_question(dialog)
        assert question is not None and dialog.isVisible() and results == []
        keep = question.defaultButton()
        assert keep is not None and keep is question.escapeButton()
        QTest.keyClick(question, Qt.Key.Key_Return)  # Enter = the default = keep editing
        assert dialog.isVisible() and TYPED in field.text() and results == []
    dialog.button(QWizard.WizardButton.CancelButton).click()
    question = _discard_question(dialog)
    assert question is not None
    discard = _discard_button(question)
    discard.click()
    assert results == [QDialog.DialogCode.Rejected.value] and not dialog.isVisible()


@pytest.mark.parametrize("name", sorted(WIZARDS))
def test_a_wizard_asks_before_its_close_button_throws_input_away(
    shell: Shell, qtbot: QtBot, name: str
) -> None:
    """The window's close button as Escape and Cancel: unchanged closes, changed asks."""
    _ctx, window = shell
    window.client_view.tabs.setCurrentWidget(window.client_view.period_tab)
    dialog = FACTORIES[name](window)
    assert isinstance(dialog, QWizard)
    qtbot.waitExposed(dialog)
    results: list[int] = []
    dialog.finished.connect(results.append)
    assert dialog.close()  # what the title bar's close button does
    assert results == [QDialog.DialogCode.Rejected.value] and _discard_question(dialog) is None

    dialog = FACTORIES[name](window)
    assert isinstance(dialog, QWizard)
    qtbot.waitExposed(dialog)
    results.clear()
    dialog.finished.connect(results.append)
    field = _text_field(dialog)
    assert isinstance(field, QLineEdit)
    field.setFocus()
    QTest.keyClicks(field, TYPED)
    assert not dialog.close()
    question = _discard_question(dialog)
    assert question is not None and dialog.isVisible() and results == []
    assert not dialog.close()  # asked once, not twice
    assert [b for b in dialog.findChildren(QMessageBox) if b.isVisible()] == [question]
    QTest.keyClick(question, Qt.Key.Key_Return)  # Enter = the default = keep editing
    assert dialog.isVisible() and TYPED in field.text() and results == []
    assert not dialog.close()
    question = _discard_question(dialog)
    assert question is not None
    discard = _discard_button(question)
    discard.click()
    assert results == [QDialog.DialogCode.Rejected.value] and not dialog.isVisible()


@pytest.mark.parametrize("name", ["DecisionDialog", *sorted(WIZARDS)])
def test_closing_the_app_with_a_changed_form_asks_in_the_form_first(
    shell: Shell, qtbot: QtBot, name: str
) -> None:
    """Closing the main window used to reject every open dialog: typed text went silently."""
    _ctx, window = shell
    window.client_view.tabs.setCurrentWidget(window.client_view.period_tab)
    if name == "DecisionDialog":
        dialog: QDialog | None = window.client_view.decisions.new_decision()
    else:
        dialog = FACTORIES[name](window)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    results: list[int] = []
    dialog.finished.connect(results.append)
    field = _text_field(dialog)
    assert isinstance(field, QLineEdit)
    field.setFocus()
    QTest.keyClicks(field, TYPED)
    assert not window.close()  # the window stays, the form asks
    question = _discard_question(dialog)
    assert question is not None and window.isVisible() and dialog.isVisible()
    assert not window.close()  # asked once, not twice
    assert [b for b in dialog.findChildren(QMessageBox) if b.isVisible()] == [question]
    QTest.keyClick(question, Qt.Key.Key_Return)  # keep editing
    assert dialog.isVisible() and TYPED in field.text() and results == []
    assert not window.close()
    question = _discard_question(dialog)
    assert question is not None
    discard = _discard_button(question)
    discard.click()
    assert results == [QDialog.DialogCode.Rejected.value]
    assert window.close()  # nothing unsaved any more: the app closes
