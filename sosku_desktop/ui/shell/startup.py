"""Getting to an open store: first run, passphrase, and a damaged file.

- No ``key.json`` in the data directory: the first-run dialog asks the
  worker's name, role and a passphrase (twice), creates the encrypted store
  and records the worker as this device's user.
- A key file but no usable keyring entry: the passphrase is asked (and the
  dialog says plainly when the machine has no keyring at all).
- A damaged database: the latest verified backup is offered; the damaged
  file is kept aside by ``store.backup.restore_backup``.
These dialogs run before the main window exists, so they may block.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Generic, TypeVar

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from sosku_desktop import i18n
from sosku_desktop.domain import codes, models
from sosku_desktop.domain.errors import Problem
from sosku_desktop.domain.validation import worker_problems
from sosku_desktop.operations.setup import create_data_directory
from sosku_desktop.store import backup, keys
from sosku_desktop.store.database import Store
from sosku_desktop.store.errors import (
    CorruptDatabaseError,
    MissingKeyError,
    StoreError,
    WrongKeyError,
)
from sosku_desktop.ui.shell.errors import explain
from sosku_desktop.ui.widgets.common import FieldErrors, button, label

T = TypeVar("T")
PASSPHRASE_TOO_SHORT = "ui.first_run.too_short"
PASSPHRASES_DIFFER = "ui.first_run.differ"


class FirstRunDialog(QDialog):
    """Creates the encrypted data directory and this device's worker."""

    def __init__(self, data_dir: Path, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("firstRunDialog")
        self.data_dir = data_dir
        self.lang = lang
        self.store: Store | None = None

        def tr(key: str, **p: object) -> str:
            return i18n.tr(key, lang, **p)

        self.setWindowTitle(tr("ui.first_run.title"))
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 20, 24, 18)
        outer.setSpacing(10)
        outer.addWidget(label(tr("ui.first_run.title"), "pageTitle"))
        outer.addWidget(label(tr("ui.first_run.intro"), wrap=True))
        if not keys.keyring_works():
            outer.addWidget(label(tr("ui.startup.no_keyring"), "warningNotice", wrap=True))
        self.errors = FieldErrors(lang)
        form = QFormLayout()
        self.name = QLineEdit()
        self.name.setObjectName("workerName")
        self.role = QComboBox()
        for code in codes.ROLES:
            self.role.addItem(i18n.code_label("role", code, lang), code)
        self.passphrase = QLineEdit()
        self.passphrase.setObjectName("newPassphrase")
        self.repeat = QLineEdit()
        self.repeat.setObjectName("repeatPassphrase")
        for edit in (self.passphrase, self.repeat):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        for key, widget, field in (
            ("ui.first_run.name", self.name, "name"),
            ("ui.first_run.role", self.role, "role"),
            ("ui.first_run.passphrase", self.passphrase, "passphrase"),
            ("ui.first_run.repeat", self.repeat, "repeat"),
        ):
            box = QVBoxLayout()
            box.setSpacing(2)
            box.addWidget(widget)
            box.addWidget(self.errors.error_label(field, widget))
            form.addRow(tr(key), box)
        outer.addLayout(form)
        outer.addWidget(
            label(
                tr("ui.first_run.passphrase_hint", n=keys.MIN_PASSPHRASE_LENGTH), "muted", wrap=True
            )
        )
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        cancel = button(tr("ui.common.cancel"))
        cancel.clicked.connect(self.reject)
        self.create_button = button(tr("ui.first_run.create"), primary=True)
        self.create_button.setObjectName("createButton")
        self.create_button.setDefault(True)
        self.create_button.clicked.connect(self.submit)
        buttons.addWidget(cancel)
        buttons.addWidget(self.create_button)
        outer.addLayout(buttons)
        self.resize(520, 420)

    def problems(self) -> list[Problem]:
        worker = models.Worker(
            id="new", name=self.name.text().strip(), role=self.role.currentData()
        )
        found = worker_problems(worker)
        secret = self.passphrase.text()
        if len(secret) < keys.MIN_PASSPHRASE_LENGTH:
            found.append(
                Problem("passphrase", PASSPHRASE_TOO_SHORT, {"n": keys.MIN_PASSPHRASE_LENGTH})
            )
        elif self.repeat.text() != secret:
            found.append(Problem("repeat", PASSPHRASES_DIFFER))
        return found

    def submit(self) -> bool:
        problems = self.problems()
        if problems:
            self.errors.show(problems)
            return False
        self.store = create_data_directory(
            self.data_dir, self.passphrase.text(), self.name.text(), str(self.role.currentData())
        )
        self.accept()
        return True


