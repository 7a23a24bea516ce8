"""Enter saves, Escape asks: the keyboard contract of every form dialog.

Qt's ``QDialog`` makes the *first* auto-default push button the default when
none is set, so a dialog that lays out "Cancel  Save" turned Enter into
Cancel and threw the typed number away. Every form dialog therefore names
its default action (``guard_form``): that button is the only default, other
buttons never take Enter over, and Enter anywhere in a one-line field runs
it. Cancel, Escape and the window's close button on a form whose values
changed since it was shown ask before discarding (``GuardedDialog`` /
``GuardedWizard``, through their ``FormGuard``); an unchanged form closes at once.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from itertools import pairwise

import shiboken6
from PySide6.QtCore import QTimer
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


class FormGuard:
    """Remembers a form as shown and asks before a changed one is thrown away.

    A plain helper held by the dialog (not a mixin, and no ``showEvent``
    override: PySide crashed later on dialog subclasses built that way).
    """

    def __init__(self, dialog: QDialog) -> None:
        # weak: the dialog holds its guard, and a cycle would keep a closed dialog's
        # wrapper alive after Qt deleted it
        self._dialog = weakref.ref(dialog)
        self.snapshot: list[object] | None = None
        self.discarding = False
        self.box: QMessageBox | None = None

    @property
    def dialog(self) -> QDialog:
        dialog = self._dialog()
        assert dialog is not None
        return dialog

    def take_snapshot(self) -> None:
        """Remember the values as shown; later changes make the form dirty."""
        self.snapshot = form_state(self.dialog)

    def is_dirty(self) -> bool:
        return self.snapshot is not None and form_state(self.dialog) != self.snapshot

    def reject(self, reject: Callable[[], None]) -> None:
        """``reject`` at once if nothing changed (or discarding was chosen), else ask."""
        if self.discarding or not self.is_dirty():
            self.discarding = False
            reject()
            return
        self.ask(reject)

    def ask(self, reject: Callable[[], None]) -> QMessageBox:
        """Ask before throwing typed input away; "Keep editing" is the default."""
        own = getattr(self.dialog, "lang", None)  # most dialogs keep their language as ``lang``
        fallback = getattr(self.dialog, "guard_lang", i18n.DEFAULT_LANGUAGE)
        lang = own if isinstance(own, str) and own in i18n.LANGUAGES else str(fallback)
        box = QMessageBox(self.dialog)
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
                self.discarding = True
                self.reject(reject)

        box.buttonClicked.connect(chosen)
        self.box = box
        box.open()
        return box


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


class GuardedDialog(QDialog):
    """A form dialog: Enter = its default action; a changed form asks before closing.

    A dialog that did not call ``guard_form`` itself gets its button box's
    accept button (OK / Save) as the default once its ``__init__`` is done
    (at the next turn of the event loop), when the form is also remembered.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        #: The language of the discard question when the dialog keeps no ``lang``.
        self.guard_lang = i18n.DEFAULT_LANGUAGE
        self.guard = FormGuard(self)
        # a weak reference: the timer must not keep a closed dialog's wrapper alive
        ref = weakref.ref(self)
        QTimer.singleShot(0, lambda: _settle_later(ref))

    def _settle(self) -> None:
        if not shiboken6.isValid(self):
            return  # deleted before the event loop came round
        if self.property("formDefault") is None and (found := accept_button(self)) is not None:
            guard_form(self, found)
        if self.guard.snapshot is None:
            self.guard.take_snapshot()

    @property
    def discard_box(self) -> QMessageBox | None:
        return self.guard.box

    def is_dirty(self) -> bool:
        return self.guard.is_dirty()

    def reject(self) -> None:  # Qt's name
        self.guard.reject(super().reject)


def _settle_later(ref: weakref.ReferenceType[GuardedDialog]) -> None:
    dialog = ref()
    if dialog is not None:
        dialog._settle()


class GuardedWizard(QWizard):
    """A wizard: Next/Finish is the default, Back never takes Enter; Escape asks.

    Tab from a page's last field goes to Next (or Finish) before Back, so
    Tab then Enter moves forward, never a page back. A wizard calls
    ``guard_wizard()`` at the end of its ``__init__``.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.guard_lang = i18n.DEFAULT_LANGUAGE
        self.guard = FormGuard(self)

    @property
    def discard_box(self) -> QMessageBox | None:
        return self.guard.box

    def guard_wizard(self) -> None:
        self.forward_keys()
        self.guard.take_snapshot()

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

    def reject(self) -> None:  # Qt's name
        self.guard.reject(super().reject)
