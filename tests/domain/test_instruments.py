"""Instrument definitions: validation with every problem at once, scoring, comparison."""

from __future__ import annotations

import copy
import json
from datetime import date
from typing import Any

import pytest

from sosku_desktop.domain.errors import ValidationError
from sosku_desktop.domain.instruments import (
    FORMAT,
    Text,
    instrument_problems,
    parse_instrument,
)
from sosku_desktop.domain.models import Assessment
from sosku_desktop.domain.scoring import (
    answer_problems,
    area_scores,
    band_for,
    compare,
    instruments_used,
    start_and_latest,
)
from sosku_desktop.domain.validation import assessment_problems
from sosku_desktop.i18n import RESOURCES


def minimal() -> dict[str, Any]:
    """A small valid definition: two areas, one with two items (one reversed)."""
    return {
        "format": FORMAT,
        "id": "test-instrument",
        "name": {"fi": "Testimittari", "sv": "Testinstrument"},
        "scale": {"min": 0, "max": 10, "step": 1},
        "bands": [
            {"id": "low", "from": 0, "tone": "red"},
            {"id": "mid", "from": 6, "tone": "yellow"},
            {"id": "high", "from": 8, "tone": "green"},
        ],
        "areas": [
            {
                "id": "home",
                "label": {"fi": "Koti", "sv": "Hem"},
                "items": [{"id": "home", "text": "Miten kotona menee?"}],
            },
            {
                "id": "mood",
                "label": {"fi": "Mieliala"},
                "items": [
                    {"id": "joy", "text": {"fi": "Iloitsen"}},
                    {"id": "worry", "text": {"fi": "Huolestuttaa"}, "reverse": True},
                ],
            },
        ],
    }


def assessment(
    on: date, answers: dict[str, float], *, period: str | None = "p1", ident: str = "", **kw: Any
) -> Assessment:
    return Assessment(
        id=ident or f"a-{on.isoformat()}",
        client_id="c1",
        instrument_id=kw.pop("instrument_id", "test-instrument"),
        on=on,
        period_id=period,
        answers=answers,
        **kw,
    )


def test_our_generic_instrument_is_valid_and_like_3x10d_in_shape() -> None:
    data = json.loads((RESOURCES / "instruments" / "sosku-generic.json").read_text("utf-8"))
    instrument = parse_instrument(data)
    assert instrument.id == "sosku-generic"
    assert len(instrument.areas) == 8
    assert all(len(a.items) == 1 for a in instrument.areas)
    assert instrument.scale.choices() == [float(v) for v in range(11)]
    assert [instrument.band_span(b) for b in instrument.bands] == [(0, 5), (6, 7), (8, 10)]
    assert [b.tone for b in instrument.bands] == ["red", "yellow", "green"]
    for lang in ("fi", "sv", "en"):
        assert instrument.name.get(lang)
        assert all(a.label.get(lang) and a.items[0].text.get(lang) for a in instrument.areas)
    assert len({a.label.get("sv") for a in instrument.areas}) == 8


def test_a_minimal_definition_parses() -> None:
    instrument = parse_instrument(minimal())
    assert [a.id for a in instrument.areas] == ["home", "mood"]
    assert instrument.area("mood").items[1].reverse is True
    assert instrument.scales() == {"home": (0, 10), "joy": (0, 10), "worry": (0, 10)}
    assert instrument.area("home").items[0].text.get("sv") == "Miten kotona menee?"


def test_texts_fall_back_to_finnish_then_any_language() -> None:
    text = Text.of(sv="Hem", en="Home")
    assert text.get("en") == "Home"
    assert text.get("fi") == "Hem"  # no Finnish: the first language given
    assert Text.of(fi="Koti", sv="Hem").get("en") == "Koti"


def test_every_problem_is_reported_at_once_with_its_path() -> None:
    data = minimal()
    data["format"] = "something-else"
    data["id"] = "Has Spaces"
    del data["name"]
    data["scale"] = {"min": 10, "max": 0}
    data["areas"][0]["label"] = {"fi": "   "}
    data["areas"][1]["items"][1]["id"] = "joy"
    data["bands"][2]["tone"] = "blue"
    found = {(p.field, p.message_key) for p in instrument_problems(data)}
    assert found >= {
        ("format", "instrument.problem.format"),
        ("id", "instrument.problem.id"),
        ("name", "instrument.problem.required"),
        ("scale", "instrument.problem.scale_order"),
        ("areas[0].label", "instrument.problem.text_empty"),
        ("areas[1].items[1].id", "instrument.problem.duplicate_id"),
        ("bands[2].tone", "instrument.problem.tone"),
    }
    with pytest.raises(ValidationError) as caught:
        parse_instrument(data)
    assert len(caught.value.problems) >= 7


@pytest.mark.parametrize(
    ("change", "field", "key"),
    [
        (lambda d: d.update(areas=[]), "areas", "instrument.problem.empty_list"),
        (lambda d: d.update(areas="x"), "areas", "instrument.problem.not_list"),
        (lambda d: d["areas"][0].pop("items"), "areas[0].items", "instrument.problem.required"),
        (lambda d: d["areas"][0].update(id=5), "areas[0].id", "instrument.problem.not_text"),
        (lambda d: d["scale"].update(step=3), "scale.step", "instrument.problem.step"),
        (lambda d: d["scale"].update(step=0), "scale.step", "instrument.problem.step"),
        (lambda d: d["scale"].update(max=100), "scale", "instrument.problem.choices"),
        (lambda d: d["scale"].update(min="0"), "scale.min", "instrument.problem.not_number"),
        (lambda d: d["scale"].pop("max"), "scale.max", "instrument.problem.required"),
        (lambda d: d.pop("scale"), "scale", "instrument.problem.required"),
        (
            lambda d: d["bands"][0].update({"from": 1}),
            "bands[0].from",
            "instrument.problem.band_first",
        ),
        (
            lambda d: d["bands"][2].update({"from": 5}),
            "bands[2].from",
            "instrument.problem.band_order",
        ),
        (
            lambda d: d["bands"][2].update({"from": 11}),
            "bands[2].from",
            "instrument.problem.band_outside",
        ),
        (lambda d: d.update(locked="yes"), "locked", "instrument.problem.not_bool"),
        (lambda d: d["name"].update({"FI!": "x"}), "name.FI!", "instrument.problem.language"),
        (lambda d: d.update(name=["x"]), "name", "instrument.problem.not_object"),
    ],
)
def test_each_rule_has_its_own_problem(change: Any, field: str, key: str) -> None:
    data = copy.deepcopy(minimal())
    change(data)
    assert (field, key) in {(p.field, p.message_key) for p in instrument_problems(data)}


