"""A small, hand-checked team for the team-report tests (not the random demo).

Window January–March 2026, report day 15.4.2026, default rules (2 meetings a
month, 9 €/day). The expected figures are worked out by hand in the
comments and in ``EXPECTED``; the domain tests compute them from these
objects and the store tests from the same rows written to a real
encrypted store.

People
------
- Aalto, Aino (A)  – worker W1, active, intensive, period 1.1.2026–31.12.2026
- Berg, Bo (B)     – worker W1, active, start phase, period 20.1.2026–19.1.2027
  (January covers 12 of 31 days → target ceil(2·12/31) = 1)
- Cederlund, Cia (C) – worker W2, period 1.10.2025–, ended 28.2.2026
- Dahl, Dan (D)    – worker W2, planned period from 1.5.2026 (not started: out)
- Eskola, Eeva (E) – deleted client with an active period (out)
- Forsman, Frida (F) – worker W1, ended 31.12.2025, before the window (out)

Meetings per client and month (realised / target)
-------------------------------------------------
A: Jan 3/2 (two on 5.1., one 19.1.; a deleted one on 12.1.), Feb 1/2 (9.2.;
   23.2. cancelled), Mar 2/2 (2.3., 16.3.; 30.3. no-show)
B: Jan 1/1 (27.1.), Feb 0/2, Mar 2/2 (3.3., 17.3.); planned 20.4. is outside
C: Jan 2/2 (8.1., 22.1.), Feb 1/2 (12.2.); 15.12.2025 is outside

Groups (held sessions in the window; S3 is cancelled, S4 is after it)
-------------------------------------------------------------------------
Kävelyryhmä: S1 13.1. A present, B absent, C present; S2 10.2. A present,
   B excused, C absent; S3 10.3. cancelled (A present ignored); S4 14.4. (out)
   → 3 present / 6 marked = 50 %
Taideryhmä: T1 20.1. A, B present; T2 17.2. B, C present (A's mark deleted)
   → 4 / 4 = 100 %
Vanha ryhmä: deleted group (out)

Activity money days (meeting or present at a held session; a day once)
-----------------------------------------------------------------------
A: Jan 5.1., 13.1., 19.1., 20.1. = 4; Feb 9.2., 10.2. = 2; Mar 2.3., 16.3. = 2
B: Jan 20.1., 27.1. = 2; Feb 17.2. = 1; Mar 3.3., 17.3. = 2
C: Jan 8.1., 13.1., 22.1. = 3; Feb 12.2., 17.2. = 2
→ Jan 9 days 81 €, Feb 5 days 45 €, Mar 4 days 36 € = 162 € at 9 €.
The store tests add a rate of 10 € from 1.3.2026: March 40 €, total 166 €.

Budget 2026: W1 (instructor, 300 €) spent 12,40 + 30,00 = 42,40 € (a
deleted 99 € and a 2025 expense of 50 € do not count); W2 (social worker,
150 €) spent 160,00 € → 10,00 € over.
"""

from __future__ import annotations

from datetime import date, datetime

from sosku_desktop.domain import codes
from sosku_desktop.domain.models import (
    Attendance,
    Client,
    Expense,
    Group,
    GroupSession,
    Meeting,
    Period,
    Worker,
)
from sosku_desktop.domain.team_report import TeamData
from sosku_desktop.store.database import Store

TODAY = date(2026, 4, 15)
WINDOW = ((2026, 1), (2026, 3))

W1 = "00000000-0000-7000-8000-000000000001"
W2 = "00000000-0000-7000-8000-000000000002"
A, B, C, D, E, F = (f"00000000-0000-7000-8000-00000000010{i}" for i in range(6))
PA, PB, PC, PD, PE, PF = (f"00000000-0000-7000-8000-00000000020{i}" for i in range(6))
G1, G2, G3 = (f"00000000-0000-7000-8000-00000000030{i}" for i in range(3))

_counter = iter(range(1000, 10000))


def _id() -> str:
    return f"00000000-0000-7000-8000-00000000{next(_counter):04d}"


