"""``sosku document`` end to end on a real encrypted store, read back with poppler."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest

from sosku_desktop.domain import codes, models
from sosku_desktop.store.database import Store
from sosku_desktop.store.writer import derived_id, new_id

ROOT = Path(__file__).resolve().parents[2]
PASSPHRASE = "cli-testi-passi"


@pytest.fixture
def january(tmp_path: Path) -> tuple[Path, str]:
    """The canonical month: meetings 4.1., 17.1., 24.1.2024, group on 17.1., cancelled 10.1."""
    data_dir = tmp_path / "d"
    store = Store.create(data_dir, PASSPHRASE)
    with store.write() as w:
        worker = w.add(models.Worker(id=new_id(), name="Sanna Virtanen"))
        client = w.add(
            models.Client(
                id=new_id(),
                first_name="Aino",
                last_name="Korhonen",
                identity_code="120584-900F",
                worker_id=worker.id,
            )
        )
        period = w.add(
            models.Period(
                id=new_id(),
                client_id=client.id,
                worker_id=worker.id,
                start=date(2024, 1, 4),
                planned_end=date(2025, 1, 3),
                phase=codes.PHASE_INTENSIVE,
            )
        )
        w.add(
            models.Goal(id=new_id(), period_id=period.id, text="Käyn kaupassa itse kerran viikossa")
        )
        for day, status in (
            (4, codes.MEETING_REALISED),
            (10, codes.MEETING_CANCELLED),
            (17, codes.MEETING_REALISED),
            (24, codes.MEETING_REALISED),
        ):
            w.add(
                models.Meeting(
                    id=new_id(),
                    period_id=period.id,
                    worker_id=worker.id,
                    starts_at=datetime(2024, 1, day, 10),
                    status=status,
                )
            )
        group = w.add(models.Group(id=new_id(), name="Kävelyryhmä"))
        session = w.add(models.GroupSession(id=new_id(), group_id=group.id, on=date(2024, 1, 17)))
        w.add(
            models.Attendance(
                id=derived_id(session.id, client.id),
                session_id=session.id,
                client_id=client.id,
                status=codes.ATTENDANCE_PRESENT,
            )
        )
        w.add(
            models.Decision(
                id=new_id(),
                period_id=period.id,
                kind=codes.DECISION_REHABILITATION,
                valid_from=date(2024, 1, 4),
                valid_to=date(2024, 4, 3),
                number="SK-1",
                heard_how="Tavattu henkilökohtaisesti",
            )
        )
    store.set_current_worker(worker.id)
    store.close()
    return data_dir, client.id


def sosku(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOSKU_PASSPHRASE": PASSPHRASE}
    return subprocess.run(
        [sys.executable, "-m", "sosku_desktop.app", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def pdftotext(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_activity_money_month_is_27_euros_in_pdf_text_and_csv(
    january: tuple[Path, str], tmp_path: Path
) -> None:
    data_dir, client_id = january
    common = ("--data-dir", str(data_dir), "--client", client_id, "--month", "2024-01")
    pdf, txt = tmp_path / "d.pdf", tmp_path / "d.txt"
    assert sosku("document", "decision-activity-money", *common, "--out", str(pdf)).returncode == 0
    assert (
        sosku(
            "document", "decision-activity-money", *common, "--format", "txt", "--out", str(txt)
        ).returncode
        == 0
    )
    for text in (pdftotext(pdf), txt.read_text(encoding="utf-8")):
        assert "4.1., 17.1. ja 24.1.2024" in text
        assert "27,00 €" in text and "10.1." not in text
    out = tmp_path / "s.csv"
    done = sosku(
        "document",
        "activity-money",
        "--data-dir",
        str(data_dir),
        "--month",
        "2024-01",
        "--format",
        "csv",
        "--out",
        str(out),
    )
    assert done.returncode == 0, done.stderr
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    aino = next(r for r in rows if any("Korhonen" in cell for cell in r))
    assert "27,00" in aino and "3" in aino


def test_agreement_in_swedish_and_the_print_is_in_the_access_log(
    january: tuple[Path, str], tmp_path: Path
) -> None:
    data_dir, client_id = january
    pdf = tmp_path / "a.pdf"
    done = sosku(
        "document",
        "agreement",
        "--data-dir",
        str(data_dir),
        "--client",
        client_id,
        "--lang",
        "sv",
        "--out",
        str(pdf),
    )
    assert done.returncode == 0, done.stderr
    text = pdftotext(pdf)
    assert "Avtal om social rehabilitering" in text and "Aino Korhonen" in text
    assert "Käyn kaupassa itse kerran viikossa" in text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    assert "DejaVu" in fonts and " no " not in fonts.split("\n", 2)[2]
    store = Store.open(data_dir, PASSPHRASE)
    with store.read() as r:
        log = [(e.action, e.record_id) for e in r.audit_of_client(client_id)]
    store.close()
    assert (codes.AUDIT_PRINT, "agreement") in log


def test_errors_are_plain_words_and_exit_2(january: tuple[Path, str], tmp_path: Path) -> None:
    data_dir, _ = january
    out = tmp_path / "x.pdf"
    missing = sosku(
        "document",
        "agreement",
        "--data-dir",
        str(data_dir),
        "--client",
        "00000000-0000-0000-0000-000000000000",
        "--out",
        str(out),
    )
    assert missing.returncode == 2 and "sosku clients" in missing.stderr
    bad_month = sosku(
        "document",
        "activity-money",
        "--data-dir",
        str(data_dir),
        "--month",
        "2024-13",
        "--out",
        str(out),
    )
    assert bad_month.returncode == 2 and "VVVV-KK" in bad_month.stderr
    wrong_format = sosku(
        "document", "agreement", "--data-dir", str(data_dir), "--format", "csv", "--out", str(out)
    )
    assert wrong_format.returncode == 2 and "pdf" in wrong_format.stderr
    no_month = sosku(
        "document", "decision-activity-money", "--data-dir", str(data_dir), "--out", str(out)
    )
    assert no_month.returncode == 2 and "--month" in no_month.stderr  # not "data missing"
    assert not out.exists()
