"""Calendar export (.ics, RFC 5545) of meetings and group sessions.

The file is for Outlook, phones and web calendars, so it leaves the
encrypted store for good: by default a meeting names the client by
initials only and carries neither the place nor any notes; the caller may
choose full names (and places) knowingly. Group sessions name the group,
its theme and place, which are not client data.

Each event's UID is derived from its row id, so importing a fresh export
again updates the same events instead of duplicating them. Cancelled
meetings and sessions stay in the file as ``STATUS:CANCELLED`` events with
that same UID and a higher ``SEQUENCE`` (1 against the live 0; the store keeps
no per-row edit counter), because a calendar that imported the live event
only removes it when it sees the cancellation; leaving the event out would
leave it in Outlook for good. Times are
local Helsinki times with a ``TZID`` and an RRULE-based ``VTIMEZONE``
(the form Outlook itself writes; icalendar's generated one is a list of
dates that ends in 2038). ``METHOD:PUBLISH`` marks a published calendar
rather than an invitation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard

from sosku_desktop import i18n
from sosku_desktop.domain import codes
from sosku_desktop.domain.attendance import session_span
from sosku_desktop.domain.models import Client, Group, GroupSession, Meeting, PlannedEntry

TZID = "Europe/Helsinki"
TZ = ZoneInfo(TZID)
PRODID = "-//Sosku//Sosku Desktop//FI"
UID_DOMAIN = "sosku-desktop"
#: No-shows are left out; cancelled meetings go out as cancelled events.
EXPORTED_MEETING_STATUSES = (codes.MEETING_PLANNED, codes.MEETING_REALISED, codes.MEETING_CANCELLED)
#: SEQUENCE of a live event and of its cancellation: the latter must be higher.
LIVE_SEQUENCE = 0
CANCELLED_SEQUENCE = 1


@dataclass(frozen=True)
class CalendarEntry:
    """One VEVENT: naive local times (Helsinki), or dates for a day-long event."""

    uid: str
    start: datetime | date
    end: datetime | date
    summary: str
    location: str = ""
    #: Written as STATUS:CANCELLED with a higher SEQUENCE, so importers drop the event.
    cancelled: bool = False


def uid_for(row_id: str) -> str:
    """A UID that stays the same for the same meeting or session on every export."""
    return f"{row_id}@{UID_DOMAIN}"


def initials(client: Client) -> str:
    """``A. K.`` for Aino Korhonen: enough for the worker, little for anyone else."""
    parts = [p for p in (client.first_name.strip(), client.last_name.strip()) if p]
    return " ".join(f"{p[0].upper()}." for p in parts) or "?"


def is_exported(meeting: Meeting) -> bool:
    return not meeting.deleted and meeting.status in EXPORTED_MEETING_STATUSES


def meeting_entry(
    meeting: Meeting, client: Client | None, lang: str, full_names: bool = False
) -> CalendarEntry:
    """A meeting as "Home visit – A. K." (or the full name and place when chosen)."""
    kind = i18n.code_label("meeting_kind", meeting.kind, lang)
    who = ""
    if client is not None:
        who = client.full_name if full_names else initials(client)
    summary = f"{kind} – {who}" if who else kind
    cancelled = meeting.status == codes.MEETING_CANCELLED
    if cancelled:
        summary = f"{i18n.tr('ics.cancelled_meeting', lang)}: {summary}"
    return CalendarEntry(
        uid=uid_for(meeting.id),
        start=meeting.starts_at,
        end=meeting.starts_at + timedelta(minutes=max(meeting.duration_min, 1)),
        summary=summary,
        location=meeting.place.strip() if full_names else "",
        cancelled=cancelled,
    )


def planned_entry(
    entry: PlannedEntry, client: Client | None, lang: str, full_names: bool = False
) -> CalendarEntry:
    """A key date of a period (evaluation, decision end …) as a day-long event."""
    what = i18n.code_label("plan_kind", entry.kind, lang)
    who = ""
    if client is not None:
        who = client.full_name if full_names else initials(client)
    return CalendarEntry(
        uid=uid_for(entry.id),
        start=entry.on,
        end=entry.on + timedelta(days=1),
        summary=f"{what} – {who}" if who else what,
    )


def session_entry(session: GroupSession, group: Group | None, lang: str) -> CalendarEntry:
    """A group session as "Group name: theme" at the group's place."""
    name = group.name if group is not None else i18n.tr("ics.group_session", lang)
    summary = f"{name}: {session.theme.strip()}" if session.theme.strip() else name
    if session.cancelled:
        summary = f"{i18n.tr('ics.cancelled_session', lang)}: {summary}"
    span = session_span(session)
    start: datetime | date
    end: datetime | date
    if span is None:
        start, end = session.on, session.on + timedelta(days=1)
    else:
        start, end = span
    return CalendarEntry(
        uid=uid_for(session.id),
        start=start,
        end=end,
        summary=summary,
        location=group.place.strip() if group is not None else "",
        cancelled=session.cancelled,
    )


