"""Implementation plan, interim evaluation and final evaluation as paste-ready text and PDF.

Field names follow THL Sosmeta: the implementation plan's goals carry
name, description, means and timetable, then content of the service,
responsible person, how the previous plan's goals were reached and the
review date. Evaluations state each goal's attainment with the
organisation's code list, the client's own view and what comes next. The
final evaluation adds the end reason, feedback answers and the start-vs-end
self-assessment comparison (a chart in the PDF).
"""

from __future__ import annotations

from reportlab.platypus import Flowable, KeepTogether

from sosku_desktop.documents import charts
from sosku_desktop.documents.context import DocumentContext
from sosku_desktop.documents.errors import NotApplicableError
from sosku_desktop.documents.feedback_questions import OPEN_QUESTIONS, STATEMENTS
from sosku_desktop.documents.kinds import (
    FINAL_EVALUATION,
    IMPLEMENTATION_PLAN,
    INTERIM_EVALUATION,
    TITLE_KEYS,
)
from sosku_desktop.documents.layout import (
    CONTENT_W,
    PageInfo,
    build_pdf,
    heading,
    styles,
    text_document_story,
)
from sosku_desktop.documents.phrases import date_range, t, yes_no
from sosku_desktop.documents.record_entries import (
    client_fields,
    responsible_worker,
    service_fields,
    worker_line,
)
from sosku_desktop.documents.summary import assessment_legend, goal_figures, score_text
from sosku_desktop.documents.textdoc import Field, Section, TextDocument, render_text
from sosku_desktop.domain import codes
from sosku_desktop.domain.lifecycle import continuation_block, current_plan, goal_plan
from sosku_desktop.domain.models import Evaluation, Goal, Period
from sosku_desktop.i18n import code_label, format_date

# -- implementation plan --------------------------------------------------------------


def _goal_item(ctx: DocumentContext, goal: Goal, plan_row: dict[str, str]) -> str:
    """Name, description (sub-goals and steps), means, timetable, responsible."""
    lang = ctx.lang
    subs = [
        g.text
        for d, g in ctx.period_goals(ctx.need_period(IMPLEMENTATION_PLAN))
        if d > 0 and _under(ctx, g, goal.id)
    ]
    lines = [goal.text]
    if subs:
        lines.append(f"{t('plan.description', lang)}: {'; '.join(subs)}")
    for name in ("means", "timetable", "responsible"):
        lines.append(f"{t(f'plan.{name}', lang)}: {plan_row.get(name, '').strip() or '–'}")
    return "\n".join(lines)


def _under(ctx: DocumentContext, goal: Goal, root_id: str) -> bool:
    by_id = {g.id: g for g in ctx.goals}
    seen: set[str] = set()
    current = goal
    while current.parent_id and current.parent_id not in seen:
        if current.parent_id == root_id:
            return True
        seen.add(current.parent_id)
        parent = by_id.get(current.parent_id)
        if parent is None:
            return False
        current = parent
    return False


def implementation_plan_document(ctx: DocumentContext) -> TextDocument:
    lang = ctx.lang
    period = ctx.need_period(IMPLEMENTATION_PLAN)
    plan = current_plan(ctx.plans, period.id)
    if plan is None:
        raise NotApplicableError(IMPLEMENTATION_PLAN, "na.no_plan")
    goals = [g for g in ctx.main_goals(period) if g.status != codes.GOAL_DROPPED]
    return TextDocument(
        title=t("plan.title", lang),
        sections=(
            Section(
                fields=(
                    *service_fields(ctx),
                    *client_fields(ctx, IMPLEMENTATION_PLAN),
                    Field(t("plan.made_on", lang), format_date(plan.made_on, lang)),
                    Field(t("plan.revision", lang), str(plan.revision)),
                    Field(
                        t("entry.service_period", lang),
                        date_range(period.start, period.planned_end, lang),
                    ),
                )
            ),
            Section(
                t("plan.goals", lang),
                items=tuple(_goal_item(ctx, g, goal_plan(plan, g.id)) for g in goals) or ("–",),
                numbered=True,
            ),
            Section(t("plan.content", lang), paragraphs=(plan.content.strip() or "–",)),
            Section(
                fields=(
                    Field(t("plan.responsible_person", lang), plan.responsible),
                    Field(t("plan.review_on", lang), format_date(plan.review_on, lang)),
                )
            ),
            Section(
                t("plan.previous_reached", lang),
                paragraphs=(plan.previous_goals_reached.strip() or "–",),
            ),
        ),
    )


