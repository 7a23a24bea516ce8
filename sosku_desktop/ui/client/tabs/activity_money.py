"""Activity money month by month, as the decision will list it (days × rate).

Only the days the client's periods pay count (``activity_money.PaidWindow``);
stored realised meetings and present marks outside every period or on a day
still to come are left out, and a line under the table says so with their dates.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from sosku_desktop.domain.activity_money import (
    ActivityMoneyMonth,
    activity_money_for_month,
    left_out_marks,
    months_with_activity,
    paid_window,
)
from sosku_desktop.i18n import format_month, format_short_date
from sosku_desktop.ui.client.tabs.base import ClientTab
from sosku_desktop.ui.shell.context import AppContext
from sosku_desktop.ui.widgets.common import fit_columns, label, table_view
from sosku_desktop.ui.widgets.models import Column, TableModel


class ActivityMoneyTab(ClientTab):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("activityMoneyTab")
        tr = ctx.tr
        self.layout_.addWidget(label(tr("ui.money.explain"), "muted", wrap=True))

        def calculation(m: ActivityMoneyMonth) -> str:
            rate = m.single_rate_cents
            if rate is None:
                return ctx.money(m.total_cents)
            return f"{m.day_count} × {ctx.money(rate)} = {ctx.money(m.total_cents)}"

        self.model: TableModel[ActivityMoneyMonth] = TableModel(
            [
                Column(
                    "ui.col.month",
                    lambda m: format_month(m.year, m.month, ctx.lang),
                    sort=lambda m: (m.year, m.month),
                ),
                Column("ui.col.days", lambda m: str(m.day_count), align_right=True),
                Column("ui.col.total", lambda m: ctx.money(m.total_cents), align_right=True),
                Column("ui.col.calculation", calculation),
                Column(
                    "ui.col.dates",
                    lambda m: ", ".join(format_short_date(d, ctx.lang) for d in m.dates),
                ),
            ],
            ctx.lang,
            self,
        )
        self.table = table_view(self.model, name="activityMoneyTable")
        self.table.setAccessibleName(ctx.tr("ui.client.tab.money"))
        self.layout_.addWidget(self.table, 1)
        self.total = label("", "sectionTitle")
        self.layout_.addWidget(self.total)
        self.left_out = label("", "muted", wrap=True)
        self.left_out.setObjectName("leftOutMarks")
        self.layout_.addWidget(self.left_out)

    def fill(self) -> None:
        assert self.data is not None
        record, rules = self.data.record, self.data.rules
        paid = paid_window(record.client.id, record.periods, self.data.today, rules)
        months = [
            activity_money_for_month(
                y, m, record.meetings, record.sessions, record.attendances, paid, rules
            )
            for y, m in months_with_activity(
                record.meetings, record.sessions, record.attendances, paid
            )
        ]
        months.reverse()
        self.model.set_rows(months)
        fit_columns(self.table, maximum=420)
        total = sum(m.total_cents for m in months)
        days = sum(m.day_count for m in months)
        self.total.setText(self.ctx.tr("ui.money.total", days=days, total=self.ctx.money(total)))
        left_out = left_out_marks(record.meetings, record.sessions, record.attendances, paid)
        self.left_out.setText(
            self.ctx.tr(
                "ui.money.left_out",
                n=len(left_out),
                dates=", ".join(self.ctx.date(day) for day in left_out),
            )
            if left_out
            else ""
        )
        self.left_out.setVisible(bool(left_out))
