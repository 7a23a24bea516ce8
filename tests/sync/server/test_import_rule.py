"""The server imports only the wire modules, never the local store or the UI."""

from __future__ import annotations

import ast
from pathlib import Path

import sosku_desktop

PACKAGE = Path(sosku_desktop.__file__).parent
ALLOWED = {
    "sosku_desktop.sync.protocol",
    "sosku_desktop.sync.envelope",
    "sosku_desktop.sync.crypto",
    "sosku_desktop.sync.authority",
}


def imports_of(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {n for n in names if n.startswith("sosku_desktop")}


def test_server_and_its_wire_helpers_import_nothing_else_of_ours() -> None:
    server_files = sorted((PACKAGE / "sync" / "server").rglob("*.py"))
    assert server_files
    for path in server_files:
        for name in imports_of(path):
            ok = (
                name.startswith("sosku_desktop.sync.server")
                or name in ALLOWED
                or name == "sosku_desktop.sync"
                or any(name.startswith(a + ".") for a in ALLOWED)
            )
            assert ok, f"{path.relative_to(PACKAGE)} imports {name}"
    for module in ("protocol", "envelope", "crypto", "authority"):
        for name in imports_of(PACKAGE / "sync" / f"{module}.py"):
            assert (
                name == "sosku_desktop.sync" or name in ALLOWED or name.rsplit(".", 1)[0] in ALLOWED
            ), f"sync/{module}.py imports {name}"
