"""The relay's administrator publishes app versions: an update is announced, too old is refused."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sosku_desktop import __version__
from sosku_desktop.sync.messages import explain_error, report_text
from sosku_desktop.sync.protocol import version_tuple
from sosku_desktop.sync.transport import ClientTooOld
from tests.sync.client.helpers import TeamRelay, quick_transport
from tests.sync.server.helpers import ServerProcess

NEWER = ".".join(str(n + 1) for n in version_tuple(__version__))


@pytest.fixture
def versioned_relay(tmp_path: Path) -> Iterator[ServerProcess]:
    """A relay that announces a newer version and still allows ours."""
    proc = ServerProcess(
        f"sqlite:///{tmp_path / 'relay.sqlite3'}",
        tmp_path / "relay.log",
        ("--newest-version", NEWER, "--oldest-version", __version__),
    ).start()
    try:
        yield proc
    finally:
        proc.stop()


def test_a_newer_version_is_announced_after_a_sync(
    versioned_relay: ServerProcess, tmp_path: Path
) -> None:
    team = TeamRelay.create(versioned_relay)
    laptop = team.laptop(tmp_path, "a")
    report = laptop.sync()
    assert report.newest_version == NEWER
    for lang in ("fi", "sv", "en"):
        assert any(NEWER in line for line in report_text(report, lang))
    team.close()


def test_no_announcement_when_we_are_current(team: TeamRelay, tmp_path: Path) -> None:
    report = team.laptop(tmp_path, "a").sync()  # the shared relay publishes nothing
    assert report.newest_version is None
    assert not any("new version" in line for line in report_text(report, "en"))


def test_a_too_old_app_is_refused_with_a_plain_reason(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'relay.sqlite3'}"
    open_relay = ServerProcess(url, tmp_path / "a.log").start()
    team = TeamRelay.create(open_relay)
    laptop = team.laptop(tmp_path, "a")
    laptop.sync()
    open_relay.stop()
    strict = ServerProcess(url, tmp_path / "b.log", ("--oldest-version", NEWER))
    strict.start()
    try:
        # The same database behind a relay restarted with a higher minimum.
        laptop.client.transport_factory = lambda _url, team_id, device_id, keys: quick_transport(
            strict.url, team_id, device_id, keys
        )
        with pytest.raises(ClientTooOld) as refused:
            laptop.sync()
        assert refused.value.oldest_version == NEWER
        text = explain_error(refused.value, "en")
        assert NEWER in text and "too old" in text
        assert NEWER in explain_error(refused.value, "fi")
    finally:
        strict.stop()
        team.close()
