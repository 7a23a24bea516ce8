"""A realistic demo caseload, written for the demo (all people are invented).

Two workers, a dozen clients in every phase of their period, goals with
sub-goals and everyday steps, months of meetings of every kind, two groups
with sessions and attendance, decisions in 3-month blocks and expenses.
Dates are laid out around ``today`` so Today's reminders have something to
say; a fixed random seed makes the caseload the same on every run.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from pathlib import Path

from sosku_desktop.domain import codes, models
from sosku_desktop.domain.meeting_defaults import WEEKEND
from sosku_desktop.domain.periods import block_end, max_end
from sosku_desktop.store.database import Store
from sosku_desktop.store.demo_lifecycle import build_lifecycle_demo
from sosku_desktop.store.demo_people import (
    AGREED,
    CLIENTS,
    MEETING_PLACES,
    NOTES,
    STREETS,
    DemoClient,
)
from sosku_desktop.store.writer import Writer, derived_id, new_id

DEMO_PASSPHRASE = "demo"
REASONING = "Asiakas hyötyy palvelusta ja haluaa jatkaa tavoitteellista työskentelyä."


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 0))


def _working_day(day: date, earliest: date, latest: date) -> date:
    """``day`` moved off a weekend, as a worker books visits, staying in ``earliest..latest``.

    The demo's visits used to land on Saturdays and Sundays: a social
    instructor looking at the calendar saw a caseload nobody works. Monday
    first, else the Friday before; a weekend day with no weekday in reach
    stays as it is.
    """
    for step in (1, -1):
        moved = day
        while moved.weekday() in WEEKEND:
            moved += timedelta(days=step)
        if earliest <= moved <= latest:
            return moved
    return day


def build_demo(
    data_dir: Path, passphrase: str = DEMO_PASSPHRASE, today: date | None = None
) -> Store:
    """Create ``data_dir`` with the demo caseload; returns the open store."""
    today = today or date.today()
    rnd = random.Random(20240104)
    store = Store.create(data_dir, passphrase)
    me = models.Worker(
        id=new_id(),
        name="Sanna Virtanen",
        role=codes.ROLE_SOCIAL_INSTRUCTOR,
        team="Aikuisten sosiaalinen kuntoutus",
        email="sanna.virtanen@example.fi",
        phone="040 100 2000",
    )
    colleague = models.Worker(
        id=new_id(),
        name="Mikko Laine",
        role=codes.ROLE_SOCIAL_WORKER,
        team="Aikuisten sosiaalinen kuntoutus",
        email="mikko.laine@example.fi",
    )
    with store.write() as w:
        w.add(me)
        w.add(colleague)
        w.set_setting("organisation_name", "Esimerkkikaupunki, aikuissosiaalityö")
        w.set_setting(
            "organisation_contact", "Kauppakatu 12, 33100 Esimerkkikaupunki · puh. 03 123 4567"
        )
    store.set_current_worker(me.id)

    groups = _build_groups(store, today)
    for index, demo in enumerate(CLIENTS):
        worker = me if index % 4 != 3 else colleague
        with store.write() as w:
            _build_client(w, demo, worker, groups, today, rnd)
    with store.write() as w:
        _build_expenses(w, me, colleague, today, rnd)
    _build_assessments(store, today)
    build_lifecycle_demo(store, today)
    return store


def _build_groups(
    store: Store, today: date
) -> list[tuple[models.Group, list[models.GroupSession]]]:
    specs = (
        (
            "Arjen taidot -ryhmä",
            "Sanna Virtanen, Mikko Laine",
            "Kohtaamispaikka Lyhty",
            "tiistaisin klo 13–15",
            (
                "Ruokabudjetti",
                "Kela-asiointi",
                "Kodin siivous",
                "Terveellinen ateria",
                "Unirytmi",
                "Vapaa-aika",
            ),
        ),
        (
            "Kävelyryhmä Askel",
            "Sanna Virtanen",
            "Lähtö kirjaston edestä",
            "torstaisin klo 10–11.30",
            (
                "Rantareitti",
                "Metsäpolku",
                "Kaupunkikierros",
                "Museokävely",
                "Puistokierros",
                "Näkötorni",
            ),
        ),
    )
    result = []
    with store.write() as w:
        for name, leaders, place, schedule, themes in specs:
            group = w.add(
                models.Group(
                    id=new_id(),
                    name=name,
                    leaders=leaders,
                    place=place,
                    schedule=schedule,
                    description="Avoin ryhmä sosiaalisen kuntoutuksen asiakkaille.",
                )
            )
            weekday = 1 if "tiistai" in schedule else 3
            first = today - timedelta(days=(today.weekday() - weekday) % 7) - timedelta(weeks=9)
            sessions = []
            for week in range(12):
                day = first + timedelta(weeks=week)
                sessions.append(
                    w.add(
                        models.GroupSession(
                            id=new_id(),
                            group_id=group.id,
                            on=day,
                            starts_at="13.00" if weekday == 1 else "10.00",
                            theme=themes[week % len(themes)],
                        )
                    )
                )
            result.append((group, sessions))
    return result


def _build_client(
    w: Writer,
    demo: DemoClient,
    worker: models.Worker,
    groups: list[tuple[models.Group, list[models.GroupSession]]],
    today: date,
    rnd: random.Random,
) -> None:
    """One demo client: the person, a period with goals and an agreement;
    an active period also gets decisions, meetings and perhaps a group."""
    client, period = _add_client_and_period(w, demo, worker, today, rnd)
    goal_ids = _build_goals(w, demo, period, rnd)
    _add_agreement(w, period, goal_ids)
    if period.status != codes.PERIOD_ACTIVE:
        return
    _build_decisions(w, period, period.start, today)
    _build_meetings(w, period, worker, period.start, today, goal_ids, rnd)
    if (
        demo.phase in (codes.PHASE_GROUP, codes.PHASE_EVALUATION, codes.PHASE_ENDING)
        or rnd.random() < 0.3
    ):
        group, sessions = groups[rnd.randrange(len(groups))]
        _join_group(w, demo, client, group, sessions, period.start, today, rnd)


def _add_client_and_period(
    w: Writer, demo: DemoClient, worker: models.Worker, today: date, rnd: random.Random
) -> tuple[models.Client, models.Period]:
    client = w.add(
        models.Client(
            id=new_id(),
            first_name=demo.first,
            last_name=demo.last,
            identity_code=demo.hetu,
            language=demo.language,
            phone=demo.phone,
            notes=demo.notes,
            worker_id=worker.id,
            address=f"{rnd.choice(STREETS)} {rnd.randint(1, 40)}",
        )
    )
    start = today - timedelta(days=demo.started_days_ago)
    intake = {code: True for code in codes.INTAKE_OFFER[:5]}
    intake.update({code: False for code in codes.INTAKE_NOT_NOW})
    status = codes.PERIOD_PLANNED if demo.started_days_ago < 0 else codes.PERIOD_ACTIVE
    period = w.add(
        models.Period(
            id=new_id(),
            client_id=client.id,
            worker_id=worker.id,
            start=start,
            planned_end=max_end(start),
            phase=demo.phase,
            status=status,
            intake=intake,
        )
    )
    return client, period


def _add_agreement(w: Writer, period: models.Period, goal_ids: list[str]) -> None:
    w.add(
        models.Agreement(
            id=new_id(),
            period_id=period.id,
            meeting_times="Tiistaisin klo 10, joka toinen viikko",
            contact="Työntekijä soittaa tai tekstaa edellisenä päivänä.",
            group_activity="Tutustutaan Arjen taidot -ryhmään yhdessä.",
            other="Peruutukset viimeistään edellisenä päivänä.",
            goal_ids=goal_ids[:3],
            signed_on=period.start if period.status == codes.PERIOD_ACTIVE else None,
        )
    )


def _join_group(
    w: Writer,
    demo: DemoClient,
    client: models.Client,
    group: models.Group,
    sessions: list[models.GroupSession],
    start: date,
    today: date,
    rnd: random.Random,
) -> None:
    """Membership from the period's start and attendance for past sessions."""
    w.add(
        models.GroupMember(
            id=new_id(),
            group_id=group.id,
            client_id=client.id,
            joined_on=max(sessions[0].on, start),
        )
    )
    for session in sessions:
        if session.on > today:
            break
        if session.on < start:
            continue  # the client joins the group during the period
        roll = rnd.random()
        status_code = (
            codes.ATTENDANCE_PRESENT
            if roll < 0.7
            else codes.ATTENDANCE_ABSENT
            if roll < 0.9
            else codes.ATTENDANCE_EXCUSED
        )
        if demo.first == "Antti" and session.on > today - timedelta(days=15):
            status_code = codes.ATTENDANCE_ABSENT  # two absences in a row → a reminder
        w.add(
            models.Attendance(
                id=derived_id(session.id, client.id),
                session_id=session.id,
                client_id=client.id,
                status=status_code,
            )
        )


