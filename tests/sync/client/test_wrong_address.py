"""A join to an address where no Sosku relay answers says "check the address".

IT gives the address by phone or e-mail; a worker types a path too many, or
the name of the city's web server. That answer is a 404 or a web page, and
it was explained as "the server refused the request, try again later" or
"the sync server has a problem, try again later": waiting never helps. The
join now asks the relay's health first and says plainly that there is no
sync server at that address. A relay that is there but failing (5xx) is
still "a problem, try again later".
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from sosku_desktop import i18n
from sosku_desktop.app import main
from sosku_desktop.store.database import Store
from sosku_desktop.sync.client import SyncClient, SyncState
from sosku_desktop.sync.messages import explain_error
from sosku_desktop.sync.transport import NotASyncServer
from tests.sync.client.helpers import PASSPHRASE, TeamRelay, quick_transport


class _WebPage(BaseHTTPRequestHandler):
    """The city's intranet front page: HTML for every path, 200."""

    def _page(self) -> None:
        body = b"<html><body>Kaupungin intranet</body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _page

    def log_message(self, *args: object) -> None:
        return None


@pytest.fixture
def web_server() -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), _WebPage)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.create(tmp_path / "uusi", PASSPHRASE)
    yield opened
    opened.close()


def test_a_path_too_many_is_not_a_sync_server(team: TeamRelay, store: Store) -> None:
    client = SyncClient(store, quick_transport)
    with pytest.raises(NotASyncServer) as caught:
        client.join(team.server.url + "/sosku", team.team_id, team.code, "kone")
    assert explain_error(caught.value, "en") == i18n.tr("sync.error.not_a_relay", "en")
    assert client.status().state == SyncState.JOIN_UNFINISHED
    # The address corrected, the same data folder joins.
    client.join(team.server.url, team.team_id, team.code, "kone", team.safety_number)
    assert client.status().state == SyncState.PENDING_APPROVAL


def test_a_web_page_is_not_a_sync_server(web_server: str, store: Store) -> None:
    client = SyncClient(store, quick_transport)
    with pytest.raises(NotASyncServer):
        client.join(web_server, "0190a4c2-7c55-7d4e-9a2b-3f1e2d3c4b5a", "AAAA-BBBB", "kone")


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_command_says_check_the_address(
    web_server: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str
) -> None:
    d = tmp_path / "cli"
    Store.create(d, PASSPHRASE).close()
    args = ["--lang", lang, "sync", "join", "--data-dir", str(d), "--server", web_server]
    args += ["--team", "0190a4c2-7c55-7d4e-9a2b-3f1e2d3c4b5a", "--code", "X", "--name", "k"]
    assert main(args) == 1
    err = capsys.readouterr().err.strip()
    assert err == i18n.tr("sync.error.not_a_relay", lang)
    assert err != i18n.tr("sync.error.not_a_relay", "fi") or lang == "fi"
