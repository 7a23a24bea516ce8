"""Groups: the group itself, its members, its sessions and their attendance sheets.

Membership rules (who leaves how) live in ``domain.attendance``; here they
meet the store. Memberships are re-read inside the write transaction, so
ending one acts on what is stored now, including rows synced in a moment ago.
Putting a group's members or a session's sheet in front of the worker is an
access to each client's data, logged per client. ``list_groups`` and
``read_group`` are the page's queries.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from sosku_desktop.domain import attendance, codes, reminders, validation
from sosku_desktop.domain.activity_money import paid_window
from sosku_desktop.domain.errors import Problem
from sosku_desktop.domain.models import Attendance, Client, Group, GroupMember, GroupSession
from sosku_desktop.domain.periods import period_end
from sosku_desktop.operations import Changes, changes_of, raise_problems
from sosku_desktop.store.database import Store
from sosku_desktop.store.records import load_rules
from sosku_desktop.store.repositories import Reader
from sosku_desktop.store.schema import ENTITY
from sosku_desktop.store.writer import derived_id, new_id

NO_PERIOD_IN_PROGRESS = "validation.no_period_in_progress"


@dataclass(frozen=True)
class GroupView:
    """What one group's page shows, read in one transaction."""

    group: Group
    members: list[GroupMember]
    sessions: list[GroupSession]
    attendances: list[Attendance]
    clients: dict[str, Client]
    #: client id -> consecutive absences, for members whose absence reminder is on
    warnings: dict[str, int]
    #: Attendance so far per member (client id) and per session (session id), worked
    #: out with the read (in the background), not while the page fills its tables.
    member_tallies: dict[str, attendance.Tally] = field(default_factory=dict)
    session_tallies: dict[str, attendance.Tally] = field(default_factory=dict)


@dataclass(frozen=True)
class SheetSaved:
    """How many attendance rows one save added or changed, and the ``Changes``."""

    rows: int
    changes: Changes


@dataclass(frozen=True)
class SheetData:
    """One session's attendance sheet as read: the people on it and their clients."""

    session: GroupSession
    group: Group | None
    entries: list[attendance.SheetEntry]
    clients: dict[str, Client]


def list_groups(r: Reader, today: date) -> list[tuple[Group, int]]:
    """Every group by name, with how many members it has today (counted by the database)."""
    table = ENTITY["group_members"]
    day = sa.bindparam("day", today, type_=sa.Date())
    on_day = (
        sa.select(table.c.group_id, sa.func.count(sa.distinct(table.c.client_id)))
        .where(table.c.deleted.is_(False))
        .where(sa.or_(table.c.joined_on.is_(None), table.c.joined_on <= day))
        .where(sa.or_(table.c.left_on.is_(None), table.c.left_on > day))
        .group_by(table.c.group_id)
    )
    counts = {group_id: int(n) for group_id, n in r.conn.execute(on_day)}
    return [(g, counts.get(g.id, 0)) for g in r.list(Group, order_by="name")]


def load_groups(store: Store, today: date) -> list[tuple[Group, int]]:
    """``list_groups`` in a read transaction of its own (the page's background query)."""
    with store.read() as r:
        return list_groups(r, today)


def load_group(store: Store, group_id: str, today: date) -> GroupView | None:
    """``read_group`` in a read transaction of its own; ``None`` if the group is gone."""
    with store.read() as r:
        if r.find(Group, group_id) is None:
            return None
        return read_group(r, group_id, today)


def find_session(store: Store, session_id: str) -> GroupSession | None:
    with store.read() as r:
        return r.find(GroupSession, session_id)


def read_sheet(store: Store, session_id: str) -> SheetData | None:
    """A session's sheet: members and marked people, with only their clients read."""
    with store.read() as r:
        session = r.find(GroupSession, session_id)
        if session is None:
            return None
        members = r.list(GroupMember, group_id=session.group_id)
        marks = r.list(Attendance, session_id=session_id)
        entries = attendance.sheet_entries(session, members, marks)
        clients = {c.id: c for c in r.list(Client, id=sorted({e.client_id for e in entries}))}
        return SheetData(session, r.find(Group, session.group_id), entries, clients)


def read_group(r: Reader, group_id: str, today: date) -> GroupView:
    """A group with its members, sessions, marks and the members' absence warnings."""
    group = r.get(Group, group_id)
    members = r.list(GroupMember, group_id=group_id)
    sessions = r.list(GroupSession, order_by=("on", "starts_at", "id"), group_id=group_id)
    marks = r.list(Attendance, session_id=[s.id for s in sessions])
    # Only the members' clients: the rest of the caseload is found by the picker's search.
    clients = {c.id: c for c in r.list(Client, id=sorted({m.client_id for m in members}))}
    rules = load_rules(r)
    warnings: dict[str, int] = {}
    for client_id in {m.client_id for m in members}:
        period = r.current_period(client_id)
        if period is None or period.status != codes.PERIOD_ACTIVE:
            continue
        found = reminders.group_absences(today, period, sessions, marks, members, rules)
        if any(rem.params.get("group_id") == group_id for rem in found):
            warnings[client_id] = rules.consecutive_absences
    return GroupView(
        group,
        members,
        sessions,
        marks,
        clients,
        warnings,
        attendance.member_tallies(sessions, marks, today),
        attendance.session_tallies(sessions, marks),
    )


