"""Goals: the client's own words as a tree (goal → sub-goal → everyday step).

The tree shows rolled-up progress (``domain.goals``); the editor on the
right changes the selected goal's words and SMART check, records progress
(an append-only ``GoalProgress`` row *and* the goal's current value, so the
history shows how far the client has come), marks it achieved or reopens it.
"""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from PySide6.QtGui import QKeySequence, QShortcut, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QSlider,
    QSpinBox,
    QSplitter,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from sosku_desktop.domain import codes, models
from sosku_desktop.domain.goals import (
    build_tree,
    child_level,
    descendants,
    progress_figures,
    progress_history,
    smart_missing,
    takes_own_progress,
    with_smart_flags,
)
from sosku_desktop.domain.validation import goal_problems, goal_progress_problems
from sosku_desktop.operations.goals import (
    blank_goal,
    delete_goal,
    progress_row,
    record_progress,
    save_goal,
    toggle_achieved,
)
from sosku_desktop.ui.client.tabs.base import ClientTab
from sosku_desktop.ui.client.tabs.goal_tree import GoalColumns
from sosku_desktop.ui.shell.context import AppContext
from sosku_desktop.ui.shell.geometry import scrolling
from sosku_desktop.ui.widgets.common import (
    PROGRESS_ROLE,
    Card,
    FieldErrors,
    ProgressDelegate,
    button,
    label,
    row,
)
from sosku_desktop.ui.widgets.keys import leave_on_tab
from sosku_desktop.ui.widgets.lifetime import open_dialog

ID_ROLE = int(Qt.ItemDataRole.UserRole) + 1
HEADERS = (
    "ui.goals.col_goal",
    "ui.goals.col_progress",
    "ui.goals.col_smart",
    "ui.goals.col_status",
)


