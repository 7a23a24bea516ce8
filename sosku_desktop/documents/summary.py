"""Period summary / final evaluation: goals, meetings, groups, self-assessment.

Shown to the client at the interim and final evaluations ("show the
client how far they have come") and filed as the final evaluation entry,
so the PDF carries charts and the text carries the same figures.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from sosku_desktop.documents import charts
from sosku_desktop.documents.context import DocumentContext
from sosku_desktop.documents.fonts import ensure_fonts
from sosku_desktop.documents.layout import (
    CONTENT_W,
    PageInfo,
    Styles,
    build_pdf,
    data_table,
    heading,
    para,
    section_flowables,
    styles,
)
from sosku_desktop.documents.phrases import date_range, t
from sosku_desktop.documents.textdoc import Field, Section, TextDocument, render_text
from sosku_desktop.domain import codes
from sosku_desktop.domain.goals import progress_figures
from sosku_desktop.domain.models import Goal, Period
from sosku_desktop.i18n import code_heading, code_label, format_date, format_number

KIND = "summary"
MAX_MONTHS = 13


@dataclass(frozen=True)
class GroupLine:
    name: str
    present: int
    excused: int
    absent: int

    @property
    def percent(self) -> int:
        held = self.present + self.excused + self.absent
        return round(100 * self.present / held) if held else 0


def _period_end(period: Period) -> date:
    return period.ended_on or period.planned_end


def _is_final(period: Period) -> bool:
    return period.status == codes.PERIOD_ENDED or period.ended_on is not None


def _title(ctx: DocumentContext, period: Period) -> str:
    return t("summary.title_final" if _is_final(period) else "summary.title", ctx.lang)


def goal_figures(ctx: DocumentContext, period: Period) -> dict[str, int]:
    """The one progress figure of each goal (``domain.goals``), as the app shows it."""
    return progress_figures(g for _, g in ctx.period_goals(period))


def months_of(ctx: DocumentContext, period: Period) -> list[tuple[int, int]]:
    """Calendar months from the start to the end (or today / last meeting), capped."""
    meetings = ctx.period_meetings(period)
    if period.ended_on:
        end = period.ended_on
    else:
        last_seen = max([ctx.printed_on, *(m.day for m in meetings)])
        end = min(period.planned_end, last_seen)
    end = max(end, period.start)
    months: list[tuple[int, int]] = []
    y, m = period.start.year, period.start.month
    while (y, m) <= (end.year, end.month) and len(months) < MAX_MONTHS:
        months.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months


def meetings_by_month(ctx: DocumentContext, period: Period) -> list[tuple[str, int]]:
    realised = Counter(
        (m.day.year, m.day.month)
        for m in ctx.period_meetings(period)
        if m.status == codes.MEETING_REALISED
    )
    return [(f"{m}/{y}", realised.get((y, m), 0)) for y, m in months_of(ctx, period)]


def meetings_by_kind(ctx: DocumentContext, period: Period) -> list[tuple[str, int]]:
    counts = Counter(
        m.kind for m in ctx.period_meetings(period) if m.status == codes.MEETING_REALISED
    )
    order = {k: i for i, k in enumerate(codes.MEETING_KINDS)}
    return [
        (code_label("meeting_kind", k, ctx.lang), n)
        for k, n in sorted(counts.items(), key=lambda kv: order.get(kv[0], 99))
    ]


def meeting_totals(ctx: DocumentContext, period: Period) -> str:
    counts = Counter(m.status for m in ctx.period_meetings(period))
    text = ", ".join(
        f"{code_label('meeting_status', s, ctx.lang)} {counts.get(s, 0)}"
        for s in (codes.MEETING_REALISED, codes.MEETING_CANCELLED, codes.MEETING_NO_SHOW)
    )
    return text[:1].upper() + text[1:]


def group_lines(ctx: DocumentContext, period: Period) -> list[GroupLine]:
    client = ctx.need_client(KIND)
    end = _period_end(period)
    sessions = {
        s.id: s
        for s in ctx.sessions
        if not s.deleted and not s.cancelled and period.start <= s.on <= end
    }
    per_group: dict[str, Counter[str]] = {}
    for a in ctx.attendances:
        if a.deleted or a.client_id != client.id or a.session_id not in sessions:
            continue
        per_group.setdefault(sessions[a.session_id].group_id, Counter())[a.status] += 1
    names = {g.id: g.name for g in ctx.groups}
    return [
        GroupLine(
            names.get(gid, "–"),
            c[codes.ATTENDANCE_PRESENT],
            c[codes.ATTENDANCE_EXCUSED],
            c[codes.ATTENDANCE_ABSENT],
        )
        for gid, c in sorted(per_group.items(), key=lambda kv: names.get(kv[0], ""))
    ]


def assessment_legend(ctx: DocumentContext) -> tuple[str, str]:
    lang = ctx.lang
    own = sorted(
        a.on
        for a in ctx.assessments
        if not a.deleted and ctx.client and a.client_id == ctx.client.id
    )
    if len(own) >= 2:
        return (
            t("summary.at_start_on", lang, date=format_date(own[0], lang)),
            t("summary.latest_on", lang, date=format_date(own[-1], lang)),
        )
    return t("summary.at_start", lang), t("summary.latest", lang)


def score_text(value: float, lang: str) -> str:
    return format_number(round(value, 1), lang)


def _overview(ctx: DocumentContext, period: Period) -> Section:
    lang = ctx.lang
    client = ctx.need_client(KIND)
    worker = ctx.worker or ctx.worker_by_id(period.worker_id)
    fields = [
        Field(t("client_name", lang), client.full_name),
        Field(t("summary.period", lang), date_range(period.start, _period_end(period), lang)),
        Field(t("summary.status", lang), code_label("period_status", period.status, lang)),
        Field(t("worker", lang), worker.name if worker else ""),
    ]
    if period.end_reason:
        fields.append(
            Field(t("summary.end_reason", lang), code_label("end_reason", period.end_reason, lang))
        )
    return Section(fields=tuple(fields))


def _goal_label(goal: Goal, lang: str) -> str:
    return f"{code_label('goal_level', goal.level, lang)}: {goal.text}"


def _progress_bar(value: int) -> Drawing:
    """A bar readable in black and white, with the number beside it."""
    regular, _ = ensure_fonts()
    bar_w, bar_h = 16 * mm, 3 * mm
    d = Drawing(28 * mm, 4 * mm, initialFontName=regular)
    d.add(Rect(0, 0.5 * mm, bar_w, bar_h, fillColor=None, strokeColor=charts.DARK, strokeWidth=0.5))
    if value:
        d.add(Rect(0, 0.5 * mm, bar_w * value / 100, bar_h, fillColor=charts.MID, strokeWidth=0))
    d.add(String(bar_w + 1.5 * mm, 0.9 * mm, f"{value} %", fontName=regular, fontSize=7.5))
    return d


def _goal_rows(ctx: DocumentContext, period: Period) -> list[tuple[int, Goal]]:
    return ctx.period_goals(period)


def _indented(text: str, depth: int, base: ParagraphStyle) -> Paragraph:
    """Sub-goals and steps indented under their main goal."""
    if not depth:
        return para(text, base)
    return para(text, ParagraphStyle(f"goal{depth}", parent=base, leftIndent=10 * depth))


def summary_pdf(ctx: DocumentContext) -> bytes:
    lang = ctx.lang
    st = styles()
    period = ctx.need_period(KIND)
    story: list[Flowable] = [para(_title(ctx, period), st.title)]
    story.extend(section_flowables(_overview(ctx, period), st))
    story += _goals_story(ctx, period, st)
    story += _meetings_story(ctx, period, st)
    story += _groups_story(ctx, period, st)
    if ctx.area_scores:
        story += _assessment_story(ctx, st)
    for section in _closing_sections(ctx, period):
        story.extend(section_flowables(section, st))
    info = PageInfo(ctx.organisation, lang, _title(ctx, period), ctx.printed_on)
    return build_pdf(info, story)


def _goals_story(ctx: DocumentContext, period: Period, st: Styles) -> list[Flowable]:
    """The goal tree with each goal's progress bar and status."""
    lang = ctx.lang
    story: list[Flowable] = []
    story.append(heading(t("summary.goals", lang), st))
    goals = _goal_rows(ctx, period)
    figures = goal_figures(ctx, period)
    if goals:
        rows = [
            [
                _indented(_goal_label(g, lang), depth, st.cell),
                _progress_bar(figures.get(g.id, 0)),
                code_label("goal_status", g.status, lang),
                format_date(g.achieved_on, lang),
            ]
            for depth, g in goals
        ]
        header = [
            t("summary.goal", lang),
            t("summary.progress", lang),
            t("summary.goal_status", lang),
            t("summary.achieved_on", lang),
        ]
        story.append(data_table(header, rows, [90, 30, 27, 27], st))
    else:
        story.append(para(t("summary.none", lang), st.body))
    return story


