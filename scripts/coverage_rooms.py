"""Print line coverage per room (domain, store, operations, ui …) from the last test run.

The test command (scripts/test.sh) runs pytest with coverage; this turns
the data file into one line per room, so a change that leaves a room
untested shows up in the figures. No gate: the figure is for reading.
Lines run inside Qt's own worker threads are not traced by coverage.py,
so the UI's background work counts as uncovered even when a test ran it.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

from coverage import Coverage
from coverage.exceptions import NoDataError

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "sosku_desktop"


def room_of(path: Path) -> str:
    """``ui`` for sosku_desktop/ui/…, ``(top)`` for modules directly in the package."""
    parts = path.relative_to(PACKAGE).parts
    return parts[0] if len(parts) > 1 else "(top)"


def main() -> int:
    cov = Coverage(data_file=str(ROOT / ".coverage"))
    cov.load()
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    try:
        measured = cov.get_data().measured_files()
    except NoDataError:
        print("coverage: no data (run scripts/test.sh first)", file=sys.stderr)
        return 1
    for name in sorted(measured):
        path = Path(name)
        if PACKAGE not in path.parents:
            continue
        _, statements, _, missing, _ = cov.analysis2(name)
        total = totals[room_of(path)]
        total[0] += len(statements)
        total[1] += len(statements) - len(missing)
    print("coverage per room (lines run / lines):")
    all_lines = sum(t[0] for t in totals.values())
    all_run = sum(t[1] for t in totals.values())
    for room, (lines, run) in sorted(totals.items()):
        print(f"  {room:<12} {100 * run / lines:5.1f} %  ({run}/{lines})")
    print(f"  {'all':<12} {100 * all_run / all_lines:5.1f} %  ({all_run}/{all_lines})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
