"""A self-assessment's scores, changes and levels in words, for the comparison PDF and
the client's assessment tab alike.

Kept apart from ``assessment_pdf`` so that the tab can show the same words
without importing reportlab (the client's view opens without it).
"""

from __future__ import annotations

from sosku_desktop.domain.instruments import Band
from sosku_desktop.domain.scoring import AreaChange, Comparison
from sosku_desktop.i18n import format_number, tr


def score_text(value: float | None, lang: str) -> str:
    """A score with one decimal at most ("6,5"); a dash for an unanswered area."""
    return "–" if value is None else format_number(round(value, 1), lang)


def change_text(comparison: Comparison, row: AreaChange, lang: str) -> str:
    """ "+3 (parani)" / "−1 (heikkeni)" / "0 (ennallaan)"; empty when not comparable."""
    change = row.change
    if change is None:
        return ""
    improved = comparison.improved(row)
    word = tr(
        "assessment.unchanged"
        if improved is None
        else "assessment.improved"
        if improved
        else "assessment.declined",
        lang,
    )
    sign = "+" if change > 0 else "−" if change < 0 else ""
    return f"{sign}{score_text(abs(change), lang)} ({word})"


def band_text(comparison: Comparison, band: Band | None, lang: str) -> str:
    """ "6–7 Osittain kunnossa"."""
    if band is None:
        return ""
    low, high = comparison.instrument.band_span(band)
    span = f"{score_text(low, lang)}–{score_text(high, lang)}"
    label = band.label.get(lang)
    return f"{span} {label}".strip()
