"""Sync page: state and why, sync now, join the team, the conflict list, the quarantine.

Every sentence comes from ``sync.messages`` so the page and ``sosku sync``
say the same. Network work runs in the background helper; the page never
blocks. Resolving a conflict is a write through the store's Writer, which
logs it and turns the chosen value into a new synced edit.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from sosku_desktop import i18n
from sosku_desktop.operations import Changes
from sosku_desktop.operations.sync import (
    Joined,
    SyncPageData,
    SyncRound,
    join_team,
    load_sync_page,
    resolve_conflict,
    sync_round,
)
from sosku_desktop.store import conflict_list
from sosku_desktop.sync.client import SyncClient, SyncState, SyncStatus
from sosku_desktop.sync.messages import (
    authority_lines,
    explain_error,
    failure_lines,
    report_text,
    state_text,
    trust_lines,
)
from sosku_desktop.ui.pages.sync_join import JoinDialog, OnboardingCard
from sosku_desktop.ui.shell.context import AppContext
from sosku_desktop.ui.shell.geometry import scrolling
from sosku_desktop.ui.shell.page import PageMixin
from sosku_desktop.ui.widgets.common import Card, button, label, repolish
from sosku_desktop.ui.widgets.keys import leave_on_tab
from sosku_desktop.ui.widgets.lifetime import alive, run_modal


def _short(value: Any, limit: int = 80) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class SyncPage(PageMixin, QWidget):
    """What the worker needs to know about sync, and the few things to do about it."""

    TITLE_KEY = "ui.nav.sync"
    HELP_ANCHOR = "synkronointi-toimistolla"

    #: A round ended (the shell updates its status line); carries the plain-words state.
    finished = Signal(str)
    #: (phase, done, total) from the worker thread; Qt queues it to the page's thread.
    progressed = Signal(str, int, int)

    def __init__(self, ctx: AppContext, client: SyncClient, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncPage")
        self.ctx = ctx
        self.client = client
        self.running = False
        tr = ctx.tr
        outer = QVBoxLayout(self)
        outer.setContentsMargins(28, 20, 28, 16)
        outer.setSpacing(12)
        header = QHBoxLayout()
        header.addWidget(label(tr("ui.sync.title"), "pageTitle"))
        header.addStretch(1)
        self.join_button = button(tr("ui.sync.join_team"))
        self.join_button.setObjectName("joinTeam")
        self.join_button.clicked.connect(self.ask_join)
        self.sync_button = button(tr("ui.sync.now"), primary=True)
        self.sync_button.setObjectName("syncNow")
        self.sync_button.clicked.connect(self.sync_now)
        header.addWidget(self.join_button)
        header.addWidget(self.sync_button)
        outer.addLayout(header)
        # The cards scroll below the header: a removed laptop's or an unfinished join's
        # state is several sentences, and at 1024×600 the squeezed card cut its details.
        body = QWidget()
        body.setObjectName("syncBody")
        cards = QVBoxLayout(body)
        cards.setContentsMargins(0, 0, 0, 0)
        cards.setSpacing(12)
        outer.addWidget(scrolling(body, "syncScroll"), 1)
        self.cards = cards

        self.onboarding = OnboardingCard(ctx)
        self.onboarding.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.onboarding.hide()
        cards.addWidget(self.onboarding)
        self.joined = True  # until the first status read says otherwise
        self.status: SyncStatus | None = None

        self.state_card = Card(tr("ui.sync.state"))
        self.state = label("", "stateText", wrap=True)
        self.details = label("", "muted", wrap=True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result = label("", "notice", wrap=True)
        for widget in (self.state, self.details, self.result):
            self.state_card.body.addWidget(widget)
        self.result.hide()  # until an action has something to say (``_say``)
        # Status and quarantine keep their natural height; the conflict list takes the rest.
        self.state_card.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        cards.addWidget(self.state_card)

        self.conflicts_card = self._conflicts_card()
        cards.addWidget(self.conflicts_card, 1)

        self.quarantine_card = Card(tr("ui.sync.quarantine"))
        self.quarantine_text = label("", "muted", wrap=True)
        self.quarantine_card.body.addWidget(self.quarantine_text)
        self.quarantine_card.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        cards.addWidget(self.quarantine_card)
        cards.addStretch(0)  # takes the room only while the conflict list is hidden
        self.conflict_ids: list[int] = []
        self.progressed.connect(self._show_progress)

    def _conflicts_card(self) -> Card:
        """The open conflicts and the two ways to settle one."""
        tr = self.ctx.tr
        conflicts = Card(tr("ui.sync.conflicts"))
        conflicts.body.addWidget(label(tr("ui.sync.conflicts_help"), "muted", wrap=True))
        self.conflicts = leave_on_tab(QTableWidget(0, 5))
        self.conflicts.setObjectName("conflictTable")
        self.conflicts.setHorizontalHeaderLabels(
            [
                tr("ui.sync.col.record"),
                tr("ui.sync.col.field"),
                tr("ui.sync.col.shown"),
                tr("ui.sync.col.other"),
                tr("ui.sync.col.detected"),
            ]
        )
        self.conflicts.verticalHeader().setVisible(False)
        self.conflicts.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.conflicts.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        columns = self.conflicts.horizontalHeader()
        for column, mode in enumerate(
            (
                QHeaderView.ResizeMode.ResizeToContents,
                QHeaderView.ResizeMode.ResizeToContents,
                QHeaderView.ResizeMode.Stretch,
                QHeaderView.ResizeMode.Stretch,
                QHeaderView.ResizeMode.ResizeToContents,
            )
        ):
            columns.setSectionResizeMode(column, mode)
        conflicts.body.addWidget(self.conflicts)
        actions = QHBoxLayout()
        actions.addStretch(1)
        self.keep_button = button(tr("ui.sync.keep_shown"))
        self.keep_button.clicked.connect(lambda: self.resolve_selected(use_other=False))
        self.other_button = button(tr("ui.sync.use_other"))
        self.other_button.clicked.connect(lambda: self.resolve_selected(use_other=True))
        actions.addWidget(self.keep_button)
        actions.addWidget(self.other_button)
        conflicts.body.addLayout(actions)
        return conflicts

    # --- showing -----------------------------------------------------------------------

    def concerns(self, changes: Changes) -> bool:
        """Every write changes the outbox this page counts (access-log rows too)."""
        return bool(changes)

    def refresh(self) -> None:
        """Read the sync state, conflicts and quarantine in the background (newest wins)."""
        client = self.client
        self.ctx.tasks.latest(
            ("sync page", id(self)), lambda _t: load_sync_page(client), self._loaded, owner=self
        )

    def _loaded(self, data: SyncPageData) -> None:
        self._show_status(data.status)
        self._show_conflicts(data.conflicts)
        self._show_quarantine(data.quarantined)
        # Without a team there is nothing to settle: the explanation gets the room.
        joined = data.status.joined
        self.conflicts_card.setVisible(joined or bool(data.conflicts))
        self.quarantine_card.setVisible(joined or bool(data.quarantined))
        self.cards.invalidate()

    def _show_status(self, status: SyncStatus) -> None:
        tr, lang = self.ctx.tr, self.ctx.lang
        self.state.setText(state_text(status.state, lang, status.outbox))
        failed = status.last_failure
        lines = failure_lines(failed, self.ctx.datetime(failed.at) if failed else "", lang)
        if status.joined:
            lines.append(
                i18n.tr("sync.status.server", lang, url=status.server_url, team=status.team_id)
            )
            lines.append(
                i18n.tr("sync.status.device", lang, name=status.device_name, id=status.device_id)
            )
            lines.append(i18n.tr("sync.fingerprint", lang, fingerprint=status.fingerprint))
            lines.extend(authority_lines(status.authority, status.authority_confirmed, lang))
            lines.extend(trust_lines(status.trust_problems, lang))
            lines.append(
                i18n.tr(
                    "sync.status.keys_keyring"
                    if status.keys_in_keyring
                    else "sync.status.keys_store",
                    lang,
                )
            )
        last = self.ctx.datetime(status.last_sync) if status.last_sync else tr("ui.sync.never")
        lines.append(i18n.tr("sync.status.last_sync", lang, when=last))
        lines.append(i18n.tr("sync.status.outbox", lang, n=status.outbox))
        self.details.setText("\n".join(lines))
        self.status, self.joined = status, status.joined
        # Not joined, or a join the relay refused (wrong code, relay down): the main
        # button is "Join the team…". Waiting for approval with no authority pinned (a
        # refused safety number): the form stays reachable, to send the corrected number
        # with the same keys.
        unfinished = not status.joined or status.state == SyncState.JOIN_UNFINISHED
        self.join_button.setVisible(
            unfinished or (not status.authority and status.state == SyncState.PENDING_APPROVAL)
        )
        self.join_button.setProperty("primary", unfinished)
        self.join_button.setDefault(unfinished)
        repolish(self.join_button)
        self.sync_button.setVisible(status.joined)
        self.sync_button.setEnabled(status.joined and not self.running)
        self.onboarding.setVisible(not status.joined)
        self.onboarding.show_outbox(status.outbox)

    def _show_conflicts(self, rows: list[conflict_list.ConflictEntry]) -> None:
        """The open conflicts by client name and field, in the worker's language."""
        self.conflict_ids = [row.id for row in rows]
        self.conflicts.setRowCount(len(rows))
        for index, row in enumerate(rows):
            cells = (
                conflict_list.record_label(row, self.ctx.lang),
                conflict_list.field_label(row.column, self.ctx.lang),
                _short(row.kept_value),
                _short(row.other_value),
                self.ctx.datetime(row.detected_at),
            )
            for column, text in enumerate(cells):
                self.conflicts.setItem(index, column, QTableWidgetItem(text))
        has_rows = bool(rows)
        self.keep_button.setEnabled(has_rows)
        self.other_button.setEnabled(has_rows)
        if has_rows and self.conflicts.currentRow() < 0:
            self.conflicts.selectRow(0)

    def _show_quarantine(self, rows: list[tuple[str, str, int]]) -> None:
        if not rows:
            self.quarantine_text.setText(self.ctx.tr("ui.sync.quarantine_empty"))
            return
        lang = self.ctx.lang
        lines = [i18n.tr("sync.status.quarantined", lang, n=len(rows))]
        lines += [
            i18n.tr(
                "sync.status.quarantine_line",
                lang,
                reason=i18n.tr(f"sync.reason.{reason}", lang),
                device=device_id[:8],
                seq=device_seq,
            )
            for reason, device_id, device_seq in rows[:20]
        ]
        self.quarantine_text.setText("\n".join(lines))

    def _say(self, text: str) -> None:
        """What the last action did, under the state; no empty notice box when nothing was."""
        self.result.setText(text)
        self.result.setVisible(bool(text))

    # --- actions -----------------------------------------------------------------------

    def sync_now(self) -> None:
        """One round in the background; the result lands on this page and the status bar."""
        if self.running:
            return
        if not self.joined:  # nothing to sync with yet: joining is the way on
            self.ask_join()
            return
        self.running = True
        self.sync_button.setEnabled(False)
        self._say(self.ctx.tr("ui.sync.running"))

        def work() -> SyncRound:
            return sync_round(self.client, progress=self.progressed.emit)

        self.ctx.run_operation(work, self._done, owner=self, on_error=self._failed)

    def _show_progress(self, phase: str, done: int, total: int) -> None:
        if self.running:
            self._say(self.ctx.tr(f"ui.sync.phase.{phase}", done=done, total=max(total, done)))

    def _done(self, result: SyncRound) -> None:
        report = result.report
        self.running = False
        # The state line above already says where things stand; here, what this round did.
        self._say("\n".join(report_text(report, self.ctx.lang)[1:]))
        self.refresh()
        self.finished.emit(state_text(report.state, self.ctx.lang, report.outbox))

    def _failed(self, exc: BaseException) -> None:
        self.running = False
        text = explain_error(exc, self.ctx.lang)
        self._say(text)
        self.refresh()
        self.finished.emit(text)

    def ask_join(self) -> None:
        run_modal(self.join_dialog())

    def join_dialog(self) -> JoinDialog:
        """The join form, wired to ``join``; shows the fingerprint once the relay has it."""
        # The fingerprint to read out only once a relay has the request (not after a refusal).
        accepted = self.status is not None and self.status.state != SyncState.JOIN_UNFINISHED
        known = self.status.fingerprint if self.status is not None and accepted else ""
        dialog = JoinDialog(self.ctx, known, self)
        if self.status is not None and self.status.team_id:
            dialog.team.setText(self.status.team_id)
        dialog.join_requested.connect(
            lambda server, team, code, name, safety: self.join(
                server, team, code, name, dialog, safety
            )
        )
        return dialog

    def join(
        self,
        server: str,
        team: str,
        code: str,
        name: str,
        dialog: JoinDialog | None = None,
        safety_number: str | None = None,
    ) -> None:
        """Join in the background; ``safety_number`` must match the relay's team authority."""
        self.ctx.prefs.set("sync_server_url", server)

        def work() -> Joined:
            return join_team(self.client, server, team, code, name, safety_number)

        def done(joined: Joined) -> None:
            fingerprint = joined.fingerprint
            lang = self.ctx.lang
            self._say(
                i18n.tr("sync.joined", lang)
                + "\n"
                + i18n.tr("sync.fingerprint", lang, fingerprint=fingerprint)
            )
            self.refresh()
            if dialog is not None and alive(dialog):
                dialog.joined(fingerprint)

        def failed(exc: BaseException) -> None:
            self._failed(exc)
            if dialog is not None and alive(dialog):
                dialog.failed(explain_error(exc, self.ctx.lang))

        self.ctx.run_operation(work, done, owner=self, on_error=failed)

    def resolve_selected(self, use_other: bool) -> None:
        row = self.conflicts.currentRow()
        if row < 0 or row >= len(self.conflict_ids):
            return
        conflict_id = self.conflict_ids[row]
        key = "sync.resolved.other" if use_other else "sync.resolved.kept"

        def done(_changes: Changes) -> None:
            self._say(i18n.tr(key, self.ctx.lang, id=conflict_id))
            self.refresh()

        self.ctx.run_operation(
            lambda: resolve_conflict(self.ctx.store, conflict_id, use_other), done, owner=self
        )
