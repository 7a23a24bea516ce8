"""Enter saves, Escape asks: the keyboard contract of every form dialog.

Qt's ``QDialog`` makes the *first* auto-default push button the default when
none is set, so a dialog that lays out "Cancel  Save" turned Enter into
Cancel and threw the typed number away. Every form dialog therefore names
its default action (``guard_form``): that button is the only default, other
buttons never take Enter over, and Enter anywhere in a one-line field runs
it. Cancel, Escape and the window's close button on a form whose values
changed since it was shown ask before discarding (``GuardedDialog`` and
``GuardedWizard``); an unchanged form closes at once.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSlider,
    QTextEdit,
    QWidget,
    QWizard,
)

from sosku_desktop import i18n
from sosku_desktop.ui.widgets.lifetime import alive, open_dialog


def form_state(root: QWidget) -> list[object]:
    """The values of every input under ``root``, in a comparable list."""
    values: list[object] = []
    for widget in root.findChildren(QWidget):
        if isinstance(widget, QLineEdit):
            values.append(widget.text())
        elif isinstance(widget, (QPlainTextEdit, QTextEdit)):
            values.append(widget.toPlainText())
        elif isinstance(widget, QAbstractSpinBox):
            values.append(widget.text())
        elif isinstance(widget, QComboBox):
            values.append((widget.currentIndex(), widget.currentText()))
        elif isinstance(widget, (QCheckBox, QRadioButton)):
            values.append(widget.isChecked())
        elif isinstance(widget, QSlider):
            values.append(widget.value())
        elif isinstance(widget, QListWidget):
            values.append(tuple(widget.item(i).checkState() for i in range(widget.count())))
        elif callable(value := getattr(widget, "form_value", None)):
            values.append(value())  # a form's own input (a self-assessment's scale row)
    return values


def guard_form(dialog: QWidget, default: QPushButton) -> None:
    """Make ``default`` the dialog's one default action (Enter), whatever has focus.

    Call after the dialog's widgets exist. No other button is auto-default, so
    a focused Cancel or Back never takes Enter over: one-line fields, combo
    boxes, spin boxes, check boxes and buttons pass Enter on to the dialog,
    which clicks ``default`` (``QDialog.keyPressEvent``). Multi-line text keeps
    Enter for new lines; a focused button keeps Space. No Python event filter
    is involved (PySide calls one even while its objects are being destroyed).
    """
    for other in dialog.findChildren(QPushButton):
        if other is not default:
            other.setAutoDefault(False)
            other.setDefault(False)
    default.setAutoDefault(True)
    default.setDefault(True)
    dialog.setProperty("formDefault", default.objectName() or default.text())


class _DiscardGuard:
    """Shared by the dialog and wizard classes below (a plain mixin, before Qt's class)."""

    #: The language of the discard question (set from the dialog's context).
    guard_lang = i18n.DEFAULT_LANGUAGE
    _guard_snapshot: list[object] | None = None
    _guard_discarding = False
    discard_box: QMessageBox | None = None

    def snapshot_form(self) -> None:
        """Remember the values as shown; later changes make the form dirty."""
        assert isinstance(self, QWidget)
        self._guard_snapshot = form_state(self)

    def is_dirty(self) -> bool:
        assert isinstance(self, QWidget)
        return self._guard_snapshot is not None and form_state(self) != self._guard_snapshot

    def _guarded_reject(self, reject: Callable[[], None]) -> None:
        if self._guard_discarding or not self.is_dirty():
            self._guard_discarding = False
            reject()
            return
        self.ask_discard(reject)

    def ask_discard(self, reject: Callable[[], None]) -> QMessageBox:
        """Ask before throwing typed input away; "Keep editing" is the default."""
        assert isinstance(self, QWidget)
        own = getattr(self, "lang", None)  # most dialogs keep their language as ``lang``
        lang = own if isinstance(own, str) and own in i18n.LANGUAGES else self.guard_lang
        box = QMessageBox(self)
        box.setObjectName("discardQuestion")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(i18n.tr("ui.form.discard_title", lang))
        box.setText(i18n.tr("ui.form.discard_question", lang))
        discard = box.addButton(
            i18n.tr("ui.form.discard", lang), QMessageBox.ButtonRole.DestructiveRole
        )
        keep = box.addButton(
            i18n.tr("ui.form.keep_editing", lang), QMessageBox.ButtonRole.RejectRole
        )
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)

        def chosen(clicked: QAbstractButton) -> None:
            if clicked is discard:
                self._guard_discarding = True
                self._guarded_reject(reject)

        box.buttonClicked.connect(chosen)
        self.discard_box = box
        return open_dialog(box)  # deleted once answered


def accept_button(dialog: QWidget) -> QPushButton | None:
    """The button that accepts ``dialog``: its default, else a button box's accept button."""
    for candidate in dialog.findChildren(QPushButton):
        if candidate.isDefault():
            return candidate
    for box in dialog.findChildren(QDialogButtonBox):
        for found in box.buttons():
            roles = QDialogButtonBox.ButtonRole
            if box.buttonRole(found) in (roles.AcceptRole, roles.YesRole):
                return found if isinstance(found, QPushButton) else None
    return None


