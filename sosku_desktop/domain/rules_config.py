"""Organisation rules with the defaults from domain.md.

Every number the law or the organisation sets lives here, configurable per
organisation. Rates carry validity dates so that a rate change in the middle
of a month is applied day by day.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sosku_desktop.domain import codes


@dataclass(frozen=True)
class RatePeriod:
    """An activity-money rate in force from ``valid_from`` (inclusive) on."""

    valid_from: date
    cents_per_day: int


@dataclass(frozen=True)
class Rules:
    """Organisation rules; the defaults are the ones in domain.md."""

    max_period_months: int = 12
    decision_block_months: int = 3
    min_meetings_per_month: int = 2
    activity_money_rates: tuple[RatePeriod, ...] = (RatePeriod(date(2000, 1, 1), 900),)
    budget_cents_by_role: dict[str, int] = field(
        default_factory=lambda: {
            codes.ROLE_SOCIAL_WORKER: 15000,
            codes.ROLE_SOCIAL_INSTRUCTOR: 30000,
            codes.ROLE_OTHER: 0,
        }
    )
    transport_card_days: int = 90
    decision_ending_days: int = 14
    year_limit_warning_days: int = 30
    evaluation_interval_months: int = 3
    evaluation_warning_days: int = 14
    consecutive_absences: int = 2
    self_assessment_midpoint_months: int = 6
    self_assessment_window_days: int = 30
    #: Days before the period's end when preparing the ending is planned.
    ending_preparation_days: int = 30
    #: Goal-attainment code list used at evaluations (labels: ``code.attainment.<code>``).
    attainment_codes: tuple[str, ...] = codes.ATTAINMENT_DEFAULT

    def rate_on(self, day: date) -> int:
        """Activity-money rate in cents in force on ``day``."""
        in_force = [r for r in self.activity_money_rates if r.valid_from <= day]
        if not in_force:
            return 0
        return max(in_force, key=lambda r: r.valid_from).cents_per_day

    def budget_for(self, role: str, override_cents: int | None = None) -> int:
        """A worker's yearly activity budget in cents."""
        if override_cents is not None:
            return override_cents
        return self.budget_cents_by_role.get(role, 0)


DEFAULT_RULES = Rules()
