"""Translations and locale formatting shared by documents, CLI and UI.

Catalogues are flat JSON files ``resources/translations/<room>.<lang>.json``
(one per room so that rooms do not edit each other's files); all rooms of a
language are merged. Finnish is the default; a key missing in a language
falls back to Finnish and then to the key itself, and a test checks that no
key is missing. Dates are ``d.M.yyyy`` and money ``27,00 €`` in every
language, as Finnish municipalities write them; Babel does the formatting.

This module imports nothing else of ours so that any room may use it.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date as _babel_date
from babel.numbers import format_currency as _babel_currency
from babel.numbers import format_decimal as _babel_decimal

LANGUAGES = ("fi", "sv", "en")
DEFAULT_LANGUAGE = "fi"
RESOURCES = Path(__file__).resolve().parent.parent / "resources"
TRANSLATIONS = RESOURCES / "translations"
_LOCALES = {"fi": "fi_FI", "sv": "sv_FI", "en": "en_FI"}


@cache
def catalogue(lang: str) -> dict[str, str]:
    """All keys of one language, merged over the rooms' files."""
    merged: dict[str, str] = {}
    for path in sorted(TRANSLATIONS.glob(f"*.{lang}.json")):
        merged.update(json.loads(path.read_text(encoding="utf-8")))
    return merged


#: The parameter that counts, in the order looked for: ``tr(key, n=1)`` picks ``key#one``.
PLURAL_PARAMS = ("n", "count", "days", "months", "missing", "clients", "total")


def plural_form(count: int, lang: str = DEFAULT_LANGUAGE) -> str:
    """CLDR plural category of ``count`` in ``lang`` (``one``/``other`` for fi, sv, en)."""
    return str(Locale.parse(locale_of(lang)).plural_form(abs(count)))


def _counted(params: dict[str, object], text: str) -> int | None:
    """The number the text's plural form agrees with: the first of ``PLURAL_PARAMS``
    the text shows (a reminder passes the days left beside the months it names, and
    "1 day left" once made it "12 month"); a caption beside a figure shows none, so
    then the first one given counts."""
    numbers = {
        name: value
        for name in PLURAL_PARAMS
        if isinstance(value := params.get(name), int) and not isinstance(value, bool)
    }
    if not numbers:
        return None
    shown = [name for name in numbers if "{" + name + "}" in text]
    return numbers[(shown or list(numbers))[0]]


def tr(key: str, lang: str = DEFAULT_LANGUAGE, **params: object) -> str:
    """Translate ``key`` into ``lang`` and fill ``{name}`` parameters.

    A counted text has plural forms as ``<key>#one``, ``<key>#other`` … (Babel's CLDR
    rules choose by the first of ``PLURAL_PARAMS`` the plain text shows, else the
    first given, see ``_counted``); the plain key is the
    fallback, so "1 muutos" and "2 muutosta" both come from one call.
    """
    plain = catalogue(lang).get(key) or catalogue(DEFAULT_LANGUAGE).get(key) or key
    count = _counted(params, plain)
    text = catalogue(lang).get(f"{key}#{plural_form(count, lang)}") if count is not None else None
    text = text or plain
    if params:
        try:
            return text.format(**params)
        except (KeyError, IndexError, ValueError):
            return text
    return text


def code_label(list_name: str, code: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """Human label of a code-list value (``code.<list>.<code>``)."""
    key = f"code.{list_name}.{code}"
    text = tr(key, lang)
    return code if text == key else text


def code_heading(list_name: str, code: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """``code_label`` as a column heading: with a capital first letter ("Läsnä").

    Code labels are lower case for running text ("läsnä 3, poissa 1"); a table
    whose other headings start with a capital showed these in lower case.
    """
    text = code_label(list_name, code, lang)
    return text[:1].upper() + text[1:]


def locale_of(lang: str) -> str:
    return _LOCALES.get(lang, _LOCALES[DEFAULT_LANGUAGE])


def format_date(value: date | datetime | None, lang: str = DEFAULT_LANGUAGE) -> str:
    """``4.1.2024`` in every language; empty for ``None``."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    return _babel_date(value, "d.M.yyyy", locale=locale_of(lang))


def format_short_date(value: date, lang: str = DEFAULT_LANGUAGE) -> str:
    """``4.1.`` as in "meetings on 4.1., 17.1. and 24.1."."""
    return _babel_date(value, "d.M.", locale=locale_of(lang))


def format_time(value: datetime) -> str:
    return f"{value.hour:02d}.{value.minute:02d}"


def format_datetime(value: datetime | None, lang: str = DEFAULT_LANGUAGE) -> str:
    """``4.1.2024 klo 13.30`` style, with the language's word for "at"."""
    if value is None:
        return ""
    return tr("fmt.datetime", lang, date=format_date(value, lang), time=format_time(value))


def format_month(year: int, month: int, lang: str = DEFAULT_LANGUAGE) -> str:
    """``tammikuu 2024`` / ``januari 2024`` / ``January 2024``."""
    return _babel_date(date(year, month, 1), "LLLL yyyy", locale=locale_of(lang))


def format_weekday(value: date, lang: str = DEFAULT_LANGUAGE) -> str:
    return _babel_date(value, "EEEE", locale=locale_of(lang))


def format_money(cents: int, lang: str = DEFAULT_LANGUAGE) -> str:
    """``27,00 €`` with a plain space, so pasted text survives any system."""
    amount = Decimal(cents) / 100
    return _babel_currency(amount, "EUR", locale=locale_of(lang)).replace("\xa0", " ")


def format_number(value: float | int | Decimal, lang: str = DEFAULT_LANGUAGE) -> str:
    """Decimal comma as in Finnish Excel: ``1,5``."""
    return _babel_decimal(value, locale=locale_of(lang)).replace("\xa0", " ")


def format_amount(cents: int, lang: str = DEFAULT_LANGUAGE) -> str:
    """``27,00`` without the currency sign (CSV cells)."""
    return _babel_decimal(Decimal(cents) / 100, format="0.00", locale=locale_of(lang))