# -- interim evaluation ---------------------------------------------------------------


def _attainment_items(ctx: DocumentContext, period: Period, evaluation: Evaluation) -> list[str]:
    lang = ctx.lang
    items = []
    figures = goal_figures(ctx, period)
    for goal in ctx.main_goals(period):
        code = evaluation.attainment.get(goal.id)
        label = code_label("attainment", code, lang) if code else t("plan.not_rated", lang)
        items.append(f"{goal.text} – {label} ({figures.get(goal.id, 0)} %)")
    return items


def latest_evaluation(ctx: DocumentContext, period: Period) -> Evaluation | None:
    own = [e for e in ctx.evaluations if not e.deleted and e.period_id == period.id]
    return max(own, key=lambda e: (e.on, e.id)) if own else None


def evaluation_sections(
    ctx: DocumentContext, period: Period, evaluation: Evaluation
) -> list[Section]:
    """One evaluation: block, date, attainment per goal, client's view, what worked, changes."""
    lang = ctx.lang
    following = continuation_block(period, evaluation, ctx.rules)
    decision = yes_no(evaluation.continue_service, lang)
    if following is not None:
        decision += f" ({date_range(following.start, following.end, lang)})"
    return [
        Section(
            fields=(
                Field(
                    t("eval.block", lang),
                    date_range(evaluation.block_start, evaluation.block_end, lang),
                ),
                Field(t("eval.on", lang), format_date(evaluation.on, lang)),
            )
        ),
        Section(
            t("eval.attainment", lang), items=tuple(_attainment_items(ctx, period, evaluation))
        ),
        Section(t("eval.client_view", lang), paragraphs=(evaluation.client_view.strip() or "–",)),
        Section(t("eval.what_worked", lang), paragraphs=(evaluation.what_worked.strip() or "–",)),
        Section(t("eval.changes", lang), paragraphs=(evaluation.changes.strip() or "–",)),
        Section(fields=(Field(t("eval.continue", lang), decision),)),
    ]


def interim_evaluation_document(ctx: DocumentContext) -> TextDocument:
    lang = ctx.lang
    period = ctx.need_period(INTERIM_EVALUATION)
    evaluation = latest_evaluation(ctx, period)
    if evaluation is None:
        raise NotApplicableError(INTERIM_EVALUATION, "na.no_evaluation")
    author = ctx.worker or responsible_worker(ctx, period)
    return TextDocument(
        title=t("eval.title", lang),
        sections=(
            Section(fields=(*service_fields(ctx), *client_fields(ctx, INTERIM_EVALUATION))),
            *evaluation_sections(ctx, period, evaluation),
            Section(fields=(Field(t("entry.author", lang), worker_line(author, lang)),)),
        ),
    )


# -- final evaluation -----------------------------------------------------------------


def _goal_result_items(ctx: DocumentContext, period: Period) -> tuple[str, ...]:
    lang = ctx.lang
    last = latest_evaluation(ctx, period)
    items = []
    figures = goal_figures(ctx, period)
    for goal in ctx.main_goals(period):
        status = code_label("goal_status", goal.status, lang)
        line = f"{goal.text} – {status}, {figures.get(goal.id, 0)} %"
        if last is not None and goal.id in last.attainment:
            rated = code_label("attainment", last.attainment[goal.id], lang)
            line += f" ({t('final.last_rating', lang, rating=rated)})"
        items.append(line)
    return tuple(items) or ("–",)


def _feedback_items(ctx: DocumentContext, period: Period) -> tuple[str, ...]:
    lang = ctx.lang
    answers = []
    for key in (*STATEMENTS, "feedback.grade", *OPEN_QUESTIONS):
        answer = period.feedback.get(key, "").strip()
        if answer == "dont_know":
            answer = t("feedback.dont_know", lang)
        if answer:
            answers.append(_question_and_answer(t(key, lang), answer))
    return tuple(answers)


def _question_and_answer(question: str, answer: str) -> str:
    """ "Sain apua…: 5", "Mikä auttoi? Kävelyt": no colon after the sentence's own mark."""
    question = question.rstrip()
    if question.endswith(("?", "!")):
        return f"{question} {answer}"
    return f"{question.rstrip('.')}: {answer}"


