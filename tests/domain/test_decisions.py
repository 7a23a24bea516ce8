"""Decision drafts: the first block starts with the period; a continuation inherits."""

from __future__ import annotations

import dataclasses

from sosku_desktop.domain import codes
from sosku_desktop.domain.decisions import continuation_draft
from sosku_desktop.domain.rules_config import DEFAULT_RULES
from tests.domain.builders import d, period


def test_the_first_draft_covers_the_first_block() -> None:
    p = period(start="4.1.2026", planned_end="3.1.2027")
    draft = continuation_draft(p, [], DEFAULT_RULES, d("4.1.2026"), "puhelimessa", "x1")
    assert draft is not None
    assert (draft.id, draft.valid_from, draft.valid_to) == ("x1", d("4.1.2026"), d("3.4.2026"))
    assert draft.kind == codes.DECISION_REHABILITATION and not draft.continuation
    assert draft.planned_meetings == DEFAULT_RULES.min_meetings_per_month * 3


def test_a_continuation_inherits_and_none_past_the_one_year_limit() -> None:
    p = period(start="4.1.2026", planned_end="3.1.2027")
    first = continuation_draft(p, [], DEFAULT_RULES, d("4.1.2026"), "kotikäynnillä", "x1")
    assert first is not None
    first.reasoning = "Tavoitteet etenevät."
    second = continuation_draft(p, [first], DEFAULT_RULES, d("1.4.2026"), "", "x2")
    assert second is not None and second.continuation
    assert second.valid_from == d("4.4.2026")
    assert (second.reasoning, second.heard_how) == ("Tavoitteet etenevät.", "kotikäynnillä")
    decisions = [first, second]
    while nxt := continuation_draft(p, decisions, DEFAULT_RULES, d("1.4.2026"), "", "n"):
        decisions.append(nxt)
    assert decisions[-1].valid_to <= d("3.1.2027") and len(decisions) == 4


def test_the_next_step_is_the_first_decision_then_continuations_then_none() -> None:
    """Issue 12: a client with no decision was offered "draft continuation decision"."""
    from sosku_desktop.domain.decisions import (
        STEP_CONTINUATION,
        STEP_FIRST,
        next_decision_step,
    )

    p = period(start="4.1.2026", planned_end="3.1.2027")
    assert next_decision_step(p, [], DEFAULT_RULES) == STEP_FIRST
    first = continuation_draft(p, [], DEFAULT_RULES, d("4.1.2026"), "", "x1")
    assert first is not None
    refused = dataclasses.replace(first, id="x0", outcome=codes.OUTCOME_NEGATIVE)
    assert next_decision_step(p, [refused], DEFAULT_RULES) == STEP_FIRST
    decisions = [first]
    assert next_decision_step(p, decisions, DEFAULT_RULES) == STEP_CONTINUATION
    while nxt := continuation_draft(p, decisions, DEFAULT_RULES, d("1.4.2026"), "", "n"):
        decisions.append(nxt)
    assert next_decision_step(p, decisions, DEFAULT_RULES) is None


def test_a_continuation_is_cut_at_the_periods_planned_end() -> None:
    """QA walk: a period planned to 1.1.2027 was offered 22.11.2026–21.2.2027,
    which the decision form then refused as "outside the period"."""
    from sosku_desktop.domain.validation import decision_problems

    p = period(start="22.8.2026", planned_end="1.1.2027")
    first = continuation_draft(p, [], DEFAULT_RULES, d("22.8.2026"), "tavattu", "x1")
    assert first is not None and (first.valid_from, first.valid_to) == (
        d("22.8.2026"),
        d("21.11.2026"),
    )
    second = continuation_draft(p, [first], DEFAULT_RULES, d("20.11.2026"), "", "x2")
    assert second is not None
    assert (second.valid_from, second.valid_to) == (d("22.11.2026"), d("1.1.2027"))
    assert decision_problems(second, p, [first]) == []
    short = period(start="22.8.2026", planned_end="30.9.2026")
    only = continuation_draft(short, [], DEFAULT_RULES, d("22.8.2026"), "tavattu", "x3")
    assert only is not None and only.valid_to == d("30.9.2026")


