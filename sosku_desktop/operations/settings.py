"""Organisation settings (synced to the whole team): save what the worker changed.

Only keys whose value differs from what the form started with are written,
so saving the dialog unchanged writes nothing and sends nothing, and two
workers changing different settings at once do not overwrite each other.
The form's texts are parsed and checked by ``domain.rules_settings`` first.
"""

from __future__ import annotations

from collections.abc import Mapping

from sosku_desktop.operations import NO_CHANGES, Changes, changes_of
from sosku_desktop.store.database import Store


def save_org_settings(
    store: Store, values: Mapping[str, object], initial: Mapping[str, object]
) -> Changes:
    """Write every setting in ``values`` that differs from ``initial``."""
    changed = {k: v for k, v in values.items() if v != initial.get(k)}
    if not changed:
        return NO_CHANGES
    with store.write() as w:
        for key, value in changed.items():
            w.set_setting(key, value)
        return changes_of(w)
