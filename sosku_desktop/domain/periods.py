"""Rehabilitation periods and their decision blocks as inclusive date ranges.

Month arithmetic
----------------
``add_months`` moves a date by whole calendar months and *clamps* a day that
does not exist in the target month to that month's last day (31.1.2024 + 1
month → 29.2.2024; 31.1.2025 + 1 month → 28.2.2025). Use it for "the same
day N months later", e.g. a self-assessment checkpoint.

Block ends
----------
A block of N months starting on day *d* runs up to the day before the same
day-of-month N months later: 4.1.2024 + 3 months → 4.1.–3.4.2024, and the
1-year maximum of a period starting 4.1.2024 is 3.1.2025. When that
day-of-month does not exist in the target month, the block ends on the last
day of the target month (as Finnish deadline counting does): 31.1.2024 →
31.1.–30.4.2024, 30.11.2024 → 30.11.2024–28.2.2025 and 29.2.2024 + 12 months
→ 28.2.2025. We deliberately do *not* use "``add_months(start, N)`` minus one
day": with clamping that loses a day (31.1. would end on 29.4. and the next
block would start on 30.4.), whereas this rule makes consecutive blocks
starting on the 1st tile whole months and never leaves a day out.

Blocks of a period are *anchored* to the period's start: block *k* ends on
``block_end(period.start, (k + 1) * N)`` and starts the day after block
*k − 1*. The four 3-month blocks of a 1-year period therefore end exactly on
its 1-year maximum (30.11.2024 → 28.2., 29.5., 29.8. and 29.11.2025), and a
block is cut at the 1-year limit and at the planned end.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from sosku_desktop.domain import codes
from sosku_desktop.domain.models import Decision, Period
from sosku_desktop.domain.rules_config import DEFAULT_RULES, Rules

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True, order=True)
class DateRange:
    """An inclusive range of days, ``start`` ≤ ``end``."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("a date range must not end before it starts")

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    @property
    def days(self) -> int:
        """Number of days in the range, both ends included."""
        return (self.end - self.start).days + 1

    def overlaps(self, other: DateRange) -> bool:
        return self.start <= other.end and other.start <= self.end

    def cut(self, end: date) -> DateRange | None:
        """This range ending no later than ``end``; ``None`` if nothing is left."""
        if end < self.start:
            return None
        return DateRange(self.start, min(self.end, end))

    def each_day(self) -> Iterator[date]:
        day = self.start
        while day <= self.end:
            yield day
            day += ONE_DAY


# --- month arithmetic -------------------------------------------------------


