"""Device preferences: a small declarative registry with versioned upgrades.

Per-device choices (language, idle-lock minutes, the last meeting kind and
place used, the sync server) live in ``preferences.json`` in the data
directory. They hold no client data, so they are plain JSON — never
pickles. Organisation rules that the whole team shares are synced
``org_settings`` in the store instead.

Typed: every name belongs to one of three ``Literal`` groups (text, whole
number, list of texts), and ``get``/``set`` are overloaded on them, so a
caller gets a ``str``, ``int`` or ``list[str]`` and never ``Any``. A new
preference goes into ``REGISTRY`` *and* one group (a test checks both agree).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, overload

from sosku_desktop.store import permissions

FILE = "preferences.json"
VERSION = 1

TextPreference = Literal[
    "language", "last_meeting_kind", "last_meeting_place", "sync_server_url", "window_geometry"
]
NumberPreference = Literal["idle_lock_minutes", "last_meeting_duration", "sync_interval_minutes"]
ListPreference = Literal["custom_methods", "dismissed_reminders"]
AnyPreference = TextPreference | NumberPreference | ListPreference


def _number(low: int, high: int) -> Callable[[object], bool]:
    """A whole number in ``low..high`` (JSON ``true`` is not a number of minutes)."""
    return lambda v: isinstance(v, int) and not isinstance(v, bool) and low <= v <= high


def _texts(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


@dataclass(frozen=True)
class Preference:
    """One preference: its default and how to check a stored value."""

    name: str
    default: Any
    valid: Callable[[Any], bool]


REGISTRY: dict[str, Preference] = {
    p.name: p
    for p in (
        Preference("language", "fi", lambda v: v in ("fi", "sv", "en")),
        Preference("idle_lock_minutes", 10, _number(1, 240)),
        Preference("last_meeting_kind", "home_visit", lambda v: isinstance(v, str)),
        Preference("last_meeting_place", "", lambda v: isinstance(v, str) and len(v) < 200),
        Preference("last_meeting_duration", 60, _number(1, 600)),
        Preference("sync_server_url", "", lambda v: isinstance(v, str)),
        Preference("sync_interval_minutes", 5, _number(1, 120)),
        # "x,y,width,height,maximised" of the main window when it was last closed.
        Preference("window_geometry", "", lambda v: isinstance(v, str) and len(v) < 100),
        Preference("custom_methods", [], _texts),
        # Reminder keys the worker has acknowledged; a key includes the due date,
        # so the same kind of reminder comes back when it falls due again.
        Preference("dismissed_reminders", [], _texts),
    )
}

#: Upgrades from version N to N+1, applied in order on load.
UPGRADES: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


class Preferences:
    """Preferences of one data directory; unknown or invalid values fall back to defaults."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / FILE
        self.values: dict[str, Any] = {}
        self.load()

    def load(self) -> None:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raw = {}
        if not isinstance(raw, dict):
            raw = {}
        version = int(raw.pop("_version", VERSION) or VERSION)
        while version in UPGRADES:
            raw = UPGRADES[version](raw)
            version += 1
        self.values = {k: v for k, v in raw.items() if k in REGISTRY and REGISTRY[k].valid(v)}

    @overload
    def get(self, name: TextPreference) -> str: ...
    @overload
    def get(self, name: NumberPreference) -> int: ...
    @overload
    def get(self, name: ListPreference) -> list[str]: ...
    def get(self, name: AnyPreference) -> str | int | list[str]:
        """The stored value (checked on load) or the default; a list is a copy."""
        value = self.values.get(name, REGISTRY[name].default)
        if isinstance(value, list):
            return [str(v) for v in value]
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise TypeError(f"preference {name} holds a {type(value).__name__}")
        return value

    @overload
    def set(self, name: TextPreference, value: str) -> None: ...
    @overload
    def set(self, name: NumberPreference, value: int) -> None: ...
    @overload
    def set(self, name: ListPreference, value: list[str]) -> None: ...
    def set(self, name: AnyPreference, value: str | int | list[str]) -> None:
        if not REGISTRY[name].valid(value):
            raise ValueError(f"invalid value for preference {name}")
        self.values[name] = value
        self.save()

    def save(self) -> None:
        text = json.dumps({"_version": VERSION, **self.values}, indent=1)
        permissions.write_private(self.path, text, atomic=True)
