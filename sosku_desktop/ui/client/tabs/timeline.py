"""The six phases of a period drawn as a calm stepper, current phase highlighted."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from sosku_desktop import i18n
from sosku_desktop.domain import codes
from sosku_desktop.ui.shell import theme
from sosku_desktop.ui.shell.theme import Role


class PhaseTimeline(QWidget):
    """Past phases filled softly, the current one in the accent colour."""

    def __init__(self, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("phaseTimeline")
        self.lang = lang
        self.phase: str | None = None
        #: Phases whose record exists (``domain.lifecycle.phases_done``): drawn with a tick.
        self.done: dict[str, bool] = {}
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def labels(self) -> list[str]:
        return [i18n.code_label("phase", p, self.lang) for p in codes.PHASES]

    def set_phase(self, phase: str | None) -> None:
        self.phase = phase
        self.setAccessibleName(i18n.code_label("phase", phase, self.lang) if phase else "")
        self.update()

    def set_done(self, done: dict[str, bool]) -> None:
        self.done = dict(done)
        self.update()

    def sizeHint(self) -> QSize:
        # The dots, then two lines of the phase names in the (OS-sized) font.
        return QSize(640, 36 + 2 * QFontMetrics(self.font()).height() + 6)

    def minimumSizeHint(self) -> QSize:
        return QSize(6 * 60, self.sizeHint().height())

    def _label_font(self, step: float) -> QFont:
        """The widget's font, smaller when the longest word would not fit its column."""
        font = QFont(self.font())
        font.setBold(True)
        longest = max(
            (QFontMetrics(font).horizontalAdvance(w) for t in self.labels() for w in t.split()),
            default=1,
        )
        room = step - 8
        if longest > room > 0:
            font.setPointSizeF(max(font.pointSizeF() * room / longest, font.pointSizeF() * 0.6))
        font.setBold(False)
        return font

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        count = len(codes.PHASES)
        current = codes.PHASES.index(self.phase) if self.phase in codes.PHASES else -1
        step = self.width() / count
        y = 18
        radius = 9
        painter.setPen(QPen(theme.colour(Role.BORDER), 3))
        painter.drawLine(int(step / 2), y, int(step * (count - 0.5)), y)
        if current > 0:
            painter.setPen(QPen(theme.colour(Role.ACCENT), 3))
            painter.drawLine(int(step / 2), y, int(step * (current + 0.5)), y)
        font = self._label_font(step)
        for index, text in enumerate(self.labels()):
            cx = int(step * (index + 0.5))
            if index < current:
                painter.setPen(QPen(theme.colour(Role.ACCENT), 2))
                painter.setBrush(theme.colour(Role.ACCENT_SOFT))
            elif index == current:
                painter.setPen(QPen(theme.colour(Role.ACCENT_DARK), 2))
                painter.setBrush(theme.colour(Role.ACCENT))
            else:
                painter.setPen(QPen(theme.colour(Role.BORDER), 2))
                painter.setBrush(theme.colour(Role.CARD))
            r = radius + (2 if index == current else 0)
            painter.drawEllipse(cx - r, y - r, 2 * r, 2 * r)
            if self.done.get(codes.PHASES[index]):
                tick = theme.colour(Role.CARD if index == current else Role.ACCENT_DARK)
                painter.setPen(QPen(tick, 2))
                painter.drawLine(cx - 4, y, cx - 1, y + 3)
                painter.drawLine(cx - 1, y + 3, cx + 4, y - 3)
            font.setBold(index == current)
            painter.setFont(font)
            painter.setPen(theme.colour(Role.TEXT if index <= current else Role.MUTED))
            rect = QRect(int(step * index) + 4, y + 16, int(step) - 8, self.height() - y - 16)
            painter.drawText(
                rect, int(Qt.AlignmentFlag.AlignHCenter | Qt.TextFlag.TextWordWrap), text
            )
        painter.end()
