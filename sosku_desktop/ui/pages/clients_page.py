"""Clients: search as you type (name, identity code, phone) and simple filters.

The list is the query ``operations.client_list``: the database searches,
filters, sorts and counts, and a page of rows comes back — in the
background, a newer keystroke superseding the older (a 10,000-client
caseload never freezes the window). The model is lazy: scrolling to its end
reads the next page (``fetchMore``); the count line says how many matched.
A click on a column header does not sort the rows read so far (that would
sort 50 of 10,000): it asks the database for the first page in the new
order, through the same superseding task. When nothing matches, the page
says so in words (and offers to clear the filters if any are on).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QVBoxLayout, QWidget

from sosku_desktop.domain import codes
from sosku_desktop.operations.client_list import (
    SORT_COLUMNS,
    ClientFilters,
    ClientList,
    ClientOrder,
    ClientRow,
    client_list,
)
from sosku_desktop.ui.shell.context import AppContext
from sosku_desktop.ui.shell.page import PageMixin
from sosku_desktop.ui.shell.theme import Role
from sosku_desktop.ui.widgets.common import button, fit_columns, label, page_header, row, table_view
from sosku_desktop.ui.widgets.models import ROW_ROLE, Column, TableModel
from sosku_desktop.ui.widgets.reflow import flow

__all__ = ["ClientRow", "ClientsPage"]

#: Columns hidden, in this order, while the others need their room (1024×600 with
#: large text): the phone, the key worker and the phase are on the client's page, and
#: "Mine" and the phase filter tell much of them; names, codes and dates stay whole.
GIVE_WAY = tuple(SORT_COLUMNS.index(name) for name in ("phone", "key_worker", "phase"))


class LazyClientModel(TableModel[ClientRow]):
    """The client rows read so far; scrolling to the end asks for the next page, and a
    header click for the first page in another order (``sort`` reads, never reorders)."""

    def __init__(self, columns: list[Column[ClientRow]], lang: str, parent: QWidget) -> None:
        super().__init__(columns, lang, parent)
        #: Matches not read yet, and who reads them (the page, in the background).
        self.more = 0
        self.fetch: Callable[[int], None] | None = None
        self.fetching = False
        #: Who reads the list again in another order (the page).
        self.reorder: Callable[[ClientOrder], None] | None = None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if self.reorder is not None and 0 <= column < len(SORT_COLUMNS):
            descending = order == Qt.SortOrder.DescendingOrder
            self.reorder(ClientOrder(SORT_COLUMNS[column], descending))

    def append_rows(self, rows: list[ClientRow]) -> None:
        if rows:
            first = len(self.rows)
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self.rows.extend(rows)
            self.endInsertRows()

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> bool:
        return not parent.isValid() and self.more > 0 and not self.fetching

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> None:
        if self.canFetchMore(parent) and self.fetch is not None:
            self.fetching = True
            self.fetch(len(self.rows))


class EmptyState(QWidget):
    """ "No client matches …" in words, with a way out when filters narrow the list too.

    The count line alone ("Showing 0 / 12,000 clients") leaves the worker
    guessing whether the search, a forgotten filter or the list is empty.
    """

    def __init__(self, ctx: AppContext, clear_filters: Callable[[], None]) -> None:
        super().__init__()
        self.setObjectName("clientsEmpty")
        self.ctx = ctx
        self.text = label("", "notice", wrap=True)
        self.text.setObjectName("clientsEmptyText")
        self.clear = button(ctx.tr("ui.clients.clear_filters"))
        self.clear.setObjectName("clearFilters")
        self.clear.clicked.connect(clear_filters)
        layout = row(self.text, self.clear)
        layout.setContentsMargins(0, 0, 0, 0)
        self.setLayout(layout)
        self.hide()

    def show_for(self, filters: ClientFilters, listed: ClientList) -> None:
        """Visible only when nothing matched; says why, in the worker's words."""
        if listed.matched or not listed.total:
            self.hide()
            return
        text = filters.text.strip()
        filtered = filters != ClientFilters(filters.text)
        if text:
            key = "ui.clients.none_found_filtered" if filtered else "ui.clients.none_found"
        else:
            key = "ui.clients.none_with_filters"
        self.text.setText(self.ctx.tr(key, text=text, total=listed.total))
        self.clear.setVisible(filtered)
        self.show()