def _meeting(
    period_id: str,
    day: date,
    kind: str,
    hour: int = 10,
    status: str = codes.MEETING_REALISED,
    deleted: bool = False,
) -> Meeting:
    return Meeting(
        id=_id(),
        period_id=period_id,
        starts_at=datetime(day.year, day.month, day.day, hour),
        kind=kind,
        status=status,
        deleted=deleted,
    )


def team_data() -> TeamData:
    """The team as plain domain objects (fresh objects on every call)."""
    workers = [
        Worker(id=W1, name="Sanna Ohjaaja", role=codes.ROLE_SOCIAL_INSTRUCTOR),
        Worker(id=W2, name="Mikko Työntekijä", role=codes.ROLE_SOCIAL_WORKER),
    ]
    clients = [
        Client(id=A, first_name="Aino", last_name="Aalto", worker_id=W1),
        Client(id=B, first_name="Bo", last_name="Berg", worker_id=W1, language="sv"),
        Client(id=C, first_name="Cia", last_name="Cederlund", worker_id=W2),
        Client(id=D, first_name="Dan", last_name="Dahl", worker_id=W2),
        Client(id=E, first_name="Eeva", last_name="Eskola", worker_id=W1, deleted=True),
        Client(id=F, first_name="Frida", last_name="Forsman", worker_id=W1),
    ]
    periods = [
        Period(PA, A, W1, date(2026, 1, 1), date(2026, 12, 31), codes.PHASE_INTENSIVE),
        Period(PB, B, W1, date(2026, 1, 20), date(2027, 1, 19), codes.PHASE_START),
        Period(
            PC,
            C,
            W2,
            date(2025, 10, 1),
            date(2026, 9, 30),
            codes.PHASE_ENDING,
            status=codes.PERIOD_ENDED,
            ended_on=date(2026, 2, 28),
        ),
        Period(
            PD,
            D,
            W2,
            date(2026, 5, 1),
            date(2027, 4, 30),
            codes.PHASE_BEFORE_START,
            status=codes.PERIOD_PLANNED,
        ),
        Period(PE, E, W1, date(2026, 1, 1), date(2026, 12, 31), codes.PHASE_INTENSIVE),
        Period(
            PF,
            F,
            W1,
            date(2025, 1, 1),
            date(2025, 12, 31),
            codes.PHASE_ENDING,
            status=codes.PERIOD_ENDED,
            ended_on=date(2025, 12, 31),
        ),
    ]
    d = date
    meetings = [
        # A
        _meeting(PA, d(2026, 1, 5), codes.MEETING_HOME_VISIT, 10),
        _meeting(PA, d(2026, 1, 5), codes.MEETING_ERRAND, 14),
        _meeting(PA, d(2026, 1, 12), codes.MEETING_HOME_VISIT, deleted=True),
        _meeting(PA, d(2026, 1, 19), codes.MEETING_WALK),
        _meeting(PA, d(2026, 2, 9), codes.MEETING_CAFE),
        _meeting(PA, d(2026, 2, 23), codes.MEETING_HOME_VISIT, status=codes.MEETING_CANCELLED),
        _meeting(PA, d(2026, 3, 2), codes.MEETING_WALK),
        _meeting(PA, d(2026, 3, 16), codes.MEETING_OFFICE),
        _meeting(PA, d(2026, 3, 30), codes.MEETING_PHONE, status=codes.MEETING_NO_SHOW),
        # B
        _meeting(PB, d(2026, 1, 27), codes.MEETING_HOME_VISIT),
        _meeting(PB, d(2026, 3, 3), codes.MEETING_WALK),
        _meeting(PB, d(2026, 3, 17), codes.MEETING_REMOTE),
        _meeting(PB, d(2026, 4, 20), codes.MEETING_HOME_VISIT, status=codes.MEETING_PLANNED),
        # C
        _meeting(PC, d(2025, 12, 15), codes.MEETING_WALK),
        _meeting(PC, d(2026, 1, 8), codes.MEETING_NETWORK),
        _meeting(PC, d(2026, 1, 22), codes.MEETING_HOME_VISIT),
        _meeting(PC, d(2026, 2, 12), codes.MEETING_HOME_VISIT),
        # E (deleted client)
        _meeting(PE, d(2026, 1, 10), codes.MEETING_HOME_VISIT),
    ]
    groups = [
        Group(id=G1, name="Kävelyryhmä"),
        Group(id=G2, name="Taideryhmä"),
        Group(id=G3, name="Vanha ryhmä", deleted=True),
    ]
    s1, s2, s3, s4, t1, t2, v1 = (_id() for _ in range(7))
    sessions = [
        GroupSession(s1, G1, d(2026, 1, 13)),
        GroupSession(s2, G1, d(2026, 2, 10)),
        GroupSession(s3, G1, d(2026, 3, 10), cancelled=True),
        GroupSession(s4, G1, d(2026, 4, 14)),
        GroupSession(t1, G2, d(2026, 1, 20)),
        GroupSession(t2, G2, d(2026, 2, 17)),
        GroupSession(v1, G3, d(2026, 1, 15)),
    ]
    present, absent, excused = (
        codes.ATTENDANCE_PRESENT,
        codes.ATTENDANCE_ABSENT,
        codes.ATTENDANCE_EXCUSED,
    )
    attendances = [
        Attendance(_id(), s1, A, present),
        Attendance(_id(), s1, B, absent),
        Attendance(_id(), s1, C, present),
        Attendance(_id(), s2, A, present),
        Attendance(_id(), s2, B, excused),
        Attendance(_id(), s2, C, absent),
        Attendance(_id(), s3, A, present),
        Attendance(_id(), s4, A, present),
        Attendance(_id(), t1, A, present),
        Attendance(_id(), t1, B, present),
        Attendance(_id(), t2, B, present),
        Attendance(_id(), t2, C, present),
        Attendance(_id(), t2, A, present, deleted=True),
        Attendance(_id(), v1, A, present),
    ]
    expenses = [
        Expense(_id(), W1, d(2026, 1, 10), 1240, "Kahvit"),
        Expense(_id(), W1, d(2026, 2, 5), 3000, "Museoliput"),
        Expense(_id(), W1, d(2025, 12, 20), 5000, "Joulu"),
        Expense(_id(), W1, d(2026, 3, 1), 9900, "Poistettu", deleted=True),
        Expense(_id(), W2, d(2026, 3, 3), 16000, "Retki"),
    ]
    return TeamData(
        workers=workers,
        clients=clients,
        periods=periods,
        meetings=meetings,
        groups=groups,
        sessions=sessions,
        attendances=attendances,
        expenses=expenses,
    )


