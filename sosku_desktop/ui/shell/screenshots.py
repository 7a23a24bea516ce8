"""``--screenshot DIR``: pictures of the main views, in Finnish and Swedish.

Each view at 1366×768, at the smallest supported window (1024×600) and at
1366×768 with 150 % text (see ``VARIANTS``).

Used for the user guide and for looking at the product without a screen;
every picture is a real grab of the running widgets. Dialogs are drawn over
a dimmed main window, as the worker would see them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QEvent, QIODevice, QPoint, QRect
from PySide6.QtGui import QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QWidget

from sosku_desktop.domain import codes, models
from sosku_desktop.store import permissions
from sosku_desktop.ui.shell import geometry, qt_texts, theme
from sosku_desktop.ui.shell.context import AppContext
from sosku_desktop.ui.shell.main_window import MainWindow
from sosku_desktop.ui.shell.screenshots_period import take_period_screenshots
from sosku_desktop.ui.shell.theme import Role

SIZE = (1366, 768)
LANGUAGES = ("fi", "sv")


def settle(ctx: AppContext) -> None:
    """Let background loads finish and layouts settle before grabbing."""
    for _ in range(3):
        ctx.tasks.wait()
        QApplication.processEvents()


def settle_layouts() -> None:
    for _ in range(2):
        QApplication.processEvents()


def over_window(window: QWidget, dialog: QWidget) -> QPixmap:
    """The window dimmed, with ``dialog`` drawn centred on it."""
    geometry.fit_dialog(dialog, QRect(0, 0, window.width(), window.height()))  # as on a screen
    settle_layouts()
    picture = window.grab()
    painter = QPainter(picture)
    painter.fillRect(picture.rect(), theme.colour(Role.SCRIM))
    top = dialog.grab()
    x = (picture.width() - top.width()) // 2
    y = max(0, (picture.height() - top.height()) // 2)
    painter.drawPixmap(QPoint(x, y), top)
    painter.end()
    return picture


def png_bytes(picture: QPixmap) -> bytes:
    """The picture as PNG, so the file is written owner-only like every other file.

    A screenshot can show client names; ``QPixmap.save`` to a path would
    create it with the umask's mode (0644).
    """
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    picture.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def showcase_client(ctx: AppContext) -> str | None:
    """A client of this worker with an active period and the richest goal tree."""
    with ctx.store.read() as r:
        periods = [
            p
            for p in r.list(models.Period, status=codes.PERIOD_ACTIVE)
            if ctx.store.worker_id is None or p.worker_id == ctx.store.worker_id
        ]
        best: tuple[int, str] | None = None
        for p in periods:
            score = len(r.goals_of(p.id)) * 10 + len(r.meetings_of([p.id]))
            if best is None or score > best[0]:
                best = (score, p.client_id)
    return best[1] if best else None


def latest_session(ctx: AppContext) -> str | None:
    with ctx.store.read() as r:
        held = [s for s in r.list(models.GroupSession) if s.on <= ctx.today() and not s.cancelled]
    return max(held, key=lambda s: (s.on, s.starts_at)).id if held else None


@dataclass(frozen=True)
class Variant:
    """A screen to picture the views on: its size, the OS text size, a file-name tag."""

    size: tuple[int, int]
    text_scale: float = 1.0
    tag: str = ""


#: The usual laptop, the smallest supported window, and a big-text laptop
#: (a 1920×1080 screen at 150 %): ``fi-today.png``, ``fi-today-1024x600.png``,
#: ``fi-today-1366x768-text150.png``.
VARIANTS = (
    Variant(SIZE),
    Variant((1024, 600), 1.0, "1024x600"),
    Variant((1366, 768), 1.5, "1366x768-text150"),
)


def take_screenshots(
    ctx: AppContext,
    out_dir: Path,
    languages: tuple[str, ...] = LANGUAGES,
    variants: tuple[Variant, ...] = VARIANTS,
) -> list[Path]:
    """Write ``<lang>-<view>[-<tag>].png`` for every main view; returns the files written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    original = ctx.lang
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    try:
        for variant in variants:
            theme.apply(app, text_scale=variant.text_scale)
            for lang in languages:
                ctx.lang = lang
                qt_texts.set_language(lang)

                def save(picture: QPixmap, name: str, tag: str = variant.tag) -> None:
                    path = out_dir / f"{ctx.lang}-{name}{'-' + tag if tag else ''}.png"
                    permissions.write_private(path, png_bytes(picture))
                    written.append(path)

                _picture_views(ctx, variant, save)
    finally:
        ctx.lang = original
        qt_texts.set_language(original)
        theme.apply(app)
    return written


def _picture_views(ctx: AppContext, variant: Variant, save: Callable[[QPixmap, str], None]) -> None:
    """Every main view of one language on one screen variant."""
    window = MainWindow(ctx, lock_minutes=240)
    window.resize(*variant.size)
    window.show()
    settle(ctx)
    save(window.grab(), "today")
    window.go("clients")
    settle(ctx)
    save(window.grab(), "clients")
    client_id = showcase_client(ctx)
    if client_id is not None:
        _picture_client(ctx, window, client_id, save)
    take_period_screenshots(ctx, window, save, settle, over_window)
    window.go("groups")
    session_id = latest_session(ctx)
    page = window.page_by_key["groups"]
    if session_id is not None and hasattr(page, "open_session"):
        page.open_session(session_id)
    settle(ctx)
    save(window.grab(), "attendance")
    for key in ("calendar", "reports", "sync"):
        window.go(key)
        settle(ctx)
        save(window.grab(), key)
    window.close()
    window.deleteLater()
    # processEvents() leaves deferred deletions alone: delete the window now, so the
    # next variant's style sheet is never applied to the old window's widgets.
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QApplication.processEvents()


def _picture_client(
    ctx: AppContext, window: MainWindow, client_id: str, save: Callable[[QPixmap, str], None]
) -> None:
    window.open_client(client_id)
    settle(ctx)
    save(window.grab(), "client-overview")
    view = window.client_view
    view.tabs.setCurrentWidget(view.goals)
    view.goals.tree.setCurrentIndex(view.goals.model.index(0, 0))
    settle(ctx)
    save(window.grab(), "goals")
    view.tabs.setCurrentWidget(view.assessments)
    settle(ctx)
    save(window.grab(), "self-assessment")
    view.tabs.setCurrentWidget(view.documents)
    view.documents.select("agreement", ctx.lang)
    settle(ctx)
    save(window.grab(), "documents")
    view.tabs.setCurrentWidget(view.overview)
    dialog = view.record_meeting()
    if dialog is not None:
        settle(ctx)
        save(over_window(window, dialog), "meeting")
        dialog.reject()
