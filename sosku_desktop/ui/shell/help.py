"""Help: the shortcut sheet (?) and the user guide's section for the current page (F1).

Every page names its section of the user guide (``Page.help_anchor``, the
heading's anchor in docs/user-guide.md); F1 shows that section in a window
of its own, with the shortcut sheet on a second tab ("?" opens the sheet
directly). The guide is written in Finnish; the sheet is in the worker's
language. ``SHEET`` is the one list of the app's shortcuts: a test checks
that every shortcut the windows register is on it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from sosku_desktop import i18n
from sosku_desktop.ui.widgets.common import label
from sosku_desktop.ui.widgets.keys import leave_on_tab
from sosku_desktop.ui.widgets.lifetime import open_dialog

GUIDE = i18n.RESOURCES.parent / "docs" / "user-guide.md"
#: The client's own record is not a main page; its section by anchor.
CLIENT_VIEW_ANCHOR = "asiakkaan-sivu"
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")


@dataclass(frozen=True)
class Shortcut:
    #: Key sequences in Qt's portable form ("Ctrl+1"), or descriptions of keys
    #: that are not QShortcuts (arrows on Today); ``shown`` is what the sheet prints.
    keys: tuple[str, ...]
    text_key: str
    shown: str = ""
    #: A key whose translation is the language's own sequence (``keys`` then holds
    #: every language's): the meeting dialog's Alt+letter follows the button's word.
    shown_key: str = ""

    def display(self, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
        if self.shown_key:
            return i18n.tr(self.shown_key, lang)
        return self.shown or " / ".join(self.keys)


#: (section title key, shortcuts), in the order of the sheet.
SHEET: tuple[tuple[str, tuple[Shortcut, ...]], ...] = (
    (
        "ui.help.section.everywhere",
        (
            Shortcut(
                tuple(f"Ctrl+{n}" for n in range(1, 7)), "ui.help.key.pages", "Ctrl+1 … Ctrl+6"
            ),
            Shortcut(("Ctrl+N",), "ui.help.key.new_client"),
            Shortcut(("Ctrl+M",), "ui.help.key.record_meeting"),
            Shortcut(("Ctrl+F",), "ui.help.key.find"),
            Shortcut(("Ctrl+L",), "ui.help.key.lock"),
            Shortcut(("F5",), "ui.help.key.refresh"),
            Shortcut(("F1",), "ui.help.key.help"),
            Shortcut(("?",), "ui.help.key.sheet"),
            Shortcut(("Tab", "Shift+Tab"), "ui.help.key.tab"),
        ),
    ),
    (
        "ui.help.section.today",
        (
            Shortcut(("Up", "Down"), "ui.help.key.today_move", "↑ / ↓"),
            Shortcut(("Left", "Right"), "ui.help.key.today_column", "← / →"),
            Shortcut(("Return",), "ui.help.key.today_main", "Enter"),
            Shortcut(("A",), "ui.help.key.today_attendance"),
            Shortcut(("O",), "ui.help.key.today_open"),
            Shortcut(("1", "9"), "ui.help.key.today_buttons", "1 … 9"),
            Shortcut(("Del",), "ui.help.key.today_dismiss"),
        ),
    ),
    (
        "ui.help.section.attendance",
        (
            Shortcut(("1", "2", "3"), "ui.help.key.attendance_mark", "1 / 2 / 3"),
            Shortcut(("Del",), "ui.help.key.attendance_clear"),
            Shortcut(("Return",), "ui.help.key.attendance_note", "Enter"),
            Shortcut(("Ctrl+S",), "ui.help.key.attendance_save"),
        ),
    ),
    (
        "ui.help.section.meeting",
        (
            Shortcut(
                ("Ctrl+Return", "Ctrl+Enter", "Ctrl+S"),
                "ui.help.key.meeting_save",
                "Ctrl+Enter / Ctrl+S",
            ),
            Shortcut(
                ("Alt+P", "Alt+I", "Alt+N"),
                "ui.help.key.meeting_cancelled",
                shown_key="ui.meeting.cancelled_key",
            ),
            Shortcut(
                ("Alt+E", "Alt+K", "Alt+D"),
                "ui.help.key.meeting_no_show",
                shown_key="ui.meeting.no_show_key",
            ),
            Shortcut(("Esc",), "ui.help.key.cancel"),
        ),
    ),
    (
        "ui.help.section.client",
        (
            Shortcut(
                ("Ctrl+Tab", "Ctrl+PgDown", "Ctrl+PgUp"),
                "ui.help.key.client_tabs",
                "Ctrl+Tab / Ctrl+PgDown, Ctrl+PgUp",
            ),
        ),
    ),
    (
        "ui.help.section.meetings_tab",
        (
            Shortcut(
                ("Alt+P", "Alt+I", "Alt+N"),
                "ui.help.key.meetings_tab_cancelled",
                shown_key="ui.meeting.cancelled_key",
            ),
            Shortcut(
                ("Alt+E", "Alt+K", "Alt+D"),
                "ui.help.key.meetings_tab_no_show",
                shown_key="ui.meeting.no_show_key",
            ),
            Shortcut(("Ctrl+C",), "ui.help.key.meetings_tab_copy"),
        ),
    ),
    (
        "ui.help.section.groups",
        (Shortcut(("Del",), "ui.help.key.groups_remove_member"),),
    ),
)


def sheet_sequences() -> set[str]:
    """Every key sequence on the sheet, in Qt's portable form."""
    found: set[str] = set()
    for _title, shortcuts in SHEET:
        for shortcut in shortcuts:
            found.update(QKeySequence(k).toString() for k in shortcut.keys)
    return found


