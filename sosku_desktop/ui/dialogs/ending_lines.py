"""The plain-words lines for what an ending leaves past the end day.

One wording for the end wizard (before), the overview and the decisions tab
(after): ``domain.ending_effects`` finds the things, this says them.
"""

from __future__ import annotations

from collections.abc import Callable

from sosku_desktop.domain import codes, models
from sosku_desktop.domain.decisions import outlives_variant
from sosku_desktop.domain.ending_effects import EndingEffects, ending_effects
from sosku_desktop.i18n import format_date
from sosku_desktop.store.records import ClientRecord
from sosku_desktop.ui.shell.context import AppContext


def decision_lines(tr: Callable[..., str], lang: str, effects: EndingEffects) -> list[str]:
    """A line per decision still valid after the end: make an ending decision."""
    lines = []
    for d in effects.decisions:
        variant = outlives_variant(d)
        key = "ui.end.decision_outlives" + (f"_{variant}" if variant else "")
        lines.append(tr(key, number=d.number or "–", valid_to=format_date(d.valid_to, lang)))
    return lines


def effect_lines(
    tr: Callable[..., str],
    lang: str,
    code_label: Callable[[str, str], str],
    effects: EndingEffects,
) -> list[str]:
    """Every line: decisions, cancelled meetings, removed key dates, the unheld review."""
    lines = decision_lines(tr, lang, effects)
    if effects.meetings:
        lines.append(tr("ui.end.meetings_cancelled", n=len(effects.meetings)))
    if effects.key_dates:
        dates = ", ".join(
            f"{code_label('plan_kind', e.kind)} {format_date(e.on, lang)}"
            for e in effects.key_dates
        )
        lines.append(tr("ui.end.key_dates_dropped", dates=dates))
    if effects.review_on is not None:
        lines.append(tr("ui.end.review_after_end", date=format_date(effects.review_on, lang)))
    return lines


def left_after_end(
    ctx: AppContext, record: ClientRecord, period: models.Period, decisions_only: bool = False
) -> list[str]:
    """What an ended ``period`` has left past its end day (nothing while it runs).

    Its meetings were cancelled and key dates removed when it ended, so what
    is left is the decisions to end and a review date never held.
    """
    if period.ended_on is None or period.status != codes.PERIOD_ENDED:
        return []
    effects = ending_effects(
        period,
        period.ended_on,
        decisions=record.decisions,
        plans=() if decisions_only else record.plans,
        rules=ctx.rules(),
    )
    return effect_lines(ctx.tr, ctx.lang, ctx.code, effects)