def _meetings_story(ctx: DocumentContext, period: Period, st: Styles) -> list[Flowable]:
    """Meeting totals, by kind, and by month against the monthly minimum."""
    lang = ctx.lang
    story: list[Flowable] = []
    story.append(heading(t("summary.meetings", lang), st))
    story.append(para(meeting_totals(ctx, period), st.body))
    by_kind = meetings_by_kind(ctx, period)
    if by_kind:
        kind_rows = [[label, str(n)] for label, n in by_kind]
        kind_rows.append([t("total", lang), str(sum(n for _, n in by_kind))])
        story.append(
            data_table(
                [t("summary.meeting_kind", lang), t("summary.count", lang)],
                kind_rows,
                [120, 54],
                st,
                right=(1,),
                bold_last=True,
            )
        )
    months = meetings_by_month(ctx, period)
    minimum = ctx.rules.min_meetings_per_month
    chart = charts.monthly_bars(
        [label for label, _ in months],
        [n for _, n in months],
        CONTENT_W,
        reference=minimum,
        reference_label=t("summary.minimum_line", lang, n=minimum),
    )
    story.append(
        KeepTogether([Spacer(1, 3 * mm), para(t("summary.by_month", lang), st.cell_bold), chart])
    )
    return story


def _groups_story(ctx: DocumentContext, period: Period, st: Styles) -> list[Flowable]:
    """Attendance per group the client took part in."""
    lang = ctx.lang
    story: list[Flowable] = []
    story.append(heading(t("summary.groups", lang), st))
    lines = group_lines(ctx, period)
    if lines:
        rows = [
            [g.name, str(g.present), str(g.excused), str(g.absent), f"{g.percent} %"] for g in lines
        ]
        header = [
            t("summary.group", lang),
            code_heading("attendance", codes.ATTENDANCE_PRESENT, lang),
            code_heading("attendance", codes.ATTENDANCE_EXCUSED, lang),
            code_heading("attendance", codes.ATTENDANCE_ABSENT, lang),
            t("summary.attendance_rate", lang),
        ]
        story.append(data_table(header, rows, [70, 22, 34, 22, 26], st, right=(1, 2, 3, 4)))
    else:
        story.append(para(t("summary.no_groups", lang), st.body))
    return story


