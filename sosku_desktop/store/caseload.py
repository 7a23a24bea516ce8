"""A generated team caseload of any size: ten years of a team's clients (all invented).

The demo (``store.demo``) is a dozen hand-written clients; tests and
benchmarks at scale need thousands. ``build_caseload`` lays out N clients
whose periods start over the last ten years, so most are closed and a few
percent are active now, like a laptop that keeps records ten years after a
case closes. Every client has a period, an agreement, goals, decisions in
3-month blocks, meetings every week or two, and some join a group and have
attendance and assessments. Names carry Finnish and Swedish letters
(Järvinen, Mäkelä, Öhman) so search can be tried on them.

Each client is one Writer bundle, exactly as if a worker had saved it; with
``bulk`` the entity inserts of many bundles are batched (``store.bulk``),
which makes 10,000 clients a matter of a minute or two instead of an hour.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

from sosku_desktop.domain import codes, models
from sosku_desktop.domain.periods import block_end
from sosku_desktop.store.bulk import BulkWriter, RowSink
from sosku_desktop.store.database import Store
from sosku_desktop.store.demo_people import AGREED, MEETING_PLACES, NOTES, STREETS
from sosku_desktop.store.writer import Writer, derived_id, new_id

YEARS = 10
#: Clients written per database transaction in bulk mode.
CHUNK = 500
#: Page cache while generating (KiB).
CACHE_KIB = 256 * 1024
SEED = 20261130

FIRST_NAMES = (
    "Aino", "Juha", "Tiina", "Pekka", "Sari", "Antti", "Elina", "Kalle", "Maria", "Olli",
    "Päivi", "Jyrki", "Sirpa", "Tuomas", "Hannele", "Jörn", "Åsa", "Mikael", "Fatima",
    "Ahmed", "Leena", "Väinö", "Eevi", "Mirja", "Heikki", "Ülle", "Noora", "Jani",
)  # fmt: skip
LAST_NAMES = (
    "Järvinen", "Mäkelä", "Korhonen", "Nieminen", "Mäkinen", "Hämäläinen", "Lindqvist",
    "Öhman", "Sjöström", "Heikkinen", "Koskinen", "Virtanen", "Rantanen", "Salo",
    "Ylä-Jääskö", "Äijälä", "Laaksonen-Hyvärinen", "Hassan", "Andersson", "Kärkkäinen",
    "Lähteenmäki", "Pöyhönen", "Åberg", "Nyström", "Söderholm", "Müller", "Ålander",
)  # fmt: skip
GOALS = (
    "Haluan päästä kotoa ulos useammin.",
    "Haluan saada raha-asiani hallintaan.",
    "Haluan oppia asioimaan itse virastoissa.",
    "Jag vill ha en fast dygnsrytm.",
    "Haluan hakea opiskelemaan.",
    "Haluan päästä työkokeiluun.",
)
SUBGOALS = ("Käyn ulkona joka päivä", "Teen kuukausibudjetin", "Asioin itse Kelassa")
STEPS = ("Kävelen kaupalle tiistaisin", "Postipäivä maanantaisin", "Viikkojärjestys")
_HETU_CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"


@dataclass
class _Team:
    """What every client bundle refers to: workers, groups and their sessions."""

    workers: list[models.Worker]
    groups: list[models.Group] = field(default_factory=list)
    sessions: dict[str, list[models.GroupSession]] = field(default_factory=dict)
    item_ids: list[str] = field(default_factory=list)


def build_caseload(
    data_dir: Path,
    clients: int,
    passphrase: str,
    today: date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Store:
    """A new data directory holding a generated caseload; returns the open store."""
    store = Store.create(data_dir, passphrase)
    populate(store, clients, today or date.today(), progress=progress)
    return store


def populate(
    store: Store,
    clients: int,
    today: date,
    seed: int = SEED,
    bulk: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Write ``clients`` generated clients into ``store`` (one Writer bundle each)."""
    rnd = random.Random(seed)
    team = _build_team(store, clients, today, rnd)
    done = 0
    while done < clients:
        count = min(CHUNK, clients - done)
        if bulk:
            with store.write() as outer:
                # Room for the chunk's pages: each is encrypted once, not on every spill.
                conn = outer.conn
                cache = conn.exec_driver_sql("PRAGMA cache_size").scalar()
                conn.exec_driver_sql(f"PRAGMA cache_size = -{CACHE_KIB}")
                sink = RowSink()
                for _ in range(count):
                    bulk_writer = BulkWriter(conn, store.actor, store.clock, sink)
                    _build_client(bulk_writer, team, today, rnd)
                    bulk_writer.finish()
                sink.flush(conn)
                conn.exec_driver_sql(f"PRAGMA cache_size = {int(cache or -2000)}")
        else:
            for _ in range(count):
                with store.write() as w:
                    _build_client(w, team, today, rnd)
        done += count
        if progress is not None:
            progress(done, clients)


