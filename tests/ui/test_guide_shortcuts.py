"""Every shortcut the user guide names is one the app has.

The guide tells a worker "Ctrl+M records a meeting"; a key that was
changed or dropped in the code leaves the worker pressing it to no effect.
The app's shortcuts are the sheet (``help.SHEET``, which a test keeps equal
to what the windows register) plus the meeting entry's Alt+letters, which
follow each language's button words (``ui.meeting.*_key``).
"""

from __future__ import annotations

import re
from pathlib import Path

from sosku_desktop import i18n
from sosku_desktop.ui.shell.help import SHEET

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "user-guide.md"
KEY = re.compile(
    r"\b(?:(?:Ctrl|Alt|Shift)\+)+(?:[A-Z0-9]\b|Enter\b|Return\b|F\d{1,2}\b)|\bF\d{1,2}\b"
)


def app_shortcuts() -> set[str]:
    """The key sequences the app answers, as the guide writes them."""
    keys = {key for _title, shortcuts in SHEET for shortcut in shortcuts for key in shortcut.keys}
    for lang in i18n.LANGUAGES:
        keys |= {
            text
            for name, text in i18n.catalogue(lang).items()
            if name.startswith("ui.meeting.") and name.endswith("_key")
        }
    return keys


def unknown_keys(text: str, known: set[str]) -> list[str]:
    """Key sequences the text names that are not in ``known``."""
    return sorted({key for key in KEY.findall(text) if key not in known})


def test_every_shortcut_the_guide_names_exists() -> None:
    assert unknown_keys(GUIDE.read_text("utf-8"), app_shortcuts()) == []


def test_the_check_finds_a_key_the_app_does_not_have() -> None:
    text = "**Ctrl+M** kirjaa, **Ctrl+K** ei ole, F1 ohje, F9 ei ole, Alt+P peruttu."
    assert unknown_keys(text, app_shortcuts()) == ["Ctrl+K", "F9"]