def blank_group() -> Group:
    """A new group, not yet saved (the dialog fills in the rest)."""
    return Group(id=new_id(), name="")


def next_session(group_id: str, sessions: list[GroupSession], today: date) -> GroupSession:
    """A new session, not yet saved: a week after the latest, at the same time and length."""
    return attendance.next_session_template(new_id(), group_id, sessions, today)


def save_group(store: Store, group: Group, base: Group | None) -> Changes:
    """Add a new group (``base`` None) or write the edited one; raises ``ValidationError``."""
    raise_problems(validation.group_problems(group))
    with store.write() as w:
        if base is None:
            w.add(group)
        else:
            w.update(group, base=base)
        return changes_of(w)


def add_member(store: Store, group_id: str, client_id: str, today: date) -> Changes:
    """The client joins the group today; only with a period not yet over.

    A member's present days are paid as activity money, which only a
    rehabilitation period decides: a client whose period has ended (or who
    has none) is refused in plain words instead of silently joining.
    """
    member = GroupMember(id=new_id(), group_id=group_id, client_id=client_id, joined_on=today)
    problems = validation.group_member_problems(member)
    with store.read() as r:
        rules = load_rules(r)
        periods = r.periods_of(client_id)
    if member.client_id and not any(
        p.status == codes.PERIOD_ACTIVE and not p.deleted and period_end(p, rules) >= today
        for p in periods
    ):
        problems.append(Problem("client_id", NO_PERIOD_IN_PROGRESS))
    raise_problems(problems)
    with store.write() as w:
        w.add(member)
        return changes_of(w)


def end_membership(store: Store, group_id: str, client_id: str, today: date) -> Changes:
    """The client leaves the group today (see ``attendance.ending_membership``)."""
    with store.write() as w:
        members = Reader(w.conn).list(GroupMember, group_id=group_id, client_id=client_id)
        withdrawn, ended = attendance.ending_membership(members, client_id, today)
        for m in withdrawn:
            w.delete(GroupMember, m.id)
        for m in ended:
            w.update(m)
        return changes_of(w)


def add_session(store: Store, session: GroupSession) -> Changes:
    """A new session of a group; raises ``ValidationError``."""
    raise_problems(validation.group_session_problems(session))
    with store.write() as w:
        w.add(session)
        return changes_of(w)


def move_session(store: Store, moved: GroupSession, base: GroupSession, today: date) -> Changes:
    """The session on another day or time (or with another theme), its marks kept.

    A session planned for Thursday is often held on Wednesday instead; cancelling
    it and adding a new one would split its marks from it. The marks stored now
    (re-read in the write transaction) must hold on the new day
    (``attendance.move_problems``); raises ``ValidationError`` otherwise.
    """
    raise_problems(validation.group_session_problems(moved))
    with store.write() as w:
        reader = Reader(w.conn)
        marks = reader.list(Attendance, session_id=moved.id)
        entries = attendance.marked_entries(moved.id, marks)
        outside = _outside_period(reader, moved.on, entries)
        raise_problems(attendance.move_problems(moved, marks, today, outside))
        w.update(moved, base=base)
        return changes_of(w)


def toggle_cancelled(store: Store, session: GroupSession) -> Changes:
    """Cancel a session, or restore a cancelled one (its marks are kept either way)."""
    with store.write() as w:
        w.update(dataclasses.replace(session, cancelled=not session.cancelled), base=session)
        return changes_of(w)


def _outside_period(reader: Reader, day: date, entries: list[attendance.SheetEntry]) -> set[str]:
    """The marked-present clients none of whose periods covers ``day`` (the same days
    ``activity_money.PaidWindow`` pays a stored mark for)."""
    rules = load_rules(reader)
    outside = set()
    for entry in entries:
        if entry.status != codes.ATTENDANCE_PRESENT:
            continue
        paid = paid_window(entry.client_id, reader.periods_of(entry.client_id), day, rules)
        if not paid.in_a_period(day):
            outside.add(entry.client_id)
    return outside


def log_viewed(store: Store, client_ids: Iterable[str], table: str, row_id: str) -> Changes:
    """One view row per client whose group data (members, a sheet) was shown."""
    unique = list(dict.fromkeys(client_ids))
    if not unique:
        return Changes()
    with store.write() as w:
        for client_id in unique:
            w.log_access(codes.AUDIT_VIEW, client_id, table, row_id)
        return changes_of(w)


def save_attendance(
    store: Store, session_id: str, entries: list[attendance.SheetEntry], today: date
) -> SheetSaved:
    """Write the sheet's marks in one transaction (one row per session and client);
    refused with the reason when the marks break a rule (``attendance.sheet_problems``)."""
    with store.write() as w:
        reader = Reader(w.conn)
        session = reader.find(GroupSession, session_id)
        if session is not None:
            outside = _outside_period(reader, session.on, entries)
            raise_problems(attendance.sheet_problems(session, entries, today, outside))
        existing = reader.list(Attendance, include_deleted=True, session_id=session_id)
        to_add, to_update = attendance.attendance_changes(
            session_id, entries, existing, lambda s, c: derived_id(s, c)
        )
        for row in to_add:
            w.add(row)
        for row in to_update:
            w.update(row)
        return SheetSaved(len(to_add) + len(to_update), changes_of(w))