def _assessment_story(ctx: DocumentContext, st: Styles) -> list[Flowable]:
    """Self-assessment areas, start against latest, as a chart and a table."""
    lang = ctx.lang
    story: list[Flowable] = []
    areas = list(ctx.area_scores)
    start = [float(ctx.area_scores[a][0]) for a in areas]
    latest = [float(ctx.area_scores[a][1]) for a in areas]
    legend = assessment_legend(ctx)
    chart = charts.start_vs_latest(
        areas, start, latest, CONTENT_W, legend=legend, scale_max=ctx.area_scale_max
    )
    story.append(KeepTogether([heading(t("summary.self_assessment", lang), st), chart]))
    rows = [
        [a, score_text(s, lang), score_text(lt, lang), _signed(lt - s, lang)]
        for a, s, lt in zip(areas, start, latest, strict=True)
    ]
    header = [t("summary.area", lang), legend[0], legend[1], t("summary.change", lang)]
    story.append(data_table(header, rows, [80, 34, 34, 26], st, right=(1, 2, 3)))
    return story


def _signed(value: float, lang: str) -> str:
    text = score_text(abs(value), lang)
    if value > 0:
        return f"+{text}"
    if value < 0:
        return f"−{text}"
    return text


def evaluation_items(ctx: DocumentContext, period: Period) -> tuple[str, ...]:
    """One line per interim evaluation: date, block, each goal's attainment, continue."""
    lang = ctx.lang
    goals = {g.id: g.text for g in ctx.goals if not g.deleted}
    lines = []
    for e in sorted(
        (e for e in ctx.evaluations if not e.deleted and e.period_id == period.id),
        key=lambda e: e.on,
    ):
        rated = "; ".join(
            f"{goals[g]} – {code_label('attainment', code, lang)}"
            for g, code in e.attainment.items()
            if g in goals
        )
        lines.append(
            t(
                "summary.evaluation_line",
                lang,
                date=format_date(e.on, lang),
                block=date_range(e.block_start, e.block_end, lang),
                rated=rated or "–",
                cont=t("yes" if e.continue_service else "no", lang),
            )
        )
    return tuple(lines)


