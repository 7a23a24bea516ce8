"""PySide6 does not read the source of every module imported after it (``ui.shell.pyside_imports``).

Checked in a fresh interpreter: a module written for the test is imported after
``sosku_desktop.ui``; PySide's scan would have put its source in ``linecache``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PROBE = """
import linecache, sys
sys.path.insert(0, sys.argv[1])
if sys.argv[2] == "app":
    import sosku_desktop.ui
else:
    import PySide6.QtCore
import probe_module
print(any("probe_module" in name for name in linecache.cache))
"""


def _scanned(tmp_path: Path, how: str) -> bool:
    (tmp_path / "probe_module.py").write_text("VALUE = 1\n", encoding="utf-8")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONDONTWRITEBYTECODE="1")
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(tmp_path), how],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=True,
    )
    return done.stdout.strip().splitlines()[-1] == "True"


def test_pyside_alone_reads_every_imported_modules_source(tmp_path: Path) -> None:
    """The behaviour the app switches off (so the check below can fail)."""
    assert _scanned(tmp_path, "pyside")


def test_the_app_imports_modules_without_pyside_reading_their_source(tmp_path: Path) -> None:
    assert not _scanned(tmp_path, "app")
