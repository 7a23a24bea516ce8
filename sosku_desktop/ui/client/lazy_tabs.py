"""A tab widget whose pages are made when first shown.

A client's view has ten tabs; making them all (and polishing their widgets
under the style sheet) when the first client opened was 110 ms of frozen
window at start-up, and filling them all on every reload did work for tabs
nobody looked at. Each tab here is an empty page until it is shown or asked
for by name; then its factory makes it and ``built`` is emitted so the view
can connect it and give it the record.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QTabWidget, QToolButton, QVBoxLayout, QWidget


@dataclass(frozen=True)
class TabSpec:
    """One tab: its name in the view, its title and the factory that makes it."""

    name: str
    title: str
    object_name: str
    factory: Callable[[], QWidget]


class _Page(QWidget):
    """The tab's place in the tab widget; holds the real tab once it is made."""

    def __init__(self, spec: TabSpec) -> None:
        super().__init__()
        self.spec = spec
        self.setObjectName(f"{spec.object_name}Page")
        self.tab: QWidget | None = None
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)


class LazyTabs(QTabWidget):
    """Tabs made on first show (``tab(name)`` makes one on demand too)."""

    #: (name, tab) when a tab has just been made.
    built = Signal(str, QWidget)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._pages: dict[str, _Page] = {}
        self.currentChanged.connect(self._make_current)
        # In a narrow window (1024×600) the bar scrolls: its ‹ › arrows stay clickable but
        # are no Tab stops; the keyboard switches tabs with Ctrl+Tab / Ctrl+PgDown instead.
        for arrow in self.tabBar().findChildren(QToolButton):
            arrow.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def add(self, spec: TabSpec) -> None:
        page = _Page(spec)
        self._pages[spec.name] = page
        self.addTab(page, spec.title)

    def tab(self, name: str) -> QWidget:
        """The tab ``name``, made now if it was not yet."""
        page = self._pages[name]
        if page.tab is None:
            page.tab = page.spec.factory()
            layout = page.layout()
            assert layout is not None
            layout.addWidget(page.tab)
            self.built.emit(name, page.tab)  # connected and given the record first
            if page.isVisible():  # shown now, not a queued show after this event
                page.tab.show()
        return page.tab

    def made(self) -> list[QWidget]:
        """The tabs made so far, in tab order."""
        return [page.tab for page in self._pages.values() if page.tab is not None]

    def is_made(self, name: str) -> bool:
        return self._pages[name].tab is not None

    def _page_of(self, widget: QWidget) -> QWidget:
        """The page holding ``widget`` (a tab), or ``widget`` itself (a page)."""
        page = next((p for p in self._pages.values() if widget is p or widget is p.tab), None)
        return page if page is not None else widget

    def setCurrentWidget(self, widget: QWidget) -> None:
        """Show ``widget``: a tab (inside its page) or a page."""
        super().setCurrentWidget(self._page_of(widget))

    def currentWidget(self) -> QWidget:
        """The tab shown (not the page that holds it), as with a plain tab widget."""
        page = super().currentWidget()
        return page.tab if isinstance(page, _Page) and page.tab is not None else page

    def indexOf(self, widget: QWidget) -> int:
        return super().indexOf(self._page_of(widget))

    def _make_current(self, index: int) -> None:
        page = self.widget(index)
        if isinstance(page, _Page):
            self.tab(page.spec.name)
