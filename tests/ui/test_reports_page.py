"""Reports page: figures from a real store, filters, per-client rows and exports logged."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, time
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from sosku_desktop import i18n
from sosku_desktop.domain import codes, models
from sosku_desktop.domain.team_report import ReportFilter
from sosku_desktop.store.database import Store
from sosku_desktop.ui.pages.reports_page import ReportsPage, month_choices
from tests.documents import pdftools
from tests.team_fixture import TODAY, W2, A, B, C, write_team
from tests.ui.layout_support import painted_cut, settle, themed
from tests.ui.shell_support import context


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.create(tmp_path / "data", "testipassi-123")
    write_team(s)
    yield s
    s.close()


def audit(store: Store, action: str) -> list[models.AuditEntry]:
    with store.read() as r:
        return [e for e in r.list(models.AuditEntry) if e.action == action]


def make(qtbot: QtBot, store: Store, lang: str = "fi") -> ReportsPage:
    page = ReportsPage(context(store, lang, now=datetime.combine(TODAY, time(12))))
    qtbot.addWidget(page)
    page.resize(1280, 1000)
    page.show()
    page.set_filter((2026, 1), (2026, 3))
    return page


def test_month_pickers_reach_three_years_back_to_this_month() -> None:
    months = month_choices(TODAY)
    assert months[0] == (2023, 4) and months[-1] == (2026, 4) and len(months) == 37


def test_opens_on_this_year_so_far(qtbot: QtBot, store: Store) -> None:
    page = ReportsPage(context(store, "fi", now=datetime.combine(TODAY, time(12))))
    qtbot.addWidget(page)
    assert page.current_filter() == ReportFilter((2026, 1), (2026, 4))
    assert [page.worker_box.itemText(i) for i in range(3)] == [
        "Kaikki työntekijät",
        "Mikko Työntekijä",
        "Sanna Ohjaaja",
    ]
    with pytest.raises(ValueError):
        page.set_filter((2019, 1), (2026, 3))


def test_cards_and_charts_show_the_hand_checked_figures(qtbot: QtBot, store: Store) -> None:
    page = make(qtbot, store)
    assert page.card_clients.value.text() == "3"
    assert page.card_clients.detail.text() == "jaksoja alkoi 2, päättyi 1"
    assert page.card_meetings.value.text() == "12"
    assert page.card_target.value.text() == "62,5 %"
    assert page.card_money.value.text() == "166,00 €"
    assert page.realised_chart.describe() == "1/26: 6; 2/26: 2; 3/26: 4"
    assert page.target_chart.describe().startswith(
        "1/26: Asiakkaita, joilla tavoite 3, Tavoite toteutui 3"
    )
    assert "Kotikäynti: 4" in page.kind_chart.describe()
    assert "Jakso päättynyt: 1" in page.phase_chart.describe()
    assert page.money_chart.describe() == "1/26: 81 €; 2/26: 45 €; 3/26: 40 €"
    assert [m.text for m in page.group_meters.rows] == [
        "50 % · 3/6 · 2 ryhmäkerrat",
        "100 % · 4/4 · 2 ryhmäkerrat",
    ]
    assert [m.text for m in page.budget_meters.rows] == [
        "160,00 € / 150,00 € · ylitys 10,00 €",
        "42,40 € / 300,00 €",
    ]


def test_charts_paint_their_hot_spots(qtbot: QtBot, store: Store) -> None:
    page = make(qtbot, store)
    page.realised_chart.resize(480, 240)
    page.realised_chart.grab()
    spots = [text for _, text in page.realised_chart.hot_spots()]
    assert spots == [
        "1/26\nToteutuneet tapaamiset: 6",
        "2/26\nToteutuneet tapaamiset: 2",
        "3/26\nToteutuneet tapaamiset: 4",
    ]


def test_the_worker_filter_narrows_every_figure(qtbot: QtBot, store: Store) -> None:
    page = make(qtbot, store)
    page.worker_box.setCurrentIndex(1)  # by name: Mikko before Sanna
    assert page.worker_box.currentData() == W2
    assert page.card_clients.value.text() == "1"
    assert page.realised_chart.describe() == "1/26: 2; 2/26: 1; 3/26: 0"
    assert [m.label for m in page.budget_meters.rows] == ["Mikko Työntekijä 2026"]


def test_an_upside_down_window_is_refused(qtbot: QtBot, store: Store) -> None:
    page = make(qtbot, store, "sv")
    page.to_box.setCurrentIndex(page.to_box.currentIndex() - 2)  # January
    page.from_box.setCurrentIndex(page.from_box.currentIndex() + 2)  # March
    assert not page.csv_button.isEnabled() and not page.pdf_button.isEnabled()
    assert page.status.text() == "Tidsintervallets början ligger efter slutet."


def test_per_client_rows_are_shown_on_request_and_logged(qtbot: QtBot, store: Store) -> None:
    page = make(qtbot, store)
    assert audit(store, codes.AUDIT_VIEW) == []
    assert page.clients_table.isHidden()
    page.clients_button.click()
    table = page.clients_table
    assert table.rowCount() == 3
    assert [table.verticalHeaderItem(i).text() for i in range(3)] == [
        "Aalto, Aino",
        "Berg, Bo",
        "Cederlund, Cia",
    ]
    assert [table.item(0, c).text() for c in range(1, 4)] == ["3/2", "1/2 !", "2/2"]
    assert table.item(2, 3) is None  # C's period had ended
    logged = audit(store, codes.AUDIT_VIEW)
    assert sorted(e.client_id for e in logged) == sorted([A, B, C])
    page.set_filter((2026, 1), (2026, 3), W2)
    assert sorted(e.client_id for e in audit(store, codes.AUDIT_VIEW)) == sorted([A, B, C, C])
    page.clients_button.click()
    page.worker_box.setCurrentIndex(0)
    assert len(audit(store, codes.AUDIT_VIEW)) == 4


def test_export_writes_the_file_and_logs_each_client(
    qtbot: QtBot, store: Store, tmp_path: Path
) -> None:
    page = make(qtbot, store)
    target = tmp_path / "raportti.csv"
    with qtbot.waitSignal(page.exported):
        page.export_to(target, "csv")
    assert "Aalto, Aino" in target.read_bytes().decode("utf-8-sig")
    assert sorted(e.client_id for e in audit(store, codes.AUDIT_EXPORT)) == sorted([A, B, C])
    assert page.status.text() == f"Tallennettu: {target}"


def test_export_without_client_rows_logs_nobody(qtbot: QtBot, store: Store, tmp_path: Path) -> None:
    page = make(qtbot, store, "en")
    page.include_clients.setChecked(False)
    target = tmp_path / "report.pdf"
    page.export_to(target, "pdf")
    text = pdftools.flat(target.read_bytes())
    assert "Team report" in text and "Aalto" not in text
    assert audit(store, codes.AUDIT_EXPORT) == []


def test_a_failed_export_says_why_and_logs_nothing(
    qtbot: QtBot, store: Store, tmp_path: Path
) -> None:
    page = make(qtbot, store)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    page.export_to(blocker / "report.csv", "csv")
    assert page.status.text().startswith("Tallennus epäonnistui:")
    assert audit(store, codes.AUDIT_EXPORT) == []


def test_the_export_button_asks_for_a_file(
    qtbot: QtBot, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = make(qtbot, store)
    target = tmp_path / "chosen.pdf"
    asked: list[str] = []

    def choose(parent: object, title: str, name: str, filters: str) -> tuple[str, str]:
        asked.append(name)
        return str(target), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(choose))
    page.pdf_button.click()
    assert asked == ["tiimiraportti-2026-01--2026-03.pdf"]
    assert target.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_stored_marks_the_money_does_not_pay_are_told(
    qtbot: QtBot, store: Store, lang: str
) -> None:
    """C's period ended 28.2.2026: a present mark stored for March earns nothing, and
    the page says one mark was left out instead of silently adding 9 €."""
    from tests.team_fixture import G1

    page = make(qtbot, store, lang)
    assert page.money_left_out.isHidden()
    late = models.GroupSession(id="late", group_id=G1, on=datetime(2026, 3, 24).date())
    with store.write() as w:
        w.add(late)
        w.add(
            models.Attendance(
                id="m-late", session_id="late", client_id=C, status=codes.ATTENDANCE_PRESENT
            )
        )
    page.refresh()
    assert page.card_money.value.text() == "166,00 €"
    assert not page.money_left_out.isHidden()
    assert page.money_left_out.text() == i18n.tr("report.money_left_out", lang, n=1)


def test_stored_meetings_the_money_does_not_pay_are_told(qtbot: QtBot, store: Store) -> None:
    """C's period ended 28.2.2026: a realised meeting stored for March in it earns
    nothing either, and is counted in the same line as the marks."""
    from tests.team_fixture import PC

    page = make(qtbot, store, "fi")
    with store.write() as w:
        w.add(models.Meeting(id="m-late", period_id=PC, starts_at=datetime(2026, 3, 24, 10)))
    page.refresh()
    assert page.card_money.value.text() == "166,00 €"
    assert not page.money_left_out.isHidden()
    assert page.money_left_out.text() == i18n.tr("report.money_left_out", "fi", n=1)


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
@pytest.mark.parametrize(("width", "scale"), [(1150, 1.0), (810, 1.0), (810, 1.5)])
def test_no_chart_label_is_cut(
    qtbot: QtBot, store: Store, lang: str, width: int, scale: float
) -> None:
    """ "Saattaminen / yhdessä asiointi" was cut to "Saattaminen / yhde…" beside the
    meeting kinds' bars (the page at 1024×600 is 810 px wide beside the navigation)."""
    with themed(text_scale=scale):
        page = make(qtbot, store, lang)
        page.resize(width, 1000)
        settle()
        assert painted_cut(page) == []
        kinds = page.kind_chart
        assert kinds.height() >= kinds.heightForWidth(kinds.width())


def test_the_check_sees_a_cut_chart_label(qtbot: QtBot) -> None:
    from sosku_desktop.ui.widgets.charts import BarChart, Series

    chart = BarChart(horizontal=True)
    qtbot.addWidget(chart)
    chart.set_data(["Saattaminen / yhdessä asiointi"], [Series("", [3])])
    chart.resize(400, chart.heightForWidth(400))
    chart.show()
    chart.grab()
    assert chart.clipped_labels() == []
    chart.resize(400, 20)  # far too low for its name: the check must see it
    chart.grab()
    assert chart.clipped_labels() == ["Saattaminen / yhdessä asiointi"]
