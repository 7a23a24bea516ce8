"""The intake checklist: is social rehabilitation the right service now?

The checklist (``Period.intake``: item code → ticked) has two parts from
domain.md, ``codes.INTAKE_OFFER`` and ``codes.INTAKE_NOT_NOW``. The
recommendation is only a support for the worker's judgement:

- **not now** as soon as any not-now item is ticked (its codes are the
  reasons), whatever else is ticked;
- **offer** when every *precondition* is ticked (the client wants change,
  can commit, has no acute crisis) and at least one *need* item is ticked
  (the other offer items: basic services are not enough, needs closer
  support, risks dropping out, …); the ticked items are the reasons;
- **incomplete** otherwise; the reasons are the unticked preconditions, or
  all need items when none of them is ticked.

Unknown codes in the dict are ignored here (validation reports them).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sosku_desktop.domain import codes

OFFER = "offer"
NOT_NOW = "not_now"
INCOMPLETE = "incomplete"
OUTCOMES = (OFFER, NOT_NOW, INCOMPLETE)

PRECONDITIONS: tuple[str, ...] = ("wants_change", "can_commit", "no_acute_crisis")
NEEDS: tuple[str, ...] = tuple(c for c in codes.INTAKE_OFFER if c not in PRECONDITIONS)


@dataclass(frozen=True)
class IntakeRecommendation:
    """The checklist's recommendation and the item codes behind it."""

    outcome: str
    #: Item codes that explain the outcome (see the module docstring).
    reasons: tuple[str, ...]
    #: Offer items ticked / not ticked, in checklist order.
    offer_ticked: tuple[str, ...]
    offer_unticked: tuple[str, ...]
    #: Not-now items ticked, in checklist order.
    not_now_ticked: tuple[str, ...]

    @property
    def message_key(self) -> str:
        """Translation key of the outcome, ``intake.outcome.<outcome>``."""
        return f"intake.outcome.{self.outcome}"

    @property
    def reason_keys(self) -> list[str]:
        """Translation keys of the reasons' labels (``code.intake.<code>``)."""
        return [codes.label_key("intake", code) for code in self.reasons]


def recommend(
    answers: Mapping[str, bool],
    preconditions: Sequence[str] = PRECONDITIONS,
    needs: Sequence[str] = NEEDS,
    not_now_items: Sequence[str] = codes.INTAKE_NOT_NOW,
) -> IntakeRecommendation:
    """Recommendation from the checklist answers (item code → ticked)."""

    def ticked(code: str) -> bool:
        return bool(answers.get(code, False))

    offer_items = tuple(dict.fromkeys((*preconditions, *needs)))
    offer_ticked = tuple(c for c in offer_items if ticked(c))
    offer_unticked = tuple(c for c in offer_items if not ticked(c))
    not_now_ticked = tuple(c for c in not_now_items if ticked(c))

    if not_now_ticked:
        outcome, reasons = NOT_NOW, not_now_ticked
    else:
        missing_pre = tuple(c for c in preconditions if not ticked(c))
        needs_ticked = tuple(c for c in needs if ticked(c))
        if missing_pre:
            outcome, reasons = INCOMPLETE, missing_pre
        elif not needs_ticked and needs:
            outcome, reasons = INCOMPLETE, tuple(needs)
        else:
            outcome, reasons = OFFER, offer_ticked
    return IntakeRecommendation(
        outcome=outcome,
        reasons=reasons,
        offer_ticked=offer_ticked,
        offer_unticked=offer_unticked,
        not_now_ticked=not_now_ticked,
    )


def unanswered(answers: Mapping[str, bool]) -> list[str]:
    """Checklist items with no answer at all (neither ticked nor unticked)."""
    return [c for c in (*codes.INTAKE_OFFER, *codes.INTAKE_NOT_NOW) if c not in answers]
