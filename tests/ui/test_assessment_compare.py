"""Start vs latest self-assessment view: pair, table, charts, logging, the client's PDF."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from sosku_desktop.domain import codes, models
from sosku_desktop.store.database import Store
from sosku_desktop.store.instrument_files import builtin_instrument, org_dir
from sosku_desktop.ui.client.assessment_compare import AssessmentCompare
from sosku_desktop.ui.client.assessment_form import AssessmentForm
from tests.documents import pdftools
from tests.domain.test_instruments import minimal
from tests.ui.shell_support import context

TODAY = date(2026, 11, 24)
START = (3, 4, 5, 6, 7, 8, 2, 5)
LATEST = (6, 4, 7, 5, 8, 9, 8, 5)


def _answers(values: tuple[int, ...]) -> dict[str, float]:
    ids = [i.id for i in builtin_instrument("sosku-generic").items]
    return {i: float(v) for i, v in zip(ids, values, strict=True)}


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.create(tmp_path / "data", "testipassi-123")
    with s.write() as w:
        w.add(models.Worker(id="w-1", name="Sanna Ohjaaja"))
        w.add(models.Client(id="c-1", first_name="Aino", last_name="Aalto"))
        w.add(models.Period("p-1", "c-1", "w-1", date(2026, 1, 1), date(2026, 12, 31)))
        w.set_setting("organisation_name", "Testikaupunki")
    s.set_current_worker("w-1")
    yield s
    s.close()


def add(store: Store, ident: str, on: date, values: tuple[int, ...], **kw: object) -> None:
    with store.write() as w:
        w.add(
            models.Assessment(
                id=ident,
                client_id="c-1",
                instrument_id=str(kw.pop("instrument_id", "sosku-generic")),
                on=on,
                period_id="p-1",
                answers=_answers(values) if values else dict(kw.pop("answers", {})),  # type: ignore[arg-type]
            )
        )


def views(store: Store) -> list[models.AuditEntry]:
    with store.read() as r:
        return [e for e in r.audit_of_client("c-1") if e.action == codes.AUDIT_VIEW]


def make(qtbot: QtBot, store: Store, lang: str = "fi") -> AssessmentCompare:
    widget = AssessmentCompare(context(store, lang), "c-1")
    qtbot.addWidget(widget)
    widget.resize(1100, 620)
    widget.show()
    return widget


def cell(widget: AssessmentCompare, row: int, column: int) -> str:
    item = widget.table.item(row, column)
    return item.text() if item is not None else ""


def test_start_and_latest_side_by_side(qtbot: QtBot, store: Store) -> None:
    add(store, "a-1", date(2026, 1, 4), START)
    add(store, "a-2", date(2026, 3, 1), (1,) * 8)
    add(store, "a-3", date(2026, 6, 20), LATEST)
    widget = make(qtbot, store)
    comparison = widget.comparison
    assert comparison is not None
    assert (comparison.start.id, comparison.latest.id) == ("a-1", "a-3")  # type: ignore[union-attr]
    assert [cell(widget, 0, c) for c in range(5)] == [
        "Asuminen",
        "3",
        "6",
        "▲ +3",
        "Osittain kunnossa",
    ]
    assert cell(widget, 3, 3) == "▼ −1"
    assert cell(widget, 1, 3) == "± 0"
    assert cell(widget, 5, 4) == "Hyvällä tasolla"
    assert "Alussa 4.1.2026" in widget.dates.text() and "Viimeisin 20.6.2026" in widget.dates.text()
    assert widget.radar.accessibleDescription().startswith("Asuminen: 3 → 6")
    assert "0–5 Tarvitsee tukea" in widget.legend.text()
    widget.view_buttons.button(1).click()
    assert widget.stack.currentWidget() is widget.bars
    assert widget.bars.accessibleDescription().startswith("Asuminen: 3 → 6 ▲ +3")


def test_showing_the_scores_is_logged_as_a_view(qtbot: QtBot, store: Store) -> None:
    add(store, "a-1", date(2026, 1, 4), START)
    make(qtbot, store)
    logged = views(store)
    assert [(e.record_table, e.record_id) for e in logged] == [("assessments", "a-1")]


def test_one_assessment_says_a_repeat_will_show_the_change(qtbot: QtBot, store: Store) -> None:
    add(store, "a-1", date(2026, 1, 4), START)
    widget = make(qtbot, store, "sv")
    assert "Bara en bedömning (4.1.2026)" in widget.message.text()
    assert widget.table.isColumnHidden(1) and widget.table.isColumnHidden(3)
    assert cell(widget, 0, 2) == "3"


def test_no_assessments_shows_a_calm_message_and_logs_nothing(qtbot: QtBot, store: Store) -> None:
    widget = make(qtbot, store)
    assert widget.message.text() == "Asiakkaalla ei ole vielä itsearviointeja."
    assert not widget.print_button.isEnabled()
    assert views(store) == []


def test_an_instrument_missing_on_this_device_is_explained(qtbot: QtBot, store: Store) -> None:
    add(store, "a-1", date(2026, 1, 4), (), instrument_id="licensed-x", answers={"q": 3.0})
    widget = make(qtbot, store, "en")
    assert "licensed-x" in widget.message.text() and "Import" in widget.message.text()


def test_the_organisations_own_instrument_is_found_in_the_data_folder(
    qtbot: QtBot, store: Store
) -> None:
    folder = org_dir(store.data_dir)
    folder.mkdir()
    (folder / "test.json").write_text(json.dumps(minimal()), encoding="utf-8")
    add(store, "a-1", date(2026, 1, 4), (), instrument_id="test-instrument", answers={"home": 2.0})
    add(store, "a-2", date(2026, 5, 4), (), instrument_id="test-instrument", answers={"home": 9.0})
    add(store, "a-3", date(2026, 2, 4), START)
    widget = make(qtbot, store)
    assert widget.instrument_box.isVisible() and widget.instrument_box.count() == 2
    assert cell(widget, 0, 0) == "Koti" and cell(widget, 0, 3) == "▲ +7"
    widget.instrument_box.setCurrentIndex(1)
    assert cell(widget, 0, 0) == "Asuminen"


def test_the_clients_copy_is_a_pdf_and_logged_as_printed(
    qtbot: QtBot, store: Store, tmp_path: Path
) -> None:
    add(store, "a-1", date(2026, 1, 4), START)
    add(store, "a-3", date(2026, 6, 20), LATEST)
    widget = make(qtbot, store)
    target = tmp_path / "copy.pdf"
    widget.save_pdf(target)
    text = pdftools.flat(target.read_bytes())
    assert "Itsearvioinnin vertailu" in text and "Aino Aalto" in text and "Testikaupunki" in text
    with store.read() as r:
        printed = [e for e in r.audit_of_client("c-1") if e.action == codes.AUDIT_PRINT]
    assert [(e.record_table, e.record_id) for e in printed] == [("assessments", "a-3")]


def test_a_saved_new_assessment_shows_after_reload(qtbot: QtBot, store: Store) -> None:
    add(store, "a-1", date(2026, 1, 4), START)
    widget = make(qtbot, store)
    form = AssessmentForm(context(store), "c-1", builtin_instrument("sosku-generic"))
    qtbot.addWidget(form)
    form.set_answers(_answers(LATEST))
    form.saved.connect(lambda _id: widget.reload())
    form.save()
    assert widget.comparison is not None and widget.comparison.latest.on == TODAY
    assert cell(widget, 0, 3) == "▲ +3"


def test_a_bad_file_in_the_organisation_folder_is_reported_not_fatal(
    qtbot: QtBot, store: Store
) -> None:
    folder = org_dir(store.data_dir)
    folder.mkdir()
    (folder / "rikki.json").write_text("{", encoding="utf-8")
    add(store, "a-1", date(2026, 1, 4), START)
    widget = make(qtbot, store)
    assert widget.comparison is not None
    assert widget.notice.isVisible()
    assert "rikki.json – Tiedosto ei ole kelvollista JSONia" in widget.notice.text()


def test_importing_a_definition_from_the_view(qtbot: QtBot, store: Store, tmp_path: Path) -> None:
    widget = make(qtbot, store)
    bad = tmp_path / "bad.json"
    broken = minimal()
    del broken["name"]
    bad.write_text(json.dumps(broken), encoding="utf-8")
    assert not widget.import_definition(bad)
    assert widget.notice.text() == "Tiedostoa bad.json ei voitu tuoda:\nname: Puuttuu."
    good = tmp_path / "good.json"
    good.write_text(json.dumps(minimal()), encoding="utf-8")
    assert widget.import_definition(good)
    assert widget.notice.text() == "Mittari tuotu: Testimittari"
    entries = [a.text() for a in widget.new_menu.actions() if a.text()]
    assert entries[:2] == ["Testimittari", "Sosku-hyvinvointiarvio (yleinen esimerkki)"]
    assert (org_dir(store.data_dir) / "test-instrument.json").exists()


def test_escape_on_a_half_filled_assessment_asks_and_ctrl_enter_saves(
    qtbot: QtBot, store: Store
) -> None:
    """QA walk: Escape closed the form with the client's four answers gone, unasked
    (every other form asks); Ctrl+Enter did nothing."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QMessageBox

    widget = make(qtbot, store)
    dialog = widget.form_dialog(builtin_instrument("sosku-generic"))
    dialog.open()
    qtbot.waitExposed(dialog)
    form = dialog.findChild(AssessmentForm)
    assert form is not None
    form.rows[0].setFocus()
    for digit in (Qt.Key.Key_5, Qt.Key.Key_7):
        QTest.keyClick(dialog.focusWidget(), digit)
        QTest.keyClick(dialog.focusWidget(), Qt.Key.Key_Down)
    QTest.keyClick(dialog.focusWidget(), Qt.Key.Key_Escape)
    questions = [b for b in dialog.findChildren(QMessageBox) if b.isVisible()]
    assert questions and dialog.isVisible()
    keep = questions[0].escapeButton()
    assert keep is not None
    keep.click()
    assert list(form.answers().values()) == [5.0, 7.0]
    with qtbot.waitActive(dialog):  # back from the question (a window manager does this)
        dialog.activateWindow()
    QTest.keyClick(dialog.focusWidget(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    with store.read() as r:
        (saved,) = r.list(models.Assessment, client_id="c-1")
    assert sorted(saved.answers.values()) == [5.0, 7.0]
