"""The period's own life: planning its key dates, editing it, ending it, starting anew.

- ``plan_period`` puts the whole period in the calendar in one step (the
  key dates of ``domain.period_plan`` as planned entries) and, run again
  after a decision or the end date moved, moves the entries not yet done.
- ``edit_client`` / ``edit_period`` correct basic details, validated as at
  creation; the Writer keeps every earlier value in the value history, so
  the record's history shows what was there before.
- ``end_period`` is the guided ending: the period becomes read-only,
  planned meetings after the end are cancelled, the plan is trimmed, and the
  reminders stop. A new period can then be started with ``start_new_period``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from sosku_desktop.domain import attendance, codes, models
from sosku_desktop.domain.lifecycle import (
    Ending,
    new_period_problems,
    period_activity,
    period_edit_problems,
    period_overlaps,
)
from sosku_desktop.domain.lifecycle import (
    end_period as ended_period,
)
from sosku_desktop.domain.lifecycle_validation import (
    needs_mapping_problems,
    planned_entry_problems,
)
from sosku_desktop.domain.meetings import planned_after
from sosku_desktop.domain.period_plan import key_dates, replan
from sosku_desktop.domain.rules_config import Rules
from sosku_desktop.domain.validation import (
    client_problems,
    normalize_identity_code,
    period_problems,
)
from sosku_desktop.operations import Changes, changes_of, raise_problems
from sosku_desktop.store import schema
from sosku_desktop.store.database import Store
from sosku_desktop.store.records import load_rules
from sosku_desktop.store.repositories import Reader
from sosku_desktop.store.writer import Writer, new_id


def _replan(w: Writer, period: models.Period) -> None:
    """Bring the period's planned entries in line with its dates and decisions."""
    reader = Reader(w.conn)
    rules = load_rules(reader)
    decisions = reader.decisions_of([period.id])
    existing = reader.list(models.PlannedEntry, period_id=period.id)
    change = replan(existing, key_dates(period, decisions, rules))
    for key_date in change.add:
        w.add(
            models.PlannedEntry(
                id=new_id(),
                period_id=period.id,
                kind=key_date.kind,
                on=key_date.on,
                seq=key_date.seq,
            )
        )
    before = {e.id: e for e in existing}
    for moved in change.move:
        w.update(moved, base=before[moved.id])
    for gone in change.remove:
        w.delete(models.PlannedEntry, gone.id)


def plan_period(store: Store, period_id: str) -> Changes:
    """Plan (or re-plan) the period's key dates; done entries are kept as they were."""
    with store.write() as w:
        period = Reader(w.conn).get(models.Period, period_id)
        if period.status != codes.PERIOD_ENDED:
            _replan(w, period)
        return changes_of(w)


def edit_planned_entry(store: Store, entry: models.PlannedEntry) -> Changes:
    """Move a planned entry, mark it done or add a note."""
    with store.write() as w:
        reader = Reader(w.conn)
        before = reader.get(models.PlannedEntry, entry.id)
        period = reader.get(models.Period, entry.period_id)
        raise_problems(planned_entry_problems(entry, period))
        w.update(entry, base=before)
        return changes_of(w)


def edit_client(store: Store, client: models.Client) -> Changes:
    """Correct a client's name, contact details, language or identity code."""
    code = client.identity_code.strip()
    cleaned = dataclasses.replace(
        client,
        first_name=client.first_name.strip(),
        last_name=client.last_name.strip(),
        identity_code=normalize_identity_code(code) if code else "",
    )
    raise_problems(client_problems(cleaned))
    with store.write() as w:
        before = Reader(w.conn).get(models.Client, client.id)
        w.update(cleaned, base=before)
        return changes_of(w)


def edit_period(store: Store, period: models.Period) -> Changes:
    """Hand the period over to another worker or move its planned end (re-plans the dates)."""
    with store.write() as w:
        reader = Reader(w.conn)
        before = reader.get(models.Period, period.id)
        rules = load_rules(reader)
        activity = _activity(reader, before, rules)
        meetings = reader.meetings_of([before.id])
        decisions = reader.decisions_of([before.id])
        problems = period_edit_problems(before, period, rules, activity, meetings, decisions)
        raise_problems(
            problems + period_overlaps(period, reader.periods_of(period.client_id), rules)
        )
        w.update(period, base=before)
        if (period.start, period.planned_end) != (before.start, before.planned_end):
            _replan(w, period)
        return changes_of(w)


