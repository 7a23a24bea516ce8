"""The status bar's undo link: it always says what it undoes, or it is not there.

After a meeting entry is saved the link reads e.g. "Kumoa: tapaaminen
3.12.2026"; it stays through a lock (hidden while locked) and a language
change (re-worded), and goes away once used. A bare "Undo" that no longer
says what it would take back is never shown.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from sosku_desktop.operations.meetings import SavedMeeting
from sosku_desktop.ui.shell.context import AppContext


class UndoLink(QPushButton):
    """Remembers the last saved meeting entry and offers to take it back."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName("undoButton")
        self.setProperty("link", True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.saved: SavedMeeting | None = None
        self.locked = False
        self.setVisible(False)

    def remember(self, saved: SavedMeeting) -> None:
        self.saved = saved
        self.update_text()

    def take(self) -> SavedMeeting | None:
        """The entry to undo (and forget it: an entry is undone once)."""
        saved, self.saved = self.saved, None
        self.update_text()
        return saved

    def set_locked(self, locked: bool) -> None:
        self.locked = locked
        self.update_text()

    def update_text(self) -> None:
        """Word the link for the remembered entry in the current language, or hide it."""
        saved = self.saved
        if saved is None:
            self.setText("")
            self.setToolTip("")
            self.setVisible(False)
            return
        status = self.ctx.code("meeting_status", saved.status)
        if saved.starts_at is not None:
            text = self.ctx.tr("ui.undo.meeting_on", date=self.ctx.date(saved.starts_at))
        else:
            text = self.ctx.tr("ui.undo.meeting")
        self.setText(text)
        self.setToolTip(self.ctx.tr("ui.undo.hint", status=status))
        self.setAccessibleName(text)
        self.setVisible(not self.locked)
