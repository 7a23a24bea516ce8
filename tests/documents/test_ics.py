"""The .ics export parses back with icalendar: events, local times, stable UIDs, privacy."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest

from sosku_desktop.documents import ics
from sosku_desktop.domain import codes
from sosku_desktop.domain.models import Client, Group, GroupSession, Meeting

HELSINKI = ZoneInfo("Europe/Helsinki")
STAMP = datetime(2026, 11, 24, 12, 0, tzinfo=HELSINKI)
CLIENT = Client(id="c1", first_name="Aino", last_name="Korhonen")


def _meeting(mid: str, when: datetime, **kw: object) -> Meeting:
    return Meeting(id=mid, period_id="p1", starts_at=when, place="Kotikatu 5 B", **kw)  # type: ignore[arg-type]


def _parse(data: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(data)


def _events(cal: icalendar.Calendar) -> dict[str, icalendar.Event]:
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def test_meetings_and_sessions_round_trip() -> None:
    winter = _meeting("m-1", datetime(2026, 11, 24, 10, 0), duration_min=90)
    summer = _meeting("m-2", datetime(2026, 6, 2, 9, 30), kind=codes.MEETING_WALK)
    group = Group(id="g", name="Arjen taidot", place="Lyhty")
    session = GroupSession(id="s-1", group_id="g", on=date(2026, 11, 26), starts_at="13.00")
    day_only = GroupSession(id="s-2", group_id="g", on=date(2026, 11, 27), theme="Retki")
    entries = [
        ics.meeting_entry(winter, CLIENT, "fi"),
        ics.meeting_entry(summer, CLIENT, "sv"),
        ics.session_entry(session, group, "fi"),
        ics.session_entry(day_only, group, "fi"),
    ]
    cal = _parse(ics.build_ics(entries, "fi", STAMP))

    assert cal["VERSION"] == "2.0"
    assert cal["PRODID"] == ics.PRODID
    assert cal["METHOD"] == "PUBLISH"
    events = _events(cal)
    assert set(events) == {
        "m-1@sosku-desktop",
        "m-2@sosku-desktop",
        "s-1@sosku-desktop",
        "s-2@sosku-desktop",
    }

    m1 = events["m-1@sosku-desktop"]
    start = m1.decoded("DTSTART")
    assert start == datetime(2026, 11, 24, 10, 0, tzinfo=HELSINKI)
    assert start.utcoffset() == timedelta(hours=2)
    assert m1.decoded("DTEND") - start == timedelta(minutes=90)
    assert m1.decoded("DTSTAMP") == datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
    assert str(m1["SUMMARY"]) == "Kotikäynti – A. K."

    m2 = events["m-2@sosku-desktop"]
    assert m2.decoded("DTSTART").utcoffset() == timedelta(hours=3)  # summer time
    assert str(m2["SUMMARY"]) == "Promenadmöte – A. K."

    s1 = events["s-1@sosku-desktop"]
    assert s1.decoded("DTSTART") == datetime(2026, 11, 26, 13, 0, tzinfo=HELSINKI)
    assert s1.decoded("DTEND") == datetime(2026, 11, 26, 14, 30, tzinfo=HELSINKI)
    assert str(s1["SUMMARY"]) == "Arjen taidot"
    assert str(s1["LOCATION"]) == "Lyhty"

    s2 = events["s-2@sosku-desktop"]
    assert s2.decoded("DTSTART") == date(2026, 11, 27)
    assert s2.decoded("DTEND") == date(2026, 11, 28)
    assert str(s2["SUMMARY"]) == "Arjen taidot: Retki"
    assert str(s2["TRANSP"]) == "TRANSPARENT"


def test_clients_are_initials_unless_full_names_are_chosen() -> None:
    meeting = _meeting("m-1", datetime(2026, 11, 24, 10, 0))
    private = ics.build_ics([ics.meeting_entry(meeting, CLIENT, "fi")], "fi", STAMP)
    assert b"Korhonen" not in private
    assert b"Aino" not in private
    assert b"Kotikatu" not in private  # the place can tell who the client is
    named = _events(
        _parse(
            ics.build_ics([ics.meeting_entry(meeting, CLIENT, "en", full_names=True)], "en", STAMP)
        )
    )["m-1@sosku-desktop"]
    assert str(named["SUMMARY"]) == "Home visit – Aino Korhonen"
    assert str(named["LOCATION"]) == "Kotikatu 5 B"


def test_uids_are_stable_across_exports() -> None:
    meeting = _meeting("m-1", datetime(2026, 11, 24, 10, 0))
    first = _events(_parse(ics.build_ics([ics.meeting_entry(meeting, CLIENT, "fi")], "fi", STAMP)))
    later = _events(
        _parse(
            ics.build_ics(
                [ics.meeting_entry(meeting, CLIENT, "fi")], "fi", STAMP + timedelta(days=3)
            )
        )
    )
    assert set(first) == set(later) == {ics.uid_for("m-1")}


def test_the_timezone_block_gives_helsinki_offsets_in_every_season() -> None:
    cal = _parse(ics.build_ics([], "fi", STAMP))
    tz = cal.walk("VTIMEZONE")[0].to_tz()
    for year in (2026, 2031, 2045):
        for month, hours in ((1, 2), (7, 3), (10, 3), (11, 2)):
            probe = datetime(year, month, 15, 12, 0)
            assert probe.replace(tzinfo=tz).utcoffset() == timedelta(hours=hours)
            assert probe.replace(tzinfo=HELSINKI).utcoffset() == timedelta(hours=hours)


def test_no_shows_are_left_out_and_cancelled_meetings_go_out() -> None:
    statuses = {
        status: ics.is_exported(_meeting("m", datetime(2026, 1, 1, 9), status=status))
        for status in codes.MEETING_STATUSES
    }
    assert statuses == {
        codes.MEETING_PLANNED: True,
        codes.MEETING_REALISED: True,
        codes.MEETING_CANCELLED: True,
        codes.MEETING_NO_SHOW: False,
    }
    deleted = _meeting("m", datetime(2026, 1, 1, 9), deleted=True)
    assert not ics.is_exported(deleted)


def test_initials_handle_short_names() -> None:
    assert ics.initials(Client(id="x", first_name="anna-liisa", last_name="")) == "A."
    assert ics.initials(Client(id="x", first_name="", last_name="")) == "?"


def test_dtstamp_is_true_utc_whatever_the_machines_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    """A naive export time is the machine's local time, not Helsinki time (issue 9)."""
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        naive_local = datetime(2026, 11, 24, 7, 0)  # 7.00 in New York = 12.00 UTC
        cal = _parse(
            ics.build_ics(
                [ics.meeting_entry(_meeting("m", naive_local), CLIENT, "fi")], "fi", naive_local
            )
        )
        event = _events(cal)["m@sosku-desktop"]
        assert event.decoded("DTSTAMP") == datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
        assert str(event["DTSTAMP"].to_ical().decode()).endswith("Z")
    finally:
        monkeypatch.undo()
        time.tzset()


