"""Every file the app writes is private to the user (0600), and stays written through one helper.

QA found the document save and the assessment comparison export writing
0644 files (the CLI had been fixed alone). Each export path is run here
over a target that already exists world-readable, and the source check
below fails on a new bare file write (``write_bytes``, ``open(…, "w")``,
``os.open``, ``shutil.copy``, ``mkstemp``, ``QPixmap.save(path)``, …)
anywhere in the package but ``store/permissions.py``.
"""

from __future__ import annotations

import ast
import os
import stat
from datetime import date
from pathlib import Path

import pytest

from sosku_desktop import preferences
from sosku_desktop.commands import common
from sosku_desktop.domain import models
from sosku_desktop.domain.scoring import compare
from sosku_desktop.domain.team_report import ReportFilter
from sosku_desktop.operations.assessments import export_comparison_pdf, save_assessment
from sosku_desktop.operations.calendar import export_calendar
from sosku_desktop.operations.documents import export_document
from sosku_desktop.operations.reports import export_team_report
from sosku_desktop.store import backup, keys, permissions
from sosku_desktop.store.database import Store
from sosku_desktop.store.instrument_files import (
    BUILTIN_DIR,
    builtin_instrument,
    import_instrument,
    org_dir,
)
from sosku_desktop.store.team_reports import build_team_report
from sosku_desktop.sync import authority

PACKAGE = Path(__file__).resolve().parents[2] / "sosku_desktop"
TODAY = date(2026, 3, 2)
pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def world_readable(path: Path) -> Path:
    """An existing target another account can read: the export must tighten it."""
    path.write_bytes(b"old")
    path.chmod(0o644)
    return path