def client_columns(ctx: AppContext) -> list[Column[ClientRow]]:
    """The client list's columns (name, identity code, phone, phase, end, next meeting,
    key worker)."""
    return [
        Column(
            "ui.col.name",
            lambda r: f"{r.client.last_name}, {r.client.first_name}",
        ),
        Column("ui.col.identity_code", lambda r: r.client.identity_code),
        Column("ui.col.phone", lambda r: r.client.phone),
        Column(
            "ui.col.phase",
            lambda r: ctx.code("phase", r.period.phase) if r.period else "",
        ),
        Column(
            "ui.col.period_end",
            lambda r: ctx.date(r.end),
            colour=lambda r: Role.WARNING if r.ending_soon else None,
        ),
        Column(
            "ui.col.next_meeting",
            lambda r: ctx.datetime(r.next_meeting) if r.next_meeting else "",
        ),
        Column("ui.col.key_worker", lambda r: r.worker_name),
    ]


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
        self.search.textChanged.connect(self.refresh)
        self.search.returnPressed.connect(self._open_first)
        self.mine = QCheckBox(tr("ui.clients.mine"))
        self.mine.setObjectName("filterMine")
        self.mine.toggled.connect(self.refresh)
        self.phase = QComboBox()
        self.phase.setObjectName("filterPhase")
        self.phase.addItem(tr("ui.clients.all_phases"), None)
        for code in codes.PHASES:
            self.phase.addItem(ctx.code("phase", code), code)
        self.phase.currentIndexChanged.connect(self.refresh)
        self.ending = QCheckBox(tr("ui.clients.ending_soon"))
        self.ending.setObjectName("filterEnding")
        self.ending.toggled.connect(self.refresh)
        outer.addWidget(flow(self.search, self.mine, self.phase, self.ending))  # wraps at 150 %

        self.model = LazyClientModel(client_columns(ctx), ctx.lang, self)
        self.model.fetch = self._request
        self._fitted = False
        self.filters = ClientFilters()
        self.order = ClientOrder()
        self.table = table_view(self.model, name="clientsTable")
        self._name_controls()
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.model.reorder = self.sort_by  # after the first indicator: no extra read
        self.table.doubleClicked.connect(self._open_index)
        self.table.activated.connect(self._open_index)
        outer.addWidget(self.table, 1)
        self.empty = EmptyState(ctx, self.clear_filters)
        outer.addWidget(self.empty)
        self.count = label("", "muted")
        outer.addWidget(self.count)
        QShortcut(QKeySequence.StandardKey.Find, self).activated.connect(self.focus_search)

    def _name_controls(self) -> None:
        """What a screen reader calls the search field and the list."""
        self.search.setAccessibleName(self.ctx.tr("ui.a11y.client_search"))
        self.table.setAccessibleName(self.ctx.tr("ui.nav.clients"))

    def refresh(self) -> None:
        """Ask for the first page of rows matching the search box and filters (newest wins)."""
        self.filters = ClientFilters(
            self.search.text(),
            self.mine.isChecked(),
            self.phase.currentData(),
            self.ending.isChecked(),
        )
        self._request(0)

    def sort_by(self, order: ClientOrder) -> None:
        """Read the first page again in ``order`` (the header's sort indicator shows it)."""
        if order != self.order:
            self.order = order
            self._request(0)

    def clear_filters(self) -> None:
        """Turn "mine", the phase and "ending soon" off (the search text stays)."""
        for box in (self.mine, self.ending):
            box.blockSignals(True)
            box.setChecked(False)
            box.blockSignals(False)
        self.phase.blockSignals(True)
        self.phase.setCurrentIndex(0)
        self.phase.blockSignals(False)
        self.refresh()

    def _request(self, offset: int) -> None:
        store, now, worker_id = self.ctx.store, self.ctx.now(), self.ctx.store.worker_id
        filters, order = self.filters, self.order
        if offset == 0:  # a new list: no "next page" of the old one may land on it
            self.model.more = 0
        self.ctx.tasks.latest(
            ("clients", id(self)),
            lambda _ticket: client_list(store, now, worker_id, filters, offset=offset, order=order),
            self._loaded,
            owner=self,
        )

    def _loaded(self, listed: ClientList) -> None:
        self.model.fetching = False
        self.model.more = listed.more
        if listed.offset == 0:
            self.model.set_rows(listed.rows)
            if not self._fitted and listed.rows:  # once: typing must not re-measure columns
                self._fitted = True
                fit_columns(self.table, optional=GIVE_WAY)
        else:
            self.model.append_rows(listed.rows)
        shown = self.model.rowCount()
        if listed.more:
            text = self.ctx.tr("ui.clients.capped", shown=shown, matched=listed.matched)
        else:
            text = self.ctx.tr("ui.clients.count", shown=listed.matched, total=listed.total)
        self.count.setText(text)
        self.empty.show_for(self.filters, listed)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def visible_client_ids(self) -> list[str]:
        return [row.client.id for row in self.model.rows]

    def _open_first(self) -> None:
        if self.model.rowCount():
            self._open_index(self.model.index(0, 0))

    def _open_index(self, index: QModelIndex) -> None:
        item = index.data(ROW_ROLE)
        if isinstance(item, ClientRow):
            self.client_chosen.emit(item.client.id)
