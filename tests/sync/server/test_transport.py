"""SyncTransport's error mapping and clock handling against real sockets."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from sosku_desktop.sync import crypto
from sosku_desktop.sync.transport import Offline, ServerError, SyncTransport, Unauthorized
from tests.sync.server.helpers import Team, free_port


def test_a_wrong_device_clock_is_corrected_from_the_server(team: Team) -> None:
    device = team.enrol()
    hour_behind = SyncTransport(
        team.server.url,
        team.team_id,
        device.device_id,
        device.keys,
        clock=lambda: time.time() - 3600,
    )
    with hour_behind:
        assert hour_behind.status()["device"]["status"] == "active"
        assert 3500 < hour_behind.clock_offset < 3700
        assert hour_behind.devices()["epoch"] == 0  # later calls use the learned offset


def test_unknown_device_is_unauthorized(team: Team) -> None:
    keys = crypto.DeviceKeys.generate()
    transport = SyncTransport(team.server.url, team.team_id, "nobody", keys)
    with transport, pytest.raises(Unauthorized) as info:
        transport.status()
    assert info.value.code == "unknown_device"


def test_nothing_listening_is_offline() -> None:
    keys = crypto.DeviceKeys.generate()
    transport = SyncTransport(f"http://127.0.0.1:{free_port()}", "t", "d", keys, timeout=5)
    with transport, pytest.raises(Offline):
        transport.status()


class _Broken(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        status = 502 if self.path.startswith("/v1/status") else 200
        self.send_response(status)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        self.wfile.write(b"<html>proxy error</html>")

    def log_message(self, *args: object) -> None:  # keep test output quiet
        pass


@pytest.fixture
def broken_proxy() -> Iterator[str]:
    httpd = HTTPServer(("127.0.0.1", 0), _Broken)
    thread = threading.Thread(target=httpd.serve_forever)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def test_non_protocol_answers_are_server_errors(broken_proxy: str) -> None:
    keys = crypto.DeviceKeys.generate()
    with SyncTransport(broken_proxy, "t", "d", keys) as transport:
        with pytest.raises(ServerError) as info:
            transport.status()
        assert info.value.status == 502
        with pytest.raises(ServerError):
            transport.devices()  # 200 but not JSON


def test_console_script_is_installed() -> None:
    script = Path(sys.executable).parent / "sosku-server"
    result = subprocess.run(
        [str(script), "--help"], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0 and "join-code" in result.stdout
