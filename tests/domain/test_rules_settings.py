"""The rules settings form: typed text to org_settings values, or problems per field."""

from __future__ import annotations

from datetime import date

import pytest

from sosku_desktop.domain import codes, rules_settings
from sosku_desktop.domain.rules_config import DEFAULT_RULES
from sosku_desktop.domain.rules_settings import RateText

BUDGETS = {codes.ROLE_SOCIAL_INSTRUCTOR: "300,00", codes.ROLE_SOCIAL_WORKER: "150", "other": "0"}


def _ints(**overrides: str) -> dict[str, str]:
    values = {
        rule.name: str(getattr(DEFAULT_RULES, rule.name)) for rule in rules_settings.INT_RULES
    }
    values.update(overrides)
    return values


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("4.1.2026", date(2026, 1, 4)),
        (" 04.01.2026 ", date(2026, 1, 4)),
        ("2026-01-04", date(2026, 1, 4)),
        ("31.2.2026", None),
        ("4.1.26", None),
        ("tomorrow", None),
        ("", None),
    ],
)
def test_parse_day(text: str, expected: date | None) -> None:
    assert rules_settings.parse_day(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9", 900),
        ("9,00", 900),
        ("9.5", 950),
        ("9,05 €", 905),
        ("1 234,50", 123450),
        ("-9,00", -900),
        ("9,005", None),
        ("nine", None),
        ("", None),
    ],
)
def test_parse_cents(text: str, expected: int | None) -> None:
    assert rules_settings.parse_cents(text) == expected


def test_a_valid_form_gives_the_shapes_load_rules_reads() -> None:
    settings, problems = rules_settings.parse_rules_form(
        [RateText("1.1.2027", "10,50"), RateText("1.1.2000", "9,00")],
        BUDGETS,
        _ints(consecutive_absences="3"),
    )
    assert problems == []
    assert settings["activity_money_rates"] == [
        {"valid_from": "2000-01-01", "cents_per_day": 900},
        {"valid_from": "2027-01-01", "cents_per_day": 1050},
    ]
    assert settings["budget_cents_by_role"] == {
        codes.ROLE_SOCIAL_INSTRUCTOR: 30000,
        codes.ROLE_SOCIAL_WORKER: 15000,
        codes.ROLE_OTHER: 0,
    }
    assert settings["consecutive_absences"] == 3
    assert set(settings) == {
        "activity_money_rates",
        "budget_cents_by_role",
        *(rule.name for rule in rules_settings.INT_RULES),
    }


def test_every_problem_names_its_field() -> None:
    _settings, problems = rules_settings.parse_rules_form(
        [
            RateText("1.1.2000", "-9,00"),
            RateText("32.1.2026", "9"),
            RateText("1.1.2000", "abc"),
            RateText("", "500,00"),
        ],
        {**BUDGETS, codes.ROLE_SOCIAL_WORKER: "-1"},
        _ints(max_period_months="0", decision_ending_days="two", min_meetings_per_month=""),
    )
    found = {(p.field, p.message_key) for p in problems}
    assert found == {
        ("rates.0.per_day", rules_settings.NEGATIVE),
        ("rates.1.valid_from", rules_settings.BAD_DATE),
        ("rates.2.valid_from", rules_settings.DUPLICATE_DATE),
        ("rates.2.per_day", rules_settings.NOT_A_NUMBER),
        ("rates.3.valid_from", rules_settings.REQUIRED),
        ("rates.3.per_day", rules_settings.TOO_MUCH),
        ("budget.social_worker", rules_settings.NEGATIVE),
        ("max_period_months", rules_settings.OUT_OF_RANGE),
        ("decision_ending_days", rules_settings.NOT_A_WHOLE_NUMBER),
        ("min_meetings_per_month", rules_settings.REQUIRED),
    }


def test_no_rates_is_a_problem_and_partial_rates_are_not_returned() -> None:
    settings, problems = rules_settings.parse_rules_form([], BUDGETS, _ints())
    assert [(p.field, p.message_key) for p in problems] == [("rates", rules_settings.NO_RATES)]
    assert "activity_money_rates" not in settings
    settings, _ = rules_settings.parse_rules_form(
        [RateText("1.1.2000", "9"), RateText("x", "9")], BUDGETS, _ints()
    )
    assert "activity_money_rates" not in settings


def test_rules_settings_writes_the_defaults_in_form_shape() -> None:
    settings = rules_settings.rules_settings(DEFAULT_RULES)
    assert settings["activity_money_rates"] == [{"valid_from": "2000-01-01", "cents_per_day": 900}]
    assert settings["budget_cents_by_role"][codes.ROLE_SOCIAL_INSTRUCTOR] == 30000
    assert settings["consecutive_absences"] == 2


def test_methods_must_be_new_named_and_short() -> None:
    existing = ["Elämänjana", "Oma  kävely"]
    assert rules_settings.method_problems("Kuvakortit", existing) == []
    assert [p.message_key for p in rules_settings.method_problems("  ", existing)] == [
        rules_settings.REQUIRED
    ]
    assert [p.message_key for p in rules_settings.method_problems("oma kävely", existing)] == [
        rules_settings.DUPLICATE_METHOD
    ]
    assert [p.message_key for p in rules_settings.method_problems("x" * 101, existing)] == [
        rules_settings.TOO_LONG
    ]


def test_a_decision_block_or_midpoint_that_outlasts_the_longest_period_is_refused() -> None:
    """QA walk: the form saved a 15-month decision block beside a 12-month maximum
    period, and a midpoint self-assessment at 14 months, after every period had ended."""
    settings, problems = rules_settings.parse_rules_form(
        [RateText("1.1.2000", "9")],
        BUDGETS,
        _ints(
            max_period_months="12",
            decision_block_months="12",
            self_assessment_midpoint_months="11",
        ),
    )
    assert problems == [] and settings["decision_block_months"] == 12
    _settings, problems = rules_settings.parse_rules_form(
        [RateText("1.1.2000", "9")],
        BUDGETS,
        _ints(
            max_period_months="6",
            decision_block_months="7",
            self_assessment_midpoint_months="6",
        ),
    )
    assert [(p.field, p.message_key, p.params) for p in problems] == [
        ("decision_block_months", rules_settings.BLOCK_LONGER_THAN_PERIOD, {"months": 6}),
        ("self_assessment_midpoint_months", rules_settings.MIDPOINT_AFTER_END, {"months": 6}),
    ]
