"""Schemathesis against the relay's own OpenAPI document: no request makes it fail with 5xx.

Every generated request is signed by a real, approved device, so the fuzzing
reaches past authentication into the handlers; the unsigned and badly signed
cases are in test_bad_input.py. Runs against the SQLite and PostgreSQL backends.
"""

from __future__ import annotations

import time
from typing import Any

import httpx
import schemathesis
from hypothesis import HealthCheck, given, settings

from sosku_desktop.sync.protocol import (
    H_CONTENT_SHA256,
    H_DEVICE,
    H_SIGNATURE,
    H_TEAM,
    H_TIMESTAMP,
    b64encode,
    content_sha256,
    request_signing_bytes,
)
from tests.sync.server.helpers import ServerProcess, Team


def _signed(case: Any, base_url: str, team: Team, device: Any) -> httpx.Request:
    kwargs = case.as_transport_kwargs(base_url=base_url)
    headers = {
        k: v
        for k, v in (kwargs.get("headers") or {}).items()
        if not k.lower().startswith("x-sosku-")
    }
    request = httpx.Request(
        kwargs["method"],
        kwargs["url"],
        params=kwargs.get("params"),
        headers=headers,
        json=kwargs.get("json"),
        content=kwargs.get("data") if isinstance(kwargs.get("data"), bytes | str) else None,
    )
    stamp = str(int(time.time()))
    signed = request_signing_bytes(
        request.method,
        request.url.path,
        request.url.query.decode("ascii"),
        team.team_id,
        device.device_id,
        stamp,
        request.content,
    )
    request.headers[H_TEAM] = team.team_id
    request.headers[H_DEVICE] = device.device_id
    request.headers[H_TIMESTAMP] = stamp
    request.headers[H_SIGNATURE] = b64encode(device.keys.sign(signed))
    request.headers[H_CONTENT_SHA256] = content_sha256(request.content)
    return request


def test_signed_generated_requests_never_cause_a_5xx(server: ServerProcess, team: Team) -> None:
    """Every operation of /v1/openapi.json, fuzzed from its own schema.

    (schemathesis' pytest plugin does not run on pytest 9, so the operations
    are driven through their Hypothesis strategies directly.)
    """
    api = schemathesis.openapi.from_url(f"{server.url}/v1/openapi.json")
    device = team.enrol("fuzz")
    operations = [result.ok() for result in api.get_all_operations()]
    assert len(operations) >= 7  # health, openapi, join, status, devices, keys ×2, bundles ×2
    seen: set[tuple[str, int]] = set()
    with httpx.Client(timeout=30) as client:
        for operation in operations:

            @given(case=operation.as_strategy())
            @settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
            def fuzz(case: Any) -> None:
                response = client.send(_signed(case, server.url, team, device))
                seen.add((case.path, response.status_code))
                assert response.status_code < 500, (case.method, case.path, response.status_code)
                if response.status_code >= 400 and "json" in response.headers.get(
                    "content-type", ""
                ):
                    body = response.json()
                    assert isinstance(body.get("error"), str), body

            fuzz()
    # The fuzzing reached the handlers, not only the authentication in front of them.
    assert any(200 <= status < 300 for _, status in seen)
    assert any(status in (400, 409, 413, 422) for _, status in seen)
