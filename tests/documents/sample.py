"""Sample domain objects for the document tests: the canonical January 2024.

Meetings on 4.1., 17.1. and 24.1.2024 are realised, the one on 10.1. is
cancelled, and the client attended a group session on 17.1. — the same
day as a meeting — so activity money is 3 days × 9,00 € = 27,00 €.
All people are invented; identity codes use the 900–999 test range.
"""

from __future__ import annotations

from datetime import date, datetime

from sosku_desktop.documents import CaseloadEntry, DocumentContext, Organisation
from sosku_desktop.domain import codes
from sosku_desktop.domain.models import (
    Agreement,
    Assessment,
    Attendance,
    AuditEntry,
    Client,
    Decision,
    Evaluation,
    Goal,
    Group,
    GroupSession,
    ImplementationPlan,
    Meeting,
    Period,
    Worker,
)

PRINTED = date(2024, 2, 5)
ORG = Organisation(
    name="Esimerkkilän kaupunki",
    unit="Työikäisten sosiaalipalvelut, sosiaalinen kuntoutus",
    address="Kirkkokatu 1, 00100 Esimerkkilä",
    phone="09 123 4567",
    email="sosku@esimerkkila.fi",
)
WORKER = Worker(
    id="w1",
    name="Sanna Ohjaaja",
    role=codes.ROLE_SOCIAL_INSTRUCTOR,
    phone="040 123 4567",
    email="sanna.ohjaaja@esimerkkila.fi",
)
LEAD = Worker(id="w2", name="Pekka Esihenkilö", role=codes.ROLE_SOCIAL_WORKER)
CLIENT = Client(
    id="c1",
    first_name="Matti",
    last_name="Meikäläinen",
    identity_code="010190-900P",
    phone="050 765 4321",
    address="Rantatie 5 B 12, 00100 Esimerkkilä",
    worker_id="w1",
)
OTHER_CLIENT = Client(id="c2", first_name="Liisa", last_name="Toinen", identity_code="250785-901S")
PERIOD = Period(
    id="p1",
    client_id="c1",
    worker_id="w1",
    start=date(2024, 1, 4),
    planned_end=date(2025, 1, 3),
    phase=codes.PHASE_INTENSIVE,
)
OTHER_PERIOD = Period(
    id="p2", client_id="c2", worker_id="w1", start=date(2024, 1, 2), planned_end=date(2024, 12, 31)
)
GOALS = [
    Goal(
        id="g1", period_id="p1", text="Käyn kaupassa itse kerran viikossa", progress=60, position=1
    ),
    Goal(
        id="g2",
        period_id="p1",
        text="Rytmitän viikkoni: herään ennen yhdeksää",
        progress=30,
        position=2,
    ),
    Goal(
        id="g3",
        period_id="p1",
        text="Liityn johonkin ryhmään",
        status=codes.GOAL_ACHIEVED,
        progress=100,
        achieved_on=date(2024, 1, 17),
        position=3,
    ),
    Goal(
        id="g1a",
        period_id="p1",
        parent_id="g1",
        level=codes.GOAL_SUB,
        text="Teen kauppalistan edellisenä iltana",
        progress=80,
        position=1,
    ),
    Goal(id="gx", period_id="p2", text="TOISEN ASIAKKAAN TAVOITE", position=1),
]


def _meeting(mid: str, day: int, status: str = codes.MEETING_REALISED, **kw: object) -> Meeting:
    return Meeting(
        id=mid,
        period_id="p1",
        worker_id="w1",
        starts_at=datetime(2024, 1, day, 13, 0),
        status=status,
        **kw,  # type: ignore[arg-type]
    )


