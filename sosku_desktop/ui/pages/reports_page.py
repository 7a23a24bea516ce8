"""Reports: the team's figures from this device's data, filtered by worker and months.

Key figures on cards, charts where a person would rather look than read
(every chart has its numbers on it and in its tooltips), and the per-client
table only on request: showing it is a view of those clients' data and is
written to each client's access log. Export CSV / PDF writes the same file
as ``sosku report team`` and logs one export row per client in it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from sosku_desktop.documents.team_report_text import (
    computed_text,
    kind_label,
    month_name,
    month_short,
    percent,
    phase_label,
    r,
    target_share,
)
from sosku_desktop.domain import codes
from sosku_desktop.domain.periods import months_of
from sosku_desktop.domain.team_report import ClientMonth, Month, ReportFilter, TeamReport
from sosku_desktop.i18n import format_money, format_number
from sosku_desktop.operations.reports import Logged, export_team_report, log_clients
from sosku_desktop.store.team_reports import build_team_report
from sosku_desktop.ui.shell import theme
from sosku_desktop.ui.shell.context import AppContext
from sosku_desktop.ui.shell.page import PageMixin
from sosku_desktop.ui.shell.theme import Role, tint
from sosku_desktop.ui.widgets.charts import (
    ACCENT,
    ACCENT_PALE,
    TONES,
    BarChart,
    Meter,
    MeterList,
    Series,
)
from sosku_desktop.ui.widgets.keys import leave_on_tab
from sosku_desktop.ui.widgets.reflow import FlowRow, flow, wrap_labels

#: How far back the month pickers reach.
MONTHS_BACK = 36

STYLE = """
QFrame#card { background: $CARD; border: 1px solid $BORDER; border-radius: 10px; }
QLabel#cardValue { font-size: $FONT_HUGE; font-weight: 600; color: $CHART_INK; }
QLabel#cardCaption { color: $CHART_MUTED; }
QLabel#sectionTitle { font-size: $FONT_LARGE; font-weight: 600; color: $CHART_INK; }
QLabel#pageTitle { font-size: $FONT_TITLE; font-weight: 600; }
QLabel#note { color: $CHART_MUTED; }
"""


class Card(QFrame):
    """A key figure: a big number and what it is."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        self.caption = QLabel(caption)
        self.caption.setObjectName("cardCaption")
        self.value = QLabel()
        self.value.setObjectName("cardValue")
        self.detail = QLabel()
        self.detail.setObjectName("cardCaption")
        self.detail.setWordWrap(True)
        for label in (self.caption, self.value, self.detail):
            layout.addWidget(label)
        layout.addStretch(1)

    def set(self, value: str, detail: str = "") -> None:
        self.value.setText(value)
        self.detail.setText(detail)
        self.detail.setVisible(bool(detail))
        self.setAccessibleName(f"{self.caption.text()}: {value} {detail}".strip())


def _pair(caption: QLabel, box: QComboBox) -> QHBoxLayout:
    """A picker with its caption, kept together when the header wraps."""
    pair = QHBoxLayout()
    pair.setSpacing(6)
    pair.addWidget(caption)
    pair.addWidget(box)
    return pair


def _section(title: str, *widgets: QWidget, note: str = "") -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 8, 0, 4)
    heading = QLabel(title)
    heading.setObjectName("sectionTitle")
    layout.addWidget(heading)
    if note:
        text = QLabel(note)
        text.setObjectName("note")
        text.setWordWrap(True)
        layout.addWidget(text)
    for widget in widgets:
        layout.addWidget(widget)
    return box