def write_team(store: Store, *, rate_change: bool = True) -> TeamData:
    """Write the fixture into ``store`` (with W1 as this device's worker).

    Deleted rows are written live and then deleted, as the app would.
    ``rate_change`` sets a 10 € rate from 1.3.2026 in the synced settings.
    """
    data = team_data()
    rows: list[object] = [
        *data.workers,
        *data.clients,
        *data.periods,
        *data.meetings,
        *data.groups,
        *data.sessions,
        *data.attendances,
        *data.expenses,
    ]
    with store.write() as w:
        for row in rows:
            deleted = getattr(row, "deleted", False)
            if deleted:
                row.deleted = False  # type: ignore[attr-defined]
            w.add(row)
            if deleted:
                w.delete(type(row), row.id)  # type: ignore[attr-defined]
                row.deleted = True  # type: ignore[attr-defined]
        if rate_change:
            w.set_setting(
                "activity_money_rates",
                [
                    {"valid_from": "2000-01-01", "cents_per_day": 900},
                    {"valid_from": "2026-03-01", "cents_per_day": 1000},
                ],
            )
        w.set_setting("organisation_name", "Testikaupunki, aikuissosiaalityö")
    store.set_current_worker(W1)
    return data


NAMES = {A: "Aalto, Aino", B: "Berg, Bo", C: "Cederlund, Cia"}