def _self_assessment_items(ctx: DocumentContext) -> tuple[str, ...]:
    lang = ctx.lang
    start_label, latest_label = assessment_legend(ctx)
    return tuple(
        f"{area}: {start_label} {score_text(s, lang)}, {latest_label} {score_text(lt, lang)}"
        for area, (s, lt) in ctx.area_scores.items()
    )


def final_evaluation_document(ctx: DocumentContext) -> TextDocument:
    lang = ctx.lang
    period = ctx.need_period(FINAL_EVALUATION)
    if period.status != codes.PERIOD_ENDED or period.ended_on is None:
        raise NotApplicableError(FINAL_EVALUATION, "na.not_ended")
    evaluations = sorted(
        (e for e in ctx.evaluations if not e.deleted and e.period_id == period.id),
        key=lambda e: e.on,
    )
    author = ctx.worker or responsible_worker(ctx, period)
    sections = [
        Section(
            fields=(
                *service_fields(ctx),
                *client_fields(ctx, FINAL_EVALUATION),
                Field(
                    t("entry.service_period", lang), date_range(period.start, period.ended_on, lang)
                ),
                Field(
                    t("entry.end_reason", lang), code_label("end_reason", period.end_reason, lang)
                ),
                Field(t("entry.follow_on", lang), period.follow_on_service),
            )
        ),
        Section(t("final.evaluation", lang), paragraphs=(period.final_evaluation.strip() or "–",)),
        Section(t("final.goals", lang), items=_goal_result_items(ctx, period)),
        Section(
            t("final.evaluations", lang),
            items=tuple(
                t(
                    "final.evaluation_line",
                    lang,
                    date=format_date(e.on, lang),
                    block=date_range(e.block_start, e.block_end, lang),
                    cont=yes_no(e.continue_service, lang),
                )
                for e in evaluations
            )
            or (t("final.no_evaluations", lang),),
        ),
    ]
    if ctx.area_scores:
        sections.append(
            Section(t("final.self_assessment", lang), items=_self_assessment_items(ctx))
        )
    feedback = _feedback_items(ctx, period)
    if feedback:
        sections.append(Section(t("final.feedback", lang), items=feedback))
    sections.append(
        Section(t("entry.next_steps", lang), paragraphs=(period.next_steps.strip() or "–",))
    )
    sections.append(Section(fields=(Field(t("entry.author", lang), worker_line(author, lang)),)))
    return TextDocument(title=t("final.title", lang), sections=tuple(sections))


# -- output ---------------------------------------------------------------------------


def _pdf(
    ctx: DocumentContext, doc: TextDocument, kind: str, extra: list[Flowable] | None = None
) -> bytes:
    st = styles()
    info = PageInfo(ctx.organisation, ctx.lang, t(TITLE_KEYS[kind], ctx.lang), ctx.printed_on)
    return build_pdf(info, text_document_story(doc, st) + (extra or []))


def _comparison_chart(ctx: DocumentContext) -> list[Flowable]:
    if not ctx.area_scores:
        return []
    areas = list(ctx.area_scores)
    chart = charts.start_vs_latest(
        areas,
        [float(ctx.area_scores[a][0]) for a in areas],
        [float(ctx.area_scores[a][1]) for a in areas],
        CONTENT_W,
        legend=assessment_legend(ctx),
        scale_max=ctx.area_scale_max,
    )
    return [KeepTogether([heading(t("final.self_assessment", ctx.lang), styles()), chart])]


def implementation_plan_text(ctx: DocumentContext) -> bytes:
    return render_text(implementation_plan_document(ctx)).encode("utf-8")


def implementation_plan_pdf(ctx: DocumentContext) -> bytes:
    return _pdf(ctx, implementation_plan_document(ctx), IMPLEMENTATION_PLAN)


def interim_evaluation_text(ctx: DocumentContext) -> bytes:
    return render_text(interim_evaluation_document(ctx)).encode("utf-8")


def interim_evaluation_pdf(ctx: DocumentContext) -> bytes:
    return _pdf(ctx, interim_evaluation_document(ctx), INTERIM_EVALUATION)


def final_evaluation_text(ctx: DocumentContext) -> bytes:
    return render_text(final_evaluation_document(ctx)).encode("utf-8")


def final_evaluation_pdf(ctx: DocumentContext) -> bytes:
    return _pdf(ctx, final_evaluation_document(ctx), FINAL_EVALUATION, _comparison_chart(ctx))