def _build_goals(
    w: Writer, demo: DemoClient, period: models.Period, rnd: random.Random
) -> list[str]:
    main = w.add(
        models.Goal(
            id=new_id(),
            period_id=period.id,
            text=demo.goal,
            level=codes.GOAL_MAIN,
            specific=True,
            relevant=True,
            achievable=True,
            progress=rnd.choice((20, 30, 40, 60)),
        )
    )
    ids = [main.id]
    for position, (sub_text, steps) in enumerate(demo.subgoals):
        sub = w.add(
            models.Goal(
                id=new_id(),
                period_id=period.id,
                parent_id=main.id,
                text=sub_text,
                level=codes.GOAL_SUB,
                position=position,
                specific=True,
                measurable=True,
                achievable=True,
                relevant=True,
                timed=position == 0,
                progress=rnd.choice((10, 25, 50, 75, 100)),
            )
        )
        if sub.progress == 100:
            sub.status = codes.GOAL_ACHIEVED
            sub.achieved_on = period.start + timedelta(days=30)
            w.update(sub)
        ids.append(sub.id)
        for step_position, step in enumerate(steps):
            w.add(
                models.Goal(
                    id=new_id(),
                    period_id=period.id,
                    parent_id=sub.id,
                    text=step,
                    level=codes.GOAL_STEP,
                    position=step_position,
                    specific=True,
                    measurable=True,
                    achievable=True,
                    relevant=True,
                    timed=True,
                    progress=rnd.choice((0, 50, 100)),
                )
            )
    return ids


