"""First run, passphrase prompt, unattended modes and the error dialogs."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from sosku_desktop import i18n
from sosku_desktop.domain import codes, models
from sosku_desktop.store import keys
from sosku_desktop.store.database import Store
from sosku_desktop.store.errors import CorruptDatabaseError, DiskFullError, WrongKeyError
from sosku_desktop.ui.shell import application, errors, startup
from sosku_desktop.ui.shell.geometry import fit_when_shown
from sosku_desktop.ui.shell.screenshots import take_screenshots
from tests.ui import shell_support as s
from tests.ui.layout_support import clipped_controls, cut_texts, settle, themed

REPO = Path(__file__).resolve().parents[2]


def test_first_run_checks_fields_then_creates_store_and_worker(
    tmp_path: Path, qtbot: QtBot
) -> None:
    data_dir = tmp_path / "new"
    dialog = startup.FirstRunDialog(data_dir, "fi")
    qtbot.addWidget(dialog)
    dialog.passphrase.setText("abc")
    assert not dialog.submit()
    assert dialog.errors.fields["name"][1].text() == i18n.tr("validation.required")
    assert dialog.errors.fields["passphrase"][1].text() == i18n.tr("domain.passphrase.too_short")
    assert dialog.strength.text() == i18n.tr("domain.passphrase.strength.0")
    dialog.passphrase.setText("123456789012")  # long enough, guessed at once
    assert not dialog.submit()
    assert dialog.errors.fields["passphrase"][1].text() == i18n.tr("domain.passphrase.too_easy")
    dialog.name.setText("Sanna Virtanen")
    dialog.role.setCurrentIndex(dialog.role.findData(codes.ROLE_SOCIAL_WORKER))
    dialog.passphrase.setText("kissa istuu puussa")
    dialog.repeat.setText("kissa istuu puusa")
    assert not dialog.submit()
    assert dialog.errors.fields["repeat"][1].text() == i18n.tr("ui.first_run.differ")
    assert not keys.has_key_file(data_dir)
    dialog.repeat.setText("kissa istuu puussa")
    assert dialog.submit()
    store = dialog.store
    assert store is not None
    with store.read() as r:
        worker = r.get(models.Worker, store.worker_id or "")
    assert (worker.name, worker.role) == ("Sanna Virtanen", codes.ROLE_SOCIAL_WORKER)
    assert keys.check_passphrase(data_dir, "kissa istuu puussa")
    store.close()


def test_passphrase_dialog_refuses_a_wrong_one(tmp_path: Path, qtbot: QtBot) -> None:
    s.empty_store(tmp_path).close()
    data_dir = tmp_path / "data"
    keys.forget_keyring_key(data_dir)  # as on a machine whose keyring lost the key

    def attempt(passphrase: str) -> Store:
        return Store.open(data_dir, passphrase)

    dialog: startup.PassphraseDialog[Store] = startup.PassphraseDialog(attempt, "sv")
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.forgotten.isVisible()
    dialog.passphrase.setText("fel")
    assert not dialog.submit()
    assert dialog.error.text() == i18n.tr("ui.lock.wrong", "sv")
    # A forgotten passphrase has a way on, said after the first wrong try.
    assert dialog.forgotten.isVisible()
    assert dialog.forgotten.text() == i18n.tr("ui.passphrase.forgotten", "sv")
    dialog.passphrase.setText(s.PASSPHRASE)
    assert dialog.submit()
    assert isinstance(dialog.value, Store)
    dialog.value.close()


def test_environment_errors_are_explained_without_details(qtbot: QtBot) -> None:
    text = errors.explain(DiskFullError("disk /dev/sda1 full"), "sv")
    assert text == i18n.tr("store.error.disk_full", "sv")
    corrupt = CorruptDatabaseError("damaged", latest_backup=Path("/x/backup.db"))
    assert i18n.tr("ui.error.corrupt_offer_restore") in errors.explain(corrupt, "fi")
    errors.show_store_error(None, WrongKeyError("details"), "fi")
    boxes = [w for w in qtbot_widgets() if isinstance(w, QMessageBox) and w.isVisible()]
    assert boxes and boxes[-1].text() == i18n.tr("store.error.wrong_key")
    for box in boxes:
        box.close()


def qtbot_widgets() -> list[object]:
    from PySide6.QtWidgets import QApplication

    return list(QApplication.topLevelWidgets())


def test_crash_details_name_code_locations_but_never_the_message(qtbot: QtBot) -> None:
    try:
        raise ValueError("Aino Korhonen 120584-246W")
    except ValueError as exc:
        details = errors.safe_details(type(exc), exc.__traceback__)
        errors.handle_exception(None, exc, "fi")
    assert "ValueError" in details
    assert "test_startup_and_errors.py" in details
    assert "Aino" not in details and "120584" not in details
    crash = [
        w
        for w in qtbot_widgets()
        if isinstance(w, QMessageBox) and w.objectName() == "crashDialog" and w.isVisible()
    ]
    assert crash and crash[-1].detailedText() == details
    for box in crash:
        box.close()


def test_smoke_test_fails_with_the_reason_when_the_data_dir_cannot_be_opened(
    tmp_path: Path, qtbot: QtBot, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "nothing-here"
    assert application.run(empty, smoke_test=True) == 2
    assert i18n.tr("store.error.missing_key") in capsys.readouterr().err
    assert not empty.exists()


def test_screenshots_of_every_view(tmp_path: Path, qtbot: QtBot) -> None:
    store = s.demo_store(tmp_path)
    ctx = s.context(store)
    written = take_screenshots(ctx, tmp_path / "shots", languages=("sv",))
    names = sorted(p.name for p in written)
    assert names == sorted(
        f"sv-{view}{variant}.png"
        for variant in ("", "-1024x600", "-1366x768-text150")
        for view in (
            "today",
            "clients",
            "client-overview",
            "goals",
            "meeting",
            "attendance",
            "calendar",
            "self-assessment",
            "documents",
            "reports",
            "sync",
            "period",
            "evaluation",
            "end-period",
            "period-ended",
            "budget",
        )
    )
    from PySide6.QtGui import QImage

    image = QImage(str(tmp_path / "shots" / "sv-today.png"))
    assert (image.width(), image.height()) == (1366, 768)
    small = QImage(str(tmp_path / "shots" / "sv-clients-1024x600.png"))
    assert (small.width(), small.height()) == (1024, 600)
    big_text = QImage(str(tmp_path / "shots" / "sv-meeting-1366x768-text150.png"))
    assert (big_text.width(), big_text.height()) == (1366, 768)
    if os.name == "posix":  # a screenshot can show names: owner-only like every file
        assert {oct(p.stat().st_mode & 0o777) for p in written} == {"0o600"}
    assert ctx.lang == "fi"
    store.close()


@pytest.mark.slow
def test_sosku_smoke_test_demo_without_keyring(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != keys.PASSPHRASE_ENV}
    env.update(
        QT_QPA_PLATFORM="offscreen",
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
        HOME=str(tmp_path),
        XDG_DATA_HOME=str(tmp_path / "xdg"),
    )
    result = subprocess.run(
        [sys.executable, "-m", "sosku_desktop.app", "--smoke-test", "--demo"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "ok"
    # A throw-away store only when asked for; a folder that cannot be opened fails.
    empty = tmp_path / "empty"
    for extra, code in ((["--scratch"], 0), ([], 2)):
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "sosku_desktop.app",
                "--smoke-test",
                "--data-dir",
                str(empty),
                *extra,
            ],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == code, result.stderr
    assert i18n.tr("store.error.missing_key") in result.stderr


def test_a_damaged_database_lists_backups_and_restores_the_newest_good_one(
    tmp_path: Path, qtbot: QtBot
) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from sosku_desktop.store import backup
    from sosku_desktop.store.engine import DB_FILE

    store = s.empty_store(tmp_path)
    client, _ = s.add_client(store, "Palautettava", "Asiakas", s.TODAY)
    data_dir = store.data_dir
    store.close()
    Store.open(data_dir).close()  # the start-up backup (good)
    store = Store.open(data_dir)
    store.set_current_worker("toinen")
    store.close()
    Store.open(data_dir).close()  # the data changed: a second, newer good backup
    newest = backup.list_backups(data_dir)[0]
    raw = bytearray(newest.read_bytes())
    raw[5000] ^= 0xFF  # the newest backup rots on disk
    newest.write_bytes(bytes(raw))
    (data_dir / DB_FILE).write_bytes(b"\0" * 8192)
    error = CorruptDatabaseError("damaged", backup.latest_backup(data_dir))
    seen: dict[str, object] = {}

    def press_restore() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, startup.RestoreDialog):
            QTimer.singleShot(10, press_restore)  # not shown yet
            return
        seen["states"] = [dialog.table.item(r, 1).text() for r in range(dialog.table.rowCount())]
        seen["chosen"] = dialog.chosen()
        dialog.grab().save(str(tmp_path / "restore.png"))
        dialog.restore_button.click()
        if dialog.isVisible():
            dialog.reject()  # never leave the test waiting on a modal dialog

    QTimer.singleShot(0, press_restore)
    assert startup.offer_restore(data_dir, error, "fi")
    assert seen["states"] == [
        i18n.tr("store.backup.state.damaged"),
        i18n.tr("store.backup.state.good"),
    ]
    chosen = seen["chosen"]
    assert isinstance(chosen, backup.BackupInfo) and chosen.path != newest
    restored = Store.open(data_dir)
    with restored.read() as r:
        assert r.get(models.Client, client.id).first_name == "Palautettava"
    assert list(data_dir.glob("replaced-*.db"))  # the damaged file is kept aside
    restored.close()


def test_a_damaged_key_file_is_explained_at_start_not_asked_again(
    tmp_path: Path, qtbot: QtBot
) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    s.empty_store(tmp_path).close()
    data_dir = tmp_path / "data"
    keys.forget_keyring_key(data_dir)
    (data_dir / keys.KEY_FILE).write_text('{"version": 1, "salt": "')
    texts: list[str] = []

    def read_and_close() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, read_and_close)  # not shown yet
            return
        texts.append(box.text())
        box.close()

    QTimer.singleShot(0, read_and_close)
    assert startup.open_store_interactive(data_dir, "fi", s.PASSPHRASE) is None
    assert texts == [i18n.tr("store.error.key_file_damaged")]


@contextmanager
def keyring_unavailable() -> Iterator[None]:
    """A machine whose only keyring backend is ``fail`` (headless Linux, some kiosks)."""
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        yield
    finally:
        keyring.set_keyring(previous)


@pytest.mark.parametrize("scale", [1.0, 1.5])
@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_start_up_dialogs_show_their_texts_whole(
    tmp_path: Path, qtbot: QtBot, lang: str, scale: float
) -> None:
    """The first start's two dialogs on a machine without a keyring, after a wrong entry:
    the keyring warning, the errors and the forgotten-passphrase way on were cut to a line
    or two, and at 150 % text the first-run fields were squeezed to slivers."""

    def wrong(_passphrase: str) -> Store:
        raise WrongKeyError("wrong")

    with themed(scale), keyring_unavailable():
        first = startup.FirstRunDialog(tmp_path / "new", lang)
        asked: startup.PassphraseDialog[Store] = startup.PassphraseDialog(wrong, lang)
        for dialog in (first, asked):
            qtbot.addWidget(dialog)
            fit_when_shown(dialog)  # as startup.ask and the first start show them
            dialog.show()
            settle()
        first.passphrase.setText("abc")
        first.repeat.setText("abd")
        assert not first.submit()
        asked.passphrase.setText("väärä")
        assert not asked.submit()
        settle()
        for dialog in (first, asked):
            assert cut_texts(dialog) + clipped_controls(dialog) == [], type(dialog).__name__
