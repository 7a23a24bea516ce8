"""The self-assessment form: calm, large, one area per row, made for the keyboard.

The client often fills it in with the worker, on a laptop on a kitchen
table, so the choices are big buttons (0–10 for the generic instrument), a
row shows which one is chosen in words and colour, and nothing hurries
the client: an area may be left unanswered.

Keyboard: every row takes focus (Tab / arrow down and up move between
rows); digits choose a value (``1`` then ``0`` gives 10), arrow left and
right step it, Home/End go to the ends, Delete clears. Saving validates
with the domain rules and writes one ``Assessment`` through
``operations.assessments.save_assessment``, which logs the change in the client's access log.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QDateEdit,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from sosku_desktop.domain.errors import Problem
from sosku_desktop.domain.instruments import Area, Instrument, Item
from sosku_desktop.domain.models import Assessment
from sosku_desktop.i18n import format_date, format_number, tr
from sosku_desktop.operations.assessments import (
    SavedAssessment,
    entry_problems,
    save_assessment,
)
from sosku_desktop.ui.shell import theme
from sosku_desktop.ui.shell.context import AppContext
from sosku_desktop.ui.shell.theme import Role, tint
from sosku_desktop.ui.widgets.field_messages import problem_text

BUTTON_SIZE = 44


class ScaleRow(QFrame):
    """One question with a button per scale choice; the row itself holds the focus."""

    changed = Signal()
    next_requested = Signal()
    previous_requested = Signal()

    def __init__(
        self,
        instrument: Instrument,
        item: Item,
        title: str,
        question: str,
        lang: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.item = item
        self.lang = lang
        self.choices = instrument.scale.choices()
        self._value: float | None = None
        self._typed = ""
        self.setObjectName("scaleRow")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(f"{title}. {question}".strip(". "))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.setSpacing(6)
        heading = QLabel(title)
        heading.setObjectName("areaTitle")
        heading.setWordWrap(True)
        layout.addWidget(heading)
        if question:
            text = QLabel(question)
            text.setWordWrap(True)
            text.setObjectName("question")
            layout.addWidget(text)
        buttons = QHBoxLayout()
        buttons.setSpacing(6)
        self.group = QButtonGroup(self)
        self.group.setExclusive(False)
        self.buttons: list[QPushButton] = []
        for index, value in enumerate(self.choices):
            button = QPushButton(format_number(value, lang))
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setMinimumSize(BUTTON_SIZE, BUTTON_SIZE)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            button.setObjectName("scaleButton")
            self.group.addButton(button, index)
            self.buttons.append(button)
            buttons.addWidget(button)
        self.group.idClicked.connect(self._clicked)
        layout.addLayout(buttons)
        ends = QHBoxLayout()
        low = QLabel(instrument.scale.low_label.get(lang))
        high = QLabel(instrument.scale.high_label.get(lang))
        self.chosen = QLabel()
        self.chosen.setAlignment(Qt.AlignmentFlag.AlignCenter)
        for label in (low, high):
            label.setObjectName("scaleEnd")
        ends.addWidget(low)
        ends.addStretch(1)
        ends.addWidget(self.chosen)
        ends.addStretch(1)
        ends.addWidget(high)
        layout.addLayout(ends)
        self._show()

    # -- value ---------------------------------------------------------------------

    def form_value(self) -> float | None:
        """What ``form_guard`` compares to tell a changed form."""
        return self._value

    @property
    def value(self) -> float | None:
        return self._value

    def set_value(self, value: float | None) -> None:
        if value is not None and value not in self.choices:
            return
        if value == self._value:
            return
        self._value = value
        self._show()
        self.changed.emit()

    def _clicked(self, index: int) -> None:
        value = self.choices[index]
        self.set_value(None if value == self._value else value)
        self.setFocus(Qt.FocusReason.MouseFocusReason)

    def _show(self) -> None:
        for index, button in enumerate(self.buttons):
            button.setChecked(self.choices[index] == self._value)
        text = (
            tr("assessment.not_answered", self.lang)
            if self._value is None
            else format_number(self._value, self.lang)
        )
        self.chosen.setText(text)
        self.setAccessibleDescription(text)

    # -- keyboard ------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        text = event.text()
        if text.isdigit() and len(text) == 1:
            self._type_digit(text)
            return
        self._typed = ""
        index = self.choices.index(self._value) if self._value is not None else None
        if key == Qt.Key.Key_Right:
            self.set_value(
                self.choices[0 if index is None else min(len(self.choices) - 1, index + 1)]
            )
        elif key == Qt.Key.Key_Left:
            self.set_value(self.choices[0 if index is None else max(0, index - 1)])
        elif key == Qt.Key.Key_Home:
            self.set_value(self.choices[0])
        elif key == Qt.Key.Key_End:
            self.set_value(self.choices[-1])
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.set_value(None)
        elif key in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.next_requested.emit()
        elif key == Qt.Key.Key_Up:
            self.previous_requested.emit()
        else:
            super().keyPressEvent(event)

    def _type_digit(self, digit: str) -> None:
        """Digits build a number ("1", "0" → 10); an impossible one starts over."""
        for typed in (self._typed + digit, digit):
            value = float(typed)
            if value in self.choices:
                self._typed = typed
                self.set_value(value)
                return
        self._typed = ""

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self._typed = ""
        super().focusOutEvent(event)


STYLE = """
QFrame#scaleRow { border: 1px solid $BORDER; border-radius: 10px; background: $CARD; }
QFrame#scaleRow:focus { border: 2px solid $CHART_ACCENT; background: $FOCUS_BG; }
QLabel#areaTitle { font-size: $FONT_LARGE; font-weight: 600; color: $CHART_INK; }
QLabel#question { color: $CHART_INK; }
QLabel#scaleEnd { color: $CHART_MUTED; }
QPushButton#scaleButton {
    font-size: $FONT_LARGE; border: 1px solid $BORDER_STRONG; border-radius: 8px;
    background: $ALT_BASE;
}
QPushButton#scaleButton:hover { background: $HOVER_BG; }
QPushButton#scaleButton:checked {
    background: $CHART_ACCENT; color: $ON_ACCENT; border: 2px solid $ACCENT_DARK;
    font-weight: 700;
}
QLabel#formTitle { font-size: $FONT_SUBTITLE; font-weight: 600; }
QPushButton#primary {
    background: $CHART_ACCENT; color: $ON_ACCENT; border-radius: 8px; padding: 6px 18px;
    font-weight: 600;
}
QPushButton#primary:focus { border: 2px solid $CHART_INK; }
QLabel#hint { color: $CHART_MUTED; }
"""


class AssessmentForm(QWidget):
    """Fill in (or correct) one self-assessment of ``instrument`` for a client."""

    saved = Signal(str)

    def __init__(
        self,
        ctx: AppContext,
        client_id: str,
        instrument: Instrument,
        parent: QWidget | None = None,
        *,
        existing: Assessment | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.store = ctx.store
        self.client_id = client_id
        self.instrument = instrument
        self.lang = lang = ctx.lang
        self.existing = existing
        self._saving = False
        self.today = ctx.today()
        theme.style(self, STYLE)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 16, 16, 12)
        outer.setSpacing(10)
        title = QLabel(instrument.name.get(lang))
        title.setObjectName("formTitle")
        title.setWordWrap(True)
        outer.addWidget(title)
        if instrument.instructions:
            intro = QLabel(instrument.instructions.get(lang))
            intro.setWordWrap(True)
            outer.addWidget(intro)
        if instrument.locked:
            locked = QLabel(tr("assessment.locked", lang))
            locked.setObjectName("hint")
            outer.addWidget(locked)
        top = QHBoxLayout()
        top.addWidget(QLabel(tr("assessment.date", lang)))
        self.date = QDateEdit()
        self.date.setDisplayFormat("d.M.yyyy")
        self.date.setCalendarPopup(True)
        self.date.setMaximumDate(QDate(self.today.year, self.today.month, self.today.day))
        on = existing.on if existing else self.today
        self.date.setDate(QDate(on.year, on.month, on.day))
        top.addWidget(self.date)
        top.addStretch(1)
        outer.addLayout(top)

        outer.addWidget(self._build_rows(), 1)
        hint = QLabel(tr("assessment.keys_hint", lang))
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        outer.addWidget(hint)
        bottom = QHBoxLayout()
        self.status = QLabel()
        self.status.setWordWrap(True)
        bottom.addWidget(self.status, 1)
        self.save_button = QPushButton(tr("assessment.save", lang))
        self.save_button.setDefault(True)
        self.save_button.setObjectName("primary")
        self.save_button.setMinimumHeight(40)
        self.save_button.clicked.connect(self.save)
        bottom.addWidget(self.save_button)
        outer.addLayout(bottom)
        if existing is not None:
            self.set_answers(existing.answers)
        self._update_status()
        if self.rows:
            self.setFocusProxy(self.rows[0])

    def _build_rows(self) -> QScrollArea:
        """One scale row per item, area after area, then the note; keyboard-linked."""
        lang = self.lang
        self.rows: list[ScaleRow] = []
        holder = QWidget()
        grid = QGridLayout(holder)
        grid.setContentsMargins(0, 0, 8, 0)
        grid.setVerticalSpacing(10)
        for area in self.instrument.areas:
            for row in self._rows_of(area):
                grid.addWidget(row, len(self.rows), 0)
                self.rows.append(row)
        note_label = QLabel(tr("assessment.note", lang))
        self.note = QPlainTextEdit(self.existing.note if self.existing else "")
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(70)
        grid.addWidget(note_label, len(self.rows), 0)
        grid.addWidget(self.note, len(self.rows) + 1, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(holder)
        for i, row in enumerate(self.rows):
            row.changed.connect(self._update_status)
            row.next_requested.connect(lambda i=i: self._focus_row(i + 1))
            row.previous_requested.connect(lambda i=i: self._focus_row(i - 1))

        return scroll

    def _rows_of(self, area: Area) -> list[ScaleRow]:
        """One row per item; a single-item area shows the area as the row's title."""
        if len(area.items) == 1:
            item = area.items[0]
            return [
                ScaleRow(
                    self.instrument,
                    item,
                    area.label.get(self.lang),
                    item.text.get(self.lang),
                    self.lang,
                )
            ]
        return [
            ScaleRow(
                self.instrument,
                item,
                f"{area.label.get(self.lang)} – {index}/{len(area.items)}",
                item.text.get(self.lang),
                self.lang,
            )
            for index, item in enumerate(area.items, start=1)
        ]

    def _focus_row(self, index: int) -> None:
        if 0 <= index < len(self.rows):
            self.rows[index].setFocus(Qt.FocusReason.TabFocusReason)
        elif index >= len(self.rows):
            self.note.setFocus(Qt.FocusReason.TabFocusReason)

    # -- state ---------------------------------------------------------------------

    def answers(self) -> dict[str, float]:
        return {row.item.id: row.value for row in self.rows if row.value is not None}

    def set_answers(self, answers: dict[str, float]) -> None:
        """Choose values for items (used by tests and when correcting)."""
        for row in self.rows:
            row.set_value(answers.get(row.item.id))

    def _update_status(self) -> None:
        missing = sum(1 for row in self.rows if row.value is None)
        self.status.setStyleSheet("")
        self.status.setText(tr("assessment.unanswered", self.lang, n=missing) if missing else "")

    def problems(self) -> list[Problem]:
        """What stops saving, from the domain rules."""
        return entry_problems(self._draft(), self.instrument, self.today)

    def _draft(self) -> Assessment:
        qdate = self.date.date()
        on = date(qdate.year(), qdate.month(), qdate.day())
        base = self.existing
        return Assessment(
            id=base.id if base else "",
            client_id=self.client_id,
            instrument_id=self.instrument.id,
            on=on,
            period_id=base.period_id if base else None,
            answers=self.answers(),
            note=self.note.toPlainText().strip(),
        )

    def save(self) -> bool:
        """Validate, then write in the background; False if not valid (or still saving).

        A second save while the first is on its way would file a second new
        assessment, so it waits its turn.
        """
        problems = self.problems()
        if problems:
            self._show_problems(problems)
            return False
        if self._saving:
            return False
        self._saving = True
        draft, base = self._draft(), self.existing
        self.ctx.run_operation(
            lambda: save_assessment(self.store, draft, base, self.instrument, self.today),
            self._saved,
            lambda error: self._show_problems(error.problems),
            owner=self,
            on_error=self._failed,
        )
        return True

    def _show_problems(self, problems: list[Problem]) -> None:
        self._saving = False
        tint(self.status, Role.ERROR)
        self.status.setText(" ".join(problem_text(p, self.lang) for p in problems))

    def _failed(self, exc: BaseException) -> None:
        self._saving = False
        self.ctx.report_error(exc)

    def _saved(self, saved: SavedAssessment) -> None:
        self._saving = False
        draft = self.existing = saved.assessment
        self.status.setStyleSheet("")
        self.status.setText(
            tr("assessment.saved", self.lang) + " " + format_date(draft.on, self.lang)
        )
        self.saved.emit(draft.id)
