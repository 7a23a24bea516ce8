"""The administrator's text for ``status``, ``device list`` and ``compact``.

Municipal IT reads this in a terminal, often long after the laptops were
set up: it says in words and units what the relay holds and what keeps it
from pruning, rather than printing a Python dict (``--json`` gives the
machine-readable form).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sosku_desktop.sync.server.admin_report import DAY_MS


def when(ms: int | None) -> str:
    if ms is None:
        return "never"
    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%d %H:%M UTC")


def size(n: int) -> str:
    value = float(n)
    for unit in ("B", "kB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            return f"{int(value)} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    raise AssertionError("unreachable")


def age(ms: int) -> str:
    minutes = ms // 60_000
    if minutes < 120:
        return f"{minutes} min"
    if ms < 2 * DAY_MS:
        return f"{minutes // 60} h"
    return f"{ms // DAY_MS} days"


def devices(entries: list[dict[str, Any]]) -> list[str]:
    """One line per device; ``<< holds compaction`` marks the watermark's holder."""
    if not entries:
        return ["no devices"]
    lines = []
    for e in entries:
        epochs = ",".join(str(x) for x in e.get("epochs", []))
        mark = "  << holds compaction back" if e.get("holds_watermark") else ""
        lines.append(
            f"{e['device_id']}  {e['status']:<8} {e['fingerprint']}  keys[{epochs}]  "
            f"{e['name']}  (joined {when(e['created_at'])}; acked {e['acked_seq']}; "
            f"last seen {when(e['last_seen_at'])}){mark}"
        )
    return lines


def status(state: dict[str, Any]) -> list[str]:
    counts = state["devices"]
    stored = state["stored"]
    lines = [
        f"team:          {state['name']} ({state['team_id']})",
        f"key epoch:     {state['epoch']}"
        + ("  (a new epoch is due: a device was revoked)" if state["rotation_needed"] else ""),
        f"devices:       {counts['active']} active, {counts['pending']} pending, "
        f"{counts['revoked']} revoked",
        f"log head:      {state['head_seq']}",
        f"watermark:     {state['watermark']}  (bundles below it may be pruned)",
        f"pruned up to:  {state['pruned_upto']}",
        f"stored:        {stored['bundles']} bundles, {size(stored['bytes'])}",
    ]
    snap = state["snapshot"]
    if snap is None:
        lines.append("snapshot:      none complete")
    else:
        lines.append(
            f"snapshot:      at {snap['server_seq']}, {age(snap['age_ms'])} old, "
            f"{size(snap['bytes'])} in {snap['parts']} part(s)"
        )
    for held in state["holding"]:
        lines.append(
            f"held back by:  {held['device_id']} ({held['name']}) at {held['acked_seq']}, "
            f"last seen {when(held['last_seen_at'])}"
        )
    lines.extend(f"hint: {hint}" for hint in state["hints"])
    return lines


def compacted(outcome: dict[str, Any]) -> list[str]:
    lines = [
        f"team {outcome['team_id']}: pruned {outcome['pruned_bundles']} bundles "
        f"({size(outcome['pruned_bytes'])}); pruned up to {outcome['pruned_upto']} "
        f"(was {outcome['pruned_upto_before']}); watermark {outcome['watermark']}; "
        f"{outcome['stored']['bundles']} bundles ({size(outcome['stored']['bytes'])}) kept"
    ]
    if outcome["pruned_bundles"] == 0:
        lines.append("  nothing to prune now: `sosku-server status` says what holds it back")
    return lines
