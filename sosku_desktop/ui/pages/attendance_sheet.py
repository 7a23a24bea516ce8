"""The attendance sheet of one group session, made for the keyboard.

Every member is listed; one key marks a person present, absent or excused
and moves to the next person (the letters are the words' initials in the
user's language, shown on the sheet; 1 / 2 / 3 work in every language),
arrow keys move freely, Enter or typing in the note column writes a note,
Delete clears a mark. Saving writes one ``Attendance`` row per person with
an id derived from session and client, so two laptops marking the same
person meet on one row when they sync. Opening the sheet shows clients'
attendance and is logged as a view, once per person listed.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from babel.dates import format_date as babel_date
from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QFont,
    QFontMetrics,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QShortcut,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from sosku_desktop.domain import attendance, codes
from sosku_desktop.domain.errors import Problem, ValidationError
from sosku_desktop.domain.models import Client, Group, GroupSession
from sosku_desktop.i18n import code_label, format_date, locale_of, tr
from sosku_desktop.operations import groups
from sosku_desktop.ui.shell.context import AppContext
from sosku_desktop.ui.shell.theme import Role, colour, style, tint
from sosku_desktop.ui.widgets.client_picker import ClientPicker
from sosku_desktop.ui.widgets.common import dot_font, problem_text
from sosku_desktop.ui.widgets.keys import leave_on_tab
from sosku_desktop.ui.widgets.reflow import FlowRow

NAME, STATUS, NOTE = range(3)
STATUS_ROLE = Qt.ItemDataRole.UserRole + 1
KEY_ROLE = Qt.ItemDataRole.UserRole + 2

#: Pill colours (text, background) per mark: calm, and distinguishable without colour too.
STATUS_COLOURS = {
    codes.ATTENDANCE_PRESENT: (Role.PRESENT, Role.PRESENT_BG),
    codes.ATTENDANCE_ABSENT: (Role.ABSENT, Role.ABSENT_BG),
    codes.ATTENDANCE_EXCUSED: (Role.EXCUSED, Role.EXCUSED_BG),
}


def status_keys(lang: str) -> dict[str, str]:
    """Key letter (upper case) per status in ``lang``: L/P/I, N/F/A, P/A/E."""
    return {s: tr(f"attendance.key.{s}", lang).upper() for s in codes.ATTENDANCE_STATUSES}


@dataclasses.dataclass
class _Row:
    entry: attendance.SheetEntry
    name: str


class SheetModel(QAbstractTableModel):
    """People on the sheet with their marks; ``dirty`` until saved."""

    def __init__(self, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lang = lang
        self.rows: list[_Row] = []
        self.read_only = False
        self.dirty = False
        self._keys = status_keys(lang)

    def reset(self, rows: list[_Row], read_only: bool) -> None:
        self.beginResetModel()
        self.rows = rows
        self.read_only = read_only
        self.dirty = False
        self.endResetModel()

    def entries(self) -> list[attendance.SheetEntry]:
        return [r.entry for r in self.rows]

    # --- Qt model ---------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 3

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return tr(
                ("attendance.col.name", "attendance.col.mark", "attendance.col.note")[section],
                self.lang,
            )
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1)
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        entry = row.entry
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == NAME:
                return row.name
            if column == STATUS:
                if entry.status is None:
                    return tr("attendance.unmarked", self.lang)
                return code_label("attendance", entry.status, self.lang)
            return entry.note
        if role == Qt.ItemDataRole.EditRole and column == NOTE:
            return entry.note
        if role == STATUS_ROLE:
            return entry.status or ""
        if role == KEY_ROLE and column == STATUS and entry.status:
            return self._keys[entry.status]
        if role == Qt.ItemDataRole.ToolTipRole and column == NAME and not entry.member:
            return tr("attendance.guest_tip" if entry.guest else "attendance.former_tip", self.lang)
        if role == Qt.ItemDataRole.ForegroundRole and column == NAME and not entry.member:
            return colour(Role.MUTED)
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == NOTE and not self.read_only:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def setData(
        self,
        index: QModelIndex | QPersistentModelIndex,
        value: Any,
        role: int = Qt.ItemDataRole.EditRole,
    ) -> bool:
        if role != Qt.ItemDataRole.EditRole or index.column() != NOTE or self.read_only:
            return False
        row = self.rows[index.row()]
        note = str(value)
        if note == row.entry.note:
            return False
        row.entry = dataclasses.replace(row.entry, note=note)
        self._changed(index.row())
        return True

    # --- marks ---------------------------------------------------------------------------

    def set_status(self, row: int, status: str | None) -> None:
        if self.read_only or not 0 <= row < len(self.rows):
            return
        current = self.rows[row]
        if current.entry.status == status:
            return
        current.entry = dataclasses.replace(current.entry, status=status)
        self._changed(row)

    def mark_unmarked(self, status: str) -> int:
        """Mark everyone not yet marked; returns how many."""
        count = 0
        for index, row in enumerate(self.rows):
            if row.entry.status is None:
                self.set_status(index, status)
                count += 1
        return count

    def add_guest(self, client_id: str, name: str) -> int:
        """A non-member joins this session: listed as a guest, present by default."""
        self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows))
        entry = attendance.SheetEntry(client_id, codes.ATTENDANCE_PRESENT, guest=True, member=False)
        self.rows.append(_Row(entry, name))
        self.dirty = True
        self.endInsertRows()
        return len(self.rows) - 1

    def _changed(self, row: int) -> None:
        self.dirty = True
        self.dataChanged.emit(self.index(row, 0), self.index(row, 2))


def paint_pill(
    painter: QPainter, rect: QRectF, font: QFont, status: str, key: str, text: str
) -> float:
    """A rounded pill in the status's colours: the key letter in a dot, then ``text``.

    Returns the pill's width so that several can be laid side by side.
    """
    fg, bg = STATUS_COLOURS[status]
    dot_size = rect.height() - 6
    width = min(rect.width(), dot_size + QFontMetrics(font).horizontalAdvance(text) + 22)
    pill = QRectF(rect.left(), rect.top(), width, rect.height())
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour(bg))
    painter.drawRoundedRect(pill, pill.height() / 2, pill.height() / 2)
    dot = QRectF(pill.left() + 4, pill.top() + 3, dot_size, dot_size)
    painter.setBrush(colour(fg))
    painter.drawEllipse(dot)
    painter.setFont(dot_font(font, dot_size))
    painter.setPen(colour(Role.CARD))
    painter.drawText(dot, Qt.AlignmentFlag.AlignCenter, key)
    painter.setFont(font)
    painter.setPen(colour(fg))
    painter.drawText(pill.adjusted(dot.width() + 10, 0, -6, 0), Qt.AlignmentFlag.AlignVCenter, text)
    return width


class StatusDelegate(QStyledItemDelegate):
    """The mark as a coloured pill with its key letter, so keys are learnt by looking."""

    def __init__(self, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._texts = [code_label("attendance", s, lang) for s in codes.ATTENDANCE_STATUSES]
        self._texts.append(tr("attendance.unmarked", lang))

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        """As wide as the widest pill of the language, so the column fits every mark
        (and does not jump when one is changed) at any text size."""
        hint = super().sizeHint(option, index)
        metrics = QFontMetrics(option.font)
        widest = max(metrics.horizontalAdvance(text) for text in self._texts)
        dot = metrics.height() + 6
        return QSize(widest + dot + 22 + 12 + 8, hint.height())

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text = opt.text
        opt.text = ""
        style = opt.widget.style() if opt.widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        status = index.data(STATUS_ROLE)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(opt.rect).adjusted(6, 5, -6, -5)
        if not status:
            painter.setPen(colour(Role.MUTED))
            painter.drawText(rect.adjusted(8, 0, 0, 0), Qt.AlignmentFlag.AlignVCenter, text)
            painter.restore()
            return
        paint_pill(painter, rect, opt.font, status, str(index.data(KEY_ROLE) or ""), text)
        painter.restore()


class SheetView(QTableView):
    """A table where a letter marks the current person and moves on."""

    def __init__(self, model: SheetModel, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.sheet = model
        leave_on_tab(self)
        self._keys = {
            letter.casefold(): status for status, letter in status_keys(lang).items()
        } | dict(attendance.DIGIT_KEYS)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.setItemDelegateForColumn(STATUS, StatusDelegate(lang, self))
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.verticalHeader().setDefaultSectionSize(36)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        # Names and marks at their own widths, the note takes the rest: fixed widths
        # (260 + 230) made the sheet scroll sideways at 1024×600, a whole column at a
        # time, and the names went out of sight.
        header = self.horizontalHeader()
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(STATUS, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(NOTE, QHeaderView.ResizeMode.Stretch)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        index = self.currentIndex()
        editing = self.state() == QAbstractItemView.State.EditingState
        if index.isValid() and not editing and index.column() != NOTE:
            status = self._keys.get(event.text().casefold()) if event.text() else None
            if status is not None:
                self.sheet.set_status(index.row(), status)
                self._move_to(index.row() + 1, index.column())
                return
            if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                self.sheet.set_status(index.row(), None)
                return
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not self.sheet.read_only:
                note = self.sheet.index(index.row(), NOTE)
                self.setCurrentIndex(note)
                self.edit(note)
                return
            if event.text() and event.text().isprintable() and not event.text().isspace():
                return  # an unknown letter must not start editing another column
        super().keyPressEvent(event)

    def _move_to(self, row: int, column: int) -> None:
        row = min(row, self.sheet.rowCount() - 1)
        if row >= 0:
            self.setCurrentIndex(self.sheet.index(row, column))


class AttendanceSheet(QWidget):
    """Attendance of one session: load, mark, add guests, save."""

    back_requested = Signal()
    saved = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.store = ctx.store
        self.lang = lang = ctx.lang
        self.session: GroupSession | None = None
        self.group: Group | None = None
        self._clients: dict[str, Client] = {}
        self.model = SheetModel(lang, self)
        self.view = SheetView(self.model, lang, self)
        self.view.setAccessibleName(tr("ui.a11y.attendance_sheet", lang))
        self.model.dataChanged.connect(self._update_state)
        self.model.rowsInserted.connect(self._update_state)
        self.model.modelReset.connect(self._update_state)

        self._build_heading()
        self.guest_combo = ClientPicker(ctx, tr("attendance.guest_placeholder", lang))
        self.guest_combo.setMinimumWidth(220)
        self.add_guest_button = QPushButton(tr("attendance.add_guest", lang))
        self.add_guest_button.clicked.connect(self.add_selected_guest)
        self.tally = QLabel()
        self.tally.setWordWrap(True)
        tint(self.tally, Role.TEXT)
        self.all_present = QPushButton(tr("attendance.all_present", lang))
        self.all_present.setToolTip(tr("attendance.all_present_tip", lang))
        self.all_present.clicked.connect(self._mark_rest_present)
        self.save_button = QPushButton(tr("attendance.save", lang))
        self.save_button.setDefault(True)
        self.save_button.setToolTip(tr("attendance.save_tip", lang))
        self.save_button.clicked.connect(self.save)
        self.status = QLabel()
        tint(self.status, Role.SUCCESS)
        self.problem = QLabel()  # why the marks could not be saved, in full sentences
        self.problem.setObjectName("sheetProblem")
        self.problem.setWordWrap(True)
        tint(self.problem, Role.ERROR)
        self.problem.hide()
        shortcut = QShortcut(QKeySequence.StandardKey.Save, self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.save)

        self._lay_out()
        self._update_state()

    def _build_heading(self) -> None:
        """Back link, title, the cancelled banner and the keyboard hint."""
        lang = self.lang
        self.back = QPushButton("← " + tr("attendance.back", lang))
        self.back.setFlat(True)
        self.back.clicked.connect(self.back_requested)
        self.title = QLabel()
        self.title.setObjectName("sheetTitle")
        self.title.setWordWrap(True)
        style(self.title, "font-size: $FONT_SUBTITLE; font-weight: 600;")
        self.subtitle = QLabel()
        tint(self.subtitle, Role.MUTED)
        self.banner = QLabel(tr("attendance.cancelled_banner", lang))
        tint(self.banner, Role.WARNING, Role.WARNING_BG, "padding: 6px 10px; border-radius: 4px;")
        self.banner.hide()
        keys = status_keys(lang)
        self.hint = QLabel(
            tr(
                "attendance.hint",
                lang,
                present=keys[codes.ATTENDANCE_PRESENT],
                absent=keys[codes.ATTENDANCE_ABSENT],
                excused=keys[codes.ATTENDANCE_EXCUSED],
            )
        )
        self.hint.setWordWrap(True)
        tint(self.hint, Role.TEXT, Role.NEUTRAL_BG, "padding: 6px 10px; border-radius: 4px;")

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.back)
        top.addStretch(1)
        heading = QVBoxLayout()
        heading.setSpacing(2)
        heading.addWidget(self.title)
        heading.addWidget(self.subtitle)
        guests = FlowRow()  # wraps onto a second line in a narrow window
        guests.addWidget(self.guest_combo)
        guests.addWidget(self.add_guest_button)
        guests.addWidget(self.status)
        guests.addWidget(self.all_present)
        guests.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addLayout(heading)
        layout.addWidget(self.banner)
        layout.addWidget(self.hint)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.tally)
        layout.addWidget(self.problem)
        layout.addWidget(guests)

    # --- loading ------------------------------------------------------------------------

    def load(self, session_id: str, log_view: bool = True) -> None:
        """Show a session's sheet (read in the background); ``log_view`` writes the
        access-log rows (on open)."""
        store = self.store
        self.ctx.tasks.latest(
            ("sheet", id(self)),
            lambda _t: groups.read_sheet(store, session_id),
            lambda data: self._loaded(data, log_view),
            owner=self,
        )

    def _loaded(self, data: groups.SheetData | None, log_view: bool) -> None:
        if data is None:
            return
        session_id = data.session.id
        self.session, self.group, self._clients = data.session, data.group, data.clients
        entries = [
            _Row(e, self._display_name(e)) for e in data.entries if e.client_id in data.clients
        ]
        entries.sort(key=lambda row: (not row.entry.member, self._sort_name(row.entry.client_id)))
        if log_view:
            clients = [row.entry.client_id for row in entries]
            self.ctx.run_operation(
                lambda: groups.log_viewed(self.store, clients, "group_sessions", session_id)
            )
        self.model.reset(entries, read_only=data.session.cancelled)
        self._fill_heading()
        self._fill_guests()
        self.status.clear()
        self.problem.hide()
        if self.model.rowCount():
            self.view.setCurrentIndex(self.model.index(0, STATUS))

    def _sort_name(self, client_id: str) -> tuple[str, str]:
        c = self._clients[client_id]
        return (c.last_name.casefold(), c.first_name.casefold())

    def _display_name(self, entry: attendance.SheetEntry) -> str:
        name = self._clients[entry.client_id].full_name
        if entry.guest:
            return f"{name} ({tr('attendance.guest', self.lang)})"
        if not entry.member:
            return f"{name} ({tr('attendance.former', self.lang)})"
        return name

    def _fill_heading(self) -> None:
        assert self.session is not None
        s = self.session
        weekday = babel_date(s.on, "cccc", locale=locale_of(self.lang))
        when = f"{weekday} {format_date(s.on, self.lang)}"
        if s.starts_at:
            when += " " + tr("attendance.at_time", self.lang, time=s.starts_at)
        group = self.group.name if self.group else ""
        self.title.setText(f"{group} · {when}" if group else when)
        details = [t for t in (s.theme, self.group.place if self.group else "") if t]
        self.subtitle.setText(" · ".join(details))
        self.subtitle.setVisible(bool(details))
        self.banner.setVisible(s.cancelled)
        self.hint.setVisible(not s.cancelled)

    def _fill_guests(self) -> None:
        """The guest box searches the caseload for anyone not on the sheet yet."""
        self.guest_combo.set_exclude({row.entry.client_id for row in self.model.rows})
        self.guest_combo.setEnabled(not self.model.read_only)
        self.add_guest_button.setEnabled(not self.model.read_only)

    # --- actions ----------------------------------------------------------------------------

    def add_selected_guest(self) -> bool:
        """Add the client chosen (or typed) in the guest box."""
        chosen = self.guest_combo.chosen_item()
        if chosen is None:
            tint(self.status, Role.ERROR)
            self.status.setText(tr("attendance.guest_unknown", self.lang))
            return False
        name, client_id = chosen
        row = self.model.add_guest(client_id, f"{name} ({tr('attendance.guest', self.lang)})")
        self.guest_combo.set_exclude({r.entry.client_id for r in self.model.rows})
        self.view.setCurrentIndex(self.model.index(row, STATUS))
        self.view.setFocus()
        return True

    def _mark_rest_present(self) -> None:
        self.model.mark_unmarked(codes.ATTENDANCE_PRESENT)
        self.view.setFocus()

    def save(self) -> bool:
        """Write the marks (in the background); returns whether anything needed saving."""
        if self.session is None or not self.model.dirty or self.model.read_only:
            return False
        session_id, entries, today = self.session.id, self.model.entries(), self.ctx.today()
        problems = attendance.sheet_problems(self.session, entries, today)
        if problems:  # said on the sheet at once; the marks stay as typed
            self._show_problems(problems)
            return False
        self.model.dirty = False
        self.ctx.run_operation(
            lambda: groups.save_attendance(self.store, session_id, entries, today),
            lambda _saved: self._saved(session_id),
            owner=self,
            on_error=self._save_failed,
        )
        return True

    def _saved(self, session_id: str) -> None:
        tint(self.status, Role.SUCCESS)
        self.status.setText(tr("attendance.saved", self.lang))
        self.problem.hide()
        self._update_state()
        self.saved.emit(session_id)

    def _save_failed(self, exc: BaseException) -> None:
        """Nothing was written: the marks stay on the sheet, unsaved, and the error is shown."""
        self.model.dirty = True
        self._update_state()
        if isinstance(exc, ValidationError):
            self._show_problems(exc.problems)
            return
        self.ctx.report_error(exc)

    def _show_problems(self, problems: list[Problem]) -> None:
        self.status.clear()
        self.problem.setText("\n".join(problem_text(p, self.lang) for p in problems))
        self.problem.show()

    def has_unsaved_changes(self) -> bool:
        return self.model.dirty

    def _update_state(self, *_: object) -> None:
        tally = attendance.sheet_tally(self.model.entries())
        self.tally.setText(
            tr(
                "attendance.tally",
                self.lang,
                present=tally.present,
                absent=tally.absent,
                excused=tally.excused,
                unmarked=tally.unmarked,
            )
        )
        writable = not self.model.read_only and self.session is not None
        self.save_button.setEnabled(writable and self.model.dirty)
        self.all_present.setEnabled(writable and tally.unmarked > 0)
        if self.model.dirty:
            tint(self.status, Role.MUTED)
            self.status.setText(tr("attendance.unsaved", self.lang))