class GuardedDialog(_DiscardGuard, QDialog):
    """A form dialog: Enter = its default action; a changed form asks before closing.

    The form is remembered when the dialog is opened (``open`` / ``exec``);
    a dialog that did not call ``guard_form`` itself then gets its button
    box's accept button (OK / Save) as the default. No ``__init__`` or
    ``showEvent`` override and no timers: PySide crashed in a later
    ``setStyleSheet`` on dialog subclasses built that way.
    """

    def settle(self) -> None:
        """Name the default action (if not yet named) and remember the form as shown."""
        if self.property("formDefault") is None and (found := accept_button(self)) is not None:
            guard_form(self, found)
        if self._guard_snapshot is None:
            self.snapshot_form()
        self.ctrl_enter_saves()

    def ctrl_enter_saves(self) -> None:
        """Ctrl+Enter is the default action from any field, also multi-line text (where
        Enter makes a new line). A dialog with its own Ctrl+Enter keeps it: two shortcuts
        on one key would make Qt run neither."""
        if self.property("ctrlEnterSaves"):
            return
        self.setProperty("ctrlEnterSaves", True)
        own = {s.key().toString() for s in self.findChildren(QShortcut)}
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            if QKeySequence(keys).toString() not in own:
                QShortcut(QKeySequence(keys), self, self._press_default)

    def _press_default(self) -> None:
        default = accept_button(self)
        if default is not None and default.isVisible() and default.isEnabled():
            default.click()

    def open(self) -> None:  # Qt's name; shown through ui/widgets/lifetime.py
        self.settle()
        QDialog.open(self)

    def exec(self) -> int:  # Qt's name; shown through ui/widgets/lifetime.py
        self.settle()
        return int(QDialog.exec(self))

    def reject(self) -> None:  # Qt's name
        self._guarded_reject(super().reject)


class GuardedWizard(_DiscardGuard, QWizard):
    """A wizard: Next/Finish is the default, Back never takes Enter, Escape asks.

    Tab from a page's last field goes to Next (or Finish) before Back, so
    Tab then Enter moves forward, never a page back. A wizard calls
    ``guard_wizard()`` at the end of its ``__init__``; the form is remembered
    then. Escape and Cancel on a changed wizard ask as a form dialog does
    ("Keep editing" the default). Without a Python ``reject`` override: one
    on a QWizard subclass made PySide crash in a later ``setStyleSheet``
    (full ``tests/ui`` run). So Escape is a window shortcut (it comes before
    ``QDialog.keyPressEvent``, and not while a combo's list or the question
    itself is the active window), Cancel's ``clicked`` is re-routed from
    Qt's ``reject`` to the same question, and the window's close button is
    caught by an event filter (``_CloseAsks``), not a ``closeEvent`` override.
    """

    def guard_wizard(self) -> None:
        self.forward_keys()
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.finish_or_next)
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.cancel_asking)
        escape.setObjectName("wizardEscape")
        cancel = self.button(QWizard.WizardButton.CancelButton)
        cancel.clicked.disconnect()  # Qt's own connection to reject()
        cancel.clicked.connect(self.cancel_asking)
        _CloseAsks(self)
        self.snapshot_form()

    def cancel_asking(self) -> None:
        """Escape or Cancel: close at once when nothing changed, else ask first."""
        box = self.discard_box
        if box is not None and alive(box) and box.isVisible():
            return  # already asking
        self._guarded_reject(self.reject)

    def finish_or_next(self) -> None:
        """Ctrl+Enter, as in every form: finish when this page can, else the next page
        (``next`` validates the page first). Works from inside multi-line text too."""
        finish = self.button(QWizard.WizardButton.FinishButton)
        if finish.isVisible() and finish.isEnabled():
            finish.click()
        else:
            self.next()

    def forward_keys(self) -> None:
        which = QWizard.WizardButton
        back, cancel = self.button(which.BackButton), self.button(which.CancelButton)
        forward = [self.button(w) for w in (which.NextButton, which.CommitButton)]
        forward.append(self.button(which.FinishButton))
        for button in (back, cancel):
            if isinstance(button, QPushButton):
                button.setAutoDefault(False)
                button.setDefault(False)
        chain = [*forward, back, cancel]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)


class _CloseAsks(QObject):
    """The window's close button on a changed wizard asks, as Escape and Cancel do.

    An event filter on the wizard (a child of it, so it goes with it) rather
    than a ``closeEvent`` override on the QWizard subclass (see
    ``GuardedWizard``). Qt's own closing after Finish, Cancel or a discard
    (``QDialog.done``) eats its close event before this filter sees it.
    """

    def __init__(self, wizard: GuardedWizard) -> None:
        super().__init__(wizard)
        wizard.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.Close:
            return False  # nothing else is looked at (also not while being destroyed)
        wizard = self.parent()
        if watched is not wizard or not isinstance(wizard, GuardedWizard):
            return False
        if wizard._guard_discarding or not wizard.is_dirty():
            return False  # QDialog.closeEvent rejects: closed at once
        event.ignore()
        wizard.cancel_asking()
        return True


def ask_about_unsaved(window: QWidget) -> bool:
    """Closing the main window with a changed form open asks in that form first.

    Closing the app used to reject every open dialog, throwing away a
    half-written meeting note without a word. True when a visible form
    dialog or wizard under ``window`` holds changed values: it is raised and
    asks "Discard changes?" ("Keep editing" the default), and the caller
    keeps the window open; once the form is saved or discarded, closing
    again goes on.
    """
    for form in window.findChildren(QDialog):
        if not isinstance(form, _DiscardGuard) or not form.isVisible():
            continue
        if form._guard_discarding or not form.is_dirty():
            continue
        form.raise_()
        form.activateWindow()
        box = form.discard_box
        if box is not None and alive(box) and box.isVisible():
            box.raise_()  # already asking
        elif isinstance(form, GuardedWizard):
            form.cancel_asking()
        else:
            form.reject()  # GuardedDialog.reject asks
        return True
    return False
