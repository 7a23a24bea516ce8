"""A form field with its validation message right under it.

The Groups, Calendar and Settings forms show every problem next to the
field it concerns (never in a pop-up that hides what was typed). Domain
rules return ``Problem`` s with translation keys; this module turns them
into sentences in the user's language.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from sosku_desktop import i18n
from sosku_desktop.domain.errors import Problem
from sosku_desktop.domain.messages import display_params
from sosku_desktop.ui.shell.theme import Role, style, tint

INPUTS = (QLineEdit, QPlainTextEdit, QComboBox, QAbstractSpinBox)
#: A field with a problem gets a red frame, so the eye finds it before reading.
INVALID_STYLE = "border: 1px solid $ERROR; border-radius: 3px; padding: 2px;"


def problem_text(problem: Problem, lang: str) -> str:
    """The translated message of a problem; ``*_cents`` parameters are shown as money."""
    params = display_params(problem.params)
    for name, value in problem.params.items():
        if name.endswith("_cents") and isinstance(value, int):
            params[name.removesuffix("_cents")] = i18n.format_money(value, lang)
    return i18n.tr(problem.message_key, lang, **params)


class FieldBox(QWidget):
    """An editor with a (normally hidden) message line under it."""

    def __init__(
        self, editor: QWidget, parent: QWidget | None = None, message: QLabel | None = None
    ) -> None:
        """``message``: a label placed elsewhere by the caller (e.g. across a whole row)."""
        super().__init__(parent)
        self.editor = editor
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(editor)
        self.message = message if message is not None else QLabel()
        self.message.setObjectName("fieldMessage")
        tint(self.message, Role.ERROR)
        self.message.setWordWrap(True)
        self.message.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.message.hide()
        if message is None:
            layout.addWidget(self.message)

    def set_error(self, text: str) -> None:
        """Show ``text`` under the editor (empty hides the line)."""
        self.message.setText(text)
        self.message.setVisible(bool(text))
        self.editor.setToolTip(text)
        for edit in [self.editor, *self.editor.findChildren(QLineEdit)]:
            if isinstance(edit, QLineEdit | QPlainTextEdit):
                style(edit, INVALID_STYLE if text else "")

    @property
    def error(self) -> str:
        return self.message.text() if not self.message.isHidden() else ""


def name_form_fields(root: QWidget) -> None:
    """Make each row's label the buddy of the input itself, not of its :class:`FieldBox`,
    and its accessible name (a screen reader names an input by a buddy label only
    when the two are siblings)."""
    for form, row in [(f, r) for f in root.findChildren(QFormLayout) for r in range(f.rowCount())]:
        label_item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
        field_item = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
        caption = label_item.widget() if label_item is not None else None
        field = field_item.widget() if field_item is not None else None
        if not isinstance(caption, QLabel) or field is None:
            continue
        inputs = [field, *field.findChildren(QWidget)]
        target = next((w for w in inputs if isinstance(w, INPUTS)), None)
        if target is not None:
            caption.setBuddy(target)
            if not target.accessibleName():  # Qt finds a buddy only among siblings
                target.setAccessibleName(caption.text().replace("&", "").rstrip(": "))
