"""Self-assessment instruments: definitions and their validation.

Real instruments (Aikuisväestön hyvinvointimittari, Kykyviisari, 3X10D) are
owned by their publishers, so the product ships a *format* and our own
generic example; an organisation loads the definitions it has rights to.
A definition is plain data (JSON), read here from an already parsed dict:

- ``id`` (``a-z 0-9 . _ -``), ``name`` and optional ``description``,
  ``publisher``, ``licence``, ``version``; ``locked: true`` marks an
  instrument whose items must not be changed (shown to the worker).
- ``scale``: ``min``, ``max``, ``step`` and optional end labels; every item
  of the instrument shares it. ``higher_is_better`` (default true) tells
  which way an improvement goes.
- ``bands``: traffic lights by lower bound, e.g. 3X10D's 0–5 / 6–7 / 8–10
  is ``from 0 red``, ``from 6 yellow``, ``from 8 green``. A score belongs to
  the last band whose ``from`` it reaches, so an area mean of 5.5 is red.
- ``areas``: life areas, each with one or more ``items`` (the questions).
  An item may be ``reverse`` (worded negatively): its answer is mirrored on
  the scale so that every area score points the same way.

Texts are ``{"fi": …, "sv": …, "en": …}``; a missing language falls back to
Finnish, then to any language given. Validation collects *every* problem as
a ``Problem`` whose ``field`` is the JSON path (``areas[2].label``) and whose
message key is translated at the edge, so a worker importing a file can
fix it in one go.

Scoring and comparing assessments made with an instrument: ``domain.scoring``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sosku_desktop.domain.errors import Problem, ValidationError

FORMAT = "sosku-instrument/1"
LANGUAGES = ("fi", "sv", "en")
TONES = ("red", "yellow", "green")
MAX_AREAS = 30
MAX_ITEMS = 100
MAX_CHOICES = 21
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
_LANG_PATTERN = re.compile(r"^[a-z]{2,3}$")

# Problem message keys (translated in resources/translations/reports.*.json).
P_NOT_OBJECT = "instrument.problem.not_object"
P_NOT_LIST = "instrument.problem.not_list"
P_NOT_TEXT = "instrument.problem.not_text"
P_NOT_NUMBER = "instrument.problem.not_number"
P_NOT_BOOL = "instrument.problem.not_bool"
P_REQUIRED = "instrument.problem.required"
P_FORMAT = "instrument.problem.format"
P_ID = "instrument.problem.id"
P_DUPLICATE_ID = "instrument.problem.duplicate_id"
P_TEXT_EMPTY = "instrument.problem.text_empty"
P_LANGUAGE = "instrument.problem.language"
P_SCALE_ORDER = "instrument.problem.scale_order"
P_STEP = "instrument.problem.step"
P_CHOICES = "instrument.problem.choices"
P_EMPTY_LIST = "instrument.problem.empty_list"
P_TOO_MANY = "instrument.problem.too_many"
P_BAND_FIRST = "instrument.problem.band_first"
P_BAND_ORDER = "instrument.problem.band_order"
P_BAND_OUTSIDE = "instrument.problem.band_outside"
P_TONE = "instrument.problem.tone"


# --- definitions ------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """A text in several languages; ``get`` falls back to Finnish, then any."""

    values: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, **values: str) -> Text:
        return cls(tuple(values.items()))

    def get(self, lang: str) -> str:
        found = dict(self.values)
        return found.get(lang) or found.get("fi") or next(iter(found.values()), "")

    def __bool__(self) -> bool:
        return any(v for _, v in self.values)


EMPTY_TEXT = Text(())


@dataclass(frozen=True)
class Scale:
    """The answer scale every item shares, e.g. 0–10 in steps of 1."""

    min: float
    max: float
    step: float = 1.0
    low_label: Text = EMPTY_TEXT
    high_label: Text = EMPTY_TEXT
    higher_is_better: bool = True

    def choices(self) -> list[float]:
        """Every allowed answer, lowest first (0, 1, …, 10)."""
        count = round((self.max - self.min) / self.step) + 1
        return [clean_number(self.min + i * self.step) for i in range(count)]

    def allows(self, value: float) -> bool:
        """Whether ``value`` is on the scale and on one of its steps."""
        if not self.min <= value <= self.max:
            return False
        steps = (value - self.min) / self.step
        return math.isclose(steps, round(steps), abs_tol=1e-9)


@dataclass(frozen=True)
class Band:
    """A traffic-light band from ``start`` up to the next band's start."""

    id: str
    start: float
    tone: str
    label: Text = EMPTY_TEXT


