"""Group sessions and their attendance sheets, as pure rules.

Who belongs on a session's sheet, what a worker's marks change in the
stored rows, and what the marks add up to. The Groups page and the
calendar use these so that no widget decides such things itself.
Consecutive absences are a reminder rule and live in ``domain.reminders``.

Membership dates: a member counts from ``joined_on`` (inclusive) and has
left on ``left_on`` (a member who left on a day is no longer on that day's
sheet), the same reading ``reminders.group_absences`` uses.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sosku_desktop.domain import codes
from sosku_desktop.domain.errors import Problem
from sosku_desktop.domain.models import Attendance, GroupMember, GroupSession

#: Digits that mark a person in every language (letters come from the translations).
DIGIT_KEYS = {
    "1": codes.ATTENDANCE_PRESENT,
    "2": codes.ATTENDANCE_ABSENT,
    "3": codes.ATTENDANCE_EXCUSED,
}

_TIME = re.compile(r"^\s*([01]?\d|2[0-3])[.:]([0-5]\d)\s*$")


# --- sessions -----------------------------------------------------------------------


def parse_clock(text: str) -> time | None:
    """``13.30`` / ``13:30`` / ``9.05`` as a time; ``None`` if empty or malformed."""
    match = _TIME.match(text or "")
    if match is None:
        return None
    return time(int(match.group(1)), int(match.group(2)))


def session_span(session: GroupSession) -> tuple[datetime, datetime] | None:
    """Start and end of a session with a start time; ``None`` for a day-only session."""
    start = parse_clock(session.starts_at)
    if start is None:
        return None
    begins = datetime.combine(session.on, start)
    return begins, begins + timedelta(minutes=max(session.duration_min, 1))


def is_held(session: GroupSession, today: date) -> bool:
    """A session counts for attendance once its day has come, unless cancelled."""
    return not session.deleted and not session.cancelled and session.on <= today


#: A group's first session lasts this long unless the worker says otherwise.
DEFAULT_SESSION_MINUTES = 90


def next_session_template(
    session_id: str, group_id: str, sessions: Iterable[GroupSession], today: date
) -> GroupSession:
    """A new session a week after the latest, at the same time and length."""
    live = [s for s in sessions if not s.deleted]
    last = live[-1] if live else None
    return GroupSession(
        id=session_id,
        group_id=group_id,
        on=next_session_day(live, today),
        starts_at=last.starts_at if last else "",
        duration_min=last.duration_min if last else DEFAULT_SESSION_MINUTES,
    )


def next_session_day(sessions: Iterable[GroupSession], today: date) -> date:
    """A sensible default day for a new session: a week after the latest one.

    Groups meet weekly on a fixed weekday, so the latest session plus seven
    days is nearly always right; with no sessions yet, today.
    """
    days = [s.on for s in sessions if not s.deleted]
    if not days:
        return today
    candidate = max(days) + timedelta(days=7)
    while candidate < today:
        candidate += timedelta(days=7)
    return candidate


# --- membership -----------------------------------------------------------------------


def is_member_on(member: GroupMember, day: date) -> bool:
    """Whether a membership row covers ``day``."""
    if member.deleted:
        return False
    if member.joined_on is not None and member.joined_on > day:
        return False
    return member.left_on is None or member.left_on > day


def ending_membership(
    members: Iterable[GroupMember], client_id: str, today: date
) -> tuple[list[GroupMember], list[GroupMember]]:
    """How a client leaves a group today: ``(withdrawn, ended)``.

    A membership that begins today or later is simply withdrawn (deleted:
    it never took effect); one already running ends today (``left_on``).
    Memberships that already ended are left alone, so leaving twice changes
    nothing.
    """
    withdrawn: list[GroupMember] = []
    ended: list[GroupMember] = []
    for m in members:
        if m.client_id != client_id or m.deleted:
            continue
        if m.left_on is not None and m.left_on <= today:
            continue
        if m.joined_on is not None and m.joined_on >= today:
            withdrawn.append(m)
        else:
            ended.append(dataclasses.replace(m, left_on=today))
    return withdrawn, ended


def members_on(members: Iterable[GroupMember], group_id: str, day: date) -> list[str]:
    """Client ids of the group's members on ``day`` (each once, in row order)."""
    found = [m.client_id for m in members if m.group_id == group_id and is_member_on(m, day)]
    return list(dict.fromkeys(found))


