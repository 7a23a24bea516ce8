"""Every file path the docs name exists, so a newcomer following them lands somewhere.

Modules move and get split; a doc that still points to the old place sends
the reader into a search (``ui/client_tabs/period_tab.py`` once pointed
nowhere). Paths are read from README.md and docs/*.md: anything shaped like
``folder/file.ext`` with a source or doc extension, taken relative to the
repository or to the package (``store/writer.py`` means
``sosku_desktop/store/writer.py``). Absolute paths and URLs are a
deployment's, not the repository's, and are left alone. A module named
without its folder (``tasks.py``) must exist somewhere in the repository.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "sosku_desktop"
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]

#: ``a/b.py``-shaped words; the look-behind skips the tail of an absolute path or URL.
PATH = re.compile(
    r"(?<![\w./:~-])((?:[\w-]+/)+[\w.-]*\w\.(?:py|md|json|sh|ps1|iss|spec|toml|txt|service|env))\b"
)
#: A module named without its folder (``tasks.py``): it must exist somewhere in the repository.
BARE_MODULE = re.compile(r"(?<![\w./-])([a-z_0-9]+\.py)\b")


@cache
def python_file_names() -> frozenset[str]:
    """Names of the repository's Python files (outside the virtual environment)."""
    return frozenset(
        path.name
        for folder in ("sosku_desktop", "tests", "bench", "scripts", "installer")
        for path in (ROOT / folder).rglob("*.py")
    )


def paths_in(text: str) -> list[tuple[int, str]]:
    """The repository paths a doc's text names, with their line numbers."""
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        for match in PATH.finditer(line):
            found.append((number, match.group(1)))
    return found


def missing(text: str) -> list[str]:
    """The named paths that are neither in the repository nor in the package."""
    found = [
        f"line {number}: {path}"
        for number, path in paths_in(text)
        if not (ROOT / path).exists() and not (PACKAGE / path).exists()
    ]
    for number, line in enumerate(text.splitlines(), 1):
        for match in BARE_MODULE.finditer(line):
            if match.group(1) not in python_file_names():
                found.append(f"line {number}: {match.group(1)}")
    return found


def test_every_path_in_the_docs_exists() -> None:
    problems = [
        f"{doc.relative_to(ROOT)} {problem}"
        for doc in DOCS
        for problem in missing(doc.read_text("utf-8"))
    ]
    assert problems == []


def test_the_check_finds_a_stale_path_and_spares_urls_and_absolute_paths() -> None:
    text = (
        "UI in `ui/client_tabs/period_tab.py`, writes in `store/writer.py`,\n"
        "see docs/sync.md, https://example.org/a/b.py and /etc/sosku/relay.env.\n"
        "The tabs are made by lazy_tabs.py, the pages by lazy_pagez.py.\n"
    )
    assert [path for _, path in paths_in(text)] == [
        "ui/client_tabs/period_tab.py",
        "store/writer.py",
        "docs/sync.md",
    ]
    assert missing(text) == ["line 1: ui/client_tabs/period_tab.py", "line 3: lazy_pagez.py"]
