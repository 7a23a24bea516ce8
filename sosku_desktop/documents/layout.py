"""Page frame, styles and the form pieces every PDF is made of.

Every page gets the organisation header (logo, name, unit), the document
title, "sivu 1/2" and the printing date, and a footer with the
confidentiality marking and contact details. Text always goes through
``Paragraph`` so that long names and goal texts wrap inside table cells
instead of overflowing. Black, white and greys only: forms are printed on
office printers and copied.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepInFrame,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from sosku_desktop.documents.context import Organisation
from sosku_desktop.documents.fonts import ensure_fonts, printable
from sosku_desktop.documents.phrases import t
from sosku_desktop.documents.textdoc import EMPTY, Section, TextDocument
from sosku_desktop.i18n import format_date

PAGE_W, PAGE_H = A4
MARGIN_X = 18 * mm
MARGIN_TOP = 30 * mm
MARGIN_BOTTOM = 20 * mm
CONTENT_W = PAGE_W - 2 * MARGIN_X
FRAME_H = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM
GRID = colors.black
SHADE = colors.Color(0.88, 0.88, 0.88)
LIGHT = colors.Color(0.45, 0.45, 0.45)


@dataclass(frozen=True)
class Styles:
    """Paragraph styles for one base size (the agreement may shrink it)."""

    title: ParagraphStyle
    heading: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    label: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    cell_right: ParagraphStyle
    head: ParagraphStyle
    head_right: ParagraphStyle
    note: ParagraphStyle


@cache
def styles(size: float = 9.5) -> Styles:
    regular, bold = ensure_fonts()
    lead = size * 1.28
    body = ParagraphStyle(
        "body",
        fontName=regular,
        bulletFontName=regular,
        fontSize=size,
        leading=lead,
        spaceAfter=3,
    )
    cell = ParagraphStyle("cell", parent=body, spaceAfter=0)
    head = ParagraphStyle(
        "head", parent=cell, fontName=bold, fontSize=size - 1, leading=(size - 1) * 1.25
    )
    return Styles(
        title=ParagraphStyle(
            "title", fontName=bold, fontSize=size + 5, leading=(size + 5) * 1.2, spaceAfter=4
        ),
        heading=ParagraphStyle(
            "heading",
            fontName=bold,
            fontSize=size + 0.5,
            leading=(size + 0.5) * 1.3,
            backColor=SHADE,
            # the shaded bar spans exactly the content width; text sits 3 pt in
            leftIndent=3,
            rightIndent=3,
            borderPadding=(2, 3, 2, 3),
            spaceBefore=7,
            spaceAfter=5,
        ),
        body=body,
        small=ParagraphStyle("small", parent=body, fontSize=size - 1.5, leading=(size - 1.5) * 1.3),
        label=ParagraphStyle(
            "label",
            fontName=regular,
            fontSize=size - 2.5,
            leading=(size - 2.5) * 1.25,
            textColor=LIGHT,
        ),
        cell=cell,
        cell_bold=ParagraphStyle("cell_bold", parent=cell, fontName=bold),
        cell_right=ParagraphStyle("cell_right", parent=cell, alignment=TA_RIGHT),
        head=head,
        head_right=ParagraphStyle("head_right", parent=head, alignment=TA_RIGHT),
        note=ParagraphStyle(
            "note",
            parent=body,
            fontSize=size - 1,
            leading=(size - 1) * 1.3,
            borderColor=GRID,
            borderWidth=0.6,
            borderPadding=4,
            leftIndent=4,
            rightIndent=4,
            spaceBefore=4,
            spaceAfter=8,
        ),
    )


def esc(text: str) -> str:
    """User text made safe for Paragraph markup; line breaks kept, and characters the
    embedded font has no glyph for (emoji) left out rather than printed as boxes."""
    return "<br/>".join(escape(line) for line in printable(text).strip().splitlines())


def para(text: str, style: ParagraphStyle, *, markup: bool = False) -> Paragraph:
    return Paragraph(text if markup else esc(text), style)


# -- page frame ---------------------------------------------------------------


@dataclass(frozen=True)
class PageInfo:
    """What the header and footer show on every page."""

    organisation: Organisation
    lang: str
    title: str
    printed_on: date
    confidential: bool = True


def _fit_paragraph(text: str, width: float, max_h: float, align: int, size: float) -> Paragraph:
    """A header paragraph shrunk until it fits ``max_h`` (long organisation names)."""
    regular, _ = ensure_fonts()
    while True:
        style = ParagraphStyle(
            "hdr", fontName=regular, fontSize=size, leading=size * 1.25, alignment=align
        )
        p = Paragraph(text, style)
        _, h = p.wrap(width, max_h)
        if h <= max_h or size <= 5:
            return p
        size -= 0.5


def _draw_page(canv: Canvas, info: PageInfo, page: int, total: int) -> None:
    org = info.organisation
    top = PAGE_H - 10 * mm
    header_h = MARGIN_TOP - 10 * mm - 5 * mm
    x = MARGIN_X
    if org.logo_path is not None and org.logo_path.is_file():
        logo_h, logo_w = 13 * mm, 32 * mm
        canv.drawImage(
            str(org.logo_path),
            x,
            top - logo_h,
            logo_w,
            logo_h,
            preserveAspectRatio=True,
            anchor="w",
            mask="auto",
        )
        x += logo_w + 4 * mm
    left_w = MARGIN_X + CONTENT_W * 0.6 - x
    org_text = f"<b>{esc(org.name)}</b>"
    if org.unit:
        org_text += f"<br/>{esc(org.unit)}"
    left = _fit_paragraph(org_text, left_w, header_h, TA_LEFT, 9.5)
    _, h = left.wrap(left_w, header_h)
    left.drawOn(canv, x, top - h)

    right_w = CONTENT_W * 0.38
    right_text = "<br/>".join(
        [
            f"<b>{esc(info.title)}</b>",
            esc(t("page_of", info.lang, page=page, total=total)),
            esc(t("printed_on", info.lang, date=format_date(info.printed_on, info.lang))),
        ]
    )
    right = _fit_paragraph(right_text, right_w, header_h, TA_RIGHT, 8)
    _, h = right.wrap(right_w, header_h)
    right.drawOn(canv, PAGE_W - MARGIN_X - right_w, top - h)

    canv.setStrokeColor(GRID)
    canv.setLineWidth(0.8)
    line_y = PAGE_H - MARGIN_TOP + 4 * mm
    canv.line(MARGIN_X, line_y, PAGE_W - MARGIN_X, line_y)

    foot_y = MARGIN_BOTTOM - 6 * mm
    canv.setLineWidth(0.4)
    canv.line(MARGIN_X, foot_y, PAGE_W - MARGIN_X, foot_y)
    contact = " · ".join(esc(v) for v in (org.address, org.phone, org.email) if v)
    parts = [
        (f"<b>{esc(t('confidential', info.lang))}</b>" if info.confidential else "", 0.42, TA_LEFT),
        (contact, 0.56, TA_RIGHT),
    ]
    fx = MARGIN_X
    for text, share, align in parts:
        w = CONTENT_W * share
        if text:
            p = _fit_paragraph(text, w, foot_y - 6 * mm, align, 7)
            _, h = p.wrap(w, foot_y)
            p.drawOn(canv, fx if align == TA_LEFT else PAGE_W - MARGIN_X - w, foot_y - 1.5 * mm - h)
        fx += w


def _canvas_class(info: PageInfo) -> type[Canvas]:
    """A canvas that holds pages back until the end to print "sivu n/total"."""

    class _NumberedCanvas(Canvas):  # type: ignore[misc]  # reportlab is untyped
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, object]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                _draw_page(self, info, number, total)
                Canvas.showPage(self)
            Canvas.save(self)

    return _NumberedCanvas


def story_height(story: Sequence[Flowable], width: float = CONTENT_W) -> float:
    """Height the flowables take in one column (spaces not collapsed: an upper bound)."""
    total = 0.0
    for flowable in story:
        _, h = flowable.wrap(width, FRAME_H)
        total += h + flowable.getSpaceBefore() + flowable.getSpaceAfter()
    return total


def build_pdf(info: PageInfo, story: list[Flowable], *, one_page: bool = False) -> bytes:
    """Lay ``story`` out on A4 pages with header and footer; return the PDF.

    ``one_page`` shrinks the whole story into the single frame (the
    agreement form must always be one sheet, however long the goals).
    """
    regular, _ = ensure_fonts()
    buf = io.BytesIO()
    doc = BaseDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=info.title,
        author=info.organisation.name,
        creator="Sosku Desktop",
        lang=info.lang,
        # reportlab starts every page in Helvetica, which is never embedded
        initialFontName=regular,
    )
    frame = Frame(
        MARGIN_X,
        MARGIN_BOTTOM,
        CONTENT_W,
        FRAME_H,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    if one_page:
        story = [KeepInFrame(CONTENT_W, FRAME_H, story, mode="shrink")]
    doc.build(story, canvasmaker=_canvas_class(info))
    return buf.getvalue()


# -- form pieces --------------------------------------------------------------


def table_style(commands: list[tuple[object, ...]]) -> TableStyle:
    """A TableStyle whose plain-string cells use the embedded font, not Helvetica."""
    regular, _ = ensure_fonts()
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), regular), *commands])


def heading(text: str, st: Styles) -> Paragraph:
    return para(text, st.heading)


def boxed_fields(
    rows: Sequence[Sequence[tuple[str, str | Flowable | list[Flowable]]]],
    st: Styles,
) -> list[Flowable]:
    """Form boxes: each cell a small grey label over its value, black grid.

    Each row is its own table spanning the full width, so rows may have a
    different number of boxes; the stacked grids meet exactly.
    """
    out: list[Flowable] = []
    for row in rows:
        cells = []
        for label, value in row:
            content: list[Flowable] = [para(label, st.label)]
            if isinstance(value, str):
                content.append(para(value, st.cell))
            elif isinstance(value, list):
                content.extend(value)
            else:
                content.append(value)
            cells.append(content)
        width = CONTENT_W / len(cells)
        table = Table([cells], colWidths=[width] * len(cells))
        table.setStyle(
            table_style(
                [
                    ("GRID", (0, 0), (-1, -1), 0.6, GRID),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("TOPPADDING", (0, 0), (-1, -1), 2),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                    ("LEFTPADDING", (0, 0), (-1, -1), 4),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                ]
            )
        )
        out.append(table)
    return out


def write_lines(n: int, width: float = CONTENT_W, height: float = 7 * mm) -> Table:
    """Empty ruled lines to write on by hand."""
    table = Table([[""]] * n, colWidths=[width], rowHeights=[height] * n)
    table.setStyle(table_style([("LINEBELOW", (0, 0), (-1, -1), 0.4, LIGHT)]))
    return table


CELL_PAD = 6  # reportlab's default left/right cell padding, in points


def fit_widths(
    weights: Sequence[float], minimums: Sequence[float], total: float = CONTENT_W
) -> list[float]:
    """Column widths in proportion to ``weights`` but never below ``minimums``.

    Columns that would be too narrow for their longest word get their
    minimum; the space comes from the others in proportion to their slack.
    """
    widths = [w * total / sum(weights) for w in weights]
    if sum(minimums) >= total:
        return [m * total / sum(minimums) for m in minimums]
    short = [i for i, w in enumerate(widths) if w < minimums[i]]
    need = sum(minimums[i] - widths[i] for i in short)
    for i in short:
        widths[i] = minimums[i]
    slack = {i: w - minimums[i] for i, w in enumerate(widths) if i not in short}
    total_slack = sum(slack.values())
    for i, spare in slack.items():
        widths[i] -= need * spare / total_slack
    return widths


def _longest_word(text: str, font: str, size: float) -> float:
    return max((stringWidth(word, font, size) for word in text.split()), default=0.0)


def data_table(
    header: Sequence[str],
    rows: Sequence[Sequence[str | Flowable]],
    widths: Sequence[float],
    st: Styles,
    *,
    right: Sequence[int] = (),
    bold_last: bool = False,
) -> Table:
    """A list table: shaded header repeated on every page, wrapping cells.

    ``widths`` are relative weights; a column is widened to fit its longest
    word (header included) so words are not split in the middle.
    """
    regular, bold_font = ensure_fonts()
    minimums = []
    for col, title in enumerate(header):
        longest = _longest_word(title, bold_font, st.head.fontSize)
        for i, row in enumerate(rows):
            value = row[col]
            if isinstance(value, str):
                bold = bold_last and i == len(rows) - 1
                font = bold_font if bold else regular
                longest = max(longest, _longest_word(value, font, st.cell.fontSize))
        minimums.append(min(longest + 2 * CELL_PAD + 1, CONTENT_W * 0.4))
    col_w = fit_widths(widths, minimums)

    def cell(value: str | Flowable, col: int, bold: bool) -> Flowable:
        if not isinstance(value, str):
            return value
        style = st.cell_right if col in right else (st.cell_bold if bold else st.cell)
        if bold and col in right:
            return para(f"<b>{esc(value)}</b>", style, markup=True)
        return para(value, style)

    data: list[list[Flowable]] = [
        [para(h, st.head_right if c in right else st.head) for c, h in enumerate(header)]
    ]
    for i, row in enumerate(rows):
        bold = bold_last and i == len(rows) - 1
        data.append([cell(v, c, bold) for c, v in enumerate(row)])
    table = Table(data, colWidths=col_w, repeatRows=1)
    commands: list[tuple[object, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if bold_last and rows:
        commands.append(("LINEABOVE", (0, -1), (-1, -1), 1.2, GRID))
    table.setStyle(table_style(commands))
    return table


def section_flowables(section: Section, st: Styles, label_w: float = 60 * mm) -> list[Flowable]:
    """One ``Section`` as PDF: heading bar, label/value grid, paragraphs, list."""
    out: list[Flowable] = []
    if section.heading:
        out.append(heading(section.heading, st))
    if section.fields:
        rows = [
            [para(f.label, st.cell_bold), para(f.value or EMPTY, st.cell)] for f in section.fields
        ]
        table = Table(rows, colWidths=[label_w, CONTENT_W - label_w])
        table.setStyle(
            table_style(
                [
                    ("GRID", (0, 0), (-1, -1), 0.4, GRID),
                    ("BACKGROUND", (0, 0), (0, -1), colors.Color(0.95, 0.95, 0.95)),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        out.extend([table, Spacer(1, 3)])
    out.extend(para(p, st.body) for p in section.paragraphs if p.strip())
    for i, item in enumerate(section.items, start=1):
        marker = f"{i}." if section.numbered else "•"
        out.append(
            Paragraph(
                esc(item),
                ParagraphStyle("item", parent=st.body, leftIndent=14, bulletIndent=2),
                bulletText=marker,
            )
        )
    return out


def text_document_story(doc: TextDocument, st: Styles) -> list[Flowable]:
    """A whole ``TextDocument`` as flowables (title, note, sections)."""
    story: list[Flowable] = [para(doc.title, st.title)]
    if doc.note:
        story.append(para(doc.note, st.note))
    for section in doc.sections:
        story.extend(section_flowables(section, st))
    return story
