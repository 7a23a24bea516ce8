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

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHeaderView,
    QLineEdit,
    QMessageBox,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from sosku_desktop import i18n
from sosku_desktop.domain import codes, models
from sosku_desktop.domain import passphrase as passphrase_rule
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
from sosku_desktop.ui.shell.geometry import fit_when_shown
from sosku_desktop.ui.widgets.common import FieldErrors, cancel_and_action, label
from sosku_desktop.ui.widgets.keys import leave_on_tab

T = TypeVar("T")
PASSPHRASE_TOO_SHORT = passphrase_rule.TOO_SHORT
PASSPHRASES_DIFFER = "ui.first_run.differ"


def _key_dialog_head(dialog: QDialog, title: tuple[str, str], intro: str, lang: str) -> QVBoxLayout:
    """Title, intro and (where no keyring works) the warning that the passphrase
    will be asked at every start: the top of both dialogs that deal with the key."""
    outer = QVBoxLayout(dialog)
    outer.setContentsMargins(24, 20, 24, 18)
    outer.setSpacing(10)
    outer.addWidget(label(title[0], title[1]))
    outer.addWidget(label(intro, wrap=True))
    if not keys.keyring_works():
        outer.addWidget(label(i18n.tr("ui.startup.no_keyring", lang), "warningNotice", wrap=True))
    return outer


def grow_to_content(dialog: QDialog) -> None:
    """As tall as the wrapped texts need at the dialog's width, within the screen.

    A dialog's size hint counts a wrapped text as it would wrap at its
    preferred width, not at the dialog's: the keyring warning, a field's
    error or the forgotten-passphrase text was cut to a line or two, and at
    150 % text the first-run fields were squeezed to slivers. Called when
    shown and whenever a text appears.
    """
    layout = dialog.layout()
    if layout is None or not dialog.hasHeightForWidth():
        return
    layout.activate()
    need = dialog.heightForWidth(dialog.width())
    screen = dialog.screen()
    room = screen.availableGeometry().height() if screen is not None else need
    if need > dialog.height():
        dialog.resize(dialog.width(), min(need, room))


class _GrowingDialog(QDialog):
    """A start-up dialog that grows to its wrapped texts when shown."""

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        grow_to_content(self)


class FirstRunDialog(_GrowingDialog):
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
        outer = _key_dialog_head(
            self, (tr("ui.first_run.title"), "pageTitle"), tr("ui.first_run.intro"), lang
        )
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
            error = self.errors.error_label(field, widget)
            # Its full wrapped height: "Maximum" capped a long rule at its one-line hint.
            error.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
            box.addWidget(error)
            form.addRow(tr(key), box)
        outer.addLayout(form)
        outer.addWidget(label(tr(passphrase_rule.TOO_SHORT), "muted", wrap=True))
        self.strength = label("", "muted")
        self.strength.setObjectName("passphraseStrength")
        self.passphrase.textChanged.connect(self._show_strength)
        outer.addWidget(self.strength)
        buttons, self.create_button = cancel_and_action(
            self, tr("ui.common.cancel"), tr("ui.first_run.create"), self.submit, "createButton"
        )
        self.create_button.setDefault(True)
        outer.addLayout(buttons)
        self.resize(520, 420)

    def _show_strength(self, text: str) -> None:
        """A live hint, so the worker sees why a passphrase is weak before submitting."""
        hint = passphrase_rule.strength_key(text) if text else ""
        self.strength.setText(i18n.tr(hint, self.lang) if hint else "")

    def problems(self) -> list[Problem]:
        worker = models.Worker(
            id="new", name=self.name.text().strip(), role=self.role.currentData()
        )
        found = worker_problems(worker)
        secret = self.passphrase.text()
        weak = passphrase_rule.passphrase_problem(secret)
        if weak is not None:
            found.append(Problem("passphrase", weak))
        elif self.repeat.text() != secret:
            found.append(Problem("repeat", PASSPHRASES_DIFFER))
        return found

    def submit(self) -> bool:
        problems = self.problems()
        if problems:
            self.errors.show(problems)
            grow_to_content(self)
            return False
        self.store = create_data_directory(
            self.data_dir, self.passphrase.text(), self.name.text(), str(self.role.currentData())
        )
        self.accept()
        return True


