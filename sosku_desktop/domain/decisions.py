"""Decision drafts: what a new §17 rehabilitation decision starts from.

A period is decided in blocks (``periods.decision_block`` / ``next_block``);
the worker should only have to check a continuation, not retype it.

Planned figures follow the block's length (``scaled_count``): a block cut
short by the period's end or the one-year limit gets the figures of a full
block scaled to its days, rounded up, so 6 meetings for three months become
3 for a block of about 1.3 months — not 6.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sosku_desktop.domain import codes, models
from sosku_desktop.domain.periods import (
    ONE_DAY,
    DateRange,
    blocks_for_period,
    decision_block,
    next_block,
    period_end,
    positive_decisions,
)
from sosku_desktop.domain.rules_config import Rules


def continuation_draft(
    period: models.Period,
    decisions: list[models.Decision],
    rules: Rules,
    today: date,
    heard_how: str,
    decision_id: str,
    after: models.Decision | None = None,
) -> models.Decision | None:
    """A §17 decision for the block after ``after`` (default: the latest positive one).

    The first block starts with the period; a continuation inherits the
    reasoning and hearing of the decision it continues, and its planned
    figures scaled to the new block's days (``scaled_count``).
    ``None`` when the period's one-year limit leaves no further block.
    A block that runs past the period's planned end is cut there, as
    ``lifecycle.continuation_block`` cuts it after an evaluation: a draft
    the decision form would refuse ("outside the period") is no draft.
    """
    rehab = positive_decisions(decisions, codes.DECISION_REHABILITATION, period.id)
    previous = after or (rehab[-1] if rehab else None)
    if previous is None:
        full = decision_block(period.start, rules)
        block = _within(period, full, rules)
        per_block = rules.min_meetings_per_month * rules.decision_block_months
        return models.Decision(
            id=decision_id,
            period_id=period.id,
            kind=codes.DECISION_REHABILITATION,
            valid_from=block.start,
            valid_to=block.end,
            heard_how=heard_how,
            planned_meetings=scaled_count(per_block, full, block),
            rate_cents=rules.rate_on(block.start),
            decided_on=today,
        )
    following = next_block(previous.valid_to, rules, period.start)
    if following is None:
        return None
    following = _within(period, following, rules)
    full = decision_block(following.start, rules)
    return models.Decision(
        id=decision_id,
        period_id=period.id,
        kind=codes.DECISION_REHABILITATION,
        valid_from=following.start,
        valid_to=following.end,
        continuation=True,
        outcome=codes.OUTCOME_POSITIVE,
        reasoning=previous.reasoning,
        client_heard=True,
        heard_how=previous.heard_how or heard_how,
        planned_meetings=scaled_count(previous.planned_meetings, full, following),
        planned_group_sessions=scaled_count(previous.planned_group_sessions, full, following),
        rate_cents=previous.rate_cents,
        decided_on=min(today, following.end),
    )


def scaled_count(count: int, full: DateRange, block: DateRange) -> int:
    """``count`` planned for a full block, scaled to a shorter ``block`` and rounded up.

    The rule: a count is per length of time, so a block cut short gets
    ceil(count × block days / full block days). A block of full length
    keeps the count as it is (full blocks differ by a day or two between
    months, which must not turn 6 into 7). Rounded up so that a short block
    keeps at least one of anything planned at all.
    """
    if count <= 0 or block.days >= full.days:
        return max(0, count)
    return -(-count * block.days // full.days)


def _within(period: models.Period, block: DateRange, rules: Rules) -> DateRange:
    """``block`` cut at the period's end; whole if it starts after the end.

    A block wholly after the planned end stays a full block: continuing
    past the planned end means moving that end, and the form says so.
    """
    return block.cut(period_end(period, rules)) or block


#: The decision a period needs next (``next_decision_step``).
STEP_FIRST = "first"
STEP_CONTINUATION = "continuation"


def next_decision_step(
    period: models.Period, decisions: list[models.Decision], rules: Rules
) -> str | None:
    """What the decisions view should offer first.

    ``STEP_FIRST`` while the period has no positive §17 decision (a client
    with no decision needs the first one, not a "continuation");
    ``STEP_CONTINUATION`` when a next block is left after the latest one;
    ``None`` when the one-year limit leaves no further block.
    """
    rehab = positive_decisions(decisions, codes.DECISION_REHABILITATION, period.id)
    if not rehab:
        return STEP_FIRST
    if next_block(rehab[-1].valid_to, rules, period.start) is None:
        return None
    return STEP_CONTINUATION


def decisions_outliving(
    decisions: list[models.Decision], period_id: str, end: date
) -> list[models.Decision]:
    """Positive decisions of the period, of every kind, still valid after ``end``.

    A period ended before its decisions run out leaves them in force in the
    city's client information system — the §17 decision, and as much the
    activity-money and transport-card decisions made for the period: the
    worker must make ending decisions there. Sosku only keeps drafts, so it
    can only say so (``domain.ending_effects``). By end date, §17 first.
    """
    found = [
        d
        for kind in codes.DECISION_KINDS
        for d in positive_decisions(decisions, kind, period_id)
        if d.valid_to > end
    ]
    order = {kind: i for i, kind in enumerate(codes.DECISION_KINDS)}
    return sorted(found, key=lambda d: (d.valid_to, order[d.kind], d.valid_from, d.id))


def outlives_variant(decision: models.Decision) -> str:
    """The text variant saying a decision outlives its period ("" for §17, else its kind).

    An activity-money decision adds that money is paid for the days met up to
    the end only; a transport card names itself.
    """
    return "" if decision.kind == codes.DECISION_REHABILITATION else decision.kind


@dataclass(frozen=True)
class BlockCoverage:
    """How the positive §17 decisions cover one 3-month block of a period."""

    block: DateRange
    #: days of the block no decision covers
    gaps: tuple[DateRange, ...]
    #: days of the block two or more decisions cover
    overlaps: tuple[DateRange, ...]
    #: the last block of an ended period: how far a decision covering its last day
    #: runs past the end (``None`` when none does, or while the period runs)
    past_end: date | None = None

    @property
    def covered(self) -> bool:
        return not self.gaps


def block_coverage(
    period: models.Period, decisions: list[models.Decision], rules: Rules
) -> list[BlockCoverage]:
    """Every block of ``period`` (cut at its end, ``ended_on`` once ended) with the days
    its decisions leave uncovered or cover twice.

    Every day counts, not just the block's first: a decision ending three days
    before its block or starting two weeks into it leaves days without a
    decision, and overlapping decisions are what the decision form warns about.
    An ended period's last block also tells how long a decision covering its end
    day still runs: the city's system needs an ending decision for it.
    """
    rehab = positive_decisions(decisions, codes.DECISION_REHABILITATION, period.id)
    blocks = blocks_for_period(period, rules)
    found = []
    for index, block in enumerate(blocks):
        counts = [sum(d.valid_from <= day <= d.valid_to for d in rehab) for day in block.each_day()]
        past_end = None
        if period.ended_on is not None and index == len(blocks) - 1:
            ends = [d.valid_to for d in rehab if d.valid_from <= block.end < d.valid_to]
            past_end = max(ends, default=None)
        found.append(
            BlockCoverage(
                block=block,
                gaps=_runs(block.start, [n == 0 for n in counts]),
                overlaps=_runs(block.start, [n > 1 for n in counts]),
                past_end=past_end,
            )
        )
    return found


def _runs(start: date, flags: list[bool]) -> tuple[DateRange, ...]:
    """The ranges of consecutive days (from ``start``) whose flag is set."""
    runs: list[DateRange] = []
    first: date | None = None
    day = start
    for flag in [*flags, False]:
        if flag and first is None:
            first = day
        elif not flag and first is not None:
            runs.append(DateRange(first, day - ONE_DAY))
            first = None
        day += ONE_DAY
    return tuple(runs)
