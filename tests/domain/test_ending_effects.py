"""What an early ending leaves past the end day, kind by kind (domain.md's dated things).

QA: only the §17 decision was checked against the end day; an activity-money
or transport-card decision valid past it, key dates after it and a plan
review after it went unmentioned.
"""

from __future__ import annotations

import dataclasses

from sosku_desktop.domain import codes
from sosku_desktop.domain import reminders as r
from sosku_desktop.domain.decisions import decisions_outliving, outlives_variant
from sosku_desktop.domain.ending_effects import (
    dropped_key_dates,
    ending_effects,
    review_after_end,
)
from sosku_desktop.domain.models import ImplementationPlan, PlannedEntry
from sosku_desktop.domain.period_plan import key_dates
from tests.domain.builders import d, decision, meeting, period

P = period("4.1.2024", "3.1.2025")
END = d("1.3.2024")
REHAB = decision("4.1.2024", "3.4.2024", decision_id="rehab")
MONEY = decision(
    "4.1.2024", "3.2.2024", kind=codes.DECISION_ACTIVITY_MONEY, decision_id="money-jan"
)
MONEY_LATER = decision(
    "4.3.2024", "3.4.2024", kind=codes.DECISION_ACTIVITY_MONEY, decision_id="money-mar"
)
CARD = decision("4.1.2024", "2.4.2024", kind=codes.DECISION_TRANSPORT_CARD, decision_id="card")
NEGATIVE = decision(
    "4.1.2024",
    "30.6.2024",
    kind=codes.DECISION_TRANSPORT_CARD,
    decision_id="refused",
    outcome=codes.OUTCOME_NEGATIVE,
)
ALL = [REHAB, MONEY, MONEY_LATER, CARD, NEGATIVE]


def _entries() -> list[PlannedEntry]:
    """The period's key dates as planned at its start (nothing done yet)."""
    return [
        PlannedEntry(id=f"e{i}", period_id=P.id, kind=k.kind, on=k.on, seq=k.seq)
        for i, k in enumerate(key_dates(P, [REHAB]))
    ]


def test_every_kind_of_positive_decision_valid_past_the_end_outlives_it() -> None:
    found = decisions_outliving(ALL, P.id, END)
    # the card ends 2.4., §17 and the March activity money 3.4. (§17 first on a tie)
    assert [x.id for x in found] == ["card", "rehab", "money-mar"]
    assert [outlives_variant(x) for x in found] == [
        codes.DECISION_TRANSPORT_CARD,
        "",
        codes.DECISION_ACTIVITY_MONEY,
    ]
    assert decisions_outliving(ALL, P.id, d("3.4.2024")) == []  # ended on time
    assert decisions_outliving(ALL, "other period", END) == []


def test_key_dates_after_the_end_are_the_ones_the_ending_removes() -> None:
    dropped = dropped_key_dates(P, END, _entries(), [REHAB])
    assert dropped and all(e.on > END for e in dropped)
    kinds = {e.kind for e in dropped}
    assert codes.PLAN_EVALUATION in kinds and codes.PLAN_SELF_ASSESSMENT_MID in kinds
    # the end itself and its self-assessment move to the end day: not removed
    assert not kinds & {codes.PLAN_PERIOD_END, codes.PLAN_SELF_ASSESSMENT_END}
    done = [dataclasses.replace(e, done_on=e.on) for e in _entries()]
    assert dropped_key_dates(P, END, done, [REHAB]) == []  # done ones are history


def test_a_plan_review_after_the_end_is_never_held() -> None:
    first = ImplementationPlan(id="pl1", period_id=P.id, made_on=d("10.1.2024"))
    plan = dataclasses.replace(first, id="pl2", revision=2, review_on=d("4.4.2024"))
    assert review_after_end([first, plan], P.id, END) == d("4.4.2024")
    assert review_after_end([first, plan], P.id, d("4.4.2024")) is None
    assert review_after_end([first], P.id, END) is None  # no review date set


def test_ending_effects_gathers_them_all() -> None:
    visit = meeting("5.3.2024", codes.MEETING_PLANNED, meeting_id="after")
    plan = ImplementationPlan(
        id="pl", period_id=P.id, made_on=d("10.1.2024"), review_on=d("4.4.2024")
    )
    effects = ending_effects(
        P, END, decisions=ALL, meetings=[visit], entries=_entries(), plans=[plan]
    )
    assert [x.id for x in effects.decisions] == ["card", "rehab", "money-mar"]
    assert [m.id for m in effects.meetings] == ["after"]
    assert effects.key_dates and effects.review_on == d("4.4.2024")


def test_today_reminds_of_every_kind_of_decision_left_in_force() -> None:
    ended = dataclasses.replace(P, status=codes.PERIOD_ENDED, ended_on=END)
    found = r.decision_outlives_period(d("5.3.2024"), ended, ALL)
    assert [(x.ref, x.text_key) for x in found] == [
        ("card", "reminder.decision_outlives_period.text_transport_card"),
        ("rehab", "reminder.decision_outlives_period.text"),
        ("money-mar", "reminder.decision_outlives_period.text_activity_money"),
    ]
    assert [x.ref for x in r.decision_outlives_period(d("3.4.2024"), ended, ALL)] == [
        "rehab",
        "money-mar",
    ]  # the card ran out on 2.4.