def helsinki_timezone() -> Timezone:
    """Europe/Helsinki as EU summer-time rules (in force since 1996)."""
    tz = Timezone()
    tz.add("tzid", TZID)
    standard = TimezoneStandard()
    standard.add("dtstart", datetime(1996, 10, 27, 4, 0))
    standard.add("rrule", {"freq": "yearly", "bymonth": 10, "byday": "-1su"})
    standard.add("tzoffsetfrom", timedelta(hours=3))
    standard.add("tzoffsetto", timedelta(hours=2))
    standard.add("tzname", "EET")
    daylight = TimezoneDaylight()
    daylight.add("dtstart", datetime(1997, 3, 30, 3, 0))
    daylight.add("rrule", {"freq": "yearly", "bymonth": 3, "byday": "-1su"})
    daylight.add("tzoffsetfrom", timedelta(hours=2))
    daylight.add("tzoffsetto", timedelta(hours=3))
    daylight.add("tzname", "EEST")
    tz.add_component(standard)
    tz.add_component(daylight)
    return tz


def _local(value: datetime | date) -> datetime | date:
    if isinstance(value, datetime):
        return value.replace(tzinfo=TZ) if value.tzinfo is None else value.astimezone(TZ)
    return value


def build_ics(entries: Iterable[CalendarEntry], lang: str, stamp: datetime) -> bytes:
    """The calendar file; ``stamp`` (the export time) becomes every event's DTSTAMP.

    DTSTAMP is true UTC: an aware ``stamp`` is converted, a naive one is
    taken as the machine's own local time (what ``datetime.now()`` gives),
    never as Helsinki time, so a laptop set to another zone stamps right.
    """
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", i18n.tr("ics.calendar_name", lang))
    cal.add("x-wr-timezone", TZID)
    cal.add_component(helsinki_timezone())
    utc_stamp = stamp.astimezone(UTC).replace(microsecond=0)
    for entry in sorted(entries, key=lambda e: (_sort_key(e.start), e.uid)):
        event = Event()
        event.add("uid", entry.uid)
        event.add("dtstamp", utc_stamp)
        event.add("dtstart", _local(entry.start))
        event.add("dtend", _local(entry.end))
        event.add("summary", entry.summary)
        if entry.location:
            event.add("location", entry.location)
        event.add("status", "CANCELLED" if entry.cancelled else "CONFIRMED")
        event.add("sequence", CANCELLED_SEQUENCE if entry.cancelled else LIVE_SEQUENCE)
        # Neither a day-long session nor a cancelled event should block time in Outlook.
        busy = isinstance(entry.start, datetime) and not entry.cancelled
        event.add("transp", "OPAQUE" if busy else "TRANSPARENT")
        cal.add_component(event)
    return bytes(cal.to_ical())


def _sort_key(value: datetime | date) -> datetime:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    return datetime.combine(value, datetime.min.time())
