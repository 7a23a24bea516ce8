"""CSV labels stay text in a Finnish Calc; the activity-money decision agrees with the statement.

The rule (``documents.csv_cells``): label cells that a Finnish spreadsheet
would turn into dates ("tammikuu 2026", a single date "4.1.2026") are
written as ``="…"``; numbers stay plain. The LibreOffice test opens real
files with a Finnish-locale CSV import and reads the cell types back; it is
skipped when LibreOffice is not installed (the rule test always runs).
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest

from sosku_desktop.documents import CaseloadEntry, build_document
from sosku_desktop.documents.csv_cells import as_text, from_text
from sosku_desktop.documents.decisions import activity_money_document, paid_days
from sosku_desktop.domain import codes
from sosku_desktop.domain.models import Decision, Meeting
from sosku_desktop.domain.rules_config import RatePeriod, Rules
from tests.documents.sample import CLIENT, PERIOD, context

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
FINNISH_CSV = "CSV:59,34,76,1,,1035"  # ; separated, " quoted, UTF-8, from line 1, Finnish


def _meeting(mid: str, day: date) -> Meeting:
    return Meeting(
        id=mid, period_id="p1", worker_id="w1", starts_at=datetime.combine(day, datetime.min.time())
    )


def test_label_cells_are_written_as_text_formulas_and_read_back() -> None:
    assert as_text("tammikuu 2026") == '="tammikuu 2026"'
    assert as_text('sanoi "moi"') == '="sanoi ""moi"""'
    assert as_text("") == ""
    assert from_text(as_text("4.1.2026")) == "4.1.2026"
    data = build_document("activity-money", context("fi"), "csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(data), delimiter=";"))
    # every dates cell is a text formula, the amounts stay plain numbers
    assert rows[1][3] == '="4.1., 17.1. ja 24.1.2024"'
    assert rows[1][5] == "27,00"


def _cell_types(tmp_path: Path, name: str, data: bytes) -> list[list[str]]:
    source = tmp_path / name
    source.write_bytes(data)
    subprocess.run(
        [
            SOFFICE or "soffice",
            "--headless",
            f"--infilter={FINNISH_CSV}",
            "--convert-to",
            "fods",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    xml = (tmp_path / (source.stem + ".fods")).read_text(encoding="utf-8")
    rows = []
    for row in re.findall(r"<table:table-row[^>]*>(.*?)</table:table-row>", xml, re.S):
        rows.append(re.findall(r'<table:table-cell[^>]*?office:value-type="(\w+)"', row))
    return rows


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")
def test_finnish_calc_keeps_month_labels_and_dates_as_text(tmp_path: Path) -> None:
    one_day = CaseloadEntry(CLIENT, [_meeting("m1", date(2024, 1, 4))], [PERIOD])
    ctx = context("fi", caseload=[one_day], sessions=[], attendances=[])
    types = _cell_types(tmp_path, "statement.csv", build_document("activity-money", ctx, "csv"))
    # client, identity code, days, the single date, the rate, the total
    assert types[1] == ["string", "string", "float", "string", "string", "float"]
    # a control file without the rule shows what Calc would have done
    plain = "\ufeffkuukausi;päivät\r\ntammikuu 2026;4.1.2026\r\n".encode()
    assert _cell_types(tmp_path, "plain.csv", plain)[1] == ["date", "date"]
    fixed = f"\ufeffkuukausi;päivät\r\n{as_text('tammikuu 2026')};{as_text('4.1.2026')}\r\n"
    rows = list(csv.reader(io.StringIO(fixed), delimiter=";"))
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(rows)
    assert _cell_types(tmp_path, "fixed.csv", out.getvalue().encode())[1] == ["string", "string"]


def test_activity_money_draft_pays_each_day_at_its_own_rate_like_the_statement() -> None:
    """A rate change on 15.1.2024: 4.1. at 9 €, 17.1. and 24.1. at 10 € in both documents."""
    rules = Rules(
        activity_money_rates=(
            RatePeriod(date(2000, 1, 1), 900),
            RatePeriod(date(2024, 1, 15), 1000),
        )
    )
    draft = Decision(
        id="draft",
        period_id="p1",
        kind=codes.DECISION_ACTIVITY_MONEY,
        valid_from=date(2024, 1, 1),
        valid_to=date(2024, 1, 31),
    )
    ctx = context("fi", rules=rules, decision=draft, decisions=[draft])
    days = paid_days(ctx, draft, "decision-activity-money")
    assert [(d.day.day, d.cents) for d in days] == [(4, 900), (17, 1000), (24, 1000)]
    decision_text = build_document("decision-activity-money", ctx, "txt").decode()
    statement_text = build_document("activity-money", replace(ctx, month=(2024, 1)), "txt").decode()
    assert "29,00 €" in decision_text
    client_line = next(line for line in statement_text.splitlines() if "Matti" in line)
    assert "29,00 €" in client_line or "29,00 €" in statement_text
    doc = activity_money_document(ctx)
    amounts = [f.value for s in doc.sections for f in s.fields if f.value.endswith("€")]
    assert "29,00 €" in amounts