def _build_decisions(w: Writer, period: models.Period, start: date, today: date) -> None:
    block_start = start
    number = 1
    while block_start <= today:
        end = block_end(block_start, 3)
        w.add(
            models.Decision(
                id=new_id(),
                period_id=period.id,
                kind=codes.DECISION_REHABILITATION,
                valid_from=block_start,
                valid_to=end,
                number=f"SK-{start.year}-{number:03d}",
                continuation=number > 1,
                outcome=codes.OUTCOME_POSITIVE,
                reasoning=REASONING,
                client_heard=True,
                heard_how="Tavattu henkilökohtaisesti",
                planned_meetings=6,
                planned_group_sessions=6,
                rate_cents=900,
                decided_on=block_start,
            )
        )
        number += 1
        block_start = end + timedelta(days=1)
    w.add(
        models.Decision(
            id=new_id(),
            period_id=period.id,
            kind=codes.DECISION_TRANSPORT_CARD,
            valid_from=start,
            valid_to=start + timedelta(days=89),
            number=f"MK-{start.year}-001",
            details="Vyöhykkeet AB, 50 %:n alennus",
            heard_how="Tavattu henkilökohtaisesti",
            decided_on=start,
        )
    )


def _build_meetings(
    w: Writer,
    period: models.Period,
    worker: models.Worker,
    start: date,
    today: date,
    goal_ids: list[str],
    rnd: random.Random,
) -> None:
    kinds = list(codes.MEETING_KINDS)
    day = start
    while day < today:
        kind = rnd.choices(kinds, weights=(5, 4, 3, 2, 1, 1, 2, 1, 1))[0]
        roll = rnd.random()
        status = (
            codes.MEETING_REALISED
            if roll < 0.85
            else codes.MEETING_CANCELLED
            if roll < 0.93
            else codes.MEETING_NO_SHOW
        )
        methods = rnd.sample(codes.METHODS, k=rnd.randint(0, 2))
        w.add(
            models.Meeting(
                id=new_id(),
                period_id=period.id,
                worker_id=worker.id,
                starts_at=_at(
                    _working_day(day, start, today - timedelta(days=1)),
                    rnd.choice((9, 10, 12, 13, 14)),
                ),
                duration_min=rnd.choice((45, 60, 90)),
                kind=kind,
                place=MEETING_PLACES[kind],
                methods=methods,
                goal_ids=rnd.sample(goal_ids, k=min(len(goal_ids), rnd.randint(0, 2))),
                notes=rnd.choice(NOTES) if status == codes.MEETING_REALISED else "",
                agreed_next=rnd.choice(AGREED) if status == codes.MEETING_REALISED else "",
                status=status,
            )
        )
        day += timedelta(days=rnd.choice((6, 7, 8, 13, 14)))
    upcoming = today + timedelta(days=rnd.randint(0, 6))
    upcoming = _working_day(upcoming, today, today + timedelta(days=13))
    w.add(
        models.Meeting(
            id=new_id(),
            period_id=period.id,
            worker_id=worker.id,
            starts_at=_at(upcoming, 10),
            kind=codes.MEETING_HOME_VISIT,
            place=MEETING_PLACES[codes.MEETING_HOME_VISIT],
            status=codes.MEETING_PLANNED,
            notes="",
        )
    )