def month_choices(today: date, back: int = MONTHS_BACK) -> list[Month]:
    """The months the pickers offer, oldest first, ending with the current month."""
    index = today.year * 12 + today.month - 1 - back
    start = date(index // 12, index % 12 + 1, 1)
    return months_of(start, today)


class ReportsPage(PageMixin, QWidget):
    """Team figures with worker and month filters, charts and exports."""

    TITLE_KEY = "ui.nav.reports"
    HELP_ANCHOR = "kalenteri-ja-raportit"
    TABLES = frozenset(
        {
            "workers",
            "clients",
            "periods",
            "meetings",
            "groups",
            "group_sessions",
            "attendances",
            "expenses",
            "org_settings",
        }
    )

    #: Emitted after a file was written (its path), for a status bar.
    exported = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.store = ctx.store
        self.lang = ctx.lang
        self.today = ctx.today()
        self.report: TeamReport | None = None
        theme.style(self, STYLE)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 14, 16, 10)
        outer.addWidget(self._build_header())
        self.computed = QLabel()
        self.computed.setObjectName("note")
        self.computed.setWordWrap(True)
        outer.addWidget(self.computed)
        outer.addWidget(flow(self.include_clients, self.csv_button, self.pdf_button))
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.hide()
        outer.addWidget(self.status)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self._build_body())
        outer.addWidget(scroll, 1)
        self.refresh()

    # -- building --------------------------------------------------------------------

    def _build_header(self) -> FlowRow:
        """The title and the pickers, continuing on the next line when the line is full
        (1024×600 with large text: on one line they were wider than the page)."""
        lang = self.lang
        row = FlowRow(spacing=12)
        title = QLabel(r("title", lang))
        title.setObjectName("pageTitle")
        row.addWidget(title)
        self.worker_box = QComboBox()
        self.worker_box.addItem(r("all_workers", lang), None)
        # The team's few workers (``AppContext.workers``: one small table).
        for w in sorted(self.ctx.workers().values(), key=lambda w: (w.name.casefold(), w.id)):
            self.worker_box.addItem(w.name, w.id)
        row.addLayout(_pair(QLabel(r("worker", lang)), self.worker_box))
        months = month_choices(self.today)
        self.from_box = QComboBox()
        self.to_box = QComboBox()
        for box in (self.from_box, self.to_box):
            for month in months:
                box.addItem(month_name(month, lang), month)
        self.from_box.setCurrentIndex(months.index((self.today.year, 1)))
        self.to_box.setCurrentIndex(len(months) - 1)
        row.addLayout(_pair(QLabel(r("from", lang)), self.from_box))
        row.addLayout(_pair(QLabel(r("to", lang)), self.to_box))
        self.include_clients = QCheckBox(r("include_clients", lang))
        self.include_clients.setChecked(True)
        self.csv_button = QPushButton(r("export_csv", lang))
        self.pdf_button = QPushButton(r("export_pdf", lang))
        self.csv_button.clicked.connect(lambda: self._ask_export("csv"))
        self.pdf_button.clicked.connect(lambda: self._ask_export("pdf"))
        for box in (self.worker_box, self.from_box, self.to_box):
            box.currentIndexChanged.connect(self.refresh)
        return row

    def _build_body(self) -> QWidget:
        lang = self.lang
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 8, 0)
        cards = FlowRow(spacing=8, fill=True)  # two lines of cards, not a page too wide
        self.card_clients = Card(r("key.clients", lang))
        self.card_meetings = Card(r("key.meetings", lang))
        self.card_target = Card(r("key.target_met", lang))
        self.card_money = Card(r("key.money", lang))
        for card in (self.card_clients, self.card_meetings, self.card_target, self.card_money):
            card.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
            cards.addWidget(card)
        layout.addWidget(cards)

        self.phase_chart = BarChart(horizontal=True)
        self.kind_chart = BarChart(horizontal=True)
        self.realised_chart = BarChart()
        self.target_chart = BarChart()
        self.money_chart = BarChart()
        self.group_meters = MeterList()
        self.budget_meters = MeterList()
        self.groups_empty = QLabel(r("no_groups", lang))
        self.groups_empty.setObjectName("note")
        grid = QGridLayout()
        grid.setHorizontalSpacing(24)
        grid.addWidget(
            _section(r("section.phases", lang), self.phase_chart, note=r("phases_note", lang)),
            0,
            0,
        )
        grid.addWidget(_section(r("section.kinds", lang), self.kind_chart), 0, 1)
        grid.addWidget(_section(r("section.meetings", lang), self.realised_chart), 1, 0)
        self.target_section = _section(r("key.target_met", lang), self.target_chart)
        grid.addWidget(self.target_section, 1, 1)
        grid.addWidget(
            _section(
                r("section.groups", lang),
                self.group_meters,
                self.groups_empty,
                note=r("groups_note", lang),
            ),
            2,
            0,
        )
        grid.addWidget(self._money_section(), 2, 1)
        grid.addWidget(_section(r("section.budget", lang), self.budget_meters), 3, 0)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        for index in range(grid.count()):
            item = grid.itemAt(index)
            if item is not None:
                item.setAlignment(Qt.AlignmentFlag.AlignTop)
        layout.addLayout(grid)

        self.clients_button = QPushButton(r("show_clients", lang))
        self.clients_button.setCheckable(True)
        self.clients_button.toggled.connect(self._toggle_clients)
        clients_note = QLabel(r("clients_logged", lang))
        clients_note.setObjectName("note")
        toggle_row = QHBoxLayout()
        toggle_row.addWidget(self.clients_button)
        toggle_row.addWidget(clients_note, 1)
        self.clients_table = leave_on_tab(QTableWidget())
        self.clients_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.clients_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.clients_table.hide()
        self.clients_hint = QLabel(r("clients_note", lang))
        self.clients_hint.setObjectName("note")
        self.clients_hint.hide()
        heading = QLabel(r("section.clients", lang))
        heading.setObjectName("sectionTitle")
        layout.addWidget(heading)
        layout.addLayout(toggle_row)
        layout.addWidget(self.clients_hint)
        layout.addWidget(self.clients_table)
        layout.addStretch(1)
        wrap_labels(body)  # headings and notes break into lines rather than widen the page
        return body

    # -- figures -----------------------------------------------------------------------

    def _money_section(self) -> QWidget:
        """Money by month, and a line when stored marks were left out of it."""
        self.money_left_out = QLabel()
        self.money_left_out.setObjectName("moneyLeftOut")
        self.money_left_out.setWordWrap(True)
        self.money_left_out.hide()
        return _section(
            r("section.money", self.lang),
            self.money_chart,
            self.money_left_out,
            note=r("money_note", self.lang),
        )

    def set_filter(self, first: Month, last: Month, worker_id: str | None = None) -> None:
        """Choose the months and the worker (e.g. from another page); refreshes once."""
        boxes = ((self.from_box, first), (self.to_box, last), (self.worker_box, worker_id))
        for box, _ in boxes:
            box.blockSignals(True)
        try:
            for box, value in boxes:
                index = next((i for i in range(box.count()) if _same(box.itemData(i), value)), -1)
                if index < 0:
                    raise ValueError(f"not offered here: {value!r}")
                box.setCurrentIndex(index)
        finally:
            for box, _ in boxes:
                box.blockSignals(False)
        self.refresh()

    def current_filter(self) -> ReportFilter | None:
        first = self.from_box.currentData()
        last = self.to_box.currentData()
        if first is None or last is None:
            return None
        if tuple(last) < tuple(first):
            return None
        return ReportFilter(tuple(first), tuple(last), self.worker_box.currentData())

    def refresh(self) -> None:
        """Compute the figures again for the chosen filters."""
        report_filter = self.current_filter()
        if report_filter is None:
            self._say(r("window_invalid", self.lang), error=True)
            for button in (self.csv_button, self.pdf_button):
                button.setEnabled(False)
            return
        for button in (self.csv_button, self.pdf_button):
            button.setEnabled(True)
        self.status.hide()
        self.computed.setText(r("computing", self.lang))
        store, today = self.store, self.today
        self.ctx.tasks.latest(
            ("reports", id(self)),
            lambda _t: build_team_report(store, report_filter, today),
            self._computed,
            owner=self,
        )

    def _computed(self, report: TeamReport) -> None:
        self.report = report
        self._fill(report)
        if self.clients_button.isChecked():
            self._fill_clients(report)

    def _fill(self, report: TeamReport) -> None:
        lang = self.lang
        self.computed.setText(computed_text(report.today, lang))
        self.card_clients.set(
            str(report.clients_in_service),
            r("key.started_ended", lang, started=report.started, ended=report.ended),
        )
        self.card_meetings.set(str(report.realised_meetings))
        met, total = target_share(report)
        self.card_target.set(
            percent(met / total if total else None, lang),
            r("client_months", lang, met=met, total=total),
        )
        self.card_money.set(format_money(report.money_total_cents, lang))
        # stored marks the money does not pay (outside the periods, or still to come)
        left_out = report.left_out_marks
        self.money_left_out.setText(r("money_left_out", lang, n=left_out) if left_out else "")
        self.money_left_out.setVisible(bool(left_out))

        self._fill_charts(report)
        self._fill_meters(report)

    def _fill_charts(self, report: TeamReport) -> None:
        """Phases, meeting kinds, meetings and targets by month, money by month."""
        lang = self.lang
        count = str
        self.phase_chart.set_data(
            [phase_label(p, lang) for p in report.phases],
            [Series("", [float(n) for n in report.phases.values()], QColor(ACCENT))],
            value_text=lambda v: count(int(v)),
        )
        self.kind_chart.set_data(
            [kind_label(k, lang) for k in report.meeting_kinds],
            [Series("", [float(n) for n in report.meeting_kinds.values()], QColor(ACCENT))],
            value_text=lambda v: count(int(v)),
        )
        months = report.meeting_months
        labels = [month_short((m.year, m.month)) for m in months]
        open_months = [i for i, m in enumerate(months) if not m.closed]
        self.realised_chart.set_data(
            labels,
            [Series(r("col.realised", lang), [float(m.realised) for m in months])],
            value_text=lambda v: count(int(v)),
            dimmed=open_months,
        )
        self.target_chart.set_data(
            labels,
            [
                Series(
                    r("col.clients_with_target", lang),
                    [float(m.clients_with_target) for m in months],
                    QColor(ACCENT_PALE),
                ),
                Series(
                    r("col.clients_met", lang),
                    [float(m.clients_meeting_target) for m in months],
                    QColor(ACCENT),
                ),
            ],
            value_text=lambda v: count(int(v)),
            dimmed=open_months,
        )
        self.money_chart.set_data(
            [month_short((m.year, m.month)) for m in report.money_months],
            [
                Series(
                    r("col.total", lang),
                    [m.total_cents / 100 for m in report.money_months],
                    QColor(TONES["green"]),
                )
            ],
            value_text=lambda v: f"{format_number(round(v), lang)} €",
        )

    def _fill_meters(self, report: TeamReport) -> None:
        """Attendance per group and each worker's activity-money budget."""
        lang = self.lang
        self.group_meters.set_rows(
            [
                Meter(
                    g.name,
                    float(g.tally.present),
                    float(g.tally.marked),
                    f"{percent(g.tally.present / g.tally.marked if g.tally.marked else None, lang)}"
                    f" · {g.tally.present}/{g.tally.marked} · {g.sessions} "
                    f"{r('col.sessions', lang).lower()}",
                )
                for g in report.groups
            ]
        )
        self.group_meters.setVisible(bool(report.groups))
        self.groups_empty.setVisible(not report.groups)
        self.budget_meters.set_rows(
            [
                Meter(
                    f"{b.worker_name} {b.status.year}",
                    float(b.status.spent_cents),
                    float(b.status.budget_cents),
                    r(
                        "budget_bar",
                        lang,
                        spent=format_money(b.status.spent_cents, lang),
                        budget=format_money(b.status.budget_cents, lang),
                    )
                    + _overspent_text(b.status.left_cents, lang),
                )
                for b in report.budgets
            ]
        )

    # -- per-client rows ---------------------------------------------------------------

    def _toggle_clients(self, shown: bool) -> None:
        self.clients_button.setText(r("hide_clients" if shown else "show_clients", self.lang))
        self.clients_table.setVisible(shown)
        self.clients_hint.setVisible(shown)
        if shown and self.report is not None:
            self._fill_clients(self.report)

    def _fill_clients(self, report: TeamReport) -> None:
        """Clients down, months across; showing them is logged once per client."""
        months = [(m.year, m.month) for m in report.meeting_months]
        by_client: dict[str, dict[Month, ClientMonth]] = {}
        names: dict[str, tuple[str, str]] = {}
        for row in report.client_months:
            by_client.setdefault(row.client_id, {})[(row.year, row.month)] = row
            names[row.client_id] = (row.client_name, row.worker_name)
        table = self.clients_table
        table.clear()
        table.setRowCount(len(by_client))
        table.setColumnCount(len(months) + 1)
        table.setHorizontalHeaderLabels(
            [r("col.worker", self.lang), *(month_short(m) for m in months)]
        )
        table.setVerticalHeaderLabels([names[cid][0] for cid in by_client])
        unmet = QColor(TONES["red"])
        unmet.setAlpha(60)
        for line, (client_id, rows) in enumerate(by_client.items()):
            table.setItem(line, 0, QTableWidgetItem(names[client_id][1]))
            for col, month in enumerate(months, start=1):
                found = rows.get(month)
                if found is None:
                    continue
                if found.target:
                    text = f"{found.realised}/{found.target}"
                else:
                    text = str(found.realised) if found.realised else ""
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                item.setToolTip(
                    f"{names[client_id][0]} · {month_name(month, self.lang)}\n"
                    f"{r('col.realised', self.lang)}: {found.realised}\n"
                    f"{r('col.target', self.lang)}: {found.target}\n"
                    f"{r('col.days', self.lang)}: {found.paid_days} · "
                    f"{format_money(found.paid_cents, self.lang)}"
                )
                if found.target and not found.met:
                    item.setBackground(unmet)
                    item.setText(f"{text} !")
                table.setItem(line, col, item)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.setMinimumHeight(min(480, 40 + 28 * max(1, len(by_client))))
        shown = list(report.client_ids)
        self.ctx.run_operation(lambda: log_clients(self.store, shown, codes.AUDIT_VIEW))

    # -- export ------------------------------------------------------------------------

    def _ask_export(self, fmt: str) -> None:
        report_filter = self.current_filter()
        if report_filter is None:
            return
        first, last = report_filter.first_month, report_filter.last_month
        name = f"{r('file_stem', self.lang)}-{first[0]}-{first[1]:02d}--{last[0]}-{last[1]:02d}"
        path, _ = QFileDialog.getSaveFileName(
            self,
            r(f"export_{fmt}", self.lang),
            f"{name}.{fmt}",
            "CSV (*.csv)" if fmt == "csv" else "PDF (*.pdf)",
        )
        if path:
            self.export_to(Path(path), fmt)

    def export_to(self, path: Path, fmt: str) -> None:
        """Write the current report to ``path`` in the background; logs an export per
        client in it. The status line says how it went."""
        if self.report is None:
            return
        report, lang, include = self.report, self.lang, self.include_clients.isChecked()

        def done(_logged: Logged) -> None:
            self._say(r("exported", lang, path=str(path)))
            self.exported.emit(str(path))

        self.ctx.run_operation(
            lambda: export_team_report(self.store, report, fmt, lang, path, include),
            done,
            owner=self,
            on_error=self._export_failed,
        )

    def _export_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, OSError):
            self.ctx.report_error(exc)
            return
        self._say(r("export_failed", self.lang, reason=exc.strerror or str(exc)), error=True)

    def _say(self, text: str, error: bool = False) -> None:
        self.status.setText(text)
        tint(self.status, Role.ERROR if error else Role.CHART_INK)
        self.status.show()


def _same(data: object, value: object) -> bool:
    """Combo data comes back from Qt as a list where a tuple went in."""
    if isinstance(data, list | tuple) and isinstance(value, list | tuple):
        return tuple(data) == tuple(value)
    return data == value


def _overspent_text(left_cents: int, lang: str) -> str:
    """ " · ylitys 12,00 €" when the budget is overspent, else nothing."""
    if left_cents >= 0:
        return ""
    return f" · {r('overspent', lang, amount=format_money(-left_cents, lang))}"
