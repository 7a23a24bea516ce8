"""The OpenAPI document matches the routes; the admin CLI reports errors plainly."""

from __future__ import annotations

import io
from contextlib import redirect_stderr, redirect_stdout

import httpx
import pytest
from starlette.routing import Route

from sosku_desktop.sync.server import cli
from sosku_desktop.sync.server.app import ENDPOINTS, create_app
from sosku_desktop.sync.server.storage import Database
from tests.sync.server.helpers import ServerProcess, Team, admin

UNSIGNED = {"/v1/health", "/v1/openapi.json"}


def test_openapi_document_describes_exactly_the_routes(server: ServerProcess) -> None:
    doc = httpx.get(server.url + "/v1/openapi.json", timeout=30).json()
    assert doc["openapi"].startswith("3.")
    documented = {(method.upper(), path) for path, ops in doc["paths"].items() for method in ops}
    assert documented == {(e.method, e.path) for e in ENDPOINTS}
    db = Database("sqlite://")
    try:
        app = create_app(db)
        served = {
            (m, r.path)
            for r in app.routes
            if isinstance(r, Route)
            for m in (r.methods or ())
            if m != "HEAD"
        }
    finally:
        db.dispose()
    # Operations endpoints, not API: documented in docs/deploy-server.md.
    assert served == documented | {("GET", "/healthz"), ("GET", "/metrics")}
    for path, ops in doc["paths"].items():
        for op in ops.values():
            assert op["security"] == ([] if path in UNSIGNED else [{"deviceSignature": []}])
            for status, response in op["responses"].items():
                if status.startswith("4"):
                    schema = response["content"]["application/json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/Error"}


def test_documented_bundle_fields_are_the_wire_fields(team: Team, server: ServerProcess) -> None:
    doc = httpx.get(server.url + "/v1/openapi.json", timeout=30).json()
    device = team.enrol()
    team.new_epoch(by=device)
    wire = device.bundle().to_wire()
    schema = doc["components"]["schemas"]["WireBundle"]
    # ``hlc`` is documented for envelope 1 (older bundles) only; envelope 2 has none.
    assert set(schema["required"]) == set(wire) == set(schema["properties"]) - {"hlc"}
    device.transport.push([wire])
    pulled = device.transport.pull()["bundles"][0]
    assert set(pulled) == set(wire) | {"server_seq"}
    devices = device.transport.devices()["devices"]
    assert set(doc["components"]["schemas"]["Device"]["properties"]) == set(devices[0])


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = cli.main(list(args))
    return code, out.getvalue(), err.getvalue()


def test_cli_reports_unknown_teams_devices_and_databases(team: Team) -> None:
    code, _, err = run("--db", team.db_url, "status", "--team", "no-such-team")
    assert code == 1 and "no such team: no-such-team" in err
    code, _, err = run("--db", team.db_url, "device", "approve", "--team", team.team_id, "zzzz")
    assert code == 1 and "no device" in err
    code, _, err = run("--db", "mysql://nobody@localhost/x", "status", "--team", "t")
    assert code == 2 and "cannot open the database" in err
    code, _, err = run(
        "--db", team.db_url, "join-code", "create", "--team", team.team_id, "--uses", "0"
    )
    assert code == 2


def test_cli_lists_devices_and_revokes(team: Team) -> None:
    device = team.join("Pekan kannettava")
    listing = admin(team.db_url, "device", "list", "--team", team.team_id)
    assert device.device_id in listing and device.keys.fingerprint() in listing
    assert "Pekan kannettava" in listing and "pending" in listing
    out = admin(
        team.db_url,
        "device",
        "revoke",
        "--team",
        team.team_id,
        device.device_id,
        *team.authority_args,
    )
    assert "revoked" in out
    assert "revoked" in admin(team.db_url, "device", "list", "--team", team.team_id)
    with pytest.raises(RuntimeError, match="cannot be approved"):
        team.approve(device)
