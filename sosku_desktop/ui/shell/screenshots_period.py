"""Screenshots of the period's records (part of ``--screenshot``).

The Period tab of a client whose interim evaluation is due and of one
whose period has ended, the evaluation form and the guided "End period"
step over the window, and the worker's activity budget.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QWidget

from sosku_desktop.domain import codes, models
from sosku_desktop.ui.shell.context import AppContext
from sosku_desktop.ui.shell.main_window import MainWindow


def _client_in(ctx: AppContext, status: str, phase: str | None = None) -> str | None:
    """The latest-starting client whose period has ``status`` (and ``phase``)."""
    with ctx.store.read() as r:
        periods = r.list(models.Period, order_by="start", status=status)
    chosen = [p for p in periods if phase is None or p.phase == phase]
    return chosen[-1].client_id if chosen else None


def _longest_running(ctx: AppContext) -> str | None:
    """The client whose active period started first (the next one to end)."""
    with ctx.store.read() as r:
        periods = r.list(models.Period, order_by="start", status=codes.PERIOD_ACTIVE)
    return periods[0].client_id if periods else None


def take_period_screenshots(
    ctx: AppContext,
    window: MainWindow,
    save: Callable[[QPixmap, str], None],
    settle: Callable[[AppContext], None],
    over_window: Callable[[QWidget, QWidget], QPixmap],
) -> None:
    """Write period.png, evaluation.png, end-period.png, period-ended.png and budget.png."""
    view = window.client_view
    evaluating = _client_in(ctx, codes.PERIOD_ACTIVE, codes.PHASE_EVALUATION)
    if evaluating is not None:
        window.open_client(evaluating)
        view.tabs.setCurrentWidget(view.period_tab)
        settle(ctx)
        save(window.grab(), "period")
        dialog = view.period_tab.record_evaluation()
        if dialog is not None:
            settle(ctx)
            save(over_window(window, dialog), "evaluation")
            dialog.reject()
    ending = _client_in(ctx, codes.PERIOD_ACTIVE, codes.PHASE_ENDING) or _longest_running(ctx)
    if ending is not None:
        window.open_client(ending)
        view.tabs.setCurrentWidget(view.period_tab)
        settle(ctx)
        wizard = view.period_tab.end_period()
        settle(ctx)
        save(over_window(window, wizard), "end-period")
        wizard.reject()
    ended = _client_in(ctx, codes.PERIOD_ENDED)
    if ended is not None:
        window.open_client(ended)
        view.tabs.setCurrentWidget(view.period_tab)
        settle(ctx)
        save(window.grab(), "period-ended")
    budget = window.open_expenses()
    settle(ctx)
    save(over_window(window, budget), "budget")
    budget.reject()
