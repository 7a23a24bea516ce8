"""The worker's own yearly activity budget for client work (coffee, entrance fees).

150 € a year for a social worker and 300 € for a social instructor by
default (``Rules.budget_cents_by_role``); ``Worker.yearly_budget_cents``
overrides it per worker. The budget follows the calendar year. Spending past
the budget is allowed and shows as a negative amount left.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sosku_desktop.domain.models import Expense, Worker
from sosku_desktop.domain.rules_config import DEFAULT_RULES, Rules


@dataclass(frozen=True)
class BudgetStatus:
    """One worker's budget in one calendar year, in cents."""

    worker_id: str
    year: int
    budget_cents: int
    spent_cents: int
    expense_count: int

    @property
    def left_cents(self) -> int:
        """What is left; negative when overspent."""
        return self.budget_cents - self.spent_cents

    @property
    def overspent(self) -> bool:
        return self.left_cents < 0

    @property
    def used_share(self) -> float:
        """Spent as a share of the budget (0.0–1.0+); 0.0 with no budget and no spending."""
        if self.budget_cents <= 0:
            return 0.0 if self.spent_cents <= 0 else float("inf")
        return self.spent_cents / self.budget_cents


def yearly_budget_cents(worker: Worker, rules: Rules = DEFAULT_RULES) -> int:
    """The worker's yearly budget: their own override, else their role's default."""
    return rules.budget_for(worker.role, worker.yearly_budget_cents)


def expenses_of(expenses: Iterable[Expense], worker_id: str, year: int) -> list[Expense]:
    """The worker's non-deleted expenses of one calendar year, by date (then id)."""
    own = [e for e in expenses if not e.deleted and e.worker_id == worker_id and e.on.year == year]
    return sorted(own, key=lambda e: (e.on, e.id))


def spent_cents(expenses: Iterable[Expense], worker_id: str, year: int) -> int:
    """Sum of the worker's non-deleted expenses in ``year``."""
    return sum(e.amount_cents for e in expenses_of(expenses, worker_id, year))


def budget_status(
    worker: Worker,
    expenses: Iterable[Expense],
    year: int,
    rules: Rules = DEFAULT_RULES,
) -> BudgetStatus:
    """Budget, spending and what is left for ``worker`` in ``year``."""
    own = expenses_of(expenses, worker.id, year)
    return BudgetStatus(
        worker_id=worker.id,
        year=year,
        budget_cents=yearly_budget_cents(worker, rules),
        spent_cents=sum(e.amount_cents for e in own),
        expense_count=len(own),
    )


def budget_left_cents(
    worker: Worker,
    expenses: Iterable[Expense],
    year: int,
    rules: Rules = DEFAULT_RULES,
) -> int:
    """What is left of the worker's budget in ``year``; negative when overspent."""
    return budget_status(worker, expenses, year, rules).left_cents


def spent_by_month(expenses: Iterable[Expense], worker_id: str, year: int) -> dict[int, int]:
    """Spending per month 1–12 (every month present, zero when nothing was spent)."""
    result = dict.fromkeys(range(1, 13), 0)
    for e in expenses_of(expenses, worker_id, year):
        result[e.on.month] += e.amount_cents
    return result


def spent_by_client(
    expenses: Iterable[Expense], worker_id: str, year: int
) -> dict[str | None, int]:
    """Spending per client id (``None`` = not tied to a client)."""
    result: dict[str | None, int] = {}
    for e in expenses_of(expenses, worker_id, year):
        result[e.client_id] = result.get(e.client_id, 0) + e.amount_cents
    return result
