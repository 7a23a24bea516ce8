"""The worker's yearly activity budget."""

from __future__ import annotations

import pytest

from sosku_desktop.domain import codes
from sosku_desktop.domain.budget import (
    budget_left_cents,
    budget_status,
    expenses_of,
    spent_by_client,
    spent_by_month,
    spent_cents,
    yearly_budget_cents,
)
from sosku_desktop.domain.rules_config import Rules
from tests.domain.builders import expense, worker


@pytest.mark.parametrize(
    ("role", "cents"),
    [
        (codes.ROLE_SOCIAL_WORKER, 15000),
        (codes.ROLE_SOCIAL_INSTRUCTOR, 30000),
        (codes.ROLE_OTHER, 0),
        ("unknown-role", 0),
    ],
)
def test_default_budget_by_role(role, cents):
    assert yearly_budget_cents(worker(role=role)) == cents


def test_worker_override_wins_even_when_zero():
    assert yearly_budget_cents(worker(yearly_budget_cents=45000)) == 45000
    assert yearly_budget_cents(worker(yearly_budget_cents=0)) == 0


def test_organisation_rules_set_the_defaults():
    rules = Rules(budget_cents_by_role={codes.ROLE_SOCIAL_INSTRUCTOR: 50000})
    assert yearly_budget_cents(worker(), rules) == 50000
    assert yearly_budget_cents(worker(role=codes.ROLE_SOCIAL_WORKER), rules) == 0


def test_left_ignores_deleted_other_years_and_other_workers():
    expenses = [
        expense("1.1.2024", 450),
        expense("15.6.2024", 1200, client_id="c1"),
        expense("31.12.2024", 350),
        expense("31.12.2023", 9999),  # last year
        expense("1.1.2025", 9999),  # next year
        expense("10.3.2024", 9999, deleted=True),
        expense("10.3.2024", 9999, worker_id="w2"),
    ]
    w = worker()
    assert spent_cents(expenses, "w1", 2024) == 2000
    assert budget_left_cents(w, expenses, 2024) == 28000
    status = budget_status(w, expenses, 2024)
    assert status.budget_cents == 30000
    assert status.spent_cents == 2000
    assert status.expense_count == 3
    assert not status.overspent
    assert status.used_share == pytest.approx(2000 / 30000)
    assert [e.on.month for e in expenses_of(expenses, "w1", 2024)] == [1, 6, 12]


def test_overspending_shows_as_negative_left():
    w = worker(role=codes.ROLE_SOCIAL_WORKER)
    expenses = [
        expense("2.2.2024", 10000, worker_id=w.id),
        expense("3.3.2024", 6000, worker_id=w.id),
    ]
    status = budget_status(w, expenses, 2024)
    assert status.left_cents == -1000
    assert status.overspent
    assert budget_left_cents(w, expenses, 2024) == -1000


def test_empty_year_and_zero_budget():
    w = worker(role=codes.ROLE_OTHER)
    status = budget_status(w, [], 2024)
    assert status.left_cents == 0
    assert status.used_share == 0.0
    spent = budget_status(w, [expense("1.5.2024", 100)], 2024)
    assert spent.used_share == float("inf")
    assert spent.overspent


def test_spent_by_month_and_client():
    expenses = [
        expense("31.1.2024", 100, client_id="c1"),
        expense("1.2.2024", 200, client_id="c2"),
        expense("29.2.2024", 300),
        expense("5.2.2024", 400, client_id="c1", deleted=True),
    ]
    by_month = spent_by_month(expenses, "w1", 2024)
    assert list(by_month) == list(range(1, 13))
    assert by_month[1] == 100
    assert by_month[2] == 500
    assert by_month[3] == 0
    assert spent_by_client(expenses, "w1", 2024) == {"c1": 100, "c2": 200, None: 300}
