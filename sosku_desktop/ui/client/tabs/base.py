"""What every client tab receives, and the base class that receives it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from PySide6.QtWidgets import QTableView, QVBoxLayout, QWidget

from sosku_desktop.domain import models
from sosku_desktop.domain.lifecycle import PeriodRecords
from sosku_desktop.domain.rules_config import Rules
from sosku_desktop.store.records import ClientRecord
from sosku_desktop.ui.shell.context import AppContext
from sosku_desktop.ui.widgets.models import TableModel


@dataclass(frozen=True)
class ClientViewData:
    """One client's record, the period in focus and the day it is looked at."""

    record: ClientRecord
    period: models.Period | None
    rules: Rules
    now: datetime

    @property
    def today(self) -> date:
        return self.now.date()

    @property
    def period_meetings(self) -> list[models.Meeting]:
        return self.record.meetings_of(self.period.id) if self.period else []

    @property
    def period_goals(self) -> list[models.Goal]:
        return self.record.goals_of(self.period.id) if self.period else []

    @property
    def period_decisions(self) -> list[models.Decision]:
        return self.record.decisions_of(self.period.id) if self.period else []


def period_records(record: ClientRecord, period: models.Period) -> PeriodRecords:
    """The records of one period that tell which of its phases are done."""
    own = period.id
    return PeriodRecords(
        period=period,
        needs=[n for n in record.needs if n.period_id == own],
        agreements=[a for a in record.agreements if a.period_id == own],
        plans=[p for p in record.plans if p.period_id == own],
        meetings=record.meetings_of(own),
        evaluations=[e for e in record.evaluations if e.period_id == own],
        memberships=record.memberships,
    )


class ClientTab(QWidget):
    """A tab of the client view; ``show_data`` is called after every (re)load."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.data: ClientViewData | None = None
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(16, 14, 16, 14)
        self.layout_.setSpacing(10)

    def show_data(self, data: ClientViewData) -> None:
        self.data = data
        self.fill()

    def fill(self) -> None:
        raise NotImplementedError

    def show_row(self, row_id: str) -> bool:
        """Put one row of the tab (a decision, a group …) in front; False if not here.

        A Today reminder opens the thing it is about, not only the client.
        """
        return False


def select_row(view: QTableView, model: TableModel[Any], row_id: str, key: str = "id") -> bool:
    """Select, show and focus the row whose ``key`` attribute is ``row_id``."""
    for number, row in enumerate(model.rows):
        if getattr(row, key, None) == row_id:
            view.selectRow(number)
            view.scrollTo(model.index(number, 0))
            view.setFocus()
            return True
    return False
