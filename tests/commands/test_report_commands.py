"""``sosku report team`` on a real encrypted store: CSV, PDF, filters, access log."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sosku_desktop.app import main
from sosku_desktop.documents.csv_cells import from_text
from sosku_desktop.domain import codes, models
from sosku_desktop.store.database import Store
from tests.documents import pdftools
from tests.team_fixture import A, B, C, write_team

ROOT = Path(__file__).resolve().parents[2]
PASSPHRASE = "cli-testi-passi"


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The hand-checked team in an encrypted data directory opened by passphrase."""
    path = tmp_path / "d"
    store = Store.create(path, PASSPHRASE)
    write_team(store)
    store.close()
    monkeypatch.setenv("SOSKU_PASSPHRASE", PASSPHRASE)
    return path


def run(data_dir: Path, *args: str) -> int:
    return main(["report", "team", "--data-dir", str(data_dir), "--today", "2026-04-15", *args])


def exports(data_dir: Path) -> list[models.AuditEntry]:
    with Store.open(data_dir, PASSPHRASE, take_backup=False) as store, store.read() as r:
        return [e for e in r.list(models.AuditEntry) if e.action == codes.AUDIT_EXPORT]


def test_csv_of_the_first_quarter(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "q1.csv"
    assert (
        run(data_dir, "--from", "2026-01", "--to", "2026-03", "--format", "csv", "--out", str(out))
        == 0
    )
    assert "asiakkaita lokiin 3" in capsys.readouterr().out
    raw = csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig")), delimiter=";")
    rows = [[from_text(cell) for cell in row] for row in raw]
    assert rows[1] == ["Aikaväli", "tammikuu 2026 – maaliskuu 2026"]
    assert ["Yhteensä", "", "18", "166,00"] in rows
    assert [
        "Aalto, Aino",
        "Sanna Ohjaaja",
        "tammikuu 2026",
        "3",
        "2",
        "kyllä",
        "4",
        "36,00",
    ] in rows
    assert sorted(e.client_id for e in exports(data_dir)) == sorted([A, B, C])
    assert {e.reason for e in exports(data_dir)} == {"team_report"}


def test_pdf_for_one_worker_by_name_in_swedish(data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "mikko.pdf"
    assert (
        run(
            data_dir,
            "--from",
            "2026-01",
            "--to",
            "2026-03",
            "--worker",
            "mikko työntekijä",
            "--format",
            "pdf",
            "--out",
            str(out),
            "--lang",
            "sv",
        )
        == 0
    )
    text = pdftools.flat(out.read_bytes())
    assert "Teamrapport" in text and "Mikko Työntekijä" in text and "Cederlund, Cia" in text
    assert "Aalto" not in text
    assert [e.client_id for e in exports(data_dir)] == [C]


def test_without_clients_nobody_is_in_the_file_or_the_log(data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "anon.csv"
    assert run(data_dir, "--format", "csv", "--out", str(out), "--no-clients") == 0
    text = out.read_bytes().decode("utf-8-sig")
    assert "Aalto" not in text and "tammikuu 2026 – huhtikuu 2026" in text  # year so far
    assert exports(data_dir) == []


def test_to_alone_reports_its_year_so_far(data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "feb.csv"
    assert run(data_dir, "--to", "2026-02", "--format", "csv", "--out", str(out)) == 0
    assert "tammikuu 2026 – helmikuu 2026" in out.read_bytes().decode("utf-8-sig")


def test_mistakes_are_explained(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "x.csv"
    assert run(data_dir, "--worker", "nobody", "--format", "csv", "--out", str(out)) == 2
    assert "Työntekijää ei löydy: nobody" in capsys.readouterr().err
    assert (
        run(data_dir, "--from", "2026-03", "--to", "2026-01", "--format", "csv", "--out", str(out))
        == 2
    )
    assert "Aikavälin alku on lopun jälkeen." in capsys.readouterr().err
    with pytest.raises(SystemExit) as bad_month:
        run(data_dir, "--from", "2026-13", "--format", "csv", "--out", str(out))
    assert bad_month.value.code == 2
    assert "Kuukausi muodossa VVVV-KK" in capsys.readouterr().err
    assert not out.exists()
    assert exports(data_dir) == []


@pytest.mark.slow
def test_the_installed_command_runs_in_its_own_process(data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "team.pdf"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "sosku_desktop.app",
            "report",
            "team",
            "--data-dir",
            str(data_dir),
            "--from",
            "2026-01",
            "--to",
            "2026-03",
            "--format",
            "pdf",
            "--out",
            str(out),
            "--today",
            "2026-04-15",
        ],
        cwd=ROOT,
        env={**os.environ, "SOSKU_PASSPHRASE": PASSPHRASE},
        capture_output=True,
        text=True,
        check=True,
    )
    assert str(out) in done.stdout
    assert pdftools.pages(out.read_bytes()) >= 2
