"""The lock files' link to pyproject.toml: a digest of the dependency tables.

Each file in requirements/ starts with ``# inputs-sha256: <digest>``, the
SHA-256 of pyproject's ``requires-python``, ``dependencies`` and
``optional-dependencies`` as canonical JSON. When someone edits those
without running ``scripts/lock.sh``, the digest no longer matches and the
test ``tests/test_lockfile.py`` (and ``scripts/lock.sh --check``) fails;
no network is needed to notice.

    python scripts/lockfile.py digest      # print the digest of pyproject.toml
"""

from __future__ import annotations

import hashlib
import json
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCKS = {
    # file: the extras it resolves (besides the base dependencies)
    "requirements/dev.txt": ("dev", "server"),
    "requirements/app.txt": (),
    "requirements/server.txt": ("server",),
    "requirements/build.txt": ("build",),
}
HEADER = "# inputs-sha256: "


def inputs_digest(pyproject: Path = ROOT / "pyproject.toml") -> str:
    project = tomllib.loads(pyproject.read_text("utf-8"))["project"]
    inputs = {
        "requires-python": project.get("requires-python"),
        "dependencies": project.get("dependencies", []),
        "optional-dependencies": project.get("optional-dependencies", {}),
        "locks": LOCKS,
    }
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()


def recorded_digest(lock: Path) -> str | None:
    first = lock.read_text("utf-8").splitlines()[:1]
    if first and first[0].startswith(HEADER):
        return first[0][len(HEADER) :].strip()
    return None


if __name__ == "__main__":
    if sys.argv[1:] == ["digest"]:
        print(inputs_digest())
    else:
        sys.exit(__doc__)
