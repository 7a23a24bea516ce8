"""Blank feedback form (palautelomake) given to the client at the end.

Printed empty in the client's language (Finnish or Swedish; English for
those who read it better) and filled by hand, anonymously if they wish.
It is one sheet so it can be handed over and returned as such.
"""

from __future__ import annotations

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table

from sosku_desktop.documents.context import DocumentContext
from sosku_desktop.documents.feedback_questions import OPEN_QUESTIONS, STATEMENTS
from sosku_desktop.documents.layout import (
    CONTENT_W,
    GRID,
    SHADE,
    PageInfo,
    Styles,
    build_pdf,
    esc,
    heading,
    para,
    styles,
    table_style,
    write_lines,
)
from sosku_desktop.documents.phrases import t
from sosku_desktop.documents.textdoc import Section, TextDocument, render_text

BOX = "☐"
GRADES = tuple(range(4, 11))


def _scale_table(lang: str, st: Styles) -> Table:
    centred = ParagraphStyle("c", parent=st.label, alignment=TA_CENTER, textColor=GRID)
    box = ParagraphStyle("box", parent=st.cell, alignment=TA_CENTER, fontSize=14, leading=16)
    header = [
        para(t("feedback.statement", lang), st.cell_bold),
        para(f"1<br/>{esc(t('feedback.disagree', lang))}", centred, markup=True),
        para("2", centred),
        para("3", centred),
        para("4", centred),
        para(f"5<br/>{esc(t('feedback.agree', lang))}", centred, markup=True),
        para(t("feedback.dont_know", lang), centred),
    ]
    rows = [header]
    for i, key in enumerate(STATEMENTS, start=1):
        rows.append([para(f"{i}. {t(key, lang)}", st.cell)] + [para(BOX, box) for _ in range(6)])
    opt_w = 15 * mm
    table = Table(rows, colWidths=[CONTENT_W - 6 * opt_w] + [opt_w] * 6, repeatRows=1)
    table.setStyle(
        table_style(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, GRID),
                ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 1), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 1), (-1, -1), 5),
            ]
        )
    )
    return table


def _grade_table(lang: str, st: Styles) -> Table:
    box = ParagraphStyle("gbox", parent=st.cell, alignment=TA_CENTER)
    cells = [para(f"{BOX} {g}", box) for g in GRADES]
    table = Table([cells], colWidths=[CONTENT_W / len(GRADES)] * len(GRADES))
    table.setStyle(table_style([("BOX", (0, 0), (-1, -1), 0.4, GRID)]))
    return table


def feedback_pdf(ctx: DocumentContext) -> bytes:
    lang = ctx.lang
    st = styles(10)
    story: list[Flowable] = [
        para(t("feedback.title", lang), st.title),
        para(t("feedback.intro", lang), st.body),
        para(t("feedback.how_to_answer", lang), st.body),
        Spacer(1, 2 * mm),
        _scale_table(lang, st),
        heading(t("feedback.grade", lang), st),
        _grade_table(lang, st),
    ]
    for key in OPEN_QUESTIONS:
        story.extend([heading(t(key, lang), st), write_lines(3, CONTENT_W, 7.5 * mm)])
    story.extend([Spacer(1, 4 * mm), para(t("feedback.return", lang), st.small)])
    info = PageInfo(ctx.organisation, lang, t("feedback.title", lang), ctx.printed_on, False)
    return build_pdf(info, story, one_page=True)


def feedback_document(ctx: DocumentContext) -> TextDocument:
    lang = ctx.lang
    grades = ", ".join(str(g) for g in GRADES)
    return TextDocument(
        title=t("feedback.title", lang),
        sections=(
            Section(paragraphs=(t("feedback.intro", lang), t("feedback.scale_text", lang))),
            Section(
                t("feedback.statement", lang),
                items=tuple(t(k, lang) for k in STATEMENTS),
                numbered=True,
            ),
            Section(t("feedback.grade", lang), paragraphs=(grades,)),
            *(Section(t(k, lang), paragraphs=("",)) for k in OPEN_QUESTIONS),
            Section(paragraphs=(t("feedback.return", lang),)),
        ),
    )


def feedback_text(ctx: DocumentContext) -> bytes:
    return render_text(feedback_document(ctx)).encode("utf-8")
