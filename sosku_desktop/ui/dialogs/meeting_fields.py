"""The two pick-lists of the meeting entry: methods used and goals touched.

Both are keyboard-first: Tab in, type a few letters to jump, Space to tick.
In the goals list ``+`` and ``-`` nudge the goal's progress by ten points
(and tick it), so progress is recorded in the same breath as the meeting.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem, QWidget

from sosku_desktop import i18n
from sosku_desktop.domain import models
from sosku_desktop.domain.meetings import NUDGE_STEP

CODE_ROLE = int(Qt.ItemDataRole.UserRole) + 1


class _CheckList(QListWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setUniformItemSizes(True)
        self.setAlternatingRowColors(False)

    def focusInEvent(self, event: object) -> None:
        super().focusInEvent(event)  # type: ignore[arg-type]
        if self.currentItem() is None and self.count():
            self.setCurrentRow(0)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        item = self.currentItem()
        if item is not None and event.key() in (Qt.Key.Key_Space, Qt.Key.Key_Select):
            checked = item.checkState() == Qt.CheckState.Checked
            item.setCheckState(Qt.CheckState.Unchecked if checked else Qt.CheckState.Checked)
            return
        super().keyPressEvent(event)

    def checked_codes(self) -> list[str]:
        return [
            str(self.item(i).data(CODE_ROLE))
            for i in range(self.count())
            if self.item(i).checkState() == Qt.CheckState.Checked
        ]


class MethodList(_CheckList):
    """Methods from the organisation's pick-list, labelled in the worker's language."""

    def __init__(
        self,
        methods: Iterable[str],
        selected: Iterable[str],
        lang: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("methodList")
        chosen = set(selected)
        for code in methods:
            item = QListWidgetItem(i18n.code_label("method", code, lang))
            item.setData(CODE_ROLE, code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if code in chosen else Qt.CheckState.Unchecked)
            self.addItem(item)


class GoalNudgeList(_CheckList):
    """The period's open goals; tick the ones worked on, ``+``/``-`` nudges progress."""

    nudged = Signal()

    def __init__(
        self,
        goals: Iterable[tuple[int, models.Goal]],
        selected: Iterable[str],
        lang: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("goalList")
        self.lang = lang
        self.goals: dict[str, models.Goal] = {}
        self.nudges: dict[str, int] = {}
        chosen = set(selected)
        for depth, goal in goals:
            self.goals[goal.id] = goal
            item = QListWidgetItem()
            item.setData(CODE_ROLE, goal.id)
            item.setData(Qt.ItemDataRole.UserRole + 2, depth)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if goal.id in chosen else Qt.CheckState.Unchecked
            )
            self.addItem(item)
            self._render(item)
        self.setToolTip(i18n.tr("ui.meeting.goals_hint", lang))

    def _render(self, item: QListWidgetItem) -> None:
        goal = self.goals[str(item.data(CODE_ROLE))]
        depth = int(item.data(Qt.ItemDataRole.UserRole + 2) or 0)
        indent = "    " * depth
        text = f"{indent}{goal.text} — {goal.progress} %"
        if goal.id in self.nudges:
            text += f" → {self.nudges[goal.id]} %"
        item.setText(text)

    def nudge(self, item: QListWidgetItem, step: int) -> None:
        goal = self.goals[str(item.data(CODE_ROLE))]
        current = self.nudges.get(goal.id, goal.progress)
        value = max(0, min(100, current + step))
        if value == goal.progress:
            self.nudges.pop(goal.id, None)
        else:
            self.nudges[goal.id] = value
            item.setCheckState(Qt.CheckState.Checked)
        self._render(item)
        self.nudged.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        item = self.currentItem()
        if item is not None and event.key() in (Qt.Key.Key_Plus, Qt.Key.Key_Minus):
            self.nudge(item, NUDGE_STEP if event.key() == Qt.Key.Key_Plus else -NUDGE_STEP)
            return
        super().keyPressEvent(event)
