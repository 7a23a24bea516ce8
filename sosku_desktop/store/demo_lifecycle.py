"""Demo records of the period's phases, laid over the demo caseload.

Every demo client gets a needs mapping; every started period its key dates
planned and an implementation plan (two revisions after the first
evaluation); each past 3-month block an interim evaluation, except Juha's
latest, which is due now (his period is *in interim evaluation*). Tiina's
period has *ended* (goals reached, final evaluation, feedback answers and
both self-assessments), so every document kind has a real example. Some
expenses name the client they were for.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, time, timedelta

from sosku_desktop.domain import codes, models
from sosku_desktop.domain.attendance import ending_membership
from sosku_desktop.domain.lifecycle import Ending, end_period, evaluation_blocks
from sosku_desktop.domain.period_plan import key_dates
from sosku_desktop.store.database import Store
from sosku_desktop.store.repositories import Reader
from sosku_desktop.store.writer import Writer, new_id

ENDED_CLIENT = "Tiina"
DUE_NOW_CLIENT = "Juha"

NEEDS = {
    "services_had": "Aikuissosiaalityö, mielenterveystoimiston sairaanhoitaja, TE-palvelut.",
    "what_helped": "Säännölliset tapaamiset samalla työntekijällä; konkreettinen apu asioinnissa.",
    "wants_to_change": "Arki rytmiin, enemmän ihmisiä ympärille ja omat asiat hoidettua.",
    "first_goal": "Päästä kotoa ulos säännöllisesti.",
    "schedule": "Tapaamiset kahden viikon välein, alussa kotikäynnit.",
}

FEEDBACK = {
    "feedback.q_help": "5",
    "feedback.q_goals": "4",
    "feedback.q_often": "5",
    "feedback.q_respect": "5",
    "feedback.open_helped": "Se että joku kulki mukana ensimmäisillä kerroilla.",
    "feedback.open_differently": "Ryhmään olisin halunnut mukaan aiemmin.",
}


def build_lifecycle_demo(store: Store, today: date) -> None:
    """Add the phase records to every demo client (see the module docstring)."""
    with store.write() as w:
        reader = Reader(w.conn)
        for client in reader.clients():
            period = reader.current_period(client.id)
            if period is None:
                continue
            _needs(w, period)
            if period.status != codes.PERIOD_ACTIVE:
                continue
            goals = [g for g in reader.goals_of(period.id) if g.level == codes.GOAL_MAIN]
            decisions = reader.decisions_of([period.id])
            _plan_dates(w, period, decisions, today)
            _plans_and_evaluations(w, client, period, goals, today)
            _client_expense(w, client, period, today)
    _end_demo_period(store, today)


def _needs(w: Writer, period: models.Period) -> None:
    w.add(
        models.NeedsMapping(
            id=new_id(),
            period_id=period.id,
            mapped_on=period.start - timedelta(days=14),
            services_had=NEEDS["services_had"],
            what_helped=NEEDS["what_helped"],
            wants_to_change=NEEDS["wants_to_change"],
            first_goal=NEEDS["first_goal"],
            schedule=NEEDS["schedule"],
        )
    )


def _plan_dates(
    w: Writer, period: models.Period, decisions: list[models.Decision], today: date
) -> None:
    for key in key_dates(period, decisions):
        w.add(
            models.PlannedEntry(
                id=new_id(),
                period_id=period.id,
                kind=key.kind,
                on=key.on,
                seq=key.seq,
                done_on=key.on if key.on < today and key.kind != codes.PLAN_EVALUATION else None,
            )
        )


def _plans_and_evaluations(
    w: Writer,
    client: models.Client,
    period: models.Period,
    goals: list[models.Goal],
    today: date,
) -> None:
    if today - period.start < timedelta(days=14):
        return
    plan = models.ImplementationPlan(
        id=new_id(),
        period_id=period.id,
        made_on=period.start + timedelta(days=10),
        content="Yksilötapaamiset kahden viikon välein kotona ja lähiympäristössä; "
        "tutustuminen ryhmätoimintaan.",
        responsible=_worker_name(w, period.worker_id),
        review_on=period.start + timedelta(days=90),
        goal_plans=[
            {
                "goal_id": g.id,
                "means": "Kävelyt, yhteiset asioinnit, viikko-ohjelma",
                "timetable": "3 kuukautta",
                "responsible": "Asiakas ja työntekijä yhdessä",
            }
            for g in goals
        ],
    )
    w.add(plan)
    held = [
        b
        for b in evaluation_blocks(period)
        if b.end + timedelta(days=3) <= today and b.end < period.planned_end
    ]
    if client.first_name == DUE_NOW_CLIENT and held:
        held = held[:-1]  # the latest evaluation is due now and not yet recorded
    for index, block in enumerate(held):
        on = block.end - timedelta(days=3)
        _evaluation(w, period, goals, block.start, block.end, on, index)
        _mark_done(w, period, on)
    if held:
        w.add(
            dataclasses.replace(
                plan,
                id=new_id(),
                revision=2,
                made_on=held[0].end,
                review_on=held[0].end + timedelta(days=90),
                previous_goals_reached="Kotoa lähteminen onnistuu jo viikoittain; "
                "raha-asioissa tarvitaan vielä tukea.",
            )
        )


def _worker_name(w: Writer, worker_id: str | None) -> str:
    worker = Reader(w.conn).find(models.Worker, worker_id)
    return worker.name if worker is not None else ""


def _evaluation(
    w: Writer,
    period: models.Period,
    goals: list[models.Goal],
    start: date,
    end: date,
    on: date,
    index: int,
) -> None:
    ratings = (codes.ATTAINMENT_PARTLY, codes.ATTAINMENT_PARTLY, codes.ATTAINMENT_REACHED)
    w.add(
        models.Evaluation(
            id=new_id(),
            period_id=period.id,
            on=on,
            block_start=start,
            block_end=end,
            attainment={g.id: ratings[min(index, 2)] for g in goals},
            client_view="Asiakkaan mielestä arki on helpottunut ja hän haluaa jatkaa.",
            what_worked="Kävelytapaamiset ja yhteiset asioinnit.",
            changes="Tavoitetta tarkennetaan: mukaan ryhmätoiminta.",
            continue_service=True,
        )
    )


def _mark_done(w: Writer, period: models.Period, on: date) -> None:
    reader = Reader(w.conn)
    for entry in reader.list(models.PlannedEntry, period_id=period.id):
        due = entry.kind == codes.PLAN_EVALUATION and entry.done_on is None
        if due and abs((entry.on - on).days) <= 10:
            w.update(dataclasses.replace(entry, done_on=on), base=entry)


def _client_expense(w: Writer, client: models.Client, period: models.Period, today: date) -> None:
    if client.worker_id is None or today - period.start < timedelta(days=30):
        return
    w.add(
        models.Expense(
            id=new_id(),
            worker_id=client.worker_id,
            on=max(period.start, today - timedelta(days=12)),
            amount_cents=780,
            purpose="Kahvit tapaamisella",
            client_id=client.id,
        )
    )


def _end_demo_period(store: Store, today: date) -> None:
    """Tiina's period ends: goals reached, she moves on to a work try-out."""
    with store.write() as w:
        reader = Reader(w.conn)
        client = next((c for c in reader.clients() if c.first_name == ENDED_CLIENT), None)
        period = reader.current_period(client.id) if client else None
        if client is None or period is None:
            return
        ended_on = today - timedelta(days=5)
        ending = Ending(
            ended_on=ended_on,
            end_reason=codes.END_GOALS_REACHED,
            final_evaluation="Asiakas on saavuttanut tavoitteensa: arjessa on rytmi, hän käy "
            "ryhmässä viikoittain ja asioi itsenäisesti.",
            follow_on_service="Kuntouttava työtoiminta, Työpaja Verstas",
            next_steps="Siirtyminen työtoimintaan sovittu; työntekijä soittaa kuukauden päästä.",
            feedback=FEEDBACK,
        )
        ended = end_period(period, ending, today)
        for goal in reader.goals_of(period.id):
            if goal.level == codes.GOAL_MAIN:
                reached = dataclasses.replace(
                    goal, status=codes.GOAL_ACHIEVED, progress=100, achieved_on=ended_on
                )
                w.update(reached, base=goal)
        after = datetime.combine(ended_on, time.max)
        for meeting in reader.meetings_of([period.id]):
            if meeting.status == codes.MEETING_PLANNED and meeting.starts_at > after:
                w.update(dataclasses.replace(meeting, status=codes.MEETING_CANCELLED), base=meeting)
        _leave_groups_after(w, reader, client.id, ended_on)
        w.update(ended, base=period)


def _leave_groups_after(w: Writer, reader: Reader, client_id: str, ended_on: date) -> None:
    """As ending a period does in the app: memberships end after the last day,
    and no attendance (no paid day) is left on sessions after it."""
    members = reader.list(models.GroupMember, client_id=client_id)
    withdrawn, left = ending_membership(members, client_id, ended_on + timedelta(days=1))
    for member in withdrawn:
        w.delete(models.GroupMember, member.id)
    for member in left:
        w.update(member)
    later = {s.id for s in reader.list(models.GroupSession) if s.on > ended_on}
    for row in reader.list(models.Attendance, client_id=client_id):
        if row.session_id in later:
            w.delete(models.Attendance, row.id)
