"""Team report operations: access-log rows for what was seen or exported, and the files."""

from __future__ import annotations

import csv
import dataclasses
import shutil
import subprocess
from pathlib import Path

import pytest

from sosku_desktop.documents.csv_cells import from_text
from sosku_desktop.domain import codes, models
from sosku_desktop.domain.team_report import ReportFilter
from sosku_desktop.operations.reports import (
    AUDIT_REASON,
    export_team_report,
    export_with_log,
    log_clients,
)
from sosku_desktop.store.database import Store
from sosku_desktop.store.repositories import Reader
from sosku_desktop.store.team_reports import build_team_report
from tests.team_fixture import G1, TODAY, W1, WINDOW, A, B, C, write_team


@pytest.fixture
def team_store(bare_store: Store) -> Store:
    write_team(bare_store)
    return bare_store


def _audit(store: Store, action: str) -> list[models.AuditEntry]:
    with store.read() as r:
        return [e for e in r.list(models.AuditEntry, order_by="at") if e.action == action]


def test_viewing_per_client_rows_logs_one_view_per_client(team_store: Store) -> None:
    logged = log_clients(team_store, [A, B, A, C], codes.AUDIT_VIEW)
    assert logged.clients == 3
    assert logged.changes.accessed == {A, B, C} and not logged.changes.clients
    rows = _audit(team_store, codes.AUDIT_VIEW)
    assert sorted(e.client_id for e in rows) == sorted([A, B, C])
    assert {(e.record_table, e.reason, e.worker_id) for e in rows} == {
        ("clients", AUDIT_REASON, W1)
    }
    with pytest.raises(ValueError):
        log_clients(team_store, [A], codes.AUDIT_DELETE)
    assert not log_clients(team_store, [], codes.AUDIT_VIEW).changes


def test_an_export_is_logged_with_the_file_or_not_at_all(team_store: Store, tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    assert export_with_log(team_store, [A, B], lambda: target.write_text("x")).clients == 2
    assert target.exists()
    assert sorted(e.client_id for e in _audit(team_store, codes.AUDIT_EXPORT)) == sorted([A, B])

    def fail() -> None:
        raise OSError("disk full")

    with pytest.raises(OSError):
        export_with_log(team_store, [C], fail)
    assert C not in {e.client_id for e in _audit(team_store, codes.AUDIT_EXPORT)}


@pytest.mark.parametrize("fmt", ["csv", "pdf"])
def test_the_team_report_file_is_written_whole_and_logged(
    team_store: Store, tmp_path: Path, fmt: str
) -> None:
    report = build_team_report(team_store, ReportFilter(*WINDOW), TODAY)
    out = tmp_path / "sub" / f"report.{fmt}"
    logged = export_team_report(team_store, report, fmt, "fi", out)
    assert logged.clients == 3 and out.stat().st_size > 0
    assert [p.name for p in out.parent.iterdir()] == [out.name]  # no temporary file left
    assert out.read_bytes().startswith(b"%PDF") == (fmt == "pdf")
    without = export_team_report(team_store, report, fmt, "fi", out, include_clients=False)
    assert without.clients == 0


def test_typed_names_that_begin_like_a_formula_stay_text_in_the_csv(
    team_store: Store, tmp_path: Path
) -> None:
    """A group called '=1+1' showed as 2 in Calc and Excel, '+60 …' as #NAME? in Excel,
    and a name synced in from a teammate could carry a live HYPERLINK."""
    with team_store.write() as w:
        r = Reader(w.conn)
        group = r.get(models.Group, G1)
        w.update(dataclasses.replace(group, name="=1+1"), base=group)
        client = r.get(models.Client, A)
        w.update(dataclasses.replace(client, last_name="+Aalto"), base=client)
    report = build_team_report(team_store, ReportFilter(*WINDOW), TODAY)
    out = tmp_path / "report.csv"
    export_team_report(team_store, report, "csv", "fi", out)
    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines(), delimiter=";"))
    group_row = next(row for row in rows if row and from_text(row[0]) == "=1+1")
    assert group_row[0] == '="=1+1"'
    client_cells = {row[0] for row in rows if row and "Aalto" in row[0]}
    assert client_cells == {'="+Aalto, Aino"'}
    assert next(row for row in rows if row and row[0] == "Taideryhmä")  # plain names stay plain

    soffice = shutil.which("soffice")
    if soffice is None:
        return
    subprocess.run(
        [
            soffice,
            "--headless",
            "--infilter=CSV:59,34,76,1,,1035",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):59,34,76,1",
            "--outdir",
            str(tmp_path / "calc"),
            str(out),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    shown = (tmp_path / "calc" / "report.csv").read_text(encoding="utf-8")
    assert '"=1+1"' in shown and '"+Aalto, Aino"' in shown


@pytest.mark.parametrize(
    ("lang", "heads"),
    [
        ("fi", ["Läsnä", "Poissa", "Ilmoitettu poissaolo"]),
        ("sv", ["Närvarande", "Frånvarande", "Anmäld frånvaro"]),
        ("en", ["Present", "Absent", "Excused"]),
    ],
)
def test_attendance_columns_are_headed_like_the_others(
    team_store: Store, tmp_path: Path, lang: str, heads: list[str]
) -> None:
    """The group table's headings read 'Ryhmä; Ryhmäkerrat; läsnä; poissa; …' in the CSV
    and the PDF: the attendance labels of running text, in lower case."""
    report = build_team_report(team_store, ReportFilter(*WINDOW), TODAY)
    out = tmp_path / "report.csv"
    export_team_report(team_store, report, "csv", lang, out)
    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines(), delimiter=";"))
    header = next(row for row in rows if len(row) == 6 and heads[0] in row)
    assert header[2:5] == heads
    pdf = tmp_path / "report.pdf"
    export_team_report(team_store, report, "pdf", lang, pdf)
    text = subprocess.run(
        ["pdftotext", "-raw", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    words = " ".join(text.split())
    assert all(head in words for head in heads)