MEETINGS = [
    _meeting(
        "m1",
        4,
        kind=codes.MEETING_HOME_VISIT,
        place="Koti",
        methods=["life_line"],
        notes="Tutustuminen, elämänjana.",
    ),
    _meeting("m2", 10, codes.MEETING_CANCELLED, kind=codes.MEETING_WALK),
    _meeting("m3", 17, kind=codes.MEETING_WALK, place="Rantapuisto"),
    _meeting(
        "m4",
        24,
        kind=codes.MEETING_CAFE,
        place="Kahvila Kulma",
        agreed_next="Käydään yhdessä kirjastossa.",
    ),
    Meeting(
        id="m5",
        period_id="p1",
        worker_id="w1",
        starts_at=datetime(2024, 2, 7, 10, 0),
        status=codes.MEETING_PLANNED,
    ),
]
OTHER_MEETINGS = [
    Meeting(
        id="mx",
        period_id="p2",
        worker_id="w1",
        starts_at=datetime(2024, 1, 5, 9, 0),
        notes="TOISEN ASIAKKAAN MUISTIINPANO",
    ),
    Meeting(id="my", period_id="p2", worker_id="w1", starts_at=datetime(2024, 1, 12, 9, 0)),
]
GROUP = Group(id="gr1", name="Tiistain kävelyryhmä", leaders="Sanna Ohjaaja", place="Rantapuisto")
SESSIONS = [
    GroupSession(id="s1", group_id="gr1", on=date(2024, 1, 17), theme="Syksyn retki"),
    GroupSession(id="s2", group_id="gr1", on=date(2024, 1, 31), theme="Kirjasto"),
]
ATTENDANCES = [
    Attendance(id="a1", session_id="s1", client_id="c1", status=codes.ATTENDANCE_PRESENT),
    Attendance(id="a2", session_id="s2", client_id="c1", status=codes.ATTENDANCE_EXCUSED),
    Attendance(id="a3", session_id="s2", client_id="c2", status=codes.ATTENDANCE_PRESENT),
]
DECISIONS = [
    Decision(
        id="d1",
        period_id="p1",
        kind=codes.DECISION_REHABILITATION,
        valid_from=date(2024, 1, 4),
        valid_to=date(2024, 4, 3),
        number="SK-2024-17",
        planned_meetings=6,
        planned_group_sessions=10,
        decided_on=date(2024, 1, 4),
        reasoning="Asiakas hyötyy tiiviistä tuesta arjen rytmin ja asioinnin harjoitteluun.",
        heard_how="tavattu henkilökohtaisesti",
    ),
    Decision(
        id="d2",
        period_id="p1",
        kind=codes.DECISION_ACTIVITY_MONEY,
        valid_from=date(2024, 1, 4),
        valid_to=date(2024, 2, 3),
        number="TR-2024-5",
        decided_on=date(2024, 2, 5),
        heard_how="tavattu henkilökohtaisesti",
    ),
    Decision(
        id="d3",
        period_id="p1",
        kind=codes.DECISION_TRANSPORT_CARD,
        valid_from=date(2024, 1, 4),
        valid_to=date(2024, 4, 2),
        number="MK-2024-9",
        details="Vyöhykkeet AB, 50 %:n alennus",
        heard_how="puhelimessa",
    ),
]
AGREEMENT = Agreement(
    id="ag1",
    period_id="p1",
    meeting_times="Keskiviikkoisin klo 13, joka toinen viikko",
    contact="Tekstiviesti edellisenä päivänä",
    group_activity="Tiistain kävelyryhmä",
    signed_on=date(2024, 1, 4),
)
ASSESSMENTS = [
    Assessment(
        id="as1",
        client_id="c1",
        instrument_id="generic",
        on=date(2024, 1, 4),
        answers={"arki": 3, "terveys": 4},
    ),
    Assessment(
        id="as2",
        client_id="c1",
        instrument_id="generic",
        on=date(2024, 6, 3),
        answers={"arki": 6, "terveys": 5},
    ),
    Assessment(
        id="asx", client_id="c2", instrument_id="generic", on=date(2024, 1, 5), answers={"arki": 9}
    ),
]
AREA_SCORES = {
    "Arjen sujuminen": (3.0, 6.0),
    "Terveys": (4.0, 5.0),
    "Ihmissuhteet ja yhteisöön kuuluminen": (2.0, 5.5),
    "Talous": (5.0, 5.0),
}
AUDIT = [
    AuditEntry(
        id="l1",
        at=datetime(2024, 1, 4, 12, 0),
        action=codes.AUDIT_VIEW,
        worker_id="w1",
        device_id="dev1",
        client_id="c1",
        record_table="clients",
        record_id="c1",
    ),
    AuditEntry(
        id="l2",
        at=datetime(2024, 1, 4, 14, 5),
        action=codes.AUDIT_PRINT,
        worker_id="w1",
        device_id="dev1",
        client_id="c1",
        record_table="document",
        record_id="agreement",
    ),
    AuditEntry(
        id="l3",
        at=datetime(2024, 1, 20, 9, 30),
        action=codes.AUDIT_VIEW,
        worker_id="w2",
        device_id="dev2",
        client_id="c1",
        record_table="meetings",
        record_id="m3",
        reason="tiimin esihenkilön tarkastus",
    ),
    AuditEntry(
        id="lx",
        at=datetime(2024, 1, 21, 9, 30),
        action=codes.AUDIT_VIEW,
        worker_id="w2",
        device_id="dev2",
        client_id="c2",
        record_table="clients",
        record_id="c2",
    ),
]


