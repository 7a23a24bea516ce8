"""The two pick-lists of the meeting entry: methods used and goals touched.

Both are keyboard-first: Tab in, type a few letters to jump, Space to tick.
In the goals list ``+`` and ``-`` nudge the goal's progress by ten points
(and tick it), so progress is recorded in the same breath as the meeting.
Each goal shows its one progress figure (``domain.goals.progress_figures``),
the same as the goals list; a goal with sub-goals or steps shows their
roll-up (and how a nudge below changes it) and is not nudged itself. Long
goal names wrap, and the whole name is the item's tooltip.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem, QWidget

from sosku_desktop import i18n
from sosku_desktop.domain import models
from sosku_desktop.domain.goals import progress_figures, takes_own_progress, with_progress
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
        self.setAccessibleName(i18n.tr("ui.meeting.methods", lang))
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
        all_goals: Iterable[models.Goal] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("goalList")
        self.setAccessibleName(i18n.tr("ui.meeting.goals", lang))
        self.setUniformItemSizes(False)
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.lang = lang
        goals = list(goals)
        #: every goal of the period (also achieved and dropped ones): the roll-up needs them
        self.all_goals = list(all_goals) if all_goals is not None else [g for _, g in goals]
        self.goals: dict[str, models.Goal] = {}
        self.nudges: dict[str, int] = {}
        self.figures = progress_figures(self.all_goals)
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

    def figure(self, goal_id: str) -> int:
        """The goal's progress figure now (before this meeting's nudges)."""
        return self.figures.get(goal_id, 0)

    def figure_after(self, goal_id: str) -> int:
        """The goal's progress figure once this meeting's nudges are saved."""
        return progress_figures(with_progress(self.all_goals, self.nudges)).get(goal_id, 0)

    def _render(self, item: QListWidgetItem) -> None:
        goal = self.goals[str(item.data(CODE_ROLE))]
        depth = int(item.data(Qt.ItemDataRole.UserRole + 2) or 0)
        indent = "    " * depth
        before, after = self.figure(goal.id), self.figure_after(goal.id)
        text = f"{indent}{goal.text} — {before} %"
        if after != before:
            text += f" → {after} %"
        item.setText(text)
        level = i18n.code_label("goal_level", goal.level, self.lang)
        tip = f"{level}: {goal.text}\n{text.strip()}"
        if not takes_own_progress(goal.id, self.all_goals):
            tip += "\n" + i18n.tr("ui.goals.rolled_up", self.lang)
        item.setToolTip(tip)

    def _render_all(self) -> None:
        for row in range(self.count()):
            self._render(self.item(row))

    def nudge(self, item: QListWidgetItem, step: int) -> None:
        goal = self.goals[str(item.data(CODE_ROLE))]
        if not takes_own_progress(goal.id, self.all_goals):
            return  # its figure is the roll-up: nudge a sub-goal or step instead
        own = max(0, min(100, goal.progress))
        current = self.nudges.get(goal.id, self.figure(goal.id))
        value = max(0, min(100, current + step))
        if value == own:
            self.nudges.pop(goal.id, None)
        else:
            self.nudges[goal.id] = value
            item.setCheckState(Qt.CheckState.Checked)
        self._render_all()  # the parents' roll-ups move with it
        self.nudged.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        item = self.currentItem()
        if item is not None and event.key() in (Qt.Key.Key_Plus, Qt.Key.Key_Minus):
            self.nudge(item, NUDGE_STEP if event.key() == Qt.Key.Key_Plus else -NUDGE_STEP)
            return
        super().keyPressEvent(event)