def test_not_a_dict_at_all() -> None:
    assert [(p.field, p.message_key) for p in instrument_problems([1, 2])] == [
        ("", "instrument.problem.not_object")
    ]


def test_area_score_is_the_mean_of_answered_items_with_reverse_items_mirrored() -> None:
    instrument = parse_instrument(minimal())
    scores = area_scores(instrument, {"home": 7, "joy": 6, "worry": 2})
    assert scores == {"home": 7.0, "mood": 7.0}  # (6 + (10 - 2)) / 2
    assert area_scores(instrument, {"joy": 5}) == {"home": None, "mood": 5.0}


@pytest.mark.parametrize(
    ("score", "band"),
    [(0, "low"), (5, "low"), (5.5, "low"), (6, "mid"), (7.9, "mid"), (8, "high"), (10, "high")],
)
def test_traffic_light_bands_like_3x10d(score: float, band: str) -> None:
    instrument = parse_instrument(minimal())
    found = band_for(instrument, score)
    assert found is not None and found.id == band


def test_no_band_without_a_score_or_without_bands() -> None:
    data = minimal()
    del data["bands"]
    assert band_for(parse_instrument(data), 5) is None
    assert band_for(parse_instrument(minimal()), None) is None


def test_answers_are_checked_against_the_scale_and_its_steps() -> None:
    instrument = parse_instrument(minimal())
    draft = assessment(date(2026, 1, 5), {"home": 11, "joy": 6.5, "ghost": 3})
    keys = {p.message_key for p in assessment_problems(draft, instrument.scales())}
    assert keys == {"validation.answer_out_of_range", "validation.answer_unknown_item"}
    assert [p.params["item"] for p in answer_problems(instrument, draft.answers)] == ["joy"]
    assert answer_problems(instrument, {"home": 10, "joy": 0}) == []


def test_compare_start_and_latest_area_by_area() -> None:
    instrument = parse_instrument(minimal())
    start = assessment(date(2026, 1, 5), {"home": 4, "joy": 3, "worry": 9})
    latest = assessment(date(2026, 6, 5), {"home": 8, "joy": 6})
    result = compare(instrument, start, latest)
    rows = [(r.area.id, r.start, r.latest, r.change) for r in result.areas]
    assert rows == [("home", 4.0, 8.0, 4.0), ("mood", 2.0, 6.0, 4.0)]
    assert [r.latest_band.id for r in result.areas if r.latest_band] == ["high", "mid"]
    assert [result.improved(r) for r in result.areas] == [True, True]
    assert result.labelled_scores("sv") == {"Hem": (4.0, 8.0), "Mieliala": (2.0, 6.0)}


def test_lower_is_better_instruments_turn_improvement_around() -> None:
    data = minimal()
    data["scale"]["higher_is_better"] = False
    instrument = parse_instrument(data)
    start = assessment(date(2026, 1, 5), {"home": 4})
    latest = assessment(date(2026, 6, 5), {"home": 8})
    row = compare(instrument, start, latest).areas[0]
    assert compare(instrument, start, latest).improved(row) is False


def test_a_single_assessment_has_no_change() -> None:
    instrument = parse_instrument(minimal())
    result = compare(instrument, None, assessment(date(2026, 1, 5), {"home": 4}))
    assert result.areas[0].change is None and result.areas[0].start is None
    assert result.labelled_scores("fi") == {}


def test_pair_is_the_latest_and_the_first_before_it_in_the_same_period() -> None:
    old_period = assessment(date(2025, 3, 1), {"home": 1}, period="p0")
    first = assessment(date(2026, 1, 5), {"home": 2})
    middle = assessment(date(2026, 4, 5), {"home": 3})
    latest = assessment(date(2026, 7, 5), {"home": 4})
    gone = assessment(date(2026, 8, 5), {"home": 9}, deleted=True)
    other = assessment(date(2026, 2, 1), {"x": 1}, instrument_id="other")
    pair = start_and_latest([latest, gone, middle, old_period, other, first])
    assert pair == (first, latest)


def test_pair_falls_back_to_the_earliest_of_the_instrument_without_a_period_match() -> None:
    early = assessment(date(2025, 3, 1), {"home": 1}, period="p0")
    latest = assessment(date(2026, 7, 5), {"home": 4}, period=None)
    assert start_and_latest([latest, early]) == (early, latest)


def test_pair_of_one_instrument_on_request_and_of_nothing() -> None:
    a = assessment(date(2026, 1, 5), {"home": 2})
    b = assessment(date(2026, 2, 5), {"x": 2}, instrument_id="other")
    assert start_and_latest([a, b], "test-instrument") == (None, a)
    assert start_and_latest([], None) is None
    assert start_and_latest([b], "test-instrument") is None
    assert instruments_used([a, b]) == ["other", "test-instrument"]