def _build_expenses(
    w: Writer, me: models.Worker, colleague: models.Worker, today: date, rnd: random.Random
) -> None:
    purposes = (
        "Kahvit asiakkaan kanssa",
        "Museon pääsyliput",
        "Bussiliput asiointiin",
        "Ryhmän välipala",
        "Uimahallin liput",
    )
    for month_back in range(min(today.month - 1, 8)):
        day = date(today.year, today.month - month_back, 1) + timedelta(days=rnd.randint(0, 20))
        if day > today:
            continue
        for worker in (me, colleague):
            w.add(
                models.Expense(
                    id=new_id(),
                    worker_id=worker.id,
                    on=day,
                    amount_cents=rnd.choice((650, 900, 1240, 1800, 2450)),
                    purpose=rnd.choice(purposes),
                )
            )


def _build_assessments(store: Store, today: date) -> None:
    """A start assessment for several clients and a later one for some, to compare.

    Our generic instrument; per first name: (days after the period's start,
    scores per area in the instrument's order: housing, health, daily rhythm,
    finances, relationships, meaningful activity, coping, future).
    """
    from sosku_desktop.store.instrument_files import builtin_instrument

    rounds_by_name: dict[str, tuple[tuple[int, tuple[int, ...]], ...]] = {
        "Tiina": ((3, (6, 4, 3, 5, 4, 2, 4, 3)), (320, (8, 6, 7, 6, 6, 7, 7, 8))),
        "Elina": ((5, (2, 5, 4, 3, 5, 4, 3, 4)), (330, (5, 6, 6, 5, 6, 5, 6, 6))),
        "Mikael": ((2, (7, 5, 2, 6, 2, 3, 5, 4)), (185, (7, 6, 6, 6, 5, 6, 6, 6))),
        "Maria": ((4, (8, 6, 6, 7, 3, 2, 6, 5)), (120, (8, 7, 6, 7, 6, 5, 7, 6))),
        "Antti": ((6, (7, 6, 5, 4, 5, 3, 6, 4)), (150, (7, 5, 5, 4, 4, 4, 5, 5))),
        "Juha": ((1, (6, 5, 5, 1, 6, 4, 4, 3)),),
        "Fatima": ((2, (5, 7, 6, 4, 3, 4, 4, 7)),),
        "Aino": ((4, (8, 6, 3, 6, 4, 2, 5, 5)),),
    }
    instrument = builtin_instrument("sosku-generic")
    item_ids = [item.id for item in instrument.items]
    with store.read() as r:
        clients = {c.first_name: c for c in r.clients()}
        periods = {name: r.current_period(c.id) for name, c in clients.items()}
    with store.write() as w:
        for name, rounds in rounds_by_name.items():
            client, period = clients.get(name), periods.get(name)
            if client is None or period is None:
                continue
            for days, scores in rounds:
                on = min(today, period.start + timedelta(days=days))
                w.add(
                    models.Assessment(
                        id=new_id(),
                        client_id=client.id,
                        instrument_id=instrument.id,
                        on=on,
                        period_id=period.id,
                        answers={i: float(v) for i, v in zip(item_ids, scores, strict=True)},
                    )
                )