@dataclass(frozen=True)
class Item:
    """One question the client answers on the scale."""

    id: str
    text: Text
    reverse: bool = False


@dataclass(frozen=True)
class Area:
    """A life area (housing, health …) scored from its items."""

    id: str
    label: Text
    items: tuple[Item, ...]
    description: Text = EMPTY_TEXT


@dataclass(frozen=True)
class Instrument:
    """A validated instrument definition."""

    id: str
    name: Text
    scale: Scale
    areas: tuple[Area, ...]
    bands: tuple[Band, ...] = ()
    description: Text = EMPTY_TEXT
    instructions: Text = EMPTY_TEXT
    publisher: str = ""
    licence: str = ""
    version: str = ""
    locked: bool = False

    @property
    def items(self) -> list[Item]:
        return [item for area in self.areas for item in area.items]

    def area(self, area_id: str) -> Area:
        for area in self.areas:
            if area.id == area_id:
                return area
        raise KeyError(area_id)

    def scales(self) -> dict[str, tuple[float, float]]:
        """Item id → (lowest, highest) answer, for ``validation.assessment_problems``."""
        return {item.id: (self.scale.min, self.scale.max) for item in self.items}

    def band_span(self, band: Band) -> tuple[float, float]:
        """The band's lowest and highest score as shown to people (6–7)."""
        index = self.bands.index(band)
        if index + 1 < len(self.bands):
            upper = self.bands[index + 1].start - self.scale.step
        else:
            upper = self.scale.max
        return band.start, clean_number(max(band.start, upper))


def clean_number(value: float) -> float:
    """Drop float noise so 0.1 × 3 reads 0.3 and integral values stay tidy."""
    return round(value, 9)


# --- validation from a parsed dict --------------------------------------------------


