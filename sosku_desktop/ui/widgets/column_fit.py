"""Table columns sized to their contents, and fitted to the view's width as it changes.

A table wider than its view used to shrink every column alike, so short columns
lost their ends first ("24.11.2…" for a date, "suunnit…" for a state) while a
long notes column kept room to spare; and the fit was measured once, often while
the tab was still hidden, so at 1024×600 the table scrolled sideways anyway.
Here the narrow columns keep their full width and only the widest ones give way
(each long cell ends in "…" and shows in full as a tooltip), measured again
whenever the view is resized. No column goes below what its header needs
with a word a line; headers wrap rather than being cut (``columns``).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QHeaderView, QTableView
from shiboken6 import isValid

from sosku_desktop.ui.widgets.columns import header_floors, unwrap_headers, wrap_headers

#: Rows measured when fitting columns to their contents.
FIT_ROWS = 60


def capped_widths(
    natural: list[int],
    available: int,
    minimum: int,
    floors: list[int] | None = None,
    keep_first: bool = False,
) -> list[int]:
    """``natural`` widths with the widest ones cut to one common cap so the total fits
    ``available``; no column is cut below ``minimum`` nor below its own floor (what
    its header needs, ``columns.header_floors``) unless those alone are too wide —
    then all give way alike, except the first one with ``keep_first`` (it names the
    row: a client list showing "Ande…" told the worker nothing)."""
    if available <= 0 or sum(natural) <= available:
        return list(natural)
    least = [
        min(width, max(minimum, floor))
        for width, floor in zip(natural, floors or [0] * len(natural), strict=True)
    ]
    kept = 1 if keep_first and least else 0
    spare = sum(least[kept:]) - minimum * len(least[kept:])
    if sum(least) > available and spare > 0:
        # Not even the headers fit (150 % text on a small screen): they give way
        # alike, down to the minimum, and end in "…" (``columns.wrap_headers``).
        room = available - sum(least[:kept]) - minimum * len(least[kept:])
        keep = max(0.0, room / spare)
        least = least[:kept] + [min(w, minimum + int((w - minimum) * keep)) for w in least[kept:]]

    def widths(cap: int) -> list[int]:
        return [max(low, min(width, cap)) for width, low in zip(natural, least, strict=True)]

    low, high = 0, max(natural)  # the largest cap whose widths still fit
    while low < high:
        cap = (low + high + 1) // 2
        if sum(widths(cap)) <= available:
            low = cap
        else:
            high = cap - 1
    return widths(low)


#: The most of a table's width its naming column keeps whole when the others need it.
NAME_SHARE = 0.3


class ColumnFitter(QObject):
    """Keeps a table's columns at their natural widths, capped to the view's width.

    ``optional`` columns (in the order they give way) are hidden while the columns
    do not fit at their natural widths, and shown again when there is room: at
    1024×600 with large text the client list keeps the name, identity code and
    dates whole and leaves the phone, key worker and phase to the client's page.
    """

    def __init__(self, view: QTableView, minimum: int) -> None:
        super().__init__(view)
        self.setObjectName("columnFitter")
        self.minimum = minimum
        self.natural: dict[int, int] = {}
        self.optional: tuple[int, ...] = ()
        #: per column, the width its header needs a word a line (when shown)
        self.floors: dict[int, int] | None = None
        self.wrapped_for: list[int] | None = None
        view.viewport().installEventFilter(self)

    def _view(self) -> QTableView | None:
        """The table (our parent; not kept in an attribute, so that no reference cycle
        outlives the widgets at shutdown)."""
        view = self.parent()
        return view if isinstance(view, QTableView) and isValid(view) else None

    def apply(self) -> None:
        view = self._view()
        if view is None:
            return
        header = view.horizontalHeader()
        every = [c for c in sorted(self.natural) if c < header.count()]
        if self.floors is None and view.isVisible():  # measured once shown (styled)
            self.floors = dict(zip(every, header_floors(view, every, self.minimum), strict=True))
        self._give_way(view, every)
        columns = [c for c in every if not header.isSectionHidden(c)]
        available = self._available(view, columns)
        widths = capped_widths(
            [self.natural[c] for c in columns],
            available,
            self.minimum,
            self._floors(columns, available),
            keep_first=bool(columns) and columns[0] == 0,
        )
        for column, width in zip(columns, widths, strict=True):
            if header.sectionSize(column) != width:
                header.resizeSection(column, width)
        if view.isVisible() and widths != self.wrapped_for:
            self.wrapped_for = widths
            wrap_headers(view, columns, widths)

    def _give_way(self, view: QTableView, every: list[int]) -> None:
        """Hide the optional columns the others need the room of (see the class doc)."""
        if not self.optional:
            return
        header = view.horizontalHeader()
        shown = list(every)
        available = self._available(view, every, every)
        for column in self.optional:
            if sum(self.natural[c] for c in shown) > available and column in shown:
                shown.remove(column)
        for column in self.optional:
            hidden = column not in shown
            if header.isSectionHidden(column) != hidden:
                header.setSectionHidden(column, hidden)

    def _floors(self, columns: list[int], available: int) -> list[int] | None:
        """The header floors, with the first column kept whole as far as the other
        headers leave room, and at least ``NAME_SHARE`` of the width: it names the
        row (the client, the date), so at 1024×600 "Andersson, Maria" stays readable
        while wider cells give way ("Andersson, …" told the worker nothing)."""
        known = self.floors or {}
        floors = [known.get(c, 0) for c in columns]
        if not columns or columns[0] != 0:
            return floors if self.floors is not None else None
        others = sum(max(self.minimum, f) for f in floors[1:])
        room = max(available - others, int(available * NAME_SHARE))
        floors[0] = max(floors[0], min(self.natural[0], room))
        return floors

    @staticmethod
    def _available(view: QTableView, columns: list[int], fitted: list[int] | None = None) -> int:
        """The viewport's width less what the columns not fitted here take."""
        header = view.horizontalHeader()
        fitted = columns if fitted is None else fitted
        others = sum(
            header.sectionSize(c)
            for c in range(header.count())
            if c not in fitted and not header.isSectionHidden(c)
        )
        return view.viewport().width() - others

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.apply()
        return False


