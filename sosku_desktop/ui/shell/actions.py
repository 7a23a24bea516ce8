"""Actions that start from anywhere (Today's reminders, the agenda, the shell).

Each opens a client's record properly (``open_client_record`` logs the
view) in the background, then the right dialog, non-blocking so the idle
lock can hide it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtWidgets import QWidget

from sosku_desktop.domain import models
from sosku_desktop.domain.meeting_defaults import planned_to_complete
from sosku_desktop.operations.decisions import draft_continuation
from sosku_desktop.store.records import ClientRecord, open_client_record
from sosku_desktop.ui.client.tabs.decision_dialog import DecisionDialog
from sosku_desktop.ui.dialogs.meeting_dialog import MeetingDialog
from sosku_desktop.ui.shell.context import AppContext
from sosku_desktop.ui.widgets.lifetime import open_dialog


def meeting_dialog(
    ctx: AppContext,
    parent: QWidget | None,
    client_id: str,
    existing: models.Meeting | str | None = None,
    plan: bool = False,
    when: datetime | None = None,
    notes: str = "",
    on_open: Callable[[MeetingDialog], object] | None = None,
) -> MeetingDialog | None:
    """Meeting entry for a client (completing ``existing`` if it was planned).

    Recording with no ``existing`` completes the client's planned visit of
    today, if there is one, rather than adding a second meeting beside it.
    The record is opened (and the opening logged) in the background; the
    dialog opens when it has been read and goes to ``on_open``. Returned as
    well when that was at once (tasks run synchronously, as in tests).
    """
    opened: list[MeetingDialog] = []

    def show(record: ClientRecord) -> None:
        chosen, at = existing, when
        if isinstance(chosen, str):  # a meeting by id (e.g. an unrecorded one from Today)
            chosen = next((m for m in record.meetings if m.id == chosen), None)
        if chosen is None and not plan:
            chosen = planned_to_complete(record.meetings, ctx.now())
        period = None
        if chosen is not None:
            period = next((p for p in record.periods if p.id == chosen.period_id), None)
            if at is None and not plan:
                at = min(chosen.starts_at, ctx.now())
        dialog = MeetingDialog(
            ctx, record, period, existing=chosen, plan=plan, when=at, notes=notes, parent=parent
        )
        opened.append(open_dialog(dialog))
        if on_open is not None:
            on_open(dialog)

    store = ctx.store
    ctx.tasks.run(lambda: open_client_record(store, client_id), show, owner=parent)
    return opened[0] if opened else None


def continuation_dialog(
    ctx: AppContext,
    parent: QWidget | None,
    client_id: str,
    period_id: str,
    after_decision_id: str | None,
    on_open: Callable[[DecisionDialog | None], object],
) -> None:
    """A continuation decision draft for the next block, given to ``on_open`` once the
    record is read in the background; ``None`` past the 1-year limit."""

    def show(record: ClientRecord) -> None:
        period = next((p for p in record.periods if p.id == period_id), None)
        decisions = record.decisions_of(period.id) if period is not None else []
        after = next((d for d in decisions if d.id == after_decision_id), None)
        draft = None
        if period is not None:
            heard = ctx.tr("ui.decision.heard_how_default")
            draft = draft_continuation(
                period, decisions, ctx.rules(), ctx.today(), heard, after=after
            )
        if period is None or draft is None:
            on_open(None)
            return
        on_open(open_dialog(DecisionDialog(ctx, period, draft, decisions, True, parent)))

    store = ctx.store
    ctx.tasks.run(lambda: open_client_record(store, client_id), show, owner=parent)
