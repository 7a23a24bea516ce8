"""Start vs latest self-assessment of one client: radar or bars, table, traffic lights.

The widget picks the pair itself (``domain.scoring.start_and_latest``):
the latest assessment and the first one before it in the same period.
Showing the scores is a view of the client's record, so each load writes
one ``AUDIT_VIEW`` row; saving the one-page PDF for the client writes an
``AUDIT_PRINT`` row.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QStackedWidget,
    QStyle,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from sosku_desktop.documents.assessment_text import (
    band_text,
    change_text,
    score_text,
)
from sosku_desktop.domain.instruments import Instrument
from sosku_desktop.domain.models import Assessment
from sosku_desktop.domain.scoring import Comparison, compare, instruments_used, start_and_latest
from sosku_desktop.i18n import format_date, tr
from sosku_desktop.operations.assessments import (
    assessments_of,
    export_comparison_pdf,
    log_comparison_view,
)
from sosku_desktop.store.instrument_files import (
    InstrumentCatalog,
    InstrumentFileError,
    import_instrument,
    load_instruments,
    problem_lines,
)
from sosku_desktop.ui.client.assessment_form import AssessmentForm
from sosku_desktop.ui.shell.context import AppContext
from sosku_desktop.ui.shell.theme import Role, style, tint
from sosku_desktop.ui.widgets.assessment_charts import AreaBars, AreaRow, RadarChart, Zone
from sosku_desktop.ui.widgets.charts import tone_colour
from sosku_desktop.ui.widgets.form_guard import GuardedDialog
from sosku_desktop.ui.widgets.keys import leave_on_tab
from sosku_desktop.ui.widgets.lifetime import run_modal
from sosku_desktop.ui.widgets.reflow import FlowRow, ReflowRow, size_to_current_tab

AREA, START, LATEST, CHANGE, LEVEL = range(5)


def zones_of(instrument: Instrument, lang: str) -> list[Zone]:
    """The instrument's bands as chart zones (start up to the next band's start)."""
    bands = instrument.bands
    return [
        Zone(
            start=band.start,
            stop=bands[i + 1].start if i + 1 < len(bands) else instrument.scale.max,
            tone=band.tone,
            label=band.label.get(lang),
        )
        for i, band in enumerate(bands)
    ]


def dot_icon(tone: str | None, size: int = 14) -> QIcon:
    """A filled traffic-light dot (the band's words stay beside it)."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    p = QPainter(pixmap)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    colour = tone_colour(tone)
    p.setPen(colour.darker(130))
    p.setBrush(colour)
    p.drawEllipse(1, 1, size - 2, size - 2)
    p.end()
    return QIcon(pixmap)


#: A comparison table wider than this (one line a cell) breaks its names into lines.
WRAP_ABOVE = 600


class AssessmentCompare(QWidget):
    """The client's self-assessments compared: the start against the latest."""

    def __init__(
        self,
        ctx: AppContext,
        client_id: str,
        parent: QWidget | None = None,
        *,
        catalog: InstrumentCatalog | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.store = store = ctx.store
        self.client_id = client_id
        self.lang = ctx.lang
        self.today = ctx.today()
        self.catalog = catalog if catalog is not None else load_instruments(store.data_dir)
        self.assessments: list[Assessment] = []
        self.comparison: Comparison | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        tint(self.notice, Role.WARNING)
        layout.addWidget(self._build_top())
        layout.addWidget(self.notice)

        self.dates = QLabel()
        self.dates.setWordWrap(True)
        tint(self.dates, Role.CHART_MUTED)
        layout.addWidget(self.dates)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        tint(self.message, Role.CHART_INK, extra="padding: 12px;")
        layout.addWidget(self.message)

        layout.addWidget(self._build_body(), 1)
        self.filler = QWidget()
        layout.addWidget(self.filler, 1)
        self.reload()

    def _build_top(self) -> FlowRow:
        """Title, instrument choice, radar/bars switch, print and new (under the title
        when the window is narrow)."""
        lang = self.lang
        row = FlowRow()  # the controls wrap onto more lines when narrow
        self.title = QLabel(tr("assessment.compare_title", lang))
        self.title.setWordWrap(True)
        style(self.title, "font-size: $FONT_LARGE; font-weight: 600;")
        row.addWidget(self.title)
        top = row
        self.instrument_box = QComboBox()
        self.instrument_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.instrument_box.setMinimumContentsLength(18)
        self.instrument_box.currentIndexChanged.connect(self._instrument_chosen)
        top.addWidget(self.instrument_box)
        self.view_buttons = QButtonGroup(self)
        for index, key in enumerate(("assessment.view.radar", "assessment.view.bars")):
            button = QPushButton(tr(key, lang))
            button.setCheckable(True)
            button.setChecked(index == 0)
            self.view_buttons.addButton(button, index)
            top.addWidget(button)
        self.view_buttons.idClicked.connect(self._show_view)
        self.print_button = QPushButton(tr("assessment.print", lang))
        self.print_button.clicked.connect(self._ask_pdf)
        top.addWidget(self.print_button)
        self.new_button = QPushButton(tr("assessment.new", lang))
        self.new_menu = QMenu(self.new_button)
        self.new_button.setMenu(self.new_menu)
        self._fill_new_menu()
        top.addWidget(self.new_button)
        return row

    def _build_body(self) -> QWidget:
        """The chart (radar or bars) beside the table of figures and the legend."""
        lang = self.lang
        self.body = body = ReflowRow()  # the table goes under the chart when narrow
        self.stack = QStackedWidget()
        self.radar = RadarChart()
        self.bars = AreaBars()
        self.stack.addWidget(self.radar)
        self.stack.addWidget(self.bars)
        size_to_current_tab(self.stack)  # the hidden chart's size does not count
        body.add(self.stack, 1)
        right = QVBoxLayout()
        right.setSpacing(6)
        self.table = leave_on_tab(QTableWidget(0, 5))
        self.table.setAccessibleName(tr("ui.a11y.assessment_table", lang))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.verticalHeader().hide()
        self.table.setHorizontalHeaderLabels(
            [
                tr("assessment.col.area", lang),
                tr("assessment.col.start", lang),
                tr("assessment.col.latest", lang),
                tr("assessment.col.change", lang),
                tr("assessment.col.band", lang),
            ]
        )
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setSizeAdjustPolicy(QAbstractScrollArea.SizeAdjustPolicy.AdjustToContents)
        # Large text can make the figures wider than the room: scroll, never clip.
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.table.setIconSize(QSize(14, 14))
        self.table.verticalHeader().sectionResized.connect(self._fit_height)
        self.table.horizontalHeader().geometriesChanged.connect(self._fit_height)
        right.addWidget(self.table)
        self.legend = QLabel()
        self.legend.setWordWrap(True)
        self.legend.setMaximumWidth(420)
        tint(self.legend, Role.CHART_MUTED)
        right.addWidget(self.legend)
        right.addStretch(1)
        body.add(right, 0)
        return self.body

    def _fill_new_menu(self) -> None:
        """One entry per usable instrument, then importing an organisation's definition."""
        self.new_menu.clear()
        for instrument in self.catalog.instruments:
            action = self.new_menu.addAction(instrument.name.get(self.lang))
            action.triggered.connect(lambda _=False, i=instrument: self.open_form(i))
        self.new_menu.addSeparator()
        self.new_menu.addAction(tr("assessment.import", self.lang)).triggered.connect(
            self._ask_import
        )
        lines = problem_lines(self.catalog.skipped, self.lang)
        self.notice.setText(
            "\n".join([tr("assessment.skipped_files", self.lang), *lines]) if lines else ""
        )
        self.notice.setVisible(bool(lines))

    def _ask_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, tr("assessment.import", self.lang), "", "JSON (*.json)"
        )
        if path:
            self.import_definition(Path(path))

    def import_definition(self, source: Path, replace: bool = False) -> bool:
        """Validate and copy a definition into the organisation folder, then reload."""
        try:
            instrument = import_instrument(self.store.data_dir, source, replace)
        except InstrumentFileError as error:
            reasons = error.problem.reasons(self.lang)
            self.notice.setText(
                "\n".join([tr("assessment.import_failed", self.lang, name=source.name), *reasons])
            )
            self.notice.show()
            return False
        self.catalog = load_instruments(self.store.data_dir)
        self._fill_new_menu()
        self.notice.setText(
            tr("assessment.imported", self.lang, name=instrument.name.get(self.lang))
        )
        self.notice.show()
        self.reload()
        return True

    def _show_view(self, index: int) -> None:
        """0 = radar, 1 = bars."""
        self.stack.setCurrentIndex(index)

    # -- data ------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the client's assessments again (e.g. after a new one was saved), in the
        background."""
        store, client_id = self.store, self.client_id
        self.ctx.tasks.latest(
            ("assessments", id(self)),
            lambda _t: assessments_of(store, client_id),
            self._loaded,
            owner=self,
        )

    def _loaded(self, assessments: list[Assessment]) -> None:
        self.assessments = assessments
        used = instruments_used(self.assessments)
        self.instrument_box.blockSignals(True)
        self.instrument_box.clear()
        for instrument_id in used:
            known = self.catalog.get(instrument_id)
            self.instrument_box.addItem(
                known.name.get(self.lang) if known else instrument_id, instrument_id
            )
        self.instrument_box.blockSignals(False)
        self.instrument_box.setVisible(len(used) > 1)
        self._show(used[0] if used else None)

    def _instrument_chosen(self, index: int) -> None:
        if index >= 0:
            self._show(self.instrument_box.itemData(index))

    def _show(self, instrument_id: str | None) -> None:
        self.comparison = None
        pair = start_and_latest(self.assessments, instrument_id) if instrument_id else None
        if pair is None:
            self._empty(tr("assessment.none", self.lang))
            return
        start, latest = pair
        instrument = self.catalog.get(latest.instrument_id)
        if instrument is None:
            self._empty(tr("assessment.instrument_missing", self.lang, id=latest.instrument_id))
            return
        self.comparison = compare(instrument, start, latest)
        self._log_view(latest)
        self._fill(self.comparison)

    def _log_view(self, latest: Assessment) -> None:
        client_id = self.client_id
        self.ctx.run_operation(lambda: log_comparison_view(self.store, client_id, latest.id))

    def _empty(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()
        self.body.hide()
        self.filler.show()
        self.dates.hide()
        self.print_button.setEnabled(False)
        for button in self.view_buttons.buttons():
            button.setEnabled(False)

    # -- showing ---------------------------------------------------------------------

    def _fill(self, comparison: Comparison) -> None:
        lang = self.lang
        instrument = comparison.instrument
        start, latest = comparison.start, comparison.latest
        self.body.show()
        self.filler.hide()
        self.dates.show()
        self.print_button.setEnabled(True)
        for button in self.view_buttons.buttons():
            button.setEnabled(True)
        start_name = tr("assessment.start", lang, date=format_date(start.on, lang)) if start else ""
        latest_name = tr("assessment.latest", lang, date=format_date(latest.on, lang))
        if start is None:
            self.message.setText(tr("assessment.only_one", lang, date=format_date(latest.on, lang)))
            self.message.show()
            self.dates.setText(f"{instrument.name.get(lang)} · {latest_name}")
        else:
            self.message.hide()
            self.dates.setText(f"{instrument.name.get(lang)} · {start_name} · {latest_name}")
        labels = [row.area.label.get(lang) for row in comparison.areas]
        zones = zones_of(instrument, lang)
        self.radar.set_data(
            labels,
            [row.start for row in comparison.areas] if start else None,
            [row.latest for row in comparison.areas],
            scale_min=instrument.scale.min,
            scale_max=instrument.scale.max,
            zones=zones,
            names=(start_name, latest_name),
            lang=lang,
        )
        self.bars.set_data(
            [
                AreaRow(
                    label=row.area.label.get(lang),
                    start=row.start,
                    latest=row.latest,
                    tone=row.latest_band.tone if row.latest_band else None,
                    change_text=_signed(row.change, lang),
                )
                for row in comparison.areas
            ],
            scale_min=instrument.scale.min,
            scale_max=instrument.scale.max,
            zones=zones,
            names=(start_name, latest_name),
            lang=lang,
        )
        self._fill_table(comparison)
        self.legend.setText(
            tr(
                "assessment.bands_legend",
                lang,
                bands=" · ".join(band_text(comparison, b, lang) for b in instrument.bands),
            )
            if instrument.bands
            else ""
        )

    def _fill_table(self, comparison: Comparison) -> None:
        """One row per area: start, latest, the change (coloured by direction) and level."""
        lang, start = self.lang, comparison.start
        self.table.setRowCount(len(comparison.areas))
        self.table.setColumnHidden(START, start is None)
        self.table.setColumnHidden(CHANGE, start is None)
        for i, row in enumerate(comparison.areas):
            improved = comparison.improved(row)
            change = QTableWidgetItem(_signed(row.change, lang))
            change.setToolTip(change_text(comparison, row, lang))
            change.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if improved is not None:
                change.setForeground(
                    QColor(tone_colour("green" if improved else "red").darker(120))
                )
            band = row.latest_band
            level = QTableWidgetItem(band.label.get(lang) if band else "")
            level.setToolTip(band_text(comparison, band, lang))
            if band is not None:
                level.setIcon(dot_icon(band.tone))
            cells = (
                QTableWidgetItem(row.area.label.get(lang)),
                _number_item(score_text(row.start, lang)),
                _number_item(score_text(row.latest, lang)),
                change,
                level,
            )
            for column, item in enumerate(cells):
                self.table.setItem(i, column, item)
        self._fit_columns()
        header = self.table.horizontalHeader()
        bar = self.table.verticalScrollBar().sizeHint().width()
        # asks for its columns as fitted (``ask_for_columns`` would count names on a line)
        self.table.setMinimumWidth(
            sum(header.sectionSize(c) for c in range(header.count()))
            + bar
            + 2 * self.table.frameWidth()
            + 4
        )
        self._fit_height()

    def _fit_height(self, *_: object) -> None:
        """The table exactly as tall as its header and rows, as they are now. Only a
        maximum let the layout around give it less once the rows had wrapped into two
        lines at large text (the last row then scrolled inside the table); so the
        height is fixed, and fitted again whenever a row or the header changes."""
        table = self.table
        height = (
            table.horizontalHeader().height()
            + sum(table.rowHeight(i) for i in range(table.rowCount()))
            + 2 * table.frameWidth()
        )
        if table.horizontalScrollBar().isVisible():
            height += table.horizontalScrollBar().sizeHint().height()
        if height != table.minimumHeight() or height != table.maximumHeight():
            table.setFixedHeight(height)  # the row around asks again

    def form_dialog(self, instrument: Instrument) -> GuardedDialog:
        """A new assessment's form in a dialog that keeps the form contract: Escape on
        answers given asks first (it closed with them gone), Ctrl+Enter saves."""
        dialog = GuardedDialog(self)
        dialog.guard_lang = self.lang
        dialog.setWindowTitle(tr("assessment.title", self.lang))
        box = QVBoxLayout(dialog)
        box.setContentsMargins(0, 0, 0, 0)
        form = AssessmentForm(self.ctx, self.client_id, instrument, dialog)
        form.saved.connect(lambda _id: dialog.accept())
        box.addWidget(form)
        dialog.resize(880, 760)
        return dialog

    def _fit_columns(self) -> None:
        """Each column as wide as its contents on one line; but when that makes the
        table wider than ``WRAP_ABOVE`` (large text, long Swedish names), the area
        names and the levels break into lines, their columns as wide as their
        longest word ("Meningsfull / sysselsättning", "Delvis i / ordning"): on one
        line the table was wider than the page at 1024×600 and scrolled sideways."""
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.resizeColumnsToContents()
        if sum(header.sectionSize(c) for c in range(header.count())) > WRAP_ABOVE:
            for column in (0, 4):
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
                header.resizeSection(column, self._word_width(column))
        self.table.resizeRowsToContents()

    def _word_width(self, column: int) -> int:
        """The width showing the column's longest word and its header whole."""
        fm = self.table.fontMetrics()
        margin = 2 * (self.table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 1)
        widest = 0
        for row in range(self.table.rowCount()):
            item = self.table.item(row, column)
            if item is None:
                continue
            icon = self.table.iconSize().width() + 6 if not item.icon().isNull() else 0
            words = item.text().split() or [""]
            widest = max(widest, icon + max(fm.horizontalAdvance(w) for w in words))
        head = self.table.horizontalHeader().sectionSizeFromContents(column).width()
        return max(widest + margin + 8, head)  # the header stays on one line

    def open_form(self, instrument: Instrument) -> None:
        """A new assessment in a dialog; the comparison reloads when it is saved."""
        if run_modal(self.form_dialog(instrument)):
            self.reload()

    # -- the client's copy -----------------------------------------------------------

    def _ask_pdf(self) -> None:
        stem = tr("assessment.pdf_file", self.lang)
        path, _ = QFileDialog.getSaveFileName(
            self,
            tr("assessment.print", self.lang),
            f"{stem}-{self.today.isoformat()}.pdf",
            "PDF (*.pdf)",
        )
        if path:
            self.save_pdf(Path(path))

    def save_pdf(self, path: Path) -> None:
        """Write the one-page comparison for the client and log the print."""
        if self.comparison is None:
            return
        comparison, client_id, lang, today = self.comparison, self.client_id, self.lang, self.today
        self.ctx.run_operation(
            lambda: export_comparison_pdf(self.store, comparison, client_id, path, lang, today)
        )


def _number_item(text: str) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


def _signed(change: float | None, lang: str) -> str:
    """ "▲ +2" / "▼ −1" / "± 0": the arrow tells the direction without colour."""
    if change is None:
        return ""
    if change > 0:
        return f"▲ +{score_text(change, lang)}"
    if change < 0:
        return f"▼ −{score_text(-change, lang)}"
    return f"± {score_text(0, lang)}"
