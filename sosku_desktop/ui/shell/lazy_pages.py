"""Pages built when first shown, and the modules they need imported after start-up.

Start-up builds only Today: the other pages (and their imports: reports,
documents, sync) are made when the worker first opens them, so the window
appears sooner and a 10,000-client store is not read for pages nobody
looked at.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QStackedWidget, QWidget

#: Modules of the other pages, read in the background once the window shows (the first
#: screen needs none of them; a page then opens without waiting for its imports).
LATER_MODULES = (
    "sosku_desktop.documents.registry",
    "sosku_desktop.sync.client",
    "sosku_desktop.operations.documents",
    "sosku_desktop.operations.period_records",
    "sosku_desktop.store.team_reports",
    "sosku_desktop.domain.team_report",
    "sosku_desktop.documents.team_report_text",
    "sosku_desktop.operations.assessments",
    "sosku_desktop.operations.calendar",
    "sosku_desktop.operations.client_list",
    "sosku_desktop.operations.groups",
    "sosku_desktop.operations.reports",
    "sosku_desktop.operations.sync",
    "sosku_desktop.store.conflict_list",
)


def actions_module() -> Any:
    """``ui.shell.actions`` (the meeting entry and decision dialogs), imported when used."""
    from sosku_desktop.ui.shell import actions

    return actions


def import_later_modules() -> None:
    """Import the other pages' heavy modules (a background task after the window shows)."""
    for name in LATER_MODULES:
        importlib.import_module(name)


class LazyPages:
    """The main pages by key, each built by its factory when first asked for.

    The stacked widget holds an empty placeholder per page until then, so the
    navigation order and indexes never change.
    """

    def __init__(self, stack: QStackedWidget, factories: dict[str, Callable[[], QWidget]]) -> None:
        self.stack = stack
        self.factories = factories
        self.keys = list(factories)
        self._built: dict[str, QWidget] = {}
        for _ in self.keys:
            stack.addWidget(QWidget())

    def built(self, key: str) -> bool:
        return key in self._built

    def __getitem__(self, key: str) -> QWidget:
        page = self._built.get(key)
        if page is None:
            page = self._built[key] = self.factories[key]()
            index = self.keys.index(key)
            placeholder = self.stack.widget(index)
            showing = self.stack.currentIndex() == index
            self.stack.insertWidget(index, page)
            if placeholder is not None:
                self.stack.removeWidget(placeholder)
                placeholder.deleteLater()
            if showing:
                self.stack.setCurrentIndex(index)
        return page
