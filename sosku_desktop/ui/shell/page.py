"""The one contract every main page keeps, so the shell can treat them alike.

A page is built from the ``AppContext`` alone, says its title and where its
help is, loads what it shows with ``refresh()``, and decides from a
``Changes`` value whether a write concerns it. The shell (``main_window``)
calls ``refresh()`` when a page comes into view, and again when an
operation or a sync round wrote something the visible page ``concerns``;
pages out of view re-read when they are next shown.

``PageMixin`` gives the common behaviour: a page lists the tables it shows
(``TABLES``) and the mixin answers ``concerns`` from them.
"""

from __future__ import annotations

from typing import ClassVar, Protocol, runtime_checkable

from sosku_desktop.operations import Changes
from sosku_desktop.ui.shell.context import AppContext


@runtime_checkable
class Page(Protocol):
    """What the shell needs from a page."""

    ctx: AppContext

    def title(self) -> str:
        """The page's name, as in the navigation."""
        ...

    def help_anchor(self) -> str:
        """The section of the user guide (docs/user-guide.md) that explains the page."""
        ...

    def refresh(self) -> None:
        """(Re)load what the page shows; long reads run in the background."""
        ...

    def concerns(self, changes: Changes) -> bool:
        """Whether ``changes`` touch anything the page shows."""
        ...


class PageMixin:
    """Title, help anchor and ``concerns`` from three class attributes."""

    ctx: AppContext
    #: Translation key of the title (the navigation entry's text).
    TITLE_KEY: ClassVar[str] = ""
    #: Anchor in docs/user-guide.md.
    HELP_ANCHOR: ClassVar[str] = ""
    #: Tables whose rows the page shows; a change to any of them means re-read.
    TABLES: ClassVar[frozenset[str]] = frozenset()

    def title(self) -> str:
        return self.ctx.tr(self.TITLE_KEY)

    def help_anchor(self) -> str:
        return self.HELP_ANCHOR

    def concerns(self, changes: Changes) -> bool:
        return changes.concerns(*self.TABLES)