class GoalsTab(ClientTab):
    """Goal tree on the left, the selected goal's editor on the right."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("goalsTab")
        tr = ctx.tr
        self.selected_id: str | None = None
        #: (parent id, level) while a new goal is being written
        self.new_goal: tuple[str | None, str] | None = None
        self.add_main = button(tr("ui.goals.add_main"), primary=True)
        self.add_main.setObjectName("addMainGoal")
        self.add_main.clicked.connect(lambda: self.start_new(None))
        self.add_child = button(tr("ui.goals.add_sub"))
        self.add_child.setObjectName("addChildGoal")
        self.add_child.clicked.connect(lambda: self.start_new(self.selected_id))
        self.delete_button = button(tr("ui.goals.delete"))
        self.delete_button.clicked.connect(self.confirm_delete)
        self.layout_.addLayout(row(self.add_main, self.add_child, self.delete_button))

        splitter = QSplitter(Qt.Orientation.Horizontal)
        self.model = QStandardItemModel(0, len(HEADERS), self)
        self.model.setHorizontalHeaderLabels([tr(k) for k in HEADERS])
        self.tree = leave_on_tab(QTreeView())
        self.tree.setObjectName("goalTree")
        self.tree.setAccessibleName(tr("ui.client.tab.goals"))
        self.tree.setModel(self.model)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setItemDelegateForColumn(1, ProgressDelegate(self.tree))
        for column, key in enumerate((*HEADERS[:2], "ui.goals.smart", HEADERS[3])):
            self.model.setHeaderData(
                column, Qt.Orientation.Horizontal, tr(key), Qt.ItemDataRole.ToolTipRole
            )
        self.columns = GoalColumns(self.tree)  # the goal text gets the room, wrapped
        self.tree.selectionModel().currentRowChanged.connect(self._selected)
        splitter.addWidget(self.tree)
        self.editor = self._build_editor()
        splitter.addWidget(scrolling(self.editor, "goalEditorScroll"))
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        self.layout_.addWidget(splitter, 1)

    # --- editor ------------------------------------------------------------------------

    def _build_editor(self) -> QWidget:
        tr = self.ctx.tr
        card = Card()
        card.setMinimumWidth(360)
        self.errors = FieldErrors(self.ctx.lang)
        self.editor_title = label("", "sectionTitle", wrap=True)
        card.body.addWidget(self.editor_title)
        card.body.addWidget(label(tr("ui.goals.text"), "muted"))
        self.text = QPlainTextEdit()
        self.text.setObjectName("goalText")
        self.text.setAccessibleName(tr("ui.goals.text"))
        self.text.setTabChangesFocus(True)
        self.text.setFixedHeight(70)
        self.text.setPlaceholderText(tr("ui.goals.text_placeholder"))
        card.body.addWidget(self.text)
        card.body.addWidget(self.errors.error_label("text", self.text))
        card.body.addWidget(label(tr("ui.goals.smart"), "muted"))
        self.smart: dict[str, QCheckBox] = {}
        smart_box = QVBoxLayout()
        smart_box.setSpacing(2)
        for flag in codes.SMART_FLAGS:
            box = QCheckBox(tr(f"ui.goals.smart.{flag}"))
            box.setObjectName(f"smart_{flag}")
            box.toggled.connect(self._smart_hint)
            self.smart[flag] = box
            smart_box.addWidget(box)
        card.body.addLayout(smart_box)
        self.smart_missing = label("", "muted", wrap=True)
        card.body.addWidget(self.smart_missing)
        self.save_button = button(tr("ui.goals.save"), primary=True)
        self.save_button.setObjectName("saveGoalButton")
        self.save_button.clicked.connect(self.save_goal)
        self.cancel_new = button(tr("ui.common.cancel"))
        self.cancel_new.clicked.connect(self._cancel_new)
        card.body.addLayout(row(self.save_button, self.cancel_new))
        for keys in ("Ctrl+Return", "Ctrl+Enter"):  # as in every form: save from any field
            saving = QShortcut(QKeySequence(keys), card)
            saving.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            saving.activated.connect(self.save_goal)
        card.body.addWidget(self.errors.error_label("parent_id"))

        self.progress_box = QWidget()
        progress_layout = QVBoxLayout(self.progress_box)
        progress_layout.setContentsMargins(0, 8, 0, 0)
        progress_layout.addWidget(label(tr("ui.goals.progress"), "muted"))
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, 100)
        self.slider.setSingleStep(10)
        self.slider.setPageStep(10)
        self.spin = QSpinBox()
        self.spin.setObjectName("goalProgressSpin")
        self.spin.setRange(0, 100)
        self.spin.setSuffix(" %")
        self.slider.valueChanged.connect(self.spin.setValue)
        self.spin.valueChanged.connect(self.slider.setValue)
        self.record_progress = button(tr("ui.goals.record_progress"))
        self.record_progress.setObjectName("recordProgressButton")
        self.record_progress.clicked.connect(self.save_progress)
        progress_layout.addLayout(row(self.slider, self.spin, self.record_progress, stretch=False))
        #: Shown instead of editing when the figure is the roll-up of sub-goals or steps.
        self.rolled_up_note = label(tr("ui.goals.rolled_up"), "muted", wrap=True)
        self.rolled_up_note.setObjectName("rolledUpNote")
        progress_layout.addWidget(self.rolled_up_note)
        self.achieve_button = button(tr("ui.goals.mark_achieved"))
        self.achieve_button.setObjectName("achieveButton")
        self.achieve_button.clicked.connect(self.toggle_achieved)
        progress_layout.addLayout(row(self.achieve_button))
        progress_layout.addWidget(label(tr("ui.goals.history"), "muted"))
        self.history = leave_on_tab(QListWidget())
        self.history.setObjectName("progressHistory")
        self.history.setMaximumHeight(130)
        progress_layout.addWidget(self.history)
        card.body.addWidget(self.progress_box)
        card.body.addStretch(1)
        return card

    # --- rendering ---------------------------------------------------------------------

    def fill(self) -> None:
        assert self.data is not None
        tr = self.ctx.tr
        wanted = self.selected_id
        selection = self.tree.selectionModel()
        selection.blockSignals(True)  # rebuilding must not look like the worker picking
        self.model.removeRows(0, self.model.rowCount())
        goals = self.data.period_goals
        tree = build_tree(goals)
        figures = progress_figures(goals)

        def add(node: object, parent: QStandardItem) -> None:
            goal = node.goal  # type: ignore[attr-defined]
            level = self.ctx.code("goal_level", goal.level)
            text = QStandardItem(goal.text)
            text.setData(goal.id, ID_ROLE)
            progress = QStandardItem()
            progress.setData(figures[goal.id], PROGRESS_ROLE)
            smart = QStandardItem(f"{5 - len(smart_missing(goal))}/5")
            status = QStandardItem(self.ctx.code("goal_status", goal.status))
            # SMART and status can be hidden in a narrow tree: the tooltip keeps them
            figures_line = f"{tr('ui.goals.smart')} {smart.text()} · {status.text()}"
            text.setToolTip(f"{level}: {goal.text}\n{figures_line}")
            parent.appendRow([text, progress, smart, status])
            for child in node.children:  # type: ignore[attr-defined]
                add(child, text)

        root = self.model.invisibleRootItem()
        for node in tree:
            add(node, root)
        self.tree.expandAll()
        selection.blockSignals(False)
        has_period = self.data.period is not None
        self.add_main.setEnabled(has_period)
        self.selected_id = wanted
        if not self._select(wanted):
            self.selected_id = None
            if self.new_goal is None:
                self._show_goal(None)
        self.tree.setToolTip("" if goals else tr("ui.goals.empty"))

    def _select(self, goal_id: str | None) -> bool:
        if goal_id is None:
            return False
        found = self.model.match(
            self.model.index(0, 0), ID_ROLE, goal_id, 1, Qt.MatchFlag.MatchRecursive
        )
        if not found:
            return False
        self.tree.selectionModel().setCurrentIndex(
            found[0],
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self._show_goal(self._goal(goal_id))
        return True

    def _goal(self, goal_id: str | None) -> models.Goal | None:
        if self.data is None or goal_id is None:
            return None
        return next((g for g in self.data.period_goals if g.id == goal_id), None)

    def _selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        goal_id = current.siblingAtColumn(0).data(ID_ROLE) if current.isValid() else None
        self.selected_id = goal_id
        self.new_goal = None
        self._show_goal(self._goal(goal_id))

    def _show_goal(self, goal: models.Goal | None) -> None:
        tr = self.ctx.tr
        self.errors.clear()
        editing = goal is not None or self.new_goal is not None
        for widget in (self.text, self.save_button, *self.smart.values()):
            widget.setEnabled(editing)
        self.cancel_new.setVisible(self.new_goal is not None)
        self.progress_box.setVisible(goal is not None)
        self.delete_button.setEnabled(goal is not None)
        child = child_level(goal.level) if goal else None
        self.add_child.setEnabled(child is not None)
        self.add_child.setText(
            tr("ui.goals.add_step" if child == codes.GOAL_STEP else "ui.goals.add_sub")
        )
        if goal is None:
            if self.new_goal is None:
                self.editor_title.setText(tr("ui.goals.pick"))
                self.text.clear()
            for box in self.smart.values():
                box.setChecked(False)
            self._smart_hint()
            return
        level = self.ctx.code("goal_level", goal.level)
        self.editor_title.setText(level)
        self.text.setPlainText(goal.text)
        for flag, box in self.smart.items():
            box.setChecked(goal.smart_flags[flag])
        assert self.data is not None
        goals = self.data.period_goals
        # the one figure the list, overview and documents show (domain.goals)
        self.spin.setValue(progress_figures(goals).get(goal.id, goal.progress))
        own = takes_own_progress(goal.id, goals) and goal.status != codes.GOAL_ACHIEVED
        for widget in (self.slider, self.spin, self.record_progress):
            widget.setEnabled(own)
        self.rolled_up_note.setVisible(not own and goal.status != codes.GOAL_ACHIEVED)
        achieved = goal.status == codes.GOAL_ACHIEVED
        self.achieve_button.setText(tr("ui.goals.reopen" if achieved else "ui.goals.mark_achieved"))
        self.history.clear()
        steps = progress_history(self.data.record.goal_progress, goal.id)
        if not steps:
            self.history.addItem(tr("ui.goals.no_history"))
        for row_ in reversed(steps):
            note = f" – {row_.note}" if row_.note else ""
            self.history.addItem(f"{self.ctx.date(row_.on)}  {row_.progress} %{note}")
        if achieved and goal.achieved_on:
            self.history.insertItem(
                0, tr("ui.goals.achieved_on", date=self.ctx.date(goal.achieved_on))
            )
        self._smart_hint()

    def _smart_hint(self) -> None:
        missing = [flag for flag, box in self.smart.items() if not box.isChecked()]
        tr = self.ctx.tr
        if not missing:
            self.smart_missing.setText(tr("ui.goals.smart_ok"))
        else:
            names = ", ".join(tr(f"ui.goals.smart.{flag}") for flag in missing)
            self.smart_missing.setText(tr("ui.goals.smart_missing", flags=names))

    # --- actions -----------------------------------------------------------------------

    def start_new(self, parent_id: str | None) -> None:
        """Empty editor for a new goal under ``parent_id`` (top level when ``None``)."""
        if self.data is None or self.data.period is None:
            return
        parent = self._goal(parent_id)
        level = codes.GOAL_MAIN if parent is None else child_level(parent.level)
        if level is None:
            return
        self.tree.selectionModel().clearCurrentIndex()  # resets new_goal via _selected
        self.tree.clearSelection()
        self.new_goal = (parent.id if parent else None, level)
        self._show_goal(None)
        tr = self.ctx.tr
        title = tr("ui.goals.new_title", level=self.ctx.code("goal_level", level))
        self.editor_title.setText(title)
        self.text.clear()
        self.text.setFocus()

    def _cancel_new(self) -> None:
        self.new_goal = None
        self._show_goal(None)

    def _edited(self, base: models.Goal) -> models.Goal:
        flags = {flag: box.isChecked() for flag, box in self.smart.items()}
        return with_smart_flags(
            dataclasses.replace(base, text=self.text.toPlainText().strip()), flags
        )

    def save_goal(self) -> bool:
        """Create the new goal or save the selected one's words and SMART check."""
        if self.data is None or self.data.period is None:
            return False
        goals = self.data.period_goals
        if self.new_goal is not None:
            parent_id, level = self.new_goal
            base = blank_goal(self.data.period.id, parent_id, level, goals)
            is_new = True
        else:
            found = self._goal(self.selected_id)
            if found is None:
                return False
            base, is_new = found, False
        goal = self._edited(base)
        problems = goal_problems(goal, self._goal(goal.parent_id))
        if problems:
            self.errors.show(problems)
            return False
        self.new_goal = None
        self.selected_id = goal.id
        parent = self._goal(goal.parent_id)
        self.ctx.run_operation(
            lambda: save_goal(self.ctx.store, goal, None if is_new else base, parent), owner=self
        )
        return True

    def save_progress(self) -> bool:
        goal = self._goal(self.selected_id)
        if goal is None or self.data is None:
            return False
        if not takes_own_progress(goal.id, self.data.period_goals):
            return False  # its figure is the roll-up of its sub-goals or steps
        value, today = self.spin.value(), self.ctx.today()
        problems = goal_progress_problems(progress_row(goal, value, today), today)
        if problems:
            self.errors.show(problems)
            return False
        self.ctx.run_operation(lambda: record_progress(self.ctx.store, goal, value, today))
        return True

    def toggle_achieved(self) -> None:
        goal = self._goal(self.selected_id)
        if goal is None:
            return
        today = self.ctx.today()
        self.ctx.run_operation(lambda: toggle_achieved(self.ctx.store, goal, today))

    def confirm_delete(self) -> QMessageBox | None:
        goal = self._goal(self.selected_id)
        if goal is None or self.data is None:
            return None
        below = descendants(goal.id, self.data.period_goals)
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.ctx.tr("ui.goals.delete"))
        box.setText(self.ctx.tr("ui.goals.delete_confirm", n=len(below)))
        yes = box.addButton(self.ctx.tr("ui.goals.delete"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(self.ctx.tr("ui.common.cancel"), QMessageBox.ButtonRole.RejectRole)
        box.buttonClicked.connect(lambda b: self.delete_goal(goal.id) if b is yes else None)
        open_dialog(box)
        return box

    def delete_goal(self, goal_id: str) -> None:
        """Soft-delete the goal and everything under it (sync carries the flags)."""
        goal = self._goal(goal_id)
        if self.data is None or goal is None:
            return
        self.selected_id = None
        self.ctx.run_operation(lambda: delete_goal(self.ctx.store, goal))
