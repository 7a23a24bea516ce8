"""Helpers for turning domain message parameters into display values.

Domain rules put ``date`` objects into ``Problem.params`` and
``Reminder.params`` so that callers can still compute with them. Dates are
written ``d.M.yyyy`` in every language the product speaks, so this module
can format them without knowing the language; everything else is passed
through unchanged for ``i18n.tr`` to fill in.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime


def format_day(value: date) -> str:
    """``4.1.2024`` (no leading zeros), as Finnish municipalities write dates."""
    if isinstance(value, datetime):
        value = value.date()
    return f"{value.day}.{value.month}.{value.year}"


def display_params(params: Mapping[str, object]) -> dict[str, object]:
    """``params`` with every date written ``d.M.yyyy``."""
    return {
        name: format_day(value) if isinstance(value, date) else value
        for name, value in params.items()
    }
