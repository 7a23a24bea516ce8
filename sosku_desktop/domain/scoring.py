"""Scoring self-assessments and comparing the start with the latest.

An area's score is the mean of its answered items (a reverse item is
mirrored on the scale first); an area with no answer has no score (the
client may skip an area). A score falls in the last traffic-light band
whose lower bound it reaches. The comparison pairs the first and the latest
assessment made with the same instrument, area by area; whether a change
is an improvement depends on the instrument's ``higher_is_better``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from sosku_desktop.domain.errors import Problem
from sosku_desktop.domain.instruments import Area, Band, Instrument, Item, clean_number
from sosku_desktop.domain.models import Assessment

# --- scoring ----------------------------------------------------------------------


def item_score(instrument: Instrument, item: Item, answer: float) -> float:
    """The answer oriented like the instrument (a reverse item is mirrored)."""
    if item.reverse:
        return clean_number(instrument.scale.min + instrument.scale.max - answer)
    return float(answer)


def area_scores(instrument: Instrument, answers: Mapping[str, float]) -> dict[str, float | None]:
    """Area id → mean of its answered items (``None`` when none was answered), in order."""
    result: dict[str, float | None] = {}
    for area in instrument.areas:
        values = [
            item_score(instrument, item, answers[item.id])
            for item in area.items
            if item.id in answers and answers[item.id] is not None
        ]
        result[area.id] = clean_number(sum(values) / len(values)) if values else None
    return result


def band_for(instrument: Instrument, score: float | None) -> Band | None:
    """The traffic-light band a score falls in; ``None`` without bands or score."""
    if score is None:
        return None
    found = None
    for band in instrument.bands:
        if score >= band.start - 1e-9:
            found = band
    return found


def answer_problems(instrument: Instrument, answers: Mapping[str, float]) -> list[Problem]:
    """Answers off the scale's steps (range and unknown items: ``validation``)."""
    return [
        Problem("answers", "instrument.problem.answer_step", {"item": item_id})
        for item_id, value in answers.items()
        if item_id in instrument.scales()
        and isinstance(value, int | float)
        and not isinstance(value, bool)
        and instrument.scale.min <= value <= instrument.scale.max
        and not instrument.scale.allows(value)
    ]


# --- comparison: start vs latest ----------------------------------------------------


@dataclass(frozen=True)
class AreaChange:
    """One area's score at the start and in the latest assessment."""

    area: Area
    start: float | None
    latest: float | None
    start_band: Band | None
    latest_band: Band | None

    @property
    def change(self) -> float | None:
        if self.start is None or self.latest is None:
            return None
        return clean_number(self.latest - self.start)


@dataclass(frozen=True)
class Comparison:
    """Start vs latest assessment of one instrument, area by area."""

    instrument: Instrument
    start: Assessment | None
    latest: Assessment
    areas: tuple[AreaChange, ...]

    def improved(self, change: AreaChange) -> bool | None:
        """Whether the area went the good way; ``None`` when unchanged or unknown."""
        if change.change is None or change.change == 0:
            return None
        return (change.change > 0) == self.instrument.scale.higher_is_better

    def labelled_scores(self, lang: str) -> dict[str, tuple[float, float]]:
        """Area label → (start, latest) for areas scored both times (period summary)."""
        return {
            c.area.label.get(lang): (c.start, c.latest)
            for c in self.areas
            if c.start is not None and c.latest is not None
        }


def compare(instrument: Instrument, start: Assessment | None, latest: Assessment) -> Comparison:
    """Area scores and bands of ``start`` (may be ``None``) and ``latest``."""
    before = area_scores(instrument, start.answers) if start is not None else {}
    after = area_scores(instrument, latest.answers)
    rows = tuple(
        AreaChange(
            area=area,
            start=before.get(area.id),
            latest=after.get(area.id),
            start_band=band_for(instrument, before.get(area.id)),
            latest_band=band_for(instrument, after.get(area.id)),
        )
        for area in instrument.areas
    )
    return Comparison(instrument, start, latest, rows)


def start_and_latest(
    assessments: Iterable[Assessment], instrument_id: str | None = None
) -> tuple[Assessment | None, Assessment] | None:
    """The pair to compare: the latest assessment and the first one before it.

    The latest non-deleted assessment (of ``instrument_id`` if given) picks
    the instrument. The start is the earliest earlier assessment of the same
    instrument in the same period; if the latest has no period or its period
    has no earlier one, the earliest of the instrument at all. ``None``
    when there is no assessment; start ``None`` when there is only one.
    """
    live = sorted(
        (
            a
            for a in assessments
            if not a.deleted and (instrument_id is None or a.instrument_id == instrument_id)
        ),
        key=lambda a: (a.on, a.id),
    )
    if not live:
        return None
    latest = live[-1]
    earlier = [a for a in live[:-1] if a.instrument_id == latest.instrument_id]
    same_period = [a for a in earlier if latest.period_id and a.period_id == latest.period_id]
    pool = same_period or earlier
    return (pool[0] if pool else None), latest


def instruments_used(assessments: Sequence[Assessment]) -> list[str]:
    """Instrument ids in the order they were last used, latest first."""
    order: dict[str, object] = {}
    for a in sorted(
        (a for a in assessments if not a.deleted), key=lambda a: (a.on, a.id), reverse=True
    ):
        order.setdefault(a.instrument_id, None)
    return list(order)
