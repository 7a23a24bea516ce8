"""Decisions in 3-month blocks: what covers which block, and the continuation."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import QWidget

from sosku_desktop.domain import models
from sosku_desktop.domain.decisions import (
    STEP_CONTINUATION,
    STEP_FIRST,
    BlockCoverage,
    block_coverage,
    next_decision_step,
)
from sosku_desktop.domain.lifecycle import is_read_only
from sosku_desktop.domain.periods import DateRange, decision_block, period_end
from sosku_desktop.operations import decisions as decision_operations
from sosku_desktop.ui.client.tabs.base import ClientTab, select_row
from sosku_desktop.ui.client.tabs.decision_dialog import DecisionDialog
from sosku_desktop.ui.dialogs.ending_lines import left_after_end
from sosku_desktop.ui.shell.context import AppContext
from sosku_desktop.ui.widgets.common import (
    button,
    fit_columns,
    label,
    repolish,
    row,
    table_view,
)
from sosku_desktop.ui.widgets.lifetime import open_dialog
from sosku_desktop.ui.widgets.models import Column, TableModel


class DecisionsTab(ClientTab):
    """Decision drafts of the period, its blocks, and buttons to add the next one."""

    dialog_opened = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("decisionsTab")
        tr = ctx.tr
        self.next_step: str | None = None
        self.continue_button = button(tr("ui.decisions.draft_continuation"), primary=True)
        self.continue_button.setObjectName("draftContinuationButton")
        self.continue_button.clicked.connect(self.draft_continuation)
        self.new_button = button(tr("ui.decisions.new"))
        self.new_button.clicked.connect(self.new_decision)
        self.layout_.addLayout(row(self.continue_button, self.new_button))
        self.blocks = label("", wrap=True)
        self.blocks.setObjectName("blocksLabel")
        self.layout_.addWidget(self.blocks)
        self.notice = label("", "warningNotice", wrap=True)
        self.notice.setVisible(False)
        self.layout_.addWidget(self.notice)
        self.outliving = label("", "warningNotice", wrap=True)  # valid past an ended period
        self.outliving.setObjectName("decisionsOutliving")
        self.layout_.addWidget(self.outliving)
        self.model: TableModel[models.Decision] = TableModel(
            [
                Column("ui.col.kind", lambda d: ctx.code("decision_kind", d.kind)),
                Column("ui.col.number", lambda d: d.number),
                Column(
                    "ui.col.validity",
                    lambda d: f"{ctx.date(d.valid_from)}–{ctx.date(d.valid_to)}",
                    sort=lambda d: d.valid_from,
                ),
                Column("ui.col.outcome", lambda d: ctx.code("outcome", d.outcome)),
                Column(
                    "ui.col.continuation",
                    lambda d: tr("ui.common.yes") if d.continuation else tr("ui.common.no"),
                ),
                Column("ui.col.decided_on", lambda d: ctx.date(d.decided_on)),
            ],
            ctx.lang,
            self,
        )
        self.table = table_view(self.model, name="decisionsTable")
        self.table.setAccessibleName(ctx.tr("ui.client.tab.decisions"))
        self.table.activated.connect(self._edit)  # Enter or a double click
        self.layout_.addWidget(self.table, 1)

    def fill(self) -> None:
        assert self.data is not None
        data, tr = self.data, self.ctx.tr
        self.notice.setVisible(False)
        decisions = sorted(data.period_decisions, key=lambda d: (d.valid_from, d.kind))
        self.model.set_rows(decisions)
        # continuation, decision day and outcome give way to the kind, number and dates
        fit_columns(self.table, optional=(4, 5, 3))
        enabled = data.period is not None and not is_read_only(data.period)
        self.continue_button.setEnabled(enabled)
        self.new_button.setEnabled(enabled)
        lines = left_after_end(self.ctx, data.record, data.period, True) if data.period else []
        self.outliving.setText("\n".join(lines))
        self.outliving.setVisible(bool(lines))
        if data.period is None:
            self.blocks.setText("")
            return
        self._offer(next_decision_step(data.period, data.period_decisions, data.rules))
        lines = [
            tr(
                "ui.decisions.block",
                n=number,
                start=self.ctx.date(cover.block.start),
                end=self.ctx.date(cover.block.end),
                state=self._state(cover),
            )
            for number, cover in enumerate(
                block_coverage(data.period, data.period_decisions, data.rules), start=1
            )
        ]
        self.blocks.setText(tr("ui.decisions.blocks") + "\n" + "\n".join(lines))

    def _state(self, cover: BlockCoverage) -> str:
        """What covers a block, day by day: its gaps and overlaps by their dates, and a
        decision running past an ended period's last day (domain ``block_coverage``)."""
        tr = self.ctx.tr
        if cover.gaps == (cover.block,):
            parts = [tr("ui.decisions.not_covered")]
        elif cover.gaps:
            parts = [tr("ui.decisions.gaps", ranges=self._ranges(cover.gaps))]
        else:
            parts = [tr("ui.decisions.covered")]
        if cover.overlaps:
            parts.append(tr("ui.decisions.overlaps", ranges=self._ranges(cover.overlaps)))
        if cover.past_end is not None:
            until, ended = self.ctx.date(cover.past_end), self.ctx.date(cover.block.end)
            parts.append(tr("ui.decisions.past_end", date=until, ended=ended))
        return "; ".join(parts)

    def _ranges(self, ranges: tuple[DateRange, ...]) -> str:
        return ", ".join(f"{self.ctx.date(r.start)}–{self.ctx.date(r.end)}" for r in ranges)

    def _offer(self, step: str | None) -> None:
        """The highlighted action is the decision the period needs next (domain)."""
        tr = self.ctx.tr
        self.next_step = step
        key = (
            "ui.decisions.draft_first" if step == STEP_FIRST else "ui.decisions.draft_continuation"
        )
        self.continue_button.setText(tr(key))
        self.continue_button.setVisible(step in (STEP_FIRST, STEP_CONTINUATION))
        self.new_button.setProperty("primary", step is None)
        repolish(self.new_button)

    def _open(self, decision: models.Decision, is_new: bool) -> DecisionDialog | None:
        if self.data is None or self.data.period is None:
            return None
        dialog = DecisionDialog(
            self.ctx, self.data.period, decision, self.data.period_decisions, is_new, self
        )
        open_dialog(dialog)
        self.dialog_opened.emit(dialog)
        return dialog

    def draft_continuation(self) -> DecisionDialog | None:
        if self.data is None or self.data.period is None:
            return None
        draft = decision_operations.draft_continuation(
            self.data.period,
            self.data.period_decisions,
            self.data.rules,
            self.data.today,
            self.ctx.tr("ui.decision.heard_how_default"),
        )
        if draft is None:
            self.notice.setText(self.ctx.tr("ui.decisions.no_more_blocks"))
            self.notice.setVisible(True)
            return None
        return self._open(draft, True)

    def new_decision(self) -> DecisionDialog | None:
        if self.data is None or self.data.period is None:
            return None
        draft = decision_operations.draft_continuation(
            self.data.period,
            [],
            self.data.rules,
            self.data.today,
            self.ctx.tr("ui.decision.heard_how_default"),
        )
        assert draft is not None
        # a fresh decision: one block from today (or the period's start), inside the period
        start = max(self.data.period.start, self.data.today)
        end = min(
            decision_block(start, self.data.rules).end,
            period_end(self.data.period, self.data.rules),
        )
        draft.valid_from, draft.valid_to = start, max(start, end)
        return self._open(draft, True)

    def show_row(self, row_id: str) -> bool:
        """The decision in front and focused: Enter (or a double click) opens its draft."""
        return select_row(self.table, self.model, row_id)

    def _edit(self, index: QModelIndex) -> None:
        decision = self.model.row_at(index)
        if decision is not None:
            self._open(decision, False)