class _Checker:
    """Walks a parsed definition and collects problems with their JSON paths."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, path: str, key: str, **params: object) -> None:
        self.problems.append(Problem(path, key, dict(params)))

    def obj(self, value: object, path: str) -> Mapping[str, Any] | None:
        if isinstance(value, Mapping):
            return value
        self.add(path, P_NOT_OBJECT)
        return None

    def present(self, data: Mapping[str, Any], name: str, path: str) -> bool:
        """Whether ``name`` is given; a problem is recorded when it is not."""
        if data.get(name) is None:
            self.add(_join(path, name), P_REQUIRED)
            return False
        return True

    def required_number(self, data: Mapping[str, Any], name: str, path: str) -> float | None:
        if not self.present(data, name, path):
            return None
        return self.number(data[name], _join(path, name))

    def required_id(self, data: Mapping[str, Any], name: str, path: str) -> str:
        if not self.present(data, name, path):
            return ""
        return self.identifier(data[name], _join(path, name))

    def required_string(self, data: Mapping[str, Any], name: str, path: str) -> str:
        if not self.present(data, name, path):
            return ""
        return self.string(data[name], _join(path, name))

    def string(self, value: object, path: str, *, required: bool = False) -> str:
        if value is None and not required:
            return ""
        if not isinstance(value, str):
            self.add(path, P_NOT_TEXT)
            return ""
        return value.strip()

    def number(self, value: object, path: str) -> float | None:
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            self.add(path, P_NOT_NUMBER)
            return None
        return float(value)

    def flag(self, value: object, path: str, default: bool) -> bool:
        if value is None:
            return default
        if not isinstance(value, bool):
            self.add(path, P_NOT_BOOL)
            return default
        return value

    def identifier(self, value: object, path: str) -> str:
        if not isinstance(value, str):
            self.add(path, P_NOT_TEXT)
            return ""
        if not ID_PATTERN.match(value):
            self.add(path, P_ID)
        return value

    def text(self, value: object, path: str, *, required: bool) -> Text:
        if value is None:
            if required:
                self.add(path, P_REQUIRED)
            return EMPTY_TEXT
        if isinstance(value, str):  # one language only: taken as Finnish
            value = {"fi": value}
        data = self.obj(value, path)
        if data is None:
            return EMPTY_TEXT
        pairs: list[tuple[str, str]] = []
        for lang, text in data.items():
            if not isinstance(lang, str) or not _LANG_PATTERN.match(lang):
                self.add(_join(path, str(lang)), P_LANGUAGE, lang=str(lang))
                continue
            if not isinstance(text, str):
                self.add(_join(path, lang), P_NOT_TEXT)
                continue
            if text.strip():
                pairs.append((lang, text.strip()))
        if required and not pairs:
            self.add(path, P_TEXT_EMPTY)
        return Text(tuple(pairs))

    def listing(self, value: object, path: str, *, limit: int) -> list[Any]:
        if not isinstance(value, list):
            self.add(path, P_NOT_LIST)
            return []
        if not value:
            self.add(path, P_EMPTY_LIST)
        if len(value) > limit:
            self.add(path, P_TOO_MANY, max=limit)
            return value[:limit]
        return value


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _scale(c: _Checker, data: Mapping[str, Any]) -> Scale | None:
    if "scale" not in data:
        c.add("scale", P_REQUIRED)
        return None
    raw = c.obj(data["scale"], "scale")
    if raw is None:
        return None
    low = c.required_number(raw, "min", "scale")
    high = c.required_number(raw, "max", "scale")
    step = c.number(raw.get("step", 1), "scale.step")
    low_label = c.text(raw.get("low_label"), "scale.low_label", required=False)
    high_label = c.text(raw.get("high_label"), "scale.high_label", required=False)
    better = c.flag(raw.get("higher_is_better"), "scale.higher_is_better", True)
    if low is None or high is None or step is None:
        return None
    if low >= high:
        c.add("scale", P_SCALE_ORDER, min=_num(low), max=_num(high))
        return None
    steps = (high - low) / step if step > 0 else 0
    if step <= 0 or not math.isclose(steps, round(steps), abs_tol=1e-9):
        c.add("scale.step", P_STEP, step=_num(step), min=_num(low), max=_num(high))
        return None
    if not 2 <= round(steps) + 1 <= MAX_CHOICES:
        c.add("scale", P_CHOICES, max=MAX_CHOICES)
        return None
    return Scale(low, high, step, low_label, high_label, better)


def _num(value: float) -> float | int:
    """Whole numbers as ``int`` so that messages say 10, not 10.0."""
    return int(value) if float(value).is_integer() else value


def _bands(c: _Checker, raw: object, scale: Scale | None) -> tuple[Band, ...]:
    if raw is None:
        return ()
    bands: list[Band] = []
    seen: set[str] = set()
    for index, entry in enumerate(c.listing(raw, "bands", limit=MAX_CHOICES)):
        path = f"bands[{index}]"
        data = c.obj(entry, path)
        if data is None:
            continue
        band_id = c.required_id(data, "id", path)
        if band_id and band_id in seen:
            c.add(f"{path}.id", P_DUPLICATE_ID, id=band_id)
        seen.add(band_id)
        start = c.required_number(data, "from", path)
        tone = c.required_string(data, "tone", path)
        if tone and tone not in TONES:
            c.add(f"{path}.tone", P_TONE, tone=tone, tones=", ".join(TONES))
        label = c.text(data.get("label"), f"{path}.label", required=False)
        if start is None:
            continue
        if scale is not None and not scale.min <= start <= scale.max:
            c.add(
                f"{path}.from",
                P_BAND_OUTSIDE,
                value=_num(start),
                min=_num(scale.min),
                max=_num(scale.max),
            )
        if bands and start <= bands[-1].start:
            c.add(f"{path}.from", P_BAND_ORDER)
        bands.append(Band(band_id, start, tone, label))
    if bands and scale is not None and bands[0].start != scale.min:
        c.add("bands[0].from", P_BAND_FIRST, min=_num(scale.min))
    return tuple(bands)


def _areas(c: _Checker, raw: object) -> tuple[Area, ...]:
    areas: list[Area] = []
    area_ids: set[str] = set()
    item_ids: set[str] = set()
    item_total = 0
    for index, entry in enumerate(c.listing(raw, "areas", limit=MAX_AREAS)):
        path = f"areas[{index}]"
        data = c.obj(entry, path)
        if data is None:
            continue
        area_id = c.required_id(data, "id", path)
        if area_id and area_id in area_ids:
            c.add(f"{path}.id", P_DUPLICATE_ID, id=area_id)
        area_ids.add(area_id)
        label = c.text(data.get("label"), f"{path}.label", required=True)
        description = c.text(data.get("description"), f"{path}.description", required=False)
        items: list[Item] = []
        raw_items = (
            c.listing(data["items"], f"{path}.items", limit=MAX_ITEMS)
            if c.present(data, "items", path)
            else []
        )
        for item_index, item_entry in enumerate(raw_items):
            item_path = f"{path}.items[{item_index}]"
            item_data = c.obj(item_entry, item_path)
            if item_data is None:
                continue
            item_id = c.required_id(item_data, "id", item_path)
            if item_id and item_id in item_ids:
                c.add(f"{item_path}.id", P_DUPLICATE_ID, id=item_id)
            item_ids.add(item_id)
            text = c.text(item_data.get("text"), f"{item_path}.text", required=True)
            reverse = c.flag(item_data.get("reverse"), f"{item_path}.reverse", False)
            items.append(Item(item_id, text, reverse))
        item_total += len(items)
        areas.append(Area(area_id, label, tuple(items), description))
    if item_total > MAX_ITEMS:
        c.add("areas", P_TOO_MANY, max=MAX_ITEMS)
    return tuple(areas)


def instrument_problems(data: object) -> list[Problem]:
    """Every problem of a parsed definition (empty when it is usable)."""
    return _parse(data)[1]


def parse_instrument(data: object) -> Instrument:
    """A validated ``Instrument``; ``ValidationError`` lists every problem found."""
    instrument, problems = _parse(data)
    if problems or instrument is None:
        raise ValidationError(problems)
    return instrument


def _parse(data: object) -> tuple[Instrument | None, list[Problem]]:
    c = _Checker()
    top = c.obj(data, "")
    if top is None:
        return None, c.problems
    if top.get("format") != FORMAT:
        c.add("format", P_FORMAT, expected=FORMAT)
    instrument_id = c.required_id(top, "id", "")
    name = c.text(top.get("name"), "name", required=True)
    scale = _scale(c, top)
    bands = _bands(c, top.get("bands"), scale)
    areas = _areas(c, top["areas"]) if c.present(top, "areas", "") else ()
    version = top.get("version", "")
    instrument = Instrument(
        id=instrument_id,
        name=name,
        scale=scale or Scale(0, 1),
        areas=areas,
        bands=bands,
        description=c.text(top.get("description"), "description", required=False),
        instructions=c.text(top.get("instructions"), "instructions", required=False),
        publisher=c.string(top.get("publisher"), "publisher"),
        licence=c.string(top.get("licence"), "licence"),
        version=str(version) if isinstance(version, int | float) else c.string(version, "version"),
        locked=c.flag(top.get("locked"), "locked", False),
    )
    if c.problems or scale is None:
        return None, c.problems
    return instrument, []
