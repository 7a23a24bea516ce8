"""``sosku document`` record entries, ``sosku meetings`` and ``sosku calendar export`` end to end.

Real encrypted store, real subprocess; every print or export is checked in
the access log.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import icalendar

from sosku_desktop.domain import codes, models
from sosku_desktop.operations.period_lifecycle import plan_period
from sosku_desktop.store.database import Store
from tests.commands.test_document_commands import PASSPHRASE, january, sosku

__all__ = ["january"]


def _audit(data_dir: Path, client_id: str) -> list[models.AuditEntry]:
    store = Store.open(data_dir, PASSPHRASE, take_backup=False)
    try:
        with store.read() as r:
            return r.audit_of_client(client_id)
    finally:
        store.close()


def test_rate_change_month_decision_draft_agrees_with_the_statement(
    january: tuple[Path, str], tmp_path: Path
) -> None:
    """9 € until 14.1.2024, 10 € from 15.1.: 4.1. + 17.1. + 24.1. = 9 + 10 + 10 = 29 €."""
    data_dir, client_id = january
    store = Store.open(data_dir, PASSPHRASE, take_backup=False)
    with store.write() as w:
        w.set_setting(
            "activity_money_rates",
            [
                {"valid_from": "2000-01-01", "cents_per_day": 900},
                {"valid_from": "2024-01-15", "cents_per_day": 1000},
            ],
        )
    store.close()
    decision, statement = tmp_path / "d.txt", tmp_path / "s.txt"
    common = ("--data-dir", str(data_dir), "--month", "2024-01", "--format", "txt")
    done = sosku(
        "document",
        "decision-activity-money",
        *common,
        "--client",
        client_id,
        "--out",
        str(decision),
    )
    assert done.returncode == 0, done.stderr
    assert sosku("document", "activity-money", *common, "--out", str(statement)).returncode == 0
    decision_text = decision.read_text(encoding="utf-8")
    statement_text = statement.read_text(encoding="utf-8")
    assert "29,00 €" in decision_text and "27,00 €" not in decision_text
    client_line = next(line for line in statement_text.splitlines() if "Aino Korhonen" in line)
    assert "29,00 €" in client_line


def test_visit_entry_from_the_cli_has_every_meeting_field_and_is_logged(
    january: tuple[Path, str], tmp_path: Path
) -> None:
    data_dir, client_id = january
    listing = sosku("meetings", "--data-dir", str(data_dir), "--client", client_id)
    assert listing.returncode == 0, listing.stderr
    lines = [line.split("\t") for line in listing.stdout.splitlines()]
    assert lines[0][1] == "4.1.2024 klo 10.00"
    meeting_id = lines[0][0]
    out = tmp_path / "visit.txt"
    done = sosku(
        "document",
        "visit-entry",
        "--data-dir",
        str(data_dir),
        "--meeting",
        meeting_id,
        "--out",
        str(out),
    )
    assert done.returncode == 0, done.stderr
    text = out.read_text(encoding="utf-8")
    for label in (
        "Palvelu: Sosiaalinen kuntoutus",
        "Alkamisaika: 4.1.2024 klo 10.00",
        "Päättymisaika: 11.00",
        "Asiointitapa: Kotikäynti",
        "Osallistujat: Aino Korhonen (asiakas)",
        "Kuvaus",
        "Sovitut asiat",
        "Kirjaaja: Sanna Virtanen",
    ):
        assert label in text, label
    exports = [
        e
        for e in _audit(data_dir, client_id)
        if e.action == codes.AUDIT_EXPORT and e.record_id == "visit-entry"
    ]
    assert len(exports) == 1
    missing = sosku("document", "visit-entry", "--data-dir", str(data_dir), "--out", str(out))
    assert missing.returncode == 2 and "--meeting" in missing.stderr


def test_documents_that_do_not_apply_yet_say_why(january: tuple[Path, str], tmp_path: Path) -> None:
    data_dir, client_id = january
    out = tmp_path / "x.txt"
    done = sosku(
        "document",
        "final-evaluation",
        "--data-dir",
        str(data_dir),
        "--client",
        client_id,
        "--out",
        str(out),
    )
    assert done.returncode == 3
    assert "Jakso ei ole päättynyt" in done.stderr
    assert not out.exists()


def test_calendar_export_carries_key_dates_in_utc_stamps_and_logs_the_export(
    january: tuple[Path, str], tmp_path: Path
) -> None:
    data_dir, client_id = january
    store = Store.open(data_dir, PASSPHRASE, take_backup=False)
    with store.read() as r:
        period = r.current_period(client_id)
    assert period is not None
    plan_period(store, period.id)
    store.close()
    out = tmp_path / "cal.ics"
    done = sosku(
        "calendar",
        "export",
        "--data-dir",
        str(data_dir),
        "--from",
        "1.1.2024",
        "--to",
        "2024-12-31",
        "--out",
        str(out),
    )
    assert done.returncode == 0, done.stderr
    assert "4 tapaamista" in done.stdout  # the cancelled one goes out as cancelled
    cal = icalendar.Calendar.from_ical(out.read_bytes())
    summaries = [str(e["SUMMARY"]) for e in cal.walk("VEVENT")]
    cancelled = [e for e in cal.walk("VEVENT") if str(e["STATUS"]) == "CANCELLED"]
    assert [str(e["SUMMARY"]).split(":")[0] for e in cancelled] == ["Peruttu"]
    assert [int(e.decoded("SEQUENCE")) for e in cancelled] == [1]
    assert "Väliarvio – A. K." in summaries
    assert "Päätös päättyy – A. K." in summaries
    assert all("Korhonen" not in s for s in summaries)
    assert all(e["DTSTAMP"].to_ical().endswith(b"Z") for e in cal.walk("VEVENT"))
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    exports = [e for e in _audit(data_dir, client_id) if e.reason.startswith("ics ")]
    assert [e.action for e in exports] == [codes.AUDIT_EXPORT]
    assert date(2024, 4, 3) in {
        e.decoded("DTSTART") for e in cal.walk("VEVENT") if str(e["SUMMARY"]).startswith("Väli")
    }