class PassphraseDialog(_GrowingDialog, Generic[T]):
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
        outer = _key_dialog_head(
            self,
            (tr("ui.startup.passphrase_title"), "sectionTitle"),
            tr("ui.startup.passphrase_text"),
            lang,
        )
        self.passphrase = QLineEdit()
        self.passphrase.setObjectName("startupPassphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.returnPressed.connect(self.submit)
        outer.addWidget(self.passphrase)
        self.error = label("", "fieldError", wrap=True)
        self.error.setVisible(False)
        outer.addWidget(self.error)
        # After a wrong try: what a forgotten passphrase means, and the way on.
        self.forgotten = label(tr("ui.passphrase.forgotten"), "muted", wrap=True)
        self.forgotten.setObjectName("forgottenPassphrase")
        self.forgotten.setVisible(False)
        outer.addWidget(self.forgotten)
        buttons, self.open_button = cancel_and_action(
            self, tr("ui.common.cancel"), tr("ui.startup.open"), self.submit
        )
        outer.addLayout(buttons)
        self.resize(460, 220)

    def submit(self) -> bool:
        try:
            self.value = self.attempt(self.passphrase.text())
        except (WrongKeyError, MissingKeyError):
            self.error.setText(i18n.tr("ui.lock.wrong", self.lang))
            self.error.setVisible(True)
            self.forgotten.setVisible(True)
            grow_to_content(self)
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
    fit_when_shown(dialog)
    dialog.exec()
    return dialog.value, dialog.failure


class RestoreDialog(QDialog):
    """Lists the backups with date, state and size; the newest good one is chosen.

    Each backup is checked when the dialog opens (a file can rot after it was
    made), so the worker never restores a damaged copy by accident.
    """

    def __init__(
        self, data_dir: Path, key: bytes, lang: str, reason: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("restoreDialog")
        self.data_dir = data_dir
        self.key = key
        self.lang = lang
        self.restored_from: Path | None = None

        def tr(key: str, **params: object) -> str:
            return i18n.tr(key, lang, **params)

        self.setWindowTitle(tr("ui.restore.title"))
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 20, 24, 18)
        outer.addWidget(label(tr("ui.restore.title"), "sectionTitle"))
        if reason:
            outer.addWidget(label(reason, "warningNotice", wrap=True))
        outer.addWidget(label(tr("ui.restore.help"), wrap=True))
        self.infos = backup.describe_backups(data_dir, key)
        self.table = leave_on_tab(QTableWidget(len(self.infos), 3))
        self.table.setObjectName("backupTable")
        self.table.setHorizontalHeaderLabels(
            [tr("ui.restore.taken"), tr("ui.restore.state"), tr("ui.restore.size")]
        )
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        for row, info in enumerate(self.infos):
            size = i18n.format_number(round(info.size / 1_048_576, 1), lang) + " MiB"
            for column, text in enumerate(
                (
                    i18n.format_datetime(info.taken_at, lang),
                    tr(f"store.backup.state.{info.state}"),
                    size,
                )
            ):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.itemSelectionChanged.connect(self._selection_changed)
        outer.addWidget(self.table, 1)
        self.empty = label(tr("store.backup.none_good"), "fieldError", wrap=True)
        outer.addWidget(self.empty)
        buttons, self.restore_button = cancel_and_action(
            self, tr("ui.common.cancel"), tr("ui.startup.restore"), self.restore, "restoreButton"
        )
        outer.addLayout(buttons)
        good = [i for i, info in enumerate(self.infos) if info.state == backup.GOOD]
        self.empty.setVisible(not good)
        if good:
            self.table.selectRow(good[0])
        self._selection_changed()
        self.resize(620, 380)

    def chosen(self) -> backup.BackupInfo | None:
        row = self.table.currentRow()
        if 0 <= row < len(self.infos) and self.table.selectionModel().hasSelection():
            return self.infos[row]
        return None

    def _selection_changed(self) -> None:
        info = self.chosen()
        self.restore_button.setEnabled(info is not None and info.state == backup.GOOD)

    def restore(self) -> bool:
        info = self.chosen()
        if info is None or info.state != backup.GOOD:
            return False
        backup.restore_backup(self.data_dir, self.key, info.path)
        self.restored_from = info.path
        self.accept()
        return True


def _key_for_restore(data_dir: Path, lang: str) -> bytes | None:
    source: keys.KeySource | None
    try:
        return keys.load_key(data_dir).key
    except MissingKeyError:
        source, _ = ask(lambda p: keys.load_key(data_dir, p), lang)
        return source.key if source is not None else None


def choose_and_restore(data_dir: Path, lang: str, reason: str = "") -> bool:
    """The restore dialog (blocking, before any window); True when a backup was restored."""
    key = _key_for_restore(data_dir, lang)
    if key is None:
        return False
    dialog = RestoreDialog(data_dir, key, lang, reason)
    fit_when_shown(dialog)
    dialog.exec()
    return dialog.restored_from is not None


def offer_restore(data_dir: Path, error: CorruptDatabaseError, lang: str) -> bool:
    """A damaged database at start: explain, then let the worker pick a backup to restore."""
    return choose_and_restore(data_dir, lang, explain(error, lang))


def report_backup_outcome(parent: QWidget, outcome: backup.BackupOutcome, lang: str) -> bool:
    """Tell the worker about a start-up backup problem; True when they want to restore now.

    A full or read-only backup folder is a warning that names the folder (the
    app keeps working); a copy that failed its check means the live file is
    damaged, so the restore is offered.
    """
    if outcome.warning_key is None:
        return False
    box = QMessageBox(parent)
    box.setObjectName("backupWarning")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(i18n.tr("ui.error.title", lang))
    box.setText(i18n.tr(outcome.warning_key, lang, folder=str(outcome.folder)))
    restore = None
    if outcome.skipped == backup.SOURCE_DAMAGED:
        restore = box.addButton(i18n.tr("ui.restore.now", lang), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(i18n.tr("ui.common.ok", lang), QMessageBox.ButtonRole.RejectRole)
    fit_when_shown(box)
    box.exec()
    return restore is not None and box.clickedButton() is restore


def show_blocking_error(error: StoreError, lang: str) -> None:
    box = QMessageBox()
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(i18n.tr("ui.error.title", lang))
    box.setText(explain(error, lang))
    box.addButton(i18n.tr("ui.common.ok", lang), QMessageBox.ButtonRole.AcceptRole)
    fit_when_shown(box)
    box.exec()


def open_store_interactive(
    data_dir: Path, lang: str, passphrase: str | None = None
) -> Store | None:
    """The open store, or ``None`` when the worker cancelled."""
    if not keys.has_key_file(data_dir):
        first = FirstRunDialog(data_dir, lang)
        fit_when_shown(first)
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
            if not backup.list_backups(data_dir):
                show_blocking_error(error, lang)
                return None
            if not offer_restore(data_dir, error, lang):
                return None
        except StoreError as error:
            show_blocking_error(error, lang)
            return None
