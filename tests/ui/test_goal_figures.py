"""One goal, one number: goals list, slider, meeting entry, overview and summary agree.

Issue 12: the same goal showed 75 % in the list, 60 % on the slider and in the
summary; a sub-goal 50 % in the list and 75 % in the meeting entry; and
"Saavutettu 0/5" while two goals were at 100 %.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from sosku_desktop.documents import build_document
from sosku_desktop.domain import codes, models
from sosku_desktop.operations.documents import context_for
from sosku_desktop.store.writer import new_id
from sosku_desktop.ui.shell.main_window import MainWindow
from sosku_desktop.ui.widgets.common import PROGRESS_ROLE
from tests.ui import shell_support as s

#: main 60 (own) ← sub 50 (own) ← steps 70 and 80; sub2 100 → main shows 88, sub 75
FIGURES = {"Paasen toihin": 88, "Herään ajoissa": 75, "Herätys 7.30": 70, "Aamupala": 80}


def _goals(period_id: str) -> list[models.Goal]:
    main = models.Goal(id=new_id(), period_id=period_id, text="Paasen toihin", progress=60)
    sub = models.Goal(
        id=new_id(),
        period_id=period_id,
        parent_id=main.id,
        level=codes.GOAL_SUB,
        text="Herään ajoissa",
        progress=50,
    )
    done = models.Goal(
        id=new_id(),
        period_id=period_id,
        parent_id=main.id,
        level=codes.GOAL_SUB,
        text="Käyn kaupassa",
        progress=100,
        position=1,
    )
    steps = [
        models.Goal(
            id=new_id(),
            period_id=period_id,
            parent_id=sub.id,
            level=codes.GOAL_STEP,
            text=text,
            progress=value,
            position=n,
        )
        for n, (text, value) in enumerate((("Herätys 7.30", 70), ("Aamupala", 80)))
    ]
    return [main, sub, done, *steps]


def test_list_slider_meeting_entry_overview_and_summary_show_one_figure(
    tmp_path: Path, qtbot: QtBot
) -> None:
    store = s.empty_store(tmp_path)
    client, period = s.add_client(store, "Aino", "Korhonen", s.TODAY - timedelta(days=40))
    goals = _goals(period.id)
    with store.write() as w:
        for goal in goals:
            w.add(goal)
    ctx = s.context(store)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    try:
        window.open_client(client.id)
        view = window.client_view
        by_text = {g.text: g for g in goals}

        # the goals list and the slider
        tab = view.goals
        view.tabs.setCurrentWidget(tab)
        listed: dict[str, int] = {}
        model = tab.model
        pending = [model.index(r, 0) for r in range(model.rowCount())]
        while pending:
            index = pending.pop()
            text = str(index.data())
            listed[text] = int(index.siblingAtColumn(1).data(PROGRESS_ROLE))
            pending += [model.index(r, 0, index) for r in range(model.rowCount(index))]
        for text, figure in FIGURES.items():
            assert listed[text] == figure, text
            assert tab._select(by_text[text].id)
            assert tab.spin.value() == figure, text
        assert tab._select(by_text["Paasen toihin"].id)
        assert not tab.spin.isEnabled()  # a roll-up is not typed in
        assert tab._select(by_text["Aamupala"].id) and tab.spin.isEnabled()

        # the meeting entry
        dialog = view.record_meeting()
        assert dialog is not None
        shown = {}
        for row in range(dialog.goals.count()):
            item = dialog.goals.item(row)
            name, _, figure = item.text().strip().rpartition(" — ")
            shown[name] = int(figure.rstrip(" %"))
            assert name in item.toolTip()
        assert {k: shown[k] for k in FIGURES} == FIGURES
        step = next(
            dialog.goals.item(r)
            for r in range(dialog.goals.count())
            if "Herätys" in dialog.goals.item(r).text()
        )
        dialog.goals.nudge(step, 10)  # 70 → 80: the sub-goal and main goal move with it
        assert dialog.goals.figure_after(by_text["Herään ajoissa"].id) == 80
        assert dialog.goals.figure_after(by_text["Paasen toihin"].id) == 90
        dialog.reject()

        # the overview: "reached" counts the goals whose figure is 100
        view.tabs.setCurrentWidget(view.overview)
        texts = [label.text() for label in view.overview.findChildren(QLabel)]
        assert ctx.tr("ui.overview.goals_achieved", n=1, total=5) in texts
        assert "Paasen toihin — 88 %" in texts

        # the summary document (paste-ready text)
        with store.read() as r:
            doc = context_for(r, "summary", "fi", client.id, None, store.worker_id, s.TODAY)
        text = build_document("summary", doc, "txt").decode("utf-8")
        lines = {t: next(line for line in text.splitlines() if t in line) for t in FIGURES}
        for name, figure in FIGURES.items():
            assert f"– {figure} %" in lines[name], lines[name]
    finally:
        window.close()
        store.close()
