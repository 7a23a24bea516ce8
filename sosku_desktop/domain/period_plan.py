"""Plan the whole period in one step: its key dates as planned entries.

The guides' advice is to put the whole period in the calendar at the
start: the ends of the 3-month decisions, the interim evaluations every 3
months, the self-assessments (start, about 6 months, end), preparing the
ending and the end itself. ``key_dates`` computes them from the period, its
decisions and the organisation's rules; ``replan`` compares them with the
entries already stored, so when a decision or the end date moves the
entries not yet done move with it, and done ones stay as they were.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from sosku_desktop.domain import codes
from sosku_desktop.domain.models import Decision, Evaluation, Period, PlannedEntry
from sosku_desktop.domain.periods import (
    add_months,
    blocks_between,
    evaluation_due_dates,
    period_end,
    positive_decisions,
)
from sosku_desktop.domain.rules_config import DEFAULT_RULES, Rules


@dataclass(frozen=True, order=True)
class KeyDate:
    """One planned date: what (``codes.PLAN_*``), which one of its kind, and when."""

    on: date
    kind: str
    seq: int = 0


def _decision_ends(period: Period, decisions: Iterable[Decision], end: date) -> list[date]:
    """Ends of the §17 decisions before the period's end (the blocks' ends if none yet)."""
    rehab = positive_decisions(decisions, codes.DECISION_REHABILITATION, period.id)
    ends = sorted({d.valid_to for d in rehab if d.valid_to < end})
    if rehab:
        return ends
    return [b.end for b in blocks_between(period.start, end) if b.end < end]


def key_dates(
    period: Period, decisions: Iterable[Decision] = (), rules: Rules = DEFAULT_RULES
) -> list[KeyDate]:
    """The period's key dates in date order (see the module docstring)."""
    end = period_end(period, rules)
    dates: list[KeyDate] = [KeyDate(period.start, codes.PLAN_SELF_ASSESSMENT_START)]
    for i, day in enumerate(_decision_ends(period, decisions, end), start=1):
        dates.append(KeyDate(day, codes.PLAN_DECISION_END, i))
    for i, day in enumerate(evaluation_due_dates(period, rules), start=1):
        dates.append(KeyDate(day, codes.PLAN_EVALUATION, i))
    window = timedelta(days=rules.self_assessment_window_days)
    mid = add_months(period.start, rules.self_assessment_midpoint_months)
    if period.start + window < mid - window and mid + window < end - window:
        dates.append(KeyDate(mid, codes.PLAN_SELF_ASSESSMENT_MID))
    preparing = end - timedelta(days=rules.ending_preparation_days)
    if preparing > period.start:
        dates.append(KeyDate(preparing, codes.PLAN_PREPARE_ENDING))
    dates.append(KeyDate(end, codes.PLAN_SELF_ASSESSMENT_END))
    dates.append(KeyDate(end, codes.PLAN_PERIOD_END))
    order = {kind: i for i, kind in enumerate(codes.PLAN_KINDS)}
    return sorted(dates, key=lambda k: (k.on, order[k.kind], k.seq))


@dataclass(frozen=True)
class Replan:
    """What to write so the stored entries match the key dates."""

    add: tuple[KeyDate, ...] = ()
    move: tuple[PlannedEntry, ...] = ()
    remove: tuple[PlannedEntry, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.add or self.move or self.remove)


def replan(existing: Sequence[PlannedEntry], wanted: Sequence[KeyDate]) -> Replan:
    """Match stored entries to key dates by (kind, seq).

    Not-done entries whose date differs are moved; key dates without an
    entry are added; not-done entries no key date wants any more (the period
    got shorter) are removed. Done entries are history and never touched.
    """
    live = [e for e in existing if not e.deleted]
    by_key = {(e.kind, e.seq): e for e in sorted(live, key=lambda e: e.id)}
    wanted_keys = {(k.kind, k.seq) for k in wanted}
    add: list[KeyDate] = []
    move: list[PlannedEntry] = []
    for key_date in wanted:
        entry = by_key.get((key_date.kind, key_date.seq))
        if entry is None:
            add.append(key_date)
        elif entry.done_on is None and entry.on != key_date.on:
            move.append(replace(entry, on=key_date.on))
    remove = [e for e in live if e.done_on is None and (e.kind, e.seq) not in wanted_keys]
    return Replan(tuple(add), tuple(move), tuple(remove))


def mark_evaluation_done(
    entries: Sequence[PlannedEntry], evaluation: Evaluation
) -> PlannedEntry | None:
    """The planned evaluation an evaluation record fulfils, marked done (None if none)."""
    candidates = [
        e
        for e in entries
        if not e.deleted
        and e.kind == codes.PLAN_EVALUATION
        and e.done_on is None
        and evaluation.block_start <= e.on <= evaluation.block_end + timedelta(days=31)
    ]
    if not candidates:
        return None
    nearest = min(candidates, key=lambda e: (abs((e.on - evaluation.block_end).days), e.seq))
    return replace(nearest, done_on=evaluation.on)


def upcoming(entries: Iterable[PlannedEntry], today: date, days: int = 14) -> list[PlannedEntry]:
    """Not-done entries due within ``days`` from ``today`` (or already late), by date."""
    limit = today + timedelta(days=days)
    found = [e for e in entries if not e.deleted and e.done_on is None and e.on <= limit]
    return sorted(found, key=lambda e: (e.on, e.kind, e.seq))
