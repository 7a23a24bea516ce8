"""Joining a team, and what the Sync page says before there is any server.

Without a team the laptop keeps everything to itself: the Sync page then
explains in plain words what sync is, that today's data lives only on this
laptop, and what to ask the administrator for. Its main button opens the
join form, which checks the address the same way the sync engine does
(``check_server_url``: https, or http only to this machine) and shows this
laptop's fingerprint for the worker to read out to the administrator, who
compares it before approving the device.

The form also asks for the team's safety number (required): the relay is
not trusted, and a laptop that pinned whatever authority the first relay
showed could be enrolled into an impostor's team. The number is checked for
its shape here (``authority.is_safety_number``, as ``sosku sync join
--authority``) and against the relay's authority by the join itself; a
mismatch is refused with everything typed kept and nothing pinned.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLineEdit,
    QWidget,
)

from sosku_desktop.sync.authority import is_safety_number
from sosku_desktop.sync.transport import InsecureServerUrl, check_server_url
from sosku_desktop.ui.shell.context import AppContext
from sosku_desktop.ui.widgets.common import Card, label
from sosku_desktop.ui.widgets.form_rows import ok_cancel


def address_problem(address: str) -> str | None:
    """Translation key of what is wrong with a server address, or None when it is usable."""
    if not address.strip():
        return "ui.sync.join.need_address"
    try:
        check_server_url(address)
    except InsecureServerUrl:
        return "ui.sync.join.bad_address"
    return None


def safety_number_problem(number: str) -> str | None:
    """Translation key of what is wrong with a typed safety number, or None."""
    if not number.strip():
        return "ui.sync.fill_all"
    return None if is_safety_number(number) else "sync.error.bad_safety_number"


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
    """Server address, team id, join code, safety number and this laptop's name; then the
    fingerprint.

    ``join_requested`` carries (server, team, code, name, safety number) once they pass the
    checks; the page runs the join in the background and answers with
    ``joined(fingerprint)`` or ``failed(text)``. The dialog stays open to
    show the fingerprint (or the problem, with everything typed kept).
    """

    join_requested = Signal(str, str, str, str, str)

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
        self.safety = QLineEdit()
        self.safety.setObjectName("safetyNumber")
        self.safety.setPlaceholderText("1A2B 3C4D 5E6F 7A8B 9C0D 1E2F 3A4B 5C6D")
        self.safety.setAccessibleDescription(tr("ui.sync.join.safety_help"))
        for key, field in (
            ("ui.sync.server", self.server),
            ("ui.sync.team", self.team),
            ("ui.sync.code", self.code),
            ("ui.sync.safety_number", self.safety),
            ("ui.sync.device_name", self.name),
        ):
            field.setAccessibleName(tr(key))
            form.addRow(tr(key), field)
            if field is self.safety:
                self.safety_help = label(tr("ui.sync.join.safety_help"), "muted", wrap=True)
                form.addRow(self.safety_help)
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
        self.buttons, self.join_button = ok_cancel(
            self, tr("ui.sync.join"), tr("ui.common.cancel"), self._check
        )
        form.addRow(self.buttons)
        self.done_joining = False
        self._show_fingerprint(fingerprint, joined=False)

    def values(self) -> tuple[str, str, str, str, str]:
        """(server, team, code, name, safety number) as typed, trimmed."""
        return (
            self.server.text().strip(),
            self.team.text().strip(),
            self.code.text().strip(),
            self.name.text().strip(),
            self.safety.text().strip(),
        )

    def _first_problem(self) -> tuple[str, QLineEdit] | None:
        """Translation key of the first thing to fix and the field to fix it in."""
        server, team, code, name, safety = self.values()
        key = address_problem(server)
        if key:
            return key, self.server
        for field, text in ((self.team, team), (self.code, code), (self.name, name)):
            if not text:
                return "ui.sync.fill_all", field
        key = safety_number_problem(safety)
        return (key, self.safety) if key else None

    def problem(self) -> str | None:
        """The first thing to fix, in plain words, or None."""
        found = self._first_problem()
        return self.ctx.tr(found[0]) if found else None

    def _check(self) -> None:
        if self.done_joining:
            self.accept()
            return
        found = self._first_problem()
        if found:
            self.error.setText(self.ctx.tr(found[0]))
            found[1].setFocus()
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
        for field in (self.server, self.team, self.code, self.name, self.safety):
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