# --- the sheet ------------------------------------------------------------------------


@dataclass(frozen=True)
class SheetEntry:
    """One person on an attendance sheet; ``status`` is ``None`` until marked."""

    client_id: str
    status: str | None = None
    note: str = ""
    guest: bool = False
    #: Listed because of membership (a guest or a former member is not).
    member: bool = True


def sheet_entries(
    session: GroupSession,
    members: Iterable[GroupMember],
    attendances: Iterable[Attendance],
) -> list[SheetEntry]:
    """Every member on the session day, then anyone else already marked.

    A person marked earlier who is no longer a member (a guest, or someone
    who left since) stays on the sheet so that no mark disappears from view.
    """
    marks = {a.client_id: a for a in attendances if a.session_id == session.id and not a.deleted}
    entries: list[SheetEntry] = []
    listed = members_on(members, session.group_id, session.on)
    for client_id in listed:
        mark = marks.get(client_id)
        entries.append(
            SheetEntry(
                client_id,
                mark.status if mark else None,
                mark.note if mark else "",
                guest=mark.guest if mark else False,
            )
        )
    for client_id, mark in marks.items():
        if client_id not in listed:
            entries.append(
                SheetEntry(client_id, mark.status, mark.note, guest=mark.guest, member=False)
            )
    return entries


#: Marks that say what happened at the session; an excused absence may be told in advance.
HAPPENED = (codes.ATTENDANCE_PRESENT, codes.ATTENDANCE_ABSENT)
BEFORE_SESSION = "validation.attendance_before_session"


NO_PERIOD = "validation.attendance_outside_period"


def sheet_problems(
    session: GroupSession,
    entries: Iterable[SheetEntry],
    today: date,
    outside_period: Collection[str] = (),
) -> list[Problem]:
    """Present or absent only once the session's day has come (see ``is_held``);
    present only for clients whose rehabilitation period covers that day.

    A present mark earns the client a day of activity money and counts in the
    group's figures, so a sheet filled in ahead ("they always come") would pay
    for a session that never took place. A client who calls to say they will
    not come next week may be marked excused at once. ``outside_period`` holds
    the clients with no period on the session's day (a former client brought
    along as a guest): like a meeting outside the period (``validation.
    meeting_period_problems``) their presence would be paid outside the period.
    """
    entries = list(entries)
    if session.on > today and any(entry.status in HAPPENED for entry in entries):
        return [Problem("status", BEFORE_SESSION, {"date": session.on})]
    outside = [
        e for e in entries if e.status == codes.ATTENDANCE_PRESENT and e.client_id in outside_period
    ]
    if outside:
        return [Problem("status", NO_PERIOD, {"date": session.on, "n": len(outside)})]
    return []


MOVED_MARKED = "validation.session_move_marked"


def marked_entries(session_id: str, marks: Iterable[Attendance]) -> list[SheetEntry]:
    """The session's stored marks as sheet entries (members with no mark left out)."""
    return [
        SheetEntry(a.client_id, a.status, a.note, guest=a.guest)
        for a in marks
        if a.session_id == session_id and not a.deleted
    ]


