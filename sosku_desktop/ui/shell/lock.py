"""The idle lock: after some minutes without input, client data leaves the screen.

An event filter on the app's own windows (their ``QWindow``, where input
arrives before it reaches a widget) restarts a timer on every key press,
click, scroll or touch; it sees input and little else, unlike an
application-wide filter that every paint and timer of every widget passes
through (that made list-heavy pages nearly twice as slow). New windows
(dialogs) are watched when they take the focus. When it fires, the main window's central widget is
swapped for a lock screen and every other open window (an unfinished
meeting entry, for instance) is *hidden, not closed*, so nothing typed is
lost. The passphrase unlocks (checked against the key file, the same
Argon2id-wrapped key that opens the database); then everything comes back
exactly as it was.
"""

from __future__ import annotations

from pathlib import Path

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QWindow
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLineEdit,
    QMainWindow,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from sosku_desktop import i18n
from sosku_desktop.store import keys
from sosku_desktop.ui.widgets.common import Card, button, label, row

_ACTIVITY = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
    }
)


class LockScreen(QWidget):
    """Says the app is locked and asks for the passphrase."""

    unlock_requested = Signal(str)

    def __init__(self, lang: str, worker_name: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lockScreen")

        def tr(key: str, **p: object) -> str:
            return i18n.tr(key, lang, **p)

        outer = QVBoxLayout(self)
        outer.addStretch(2)
        card = Card()
        card.setObjectName("lockCard")
        card.setFixedWidth(440)
        card.body.setSpacing(10)
        card.body.addWidget(label(tr("ui.lock.title"), "pageTitle"))
        card.body.addWidget(label(tr("ui.lock.text"), "muted", wrap=True))
        if worker_name:
            card.body.addWidget(label(tr("ui.lock.worker", name=worker_name), wrap=True))
        self.passphrase = QLineEdit()
        self.passphrase.setObjectName("lockPassphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setPlaceholderText(tr("ui.lock.passphrase"))
        self.passphrase.setAccessibleName(tr("ui.lock.passphrase"))
        self.passphrase.returnPressed.connect(self._submit)
        card.body.addWidget(self.passphrase)
        self.error = label("", "fieldError", wrap=True)
        self.error.setVisible(False)
        card.body.addWidget(self.error)
        # After a wrong try: what a forgotten passphrase means, and the way on.
        self.forgotten = label(tr("ui.passphrase.forgotten"), "muted", wrap=True)
        self.forgotten.setObjectName("forgottenPassphrase")
        self.forgotten.setVisible(False)
        card.body.addWidget(self.forgotten)
        self.unlock_button = button(tr("ui.lock.unlock"), primary=True)
        self.unlock_button.setObjectName("unlockButton")
        self.unlock_button.clicked.connect(self._submit)
        card.body.addLayout(row(self.unlock_button))
        centred = QHBoxLayout()  # stretches, not an alignment: keeps word-wrap heights right
        centred.addStretch(1)
        centred.addWidget(card)
        centred.addStretch(1)
        outer.addLayout(centred)
        outer.addStretch(3)
        self._lang = lang

    def _submit(self) -> None:
        self.unlock_requested.emit(self.passphrase.text())

    def refuse(self) -> None:
        self.error.setText(i18n.tr("ui.lock.wrong", self._lang))
        self.error.setVisible(True)
        self.forgotten.setVisible(True)
        self.passphrase.clear()
        self.passphrase.setFocus()

    def reset(self) -> None:
        self.error.setVisible(False)
        self.forgotten.setVisible(False)
        self.passphrase.clear()


class IdleLock(QObject):
    """Locks ``window`` after ``minutes`` without input; the passphrase unlocks."""

    locked = Signal()
    unlocked = Signal()

    def __init__(
        self,
        window: QMainWindow,
        data_dir: Path,
        lang: str,
        minutes: int,
        worker_name: str = "",
    ) -> None:
        super().__init__(window)
        self.window = window
        self.data_dir = data_dir
        self.lang = lang
        self.worker_name = worker_name
        self.is_locked = False
        self.screen: LockScreen | None = None
        self._content: QWidget | None = None
        self._hidden: list[QWidget] = []
        self._focus: QWidget | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.lock)
        self.set_minutes(minutes)
        window.installEventFilter(self)  # its own events only: to watch its QWindow when shown
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.focusWindowChanged.connect(self._focus_window_changed)
        self.watch_windows()

    def watch_windows(self) -> None:
        """Watch the input of every top-level window of the app (installing is idempotent)."""
        for handle in QGuiApplication.topLevelWindows():
            handle.installEventFilter(self)

    def _focus_window_changed(self, handle: QWindow | None) -> None:
        if handle is not None:
            handle.installEventFilter(self)

    def set_minutes(self, minutes: int) -> None:
        self.timer.setInterval(max(1, minutes) * 60_000)
        self.timer.start()

    def stop(self) -> None:
        """Detach from the application (the window is going away)."""
        self.timer.stop()
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.focusWindowChanged.disconnect(self._focus_window_changed)
        for handle in QGuiApplication.topLevelWindows():
            handle.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in _ACTIVITY:
            if not self.is_locked:
                self.timer.start()
        elif kind == QEvent.Type.Show and watched is self.window:
            self.watch_windows()  # the main window has its QWindow now
        return False

    # --- locking -----------------------------------------------------------------

    def lock(self) -> None:
        """Hide every client detail now: swap the central widget, hide other windows."""
        if self.is_locked:
            return
        self.is_locked = True
        self.timer.stop()
        QToolTip.hideText()
        focus = QApplication.focusWidget()
        self._focus = focus
        self._hidden = []
        for widget in QApplication.topLevelWidgets():
            if widget is self.window or not widget.isVisible():
                continue
            if widget.windowType() in (Qt.WindowType.Popup, Qt.WindowType.ToolTip):
                widget.close()
                continue
            widget.hide()
            self._hidden.append(widget)
        self._content = self.window.takeCentralWidget()
        self.screen = LockScreen(self.lang, self.worker_name)
        self.screen.unlock_requested.connect(self.try_unlock)
        self.window.setCentralWidget(self.screen)
        self.screen.show()  # at once, not on the next event-loop turn
        self.screen.passphrase.setFocus()
        self.locked.emit()

    def try_unlock(self, passphrase: str) -> bool:
        """Unlock with the right passphrase; a wrong one is refused and said so."""
        if not self.is_locked:
            return True
        if not passphrase or not keys.check_passphrase(self.data_dir, passphrase):
            if self.screen is not None:
                self.screen.refuse()
            return False
        self._unlock()
        return True

    def _unlock(self) -> None:
        screen = self.window.takeCentralWidget()
        if screen is not None:
            screen.deleteLater()
        self.screen = None
        if self._content is not None:
            self.window.setCentralWidget(self._content)
            self._content.show()
        self._content = None
        self.is_locked = False
        for widget in self._hidden:
            if shiboken6.isValid(widget):  # a hidden dialog may have been deleted meanwhile
                widget.show()
        if self._hidden:
            self._hidden[-1].activateWindow()
        self._hidden = []
        if self._focus is not None and shiboken6.isValid(self._focus):
            self._focus.setFocus()
        self._focus = None
        self.timer.start()
        self.unlocked.emit()