def test_every_export_path_writes_0600_and_tightens_an_existing_file(
    store: Store, period: models.Period, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    generic = builtin_instrument("sosku-generic")
    draft = models.Assessment(
        id="",
        client_id=period.client_id,
        instrument_id="sosku-generic",
        on=TODAY,
        answers={"housing": 6.0},
    )
    latest = save_assessment(store, draft, None, generic, TODAY).assessment
    written = {
        "document": world_readable(out / "agreement.pdf"),
        "comparison": world_readable(out / "vertailu.pdf"),
        "calendar": world_readable(out / "kalenteri.ics"),
        "team report": world_readable(out / "tiimi.csv"),
        "command": world_readable(out / "command.pdf"),
    }
    export_document(
        store, written["document"], "access-export", "fi", period.client_id, today=TODAY
    )
    export_comparison_pdf(
        store, compare(generic, None, latest), period.client_id, written["comparison"], "fi", TODAY
    )
    export_calendar(store, written["calendar"], TODAY, date(2026, 4, 1), "fi")
    report = build_team_report(store, ReportFilter((2026, 1), (2026, 3), None), TODAY)
    export_team_report(store, report, "csv", "fi", written["team report"])
    common.write_private(written["command"], b"%PDF")
    for what, path in written.items():
        assert path.read_bytes() != b"old", what
        assert mode(path) == 0o600, what

    data_dir = store.data_dir
    prefs = preferences.Preferences(data_dir)
    prefs.set("language", "sv")
    assert mode(prefs.path) == 0o600
    assert mode(data_dir / keys.KEY_FILE) == 0o600
    imported = import_instrument(data_dir, BUILTIN_DIR / "sosku-generic.json", replace=True)
    assert imported.id == "sosku-generic"
    assert all(mode(p) == 0o600 for p in org_dir(data_dir).glob("*.json"))
    key_file = out / "authority.key"
    authority.create_key_file(key_file, "team")
    assert mode(key_file) == 0o600

    key = store.key_source.key
    made = backup.create_backup(data_dir, key)
    store.close()
    assert made is not None
    backup.restore_backup(data_dir, key, made)
    assert mode(data_dir / backup.DB_FILE) == 0o600


def test_the_helper_writes_whole_files_atomically(tmp_path: Path) -> None:
    target = world_readable(tmp_path / "prefs.json")
    permissions.write_private(target, "uusi", atomic=True)
    assert target.read_text("utf-8") == "uusi" and mode(target) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["prefs.json"]  # no temporary left
    with pytest.raises(FileExistsError):
        permissions.create_private_exclusive(target, b"x")
    assert target.read_text("utf-8") == "uusi"


# --- the source check ------------------------------------------------------------------

#: Module → why it may write a file without the helper. A new entry needs a reason.
ALLOWED = {
    # The helper itself.
    "store/permissions.py": "the one owner-only writer",
    # The relay may import only sync (tests/test_architecture.py); it creates its
    # SQLite file 0600 itself (storage.create_private_file).
    "sync/server/storage.py": "the relay's own 0600 database file",
    # Imported by the relay (the same rule): the authority key file, 0600, never overwritten.
    "sync/authority.py": "the authority key file, O_EXCL 0600",
    # os.open of os.devnull to silence stdout after a closed pipe: nothing is written.
    "commands/__init__.py": "opens the null device",
}
WRITE_MODE = set("wax+")
CALLS = {
    ("os", "open"),
    ("os", "fdopen"),
    ("shutil", "copy"),
    ("shutil", "copy2"),
    ("shutil", "copyfile"),
    ("shutil", "move"),
    ("shutil", "copytree"),
    ("tempfile", "mkstemp"),
    ("tempfile", "NamedTemporaryFile"),
}


def _mode_argument(call: ast.Call, position: int) -> str | None:
    for keyword in call.keywords:
        if keyword.arg == "mode" and isinstance(keyword.value, ast.Constant):
            return str(keyword.value.value)
    if len(call.args) > position and isinstance(call.args[position], ast.Constant):
        value = call.args[position].value
        return value if isinstance(value, str) else None
    return None


def _bare_write(call: ast.Call) -> str | None:
    """What kind of file write ``call`` is, or None."""
    func = call.func
    if isinstance(func, ast.Name) and func.id == "open":
        found = _mode_argument(call, 1)
        return "open(…, write mode)" if found and WRITE_MODE & set(found) else None
    if not isinstance(func, ast.Attribute):
        return None
    if func.attr in ("write_bytes", "write_text"):
        return func.attr
    if isinstance(func.value, ast.Name) and (func.value.id, func.attr) in CALLS:
        return f"{func.value.id}.{func.attr}"
    if func.attr == "open":  # Path.open("w"), io.open(path, "w")
        found = _mode_argument(call, 0) or _mode_argument(call, 1)
        return ".open(…, write mode)" if found and WRITE_MODE & set(found) else None
    if func.attr == "save" and call.args:
        first = call.args[0]
        to_path = isinstance(first, ast.Call) and isinstance(first.func, ast.Name)
        if to_path and first.func.id in ("str", "Path", "open"):  # type: ignore[attr-defined]
            return ".save(path)"  # QPixmap/QImage/reportlab straight to a file
    return None


def bare_writes(package: Path) -> list[tuple[str, int, str]]:
    found = []
    for path in sorted(package.rglob("*.py")):
        name = path.relative_to(package).as_posix()
        if name in ALLOWED:
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Call) and (kind := _bare_write(node)):
                found.append((name, node.lineno, kind))
    return found


def test_no_file_is_written_outside_the_private_helper() -> None:
    assert bare_writes(PACKAGE) == []


@pytest.mark.parametrize(
    "line",
    [
        "path.write_bytes(data)",
        "Path(p).write_text('x')",
        "open(p, 'w')",
        "open(p, mode='ab')",
        "p.open('w', encoding='utf-8')",
        "shutil.copyfile(a, b)",
        "os.open(p, os.O_CREAT)",
        "tempfile.mkstemp(dir=d)",
        "picture.save(str(path))",
    ],
)
def test_the_source_check_sees_a_bare_write(tmp_path: Path, line: str) -> None:
    (tmp_path / "operations").mkdir()
    (tmp_path / "operations" / "planted.py").write_text(f"{line}\n")
    (tmp_path / "operations" / "fine.py").write_text("open(p)\np.open('rb')\npainter.save()\n")
    assert [(n, k) for n, _, k in bare_writes(tmp_path)] == [
        ("operations/planted.py", _bare_write(ast.parse(line).body[0].value))  # type: ignore[attr-defined]
    ]
