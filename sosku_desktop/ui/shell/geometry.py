"""Window size: usable down to 1024×600, the last geometry restored, dialogs on screen.

* The page area scrolls instead of squeezing: :class:`PageStack` asks only for
  the room its *current* page needs, and :func:`scrolling` puts it in a scroll
  area, so a small window (or 150 % text) gets scroll bars, never clipped
  controls.
* The window's geometry is saved in the preferences on close and restored on
  start, clamped to the screen that is there now (a laptop undocked from a big
  monitor must not open off-screen); the first start opens at a sensible size
  for the screen.
* A dialog is never taller or wider than the available screen
  (:func:`fit_when_shown`); its content scrolls when it must.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication, QResizeEvent, QScreen
from PySide6.QtWidgets import (
    QFrame,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QWidget,
)

from sosku_desktop.preferences import Preferences

#: The smallest window every page is usable in (scroll bars appear below it).
SMALLEST = QSize(1024, 600)
#: What a first start opens at when the screen has room for it.
PREFERRED = QSize(1366, 768)
#: The window's own minimum: smaller than the smallest supported screen.
MINIMUM = QSize(800, 500)


class PageStack(QStackedWidget):
    """A stack that needs only the room of the page on show (hidden pages do not count)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.currentChanged.connect(lambda _i: self.updateGeometry())

    def sizeHint(self) -> QSize:
        page = self.currentWidget()
        return page.sizeHint() if page is not None else super().sizeHint()

    def minimumSizeHint(self) -> QSize:
        page = self.currentWidget()
        if page is None:
            return super().minimumSizeHint()
        hint = page.minimumSizeHint().expandedTo(page.minimumSize())
        return hint.boundedTo(page.maximumSize())

    def hasHeightForWidth(self) -> bool:
        page = self.currentWidget()
        return page is not None and page.hasHeightForWidth()

    def heightForWidth(self, width: int) -> int:
        """The page's height at ``width``: rows that wrap or stack (Today's lists under
        each other) need more than the page's plain minimum, which ignores them."""
        page = self.currentWidget()
        own = page.heightForWidth(width) if page is not None and page.hasHeightForWidth() else -1
        return max(own, self.minimumSizeHint().height())


