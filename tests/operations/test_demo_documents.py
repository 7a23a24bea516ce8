"""Every demo client: every record entry is made, or says plainly why it does not apply yet."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sosku_desktop import i18n
from sosku_desktop.documents.errors import NotApplicableError
from sosku_desktop.documents.kinds import FORMATS, RECORD_ENTRIES, VISIT_ENTRY
from sosku_desktop.domain import codes, models
from sosku_desktop.operations.documents import build_and_log
from sosku_desktop.store.demo import build_demo

TODAY = date(2026, 11, 24)


def test_every_demo_client_gets_every_record_entry_or_a_plain_reason(tmp_path: Path) -> None:
    store = build_demo(tmp_path / "demo", today=TODAY)
    try:
        with store.read() as r:
            clients = r.clients()
            phases = {p.phase for p in r.list(models.Period)}
            ended = [p for p in r.list(models.Period) if p.status == codes.PERIOD_ENDED]
        assert phases == set(codes.PHASES)  # clients in every phase
        assert len(ended) == 1 and ended[0].end_reason and ended[0].final_evaluation
        made: dict[str, int] = dict.fromkeys(RECORD_ENTRIES, 0)
        for client in clients:
            with store.read() as r:
                meetings = r.meetings_of(r.period_ids_of(client.id))
            for kind in RECORD_ENTRIES:
                for fmt in FORMATS[kind]:
                    extra = (
                        {"meeting_id": meetings[0].id} if kind == VISIT_ENTRY and meetings else {}
                    )
                    if kind == VISIT_ENTRY and not meetings:
                        continue
                    try:
                        data = build_and_log(
                            store, kind, fmt, "fi", client.id, today=TODAY, **extra
                        ).data
                    except NotApplicableError as error:
                        reason = i18n.tr(f"doc.{error.reason_key}", "fi")
                        assert reason != f"doc.{error.reason_key}" and len(reason) > 20
                        continue
                    assert data
                    made[kind] += 1
        assert all(made.values()), made
        # the ended period's final evaluation compares the two self-assessments
        final = build_and_log(
            store, "final-evaluation", "txt", "fi", ended[0].client_id, today=TODAY
        ).data.decode()
        assert "Itsearvio alussa ja lopussa" in final and "Päättymisen syy:" in final
        summary = build_and_log(store, "summary", "txt", "fi", ended[0].client_id, today=TODAY)
        text = summary.data.decode()
        assert "Väliarviot" in text and "Itsearvio" in text
    finally:
        store.close()
