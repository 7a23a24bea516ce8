"""The self-assessment form: keyboard, validation, and what it writes to the store."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from pytestqt.qtbot import QtBot

from sosku_desktop.domain import codes, models
from sosku_desktop.domain.instruments import Instrument, parse_instrument
from sosku_desktop.store.database import Store
from sosku_desktop.store.instrument_files import builtin_instrument
from sosku_desktop.ui.client.assessment_form import AssessmentForm
from tests.domain.test_instruments import minimal
from tests.ui.shell_support import context

TODAY = date(2026, 11, 24)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.create(tmp_path / "data", "testipassi-123")
    worker = models.Worker(id="w-1", name="Sanna Ohjaaja")
    client = models.Client(id="c-1", first_name="Aino", last_name="Aalto", worker_id="w-1")
    period = models.Period("p-1", "c-1", "w-1", date(2026, 9, 1), date(2027, 8, 31))
    with s.write() as w:
        for row in (worker, client, period):
            w.add(row)
    s.set_current_worker("w-1")
    yield s
    s.close()


@pytest.fixture
def generic() -> Instrument:
    return builtin_instrument("sosku-generic")


def make_form(
    qtbot: QtBot, store: Store, instrument: Instrument, lang: str = "fi"
) -> AssessmentForm:
    form = AssessmentForm(context(store, lang), "c-1", instrument)
    qtbot.addWidget(form)
    form.show()
    return form


def test_one_row_per_area_with_eleven_big_choices(
    qtbot: QtBot, store: Store, generic: Instrument
) -> None:
    form = make_form(qtbot, store, generic, "sv")
    assert [row.item.id for row in form.rows] == [i.id for i in generic.items]
    first = form.rows[0]
    assert [b.text() for b in first.buttons] == [str(v) for v in range(11)]
    assert all(b.minimumHeight() >= 40 for b in first.buttons)
    assert first.accessibleName().startswith("Boende")
    assert form.status.text().startswith("Obesvarade: 8")


def test_keyboard_chooses_and_moves(qtbot: QtBot, store: Store, generic: Instrument) -> None:
    form = make_form(qtbot, store, generic)
    row = form.rows[0]
    row.setFocus()
    qtbot.keyClick(row, Qt.Key.Key_7)
    assert row.value == 7
    qtbot.keyClick(row, Qt.Key.Key_1)
    qtbot.keyClick(row, Qt.Key.Key_0)
    assert row.value == 10
    qtbot.keyClick(row, Qt.Key.Key_5)  # "105" is no choice: starts over
    assert row.value == 5
    qtbot.keyClick(row, Qt.Key.Key_Right)
    qtbot.keyClick(row, Qt.Key.Key_Right)
    assert row.value == 7
    qtbot.keyClick(row, Qt.Key.Key_Left)
    assert row.value == 6
    qtbot.keyClick(row, Qt.Key.Key_End)
    assert row.value == 10
    qtbot.keyClick(row, Qt.Key.Key_Delete)
    assert row.value is None
    qtbot.keyClick(row, Qt.Key.Key_Down)
    assert form.focusWidget() is form.rows[1]
    qtbot.keyClick(form.rows[1], Qt.Key.Key_Up)
    assert form.focusWidget() is row
    assert row.buttons[10].isChecked() is False


def test_clicking_a_chosen_button_again_clears_it(
    qtbot: QtBot, store: Store, generic: Instrument
) -> None:
    form = make_form(qtbot, store, generic)
    row = form.rows[2]
    qtbot.mouseClick(row.buttons[4], Qt.MouseButton.LeftButton)
    assert row.value == 4 and row.buttons[4].isChecked()
    qtbot.mouseClick(row.buttons[4], Qt.MouseButton.LeftButton)
    assert row.value is None and not row.buttons[4].isChecked()


def test_saving_writes_the_assessment_in_the_clients_period_and_logs_it(
    qtbot: QtBot, store: Store, generic: Instrument
) -> None:
    form = make_form(qtbot, store, generic)
    form.set_answers({"housing": 6, "health": 3, "future": 9})
    form.note.setPlainText("Täytettiin yhdessä kotikäynnillä.")
    with qtbot.waitSignal(form.saved) as signal:
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    with store.read() as r:
        saved = r.list(models.Assessment, client_id="c-1")
        audit = r.audit_of_client("c-1")
    assert len(saved) == 1
    a = saved[0]
    assert signal.args == [a.id]
    assert (a.instrument_id, a.on, a.period_id) == ("sosku-generic", TODAY, "p-1")
    assert a.answers == {"housing": 6.0, "health": 3.0, "future": 9.0}
    assert a.note == "Täytettiin yhdessä kotikäynnillä."
    assert [(e.action, e.record_table, e.record_id) for e in audit if e.record_id == a.id] == [
        (codes.AUDIT_CREATE, "assessments", a.id)
    ]


def test_saving_twice_corrects_the_same_assessment(
    qtbot: QtBot, store: Store, generic: Instrument
) -> None:
    form = make_form(qtbot, store, generic)
    form.set_answers({"housing": 6})
    assert form.save()
    first = form.existing
    form.rows[0].set_value(8)
    form.date.setDate(QDate(2026, 11, 20))
    assert form.save()
    second = form.existing
    assert first is not None and second is not None and first.id == second.id
    with store.read() as r:
        saved = r.list(models.Assessment, client_id="c-1")
    assert [(a.on, a.answers["housing"]) for a in saved] == [(date(2026, 11, 20), 8.0)]


def test_nothing_answered_is_not_saved(qtbot: QtBot, store: Store, generic: Instrument) -> None:
    form = make_form(qtbot, store, generic, "en")
    assert not form.save()
    assert "Choose at least one value" in form.status.text()
    with store.read() as r:
        assert r.list(models.Assessment) == []


def test_the_date_cannot_be_set_in_the_future(
    qtbot: QtBot, store: Store, generic: Instrument
) -> None:
    form = make_form(qtbot, store, generic)
    form.date.setDate(QDate(2027, 1, 1))
    assert form.date.date() == QDate(2026, 11, 24)


def test_areas_with_several_items_get_a_row_per_item(qtbot: QtBot, store: Store) -> None:
    instrument = parse_instrument(minimal())
    form = make_form(qtbot, store, instrument)
    assert [row.item.id for row in form.rows] == ["home", "joy", "worry"]
    assert form.rows[1].accessibleName().startswith("Mieliala – 1/2")


def test_an_existing_assessment_opens_with_its_answers(
    qtbot: QtBot, store: Store, generic: Instrument
) -> None:
    existing = models.Assessment(
        "a-1", "c-1", "sosku-generic", date(2026, 10, 1), "p-1", {"housing": 2.0}, "vanha"
    )
    with store.write() as w:
        w.add(existing)
    form = AssessmentForm(context(store), "c-1", generic, existing=existing)
    qtbot.addWidget(form)
    assert form.rows[0].value == 2.0 and form.note.toPlainText() == "vanha"
    assert form.date.date() == QDate(2026, 10, 1)
