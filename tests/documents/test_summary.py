"""Period summary / final evaluation with its charts."""

from __future__ import annotations

import dataclasses
from datetime import date

from reportlab.graphics.charts.barcharts import BarChart

from sosku_desktop.documents import build_document, charts
from sosku_desktop.domain import codes
from tests.documents import pdftools
from tests.documents.sample import PERIOD, context


def _bar_chart(drawing: object) -> BarChart:
    return next(c for c in drawing.contents if isinstance(c, BarChart))  # type: ignore[attr-defined]


def test_goals_meetings_groups_and_self_assessment_are_shown() -> None:
    pdf = build_document("summary", context("fi"), "pdf")
    flat = pdftools.flat(pdf)
    layout = pdftools.text(pdf)
    assert "Kuntoutusjakson yhteenveto" in flat
    assert "Tavoite: Käyn kaupassa itse kerran viikossa" in flat
    assert "Osatavoite: Teen kauppalistan edellisenä iltana" in flat
    achieved = next(line for line in layout.splitlines() if "Liityn johonkin" in line)
    assert "100 %" in achieved and "saavutettu" in achieved and "17.1.2024" in achieved
    # one figure per goal (domain.goals): g1 shows its sub-goal's roll-up (80), as the
    # app's goal list does, not its own stored 60
    main = next(line for line in layout.splitlines() if "Käyn kaupassa" in line)
    assert "80 %" in main and "60 %" not in flat
    assert "Toteutunut 3, peruttu 1, ei saapunut 0" in flat
    for kind in ("Kotikäynti", "Kävelytapaaminen", "Kahvilatapaaminen"):
        assert kind in flat
    assert "1/2024" in flat and "2/2024" in flat  # the monthly chart's categories
    group = next(line for line in layout.splitlines() if "Tiistain kävelyryhmä" in line)
    assert group.split()[-2:] == ["50", "%"]
    assert "Ihmissuhteet ja yhteisöön kuuluminen" in flat
    assert "Alussa 4.1.2024" in flat and "Viimeisin 3.6.2024" in flat
    assert "+3,5" in flat
    assert "TOISEN ASIAKKAAN" not in flat


def test_text_version_carries_the_same_figures() -> None:
    text = build_document("summary", context("fi"), "txt").decode()
    assert "- Tavoite: Liityn johonkin ryhmään – 100 %, saavutettu 17.1.2024\n" in text
    assert "  - Osatavoite: Teen kauppalistan edellisenä iltana – 80 %, työn alla\n" in text
    assert "- 1/2024: 3\n" in text
    assert "- Tiistain kävelyryhmä: läsnä 1, ilmoitettu poissaolo 1, poissa 0 (50 %)\n" in text
    assert "- Arjen sujuminen: Alussa 4.1.2024 3, Viimeisin 3.6.2024 6\n" in text


def test_final_evaluation_title_text_and_next_steps() -> None:
    period = dataclasses.replace(
        PERIOD,
        status=codes.PERIOD_ENDED,
        ended_on=date(2024, 3, 28),
        end_reason=codes.END_MOVED_TO_SERVICE,
        final_evaluation="Arki on rytmittynyt ja asiointi sujuu.",
        next_steps="Jatkaa kuntouttavassa työtoiminnassa huhtikuusta.",
    )
    ctx = context("sv", period=period, area_scores={})
    flat = pdftools.flat(build_document("summary", ctx, "pdf"))
    assert "Slututvärdering: social rehabilitering" in flat
    assert "Arki on rytmittynyt ja asiointi sujuu." in flat
    assert "Jatkaa kuntouttavassa työtoiminnassa huhtikuusta." in flat
    assert "Överenskomna fortsatta åtgärder" in flat
    assert "4.1.–28.3.2024" in flat
    assert "Självbedömning" not in flat  # no scores given, no chart
    assert "3/2024" in flat


def test_chart_value_axes_start_at_zero() -> None:
    bars = charts.monthly_bars(["1/2024", "2/2024"], [7, 9], 400, reference=2)
    chart = _bar_chart(bars)
    assert chart.valueAxis.valueMin == 0
    assert chart.valueAxis.valueMax >= 9
    pairs = charts.start_vs_latest(["a", "b"], [6.0, 7.0], [8.0, 9.5], 400, legend=("x", "y"))
    chart = _bar_chart(pairs)
    assert chart.valueAxis.valueMin == 0
    assert chart.valueAxis.valueMax >= 9.5
    scaled = charts.start_vs_latest(["a"], [1.0], [2.0], 400, legend=("x", "y"), scale_max=10)
    assert _bar_chart(scaled).valueAxis.valueMax == 10


def test_summary_without_meetings_or_goals_still_builds() -> None:
    ctx = context("en", goals=[], meetings=[], attendances=[], area_scores={})
    flat = pdftools.flat(build_document("summary", ctx, "pdf"))
    assert "Rehabilitation period summary" in flat
    assert "Nothing recorded." in flat
    assert "No group sessions during the period." in flat
