"""Periods, decision blocks (inclusive date ranges), decisions in force and phases."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sosku_desktop.domain import codes
from sosku_desktop.domain.periods import (
    DateRange,
    add_months,
    block_end,
    block_index,
    blocks_between,
    blocks_for_period,
    continuation_of,
    covered_until,
    days_left,
    decision_block,
    decision_in_force,
    evaluation_due_dates,
    is_active,
    is_covered,
    last_of_month,
    max_end,
    month_range,
    months_of,
    next_block,
    next_phase,
    period_end,
    phase_index,
    suggest_phase,
    uncovered_ranges,
)
from sosku_desktop.domain.rules_config import Rules
from tests.domain.builders import d, decision, period

dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))


# --- add_months ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        ("31.1.2024", 1, "29.2.2024"),  # leap year
        ("31.1.2025", 1, "28.2.2025"),
        ("31.1.2024", 3, "30.4.2024"),
        ("30.11.2024", 3, "28.2.2025"),
        ("15.12.2024", 1, "15.1.2025"),  # over the year
        ("31.12.2023", 2, "29.2.2024"),
        ("29.2.2024", 12, "28.2.2025"),
        ("29.2.2024", 48, "29.2.2028"),
        ("31.3.2024", -1, "29.2.2024"),
        ("15.1.2024", -1, "15.12.2023"),
        ("4.1.2024", 0, "4.1.2024"),
        ("31.5.2024", -13, "30.4.2023"),
    ],
)
def test_add_months_clamps_to_the_end_of_the_month(start, months, expected):
    assert add_months(d(start), months) == d(expected)


@given(dates, st.integers(min_value=-60, max_value=60))
def test_add_months_lands_in_the_right_month(day, months):
    result = add_months(day, months)
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months
    assert result.day <= day.day
    assert result.day == day.day or result == last_of_month(result)


# --- block ends -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        ("4.1.2024", "3.4.2024"),  # domain.md: 4.1.–3.4.2024 is one block
        ("1.1.2024", "31.3.2024"),
        ("1.3.2024", "31.5.2024"),
        ("1.12.2024", "28.2.2025"),
        ("31.1.2024", "30.4.2024"),  # 31.4. does not exist → last day of April
        ("30.11.2024", "28.2.2025"),  # 30.2. does not exist → last day of February
        ("30.11.2023", "29.2.2024"),  # leap year
        ("29.11.2023", "28.2.2024"),
        ("29.2.2024", "28.5.2024"),
        ("15.11.2024", "14.2.2025"),  # over the year
    ],
)
def test_three_month_block_end(start, expected):
    assert block_end(d(start), 3) == d(expected)
    assert decision_block(d(start)) == DateRange(d(start), d(expected))


def test_block_is_at_least_one_month():
    with pytest.raises(ValueError):
        block_end(d("4.1.2024"), 0)


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        ("4.1.2024", "3.1.2025"),
        ("1.1.2024", "31.12.2024"),
        ("29.2.2024", "28.2.2025"),
        ("1.3.2024", "28.2.2025"),
        ("1.3.2023", "29.2.2024"),
        ("31.12.2024", "30.12.2025"),
    ],
)
def test_one_year_maximum_is_inclusive(start, expected):
    assert max_end(d(start)) == d(expected)


def test_rules_change_block_and_year_lengths():
    rules = Rules(decision_block_months=6, max_period_months=18)
    assert decision_block(d("4.1.2024"), rules).end == d("3.7.2024")
    assert max_end(d("4.1.2024"), rules) == d("3.7.2025")


@given(dates, st.integers(min_value=1, max_value=24))
def test_block_end_is_after_start_and_before_the_next_months_boundary(start, months):
    end = block_end(start, months)
    assert end >= start
    assert end < add_months(start, months) + timedelta(days=1)
    # never shorter than "add_months - 1 day" and never longer by more than 3 days
    assert 0 <= (end - (add_months(start, months) - timedelta(days=1))).days <= 3


# --- blocks of a period -----------------------------------------------------------


def test_blocks_of_a_one_year_period():
    blocks = blocks_for_period(period("4.1.2024", "3.1.2025"))
    assert blocks == [
        DateRange(d("4.1.2024"), d("3.4.2024")),
        DateRange(d("4.4.2024"), d("3.7.2024")),
        DateRange(d("4.7.2024"), d("3.10.2024")),
        DateRange(d("4.10.2024"), d("3.1.2025")),
    ]
    assert sum(b.days for b in blocks) == 366  # 2024 is a leap year


def test_blocks_are_anchored_to_the_period_start_at_month_ends():
    blocks = blocks_for_period(period("30.11.2024", "29.11.2025"))
    assert blocks == [
        DateRange(d("30.11.2024"), d("28.2.2025")),
        DateRange(d("1.3.2025"), d("29.5.2025")),
        DateRange(d("30.5.2025"), d("29.8.2025")),
        DateRange(d("30.8.2025"), d("29.11.2025")),
    ]


def test_last_block_is_cut_at_the_planned_end():
    blocks = blocks_for_period(period("4.1.2024", "15.5.2024"))
    assert blocks == [
        DateRange(d("4.1.2024"), d("3.4.2024")),
        DateRange(d("4.4.2024"), d("15.5.2024")),
    ]


def test_blocks_are_cut_at_the_one_year_limit():
    blocks = blocks_for_period(period("4.1.2024", "30.6.2025"))
    assert blocks[-1] == DateRange(d("4.10.2024"), d("3.1.2025"))
    assert len(blocks) == 4


def test_blocks_of_an_ended_period_stop_at_the_end_date():
    blocks = blocks_for_period(period("4.1.2024", "3.1.2025", ended_on=d("10.2.2024")))
    assert blocks == [DateRange(d("4.1.2024"), d("10.2.2024"))]


def test_reversed_period_has_no_blocks():
    assert blocks_for_period(period("4.1.2024", "3.1.2024")) == []


def test_single_day_period_has_one_block():
    assert blocks_for_period(period("4.1.2024", "4.1.2024")) == [
        DateRange(d("4.1.2024"), d("4.1.2024"))
    ]


@given(dates, st.integers(min_value=0, max_value=400))
def test_blocks_tile_the_period_without_gaps(start, length):
    end = start + timedelta(days=length)
    blocks = blocks_between(start, end)
    assert blocks[0].start == start
    assert blocks[-1].end == min(end, max_end(start))
    for before, after in itertools.pairwise(blocks):
        assert after.start == before.end + timedelta(days=1)
    for block in blocks:
        # every block is a valid decision: no longer than a block from its own start
        assert block.end <= decision_block(block.start).end
    assert len(blocks) <= 4


# --- next block -------------------------------------------------------------------


def test_next_block_starts_the_day_after():
    assert next_block(d("3.4.2024")) == DateRange(d("4.4.2024"), d("3.7.2024"))
    assert next_block(d("31.12.2024")) == DateRange(d("1.1.2025"), d("31.3.2025"))
    assert next_block(d("28.2.2024")) == DateRange(d("29.2.2024"), d("28.5.2024"))


def test_next_block_follows_the_period_grid_when_given_the_start():
    assert next_block(d("28.2.2025"), period_start=d("30.11.2024")) == DateRange(
        d("1.3.2025"), d("29.5.2025")
    )
    # without the anchor, a plain 3-month block from 1.3.
    assert next_block(d("28.2.2025")) == DateRange(d("1.3.2025"), d("31.5.2025"))


def test_next_block_is_cut_at_the_year_limit():
    # an off-grid continuation that would run past 3.1.2025
    assert next_block(d("3.11.2024"), period_start=d("4.1.2024")) == DateRange(
        d("4.11.2024"), d("3.1.2025")
    )
    assert next_block(d("3.1.2025"), period_start=d("4.1.2024")) is None
    assert next_block(d("2.1.2025"), period_start=d("4.1.2024")) == DateRange(
        d("3.1.2025"), d("3.1.2025")
    )


@pytest.mark.parametrize("start", ["4.1.2024", "30.11.2024", "31.1.2024", "29.2.2024"])
def test_chaining_next_block_reproduces_the_period_blocks(start):
    p = period(start, start)
    p.planned_end = max_end(p.start)
    expected = blocks_for_period(p)
    chained = [decision_block(p.start).cut(max_end(p.start))]
    while True:
        last = chained[-1]
        assert last is not None
        following = next_block(last.end, period_start=p.start)
        if following is None:
            break
        chained.append(following)
    assert chained == expected


def test_block_index():
    assert block_index(d("4.1.2024"), d("4.1.2024")) == 0
    assert block_index(d("4.1.2024"), d("3.4.2024")) == 0
    assert block_index(d("4.1.2024"), d("4.4.2024")) == 1
    assert block_index(d("4.1.2024"), d("3.1.2025")) == 3
    assert block_index(d("4.1.2024"), d("4.1.2025")) is None
    assert block_index(d("4.1.2024"), d("3.1.2024")) is None


# --- date ranges and months ------------------------------------------------------


def test_date_range_basics():
    r = DateRange(d("30.12.2023"), d("2.1.2024"))
    assert r.days == 4
    assert d("31.12.2023") in r
    assert d("3.1.2024") not in r
    assert "2024-01-01" not in r
    assert r.contains(d("2.1.2024"))
    assert list(r.each_day()) == [d("30.12.2023"), d("31.12.2023"), d("1.1.2024"), d("2.1.2024")]
    assert r.overlaps(DateRange(d("2.1.2024"), d("5.1.2024")))
    assert not r.overlaps(DateRange(d("3.1.2024"), d("5.1.2024")))
    assert r.cut(d("31.12.2023")) == DateRange(d("30.12.2023"), d("31.12.2023"))
    assert r.cut(d("29.12.2023")) is None
    with pytest.raises(ValueError):
        DateRange(d("2.1.2024"), d("1.1.2024"))


def test_months_of_and_month_range():
    assert months_of(d("15.11.2023"), d("2.2.2024")) == [
        (2023, 11),
        (2023, 12),
        (2024, 1),
        (2024, 2),
    ]
    assert months_of(d("5.1.2024"), d("6.1.2024")) == [(2024, 1)]
    assert month_range(2024, 2) == DateRange(d("1.2.2024"), d("29.2.2024"))
    assert month_range(2023, 2).days == 28


def test_period_end_prefers_ended_on_and_respects_the_limit():
    assert period_end(period("4.1.2024", "3.1.2025")) == d("3.1.2025")
    assert period_end(period("4.1.2024", "3.1.2025", ended_on=d("1.6.2024"))) == d("1.6.2024")
    assert period_end(period("4.1.2024", "1.5.2025")) == d("3.1.2025")


def test_is_active():
    assert is_active(period())
    assert not is_active(period(deleted=True))
    assert not is_active(period(status=codes.PERIOD_ENDED))
    assert not is_active(period(status=codes.PERIOD_PLANNED))


# --- decisions --------------------------------------------------------------------


def test_decision_in_force_includes_both_end_days():
    first = decision("4.1.2024", "3.4.2024")
    second = decision("4.4.2024", "3.7.2024")
    decisions = [first, second]
    assert decision_in_force(decisions, d("3.1.2024")) is None
    assert decision_in_force(decisions, d("4.1.2024")) is first
    assert decision_in_force(decisions, d("3.4.2024")) is first
    assert decision_in_force(decisions, d("4.4.2024")) is second
    assert decision_in_force(decisions, d("3.7.2024")) is second
    assert decision_in_force(decisions, d("4.7.2024")) is None


def test_deleted_negative_other_kind_and_other_period_decisions_do_not_count():
    decisions = [
        decision("4.1.2024", "3.4.2024", deleted=True),
        decision("4.1.2024", "3.4.2024", outcome=codes.OUTCOME_NEGATIVE),
        decision("4.1.2024", "3.4.2024", kind=codes.DECISION_ACTIVITY_MONEY),
        decision("4.1.2024", "3.4.2024", period_id="p2"),
    ]
    assert decision_in_force(decisions, d("1.2.2024"), period_id="p1") is None
    assert not is_covered(decisions, d("1.2.2024"), period_id="p1")
    assert is_covered(decisions, d("1.2.2024"), period_id="p2")
    money = decision_in_force(decisions, d("1.2.2024"), codes.DECISION_ACTIVITY_MONEY)
    assert money is decisions[2]


def test_overlapping_decisions_the_later_start_wins():
    older = decision("4.1.2024", "3.4.2024")
    newer = decision("1.3.2024", "31.5.2024")
    assert decision_in_force([newer, older], d("15.3.2024")) is newer
    assert decision_in_force([newer, older], d("15.2.2024")) is older


def test_continuation_of():
    first = decision("4.1.2024", "3.4.2024")
    adjacent = decision("4.4.2024", "3.7.2024", continuation=True)
    assert continuation_of(first, [first, adjacent]) is adjacent
    overlapping = decision("1.4.2024", "30.6.2024")
    assert continuation_of(first, [first, overlapping]) is overlapping
    gap = decision("6.4.2024", "5.7.2024")
    assert continuation_of(first, [first, gap]) is None
    assert continuation_of(first, [first, decision("4.4.2024", "3.7.2024", deleted=True)]) is None
    negative = decision("4.4.2024", "3.7.2024", outcome=codes.OUTCOME_NEGATIVE)
    assert continuation_of(first, [first, negative]) is None
    assert continuation_of(first, [first, decision("4.4.2024", "3.7.2024", period_id="p2")]) is None
    assert continuation_of(adjacent, [first, adjacent]) is None


def test_covered_until_follows_the_chain():
    decisions = [
        decision("4.1.2024", "3.4.2024"),
        decision("4.4.2024", "3.7.2024"),
        decision("4.7.2024", "3.10.2024"),
        decision("10.10.2024", "3.1.2025"),  # after a gap
    ]
    assert covered_until(decisions, d("5.1.2024")) == d("3.10.2024")
    assert covered_until(decisions, d("5.10.2024")) is None
    assert covered_until(decisions, d("11.10.2024")) == d("3.1.2025")


def test_uncovered_ranges():
    p = period("4.1.2024", "3.1.2025")
    decisions = [
        decision("10.1.2024", "9.4.2024"),
        decision("10.4.2024", "30.6.2024"),
        decision("15.7.2024", "14.10.2024"),
        decision("1.3.2024", "31.3.2024", deleted=True),
    ]
    assert uncovered_ranges(p, decisions) == [
        DateRange(d("4.1.2024"), d("9.1.2024")),
        DateRange(d("1.7.2024"), d("14.7.2024")),
        DateRange(d("15.10.2024"), d("3.1.2025")),
    ]
    assert uncovered_ranges(p, decisions, until=d("5.7.2024")) == [
        DateRange(d("4.1.2024"), d("9.1.2024")),
        DateRange(d("1.7.2024"), d("5.7.2024")),
    ]
    assert uncovered_ranges(p, decisions, until=d("1.1.2024")) == []
    assert uncovered_ranges(p, [decision("1.1.2024", "3.1.2025")]) == []


def test_days_left():
    assert days_left(d("3.4.2024"), d("3.4.2024")) == 0
    assert days_left(d("3.4.2024"), d("1.4.2024")) == 2
    assert days_left(d("3.4.2024"), d("5.4.2024")) == -2
    assert days_left(d("1.3.2024"), d("28.2.2024")) == 2  # leap day in between


# --- phases -------------------------------------------------------------------------


def test_phase_order():
    assert phase_index(codes.PHASE_BEFORE_START) == 0
    assert phase_index(codes.PHASE_ENDING) == len(codes.PHASES) - 1
    assert next_phase(codes.PHASE_START) == codes.PHASE_INTENSIVE
    assert next_phase(codes.PHASE_ENDING) is None
    with pytest.raises(ValueError):
        phase_index("nonsense")


def test_evaluation_due_dates():
    assert evaluation_due_dates(period("4.1.2024", "3.1.2025")) == [
        d("3.4.2024"),
        d("3.7.2024"),
        d("3.10.2024"),
    ]
    assert evaluation_due_dates(period("4.1.2024", "3.7.2024")) == [d("3.4.2024")]
    assert evaluation_due_dates(period("4.1.2024", "3.3.2024")) == []
    assert evaluation_due_dates(period("30.11.2024", "29.11.2025"))[0] == d("28.2.2025")


@pytest.mark.parametrize(
    ("today", "expected", "extra"),
    [
        ("1.1.2024", codes.PHASE_BEFORE_START, {}),
        ("10.1.2024", codes.PHASE_START, {}),
        ("10.2.2024", codes.PHASE_INTENSIVE, {}),
        ("25.3.2024", codes.PHASE_EVALUATION, {}),
        ("8.4.2024", codes.PHASE_EVALUATION, {}),
        ("15.4.2024", codes.PHASE_INTENSIVE, {}),
        ("15.5.2024", codes.PHASE_GROUP, {"in_group": True}),
        ("10.12.2024", codes.PHASE_ENDING, {}),
    ],
)
def test_suggest_phase(today, expected, extra):
    p = period("4.1.2024", "3.1.2025")
    decisions = [decision("4.1.2024", "3.4.2024")]
    assert suggest_phase(p, decisions, d(today), **extra) == expected


def test_suggest_phase_without_decision_or_after_ending():
    p = period("4.1.2024", "3.1.2025")
    assert suggest_phase(p, [], d("10.2.2024")) == codes.PHASE_BEFORE_START
    ended = period("4.1.2024", "3.1.2025", status=codes.PERIOD_ENDED, ended_on=d("1.3.2024"))
    assert suggest_phase(ended, [], d("10.3.2024")) == codes.PHASE_ENDING