def slug(heading: str) -> str:
    """The anchor of a Markdown heading, as GitHub makes it (lower case, dashes)."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


@cache
def guide_sections(path: Path = GUIDE) -> dict[str, tuple[str, str]]:
    """anchor → (heading, Markdown of the section up to the next heading of its level)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return {}
    sections: dict[str, tuple[str, str]] = {}
    starts = [(i, HEADING.match(line)) for i, line in enumerate(lines)]
    heads = [(i, len(m.group(1)), m.group(2)) for i, m in starts if m]
    for n, (start, level, title) in enumerate(heads):
        end = next((i for i, lv, _t in heads[n + 1 :] if lv <= level), len(lines))
        sections[slug(title)] = (title, "\n".join(lines[start:end]).strip())
    return sections


class HelpDialog(QDialog):
    """The guide's section for a page, and the shortcut sheet."""

    def __init__(self, lang: str, anchor: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("helpDialog")
        self.lang = lang
        tr = self._tr
        self.setWindowTitle(tr("ui.help.title"))
        self.resize(720, 560)
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget()
        self.guide = QTextBrowser()
        self.guide.setObjectName("helpGuide")
        self.guide.setOpenLinks(False)
        self.guide.setAccessibleName(tr("ui.help.guide"))
        self.anchor = anchor
        heading, text = guide_sections().get(anchor, ("", ""))
        self.heading = heading
        self.guide.setMarkdown(text or tr("ui.help.no_guide"))
        guide_tab = QWidget()
        guide_layout = QVBoxLayout(guide_tab)
        if lang != i18n.DEFAULT_LANGUAGE:
            guide_layout.addWidget(label(tr("ui.help.guide_in_finnish"), "muted", wrap=True))
        guide_layout.addWidget(self.guide, 1)
        self.tabs.addTab(guide_tab, tr("ui.help.guide"))
        self.sheet = self._sheet()
        self.tabs.addTab(self.sheet, tr("ui.help.shortcuts"))
        layout.addWidget(self.tabs, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setText(tr("ui.help.close"))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _tr(self, key: str, **params: object) -> str:
        return i18n.tr(key, self.lang, **params)

    def _sheet(self) -> QTableWidget:
        count = sum(1 + len(shortcuts) for _t, shortcuts in SHEET)
        table = leave_on_tab(QTableWidget(count, 2))
        table.setObjectName("shortcutSheet")
        table.setAccessibleName(self._tr("ui.help.shortcuts"))
        table.setHorizontalHeaderLabels(
            [self._tr("ui.help.col.keys"), self._tr("ui.help.col.does")]
        )
        table.verticalHeader().hide()
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.horizontalHeader().setStretchLastSection(True)
        row = 0
        for title, shortcuts in SHEET:
            head = QTableWidgetItem(self._tr(title))
            font = head.font()
            font.setBold(True)
            head.setFont(font)
            table.setItem(row, 0, head)
            table.setSpan(row, 0, 1, 2)
            row += 1
            for shortcut in shortcuts:
                keys = QTableWidgetItem(shortcut.display(self.lang))
                keys.setData(Qt.ItemDataRole.UserRole, list(shortcut.keys))
                table.setItem(row, 0, keys)
                table.setItem(row, 1, QTableWidgetItem(self._tr(shortcut.text_key)))
                row += 1
        table.resizeColumnToContents(0)
        return table

    def show_sheet(self) -> None:
        self.tabs.setCurrentWidget(self.sheet)
        self.sheet.setFocus()

    def sheet_texts(self) -> list[str]:
        """Every text of the sheet (for tests: translated, nothing missing)."""
        out: list[str] = []
        for row in range(self.sheet.rowCount()):
            for column in range(2):
                item = self.sheet.item(row, column)
                if item is not None:
                    out.append(item.text())
        return out


def page_anchor(page: QWidget | None) -> str:
    """The user guide anchor of the page on screen (its ``help_anchor()``)."""
    anchor = getattr(page, "help_anchor", None)
    return str(anchor()) if callable(anchor) else ""


def open_help(parent: QWidget, lang: str, page: QWidget | None, sheet: bool = False) -> HelpDialog:
    """F1: the guide's section for ``page``; ``sheet``: the shortcut sheet (?)."""
    dialog = open_dialog(HelpDialog(lang, page_anchor(page), parent))
    if sheet:
        dialog.show_sheet()
    return dialog