def test_a_block_cut_short_gets_its_planned_counts_scaled_to_its_days() -> None:
    """QA walk: a continuation of about 1.3 months kept the previous block's 6 meetings."""
    p = period(start="22.8.2026", planned_end="1.1.2027")
    first = continuation_draft(p, [], DEFAULT_RULES, d("22.8.2026"), "tavattu", "x1")
    assert first is not None and first.planned_meetings == 6  # a full block
    first.planned_group_sessions = 12
    second = continuation_draft(p, [first], DEFAULT_RULES, d("20.11.2026"), "", "x2")
    assert second is not None
    # 22.11.2026–1.1.2027 is 41 of the full block's 92 days: ceil(6 × 41 / 92) = 3
    assert (second.planned_meetings, second.planned_group_sessions) == (3, 6)
    short = period(start="22.8.2026", planned_end="30.9.2026")
    only = continuation_draft(short, [], DEFAULT_RULES, d("22.8.2026"), "tavattu", "x3")
    assert only is not None and only.planned_meetings == 3  # 40 of 92 days
    long = period(start="4.1.2026", planned_end="3.1.2027")
    opening = continuation_draft(long, [], DEFAULT_RULES, d("4.1.2026"), "", "x4")
    assert opening is not None
    full = continuation_draft(long, [opening], DEFAULT_RULES, d("1.4.2026"), "", "x5")
    assert full is not None and full.planned_meetings == 6  # full blocks keep the count


# --- coverage of the period's blocks ----------------------------------------------------


def _coverage(p, decisions):  # type: ignore[no-untyped-def]
    from sosku_desktop.domain.decisions import block_coverage

    return [
        (
            (c.block.start, c.block.end),
            [(g.start, g.end) for g in c.gaps],
            [(o.start, o.end) for o in c.overlaps],
            c.past_end,
        )
        for c in block_coverage(p, decisions, DEFAULT_RULES)
    ]


def test_a_block_with_a_gap_after_its_first_day_is_not_told_covered() -> None:
    """The tab asked only "is a decision in force on the block's first day": a §17
    decision ending three days early was "decided", one starting two weeks late
    was "no decision"."""
    from tests.domain.builders import decision

    ended = period("4.1.2024", "3.1.2025", status=codes.PERIOD_ENDED, ended_on=d("15.5.2024"))
    found = _coverage(
        ended, [decision("4.1.2024", "31.3.2024"), decision("20.4.2024", "19.7.2024")]
    )
    assert found == [
        ((d("4.1.2024"), d("3.4.2024")), [(d("1.4.2024"), d("3.4.2024"))], [], None),
        # the second decision outlives the early ending: told with its own end
        ((d("4.4.2024"), d("15.5.2024")), [(d("4.4.2024"), d("19.4.2024"))], [], d("19.7.2024")),
    ]


def test_overlapping_decisions_are_told_by_the_days_they_share() -> None:
    from tests.domain.builders import decision

    p = period("4.1.2024", "3.1.2025")
    refused = decision("4.1.2024", "3.7.2024", outcome=codes.OUTCOME_NEGATIVE)
    found = _coverage(
        p, [decision("4.1.2024", "3.4.2024"), decision("1.3.2024", "31.5.2024"), refused]
    )
    assert found[0] == ((d("4.1.2024"), d("3.4.2024")), [], [(d("1.3.2024"), d("3.4.2024"))], None)
    assert found[1] == ((d("4.4.2024"), d("3.7.2024")), [(d("1.6.2024"), d("3.7.2024"))], [], None)
    assert [gaps for _b, gaps, _o, _p in found[2:]] == [
        [(d("4.7.2024"), d("3.10.2024"))],
        [(d("4.10.2024"), d("3.1.2025"))],
    ]


def test_an_ended_periods_last_block_is_covered_by_a_decision_running_past_the_end() -> None:
    from tests.domain.builders import decision

    ended = period("4.1.2024", "3.1.2025", status=codes.PERIOD_ENDED, ended_on=d("15.2.2024"))
    later = decision("4.4.2024", "3.7.2024")  # made before the ending, wholly after it
    found = _coverage(ended, [decision("4.1.2024", "3.4.2024"), later])
    assert found == [((d("4.1.2024"), d("15.2.2024")), [], [], d("3.4.2024"))]
    running = period("4.1.2024", "3.1.2025")
    assert _coverage(running, [decision("4.1.2024", "3.4.2024")])[0][3] is None
