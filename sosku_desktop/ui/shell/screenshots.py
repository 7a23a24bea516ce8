"""``--screenshot DIR``: pictures of the main views at 1366×768, in Finnish and Swedish.

Used for the user guide and for looking at the product without a screen;
every picture is a real grab of the running widgets. Dialogs are drawn over
a dimmed main window, as the worker would see them.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint
from PySide6.QtGui import QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QWidget

from sosku_desktop.domain import codes, models
from sosku_desktop.ui.shell import theme
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


def over_window(window: QWidget, dialog: QWidget) -> QPixmap:
    """The window dimmed, with ``dialog`` drawn centred on it."""
    picture = window.grab()
    painter = QPainter(picture)
    painter.fillRect(picture.rect(), theme.colour(Role.SCRIM))
    top = dialog.grab()
    x = (picture.width() - top.width()) // 2
    y = max(0, (picture.height() - top.height()) // 2)
    painter.drawPixmap(QPoint(x, y), top)
    painter.end()
    return picture


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


def take_screenshots(
    ctx: AppContext, out_dir: Path, languages: tuple[str, ...] = LANGUAGES
) -> list[Path]:
    """Write ``<lang>-<view>.png`` for every main view; returns the files written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    original = ctx.lang

    def save(picture: QPixmap, name: str) -> None:
        path = out_dir / f"{ctx.lang}-{name}.png"
        picture.save(str(path))
        written.append(path)

    try:
        for lang in languages:
            ctx.lang = lang
            window = MainWindow(ctx, lock_minutes=240)
            window.resize(*SIZE)
            window.show()
            settle(ctx)
            save(window.grab(), "today")
            window.go("clients")
            settle(ctx)
            save(window.grab(), "clients")
            client_id = showcase_client(ctx)
            if client_id is not None:
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
            take_period_screenshots(ctx, window, save, settle, over_window)
            window.go("groups")
            session_id = latest_session(ctx)
            page = window.page_by_key["groups"]
            if session_id is not None and hasattr(page, "open_session"):
                page.open_session(session_id)
            settle(ctx)
            save(window.grab(), "attendance")
            window.go("calendar")
            settle(ctx)
            save(window.grab(), "calendar")
            window.go("reports")
            settle(ctx)
            save(window.grab(), "reports")
            window.go("sync")
            settle(ctx)
            save(window.grab(), "sync")
            window.close()
            window.deleteLater()
            QApplication.processEvents()
    finally:
        ctx.lang = original
    return written
