"""Device preferences: a small declarative registry with versioned upgrades.

Per-device choices (language, idle-lock minutes, the last meeting kind and
place used, the sync server) live in ``preferences.json`` in the data
directory. They hold no client data, so they are plain JSON — never
pickles. Organisation rules that the whole team shares are synced
``org_settings`` in the store instead.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FILE = "preferences.json"
VERSION = 1


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
        Preference("idle_lock_minutes", 10, lambda v: isinstance(v, int) and 1 <= v <= 240),
        Preference("last_meeting_kind", "home_visit", lambda v: isinstance(v, str)),
        Preference("last_meeting_place", "", lambda v: isinstance(v, str) and len(v) < 200),
        Preference("last_meeting_duration", 60, lambda v: isinstance(v, int) and 1 <= v <= 600),
        Preference("sync_server_url", "", lambda v: isinstance(v, str)),
        Preference("sync_interval_minutes", 5, lambda v: isinstance(v, int) and 1 <= v <= 120),
        Preference("custom_methods", [], lambda v: isinstance(v, list)),
        # Reminder keys the worker has acknowledged; a key includes the due date,
        # so the same kind of reminder comes back when it falls due again.
        Preference(
            "dismissed_reminders",
            [],
            lambda v: isinstance(v, list) and all(isinstance(k, str) for k in v),
        ),
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

    def get(self, name: str) -> Any:
        pref = REGISTRY[name]
        return self.values.get(name, pref.default)

    def set(self, name: str, value: Any) -> None:
        if not REGISTRY[name].valid(value):
            raise ValueError(f"invalid value for preference {name}")
        self.values[name] = value
        self.save()

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"_version": VERSION, **self.values}, indent=1), encoding="utf-8")
        os.replace(tmp, self.path)
