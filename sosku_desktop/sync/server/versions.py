"""The app versions the relay's administrator publishes: newest, and oldest allowed.

Every answer carries them as headers, so a laptop learns of an update on
its next sync without asking anything extra; a laptop below the oldest is
refused with ``426 client_too_old`` before anything else is checked, with
a message the app shows as it is. There is no self-update: the worker (or
IT) installs the new version.
"""

from __future__ import annotations

from dataclasses import dataclass

from sosku_desktop.sync.protocol import (
    E_CLIENT_TOO_OLD,
    H_NEWEST_VERSION,
    H_OLDEST_VERSION,
    version_tuple,
)
from sosku_desktop.sync.server.errors import Rejected


@dataclass(frozen=True)
class VersionPolicy:
    newest: str | None = None
    oldest: str | None = None

    def __post_init__(self) -> None:
        for value in (self.newest, self.oldest):
            if value is not None:
                version_tuple(value)  # ValueError on a typo, at start-up

    def headers(self) -> dict[str, str]:
        found = {H_NEWEST_VERSION: self.newest, H_OLDEST_VERSION: self.oldest}
        return {name: value for name, value in found.items() if value}

    def check(self, client_version: str | None) -> None:
        """Refuse a client older than ``oldest`` (or one that does not say its version)."""
        if self.oldest is None:
            return
        try:
            too_old = client_version is None or version_tuple(client_version) < version_tuple(
                self.oldest
            )
        except ValueError:
            too_old = True
        if too_old:
            raise Rejected(
                426,
                E_CLIENT_TOO_OLD,
                f"this app version is too old for the sync server; "
                f"install version {self.oldest} or newer",
                oldest_version=self.oldest,
                newest_version=self.newest,
            )