class PassphraseDialog(QDialog, Generic[T]):
    """Asks the passphrase until ``attempt(passphrase)`` succeeds or the worker gives up."""

    def __init__(
        self, attempt: Callable[[str], T], lang: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("passphraseDialog")
        self.attempt = attempt
        self.lang = lang
        self.value: T | None = None
        self.failure: StoreError | None = None

        def tr(key: str, **p: object) -> str:
            return i18n.tr(key, lang, **p)

        self.setWindowTitle(tr("app.name"))
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 20, 24, 18)
        outer.setSpacing(10)
        outer.addWidget(label(tr("ui.startup.passphrase_title"), "sectionTitle"))
        outer.addWidget(label(tr("ui.startup.passphrase_text"), wrap=True))
        if not keys.keyring_works():
            outer.addWidget(label(tr("ui.startup.no_keyring"), "warningNotice", wrap=True))
        self.passphrase = QLineEdit()
        self.passphrase.setObjectName("startupPassphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.returnPressed.connect(self.submit)
        outer.addWidget(self.passphrase)
        self.error = label("", "fieldError", wrap=True)
        self.error.setVisible(False)
        outer.addWidget(self.error)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        cancel = button(tr("ui.common.cancel"))
        cancel.clicked.connect(self.reject)
        self.open_button = button(tr("ui.startup.open"), primary=True)
        self.open_button.clicked.connect(self.submit)
        buttons.addWidget(cancel)
        buttons.addWidget(self.open_button)
        outer.addLayout(buttons)
        self.resize(460, 220)

    def submit(self) -> bool:
        try:
            self.value = self.attempt(self.passphrase.text())
        except (WrongKeyError, MissingKeyError):
            self.error.setText(i18n.tr("ui.lock.wrong", self.lang))
            self.error.setVisible(True)
            self.passphrase.clear()
            return False
        except StoreError as exc:
            self.failure = exc
            self.accept()
            return False
        self.accept()
        return True


def ask(attempt: Callable[[str], T], lang: str) -> tuple[T | None, StoreError | None]:
    dialog: PassphraseDialog[T] = PassphraseDialog(attempt, lang)
    dialog.exec()
    return dialog.value, dialog.failure


def offer_restore(data_dir: Path, error: CorruptDatabaseError, lang: str) -> bool:
    """Ask whether to restore the latest backup; restore it if the worker agrees."""
    box = QMessageBox()
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(i18n.tr("ui.error.title", lang))
    box.setText(explain(error, lang))
    restore = box.addButton(i18n.tr("ui.startup.restore", lang), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(i18n.tr("ui.common.cancel", lang), QMessageBox.ButtonRole.RejectRole)
    box.exec()
    if box.clickedButton() is not restore:
        return False
    source: keys.KeySource | None
    try:
        source = keys.load_key(data_dir)
    except MissingKeyError:
        source, _ = ask(lambda p: keys.load_key(data_dir, p), lang)
    if source is None:
        return False
    backup.restore_backup(data_dir, source.key, error.latest_backup)
    return True


def show_blocking_error(error: StoreError, lang: str) -> None:
    box = QMessageBox()
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(i18n.tr("ui.error.title", lang))
    box.setText(explain(error, lang))
    box.addButton(i18n.tr("ui.common.ok", lang), QMessageBox.ButtonRole.AcceptRole)
    box.exec()


def open_store_interactive(
    data_dir: Path, lang: str, passphrase: str | None = None
) -> Store | None:
    """The open store, or ``None`` when the worker cancelled."""
    if not keys.has_key_file(data_dir):
        first = FirstRunDialog(data_dir, lang)
        first.exec()
        return first.store
    while True:
        try:
            try:
                return Store.open(data_dir, passphrase)
            except (MissingKeyError, WrongKeyError):
                store, failure = ask(lambda p: Store.open(data_dir, p), lang)
                if failure is not None:
                    raise failure from None
                return store
        except CorruptDatabaseError as error:
            if error.latest_backup is None or not offer_restore(data_dir, error, lang):
                if error.latest_backup is None:
                    show_blocking_error(error, lang)
                return None
        except StoreError as error:
            show_blocking_error(error, lang)
            return None
