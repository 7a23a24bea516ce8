"""Device preferences: typed groups agree with the registry; bad files fall back safely."""

from __future__ import annotations

import json
from pathlib import Path
from typing import get_args

import pytest

from sosku_desktop import preferences
from sosku_desktop.preferences import (
    ListPreference,
    NumberPreference,
    Preferences,
    TextPreference,
)

GROUPS = {
    str: get_args(TextPreference),
    int: get_args(NumberPreference),
    list: get_args(ListPreference),
}


def test_every_preference_is_in_exactly_one_typed_group_matching_its_default() -> None:
    grouped = [name for names in GROUPS.values() for name in names]
    assert sorted(grouped) == sorted(preferences.REGISTRY)
    for kind, names in GROUPS.items():
        for name in names:
            default = preferences.REGISTRY[name].default
            assert type(default) is kind, name
            assert preferences.REGISTRY[name].valid(default), name


def test_values_round_trip_and_invalid_ones_fall_back(tmp_path: Path) -> None:
    prefs = Preferences(tmp_path)
    prefs.set("idle_lock_minutes", 15)
    prefs.set("custom_methods", ["Kävely"])
    again = Preferences(tmp_path)
    assert again.get("idle_lock_minutes") == 15 and again.get("custom_methods") == ["Kävely"]
    with pytest.raises(ValueError):
        prefs.set("idle_lock_minutes", 0)

    raw = {"_version": 1, "language": "de", "custom_methods": [1, 2], "idle_lock_minutes": True}
    (tmp_path / preferences.FILE).write_text(json.dumps(raw), encoding="utf-8")
    broken = Preferences(tmp_path)
    assert broken.get("language") == "fi"
    assert broken.get("custom_methods") == []
    assert broken.get("idle_lock_minutes") == 10  # a boolean is not a number of minutes
