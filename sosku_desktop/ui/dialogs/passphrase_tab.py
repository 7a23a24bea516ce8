"""Settings › Passphrase: change it, and what a forgotten one means.

The passphrase unwraps the database key in ``key.json``; a worker whose
passphrase was seen, or who must change it by the city's rules, had no way
to do so. The change runs as an operation in the background (Argon2id
takes a moment) and re-wraps the same key, so nothing else changes. Without
the passphrase nobody can open the data, not IT either: the tab says so,
and what the way on is.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFormLayout, QLineEdit, QVBoxLayout, QWidget

from sosku_desktop.domain import passphrase as passphrase_rule
from sosku_desktop.domain.errors import ValidationError
from sosku_desktop.operations.setup import change_passphrase
from sosku_desktop.ui.shell.context import AppContext
from sosku_desktop.ui.widgets.common import FieldErrors, button, label


class _SecretEdit(QLineEdit):
    """A hidden field whose Enter changes the passphrase and stops there.

    QLineEdit lets Enter on to the dialog, whose default button (Save) would
    also save and close Settings under the worker's hands.
    """

    def keyPressEvent(self, event: QKeyEvent) -> None:
        super().keyPressEvent(event)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()


class PassphraseTab(QWidget):
    """Current passphrase, the new one twice, its strength, and the change button."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("passphraseTab")
        self.ctx = ctx
        tr = ctx.tr
        self.errors = FieldErrors(ctx.lang)
        self.current = self._secret("currentPassphrase")
        self.new = self._secret("newPassphrase")
        self.repeat = self._secret("repeatPassphrase")
        form = QFormLayout()
        for key, edit, field in (
            ("ui.passphrase.current", self.current, "current"),
            ("ui.passphrase.new", self.new, "new"),
            ("ui.passphrase.repeat", self.repeat, "repeat"),
        ):
            box = QVBoxLayout()
            box.setSpacing(2)
            box.addWidget(edit)
            box.addWidget(self.errors.error_label(field, edit))
            form.addRow(tr(key), box)
            edit.setAccessibleName(tr(key))
        layout = QVBoxLayout(self)
        layout.addWidget(label(tr("ui.passphrase.intro"), "muted", wrap=True))
        layout.addLayout(form)
        layout.addWidget(label(tr(passphrase_rule.TOO_SHORT), "muted", wrap=True))
        self.strength = label("", "muted")
        self.strength.setObjectName("passphraseStrength")
        self.new.textChanged.connect(self._show_strength)
        layout.addWidget(self.strength)
        self.change_button = button(tr("ui.passphrase.change"))
        self.change_button.setObjectName("changePassphrase")
        self.change_button.clicked.connect(self.change)
        layout.addWidget(self.change_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.done = label("", "notice", wrap=True)
        self.done.setObjectName("passphraseChanged")
        self.done.hide()
        layout.addWidget(self.done)
        layout.addWidget(label(tr("ui.passphrase.forgotten"), "muted", wrap=True))
        layout.addStretch(1)

    def _secret(self, name: str) -> QLineEdit:
        edit = _SecretEdit()
        edit.setObjectName(name)
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        edit.returnPressed.connect(self.change)
        return edit

    def _show_strength(self, text: str) -> None:
        hint = passphrase_rule.strength_key(text) if text else ""
        self.strength.setText(self.ctx.tr(hint) if hint else "")

    def change(self) -> None:
        """Check and re-wrap the key in the background; the fields clear when it is done."""
        if not self.change_button.isEnabled():
            return
        self.errors.clear()
        self.done.hide()
        self.change_button.setEnabled(False)
        data_dir = self.ctx.store.data_dir
        current, new, repeat = self.current.text(), self.new.text(), self.repeat.text()
        self.ctx.run_operation(
            lambda: change_passphrase(data_dir, current, new, repeat),
            lambda _none: self._changed(),
            on_invalid=self._refused,
            owner=self,
            on_error=self._failed,
        )

    def _changed(self) -> None:
        for edit in (self.current, self.new, self.repeat):
            edit.clear()
        self.change_button.setEnabled(True)
        self.done.setText(self.ctx.tr("ui.passphrase.changed"))
        self.done.show()

    def _refused(self, error: ValidationError) -> None:
        self.change_button.setEnabled(True)
        self.errors.show(error.problems)
        first = self.errors.first_invalid()
        if first is not None:
            first.setFocus()

    def _failed(self, exc: BaseException) -> None:
        """key.json could not be written (disk full, read-only): the old passphrase holds.

        Anything else is a bug, for the application's handler.
        """
        self.change_button.setEnabled(True)
        if not isinstance(exc, OSError):
            self.ctx.report_error(exc)
            return
        self.done.setText(self.ctx.tr("ui.passphrase.not_changed"))
        self.done.show()
