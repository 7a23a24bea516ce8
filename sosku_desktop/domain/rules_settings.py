"""Organisation rules as a settings form: parse what a person typed, check it.

The store keeps the rules as synced ``org_settings`` keys, read back by
``store.records.load_rules``; this module turns the form's text into
exactly those keys and JSON shapes, or into ``Problem`` s that name the
field, so the form can show every message next to its field at once. The
allowed ranges are organisation-rule facts, which is why they live in the
domain and not in a widget.

Numbers are typed the Finnish way (``9,00``; ``9`` and ``9.00`` are
accepted too); dates as ``d.M.yyyy`` (ISO ``2026-01-01`` also accepted).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sosku_desktop.domain import codes
from sosku_desktop.domain.errors import Problem
from sosku_desktop.domain.rules_config import Rules

REQUIRED = "settings.error.required"
NOT_A_NUMBER = "settings.error.not_a_number"
NOT_A_WHOLE_NUMBER = "settings.error.not_a_whole_number"
NEGATIVE = "settings.error.negative"
OUT_OF_RANGE = "settings.error.out_of_range"
TOO_MUCH = "settings.error.too_much"
BAD_DATE = "settings.error.bad_date"
DATE_RANGE = "settings.error.date_range"
DUPLICATE_DATE = "settings.error.duplicate_date"
NO_RATES = "settings.error.no_rates"
TOO_LONG = "settings.error.too_long"
DUPLICATE_METHOD = "settings.error.duplicate_method"
BLOCK_LONGER_THAN_PERIOD = "settings.error.block_longer_than_period"
MIDPOINT_AFTER_END = "settings.error.midpoint_after_end"

#: Activity money above this per day is almost certainly a typo (the law's rate is 9 €).
MAX_RATE_CENTS = 10_000
#: A worker's yearly activity budget above this is almost certainly a typo.
MAX_BUDGET_CENTS = 10_000_000
EARLIEST_DAY = date(2000, 1, 1)
LATEST_DAY = date(2100, 12, 31)
METHOD_MAX = 100
ORG_NAME_MAX = 200
ORG_CONTACT_MAX = 500


@dataclass(frozen=True)
class IntRule:
    """A whole-number rule and the range an organisation may set it to."""

    name: str
    low: int
    high: int


#: Every whole-number rule ``load_rules`` reads, grouped as the form shows them.
PERIOD_INTS = (
    IntRule("max_period_months", 1, 36),
    IntRule("decision_block_months", 1, 12),
    IntRule("min_meetings_per_month", 0, 31),
    IntRule("transport_card_days", 1, 366),
)
REMINDER_INTS = (
    IntRule("decision_ending_days", 0, 90),
    IntRule("year_limit_warning_days", 0, 180),
    IntRule("evaluation_interval_months", 1, 12),
    IntRule("evaluation_warning_days", 0, 90),
    IntRule("consecutive_absences", 1, 10),
    IntRule("self_assessment_midpoint_months", 1, 24),
    IntRule("self_assessment_window_days", 0, 90),
)
INT_RULES = PERIOD_INTS + REMINDER_INTS

_DMY = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_MONEY = re.compile(r"^(-)?(\d+)(?:[.,](\d{1,2}))?$")


# --- parsing typed text -----------------------------------------------------------------


def parse_day(text: str) -> date | None:
    """``4.1.2026`` or ``2026-01-04``; ``None`` when it is not a real date."""
    value = text.strip()
    match = _DMY.match(value)
    if match:
        day, month, year = (int(g) for g in match.groups())
    else:
        match = _ISO.match(value)
        if not match:
            return None
        year, month, day = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_cents(text: str) -> int | None:
    """``9,00`` / ``9`` / ``9.5`` / ``1 234,50 €`` in cents; ``None`` if not money."""
    value = text.replace("€", "").replace("\xa0", "").replace(" ", "").strip()
    match = _MONEY.match(value)
    if not match:
        return None
    sign, whole, decimals = match.groups()
    cents = int(whole) * 100 + int((decimals or "0").ljust(2, "0"))
    return -cents if sign else cents


def parse_whole(text: str) -> int | None:
    value = text.strip()
    if re.fullmatch(r"-?\d+", value):
        return int(value)
    return None


# --- checking -----------------------------------------------------------------------------


def _money(problems: list[Problem], field: str, text: str, maximum: int) -> int | None:
    if not text.strip():
        problems.append(Problem(field, REQUIRED))
        return None
    cents = parse_cents(text)
    if cents is None:
        problems.append(Problem(field, NOT_A_NUMBER))
        return None
    if cents < 0:
        problems.append(Problem(field, NEGATIVE))
        return None
    if cents > maximum:
        problems.append(Problem(field, TOO_MUCH, {"max_cents": maximum}))
        return None
    return cents


def whole_number_problems(rule: IntRule, text: str) -> list[Problem]:
    problems: list[Problem] = []
    _whole(problems, rule, text)
    return problems


def _whole(problems: list[Problem], rule: IntRule, text: str) -> int | None:
    if not text.strip():
        problems.append(Problem(rule.name, REQUIRED))
        return None
    value = parse_whole(text)
    if value is None:
        problems.append(Problem(rule.name, NOT_A_WHOLE_NUMBER))
        return None
    if not rule.low <= value <= rule.high:
        problems.append(Problem(rule.name, OUT_OF_RANGE, {"min": rule.low, "max": rule.high}))
        return None
    return value


@dataclass(frozen=True)
class RateText:
    """One typed row of the activity-money rate list."""

    valid_from: str
    per_day: str


def rate_field(index: int, part: str) -> str:
    """Problem field of a rate row: ``rates.0.valid_from`` / ``rates.0.per_day``."""
    return f"rates.{index}.{part}"


def parse_rates(rows: Sequence[RateText]) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Rate rows as ``[{"valid_from": "YYYY-MM-DD", "cents_per_day": int}]``, oldest first."""
    problems: list[Problem] = []
    parsed: list[tuple[date, int]] = []
    seen: dict[date, int] = {}
    for index, row in enumerate(rows):
        day_field = rate_field(index, "valid_from")
        day: date | None = None
        if not row.valid_from.strip():
            problems.append(Problem(day_field, REQUIRED))
        else:
            day = parse_day(row.valid_from)
            if day is None:
                problems.append(Problem(day_field, BAD_DATE))
            elif not EARLIEST_DAY <= day <= LATEST_DAY:
                problems.append(
                    Problem(day_field, DATE_RANGE, {"min": EARLIEST_DAY, "max": LATEST_DAY})
                )
                day = None
            elif day in seen:
                problems.append(Problem(day_field, DUPLICATE_DATE, {"row": seen[day] + 1}))
                day = None
            else:
                seen[day] = index
        cents = _money(problems, rate_field(index, "per_day"), row.per_day, MAX_RATE_CENTS)
        if day is not None and cents is not None:
            parsed.append((day, cents))
    if not rows:
        problems.append(Problem("rates", NO_RATES))
    value = [
        {"valid_from": day.isoformat(), "cents_per_day": cents} for day, cents in sorted(parsed)
    ]
    return value, problems


