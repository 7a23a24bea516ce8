"""A client's view and the pages open without the PDF and calendar-file libraries.

reportlab, Pillow and PDFium take a quarter of a second or more to import
(icalendar with dateutil another 40 ms); a
worker who opens a client in the first seconds after start (before the
background import of ``lazy_pages.LATER_MODULES`` got there) had the window
frozen while the UI thread imported them. Only building a document, printing
or previewing needs them, and those run on a background thread.

Checked in a fresh interpreter (this test process has imported everything).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from sosku_desktop.ui.client import client_view
from sosku_desktop.ui.shell.lazy_pages import LATER_MODULES

HEAVY = ("reportlab", "PIL", "pypdfium2", "icalendar")

CLIENT_TAB_MODULES = tuple(
    f"sosku_desktop.ui.client.tabs.{module}" for *_, module, _ in client_view.TABS
)

SCREENS = (
    "sosku_desktop.ui.shell.main_window",
    "sosku_desktop.ui.client.client_view",
    *CLIENT_TAB_MODULES,
    "sosku_desktop.ui.pages.groups_page",
    "sosku_desktop.ui.pages.calendar_page",
    "sosku_desktop.ui.pages.reports_page",
)

PROBE = """
import importlib, json, sys
for name in sys.argv[1:]:
    importlib.import_module(name)
print(json.dumps(sorted({m.split(".")[0] for m in sys.modules})))
"""


def _top_level_modules_after_importing(*names: str) -> set[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *names],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        check=True,
    )
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def test_the_screens_import_no_pdf_library() -> None:
    loaded = _top_level_modules_after_importing(*SCREENS)
    assert "sosku_desktop" in loaded and "PySide6" in loaded  # the probe imported them
    assert not loaded & set(HEAVY)


@pytest.mark.parametrize(
    "module",
    [
        "sosku_desktop.documents.registry",
        "sosku_desktop.ui.widgets.pdf_pages",
        "sosku_desktop.documents.ics",
    ],
)
def test_the_probe_sees_a_pdf_library_where_one_is_imported(module: str) -> None:
    """The check above can fail: the builders and the preview do import them."""
    assert _top_level_modules_after_importing(module) & set(HEAVY)


def test_the_background_preload_imports_every_client_tab() -> None:
    """A tab opened after start-up finds its module imported (made on first show)."""
    assert set(CLIENT_TAB_MODULES) <= set(LATER_MODULES)


def test_the_background_preload_still_imports_the_builders() -> None:
    """A page or export then finds them imported (``lazy_pages.LATER_MODULES``)."""
    assert _top_level_modules_after_importing(*LATER_MODULES) >= set(HEAVY)