def days_in_month(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def last_of_month(day: date) -> date:
    return day.replace(day=days_in_month(day.year, day.month))


def month_range(year: int, month: int) -> DateRange:
    """The whole calendar month as an inclusive range."""
    return DateRange(date(year, month, 1), date(year, month, days_in_month(year, month)))


def _shift_month(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` calendar months (may be negative).

    A day-of-month that the target month lacks is clamped to its last day:
    31.1.2024 + 1 → 29.2.2024, 31.1.2025 + 1 → 28.2.2025, 31.3. − 1 → 28/29.2.
    """
    year, month = _shift_month(day.year, day.month, months)
    return date(year, month, min(day.day, days_in_month(year, month)))


def months_of(start: date, end: date) -> list[tuple[int, int]]:
    """Calendar months (year, month) touched by the inclusive range, in order."""
    result: list[tuple[int, int]] = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        result.append((year, month))
        year, month = _shift_month(year, month, 1)
    return result


# --- blocks -----------------------------------------------------------------


def block_end(start: date, months: int) -> date:
    """Last day of a block of ``months`` months starting on ``start`` (inclusive).

    The day before the same day-of-month ``months`` later; if that month has
    no such day, its last day (see the module docstring).
    """
    if months < 1:
        raise ValueError("a block is at least one month long")
    year, month = _shift_month(start.year, start.month, months)
    if start.day > days_in_month(year, month):
        return date(year, month, days_in_month(year, month))
    return date(year, month, start.day) - ONE_DAY


def decision_block(start: date, rules: Rules = DEFAULT_RULES) -> DateRange:
    """A full decision block (3 months by default) starting on ``start``."""
    return DateRange(start, block_end(start, rules.decision_block_months))


def max_end(start: date, rules: Rules = DEFAULT_RULES) -> date:
    """Last day a period starting on ``start`` may last (4.1.2024 → 3.1.2025)."""
    return block_end(start, rules.max_period_months)


def period_end(period: Period, rules: Rules = DEFAULT_RULES) -> date:
    """The day a period ends (or ended): its end date, never past the 1-year limit.

    ``ended_on`` when the period has ended, otherwise ``planned_end``.
    """
    end = period.ended_on if period.ended_on is not None else period.planned_end
    return min(end, max_end(period.start, rules))


def seen_on(period: Period, today: date, rules: Rules = DEFAULT_RULES) -> date:
    """The day a period's figures are told as of: ``today`` while it runs, its last day
    once it has ended (an ended period has no "this month" or "in force today")."""
    if period.status == codes.PERIOD_ENDED:
        return min(today, period_end(period, rules))
    return today


def period_range(period: Period, rules: Rules = DEFAULT_RULES) -> DateRange | None:
    """The period's days as a range; ``None`` if its dates are inconsistent."""
    end = period_end(period, rules)
    if end < period.start:
        return None
    return DateRange(period.start, end)


def blocks_between(start: date, end: date, rules: Rules = DEFAULT_RULES) -> list[DateRange]:
    """Decision blocks anchored to ``start`` that cover ``start``..``end``.

    The last block is cut at ``end`` and at the 1-year limit of ``start``.
    """
    limit = min(end, max_end(start, rules))
    blocks: list[DateRange] = []
    block_start = start
    k = 1
    while block_start <= limit:
        full_end = block_end(start, k * rules.decision_block_months)
        blocks.append(DateRange(block_start, min(full_end, limit)))
        block_start = full_end + ONE_DAY
        k += 1
    return blocks


def blocks_for_period(period: Period, rules: Rules = DEFAULT_RULES) -> list[DateRange]:
    """All decision blocks of a period from its start to its planned end.

    Anchored to the period's start; the last block is cut at the planned end
    (or ``ended_on``) and at the 1-year limit. Empty if the dates are reversed.
    """
    return blocks_between(period.start, period_end(period, rules), rules)


def next_block(
    previous_end: date,
    rules: Rules = DEFAULT_RULES,
    period_start: date | None = None,
) -> DateRange | None:
    """The block of a continuation decision: it starts the day after ``previous_end``.

    Without ``period_start`` the block is a full block from that day. With
    ``period_start``, a continuation that starts on one of the period's own
    block boundaries follows the anchored grid (so it equals the matching
    item of ``blocks_for_period``), and the block is cut at the period's
    1-year limit; ``None`` when the limit has already been reached.
    """
    start = previous_end + ONE_DAY
    if period_start is None:
        return decision_block(start, rules)
    limit = max_end(period_start, rules)
    if start > limit:
        return None
    for block in blocks_between(period_start, limit, rules):
        if block.start == start:
            return block
    return DateRange(start, min(block_end(start, rules.decision_block_months), limit))


def block_index(period_start: date, day: date, rules: Rules = DEFAULT_RULES) -> int | None:
    """0-based index of the anchored block that holds ``day``; ``None`` outside the year."""
    for index, block in enumerate(
        blocks_between(period_start, max_end(period_start, rules), rules)
    ):
        if block.contains(day):
            return index
    return None


# --- decisions --------------------------------------------------------------


def _usable(decision: Decision, kind: str, period_id: str | None) -> bool:
    return (
        not decision.deleted
        and decision.kind == kind
        and decision.outcome == codes.OUTCOME_POSITIVE
        and (period_id is None or decision.period_id == period_id)
        and decision.valid_from <= decision.valid_to
    )


def positive_decisions(
    decisions: Iterable[Decision],
    kind: str = codes.DECISION_REHABILITATION,
    period_id: str | None = None,
) -> list[Decision]:
    """Non-deleted positive decisions of ``kind``, by start date (then id)."""
    found = [d for d in decisions if _usable(d, kind, period_id)]
    return sorted(found, key=lambda d: (d.valid_from, d.valid_to, d.id))


def decision_in_force(
    decisions: Iterable[Decision],
    day: date,
    kind: str = codes.DECISION_REHABILITATION,
    period_id: str | None = None,
) -> Decision | None:
    """The positive decision of ``kind`` valid on ``day``.

    Deleted and negative decisions never count. If several overlap (which
    validation warns about), the one that started last wins; a tie goes to
    the one decided last, then to the larger id.
    """
    in_force = [
        d for d in decisions if _usable(d, kind, period_id) and d.valid_from <= day <= d.valid_to
    ]
    if not in_force:
        return None
    return max(in_force, key=lambda d: (d.valid_from, d.decided_on or date.min, d.id))


def is_covered(
    decisions: Iterable[Decision],
    day: date,
    period_id: str | None = None,
) -> bool:
    """Whether a positive rehabilitation decision covers ``day``."""
    return decision_in_force(decisions, day, codes.DECISION_REHABILITATION, period_id) is not None


def continuation_of(decision: Decision, decisions: Iterable[Decision]) -> Decision | None:
    """A later positive decision of the same kind and period that continues ``decision``.

    It must start after ``decision`` starts, no later than the day after it
    ends, and end after it ends (so there is no gap between the two).
    """
    candidates = [
        d
        for d in decisions
        if d.id != decision.id
        and _usable(d, decision.kind, decision.period_id)
        and decision.valid_from < d.valid_from <= decision.valid_to + ONE_DAY
        and d.valid_to > decision.valid_to
    ]
    if not candidates:
        return None
    return min(candidates, key=lambda d: (d.valid_from, d.id))


def covered_until(
    decisions: Iterable[Decision],
    day: date,
    period_id: str | None = None,
) -> date | None:
    """Last day of the unbroken chain of rehabilitation decisions covering ``day``."""
    usable = positive_decisions(decisions, codes.DECISION_REHABILITATION, period_id)
    current = decision_in_force(usable, day)
    if current is None:
        return None
    end = current.valid_to
    extended = True
    while extended:
        extended = False
        for d in usable:
            if d.valid_from <= end + ONE_DAY and d.valid_to > end:
                end = d.valid_to
                extended = True
    return end


def uncovered_ranges(
    period: Period,
    decisions: Iterable[Decision],
    until: date | None = None,
    rules: Rules = DEFAULT_RULES,
) -> list[DateRange]:
    """Days of the period (up to ``until``) with no positive rehabilitation decision."""
    whole = period_range(period, rules)
    if whole is None:
        return []
    if until is not None:
        cut = whole.cut(until)
        if cut is None:
            return []
        whole = cut
    usable = positive_decisions(decisions, codes.DECISION_REHABILITATION, period.id)
    gaps: list[DateRange] = []
    cursor = whole.start
    for d in usable:
        if d.valid_to < cursor:
            continue
        if d.valid_from > whole.end:
            break
        if d.valid_from > cursor:
            gaps.append(DateRange(cursor, d.valid_from - ONE_DAY))
        cursor = max(cursor, d.valid_to + ONE_DAY)
        if cursor > whole.end:
            break
    if cursor <= whole.end:
        gaps.append(DateRange(cursor, whole.end))
    return gaps


def days_left(end: date, today: date) -> int:
    """Days from ``today`` to ``end``: 0 when it ends today, negative once past."""
    return (end - today).days


def is_active(period: Period) -> bool:
    """A period reminders and figures count: status active and not deleted."""
    return not period.deleted and period.status == codes.PERIOD_ACTIVE


# --- phases -----------------------------------------------------------------

PHASE_ORDER: tuple[str, ...] = codes.PHASES


def phase_index(phase: str) -> int:
    """Position of ``phase`` in the process (0 = before start); ValueError if unknown."""
    return PHASE_ORDER.index(phase)


def next_phase(phase: str) -> str | None:
    """The phase after ``phase``, ``None`` after the last one."""
    index = phase_index(phase)
    return PHASE_ORDER[index + 1] if index + 1 < len(PHASE_ORDER) else None


def evaluation_due_dates(period: Period, rules: Rules = DEFAULT_RULES) -> list[date]:
    """Interim evaluation due dates: the last day of every evaluation interval.

    Every ``rules.evaluation_interval_months`` from the start (4.1.2024 →
    3.4., 3.7., 3.10.2024), before the period's end, which is the final
    evaluation instead.
    """
    end = period_end(period, rules)
    result: list[date] = []
    k = 1
    while True:
        due = block_end(period.start, k * rules.evaluation_interval_months)
        if due >= end:
            return result
        result.append(due)
        k += 1


def suggest_phase(
    period: Period,
    decisions: Iterable[Decision],
    today: date,
    rules: Rules = DEFAULT_RULES,
    in_group: bool = False,
    ending_days: int = 30,
) -> str:
    """A phase suggestion from the dates; the worker's own choice always wins.

    - ended (status or ``ended_on``) or within ``ending_days`` of the end → ending
    - before the start, or no positive rehabilitation decision yet → before start
    - within ``rules.evaluation_warning_days`` before an interim evaluation
      due date (or up to 7 days after it) → evaluation
    - during the first month → start
    - after the first block and ``in_group`` → group
    - otherwise → intensive
    """
    if period.status == codes.PERIOD_ENDED or (
        period.ended_on is not None and period.ended_on <= today
    ):
        return codes.PHASE_ENDING
    rehab = positive_decisions(decisions, codes.DECISION_REHABILITATION, period.id)
    if today < period.start or not rehab:
        return codes.PHASE_BEFORE_START
    if days_left(period_end(period, rules), today) <= ending_days:
        return codes.PHASE_ENDING
    for due in evaluation_due_dates(period, rules):
        if -7 <= days_left(due, today) <= rules.evaluation_warning_days:
            return codes.PHASE_EVALUATION
    if today < add_months(period.start, 1):
        return codes.PHASE_START
    first_block = decision_block(period.start, rules)
    if in_group and today > first_block.end:
        return codes.PHASE_GROUP
    return codes.PHASE_INTENSIVE
