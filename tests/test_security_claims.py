"""docs/security.md names, per claim, the tests that attack it: each must exist.

A reviewer checks the security model claim by claim against that table, so
a renamed or deleted test must fail here rather than leave a claim quietly
unattacked. Parametrized tests are named without their parameters.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "security.md"
REFERENCE = re.compile(r"`(tests/[\w/]+\.py)::(test_\w+)`")


def _table() -> list[tuple[str, list[tuple[str, str]]]]:
    """(claim number, [(file, test)]) of every row of the claims table."""
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## Claims and the tests that attack them", 1)[1]
    rows = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0].isdigit():
            rows.append((cells[0], REFERENCE.findall(cells[2])))
    return rows


def _tests_in(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.name.startswith("test_")
    }


def test_every_claim_names_tests_and_every_named_test_exists() -> None:
    rows = _table()
    assert len(rows) >= 30
    assert [int(n) for n, _ in rows] == list(range(1, len(rows) + 1))
    missing = []
    for number, references in rows:
        assert references, f"claim {number} names no test"
        for file, test in references:
            path = ROOT / file
            if not path.is_file() or test not in _tests_in(path):
                missing.append(f"{number}: {file}::{test}")
    assert missing == []


def test_the_threat_model_names_only_existing_tests() -> None:
    """The threat-model table names tests by bare name; each is defined somewhere in tests/."""
    text = DOC.read_text(encoding="utf-8")
    model = text.split("## Threat model", 1)[1].split("## ", 1)[0]
    named = set(re.findall(r"`(test_\w+)`", model))
    defined: set[str] = set()
    for path in (ROOT / "tests").rglob("test_*.py"):
        defined |= _tests_in(path)
    assert named and named <= defined, sorted(named - defined)
