"""Joining a team, and what the Sync page says before there is any server.

Without a team the laptop keeps everything to itself: the Sync page then
explains in plain words what sync is, that today's data lives only on this
laptop, and what to ask the administrator for. Its main button opens the
join form, which checks the address the same way the sync engine does
(``check_server_url``: https, or http only to this machine) and shows this
laptop's fingerprint for the worker to read out to the administrator, who
compares it before approving the device.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPushButton,
    QWidget,
)

from sosku_desktop.sync.transport import InsecureServerUrl, check_server_url
from sosku_desktop.ui.shell.context import AppContext
from sosku_desktop.ui.widgets.common import Card, label


def address_problem(address: str) -> str | None:
    """Translation key of what is wrong with a server address, or None when it is usable."""
    if not address.strip():
        return "ui.sync.join.need_address"
    try:
        check_server_url(address)
    except InsecureServerUrl:
        return "ui.sync.join.bad_address"
    return None


class OnboardingCard(Card):
    """What sync is, where the data is now, and what to ask the administrator for."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx.tr("ui.sync.intro.title"))
        self.setAccessibleName(ctx.tr("ui.sync.intro.title"))  # objectName stays "card" (style)
        self.ctx = ctx
        self.what = label(ctx.tr("ui.sync.intro.what"), wrap=True)
        self.where = label("", "notice", wrap=True)
        self.where.setObjectName("dataOnlyHere")
        self.ask = label(ctx.tr("ui.sync.intro.ask"), wrap=True)
        self.ask.setTextFormat(Qt.TextFormat.PlainText)
        for widget in (self.what, self.where, self.ask):
            self.body.addWidget(widget)

    def show_outbox(self, changes: int) -> None:
        self.where.setText(self.ctx.tr("ui.sync.intro.only_here", n=changes))


class JoinDialog(QDialog):
    """Server address, team id, join code and this laptop's name; then the fingerprint.

    ``join_requested`` carries (server, team, code, name) once they pass the
    checks; the page runs the join in the background and answers with
    ``joined(fingerprint)`` or ``failed(text)``. The dialog stays open to
    show the fingerprint (or the problem, with everything typed kept).
    """

    join_requested = Signal(str, str, str, str)

    def __init__(self, ctx: AppContext, fingerprint: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("joinDialog")
        self.ctx = ctx
        tr = ctx.tr
        self.setWindowTitle(tr("ui.sync.join_title"))
        self.setMinimumWidth(540)
        form = QFormLayout(self)
        form.addRow(label(tr("ui.sync.join.intro"), "muted", wrap=True))
        self.server = QLineEdit(str(ctx.prefs.get("sync_server_url") or ""))
        self.server.setPlaceholderText("https://sosku.example.fi")
        self.team = QLineEdit()
        self.code = QLineEdit()
        self.name = QLineEdit(tr("ui.sync.default_device_name"))
        for key, field in (
            ("ui.sync.server", self.server),
            ("ui.sync.team", self.team),
            ("ui.sync.code", self.code),
            ("ui.sync.device_name", self.name),
        ):
            field.setAccessibleName(tr(key))
            form.addRow(tr(key), field)
        self.error = label("", "error", wrap=True)
        self.server.textEdited.connect(lambda _text: self.error.clear())
        self.error.setObjectName("joinError")
        form.addRow(self.error)
        self.fingerprint_note = label("", wrap=True)
        self.fingerprint = label("", "bigNumber", wrap=True)
        self.fingerprint.setObjectName("deviceFingerprint")
        self.fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(self.fingerprint_note)
        form.addRow(self.fingerprint)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.join_button: QPushButton = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.join_button.setText(tr("ui.sync.join"))
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(tr("ui.common.cancel"))
        self.buttons.accepted.connect(self._check)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self.done_joining = False
        self._show_fingerprint(fingerprint, joined=False)

    def values(self) -> tuple[str, str, str, str]:
        return (
            self.server.text().strip(),
            self.team.text().strip(),
            self.code.text().strip(),
            self.name.text().strip(),
        )

    def problem(self) -> str | None:
        """The first thing to fix, in plain words, or None."""
        server, *rest = self.values()
        key = address_problem(server)
        if key is None and not all(rest):
            key = "ui.sync.fill_all"
        return self.ctx.tr(key) if key else None

    def _check(self) -> None:
        if self.done_joining:
            self.accept()
            return
        problem = self.problem()
        if problem:
            self.error.setText(problem)
            (self.server if address_problem(self.values()[0]) else self.team).setFocus()
            return
        self.error.clear()
        self.join_button.setEnabled(False)
        self.join_requested.emit(*self.values())

    def joined(self, fingerprint: str) -> None:
        """The relay has the request: show what to read out, and let the worker close."""
        self.done_joining = True
        self._show_fingerprint(fingerprint, joined=True)
        self.join_button.setText(self.ctx.tr("ui.sync.join.done"))
        self.join_button.setEnabled(True)
        for field in (self.server, self.team, self.code, self.name):
            field.setReadOnly(True)

    def failed(self, text: str) -> None:
        self.error.setText(text)
        self.join_button.setEnabled(True)

    def _show_fingerprint(self, fingerprint: str, joined: bool) -> None:
        tr = self.ctx.tr
        if fingerprint:
            self.fingerprint_note.setText(tr("ui.sync.join.read_out"))
            self.fingerprint.setText(fingerprint)
            self.fingerprint.setAccessibleName(tr("ui.sync.join.fingerprint"))
        else:
            self.fingerprint_note.setText(tr("ui.sync.join.fingerprint_later"))
            self.fingerprint.setText("")
        self.fingerprint.setVisible(bool(fingerprint))
        if joined:
            self.fingerprint_note.setText(
                tr("ui.sync.join.sent") + " " + tr("ui.sync.join.read_out")
            )
