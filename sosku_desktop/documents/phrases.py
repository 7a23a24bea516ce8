"""Recurring phrases built from numbers and dates, worded by the catalogues.

Kept apart from drawing code so the PDF, the paste-ready text and the CSV
say exactly the same thing ("4.1., 17.1. ja 24.1.2024", "3 päivää × 9,00 €
= 27,00 €").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date

from sosku_desktop.domain.activity_money import PaidDay
from sosku_desktop.i18n import format_date, format_money, format_short_date, tr


def t(key: str, lang: str, **params: object) -> str:
    """Catalogue text of a ``doc.`` key (the room prefix is added here)."""
    return tr(f"doc.{key}", lang, **params)


def yes_no(value: bool, lang: str) -> str:
    return t("yes" if value else "no", lang)


def join_words(parts: Sequence[str], lang: str) -> str:
    """ "a, b ja c" / "a, b och c" / "a, b and c"."""
    if not parts:
        return ""
    if len(parts) == 1:
        return parts[0]
    return f"{', '.join(parts[:-1])} {t('and', lang)} {parts[-1]}"


def date_list(days: Iterable[date], lang: str) -> str:
    """Sorted dates, the year written once: "4.1., 17.1. ja 24.1.2024".

    A date in another year than the last one keeps its year
    ("30.12.2023, 4.1. ja 17.1.2024") so no date is ambiguous.
    """
    ordered = sorted(set(days))
    if not ordered:
        return ""
    last = ordered[-1]
    parts = [
        format_short_date(d, lang) if d.year == last.year else format_date(d, lang)
        for d in ordered[:-1]
    ]
    parts.append(format_date(last, lang))
    return join_words(parts, lang)


def date_range(start: date | None, end: date | None, lang: str) -> str:
    """ "4.1.–3.4.2024", or full dates when the years differ."""
    if start is None and end is None:
        return ""
    if start is None or end is None:
        return format_date(start or end, lang)
    if start.year == end.year:
        return f"{format_short_date(start, lang)}–{format_date(end, lang)}"
    return f"{format_date(start, lang)}–{format_date(end, lang)}"


def day_count(n: int, lang: str) -> str:
    """ "1 päivä" / "3 päivää"."""
    return t("days_one" if n == 1 else "days_many", lang, n=n)


def money_calculation(days: Sequence[PaidDay], lang: str) -> str:
    """ "3 päivää × 9,00 € = 27,00 €"; a rate change gives one term per rate."""
    total = sum(d.cents for d in days)
    if not days:
        return f"{day_count(0, lang)} = {format_money(0, lang)}"
    per_rate = Counter(d.cents for d in days)
    terms = [
        f"{day_count(n, lang)} × {format_money(cents, lang)}"
        for cents, n in sorted(per_rate.items())
    ]
    return f"{' + '.join(terms)} = {format_money(total, lang)}"


def rates_text(days: Sequence[PaidDay], lang: str) -> str:
    """The rate(s) paid: "9,00 €" or "9,00 € / 10,00 €"."""
    rates = sorted({d.cents for d in days})
    return " / ".join(format_money(c, lang) for c in rates)