def parse_rules_form(
    rates: Sequence[RateText], budgets: Mapping[str, str], ints: Mapping[str, str]
) -> tuple[dict[str, Any], list[Problem]]:
    """The typed rules as ``org_settings`` values (keys and shapes ``load_rules`` reads).

    ``budgets`` maps a role code to typed euros, ``ints`` a rule name to typed
    text. Returns every setting that parsed and every problem found; save
    only when the problem list is empty.
    """
    settings: dict[str, Any] = {}
    rate_value, problems = parse_rates(rates)
    if rate_value and len(rate_value) == len(rates):
        settings["activity_money_rates"] = rate_value
    budget_value: dict[str, int] = {}
    for role in codes.ROLES:
        cents = _money(problems, f"budget.{role}", budgets.get(role, ""), MAX_BUDGET_CENTS)
        if cents is not None:
            budget_value[role] = cents
    if len(budget_value) == len(codes.ROLES):
        settings["budget_cents_by_role"] = budget_value
    for rule in INT_RULES:
        value = _whole(problems, rule, ints.get(rule.name, ""))
        if value is not None:
            settings[rule.name] = value
    return settings, problems + period_length_problems(settings)


def period_length_problems(settings: Mapping[str, Any]) -> list[Problem]:
    """Rules measured within a period may not outlast the longest period.

    A decision block longer than the longest period could never be decided as
    set, and a midpoint self-assessment on or after the month the longest period
    ends would fall after every period. Rules missing from ``settings`` (typed
    wrong, already reported) are not compared.
    """
    longest = settings.get("max_period_months")
    if not isinstance(longest, int):
        return []
    problems: list[Problem] = []
    block = settings.get("decision_block_months")
    if isinstance(block, int) and block > longest:
        problems.append(
            Problem("decision_block_months", BLOCK_LONGER_THAN_PERIOD, {"months": longest})
        )
    midpoint = settings.get("self_assessment_midpoint_months")
    if isinstance(midpoint, int) and midpoint >= longest:
        problems.append(
            Problem("self_assessment_midpoint_months", MIDPOINT_AFTER_END, {"months": longest})
        )
    return problems


def rules_settings(rules: Rules) -> dict[str, Any]:
    """A ``Rules`` as the ``org_settings`` values that ``load_rules`` turns back into it."""
    settings: dict[str, Any] = {
        "activity_money_rates": [
            {"valid_from": r.valid_from.isoformat(), "cents_per_day": r.cents_per_day}
            for r in sorted(rules.activity_money_rates, key=lambda r: r.valid_from)
        ],
        "budget_cents_by_role": {role: rules.budget_for(role) for role in codes.ROLES},
    }
    for rule in INT_RULES:
        settings[rule.name] = int(getattr(rules, rule.name))
    return settings


# --- organisation and methods --------------------------------------------------------------


def text_problems(field: str, text: str, maximum: int) -> list[Problem]:
    """Free text that may be empty but not overly long."""
    if len(text.strip()) > maximum:
        return [Problem(field, TOO_LONG, {"max": maximum})]
    return []


def method_problems(text: str, existing: Iterable[str]) -> list[Problem]:
    """A new pick-list method: named, short, and not already on the list."""
    name = " ".join(text.split())
    if not name:
        return [Problem("method", REQUIRED)]
    if len(name) > METHOD_MAX:
        return [Problem("method", TOO_LONG, {"max": METHOD_MAX})]
    if name.casefold() in {" ".join(e.split()).casefold() for e in existing}:
        return [Problem("method", DUPLICATE_METHOD)]
    return []
