"""Benchmark: building the agreement PDF, against a bare reportlab baseline.

Not a test (no thresholds): prints milliseconds per build of the agreement
form and of a minimal one-paragraph reportlab document measured in the
same run, and their ratio, so machines of any speed can be compared.

    .venv/bin/python bench/bench_agreement.py [-n 50] [--lang fi]
"""

from __future__ import annotations

import argparse
import io
import time
from collections.abc import Callable
from datetime import date, datetime

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph, SimpleDocTemplate

from sosku_desktop.documents import DocumentContext, Organisation, build_document
from sosku_desktop.domain import codes
from sosku_desktop.domain.models import Agreement, Client, Goal, Meeting, Period, Worker


def sample_context(lang: str) -> DocumentContext:
    """One client with three goals and an agreement: a typical form on the spot."""
    period = Period(
        id="p", client_id="c", worker_id="w", start=date(2024, 1, 4), planned_end=date(2025, 1, 3)
    )
    goals = [
        Goal(id=f"g{i}", period_id="p", position=i, text=f"Tavoite {i}: " + "arjen taito " * 12)
        for i in range(3)
    ]
    return DocumentContext(
        organisation=Organisation(name="Esimerkkilän kaupunki", unit="Sosiaalinen kuntoutus"),
        lang=lang,
        printed_on=date(2024, 1, 4),
        client=Client(id="c", first_name="Matti", last_name="Meikäläinen"),
        period=period,
        worker=Worker(id="w", name="Sanna Ohjaaja", phone="040 123 4567"),
        goals=goals,
        meetings=[
            Meeting(
                id="m",
                period_id="p",
                starts_at=datetime(2024, 1, 11, 13),
                status=codes.MEETING_PLANNED,
            )
        ],
        agreement=Agreement(
            id="a", period_id="p", contact="Tekstiviesti", signed_on=date(2024, 1, 4)
        ),
    )


def baseline() -> bytes:
    """A minimal reportlab document: one paragraph on one page."""
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4)
    doc.build([Paragraph("Sopimus sosiaalisesta kuntoutuksesta.", getSampleStyleSheet()["Normal"])])
    return buf.getvalue()


def per_build_ms(build: Callable[[], bytes], n: int) -> float:
    build()  # warm-up: font registration and imports are not what we measure
    start = time.perf_counter()
    for _ in range(n):
        build()
    return (time.perf_counter() - start) * 1000 / n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=50, help="builds per measurement")
    parser.add_argument("--lang", default="fi", choices=("fi", "sv", "en"))
    args = parser.parse_args()
    ctx = sample_context(args.lang)
    base = per_build_ms(baseline, args.n)
    agreement = per_build_ms(lambda: build_document("agreement", ctx, "pdf"), args.n)
    print(f"baseline (1-paragraph reportlab doc): {base:7.2f} ms/build")
    print(f"agreement form ({args.lang}):             {agreement:7.2f} ms/build")
    print(f"ratio agreement / baseline:          {agreement / base:7.1f}x  (n={args.n})")


if __name__ == "__main__":
    main()
