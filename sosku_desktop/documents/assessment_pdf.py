"""A one-page self-assessment comparison to give the client: start vs latest.

Domain.md: progress is made *visible* to the client ("show the client how far
they have come"). The radar shows the shape at a glance, the table gives the
numbers, the change and today's traffic-light level in words, so it reads
on a black-and-white copy too.
"""

from __future__ import annotations

from datetime import date

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from sosku_desktop.documents.assessment_text import band_text, change_text, score_text
from sosku_desktop.documents.context import Organisation
from sosku_desktop.documents.fonts import ensure_fonts
from sosku_desktop.documents.layout import (
    CONTENT_W,
    PageInfo,
    boxed_fields,
    build_pdf,
    data_table,
    para,
    styles,
)
from sosku_desktop.documents.report_charts import radar_chart
from sosku_desktop.domain.models import Client
from sosku_desktop.domain.scoring import Comparison
from sosku_desktop.i18n import format_date, tr

__all__ = ["assessment_comparison_pdf", "band_text", "change_text", "score_text"]


def assessment_comparison_pdf(
    comparison: Comparison,
    client: Client,
    organisation: Organisation,
    lang: str,
    printed_on: date,
) -> bytes:
    """The comparison as one A4 page."""
    st = styles()
    regular, _ = ensure_fonts()
    instrument = comparison.instrument
    start, latest = comparison.start, comparison.latest
    story: list[Flowable] = [
        para(tr("assessment.pdf_title", lang), st.title),
        *boxed_fields(
            [
                [
                    (tr("assessment.pdf_client", lang), client.full_name),
                    (tr("assessment.instrument", lang), instrument.name.get(lang)),
                ],
                [
                    (
                        tr("assessment.col.start", lang),
                        format_date(start.on, lang) if start else "–",
                    ),
                    (tr("assessment.col.latest", lang), format_date(latest.on, lang)),
                ],
            ],
            st,
        ),
        Spacer(1, 3 * mm),
    ]
    labels = [row.area.label.get(lang) for row in comparison.areas]
    chart = radar_chart(
        labels,
        [row.start for row in comparison.areas] if start else None,
        [row.latest for row in comparison.areas],
        min(CONTENT_W, 120 * mm),
        scale_min=instrument.scale.min,
        scale_max=instrument.scale.max,
        legend=(
            tr("assessment.start", lang, date=format_date(start.on, lang)) if start else "",
            tr("assessment.latest", lang, date=format_date(latest.on, lang)),
        ),
    )
    centred = Table([[chart]], colWidths=[CONTENT_W])
    centred.setStyle(
        TableStyle([("ALIGN", (0, 0), (-1, -1), "CENTER"), ("FONTNAME", (0, 0), (-1, -1), regular)])
    )
    story.append(centred)
    header = [
        tr("assessment.col.area", lang),
        tr("assessment.col.start", lang),
        tr("assessment.col.latest", lang),
        tr("assessment.col.change", lang),
        tr("assessment.col.band", lang),
    ]
    rows = [
        [
            row.area.label.get(lang),
            score_text(row.start, lang),
            score_text(row.latest, lang),
            change_text(comparison, row, lang),
            band_text(comparison, row.latest_band, lang),
        ]
        for row in comparison.areas
    ]
    story.append(data_table(header, rows, [44, 18, 20, 34, 44], st, right=(1, 2)))
    source = " · ".join(v for v in (instrument.publisher, instrument.licence) if v)
    if source:
        story.append(Spacer(1, 2 * mm))
        story.append(para(f"{instrument.name.get(lang)} – {source}", st.small))
    info = PageInfo(organisation, lang, tr("assessment.pdf_title", lang), printed_on)
    return build_pdf(info, story)