PLANS = [
    ImplementationPlan(
        id="ip1",
        period_id="p1",
        made_on=date(2024, 1, 12),
        content="Yksilötapaamiset kahden viikon välein; ryhmään tutustuminen.",
        responsible="Sanna Ohjaaja",
        review_on=date(2024, 4, 3),
        goal_plans=[
            {"goal_id": "g1", "means": "Kauppalista", "timetable": "3 kk", "responsible": "Matti"}
        ],
    ),
    ImplementationPlan(
        id="ip2",
        period_id="p1",
        made_on=date(2024, 4, 2),
        revision=2,
        content="Ryhmä viikoittain, yksilötapaamiset kerran kuussa.",
        responsible="Sanna Ohjaaja",
        previous_goals_reached="Kaupassa käynti onnistuu jo itse.",
        review_on=date(2024, 7, 3),
        goal_plans=[
            {"goal_id": "g1", "means": "Yksin kauppaan", "timetable": "kesäkuu", "responsible": "M"}
        ],
    ),
]
EVALUATIONS = [
    Evaluation(
        id="ev1",
        period_id="p1",
        on=date(2024, 4, 2),
        block_start=date(2024, 1, 4),
        block_end=date(2024, 4, 3),
        attainment={"g1": codes.ATTAINMENT_PARTLY, "g3": codes.ATTAINMENT_REACHED},
        client_view="Kauppareissut sujuvat, aamut ovat vielä vaikeita.",
        what_worked="Kävelytapaamiset.",
        changes="Aamurytmiin haetaan apua ryhmästä.",
    )
]
ENDED_PERIOD = Period(
    id="p1",
    client_id="c1",
    worker_id="w1",
    start=date(2024, 1, 4),
    planned_end=date(2025, 1, 3),
    phase=codes.PHASE_ENDING,
    status=codes.PERIOD_ENDED,
    ended_on=date(2024, 12, 20),
    end_reason=codes.END_MOVED_TO_SERVICE,
    final_evaluation="Tavoitteet toteutuivat pääosin.",
    follow_on_service="Kuntouttava työtoiminta",
    next_steps="Työntekijä soittaa tammikuussa.",
    feedback={"feedback.q_help": "5", "feedback.open_helped": "Kävelyt."},
)


def context(lang: str = "fi", **overrides: object) -> DocumentContext:
    """A full context for client c1 (with c2's data mixed in where lists are shared)."""
    values: dict[str, object] = {
        "organisation": ORG,
        "lang": lang,
        "printed_on": PRINTED,
        "client": CLIENT,
        "period": PERIOD,
        "worker": WORKER,
        "workers": [WORKER, LEAD],
        "periods": [PERIOD, OTHER_PERIOD],
        "goals": GOALS,
        "meetings": MEETINGS + OTHER_MEETINGS,
        "decisions": DECISIONS,
        "agreement": AGREEMENT,
        "groups": [GROUP],
        "sessions": SESSIONS,
        "attendances": ATTENDANCES,
        "assessments": ASSESSMENTS,
        "area_scores": AREA_SCORES,
        "area_scale_max": 10,
        "audit_entries": AUDIT,
        "caseload": [
            CaseloadEntry(CLIENT, MEETINGS, [PERIOD]),
            CaseloadEntry(OTHER_CLIENT, OTHER_MEETINGS, [OTHER_PERIOD]),
        ],
        "month": (2024, 1),
        "meeting": MEETINGS[0],
        "plans": PLANS,
        "evaluations": EVALUATIONS,
    }
    values.update(overrides)
    return DocumentContext(**values)  # type: ignore[arg-type]


#: Kinds made only once the period has ended (final evaluation, service end).
ENDING_KINDS = ("final-evaluation", "service-end")


def context_for(kind: str, lang: str = "fi", **overrides: object) -> DocumentContext:
    """``context`` with the period ended for the kinds made at the ending."""
    if kind in ENDING_KINDS:
        overrides.setdefault("period", ENDED_PERIOD)
    return context(lang, **overrides)