def _closing_sections(ctx: DocumentContext, period: Period) -> list[Section]:
    lang = ctx.lang
    out = []
    evaluations = evaluation_items(ctx, period)
    if evaluations:
        out.append(Section(t("summary.evaluations", lang), items=evaluations))
    if period.final_evaluation.strip():
        out.append(Section(t("summary.evaluation", lang), paragraphs=(period.final_evaluation,)))
    out.append(
        Section(
            t("summary.next_steps", lang),
            paragraphs=(period.next_steps.strip() or t("summary.none", lang),),
        )
    )
    return out


def summary_document(ctx: DocumentContext) -> TextDocument:
    lang = ctx.lang
    period = ctx.need_period(KIND)
    figures = goal_figures(ctx, period)
    goal_items = tuple(
        "{}{} – {} %, {}{}".format(
            "  " * depth,
            _goal_label(g, lang),
            figures.get(g.id, 0),
            code_label("goal_status", g.status, lang),
            f" {format_date(g.achieved_on, lang)}" if g.achieved_on else "",
        )
        for depth, g in _goal_rows(ctx, period)
    )
    sections = [
        _overview(ctx, period),
        Section(t("summary.goals", lang), items=goal_items),
        Section(
            t("summary.meetings", lang),
            paragraphs=(meeting_totals(ctx, period),),
            items=tuple(f"{label}: {n}" for label, n in meetings_by_kind(ctx, period)),
        ),
        Section(
            t("summary.by_month", lang),
            items=tuple(f"{label}: {n}" for label, n in meetings_by_month(ctx, period)),
        ),
        Section(
            t("summary.groups", lang),
            items=tuple(
                t(
                    "summary.group_line",
                    lang,
                    group=g.name,
                    present=g.present,
                    excused=g.excused,
                    absent=g.absent,
                    percent=g.percent,
                )
                for g in group_lines(ctx, period)
            ),
        ),
    ]
    if ctx.area_scores:
        start_label, latest_label = assessment_legend(ctx)
        sections.append(
            Section(
                t("summary.self_assessment", lang),
                items=tuple(
                    f"{area}: {start_label} {score_text(s, lang)}, "
                    f"{latest_label} {score_text(lt, lang)}"
                    for area, (s, lt) in ctx.area_scores.items()
                ),
            )
        )
    sections.extend(_closing_sections(ctx, period))
    return TextDocument(title=_title(ctx, period), sections=tuple(sections))


def summary_text(ctx: DocumentContext) -> bytes:
    return render_text(summary_document(ctx)).encode("utf-8")