class _PageFill(QWidget):
    """The stack inside the page scroll area, passing on the minimum size of the page
    on show (a scroll area would otherwise ask the stack for the preferred height of
    every page with wrapping text, and scroll a page that fits)."""

    def __init__(self, stack: QStackedWidget) -> None:
        super().__init__()
        self.stack = stack
        stack.setParent(self)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)  # the scroll area then asks ``heightForWidth``
        self.setSizePolicy(policy)
        stack.currentChanged.connect(lambda _i: self.updateGeometry())

    def resizeEvent(self, event: QResizeEvent) -> None:
        self.stack.setGeometry(self.rect())
        super().resizeEvent(event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LayoutRequest:  # a page's size needs changed:
            self.updateGeometry()  # tell the scroll area
            self.stack.setGeometry(self.rect())
        return super().event(event)

    def sizeHint(self) -> QSize:
        return self.stack.sizeHint()

    def minimumSizeHint(self) -> QSize:
        return self.stack.minimumSizeHint()

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self.stack.heightForWidth(width)


def page_area(stack: QStackedWidget) -> QScrollArea:
    """The main window's pages in a scroll area that scrolls only when a page cannot
    shrink to the window (never at a size the page fits)."""
    area = QScrollArea()
    area.setObjectName("pageScroll")
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    area.setWidget(_PageFill(stack))
    return area


class VerticalScroll(QScrollArea):
    """A scroll area that scrolls up and down only: it asks for its content's minimum
    width, so a narrow window squeezes the layout around it, never the content."""

    def minimumSizeHint(self) -> QSize:
        inner = self.widget()
        hint = super().minimumSizeHint()
        if inner is None:
            return hint
        bar = self.verticalScrollBar().sizeHint().width()
        # a set minimum width (the goal editor's card) counts as the layout would count it
        content = max(inner.minimumSizeHint().width(), inner.minimumWidth())
        width = content + bar + 2 * self.frameWidth() + 2
        return QSize(width, hint.height())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Rows added to the content after the layout asked for our minimum (Today's
        agenda arrives from a background load) would otherwise be cut off on the right:
        the content's new minimum width is passed on to the layout around us."""
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()
        return super().eventFilter(watched, event)


def scrolling(widget: QWidget, name: str = "") -> QScrollArea:
    """``widget`` filling a frameless, vertically scrolling area: it grows with the
    window and scrolls when the window is lower than it can shrink to."""
    area = VerticalScroll()
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    if name:
        area.setObjectName(name)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    area.setWidget(widget)
    return area


def _available(screen: QScreen | None) -> QRect:
    screen = screen or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else QRect(0, 0, 1366, 768)


def default_geometry(available: QRect) -> QRect:
    """The first start: 1366×768 when it fits, else 95 % of the screen, centred."""
    width = min(PREFERRED.width(), int(available.width() * 0.95))
    height = min(PREFERRED.height(), int(available.height() * 0.95))
    rect = QRect(0, 0, max(width, MINIMUM.width()), max(height, MINIMUM.height()))
    rect.moveCenter(available.center())
    return clamp(rect, available)


def clamp(rect: QRect, available: QRect) -> QRect:
    """``rect`` made to fit on ``available``: no larger, and moved fully onto it."""
    width = min(rect.width(), available.width())
    height = min(rect.height(), available.height())
    x = min(max(rect.x(), available.left()), available.right() + 1 - width)
    y = min(max(rect.y(), available.top()), available.bottom() + 1 - height)
    return QRect(x, y, width, height)


def parse(text: str) -> tuple[QRect, bool] | None:
    """``"x,y,w,h,maximised"`` as saved by :func:`remember`; None when unreadable."""
    parts = text.split(",")
    if len(parts) != 5 or not all(p.strip().lstrip("-").isdigit() for p in parts):
        return None
    x, y, w, h, maximised = (int(p) for p in parts)
    if w < 200 or h < 150:
        return None
    return QRect(x, y, w, h), bool(maximised)


def restore(window: QWidget, prefs: Preferences) -> None:
    """Place ``window`` where it was (clamped to the screen now), or at a sensible size."""
    saved = parse(prefs.get("window_geometry"))
    screen = window.screen()
    if saved is not None:
        found = QGuiApplication.screenAt(saved[0].center())
        screen = found if found is not None else screen
    available = _available(screen)
    rect = clamp(saved[0], available) if saved is not None else default_geometry(available)
    window.setGeometry(rect)
    if saved is not None and saved[1]:
        window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)


def remember(window: QWidget, prefs: Preferences) -> None:
    """Save the window's normal geometry (and whether it was maximised)."""
    rect = window.normalGeometry() if window.isMaximized() else window.geometry()
    if rect.width() <= 0 or rect.height() <= 0:
        return
    maximised = int(window.isMaximized())
    prefs.set(
        "window_geometry", f"{rect.x()},{rect.y()},{rect.width()},{rect.height()},{maximised}"
    )


def fit_dialog(dialog: QWidget, available: QRect) -> None:
    """Grow a dialog to what its content asks for (a large OS text size needs more room
    than a fixed first size), and shrink one that would not fit on ``available`` (its
    content then scrolls). The window frame (title bar, borders) counts too."""
    frame_extra = dialog.frameGeometry().size() - dialog.size()
    room = (available.size() - frame_extra).expandedTo(QSize(1, 1))
    size = dialog.size().expandedTo(dialog.sizeHint()).boundedTo(room)
    if size != dialog.size():
        dialog.resize(size)
    frame = dialog.frameGeometry()
    if not available.contains(frame):
        dialog.move(clamp(frame, available).topLeft())


class FitsOnScreen(QObject):
    """Fits its dialog on its screen each time the dialog is shown.

    A child of the one dialog it watches, installed by :func:`fit_when_shown`
    (``ui/widgets/lifetime.py`` does it for every dialog it shows). An
    application-wide Python event filter did this before: every event of every
    object then called into Python, and each such call waited for the GIL
    while a background thread ran Python (longest UI-thread stretches).
    """

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and isinstance(watched, QWidget):
            fit_dialog(watched, _available(watched.screen()))
        return False


def fit_when_shown(dialog: QWidget) -> None:
    """Have ``dialog`` fit on its screen whenever it is shown (once per dialog)."""
    if dialog.findChild(FitsOnScreen, options=Qt.FindChildOption.FindDirectChildrenOnly):
        return
    dialog.installEventFilter(FitsOnScreen(dialog))
