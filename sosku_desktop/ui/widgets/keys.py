"""Keyboard conventions shared by every view: Tab leaves a table, arrows move within.

Qt's tables take Tab for themselves (``tabKeyNavigation``): Tab moves to the
next cell, so a keyboard user can never leave a long member list. Every item
view in the app is made with ``leave_on_tab``; a UI test walks every page and
dialog and fails on a view that still traps Tab.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractItemView, QWidget

View = TypeVar("View", bound=QAbstractItemView)


def leave_on_tab(view: View) -> View:
    """Tab and Shift+Tab move focus to the next control; arrow keys move within the view."""
    view.setTabKeyNavigation(False)
    if view.focusPolicy() == Qt.FocusPolicy.NoFocus:
        return view
    view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    return view


def focus_into(page: QWidget) -> bool:
    """Give the keyboard to ``page``: its own ``focus_items()`` (Today) or ``focus_search()``
    (Clients) if it has one, else the first control of the page in Tab order."""
    for name in ("focus_items", "focus_search"):
        special = getattr(page, name, None)
        if callable(special) and special() is not False:
            return True
    widget = page.nextInFocusChain()
    while widget is not None and widget is not page:
        if (
            page.isAncestorOf(widget)
            and widget.isVisible()
            and widget.isEnabled()
            and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
        ):
            widget.setFocus(Qt.FocusReason.ShortcutFocusReason)
            return True
        widget = widget.nextInFocusChain()
    return False


def on_delete(view: View, slot: Callable[[], object]) -> View:
    """Delete in ``view`` (only while it has the keyboard) runs ``slot``: the keyboard's
    way to the row's remove button, which asks before anything goes."""
    shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), view)
    shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
    shortcut.activated.connect(slot)
    return view