def _activity(reader: Reader, period: models.Period, rules: Rules) -> list[date]:
    """The period's held-meeting and attended-session days (``domain.lifecycle``)."""
    attendances = reader.list(models.Attendance, client_id=period.client_id)
    sessions = reader.list(models.GroupSession, id=[a.session_id for a in attendances])
    meetings = reader.meetings_of([period.id])
    return period_activity(period, meetings, sessions, attendances, rules)


def _cancel_meetings_after(w: Writer, period_id: str, end: date) -> None:
    """Planned meetings after the end will not take place: cancelled, not deleted."""
    for meeting in planned_after(Reader(w.conn).meetings_of([period_id]), period_id, end):
        w.update(dataclasses.replace(meeting, status=codes.MEETING_CANCELLED), base=meeting)


def _leave_groups(w: Writer, client_id: str, end: date) -> None:
    """The client's group memberships end with the period (last day ``end`` included).

    A member stays on every attendance sheet, and a day marked present is
    paid as activity money: after the period nothing decides that payment.
    """
    members = Reader(w.conn).list(models.GroupMember, client_id=client_id)
    withdrawn, ended = attendance.ending_membership(members, client_id, end + timedelta(days=1))
    for member in withdrawn:
        w.delete(models.GroupMember, member.id)
    for member in ended:
        w.update(member)


def end_period(store: Store, period_id: str, ending: Ending, today: date) -> Changes:
    """End the period (guided step): record why and how, then make it read-only."""
    with store.write() as w:
        reader = Reader(w.conn)
        before = reader.get(models.Period, period_id)
        rules = load_rules(reader)
        ended = ended_period(before, ending, today, rules, _activity(reader, before, rules))
        _cancel_meetings_after(w, period_id, ending.ended_on)
        _leave_groups(w, before.client_id, ending.ended_on)
        _replan(w, dataclasses.replace(ended, status=codes.PERIOD_ACTIVE))
        for entry in reader.list(models.PlannedEntry, period_id=period_id):
            if entry.done_on is None and entry.kind == codes.PLAN_PERIOD_END:
                w.update(dataclasses.replace(entry, done_on=ending.ended_on), base=entry)
        w.update(ended, base=before)
        return changes_of(w)


@dataclass(frozen=True)
class NewPeriod:
    """The period started and the changes written."""

    period: models.Period
    changes: Changes


def start_new_period(
    store: Store,
    client_id: str,
    start: date,
    planned_end: date,
    worker_id: str | None,
    today: date,
) -> NewPeriod:
    """A new period for a client whose earlier periods have all ended; its dates planned."""
    with store.write() as w:
        reader = Reader(w.conn)
        rules = load_rules(reader)
        period = models.Period(
            id=new_id(),
            client_id=client_id,
            worker_id=worker_id,
            start=start,
            planned_end=planned_end,
            phase=codes.PHASE_BEFORE_START,
            status=codes.PERIOD_PLANNED if start > today else codes.PERIOD_ACTIVE,
        )
        problems = period_problems(period, rules)
        raise_problems(problems + new_period_problems(period, reader.periods_of(client_id), rules))
        w.add(period)
        _replan(w, period)
        return NewPeriod(period, changes_of(w))


def after_intake(
    store: Store, period_id: str, needs: models.NeedsMapping | None, today: date
) -> Changes:
    """Right after the intake wizard: the needs mapping and the period's key dates, together."""
    with store.write() as w:
        period = Reader(w.conn).get(models.Period, period_id)
        if needs is not None:
            mapped = dataclasses.replace(needs, period_id=period.id)
            raise_problems(needs_mapping_problems(mapped, period, today))
            w.add(mapped)
        _replan(w, period)
        return changes_of(w)


@dataclass(frozen=True)
class EarlierValue:
    """A value a column had before an edit, and when it was replaced."""

    column: str
    value: object
    replaced_at: datetime


def earlier_values(store: Store, table: str, row_id: str) -> list[EarlierValue]:
    """The record's history: every earlier value of the row's columns, newest first.

    Only what people typed (not the ``deleted`` flag); reading it is part of
    viewing the record the caller has already opened.
    """
    history = schema.value_history
    with store.read() as r:
        rows = r.conn.execute(
            sa.select(history.c.col, history.c.value, history.c.superseded_at)
            .where(history.c.tbl == table, history.c.row_id == row_id)
            .order_by(history.c.superseded_at.desc(), history.c.hlc.desc())
        ).all()
    return [EarlierValue(c, v, at) for c, v, at in rows if c != "deleted"]
