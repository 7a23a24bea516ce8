"""The import rule of docs/architecture.md, checked on the source itself."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "sosku_desktop"


def _imports(path: Path) -> set[str]:
    """Every sosku_desktop module a file imports (absolute or relative)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = path.relative_to(PACKAGE.parent).with_suffix("").parts[: -node.level]
                found.add(".".join((*base, node.module or "")))
            elif node.module:
                found.add(node.module)
                found.update(f"{node.module}.{a.name}" for a in node.names)
    return {name for name in found if name.startswith("sosku_desktop")}


def _foreign_imports(path: Path) -> set[str]:
    """Top-level modules from outside the package a file imports (e.g. PySide6)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            found.add(node.module)
    return {name for name in found if not name.startswith("sosku_desktop")}


def _room(path: Path) -> str:
    parts = path.relative_to(PACKAGE).parts
    return parts[0] if len(parts) > 1 else parts[0].removesuffix(".py")


def _files() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _room_of_module(name: str) -> str:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else ""


def test_domain_imports_nothing_else_of_ours() -> None:
    bad = [
        (str(p.relative_to(PACKAGE)), name)
        for p in _files()
        if _room(p) == "domain"
        for name in _imports(p)
        if _room_of_module(name) not in ("domain", "")
    ]
    assert bad == []


def test_operations_sit_between_ui_and_the_lower_rooms() -> None:
    """``ui → operations → documents, sync, store → domain``; operations never load Qt."""
    bad = [
        (str(p.relative_to(PACKAGE)), name)
        for p in _files()
        if _room(p) in ("domain", "store", "documents", "sync")
        for name in _imports(p)
        if _room_of_module(name) in ("operations", "commands")
    ]
    bad += [
        (str(p.relative_to(PACKAGE)), name)
        for p in _files()
        if _room(p) == "operations"
        for name in _imports(p) | _foreign_imports(p)
        if _room_of_module(name) in ("ui", "commands", "app", "cli")
        or name.split(".")[0] in ("PySide6", "shiboken6")
    ]
    assert bad == []


def test_nothing_but_app_and_ui_imports_ui() -> None:
    bad = [
        (str(p.relative_to(PACKAGE)), name)
        for p in _files()
        if _room(p) not in ("ui", "app")
        for name in _imports(p)
        if _room_of_module(name) == "ui"
    ]
    assert bad == []


#: What of the store the UI may import: the ``Store`` handle and its errors, key files,
#: backups and the demo at start-up, the thread guard and error translation of the task
#: helper, and read-side helpers that run inside background tasks. Never the write path
#: (``writer``, ``merge``, ``schema``, ``codec``, clocks): a form gets its row ids from
#: ``domain.ids`` and every write is an operation. A new entry here needs a reason.
UI_MAY_IMPORT_FROM_STORE = frozenset(
    {
        "backup",
        "conflict_list",
        "database",
        "demo",
        "engine",
        "errors",
        "instrument_files",
        "keys",
        # The one owner-only file writer (screenshots): not the database's write path.
        "permissions",
        "records",
        "repositories",
        "team_reports",
        "thread_guard",
    }
)


def test_ui_imports_only_the_stores_handles_never_its_write_path() -> None:
    bad = [
        (str(p.relative_to(PACKAGE)), name)
        for p in _files()
        if _room(p) in ("ui", "app")
        for name in _imports(p)
        if name.startswith("sosku_desktop.store.")
        and name.split(".")[2] not in UI_MAY_IMPORT_FROM_STORE
    ]
    assert bad == []


def test_the_checker_sees_the_write_path_in_ui() -> None:
    planted = PACKAGE / "ui" / "widgets" / "_planted_for_test.py"
    planted.write_text("from sosku_desktop.store.writer import new_id\n", encoding="utf-8")
    try:
        with pytest.raises(AssertionError):
            test_ui_imports_only_the_stores_handles_never_its_write_path()
    finally:
        planted.unlink()


@pytest.mark.parametrize("room", ["documents", "store"])
def test_lower_rooms_do_not_reach_up(room: str) -> None:
    forbidden = {"documents": {"store", "sync", "ui"}, "store": {"documents", "sync", "ui"}}[room]
    bad = [
        (str(p.relative_to(PACKAGE)), name)
        for p in _files()
        if _room(p) == room
        for name in _imports(p)
        if _room_of_module(name) in forbidden
    ]
    assert bad == []


UI_FOLDERS = ("shell", "pages", "client", "dialogs", "widgets")


def test_ui_modules_live_in_the_folder_a_newcomer_looks_in() -> None:
    """``ui/`` holds only its five folders: no module lands loose beside them."""
    ui = PACKAGE / "ui"
    loose = sorted(p.name for p in ui.glob("*.py") if p.name != "__init__.py")
    folders = sorted(p.name for p in ui.iterdir() if p.is_dir() and p.name != "__pycache__")
    assert loose == [] and folders == sorted(UI_FOLDERS)


def test_sync_server_imports_only_protocol_and_itself() -> None:
    allowed = (
        "sosku_desktop.sync.server",
        "sosku_desktop.sync.protocol",
        "sosku_desktop.sync.envelope",
        "sosku_desktop.sync.crypto",
        "sosku_desktop.sync",
    )
    server = PACKAGE / "sync" / "server"
    bad = [
        (str(p.relative_to(PACKAGE)), name)
        for p in sorted(server.rglob("*.py"))
        for name in _imports(p)
        if not name.startswith(allowed) or name.startswith("sosku_desktop.sync.client")
    ]
    assert bad == []


def test_the_checker_sees_a_violation(tmp_path: Path) -> None:
    """Guard against a checker that cannot fail: a planted bad import is found."""
    planted = PACKAGE / "domain" / "_planted_for_test.py"
    planted.write_text("from sosku_desktop.store import engine\n", encoding="utf-8")
    try:
        with pytest.raises(AssertionError):
            test_domain_imports_nothing_else_of_ours()
    finally:
        planted.unlink()


def test_the_checker_sees_qt_in_operations() -> None:
    """A planted Qt import in operations is found (the room must stay Qt-free)."""
    planted = PACKAGE / "operations" / "_planted_for_test.py"
    planted.write_text("from PySide6.QtCore import QObject\n", encoding="utf-8")
    try:
        with pytest.raises(AssertionError):
            test_operations_sit_between_ui_and_the_lower_rooms()
    finally:
        planted.unlink()


# --- size limits -------------------------------------------------------------------

MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 80
#: Frozen history: a migration is never edited after release, whatever its size.
SIZE_EXEMPT = ("store/migrations/versions/",)
#: Known to be over a limit and waiting to be split along meaning. The list may
#: only shrink: an entry that is within the limits fails the test until removed.
KNOWN_OVERSIZE: frozenset[str] = frozenset()


def _oversize(root: Path = PACKAGE) -> set[str]:
    """``module`` or ``module:function`` for everything over a limit under ``root``."""
    found: set[str] = set()
    for path in sorted(root.rglob("*.py")):
        name = path.relative_to(root).as_posix()
        if name.startswith(SIZE_EXEMPT):
            continue
        text = path.read_text(encoding="utf-8")
        if len(text.splitlines()) > MAX_MODULE_LINES:
            found.add(name)
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                assert node.end_lineno is not None
                if node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES:
                    found.add(f"{name}:{node.name}")
    return found


def test_modules_and_functions_stay_within_their_size_limits() -> None:
    found = _oversize()
    assert sorted(found - KNOWN_OVERSIZE) == [], "split these along meaning"
    assert sorted(KNOWN_OVERSIZE - found) == [], "within the limits now: drop from KNOWN_OVERSIZE"


def test_the_size_checker_sees_a_violation(tmp_path: Path) -> None:
    """A planted long module and a planted long function are both found."""
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_FUNCTION_LINES))
    (tmp_path / "long_function.py").write_text(f"def f() -> None:\n{body}\n", encoding="utf-8")
    (tmp_path / "long_module.py").write_text("x = 1\n" * (MAX_MODULE_LINES + 1), encoding="utf-8")
    (tmp_path / "fine.py").write_text("def g() -> int:\n    return 1\n", encoding="utf-8")
    assert _oversize(tmp_path) == {"long_function.py:f", "long_module.py"}
