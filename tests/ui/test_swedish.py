"""Switching to Swedish: every visible text is Swedish (or data), never Finnish or a raw key."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QWidget, QWizard
from pytestqt.qtbot import QtBot

from sosku_desktop.store.demo import DEMO_PASSPHRASE
from sosku_desktop.ui.shell.context import AppContext
from sosku_desktop.ui.shell.main_window import NAV_KEYS, MainWindow
from tests.ui import shell_support as s


@pytest.fixture
def shell(tmp_path: Path, qtbot: QtBot) -> Iterator[tuple[AppContext, MainWindow]]:
    store = s.demo_store(tmp_path)
    ctx = s.context(store, lang="fi")
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    yield ctx, window
    window.close()
    store.close()


class Walker:
    """Collects what is on screen and checks it against the Finnish catalogue."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.finnish = s.finnish_only_values()
        self.problems: list[tuple[str, str]] = []
        self.seen = 0

    def check(self, where: str) -> None:
        QApplication.processEvents()
        # only this window and what it opened: other tests' widgets may linger
        mine = [self.window, *self.window.findChildren(QWidget)]
        for text in s.visible_texts(mine):
            for line in (part.strip() for part in text.splitlines()):
                if not line:
                    continue
                self.seen += 1
                if line in self.finnish:
                    self.problems.append((where, f"Finnish: {line}"))
                elif s.KEY_LIKE.match(line):
                    self.problems.append((where, f"raw key: {line}"))
                elif "{" in line and "}" in line:
                    self.problems.append((where, f"unfilled: {line}"))


def test_every_visible_text_is_swedish(shell: tuple[AppContext, MainWindow], qtbot: QtBot) -> None:
    ctx, window = shell
    walker = Walker(window)
    # the checker can fail: in Finnish it finds Finnish texts
    walker.check("fi today")
    assert walker.problems
    walker = Walker(window)

    window.set_language("sv")
    assert ctx.lang == "sv"
    for key, _ in NAV_KEYS:
        window.go(key)
        walker.check(f"page {key}")

    with ctx.store.read() as r:
        client = next(c for c in r.clients() if c.first_name == "Elina")
    window.open_client(client.id)
    view = window.client_view
    for index in range(view.tabs.count()):
        view.tabs.setCurrentIndex(index)
        qtbot.waitUntil(view.tabs.currentWidget().isVisible)
        walker.check(f"client tab {view.tabs.tabText(index)}")
    view.tabs.setCurrentWidget(view.goals)
    view.goals.start_new(None)
    walker.check("new goal editor")
    view.goals.tree.setCurrentIndex(view.goals.model.index(0, 0))
    walker.check("goal editor")

    dialog = view.record_meeting()
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    walker.check("meeting dialog")
    dialog.submit("realised")  # empty notes are allowed; saving shows the status-bar message
    walker.check("after saving")
    plan = view.plan_meeting()
    assert plan is not None
    walker.check("plan dialog")
    plan.reject()

    view.tabs.setCurrentWidget(view.decisions)
    assert view.decisions.draft_continuation() is None  # Elina is at the one-year limit
    walker.check("no more blocks")
    decision = view.decisions.new_decision()
    assert decision is not None
    qtbot.waitUntil(decision.isVisible)
    walker.check("decision dialog")
    decision.reject()

    wizard = window.new_client()
    qtbot.waitUntil(wizard.isVisible)
    walker.check("wizard client page")
    wizard.client_page.first_name.setText("Anna")
    wizard.client_page.last_name.setText("Berg")
    for page in ("period", "intake", "goal"):
        wizard.button(QWizard.WizardButton.NextButton).click()
        walker.check(f"wizard {page} page")
    wizard.reject()

    window.lock.lock()
    walker.check("lock screen")
    assert window.lock.try_unlock(DEMO_PASSPHRASE)

    settings = window.open_settings()
    if settings is not None:
        qtbot.waitUntil(settings.isVisible)
        walker.check("settings dialog")
        settings.reject()

    assert walker.seen > 300
    assert sorted(set(walker.problems)) == []