def identity_code(born: date, rnd: random.Random) -> str:
    """A valid code in the temporary range (900–999), so it can never be a real person's."""
    individual = rnd.randint(900, 999)
    century = "-" if born.year < 2000 else "A"
    check = _HETU_CHECK[int(f"{born:%d%m%y}{individual}") % 31]
    return f"{born:%d%m%y}{century}{individual}{check}"


def _build_team(store: Store, clients: int, today: date, rnd: random.Random) -> _Team:
    from sosku_desktop.store.instrument_files import builtin_instrument

    team = _Team(workers=[])
    count = max(2, min(30, clients // 400))
    with store.write() as w:
        for index in range(count):
            first, last = rnd.choice(FIRST_NAMES), rnd.choice(LAST_NAMES)
            role = codes.ROLE_SOCIAL_WORKER if index % 5 == 4 else codes.ROLE_SOCIAL_INSTRUCTOR
            worker = models.Worker(
                id=new_id(), name=f"{first} {last}", role=role, team="Aikuissosiaalityö"
            )
            team.workers.append(w.add(worker))
        w.set_setting("organisation_name", "Esimerkkikaupunki, aikuissosiaalityö")
        for index in range(24):
            month = date(today.year, today.month, 1) - timedelta(days=30 * index)
            for worker in team.workers[:4]:
                w.add(
                    models.Expense(
                        id=new_id(),
                        worker_id=worker.id,
                        on=month + timedelta(days=rnd.randint(0, 20)),
                        amount_cents=rnd.choice((650, 900, 1240, 1800)),
                        purpose="Ryhmän välipala",
                    )
                )
    store.set_current_worker(team.workers[0].id)
    for index in range(max(2, clients // 500)):
        with store.write() as w:
            _build_group(w, team, index, today, rnd)
    team.item_ids = [item.id for item in builtin_instrument("sosku-generic").items]
    return team


def _build_group(w: Writer, team: _Team, index: int, today: date, rnd: random.Random) -> None:
    """A weekly group running one to three years; the last two run now."""
    ongoing = index < 2
    weeks = rnd.randint(50, 150)
    last = today + timedelta(weeks=8) if ongoing else today - timedelta(days=rnd.randint(0, 3300))
    first = last - timedelta(weeks=weeks)
    group = w.add(
        models.Group(
            id=new_id(),
            name=f"Ryhmä {index + 1}: {rnd.choice(('Arjen taidot', 'Askel', 'Kohtaamo'))}",
            leaders=team.workers[index % len(team.workers)].name,
            place="Kohtaamispaikka Lyhty",
            schedule="tiistaisin klo 13–15",
        )
    )
    sessions = []
    for week in range(weeks + 1):
        sessions.append(
            w.add(
                models.GroupSession(
                    id=new_id(),
                    group_id=group.id,
                    on=first + timedelta(weeks=week),
                    starts_at="13.00",
                    theme=rnd.choice(("Ruokabudjetti", "Unirytmi", "Kela-asiointi")),
                )
            )
        )
    team.groups.append(group)
    team.sessions[group.id] = sessions


def _build_client(w: Writer, team: _Team, today: date, rnd: random.Random) -> None:
    worker = rnd.choice(team.workers)
    born = date(rnd.randint(1958, 2004), rnd.randint(1, 12), rnd.randint(1, 28))
    client = w.add(
        models.Client(
            id=new_id(),
            first_name=rnd.choice(FIRST_NAMES),
            last_name=rnd.choice(LAST_NAMES),
            identity_code=identity_code(born, rnd) if rnd.random() < 0.95 else "",
            language=rnd.choices(codes.LANGUAGES, weights=(85, 8, 7))[0],
            phone=f"04{rnd.randint(0, 9)} {rnd.randint(100, 999)} {rnd.randint(1000, 9999)}",
            address=f"{rnd.choice(STREETS)} {rnd.randint(1, 40)}",
            worker_id=worker.id,
        )
    )
    start = today - timedelta(days=rnd.randint(-14, 365 * YEARS))
    length = rnd.randint(90, 365)
    period = _period(client, worker, start, length, today, rnd)
    w.add(period)
    goal_ids = _build_goals(w, period, rnd)
    w.add(
        models.Agreement(
            id=new_id(),
            period_id=period.id,
            meeting_times="Tiistaisin klo 10, joka toinen viikko",
            contact="Työntekijä soittaa edellisenä päivänä.",
            goal_ids=goal_ids[:3],
            signed_on=start if period.status != codes.PERIOD_PLANNED else None,
        )
    )
    if period.status == codes.PERIOD_PLANNED:
        return
    until = min(today, period.ended_on or today)
    _build_decisions(w, period, until)
    _build_meetings(w, period, worker, until, goal_ids, rnd)
    if period.status == codes.PERIOD_ACTIVE:
        upcoming = today + timedelta(days=rnd.randint(0, 13))
        w.add(_meeting(period, worker, upcoming, rnd, planned=True))
    if rnd.random() < 0.3:
        _join_group(w, team, client, period, until, rnd)
    for on in (start, until)[: rnd.choice((0, 1, 1, 2))]:
        w.add(
            models.Assessment(
                id=new_id(),
                client_id=client.id,
                instrument_id="sosku-generic",
                on=on,
                period_id=period.id,
                answers={i: float(rnd.randint(1, 9)) for i in team.item_ids},
            )
        )


def _period(
    client: models.Client,
    worker: models.Worker,
    start: date,
    length: int,
    today: date,
    rnd: random.Random,
) -> models.Period:
    end = start + timedelta(days=length)
    period = models.Period(
        id=new_id(),
        client_id=client.id,
        worker_id=worker.id,
        start=start,
        planned_end=start + timedelta(days=364),
        intake={code: True for code in codes.INTAKE_OFFER[:5]},
    )
    if start > today:
        period.status, period.phase = codes.PERIOD_PLANNED, codes.PHASE_BEFORE_START
    elif end < today:
        period.status, period.phase = codes.PERIOD_ENDED, codes.PHASE_ENDING
        period.ended_on = end
        period.end_reason = rnd.choice(codes.END_REASONS)
        period.final_evaluation = "Tavoitteet saavutettiin osittain."
    else:
        elapsed = (today - start).days
        period.phase = codes.PHASES[min(len(codes.PHASES) - 1, 1 + elapsed // 60)]
    return period


def _build_goals(w: Writer, period: models.Period, rnd: random.Random) -> list[str]:
    main = w.add(
        models.Goal(
            id=new_id(),
            period_id=period.id,
            text=rnd.choice(GOALS),
            specific=True,
            relevant=True,
            progress=rnd.choice((20, 40, 60)),
        )
    )
    ids = [main.id]
    for position in range(rnd.randint(1, 3)):
        sub = w.add(
            models.Goal(
                id=new_id(),
                period_id=period.id,
                parent_id=main.id,
                text=SUBGOALS[position],
                level=codes.GOAL_SUB,
                position=position,
                measurable=True,
                progress=rnd.choice((10, 50, 100)),
            )
        )
        ids.append(sub.id)
        if rnd.random() < 0.5:
            w.add(
                models.Goal(
                    id=new_id(),
                    period_id=period.id,
                    parent_id=sub.id,
                    text=rnd.choice(STEPS),
                    level=codes.GOAL_STEP,
                    timed=True,
                )
            )
    return ids


def _build_decisions(w: Writer, period: models.Period, until: date) -> None:
    block_start, number = period.start, 1
    while block_start <= until:
        end = block_end(block_start, 3)
        w.add(
            models.Decision(
                id=new_id(),
                period_id=period.id,
                kind=codes.DECISION_REHABILITATION,
                valid_from=block_start,
                valid_to=end,
                number=f"SK-{period.start.year}-{number:03d}",
                continuation=number > 1,
                reasoning="Asiakas hyötyy palvelusta.",
                planned_meetings=6,
                planned_group_sessions=6,
                rate_cents=900,
                decided_on=block_start,
            )
        )
        number += 1
        block_start = end + timedelta(days=1)


def _meeting(
    period: models.Period, worker: models.Worker, day: date, rnd: random.Random, planned: bool
) -> models.Meeting:
    kind = rnd.choices(codes.MEETING_KINDS, weights=(5, 4, 3, 2, 1, 1, 2, 1, 1))[0]
    roll = rnd.random()
    status = (
        codes.MEETING_PLANNED
        if planned
        else codes.MEETING_REALISED
        if roll < 0.85
        else codes.MEETING_CANCELLED
        if roll < 0.93
        else codes.MEETING_NO_SHOW
    )
    realised = status == codes.MEETING_REALISED
    return models.Meeting(
        id=new_id(),
        period_id=period.id,
        worker_id=worker.id,
        starts_at=datetime.combine(day, time(rnd.choice((9, 10, 12, 13, 14)), 0)),
        duration_min=rnd.choice((45, 60, 90)),
        kind=kind,
        place=MEETING_PLACES[kind],
        methods=rnd.sample(codes.METHODS, k=rnd.randint(0, 2)) if realised else [],
        notes=rnd.choice(NOTES) if realised else "",
        agreed_next=rnd.choice(AGREED) if realised else "",
        status=status,
    )


def _build_meetings(
    w: Writer,
    period: models.Period,
    worker: models.Worker,
    until: date,
    goal_ids: list[str],
    rnd: random.Random,
) -> None:
    day = period.start
    while day < until:
        meeting = _meeting(period, worker, day, rnd, planned=False)
        if meeting.status == codes.MEETING_REALISED:
            meeting.goal_ids = rnd.sample(goal_ids, k=min(len(goal_ids), rnd.randint(0, 2)))
        w.add(meeting)
        day += timedelta(days=rnd.choice((7, 14, 14, 21, 28)))


def _join_group(
    w: Writer,
    team: _Team,
    client: models.Client,
    period: models.Period,
    until: date,
    rnd: random.Random,
) -> None:
    """Membership in a group that ran during the period, with its attendance marks."""
    running = [
        g
        for g in team.groups
        if team.sessions[g.id][0].on <= until and team.sessions[g.id][-1].on >= period.start
    ]
    if not running:
        return
    group = rnd.choice(running)
    sessions = [s for s in team.sessions[group.id] if period.start <= s.on <= until]
    if not sessions:
        return
    w.add(
        models.GroupMember(
            id=new_id(),
            group_id=group.id,
            client_id=client.id,
            joined_on=sessions[0].on,
            left_on=period.ended_on,
        )
    )
    for session in sessions:
        roll = rnd.random()
        status = (
            codes.ATTENDANCE_PRESENT
            if roll < 0.7
            else codes.ATTENDANCE_ABSENT
            if roll < 0.9
            else codes.ATTENDANCE_EXCUSED
        )
        w.add(
            models.Attendance(
                id=derived_id(session.id, client.id),
                session_id=session.id,
                client_id=client.id,
                status=status,
            )
        )
