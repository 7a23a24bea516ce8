"""Test-wide setup: headless Qt and a non-system keyring for every test.

Qt must be told to run offscreen before it is imported anywhere, and no
test may touch the developer's real keyring, so both happen here.
"""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("SOSKU_LOG_LEVEL", "WARNING")
# The app's log file (``sosku_desktop.logfile``) never goes to the real per-user folder.
os.environ.setdefault("SOSKU_LOG_DIR", tempfile.mkdtemp(prefix="sosku-test-logs-"))

import keyring
import pytest
from hypothesis import settings
from keyring.backend import KeyringBackend

# CI must not fail on a lucky draw: there, property tests replay the same
# examples every run (locally they keep exploring new ones).
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


class MemoryKeyring(KeyringBackend):
    """A real keyring backend that keeps secrets in a dict for one test."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.secrets.pop((service, username), None)


@pytest.fixture(autouse=True)
def memory_keyring() -> MemoryKeyring:
    """Every test gets its own empty in-memory keyring."""
    backend = MemoryKeyring()
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)
