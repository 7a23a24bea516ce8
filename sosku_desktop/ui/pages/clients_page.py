"""Clients: search as you type (name, identity code, phone) and simple filters.

Rows are read in a background task; the search itself is the store's
``search_clients`` (the same matching as everywhere else), and the filters
(mine, phase, ending soon) are applied by a sorting proxy so typing never
reloads the table.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QVBoxLayout, QWidget

from sosku_desktop.domain import codes, models
from sosku_desktop.domain.meetings import next_planned_meeting
from sosku_desktop.domain.periods import days_left, period_end
from sosku_desktop.store.database import Store
from sosku_desktop.store.records import load_rules
from sosku_desktop.ui.shell.context import AppContext
from sosku_desktop.ui.shell.page import PageMixin
from sosku_desktop.ui.shell.theme import Role
from sosku_desktop.ui.widgets.common import button, fit_columns, label, page_header, row, table_view
from sosku_desktop.ui.widgets.models import ROW_ROLE, SORT_ROLE, Column, TableModel


@dataclass(frozen=True)
class ClientRow:
    client: models.Client
    period: models.Period | None
    worker_name: str
    next_meeting: datetime | None
    end: date | None
    ending_soon: bool
    mine: bool


def load_client_rows(store: Store, now: datetime, worker_id: str | None) -> list[ClientRow]:
    """One row per client with the current period and the next planned meeting."""
    today = now.date()
    with store.read() as r:
        rules = load_rules(r)
        workers = {w.id: w.name for w in r.list(models.Worker)}
        clients = r.clients()
        periods = r.list(models.Period, order_by="start")
        meetings = r.list(models.Meeting, order_by="starts_at", status=codes.MEETING_PLANNED)
    by_client: dict[str, list[models.Period]] = {}
    for p in periods:
        by_client.setdefault(p.client_id, []).append(p)
    rows = []
    for client in clients:
        own = by_client.get(client.id, [])
        active = [p for p in own if p.status == codes.PERIOD_ACTIVE]
        period = active[-1] if active else (own[-1] if own else None)
        end = period_end(period, rules) if period else None
        upcoming = next_planned_meeting(meetings, now, period.id) if period is not None else None
        key_worker = (period.worker_id if period and period.worker_id else None) or client.worker_id
        ending = (
            period is not None
            and period.status == codes.PERIOD_ACTIVE
            and end is not None
            and days_left(end, today) <= rules.year_limit_warning_days
        )
        rows.append(
            ClientRow(
                client=client,
                period=period,
                worker_name=workers.get(key_worker or "", ""),
                next_meeting=upcoming.starts_at if upcoming else None,
                end=end,
                ending_soon=ending,
                mine=worker_id is None or key_worker == worker_id,
            )
        )
    return rows


class ClientFilter(QSortFilterProxyModel):
    """Search matches from the store plus the page's filters."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.matching: set[str] | None = None
        self.only_mine = False
        self.phase: str | None = None
        self.ending_soon = False
        self.setSortRole(SORT_ROLE)

    def filterAcceptsRow(
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        index = self.sourceModel().index(source_row, 0, source_parent)
        item = index.data(ROW_ROLE)
        if not isinstance(item, ClientRow):
            return False
        if self.matching is not None and item.client.id not in self.matching:
            return False
        if self.only_mine and not item.mine:
            return False
        if self.phase and (item.period is None or item.period.phase != self.phase):
            return False
        return not (self.ending_soon and not item.ending_soon)


class ClientsPage(PageMixin, QWidget):
    """Find a client fast; open with Enter or a double click."""

    TITLE_KEY = "ui.nav.clients"
    HELP_ANCHOR = "asiakkaat"
    TABLES = frozenset({"clients", "periods", "meetings", "workers"})

    client_chosen = Signal(str)
    new_client_requested = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("clientsPage")
        self.ctx = ctx
        tr = ctx.tr
        outer = QVBoxLayout(self)
        outer.setContentsMargins(28, 22, 28, 18)
        outer.setSpacing(12)
        self.new_button = button(tr("ui.clients.new"), primary=True)
        self.new_button.setObjectName("newClientButton")
        self.new_button.clicked.connect(self.new_client_requested)
        header, _ = page_header(tr("ui.clients.title"), self.new_button)
        outer.addLayout(header)

        self.search = QLineEdit()
        self.search.setObjectName("clientSearch")
        self.search.setPlaceholderText(tr("ui.clients.search"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(340)
        self.search.textChanged.connect(self._search)
        self.search.returnPressed.connect(self._open_first)
        self.mine = QCheckBox(tr("ui.clients.mine"))
        self.mine.setObjectName("filterMine")
        self.mine.toggled.connect(self._filters)
        self.phase = QComboBox()
        self.phase.setObjectName("filterPhase")
        self.phase.addItem(tr("ui.clients.all_phases"), None)
        for code in codes.PHASES:
            self.phase.addItem(ctx.code("phase", code), code)
        self.phase.currentIndexChanged.connect(self._filters)
        self.ending = QCheckBox(tr("ui.clients.ending_soon"))
        self.ending.setObjectName("filterEnding")
        self.ending.toggled.connect(self._filters)
        outer.addLayout(row(self.search, self.mine, self.phase, self.ending))

        self.model: TableModel[ClientRow] = TableModel(
            [
                Column(
                    "ui.col.name",
                    lambda r: f"{r.client.last_name}, {r.client.first_name}",
                ),
                Column("ui.col.identity_code", lambda r: r.client.identity_code),
                Column("ui.col.phone", lambda r: r.client.phone),
                Column(
                    "ui.col.phase",
                    lambda r: ctx.code("phase", r.period.phase) if r.period else "",
                    sort=lambda r: codes.PHASES.index(r.period.phase) if r.period else -1,
                ),
                Column(
                    "ui.col.period_end",
                    lambda r: ctx.date(r.end),
                    sort=lambda r: r.end or date.max,
                    colour=lambda r: Role.WARNING if r.ending_soon else None,
                ),
                Column(
                    "ui.col.next_meeting",
                    lambda r: ctx.datetime(r.next_meeting) if r.next_meeting else "",
                    sort=lambda r: r.next_meeting or datetime.max,
                ),
                Column("ui.col.key_worker", lambda r: r.worker_name),
            ],
            ctx.lang,
            self,
        )
        self.proxy = ClientFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table = table_view(self.proxy, name="clientsTable")
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.doubleClicked.connect(self._open_index)
        self.table.activated.connect(self._open_index)
        outer.addWidget(self.table, 1)
        self.count = label("", "muted")
        outer.addWidget(self.count)
        QShortcut(QKeySequence.StandardKey.Find, self).activated.connect(self.focus_search)

    def refresh(self) -> None:
        self.ctx.tasks.run(
            lambda: load_client_rows(self.ctx.store, self.ctx.now(), self.ctx.store.worker_id),
            self._loaded,
            owner=self,
        )

    def _loaded(self, rows: list[ClientRow]) -> None:
        self.model.set_rows(rows)
        self._search(self.search.text())
        fit_columns(self.table)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _search(self, text: str) -> None:
        if text.strip():
            with self.ctx.store.read() as r:
                self.proxy.matching = {c.id for c in r.search_clients(text)}
        else:
            self.proxy.matching = None
        self.proxy.invalidate()
        self._count()

    def _filters(self) -> None:
        self.proxy.only_mine = self.mine.isChecked()
        self.proxy.phase = self.phase.currentData()
        self.proxy.ending_soon = self.ending.isChecked()
        self.proxy.invalidate()
        self._count()

    def _count(self) -> None:
        self.count.setText(
            self.ctx.tr(
                "ui.clients.count", shown=self.proxy.rowCount(), total=self.model.rowCount()
            )
        )

    def visible_client_ids(self) -> list[str]:
        return [
            self.proxy.index(i, 0).data(ROW_ROLE).client.id for i in range(self.proxy.rowCount())
        ]

    def _open_first(self) -> None:
        if self.proxy.rowCount():
            self._open_index(self.proxy.index(0, 0))

    def _open_index(self, index: QModelIndex) -> None:
        item = index.data(ROW_ROLE)
        if isinstance(item, ClientRow):
            self.client_chosen.emit(item.client.id)
