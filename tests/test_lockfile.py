"""The lock files follow pyproject.toml, and a laptop needs none of the relay's packages."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from types import ModuleType

import sosku_desktop

ROOT = Path(__file__).resolve().parent.parent
SERVER_ONLY = ("starlette", "uvicorn", "psycopg", "prometheus_client")


def _lockfile() -> ModuleType:
    spec = importlib.util.spec_from_file_location("lockfile", ROOT / "scripts" / "lockfile.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _name(requirement: str) -> str:
    match = re.match(r"[A-Za-z0-9._-]+", requirement)
    assert match, requirement
    return re.sub(r"[-_.]+", "-", match.group(0)).lower()


def _pinned(lock: Path) -> dict[str, str]:
    found = re.findall(r"^([A-Za-z0-9._-]+)==(\S+)", lock.read_text("utf-8"), re.M)
    return {_name(name): version for name, version in found}


def test_every_lock_file_was_made_from_the_current_pyproject() -> None:
    lockfile = _lockfile()
    digest = lockfile.inputs_digest()
    for name in lockfile.LOCKS:
        recorded = lockfile.recorded_digest(ROOT / name)
        assert recorded == digest, f"{name} is out of date: run scripts/lock.sh and commit it"


def test_every_declared_dependency_is_pinned_with_hashes() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    for name, extras in _lockfile().LOCKS.items():
        lock = ROOT / name
        pinned = _pinned(lock)
        wanted = list(project["dependencies"])
        for extra in extras:
            wanted += project["optional-dependencies"][extra]
        for requirement in wanted:
            assert _name(requirement) in pinned, f"{requirement} missing from {name}"
        blocks = re.split(r"\n(?=[a-z0-9])", lock.read_text("utf-8"))[1:]
        assert len(blocks) == len(pinned)
        unhashed = [b.split()[0] for b in blocks if "--hash=sha256:" not in b]
        assert not unhashed, f"{name} pins without a hash: {unhashed}"
    app = _pinned(ROOT / "requirements/app.txt")
    assert not {_name(m) for m in SERVER_ONLY} & set(app), "the laptop lock carries relay packages"
    dev = _pinned(ROOT / "requirements/dev.txt")
    assert all(dev[n] == v for n, v in app.items()), "app.txt and dev.txt pin different versions"


def test_the_installed_environment_is_the_locked_one() -> None:
    for name, version in _pinned(ROOT / "requirements/dev.txt").items():
        try:
            installed = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue  # a package for another platform (the lock is universal)
        assert installed == version, f"{name} {installed} installed, {version} locked"


def test_the_version_has_one_source() -> None:
    assert importlib.metadata.version("sosku-desktop") == sosku_desktop.__version__
    pyproject = (ROOT / "pyproject.toml").read_text("utf-8")
    assert 'dynamic = ["version"]' in pyproject
    assert sosku_desktop.__version__ not in pyproject


BLOCK_SERVER_PACKAGES = f"""
import importlib.abc, pkgutil, sys
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {SERVER_ONLY!r}:
            raise ImportError(f"laptop code imported {{name}}")
sys.meta_path.insert(0, Block())
import sosku_desktop
for info in pkgutil.walk_packages(sosku_desktop.__path__, "sosku_desktop."):
    if ".sync.server" in info.name or ".migrations" in info.name:
        continue
    __import__(info.name)
from sosku_desktop.sync.server import cli  # the admin CLI works on SQLite without the extra
print("ok")
"""


def test_laptop_code_imports_no_relay_package() -> None:
    done = subprocess.run(
        [sys.executable, "-c", BLOCK_SERVER_PACKAGES],
        capture_output=True,
        text=True,
        timeout=240,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-3000:]
