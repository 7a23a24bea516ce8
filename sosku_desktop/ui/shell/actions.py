"""Actions that start from anywhere (Today's reminders, the agenda, the shell).

Each opens a client's record properly (``open_client_record`` logs the
view) and then the right dialog, non-blocking so the idle lock can hide it.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import QWidget

from sosku_desktop.domain import models
from sosku_desktop.operations.decisions import draft_continuation
from sosku_desktop.store.records import open_client_record
from sosku_desktop.ui.client.tabs.decision_dialog import DecisionDialog
from sosku_desktop.ui.dialogs.meeting_dialog import MeetingDialog
from sosku_desktop.ui.shell.context import AppContext
from sosku_desktop.ui.widgets.lifetime import open_dialog


def meeting_dialog(
    ctx: AppContext,
    parent: QWidget | None,
    client_id: str,
    existing: models.Meeting | None = None,
    plan: bool = False,
    when: datetime | None = None,
    notes: str = "",
) -> MeetingDialog:
    """Meeting entry for a client (completing ``existing`` if it was planned)."""
    record = open_client_record(ctx.store, client_id)
    period = None
    if existing is not None:
        period = next((p for p in record.periods if p.id == existing.period_id), None)
        if when is None and not plan:
            when = min(existing.starts_at, ctx.now())
    dialog = MeetingDialog(
        ctx, record, period, existing=existing, plan=plan, when=when, notes=notes, parent=parent
    )
    return open_dialog(dialog)


def continuation_dialog(
    ctx: AppContext,
    parent: QWidget | None,
    client_id: str,
    period_id: str,
    after_decision_id: str | None = None,
) -> DecisionDialog | None:
    """A continuation decision draft for the next block; ``None`` past the 1-year limit."""
    record = open_client_record(ctx.store, client_id)
    period = next((p for p in record.periods if p.id == period_id), None)
    if period is None:
        return None
    decisions = record.decisions_of(period.id)
    after = next((d for d in decisions if d.id == after_decision_id), None)
    draft = draft_continuation(
        period,
        decisions,
        ctx.rules(),
        ctx.today(),
        ctx.tr("ui.decision.heard_how_default"),
        after=after,
    )
    if draft is None:
        return None
    dialog = DecisionDialog(ctx, period, draft, decisions, True, parent)
    return open_dialog(dialog)
