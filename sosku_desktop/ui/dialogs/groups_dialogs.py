"""Small forms of the Groups page: a group's details and a new session.

Both validate with the domain's rules (``domain.validation``) and show each
message under its field; OK is refused while anything is wrong and nothing
typed is lost. They only collect values: the page writes them.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from sosku_desktop.domain import validation
from sosku_desktop.domain.errors import Problem
from sosku_desktop.domain.models import Group, GroupSession
from sosku_desktop.i18n import tr
from sosku_desktop.ui.widgets.field_messages import FieldBox, problem_text
from sosku_desktop.ui.widgets.form_guard import GuardedDialog
from sosku_desktop.ui.widgets.form_rows import from_qdate, ok_cancel, popup_date


def client_picker(placeholder: str) -> QComboBox:
    """A box to pick a client by typing any part of the name (search as you type)."""
    combo = QComboBox()
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    line = combo.lineEdit()
    if line is not None:
        line.setPlaceholderText(placeholder)
    completer = combo.completer()
    if completer is not None:
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    return combo


class _ValidatedDialog(GuardedDialog):
    """A form dialog that shows each field's problems under it and refuses OK until valid."""

    boxes: dict[str, Any]
    lang: str

    def problems(self) -> list[Problem]:
        raise NotImplementedError

    def first_field(self) -> QWidget | None:
        return None

    def validate(self) -> bool:
        problems = self.problems()
        for field, box in self.boxes.items():
            box.set_error(
                " ".join(problem_text(p, self.lang) for p in problems if p.field == field)
            )
        return not problems

    def accept(self) -> None:  # Qt's name
        if self.validate():
            super().accept()
        elif (widget := self.first_field()) is not None:
            widget.setFocus()


class GroupDialog(_ValidatedDialog):
    """Name, leaders, place, schedule and description of a group."""

    def __init__(self, group: Group, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lang = self.guard_lang = lang
        self._group = group
        self.setWindowTitle(tr("groups.dialog.group_title", lang))
        self.setMinimumWidth(460)
        self.name = QLineEdit(group.name)
        self.leaders = QLineEdit(group.leaders)
        self.leaders.setPlaceholderText(tr("groups.dialog.leaders_hint", lang))
        self.place = QLineEdit(group.place)
        self.schedule = QLineEdit(group.schedule)
        self.schedule.setPlaceholderText(tr("groups.dialog.schedule_hint", lang))
        self.description = QPlainTextEdit(group.description)
        self.description.setFixedHeight(70)
        self.boxes = {
            "name": FieldBox(self.name),
            "leaders": FieldBox(self.leaders),
            "place": FieldBox(self.place),
            "schedule": FieldBox(self.schedule),
            "description": FieldBox(self.description),
        }
        form = QFormLayout()
        for field, key in (
            ("name", "groups.field.name"),
            ("leaders", "groups.field.leaders"),
            ("place", "groups.field.place"),
            ("schedule", "groups.field.schedule"),
            ("description", "groups.field.description"),
        ):
            form.addRow(tr(key, lang), self.boxes[field])
        buttons, _ = ok_cancel(
            self, tr("groups.action.save", lang), tr("groups.action.cancel", lang)
        )
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def value(self) -> Group:
        """The group as typed (trimmed)."""
        return dataclasses.replace(
            self._group,
            name=self.name.text().strip(),
            leaders=self.leaders.text().strip(),
            place=self.place.text().strip(),
            schedule=self.schedule.text().strip(),
            description=self.description.toPlainText().strip(),
        )

    def problems(self) -> list[Problem]:
        return validation.group_problems(self.value())

    def first_field(self) -> QWidget:
        return self.name


class SessionDialog(_ValidatedDialog):
    """Day, start time, length and theme of a new group session, or of one being moved."""

    def __init__(
        self,
        session: GroupSession,
        lang: str,
        parent: QWidget | None = None,
        moving: bool = False,
    ) -> None:
        super().__init__(parent)
        self.lang = self.guard_lang = lang
        self._session = session
        title = "groups.dialog.move_title" if moving else "groups.dialog.session_title"
        self.setWindowTitle(tr(title, lang))
        self.setMinimumWidth(400)
        self.day = popup_date(session.on)
        self.starts_at = QLineEdit(session.starts_at)
        self.starts_at.setPlaceholderText("13.00")
        self.starts_at.setMaximumWidth(90)
        self.duration = QSpinBox()
        self.duration.setRange(validation.DURATION_MIN, validation.DURATION_MAX)
        self.duration.setSingleStep(15)
        self.duration.setValue(session.duration_min)
        self.duration.setSuffix(" " + tr("groups.unit.minutes", lang))
        self.theme = QLineEdit(session.theme)
        self.theme.setPlaceholderText(tr("groups.dialog.theme_hint", lang))
        self.boxes = {
            "on": FieldBox(self.day),
            "starts_at": FieldBox(self.starts_at),
            "duration_min": FieldBox(self.duration),
            "theme": FieldBox(self.theme),
        }
        form = QFormLayout()
        form.addRow(tr("groups.field.date", lang), self.boxes["on"])
        form.addRow(tr("groups.field.time", lang), self.boxes["starts_at"])
        form.addRow(tr("groups.field.duration", lang), self.boxes["duration_min"])
        form.addRow(tr("groups.field.theme", lang), self.boxes["theme"])
        ok = "groups.action.save" if moving else "groups.action.add_session"
        buttons, _ = ok_cancel(self, tr(ok, lang), tr("groups.action.cancel", lang))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def value(self) -> GroupSession:
        return dataclasses.replace(
            self._session,
            on=from_qdate(self.day.date()),
            starts_at=self.starts_at.text().strip().replace(":", "."),
            duration_min=self.duration.value(),
            theme=self.theme.text().strip(),
        )

    def problems(self) -> list[Problem]:
        return validation.group_session_problems(self.value())


def member_removal_box(
    parent: QWidget, member: str, group: str, lang: str
) -> tuple[QMessageBox, QPushButton]:
    """Ask before a member leaves the group: a removal has no undo, so the button says
    whom it removes and Cancel (also Esc) is the default, so Enter alone removes no one.

    Returns the box (not yet shown) and its removal button.
    """
    box = QMessageBox(parent)
    box.setObjectName("removeMemberBox")
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(tr("groups.remove_member_title", lang))
    box.setText(tr("groups.remove_member_question", lang, name=member, group=group))
    box.setInformativeText(tr("groups.remove_member_info", lang))
    remove = box.addButton(
        tr("groups.action.remove_named", lang, name=member), QMessageBox.ButtonRole.DestructiveRole
    )
    cancel = box.addButton(tr("groups.action.cancel", lang), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    return box, remove