def _cancellation_pair(lang: str) -> dict[str, tuple[icalendar.Event, icalendar.Event]]:
    """Each row exported live, then cancelled: (live event, cancelled event) by UID."""
    group = Group(id="g", name="Arjen taidot", place="Lyhty")
    meeting = _meeting("m-1", datetime(2026, 11, 24, 10, 0), status=codes.MEETING_PLANNED)
    session = GroupSession(id="s-1", group_id="g", on=date(2026, 11, 26), starts_at="13.00")
    live = _events(
        _parse(
            ics.build_ics(
                [ics.meeting_entry(meeting, CLIENT, lang), ics.session_entry(session, group, lang)],
                lang,
                STAMP,
            )
        )
    )
    meeting.status = codes.MEETING_CANCELLED
    session.cancelled = True
    gone = _events(
        _parse(
            ics.build_ics(
                [ics.meeting_entry(meeting, CLIENT, lang), ics.session_entry(session, group, lang)],
                lang,
                STAMP + timedelta(days=1),
            )
        )
    )
    assert set(live) == set(gone) == {ics.uid_for("m-1"), ics.uid_for("s-1")}
    return {uid: (live[uid], gone[uid]) for uid in live}


def test_cancelled_meeting_and_session_replace_the_live_events() -> None:
    for uid, (live, gone) in _cancellation_pair("fi").items():
        assert str(live["STATUS"]) == "CONFIRMED" and str(gone["STATUS"]) == "CANCELLED", uid
        assert int(gone.decoded("SEQUENCE")) > int(live.decoded("SEQUENCE")) == 0
        assert str(gone["SUMMARY"]) == f"Peruttu: {live['SUMMARY']}"
        assert gone.decoded("DTSTART") == live.decoded("DTSTART")
        assert str(live["TRANSP"]) == "OPAQUE" and str(gone["TRANSP"]) == "TRANSPARENT"


def test_the_cancelled_prefix_follows_the_language() -> None:
    prefixes = {
        lang: {uid: str(gone["SUMMARY"]).split(":")[0] for uid, (_, gone) in pair.items()}
        for lang, pair in ((lang, _cancellation_pair(lang)) for lang in ("sv", "en"))
    }
    assert prefixes == {
        "sv": {"m-1@sosku-desktop": "Inställt", "s-1@sosku-desktop": "Inställd"},
        "en": {"m-1@sosku-desktop": "Cancelled", "s-1@sosku-desktop": "Cancelled"},
    }