def fit_columns(
    view: QTableView, minimum: int = 70, maximum: int = 320, optional: tuple[int, ...] = ()
) -> None:
    """Size columns to their contents within sensible bounds (measured on the first
    rows: a long list must not be measured cell by cell on the UI thread), then keep
    them within the view's width as it changes (see the module doc); ``optional``
    columns give way when the others need their room (``ColumnFitter``)."""
    header = view.horizontalHeader()
    header.setResizeContentsPrecision(FIT_ROWS)
    unwrap_headers(view)  # measured on one line
    for column in optional:
        header.setSectionHidden(column, False)  # measured like the others
    view.resizeColumnsToContents()
    fitter = view.findChild(ColumnFitter, "columnFitter") or ColumnFitter(view, minimum)
    fitter.minimum, fitter.floors, fitter.wrapped_for = minimum, None, None
    fitter.optional = optional
    fitter.natural = {
        column: max(minimum, min(maximum, header.sectionSize(column) + 16))
        for column in range(header.count())
        if header.sectionResizeMode(column) != QHeaderView.ResizeMode.Stretch
    }
    fitter.apply()


def ask_for_columns(view: QTableView, widest: int = 200) -> None:
    """Make ``view`` ask for the width its columns need (each at most ``widest``).

    Tables beside each other (a group's members and sessions, a self-assessment's
    chart and figures) stand side by side only when both fit: a table asking for
    nothing let a narrow window squeeze the names to "An…" or hide the last columns
    behind a sideways scroll bar; now the second one goes under the first.
    """
    header = view.horizontalHeader()
    needed = sum(
        min(widest, max(view.sizeHintForColumn(c), header.sectionSizeHint(c)))
        for c in range(header.count())
        if not header.isSectionHidden(c)
    )
    bar = view.verticalScrollBar().sizeHint().width()
    view.setMinimumWidth(needed + bar + 2 * view.frameWidth() + 4)
