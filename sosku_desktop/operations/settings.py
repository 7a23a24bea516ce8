"""Organisation settings (synced to the whole team): save what the worker changed.

Only keys whose value differs from what the form started with are written,
so saving the dialog unchanged writes nothing and sends nothing, and two
workers changing different settings at once do not overwrite each other.
The form's texts are parsed and checked by ``domain.rules_settings`` first.
``settings_form`` reads what the form starts from (in the background, like
every read the UI makes).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sosku_desktop.domain import rules_settings
from sosku_desktop.operations import NO_CHANGES, Changes, changes_of, raise_problems
from sosku_desktop.store.database import Store
from sosku_desktop.store.records import load_rules
from sosku_desktop.store.repositories import Reader

#: The organisation's own texts in ``org_settings`` (the rules are the other keys).
ORG_KEYS = ("organisation_name", "organisation_contact", "organisation_logo")


@dataclass(frozen=True)
class SettingsForm:
    """What the settings form starts from, as stored: Save writes only what differs."""

    org: dict[str, str]
    #: the rules as ``org_settings`` values (``domain.rules_settings.rules_settings``)
    rules: dict[str, Any]


def settings_form(store: Store) -> SettingsForm:
    """The organisation's texts and rules as the settings form shows them (read only)."""
    with store.read() as r:
        org = {key: str(r.setting(key, "") or "") for key in ORG_KEYS}
        rules = rules_settings.rules_settings(load_rules(r))
    return SettingsForm(org, rules)


def save_org_settings(
    store: Store, values: Mapping[str, object], initial: Mapping[str, object]
) -> Changes:
    """Write every setting in ``values`` that differs from ``initial``."""
    changed = {k: v for k, v in values.items() if v != initial.get(k)}
    if not changed:
        return NO_CHANGES
    with store.write() as w:
        if changed.keys() & {rule.name for rule in rules_settings.INT_RULES}:
            # checked against the rules as saved: the form may send only what changed
            saved = rules_settings.rules_settings(load_rules(Reader(w.conn)))
            raise_problems(rules_settings.period_length_problems({**saved, **changed}))
        for key, value in changed.items():
            w.set_setting(key, value)
        return changes_of(w)
