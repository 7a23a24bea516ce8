"""The worker's activity budget: recording what was spent and what is left.

150 € a year for a social worker and 300 € for a social instructor by
default (``domain.budget``). An expense may name the client it was for;
then it belongs to that client's record and its writing is logged for
that client like any other change.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date

from sosku_desktop.domain import models
from sosku_desktop.domain.budget import BudgetStatus, budget_status, expenses_of
from sosku_desktop.domain.validation import expense_problems
from sosku_desktop.operations import Changes, changes_of, raise_problems
from sosku_desktop.store.database import Store
from sosku_desktop.store.records import load_rules
from sosku_desktop.store.repositories import Reader


@dataclass(frozen=True)
class BudgetView:
    """One worker's year: the budget figures and the expenses behind them."""

    worker: models.Worker
    status: BudgetStatus
    expenses: tuple[models.Expense, ...]
    #: client id -> "Last, First" for expenses tied to a client
    client_names: dict[str, str]


def save_expense(store: Store, expense: models.Expense, today: date) -> Changes:
    """Add or correct an expense (amount above zero, not in the future)."""
    cleaned = dataclasses.replace(expense, purpose=expense.purpose.strip())
    raise_problems(expense_problems(cleaned, today))
    with store.write() as w:
        before = Reader(w.conn).find(models.Expense, expense.id)
        if before is None:
            w.add(cleaned)
        else:
            w.update(cleaned, base=before)
        return changes_of(w)


def delete_expense(store: Store, expense_id: str) -> Changes:
    with store.write() as w:
        w.delete(models.Expense, expense_id)
        return changes_of(w)


def budget_view(store: Store, worker_id: str, year: int) -> BudgetView:
    """The worker's budget, spending and what is left in ``year`` (read only)."""
    with store.read() as r:
        worker = r.get(models.Worker, worker_id)
        rows = r.list(models.Expense, order_by=("on", "id"), worker_id=worker_id)
        rules = load_rules(r)
        own = expenses_of(rows, worker_id, year)
        ids = sorted({e.client_id for e in own if e.client_id})
        names = {c.id: f"{c.last_name}, {c.first_name}" for c in r.list(models.Client, id=ids)}
    return BudgetView(worker, budget_status(worker, rows, year, rules), tuple(own), names)
