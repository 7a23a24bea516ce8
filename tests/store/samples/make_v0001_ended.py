"""Make tests/store/samples/v0001_ended: a schema-0001 database with an ended period."""

from datetime import date, datetime
from pathlib import Path

from sosku_desktop.domain import codes, models
from sosku_desktop.store.database import Store
from sosku_desktop.store.writer import new_id

d = Path("/tmp/lc_sample")
s = Store.create(d, "naytepassi")
w_id, c_id, p_id, g_id = new_id(), new_id(), new_id(), new_id()
with s.write() as w:
    w.add(models.Worker(id=w_id, name="Otto Ohjaaja"))
s.set_current_worker(w_id)
with s.write() as w:
    w.add(models.Client(id=c_id, first_name="Aino", last_name="Näyte", worker_id=w_id))
    w.add(
        models.Period(
            id=p_id,
            client_id=c_id,
            worker_id=w_id,
            start=date(2025, 1, 7),
            planned_end=date(2025, 10, 6),
            status=codes.PERIOD_ENDED,
            phase=codes.PHASE_ENDING,
            ended_on=date(2025, 9, 30),
            end_reason=codes.END_GOALS_REACHED,
            final_evaluation="Tavoitteet saavutettu.",
            next_steps="Työkokeilu",
        )
    )
    w.add(models.Goal(id=g_id, period_id=p_id, text="Käyn kirjastossa viikoittain"))
    w.add(
        models.Agreement(
            id=new_id(),
            period_id=p_id,
            meeting_times="ti klo 10",
            goal_ids=[g_id],
            signed_on=date(2025, 1, 7),
        )
    )
    w.add(
        models.Meeting(
            id=new_id(),
            period_id=p_id,
            worker_id=w_id,
            starts_at=datetime(2025, 1, 14, 10, 0),
            place="Kirjasto",
        )
    )
    w.add(
        models.Decision(
            id=new_id(),
            period_id=p_id,
            kind=codes.DECISION_REHABILITATION,
            valid_from=date(2025, 1, 7),
            valid_to=date(2025, 4, 6),
            heard_how="tavattiin",
        )
    )
    w.add(
        models.Expense(
            id=new_id(),
            worker_id=w_id,
            on=date(2025, 2, 1),
            amount_cents=450,
            purpose="kahvit",
            client_id=c_id,
        )
    )
    w.add(
        models.Assessment(
            id=new_id(),
            client_id=c_id,
            instrument_id="sosku-generic",
            on=date(2025, 1, 7),
            period_id=p_id,
            answers={"a": 3.0},
        )
    )
s.close()
(d / "PASSPHRASE").write_text("naytepassi\n")