def move_problems(
    moved: GroupSession,
    marks: Iterable[Attendance],
    today: date,
    outside_period: Collection[str] = (),
) -> list[Problem]:
    """A session moved to another day keeps its marks, so they must hold on the new day.

    Present and absent say the session took place: moving a marked session
    to a day still to come would pay activity money (and count attendance)
    for a day that has not happened, and moving it to a day outside a
    present client's period would pay outside the period (``sheet_problems``).
    The problems are on the ``on`` field: the day is what the worker changes.
    """
    entries = marked_entries(moved.id, marks)
    if moved.on > today and any(e.status in HAPPENED for e in entries):
        return [Problem("on", MOVED_MARKED, {"date": moved.on})]
    return [
        dataclasses.replace(p, field="on")
        for p in sheet_problems(moved, entries, today, outside_period)
    ]


def attendance_changes(
    session_id: str,
    entries: Iterable[SheetEntry],
    existing: Iterable[Attendance],
    id_for: Callable[[str, str], str],
) -> tuple[list[Attendance], list[Attendance]]:
    """Rows to add and rows to update so the store holds exactly ``entries``' marks.

    ``existing`` should include soft-deleted rows of the session: a person
    unmarked and marked again reuses their row (the id is derived from
    session and client, ``id_for``, so two devices marking the same person
    meet on one row). An entry with no status removes an earlier mark.
    Unchanged rows are left alone, so saving twice writes nothing new.
    """
    by_client = {a.client_id: a for a in existing if a.session_id == session_id}
    to_add: list[Attendance] = []
    to_update: list[Attendance] = []
    for entry in entries:
        row = by_client.get(entry.client_id)
        if entry.status is None:
            if row is not None and not row.deleted:
                to_update.append(dataclasses.replace(row, deleted=True))
            continue
        note = entry.note.strip()
        if row is None:
            to_add.append(
                Attendance(
                    id=id_for(session_id, entry.client_id),
                    session_id=session_id,
                    client_id=entry.client_id,
                    status=entry.status,
                    note=note,
                    guest=entry.guest,
                )
            )
            continue
        wanted = dataclasses.replace(
            row, status=entry.status, note=note, guest=entry.guest, deleted=False
        )
        if wanted != row:
            to_update.append(wanted)
    return to_add, to_update


# --- what the marks add up to ---------------------------------------------------------------


@dataclass(frozen=True)
class Tally:
    """Marks counted by status; ``unmarked`` only for a sheet."""

    present: int = 0
    absent: int = 0
    excused: int = 0
    unmarked: int = 0

    @property
    def marked(self) -> int:
        return self.present + self.absent + self.excused

    @property
    def rate_percent(self) -> int | None:
        """Present out of marked, rounded; ``None`` with nothing marked."""
        if not self.marked:
            return None
        return round(100 * self.present / self.marked)

    def add(self, status: str | None) -> Tally:
        field = {
            codes.ATTENDANCE_PRESENT: "present",
            codes.ATTENDANCE_ABSENT: "absent",
            codes.ATTENDANCE_EXCUSED: "excused",
        }.get(status or "", "unmarked")
        return dataclasses.replace(self, **{field: getattr(self, field) + 1})


def sheet_tally(entries: Iterable[SheetEntry]) -> Tally:
    tally = Tally()
    for entry in entries:
        tally = tally.add(entry.status)
    return tally


def session_tallies(
    sessions: Iterable[GroupSession], attendances: Iterable[Attendance]
) -> dict[str, Tally]:
    """Stored marks per session id (sessions with no marks get an empty tally)."""
    result = {s.id: Tally() for s in sessions}
    for a in attendances:
        if not a.deleted and a.session_id in result:
            result[a.session_id] = result[a.session_id].add(a.status)
    return result


def member_tallies(
    sessions: Iterable[GroupSession], attendances: Iterable[Attendance], today: date
) -> dict[str, Tally]:
    """Each client's marks over the sessions held so far (guest visits included)."""
    held = {s.id for s in sessions if is_held(s, today)}
    result: dict[str, Tally] = {}
    for a in attendances:
        if a.deleted or a.session_id not in held:
            continue
        result[a.client_id] = result.get(a.client_id, Tally()).add(a.status)
    return result
